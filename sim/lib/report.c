/* The result set's writers: summary.csv, doses.csv, sample_size.csv and
 * duration.csv, written whole and published together. Their column lists
 * live here, in the order written, made of schema.h's names; README.md
 * documents each column. Cells go through csv.h, files through fileio.h. */
#include "dosesim/report.h"

#include "dosesim/csv.h"
#include "dosesim/fileio.h"
#include "dosesim/schema.h"
#include "dosesim/tally.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const summary_columns[] = {
    DS_COL_SCENARIO,
    DS_COL_METHOD,
    DS_COL_DESIGN,
    DS_COL_DEESCALATE,
    DS_COL_TOP_DOSE,
    DS_COL_START_LEVEL,
    DS_COL_N_LEVELS,
    DS_COL_N_TRIALS,
    DS_COL_SEED,
    DS_COL_PROB_NO_RP2D,
    DS_COL_PROB_NO_RP2D_SE,
    DS_COL_PROB_NO_RP2D_LO,
    DS_COL_PROB_NO_RP2D_HI,
    DS_COL_MEAN_N,
    DS_COL_MEAN_N_SE,
    DS_COL_SD_N,
    DS_COL_MIN_N,
    DS_COL_MAX_N,
    DS_COL_N_P10,
    DS_COL_N_P50,
    DS_COL_N_P90,
    DS_COL_MEAN_DLT,
    DS_COL_OVERDOSE_LIMIT,
    DS_COL_PROB_RP2D_OVERDOSE,
    DS_COL_MEAN_N_OVERDOSE,
    DS_COL_TRUE_MTD_LEVEL,
    DS_COL_PROB_RP2D_TRUE_MTD,
};

/* summary.csv goes on with these, empty unless calendar time was simulated. */
static const char *const timing_columns[] = {
    DS_COL_WINDOW_DAYS,   DS_COL_ACCRUAL_PER_30_DAYS, DS_COL_DLT_ONSET,
    DS_COL_DROPOUT,       DS_COL_MEAN_DURATION_DAYS,  DS_COL_SD_DURATION_DAYS,
    DS_COL_DURATION_P10,  DS_COL_DURATION_P50,        DS_COL_DURATION_P90,
    DS_COL_MEAN_ENROLLED, DS_COL_MEAN_NONEVALUABLE,   DS_COL_MEAN_TURNED_AWAY,
};

static const char *const doses_columns[] = {
    DS_COL_SCENARIO,      DS_COL_DOSE_LEVEL,   DS_COL_DOSE_LABEL,   DS_COL_P_DLT,
    DS_COL_PROB_RP2D,     DS_COL_PROB_RP2D_SE, DS_COL_PROB_RP2D_LO, DS_COL_PROB_RP2D_HI,
    DS_COL_MEAN_PATIENTS, DS_COL_MEAN_DLT,
};

static const char *const sample_size_columns[] = {DS_COL_SCENARIO, DS_COL_N, DS_COL_PROB};

static const char *const duration_columns[] = {DS_COL_SCENARIO, DS_COL_DAYS_FROM, DS_COL_DAYS_TO,
                                               DS_COL_PROB};

static void write_summary_row(ds_csv_row_t *w, const ds_run_info_t *info, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    const ds_design_t *design = info->design;
    ds_overdose_t over;
    ds_oc_overdose(oc, r->scenario, info->overdose_limit, &over);
    ds_csv_text(w, r->scenario->name);
    ds_csv_text(w, ds_method_name(oc->method));
    ds_csv_text(w, design->name);
    ds_csv_text(w, design->deescalate ? DS_YES : DS_NO);
    ds_csv_text(w, ds_top_dose_name(design->top_dose));
    ds_csv_int(w, design->start_level + 1);
    ds_csv_int(w, oc->n_levels);
    if (oc->method == DS_METHOD_MC) {
        ds_csv_u64(w, oc->n_trials);
        ds_csv_u64(w, info->seed);
    } else {
        ds_csv_empty(w);
        ds_csv_empty(w);
    }
    ds_csv_double(w, oc->prob_none);
    ds_csv_double(w, oc->prob_none_se);
    ds_csv_double(w, oc->prob_none_lo);
    ds_csv_double(w, oc->prob_none_hi);
    ds_csv_double(w, oc->mean_n);
    ds_csv_double(w, oc->mean_n_se);
    ds_csv_double(w, oc->sd_n);
    ds_csv_int(w, oc->min_n);
    ds_csv_int(w, oc->max_n_seen);
    ds_csv_int(w, oc->n_p10);
    ds_csv_int(w, oc->n_p50);
    ds_csv_int(w, oc->n_p90);
    ds_csv_double(w, oc->mean_dlt_total);
    ds_csv_double(w, over.limit);
    ds_csv_double(w, over.prob_rp2d_overdose);
    ds_csv_double(w, over.mean_n_overdose);
    ds_csv_int(w, over.true_mtd + 1);
    ds_csv_double(w, over.prob_rp2d_true_mtd);
    if (oc->timed && info->timing != NULL) {
        char onset[64];
        ds_timing_onset_name(info->timing, onset, sizeof(onset));
        ds_csv_double(w, info->timing->window_days);
        ds_csv_double(w, info->timing->accrual_per_30);
        ds_csv_text(w, onset);
        ds_csv_double(w, info->timing->dropout);
        ds_csv_double(w, oc->mean_duration_days);
        ds_csv_double(w, oc->sd_duration_days);
        ds_csv_double(w, oc->duration_p10);
        ds_csv_double(w, oc->duration_p50);
        ds_csv_double(w, oc->duration_p90);
        ds_csv_double(w, oc->mean_enrolled);
        ds_csv_double(w, oc->mean_nonevaluable);
        ds_csv_double(w, oc->mean_turned_away);
    } else {
        for (size_t k = 0; k < N_ELEMENTS(timing_columns); k++) {
            ds_csv_empty(w);
        }
    }
    ds_csv_end(w);
}

static void write_dose_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int d = 0; d < oc->n_levels; d++) {
        ds_csv_text(w, r->scenario->name);
        ds_csv_int(w, d + 1);
        ds_csv_text(w, r->scenario->labels[d]);
        ds_csv_double(w, r->scenario->p_dlt[d]);
        ds_csv_double(w, oc->prob_rp2d[d]);
        ds_csv_double(w, oc->prob_rp2d_se[d]);
        ds_csv_double(w, oc->prob_rp2d_lo[d]);
        ds_csv_double(w, oc->prob_rp2d_hi[d]);
        ds_csv_double(w, oc->mean_patients[d]);
        ds_csv_double(w, oc->mean_dlt[d]);
        ds_csv_end(w);
    }
}

static void write_sample_size_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int n = 0; n <= oc->max_n; n++) {
        if (oc->n_prob[n] > 0.0) {
            ds_csv_text(w, r->scenario->name);
            ds_csv_int(w, n);
            ds_csv_double(w, oc->n_prob[n]);
            ds_csv_end(w);
        }
    }
}

static void write_duration_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int k = 0; oc->timed && k < DS_DURATION_BINS; k++) {
        if (oc->duration_prob[k] > 0.0) {
            ds_csv_text(w, r->scenario->name);
            ds_csv_double(w,
                          k == 0 ? 0.0 : DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k));
            ds_csv_double(w, DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k + 1));
            ds_csv_double(w, oc->duration_prob[k]);
            ds_csv_end(w);
        }
    }
}

void ds_report_init(ds_report_t *self)
{
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        ds_outfile_init(&self->files[k]);
    }
}

void ds_report_discard(ds_report_t *self)
{
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        ds_outfile_discard(&self->files[k]);
    }
}

int ds_report_write(ds_report_t *self, const char *dir, const ds_run_info_t *info,
                    const ds_result_t *results, int n_results, ds_diag_t *diag)
{
    int ret = 0;
    ds_report_init(self);
    for (int k = 0; k < DS_RESULT_FILES && ret == 0; k++) {
        char *path = ds_path_join(dir, ds_result_file_names[k]);
        if (path == NULL) {
            ret = ds_diag_set(diag, DS_ERR_NOMEM, dir, 0, "", "out of memory");
            break;
        }
        ret = ds_outfile_open(&self->files[k], path, 0, diag);
        free(path);
    }
    if (ret != 0) {
        ds_report_discard(self);
        return ret;
    }
    FILE *summary = self->files[DS_RESULT_SUMMARY].file;
    ds_csv_names(summary, summary_columns, N_ELEMENTS(summary_columns));
    fputc(',', summary);
    ds_csv_header(summary, timing_columns, N_ELEMENTS(timing_columns));
    ds_csv_header(self->files[DS_RESULT_DOSES].file, doses_columns, N_ELEMENTS(doses_columns));
    ds_csv_header(self->files[DS_RESULT_SAMPLE_SIZE].file, sample_size_columns,
                  N_ELEMENTS(sample_size_columns));
    /* Written by untimed runs too, with no rows, so that it never outlives a
     * timed run's results beside an untimed one's: a set always has every file. */
    ds_csv_header(self->files[DS_RESULT_DURATION].file, duration_columns,
                  N_ELEMENTS(duration_columns));
    for (int i = 0; i < n_results; i++) {
        ds_csv_row_t w = {.file = summary, .at_start = true};
        write_summary_row(&w, info, &results[i]);
        w = (ds_csv_row_t){.file = self->files[DS_RESULT_DOSES].file, .at_start = true};
        write_dose_rows(&w, &results[i]);
        w = (ds_csv_row_t){.file = self->files[DS_RESULT_SAMPLE_SIZE].file, .at_start = true};
        write_sample_size_rows(&w, &results[i]);
        w = (ds_csv_row_t){.file = self->files[DS_RESULT_DURATION].file, .at_start = true};
        write_duration_rows(&w, &results[i]);
    }
    /* Every file complete (flushed and synced) before any is published, so
     * that a full disk or a write error replaces nothing. */
    for (int k = 0; k < DS_RESULT_FILES && ret == 0; k++) {
        ret = ds_outfile_finish(&self->files[k], diag);
    }
    if (ret != 0) {
        ds_report_discard(self);
    }
    return ret;
}

int ds_report_publish(ds_report_t *self, ds_diag_t *diag)
{
    ds_outfile_t *files[DS_RESULT_FILES];
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        files[k] = &self->files[k];
    }
    return ds_outfile_publish(files, DS_RESULT_FILES, DS_PUBLISH_SET, diag);
}

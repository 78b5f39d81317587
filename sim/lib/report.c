/* The result writers: the result set, per-trial rows, dose paths, sweeps.
 * Their column lists live here, in the order written, made of schema.h's
 * names; README.md documents each column. Cells go through csv.h, files
 * through fileio.h. */
#include "dosesim/report.h"

#include "dosesim/csv.h"
#include "dosesim/fileio.h"
#include "dosesim/schema.h"
#include "dosesim/tally.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After a row: 0, or DS_ERR_IO with the first failure's errno kept in out
 * (ds_outfile_failure says which file and why). */
static int csv_row_status(ds_outfile_t *out, FILE *file)
{
    if (!ferror(file)) {
        return 0;
    }
    if (out->error == 0) {
        out->error = errno != 0 ? errno : EIO;
    }
    return DS_ERR_IO;
}

static void write_columns(FILE *file, const char *const *columns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(file, "%s%s", i > 0 ? "," : "", columns[i]);
    }
}

static void write_header(FILE *file, const char *const *columns, size_t n)
{
    write_columns(file, columns, n);
    fputc('\n', file);
}

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

/* The per-trial CSV, then DS_COL_N_AT_LEVEL and DS_COL_DLT_AT_LEVEL per level. */
static const char *const trial_columns[] = {
    DS_COL_SCENARIO,      DS_COL_TRIAL,    DS_COL_RP2D_LEVEL,   DS_COL_N_TOTAL,     DS_COL_N_DLT,
    DS_COL_DURATION_DAYS, DS_COL_ENROLLED, DS_COL_NONEVALUABLE, DS_COL_TURNED_AWAY,
};

static const char *const path_columns[] = {
    DS_COL_PATH,  DS_COL_PROBABILITY, DS_COL_N_TOTAL,
    DS_COL_N_DLT, DS_COL_RP2D_LEVEL,  DS_COL_COHORTS,
};

/* A sweep's rows: the point, the dose, the design; the last five empty unless timed. */
static const char *const sweep_columns[] = {
    DS_COL_SCENARIO,         DS_COL_VARY,         DS_COL_VALUE,
    DS_COL_DOSE_LEVEL,       DS_COL_DOSE_LABEL,   DS_COL_P_DLT,
    DS_COL_PROB_RP2D,        DS_COL_PROB_NO_RP2D, DS_COL_MEAN_N,
    DS_COL_METHOD,           DS_COL_DESIGN,       DS_COL_DEESCALATE,
    DS_COL_TOP_DOSE,         DS_COL_START_LEVEL,  DS_COL_MEAN_DURATION_DAYS,
    DS_COL_SD_DURATION_DAYS, DS_COL_DURATION_P10, DS_COL_DURATION_P50,
    DS_COL_DURATION_P90,
};

static const char *method_name(ds_method_t method)
{
    return method == DS_METHOD_EXACT ? DS_METHOD_EXACT_NAME : DS_METHOD_MC_NAME;
}

static void write_summary_row(ds_csv_row_t *w, const ds_run_info_t *info, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    const ds_design_t *design = info->design;
    ds_overdose_t over;
    ds_oc_overdose(oc, r->scenario, info->overdose_limit, &over);
    ds_csv_text(w, r->scenario->name);
    ds_csv_text(w, method_name(oc->method));
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
    write_columns(summary, summary_columns, N_ELEMENTS(summary_columns));
    fputc(',', summary);
    write_header(summary, timing_columns, N_ELEMENTS(timing_columns));
    write_header(self->files[DS_RESULT_DOSES].file, doses_columns, N_ELEMENTS(doses_columns));
    write_header(self->files[DS_RESULT_SAMPLE_SIZE].file, sample_size_columns,
                 N_ELEMENTS(sample_size_columns));
    /* Written by untimed runs too, with no rows, so that it never outlives a
     * timed run's results beside an untimed one's: a set always has every file. */
    write_header(self->files[DS_RESULT_DURATION].file, duration_columns,
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

/* ---- per-trial rows ---- */

int ds_trial_writer_open(ds_trial_writer_t *self, const char *path, int n_levels, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    int ret = ds_outfile_open(&self->out, path, DS_OUTPUT_MAY_STREAM, diag);
    if (ret != 0) {
        return ret;
    }
    self->n_levels = n_levels;
    FILE *f = self->out.file;
    write_columns(f, trial_columns, N_ELEMENTS(trial_columns));
    for (int d = 1; d <= n_levels; d++) {
        fprintf(f, "," DS_COL_N_AT_LEVEL "%d," DS_COL_DLT_AT_LEVEL "%d", d, d);
    }
    fputc('\n', f);
    return 0;
}

int ds_trial_writer_add(ds_trial_writer_t *self, const char *scenario, uint64_t trial,
                        const ds_trial_t *state, int rp2d, const ds_calendar_t *calendar)
{
    ds_csv_row_t w = {.file = self->out.file, .at_start = true};
    if (state->n_levels > self->n_levels) {
        return DS_ERR_BAD_PARAM;
    }
    ds_csv_text(&w, scenario);
    ds_csv_u64(&w, trial + 1u);
    ds_csv_int(&w, rp2d + 1);
    ds_csv_int(&w, state->n_total);
    ds_csv_int(&w, state->dlt_total);
    if (calendar != NULL) {
        char days[32];
        ds_format_duration(calendar->clock, days, sizeof(days));
        ds_csv_text(&w, days);
        ds_csv_int(&w, calendar->enrolled);
        ds_csv_int(&w, calendar->nonevaluable);
        ds_csv_int(&w, (long long)calendar->turned_away);
    } else {
        for (int k = 0; k < 4; k++) {
            ds_csv_empty(&w);
        }
    }
    for (int d = 0; d < self->n_levels; d++) {
        if (d < state->n_levels) {
            ds_csv_int(&w, state->patients[d]);
            ds_csv_int(&w, state->dlts[d]);
        } else {
            ds_csv_empty(&w);
            ds_csv_empty(&w);
        }
    }
    ds_csv_end(&w);
    return csv_row_status(&self->out, w.file);
}

int ds_trial_writer_failure(ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_outfile_failure(&self->out, diag);
}

int ds_trial_writer_close(ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_outfile_finish(&self->out, diag);
}

int ds_trial_writer_commit(ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_outfile_commit(&self->out, diag);
}

void ds_trial_writer_abort(ds_trial_writer_t *self)
{
    ds_outfile_discard(&self->out);
}

/* ---- dose paths ---- */

void ds_path_csv_begin(ds_outfile_t *out)
{
    write_header(out->file, path_columns, N_ELEMENTS(path_columns));
}

int ds_path_csv_add(ds_outfile_t *out, uint64_t number, double prob, const ds_trial_t *trial,
                    int rp2d, const ds_cohort_t *cohorts, int n_cohorts)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    ds_csv_u64(&w, number);
    ds_csv_double(&w, prob);
    ds_csv_int(&w, trial->n_total);
    ds_csv_int(&w, trial->dlt_total);
    ds_csv_int(&w, rp2d + 1);
    ds_csv_cell_begin(&w);
    for (int i = 0; i < n_cohorts; i++) {
        fprintf(w.file, "%s%d:%d/%d", i > 0 ? " " : "", cohorts[i].level + 1, cohorts[i].dlt,
                cohorts[i].n);
    }
    ds_csv_end(&w);
    return csv_row_status(out, w.file);
}

/* ---- sweeps ---- */

void ds_sweep_csv_begin(ds_outfile_t *out)
{
    write_header(out->file, sweep_columns, N_ELEMENTS(sweep_columns));
}

int ds_sweep_csv_add(ds_outfile_t *out, const ds_scenario_t *swept, const char *vary, double value,
                     const ds_oc_t *oc, const ds_design_t *design)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    for (int d = 0; d < swept->n_levels; d++) {
        ds_csv_text(&w, swept->name);
        ds_csv_text(&w, vary);
        ds_csv_double(&w, value);
        ds_csv_int(&w, d + 1);
        ds_csv_text(&w, swept->labels[d]);
        ds_csv_double(&w, swept->p_dlt[d]);
        ds_csv_double(&w, oc->prob_rp2d[d]);
        ds_csv_double(&w, oc->prob_none);
        ds_csv_double(&w, oc->mean_n);
        ds_csv_text(&w, method_name(oc->method));
        ds_csv_text(&w, design->name);
        ds_csv_text(&w, design->deescalate ? DS_YES : DS_NO);
        ds_csv_text(&w, ds_top_dose_name(design->top_dose));
        ds_csv_int(&w, design->start_level + 1);
        if (oc->timed) {
            ds_csv_double(&w, oc->mean_duration_days);
            ds_csv_double(&w, oc->sd_duration_days);
            ds_csv_double(&w, oc->duration_p10);
            ds_csv_double(&w, oc->duration_p50);
            ds_csv_double(&w, oc->duration_p90);
        } else {
            for (int k = 0; k < 5; k++) {
                ds_csv_empty(&w);
            }
        }
        ds_csv_end(&w);
    }
    return csv_row_status(out, w.file);
}

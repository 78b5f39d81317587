/* The CSVs written a row at a time: per-trial rows, dose paths, sweep points.
 * Their column lists live here, in the order written, made of schema.h's
 * names; README.md documents each column. */
#include "dosesim/listing.h"

#include <stdio.h>
#include <string.h>

#include "dosesim/csv.h"
#include "dosesim/schema.h"
#include "dosesim/text.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

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

static const char *const path_columns[] = {
    DS_COL_PATH,  DS_COL_PROBABILITY, DS_COL_N_TOTAL,
    DS_COL_N_DLT, DS_COL_RP2D_LEVEL,  DS_COL_COHORTS,
};

/* The per-trial CSV, then DS_COL_N_AT_LEVEL and DS_COL_DLT_AT_LEVEL per level. */
static const char *const trial_columns[] = {
    DS_COL_SCENARIO,      DS_COL_TRIAL,    DS_COL_RP2D_LEVEL,   DS_COL_N_TOTAL,     DS_COL_N_DLT,
    DS_COL_DURATION_DAYS, DS_COL_ENROLLED, DS_COL_NONEVALUABLE, DS_COL_TURNED_AWAY,
};

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
    ds_csv_names(f, trial_columns, N_ELEMENTS(trial_columns));
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
    return ds_outfile_status(&self->out);
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
    ds_csv_header(out->file, path_columns, N_ELEMENTS(path_columns));
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
    return ds_outfile_status(out);
}

/* ---- sweeps ---- */

void ds_sweep_csv_begin(ds_outfile_t *out)
{
    ds_csv_header(out->file, sweep_columns, N_ELEMENTS(sweep_columns));
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
        ds_csv_text(&w, ds_method_name(oc->method));
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
    return ds_outfile_status(out);
}

/* The CSVs written a row at a time: per-trial rows, dose paths, sweep points.
 * Each row is the key's cells (key.h), then the table's values in schema.c's
 * order; the sweep's are doses.csv's and summary.csv's (report.h). */
#include "dosesim/listing.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/csv.h"
#include "dosesim/optimise.h"
#include "dosesim/report.h"
#include "dosesim/schema.h"
#include "dosesim/text.h"

/* ---- per-trial rows ---- */

int ds_trial_writer_open(ds_trial_writer_t *self, const char *path, int n_levels,
                         const ds_run_key_t *key, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    int ret = ds_outfile_open(&self->out, path, DS_OUTPUT_MAY_STREAM, diag);
    if (ret != 0) {
        return ret;
    }
    self->n_levels = n_levels;
    self->key = key;
    ds_report_header(self->out.file, DS_TABLE_TRIALS, n_levels);
    return 0;
}

int ds_trial_writer_add(ds_trial_writer_t *self, const ds_scenario_t *scenario, uint64_t trial,
                        const ds_trial_t *state, int rp2d, const ds_calendar_t *calendar)
{
    ds_csv_row_t w = {.file = self->out.file, .at_start = true};
    if (state->n_levels > self->n_levels) {
        return DS_ERR_BAD_PARAM;
    }
    ds_run_key_cells(&w, self->key, scenario);
    ds_csv_u64(&w, trial + 1u);
    ds_csv_int(&w, rp2d + 1);
    ds_csv_text(&w, rp2d < 0 ? DS_NO_DOSE_LABEL : scenario->labels[rp2d]);
    ds_csv_int(&w, state->n_treated);
    ds_csv_int(&w, state->n_total); /* at the end of a trial, the evaluable patients */
    ds_csv_int(&w, state->n_nonevaluable);
    ds_csv_int(&w, state->dlt_total);
    if (calendar != NULL) {
        char days[32];
        ds_format_duration(calendar->clock, days, sizeof(days));
        ds_csv_text(&w, days);
        ds_csv_int(&w, (long long)calendar->turned_away);
    } else {
        ds_csv_empty(&w);
        ds_csv_empty(&w);
    }
    if (calendar != NULL && ds_run_key_backfills(self->key)) {
        ds_csv_int(&w, (long long)calendar->backfilled);
    } else {
        ds_csv_empty(&w);
    }
    const ds_optimise_t *opt = ds_run_key_optimise(self->key);
    if (opt->n_per_arm > 0) {
        /* the stage, simulated for this trial on its own stream */
        ds_stage_trial_t stage;
        int ret = ds_optimise_simulate_trial(&stage, scenario, rp2d, opt, self->key->target_hi,
                                             self->key->timing, self->key->seed, trial);
        if (ret != 0) {
            return ret;
        }
        ds_csv_int(&w, stage.n_randomised);
        if (stage.n_randomised > 0) {
            ds_csv_int(&w, stage.n_dlt_rp2d);
            ds_csv_int(&w, stage.n_response_rp2d);
            ds_csv_int(&w, stage.n_dlt_below);
            ds_csv_int(&w, stage.n_response_below);
        } else {
            for (int k = 0; k < 4; k++) {
                ds_csv_empty(&w);
            }
        }
        ds_csv_int(&w, stage.final_level + 1);
        ds_csv_text(&w,
                    stage.final_level < 0 ? DS_NO_DOSE_LABEL : scenario->labels[stage.final_level]);
        if (ds_run_key_timed(self->key)) {
            char days[32];
            ds_format_duration(stage.days, days, sizeof(days));
            ds_csv_text(&w, days);
        } else {
            ds_csv_empty(&w);
        }
    } else {
        for (int k = 0; k < 8; k++) {
            ds_csv_empty(&w);
        }
    }
    for (int d = 0; d < self->n_levels; d++) {
        if (d < state->n_levels) {
            ds_csv_int(&w, state->treated[d]);
            ds_csv_int(&w, state->patients[d]);
            ds_csv_int(&w, state->dlts[d]);
        } else {
            ds_csv_empty(&w);
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
    ds_report_header(out->file, DS_TABLE_PATHS, 0);
}

int ds_path_csv_add(ds_outfile_t *out, const ds_run_key_t *key, const ds_scenario_t *scenario,
                    uint64_t number, double prob, const ds_trial_t *trial, int rp2d,
                    const ds_cohort_t *cohorts, int n_cohorts)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    ds_run_key_cells(&w, key, scenario);
    ds_csv_u64(&w, number);
    ds_csv_double(&w, prob);
    ds_csv_int(&w, trial->n_treated);
    ds_csv_int(&w, trial->dlt_total);
    ds_csv_int(&w, rp2d + 1);
    ds_csv_text(&w, rp2d < 0 ? DS_NO_DOSE_LABEL : scenario->labels[rp2d]);
    ds_csv_cell_begin(&w);
    for (int i = 0; i < n_cohorts; i++) {
        fprintf(w.file, "%s%d:%d/%d", i > 0 ? " " : "", cohorts[i].level + 1, cohorts[i].dlt,
                cohorts[i].n);
    }
    ds_csv_end(&w);
    return ds_outfile_status(out);
}

/* ---- sweeps ---- */

/* The length of what a memory stream of size bytes holds, closing it: 0 when
 * it did not all fit (or failed). */
static size_t closed_length(FILE *memory, size_t size)
{
    const long len = ftell(memory);
    const bool fits = !ferror(memory) && len > 0 && (size_t)len < size - 1;
    return fclose(memory) == 0 && fits ? (size_t)len : 0;
}

void ds_sweep_csv_begin(ds_outfile_t *out)
{
    ds_report_header(out->file, DS_TABLE_SWEEP, 0);
}

int ds_sweep_csv_add(ds_outfile_t *out, const ds_run_key_t *key, const ds_scenario_t *swept,
                     const char *vary, double value, const ds_oc_t *oc)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    const ds_result_t result = {.scenario = swept, .oc = oc};
    /* The key's cells begin each of the point's rows and its summary cells
     * end them: each set out once (most of a sweep's numbers; formatting them
     * is most of its cost), into a buffer on the stack (should they not fit,
     * each row sets them out again). */
    char key_cells[2048], summary[8192];
    size_t key_len = 0, summary_len = 0;
    FILE *memory = fmemopen(key_cells, sizeof(key_cells), "w");
    if (memory != NULL) {
        ds_csv_row_t cells = {.file = memory, .at_start = true};
        ds_run_key_cells(&cells, key, swept);
        key_len = closed_length(memory, sizeof(key_cells));
    }
    memory = fmemopen(summary, sizeof(summary), "w");
    if (memory != NULL) {
        ds_csv_row_t cells = {.file = memory, .at_start = false};
        ds_report_summary_values(&cells, key, &result);
        summary_len = closed_length(memory, sizeof(summary));
    }
    for (int level = 0; level <= swept->n_levels; level++) {
        if (key_len > 0) {
            fwrite(key_cells, 1, key_len, out->file);
            w.at_start = false;
        } else {
            ds_run_key_cells(&w, key, swept);
        }
        ds_csv_text(&w, vary);
        ds_csv_double(&w, value);
        ds_report_dose_values(&w, key, &result, level);
        if (summary_len > 0) {
            fwrite(summary, 1, summary_len, out->file);
        } else {
            ds_report_summary_values(&w, key, &result);
        }
        ds_csv_end(&w);
    }
    return ds_outfile_status(out);
}

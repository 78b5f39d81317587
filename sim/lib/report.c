/* The result set's writers: summary.csv, doses.csv, sample_size.csv and
 * duration.csv, written whole and published together, each row the key's
 * cells (key.h) then the table's values, in schema.c's order (a test reads
 * every file back against it). Cells go through csv.h, files through fileio.h. */
#include "dosesim/report.h"

#include "dosesim/accuracy.h"
#include "dosesim/csv.h"
#include "dosesim/fileio.h"
#include "dosesim/optimise.h"
#include "dosesim/schema.h"
#include "dosesim/tally.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number, or an empty cell where it has no value (NaN: e.g. P(correct
 * selection) with no true MTD and doses below the interval). */
static void number_or_empty(ds_csv_row_t *w, double x)
{
    if (isnan(x)) {
        ds_csv_empty(w);
    } else {
        ds_csv_double(w, x);
    }
}

/* The accuracy measures; the key's target was checked when it was given, so
 * this cannot fail but on a broken caller: then every measure is NaN (empty). */
static void accuracy_of(ds_accuracy_t *acc, const ds_scenario_t *sc, const ds_oc_t *oc,
                        const ds_target_t *target)
{
    ds_diag_t diag;
    if (ds_accuracy_from_oc(acc, oc, sc, target, &diag) != 0) {
        const double nan = NAN;
        *acc = (ds_accuracy_t){.true_mtd = -1,
                               .pcs = nan, .pcs_se = nan, .prob_above = nan, .prob_above_se = nan,
                               .prob_below = nan, .prob_below_se = nan,
                               .prob_none_acceptable = nan, .prob_none_acceptable_se = nan,
                               .mean_at = nan, .mean_at_se = nan, .mean_below = nan,
                               .mean_below_se = nan, .mean_above = nan, .mean_above_se = nan,
                               .prob_over_60 = nan, .prob_over_60_se = nan,
                               .prob_over_80 = nan, .prob_over_80_se = nan};
    }
}

static ds_target_t target_of(const ds_run_key_t *key)
{
    return (ds_target_t){.target = key->target, .lo = key->target_lo, .hi = key->target_hi};
}

void ds_report_header(FILE *file, ds_table_id_t table, int n_levels)
{
    const ds_table_schema_t *t = ds_schema_table(table);
    bool first = true;
    for (size_t k = 0; k < t->n_columns; k++) {
        if (strstr(t->columns[k]->name, DS_COL_LEVEL_MARK) == NULL) {
            fprintf(file, "%s%s", first ? "" : ",", t->columns[k]->name);
            first = false;
        }
    }
    /* Per-level columns come last, level by level (n_treated_at_dose_1, n_evaluable_at_dose_1, ...). */
    for (int d = 1; t->per_level && d <= n_levels; d++) {
        for (size_t k = 0; k < t->n_columns; k++) {
            const char *name = t->columns[k]->name;
            const char *mark = strstr(name, DS_COL_LEVEL_MARK);
            if (mark != NULL) {
                fprintf(file, ",%.*s%d", (int)(mark - name), name, d);
            }
        }
    }
    fputc('\n', file);
}

void ds_report_summary_values(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    const ds_scenario_t *sc = r->scenario;
    const ds_target_t target = target_of(key);
    ds_accuracy_t acc;
    accuracy_of(&acc, sc, oc, &target);
    ds_csv_int(w, oc->n_levels);
    ds_csv_int(w, acc.true_mtd + 1);
    ds_csv_text(w, acc.true_mtd < 0 ? DS_NO_DOSE_LABEL : sc->labels[acc.true_mtd]);
    ds_csv_double(w, oc->prob_none);
    ds_csv_double(w, oc->prob_none_se);
    ds_csv_double(w, oc->prob_none_lo);
    ds_csv_double(w, oc->prob_none_hi);
    number_or_empty(w, acc.pcs);
    number_or_empty(w, acc.pcs_se);
    number_or_empty(w, acc.prob_above);
    number_or_empty(w, acc.prob_above_se);
    number_or_empty(w, acc.prob_below);
    number_or_empty(w, acc.prob_below_se);
    number_or_empty(w, acc.prob_none_acceptable);
    number_or_empty(w, acc.prob_none_acceptable_se);
    ds_csv_double(w, oc->mean_treated_total);
    ds_csv_double(w, oc->mean_evaluable_total);
    ds_csv_double(w, oc->mean_n_se);
    ds_csv_double(w, oc->sd_n);
    ds_csv_int(w, oc->min_n);
    ds_csv_int(w, oc->max_n_seen);
    ds_csv_int(w, oc->n_p10);
    ds_csv_int(w, oc->n_p50);
    ds_csv_int(w, oc->n_p90);
    ds_csv_double(w, oc->timed ? oc->mean_nonevaluable : 0.0);
    ds_csv_double(w, oc->mean_dlt_total);
    number_or_empty(w, acc.mean_at);
    number_or_empty(w, acc.mean_at_se);
    number_or_empty(w, acc.mean_below);
    number_or_empty(w, acc.mean_below_se);
    number_or_empty(w, acc.mean_above);
    number_or_empty(w, acc.mean_above_se);
    number_or_empty(w, acc.prob_over_60);
    number_or_empty(w, acc.prob_over_60_se);
    number_or_empty(w, acc.prob_over_80);
    number_or_empty(w, acc.prob_over_80_se);
    if (oc->timed) {
        ds_csv_double(w, oc->mean_duration_days);
        ds_csv_double(w, oc->sd_duration_days);
        ds_csv_double(w, oc->duration_p10);
        ds_csv_double(w, oc->duration_p50);
        ds_csv_double(w, oc->duration_p90);
        ds_csv_double(w, oc->mean_turned_away);
    } else {
        for (int k = 0; k < 6; k++) {
            ds_csv_empty(w);
        }
    }
    if (ds_run_key_backfills(key)) {
        ds_csv_double(w, oc->mean_backfilled);
        ds_csv_double(w, oc->mean_backfilled_se);
    } else {
        ds_csv_empty(w);
        ds_csv_empty(w);
    }
    /* Always a number, 0 without backfill: an integer column that may be empty is read as
     * float (pandas) or logical (R), and a setting, unlike a mean, has a value when off. */
    ds_csv_int(w, ds_run_key_backfills(key) ? key->timing->backfill_max : 0);
}

void ds_report_dose_values(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r,
                           int level)
{
    const ds_oc_t *oc = r->oc;
    const ds_scenario_t *sc = r->scenario;
    const ds_target_t target = target_of(key);
    const int true_mtd = ds_true_mtd(sc, &target);
    ds_csv_int(w, level);
    if (level == 0) {
        ds_csv_text(w, DS_NO_DOSE_LABEL);
        ds_csv_empty(w); /* dose_amount */
        ds_csv_empty(w); /* dose_unit */
        ds_csv_empty(w); /* p_dlt */
        ds_csv_text(w, true_mtd < 0 ? DS_YES : DS_NO);
        ds_csv_double(w, oc->prob_none);
        ds_csv_double(w, oc->prob_none_se);
        ds_csv_double(w, oc->prob_none_lo);
        ds_csv_double(w, oc->prob_none_hi);
        ds_csv_empty(w);
        ds_csv_empty(w);
        ds_csv_empty(w);
        return;
    }
    const int d = level - 1;
    ds_csv_text(w, sc->labels[d]);
    if (sc->dose_amount != NULL) {
        ds_csv_double(w, sc->dose_amount[d]);
    } else {
        ds_csv_empty(w);
    }
    ds_csv_text(w, sc->dose_units != NULL ? sc->dose_units[d] : "");
    ds_csv_double(w, sc->p_dlt[d]);
    ds_csv_text(w, true_mtd == d ? DS_YES : DS_NO);
    ds_csv_double(w, oc->prob_rp2d[d]);
    ds_csv_double(w, oc->prob_rp2d_se[d]);
    ds_csv_double(w, oc->prob_rp2d_lo[d]);
    ds_csv_double(w, oc->prob_rp2d_hi[d]);
    ds_csv_double(w, oc->mean_treated[d]);
    ds_csv_double(w, oc->mean_evaluable[d]);
    ds_csv_double(w, oc->mean_dlt[d]);
}

static void write_summary_row(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    ds_run_key_cells(w, key, r->scenario);
    ds_report_summary_values(w, key, r);
    ds_csv_end(w);
}

static void write_dose_rows(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    for (int level = 0; level <= r->oc->n_levels; level++) {
        ds_run_key_cells(w, key, r->scenario);
        ds_report_dose_values(w, key, r, level);
        ds_csv_end(w);
    }
}

static void write_sample_size_rows(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int n = 0; n <= oc->max_n; n++) {
        if (oc->n_prob[n] > 0.0) {
            ds_run_key_cells(w, key, r->scenario);
            ds_csv_int(w, n);
            ds_csv_double(w, oc->n_prob[n]);
            ds_csv_end(w);
        }
    }
}

static void write_duration_rows(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int k = 0; oc->timed && k < DS_DURATION_BINS; k++) {
        if (oc->duration_prob[k] > 0.0) {
            ds_run_key_cells(w, key, r->scenario);
            ds_csv_double(w,
                          k == 0 ? 0.0 : DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k));
            ds_csv_double(w, DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k + 1));
            ds_csv_double(w, oc->duration_prob[k]);
            ds_csv_end(w);
        }
    }
}

int ds_report_optimise_oc(const ds_run_key_t *key, const ds_result_t *r, ds_optimise_oc_t *out)
{
    const ds_target_t target = target_of(key);
    return ds_optimise_oc_compute(out, r->scenario, r->oc, ds_run_key_optimise(key), &target,
                                  ds_run_key_timed(key) ? key->timing : NULL);
}

/* optimisation.csv's rows of a scenario with p_response: its none row and a
 * row per dose, each with the scenario's values after the dose's. A
 * calculation that cannot be made (out of memory) leaves the scenario's rows
 * out and says so through the file's status. */
static int write_optimisation_rows(ds_csv_row_t *w, const ds_run_key_t *key, const ds_result_t *r)
{
    const ds_scenario_t *sc = r->scenario;
    const ds_oc_t *oc = r->oc;
    if (sc->p_response == NULL) {
        return 0;
    }
    const ds_optimise_t *opt = ds_run_key_optimise(key);
    ds_optimise_oc_t o;
    int ret = ds_report_optimise_oc(key, r, &o);
    if (ret != 0) {
        return ret;
    }
    for (int level = 0; level <= sc->n_levels; level++) {
        const int d = level - 1;
        ds_run_key_cells(w, key, sc);
        ds_csv_int(w, level);
        if (level == 0) {
            ds_csv_text(w, DS_NO_DOSE_LABEL);
            ds_csv_empty(w); /* p_response */
            ds_csv_empty(w); /* p_dlt_and_response */
            ds_csv_text(w, o.optimal < 0 ? DS_YES : DS_NO);
            ds_csv_empty(w); /* responses */
            ds_csv_empty(w); /* their rate */
            ds_csv_empty(w); /* randomised */
            ds_csv_double(w, o.prob_final_none);
            ds_csv_double(w, o.prob_final_none_se);
        } else {
            ds_csv_text(w, sc->labels[d]);
            ds_csv_double(w, sc->p_response[d]);
            ds_csv_double(w, ds_scenario_p_dlt_and_response(sc, d));
            ds_csv_text(w, o.optimal == d ? DS_YES : DS_NO);
            ds_csv_double(w, o.mean_response[d]);
            number_or_empty(w, oc->mean_evaluable[d] > 0.0
                                   ? fmin(o.mean_response[d] / oc->mean_evaluable[d], 1.0)
                                   : NAN);
            ds_csv_double(w, o.mean_randomised[d]);
            ds_csv_double(w, o.prob_final[d]);
            ds_csv_double(w, o.prob_final_se[d]);
        }
        ds_csv_int(w, opt->n_per_arm);
        ds_csv_double(w, opt->delta);
        ds_csv_double(w, opt->response_days);
        ds_csv_int(w, o.optimal + 1);
        ds_csv_text(w, o.optimal < 0 ? DS_NO_DOSE_LABEL : sc->labels[o.optimal]);
        ds_csv_double(w, o.prob_optimal);
        ds_csv_double(w, o.prob_optimal_se);
        ds_csv_double(w, o.prob_above);
        ds_csv_double(w, o.prob_above_se);
        const bool backfills = ds_run_key_backfills(key);
        ds_csv_double(w, oc->mean_treated_total - (backfills ? oc->mean_backfilled : 0.0));
        if (backfills) {
            ds_csv_double(w, oc->mean_backfilled);
        } else {
            ds_csv_empty(w);
        }
        ds_csv_double(w, o.mean_randomised_total);
        ds_csv_double(w, oc->mean_treated_total + o.mean_randomised_total);
        if (oc->timed) {
            ds_csv_double(w, o.mean_stage_days);
            ds_csv_double(w, oc->mean_duration_days + o.mean_stage_days);
        } else {
            ds_csv_empty(w);
            ds_csv_empty(w);
        }
        ds_csv_end(w);
    }
    ds_optimise_oc_free(&o);
    return 0;
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

int ds_report_begin(ds_report_t *self, const char *dir, ds_diag_t *diag)
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
    /* duration.csv is written by untimed runs too, with no rows, so that it
     * never outlives a timed run's results beside an untimed one's: a set
     * always has every file. */
    static const ds_table_id_t tables[DS_RESULT_FILES] = {
        [DS_RESULT_SUMMARY] = DS_TABLE_SUMMARY,           [DS_RESULT_DOSES] = DS_TABLE_DOSES,
        [DS_RESULT_SAMPLE_SIZE] = DS_TABLE_SAMPLE_SIZE,   [DS_RESULT_DURATION] = DS_TABLE_DURATION,
        [DS_RESULT_OPTIMISATION] = DS_TABLE_OPTIMISATION,
    };
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        ds_report_header(self->files[k].file, tables[k], 0);
    }
    return 0;
}

void ds_report_add(ds_report_t *self, const ds_run_key_t *key, const ds_result_t *result)
{
    ds_csv_row_t w = {.file = self->files[DS_RESULT_SUMMARY].file, .at_start = true};
    write_summary_row(&w, key, result);
    w = (ds_csv_row_t){.file = self->files[DS_RESULT_DOSES].file, .at_start = true};
    write_dose_rows(&w, key, result);
    w = (ds_csv_row_t){.file = self->files[DS_RESULT_SAMPLE_SIZE].file, .at_start = true};
    write_sample_size_rows(&w, key, result);
    w = (ds_csv_row_t){.file = self->files[DS_RESULT_DURATION].file, .at_start = true};
    write_duration_rows(&w, key, result);
    w = (ds_csv_row_t){.file = self->files[DS_RESULT_OPTIMISATION].file, .at_start = true};
    if (write_optimisation_rows(&w, key, result) != 0 &&
        self->files[DS_RESULT_OPTIMISATION].error == 0) {
        /* out of memory: the set fails as on a write error, never published without these rows */
        self->files[DS_RESULT_OPTIMISATION].error = ENOMEM;
    }
}

int ds_report_end(ds_report_t *self, ds_diag_t *diag)
{
    /* Every file complete (flushed and synced) before any is published, so
     * that a full disk or a write error replaces nothing. */
    int ret = 0;
    for (int k = 0; k < DS_RESULT_FILES && ret == 0; k++) {
        ret = ds_outfile_finish(&self->files[k], diag);
    }
    if (ret != 0) {
        ds_report_discard(self);
    }
    return ret;
}

int ds_report_write(ds_report_t *self, const char *dir, const ds_run_key_t *key,
                    const ds_result_t *results, int n_results, ds_diag_t *diag)
{
    int ret = ds_report_begin(self, dir, diag);
    if (ret != 0) {
        return ret;
    }
    for (int i = 0; i < n_results; i++) {
        ds_report_add(self, key, &results[i]);
    }
    return ds_report_end(self, diag);
}

int ds_report_publish(ds_report_t *self, ds_diag_t *diag)
{
    ds_outfile_t *files[DS_RESULT_FILES];
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        files[k] = &self->files[k];
    }
    return ds_outfile_publish(files, DS_RESULT_FILES, DS_PUBLISH_SET, diag);
}

/**
 * @file report.h
 * @brief The CSV writers: summary.csv, doses.csv, sample_size.csv and per-trial rows.
 *
 * Every file is written under a temporary name in its folder and renamed only
 * when complete, so a failed run leaves no half-written result. Text fields are
 * quoted by libcsv where needed; numbers are printed in the shortest form that
 * reads back to the same double (at most 17 significant digits).
 */
#ifndef DOSESIM_REPORT_H
#define DOSESIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"
#include "dosesim/text.h"
#include "dosesim/timing.h"

/** Characteristics of one scenario, ready to report. */
typedef struct {
    const ds_scenario_t *scenario;
    const ds_oc_t *oc;
} ds_result_t;

/** What the results were obtained with, written beside them. */
typedef struct {
    const ds_design_t *design;
    uint64_t seed;             /**< Monte Carlo seed (left empty for exact results) */
    double overdose_limit;     /**< doses with p_dlt above it count as overdoses */
    const ds_timing_t *timing; /**< the calendar model, or NULL (written only when timed) */
} ds_run_info_t;

/** A CSV row being written: cells are separated and quoted (by libcsv) as needed. */
typedef struct {
    FILE *file;
    bool at_start; /**< true before the row's first cell */
} ds_csv_row_t;

/** A text cell, quoted if it holds a comma, quote, line end or edge space. */
void ds_csv_text(ds_csv_row_t *row, const char *text);
/** A number cell, in the shortest form that reads back exactly. */
void ds_csv_double(ds_csv_row_t *row, double x);
void ds_csv_int(ds_csv_row_t *row, long long x);
void ds_csv_u64(ds_csv_row_t *row, uint64_t x);
void ds_csv_empty(ds_csv_row_t *row);
/** End the row (a newline); the next cell starts a new row. */
void ds_csv_end(ds_csv_row_t *row);

/**
 * @brief Create a folder and its parents, as mkdir -p.
 * @return 0 or DS_ERR_IO with diag.
 */
int ds_make_dirs(const char *dir, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Write summary.csv, doses.csv and sample_size.csv into dir (which must
 *        exist), and duration.csv when calendar time was simulated.
 *
 * duration.csv: scenario, days_from, days_to, prob: the distribution of the
 * trial's duration over the tally's bins (0.1% wide; empty ones left out).
 * All are written under temporary names first and renamed once all are
 * complete (one rename at a time: a rename failing part-way leaves a mix).
 * @return 0 or DS_ERR_IO with the file in diag; on failure no result file is
 *         created or replaced and no temporary file is left.
 */
int ds_report_write(const char *dir, const ds_run_info_t *info, const ds_result_t *results,
                    int n_results, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief A file written under a temporary name beside its final one, then renamed.
 *
 * The temporary name is ".NAME.tmp-PID-N" in the same folder, so the rename
 * is atomic and a reader never sees a partial file under the final name.
 */
typedef struct {
    char *path;
    char *tmp_path;
    FILE *file;
} ds_atomic_file_t;

/**
 * @brief The temporary name of attempt `attempt` at writing path by process
 *        pid: ".NAME.tmp-PID-ATTEMPT" beside it (attempts go on while a name is
 *        taken). The one place the naming rule lives, so that a program can
 *        clean up after a signal. Returns false if buf is too small.
 */
bool ds_atomic_temp_path(const char *path, long pid, int attempt, char *buf, size_t size);

/** Create the temporary file for path. */
int ds_atomic_open(ds_atomic_file_t *self, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/** Flush, sync and close the temporary file, reporting any write error (a full disk, say). */
int ds_atomic_close(ds_atomic_file_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Close if still open, rename the temporary file to the final name, and
 *        release the names. On failure the temporary file is removed.
 */
int ds_atomic_commit(ds_atomic_file_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Close and delete the temporary file, if any, and free the names. Always safe. */
void ds_atomic_discard(ds_atomic_file_t *self);

/** A per-trial CSV being written (under a temporary name until committed). */
typedef struct {
    ds_atomic_file_t out;
    int n_levels; /**< per-level columns written for this many levels */
    int error;    /**< errno of the first failed write, or 0 */
} ds_trial_writer_t;

/**
 * @brief Open a per-trial CSV with per-level columns for n_levels levels.
 *
 * Columns: scenario, trial (1-based), rp2d_level (0 = none), n_total, n_dlt,
 * duration_days, enrolled, nonevaluable, turned_away (empty without timing),
 * then n_1, dlt_1, ..., n_K, dlt_K (empty for levels a scenario lacks).
 */
int ds_trial_writer_open(ds_trial_writer_t *self, const char *path, int n_levels,
                         ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Append one trial (trial is 0-based; written 1-based); calendar NULL without timing.
 * @return 0, or DS_ERR_IO once a write has failed (ds_trial_writer_failure says why).
 */
int ds_trial_writer_add(ds_trial_writer_t *self, const char *scenario, uint64_t trial,
                        const ds_trial_t *state, int rp2d,
                        const ds_calendar_t *calendar) DS_WARN_UNUSED;

/** Why appending failed, in diag (the file and the system's reason); returns DS_ERR_IO. */
int ds_trial_writer_failure(const ds_trial_writer_t *self, ds_diag_t *diag);

/** Finish writing the file, under its temporary name: where a full disk shows. */
int ds_trial_writer_close(ds_trial_writer_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Finish the file (if not yet closed) and move it to its final name. */
int ds_trial_writer_commit(ds_trial_writer_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Drop the file: nothing is left behind. Safe after commit and on a zeroed writer. */
void ds_trial_writer_abort(ds_trial_writer_t *self);

/** One cohort on a trial's path: level (0-based), patients, DLTs. */
typedef struct {
    int level;
    int n;
    int dlt;
} ds_cohort_t;

/**
 * @brief Open a dose-path CSV (path, probability, n_total, n_dlt, rp2d_level,
 *        cohorts); finish it with ds_atomic_commit, or drop it with ds_atomic_discard.
 */
int ds_path_csv_open(ds_atomic_file_t *out, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Append one path (numbered from 1); rp2d is 0-based or -1. The cohorts
 *        column reads "1:0/3 2:1/3 2:0/3" (level:DLTs/patients, in order).
 */
int ds_path_csv_add(ds_atomic_file_t *out, uint64_t number, double prob, const ds_trial_t *trial,
                    int rp2d, const ds_cohort_t *cohorts, int n_cohorts) DS_WARN_UNUSED;

/**
 * @brief Open a sweep CSV: scenario, vary (the level whose p_dlt is the value,
 *        or "all": every p_dlt scaled by it), value, dose_level, dose_label, p_dlt,
 *        prob_rp2d, prob_no_rp2d, mean_n, method, design, deescalate, top_dose,
 *        start_level, then mean_duration_days, sd_duration_days, duration_p10,
 *        duration_p50, duration_p90 (empty unless timed). One row per value and dose.
 */
int ds_sweep_csv_open(ds_atomic_file_t *out, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/** Append one sweep point: the scenario as swept (its p_dlt at this value) and its characteristics.
 */
int ds_sweep_csv_add(ds_atomic_file_t *out, const ds_scenario_t *swept, const char *vary,
                     double value, const ds_oc_t *oc, const ds_design_t *design) DS_WARN_UNUSED;

#endif

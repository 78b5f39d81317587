/**
 * @file listing.h
 * @brief The CSVs written a row at a time as the work goes: one row per
 *        trial, per dose path, per sweep point.
 *
 * Each may stream into a pipe or a terminal (DS_OUTPUT_MAY_STREAM of
 * fileio.h); a regular file is written under no name until it is committed.
 * Cells go through csv.h; numbers in the shortest form that reads back.
 */
#ifndef DOSESIM_LISTING_H
#define DOSESIM_LISTING_H

#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/fileio.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"
#include "dosesim/timing.h"

/** A per-trial CSV being written (under a temporary name until committed). */
typedef struct {
    ds_outfile_t out;
    int n_levels; /**< per-level columns written for this many levels */
} ds_trial_writer_t;

/**
 * @brief Open a per-trial CSV with per-level columns for n_levels levels (it
 *        may stream: DS_OUTPUT_MAY_STREAM).
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
int ds_trial_writer_failure(ds_trial_writer_t *self, ds_diag_t *diag);

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
 * @brief Begin a dose-path CSV in an opened output file (its header: path,
 *        probability, n_total, n_dlt, rp2d_level, cohorts); publish it with
 *        ds_outfile_commit, or drop it with ds_outfile_discard.
 */
void ds_path_csv_begin(ds_outfile_t *out);

/**
 * @brief Append one path (numbered from 1); rp2d is 0-based or -1. The cohorts
 *        column reads "1:0/3 2:1/3 2:0/3" (level:DLTs/patients, in order).
 */
int ds_path_csv_add(ds_outfile_t *out, uint64_t number, double prob, const ds_trial_t *trial,
                    int rp2d, const ds_cohort_t *cohorts, int n_cohorts) DS_WARN_UNUSED;

/**
 * @brief Begin a sweep CSV in an opened output file (its header): scenario, vary (the level whose
 * p_dlt is the value, or "all": every p_dlt scaled by it), value, dose_level, dose_label, p_dlt,
 *        prob_rp2d, prob_no_rp2d, mean_n, method, design, deescalate, top_dose,
 *        start_level, then mean_duration_days, sd_duration_days, duration_p10,
 *        duration_p50, duration_p90 (empty unless timed). One row per value and
 *        dose. It may stream.
 */
void ds_sweep_csv_begin(ds_outfile_t *out);

/** Append one sweep point: the scenario as swept (its p_dlt at this value) and its characteristics.
 */
int ds_sweep_csv_add(ds_outfile_t *out, const ds_scenario_t *swept, const char *vary, double value,
                     const ds_oc_t *oc, const ds_design_t *design) DS_WARN_UNUSED;

#endif

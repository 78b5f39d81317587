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
#include "dosesim/key.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"
#include "dosesim/timing.h"

/** A per-trial CSV being written (under a temporary name until committed). */
typedef struct {
    ds_outfile_t out;
    int n_levels;             /**< per-level columns written for this many levels */
    const ds_run_key_t *key;  /**< the run's key, written on every row (held, not owned) */
} ds_trial_writer_t;

/**
 * @brief Open a per-trial CSV (schema.h's DS_TABLE_TRIALS) with per-level
 *        columns for n_levels levels (it may stream: DS_OUTPUT_MAY_STREAM);
 *        key must outlive the writer.
 */
int ds_trial_writer_open(ds_trial_writer_t *self, const char *path, int n_levels,
                         const ds_run_key_t *key, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Append one trial of a scenario (trial is 0-based; written 1-based);
 *        calendar NULL without timing.
 * @return 0, or DS_ERR_IO once a write has failed (ds_trial_writer_failure says why).
 */
int ds_trial_writer_add(ds_trial_writer_t *self, const ds_scenario_t *scenario, uint64_t trial,
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
 * @brief Begin a dose-path CSV (schema.h's DS_TABLE_PATHS) in an opened output
 *        file; publish it with ds_outfile_commit, or drop it with ds_outfile_discard.
 */
void ds_path_csv_begin(ds_outfile_t *out);

/**
 * @brief Append one path (numbered from 1); rp2d is 0-based or -1. The cohorts
 *        column reads "1:0/3 2:1/3 2:0/3" (level:DLTs/patients, in order).
 */
int ds_path_csv_add(ds_outfile_t *out, const ds_run_key_t *key, const ds_scenario_t *scenario,
                    uint64_t number, double prob, const ds_trial_t *trial, int rp2d,
                    const ds_cohort_t *cohorts, int n_cohorts) DS_WARN_UNUSED;

/**
 * @brief Begin a sweep CSV (schema.h's DS_TABLE_SWEEP) in an opened output
 *        file: per grid value, its none row and a row per dose, each
 *        doses.csv's values then summary.csv's for that point. It may stream.
 */
void ds_sweep_csv_begin(ds_outfile_t *out);

/** Append one sweep point: the scenario as swept (its p_dlt at this value) and its characteristics.
 */
int ds_sweep_csv_add(ds_outfile_t *out, const ds_run_key_t *key, const ds_scenario_t *swept,
                     const char *vary, double value, const ds_oc_t *oc) DS_WARN_UNUSED;

#endif

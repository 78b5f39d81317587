/**
 * @file key.h
 * @brief The identifying columns every result table starts with (the key of
 *        schema.h's contract), and the run_id that names a run.
 *
 * A run_id is DS_RUN_ID_PREFIX and the first DS_RUN_ID_HEX_DIGITS hex digits
 * of the SHA-256 of a canonical text of what makes the numbers: the dosesim
 * and contract versions, the command's kind, the method, the design (family,
 * stage table, options), trials and seed, the calendar model, the target, and
 * each scenario's contents (name, order, labels, amounts, units, p_dlt). Not
 * the paths, the threads, the shards or the output folder: the same run split
 * any way has one run_id, and the same scenarios in another file another run's.
 */
#ifndef DOSESIM_KEY_H
#define DOSESIM_KEY_H

#include <stdint.h>

#include "dosesim/csv.h"
#include "dosesim/design.h"
#include "dosesim/oc.h"
#include "dosesim/optimise.h"
#include "dosesim/scenario.h"
#include "dosesim/schema.h"
#include "dosesim/timing.h"

/** ds_run_key_init's kind for a result set (run, exact and merge: one kind, so
 *  that a merged run has the run_id of the same run unsplit). */
#define DS_KEY_KIND_RESULTS "results"
#define DS_KEY_KIND_PATHS "paths"
#define DS_KEY_KIND_SWEEP "sweep"
#define DS_KEY_KIND_TRACE "trace"

/** What the key columns say of a run; one for all of a run's files. */
typedef struct {
    char run_id[DS_RUN_ID_CHARS];
    const ds_design_t *design;
    ds_method_t method;
    uint64_t n_trials; /**< 0 for exact */
    uint64_t seed;     /**< 0 for exact */
    const ds_timing_t *timing; /**< NULL (or off) when calendar time was not simulated */
    double target, target_lo, target_hi;
    /** The randomised stage and the response's options (optimisation.csv);
     *  NULL: the defaults, no stage. */
    const ds_optimise_t *optimise;
} ds_run_key_t;

/**
 * @brief Fill a key and compute its run_id.
 * @param kind   what was run beyond the method: "results" for run, exact and
 *               merge; "paths"; "sweep ..." with its grid (any text).
 * @param scenarios the run's scenarios, in the order run.
 */
void ds_run_key_init(ds_run_key_t *self, const char *kind, const ds_design_t *design,
                     ds_method_t method, uint64_t n_trials, uint64_t seed,
                     const ds_timing_t *timing, double target, double target_lo,
                     double target_hi, const ds_scenario_t *const *scenarios, int n_scenarios);

/**
 * @brief ds_run_key_init with the stage's options (optimise.h), which the
 *        run_id hashes when some scenario gives p_response.
 */
void ds_run_key_init_optimise(ds_run_key_t *self, const char *kind, const ds_design_t *design,
                              ds_method_t method, uint64_t n_trials, uint64_t seed,
                              const ds_timing_t *timing, const ds_optimise_t *optimise,
                              double target, double target_lo, double target_hi,
                              const ds_scenario_t *const *scenarios, int n_scenarios);

/** The run's stage options: the key's, or the defaults (no stage) when it has none. */
const ds_optimise_t *ds_run_key_optimise(const ds_run_key_t *self);

/** Whether calendar time was simulated (the key's calendar columns then hold its settings). */
bool ds_run_key_timed(const ds_run_key_t *self);

/** Whether the run backfilled (calendar time with --backfill-max). */
bool ds_run_key_backfills(const ds_run_key_t *self);

/** Write the key's DS_KEY_COLUMNS cells for one scenario of the run. */
void ds_run_key_cells(ds_csv_row_t *row, const ds_run_key_t *self, const ds_scenario_t *scenario);

#endif

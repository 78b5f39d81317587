/**
 * @file engine.h
 * @brief Monte Carlo: blocks of trials, one PCG32 stream per block, integer tallies.
 *
 * Trials are numbered from 0 and grouped into blocks of DS_BLOCK_TRIALS;
 * block b holds trials b*DS_BLOCK_TRIALS onwards and draws from PCG32 seeded
 * with (initstate = seed, initseq = b), whoever runs it. A trial's result
 * therefore depends only on (scenario, design, seed, trial number), and the
 * tally of any set of blocks is the same however the blocks are shared out.
 *
 * Outcomes are drawn in one place, the sampler (sampler.h): one 32-bit draw
 * per cohort, or per patient for families that enrol one at a time.
 *
 * Two ways of running a trial give the same trials draw for draw: the direct
 * way asks ds_design_next() after every cohort; the fast way walks the
 * design's decision tree (tree.h), compiled once per scenario from the same
 * rules, and counts the leaves reached. The tree is used for enumerable
 * families when it has at most DS_TREE_MAX_NODES nodes and nobody asks to see
 * each trial.
 *
 * With calendar time (timing.h), every time is drawn from a second stream per
 * block, DS_TIMING_STREAM + b seeded apart (ds_engine_timing_stream), so that
 * the cohorts' outcomes, and therefore the selections and sample sizes, are
 * those of the same trials without timing.
 *
 * With backfill (backfill.h) trials run the direct way: the escalation's
 * path depends on the backfilled outcomes.
 *
 * Families that enrol one at a time (the rolling six) run only on calendar
 * time, patient by patient (enrol.h): one draw per patient for the outcome, on
 * the block's stream, and its times on the timing stream.
 *
 * The core is engine.c; threads.c runs blocks on threads, trace.c replays one trial.
 */
#ifndef DOSESIM_ENGINE_H
#define DOSESIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dosesim/backfill.h"
#include "dosesim/design.h"
#include "dosesim/enrol.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/rng.h"
#include "dosesim/sampler.h"
#include "dosesim/scenario.h"
#include "dosesim/tally.h"
#include "dosesim/timing.h"
#include "dosesim/tree.h"

/** Trials per block. Part of the reproducibility contract: changing it changes results. */
#define DS_BLOCK_TRIALS 4096u

/** Most trials one run may ask for (2^53, so every count is exact as a double too). */
#define DS_MAX_TRIALS (UINT64_C(1) << 53)

/** The stream of block b's calendar times is DS_TIMING_STREAM + b, from a
 *  starting state of its own (ds_engine_timing_stream). */
#define DS_TIMING_STREAM (UINT64_C(1) << 62)

/** Seed block b's calendar stream: DS_TIMING_STREAM + b, seeded apart
 *  (ds_rng_seed_apart), since with the escalation's plain (seed, b) the two
 *  streams' increments differ by 2^63 and every other draw is the same. */
void ds_engine_timing_stream(ds_rng_t *rng, uint64_t seed, uint64_t block);

/** A scenario and design made ready to simulate. */
typedef struct {
    const ds_scenario_t *scenario;
    const ds_design_t *design;
    int n_levels;
    int max_cohort;
    int max_n;
    ds_sampler_t sampler; /**< the outcome tables */
    ds_timing_t timing;   /**< the calendar model (timing.on false: none) */
    bool have_tree;       /**< tree compiled (enumerable, and it fits DS_TREE_MAX_NODES) */
    ds_tree_t tree;
} ds_engine_t;

/**
 * @brief Called after each simulated trial, in trial order within a block.
 * @param trial the trial's number (0-based)
 * @param rp2d the selected level (0-based) or -1 for none
 * @param calendar the trial's calendar, or NULL without timing
 * @return 0 to go on; anything else stops the run and is returned by it.
 */
typedef int (*ds_trial_fn)(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                           const ds_calendar_t *calendar);

/**
 * @brief Prepare to simulate a design under a scenario (both must outlive the
 *        engine), with calendar time if timing is given and on (it is copied).
 *        Safe to free afterwards whatever it returns.
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag; DS_ERR_NOMEM.
 */
int ds_engine_init(ds_engine_t *self, const ds_scenario_t *scenario, const ds_design_t *design,
                   const ds_timing_t *timing, ds_diag_t *diag) DS_WARN_UNUSED;

/** Say in diag why simulating the engine's scenario failed with ret (a DS_ERR_* code). */
void ds_engine_failure(const ds_engine_t *self, int ret, ds_diag_t *diag);

/** A tally shaped for this engine's trials (levels, sample sizes, calendar time). */
int ds_engine_tally_init(const ds_engine_t *self, ds_tally_t *tally) DS_WARN_UNUSED;

/** Free what the engine holds; it is then as after a failed init (safe to free again). */
void ds_engine_free(ds_engine_t *self);

/** Number of blocks a run of n_trials trials has. */
uint64_t ds_engine_n_blocks(uint64_t n_trials);

/** Number of trials in block `block` of a run of n_trials (DS_BLOCK_TRIALS, fewer in the last). */
uint64_t ds_engine_block_trials(uint64_t n_trials, uint64_t block);

/** One thread's share of a run: its scratch state and not-yet-tallied counts. */
typedef struct {
    const ds_engine_t *engine;
    bool use_tree;        /**< walk the tree (false: ask the rules after every cohort) */
    uint64_t *leaf_count; /**< [tree.n_leaves] trials that ended at each leaf */
    uint64_t *subtree;    /**< [tree.n_nodes] scratch for ds_worker_flush */
    /* Timed walks of the tree: the leaves count each cohort's places, and
     * these what the flush takes off them for the evaluable counts. */
    uint32_t *path;               /**< [max_n + 1] the nodes of the trial being walked */
    uint64_t *vacant;             /**< [n_levels] places left without an evaluable patient */
    uint64_t *size_from;          /**< [max_n + 1] such trials, by their leaf's sample size ... */
    uint64_t *size_to;            /**< [max_n + 1] ... and by their evaluable patients */
    ds_gsl_pcg32_t timing_stream; /**< the calendar's stream (PCG32 for GSL's samplers) ... */
    gsl_rng *timing_rng;          /**< ... bound to it if timed, else NULL */
    ds_trial_t trial;
    ds_calendar_t calendar;
    ds_enrol_t enrol; /**< room for a trial enrolled one at a time, if the family does */
    ds_backfill_t backfill; /**< room for a trial's backfill, with --backfill-max */
} ds_worker_t;

/**
 * @brief A worker for engine; use_tree false forces the direct way (for tests).
 *        Safe to free afterwards whatever it returns; it must not be moved
 *        (its timing_rng points into it).
 */
int ds_worker_init(ds_worker_t *self, const ds_engine_t *engine, bool use_tree) DS_WARN_UNUSED;

/** Free what the worker holds (its tree counts, its room for one-at-a-time trials). */
void ds_worker_free(ds_worker_t *self);

/**
 * @brief Simulate one block of a run of n_trials trials.
 *
 * Trials reach tally at once if on_trial is given or the worker runs the
 * direct way, otherwise at the next ds_worker_flush(). on_trial (if not NULL)
 * sees each trial in order.
 * @return 0; DS_ERR_BAD_PARAM; or on_trial's non-zero return value.
 */
int ds_worker_run_block(ds_worker_t *self, uint64_t seed, uint64_t n_trials, uint64_t block,
                        ds_tally_t *tally, ds_trial_fn on_trial, void *ctx) DS_WARN_UNUSED;

/** Add the trials counted at the tree's leaves to tally and reset the counts. */
int ds_worker_flush(ds_worker_t *self, ds_tally_t *tally) DS_WARN_UNUSED;

/**
 * @brief Simulate blocks [first_block, end_block) of a run of n_trials trials into tally
 *        (initialised with the engine's n_levels and max_n), with one worker.
 * @return as ds_worker_run_block().
 */
int ds_engine_run_blocks(const ds_engine_t *self, uint64_t seed, uint64_t n_trials,
                         uint64_t first_block, uint64_t end_block, ds_tally_t *tally,
                         ds_trial_fn on_trial, void *ctx) DS_WARN_UNUSED;

/** Where patients stood when a cohort was decided (traces): what the rules
 *  decided on. treated = evaluable + nonevaluable + pending. */
typedef struct {
    int treated;      /**< enrolled by the decision */
    int evaluable;    /**< of them, with an outcome known by then: a DLT, or the window completed */
    int nonevaluable; /**< left the window early without a DLT by then */
    int pending;      /**< still in the window: their outcome could not change the decision */
    int dlts;         /**< DLTs known by then (among the evaluable) */
    int vacant;       /**< places of the cohorts counted so far with nobody in them (their last
                           patient left early; for a whole level only) */
} ds_standing_t;

/** One cohort of a traced trial. */
typedef struct {
    int level, n, dlt;        /**< the cohort: its places, and the DLTs drawn for them */
    int level_patients;       /**< places at its level once it is counted (what the stage
                                   tables read) ... */
    int level_dlts;           /**< ... and DLTs there, those still to come included */
    ds_action_t next;         /**< what the trial did next */
    /** With backfill (backfill.h): the rules' own action at the decision, which
     *  the backfill then changed to `next` on day `changed_on` (the end of the
     *  wait for the backfilled outcomes, or the decision's day), reacting to
     *  the dose closed_level (or, -1, deciding again on every outcome); without
     *  a change, rules_next is next. */
    ds_action_t rules_next;
    double changed_on;
    int closed_level;
    bool waited;              /**< an RP2D waited for the backfilled outcomes, until changed_on */
    ds_cohort_log_t calendar; /**< its patients' days, if timed */
    /** The cohort's patients at its decision (without timing: n treated and
     *  evaluable, dlt DLTs; vacant 0). */
    ds_standing_t cohort_at_decision;
    /** Every patient at its level at the decision, earlier cohorts' included:
     *  the counts the rules saw (without timing: level_patients and level_dlts). */
    ds_standing_t level_at_decision;
} ds_traced_cohort_t;

/** A single trial, cohort by cohort, exactly as a run simulates it. */
typedef struct {
    uint64_t trial;   /**< its number (0-based) */
    int rp2d;         /**< selected level (0-based) or -1 */
    ds_trial_t state; /**< at the end: treated = patients (evaluable) + nonevaluable, per level */
    bool timed;
    ds_calendar_t calendar;
    int n_cohorts;
    int cap_cohorts;
    ds_traced_cohort_t *cohorts; /**< families that treat cohorts */
    ds_event_log_t events;       /**< families that enrol one at a time: events (no cohorts) */
    bool backfills;              /**< with backfill (backfill.h): ... */
    int n_backfilled;
    ds_backfilled_t
        *backfilled; /**< [n_backfilled] the backfilled patients, in order of enrolment */
    bool backfill_closed[DS_MAX_LEVELS];      /**< [n_levels] the doses closed to backfill ... */
    double backfill_closed_on[DS_MAX_LEVELS]; /**< ... and when */
} ds_trace_t;

/**
 * @brief Replay trial `trial` (0-based) of a run with this seed: the same
 *        stream and draws as any run containing it, whatever its trial count.
 *
 * Fills trace (free it with ds_trace_free, whatever the result).
 * @return 0; DS_ERR_BAD_PARAM (trial beyond DS_MAX_TRIALS); DS_ERR_NOMEM.
 */
int ds_engine_trace(const ds_engine_t *self, uint64_t seed, uint64_t trial,
                    ds_trace_t *trace) DS_WARN_UNUSED;

/** Free a trace's cohorts and events (the struct itself is the caller's). */
void ds_trace_free(ds_trace_t *trace);

/** Most threads one run may use. */
#define DS_MAX_THREADS 1024

/**
 * @brief Simulate blocks [first_block, end_block) with n_threads threads.
 *
 * Threads take blocks one at a time as they finish; each keeps its own
 * tally, and the tallies are added into tally at the end. The result is the
 * same, counter for counter, for any number of threads. No per-trial callback:
 * per-trial output needs the trials in order (ds_engine_run_blocks).
 * @return 0; DS_ERR_BAD_PARAM; DS_ERR_NOMEM; DS_ERR_IO if a thread cannot start.
 */
int ds_engine_run_threads(const ds_engine_t *self, uint64_t seed, uint64_t n_trials,
                          uint64_t first_block, uint64_t end_block, int n_threads,
                          ds_tally_t *tally) DS_WARN_UNUSED;

/**
 * @brief A whole simulation in one call: n_trials trials of the design under
 *        the scenario (with calendar time if timing is on; timing may be NULL)
 *        on n_threads threads, into oc (initialised here; free it with
 *        ds_oc_free) and, if tally is not NULL, into tally (initialised here).
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag; DS_ERR_NOMEM.
 */
int ds_engine_simulate(const ds_scenario_t *scenario, const ds_design_t *design,
                       const ds_timing_t *timing, uint64_t seed, uint64_t n_trials, int n_threads,
                       ds_oc_t *oc, ds_tally_t *tally, ds_diag_t *diag) DS_WARN_UNUSED;

#endif

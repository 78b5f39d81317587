/**
 * @file optimise.h
 * @brief Response as a second outcome, the truly optimal dose, and a
 *        randomised dose-optimisation stage after the escalation.
 *
 * Response. A scenario with p_response (scenario.h) gives every patient a
 * joint outcome, DLT and objective response (CR or PR, assessed
 * response_days after the first dose), with P(DLT and response) from the
 * scenario's association. The escalation's rules see only the DLTs, so its
 * expected responses at a dose follow from its expected counts, whatever
 * method made them: E[DLTs] P(R | DLT) + E[evaluable without a DLT] P(R | no
 * DLT). Responses are counted among the evaluable patients (a patient who
 * leaves the DLT window early is not assessed; leaving is taken as
 * independent of response).
 *
 * The stage (--optimise N). When the escalation's RP2D r is above the lowest
 * dose, N patients are randomised to r and N to the dose below it (the
 * 200 mg against 100 mg comparison of FDA's 2024 dosage-optimisation
 * guidance), and the final dose is r if its responses exceed the lower arm's
 * by at least delta N (its response rate by delta) and its DLTs are at most
 * target_hi N (its DLT rate stays acceptable); otherwise the dose below. Both
 * rates are by intention to treat: a randomised patient who leaves early
 * (dropout, on calendar time) counts as without a DLT and without a response.
 * An RP2D at the lowest dose is final as it is; no RP2D, no dose.
 *
 * The truly optimal dose, by the stage's own rule applied to the truth:
 * among the acceptable doses (p_dlt <= target_hi, to DS_TARGET_EPS), the
 * lowest that no acceptable dose above it beats by delta or more in
 * p_response: with a flat response the lowest acceptable dose, with one
 * rising by delta or more the higher; none when no dose is acceptable.
 *
 * Given the RP2D, the stage's choice rests on its own patients only, so
 * P(final | RP2D = r) is a sum of multinomial and binomial terms, computed
 * exactly; the final probabilities are sum_r P(RP2D = r) P(final | r), for
 * exact characteristics and for Monte Carlo ones alike (with, for Monte Carlo,
 * the standard error of that estimator: sqrt((sum_r p_r c_r^2 - (sum_r p_r
 * c_r)^2) / N), c_r the conditional probability).
 *
 * On calendar time the stage starts when the escalation ends and lasts while
 * its 2N patients arrive (a Gamma(2N, accrual) wait, every arrival enrolled)
 * and then the longer of the DLT window and response_days.
 */
#ifndef DOSESIM_OPTIMISE_H
#define DOSESIM_OPTIMISE_H

#include <stdbool.h>
#include <stdint.h>

#include "dosesim/accuracy.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/rng.h"
#include "dosesim/scenario.h"
#include "dosesim/timing.h"

/** The stage's largest arm. */
#define DS_MAX_ARM_PATIENTS 1000
/** The default margin in response rate the higher dose must reach. */
#define DS_DEFAULT_DELTA 0.1
/** The default response assessment, days after the first dose. */
#define DS_DEFAULT_RESPONSE_DAYS 42.0
/** The latest response assessment accepted, in days. */
#define DS_MAX_RESPONSE_DAYS 3650.0

/** The stage's options. */
typedef struct {
    int n_per_arm;        /**< patients randomised to each arm; 0: no stage */
    double delta;         /**< the margin in response rate the higher dose must reach */
    double response_days; /**< when response is assessed, days after the first dose */
} ds_optimise_t;

/** No stage, DS_DEFAULT_DELTA, DS_DEFAULT_RESPONSE_DAYS. */
extern const ds_optimise_t ds_optimise_defaults;

/** *self = ds_optimise_defaults. */
void ds_optimise_set_defaults(ds_optimise_t *self);

/** Check the ranges; diag's field names the option (--optimise, --delta, --response-days). */
int ds_optimise_check(const ds_optimise_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** The truly optimal dose (0-based) of a scenario with p_response, or -1: none is acceptable. */
int ds_optimal_level(const ds_scenario_t *scenario, double target_hi, double delta);

/** A randomised patient's outcome at a level: the four cells (DLT and response,
 *  DLT only, response only, neither), by intention to treat under dropout. */
void ds_optimise_cells(const ds_scenario_t *scenario, int level, double dropout, double cells[4]);

/**
 * @brief P(the stage keeps the RP2D | RP2D = rp2d), rp2d >= 1 (0-based): the
 *        higher arm's responses exceed the lower's by at least delta N and its
 *        DLTs are at most target_hi N.
 */
double ds_optimise_prob_higher(const ds_scenario_t *scenario, int rp2d, const ds_optimise_t *opt,
                               double target_hi, double dropout);

/** The fewest responses by which the RP2D's arm must lead the lower arm's: delta N, whole. */
int ds_optimise_margin(const ds_optimise_t *opt);

/** The most DLTs the RP2D's arm may have: target_hi N, whole. */
int ds_optimise_most_dlts(const ds_optimise_t *opt, double target_hi);

/** The stage's rule, in the one place the exact sums and the simulated trials read it. */
static inline bool ds_optimise_keeps_rp2d(const ds_optimise_t *opt, double target_hi, int dlts_rp2d,
                                          int responses_rp2d, int responses_below)
{
    return dlts_rp2d <= ds_optimise_most_dlts(opt, target_hi) &&
           responses_rp2d - responses_below >= ds_optimise_margin(opt);
}

/** Trial t's stage draws from PCG32 stream DS_STAGE_STREAM + t, seeded apart
 *  (ds_rng_seed_apart): not a rotation of the escalation's streams (block b:
 *  b), their calendars' (DS_TIMING_STREAM + b) or another trial's stage.
 *  (The escalation is as it was with and without a stage because the stage
 *  has a generator of its own.) */
#define DS_STAGE_STREAM (UINT64_C(3) << 61)

/** Seed rng as trial `trial`'s stage (0-based) under seed. */
void ds_optimise_stage_stream(ds_rng_t *rng, uint64_t seed, uint64_t trial);

/** One trial's stage, simulated (run --trials-csv): its arms and its choice. */
typedef struct {
    int n_randomised;     /**< 2 n_per_arm when the RP2D is above the lowest dose, else 0 */
    int n_dlt_rp2d;       /**< the RP2D's arm: DLTs */
    int n_response_rp2d;  /**< and responses */
    int n_dlt_below;      /**< the arm of the dose below: DLTs */
    int n_response_below; /**< and responses */
    int final_level;      /**< 0-based; -1: none */
    double days;          /**< the days the stage adds on calendar time; 0 without one */
} ds_stage_trial_t;

/**
 * @brief Simulate trial `trial`'s stage after an escalation that chose rp2d
 *        (0-based, -1: none), on ds_optimise_stage_stream(seed, trial):
 *        each arm's N patients drawn from ds_optimise_cells, one uniform each,
 *        then on calendar time the 2N arrivals' Gamma(2N, 30 / accrual) days.
 * @param timing the run's calendar (NULL or off: untimed).
 * @return 0; DS_ERR_BAD_PARAM (a stage, and the scenario has no p_response).
 */
int ds_optimise_simulate_trial(ds_stage_trial_t *out, const ds_scenario_t *scenario, int rp2d,
                               const ds_optimise_t *opt, double target_hi,
                               const ds_timing_t *timing, uint64_t seed,
                               uint64_t trial) DS_WARN_UNUSED;

/** What the stage and the response make of one design's characteristics under one scenario. */
typedef struct {
    int n_levels;
    int optimal;            /**< the truly optimal dose (0-based), or -1 */
    double *prob_final;     /**< [n_levels] P(the final dose is this one) */
    double *prob_final_se;  /**< [n_levels] its standard error (0 for exact) */
    double prob_final_none; /**< P(no final dose) = P(no RP2D) */
    double prob_final_none_se;
    double prob_optimal, prob_optimal_se; /**< P(final = the optimal dose; none if none is) */
    double prob_above, prob_above_se;     /**< P(final above it; any dose if none is optimal) */
    double *mean_response;                /**< [n_levels] the escalation's expected responses */
    double *mean_randomised; /**< [n_levels] expected patients randomised to the dose */
    double mean_randomised_total;
    bool timed;
    double mean_stage_days; /**< the time the stage adds per trial, on average (timed) */
} ds_optimise_oc_t;

/** Hold nothing, so that ds_optimise_oc_free() is safe. */
void ds_optimise_oc_clear(ds_optimise_oc_t *self);

/** Free what it holds. */
void ds_optimise_oc_free(ds_optimise_oc_t *self);

/**
 * @brief The stage's and the response's characteristics, from the
 *        escalation's (oc) under a scenario with p_response.
 * @param timing the run's calendar (NULL or off: untimed; its dropout and accrual otherwise).
 * @return 0; DS_ERR_BAD_PARAM (the scenario has no p_response, or shapes
 *         differ); DS_ERR_NOMEM.
 */
int ds_optimise_oc_compute(ds_optimise_oc_t *self, const ds_scenario_t *scenario, const ds_oc_t *oc,
                           const ds_optimise_t *opt, const ds_target_t *target,
                           const ds_timing_t *timing) DS_WARN_UNUSED;

#endif

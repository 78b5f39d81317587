/**
 * @file oc.h
 * @brief Operating characteristics: what a design does under a scenario.
 *
 * The same structure holds Monte Carlo estimates (from a tally, with standard
 * errors and 95% intervals) and exact values (from enumeration, with standard
 * errors 0 and intervals equal to the value), so that readers of the results
 * need not care which method made them.
 */
#ifndef DOSESIM_OC_H
#define DOSESIM_OC_H

#include <stdint.h>

#include "dosesim/error.h"
#include "dosesim/scenario.h"
#include "dosesim/tally.h"

/** How the characteristics were obtained. */
typedef enum { DS_METHOD_MC = 0, DS_METHOD_EXACT = 1 } ds_method_t;

/** Confidence level of the intervals on selection probabilities. */
#define DS_OC_CONFIDENCE 0.95

/** Operating characteristics of one design under one scenario. */
typedef struct {
    ds_method_t method;
    uint64_t n_trials; /**< Monte Carlo trials; 0 for exact */
    int n_levels;
    int max_n; /**< largest possible sample size; n_prob has max_n + 1 entries */

    double prob_none, prob_none_se, prob_none_lo, prob_none_hi;     /**< no RP2D */
    double *prob_rp2d, *prob_rp2d_se, *prob_rp2d_lo, *prob_rp2d_hi; /**< [n_levels] */
    /** [n_levels] expected evaluable patients at each level: what the rules
     *  count (ds_trial_t.patients); without calendar time, every patient treated. */
    double *mean_patients;
    double *mean_dlt; /**< [n_levels] expected DLTs at each level */
    double *n_prob;   /**< [max_n + 1] distribution of the total sample size (evaluable patients) */
    /** [n_levels] expected patients treated (dosed) at each level, those not
     *  evaluable included: with calendar time and dropout, more than the
     *  evaluable ones; without, equal. */
    double *mean_treated;
    /** [n_levels] expected evaluable patients at each level (mean_treated minus
     *  those who left early): the same numbers as mean_patients, under the name
     *  that says which count it is. */
    double *mean_evaluable;
    /** Per trial: patients treated (= mean_enrolled with calendar time), and
     *  evaluable (= mean_n); mean_treated_total = mean_evaluable_total +
     *  mean_nonevaluable. */
    double mean_treated_total, mean_evaluable_total;

    double mean_n, mean_n_se, sd_n; /**< total sample size, in evaluable patients */
    int min_n, max_n_seen;          /**< smallest and largest n with positive probability */
    int n_p10, n_p50, n_p90;        /**< its 10%, 50%, 90% quantiles */
    double mean_dlt_total;          /**< expected DLTs per trial */

    /* Per-trial shares and second moments, for any target's accuracy measures
     * (accuracy.h): cut m = 0..n_levels puts the levels >= m "above" it.
     * Patients are those ds_trial_exposure() counts. Monte Carlo: from the
     * tally's integer counts; exact: exact probabilities and moments. */
    double *prob_above_60; /**< [n_levels + 1] P(patients at levels >= m are more than 60% of
                               the trial's patients) */
    double *prob_above_80; /**< [n_levels + 1] P(... more than 80% ...) */
    double *mean_sq_above; /**< [n_levels + 1] E[(patients at levels >= m)^2] */
    double *mean_sq_below; /**< [n_levels + 1] E[(patients at levels < m)^2] */
    double *mean_sq_at;    /**< [n_levels] E[patients[d]^2] */

    bool timed;            /**< the calendar-time values below are filled */
    double *duration_prob; /**< [DS_DURATION_BINS] distribution of the duration over the
                               tally's bins (ds_duration_bin_days), if timed */
    double mean_duration_days, sd_duration_days;
    double duration_p10, duration_p50, duration_p90; /**< quantiles, to within 0.05% */
    double mean_enrolled, mean_nonevaluable, mean_turned_away;
    double mean_backfilled, mean_backfilled_se; /**< of mean_enrolled, backfilled (backfill.h) */
} ds_oc_t;


/** Exact calculators: a finished trial with these per-level patients (those
 *  ds_trial_exposure() counts), of probability prob, into the shares above
 *  each cut and the second moments. */
void ds_oc_add_final_counts(ds_oc_t *oc, const int *patients, double prob);

/** DS_METHOD_MC_NAME or DS_METHOD_EXACT_NAME (schema.h): the method column's word. */
const char *ds_method_name(ds_method_t method);

/** Hold nothing (zero the struct), so that ds_oc_free() is safe before any init. */
void ds_oc_clear(ds_oc_t *self);

/** Allocate zeroed characteristics for n_levels levels and sample sizes 0..max_n;
 *  safe to free whatever it returns. */
int ds_oc_init(ds_oc_t *self, int n_levels, int max_n) DS_WARN_UNUSED;

/** Free the characteristics' arrays; the struct then holds nothing. */
void ds_oc_free(ds_oc_t *self);

/**
 * @brief Monte Carlo estimates from a tally of at least one trial.
 *
 * Standard errors are binomial, sqrt(p(1-p)/N); intervals are Wilson score
 * intervals at DS_OC_CONFIDENCE. A timed tally also fills the calendar values.
 */
int ds_oc_from_tally(ds_oc_t *self, const ds_tally_t *tally) DS_WARN_UNUSED;

/**
 * @brief Complete exact characteristics.
 *
 * The caller has filled prob_none, prob_rp2d, mean_patients, mean_dlt, n_prob,
 * prob_above_60, prob_above_80, mean_sq_above, mean_sq_below and mean_sq_at with exact values; this
 * sets the standard errors to 0, the intervals to the values and derives the sample-size summaries,
 * exactly as for Monte Carlo (without calendar time, so mean_treated = mean_evaluable =
 * mean_patients).
 */
void ds_oc_finish_exact(ds_oc_t *self);


#endif

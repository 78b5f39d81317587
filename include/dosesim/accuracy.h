/**
 * @file accuracy.h
 * @brief How well a design finds the dose of a target DLT rate: the accuracy
 *        measures dose-finding papers report per scenario, for Monte Carlo and
 *        exact characteristics alike.
 *
 * A target is a DLT rate T and an acceptable interval [LO, HI] around it; the
 * default is T = 0.25 and [0.6 T, 1.4 T], the defaults of BOIN's p.saf and
 * p.tox (Liu & Yuan 2015, JRSS-C 64:507-523). Under a scenario:
 * - the true MTD is the dose with p_dlt in [LO, HI] closest to T (a tie: the
 *   lower dose), or none;
 * - PCS, P(correct selection), is P(RP2D = true MTD); with no true MTD and every
 *   dose above HI, P(no RP2D); otherwise undefined (NaN);
 * - P(RP2D above the interval) (p_dlt > HI) and below it (p_dlt < LO);
 * - P(no RP2D) when some dose is acceptable (NaN when none is);
 * - the mean patients at, below and above the true MTD; with none, "above"
 *   counts from the first dose with p_dlt > HI upward (the cut), "below" the
 *   rest, and "at" is 0;
 * - P(more than 60% of a trial's patients are above the MTD) and 80%, above
 *   meaning at the levels from that same cut up (ds_accuracy_t.cut).
 *
 * Each has its Monte Carlo standard error: binomial, sqrt(p (1 - p) / N), for
 * probabilities; sqrt(Var / N) for means, Var from the tally's sums of squares
 * (ds_oc_t.mean_sq_*). Exact characteristics have standard errors 0.
 *
 * p_dlt is compared with LO, HI and T to within DS_TARGET_EPS, so that doses
 * and intervals written as decimals classify as written (0.15 is inside
 * [0.6 x 0.25, ...] although 0.6 x 0.25 is 0.15000000000000002 in binary, and
 * 0.20 and 0.30 tie around 0.25).
 */
#ifndef DOSESIM_ACCURACY_H
#define DOSESIM_ACCURACY_H

#include <stdbool.h>

#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"

/** The default target DLT rate. */
#define DS_TARGET_DEFAULT 0.25
/** The default interval is [DS_TARGET_LO_FACTOR T, DS_TARGET_HI_FACTOR T] (BOIN's). */
#define DS_TARGET_LO_FACTOR 0.6
#define DS_TARGET_HI_FACTOR 1.4
/** p_dlt within this of LO, HI or of another dose's distance to T counts as equal. */
#define DS_TARGET_EPS 1e-12

/** A target DLT rate and its acceptable interval. */
typedef struct {
    double target; /**< T */
    double lo;     /**< LO: doses with p_dlt < LO are below the interval */
    double hi;     /**< HI: doses with p_dlt > HI are above it (overdoses) */
} ds_target_t;

/** T = DS_TARGET_DEFAULT and its default interval. */
void ds_target_set_defaults(ds_target_t *self);

/** T = target and its default interval [0.6 T, 1.4 T] (check it: HI may reach 1). */
void ds_target_set(ds_target_t *self, double target);

/**
 * @brief Check a target: finite, 0 < LO <= T <= HI < 1.
 * @return 0, or DS_ERR_BAD_PARAM with the reason in diag, whose field names the
 *         option at fault ("--target" or "--target-interval").
 */
int ds_target_check(const ds_target_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Where a dose's p_dlt lies against the interval. */
typedef enum { DS_DOSE_BELOW = -1, DS_DOSE_ACCEPTABLE = 0, DS_DOSE_ABOVE = 1 } ds_dose_band_t;

/** Where p_dlt lies against [LO, HI] (to within DS_TARGET_EPS). */
ds_dose_band_t ds_target_band(const ds_target_t *self, double p_dlt);

/** The true MTD of a scenario (0-based), or -1 when no dose is acceptable. */
int ds_true_mtd(const ds_scenario_t *scenario, const ds_target_t *target);

/** The accuracy measures of one design under one scenario, for one target. */
typedef struct {
    ds_target_t target;
    int true_mtd; /**< 0-based; -1: no dose is acceptable */
    /** Patients at levels >= cut are "above" the MTD: true_mtd + 1, or with no true
     *  MTD the first level with p_dlt > HI (n_levels if there is none). */
    int cut;
    bool exact;                       /**< from exact characteristics (standard errors 0) */
    double pcs, pcs_se;               /**< P(correct selection); NaN when undefined */
    double prob_above, prob_above_se; /**< P(RP2D's p_dlt > HI) */
    double prob_below, prob_below_se; /**< P(RP2D's p_dlt < LO) */
    /** P(no RP2D) when some dose is acceptable; NaN when none is. */
    double prob_none_acceptable, prob_none_acceptable_se;
    double mean_at, mean_at_se;       /**< patients at the true MTD (0 with none) */
    double mean_below, mean_below_se; /**< patients below the MTD (with none, below the cut) */
    double mean_above, mean_above_se; /**< patients at levels >= cut */
    /** P(patients at levels >= cut are more than 60% (80%) of the trial's). */
    double prob_over_60, prob_over_60_se;
    double prob_over_80, prob_over_80_se;
} ds_accuracy_t;

/**
 * @brief The accuracy measures from a scenario's characteristics (Monte Carlo
 *        or exact) and a target.
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag (a target that
 *         ds_target_check() refuses, or characteristics of another number of
 *         levels than the scenario's). *self is filled with NaN on failure.
 */
int ds_accuracy_from_oc(ds_accuracy_t *self, const ds_oc_t *oc, const ds_scenario_t *scenario,
                        const ds_target_t *target, ds_diag_t *diag) DS_WARN_UNUSED;

#endif

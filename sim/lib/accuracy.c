/* Accuracy measures for a target DLT rate, from characteristics of either
 * method: the target picks the true MTD and the cut; the rest are sums over
 * the doses and the per-cut shares and second moments the tally or the exact
 * calculation holds for every cut (oc.h). The default interval is BOIN's
 * (Liu & Yuan 2015, JRSS-C 64:507-523: p.saf = 0.6 T, p.tox = 1.4 T). */
#include "dosesim/accuracy.h"

#include <math.h>
#include <string.h>

void ds_target_set(ds_target_t *self, double target)
{
    self->target = target;
    self->lo = DS_TARGET_LO_FACTOR * target;
    self->hi = DS_TARGET_HI_FACTOR * target;
}

void ds_target_set_defaults(ds_target_t *self)
{
    ds_target_set(self, DS_TARGET_DEFAULT);
}

int ds_target_check(const ds_target_t *self, ds_diag_t *diag)
{
    const double t = self->target, lo = self->lo, hi = self->hi;
    if (!(isfinite(t) && t > 0.0 && t < 1.0)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--target",
                           "the target DLT rate %g is not between 0 and 1", t);
    }
    if (!(isfinite(lo) && isfinite(hi) && lo > 0.0 && lo <= t && t <= hi && hi < 1.0)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--target-interval",
                           "the interval %g,%g does not hold the target %g: need 0 < LO <= T "
                           "<= HI < 1",
                           lo, hi, t);
    }
    return 0;
}

ds_dose_band_t ds_target_band(const ds_target_t *self, double p_dlt)
{
    if (p_dlt < self->lo - DS_TARGET_EPS) {
        return DS_DOSE_BELOW;
    }
    return p_dlt > self->hi + DS_TARGET_EPS ? DS_DOSE_ABOVE : DS_DOSE_ACCEPTABLE;
}

int ds_true_mtd(const ds_scenario_t *scenario, const ds_target_t *target)
{
    int mtd = -1;
    double best = INFINITY;
    for (int d = 0; d < scenario->n_levels; d++) {
        const double distance = fabs(scenario->p_dlt[d] - target->target);
        /* Closer by more than the rounding of decimals; a tie keeps the lower dose. */
        if (ds_target_band(target, scenario->p_dlt[d]) == DS_DOSE_ACCEPTABLE &&
            distance < best - DS_TARGET_EPS) {
            mtd = d;
            best = distance;
        }
    }
    return mtd;
}

static void set_nan(ds_accuracy_t *self)
{
    const double nan = NAN;
    self->pcs = self->pcs_se = self->prob_above = self->prob_above_se = nan;
    self->prob_below = self->prob_below_se = self->prob_none_acceptable = nan;
    self->prob_none_acceptable_se = self->mean_at = self->mean_at_se = nan;
    self->mean_below = self->mean_below_se = self->mean_above = self->mean_above_se = nan;
    self->prob_over_60 = self->prob_over_60_se = self->prob_over_80 = nan;
    self->prob_over_80_se = nan;
}

/* A probability's standard error: binomial over the trials, 0 for exact values. */
static double proportion_se(const ds_oc_t *oc, double p)
{
    if (isnan(p)) {
        return NAN;
    }
    return oc->method == DS_METHOD_EXACT ? 0.0 : sqrt(p * (1.0 - p) / (double)oc->n_trials);
}

/* A mean's standard error from its second moment: sqrt(Var / N), 0 for exact values. */
static double mean_se(const ds_oc_t *oc, double mean, double mean_sq)
{
    if (oc->method == DS_METHOD_EXACT) {
        return 0.0;
    }
    const double var = mean_sq - mean * mean;
    return var > 0.0 ? sqrt(var / (double)oc->n_trials) : 0.0;
}

int ds_accuracy_from_oc(ds_accuracy_t *self, const ds_oc_t *oc, const ds_scenario_t *scenario,
                        const ds_target_t *target, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    set_nan(self);
    self->target = *target;
    self->true_mtd = -1;
    int ret = ds_target_check(target, diag);
    if (ret != 0) {
        return ret;
    }
    const int n = scenario->n_levels;
    if (oc->n_levels != n || (oc->method == DS_METHOD_MC && oc->n_trials == 0)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "",
                           "accuracy of scenario '%s': characteristics of %d levels for %d, or "
                           "of no trials",
                           scenario->name, oc->n_levels, n);
    }
    const int mtd = ds_true_mtd(scenario, target);
    bool all_above = true, any_acceptable = false;
    int first_above = n;
    double above = 0.0, below = 0.0;
    for (int d = 0; d < n; d++) {
        const ds_dose_band_t band = ds_target_band(target, scenario->p_dlt[d]);
        all_above &= band == DS_DOSE_ABOVE;
        any_acceptable |= band == DS_DOSE_ACCEPTABLE;
        first_above = band == DS_DOSE_ABOVE && first_above == n ? d : first_above;
        above += band == DS_DOSE_ABOVE ? oc->prob_rp2d[d] : 0.0;
        below += band == DS_DOSE_BELOW ? oc->prob_rp2d[d] : 0.0;
    }
    self->exact = oc->method == DS_METHOD_EXACT;
    self->true_mtd = mtd;
    self->cut = mtd >= 0 ? mtd + 1 : first_above;
    self->pcs = mtd >= 0 ? oc->prob_rp2d[mtd] : all_above ? oc->prob_none : NAN;
    self->prob_above = fmin(above, 1.0); /* a sum of probabilities, in floating point */
    self->prob_below = fmin(below, 1.0);
    self->prob_none_acceptable = any_acceptable ? oc->prob_none : NAN;
    /* Patients: "above" from the cut up; "below" under the MTD (with none, under the cut). */
    const int low_end = mtd >= 0 ? mtd : self->cut;
    double mean_above = 0.0, mean_below = 0.0;
    for (int d = 0; d < n; d++) {
        mean_above += d >= self->cut ? oc->mean_treated[d] : 0.0;
        mean_below += d < low_end ? oc->mean_treated[d] : 0.0;
    }
    self->mean_at = mtd >= 0 ? oc->mean_treated[mtd] : 0.0;
    self->mean_above = mean_above;
    self->mean_below = mean_below;
    self->prob_over_60 = oc->prob_above_60[self->cut];
    self->prob_over_80 = oc->prob_above_80[self->cut];
    self->pcs_se = proportion_se(oc, self->pcs);
    self->prob_above_se = proportion_se(oc, self->prob_above);
    self->prob_below_se = proportion_se(oc, self->prob_below);
    self->prob_none_acceptable_se = proportion_se(oc, self->prob_none_acceptable);
    self->prob_over_60_se = proportion_se(oc, self->prob_over_60);
    self->prob_over_80_se = proportion_se(oc, self->prob_over_80);
    self->mean_at_se = mtd >= 0 ? mean_se(oc, self->mean_at, oc->mean_sq_at[mtd]) : 0.0;
    self->mean_above_se = mean_se(oc, mean_above, oc->mean_sq_above[self->cut]);
    self->mean_below_se = mean_se(oc, mean_below, oc->mean_sq_below[low_end]);
    return 0;
}

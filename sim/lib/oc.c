/* Operating characteristics derived from integer tallies (Monte Carlo) or
 * from exact probabilities. The sample-size summaries are computed in one
 * place, from the distribution of n, whichever method produced it. */
#include "dosesim/oc.h"
#include "dosesim/schema.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

void ds_oc_clear(ds_oc_t *self)
{
    memset(self, 0, sizeof(*self));
}

void ds_oc_free(ds_oc_t *self)
{
    free(self->prob_rp2d); /* the block every per-level array is in (ds_oc_init) */
    free(self->duration_prob);
    ds_oc_clear(self);
}

int ds_oc_init(ds_oc_t *self, int n_levels, int max_n)
{
    ds_oc_clear(self);
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS || max_n < 0) {
        return DS_ERR_BAD_PARAM;
    }
    const size_t k = (size_t)n_levels;
    self->n_levels = n_levels;
    self->max_n = max_n;
    /* One zeroed block for every array: a sweep or a file of many scenarios
     * makes one of these per scenario. */
    double *block = calloc(9 * k + 4 * (k + 1u) + (size_t)max_n + 1u, sizeof(double));
    if (block == NULL) {
        return DS_ERR_NOMEM;
    }
    double *next = block;
#define TAKE(field, count)                                                                         \
    do {                                                                                           \
        self->field = next;                                                                        \
        next += (count);                                                                           \
    } while (0)
    TAKE(prob_rp2d, k); /* first: ds_oc_free frees the block by it */
    TAKE(prob_rp2d_se, k);
    TAKE(prob_rp2d_lo, k);
    TAKE(prob_rp2d_hi, k);
    TAKE(mean_patients, k);
    TAKE(mean_dlt, k);
    TAKE(mean_treated, k);
    TAKE(mean_evaluable, k);
    TAKE(mean_sq_at, k);
    TAKE(prob_above_60, k + 1u);
    TAKE(prob_above_80, k + 1u);
    TAKE(mean_sq_above, k + 1u);
    TAKE(mean_sq_below, k + 1u);
    TAKE(n_prob, (size_t)max_n + 1u);
#undef TAKE
    return 0;
}

/* Smallest n whose cumulative probability reaches q. Exact sums carry rounding
 * error, so a cumulative value within 1e-12 of q counts as reaching it. */
static int quantile(const double *pmf, int max_n, double q)
{
    double cumulative = 0.0;
    for (int n = 0; n <= max_n; n++) {
        cumulative += pmf[n];
        if (pmf[n] > 0.0 && cumulative >= q - 1e-12) {
            return n;
        }
    }
    return max_n;
}

/* Summaries of the sample size from its distribution, given its mean (which
 * Monte Carlo computes from integer sums, so that it is exact before the one
 * division), whichever method produced them. */
static void derive_sample_size(ds_oc_t *self, double mean)
{
    self->min_n = -1;
    double var = 0.0;
    for (int n = 0; n <= self->max_n; n++) {
        if (self->n_prob[n] > 0.0) {
            self->min_n = self->min_n < 0 ? n : self->min_n;
            self->max_n_seen = n;
            var += (n - mean) * (n - mean) * self->n_prob[n];
        }
    }
    self->mean_n = mean;
    self->sd_n = sqrt(var);
    self->n_p10 = quantile(self->n_prob, self->max_n, 0.10);
    self->n_p50 = quantile(self->n_prob, self->max_n, 0.50);
    self->n_p90 = quantile(self->n_prob, self->max_n, 0.90);
}

/* Wilson score interval for a binomial proportion (Brown, Cai & DasGupta 2001):
 * unlike the Wald interval it stays inside [0, 1] and behaves at p near 0 or 1. */
static void wilson(uint64_t successes, uint64_t trials, double z, double *lo, double *hi)
{
    double n = (double)trials;
    double p = (double)successes / n;
    double z2n = z * z / n;
    double centre = (p + z2n / 2.0) / (1.0 + z2n);
    double half = z / (1.0 + z2n) * sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));
    *lo = successes == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = successes == trials ? 1.0 : fmin(1.0, centre + half);
}

static void estimate_proportion(uint64_t successes, uint64_t trials, double z, double *p,
                                double *se, double *lo, double *hi)
{
    double n = (double)trials;
    *p = (double)successes / n;
    *se = sqrt(*p * (1.0 - *p) / n);
    wilson(successes, trials, z, lo, hi);
}

/* Smallest duration bin whose cumulative count reaches q of the trials. */
static double duration_quantile(const uint64_t *hist, uint64_t trials, double q)
{
    uint64_t cumulative = 0;
    for (int k = 0; k < DS_DURATION_BINS; k++) {
        cumulative += hist[k];
        if (hist[k] > 0 && (double)cumulative >= q * (double)trials) {
            return ds_duration_bin_days(k);
        }
    }
    return ds_duration_bin_days(DS_DURATION_BINS - 1);
}

/* In doubles from correctly rounded sums, so that the same tally gives the same
 * bytes on every machine. */
static int derive_calendar(ds_oc_t *self, const ds_tally_t *tally)
{
    if (self->duration_prob == NULL) {
        self->duration_prob = calloc(DS_DURATION_BINS, sizeof(double));
        if (self->duration_prob == NULL) {
            return DS_ERR_NOMEM;
        }
    }
    const double n = (double)tally->count[DS_TALLY_TRIALS];
    const double unit = (double)DS_DURATION_UNITS_PER_DAY;
    double mean = ds_tally_wide(tally, DS_WIDE_DURATION) / n;
    double var = ds_tally_wide(tally, DS_WIDE_DURATION_SQUARES) / n - mean * mean;
    const uint64_t *hist = tally->count + ds_tally_duration_hist_at(tally);
    self->timed = true;
    self->mean_duration_days = mean / unit;
    self->sd_duration_days = var > 0.0 ? sqrt(var) / unit : 0.0;
    self->duration_p10 = duration_quantile(hist, tally->count[DS_TALLY_TRIALS], 0.10);
    self->duration_p50 = duration_quantile(hist, tally->count[DS_TALLY_TRIALS], 0.50);
    self->duration_p90 = duration_quantile(hist, tally->count[DS_TALLY_TRIALS], 0.90);
    self->mean_enrolled = ds_tally_wide(tally, DS_WIDE_ENROLLED) / n;
    self->mean_nonevaluable = ds_tally_wide(tally, DS_WIDE_NONEVALUABLE) / n;
    self->mean_turned_away = ds_tally_wide(tally, DS_WIDE_TURNED_AWAY) / n;
    self->mean_backfilled = ds_tally_wide(tally, DS_WIDE_BACKFILLED) / n;
    const double backfilled_var = ds_tally_wide(tally, DS_WIDE_BACKFILLED_SQUARES) / n -
                                  self->mean_backfilled * self->mean_backfilled;
    self->mean_backfilled_se = backfilled_var > 0.0 ? sqrt(backfilled_var / n) : 0.0;
    for (int k = 0; k < DS_DURATION_BINS; k++) {
        self->duration_prob[k] = (double)hist[k] / n;
    }
    return 0;
}

int ds_oc_from_tally(ds_oc_t *self, const ds_tally_t *tally)
{
    const uint64_t *c = tally->count;
    uint64_t trials = c[DS_TALLY_TRIALS];
    if (trials == 0 || tally->n_levels != self->n_levels || tally->max_n != self->max_n) {
        return DS_ERR_BAD_PARAM;
    }
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + DS_OC_CONFIDENCE / 2.0);
    const double n = (double)trials;
    self->method = DS_METHOD_MC;
    self->n_trials = trials;
    estimate_proportion(c[DS_TALLY_RP2D], trials, z, &self->prob_none, &self->prob_none_se,
                        &self->prob_none_lo, &self->prob_none_hi);
    const uint64_t *patients = c + ds_tally_patients_at(tally);
    const uint64_t *dlts = c + ds_tally_dlts_at(tally);
    for (int d = 0; d < self->n_levels; d++) {
        estimate_proportion(c[DS_TALLY_RP2D + 1 + d], trials, z, &self->prob_rp2d[d],
                            &self->prob_rp2d_se[d], &self->prob_rp2d_lo[d], &self->prob_rp2d_hi[d]);
        self->mean_patients[d] = (double)patients[d] / n;
        self->mean_dlt[d] = (double)dlts[d] / n;
        self->mean_evaluable[d] = self->mean_patients[d];
        self->mean_treated[d] = ds_tally_treated(tally, d) / n;
    }
    uint64_t dlt_sum = 0;
    for (int d = 0; d < self->n_levels; d++) {
        dlt_sum += dlts[d];
    }
    self->mean_dlt_total = (double)dlt_sum / n;
    const uint64_t *over60 = c + ds_tally_share_at(tally, DS_SHARE_60);
    const uint64_t *over80 = c + ds_tally_share_at(tally, DS_SHARE_80);
    for (int m = 0; m <= self->n_levels; m++) {
        self->prob_above_60[m] = (double)over60[m] / n;
        self->prob_above_80[m] = (double)over80[m] / n;
        self->mean_sq_above[m] =
            ds_tally_wide_value(tally, ds_tally_square_at(tally, DS_SQUARE_ABOVE, m)) / n;
        self->mean_sq_below[m] =
            ds_tally_wide_value(tally, ds_tally_square_at(tally, DS_SQUARE_BELOW, m)) / n;
    }
    for (int d = 0; d < self->n_levels; d++) {
        self->mean_sq_at[d] =
            ds_tally_wide_value(tally, ds_tally_square_at(tally, DS_SQUARE_AT, d)) / n;
    }
    const uint64_t *hist = c + ds_tally_hist_at(tally);
    /* Sum the patients as integers unless max_n * trials could overflow 64 bits
     * (a run far beyond any feasible size). */
    uint64_t bound;
    bool exact_sum = !__builtin_mul_overflow((uint64_t)self->max_n, trials, &bound);
    uint64_t n_sum = 0;
    double n_sum_approx = 0.0;
    for (int k = 0; k <= self->max_n; k++) {
        self->n_prob[k] = (double)hist[k] / n;
        n_sum += (uint64_t)k * hist[k];
        n_sum_approx += (double)k * (double)hist[k];
    }
    derive_sample_size(self, (exact_sum ? (double)n_sum : n_sum_approx) / n);
    self->mean_n_se = self->sd_n / sqrt(n);
    self->mean_evaluable_total = self->mean_n;
    self->mean_treated_total =
        tally->timed ? ds_tally_wide(tally, DS_WIDE_ENROLLED) / n : self->mean_n;
    return tally->timed ? derive_calendar(self, tally) : 0;
}

/* A probability summed in floating point may pass 1 (or 0) by a unit in the
 * last place; what is written is a probability. */
static double clamp_probability(double p)
{
    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

void ds_oc_finish_exact(ds_oc_t *self)
{
    self->method = DS_METHOD_EXACT;
    self->n_trials = 0;
    self->prob_none = clamp_probability(self->prob_none);
    for (int d = 0; d < self->n_levels; d++) {
        self->prob_rp2d[d] = clamp_probability(self->prob_rp2d[d]);
    }
    for (int n = 0; n <= self->max_n; n++) {
        self->n_prob[n] = clamp_probability(self->n_prob[n]);
    }
    for (int m = 0; m <= self->n_levels; m++) {
        self->prob_above_60[m] = clamp_probability(self->prob_above_60[m]);
        self->prob_above_80[m] = clamp_probability(self->prob_above_80[m]);
    }
    self->prob_none_se = 0.0;
    self->prob_none_lo = self->prob_none_hi = self->prob_none;
    self->mean_dlt_total = 0.0;
    for (int d = 0; d < self->n_levels; d++) {
        self->prob_rp2d_se[d] = 0.0;
        self->prob_rp2d_lo[d] = self->prob_rp2d_hi[d] = self->prob_rp2d[d];
        self->mean_dlt_total += self->mean_dlt[d];
    }
    double mean = 0.0;
    for (int n = 0; n <= self->max_n; n++) {
        mean += n * self->n_prob[n];
    }
    derive_sample_size(self, mean);
    self->mean_n_se = 0.0;
    for (int d = 0; d < self->n_levels; d++) {
        self->mean_treated[d] = self->mean_evaluable[d] = self->mean_patients[d];
    }
    self->mean_treated_total = self->mean_evaluable_total = self->mean_n;
}


const char *ds_method_name(ds_method_t method)
{
    return method == DS_METHOD_EXACT ? DS_METHOD_EXACT_NAME : DS_METHOD_MC_NAME;
}

void ds_oc_add_final_counts(ds_oc_t *oc, const int *patients, double prob)
{
    int n = 0;
    for (int d = 0; d < oc->n_levels; d++) {
        n += patients[d];
        oc->mean_sq_at[d] += prob * patients[d] * patients[d];
    }
    int above = 0;
    for (int m = oc->n_levels; m >= 0; m--) {
        above += m < oc->n_levels ? patients[m] : 0;
        const int below = n - above;
        oc->prob_above_60[m] += 5 * above > 3 * n ? prob : 0.0;
        oc->prob_above_80[m] += 5 * above > 4 * n ? prob : 0.0;
        oc->mean_sq_above[m] += prob * above * above;
        oc->mean_sq_below[m] += prob * below * below;
    }
}

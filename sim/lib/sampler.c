/* Outcome tables: thresholds[(level * (max_cohort + 1) + n) * stride + k] is
 * round(2^32 * P(X <= k)) for X ~ binomial(n, p_level), k = 0..n-1: a 32-bit
 * uniform u gives X = #{k : u >= threshold_k}. Held in 64 bits so that
 * P(X <= k) = 1 is 2^32, which no u reaches (p = 0 gives no DLT, exactly).
 * Entries k >= n are UINT64_MAX, so counting over the whole stride is the same. */
#include "dosesim/sampler.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define TWO_TO_32 4294967296.0

int ds_sampler_init(ds_sampler_t *self, const ds_scenario_t *scenario, int max_cohort)
{
    memset(self, 0, sizeof(*self));
    self->n_levels = scenario->n_levels;
    self->max_cohort = max_cohort;
    self->stride = max_cohort > DS_SAMPLER_FAST_STRIDE ? max_cohort : DS_SAMPLER_FAST_STRIDE;
    size_t len = ds_sampler_offset(self, self->n_levels, 0);
    self->thresholds = malloc(len * sizeof(*self->thresholds));
    self->patient_threshold = malloc((size_t)self->n_levels * sizeof(*self->patient_threshold));
    if (self->thresholds == NULL || self->patient_threshold == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int level = 0; level < self->n_levels; level++) {
        /* Probabilities in [0, 1] (the scenario's check): GSL signals nothing here. */
        double p = scenario->p_dlt[level];
        for (int n = 0; n <= self->max_cohort; n++) {
            uint64_t *t = self->thresholds + ds_sampler_offset(self, level, n);
            for (int k = 0; k < self->stride; k++) {
                t[k] = UINT64_MAX;
            }
            double cdf = 0.0;
            for (int k = 0; k < n; k++) {
                cdf += gsl_ran_binomial_pdf((unsigned int)k, p, (unsigned int)n);
                double scaled = nearbyint(cdf * TWO_TO_32);
                t[k] = scaled >= TWO_TO_32 ? UINT64_C(1) << 32 : (uint64_t)scaled;
            }
        }
        /* A cohort of one: its single threshold, P(no DLT). */
        self->patient_threshold[level] = self->thresholds[ds_sampler_offset(self, level, 1)];
    }
    return 0;
}

void ds_sampler_free(ds_sampler_t *self)
{
    free(self->thresholds);
    free(self->patient_threshold);
    memset(self, 0, sizeof(*self));
}

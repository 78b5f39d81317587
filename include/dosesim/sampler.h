/**
 * @file sampler.h
 * @brief The one place outcomes are drawn: a cohort's DLT count, or one
 *        patient's DLT, from one 32-bit PCG32 draw.
 *
 * A cohort's DLT count is its uniform against the binomial(n, p) distribution
 * function, held as 32-bit fixed-point thresholds, so a cohort's outcome
 * probabilities are exact to within 2^-33 (p = 0 and p = 1 exactly). One
 * patient (a cohort of one) has a DLT if the draw reaches round(2^32 (1 - p)).
 */
#ifndef DOSESIM_SAMPLER_H
#define DOSESIM_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "dosesim/error.h"
#include "dosesim/scenario.h"

/** Thresholds for cohorts of up to 4 fit one fixed stride: four compares, no loop. */
#define DS_SAMPLER_FAST_STRIDE 4

/** The outcome tables of a scenario, for cohorts of up to max_cohort. */
typedef struct {
    int n_levels;
    int max_cohort;
    int stride;                  /**< thresholds per (level, cohort size) */
    uint64_t *thresholds;        /**< see sampler.c */
    uint64_t *patient_threshold; /**< [n_levels] one patient's: a DLT if the draw reaches it */
} ds_sampler_t;

/**
 * @brief Tables for the scenario's levels and cohorts of 1..max_cohort. Safe to
 *        free afterwards whatever it returns.
 * @return 0; DS_ERR_NOMEM.
 */
int ds_sampler_init(ds_sampler_t *self, const ds_scenario_t *scenario,
                    int max_cohort) DS_WARN_UNUSED;

/** Free the tables; the struct then holds nothing. */
void ds_sampler_free(ds_sampler_t *self);

/** Offset of the thresholds of a cohort of n at level. */
static inline uint32_t ds_sampler_offset(const ds_sampler_t *self, int level, int n)
{
    return (uint32_t)(((uint32_t)level * ((uint32_t)self->max_cohort + 1u) + (uint32_t)n) *
                      (uint32_t)self->stride);
}

/** The DLTs in a cohort of n whose thresholds are at offset, for the draw u. */
static inline int ds_sampler_dlts(const ds_sampler_t *self, uint32_t offset, int n, uint64_t u)
{
    const uint64_t *t = self->thresholds + offset;
    if (self->stride == DS_SAMPLER_FAST_STRIDE) {
        return (u >= t[0]) + (u >= t[1]) + (u >= t[2]) + (u >= t[3]);
    }
    int dlt = 0;
    for (int k = 0; k < n; k++) {
        dlt += u >= t[k];
    }
    return dlt;
}

/** Whether one patient at level has a DLT, for the draw u. */
static inline bool ds_sampler_patient_dlt(const ds_sampler_t *self, int level, uint64_t u)
{
    return u >= self->patient_threshold[level];
}

#endif

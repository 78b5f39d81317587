/**
 * @file tally.h
 * @brief The integer counters of a Monte Carlo run, and their exact merge.
 *
 * A tally is a flat vector of 64-bit counters, so that threads, MPI ranks and
 * shards combine by plain integer addition: the merged tally, and therefore
 * every number derived from it, does not depend on how the work was split.
 */
#ifndef DOSESIM_TALLY_H
#define DOSESIM_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"

/** Counters of one scenario's trials. Read them through the accessors below. */
typedef struct {
    int n_levels;
    int max_n;       /**< the largest possible sample size */
    size_t len;      /**< number of counters */
    uint64_t *count; /**< [len] */
} ds_tally_t;

/* Layout of count[]: fixed slots, then per-level and per-sample-size blocks. */
#define DS_TALLY_TRIALS 0 /**< trials run */
#define DS_TALLY_RP2D 1   /**< [n_levels + 1]: no RP2D, then each level */

/** Zero the struct so that ds_tally_free() is always safe. */
void ds_tally_init_empty(ds_tally_t *self);

/** Allocate zeroed counters for n_levels levels and sample sizes 0..max_n. */
int ds_tally_init(ds_tally_t *self, int n_levels, int max_n) DS_WARN_UNUSED;

void ds_tally_free(ds_tally_t *self);

/** Set every counter to zero. */
void ds_tally_clear(ds_tally_t *self);

/**
 * @brief Add src's counters into dst.
 * @return 0; DS_ERR_INCOMPATIBLE if the shapes differ; DS_ERR_OVERFLOW (dst unchanged).
 */
int ds_tally_merge(ds_tally_t *dst, const ds_tally_t *src) DS_WARN_UNUSED;

/** Index of the patients-per-level block. */
static inline size_t ds_tally_patients_at(const ds_tally_t *self)
{
    return (size_t)DS_TALLY_RP2D + (size_t)self->n_levels + 1u;
}

/** Index of the DLTs-per-level block. */
static inline size_t ds_tally_dlts_at(const ds_tally_t *self)
{
    return ds_tally_patients_at(self) + (size_t)self->n_levels;
}

/** Index of the sample-size histogram (counts of trials with n = 0..max_n). */
static inline size_t ds_tally_hist_at(const ds_tally_t *self)
{
    return ds_tally_dlts_at(self) + (size_t)self->n_levels;
}

/**
 * @brief Count one finished trial; rp2d is its selected level (0-based) or -1.
 */
static inline void ds_tally_add_trial(ds_tally_t *self, const ds_trial_t *trial, int rp2d)
{
    uint64_t *c = self->count;
    c[DS_TALLY_TRIALS]++;
    c[DS_TALLY_RP2D + 1 + rp2d]++;
    uint64_t *patients = c + ds_tally_patients_at(self);
    uint64_t *dlts = c + ds_tally_dlts_at(self);
    for (int d = 0; d < trial->n_levels; d++) {
        patients[d] += (uint64_t)trial->patients[d];
        dlts[d] += (uint64_t)trial->dlts[d];
    }
    c[ds_tally_hist_at(self) + (size_t)trial->n_total]++;
}

#endif

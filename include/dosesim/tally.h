/**
 * @file tally.h
 * @brief The integer counters of a Monte Carlo run, and their exact merge.
 *
 * A tally is a flat vector of 64-bit counters, so that threads, MPI ranks and
 * shards combine by plain element-wise addition: the merged tally, and every
 * number derived from it, does not depend on how the work was split.
 *
 * With calendar time, sums that could outgrow 64 bits (days, their squares,
 * patients enrolled, in total and per level) are wide counters: 128-bit
 * values held as four 32-bit limbs, each in a 64-bit counter. Element-wise
 * addition of normalised limbs cannot overflow (for fewer than 2^32 addends),
 * and ds_tally_normalize() then carries between limbs; the value is exact.
 *
 * Patients: the patients-per-level block and the sample-size histogram count
 * the evaluable patients, what the rules count (ds_trial_t.patients, n_total);
 * with calendar time the treated ones, the not evaluable included, are counted
 * too (the enrolled wide counter, and one per level), so that per level
 * treated = evaluable + not evaluable, and in total DS_WIDE_ENROLLED =
 * DS_WIDE_NONEVALUABLE + the sum of the patients block
 * (ds_tally_counts_agree). Without calendar time treated = evaluable.
 */
#ifndef DOSESIM_TALLY_H
#define DOSESIM_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/timing.h"

/** Counters of one scenario's trials. Read them through the accessors below. */
typedef struct {
    int n_levels;
    int max_n;       /**< the largest possible sample size */
    bool timed;      /**< with calendar-time counters */
    size_t len;      /**< number of counters */
    uint64_t *count; /**< [len] */
} ds_tally_t;

/* Layout of count[]: fixed slots, then per-level and per-sample-size blocks. */
#define DS_TALLY_TRIALS 0 /**< trials run */
#define DS_TALLY_RP2D 1   /**< [n_levels + 1]: no RP2D, then each level */

/* The calendar-time block (timed tallies only): wide sums, a histogram, then
 * the patients treated at each level (a wide counter per level). */
enum {
    DS_WIDE_DURATION = 0,     /**< trial durations, in DS_DURATION_UNITS_PER_DAY */
    DS_WIDE_DURATION_SQUARES, /**< their squares */
    DS_WIDE_ENROLLED,         /**< patients treated, the not evaluable included */
    DS_WIDE_NONEVALUABLE,     /**< patients who left the window early without a DLT */
    DS_WIDE_TURNED_AWAY,
    DS_N_WIDE
};
#define DS_WIDE_LIMBS 4
/** Durations are counted in thousandths of a day (86.4 s), and capped at 2^32 - 1 of them. */
#define DS_DURATION_UNITS_PER_DAY 1000
/** Duration histogram: bin k holds durations in [b r^k, b r^(k+1)), b = 0.01 day, r = 1.001. */
#define DS_DURATION_BINS 32768
#define DS_DURATION_BIN_BASE_DAYS 0.01
#define DS_DURATION_BIN_RATIO 1.001

/** Hold nothing (zero the struct), so that ds_tally_free() is safe before any init. */
void ds_tally_clear(ds_tally_t *self);

/** Allocate zeroed counters for n_levels levels, sample sizes 0..max_n, and calendar time if timed;
 *  safe to free whatever it returns.
 */
int ds_tally_init(ds_tally_t *self, int n_levels, int max_n, bool timed) DS_WARN_UNUSED;

/** Free the counters; the struct then holds nothing. */
void ds_tally_free(ds_tally_t *self);

/** Set every counter to zero. */
void ds_tally_reset(ds_tally_t *self);

/**
 * @brief Add src's counters into dst (and normalise the wide counters).
 * @return 0; DS_ERR_INCOMPATIBLE if the shapes differ; DS_ERR_OVERFLOW (dst unchanged).
 */
int ds_tally_merge(ds_tally_t *dst, const ds_tally_t *src) DS_WARN_UNUSED;

/** Carry between the limbs of the wide counters (after element-wise sums, e.g. MPI_SUM). */
void ds_tally_normalize(ds_tally_t *self);

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

/** Index of wide counter `which` (DS_WIDE_*), timed tallies only. */
static inline size_t ds_tally_wide_at(const ds_tally_t *self, int which)
{
    return ds_tally_hist_at(self) + (size_t)self->max_n + 1u + (size_t)which * DS_WIDE_LIMBS;
}

/** Index of the duration histogram, timed tallies only. */
static inline size_t ds_tally_duration_hist_at(const ds_tally_t *self)
{
    return ds_tally_wide_at(self, DS_N_WIDE);
}

/** Index of the wide counter of patients treated at level (0-based), timed tallies only. */
static inline size_t ds_tally_treated_at(const ds_tally_t *self, int level)
{
    return ds_tally_duration_hist_at(self) + DS_DURATION_BINS + (size_t)level * DS_WIDE_LIMBS;
}

/**
 * @brief A wide counter's value as a double: correctly rounded (so the same on
 *        every machine) up to 2^64, beyond that as close as a long double gets.
 */
double ds_tally_wide(const ds_tally_t *self, int which);

/** Patients treated at level (0-based), summed over the trials, as ds_tally_wide gives
 *  a wide counter; without calendar time, the patients block's count (treated = evaluable). */
double ds_tally_treated(const ds_tally_t *self, int level);

/**
 * @brief Whether the patient counters agree with one another: with calendar time,
 *        the patients treated at the levels add up to DS_WIDE_ENROLLED, and to
 *        DS_WIDE_NONEVALUABLE plus the evaluable patients of the patients block.
 *        Always true without calendar time. (A check of shards against corruption.)
 */
bool ds_tally_counts_agree(const ds_tally_t *self);

/** A duration in counting units (thousandths of a day, rounded and capped). */
uint64_t ds_duration_units(double days);

/** A duration as per-trial rows and traces print it: in counting units, exactly ("158.932"). */
void ds_format_duration(double days, char *buf, size_t size);

/** The duration-histogram bin of a duration in counting units. */
int ds_duration_bin(uint64_t units);

/** The duration, in days, that stands for bin k: the geometric middle of the
 *  bin, or for bin 0, [0, its upper edge), the arithmetic one. */
double ds_duration_bin_days(int bin);

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

/** Count a trial's calendar (timed tallies only, alongside ds_tally_add_trial). */
void ds_tally_add_calendar(ds_tally_t *self, const ds_calendar_t *calendar);

#endif

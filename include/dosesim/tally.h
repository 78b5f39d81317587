/**
 * @file tally.h
 * @brief The integer counters of a Monte Carlo run, and their exact merge.
 *
 * A tally is a flat vector of 64-bit counters, so that threads, MPI ranks and
 * shards combine by plain element-wise addition: the merged tally, and every
 * number derived from it, does not depend on how the work was split.
 *
 * Sums that could outgrow 64 bits (squares of patient counts; with calendar
 * time days, their squares, patients enrolled, in total and per level) are wide counters: 128-bit
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
 *
 * The accuracy counters (ds_tally_add_exposure) know no target DLT rate: they
 * count, for every cut m = 0..n_levels (the levels >= m "above" it), the
 * trials whose patients above the cut are more than 60% and more than 80% of
 * their patients, and the sums of squares of the patients above and below
 * each cut and at each dose. Any target's true MTD picks its cut afterwards
 * (accuracy.h), so that shards stay target-free and merge exactly.
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

/* The accuracy block: share counts, then wide sums of squares (every tally). */
enum {
    DS_SHARE_60 = 0, /**< [n_levels + 1] trials with patients at levels >= m > 60% of theirs */
    DS_SHARE_80,     /**< [n_levels + 1] ... > 80% of theirs */
    DS_N_SHARES
};
enum {
    DS_SQUARE_ABOVE = 0, /**< [n_levels + 1] sum of (patients at levels >= m)^2 */
    DS_SQUARE_BELOW,     /**< [n_levels + 1] sum of (patients at levels < m)^2 */
    DS_SQUARE_AT,        /**< [n_levels] sum of patients[d]^2 */
    DS_N_SQUARES
};

/* The calendar-time block (timed tallies only): wide sums, a histogram, then
 * the patients treated at each level (a wide counter per level). */
enum {
    DS_WIDE_DURATION = 0,     /**< trial durations, in DS_DURATION_UNITS_PER_DAY */
    DS_WIDE_DURATION_SQUARES, /**< their squares */
    DS_WIDE_ENROLLED,         /**< patients treated, the not evaluable included */
    DS_WIDE_NONEVALUABLE,     /**< patients who left the window early without a DLT */
    DS_WIDE_TURNED_AWAY,
    DS_WIDE_BACKFILLED,         /**< patients backfilled (backfill.h) */
    DS_WIDE_BACKFILLED_SQUARES, /**< their squares, trial by trial */
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

/** Carry between the limbs of the wide counters (after element-wise sums, e.g. MPI_SUM,
 *  and after trials counted one at a time). */
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

/** Index of share count block `which` (DS_SHARE_*): n_levels + 1 counters, one per cut. */
static inline size_t ds_tally_share_at(const ds_tally_t *self, int which)
{
    return ds_tally_hist_at(self) + (size_t)self->max_n + 1u +
           (size_t)which * ((size_t)self->n_levels + 1u);
}

/** Index of the wide sum of squares `which` (DS_SQUARE_*) at cut or dose k (its first limb). */
static inline size_t ds_tally_square_at(const ds_tally_t *self, int which, int k)
{
    const size_t cuts = (size_t)self->n_levels + 1u;
    return ds_tally_share_at(self, DS_N_SHARES) +
           ((size_t)which * cuts + (size_t)k) * DS_WIDE_LIMBS;
}

/** Index just past the accuracy block. */
static inline size_t ds_tally_accuracy_end(const ds_tally_t *self)
{
    return ds_tally_square_at(self, DS_SQUARE_AT, self->n_levels);
}

/** Index of wide counter `which` (DS_WIDE_*), timed tallies only. */
static inline size_t ds_tally_wide_at(const ds_tally_t *self, int which)
{
    return ds_tally_accuracy_end(self) + (size_t)which * DS_WIDE_LIMBS;
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
/** The wide counter whose first limb is count[at], as ds_tally_wide() gives it. */
double ds_tally_wide_value(const ds_tally_t *self, size_t at);

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
 * @brief The per-dose patient counts the accuracy counters read from a finished trial.
 *
 * The one place that says which counts those are: the patients treated at
 * each dose (ds_trial_t.treated, the not evaluable included, as the means
 * of accuracy.h and the columns mean_n_treated_*_mtd count them). The
 * engine's tree records each leaf's counts through it too (tree.c); its timed
 * walks, whose leaves hold places, count each trial's calendar instead.
 */
static inline const int *ds_trial_exposure(const ds_trial_t *trial)
{
    return trial->treated;
}

/** Add trials times v to the wide counter at limb, carrying (normalised stays normalised). */
void ds_tally_wide_add_product(uint64_t *limb, uint64_t trials, uint64_t v);

/**
 * @brief Count the accuracy counters of `trials` trials that ended with these
 *        per-dose patient counts: one pass over the levels.
 *
 * With trials == 1 (a trial at a time) the sums of squares go into their wide
 * counters' first limb without carrying, as plain counters do (a square is
 * below 2^28, so 2^36 trials fit); ds_tally_normalize() carries, and the
 * engine calls it after every block. With more (the tree's leaves) it carries
 * at once.
 */
#if defined(__GNUC__)
#define DS_ALWAYS_INLINE __attribute__((always_inline))
#else
#define DS_ALWAYS_INLINE
#endif

static inline DS_ALWAYS_INLINE void ds_tally_add_exposure(ds_tally_t *self, const int *patients,
                                                          uint64_t trials)
{
    /* Inlined always, so that a trial at a time (trials a constant 1) costs no
     * multiplication and no branch. */
    const int levels = self->n_levels;
    uint64_t *c = self->count;
    uint64_t *over60 = c + ds_tally_share_at(self, DS_SHARE_60);
    uint64_t *over80 = c + ds_tally_share_at(self, DS_SHARE_80);
    uint64_t *above_sq = c + ds_tally_square_at(self, DS_SQUARE_ABOVE, 0);
    uint64_t *below_sq = c + ds_tally_square_at(self, DS_SQUARE_BELOW, 0);
    uint64_t *at_sq = c + ds_tally_square_at(self, DS_SQUARE_AT, 0);
    uint64_t n = 0;
    for (int d = 0; d < levels; d++) {
        const uint64_t p = (uint64_t)patients[d];
        n += p;
        if (trials == 1u) {
            at_sq[(size_t)d * DS_WIDE_LIMBS] += p * p;
        } else {
            ds_tally_wide_add_product(at_sq + (size_t)d * DS_WIDE_LIMBS, trials, p * p);
        }
    }
    uint64_t above = 0; /* at levels >= m, from the top cut down */
    for (int m = levels;; m--) {
        const uint64_t below = n - above;
        const size_t at = (size_t)m * DS_WIDE_LIMBS;
        /* More than 60% (80%) above, in integers: 5 above > 3 n (4 n). */
        over60[m] += trials * (uint64_t)(5u * above > 3u * n);
        over80[m] += trials * (uint64_t)(5u * above > 4u * n);
        if (trials == 1u) {
            above_sq[at] += above * above;
            below_sq[at] += below * below;
        } else {
            ds_tally_wide_add_product(above_sq + at, trials, above * above);
            ds_tally_wide_add_product(below_sq + at, trials, below * below);
        }
        if (m == 0) {
            break;
        }
        above += (uint64_t)patients[m - 1];
    }
}

/**
 * @brief Count one finished trial; rp2d is its selected level (0-based) or -1.
 *        The sums of squares are left for ds_tally_normalize() to carry
 *        (ds_tally_add_exposure).
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
    ds_tally_add_exposure(self, ds_trial_exposure(trial), 1u);
}

/** Count a trial's calendar (timed tallies only, alongside ds_tally_add_trial). */
void ds_tally_add_calendar(ds_tally_t *self, const ds_calendar_t *calendar);

#endif

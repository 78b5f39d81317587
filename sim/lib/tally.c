/* Integer tallies: the only thing threads, ranks and shards ever exchange. */
#include "dosesim/tally.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMB_MASK UINT64_C(0xffffffff)

void ds_tally_clear(ds_tally_t *self)
{
    memset(self, 0, sizeof(*self));
}

int ds_tally_init(ds_tally_t *self, int n_levels, int max_n, bool timed)
{
    ds_tally_clear(self);
    /* No trial has more patients than the levels' limits allow (a design's and a
     * full backfill's at each level): a square then fits 2^28. */
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS || max_n < 0 ||
        max_n > n_levels * DS_MAX_PATIENTS_AT_LEVEL) {
        return DS_ERR_BAD_PARAM;
    }
    self->n_levels = n_levels;
    self->max_n = max_n;
    self->timed = timed;
    self->len =
        timed ? ds_tally_treated_at(self, n_levels) : ds_tally_accuracy_end(self);
    self->count = calloc(self->len, sizeof(*self->count));
    if (self->count == NULL) {
        ds_tally_clear(self);
        return DS_ERR_NOMEM;
    }
    return 0;
}

void ds_tally_free(ds_tally_t *self)
{
    free(self->count);
    ds_tally_clear(self);
}

void ds_tally_reset(ds_tally_t *self)
{
    if (self->count != NULL) {
        memset(self->count, 0, self->len * sizeof(*self->count));
    }
}

/* Carry between the limbs of one wide counter. */
static void normalize_wide(uint64_t *limb)
{
    for (int i = 0; i + 1 < DS_WIDE_LIMBS; i++) {
        limb[i + 1] += limb[i] >> 32;
        limb[i] &= LIMB_MASK;
    }
}

void ds_tally_normalize(ds_tally_t *self)
{
    if (self->count == NULL) {
        return;
    }
    /* The sums of squares, then the calendar's sums: every wide counter. */
    const size_t squares = ds_tally_square_at(self, DS_SQUARE_ABOVE, 0);
    for (size_t at = squares; at < ds_tally_accuracy_end(self); at += DS_WIDE_LIMBS) {
        normalize_wide(self->count + at);
    }
    for (int w = 0; self->timed && w < DS_N_WIDE; w++) {
        normalize_wide(self->count + ds_tally_wide_at(self, w));
    }
    for (int d = 0; self->timed && d < self->n_levels; d++) {
        normalize_wide(self->count + ds_tally_treated_at(self, d));
    }
}

int ds_tally_merge(ds_tally_t *dst, const ds_tally_t *src)
{
    if (dst->n_levels != src->n_levels || dst->max_n != src->max_n || dst->timed != src->timed ||
        dst->len != src->len) {
        return DS_ERR_INCOMPATIBLE;
    }
    for (size_t i = 0; i < dst->len; i++) {
        uint64_t sum;
        if (__builtin_add_overflow(dst->count[i], src->count[i], &sum)) {
            return DS_ERR_OVERFLOW;
        }
    }
    for (size_t i = 0; i < dst->len; i++) {
        dst->count[i] += src->count[i];
    }
    ds_tally_normalize(dst);
    return 0;
}

/* A normalised wide counter's value as a double (see ds_tally_wide). */
static double wide_value(const uint64_t *limb)
{
    if (limb[2] == 0 && limb[3] == 0) {
        /* One conversion of an exact 64-bit integer: the same double everywhere
         * (long double arithmetic is not: valgrind, for one, does it in double). */
        return (double)(limb[1] << 32 | limb[0]);
    }
    long double value = 0.0L;
    for (int i = DS_WIDE_LIMBS - 1; i >= 0; i--) {
        value = value * 4294967296.0L + (long double)limb[i];
    }
    return (double)value;
}

double ds_tally_wide(const ds_tally_t *self, int which)
{
    return ds_tally_wide_value(self, ds_tally_wide_at(self, which));
}

double ds_tally_wide_value(const ds_tally_t *self, size_t at)
{
    /* A normalised copy: trials counted one at a time leave the first limb uncarried. */
    uint64_t limb[DS_WIDE_LIMBS];
    memcpy(limb, self->count + at, sizeof(limb));
    normalize_wide(limb);
    return wide_value(limb);
}

double ds_tally_treated(const ds_tally_t *self, int level)
{
    if (!self->timed) {
        return (double)self->count[ds_tally_patients_at(self) + (size_t)level];
    }
    return ds_tally_wide_value(self, ds_tally_treated_at(self, level));
}

/* Add v to the n limbs of a normalised wide counter, keeping them normalised. */
static void limbs_add(uint64_t *limb, int n, uint64_t v)
{
    uint64_t carry = v;
    for (int i = 0; i + 1 < n && carry != 0; i++) {
        uint64_t sum = limb[i] + (carry & LIMB_MASK);
        limb[i] = sum & LIMB_MASK;
        carry = (carry >> 32) + (sum >> 32);
    }
    limb[n - 1] += carry;
}

static void wide_add(uint64_t *limb, uint64_t v)
{
    limbs_add(limb, DS_WIDE_LIMBS, v);
}

void ds_tally_wide_add_product(uint64_t *limb, uint64_t trials, uint64_t v)
{
    /* trials * v in two halves, each below 2^64 for v < 2^32; the high one a limb up. */
    limbs_add(limb, DS_WIDE_LIMBS, (trials & LIMB_MASK) * v);
    limbs_add(limb + 1, DS_WIDE_LIMBS - 1, (trials >> 32) * v);
}

uint64_t ds_duration_units(double days)
{
    double units = nearbyint(days * (double)DS_DURATION_UNITS_PER_DAY);
    /* Capped so that a square fits 64 bits (DS_MAX_DURATION_DAYS; ds_calendar_finish
     * refuses longer trials, so the cap is only a last guard). */
    return units <= 0.0 ? 0u : units >= 4294967295.0 ? UINT64_C(4294967295) : (uint64_t)units;
}

void ds_format_duration(double days, char *buf, size_t size)
{
    _Static_assert(DS_DURATION_UNITS_PER_DAY == 1000, "durations print with 3 decimals");
    uint64_t units = ds_duration_units(days);
    snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, units / 1000u, units % 1000u);
}

int ds_duration_bin(uint64_t units)
{
    double days = (double)units / (double)DS_DURATION_UNITS_PER_DAY;
    if (days < DS_DURATION_BIN_BASE_DAYS) {
        return 0;
    }
    double k = floor(log(days / DS_DURATION_BIN_BASE_DAYS) / log(DS_DURATION_BIN_RATIO));
    return k >= DS_DURATION_BINS - 1 ? DS_DURATION_BINS - 1 : (int)k;
}

double ds_duration_bin_days(int bin)
{
    if (bin == 0) {
        return 0.5 * DS_DURATION_BIN_BASE_DAYS * DS_DURATION_BIN_RATIO;
    }
    return DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, bin + 0.5);
}

void ds_tally_add_calendar(ds_tally_t *self, const ds_calendar_t *calendar)
{
    uint64_t units = ds_duration_units(calendar->clock);
    uint64_t *c = self->count;
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_DURATION), units);
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_DURATION_SQUARES), units * units);
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_ENROLLED), calendar->enrolled);
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_NONEVALUABLE), calendar->nonevaluable);
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_TURNED_AWAY), calendar->turned_away);
    const uint64_t backfilled = calendar->backfilled;
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_BACKFILLED), backfilled);
    wide_add(c + ds_tally_wide_at(self, DS_WIDE_BACKFILLED_SQUARES), backfilled * backfilled);
    c[ds_tally_duration_hist_at(self) + (size_t)ds_duration_bin(units)]++;
    const int levels = calendar->n_levels < self->n_levels ? calendar->n_levels : self->n_levels;
    for (int d = 0; d < levels; d++) {
        if (calendar->enrolled_at[d] != 0) {
            wide_add(c + ds_tally_treated_at(self, d), calendar->enrolled_at[d]);
        }
    }
}

/* sum += the wide counter at limb (both normalised, sum kept so). */
static void wide_sum(uint64_t *sum, const uint64_t *limb)
{
    for (int i = 0; i < DS_WIDE_LIMBS; i++) {
        sum[i] += limb[i];
    }
    normalize_wide(sum);
}

bool ds_tally_counts_agree(const ds_tally_t *self)
{
    if (!self->timed) {
        return true;
    }
    /* Sums of normalised limbs, each below 2^32 after every step: no overflow. */
    uint64_t treated[DS_WIDE_LIMBS] = {0}, accounted[DS_WIDE_LIMBS] = {0};
    const uint64_t *patients = self->count + ds_tally_patients_at(self);
    for (int d = 0; d < self->n_levels; d++) {
        wide_sum(treated, self->count + ds_tally_treated_at(self, d));
        uint64_t evaluable[DS_WIDE_LIMBS] = {patients[d] & LIMB_MASK, patients[d] >> 32, 0, 0};
        wide_sum(accounted, evaluable);
    }
    wide_sum(accounted, self->count + ds_tally_wide_at(self, DS_WIDE_NONEVALUABLE));
    const uint64_t *enrolled = self->count + ds_tally_wide_at(self, DS_WIDE_ENROLLED);
    return memcmp(treated, enrolled, sizeof(treated)) == 0 &&
           memcmp(accounted, enrolled, sizeof(accounted)) == 0;
}

/* PCG32, XSH-RR variant: 64-bit LCG state, 32-bit permuted output.
 *
 * M. E. O'Neill, "PCG: A Family of Simple Fast Space-Efficient Statistically
 * Good Algorithms for Random Number Generation", Harvey Mudd College
 * HMC-CS-2014-0905 (2014); jump-ahead by F. B. Brown, "Random Number Generation
 * with Arbitrary Stride", Trans. Am. Nucl. Soc. 71 (1994) 202.
 *
 * Known answer (tests/test_rng.c): seeded with (42, 54) the first outputs are
 * 0xa15c02b7 0x7b47f409 0xba1d3330 0x83d2f293 0xbfa4784b 0xcbed606e. */
#include "dosesim/rng.h"

void ds_rng_seed(ds_rng_t *self, uint64_t initstate, uint64_t initseq)
{
    self->state = 0u;
    self->inc = (initseq << 1u) | 1u;
    (void)ds_rng_next(self);
    self->state += initstate;
    (void)ds_rng_next(self);
}

uint64_t ds_rng_mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

void ds_rng_seed_apart(ds_rng_t *self, uint64_t seed, uint64_t initseq)
{
    ds_rng_seed(self, ds_rng_mix64(seed ^ ds_rng_mix64(initseq)), initseq);
}

uint32_t ds_rng_bounded(ds_rng_t *self, uint32_t bound)
{
    if (bound == 0u) {
        return 0u;
    }
    /* Reject the lowest (2^32 mod bound) outputs so every residue is equally likely. */
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t r = ds_rng_next(self);
        if (r >= threshold) {
            return r % bound;
        }
    }
}

void ds_rng_advance(ds_rng_t *self, uint64_t delta)
{
    /* x_{n+d} = A x_n + C, with (A, C) built by squaring the one-step map. */
    uint64_t cur_mult = DS_RNG_MULTIPLIER;
    uint64_t cur_plus = self->inc;
    uint64_t acc_mult = 1u;
    uint64_t acc_plus = 0u;
    while (delta > 0u) {
        if (delta & 1u) {
            acc_mult *= cur_mult;
            acc_plus = acc_plus * cur_mult + cur_plus;
        }
        cur_plus = (cur_mult + 1u) * cur_plus;
        cur_mult *= cur_mult;
        delta >>= 1u;
    }
    self->state = acc_mult * self->state + acc_plus;
}

/* The gsl_rng_type table, after GSL's own generators (rng/taus.c). */
static void pcg32_gsl_set(void *state, unsigned long int seed)
{
    ds_rng_seed(state, (uint64_t)seed, 0u);
}

static unsigned long int pcg32_gsl_get(void *state)
{
    return ds_rng_next(state);
}

static double pcg32_gsl_get_double(void *state)
{
    return ds_rng_uniform(state);
}

static const gsl_rng_type pcg32_gsl_type = {
    "pcg32",        0xffffffffUL,          0UL, sizeof(ds_rng_t), &pcg32_gsl_set,
    &pcg32_gsl_get, &pcg32_gsl_get_double,
};

const gsl_rng_type *const ds_gsl_rng_pcg32 = &pcg32_gsl_type;

ds_rng_t *ds_rng_of_gsl(gsl_rng *r)
{
    return r->state;
}

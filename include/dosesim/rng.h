/**
 * @file rng.h
 * @brief PCG32 (XSH-RR, 64-bit state, 32-bit output) and its GSL face.
 *
 * Written here from the published algorithm: M. E. O'Neill, "PCG: A Family of
 * Simple Fast Space-Efficient Statistically Good Algorithms for Random Number
 * Generation", HMC-CS-2014-0905 (2014), with jump-ahead after F. B. Brown,
 * "Random Number Generation with Arbitrary Stride", Trans. Am. Nucl. Soc. (1994).
 *
 * A generator is the pair (state, inc) with inc odd; (initstate, initseq)
 * picks the starting point and one of 2^63 streams, exactly as pcg32_srandom_r.
 */
#ifndef DOSESIM_RNG_H
#define DOSESIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/** PCG32 state: the LCG state and its (odd) increment, which selects the stream. */
typedef struct {
    uint64_t state;
    uint64_t inc;
} ds_rng_t;

/** The LCG multiplier of PCG's 64-bit generators. */
#define DS_RNG_MULTIPLIER 6364136223846793005ULL

/** Seed with a starting state and a stream number (pcg32_srandom_r). */
void ds_rng_seed(ds_rng_t *self, uint64_t initstate, uint64_t initseq);

/**
 * @brief SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable
 *        pseudorandom number generators", OOPSLA 2014): a bijection of 64 bits
 *        whose every output bit depends on every input bit.
 */
uint64_t ds_rng_mix64(uint64_t x);

/**
 * @brief Seed a stream apart from every (seed, b) one: starting state
 *        ds_rng_mix64(seed ^ ds_rng_mix64(initseq)), stream initseq.
 *
 * Why: PCG32 streams that share a starting state and whose stream numbers
 * differ only in high bits move in lockstep in their low state bits, and
 * XSH-RR then gives outputs that are rotations of each other (stream numbers
 * 2^62 apart give the same output at every other draw). A starting state of
 * its own breaks that tie.
 */
void ds_rng_seed_apart(ds_rng_t *self, uint64_t seed, uint64_t initseq);

/** Next 32-bit output: advance the LCG, then permute the old state (XSH-RR). */
static inline uint32_t ds_rng_next(ds_rng_t *self)
{
    uint64_t old = self->state;
    self->state = old * DS_RNG_MULTIPLIER + self->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/** Uniform double in [0, 1) with 32-bit resolution (as gsl_rng_uniform gives). */
static inline double ds_rng_uniform(ds_rng_t *self)
{
    return ds_rng_next(self) * (1.0 / 4294967296.0);
}

/**
 * @brief Unbiased uniform integer in [0, bound) by rejection (pcg32_boundedrand_r).
 *
 * bound must be at least 1; a bound of 0 returns 0.
 */
uint32_t ds_rng_bounded(ds_rng_t *self, uint32_t bound);

/** Jump the generator ahead by delta steps in O(log delta) (Brown 1994). */
void ds_rng_advance(ds_rng_t *self, uint64_t delta);

/**
 * @brief PCG32 as a GSL generator, so GSL's samplers can draw from it.
 *
 * gsl_rng_set(r, s) seeds with (s, 0); to choose the stream, seed the state
 * directly: ds_rng_seed(ds_rng_of_gsl(r), initstate, initseq).
 */
extern const gsl_rng_type *const ds_gsl_rng_pcg32;

/** The PCG32 state inside a gsl_rng of type ds_gsl_rng_pcg32. */
ds_rng_t *ds_rng_of_gsl(gsl_rng *r);

/**
 * @brief A PCG32 gsl_rng that needs no allocation: the library's own (GSL's
 *        gsl_rng_alloc calls GSL's error handler, which aborts unless the
 *        program turned it off, when memory runs out).
 */
typedef struct {
    gsl_rng gsl;
    ds_rng_t state;
} ds_gsl_pcg32_t;

/** Bind self's gsl_rng to self's state (self must not move afterwards); returns it. */
static inline gsl_rng *ds_gsl_pcg32_bind(ds_gsl_pcg32_t *self)
{
    self->gsl.type = ds_gsl_rng_pcg32;
    self->gsl.state = &self->state;
    return &self->gsl;
}

#endif

/* PCG32: known answers, jump-ahead, unbiased bounded draws, the GSL face. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dosesim/rng.h"
#include "testlib.h"

/* O'Neill's reference stream (pcg32-demo): seeded with initstate 42, initseq 54. */
static void test_reference_vectors(void)
{
    static const uint32_t expected[] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                        0x83d2f293, 0xbfa4784b, 0xcbed606e};
    ds_rng_t rng;
    ds_rng_seed(&rng, 42u, 54u);
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        uint32_t got = ds_rng_next(&rng);
        CHECK_MSG(got == expected[i], "output %zu: 0x%08x, expected 0x%08x", i, got, expected[i]);
    }
}

static void test_advance_matches_stepping(void)
{
    static const uint64_t deltas[] = {0, 1, 2, 7, 1000, 123457};
    for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
        ds_rng_t stepped, jumped;
        ds_rng_seed(&stepped, 2026u, 11u);
        jumped = stepped;
        for (uint64_t k = 0; k < deltas[i]; k++) {
            (void)ds_rng_next(&stepped);
        }
        ds_rng_advance(&jumped, deltas[i]);
        CHECK_MSG(stepped.state == jumped.state, "advance(%llu) differs from stepping",
                  (unsigned long long)deltas[i]);
        CHECK(ds_rng_next(&stepped) == ds_rng_next(&jumped));
    }
}

static void test_advance_full_period(void)
{
    /* The LCG has period 2^64: going 1000 steps and then 2^64 - 1000 more returns to the start. */
    ds_rng_t rng, start;
    ds_rng_seed(&rng, 7u, 3u);
    start = rng;
    for (int k = 0; k < 1000; k++) {
        (void)ds_rng_next(&rng);
    }
    CHECK(rng.state != start.state);
    ds_rng_advance(&rng, (uint64_t)0 - 1000u);
    CHECK(rng.state == start.state && rng.inc == start.inc);
}

static void test_streams_differ(void)
{
    ds_rng_t a, b;
    ds_rng_seed(&a, 42u, 0u);
    ds_rng_seed(&b, 42u, 1u);
    int same = 0;
    for (int k = 0; k < 1000; k++) {
        same += ds_rng_next(&a) == ds_rng_next(&b);
    }
    CHECK_MSG(same < 3, "streams 0 and 1 agree on %d of 1000 outputs", same);
}

/* bound = 3 * 2^30: plain modulo would give [0, 2^30) probability 1/2; unbiased it is 1/3.
 * Seed (1, 1), 100000 draws, tolerance 4 standard errors. */
/* SplitMix64's first outputs from state 0 (Vigna's splitmix64.c: the state
 * advances by 0x9e3779b97f4a7c15, then the finaliser). */
static void test_mix64_reference(void)
{
    static const uint64_t expected[] = {UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
                                        UINT64_C(0x06c45d188009454f)};
    uint64_t state = 0u;
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        state += UINT64_C(0x9e3779b97f4a7c15);
        CHECK(ds_rng_mix64(state) == expected[i]);
    }
}

static void test_bounded_is_unbiased(void)
{
    const uint32_t bound = 3u << 30;
    const int draws = 100000;
    ds_rng_t rng;
    ds_rng_seed(&rng, 1u, 1u);
    int low = 0;
    for (int i = 0; i < draws; i++) {
        uint32_t x = ds_rng_bounded(&rng, bound);
        CHECK(x < bound);
        low += x < (1u << 30);
    }
    double p = 1.0 / 3.0;
    CHECK_WITHIN_SE((double)low / draws, p, sqrt(p * (1 - p) / draws), 4);
    CHECK(ds_rng_bounded(&rng, 1u) == 0u);
    CHECK(ds_rng_bounded(&rng, 0u) == 0u);
}

/* Seed (5, 9), 100000 draws: all in [0, 1), mean within 4 standard errors of 1/2. */
static void test_uniform_range_and_mean(void)
{
    const int draws = 100000;
    ds_rng_t rng;
    ds_rng_seed(&rng, 5u, 9u);
    double sum = 0.0;
    for (int i = 0; i < draws; i++) {
        double u = ds_rng_uniform(&rng);
        if (!CHECK(u >= 0.0 && u < 1.0)) {
            break;
        }
        sum += u;
    }
    CHECK_WITHIN_SE(sum / draws, 0.5, sqrt(1.0 / 12.0 / draws), 4);
}

static void test_gsl_generator(void)
{
    gsl_rng *r = gsl_rng_alloc(ds_gsl_rng_pcg32);
    if (!CHECK(r != NULL)) {
        return;
    }
    CHECK_STR_EQ(gsl_rng_name(r), "pcg32");
    CHECK(gsl_rng_max(r) == 0xffffffffUL && gsl_rng_min(r) == 0UL);
    /* gsl_rng_set(r, s) is stream 0 of s. */
    ds_rng_t plain;
    ds_rng_seed(&plain, 12345u, 0u);
    gsl_rng_set(r, 12345u);
    for (int i = 0; i < 10; i++) {
        CHECK(gsl_rng_get(r) == ds_rng_next(&plain));
    }
    /* Any stream, by seeding the state inside; then GSL draws the reference stream. */
    ds_rng_seed(ds_rng_of_gsl(r), 42u, 54u);
    CHECK(gsl_rng_get(r) == 0xa15c02b7UL);
    CHECK(gsl_rng_uniform(r) == 0x7b47f409 / 4294967296.0);
    /* A GSL sampler drawing from it: binomial(10, 0.3), 100000 draws, seed (3, 4), 4 SE. */
    ds_rng_seed(ds_rng_of_gsl(r), 3u, 4u);
    const int draws = 100000;
    double sum = 0.0;
    for (int i = 0; i < draws; i++) {
        sum += gsl_ran_binomial(r, 0.3, 10);
    }
    CHECK_WITHIN_SE(sum / draws, 3.0, sqrt(10 * 0.3 * 0.7 / draws), 4);
    gsl_rng_free(r);
}

const test_case_t rng_tests[] = {
    {"reference_vectors", test_reference_vectors},
    {"advance_matches_stepping", test_advance_matches_stepping},
    {"advance_full_period", test_advance_full_period},
    {"streams_differ", test_streams_differ},
    {"mix64_reference", test_mix64_reference},
    {"bounded_is_unbiased", test_bounded_is_unbiased},
    {"uniform_range_and_mean", test_uniform_range_and_mean},
    {"gsl_generator", test_gsl_generator},
    {NULL, NULL},
};

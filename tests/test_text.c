/* The shortest formatter (sim/lib/shortest.c, Ryu) against the rule it
 * replaces (shortest_oracle.h): Ryu's own test values (Adams, PLDI 2018, and
 * its d2s_test), every exponent's powers of two and edges, and random doubles
 * of every kind; and that the pow5 tables are the ones their generator writes.
 * The fuzzer fuzz_shortest tries any 8 bytes the same way. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/rng.h"
#include "dosesim/text.h"
#include "shortest_oracle.h"
#include "testlib.h"
#include "testrun.h"

static double from_bits(uint64_t bits)
{
    double x = 0;
    memcpy(&x, &bits, sizeof(x));
    return x;
}

static long shorter_than_printf;

/* Both ways for x (and -x), judged by the rule (shortest_oracle.h); false,
 * saying so, at the first difference. */
static bool same(double x, long *checked)
{
    for (int sign = 0; sign < 2; sign++) {
        const double v = sign ? -x : x;
        char fast[DS_DOUBLE_CHARS], slow[DS_DOUBLE_CHARS];
        const oracle_verdict_t verdict = oracle_judge(v, fast, slow);
        (*checked)++;
        shorter_than_printf += verdict == ORACLE_SHORTER;
        if (!CHECK_MSG(verdict != ORACLE_WRONG, "%a: '%s', the rule gives '%s'", v, fast, slow)) {
            return false;
        }
    }
    return true;
}

/* Ryu's published values (the paper's examples and d2s_test.cc's). */
static void test_ryu_values(void)
{
    static const uint64_t bits[] = {
        0x0000000000000001u, /* the smallest subnormal, 5e-324 */
        0x000fffffffffffffu, /* the largest subnormal */
        0x0010000000000000u, /* the smallest normal, 2.2250738585072014e-308 */
        0x7fefffffffffffffu, /* the largest, 1.7976931348623157e+308 */
        0x4830f0cf064dd592u, /* looks like a power of 5: 5.764607523034235e+39 */
        0x4840f0cf064dd592u, 0x4850f0cf064dd592u, 0x0040000000000000u, /* min/max shift */
        0x007fffffffffffffu, 0x0000001000000000u, 0x0000000100000000u,
        0x4350000000000000u,                      /* 2^54 */
        0x4340000000000000u, 0x433fffffffffffffu, /* 2^53 - 1 */
        0x3e60000000000000u,                      /* 2.98023223876953125e-08: many trailing zeros */
    };
    static const double values[] = {
        1.0,
        1.2,
        1.23,
        1.234,
        1.2345,
        1.23456,
        1.234567,
        1.2345678,
        1.23456789,
        1.234567895,
        1.2345678901,
        1.23456789012,
        1.234567890123,
        1.2345678901234,
        1.23456789012345,
        1.234567890123456,
        1.2345678901234567,
        -2.109808898695963e16,
        4.940656e-318,
        1.18575755e-316,
        2.989102097996e-312,
        9.0608011534336e15,
        4.708356024711512e18,
        9.409340012568248e18,
        1.8531501765868567e21,
        -3.347727380279489e33,
        1.9430376160308388e16,
        -6.9741824662760956e19,
        4.3816050601147837e18,
        2.2250738585072014e-308,
        1.7800590868057611e-307,
        2.8480945388892175e-306,
        2.446494580089078e-296,
        4.8929891601781557e-296,
        1.8014398509481984e16,
        3.6028797018963964e16,
        2.900835519859558e-216,
        5.801671039719115e-216,
        3.196104012172126e-27,
        9.007199254740991e15,
        9.007199254740992e15,
        1e23,
        1e22,
        5e-324,
        0.3,
        0.1 + 0.2,
        1.0 / 3.0,
        2.0 / 3.0,
        100.0,
        1e15,
        1e16,
        123456789012345680.0,
        1e-5,
        1e-4,
        0.5,
    };
    long checked = 0;
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        same(from_bits(bits[i]), &checked);
    }
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        same(values[i], &checked);
    }
    char buf[DS_DOUBLE_CHARS];
    ds_format_double(from_bits(0x0000000000000001u), buf);
    CHECK_STR_EQ(buf, "5e-324");
    ds_format_double(from_bits(0x7fefffffffffffffu), buf);
    CHECK_STR_EQ(buf, "1.7976931348623157e+308");
    ds_format_double(from_bits(0x3e60000000000000u), buf);
    CHECK_STR_EQ(buf, "2.9802322387695312e-08");
    ds_format_double(NAN, buf);
    CHECK_STR_EQ(buf, "nan");
    ds_format_double(-INFINITY, buf);
    CHECK_STR_EQ(buf, "-inf");
}

/* Every power of two, every exponent's smallest and largest mantissa. */
static void test_every_exponent(void)
{
    long checked = 0;
    for (uint64_t e = 0; e < 2047; e++) {
        if (!same(from_bits(e << 52), &checked) || !same(from_bits((e << 52) | 1u), &checked) ||
            !same(from_bits((e << 52) | 0xfffffffffffffu), &checked)) {
            break;
        }
    }
    printf("      %ld doubles the same or shorter (%ld shorter)\n", checked, shorter_than_printf);
}

/* Random doubles, seed 20261202: 5 x 10^4 bit patterns (every exponent alike),
 * 5 x 10^4 of the numbers dosesim writes (counts over trial counts, sums of
 * probabilities, decimals with few digits, whole numbers). */
static void test_random(void)
{
    ds_rng_t rng;
    ds_rng_seed(&rng, 20261202u, 7u);
    long checked = 0;
    bool ok = true;
    for (int i = 0; ok && i < 50000; i++) {
        uint64_t bits = ((uint64_t)ds_rng_next(&rng) << 32) | ds_rng_next(&rng);
        double x = from_bits(bits);
        ok = !isfinite(x) || same(x, &checked);
    }
    for (int i = 0; ok && i < 50000; i++) {
        const uint32_t a = ds_rng_next(&rng), b = ds_rng_next(&rng);
        double x = 0;
        switch (i % 5) {
        case 0: /* k / n, as a Monte Carlo probability */
            x = (double)(a % 1000001u) / (double)(1u + b % 10000000u);
            break;
        case 1: /* a probability times another, summed */
            x = ds_rng_uniform(&rng) * ds_rng_uniform(&rng) + ds_rng_uniform(&rng) * 1e-3;
            break;
        case 2: { /* a decimal of 1 to 6 digits at a power of ten */
            char text[40];
            snprintf(text, sizeof(text), "%ue%d", a % 1000000u, (int)(b % 40u) - 20);
            x = strtod(text, NULL);
            break;
        }
        case 3: /* whole numbers, to 2^60 */
            x = (double)(((uint64_t)a << 28) ^ b);
            break;
        default: /* days and means */
            x = ds_rng_uniform(&rng) * 1000.0;
            break;
        }
        ok = same(x, &checked);
    }
    printf("      %ld doubles the same or shorter (%ld shorter)\n", checked, shorter_than_printf);
}

/* The tables are what sim/lib/pow5_tables.py writes (where python3 is). */
static void test_tables_made_by_their_script(void)
{
    run_t r;
    run_program("/bin/sh",
                (const char *[]){"-c",
                                 "command -v python3 >/dev/null || exit 77; "
                                 "python3 sim/lib/pow5_tables.py | cmp - sim/lib/pow5_tables.h",
                                 NULL},
                NULL, NULL, &r);
    if (r.status == 77) {
        test_skip("no python3: the pow5 tables were not made again");
    } else {
        CHECK_MSG(r.status == 0, "sim/lib/pow5_tables.h is not what its script writes: %s%s", r.out,
                  r.err);
    }
    run_free(&r);
}

const test_case_t text_tests[] = {
    {"ryu_values", test_ryu_values},
    {"every_exponent", test_every_exponent},
    {"random", test_random},
    {"tables_made_by_their_script", test_tables_made_by_their_script},
    {NULL, NULL},
};

/* The shortest decimal that reads back as a double, by Ryu (Ulf Adams, "Ryū:
 * fast float-to-string conversion", PLDI 2018), written from the paper: the
 * interval of decimals that round to x, scaled by a 125-bit power of 5
 * (pow5_tables.h), and digits removed while the interval still holds a
 * shorter number; of the shortest, the one nearest x (ties to even). Then set
 * out as printf's %.Ng would set those N digits, which is what dosesim wrote
 * before (ds_format_double tried N = 1, 2, ... with snprintf and strtod: 40
 * times slower; tests/test_text.c holds the two to the same bytes). */
#include "dosesim/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pow5_tables.h"

#define MANTISSA_BITS 52
#define EXPONENT_BIAS 1023

/* floor(log10(2^e)), floor(log10(5^e)) and bitlength(5^e), for 0 <= e <= 1650. */
static inline int log10_pow2(int e)
{
    return (int)(((uint32_t)e * 78913u) >> 18);
}

static inline int log10_pow5(int e)
{
    return (int)(((uint32_t)e * 732923u) >> 20);
}

static inline int pow5_bits(int e)
{
    return (int)((((uint32_t)e * 1217359u) >> 19) + 1);
}

static inline int pow5_factor(uint64_t value)
{
    int count = 0;
    while (value % 5 == 0) {
        value /= 5;
        count++;
    }
    return count;
}

static inline bool multiple_of_pow5(uint64_t value, int p)
{
    return pow5_factor(value) >= p;
}

static inline bool multiple_of_pow2(uint64_t value, int p)
{
    return (value & ((UINT64_C(1) << p) - 1)) == 0;
}

/* gcc's and clang's 128-bit integers (an extension: hence the keyword). */
__extension__ typedef unsigned __int128 u128;

/* (m * mul) >> j, mul a 125-bit number in two halves, 64 < j. */
static inline uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int j)
{
    const u128 low = (u128)m * mul[0];
    const u128 high = (u128)m * mul[1];
    return (uint64_t)(((low >> 64) + high) >> (j - 64));
}

/* x = digits * 10^exponent, digits as few as can be; x finite and not zero. */
static void shortest_digits(double x, uint64_t *digits, int *exponent)
{
    uint64_t bits = 0;
    memcpy(&bits, &x, sizeof(bits));
    const uint64_t ieee_mantissa = bits & ((UINT64_C(1) << MANTISSA_BITS) - 1);
    const int ieee_exponent = (int)((bits >> MANTISSA_BITS) & 0x7ff);
    int e2 = 0;
    uint64_t m2 = 0;
    if (ieee_exponent == 0) { /* subnormal */
        e2 = 1 - EXPONENT_BIAS - MANTISSA_BITS - 2;
        m2 = ieee_mantissa;
    } else {
        e2 = ieee_exponent - EXPONENT_BIAS - MANTISSA_BITS - 2;
        m2 = (UINT64_C(1) << MANTISSA_BITS) | ieee_mantissa;
    }
    /* The halfway points to the neighbours, in units of 2^e2: mv is x itself,
     * mp the upper bound, mm the lower (closer at a power of two). An even
     * mantissa's bounds round to it, so they belong to the interval. */
    const bool accept_bounds = (m2 & 1) == 0;
    const uint64_t mv = 4 * m2;
    const unsigned mm_shift = ieee_mantissa != 0 || ieee_exponent <= 1;
    uint64_t vr = 0, vp = 0, vm = 0;
    int e10 = 0;
    bool vm_trailing_zeros = false, vr_trailing_zeros = false;
    if (e2 >= 0) {
        const int q = log10_pow2(e2) - (e2 > 3);
        e10 = q;
        const int k = POW5_INV_BITS + pow5_bits(q) - 1;
        const int i = -e2 + q + k;
        vr = mul_shift(4 * m2, POW5_INV[q], i);
        vp = mul_shift(4 * m2 + 2, POW5_INV[q], i);
        vm = mul_shift(4 * m2 - 1 - mm_shift, POW5_INV[q], i);
        if (q <= 21) {
            /* Exactly representable digits may end in zeros that count. */
            if (mv % 5 == 0) {
                vr_trailing_zeros = multiple_of_pow5(mv, q);
            } else if (accept_bounds) {
                vm_trailing_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
            } else {
                vp -= multiple_of_pow5(mv + 2, q);
            }
        }
    } else {
        const int q = log10_pow5(-e2) - (-e2 > 1);
        e10 = q + e2;
        const int i = -e2 - q;
        const int k = pow5_bits(i) - POW5_BITS;
        const int j = q - k;
        vr = mul_shift(4 * m2, POW5[i], j);
        vp = mul_shift(4 * m2 + 2, POW5[i], j);
        vm = mul_shift(4 * m2 - 1 - mm_shift, POW5[i], j);
        if (q <= 1) {
            vr_trailing_zeros = true;
            if (accept_bounds) {
                vm_trailing_zeros = mm_shift == 1;
            } else {
                --vp;
            }
        } else if (q < 63) {
            vr_trailing_zeros = multiple_of_pow2(mv, q);
        }
    }
    /* Remove digits while the interval still holds a shorter number. */
    int removed = 0;
    unsigned last_removed = 0;
    uint64_t output = 0;
    if (vm_trailing_zeros || vr_trailing_zeros) {
        while (vp / 10 > vm / 10) {
            vm_trailing_zeros &= vm % 10 == 0;
            vr_trailing_zeros &= last_removed == 0;
            last_removed = (unsigned)(vr % 10);
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        if (vm_trailing_zeros) {
            while (vm % 10 == 0) {
                vr_trailing_zeros &= last_removed == 0;
                last_removed = (unsigned)(vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
        }
        if (vr_trailing_zeros && last_removed == 5 && vr % 2 == 0) {
            last_removed = 4; /* exactly halfway: round to even */
        }
        output = vr + ((vr == vm && (!accept_bounds || !vm_trailing_zeros)) || last_removed >= 5);
    } else {
        /* Only the last digit removed decides the rounding: so digits may go
         * four or two at a time while the interval still holds them. */
        bool round_up = false;
        while (vp / 10000 > vm / 10000) {
            round_up = vr % 10000 >= 5000;
            vr /= 10000;
            vp /= 10000;
            vm /= 10000;
            removed += 4;
        }
        if (vp / 100 > vm / 100) {
            round_up = vr % 100 >= 50;
            vr /= 100;
            vp /= 100;
            vm /= 100;
            removed += 2;
        }
        while (vp / 10 > vm / 10) {
            round_up = vr % 10 >= 5;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        output = vr + (vr == vm || round_up);
    }
    int exp10 = e10 + removed;
    while (output % 10 == 0) { /* the same number, in fewer digits */
        output /= 10;
        exp10++;
    }
    *digits = output;
    *exponent = exp10;
}

void ds_format_double(double x, char buf[DS_DOUBLE_CHARS])
{
    if (x == 0.0) {
        memcpy(buf, "0", 2); /* never "-0" */
        return;
    }
    if (!isfinite(x)) {
        snprintf(buf, DS_DOUBLE_CHARS, "%.1g", x); /* nan, inf, -inf as printf */
        return;
    }
    uint64_t output = 0;
    int exponent = 0;
    shortest_digits(x, &output, &exponent);
    char digits[20];
    int n = 0;
    for (uint64_t v = output; v > 0; v /= 10) {
        digits[n++] = (char)('0' + v % 10);
    }
    /* digits[] holds them lowest first; x = 0.d1d2...dn * 10^(point) */
    const int point = exponent + n; /* where the decimal point falls after the first digits */
    const int sci = point - 1;      /* the exponent of d1.d2...dn */
    char *p = buf;
    if (x < 0) {
        *p++ = '-';
    }
    if (sci < -4 || sci >= n) {
        if (exponent >= 0 && sci < 15) {
            /* A whole number below 10^15: written out, not 3e+01. */
            for (int i = n - 1; i >= 0; i--) {
                *p++ = digits[i];
            }
            for (int i = 0; i < exponent; i++) {
                *p++ = '0';
            }
            *p = '\0';
            return;
        }
        /* As %g: d.ddde+XX, at least two exponent digits. */
        *p++ = digits[n - 1];
        if (n > 1) {
            *p++ = '.';
            for (int i = n - 2; i >= 0; i--) {
                *p++ = digits[i];
            }
        }
        snprintf(p, DS_DOUBLE_CHARS - (size_t)(p - buf), "e%c%02d", sci < 0 ? '-' : '+',
                 sci < 0 ? -sci : sci);
        return;
    }
    if (point <= 0) { /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -point; i++) {
            *p++ = '0';
        }
        for (int i = n - 1; i >= 0; i--) {
            *p++ = digits[i];
        }
    } else { /* ddd.ddd, or ddd */
        for (int i = n - 1, k = 0; i >= 0; i--, k++) {
            if (k == point) {
                *p++ = '.';
            }
            *p++ = digits[i];
        }
    }
    *p = '\0';
}

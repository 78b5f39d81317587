/* The rule the shortest formatter (sim/lib/shortest.c, Ryu) replaced, which
 * defines it: the fewest significant digits N for which printf's %.Ng reads
 * back as x, set as %.Ng sets them, whole numbers below 10^15 written out.
 * Ryu must give the same bytes, or, where printf's correctly rounded N digits
 * miss a shorter number in a lopsided interval (at a power of two: 2^-1017 is
 * 7.120236347223045e-307, which %.16g rounds to ...044, a neighbour; Python's
 * repr agrees with Ryu), fewer digits that read back. For test_text.c and the
 * fuzzer fuzz_shortest.c. */
#ifndef DOSESIM_SHORTEST_ORACLE_H
#define DOSESIM_SHORTEST_ORACLE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/text.h"

static inline void oracle_by_printf(double x, char buf[DS_DOUBLE_CHARS])
{
    if (x == 0.0) {
        snprintf(buf, DS_DOUBLE_CHARS, "0");
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, DS_DOUBLE_CHARS, "%.*g", digits, x);
        if (!isfinite(x) || strtod(buf, NULL) == x) {
            if (strchr(buf, 'e') != NULL && fabs(x) >= 1.0 && fabs(x) < 1e15 && x == floor(x)) {
                snprintf(buf, DS_DOUBLE_CHARS, "%.0f", x);
            }
            return;
        }
    }
}

/* The significant digits of a number as either writes it. */
static inline int oracle_significant(const char *text)
{
    int first = -1, last = -1, at = 0;
    for (const char *c = text; *c != '\0' && *c != 'e'; c++) {
        if (*c >= '1' && *c <= '9') {
            first = first < 0 ? at : first;
            last = at;
        }
        at += *c >= '0' && *c <= '9';
    }
    return first < 0 ? 1 : last - first + 1;
}

typedef enum { ORACLE_SAME, ORACLE_SHORTER, ORACLE_WRONG } oracle_verdict_t;

/* ds_format_double(x) judged by the rule; fast and slow as each wrote it. */
static inline oracle_verdict_t oracle_judge(double x, char fast[DS_DOUBLE_CHARS],
                                            char slow[DS_DOUBLE_CHARS])
{
    ds_format_double(x, fast);
    oracle_by_printf(x, slow);
    if (strcmp(fast, slow) == 0) {
        return ORACLE_SAME;
    }
    if (isfinite(x) && strtod(fast, NULL) == x &&
        oracle_significant(fast) < oracle_significant(slow)) {
        return ORACLE_SHORTER;
    }
    return ORACLE_WRONG;
}

#endif

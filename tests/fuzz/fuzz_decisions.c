/* libFuzzer target: the decision-table parser (--decision-table), and the
 * tables it accepts. Any input must be refused with a diagnostic, leaving the
 * design as it was, or give a table that builds and whose exact operating
 * characteristics over two doses add up to one, the same as Monte Carlo's
 * trials all ending. The cohort size comes from the input's length. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_design_t design, before;
    ds_diag_t diag;
    ds_design_set_3plus3(&design);
    ds_interval_set(&design, DS_INTERVAL_TABLE, 0.3);
    design.interval.cohort_size = 1 + (int)(size % 3);
    design.interval.max_n = 0;
    before = design;
    if (ds_interval_parse_table(&design, "fuzz.csv", (const char *)data, size, &diag) != 0) {
        if (diag.message[0] == '\0' || memcmp(&design, &before, sizeof(design)) != 0) {
            abort();
        }
        return 0;
    }
    if (ds_interval_build(&design, &diag) != 0) {
        return 0; /* e.g. a largest n that is not a multiple of the cohort: refused there */
    }
    if (ds_design_check(&design, 2, &diag) != 0 || strncmp(design.name, "table:", 6) != 0) {
        abort();
    }
    double p[2] = {0.3, 0.6};
    char l1[] = "a", l2[] = "b", name[] = "s";
    char *labels[2] = {l1, l2};
    ds_scenario_t scenario = {.name = name, .n_levels = 2, .labels = labels, .p_dlt = p};
    ds_oc_t oc;
    if (ds_exact_oc(&scenario, &design, &oc, &diag) != 0) {
        abort();
    }
    double total = oc.prob_none + oc.prob_rp2d[0] + oc.prob_rp2d[1];
    if (!(fabs(total - 1.0) < 1e-9) || !(oc.mean_n > 0.0) ||
        oc.mean_n > design.interval.max_n + 1e-9) {
        abort();
    }
    ds_oc_free(&oc);
    return 0;
}

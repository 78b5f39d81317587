/* Operating characteristics from tallies and from exact probabilities:
 * known-answer intervals and quantiles (the accuracy measures: test_accuracy.c). */
#include <math.h>
#include <string.h>

#include "dosesim/oc.h"
#include "testlib.h"

/* 263 trials: no RP2D 81, level 1 100, level 2 82; n = 3, 6, 9, 12 in 20, 50, 150, 43. */
static int fill_tally(ds_tally_t *t)
{
    int ret = ds_tally_init(t, 2, 12, false);
    if (ret != 0) {
        return ret;
    }
    uint64_t *c = t->count;
    c[DS_TALLY_TRIALS] = 263;
    c[DS_TALLY_RP2D + 0] = 81;
    c[DS_TALLY_RP2D + 1] = 100;
    c[DS_TALLY_RP2D + 2] = 82;
    c[ds_tally_patients_at(t) + 0] = 1200;
    c[ds_tally_patients_at(t) + 1] = 1026;
    c[ds_tally_dlts_at(t) + 0] = 150;
    c[ds_tally_dlts_at(t) + 1] = 300;
    uint64_t *hist = c + ds_tally_hist_at(t);
    hist[3] = 20;
    hist[6] = 50;
    hist[9] = 150;
    hist[12] = 43;
    return 0;
}

static void test_from_tally(void)
{
    ds_tally_t t;
    ds_oc_t oc;
    if (!CHECK_INT_EQ_RET(fill_tally(&t), 0) || !CHECK_INT_EQ_RET(ds_oc_init(&oc, 2, 12), 0)) {
        return;
    }
    CHECK_INT_EQ(ds_oc_from_tally(&oc, &t), 0);
    CHECK(oc.method == DS_METHOD_MC && oc.n_trials == 263);
    CHECK(oc.prob_none == 81.0 / 263.0);
    CHECK_NEAR(oc.prob_none_se, sqrt(81.0 / 263.0 * (182.0 / 263.0) / 263.0), 1e-15);
    /* Wilson 95% interval for 81/263, computed independently (Python). */
    CHECK_NEAR(oc.prob_none_lo, 0.2552885198782743, 1e-12);
    CHECK_NEAR(oc.prob_none_hi, 0.3662095769828001, 1e-12);
    CHECK(oc.prob_rp2d[0] == 100.0 / 263.0 && oc.prob_rp2d[1] == 82.0 / 263.0);
    CHECK(oc.mean_patients[0] == 1200.0 / 263.0 && oc.mean_dlt[1] == 300.0 / 263.0);
    /* Without calendar time every patient treated is evaluable. */
    CHECK(oc.mean_treated[0] == oc.mean_patients[0] && oc.mean_evaluable[1] == oc.mean_patients[1]);
    CHECK(oc.mean_treated[1] == oc.mean_patients[1] && oc.mean_evaluable[0] == oc.mean_patients[0]);
    CHECK(oc.mean_treated_total == 2226.0 / 263.0 && oc.mean_evaluable_total == 2226.0 / 263.0);
    CHECK(oc.mean_dlt_total == 450.0 / 263.0);
    CHECK(oc.mean_n == 2226.0 / 263.0);
    CHECK_NEAR(oc.mean_n, 8.463878326996198, 1e-14);
    CHECK_NEAR(oc.sd_n, 2.373336394822773, 1e-12);
    CHECK_NEAR(oc.mean_n_se, 2.373336394822773 / sqrt(263.0), 1e-12);
    CHECK_INT_EQ(oc.min_n, 3);
    CHECK_INT_EQ(oc.max_n_seen, 12);
    CHECK_INT_EQ(oc.n_p10, 6);
    CHECK_INT_EQ(oc.n_p50, 9);
    CHECK_INT_EQ(oc.n_p90, 12);
    CHECK(oc.n_prob[9] == 150.0 / 263.0 && oc.n_prob[4] == 0.0);
    ds_oc_free(&oc);
    ds_tally_free(&t);
}

static void test_wilson_edges(void)
{
    ds_tally_t t;
    ds_oc_t oc;
    if (!CHECK_INT_EQ_RET(ds_tally_init(&t, 1, 6, false), 0) ||
        !CHECK_INT_EQ_RET(ds_oc_init(&oc, 1, 6), 0)) {
        return;
    }
    t.count[DS_TALLY_TRIALS] = 10;
    t.count[DS_TALLY_RP2D + 1] = 10; /* every trial selected level 1: none 0/10 */
    t.count[ds_tally_hist_at(&t) + 6] = 10;
    CHECK_INT_EQ(ds_oc_from_tally(&oc, &t), 0);
    CHECK(oc.prob_none == 0.0 && oc.prob_none_se == 0.0 && oc.prob_none_lo == 0.0);
    CHECK_NEAR(oc.prob_none_hi, 0.27753279986288915, 1e-12);
    CHECK(oc.prob_rp2d[0] == 1.0 && oc.prob_rp2d_hi[0] == 1.0);
    CHECK_NEAR(oc.prob_rp2d_lo[0], 1.0 - 0.27753279986288915, 1e-12);
    CHECK(oc.sd_n == 0.0 && oc.n_p10 == 6 && oc.n_p90 == 6);
    /* An empty tally has no estimates. */
    ds_tally_reset(&t);
    CHECK_INT_EQ(ds_oc_from_tally(&oc, &t), DS_ERR_BAD_PARAM);
    ds_oc_free(&oc);
    ds_tally_free(&t);
}

static void test_exact_finish(void)
{
    ds_oc_t oc;
    if (!CHECK_INT_EQ_RET(ds_oc_init(&oc, 2, 12), 0)) {
        return;
    }
    oc.prob_none = 0.25;
    oc.prob_rp2d[0] = 0.25;
    oc.prob_rp2d[1] = 0.5;
    oc.mean_patients[0] = 4.0;
    oc.mean_patients[1] = 3.0;
    oc.mean_dlt[0] = 0.5;
    oc.mean_dlt[1] = 1.0;
    oc.n_prob[6] = 0.5; /* the median sits exactly on a boundary */
    oc.n_prob[9] = 0.5;
    ds_oc_finish_exact(&oc);
    CHECK(oc.method == DS_METHOD_EXACT && oc.n_trials == 0);
    CHECK(oc.mean_treated[0] == 4.0 && oc.mean_evaluable[1] == 3.0);
    CHECK(oc.mean_treated_total == 7.5 && oc.mean_evaluable_total == 7.5);
    CHECK(oc.prob_none_se == 0.0 && oc.prob_none_lo == 0.25 && oc.prob_none_hi == 0.25);
    CHECK(oc.prob_rp2d_se[1] == 0.0 && oc.prob_rp2d_lo[1] == 0.5 && oc.prob_rp2d_hi[1] == 0.5);
    CHECK(oc.mean_n == 7.5 && oc.sd_n == 1.5 && oc.mean_n_se == 0.0);
    CHECK(oc.mean_dlt_total == 1.5);
    CHECK_INT_EQ(oc.n_p10, 6);
    CHECK_INT_EQ(oc.n_p50, 6);
    CHECK_INT_EQ(oc.n_p90, 9);
    CHECK_INT_EQ(oc.min_n, 6);
    CHECK_INT_EQ(oc.max_n_seen, 9);
    ds_oc_free(&oc);
}

const test_case_t oc_tests[] = {
    {"from_tally", test_from_tally},
    {"wilson_edges", test_wilson_edges},
    {"exact_finish", test_exact_finish},
    {NULL, NULL},
};

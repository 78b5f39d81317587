/* Accuracy measures for a target DLT rate: the target's checks, the true MTD
 * rule and its ties by hand, the measures from characteristics by hand, the
 * tally's target-free counters of a trial by hand, the exact calculator's
 * shares and second moments against an enumeration of the 2-level 3+3 written
 * out here, and Monte Carlo against exact within 4 standard errors. */
#include <math.h>
#include <string.h>

#include "dosesim/dosesim.h"
#include "testlib.h"

static void test_target_checks(void)
{
    ds_target_t t;
    ds_diag_t diag;
    ds_target_set_defaults(&t);
    CHECK(t.target == 0.25 && t.lo == 0.6 * 0.25 && t.hi == 1.4 * 0.25);
    CHECK_INT_EQ(ds_target_check(&t, &diag), 0);
    ds_target_set(&t, 0.3);
    CHECK_NEAR(t.lo, 0.18, 1e-15);
    CHECK_NEAR(t.hi, 0.42, 1e-15);
    CHECK_INT_EQ(ds_target_check(&t, &diag), 0);
    /* 0 < LO <= T <= HI < 1, equalities allowed. */
    t = (ds_target_t){.target = 0.2, .lo = 0.2, .hi = 0.2};
    CHECK_INT_EQ(ds_target_check(&t, &diag), 0);
    static const struct {
        ds_target_t target;
        const char *field;
    } bad[] = {
        {{0.0, 0.1, 0.3}, "--target"},
        {{1.0, 0.1, 0.3}, "--target"},
        {{-0.2, 0.1, 0.3}, "--target"},
        {{NAN, 0.1, 0.3}, "--target"},
        {{0.25, 0.0, 0.35}, "--target-interval"},
        {{0.25, 0.3, 0.35}, "--target-interval"},
        {{0.25, 0.15, 0.2}, "--target-interval"},
        {{0.25, 0.15, 1.0}, "--target-interval"},
        {{0.25, NAN, 0.35}, "--target-interval"},
        {{0.25, 0.15, INFINITY}, "--target-interval"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_MSG(ds_target_check(&bad[i].target, &diag) == DS_ERR_BAD_PARAM &&
                      strcmp(diag.field, bad[i].field) == 0,
                  "case %zu: field '%s' (%s)", i, diag.field, diag.message);
    }
    t = (ds_target_t){.target = 0.25, .lo = 0.3, .hi = 0.35};
    CHECK(ds_target_check(&t, &diag) == DS_ERR_BAD_PARAM &&
          strstr(diag.message, "0.3,0.35 does not hold the target 0.25") != NULL &&
          strstr(diag.message, "0 < LO <= T <= HI < 1") != NULL);
    /* The default interval of a high target reaches 1. */
    ds_target_set(&t, 0.8);
    CHECK(ds_target_check(&t, &diag) == DS_ERR_BAD_PARAM &&
          strcmp(diag.field, "--target-interval") == 0);
}

/* The true MTD by hand: T = 0.25 in [0.15, 0.35] unless said. */
static void test_true_mtd_rule(void)
{
    static const struct {
        double target; /* 0: the default */
        int n;
        double p[6];
        int mtd;
    } cases[] = {
        {0, 4, {0.05, 0.10, 0.25, 0.45}, 2}, /* on target */
        {0, 4, {0.05, 0.20, 0.30, 0.50}, 1}, /* 0.05 either side: the lower */
        {0, 2, {0.15, 0.35}, 0},             /* the ends are inside, and tie */
        {0, 2, {0.24, 0.26}, 0},             /* 0.01 either side, as written */
        {0, 2, {0.10, 0.40}, -1},            /* nearest either side, but outside */
        {0, 3, {0.01, 0.05, 0.10}, -1},      /* every dose below */
        {0, 2, {0.40, 0.50}, -1},            /* every dose above */
        {0, 3, {0.30, 0.10, 0.24}, 2},       /* not monotone */
        {0, 3, {0.22, 0.34, 0.22}, 0},       /* a tie between non-neighbours */
        {0, 1, {0.25}, 0},                   /* one level */
        {0, 6, {0.0, 0.0, 0.16, 0.36, 1.0, 1.0}, 2},
        {0.3, 4, {0.10, 0.20, 0.33, 0.50}, 2}, /* T = 0.3 in [0.18, 0.42] */
        {0.3, 2, {0.17, 0.43}, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        test_scenario_t f;
        ds_target_t t;
        ds_target_set(&t, cases[i].target > 0 ? cases[i].target : 0.25);
        int mtd = ds_true_mtd(test_scenario(&f, cases[i].p, cases[i].n), &t);
        CHECK_MSG(mtd == cases[i].mtd, "case %zu: true MTD %d, expected %d", i, mtd, cases[i].mtd);
    }
    ds_target_t t;
    ds_target_set_defaults(&t);
    CHECK(ds_target_band(&t, 0.15) == DS_DOSE_ACCEPTABLE);
    CHECK(ds_target_band(&t, 0.35) == DS_DOSE_ACCEPTABLE);
    CHECK(ds_target_band(&t, 0.1499) == DS_DOSE_BELOW);
    CHECK(ds_target_band(&t, 0.3501) == DS_DOSE_ABOVE);
}

/* Exact characteristics of levels p_dlt given by hand (no design behind them). */
static void hand_oc(ds_oc_t *oc, int n, const double *rp2d, double none, const double *mean,
                    const double *over60, const double *over80)
{
    oc->method = DS_METHOD_EXACT;
    oc->prob_none = none;
    for (int d = 0; d < n; d++) {
        oc->prob_rp2d[d] = rp2d[d];
        oc->mean_patients[d] = mean[d];
        oc->mean_treated[d] = mean[d]; /* the measures count patients treated */
        oc->mean_evaluable[d] = mean[d];
    }
    for (int m = 0; m <= n; m++) {
        oc->prob_above_60[m] = over60[m];
        oc->prob_above_80[m] = over80[m];
    }
}

static void test_measures_by_hand(void)
{
    ds_oc_t oc;
    ds_accuracy_t a;
    ds_target_t t;
    ds_diag_t diag;
    test_scenario_t f;
    ds_target_set_defaults(&t);
    if (!CHECK_INT_EQ_RET(ds_oc_init(&oc, 3, 18), 0)) {
        return;
    }
    const double rp2d[] = {0.3, 0.5, 0.1}, mean[] = {4.0, 5.0, 2.0};
    const double over60[] = {1.0, 0.9, 0.2, 0.0}, over80[] = {1.0, 0.7, 0.05, 0.0};
    hand_oc(&oc, 3, rp2d, 0.1, mean, over60, over80);
    /* A true MTD, level 2 (0-based 1): above from level 3. */
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.05, 0.25, 0.5}, 3), &t, &diag),
        0);
    CHECK(a.true_mtd == 1 && a.cut == 2 && a.exact);
    CHECK(a.pcs == 0.5 && a.prob_above == 0.1 && a.prob_below == 0.3);
    CHECK(a.prob_none_acceptable == 0.1);
    CHECK(a.mean_at == 5.0 && a.mean_below == 4.0 && a.mean_above == 2.0);
    CHECK(a.prob_over_60 == 0.2 && a.prob_over_80 == 0.05);
    CHECK(a.pcs_se == 0.0 && a.mean_at_se == 0.0 && a.prob_over_60_se == 0.0);
    /* Every dose above: PCS is P(no RP2D); everything above the MTD. */
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.4, 0.5, 0.6}, 3), &t, &diag),
        0);
    CHECK(a.true_mtd == -1 && a.cut == 0 && a.pcs == 0.1 && isnan(a.prob_none_acceptable));
    CHECK(a.prob_above == 0.3 + 0.5 + 0.1 && a.prob_below == 0.0);
    CHECK(a.mean_at == 0.0 && a.mean_below == 0.0 && a.mean_above == 11.0);
    CHECK(a.prob_over_60 == 1.0 && a.prob_over_80 == 1.0);
    /* Every dose below: PCS undefined; nothing above. */
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.01, 0.05, 0.1}, 3), &t, &diag),
        0);
    CHECK(a.true_mtd == -1 && a.cut == 3 && isnan(a.pcs) && isnan(a.pcs_se));
    CHECK(a.prob_below == 0.3 + 0.5 + 0.1 && a.prob_above == 0.0);
    CHECK(isnan(a.prob_none_acceptable) && isnan(a.prob_none_acceptable_se));
    CHECK(a.mean_at == 0.0 && a.mean_below == 11.0 && a.mean_above == 0.0);
    CHECK(a.prob_over_60 == 0.0 && a.prob_over_80 == 0.0);
    /* Below and above, none inside: PCS undefined; above from the first dose above. */
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.05, 0.1, 0.5}, 3), &t, &diag),
        0);
    CHECK(a.true_mtd == -1 && a.cut == 2 && isnan(a.pcs));
    CHECK(a.prob_above == 0.1 && a.prob_below == 0.8 && isnan(a.prob_none_acceptable));
    CHECK(a.mean_below == 9.0 && a.mean_above == 2.0 && a.prob_over_60 == 0.2);
    /* Monte Carlo: binomial standard errors, and the means' from their second moments. */
    oc.method = DS_METHOD_MC;
    oc.n_trials = 400;
    oc.mean_sq_at[1] = 29.0;    /* Var 4 */
    oc.mean_sq_above[2] = 13.0; /* Var 9 */
    oc.mean_sq_below[1] = 16.0; /* Var 0 */
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.05, 0.25, 0.5}, 3), &t, &diag),
        0);
    CHECK(!a.exact);
    CHECK_NEAR(a.pcs_se, sqrt(0.25 / 400), 1e-15);
    CHECK_NEAR(a.prob_above_se, sqrt(0.1 * 0.9 / 400), 1e-15);
    CHECK_NEAR(a.prob_over_80_se, sqrt(0.05 * 0.95 / 400), 1e-15);
    CHECK_NEAR(a.mean_at_se, 0.1, 1e-15);
    CHECK_NEAR(a.mean_above_se, 0.15, 1e-15);
    CHECK(a.mean_below_se == 0.0);
    /* Refusals: a bad target, characteristics of other levels. */
    t.lo = 0.3;
    CHECK_INT_EQ(ds_accuracy_from_oc(&a, &oc, &f.scenario, &t, &diag), DS_ERR_BAD_PARAM);
    CHECK(strcmp(diag.field, "--target-interval") == 0 && isnan(a.pcs));
    ds_target_set_defaults(&t);
    CHECK_INT_EQ(
        ds_accuracy_from_oc(&a, &oc, test_scenario(&f, (double[]){0.05, 0.25}, 2), &t, &diag),
        DS_ERR_BAD_PARAM);
    ds_oc_free(&oc);
}

/* The target-free counters of single trials, by hand: patients (3, 6, 3) are
 * 12, above the cuts 0..3: 12, 9, 3, 0 (more than 60% at cuts 0 and 1, more
 * than 80% at cut 0); then shares of exactly 60% and 80%, which are not more;
 * then 2^40 trials at once, past 64 bits of squares. */
static void test_tally_counts_by_cut(void)
{
    ds_tally_t t;
    if (!CHECK_INT_EQ_RET(ds_tally_init(&t, 3, 18, false), 0)) {
        return;
    }
    /* The counters read the patients treated (ds_trial_exposure). */
    ds_trial_t trial = {.n_levels = 3,
                        .n_total = 12,
                        .n_treated = 12,
                        .patients = {3, 6, 3},
                        .treated = {3, 6, 3}};
    ds_tally_add_trial(&t, &trial, 1);
    ds_tally_normalize(&t);
    const uint64_t *c = t.count;
    const uint64_t *over60 = c + ds_tally_share_at(&t, DS_SHARE_60);
    const uint64_t *over80 = c + ds_tally_share_at(&t, DS_SHARE_80);
    CHECK(over60[0] == 1 && over60[1] == 1 && over60[2] == 0 && over60[3] == 0);
    CHECK(over80[0] == 1 && over80[1] == 0 && over80[2] == 0 && over80[3] == 0);
    static const double above[] = {144, 81, 9, 0}, below[] = {0, 9, 81, 144}, at[] = {9, 36, 9};
    for (int m = 0; m <= 3; m++) {
        CHECK(ds_tally_wide_value(&t, ds_tally_square_at(&t, DS_SQUARE_ABOVE, m)) == above[m]);
        CHECK(ds_tally_wide_value(&t, ds_tally_square_at(&t, DS_SQUARE_BELOW, m)) == below[m]);
    }
    for (int d = 0; d < 3; d++) {
        CHECK(ds_tally_wide_value(&t, ds_tally_square_at(&t, DS_SQUARE_AT, d)) == at[d]);
    }
    ds_tally_reset(&t);
    const int sixty[] = {2, 2, 6}, eighty[] = {1, 0, 4}; /* 6 of 10 above cut 2; 4 of 5 */
    ds_tally_add_exposure(&t, sixty, 1);
    CHECK(over60[2] == 0 && over60[1] == 1);
    ds_tally_add_exposure(&t, eighty, 1);
    CHECK(over80[1] == 0 && over80[2] == 0 && over60[1] == 2);
    ds_tally_reset(&t);
    const uint64_t many = UINT64_C(1) << 40;
    ds_tally_add_exposure(&t, (const int[]){3, 6, 3}, many);
    ds_tally_add_exposure(&t, (const int[]){3, 6, 3}, 1);
    ds_tally_normalize(&t);
    CHECK(over60[1] == many + 1 && over80[1] == 0);
    CHECK(ds_tally_wide_value(&t, ds_tally_square_at(&t, DS_SQUARE_ABOVE, 0)) ==
          144.0 * (double)many + 144.0);
    CHECK(c[ds_tally_square_at(&t, DS_SQUARE_ABOVE, 0) + 1] == 144u * 256u);
    ds_tally_free(&t);
}

/* P(X = k), X ~ binomial(3, p). */
static double b3(int k, double p)
{
    static const double choose[] = {1, 3, 3, 1};
    return choose[k] * pow(p, k) * pow(1.0 - p, 3 - k);
}

/* The 2-level 3+3 (de-escalation, the top dose expanded) written out by hand,
 * summing over every trial: what each quantity is, with no memo and no design
 * interface. */
typedef struct {
    double none, rp2d[2], mean[2], sq_at[2], sq_above[3], sq_below[3], over60[3], over80[3];
} by_hand_t;

static void count_trial(by_hand_t *h, double prob, int n1, int n2, int rp2d)
{
    const int patients[2] = {n1, n2}, n = n1 + n2;
    if (rp2d < 0) {
        h->none += prob;
    } else {
        h->rp2d[rp2d] += prob;
    }
    for (int d = 0; d < 2; d++) {
        h->mean[d] += prob * patients[d];
        h->sq_at[d] += prob * patients[d] * patients[d];
    }
    for (int m = 0; m <= 2; m++) {
        const int above = (m == 0 ? n1 : 0) + (m <= 1 ? n2 : 0), below = n - above;
        h->sq_above[m] += prob * above * above;
        h->sq_below[m] += prob * below * below;
        h->over60[m] += 10 * above > 6 * n ? prob : 0.0;
        h->over80[m] += 10 * above > 8 * n ? prob : 0.0;
    }
}

/* Level 2 too toxic: back to level 1, which is the RP2D on 6 patients (with 3,
 * after 3 more and at most 1 DLT of the 6). */
static void deescalate(by_hand_t *h, double prob, int n1, int n2, const double *p)
{
    if (n1 == 6) {
        count_trial(h, prob, 6, n2, 0);
        return;
    }
    for (int z = 0; z <= 3; z++) {
        count_trial(h, prob * b3(z, p[0]), 6, n2, z <= 1 ? 0 : -1);
    }
}

/* At level 2 with n1 patients at level 1: 0/3 or 1/3 brings 3 more (the top
 * dose expanded), and at most 1 DLT of 6 selects it; 2 or more is too toxic. */
static void at_level_two(by_hand_t *h, double prob, int n1, const double *p)
{
    for (int y = 0; y <= 3; y++) {
        double py = prob * b3(y, p[1]);
        if (y >= 2) {
            deescalate(h, py, n1, 3, p);
            continue;
        }
        for (int y2 = 0; y2 <= 3; y2++) {
            if (y + y2 <= 1) {
                count_trial(h, py * b3(y2, p[1]), n1, 6, 1);
            } else {
                deescalate(h, py * b3(y2, p[1]), n1, 6, p);
            }
        }
    }
}

static void two_level_by_hand(by_hand_t *h, const double *p)
{
    memset(h, 0, sizeof(*h));
    for (int x = 0; x <= 3; x++) {
        double px = b3(x, p[0]);
        if (x == 0) {
            at_level_two(h, px, 3, p);
        } else if (x == 1) {
            for (int x2 = 0; x2 <= 3; x2++) {
                if (x2 == 0) {
                    at_level_two(h, px * b3(x2, p[0]), 6, p);
                } else {
                    count_trial(h, px * b3(x2, p[0]), 6, 0, -1);
                }
            }
        } else {
            count_trial(h, px, 3, 0, -1);
        }
    }
}

/* The exact calculator's shares and second moments against the 2-level 3+3 by
 * hand, to 1e-12, for p including 0 and 1. */
static void test_exact_two_levels_by_hand(void)
{
    static const double scenarios[][2] = {{0.10, 0.30}, {0.25, 0.25}, {0.0, 0.6},
                                          {0.4, 1.0},   {0.05, 0.0},  {0.33, 0.5}};
    for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++) {
        test_scenario_t f;
        ds_design_t design;
        ds_oc_t oc;
        ds_diag_t diag;
        by_hand_t h;
        ds_design_set_3plus3(&design);
        two_level_by_hand(&h, scenarios[s]);
        if (!CHECK_INT_EQ_RET(ds_exact_oc(test_scenario(&f, scenarios[s], 2), &design, &oc, &diag),
                              0)) {
            continue;
        }
        double worst = fabs(oc.prob_none - h.none);
        for (int d = 0; d < 2; d++) {
            worst = fmax(worst, fabs(oc.prob_rp2d[d] - h.rp2d[d]));
            worst = fmax(worst, fabs(oc.mean_patients[d] - h.mean[d]));
            worst = fmax(worst, fabs(oc.mean_sq_at[d] - h.sq_at[d]));
        }
        for (int m = 0; m <= 2; m++) {
            worst = fmax(worst, fabs(oc.mean_sq_above[m] - h.sq_above[m]));
            worst = fmax(worst, fabs(oc.mean_sq_below[m] - h.sq_below[m]));
            worst = fmax(worst, fabs(oc.prob_above_60[m] - h.over60[m]));
            worst = fmax(worst, fabs(oc.prob_above_80[m] - h.over80[m]));
        }
        CHECK_MSG(worst < 1e-12, "p = (%g, %g): differs from the hand count by %g", scenarios[s][0],
                  scenarios[s][1], worst);
        ds_oc_free(&oc);
    }
}

/* A Monte Carlo measure against its exact value: within 4 standard errors
 * computed from the exact values (se), and its own standard error within 5% of
 * that (for a probability p, plus what 4 standard errors in p move it:
 * 2 se / sqrt(N p (1 - p)), much more for rare events); a measure undefined
 * must be so in both, and one certain (se below 1e-6: a probability within
 * rounding of 0 or 1, a count that never varies) the same in both, to
 * rounding. n_for_p: N for a probability, 0 for a mean. */
static void check_measure(const char *what, int s, double mc, double mc_se, double exact, double se,
                          double n_for_p)
{
    if (isnan(exact) || isnan(mc)) {
        CHECK_MSG(isnan(exact) && isnan(mc) && isnan(mc_se), "scenario %d, %s: %g, exact %g", s,
                  what, mc, exact);
        return;
    }
    if (se < 1e-6) {
        CHECK_MSG(fabs(mc - exact) <= 1e-9 && mc_se < 1e-6, "scenario %d, %s: %g (se %g), exact %g",
                  s, what, mc, mc_se, exact);
        return;
    }
    CHECK_MSG(fabs(mc - exact) <= 4.0 * se, "scenario %d, %s: %.6f vs exact %.6f: %.2f se (%.3g)",
              s, what, mc, exact, fabs(mc - exact) / se, se);
    const double slack =
        n_for_p > 0 ? 0.05 * se + 2.0 * se / sqrt(n_for_p * exact * (1.0 - exact)) : 0.05 * se;
    CHECK_MSG(fabs(mc_se - se) <= slack, "scenario %d, %s: se %.4g, from exact values %.4g", s,
              what, mc_se, se);
}

static double binomial_se(double p, double n)
{
    return isnan(p) ? NAN : sqrt(p * (1.0 - p) / n);
}

/* Monte Carlo against exact: every measure for T = 0.25 in [0.15, 0.35], and
 * the shares above every cut, within 4 standard errors (from the exact values),
 * on 2, 3, 4 and 6 levels with a true MTD, every dose below, every dose above,
 * and doses below and above with none between; 200000 trials each, seed
 * 20261126, the default 3+3. */
static void test_monte_carlo_agrees_with_exact(void)
{
    static const double scenarios[][6] = {
        {0.10, 0.30},                         /* MTD level 2 */
        {0.45, 0.60},                         /* every dose above */
        {0.02, 0.05, 0.10},                   /* every dose below */
        {0.05, 0.10, 0.50},                   /* below and above, none inside */
        {0.05, 0.10, 0.20, 0.28, 0.40, 0.55}, /* MTD level 4 */
        {0.10, 0.30, 0.20, 0.25, 0.60, 0.05}, /* not monotone: MTD level 4 */
        {0.25, 0.50},                         /* MTD level 1: most patients above it */
        {0.25, 0.05, 0.30, 0.10},             /* MTD level 1: more than 80% above it */
    };
    static const int levels[] = {2, 2, 3, 3, 6, 6, 2, 4};
    static const int mtds[] = {1, -1, -1, -1, 3, 3, 0, 0};
    const uint64_t trials = 200000;
    const double n = (double)trials;
    ds_target_t target;
    ds_target_set_defaults(&target);
    for (int s = 0; s < 8; s++) {
        test_scenario_t f;
        ds_design_t design;
        ds_oc_t mc, exact;
        ds_accuracy_t a, e;
        ds_diag_t diag;
        const ds_scenario_t *sc = test_scenario(&f, scenarios[s], levels[s]);
        ds_design_set_3plus3(&design);
        if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &exact, &diag), 0)) {
            continue;
        }
        if (!CHECK_INT_EQ_RET(
                ds_engine_simulate(sc, &design, NULL, 20261126u, trials, 2, &mc, NULL, &diag), 0)) {
            ds_oc_free(&exact);
            continue;
        }
        CHECK_INT_EQ(ds_accuracy_from_oc(&a, &mc, sc, &target, &diag), 0);
        CHECK_INT_EQ(ds_accuracy_from_oc(&e, &exact, sc, &target, &diag), 0);
        CHECK(e.exact && !a.exact && e.true_mtd == mtds[s] && a.true_mtd == mtds[s]);
        CHECK((isnan(e.pcs) || e.pcs_se == 0.0) && e.mean_above_se == 0.0 &&
              e.prob_over_80_se == 0.0);
        check_measure("PCS", s, a.pcs, a.pcs_se, e.pcs, binomial_se(e.pcs, n), n);
        check_measure("P(above)", s, a.prob_above, a.prob_above_se, e.prob_above,
                      binomial_se(e.prob_above, n), n);
        check_measure("P(below)", s, a.prob_below, a.prob_below_se, e.prob_below,
                      binomial_se(e.prob_below, n), n);
        check_measure("P(none | acceptable)", s, a.prob_none_acceptable, a.prob_none_acceptable_se,
                      e.prob_none_acceptable, binomial_se(e.prob_none_acceptable, n), n);
        check_measure("P(> 60% above)", s, a.prob_over_60, a.prob_over_60_se, e.prob_over_60,
                      binomial_se(e.prob_over_60, n), n);
        check_measure("P(> 80% above)", s, a.prob_over_80, a.prob_over_80_se, e.prob_over_80,
                      binomial_se(e.prob_over_80, n), n);
        /* The means' standard errors from the exact second moments. */
        const int mtd = e.true_mtd, low = mtd >= 0 ? mtd : e.cut;
        const double var_at = mtd >= 0 ? exact.mean_sq_at[mtd] - e.mean_at * e.mean_at : 0.0;
        const double var_above = exact.mean_sq_above[e.cut] - e.mean_above * e.mean_above;
        const double var_below = exact.mean_sq_below[low] - e.mean_below * e.mean_below;
        check_measure("mean at", s, a.mean_at, a.mean_at_se, e.mean_at, sqrt(fmax(var_at, 0) / n),
                      0);
        check_measure("mean above", s, a.mean_above, a.mean_above_se, e.mean_above,
                      sqrt(fmax(var_above, 0) / n), 0);
        check_measure("mean below", s, a.mean_below, a.mean_below_se, e.mean_below,
                      sqrt(fmax(var_below, 0) / n), 0);
        for (int m = 0; m <= levels[s]; m++) {
            char what[64];
            snprintf(what, sizeof(what), "P(> 60%% above cut %d)", m);
            check_measure(what, s, mc.prob_above_60[m], binomial_se(mc.prob_above_60[m], n),
                          exact.prob_above_60[m], binomial_se(exact.prob_above_60[m], n), n);
            snprintf(what, sizeof(what), "P(> 80%% above cut %d)", m);
            check_measure(what, s, mc.prob_above_80[m], binomial_se(mc.prob_above_80[m], n),
                          exact.prob_above_80[m], binomial_se(exact.prob_above_80[m], n), n);
        }
        ds_oc_free(&mc);
        ds_oc_free(&exact);
    }
}

const test_case_t accuracy_tests[] = {
    {"target_checks", test_target_checks},
    {"true_mtd_rule", test_true_mtd_rule},
    {"measures_by_hand", test_measures_by_hand},
    {"tally_counts_by_cut", test_tally_counts_by_cut},
    {"exact_two_levels_by_hand", test_exact_two_levels_by_hand},
    {"monte_carlo_agrees_with_exact", test_monte_carlo_agrees_with_exact},
    {NULL, NULL},
};

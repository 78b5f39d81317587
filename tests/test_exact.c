/* The exact calculator: closed forms, the memoised recursion against the sum
 * over every path, and the Monte Carlo engine against both. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/dosesim.h"
#include "testlib.h"

static void make_design(ds_design_t *design, int option, int start)
{
    ds_design_set_3plus3(design);
    design->deescalate = (option & 1) == 0;
    design->top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
    design->start_level = start;
}

/* The values quoted in the core issue for p = (0.10, 0.30), to their 4 (E[N]: 3) decimals. */
static void test_issue_values(void)
{
    test_scenario_t f;
    ds_design_t design;
    ds_oc_t oc;
    ds_diag_t diag;
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.10, 0.30}, 2);
    make_design(&design, 0, 0); /* de-escalation, expand the top dose */
    if (CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &oc, &diag), 0)) {
        CHECK_NEAR(oc.prob_none, 0.1057, 0.5e-4);
        CHECK_NEAR(oc.prob_rp2d[0], 0.5136, 0.5e-4);
        CHECK_NEAR(oc.prob_rp2d[1], 0.3807, 0.5e-4);
        CHECK_NEAR(oc.mean_n, 9.847, 0.5e-3);
        ds_oc_free(&oc);
    }
    make_design(&design, 3, 0); /* no de-escalation, accept the top dose */
    if (CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &oc, &diag), 0)) {
        CHECK_NEAR(oc.prob_none, 0.0939, 0.5e-4);
        CHECK_NEAR(oc.prob_rp2d[0], 0.4583, 0.5e-4);
        CHECK_NEAR(oc.prob_rp2d[1], 0.4479, 0.5e-4);
        CHECK_NEAR(oc.mean_n, 7.646, 0.5e-3);
        ds_oc_free(&oc);
    }
}

/* Sorted random DLT probabilities in [0, 0.8) from PCG32 (seed, stream). */
static void random_scenario(ds_rng_t *rng, double *p, int n_levels)
{
    for (int d = 0; d < n_levels; d++) {
        p[d] = 0.8 * ds_rng_uniform(rng);
        for (int j = d; j > 0 && p[j] < p[j - 1]; j--) {
            double t = p[j];
            p[j] = p[j - 1];
            p[j - 1] = t;
        }
    }
}

/* Escalation-only rules (no de-escalation, accept the top dose), Lin & Shih (2001):
 * with e_j = P(escalating past level j) = (1-p)^3 + 3p(1-p)^2 (1-p)^3,
 * P(RP2D = i) = e_1...e_i (1 - e_{i+1}), the top dose e_1...e_K, none 1 - e_1, and
 * E[N] = sum_j P(reach j) (3 + 3 * 3p_j(1-p_j)^2). Twenty random scenarios for
 * each of 1 to 8 levels (PCG32 seed 2001, stream 1); agreement to 1e-12. */
static void test_lin_shih_closed_form(void)
{
    ds_rng_t rng;
    ds_rng_seed(&rng, 2001u, 1u);
    for (int n_levels = 1; n_levels <= 8; n_levels++) {
        for (int rep = 0; rep < 20; rep++) {
            double p[8];
            test_scenario_t f;
            ds_design_t design;
            ds_oc_t oc;
            ds_diag_t diag;
            random_scenario(&rng, p, n_levels);
            make_design(&design, 3, 0);
            if (!CHECK_INT_EQ_RET(ds_exact_oc(test_scenario(&f, p, n_levels), &design, &oc, &diag),
                                  0)) {
                return;
            }
            double reach = 1.0, mean_n = 0.0;
            CHECK_NEAR(oc.prob_none, 1.0 - pow(1 - p[0], 3) - 3 * p[0] * pow(1 - p[0], 5), 1e-12);
            for (int i = 0; i < n_levels; i++) {
                double q = 1.0 - p[i];
                double escalate = q * q * q + 3 * p[i] * q * q * q * q * q;
                mean_n += reach * (3.0 + 3.0 * 3 * p[i] * q * q);
                reach *= escalate;
                double next = i + 1 < n_levels
                                  ? 1.0 - pow(1 - p[i + 1], 3) - 3 * p[i + 1] * pow(1 - p[i + 1], 5)
                                  : 1.0;
                CHECK_NEAR(oc.prob_rp2d[i], reach * next, 1e-12);
            }
            CHECK_NEAR(oc.mean_n, mean_n, 1e-11);
            ds_oc_free(&oc);
        }
    }
}

static double max_difference(const ds_oc_t *a, const ds_oc_t *b);
static double max_share_difference(const ds_oc_t *a, const ds_oc_t *b);

/* Escalation only: with e[i] = P(escalating past level i) (e[n_levels] = 0),
 * P(RP2D = i) = e_1...e_i (1 - e_{i+1}), none 1 - e_1; and the mean sample size. */
static void check_escalation_only(const ds_oc_t *oc, const double *e, int n_levels, double mean_n)
{
    double reach = 1.0;
    CHECK_NEAR(oc->prob_none, 1.0 - e[0], 1e-12);
    for (int i = 0; i < n_levels; i++) {
        reach *= e[i];
        CHECK_NEAR(oc->prob_rp2d[i], reach * (1.0 - e[i + 1]), 1e-12);
    }
    CHECK_NEAR(oc->mean_n, mean_n, 1e-11);
}

/* P(X <= k), X ~ binomial(n, p); 0 for k < 0. */
static double binomial_cdf(int k, int n, double p)
{
    double sum = 0.0;
    for (int i = 0; i <= k && i <= n; i++) {
        double c = 1.0;
        for (int j = 0; j < i; j++) {
            c = c * (n - j) / (j + 1);
        }
        sum += c * pow(p, i) * pow(1.0 - p, n - i);
    }
    return sum;
}

static double binomial_pmf(int k, int n, double p)
{
    return binomial_cdf(k, n, p) - binomial_cdf(k - 1, n, p);
}

/* Lin & Shih's (2001) A+B design without de-escalation, in closed form: at a
 * dose with DLT probability p, escalation has probability
 *     e = P(X_A < C) + sum_{k=C..D} P(X_A = k) P(X_B <= E - k),
 * the dose gets A + B P(C <= X_A <= D) patients on average, and
 * P(RP2D = i) = e_1...e_i (1 - e_{i+1}) (the top dose: e_1...e_K), none 1 - e_1.
 * Five designs, twelve random scenarios of 1 to 6 levels each (PCG32 seed
 * 2001, stream 2); agreement to 1e-12. ab:3,3,1,1,1 is the 3+3 of the test above. */
static void test_ab_lin_shih(void)
{
    static const int designs[][5] = {
        {3, 3, 1, 1, 1}, {2, 4, 1, 1, 1}, {3, 3, 1, 2, 2}, {4, 4, 1, 2, 2}, {5, 5, 2, 3, 3},
    };
    ds_rng_t rng;
    ds_rng_seed(&rng, 2001u, 2u);
    for (size_t k = 0; k < sizeof(designs) / sizeof(designs[0]); k++) {
        const int A = designs[k][0], B = designs[k][1], C = designs[k][2], D = designs[k][3],
                  E = designs[k][4];
        for (int n_levels = 1; n_levels <= 6; n_levels++) {
            for (int rep = 0; rep < 2; rep++) {
                double p[6], e[7];
                test_scenario_t f;
                ds_design_t design;
                ds_oc_t oc;
                ds_diag_t diag;
                random_scenario(&rng, p, n_levels);
                make_design(&design, 3, 0); /* no de-escalation, accept the top dose */
                CHECK_INT_EQ(ds_design_set_ab(&design, A, B, C, D, E, &diag), 0);
                if (!CHECK_INT_EQ_RET(
                        ds_exact_oc(test_scenario(&f, p, n_levels), &design, &oc, &diag), 0)) {
                    return;
                }
                double mean_n = 0.0, reach = 1.0;
                for (int i = 0; i < n_levels; i++) {
                    e[i] = binomial_cdf(C - 1, A, p[i]);
                    double expand = 0.0;
                    for (int x = C; x <= D; x++) {
                        e[i] += binomial_pmf(x, A, p[i]) * binomial_cdf(E - x, B, p[i]);
                        expand += binomial_pmf(x, A, p[i]);
                    }
                    mean_n += reach * (A + B * expand);
                    reach *= e[i];
                }
                e[n_levels] = 0.0; /* nothing above the top dose */
                check_escalation_only(&oc, e, n_levels, mean_n);
                ds_oc_free(&oc);
            }
        }
    }
}

/* ab:3,3,1,1,1 is the 3+3: the same numbers to the last bit, for every option
 * and start level. */
static void test_ab_is_three_plus_three(void)
{
    static const double p[] = {0.05, 0.2, 0.35, 0.5};
    for (int option = 0; option < 4; option++) {
        for (int start = 0; start < 4; start++) {
            test_scenario_t f;
            ds_design_t plain, ab;
            ds_oc_t a, b;
            ds_diag_t diag;
            const ds_scenario_t *sc = test_scenario(&f, p, 4);
            make_design(&plain, option, start);
            ab = plain;
            CHECK_INT_EQ(ds_design_preset(&ab, "ab:3,3,1,1,1", &diag), 0);
            CHECK_INT_EQ(ds_exact_oc(sc, &plain, &a, &diag), 0);
            CHECK_INT_EQ(ds_exact_oc(sc, &ab, &b, &diag), 0);
            CHECK(max_difference(&a, &b) == 0.0 && max_share_difference(&a, &b) == 0.0);
            CHECK(a.mean_n == b.mean_n && a.prob_none == b.prob_none);
            ds_oc_free(&a);
            ds_oc_free(&b);
        }
    }
}

/* Under de-escalation a dose the trial comes back to rests on its last stage,
 * whatever --top-dose says: with the dose above certain to be too toxic
 * (p = 1), accept and expand give the same characteristics, for every design.
 * (Before, a 3+3+3 dose left at 0/3 was accepted at 6 on its return.) */
static void test_dose_returned_to_rests_on_last_stage(void)
{
    static const char *const designs[] = {"3+3", "3+3+3", "ab:4,4,1,2,2", "ab:3,3,1,2,2"};
    static const double lower[] = {0.0, 0.2, 0.5};
    for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
        for (size_t k = 0; k < sizeof(lower) / sizeof(lower[0]); k++) {
            const double p[] = {lower[k], 1.0};
            test_scenario_t f;
            ds_design_t expand, accept;
            ds_oc_t a, b;
            ds_diag_t diag;
            const ds_scenario_t *sc = test_scenario(&f, p, 2);
            make_design(&expand, 0, 0); /* de-escalation, top dose expanded */
            CHECK_INT_EQ(ds_design_preset(&expand, designs[d], &diag), 0);
            accept = expand;
            accept.top_dose = DS_TOP_ACCEPT;
            CHECK_INT_EQ(ds_exact_oc(sc, &expand, &a, &diag), 0);
            CHECK_INT_EQ(ds_exact_oc(sc, &accept, &b, &diag), 0);
            CHECK_MSG(max_difference(&a, &b) < 1e-15 && max_share_difference(&a, &b) < 1e-15 &&
                          fabs(a.mean_n - b.mean_n) < 1e-12,
                      "%s, p = (%g, 1): accept and expand differ", designs[d], lower[k]);
            ds_oc_free(&a);
            ds_oc_free(&b);
        }
    }
}

/* The 3+3+3 worked by hand. At a dose below the top, with X1, X2, X3 the DLTs of
 * its three cohorts of 3 and b_k = P(X = k) for one cohort: 0/3 escalates; 1/3
 * brings a second cohort, after which 0 more escalates (1/6) and 1 more (2/6) a
 * third, after which 0 more escalates (2/9). So P(escalate) = b0 + b1 (b0 + b1 b0)
 * and E[patients] = 3 + 3 b1 + 3 b1^2. Escalation only (no de-escalation, accept
 * the top dose): P(RP2D = i) follows as for Lin & Shih. With one dose and the
 * top dose expanded, the RP2D rests on 9 patients: selected unless X1 >= 2, or
 * X1 + X2 >= 3, or the nine show 3 or more DLTs; so P(RP2D) = P(S9 <= 2) -
 * P(X1 = 2, X2 = X3 = 0), and E[N] = 3 + 3 P(X1 <= 1) + 3 (P(S6 <= 2) -
 * P(X1 = 2, X2 = 0)). */
static void test_three_plus_three_plus_three_by_hand(void)
{
    ds_rng_t rng;
    ds_rng_seed(&rng, 2014u, 3u);
    for (int n_levels = 1; n_levels <= 5; n_levels++) {
        for (int rep = 0; rep < 4; rep++) {
            double p[5], e[6];
            test_scenario_t f;
            ds_design_t design;
            ds_oc_t oc;
            ds_diag_t diag;
            random_scenario(&rng, p, n_levels);
            make_design(&design, 3, 0);
            CHECK_INT_EQ(ds_design_preset(&design, "3+3+3", &diag), 0);
            if (!CHECK_INT_EQ_RET(ds_exact_oc(test_scenario(&f, p, n_levels), &design, &oc, &diag),
                                  0)) {
                return;
            }
            double reach = 1.0, mean_n = 0.0;
            for (int i = 0; i < n_levels; i++) {
                double b0 = binomial_pmf(0, 3, p[i]), b1 = binomial_pmf(1, 3, p[i]);
                e[i] = b0 + b1 * (b0 + b1 * b0);
                mean_n += reach * (3.0 + 3.0 * b1 + 3.0 * b1 * b1);
                reach *= e[i];
            }
            e[n_levels] = 0.0;
            check_escalation_only(&oc, e, n_levels, mean_n);
            ds_oc_free(&oc);
        }
    }
    for (int rep = 0; rep < 10; rep++) {
        double p = 0.1 * rep;
        test_scenario_t f;
        ds_design_t design;
        ds_oc_t oc;
        ds_diag_t diag;
        make_design(&design, 0, 0); /* de-escalation, expand the top dose */
        CHECK_INT_EQ(ds_design_preset(&design, "3+3+3", &diag), 0);
        CHECK_INT_EQ(ds_exact_oc(test_scenario(&f, &p, 1), &design, &oc, &diag), 0);
        double q = 1.0 - p;
        double x1_is_2 = 3 * p * p * q, none_in_3 = q * q * q;
        CHECK_NEAR(oc.prob_rp2d[0], binomial_cdf(2, 9, p) - x1_is_2 * none_in_3 * none_in_3, 1e-12);
        CHECK_NEAR(oc.mean_n,
                   3.0 + 3.0 * binomial_cdf(1, 3, p) +
                       3.0 * (binomial_cdf(2, 6, p) - x1_is_2 * none_in_3),
                   1e-12);
        ds_oc_free(&oc);
    }
}

/* Monte Carlo against exact for the other table designs: 3+3+3 and two A+B
 * designs, every option, 100000 trials each (seed 4242), within 4 standard errors. */
static void test_monte_carlo_other_designs(void)
{
    static const char *const specs[] = {"3+3+3", "ab:2,4,1,1,1", "ab:4,4,1,2,2"};
    static const double p[] = {0.08, 0.22, 0.4};
    const uint64_t trials = 100000;
    for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
        for (int option = 0; option < 4; option++) {
            test_scenario_t f;
            ds_design_t design;
            ds_oc_t mc, exact;
            ds_diag_t diag;
            const ds_scenario_t *sc = test_scenario(&f, p, 3);
            make_design(&design, option, 0);
            CHECK_INT_EQ(ds_design_preset(&design, specs[k], &diag), 0);
            if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &exact, &diag), 0) ||
                !CHECK_INT_EQ_RET(
                    ds_engine_simulate(sc, &design, NULL, 4242, trials, 1, &mc, NULL, &diag), 0)) {
                return;
            }
            const double n = (double)trials;
            CHECK_WITHIN_SE(mc.prob_none, exact.prob_none,
                            sqrt(exact.prob_none * (1 - exact.prob_none) / n), 4);
            for (int d = 0; d < 3; d++) {
                CHECK_WITHIN_SE(mc.prob_rp2d[d], exact.prob_rp2d[d],
                                sqrt(exact.prob_rp2d[d] * (1 - exact.prob_rp2d[d]) / n), 4);
            }
            CHECK_WITHIN_SE(mc.mean_n, exact.mean_n, exact.sd_n / sqrt(n), 4);
            ds_oc_free(&mc);
            ds_oc_free(&exact);
        }
    }
}

/* The largest difference of the per-trial shares and second moments (relative
 * to their size) of two characteristics. */
static double max_share_difference(const ds_oc_t *a, const ds_oc_t *b)
{
    double worst = 0.0;
    for (int d = 0; d < a->n_levels; d++) {
        worst =
            fmax(worst, fabs(a->mean_sq_at[d] - b->mean_sq_at[d]) / fmax(1.0, b->mean_sq_at[d]));
    }
    for (int m = 0; m <= a->n_levels; m++) {
        worst = fmax(worst, fabs(a->prob_above_60[m] - b->prob_above_60[m]));
        worst = fmax(worst, fabs(a->prob_above_80[m] - b->prob_above_80[m]));
        worst = fmax(worst, fabs(a->mean_sq_above[m] - b->mean_sq_above[m]) /
                                fmax(1.0, b->mean_sq_above[m]));
        worst = fmax(worst, fabs(a->mean_sq_below[m] - b->mean_sq_below[m]) /
                                fmax(1.0, b->mean_sq_below[m]));
    }
    return worst;
}

static double max_difference(const ds_oc_t *a, const ds_oc_t *b)
{
    double worst = fabs(a->prob_none - b->prob_none);
    for (int d = 0; d < a->n_levels; d++) {
        worst = fmax(worst, fabs(a->prob_rp2d[d] - b->prob_rp2d[d]));
        worst = fmax(worst, fabs(a->mean_patients[d] - b->mean_patients[d]));
        worst = fmax(worst, fabs(a->mean_dlt[d] - b->mean_dlt[d]));
    }
    for (int n = 0; n <= a->max_n; n++) {
        worst = fmax(worst, fabs(a->n_prob[n] - b->n_prob[n]));
    }
    return fmax(worst, fabs(a->sd_n - b->sd_n));
}

/* The memoised recursion merges states the rules cannot tell apart; the sum
 * over every path merges nothing. They must agree for every option, start
 * level and kind of scenario (p = 0 and 1, non-monotone, random). */
static void test_memo_equals_every_path(void)
{
    static const double fixed[][7] = {
        {0.10, 0.30},
        {0.0, 0.2, 1.0},
        {0.3, 0.1, 0.5},
        {1.0, 0.0, 0.0, 0.4},
        {0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 0.9},
    };
    static const int fixed_levels[] = {2, 3, 3, 4, 7};
    ds_rng_t rng;
    ds_rng_seed(&rng, 77u, 2u);
    for (int s = 0; s < 12; s++) {
        double p[7];
        int n_levels = s < 5 ? fixed_levels[s] : 1 + s % 7;
        if (s < 5) {
            memcpy(p, fixed[s], sizeof(p));
        } else {
            for (int d = 0; d < n_levels; d++) {
                p[d] = ds_rng_uniform(&rng); /* not sorted: non-monotone too */
            }
        }
        for (int option = 0; option < 4; option++) {
            for (int start = 0; start < n_levels; start++) {
                test_scenario_t f;
                ds_design_t design;
                ds_oc_t memo, paths;
                ds_diag_t diag;
                const ds_scenario_t *sc = test_scenario(&f, p, n_levels);
                make_design(&design, option, start);
                if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &memo, &diag), 0) ||
                    !CHECK_INT_EQ_RET(ds_exact_oc_by_paths(sc, &design, &paths, &diag), 0)) {
                    return;
                }
                double diff = max_difference(&memo, &paths);
                CHECK_MSG(diff < 1e-12, "scenario %d, option %d, start %d: differ by %g", s, option,
                          start + 1, diff);
                /* The sum over every leaf loses up to 2e-12 of probability in rounding
                 * (the memo's P(share > 60% at cut 0) is 1 where it gives 1 - 1.8e-12). */
                diff = max_share_difference(&memo, &paths);
                CHECK_MSG(diff < 1e-11, "scenario %d, option %d, start %d: shares differ by %g", s,
                          option, start + 1, diff);
                double total = memo.prob_none, n_total = 0.0;
                for (int d = 0; d < n_levels; d++) {
                    total += memo.prob_rp2d[d];
                }
                for (int n = 0; n <= memo.max_n; n++) {
                    n_total += memo.n_prob[n];
                }
                CHECK_NEAR(total, 1.0, 1e-13);
                CHECK_NEAR(n_total, 1.0, 1e-13);
                ds_oc_free(&memo);
                ds_oc_free(&paths);
            }
        }
    }
}

/* The second pass (shares above each cut, second moments) for the other stage
 * tables, whose sample sizes step by 3, 4, 1 and 2 patients, every option and a
 * start above the lowest level: the memo against every path. */
static void test_memo_shares_every_design(void)
{
    static const char *const designs[] = {"3+3+3", "ab:4,4,1,2,2", "ab:3,3,1,2,3", "ab:1,2,1,1,1",
                                          "ab:2,2,1,1,1"};
    static const double p[] = {0.05, 0.15, 0.3, 0.2, 0.6};
    for (size_t k = 0; k < sizeof(designs) / sizeof(designs[0]); k++) {
        for (int option = 0; option < 4; option++) {
            test_scenario_t f;
            ds_design_t design;
            ds_oc_t memo, paths;
            ds_diag_t diag;
            const ds_scenario_t *sc = test_scenario(&f, p, 5);
            make_design(&design, option, option);
            if (!CHECK_INT_EQ_RET(ds_design_preset(&design, designs[k], &diag), 0) ||
                !CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &memo, &diag), 0) ||
                !CHECK_INT_EQ_RET(ds_exact_oc_by_paths(sc, &design, &paths, &diag), 0)) {
                return;
            }
            CHECK_MSG(max_difference(&memo, &paths) < 1e-12 &&
                          max_share_difference(&memo, &paths) < 1e-11,
                      "%s, option %d: differ by %g, shares by %g", designs[k], option,
                      max_difference(&memo, &paths), max_share_difference(&memo, &paths));
            ds_oc_free(&memo);
            ds_oc_free(&paths);
        }
    }
}

/* 12 levels (the size bcrm's threep3 takes over a second for), every option,
 * against the sum over all 400,000 paths. */
static void test_twelve_levels(void)
{
    double p[12];
    for (int d = 0; d < 12; d++) {
        p[d] = 0.02 + 0.05 * d;
    }
    for (int option = 0; option < 4; option++) {
        test_scenario_t f;
        ds_design_t design;
        ds_oc_t memo, paths;
        ds_diag_t diag;
        const ds_scenario_t *sc = test_scenario(&f, p, 12);
        make_design(&design, option, 0);
        if (CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &memo, &diag), 0) &&
            CHECK_INT_EQ_RET(ds_exact_oc_by_paths(sc, &design, &paths, &diag), 0)) {
            CHECK_MSG(max_difference(&memo, &paths) < 1e-11, "option %d: differ by %g", option,
                      max_difference(&memo, &paths));
            CHECK_MSG(max_share_difference(&memo, &paths) < 1e-10, "option %d: shares differ by %g",
                      option, max_share_difference(&memo, &paths));
            ds_oc_free(&memo);
            ds_oc_free(&paths);
        }
    }
}

/* The largest design dosesim accepts still computes: 100 levels, escalation only. */
static void test_hundred_levels(void)
{
    double p[DS_MAX_LEVELS];
    for (int d = 0; d < DS_MAX_LEVELS; d++) {
        p[d] = 0.005 * d;
    }
    test_scenario_t f;
    ds_design_t design;
    ds_oc_t oc;
    ds_diag_t diag;
    make_design(&design, 3, 0);
    if (CHECK_INT_EQ_RET(ds_exact_oc(test_scenario(&f, p, DS_MAX_LEVELS), &design, &oc, &diag),
                         0)) {
        double total = oc.prob_none;
        for (int d = 0; d < DS_MAX_LEVELS; d++) {
            total += oc.prob_rp2d[d];
        }
        CHECK_NEAR(total, 1.0, 1e-12);
        ds_oc_free(&oc);
    }
}

/* Monte Carlo against exact, within 4 standard errors (computed from the exact
 * values), for every option on scenarios with p = 0 and 1, a start above the
 * lowest level and non-monotone p: 200000 trials each, seed 31337. */
static void test_monte_carlo_agrees(void)
{
    static const double scenarios[][5] = {
        {0.10, 0.30}, {0.0, 0.2, 1.0}, {0.3, 0.1, 0.5}, {1.0, 0.0}, {0.05, 0.1, 0.15, 0.3, 0.5},
    };
    static const int levels[] = {2, 3, 3, 2, 5};
    const uint64_t trials = 200000;
    for (int s = 0; s < 5; s++) {
        for (int option = 0; option < 4; option++) {
            for (int start = 0; start < levels[s]; start += 2) {
                test_scenario_t f;
                ds_design_t design;
                ds_engine_t engine;
                ds_tally_t tally;
                ds_oc_t mc, exact;
                ds_diag_t diag;
                const ds_scenario_t *sc = test_scenario(&f, scenarios[s], levels[s]);
                make_design(&design, option, start);
                if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &exact, &diag), 0) ||
                    !CHECK_INT_EQ_RET(ds_engine_init(&engine, sc, &design, NULL, &diag), 0)) {
                    return;
                }
                CHECK(ds_engine_tally_init(&engine, &tally) == 0);
                CHECK(ds_engine_run_blocks(&engine, 31337, trials, 0, ds_engine_n_blocks(trials),
                                           &tally, NULL, NULL) == 0);
                CHECK(ds_oc_init(&mc, engine.n_levels, engine.max_n) == 0);
                CHECK(ds_oc_from_tally(&mc, &tally) == 0);
                const double n = (double)trials;
#define BINOMIAL_SE(q) sqrt((q) * (1.0 - (q)) / n)
                CHECK_WITHIN_SE(mc.prob_none, exact.prob_none, BINOMIAL_SE(exact.prob_none), 4);
                for (int d = 0; d < levels[s]; d++) {
                    CHECK_WITHIN_SE(mc.prob_rp2d[d], exact.prob_rp2d[d],
                                    BINOMIAL_SE(exact.prob_rp2d[d]), 4);
                }
                for (int k = 0; k <= exact.max_n; k++) {
                    CHECK_WITHIN_SE(mc.n_prob[k], exact.n_prob[k], BINOMIAL_SE(exact.n_prob[k]), 4);
                }
#undef BINOMIAL_SE
                CHECK_WITHIN_SE(mc.mean_n, exact.mean_n, exact.sd_n / sqrt(n), 4);
                ds_oc_free(&mc);
                ds_oc_free(&exact);
                ds_tally_free(&tally);
                ds_engine_free(&engine);
            }
        }
    }
}

typedef struct {
    int leaves;
    double total;
    int max_depth;
} walk_count_t;

static int count_leaf(void *ctx, const ds_path_node_t *node)
{
    walk_count_t *c = ctx;
    if (node->action.kind != DS_ACTION_TREAT) {
        c->leaves++;
        c->total += node->prob;
        c->max_depth = node->depth > c->max_depth ? node->depth : c->max_depth;
    }
    return 0;
}

static void test_walk(void)
{
    test_scenario_t f;
    ds_design_t design;
    walk_count_t count = {0};
    make_design(&design, 0, 0);
    ds_path_visitor_t visitor = {.enter = count_leaf, .leave = NULL, .ctx = &count};
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.1, 0.3}, 2);
    CHECK_INT_EQ(ds_paths_walk(sc, &design, &visitor), 0);
    CHECK_INT_EQ(count.leaves, 46); /* the 3+3 over two levels has 46 possible courses */
    CHECK_NEAR(count.total, 1.0, 1e-15);
    CHECK_INT_EQ(count.max_depth, 4);
    design.start_level = 4;
    CHECK_INT_EQ(ds_paths_walk(sc, &design, &visitor), DS_ERR_BAD_PARAM);
    ds_oc_t oc;
    ds_diag_t diag;
    CHECK_INT_EQ(ds_exact_oc(sc, &design, &oc, &diag), DS_ERR_BAD_PARAM);
    CHECK_STR_EQ(diag.field, "--start");
}

const test_case_t exact_tests[] = {
    {"issue_values", test_issue_values},
    {"lin_shih_closed_form", test_lin_shih_closed_form},
    {"ab_lin_shih", test_ab_lin_shih},
    {"ab_is_three_plus_three", test_ab_is_three_plus_three},
    {"three_plus_three_plus_three_by_hand", test_three_plus_three_plus_three_by_hand},
    {"dose_returned_to_rests_on_last_stage", test_dose_returned_to_rests_on_last_stage},
    {"monte_carlo_other_designs", test_monte_carlo_other_designs},
    {"memo_equals_every_path", test_memo_equals_every_path},
    {"memo_shares_every_design", test_memo_shares_every_design},
    {"twelve_levels", test_twelve_levels},
    {"hundred_levels", test_hundred_levels},
    {"monte_carlo_agrees", test_monte_carlo_agrees},
    {"walk", test_walk},
    {NULL, NULL},
};

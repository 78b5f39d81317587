/* Calendar time: closed forms with stated seeds, trial counts and tolerances
 * in standard errors; selections and sample sizes unchanged by timing; and
 * the effect of DLT onset on toxic trials. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/dosesim.h"
#include "testlib.h"

typedef struct {
    ds_scenario_t scenario;
    double p[8];
    char *labels[8];
    char text[8][8];
    char name[8];
} fixture_t;

static const ds_scenario_t *make_scenario(fixture_t *f, const double *p, int n_levels)
{
    memset(f, 0, sizeof(*f));
    strcpy(f->name, "t");
    for (int d = 0; d < n_levels; d++) {
        f->p[d] = p[d];
        snprintf(f->text[d], sizeof(f->text[d]), "L%d", d + 1);
        f->labels[d] = f->text[d];
    }
    f->scenario =
        (ds_scenario_t){.name = f->name, .n_levels = n_levels, .labels = f->labels, .p_dlt = f->p};
    return &f->scenario;
}

static ds_timing_t timing_of(double accrual, double window, double dropout)
{
    ds_timing_t t;
    ds_timing_init(&t);
    t.on = true;
    t.accrual_per_30 = accrual;
    t.window_days = window;
    t.dropout = dropout;
    return t;
}

/* Run n_trials with the given timing (NULL: none) into tally and oc (both initialised here). */
static int simulate(const ds_scenario_t *sc, const ds_design_t *design, const ds_timing_t *timing,
                    uint64_t seed, uint64_t n_trials, ds_tally_t *tally, ds_oc_t *oc)
{
    ds_diag_t diag;
    return ds_engine_simulate(sc, design, timing, seed, n_trials, 2, oc, tally, &diag);
}

/* Two levels, p = 0, escalation-only rules (no de-escalation, accept the top
 * dose), 30 patients per 30 days (one a day), a 21-day window: a DLT in either
 * cohort would change the choice until its last patient completes, so each of
 * the two cohorts takes the wait for 3 arrivals (Gamma(3), mean 3 days) plus
 * 21 days: duration 42 + Gamma(6), mean 48, sd sqrt(6), median 47.670. Every
 * place is taken for 21 days per cohort: Poisson(42) arrivals turned away.
 * 200000 trials, seed 48, 4 standard errors. */
static void test_closed_form_48_days(void)
{
    fixture_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_init_3plus3(&design);
    design.deescalate = false;
    design.top_dose = DS_TOP_ACCEPT;
    ds_timing_t timing = timing_of(30.0, 21.0, 0.0);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(make_scenario(&f, (double[]){0.0, 0.0}, 2), &design, &timing, 48,
                                   200000, &tally, &oc),
                          0)) {
        return;
    }
    CHECK(oc.timed);
    CHECK_WITHIN_SE(oc.mean_duration_days, 48.0, sqrt(6.0 / n), 4);
    CHECK_WITHIN_SE(oc.duration_p50, 47.6702, 0.03, 4); /* bins of 0.1%, and sampling */
    CHECK_NEAR(oc.sd_duration_days, sqrt(6.0), 0.02);
    CHECK(oc.mean_enrolled == 6.0 && oc.mean_nonevaluable == 0.0);
    CHECK_WITHIN_SE(oc.mean_turned_away, 42.0, sqrt(42.0 / n), 4);
    CHECK(oc.prob_rp2d[1] == 1.0 && oc.mean_n == 6.0);
    ds_oc_free(&oc);
    ds_tally_free(&tally);
}

/* One level, p = 0, the default rules: after 0/3 the top dose gets 3 more, and
 * once two of them complete the window without a DLT the third cannot change
 * the choice (1/6 still recommends the dose): that cohort is decided at its
 * second completion. Duration (Gamma(3) + 21) + (Gamma(2) + 21): mean 47, sd
 * sqrt(5); places taken for 21 + (21 - Exp(1)) days: 41 turned away on average.
 * 200000 trials, seed 47, 4 standard errors. */
static void test_closed_form_47_days(void)
{
    fixture_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_init_3plus3(&design);
    ds_timing_t timing = timing_of(30.0, 21.0, 0.0);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(make_scenario(&f, (double[]){0.0}, 1), &design, &timing, 47,
                                   200000, &tally, &oc),
                          0)) {
        return;
    }
    CHECK_WITHIN_SE(oc.mean_duration_days, 47.0, sqrt(5.0 / n), 4);
    CHECK_NEAR(oc.sd_duration_days, sqrt(5.0), 0.02);
    CHECK_WITHIN_SE(oc.mean_turned_away, 41.0, sqrt(42.0 / n), 4);
    CHECK(oc.mean_enrolled == 6.0 && oc.prob_rp2d[0] == 1.0 && oc.mean_n == 6.0);
    ds_oc_free(&oc);
    ds_tally_free(&tally);
}

/* The 48-day case with dropout 0.5: a place keeps a patient for the window
 * with probability 1/2, so each place enrols Geometric(1/2) patients (mean 2,
 * var 2) before its cohort is decided: 12 per trial, 6 not evaluable, and
 * exactly the 6 evaluable ones of the trial without dropout. */
static void test_closed_form_dropout(void)
{
    fixture_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_init_3plus3(&design);
    design.deescalate = false;
    design.top_dose = DS_TOP_ACCEPT;
    ds_timing_t timing = timing_of(30.0, 21.0, 0.5);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(make_scenario(&f, (double[]){0.0, 0.0}, 2), &design, &timing, 49,
                                   200000, &tally, &oc),
                          0)) {
        return;
    }
    CHECK_WITHIN_SE(oc.mean_enrolled, 12.0, sqrt(12.0 / n), 4);
    CHECK_WITHIN_SE(oc.mean_nonevaluable, 6.0, sqrt(12.0 / n), 4);
    CHECK_NEAR(oc.mean_enrolled - oc.mean_nonevaluable, 6.0, 1e-12);
    CHECK(oc.prob_rp2d[1] == 1.0 && oc.mean_n == 6.0);
    CHECK(oc.mean_duration_days > 48.0);
    ds_oc_free(&oc);
    ds_tally_free(&tally);
}

/* The decision comes at the second DLT. One level with p = 1, accrual so fast
 * that the three patients start at once (mean 3/100000 x 30 days apart),
 * uniform onset on 21 days: the trial stops at the second of three uniform
 * DLT times, mean 21 x 2/4 = 10.5 days, sd 21 x sqrt(3/80). 100000 trials, seed 2. */
static void test_decision_at_second_dlt(void)
{
    fixture_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_init_3plus3(&design);
    ds_timing_t timing = timing_of(100000.0, 21.0, 0.0);
    const double n = 100000, arrival = 3 * 30.0 / 100000.0;
    if (!CHECK_INT_EQ_RET(simulate(make_scenario(&f, (double[]){1.0}, 1), &design, &timing, 2,
                                   100000, &tally, &oc),
                          0)) {
        return;
    }
    CHECK(oc.prob_none == 1.0 && oc.mean_n == 3.0);
    CHECK_WITHIN_SE(oc.mean_duration_days, 10.5 + arrival, 21.0 * sqrt(3.0 / 80.0) / sqrt(n) + 1e-3,
                    4);
    ds_oc_free(&oc);
    ds_tally_free(&tally);
}

/* Timing draws from a stream of its own: every selection and sample-size
 * counter is the same as without timing, for every option, with dropout too. */
static void test_selection_unchanged(void)
{
    static const double p[] = {0.1, 0.3, 0.55};
    for (int option = 0; option < 4; option++) {
        for (int with_dropout = 0; with_dropout < 2; with_dropout++) {
            fixture_t f;
            ds_design_t design;
            ds_tally_t plain, timed;
            ds_oc_t a, b;
            ds_design_init_3plus3(&design);
            design.deescalate = (option & 1) == 0;
            design.top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
            ds_timing_t timing = timing_of(3.0, 21.0, with_dropout ? 0.2 : 0.0);
            timing.onset = DS_ONSET_WEIBULL;
            timing.weibull_shape = 0.7;
            const ds_scenario_t *sc = make_scenario(&f, p, 3);
            if (!CHECK_INT_EQ_RET(simulate(sc, &design, NULL, 77, 50000, &plain, &a), 0) ||
                !CHECK_INT_EQ_RET(simulate(sc, &design, &timing, 77, 50000, &timed, &b), 0)) {
                return;
            }
            /* The untimed counters are the timed tally's first ones. */
            CHECK(timed.len > plain.len &&
                  memcmp(plain.count, timed.count, plain.len * sizeof(uint64_t)) == 0);
            CHECK(b.mean_enrolled >= b.mean_n && (with_dropout || b.mean_enrolled == b.mean_n));
            CHECK(!with_dropout || b.mean_nonevaluable > 0.0);
            ds_oc_free(&a);
            ds_oc_free(&b);
            ds_tally_free(&plain);
            ds_tally_free(&timed);
        }
    }
}

/* With timing on, selections agree with the exact calculator (within 4
 * standard errors): p = (0.10, 0.30), 200000 trials, seed 5, accrual 2. */
static void test_timed_agrees_with_exact(void)
{
    fixture_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t mc, exact;
    ds_diag_t diag;
    ds_design_init_3plus3(&design);
    ds_timing_t timing = timing_of(2.0, 21.0, 0.1);
    const ds_scenario_t *sc = make_scenario(&f, (double[]){0.10, 0.30}, 2);
    if (!CHECK_INT_EQ_RET(simulate(sc, &design, &timing, 5, 200000, &tally, &mc), 0) ||
        !CHECK_INT_EQ_RET(ds_exact_oc(sc, &design, &exact, &diag), 0)) {
        return;
    }
    const double n = 200000;
    CHECK_WITHIN_SE(mc.prob_none, exact.prob_none,
                    sqrt(exact.prob_none * (1 - exact.prob_none) / n), 4);
    for (int d = 0; d < 2; d++) {
        double q = exact.prob_rp2d[d];
        CHECK_WITHIN_SE(mc.prob_rp2d[d], q, sqrt(q * (1 - q) / n), 4);
    }
    CHECK_WITHIN_SE(mc.mean_n, exact.mean_n, exact.sd_n / sqrt(n), 4);
    ds_oc_free(&mc);
    ds_oc_free(&exact);
    ds_tally_free(&tally);
}

/* DLTs early in the window (Weibull shape 0.5) settle toxic doses sooner than
 * DLTs late in it (shape 4): on a toxic scenario the trials are shorter, by
 * far more than 4 standard errors of the difference. 50000 trials, seed 9. */
static void test_earlier_onset_shortens_toxic_trials(void)
{
    fixture_t f;
    ds_design_t design;
    double mean[2], var[2];
    ds_design_init_3plus3(&design);
    const ds_scenario_t *sc = make_scenario(&f, (double[]){0.5, 0.7}, 2);
    for (int k = 0; k < 2; k++) {
        ds_tally_t tally;
        ds_oc_t oc;
        ds_timing_t timing = timing_of(10.0, 21.0, 0.0);
        timing.onset = DS_ONSET_WEIBULL;
        timing.weibull_shape = k == 0 ? 0.5 : 4.0;
        if (!CHECK_INT_EQ_RET(simulate(sc, &design, &timing, 9, 50000, &tally, &oc), 0)) {
            return;
        }
        mean[k] = oc.mean_duration_days;
        var[k] = oc.sd_duration_days * oc.sd_duration_days / 50000.0;
        ds_oc_free(&oc);
        ds_tally_free(&tally);
    }
    CHECK_MSG(mean[1] - mean[0] > 4.0 * sqrt(var[0] + var[1]),
              "early onset %.2f days, late onset %.2f days", mean[0], mean[1]);
}

/* A cohort in which nobody leaves early is computed by a scan, any other by
 * an event loop; both use the same draws. Forcing the event loop everywhere
 * must give the same tally, counter for counter, with and without dropout,
 * for every option. 3 levels, 20000 trials each, seed 11. */
static void test_event_loop_matches_scan(void)
{
    static const double p[] = {0.15, 0.35, 0.6};
    for (int option = 0; option < 4; option++) {
        for (int with_dropout = 0; with_dropout < 2; with_dropout++) {
            ds_tally_t tally[2];
            for (int loop = 0; loop < 2; loop++) {
                fixture_t f;
                ds_design_t design;
                ds_oc_t oc;
                ds_design_init_3plus3(&design);
                design.deescalate = (option & 1) == 0;
                design.top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
                ds_timing_t timing = timing_of(4.0, 21.0, with_dropout ? 0.15 : 0.0);
                timing.event_loop_only = loop == 1;
                if (!CHECK_INT_EQ_RET(simulate(make_scenario(&f, p, 3), &design, &timing, 11, 20000,
                                               &tally[loop], &oc),
                                      0)) {
                    return;
                }
                ds_oc_free(&oc);
            }
            CHECK_MSG(tally[0].len == tally[1].len &&
                          memcmp(tally[0].count, tally[1].count, tally[0].len * 8u) == 0,
                      "option %d, dropout %d: the scan and the event loop differ", option,
                      with_dropout);
            ds_tally_free(&tally[0]);
            ds_tally_free(&tally[1]);
        }
    }
}

static void test_cohort_rule(void)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_init_3plus3(&design);
    (void)ds_design_start(&design, &trial, 2);
    /* A first cohort of 3: escalate on 0, 3 more on 1, too toxic on 2 or 3. */
    ds_cohort_rule_t rule = ds_design_cohort_rule(&design, &trial, 0, 3);
    CHECK(rule.esc_max == 0 && rule.tox_min == 2);
    CHECK(ds_cohort_rule_settled(rule, 2, 1));  /* a second DLT settles it */
    CHECK(!ds_cohort_rule_settled(rule, 1, 1)); /* 1 or 2: 3 more, or too toxic */
    CHECK(!ds_cohort_rule_settled(rule, 0, 1));
    CHECK(ds_cohort_rule_settled(rule, 1, 0));
    /* After 1/3, three more: escalate if none of them has a DLT. */
    ds_trial_record(&trial, 0, 3, 1);
    rule = ds_design_cohort_rule(&design, &trial, 0, 3);
    CHECK(rule.esc_max == 0 && rule.tox_min == 1);
    CHECK(ds_cohort_rule_settled(rule, 1, 2)); /* the first DLT among them settles it */
    CHECK(!ds_cohort_rule_settled(rule, 0, 1));
}

static void test_options_checked(void)
{
    ds_timing_t t;
    ds_diag_t diag;
    ds_timing_init(&t);
    CHECK_INT_EQ(ds_timing_check(&t, &diag), 0); /* off */
    t.on = true;
    CHECK_INT_EQ(ds_timing_check(&t, &diag), DS_ERR_BAD_PARAM); /* no accrual */
    CHECK_STR_EQ(diag.field, "--accrual");
    t.accrual_per_30 = 2.0;
    CHECK_INT_EQ(ds_timing_check(&t, &diag), 0);
    t.dropout = 1.0;
    CHECK_INT_EQ(ds_timing_check(&t, &diag), DS_ERR_BAD_PARAM);
    CHECK_STR_EQ(diag.field, "--dropout");
    t.dropout = 0.0;
    t.window_days = 0.0;
    CHECK_INT_EQ(ds_timing_check(&t, &diag), DS_ERR_BAD_PARAM);
    t.window_days = 21.0;
    t.onset = DS_ONSET_WEIBULL;
    t.weibull_shape = 0.0;
    CHECK_INT_EQ(ds_timing_check(&t, &diag), DS_ERR_BAD_PARAM);
    t.weibull_shape = 2.5;
    char name[32];
    ds_timing_onset_name(&t, name, sizeof(name));
    CHECK_STR_EQ(name, "weibull:2.5");
    ds_calendar_t cal;
    ds_calendar_start(&cal);
    CHECK_INT_EQ(ds_calendar_cohort(&cal, &t, (ds_cohort_rule_t){0, 2}, 0, 0, NULL, NULL),
                 DS_ERR_BAD_PARAM);
}

/* The wide counters carry exactly, whatever the order of additions. */
static void test_wide_counters(void)
{
    ds_tally_t a, b, c;
    if (!CHECK_INT_EQ_RET(ds_tally_init(&a, 1, 6, true), 0) ||
        !CHECK_INT_EQ_RET(ds_tally_init(&b, 1, 6, true), 0) ||
        !CHECK_INT_EQ_RET(ds_tally_init(&c, 1, 6, true), 0)) {
        return;
    }
    ds_calendar_t cal = {.clock = 4294967.0, .enrolled = 4000000000u};
    for (int i = 0; i < 5; i++) {
        ds_tally_add_calendar(i < 3 ? &a : &b, &cal);
        ds_tally_add_calendar(&c, &cal);
    }
    CHECK(ds_tally_merge(&a, &b) == 0);
    CHECK(memcmp(a.count, c.count, a.len * sizeof(uint64_t)) == 0);
    /* 5 x (4294967000 thousandths of a day)^2 needs more than 64 bits. */
    double squares = ds_tally_wide(&c, DS_WIDE_DURATION_SQUARES);
    CHECK(squares == (double)(5.0L * 4294967000.0L * 4294967000.0L));
    CHECK(ds_tally_wide(&c, DS_WIDE_ENROLLED) == 5.0 * 4000000000.0);
    /* Beyond 64 bits the limbs still carry: 5 x 2^64 squares-worth. */
    CHECK(c.count[ds_tally_wide_at(&c, DS_WIDE_DURATION_SQUARES) + 2] > 0);
    CHECK_NEAR(ds_duration_bin_days(ds_duration_bin(ds_duration_units(100.0))), 100.0, 0.05);
    ds_tally_free(&a);
    ds_tally_free(&b);
    ds_tally_free(&c);
}

const test_case_t timing_tests[] = {
    {"closed_form_48_days", test_closed_form_48_days},
    {"closed_form_47_days", test_closed_form_47_days},
    {"closed_form_dropout", test_closed_form_dropout},
    {"decision_at_second_dlt", test_decision_at_second_dlt},
    {"selection_unchanged", test_selection_unchanged},
    {"timed_agrees_with_exact", test_timed_agrees_with_exact},
    {"earlier_onset_shortens_toxic_trials", test_earlier_onset_shortens_toxic_trials},
    {"event_loop_matches_scan", test_event_loop_matches_scan},
    {"cohort_rule", test_cohort_rule},
    {"options_checked", test_options_checked},
    {"wide_counters", test_wide_counters},
    {NULL, NULL},
};

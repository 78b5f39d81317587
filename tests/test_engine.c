/* The Monte Carlo engine: agreement with independently known exact values
 * (stated seed, trial count, tolerance in standard errors), identical trials
 * on the tree and the direct way, and results that do not depend on how the
 * blocks are split. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "dosesim/dosesim.h"
#include "testlib.h"

static void make_design(ds_design_t *design, bool deescalate, ds_top_dose_t top, int start)
{
    ds_design_set_3plus3(design);
    design->deescalate = deescalate;
    design->top_dose = top;
    design->start_level = start;
}

/* Run n_trials into oc (initialised here), on one thread. */
static int simulate(const ds_scenario_t *sc, const ds_design_t *design, uint64_t seed,
                    uint64_t n_trials, ds_oc_t *oc)
{
    ds_diag_t diag;
    return ds_engine_simulate(sc, design, NULL, seed, n_trials, 1, oc, NULL, &diag);
}

/* The exact values quoted in the core issue for p = (0.10, 0.30), computed
 * independently of dosesim; 10^6 trials, seed 20261126, within 4 standard errors. */
static void check_against(bool deescalate, ds_top_dose_t top, double none, double level1,
                          double level2, double mean_n)
{
    test_scenario_t o;
    ds_design_t design;
    ds_oc_t oc;
    test_scenario(&o, (double[]){0.10, 0.30}, 2);
    make_design(&design, deescalate, top, 0);
    if (!CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 20261126u, 1000000u, &oc), 0)) {
        return;
    }
    CHECK_WITHIN_SE(oc.prob_none, none, oc.prob_none_se, 4);
    CHECK_WITHIN_SE(oc.prob_rp2d[0], level1, oc.prob_rp2d_se[0], 4);
    CHECK_WITHIN_SE(oc.prob_rp2d[1], level2, oc.prob_rp2d_se[1], 4);
    CHECK_WITHIN_SE(oc.mean_n, mean_n, oc.mean_n_se, 4);
    ds_oc_free(&oc);
}

static void test_issue_values_textbook(void)
{
    check_against(true, DS_TOP_EXPAND, 0.1057, 0.5136, 0.3807, 9.847);
}

static void test_issue_values_escalation_only(void)
{
    check_against(false, DS_TOP_ACCEPT, 0.0939, 0.4583, 0.4479, 7.646);
}

/* P(escalating past a dose with DLT rate p) = (1-p)^3 + 3p(1-p)^2 (1-p)^3. */
static double escalate(double p)
{
    double q = 1.0 - p;
    return q * q * q + 3.0 * p * q * q * q * q * q;
}

/* Escalation-only rules (no de-escalation, accept the top dose): Lin & Shih's
 * (2001) closed form, P(RP2D = i) = prod_{j<=i} e_j (1 - e_{i+1}), the top dose
 * prod e_j, none 1 - e_1. Five levels, 400000 trials, seed 99, 4 standard errors. */
static void test_closed_form_escalation_only(void)
{
    const double p[] = {0.02, 0.08, 0.17, 0.33, 0.51};
    const int K = 5;
    test_scenario_t o;
    ds_design_t design;
    ds_oc_t oc;
    test_scenario(&o, p, K);
    make_design(&design, false, DS_TOP_ACCEPT, 0);
    if (!CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 99u, 400000u, &oc), 0)) {
        return;
    }
    CHECK_WITHIN_SE(oc.prob_none, 1.0 - escalate(p[0]), oc.prob_none_se, 4);
    double reach = 1.0;
    for (int i = 0; i < K; i++) {
        reach *= escalate(p[i]);
        double expected = i + 1 < K ? reach * (1.0 - escalate(p[i + 1])) : reach;
        CHECK_WITHIN_SE(oc.prob_rp2d[i], expected, oc.prob_rp2d_se[i], 4);
    }
    ds_oc_free(&oc);
}

/* One level, textbook rules: RP2D iff <= 1/6 after expanding, 0/3 -> 3 more. */
static void test_closed_form_single_level(void)
{
    const double p = 0.2, q = 0.8;
    test_scenario_t o;
    ds_design_t design;
    ds_oc_t oc;
    test_scenario(&o, &p, 1);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (!CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 5u, 300000u, &oc), 0)) {
        return;
    }
    /* 0/3 then <= 1/3 more; or 1/3 then 0/3 more. Always 6 patients unless >= 2/3 first. */
    double b0 = q * q * q, b1 = 3 * p * q * q;
    double select = b0 * (b0 + b1) + b1 * b0;
    CHECK_WITHIN_SE(oc.prob_rp2d[0], select, oc.prob_rp2d_se[0], 4);
    double p3 = 1.0 - b0 - b1; /* the trial ends on 3 patients */
    CHECK_WITHIN_SE(oc.n_prob[3], p3, sqrt(p3 * (1 - p3) / 300000.0), 4);
    ds_oc_free(&oc);
}

/* p = 0 and p = 1 are exact: no randomness is left. */
static void test_certain_outcomes(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_oc_t oc;
    test_scenario(&o, (double[]){0.0, 0.0, 0.0}, 3);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 1u, 10000u, &oc), 0)) {
        CHECK(oc.prob_rp2d[2] == 1.0 && oc.prob_none == 0.0);
        CHECK(oc.mean_n == 12.0 && oc.sd_n == 0.0 && oc.mean_dlt_total == 0.0);
        ds_oc_free(&oc);
    }
    test_scenario(&o, (double[]){1.0, 1.0, 1.0}, 3);
    if (CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 1u, 10000u, &oc), 0)) {
        CHECK(oc.prob_none == 1.0 && oc.mean_n == 3.0 && oc.mean_dlt_total == 3.0);
        ds_oc_free(&oc);
    }
    /* Safe, safe, certain toxicity: level 2 on 6, every time. */
    test_scenario(&o, (double[]){0.0, 0.0, 1.0}, 3);
    if (CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 1u, 10000u, &oc), 0)) {
        CHECK(oc.prob_rp2d[1] == 1.0 && oc.mean_n == 12.0 && oc.mean_patients[1] == 6.0);
        ds_oc_free(&oc);
    }
}

/* Run blocks [first, end) with a fresh worker into tally. */
static int run_range(const ds_engine_t *engine, bool use_tree, uint64_t seed, uint64_t n_trials,
                     uint64_t first, uint64_t end, ds_tally_t *tally)
{
    ds_worker_t worker;
    int ret = ds_worker_init(&worker, engine, use_tree);
    for (uint64_t b = first; b < end && ret == 0; b++) {
        ret = ds_worker_run_block(&worker, seed, n_trials, b, tally, NULL, NULL);
    }
    if (ret == 0) {
        ret = ds_worker_flush(&worker, tally);
    }
    ds_worker_free(&worker);
    return ret;
}

static bool same_tally(const ds_tally_t *a, const ds_tally_t *b)
{
    return a->len == b->len && memcmp(a->count, b->count, a->len * sizeof(uint64_t)) == 0;
}

/* The tree and the direct way draw the same numbers in the same order: the
 * tallies must be identical for every option, start level and scenario, with
 * calendar time (departures and Weibull onsets included) and without. */
static void test_tree_equals_direct(void)
{
    static const double scenarios[][6] = {
        {0.10, 0.30},
        {0.0, 1.0, 0.5},
        {0.3, 0.1, 0.6, 0.2},
        {0.05, 0.1, 0.2, 0.3, 0.45, 0.6},
    };
    static const int levels[] = {2, 3, 4, 6};
    for (size_t s = 0; s < 4; s++) {
        for (int option = 0; option < 4; option++) {
            for (int start = 0; start < levels[s]; start += 2) {
                for (int timed = 0; timed < 2; timed++) {
                    test_scenario_t o;
                    ds_design_t design;
                    ds_engine_t engine;
                    ds_tally_t tree, direct;
                    ds_diag_t diag;
                    test_scenario(&o, scenarios[s], levels[s]);
                    make_design(&design, option & 1, option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND,
                                start);
                    ds_timing_t timing;
                    ds_timing_set_defaults(&timing);
                    timing.on = timed;
                    timing.accrual_per_30 = 4.0;
                    timing.dropout = 0.2;
                    timing.onset = DS_ONSET_WEIBULL;
                    timing.weibull_shape = 0.7;
                    if (!CHECK_INT_EQ_RET(
                            ds_engine_init(&engine, &o.scenario, &design, &timing, &diag), 0)) {
                        continue;
                    }
                    CHECK(engine.have_tree);
                    if (ds_engine_tally_init(&engine, &tree) == 0 &&
                        ds_engine_tally_init(&engine, &direct) == 0) {
                        uint64_t n = 3 * DS_BLOCK_TRIALS + 17;
                        CHECK(run_range(&engine, true, 42, n, 0, 4, &tree) == 0);
                        CHECK(run_range(&engine, false, 42, n, 0, 4, &direct) == 0);
                        CHECK_MSG(same_tally(&tree, &direct),
                                  "scenario %zu, option %d, start %d, timed %d: tree and direct "
                                  "differ",
                                  s, option, start, timed);
                        CHECK(tree.count[DS_TALLY_TRIALS] == n);
                    }
                    ds_tally_free(&tree);
                    ds_tally_free(&direct);
                    ds_engine_free(&engine);
                }
            }
        }
    }
}

/* However the blocks are split and merged, the tally is the same. */
static void test_split_and_merge(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_engine_t engine;
    ds_tally_t whole, parts[3], merged;
    ds_diag_t diag;
    const uint64_t n = 10 * DS_BLOCK_TRIALS + 5;
    test_scenario(&o, (double[]){0.1, 0.2, 0.35}, 3);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), 0)) {
        return;
    }
    CHECK(ds_engine_tally_init(&engine, &whole) == 0);
    CHECK(ds_engine_tally_init(&engine, &merged) == 0);
    CHECK(run_range(&engine, true, 7, n, 0, ds_engine_n_blocks(n), &whole) == 0);
    const uint64_t cuts[] = {0, 3, 4, 11};
    for (int k = 0; k < 3; k++) {
        CHECK(ds_engine_tally_init(&engine, &parts[k]) == 0);
        CHECK(run_range(&engine, k != 1, 7, n, cuts[k], cuts[k + 1], &parts[k]) == 0);
    }
    for (int k = 2; k >= 0; k--) { /* merged in another order */
        CHECK(ds_tally_merge(&merged, &parts[k]) == 0);
        ds_tally_free(&parts[k]);
    }
    CHECK(same_tally(&whole, &merged));
    CHECK(whole.count[DS_TALLY_TRIALS] == n);
    /* Another seed gives other trials. */
    ds_tally_reset(&merged);
    CHECK(run_range(&engine, true, 8, n, 0, ds_engine_n_blocks(n), &merged) == 0);
    CHECK(!same_tally(&whole, &merged));
    ds_tally_free(&whole);
    ds_tally_free(&merged);
    ds_engine_free(&engine);
}

/* Any number of threads gives the same tally as one. */
static void test_threads_equal_one(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_engine_t engine;
    ds_tally_t one, many;
    ds_diag_t diag;
    const uint64_t n = 37 * DS_BLOCK_TRIALS + 11;
    static const double p[][3] = {{0.1, 0.25, 0.4}, {0.1, 0.25, 0.4}};
    for (int way = 0; way < 2; way++) {
        double wide[16];
        for (int d = 0; d < 16; d++) {
            wide[d] = 0.02 * d; /* too many levels for a tree: the direct way */
        }
        test_scenario(&o, way == 0 ? p[0] : wide, way == 0 ? 3 : 16);
        make_design(&design, true, DS_TOP_EXPAND, 0);
        if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), 0)) {
            return;
        }
        CHECK(engine.have_tree == (way == 0));
        CHECK(ds_engine_tally_init(&engine, &one) == 0);
        CHECK(ds_engine_run_blocks(&engine, 5, n, 0, ds_engine_n_blocks(n), &one, NULL, NULL) == 0);
        for (int threads = 1; threads <= 4; threads++) {
            CHECK(ds_engine_tally_init(&engine, &many) == 0);
            CHECK(ds_engine_run_threads(&engine, 5, n, 0, ds_engine_n_blocks(n), threads, &many) ==
                  0);
            CHECK_MSG(same_tally(&one, &many), "%d threads differ from one (%s)", threads,
                      way == 0 ? "tree" : "direct");
            ds_tally_free(&many);
        }
        CHECK(ds_engine_tally_init(&engine, &many) == 0);
        CHECK_INT_EQ(ds_engine_run_threads(&engine, 5, n, 0, 1, 0, &many), DS_ERR_BAD_PARAM);
        ds_tally_free(&many);
        ds_tally_free(&one);
        ds_engine_free(&engine);
    }
}

typedef struct {
    uint64_t next_trial;
    uint64_t no_rp2d;
    int bad;
} trial_log_t;

static int log_trial(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                     const ds_calendar_t *calendar)
{
    (void)calendar;
    trial_log_t *log = ctx;
    int patients = 0;
    for (int d = 0; d < state->n_levels; d++) {
        patients += state->patients[d];
    }
    log->bad += trial != log->next_trial++ || patients != state->n_total;
    log->no_rp2d += rp2d < 0;
    return 0;
}

static int stop_at_fifth(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                         const ds_calendar_t *calendar)
{
    (void)calendar;
    (void)ctx;
    (void)state;
    (void)rp2d;
    return trial == 4 ? 99 : 0;
}

/* A per-trial callback sees every trial in order, and they are the tallied trials. */
static void test_trial_callback(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_engine_t engine;
    ds_tally_t tally;
    ds_diag_t diag;
    trial_log_t log = {0};
    const uint64_t n = 2 * DS_BLOCK_TRIALS + 100;
    test_scenario(&o, (double[]){0.2, 0.4}, 2);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), 0)) {
        return;
    }
    CHECK(ds_engine_tally_init(&engine, &tally) == 0);
    CHECK(ds_engine_run_blocks(&engine, 3, n, 0, 3, &tally, log_trial, &log) == 0);
    CHECK(log.next_trial == n && log.bad == 0);
    CHECK(log.no_rp2d == tally.count[DS_TALLY_RP2D]);
    ds_tally_reset(&tally);
    CHECK_INT_EQ(ds_engine_run_blocks(&engine, 3, n, 0, 3, &tally, stop_at_fifth, NULL), 99);
    ds_tally_free(&tally);
    ds_engine_free(&engine);
}

/* Too many levels for the tree: the direct way, with the same answers. */
static void test_many_levels_run_directly(void)
{
    double p[40];
    for (int d = 0; d < 40; d++) {
        p[d] = d < 39 ? 0.0 : 1.0;
    }
    test_scenario_t o;
    ds_design_t design;
    ds_engine_t engine;
    ds_diag_t diag;
    ds_oc_t oc;
    test_scenario(&o, p, 40);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (CHECK_INT_EQ_RET(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), 0)) {
        CHECK(!engine.have_tree);
        ds_engine_free(&engine);
    }
    if (CHECK_INT_EQ_RET(simulate(&o.scenario, &design, 1u, 5000u, &oc), 0)) {
        /* Levels 1..38 on 3 each, level 39 on 6 (expanded below a toxic top), level 40 on 3. */
        CHECK(oc.prob_rp2d[38] == 1.0);
        CHECK(oc.mean_n == 38.0 * 3 + 6 + 3);
        ds_oc_free(&oc);
    }
}

static void test_bad_parameters(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_engine_t engine;
    ds_tally_t tally, other;
    ds_diag_t diag;
    test_scenario(&o, (double[]){0.2, 0.4}, 2);
    make_design(&design, true, DS_TOP_EXPAND, 5);
    CHECK_INT_EQ(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), DS_ERR_BAD_PARAM);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, &o.scenario, &design, NULL, &diag), 0)) {
        return;
    }
    CHECK(ds_engine_tally_init(&engine, &tally) == 0);
    CHECK(ds_tally_init(&other, 3, 18, false) == 0);
    CHECK_INT_EQ(ds_engine_run_blocks(&engine, 1, 100, 0, 2, &tally, NULL, NULL), DS_ERR_BAD_PARAM);
    CHECK_INT_EQ(ds_engine_run_blocks(&engine, 1, DS_MAX_TRIALS + 1, 0, 1, &tally, NULL, NULL),
                 DS_ERR_BAD_PARAM);
    CHECK_INT_EQ(ds_engine_run_blocks(&engine, 1, 100, 0, 1, &other, NULL, NULL), DS_ERR_BAD_PARAM);
    CHECK_INT_EQ(ds_tally_merge(&tally, &other), DS_ERR_INCOMPATIBLE);
    tally.count[0] = UINT64_MAX;
    ds_tally_free(&other);
    CHECK(ds_tally_init(&other, 2, engine.max_n, false) == 0);
    other.count[0] = 1;
    other.count[1] = 5;
    CHECK_INT_EQ(ds_tally_merge(&tally, &other), DS_ERR_OVERFLOW);
    CHECK(tally.count[1] == 0); /* unchanged on failure */
    CHECK_INT_EQ(ds_engine_n_blocks(0), 0);
    CHECK_INT_EQ(ds_engine_n_blocks(1), 1);
    CHECK_INT_EQ(ds_engine_n_blocks(DS_BLOCK_TRIALS), 1);
    CHECK_INT_EQ(ds_engine_n_blocks(DS_BLOCK_TRIALS + 1), 2);
    ds_tally_free(&tally);
    ds_tally_free(&other);
    ds_engine_free(&engine);
}

/* GSL's error handler aborts by default; the library must never reach it,
 * whatever the caller did with it (the test runner turns it off): with a
 * handler that counts, every family, with and without calendar time, exact
 * and simulated, at the edges of p_dlt (0 and 1) and of the calendar options
 * (the slowest and fastest accrual, the longest window, the most dropout, the
 * extreme Weibull shapes), calls it not once. Seed 3, 2000 trials a case. */
static int gsl_errors;
static void count_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
    gsl_errors++;
}

/* A stop asked from outside (control.h, the R package's interrupt): a run on
 * one thread or three ends with DS_ERR_INTERRUPTED and frees what it held
 * (make SAN=1 check and valgrind see any leak); after a reset it runs whole,
 * and the trials it counts are the run's. */
static void test_stop_when_asked(void)
{
    test_scenario_t o;
    ds_design_t design;
    ds_oc_t oc;
    ds_diag_t diag;
    test_scenario(&o, (double[]){0.2, 0.4}, 2);
    make_design(&design, true, DS_TOP_EXPAND, 0);
    for (int threads = 1; threads <= 3; threads += 2) {
        ds_control_reset();
        ds_control_request_stop();
        CHECK(ds_control_stop_requested());
        CHECK_INT_EQ(
            ds_engine_simulate(&o.scenario, &design, NULL, 1, 100000, threads, &oc, NULL, &diag),
            DS_ERR_INTERRUPTED);
        CHECK(strstr(diag.message, "interrupted") != NULL);
        ds_control_reset();
        CHECK(!ds_control_stop_requested() && ds_control_trials_done() == 0);
        if (CHECK_INT_EQ_RET(ds_engine_simulate(&o.scenario, &design, NULL, 1, 100000, threads, &oc,
                                                NULL, &diag),
                             0)) {
            CHECK(ds_control_trials_done() == 100000);
            ds_oc_free(&oc);
        }
    }
    CHECK(ds_engine_block_trials(100000, 24) == 100000 - 24 * DS_BLOCK_TRIALS &&
          ds_engine_block_trials(100000, 0) == DS_BLOCK_TRIALS &&
          ds_engine_block_trials(100000, 25) == 0);
    ds_control_reset();
}

static void test_never_calls_gsl_error_handler(void)
{
    gsl_error_handler_t *before = gsl_set_error_handler(count_gsl_error);
    gsl_errors = 0;
    static const double edges[][3] = {
        {0.0, 0.0, 0.0}, {1.0, 1.0, 1.0}, {0.0, 1.0, 0.5}, {0.999, 0.001, 1.0}};
    static const char *const designs[] = {"3+3", "3+3+3", "ab:4,4,1,2,2", "rolling6"};
    int cases = 0;
    for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++) {
        for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
            for (int calendar = 0; calendar < 4; calendar++) {
                test_scenario_t f;
                ds_design_t design;
                ds_diag_t diag;
                ds_oc_t oc;
                ds_design_set_3plus3(&design);
                if (!CHECK_INT_EQ_RET(ds_design_preset(&design, designs[d], &diag), 0)) {
                    break;
                }
                ds_timing_t timing;
                ds_timing_set_defaults(&timing);
                timing.on = calendar > 0;
                timing.accrual_per_30 = calendar == 1 ? DS_MIN_ACCRUAL : DS_MAX_ACCRUAL;
                timing.window_days = calendar == 2 ? DS_MAX_WINDOW_DAYS : DS_MIN_WINDOW_DAYS;
                timing.dropout = calendar == 3 ? DS_MAX_DROPOUT : 0.0;
                timing.onset = calendar >= 2 ? DS_ONSET_WEIBULL : DS_ONSET_UNIFORM;
                timing.weibull_shape = calendar == 2 ? DS_MIN_WEIBULL_SHAPE : DS_MAX_WEIBULL_SHAPE;
                const ds_scenario_t *sc = test_scenario(&f, edges[e], 3);
                if (design.family->enumerable) {
                    if (ds_exact_oc(sc, &design, &oc, &diag) == 0) {
                        ds_oc_free(&oc);
                    }
                }
                if (!design.family->needs_calendar || timing.on) {
                    /* A calendar past what the tallies hold exactly fails with
                     * DS_ERR_OVERFLOW: a status, not GSL's handler. */
                    int ret =
                        ds_engine_simulate(sc, &design, &timing, 3, 2000, 1, &oc, NULL, &diag);
                    CHECK_MSG(ret == 0 || ret == DS_ERR_OVERFLOW, "%s: %s", designs[d],
                              ds_strerror(ret));
                    if (ret == 0) {
                        ds_oc_free(&oc);
                    }
                    cases++;
                }
            }
        }
    }
    gsl_set_error_handler(before);
    CHECK_INT_EQ(cases, 4 * 4 * 4 - 4);
    CHECK_MSG(gsl_errors == 0, "GSL's error handler was called %d times", gsl_errors);
}

const test_case_t engine_tests[] = {
    {"never_calls_gsl_error_handler", test_never_calls_gsl_error_handler},
    {"issue_values_textbook", test_issue_values_textbook},
    {"issue_values_escalation_only", test_issue_values_escalation_only},
    {"closed_form_escalation_only", test_closed_form_escalation_only},
    {"closed_form_single_level", test_closed_form_single_level},
    {"certain_outcomes", test_certain_outcomes},
    {"tree_equals_direct", test_tree_equals_direct},
    {"split_and_merge", test_split_and_merge},
    {"threads_equal_one", test_threads_equal_one},
    {"trial_callback", test_trial_callback},
    {"many_levels_run_directly", test_many_levels_run_directly},
    {"bad_parameters", test_bad_parameters},
    {"stop_when_asked", test_stop_when_asked},
    {NULL, NULL},
};

/* Calendar time: closed forms with stated seeds, trial counts and tolerances
 * in standard errors; selections and sample sizes unchanged by timing; and
 * the effect of DLT onset on toxic trials. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/dosesim.h"
#include "timing_internal.h"
#include "testlib.h"

static ds_timing_t timing_of(double accrual, double window, double dropout)
{
    ds_timing_t t;
    ds_timing_set_defaults(&t);
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
    test_scenario_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_set_3plus3(&design);
    design.deescalate = false;
    design.top_dose = DS_TOP_ACCEPT;
    ds_timing_t timing = timing_of(30.0, 21.0, 0.0);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(test_scenario(&f, (double[]){0.0, 0.0}, 2), &design, &timing, 48,
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
    test_scenario_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_set_3plus3(&design);
    ds_timing_t timing = timing_of(30.0, 21.0, 0.0);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(test_scenario(&f, (double[]){0.0}, 1), &design, &timing, 47,
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
    test_scenario_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_set_3plus3(&design);
    design.deescalate = false;
    design.top_dose = DS_TOP_ACCEPT;
    ds_timing_t timing = timing_of(30.0, 21.0, 0.5);
    const double n = 200000;
    if (!CHECK_INT_EQ_RET(simulate(test_scenario(&f, (double[]){0.0, 0.0}, 2), &design, &timing, 49,
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
    test_scenario_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t oc;
    ds_design_set_3plus3(&design);
    ds_timing_t timing = timing_of(100000.0, 21.0, 0.0);
    const double n = 100000, arrival = 3 * 30.0 / 100000.0;
    if (!CHECK_INT_EQ_RET(simulate(test_scenario(&f, (double[]){1.0}, 1), &design, &timing, 2,
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

/* Timing draws from a stream of its own: every selection and DLT counter is
 * the same as without timing, for every option, with dropout too, and so is
 * every patient counter without dropout. With dropout the evaluable patients
 * may be fewer (a place whose patient was in the window at the decision and
 * then left), never more, and the treated ones more. */
static void test_selection_unchanged(void)
{
    static const double p[] = {0.1, 0.3, 0.55};
    for (int option = 0; option < 4; option++) {
        for (int with_dropout = 0; with_dropout < 2; with_dropout++) {
            test_scenario_t f;
            ds_design_t design;
            ds_tally_t plain, timed;
            ds_oc_t a, b;
            ds_design_set_3plus3(&design);
            design.deescalate = (option & 1) == 0;
            design.top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
            ds_timing_t timing = timing_of(3.0, 21.0, with_dropout ? 0.2 : 0.0);
            timing.onset = DS_ONSET_WEIBULL;
            timing.weibull_shape = 0.7;
            const ds_scenario_t *sc = test_scenario(&f, p, 3);
            if (!CHECK_INT_EQ_RET(simulate(sc, &design, NULL, 77, 50000, &plain, &a), 0) ||
                !CHECK_INT_EQ_RET(simulate(sc, &design, &timing, 77, 50000, &timed, &b), 0)) {
                return;
            }
            /* The untimed counters are the timed tally's first ones: all of
             * them without dropout, the selections and DLTs with it. */
            const size_t patients_at = ds_tally_patients_at(&plain);
            const size_t dlts_at = ds_tally_dlts_at(&plain), hist_at = ds_tally_hist_at(&plain);
            CHECK(timed.len > plain.len &&
                  memcmp(plain.count, timed.count, patients_at * sizeof(uint64_t)) == 0 &&
                  memcmp(plain.count + dlts_at, timed.count + dlts_at,
                         (hist_at - dlts_at) * sizeof(uint64_t)) == 0);
            CHECK(with_dropout ||
                  memcmp(plain.count, timed.count, plain.len * sizeof(uint64_t)) == 0);
            for (int d = 0; d < 3; d++) {
                CHECK(timed.count[patients_at + (size_t)d] <= plain.count[patients_at + (size_t)d]);
                CHECK(b.mean_treated[d] >= a.mean_patients[d]);
            }
            CHECK(b.mean_n <= a.mean_n && b.mean_enrolled >= a.mean_n);
            CHECK(b.mean_enrolled >= b.mean_n && (with_dropout || b.mean_enrolled == b.mean_n));
            CHECK(!with_dropout || (b.mean_nonevaluable > 0.0 && b.mean_n < a.mean_n));
            CHECK(ds_tally_counts_agree(&timed));
            ds_oc_free(&a);
            ds_oc_free(&b);
            ds_tally_free(&plain);
            ds_tally_free(&timed);
        }
    }
}

/* With timing on, selections agree with the exact calculator (within 4
 * standard errors): p = (0.10, 0.30), 200000 trials, seed 5, accrual 2. So
 * does the sample size without dropout; with dropout 0.1 the trials treat
 * more patients than the exact sample size, of whom fewer are evaluable. */
static void test_timed_agrees_with_exact(void)
{
    test_scenario_t f;
    ds_design_t design;
    ds_tally_t tally;
    ds_oc_t mc, exact;
    ds_diag_t diag;
    ds_design_set_3plus3(&design);
    ds_timing_t timing = timing_of(2.0, 21.0, 0.1);
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.10, 0.30}, 2);
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
    CHECK(mc.mean_n < exact.mean_n && mc.mean_treated_total > exact.mean_n);
    ds_oc_free(&mc);
    ds_tally_free(&tally);
    timing.dropout = 0.0;
    if (CHECK_INT_EQ_RET(simulate(sc, &design, &timing, 5, 200000, &tally, &mc), 0)) {
        CHECK_WITHIN_SE(mc.mean_n, exact.mean_n, exact.sd_n / sqrt(n), 4);
        CHECK(mc.mean_treated_total == mc.mean_n);
        ds_oc_free(&mc);
        ds_tally_free(&tally);
    }
    ds_oc_free(&exact);
}

/* DLTs early in the window (Weibull shape 0.5) settle toxic doses sooner than
 * DLTs late in it (shape 4): on a toxic scenario the trials are shorter, by
 * far more than 4 standard errors of the difference. 50000 trials, seed 9. */
static void test_earlier_onset_shortens_toxic_trials(void)
{
    test_scenario_t f;
    ds_design_t design;
    double mean[2], var[2];
    ds_design_set_3plus3(&design);
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.5, 0.7}, 2);
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

/* A cohort in which nobody leaves early, with no earlier patients still in
 * the window at its dose, is computed by a scan, any other by an event loop;
 * both use the same draws. The event loop alone (timing.c's private
 * ds_calendar_cohort_by_events) must give the same calendar, field for field
 * and carried patient for carried patient, for every cohort of 1 to 9
 * patients, every DLT count and every rule of the 3+3, 3+3+3 and
 * ab:3,3,1,2,2 tables, at a slow and a fast accrual, with and without
 * dropout: 2 x 2 x 200 repetitions of each, seed 11. */
static void test_event_loop_matches_scan(void)
{
    static const ds_cohort_rule_t rules[] = {{0, 2, false}, {-1, 1, false}, {1, 2, false},  {0, 3, false}, {1, 3, false},
                                             {2, 3, false}, {0, 1, false},  {-1, 0, false}, {3, 4, false}};
    gsl_rng *a = gsl_rng_alloc(ds_gsl_rng_pcg32);
    gsl_rng *b = gsl_rng_alloc(ds_gsl_rng_pcg32);
    if (!CHECK(a != NULL && b != NULL)) {
        gsl_rng_free(a);
        gsl_rng_free(b);
        return;
    }
    ds_calendar_t *scan = malloc(sizeof(*scan));
    ds_calendar_t *loop = malloc(sizeof(*loop));
    int compared = 0, differ = 0;
    for (int fast = 0; fast < 2 && scan != NULL && loop != NULL; fast++) {
        for (int with_dropout = 0; with_dropout < 2; with_dropout++) {
            ds_timing_t timing = timing_of(fast ? 30.0 : 4.0, 21.0, with_dropout ? 0.15 : 0.0);
            for (int rep = 0; rep < 200; rep++) {
                for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
                    for (int n = 1; n <= 9; n++) {
                        for (int dlt = 0; dlt <= n; dlt++) {
                            uint64_t stream = (uint64_t)compared;
                            ds_rng_seed(ds_rng_of_gsl(a), 11, stream);
                            ds_rng_seed(ds_rng_of_gsl(b), 11, stream);
                            ds_calendar_start(scan, 1);
                            ds_calendar_start(loop, 1);
                            scan->clock = loop->clock = 10.0 * rep;
                            int ra =
                                ds_calendar_cohort(scan, &timing, rules[r], 0, n, dlt, a, NULL);
                            int rb = ds_calendar_cohort_by_events(loop, &timing, rules[r], 0, n,
                                                                  dlt, b, NULL);
                            bool same = ra == rb && scan->clock == loop->clock &&
                                        scan->idle_days == loop->idle_days &&
                                        scan->enrolled == loop->enrolled &&
                                        scan->nonevaluable == loop->nonevaluable &&
                                        scan->n_carried == loop->n_carried;
                            for (int i = 0; same && i < scan->n_carried; i++) {
                                same = scan->carried[i].patient == loop->carried[i].patient &&
                                       scan->carried[i].fate == loop->carried[i].fate &&
                                       scan->carried[i].at == loop->carried[i].at;
                            }
                            /* And the draws after it: both took the same number. */
                            same = same && gsl_rng_get(a) == gsl_rng_get(b);
                            differ += !same;
                            compared++;
                        }
                    }
                }
            }
        }
    }
    CHECK(scan != NULL && loop != NULL);
    CHECK_MSG(differ == 0, "the scan and the event loop differ on %d of %d cohorts", differ,
              compared);
    CHECK(compared == 2 * 2 * 200 * 9 * 54);
    free(scan);
    free(loop);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Patients at one level of a traced trial: when each outcome is known, and
 * whether it is a DLT. */
typedef struct {
    int n;
    double at[DS_MAX_PATIENTS_PER_LEVEL];
    bool dlt[DS_MAX_PATIENTS_PER_LEVEL];
} level_outcomes_t;

/* Whether the outcomes known by day t (strictly before it if `before`) settle
 * the cohort whose rule and prior DLTs at the level are given. */
static bool settled_by(const level_outcomes_t *o, ds_cohort_rule_t rule, int prior_dlts, double t,
                       bool before)
{
    int known_dlts = 0, pending = 0;
    for (int i = 0; i < o->n; i++) {
        bool known = before ? o->at[i] < t : o->at[i] <= t;
        known_dlts += known && o->dlt[i];
        pending += !known;
    }
    /* The cohort's own count lies in [low, low + pending]; low may be below 0
     * while earlier DLTs are still to come (band 0 all the same). */
    int low = known_dlts - prior_dlts;
    return ds_cohort_rule_band(rule, low) == ds_cohort_rule_band(rule, low + pending);
}

/* Conduct rule 4, checked from traces alone: each cohort is decided at the
 * first moment, from its last enrolment on, at which the outcomes known then,
 * of every patient at the dose (earlier cohorts' too), settle what the rules
 * do. Designs whose middle band spans several DLT counts (3+3+3; A+B with
 * C < D) decide some cohorts with patients still in the window, whose
 * outcomes a later decision at the dose must wait for. No dropout (one
 * patient per place); fast accrual and early onsets make such waits less
 * rare, yet only about one trial in 2000 has one (18 in these 32,000): 8000
 * trials of seed 5 on each design, the first 50 of blocks 0 to 159 (a trace
 * replays its block from the start, so trials late in a block cost more). */
static void test_decisions_wait_for_every_outcome_at_the_dose(void)
{
    static const char *const designs[] = {"3+3", "3+3+3", "ab:3,3,1,2,2", "ab:4,4,1,3,3"};
    static const double p[] = {0.3, 0.5, 0.6};
    int waited = 0; /* decisions that waited for an earlier cohort's outcome */
    for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
        test_scenario_t f;
        ds_design_t design;
        ds_engine_t engine;
        ds_diag_t diag;
        ds_design_set_3plus3(&design);
        ds_timing_t timing = timing_of(30.0, 21.0, 0.0);
        timing.onset = DS_ONSET_WEIBULL;
        timing.weibull_shape = 0.5;
        if (!CHECK_INT_EQ_RET(ds_design_preset(&design, designs[d], &diag), 0) ||
            !CHECK_INT_EQ_RET(
                ds_engine_init(&engine, test_scenario(&f, p, 3), &design, &timing, &diag), 0)) {
            return;
        }
        for (uint64_t traced = 0; traced < 160u * 50u; traced++) {
            const uint64_t trial = traced / 50u * DS_BLOCK_TRIALS + traced % 50u;
            ds_trace_t trace;
            level_outcomes_t at_level[3] = {0};
            if (!CHECK_INT_EQ_RET(ds_engine_trace(&engine, 5, trial, &trace), 0)) {
                ds_trace_free(&trace);
                break;
            }
            for (int k = 0; k < trace.n_cohorts; k++) {
                const ds_traced_cohort_t *c = &trace.cohorts[k];
                const ds_cohort_log_t *log = &c->calendar;
                level_outcomes_t *o = &at_level[c->level];
                double last_enrolment = log->opened;
                for (int i = 0; i < log->n_patients && o->n < DS_MAX_PATIENTS_PER_LEVEL; i++) {
                    const ds_patient_log_t *patient = &log->patients[i];
                    o->at[o->n] = patient->outcome;
                    o->dlt[o->n++] = patient->fate == DS_PATIENT_DLT;
                    last_enrolment = fmax(last_enrolment, patient->enrolled);
                }
                ds_trial_t before = {0};
                const int prior_dlts = c->level_dlts - c->dlt;
                before.patients[c->level] = c->level_patients - c->n;
                before.dlts[c->level] = prior_dlts;
                ds_cohort_rule_t rule = ds_design_cohort_rule(&design, &before, c->level, c->n);
                bool settled = settled_by(o, rule, prior_dlts, log->decided, false);
                bool first = log->decided == last_enrolment ||
                             !settled_by(o, rule, prior_dlts, log->decided, true);
                CHECK_MSG(settled && first, "%s, trial %llu, cohort %d: decided on day %g, %s",
                          designs[d], (unsigned long long)trial, k + 1, log->decided,
                          settled ? "later than the outcomes allowed" : "before it was settled");
                for (int i = 0; i < log->n_earlier; i++) {
                    waited += log->earlier[i].at == log->decided;
                }
            }
            ds_trace_free(&trace);
        }
        ds_engine_free(&engine);
    }
    CHECK_MSG(waited > 0, "no decision waited for an earlier cohort's outcome: not tested");
}

/* What one run of the identity test saw of its trials. */
typedef struct {
    uint64_t trials;
    int n_levels;
    int broken;         /* trials whose counts do not add up */
    int not_evaluable;  /* trials with a patient not evaluable */
    int vacant;         /* trials with fewer evaluable patients than the rules' places */
    int differ;         /* trials whose selection or DLTs differ from the untimed twin */
    int first_broken;   /* the first trial that does not add up, or -1 */
    int *plain_rp2d;    /* [trials] the untimed twin's selection (cohort families) ... */
    int (*plain)[2][4]; /* [trials] ... and its patients and DLTs per level */
} count_check_t;

static int record_plain(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                        const ds_calendar_t *calendar)
{
    count_check_t *c = ctx;
    (void)calendar;
    c->plain_rp2d[trial] = rp2d;
    for (int d = 0; d < state->n_levels; d++) {
        c->plain[trial][0][d] = state->patients[d];
        c->plain[trial][1][d] = state->dlts[d];
    }
    return 0;
}

/* Treated = evaluable + not evaluable, per level and in total, in the trial's
 * state and its calendar; evaluable no more than the untimed twin's places. */
static int check_counts(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                        const ds_calendar_t *calendar)
{
    count_check_t *c = ctx;
    bool ok = calendar != NULL &&
              calendar->enrolled == (uint32_t)state->n_total + calendar->nonevaluable &&
              state->n_treated == (int)calendar->enrolled &&
              state->n_nonevaluable == (int)calendar->nonevaluable &&
              state->n_treated == state->n_total + state->n_nonevaluable;
    int patients = 0, treated = 0, nonevaluable = 0;
    bool vacant = false, differ = false;
    for (int d = 0; ok && d < state->n_levels; d++) {
        ok = state->treated[d] == state->patients[d] + state->nonevaluable[d] &&
             state->patients[d] >= 0 && state->pending[d] == 0 &&
             state->treated[d] == (int)calendar->enrolled_at[d] &&
             state->nonevaluable[d] == (int)calendar->nonevaluable_at[d];
        patients += state->patients[d];
        treated += state->treated[d];
        nonevaluable += state->nonevaluable[d];
        if (c->plain != NULL) {
            ok = ok && state->patients[d] <= c->plain[trial][0][d];
            vacant |= state->patients[d] < c->plain[trial][0][d];
            differ |= state->dlts[d] != c->plain[trial][1][d];
        }
    }
    ok = ok && patients == state->n_total && treated == state->n_treated &&
         nonevaluable == state->n_nonevaluable;
    differ |= c->plain != NULL && rp2d != c->plain_rp2d[trial];
    if (!ok && c->first_broken < 0) {
        c->first_broken = (int)trial;
    }
    c->broken += !ok;
    c->not_evaluable += state->n_nonevaluable > 0;
    c->vacant += vacant;
    c->differ += differ;
    c->trials++;
    return 0;
}

/* Patients treated = evaluable + not evaluable, exactly, in every trial, at
 * every dose and in total: over the first 3 blocks and a bit of seed 14 on
 * every design family (every option of the 3+3), at a slow and a fast
 * accrual with dropout 0.3 and early DLTs, trial by trial (the engine's
 * per-trial state and calendar), and in the tallies, the tree's as the
 * direct way's. Timing leaves each trial's selection and DLTs as they are
 * without it; the evaluable patients are those of the untimed twin, less the
 * places whose patient was in the window at the decision and then left. */
static void test_patient_counts_add_up(void)
{
    static const char *const designs[] = {"3+3",          "3+3",          "3+3",
                                          "3+3",          "3+3+3",        "ab:4,4,1,2,2",
                                          "ab:3,3,1,2,3", "ab:3,3,1,3,3", "rolling6"};
    static const double p[] = {0.1, 0.3, 0.5};
    const uint64_t n = 3 * DS_BLOCK_TRIALS + 100;
    count_check_t c = {.n_levels = 3};
    c.plain_rp2d = malloc(n * sizeof(*c.plain_rp2d));
    c.plain = malloc(n * sizeof(*c.plain));
    int vacant = 0;
    for (size_t k = 0; k < sizeof(designs) / sizeof(designs[0]) && c.plain != NULL; k++) {
        for (int fast = 0; fast < 2; fast++) {
            test_scenario_t f;
            ds_design_t design;
            ds_engine_t plain, timed;
            ds_tally_t direct, tree;
            ds_oc_t oc;
            ds_diag_t diag;
            ds_design_set_3plus3(&design);
            CHECK_INT_EQ(ds_design_preset(&design, designs[k], &diag), 0);
            design.deescalate = k >= 4 || (k & 1) == 0;
            design.top_dose = k < 4 && (k & 2) ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
            ds_timing_t timing = timing_of(fast ? 30.0 : 3.0, 21.0, 0.3);
            timing.onset = DS_ONSET_WEIBULL;
            timing.weibull_shape = 0.7;
            const ds_scenario_t *sc = test_scenario(&f, p, 3);
            const bool cohorts = !design.family->one_at_a_time;
            if (!CHECK_INT_EQ_RET(ds_engine_init(&timed, sc, &design, &timing, &diag), 0)) {
                continue;
            }
            if (cohorts && CHECK_INT_EQ_RET(ds_engine_init(&plain, sc, &design, NULL, &diag), 0)) {
                ds_tally_t t;
                CHECK(ds_engine_tally_init(&plain, &t) == 0 &&
                      ds_engine_run_blocks(&plain, 14, n, 0, 4, &t, record_plain, &c) == 0);
                ds_tally_free(&t);
                ds_engine_free(&plain);
            }
            count_check_t seen = c;
            seen.trials = 0;
            seen.broken = seen.not_evaluable = seen.vacant = seen.differ = 0;
            seen.first_broken = -1;
            if (!cohorts) {
                seen.plain = NULL;
            }
            /* The direct way with the per-trial callback, then the tree (if any) without. */
            CHECK(ds_engine_tally_init(&timed, &direct) == 0 &&
                  ds_engine_run_blocks(&timed, 14, n, 0, 4, &direct, check_counts, &seen) == 0);
            CHECK(ds_engine_tally_init(&timed, &tree) == 0 &&
                  ds_engine_run_blocks(&timed, 14, n, 0, 4, &tree, NULL, NULL) == 0);
            CHECK_MSG(seen.trials == n && seen.broken == 0,
                      "%s (%s accrual): %d of %llu trials do not add up, the first trial %d",
                      designs[k], fast ? "fast" : "slow", seen.broken,
                      (unsigned long long)seen.trials, seen.first_broken + 1);
            CHECK_MSG(seen.differ == 0, "%s: %d trials differ from their untimed twins", designs[k],
                      seen.differ);
            CHECK(seen.not_evaluable > 0);
            vacant += seen.vacant;
            CHECK_MSG(direct.len == tree.len &&
                          memcmp(direct.count, tree.count, direct.len * sizeof(uint64_t)) == 0,
                      "%s: the tree's tally is not the direct way's", designs[k]);
            CHECK(ds_tally_counts_agree(&direct) && ds_tally_counts_agree(&tree));
            if (CHECK_INT_EQ_RET(ds_oc_init(&oc, 3, timed.max_n), 0) &&
                CHECK_INT_EQ_RET(ds_oc_from_tally(&oc, &direct), 0)) {
                double treated = 0.0, evaluable = 0.0;
                for (int d = 0; d < 3; d++) {
                    treated += oc.mean_treated[d];
                    evaluable += oc.mean_evaluable[d];
                    CHECK(oc.mean_evaluable[d] == oc.mean_patients[d]);
                    CHECK(oc.mean_treated[d] >= oc.mean_evaluable[d]);
                }
                CHECK(oc.mean_treated_total == oc.mean_enrolled &&
                      oc.mean_evaluable_total == oc.mean_n);
                CHECK_NEAR(oc.mean_treated_total, oc.mean_evaluable_total + oc.mean_nonevaluable,
                           1e-9);
                CHECK_NEAR(treated, oc.mean_treated_total, 1e-9);
                CHECK_NEAR(evaluable, oc.mean_evaluable_total, 1e-9);
            }
            ds_oc_free(&oc);
            ds_tally_free(&direct);
            ds_tally_free(&tree);
            ds_engine_free(&timed);
        }
    }
    CHECK(c.plain != NULL && c.plain_rp2d != NULL);
    CHECK_MSG(vacant > 0, "no trial left a place without an evaluable patient: not tested");
    free(c.plain);
    free(c.plain_rp2d);
}

/* Patients at one level of a traced trial, for the decisions test. */
typedef struct {
    int n;
    double enrolled[4 * DS_MAX_PATIENTS_PER_LEVEL];
    double at[4 * DS_MAX_PATIENTS_PER_LEVEL];
    ds_patient_fate_t fate[4 * DS_MAX_PATIENTS_PER_LEVEL];
} level_patients_t;

/* Whether what was known at the level on day t (strictly before it if
 * `before`) settles a cohort's rule: the DLTs of the evaluable patients known
 * then, and as unknown every place the rules count (places) without an
 * evaluable patient, a patient in the window or nobody. */
static bool settled_on_evaluable(const level_patients_t *o, int places, ds_cohort_rule_t rule,
                                 int prior_dlts, double t, bool before)
{
    int evaluable = 0, dlts = 0;
    for (int i = 0; i < o->n; i++) {
        bool enrolled = before ? o->enrolled[i] < t : o->enrolled[i] <= t;
        bool known = before ? o->at[i] < t : o->at[i] <= t;
        if (enrolled && known && o->fate[i] != DS_PATIENT_LEAVES) {
            evaluable++;
            dlts += o->fate[i] == DS_PATIENT_DLT;
        }
    }
    int low = dlts - prior_dlts;
    return ds_cohort_rule_band(rule, low) == ds_cohort_rule_band(rule, low + places - evaluable);
}

/* The rules decide on evaluable patients: each cohort is decided at the first
 * moment, once its own places have each had a patient, at which the DLTs of
 * the evaluable patients at the dose (earlier cohorts' too) settle what the
 * rules do, whatever the places without an evaluable patient go on to show
 * (a patient still in the window, or nobody: their patient left early). With
 * dropout 0.3, fast accrual and early onsets, on designs whose bands span
 * several DLT counts (so that places stay open across decisions at a dose):
 * the first 800 trials of seed 5 on each. */
static void test_decisions_rest_on_evaluable_counts(void)
{
    static const char *const designs[] = {"3+3", "3+3+3", "ab:3,3,1,2,2", "ab:4,4,1,3,3",
                                          "ab:3,3,1,2,3"};
    static const double p[] = {0.3, 0.5, 0.6};
    int open = 0; /* decisions with a place of an earlier cohort still open at the dose */
    for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
        test_scenario_t f;
        ds_design_t design;
        ds_engine_t engine;
        ds_diag_t diag;
        ds_design_set_3plus3(&design);
        ds_timing_t timing = timing_of(30.0, 21.0, 0.3);
        timing.onset = DS_ONSET_WEIBULL;
        timing.weibull_shape = 0.5;
        if (!CHECK_INT_EQ_RET(ds_design_preset(&design, designs[d], &diag), 0) ||
            !CHECK_INT_EQ_RET(
                ds_engine_init(&engine, test_scenario(&f, p, 3), &design, &timing, &diag), 0)) {
            return;
        }
        int wrong = 0;
        for (uint64_t trial = 0; trial < 800; trial++) {
            ds_trace_t trace;
            level_patients_t *at_level = calloc(3, sizeof(*at_level));
            if (!CHECK(at_level != NULL) ||
                !CHECK_INT_EQ_RET(ds_engine_trace(&engine, 5, trial, &trace), 0)) {
                ds_trace_free(&trace);
                free(at_level);
                break;
            }
            for (int k = 0; k < trace.n_cohorts; k++) {
                const ds_traced_cohort_t *c = &trace.cohorts[k];
                const ds_cohort_log_t *log = &c->calendar;
                level_patients_t *o = &at_level[c->level];
                const int places_before = c->level_patients - c->n;
                int evaluable_before = 0;
                for (int i = 0; i < o->n; i++) {
                    evaluable_before += o->at[i] <= log->opened && o->fate[i] != DS_PATIENT_LEAVES;
                }
                open += places_before > evaluable_before;
                for (int i = 0; i < log->n_patients && o->n < 4 * DS_MAX_PATIENTS_PER_LEVEL; i++) {
                    o->enrolled[o->n] = log->patients[i].enrolled;
                    o->at[o->n] = log->patients[i].outcome;
                    o->fate[o->n++] = log->patients[i].fate;
                }
                ds_trial_t before = {0};
                const int prior_dlts = c->level_dlts - c->dlt;
                before.patients[c->level] = places_before;
                before.dlts[c->level] = prior_dlts;
                ds_cohort_rule_t rule = ds_design_cohort_rule(&design, &before, c->level, c->n);
                /* The cohort's own places first have a patient on the n-th enrolment. */
                const double filled =
                    log->n_patients >= c->n ? log->patients[c->n - 1].enrolled : INFINITY;
                bool settled =
                    log->decided >= filled && settled_on_evaluable(o, c->level_patients, rule,
                                                                   prior_dlts, log->decided, false);
                bool first =
                    log->decided == filled || !settled_on_evaluable(o, c->level_patients, rule,
                                                                    prior_dlts, log->decided, true);
                if (!(settled && first) && wrong++ == 0) {
                    CHECK_MSG(false, "%s, trial %llu, cohort %d: decided on day %g, %s", designs[d],
                              (unsigned long long)trial + 1, k + 1, log->decided,
                              settled ? "later than the evaluable outcomes allowed"
                                      : "before the evaluable outcomes settled it");
                }
            }
            ds_trace_free(&trace);
            free(at_level);
        }
        CHECK_MSG(wrong == 0, "%s: %d decisions do not rest on evaluable patients", designs[d],
                  wrong);
        ds_engine_free(&engine);
    }
    CHECK_MSG(open > 0, "no decision found a place of an earlier cohort open: not tested");
}

static void test_cohort_rule(void)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_set_3plus3(&design);
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
    ds_timing_set_defaults(&t);
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
    ds_calendar_start(&cal, 1);
    CHECK_INT_EQ(ds_calendar_cohort(&cal, &t, (ds_cohort_rule_t){0, 2, false}, 0, 0, 0, NULL, NULL),
                 DS_ERR_BAD_PARAM);
}

/* Extreme calendars: a trial longer than the tallies hold is refused, and
 * more arrivals turned away than GSL's Poisson sampler returns (an unsigned
 * int) are drawn in parts: mean 5e9 (sd 70711), seed 3, within 6 sd. */
static void test_calendar_limits(void)
{
    ds_timing_t t = timing_of(100000.0, 21.0, 0.0);
    gsl_rng *rng = gsl_rng_alloc(ds_gsl_rng_pcg32);
    if (!CHECK(rng != NULL)) {
        return;
    }
    ds_engine_timing_stream(ds_rng_of_gsl(rng), 3, 0);
    ds_calendar_t cal;
    ds_calendar_start(&cal, 1);
    cal.clock = 1.0e6;
    cal.idle_days = 5.0e9 * 30.0 / 100000.0;
    CHECK_INT_EQ(ds_calendar_finish(&cal, &t, rng), 0);
    CHECK_MSG(fabs((double)cal.turned_away - 5.0e9) < 6.0 * sqrt(5.0e9), "turned away %llu",
              (unsigned long long)cal.turned_away);
    cal.clock = DS_MAX_DURATION_DAYS + 0.01;
    CHECK_INT_EQ(ds_calendar_finish(&cal, &t, rng), DS_ERR_OVERFLOW);
    gsl_rng_free(rng);
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

/* ---- the rolling six ---- */

static void rolling_design(ds_design_t *design, int option, int start)
{
    ds_diag_t diag;
    ds_design_set_3plus3(design);
    CHECK_INT_EQ(ds_design_preset(design, "rolling6", &diag), 0);
    design->deescalate = (option & 1) == 0;
    design->top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
    design->start_level = start;
}

/* When every outcome is known before the next patient arrives (a 0.01-day
 * window, 0.01 patients per 30 days: the next arrival falls within a window
 * with probability 3e-6), the rolling six sees patients one at a time, and its
 * table then escalates on 0/3 or 1/6 and stops a dose at its second DLT: the
 * 3+3's selections exactly. Against the exact 3+3, every option, two start
 * levels, three scenarios; 100000 trials each, seed 2008, 4 standard errors. */
static void test_rolling_six_one_at_a_time_is_three_plus_three(void)
{
    static const double scenarios[][3] = {{0.10, 0.30, 0.5}, {0.0, 0.2, 1.0}, {0.3, 0.1, 0.5}};
    const uint64_t trials = 100000;
    const double n = (double)trials;
    for (int s = 0; s < 3; s++) {
        for (int option = 0; option < 4; option++) {
            for (int start = 0; start < 3; start += 2) {
                test_scenario_t f;
                ds_design_t rolling, plain;
                ds_tally_t tally;
                ds_oc_t mc, exact;
                ds_diag_t diag;
                const ds_scenario_t *sc = test_scenario(&f, scenarios[s], 3);
                rolling_design(&rolling, option, start);
                plain = rolling;
                CHECK_INT_EQ(ds_design_preset(&plain, "3+3", &diag), 0);
                ds_timing_t timing = timing_of(0.01, 0.01, 0.0);
                if (!CHECK_INT_EQ_RET(simulate(sc, &rolling, &timing, 2008, trials, &tally, &mc),
                                      0) ||
                    !CHECK_INT_EQ_RET(ds_exact_oc(sc, &plain, &exact, &diag), 0)) {
                    return;
                }
                CHECK_WITHIN_SE(mc.prob_none, exact.prob_none,
                                sqrt(exact.prob_none * (1 - exact.prob_none) / n), 4);
                for (int d = 0; d < 3; d++) {
                    double q = exact.prob_rp2d[d];
                    CHECK_WITHIN_SE(mc.prob_rp2d[d], q, sqrt(q * (1 - q) / n), 4);
                }
                ds_oc_free(&mc);
                ds_oc_free(&exact);
                ds_tally_free(&tally);
            }
        }
    }
}

/* On the shipped tifcemalimab scenarios with the make-run calendar (3 patients
 * per 30 days, dropout 0.05, Weibull(2) onset), the rolling six selects each
 * dose (and none) within 0.02 of the 3+3 (measured: at most 0.0091, with 10^6
 * trials), and finishes sooner on average by more than 4 standard errors of the
 * difference (Skolnik et al.'s point). 200000 trials each, seed 2008. */
static void test_rolling_six_beside_three_plus_three(void)
{
    ds_scenario_file_t file;
    ds_diag_t diag;
    if (!CHECK_INT_EQ_RET(ds_scenario_file_load(&file, "scenarios/tifcemalimab.csv", &diag), 0)) {
        return;
    }
    const uint64_t trials = 200000;
    ds_timing_t timing = timing_of(3.0, 21.0, 0.05);
    timing.onset = DS_ONSET_WEIBULL;
    timing.weibull_shape = 2.0;
    for (int s = 0; s < file.n_scenarios; s++) {
        const ds_scenario_t *sc = &file.scenarios[s];
        ds_design_t rolling, plain;
        ds_tally_t ta, tb;
        ds_oc_t a, b;
        rolling_design(&rolling, 0, 0);
        ds_design_set_3plus3(&plain);
        if (!CHECK_INT_EQ_RET(simulate(sc, &plain, &timing, 2008, trials, &ta, &a), 0) ||
            !CHECK_INT_EQ_RET(simulate(sc, &rolling, &timing, 2008, trials, &tb, &b), 0)) {
            break;
        }
        CHECK_MSG(fabs(a.prob_none - b.prob_none) <= 0.02, "%s: no RP2D %.4f vs %.4f", sc->name,
                  a.prob_none, b.prob_none);
        for (int d = 0; d < sc->n_levels; d++) {
            CHECK_MSG(fabs(a.prob_rp2d[d] - b.prob_rp2d[d]) <= 0.02, "%s: level %d: %.4f vs %.4f",
                      sc->name, d + 1, a.prob_rp2d[d], b.prob_rp2d[d]);
        }
        double se = sqrt(
            (a.sd_duration_days * a.sd_duration_days + b.sd_duration_days * b.sd_duration_days) /
            (double)trials);
        CHECK_MSG(a.mean_duration_days - b.mean_duration_days > 4 * se,
                  "%s: 3+3 %.1f days, rolling six %.1f (se of the difference %.2f)", sc->name,
                  a.mean_duration_days, b.mean_duration_days, se);
        ds_oc_free(&a);
        ds_oc_free(&b);
        ds_tally_free(&ta);
        ds_tally_free(&tb);
    }
    ds_scenario_file_free(&file);
}

/* Departures: each patient enrolled leaves early with probability
 * r = (1-p) q / (1-pq), decided before anything about them is known, so by
 * Wald's identity E[not evaluable] = r E[enrolled] (and the ratio to the
 * evaluable ones is (1-p) q / (1-q), as in the cohort model). One dose,
 * p = 0.2, q = 0.3, 3 patients per 30 days: 200000 trials, seed 7, the
 * difference per trial within 4 standard errors of 0. */
typedef struct {
    double r;
    double sum, sum_sq;
    uint64_t n, departures;
} wald_t;

static int wald_trial(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                      const ds_calendar_t *calendar)
{
    (void)trial;
    (void)state;
    (void)rp2d;
    wald_t *w = ctx;
    double x = (double)calendar->nonevaluable - w->r * (double)calendar->enrolled;
    w->sum += x;
    w->sum_sq += x * x;
    w->n++;
    w->departures += calendar->nonevaluable;
    return 0;
}

static void test_rolling_six_departures(void)
{
    test_scenario_t f;
    ds_design_t design;
    ds_engine_t engine;
    ds_tally_t tally;
    ds_diag_t diag;
    const double p = 0.2, q = 0.3;
    const uint64_t trials = 200000;
    rolling_design(&design, 0, 0);
    ds_timing_t timing = timing_of(3.0, 21.0, q);
    const ds_scenario_t *sc = test_scenario(&f, &p, 1);
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, sc, &design, &timing, &diag), 0)) {
        return;
    }
    wald_t w = {.r = (1 - p) * q / (1 - p * q)};
    CHECK_INT_EQ(ds_engine_tally_init(&engine, &tally), 0);
    CHECK_INT_EQ(ds_engine_run_blocks(&engine, 7, trials, 0, ds_engine_n_blocks(trials), &tally,
                                      wald_trial, &w),
                 0);
    CHECK(w.n == trials);
    double mean = w.sum / (double)w.n;
    double sd = sqrt(w.sum_sq / (double)w.n - mean * mean);
    CHECK_WITHIN_SE(mean, 0.0, sd / sqrt((double)w.n), 4);
    CHECK(w.departures > trials / 2); /* about 0.26 per patient enrolled */
    ds_tally_free(&tally);
    ds_engine_free(&engine);
}

/* The rolling six needs calendar time; its results do not depend on how the
 * blocks are shared out between threads. */
static void test_rolling_six_engine(void)
{
    test_scenario_t f;
    ds_design_t design;
    ds_engine_t engine;
    ds_diag_t diag;
    rolling_design(&design, 0, 0);
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.1, 0.3, 0.5}, 3);
    CHECK_INT_EQ(ds_engine_init(&engine, sc, &design, NULL, &diag), DS_ERR_BAD_PARAM);
    CHECK(strstr(diag.message, "calendar time") != NULL);
    ds_timing_t timing = timing_of(4.0, 21.0, 0.1);
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, sc, &design, &timing, &diag), 0)) {
        return;
    }
    CHECK(!engine.have_tree);
    ds_tally_t one, three;
    const uint64_t trials = 30000;
    CHECK_INT_EQ(ds_engine_tally_init(&engine, &one), 0);
    CHECK_INT_EQ(ds_engine_tally_init(&engine, &three), 0);
    CHECK_INT_EQ(ds_engine_run_threads(&engine, 11, trials, 0, ds_engine_n_blocks(trials), 1, &one),
                 0);
    CHECK_INT_EQ(
        ds_engine_run_threads(&engine, 11, trials, 0, ds_engine_n_blocks(trials), 3, &three), 0);
    CHECK(one.len == three.len && memcmp(one.count, three.count, one.len * sizeof(uint64_t)) == 0);
    CHECK(one.count[DS_TALLY_TRIALS] == trials);
    ds_tally_free(&one);
    ds_tally_free(&three);
    ds_engine_free(&engine);
}

const test_case_t timing_tests[] = {
    {"rolling_six_one_at_a_time_is_three_plus_three",
     test_rolling_six_one_at_a_time_is_three_plus_three},
    {"rolling_six_beside_three_plus_three", test_rolling_six_beside_three_plus_three},
    {"rolling_six_departures", test_rolling_six_departures},
    {"rolling_six_engine", test_rolling_six_engine},
    {"closed_form_48_days", test_closed_form_48_days},
    {"closed_form_47_days", test_closed_form_47_days},
    {"closed_form_dropout", test_closed_form_dropout},
    {"patient_counts_add_up", test_patient_counts_add_up},
    {"decisions_rest_on_evaluable_counts", test_decisions_rest_on_evaluable_counts},
    {"decision_at_second_dlt", test_decision_at_second_dlt},
    {"selection_unchanged", test_selection_unchanged},
    {"timed_agrees_with_exact", test_timed_agrees_with_exact},
    {"earlier_onset_shortens_toxic_trials", test_earlier_onset_shortens_toxic_trials},
    {"event_loop_matches_scan", test_event_loop_matches_scan},
    {"decisions_wait_for_every_outcome_at_the_dose",
     test_decisions_wait_for_every_outcome_at_the_dose},
    {"cohort_rule", test_cohort_rule},
    {"options_checked", test_options_checked},
    {"wide_counters", test_wide_counters},
    {"calendar_limits", test_calendar_limits},
    {NULL, NULL},
};

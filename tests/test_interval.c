/* The interval designs (interval.h): decision tables against the published
 * ones, the conduct against R BOIN 2.7.2's get.oc, the exact calculation
 * against a plain sum over every path and against the Monte Carlo engine, and
 * users' decision tables refused as they must be. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dosesim/engine.h"
#include "dosesim/exact.h"
#include "dosesim/interval.h"
#include "dosesim/presets.h"
#include "dosesim/schema.h"
#include "testlib.h"
#include "testrun.h"

static ds_design_t interval_design(ds_interval_kind_t kind, double target, int max_n)
{
    ds_design_t d;
    ds_design_set_3plus3(&d);
    ds_interval_set(&d, kind, target);
    d.interval.max_n = max_n;
    ds_diag_t diag;
    CHECK_MSG(ds_interval_build(&d, &diag) == 0, "building %s: %s", ds_interval_kind_name(kind),
              diag.message);
    return d;
}

/* Rows of a decision table at n = cohort, 2 cohort, ... */
static void check_rows(const char *what, const ds_design_t *d, int cohort, int n_rows,
                       const int *esc, const int *deesc, const int *elim)
{
    const ds_interval_rules_t *r = &d->interval;
    for (int i = 0; i < n_rows; i++) {
        const int n = (i + 1) * cohort;
        CHECK_MSG(
            r->esc_max[n] == esc[i] && r->deesc_min[n] == deesc[i] && r->elim_min[n] == elim[i],
            "%s, n = %d: escalate <= %d, de-escalate >= %d, eliminate >= %d; the reference "
            "says %d, %d, %d",
            what, n, r->esc_max[n], r->deesc_min[n], r->elim_min[n], esc[i], deesc[i], elim[i]);
    }
}

/* BOIN::get.boundary(target = 0.3, ncohort = 10, cohortsize = 3), BOIN 2.7.2
 * (CRAN), and its lambda_e, lambda_d at 0.3, 0.25 and 0.2. */
static void test_boin_boundaries(void)
{
    ds_design_t d = interval_design(DS_INTERVAL_BOIN, 0.3, 30);
    static const int esc[] = {0, 1, 2, 2, 3, 4, 4, 5, 6, 7};
    static const int deesc[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    static const int elim[] = {3, 4, 5, 7, 8, 9, 10, 11, 12, 14};
    check_rows("BOIN at 0.3", &d, 3, 10, esc, deesc, elim);
    static const double targets[] = {0.3, 0.25, 0.2};
    static const double lambda_e[] = {0.2364907, 0.1968009, 0.1572423};
    static const double lambda_d[] = {0.3585195, 0.2983922, 0.2384624};
    for (int i = 0; i < 3; i++) {
        ds_design_t t = interval_design(DS_INTERVAL_BOIN, targets[i], 30);
        CHECK_NEAR(t.interval.lambda_e, lambda_e[i], 5e-8);
        CHECK_NEAR(t.interval.lambda_d, lambda_d[i], 5e-8);
    }
    /* Below three patients nothing is eliminated. */
    CHECK_INT_EQ(d.interval.elim_min[1], 2);
    CHECK_INT_EQ(d.interval.elim_min[2], 3);
}

/* Keyboard::get.boundary.kb(0.3, 10, 3) and (0.25, 6, 3), Keyboard 0.1.3
 * (CRAN), run on this machine with R 4.2.2; mTPI-2's keys are the same. */
static void test_keyboard_boundaries(void)
{
    static const int esc[] = {0, 1, 2, 2, 3, 4, 5, 5, 6, 7};
    static const int deesc[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    static const int elim[] = {3, 4, 5, 7, 8, 9, 10, 11, 12, 14};
    static const int esc25[] = {0, 1, 1, 2, 2, 3};
    static const int deesc25[] = {1, 2, 3, 4, 5, 6};
    static const int elim25[] = {3, 4, 5, 6, 7, 8};
    static const ds_interval_kind_t kinds[] = {DS_INTERVAL_KEYBOARD, DS_INTERVAL_MTPI2};
    for (int k = 0; k < 2; k++) {
        ds_design_t d = interval_design(kinds[k], 0.3, 30);
        check_rows(ds_interval_kind_name(kinds[k]), &d, 3, 10, esc, deesc, elim);
        ds_design_t q = interval_design(kinds[k], 0.25, 18);
        check_rows(ds_interval_kind_name(kinds[k]), &q, 3, 6, esc25, deesc25, elim25);
    }
}

/* mTPI-2's decision at every n from 1 to 30 (cohorts of 1), at nine targets and
 * equivalence intervals, against R escalation 0.2.3 (CRAN, Brock):
 * tests/data/interval/escalation_mtpi2.csv holds the escalation and
 * de-escalation counts of its mtpi2_selector's unit-probability-mass rule, run
 * on this machine with R 4.2.2 (dplyr 1.0.10) for each (n, y) at a dose with
 * doses above and below. escalation de-escalates without capping; dosesim caps
 * the de-escalation count at the elimination count (BOIN's conduct), so the
 * reference's count is compared after the same cap. */
static void test_mtpi2_meets_escalation(void)
{
    char *text = test_read_file("tests/data/interval/escalation_mtpi2.csv", NULL);
    if (!CHECK(text != NULL)) {
        return;
    }
    int rows = 0, settings = 0;
    double last_target = -1, last_hi = -1;
    ds_design_t d;
    for (char *line = strchr(text, '\n'); line != NULL && line[1] != '\0';
         line = strchr(line + 1, '\n')) {
        double target = 0, lo = 0, hi = 0;
        int n = 0, esc = 0, deesc = 0;
        if (!CHECK(sscanf(line + 1, "%lf,%lf,%lf,%d,%d,%d", &target, &lo, &hi, &n, &esc, &deesc) ==
                   6)) {
            break;
        }
        if (target != last_target || hi != last_hi) {
            ds_design_set_3plus3(&d);
            ds_interval_set(&d, DS_INTERVAL_MTPI2, target);
            d.interval.cohort_size = 1;
            d.interval.max_n = 30;
            d.interval.lo = lo;
            d.interval.hi = hi;
            ds_diag_t diag;
            CHECK_MSG(ds_interval_build(&d, &diag) == 0, "%s", diag.message);
            last_target = target;
            last_hi = hi;
            settings++;
        }
        const ds_interval_rules_t *r = &d.interval;
        const int capped = deesc < r->elim_min[n] ? deesc : r->elim_min[n];
        CHECK_MSG(r->esc_max[n] == esc && r->deesc_min[n] == capped,
                  "mTPI-2 at %g, interval %g..%g, n = %d: escalate <= %d, de-escalate >= %d; "
                  "escalation says %d, %d",
                  target, lo, hi, n, r->esc_max[n], r->deesc_min[n], esc, capped);
        rows++;
    }
    CHECK_INT_EQ(rows, 270);
    CHECK_INT_EQ(settings, 9);
    free(text);
}

/* A path of cohorts ("1NNN 2NTT": the dose, then each patient's outcome, N
 * none or T a DLT) through the design's own moves; the action after the last.
 * follow: the path is a trial's, each cohort where the design sends it (else
 * counts at a dose, as a published table's cells are read). */
static ds_action_t replay(const ds_design_t *d, int n_levels, const char *path, bool follow,
                          int *highest)
{
    ds_trial_t trial;
    ds_action_t action = ds_design_start(d, &trial, n_levels);
    for (const char *c = path; *c != '\0';) {
        const int level = *c++ - '1';
        CHECK_MSG(!follow || (action.kind == DS_ACTION_TREAT && action.level == level),
                  "%s: the design treats at dose %d, the path at %d", path, action.level + 1,
                  level + 1);
        trial.current = level;
        for (; *c == 'N' || *c == 'T'; c++) {
            trial.patients[level]++;
            trial.treated[level]++;
            trial.n_total++;
            trial.n_treated++;
            trial.dlts[level] += *c == 'T';
            trial.dlt_total += *c == 'T';
        }
        c += *c == ' ';
        action = d->family->next(d, &trial);
    }
    *highest = trial.highest_allowed;
    return action;
}

/* Published decisions as R escalation 0.2.3's tests read them (CRAN, tests/
 * testthat): mTPI-2's Figure 3 in Guo et al. (Contemp Clin Trials 2017),
 * target 0.3, interval 0.25..0.35, 5 doses, at doses 1, 2 and 5 with 3, 6 and
 * 9 patients (test_mtpi2.R); and BOIN's worked example on p. 25 of Han, Pan,
 * Zhang, Liu & Yuan (2019), target 0.3, 5 doses (test_boin.R), a trial
 * followed cohort by cohort. Each row: the path, the next dose (0: the trial
 * stops, no dose), the highest dose still allowed. */
static void test_published_paths(void)
{
    static const struct {
        const char *path;
        int next, highest;
    } mtpi2[] = {
        {"1NNN", 2, 5},           {"1NNT", 1, 5},           {"1NTT", 1, 5},
        {"1TTT", 0, 0},           {"1NNN 1NNN", 2, 5},      {"1NNN 1NNT", 2, 5},
        {"1NNN 1NTT", 1, 5},      {"1NNN 1TTT", 1, 5},      {"1NNT 1TTT", 0, 0},
        {"1TTT 1TTT", 0, 0},      {"1NNN 1NNN 1NNN", 2, 5}, {"1NNN 1NNN 1NTT", 2, 5},
        {"1NNN 1NNN 1TTT", 1, 5}, {"1NNN 1NNT 1TTT", 1, 5}, {"1NNN 1NTT 1TTT", 0, 0},
        {"2NNN", 3, 5},           {"2NNT", 2, 5},           {"2NTT", 1, 5},
        {"2TTT", 1, 1},           {"2NNN 2NNN", 3, 5},      {"2NNN 2NNT", 3, 5},
        {"2NNN 2NTT", 2, 5},      {"2NNN 2TTT", 1, 5},      {"2NNT 2TTT", 1, 1},
        {"2NNN 2NNN 2NTT", 3, 5}, {"2NNN 2NNN 2TTT", 2, 5}, {"2NNN 2NNT 2TTT", 1, 5},
        {"2NNN 2NTT 2TTT", 1, 1}, {"5NNN", 5, 5},           {"5NNT", 5, 5},
        {"5NTT", 4, 5},           {"5TTT", 4, 4},           {"5NNN 5NTT", 5, 5},
        {"5NNN 5TTT", 4, 5},      {"5NNT 5TTT", 4, 4},      {"5NNN 5NNN 5TTT", 5, 5},
        {"5NNN 5NNT 5TTT", 4, 5}, {"5NNN 5NTT 5TTT", 4, 4},
    };
    static const struct {
        const char *path;
        int next, highest;
    } boin[] = {
        {"1NNN", 2, 5},
        {"1NNN 2NNN", 3, 5},
        {"1NNN 2NNN 3NTT", 2, 5},
        {"1NNN 2NNN 3NTT 2NTN", 3, 5},
        {"1NNN 2NNN 3NTT 2NTN 3NNN", 3, 5},
        {"1NNN 2NNN 3NTT 2NTN 3NNN 3NNN", 4, 5},
        {"1NNN 2NNN 3NTT 2NTN 3NNN 3NNN 4TTT", 3, 3},
        {"1NNN 2NNN 3NTT 2NTN 3NNN 3NNN 4TTT 3NTN", 3, 3},
        {"1NNN 2NNN 3NTT 2NTN 3NNN 3NNN 4TTT 3NTN 3NNT", 3, 3},
        {"1NNN 2NNN 3NTT 2NTN 3NNN 3NNN 4TTT 3NTN 3NNT 3TNN", 3, 3},
    };
    ds_design_t m = interval_design(DS_INTERVAL_MTPI2, 0.3, 30);
    ds_design_t b = interval_design(DS_INTERVAL_BOIN, 0.3, 30);
    for (int k = 0; k < 2; k++) {
        const ds_design_t *d = k == 0 ? &m : &b;
        const size_t n = k == 0 ? sizeof(mtpi2) / sizeof(mtpi2[0]) : sizeof(boin) / sizeof(boin[0]);
        for (size_t i = 0; i < n; i++) {
            const char *path = k == 0 ? mtpi2[i].path : boin[i].path;
            const int next = k == 0 ? mtpi2[i].next : boin[i].next;
            const int highest = k == 0 ? mtpi2[i].highest : boin[i].highest;
            /* The path may start above dose 1, as the published table's columns do. */
            ds_design_t from = *d;
            from.start_level = path[0] - '1';
            int allowed = 0;
            const ds_action_t a = replay(&from, 5, path, k == 1, &allowed);
            const int got = a.kind == DS_ACTION_STOP ? 0 : a.level + 1;
            CHECK_MSG(got == next && (next == 0 || allowed + 1 == highest),
                      "%s after %s: dose %d next (highest allowed %d); published %d (%d)", d->name,
                      path, got, allowed + 1, next, highest);
        }
    }
}

/* i3+3 (Liu, Wang & Ji 2020), from its rule by hand: interval 0.25..0.35. */
static void test_i3p3_rule(void)
{
    ds_design_t d = interval_design(DS_INTERVAL_I3P3, 0.3, 30);
    const ds_interval_rules_t *r = &d.interval;
    /* n = 3: 0/3 below (E); 1/3 = 0.33 inside (S); 2/3 above, (2-1)/3 = 0.33 not
     * below 0.25 (D). n = 6: 1/6 = 0.17 below (E); 2/6 inside (S); 3/6 above,
     * 2/6 not below (D). n = 9: 2/9 = 0.22 below (E); 3/9 inside (S); 4/9 above,
     * 3/9 not below (D). n = 4: 1/4 = 0.25 inside (S); 2/4 above, 1/4 = 0.25
     * not below 0.25 (D). n = 5: 1/5 below (E); 2/5 above but 1/5 below (S);
     * 3/5 (D). */
    CHECK_INT_EQ(r->esc_max[3], 0);
    CHECK_INT_EQ(r->deesc_min[3], 2);
    CHECK_INT_EQ(r->esc_max[6], 1);
    CHECK_INT_EQ(r->deesc_min[6], 3);
    CHECK_INT_EQ(r->esc_max[9], 2);
    CHECK_INT_EQ(r->deesc_min[9], 4);
    CHECK_INT_EQ(r->esc_max[4], 0);
    CHECK_INT_EQ(r->deesc_min[4], 2);
    CHECK_INT_EQ(r->esc_max[5], 1);
    CHECK_INT_EQ(r->deesc_min[5], 3);
    /* Elimination is BOIN's (the posterior), capping de-escalation: at n = 3, 3 DLTs. */
    CHECK_INT_EQ(r->elim_min[3], 3);
}

/* The exact values must lie within 4 of a get.oc run's Monte Carlo standard
 * errors (for the means, from the exact variance). */
static void check_against_get_oc(const char *what, const ds_design_t *d, const double *p,
                                 const double *selected, const double *patients, double early_stop,
                                 double total, double n_trials)
{
    test_scenario_t f;
    const ds_scenario_t *s = test_scenario(&f, p, 5);
    ds_oc_t oc;
    ds_diag_t diag;
    if (!CHECK_MSG(ds_exact_oc(s, d, &oc, &diag) == 0, "%s", diag.message)) {
        return;
    }
    for (int k = 0; k < 5; k++) {
        const double e = oc.prob_rp2d[k], se = sqrt(e * (1 - e) / n_trials);
        CHECK_MSG(fabs(100 * e - selected[k]) <= 4 * 100 * se,
                  "%s, dose %d selected: exact %.4f%%, get.oc %.3f%% (4 SE = %.3f%%)", what, k + 1,
                  100 * e, selected[k], 400 * se);
        const double var = oc.mean_sq_at[k] - oc.mean_patients[k] * oc.mean_patients[k];
        const double se_n = sqrt(var / n_trials);
        CHECK_MSG(fabs(oc.mean_patients[k] - patients[k]) <= 4 * se_n,
                  "%s, dose %d patients: exact %.4f, get.oc %.3f (4 SE = %.4f)", what, k + 1,
                  oc.mean_patients[k], patients[k], 4 * se_n);
    }
    const double none = oc.prob_none, se_none = sqrt(none * (1 - none) / n_trials);
    CHECK_MSG(fabs(100 * none - early_stop) <= 400 * se_none,
              "%s, no MTD: exact %.4f%%, get.oc %.3f%% (4 SE = %.3f%%)", what, 100 * none,
              early_stop, 400 * se_none);
    CHECK_MSG(fabs(oc.mean_n - total) <= 4 * oc.sd_n / sqrt(n_trials) + 1e-9,
              "%s, patients: exact %.4f, get.oc %.3f", what, oc.mean_n, total);
    ds_oc_free(&oc);
}

static void test_exact_meets_get_oc(void)
{
    /* The figures: BOIN 2.7.2, get.oc(target = 0.3, p.true = c(.10,
     * .25, .40, .55, .70), ncohort = 10, cohortsize = 3, ntrial = 100000, seed = 1). */
    static const double p[] = {0.10, 0.25, 0.40, 0.55, 0.70};
    static const double selected[] = {9.678, 54.379, 31.542, 4.005, 0.134};
    static const double patients[] = {7.228, 13.077, 7.767, 1.718, 0.146};
    ds_design_t boin = interval_design(DS_INTERVAL_BOIN, 0.3, 30);
    check_against_get_oc("BOIN", &boin, p, selected, patients, 0.262, 29.936, 100000);
    /* Every option: BOIN 2.7.2's own R code run on this machine (R 4.2.2),
     * get.oc(target = 0.25, p.true = c(.05, .12, .25, .4, .55), ncohort = 8,
     * cohortsize = 3, startdose = 2, n.earlystop = 12, extrasafe = TRUE,
     * boundMTD = TRUE, ntrial = 20000, seed = 3). */
    static const double pa[] = {0.05, 0.12, 0.25, 0.4, 0.55};
    static const double sel_a[] = {4.22, 39.72, 45.49, 9.69, 0.53};
    static const double pts_a[] = {1.93260, 8.51940, 8.43765, 3.42240, 0.65175};
    ds_design_t every = interval_design(DS_INTERVAL_BOIN, 0.25, 24);
    every.interval.n_earlystop = 12;
    every.interval.extrasafe = true;
    every.interval.bound_mtd = true;
    every.start_level = 1;
    ds_diag_t diag;
    CHECK(ds_interval_build(&every, &diag) == 0);
    check_against_get_oc("BOIN, every option", &every, pa, sel_a, pts_a, 0.35, 22.9638, 20000);
    /* Keyboard 0.1.3's get.oc.kb(target = 0.3, the same p.true, ncohort = 10,
     * cohortsize = 3, ntrial = 20000) (its seed is 6), run the same way; its
     * n.earlystop (100) never binds at 30 patients, where its conduct and
     * BOIN's differ. */
    static const double sel_k[] = {9.625, 53.535, 32.265, 4.215, 0.095};
    static const double pts_k[] = {7.19085, 12.98940, 7.85670, 1.75080, 0.14685};
    ds_design_t keyboard = interval_design(DS_INTERVAL_KEYBOARD, 0.3, 30);
    check_against_get_oc("Keyboard", &keyboard, p, sel_k, pts_k, 0.265, 29.9346, 20000);
}

/* ---- an independent sum over every path ---- */

typedef struct {
    const ds_design_t *design;
    const ds_scenario_t *scenario;
    double none, *select, *patients;
    double n_prob[DS_MAX_PATIENTS_PER_LEVEL + 1];
    long paths;
} walk_t;

static double binomial(int n, int x, double p)
{
    double c = 1;
    for (int i = 0; i < x; i++) {
        c = c * (n - i) / (i + 1);
    }
    return c * pow(p, x) * pow(1 - p, n - x);
}

/* Every path, one cohort at a time, by the design's rules; no state is merged. */
static void walk(walk_t *w, ds_trial_t trial, double prob)
{
    const int level = trial.current, cohort = w->design->interval.cohort_size;
    for (int x = 0; x <= cohort; x++) {
        const double q = prob * binomial(cohort, x, w->scenario->p_dlt[level]);
        if (q == 0.0) {
            continue;
        }
        ds_trial_t t = trial;
        ds_trial_record(&t, level, cohort, x);
        ds_action_t a = ds_design_next(w->design, &t);
        if (a.kind == DS_ACTION_TREAT) {
            walk(w, t, q);
            continue;
        }
        w->paths++;
        if (a.kind == DS_ACTION_SELECT) {
            w->select[a.level] += q;
        } else {
            w->none += q;
        }
        for (int d = 0; d < t.n_levels; d++) {
            w->patients[d] += q * t.patients[d];
        }
        w->n_prob[t.n_total] += q;
    }
}

static void compare_with_paths(const char *what, const ds_design_t *d, const double *p,
                               int n_levels)
{
    test_scenario_t f;
    const ds_scenario_t *s = test_scenario(&f, p, n_levels);
    double select[DS_MAX_LEVELS] = {0}, patients[DS_MAX_LEVELS] = {0};
    walk_t w = {.design = d, .scenario = s, .select = select, .patients = patients};
    ds_trial_t trial;
    ds_design_start(d, &trial, n_levels);
    walk(&w, trial, 1.0);
    ds_oc_t oc;
    ds_diag_t diag;
    if (!CHECK_MSG(ds_exact_oc(s, d, &oc, &diag) == 0, "%s: %s", what, diag.message)) {
        return;
    }
    double worst = fabs(oc.prob_none - w.none);
    for (int k = 0; k < n_levels; k++) {
        worst = fmax(worst, fabs(oc.prob_rp2d[k] - select[k]));
        worst = fmax(worst, fabs(oc.mean_patients[k] - patients[k]) / 30);
    }
    for (int n = 0; n <= d->interval.max_n; n++) {
        worst = fmax(worst, fabs(oc.n_prob[n] - w.n_prob[n]));
    }
    CHECK_MSG(worst <= 1e-12, "%s: exact and the sum over %ld paths differ by %.3g", what, w.paths,
              worst);
    /* The library's own sum over the paths (paths.c) and its count of them. */
    ds_oc_t by_paths;
    uint64_t count = 0;
    if (CHECK_MSG(ds_exact_oc_by_paths(s, d, &by_paths, &diag) == 0, "%s: %s", what,
                  diag.message)) {
        for (int k = 0; k < n_levels; k++) {
            CHECK_NEAR(by_paths.prob_rp2d[k], oc.prob_rp2d[k], 1e-12);
            CHECK_NEAR(by_paths.mean_patients[k], oc.mean_patients[k], 1e-11);
            CHECK_NEAR(by_paths.mean_sq_at[k], oc.mean_sq_at[k], 1e-9);
        }
        ds_oc_free(&by_paths);
    }
    if (CHECK(ds_paths_count(s, d, 1000000000u, &count) == 0)) {
        CHECK_MSG(count == (uint64_t)w.paths, "%s: %llu paths counted, %ld walked", what,
                  (unsigned long long)count, w.paths);
    }
    if (w.paths > 2 && CHECK(ds_paths_count(s, d, (uint64_t)w.paths - 2, &count) == 0)) {
        CHECK_MSG(count == (uint64_t)w.paths - 1, "%s: past the limit: %llu", what,
                  (unsigned long long)count);
    }
    ds_oc_free(&oc);
}

static void test_exact_equals_every_path(void)
{
    static const double p3[] = {0.08, 0.22, 0.45};
    static const double p2[] = {0.15, 0.35};
    static const ds_interval_kind_t kinds[] = {DS_INTERVAL_BOIN, DS_INTERVAL_I3P3,
                                               DS_INTERVAL_MTPI2, DS_INTERVAL_KEYBOARD};
    for (int k = 0; k < 4; k++) {
        ds_design_t d = interval_design(kinds[k], 0.25, 15);
        compare_with_paths(ds_interval_kind_name(kinds[k]), &d, p3, 3);
        d.start_level = 1;
        compare_with_paths("start at 2", &d, p3, 3);
        ds_design_t e = interval_design(kinds[k], 0.3, 18);
        compare_with_paths("two doses, 18", &e, p2, 2);
    }
    ds_design_t b = interval_design(DS_INTERVAL_BOIN, 0.25, 30);
    b.interval.n_earlystop = 9;
    b.interval.extrasafe = true;
    b.interval.bound_mtd = true;
    ds_diag_t diag;
    CHECK(ds_interval_build(&b, &diag) == 0);
    CHECK_STR_EQ(b.name, "boin(n_earlystop=9,extrasafe,bound_mtd)");
    static const double p4[] = {0.2, 0.3, 0.5, 0.6};
    compare_with_paths("BOIN with every option", &b, p4, 4);
}

/* Calendar time against a closed form. Two doses with p = 0, 18 patients in
 * cohorts of 3, 3 patients per 30 days (0.1 a day), a 21-day window, no
 * dropout: every interval design escalates, then stays, and decides a cohort
 * once all its outcomes are in, so each of the 6 cohorts takes the wait for 3
 * arrivals (Gamma(3, 0.1 a day)) plus the 21 days of its last patient: the
 * duration is 126 + Gamma(18, 0.1), mean 306 days, sd sqrt(18) / 0.1 =
 * 42.43; an arrival while the 3 places are taken is turned away: Poisson(6 x
 * 0.1 x 21 = 12.6). 200,000 trials, seed 20261202, 4 standard errors. */
static void test_calendar_closed_form(void)
{
    static const ds_interval_kind_t kinds[] = {DS_INTERVAL_BOIN, DS_INTERVAL_I3P3,
                                               DS_INTERVAL_KEYBOARD};
    const double n = 200000, rate = 0.1, mean = 6 * 21.0 + 18 / rate, sd = sqrt(18.0) / rate;
    ds_timing_t timing;
    ds_timing_set_defaults(&timing);
    timing.on = true;
    timing.accrual_per_30 = 3.0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        ds_design_t d = interval_design(kinds[k], 0.3, 18);
        test_scenario_t f;
        ds_oc_t oc;
        ds_tally_t tally;
        ds_diag_t diag;
        if (!CHECK_MSG(ds_engine_simulate(test_scenario(&f, (double[]){0.0, 0.0}, 2), &d, &timing,
                                          20261202, (uint64_t)n, 2, &oc, &tally, &diag) == 0,
                       "%s", diag.message)) {
            continue;
        }
        CHECK(oc.timed && oc.mean_n == 18.0 && oc.prob_rp2d[1] == 1.0);
        CHECK_WITHIN_SE(oc.mean_duration_days, mean, sd / sqrt(n), 4);
        CHECK_WITHIN_SE(oc.sd_duration_days, sd, sd / sqrt(2 * n), 4);
        CHECK_WITHIN_SE(oc.mean_turned_away, 12.6, sqrt(12.6 / n), 4);
        ds_oc_free(&oc);
        ds_tally_free(&tally);
    }
}

/* Monte Carlo against exact, within 4 standard errors, seed 20261202, 200000
 * trials, for every interval design, with options and start levels. */
static void test_monte_carlo_agrees_with_exact(void)
{
    static const double p[] = {0.05, 0.15, 0.3, 0.45, 0.6};
    const uint64_t n_trials = 200000;
    for (int k = DS_INTERVAL_BOIN; k <= DS_INTERVAL_KEYBOARD; k++) {
        ds_design_t d = interval_design((ds_interval_kind_t)k, 0.3, 24);
        if (k == DS_INTERVAL_BOIN) {
            d.interval.n_earlystop = 12;
            d.interval.extrasafe = true;
            ds_diag_t diag;
            CHECK(ds_interval_build(&d, &diag) == 0);
        }
        d.start_level = k == DS_INTERVAL_I3P3 ? 1 : 0;
        test_scenario_t f;
        const ds_scenario_t *s = test_scenario(&f, p, 5);
        ds_oc_t exact, mc;
        ds_diag_t diag;
        if (!CHECK_MSG(ds_exact_oc(s, &d, &exact, &diag) == 0, "%s", diag.message) ||
            !CHECK_MSG(ds_engine_simulate(s, &d, NULL, 20261202u, n_trials, 2, &mc, NULL, &diag) ==
                           0,
                       "%s", diag.message)) {
            return;
        }
        for (int level = -1; level < 5; level++) {
            const double e = level < 0 ? exact.prob_none : exact.prob_rp2d[level];
            const double m = level < 0 ? mc.prob_none : mc.prob_rp2d[level];
            const double se = sqrt(fmax(e * (1 - e), 1e-12) / (double)n_trials);
            CHECK_MSG(fabs(m - e) <= 4 * se, "%s, level %d: MC %.5f, exact %.5f (4 SE %.5f)",
                      d.name, level + 1, m, e, 4 * se);
        }
        const double se_n = exact.sd_n / sqrt((double)n_trials);
        CHECK_MSG(fabs(mc.mean_n - exact.mean_n) <= 4 * se_n + 1e-12,
                  "%s: mean n MC %.4f, exact %.4f", d.name, mc.mean_n, exact.mean_n);
        ds_oc_free(&exact);
        ds_oc_free(&mc);
    }
}

/* The selection by hand: isotonic estimates, ties, elimination. */
static void test_selection_by_hand(void)
{
    ds_design_t d = interval_design(DS_INTERVAL_BOIN, 0.3, 30);
    /* 0/3, 1/6, 3/6: estimates rise; 1/6 = 0.17 and 3/6 = 0.5 are 0.13 and 0.2 away. */
    int n1[] = {3, 6, 6}, y1[] = {0, 1, 3};
    CHECK_INT_EQ(ds_interval_select(&d, n1, y1, 3), 1);
    /* 0/3, 2/6, 1/9: 0.34 above 0.12 violates the order; pooled with weights
     * 1/variance both are 0.169, below the target, and i * 1e-10 sends the tie
     * to the higher dose. */
    int n2[] = {3, 6, 9}, y2[] = {0, 2, 1};
    CHECK_INT_EQ(ds_interval_select(&d, n2, y2, 3), 2);
    /* 3/3 at the lowest dose: eliminated, no MTD. */
    int n3[] = {3, 0, 0}, y3[] = {3, 0, 0};
    CHECK_INT_EQ(ds_interval_select(&d, n3, y3, 3), -1);
    /* 1/3, then 3/3 at dose 2 eliminates it: dose 1. */
    int n4[] = {3, 3, 0}, y4[] = {1, 3, 0};
    CHECK_INT_EQ(ds_interval_select(&d, n4, y4, 3), 0);
}

static int parse_table(ds_design_t *d, const char *text, ds_diag_t *diag)
{
    return ds_interval_parse_table(d, "table.csv", text, strlen(text), diag);
}

/* A user's table written out from BOIN's at 0.3 gives BOIN's results; bad
 * tables are refused with the file, line and column. */
static void test_user_tables(void)
{
    ds_design_t boin = interval_design(DS_INTERVAL_BOIN, 0.3, 12);
    char text[8192] = "n,dlts,decision\n";
    for (int n = 3; n <= 12; n += 3) {
        for (int y = 0; y <= n; y++) {
            const ds_interval_rules_t *r = &boin.interval;
            const char *w = y <= r->esc_max[n]     ? "E"
                            : y >= r->elim_min[n]  ? "DU"
                            : y >= r->deesc_min[n] ? "D"
                                                   : "S";
            size_t used = strlen(text);
            snprintf(text + used, sizeof(text) - used, "%d,%d,%s\n", n, y, w);
        }
    }
    ds_design_t user;
    ds_design_set_3plus3(&user);
    ds_interval_set(&user, DS_INTERVAL_TABLE, 0.3);
    user.interval.max_n = 0;
    ds_diag_t diag;
    if (!CHECK_MSG(parse_table(&user, text, &diag) == 0, "%s", diag.message) ||
        !CHECK_MSG(ds_interval_build(&user, &diag) == 0, "%s", diag.message)) {
        return;
    }
    CHECK_STR_EQ(user.name, "table:table.csv");
    CHECK_INT_EQ(user.interval.max_n, 12);
    static const double p[] = {0.1, 0.3, 0.5};
    test_scenario_t f;
    const ds_scenario_t *s = test_scenario(&f, p, 3);
    ds_oc_t a, b;
    if (CHECK(ds_exact_oc(s, &boin, &a, &diag) == 0) &&
        CHECK(ds_exact_oc(s, &user, &b, &diag) == 0)) {
        for (int k = 0; k < 3; k++) {
            CHECK_MSG(a.prob_rp2d[k] == b.prob_rp2d[k], "dose %d: %.17g and %.17g", k + 1,
                      a.prob_rp2d[k], b.prob_rp2d[k]);
        }
        ds_oc_free(&a);
        ds_oc_free(&b);
    }
    /* The same table as boundaries (dosesim table --format csv) and as a grid
     * of every n from 1 (mTPI's printed layout: the n no cohort reaches are
     * not read), each read to the same rows. */
    char bounds[4096] = "design,target,n,escalate_at_most,deescalate_from,eliminate_from\n";
    char grid[4096] = "dlts";
    for (int n = 1; n <= 12; n++) {
        snprintf(grid + strlen(grid), sizeof(grid) - strlen(grid), ",%d", n);
    }
    strcat(grid, "\n");
    const ds_interval_rules_t *br = &boin.interval;
    for (int n = 3; n <= 12; n += 3) {
        char elim[8] = ""; /* empty: never */
        if (br->elim_min[n] <= n) {
            snprintf(elim, sizeof(elim), "%d", br->elim_min[n]);
        }
        snprintf(bounds + strlen(bounds), sizeof(bounds) - strlen(bounds),
                 "\"boin(max_n=12)\",0.3,%d,%d,%d,%s\n", n, br->esc_max[n], br->deesc_min[n], elim);
    }
    for (int y = 0; y <= 12; y++) {
        snprintf(grid + strlen(grid), sizeof(grid) - strlen(grid), "%d", y);
        for (int n = 1; n <= 12; n++) {
            const char *w = y > n                   ? ""
                            : n % 3 != 0            ? "S"
                            : y <= br->esc_max[n]   ? "E"
                            : y >= br->elim_min[n]  ? "DU"
                            : y >= br->deesc_min[n] ? "D"
                                                    : "S";
            snprintf(grid + strlen(grid), sizeof(grid) - strlen(grid), ",%s", w);
        }
        strcat(grid, "\n");
    }
    const char *const layouts[] = {bounds, grid};
    for (int k = 0; k < 2; k++) {
        ds_design_t other;
        ds_design_set_3plus3(&other);
        ds_interval_set(&other, DS_INTERVAL_TABLE, 0.3);
        other.interval.max_n = 0;
        if (CHECK_MSG(parse_table(&other, layouts[k], &diag) == 0, "layout %d: %s", k,
                      diag.message)) {
            const ds_interval_rules_t *want = &user.interval, *o = &other.interval;
            CHECK_MSG(memcmp(want->esc_max, o->esc_max, sizeof(want->esc_max)) == 0 &&
                          memcmp(want->deesc_min, o->deesc_min, sizeof(want->deesc_min)) == 0 &&
                          memcmp(want->elim_min, o->elim_min, sizeof(want->elim_min)) == 0 &&
                          o->max_n == 12 && o->table_n == 12,
                      "layout %d: not the table of rows (max_n %d)", k, o->max_n);
        }
    }
    static const struct {
        const char *text;
        long line;
        const char *field;
        const char *says;
    } bad[] = {
        {"n,dlts,decision\n3,0,E\n3,1,S\n3,2,D\n", 0, "dlts", "3 DLTs is missing"},
        {"n,dlts,decision\n3,0,E\n3,1,S\n3,1,D\n3,2,D\n3,3,DU\n", 4, "dlts", "given twice"},
        {"n,dlts,decision\n3,0,E\n3,1,D\n3,2,S\n3,3,DU\n", 4, "decision", "must go"},
        {"n,dlts,decision\n3,0,E\n3,1,X\n", 3, "decision", "is not E, S, D or DU"},
        {"n,dlts,decision\n3,0,E\n3,1,S\n3,2,D\n3,3,DU\n4,0,E\n", 6, "n", "not a multiple"},
        {"n,dlts,decision\n3,4,E\n", 2, "dlts", "outside 0..3"},
        {"n,dlts,decision\nthree,0,E\n", 2, "n", "not a whole number"},
        {"n,dlts\n3,0\n", 1, "", "decision"},
        {"", 0, "", "empty"},
        /* boundaries */
        {"n,escalate_at_most,deescalate_from,eliminate_from\n3,1,1,3\n", 2, "deescalate_from",
         "but escalating with up to 1"},
        {"n,escalate_at_most,deescalate_from,eliminate_from\n3,0,3,2\n", 2, "eliminate_from",
         "de-escalating only from 3"},
        {"n,escalate_at_most,deescalate_from,eliminate_from\n3,0,2,3\n3,0,2,3\n", 3, "n",
         "given twice"},
        {"n,escalate_at_most,deescalate_from,eliminate_from\n3,0,4,\n", 2, "deescalate_from",
         "outside 1..3"},
        {"target,n,escalate_at_most,deescalate_from,eliminate_from\n0.25,3,0,2,3\n", 2, "target",
         "another target than this run's 0.3"},
        {"n,escalate_at_most,deescalate_from,eliminate_from,stop_from\n3,0,2,3,3\n", 2, "stop_from",
         "has none"},
        {"n,escalate_at_most,deescalate_from,eliminate_from,notes\n3,0,2,3,x\n", 1, "", "notes"},
        /* grids */
        {"dlts,3\n0,E\n1,S\n2,D\n", 0, "dlts", "3 DLTs is missing"},
        {"dlts,3\n0,E\n1,S\n2,D\n3,DU\n4,D\n", 6, "3", "must be empty"},
        {"dlts,3,three\n0,E,E\n", 1, "three", "a number of patients"},
        {"dlts,3,3\n0,E,E\n", 1, "", "both named '3'"},
        {"dlts,3,03\n0,E,E\n", 1, "03", "n = 3 is given twice"},
        {"dlts,3\n0,E\n0,E\n", 3, "dlts", "given twice"},
        {"dlts,3\n0,E\n1,X\n", 3, "3", "is not E, S, D or DU"},
        {"dlts,3\n0,E\n1,\x1b[2J\n", 3, "3", "control"},
        {"dlts,3\n0,E\n1,D\n2,S\n3,DU\n", 4, "decision", "must go"},
        /* only an n no cohort of 3 reaches: no table is left (not "--max-n: 0") */
        {"dlts,2\n0,E\n1,S\n2,D\n", 0, "n", "no row is at a number of patients"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ds_design_t t;
        ds_design_set_3plus3(&t);
        ds_interval_set(&t, DS_INTERVAL_TABLE, 0.3);
        t.interval.max_n = 0;
        int ret = parse_table(&t, bad[i].text, &diag);
        CHECK_MSG(ret != 0 && diag.line == bad[i].line && strstr(diag.message, bad[i].says) &&
                      (bad[i].field[0] == '\0' || strcmp(diag.field, bad[i].field) == 0),
                  "table %zu: %d, line %ld, field '%s': %s", i, ret, diag.line, diag.field,
                  diag.message);
    }
    /* A path that names no file cannot name the design ("table:"). */
    ds_design_t unnamed;
    ds_design_set_3plus3(&unnamed);
    ds_interval_set(&unnamed, DS_INTERVAL_TABLE, 0.3);
    const char *one_column = "dlts,3\n0,E\n1,S\n2,D\n3,DU\n";
    CHECK(ds_interval_parse_table(&unnamed, "tables/", one_column, strlen(one_column), &diag) != 0 &&
          strstr(diag.message, "names no file") != NULL);
    /* DU below three patients is not the conduct. */
    ds_design_t one;
    ds_design_set_3plus3(&one);
    ds_interval_set(&one, DS_INTERVAL_TABLE, 0.3);
    one.interval.cohort_size = 1;
    one.interval.max_n = 0;
    CHECK(parse_table(&one, "n,dlts,decision\n1,0,E\n1,1,DU\n", &diag) != 0 &&
          strstr(diag.message, "below 3") != NULL);
}

/* Every name ds_interval_build gives reads back as the same design (report
 * rebuilds designs from the results' names); other names are refused. */
static void test_names_round_trip(void)
{
    ds_design_t d = interval_design(DS_INTERVAL_BOIN, 0.25, 18);
    d.interval.p_saf = 0.1;
    d.interval.cutoff_eli = 0.9;
    d.interval.extrasafe = true;
    d.interval.n_earlystop = 9;
    ds_diag_t diag;
    CHECK(ds_interval_build(&d, &diag) == 0);
    ds_design_t i3 = interval_design(DS_INTERVAL_I3P3, 0.3, 12);
    i3.interval.lo = 0.2;
    i3.interval.hi = 0.4;
    i3.interval.cohort_size = 2;
    CHECK(ds_interval_build(&i3, &diag) == 0);
    const ds_design_t *const designs[] = {&d, &i3};
    for (int k = 0; k < 2; k++) {
        ds_design_t back;
        ds_design_set_3plus3(&back);
        if (CHECK_MSG(ds_interval_from_name(&back, designs[k]->name, designs[k]->interval.target,
                                            &diag) == 0,
                      "%s: %s", designs[k]->name, diag.message)) {
            CHECK_STR_EQ(back.name, designs[k]->name);
            CHECK(memcmp(&back.interval, &designs[k]->interval, sizeof(back.interval)) == 0);
        }
    }
    static const char *const bad[] = {
        "boin(", "boin(max_n=)",   "boin(colour=red)", "boinx",
        "3+3",   "boin(max_n=30)", "table:t.csv",      "keyboard(p_saf=0.1)"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ds_design_t back;
        ds_design_set_3plus3(&back);
        CHECK_MSG(ds_interval_from_name(&back, bad[i], 0.3, &diag) != 0 &&
                      strcmp(back.name, "3+3") == 0,
                  "'%s' was taken", bad[i]);
    }
}

/* Options refused with the option's name. */
static void test_option_checks(void)
{
    static const struct {
        ds_interval_kind_t kind;
        double target, p_saf, lo;
        int max_n, cohort;
        bool bound;
        const char *field;
        double hi; /* 0: the default */
    } bad[] = {
        {DS_INTERVAL_BOIN, 0.7, 0, 0, 30, 3, false, "--target", 0},
        {DS_INTERVAL_BOIN, 0.3, 0.29, 0, 30, 3, false, "--p-saf", 0},
        {DS_INTERVAL_BOIN, 0.3, 0, 0, 31, 3, false, "--max-n", 0},
        {DS_INTERVAL_BOIN, 0.3, 0, 0, 66, 3, false, "--max-n", 0},
        {DS_INTERVAL_BOIN, 0.3, 0, 0, 30, 0, false, "--cohort-size", 0},
        {DS_INTERVAL_I3P3, 0.3, 0, 0.31, 30, 3, false, "--interval", 0},
        {DS_INTERVAL_KEYBOARD, 0.3, 0, 0.295, 30, 3, false, "--interval", 0.305},
        {DS_INTERVAL_I3P3, 0.3, 0, 0, 30, 3, true, "--bound-mtd", 0},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ds_design_t d;
        ds_design_set_3plus3(&d);
        ds_interval_set(&d, bad[i].kind, bad[i].target);
        if (bad[i].p_saf > 0) {
            d.interval.p_saf = bad[i].p_saf;
        }
        if (bad[i].lo > 0) {
            d.interval.lo = bad[i].lo;
        }
        if (bad[i].hi > 0) {
            d.interval.hi = bad[i].hi;
        }
        d.interval.max_n = bad[i].max_n;
        d.interval.cohort_size = bad[i].cohort;
        d.interval.bound_mtd = bad[i].bound;
        ds_diag_t diag;
        CHECK_MSG(ds_interval_build(&d, &diag) != 0 && strcmp(diag.field, bad[i].field) == 0,
                  "case %zu: field '%s': %s", i, diag.field, diag.message);
    }
}

/* ---- through the program ---- */

static char *read_in(const char *dir, const char *name)
{
    char path[8500];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return test_read_file(path, NULL);
}

/* The column of prob_rp2d of a doses.csv, as text, one cell a line. */
static char *rp2d_column(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/doses.csv", dir);
    table_t t;
    if (!table_load(&t, path)) {
        return NULL;
    }
    size_t size = 64 * (size_t)t.n_rows + 1, used = 0;
    char *out = calloc(size, 1);
    for (int row = 0; out != NULL && row < t.n_rows; row++) {
        used += (size_t)snprintf(out + used, size - used, "%s\n", table_cell(&t, row, "prob_rp2d"));
    }
    table_free(&t);
    return out;
}

/* exact and run on the shipped scenarios: the design named with its options,
 * the exact numbers the library's, MC within 4 SE of them, the same bytes on 1
 * and 3 threads, the selections unchanged by calendar time, and counts that add
 * up with dropout. */
static void test_commands_run_the_designs(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char ex[4200], one[4200], three[4200], timed[4200];
    snprintf(ex, sizeof(ex), "%s/exact", dir);
    snprintf(one, sizeof(one), "%s/one", dir);
    snprintf(three, sizeof(three), "%s/three", dir);
    snprintf(timed, sizeof(timed), "%s/timed", dir);
    static const char *const sc = "scenarios/tifcemalimab.csv";
    run_t r;
    run((const char *[]){"exact", sc, "--design", "boin", "--target", "0.3", "--max-n", "12",
                         "--out", ex, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "exact: %s", r.err);
    run_free(&r);
    const char *mc[] = {"run",       sc,   "--design", "boin",   "--target", "0.3",
                        "--max-n",   "12", "--trials", "200000", "--seed",   "5",
                        "--threads", "1",  "--out",    one,      "--quiet",  NULL};
    run(mc, &r);
    CHECK_MSG(r.status == 0, "run: %s", r.err);
    run_free(&r);
    mc[13] = "3";
    mc[15] = three;
    run(mc, &r);
    CHECK_MSG(r.status == 0, "run: %s", r.err);
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
    for (int i = 0; i < 3; i++) {
        char *a = read_in(one, files[i]), *b = read_in(three, files[i]);
        CHECK_MSG(a != NULL && b != NULL && strcmp(a, b) == 0, "%s differs on 1 and 3 threads",
                  files[i]);
        free(a);
        free(b);
    }
    table_t e, m;
    char pe[4300], pm[4300];
    snprintf(pe, sizeof(pe), "%s/doses.csv", ex);
    snprintf(pm, sizeof(pm), "%s/doses.csv", one);
    if (CHECK(table_load(&e, pe)) && CHECK(table_load(&m, pm))) {
        CHECK_INT_EQ(e.n_rows, m.n_rows);
        for (int row = 0; row < e.n_rows && row < m.n_rows; row++) {
            CHECK_STR_EQ(table_cell(&e, row, "design"), "boin(max_n=12)");
            const double x = table_number(&e, row, "prob_rp2d"),
                         y = table_number(&m, row, "prob_rp2d");
            const double se = sqrt(fmax(x * (1 - x), 1e-12) / 200000);
            CHECK_MSG(fabs(x - y) <= 4 * se, "row %d: exact %.5f, MC %.5f", row, x, y);
        }
        /* The exact 2-dose value against the library's own. */
        static const double p[] = {0.10, 0.25};
        test_scenario_t f;
        const ds_scenario_t *s = test_scenario(&f, p, 2);
        ds_design_t d = interval_design(DS_INTERVAL_BOIN, 0.3, 12);
        ds_oc_t oc;
        ds_diag_t diag;
        int row = table_find(&e, 0, "scenario", "expected", "dose_level", "2", NULL);
        if (CHECK(row >= 0) && CHECK(ds_exact_oc(s, &d, &oc, &diag) == 0)) {
            CHECK_NEAR(table_number(&e, row, "prob_rp2d"), oc.prob_rp2d[1], 1e-15);
            ds_oc_free(&oc);
        }
        table_free(&e);
        table_free(&m);
    }
    /* The report names the design and shows its decision table. */
    char report[4300];
    snprintf(report, sizeof(report), "%s/report.md", dir);
    run((const char *[]){"report", ex, "--format", "md", "--out", report, NULL}, &r);
    CHECK_MSG(r.status == 0, "report: %s", r.err);
    run_free(&r);
    char *md = test_read_file(report, NULL);
    CHECK_MSG(md != NULL && strstr(md, "Bayesian optimal interval design") != NULL &&
                  strstr(md, "12 patients in all, target DLT rate 0.3") != NULL &&
                  strstr(md, "| 12 | 2 | 5 | 7 |") != NULL,
              "the report: %s", md != NULL ? md : "(none)");
    free(md);
    /* paths lists every trial: the probabilities add up to 1. */
    char listing[4300];
    snprintf(listing, sizeof(listing), "%s/paths.csv", dir);
    run((const char *[]){"paths", sc, "--scenario", "borderline", "--design", "boin", "--target",
                         "0.3", "--max-n", "9", "--out", listing, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "paths: %s", r.err);
    run_free(&r);
    table_t listed;
    if (CHECK(table_load(&listed, listing))) {
        double total = 0.0;
        for (int row = 0; row < listed.n_rows; row++) {
            total += table_number(&listed, row, "prob");
        }
        CHECK_MSG(fabs(total - 1.0) < 1e-12 && listed.n_rows > 20, "%d paths, sum %.17g",
                  listed.n_rows, total);
        table_free(&listed);
    }
    mc[13] = "1";
    const char *with_time[] = {mc[0],       mc[1],  mc[2],     mc[3], mc[4],       mc[5],
                               mc[6],       mc[7],  mc[8],     mc[9], mc[10],      mc[11],
                               mc[12],      mc[13], "--out",   timed, "--accrual", "3",
                               "--dropout", "0.2",  "--quiet", NULL};
    run(with_time, &r);
    CHECK_MSG(r.status == 0, "run --accrual: %s", r.err);
    run_free(&r);
    char *untimed_rp2d = rp2d_column(one), *timed_rp2d = rp2d_column(timed);
    CHECK_MSG(untimed_rp2d != NULL && timed_rp2d != NULL && strcmp(untimed_rp2d, timed_rp2d) == 0,
              "calendar time changed the selections");
    free(untimed_rp2d);
    free(timed_rp2d);
    snprintf(pm, sizeof(pm), "%s/summary.csv", timed);
    if (CHECK(table_load(&m, pm))) {
        for (int row = 0; row < m.n_rows; row++) {
            const double treated = table_number(&m, row, "mean_n_treated");
            const double evaluable = table_number(&m, row, "mean_n_evaluable");
            const double left = table_number(&m, row, "mean_n_nonevaluable");
            CHECK_MSG(fabs(treated - evaluable - left) < 1e-9 && left > 0,
                      "row %d: %g treated, %g evaluable, %g not evaluable", row, treated, evaluable,
                      left);
        }
        table_free(&m);
    }
    test_remove_dir(dir);
}

/* Shards of an interval design merge to the single run's files, byte for
 * byte: a built-in design (rebuilt from its name at its target) and a user's
 * decision table with cohorts of 2 and an early stop (carried whole in the
 * shard, with its options). merge refuses another target, and a shard whose
 * recorded table was edited (its checksum made anew) is refused, naming the
 * record and what is wrong with the table. */
static void test_shards_merge(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char shards[4200], merged[4200], whole[4200], table[4200];
    snprintf(table, sizeof(table), "%s/my table.csv", dir);
    /* An odd table of cohorts of 2 up to 8 patients, unlike any built-in one. */
    char text[4096] = DS_DECISION_TABLE_HEADER "\n";
    for (int n = 2; n <= 8; n += 2) {
        for (int y = 0; y <= n; y++) {
            const char *word = y == 0 ? "E" : 2 * y <= n / 2 ? "S" : y < 3 || y < n ? "D" : "DU";
            snprintf(text + strlen(text), sizeof(text) - strlen(text), "%d,%d,%s\n", n, y, word);
        }
    }
    CHECK(test_write_file(table, text));
    const char *sc = "scenarios/tifcemalimab.csv";
    static const char *const parts[] = {"1/3", "2/3", "3/3"};
    const char *const designs[][9] = {
        {"--design", "i3+3", "--target", "0.25", "--max-n", "15", NULL},
        {"--decision-table", table, "--cohort-size", "2", "--n-earlystop", "6", "--target", "0.2",
         NULL},
    };
    for (int d = 0; d < 2; d++) {
        snprintf(shards, sizeof(shards), "%s/shards%d", dir, d);
        snprintf(merged, sizeof(merged), "%s/merged%d", dir, d);
        snprintf(whole, sizeof(whole), "%s/whole%d", dir, d);
        run_t r;
        for (int i = 0; i < 4; i++) {
            const char *args[24] = {
                "run", sc, "--trials", "90000", "--out", i < 3 ? shards : whole, "--quiet"};
            int at = 7;
            if (i < 3) {
                args[at++] = "--shard";
                args[at++] = parts[i];
            }
            for (int k = 0; designs[d][k] != NULL; k++) {
                args[at++] = designs[d][k];
            }
            run(args, &r);
            CHECK_MSG(r.status == 0, "design %d, run %d: %s", d, i, r.err);
            run_free(&r);
        }
        run((const char *[]){"merge", shards, "--target", "0.3", "--out", merged, NULL}, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, "whose target is 0.2") != NULL,
                  "merge --target: %s", r.err);
        run_free(&r);
        CHECK(!exists(merged));
        run((const char *[]){"merge", shards, "--out", merged, "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "merge: %s", r.err);
        run_free(&r);
        static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
        for (int i = 0; i < 3; i++) {
            char *a = read_in(merged, files[i]), *b = read_in(whole, files[i]);
            CHECK_MSG(a != NULL && b != NULL && strcmp(a, b) == 0,
                      "design %d, %s: the merged shards and the single run differ", d, files[i]);
            free(a);
            free(b);
        }
    }
    /* The user's table in a shard, edited: 4 patients, 2 DLTs, escalate after a stay. */
    char shard[4300], edited_shard[4400];
    snprintf(shard, sizeof(shard), "%s/shards1/shard-1-of-3.csv", dir);
    snprintf(edited_shard, sizeof(edited_shard), "%s/edited/shard-1-of-3.csv", dir);
    char *good = test_read_file(shard, NULL);
    char *at = good != NULL ? strstr(good, "\n4,2,D\n") : NULL;
    if (CHECK_MSG(at != NULL, "no row 4,2,D in the shard's table")) {
        at[5] = 'E';
        char *resigned = test_with_new_checksum(good);
        snprintf(merged, sizeof(merged), "%s/edited", dir);
        CHECK(mkdir(merged, 0777) == 0 && resigned != NULL &&
              test_write_file(edited_shard, resigned));
        run_t r;
        snprintf(whole, sizeof(whole), "%s/never", dir);
        run((const char *[]){"merge", edited_shard, "--out", whole, NULL}, &r);
        CHECK_MSG(r.status != 0 && strstr(r.err, "field 'decisions'") != NULL &&
                      strstr(r.err, "the decision table it records") != NULL &&
                      strstr(r.err, "must go E, S, D, DU") != NULL,
                  "exit %d: %s", r.status, r.err);
        run_free(&r);
        CHECK(!exists(whole));
        free(resigned);
    }
    free(good);
    test_remove_dir(dir);
}

/* dosesim table: BOIN's rows as get.boundary prints them, as text and CSV; the 3+3's stages. */
static void test_table_command(void)
{
    run_t r;
    run((const char *[]){"table", "--design", "boin", "--target", "0.3", NULL}, &r);
    CHECK_MSG(r.status == 0 &&
                  strstr(r.out, "escalate if DLTs <=                  0   1   2   2   3   4   4"
                                "   5   6   7\n") != NULL &&
                  strstr(r.out, "eliminate if DLTs >=                 3   4   5   7   8   9  10"
                                "  11  12  14\n") != NULL &&
                  strstr(r.out, "lambda_e 0.2364907, lambda_d 0.3585195") != NULL,
              "%s%s", r.out, r.err);
    run_free(&r);
    run((const char *[]){"table", "--design", "boin", "--target", "0.3", "--max-n", "6", "--format",
                         "csv", NULL},
        &r);
    CHECK_STR_EQ(r.out, "design,target,n,escalate_at_most,deescalate_from,eliminate_from\n"
                        "boin(max_n=6),0.3,3,0,2,3\n"
                        "boin(max_n=6),0.3,6,1,3,4\n");
    run_free(&r);
    run((const char *[]){"table", "--format", "csv", NULL}, &r);
    CHECK_STR_EQ(r.out, "design,target,n,escalate_at_most,deescalate_from,eliminate_from\n"
                        "3+3,,3,0,2,2\n"
                        "3+3,,6,1,2,2\n");
    run_free(&r);
}

/* Refusals, each naming what is wrong, before anything is written. */
static void test_refusals(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char table[4200], out[4200];
    snprintf(table, sizeof(table), "%s/t.csv", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    FILE *f = fopen(table, "w");
    if (CHECK(f != NULL)) {
        fputs("n,dlts,decision\n3,0,E\n3,1,S\n3,2,S\n3,3,D\n6,0,E\n", f);
        fclose(f);
    }
    const char *const sc = "scenarios/tifcemalimab.csv";
    const struct {
        const char *args[12];
        const char *says;
    } cases[] = {
        {{"run", sc, "--max-n", "12", NULL}, "--max-n is an option of the interval designs"},
        {{"exact", sc, "--design", "i3+3", "--p-saf", "0.1", NULL}, "--p-saf is an option of boin"},
        {{"exact", sc, "--design", "boin", "--max-n", "13", NULL}, "multiple of the cohort"},
        {{"exact", sc, "--design", "boin", "--target", "0.7", NULL}, "0.05..0.6"},
        {{"exact", sc, "--design", "boin", "--deescalate", "no", NULL}, "3+3 family"},
        {{"trace", sc, "--scenario", "safe", "--target", "0.3", NULL}, "reads a target only"},
        {{"exact", sc, "--design", "boin", "--decision-table", table, NULL}, "both name"},
        {{"exact", sc, "--decision-table", table, "--out", out, NULL}, "6 patients with 1 DLTs"},
        {{"table", "--design", "keyboard", "--bound-mtd", NULL},
         "--bound-mtd is an option of boin"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_t r;
        run(cases[i].args, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, cases[i].says) != NULL,
                  "case %zu: exit %d, said: %s", i, r.status, r.err);
        run_free(&r);
    }
    CHECK(!exists(out));
    /* A hostile table: control bytes and invalid UTF-8 in a cell, a NUL. */
    static const char *const hostile[] = {"n,dlts,decision\n3,0,E\x1b[2J\n",
                                          "n,dlts,decision\n3,0,\xff\xfe\n",
                                          "n,dlts,decision\n3,0\0,E\n"};
    static const size_t lengths[] = {0, 0, 23}; /* the last holds a NUL */
    for (int i = 0; i < 3; i++) {
        f = fopen(table, "wb");
        if (CHECK(f != NULL)) {
            fwrite(hostile[i], 1, lengths[i] != 0 ? lengths[i] : strlen(hostile[i]), f);
            fclose(f);
        }
        run_t r;
        run((const char *[]){"exact", sc, "--decision-table", table, "--out", out, NULL}, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, "t.csv") != NULL &&
                      strchr(r.err, '\x1b') == NULL && strstr(r.err, "\xff") == NULL,
                  "hostile table %d: exit %d, said: %s", i, r.status, r.err);
        run_free(&r);
    }
    CHECK(!exists(out));
    test_remove_dir(dir);
}

const test_case_t interval_tests[] = {
    {"boin_boundaries", test_boin_boundaries},
    {"keyboard_boundaries", test_keyboard_boundaries},
    {"mtpi2_meets_escalation", test_mtpi2_meets_escalation},
    {"published_paths", test_published_paths},
    {"calendar_closed_form", test_calendar_closed_form},
    {"i3p3_rule", test_i3p3_rule},
    {"selection_by_hand", test_selection_by_hand},
    {"exact_meets_get_oc", test_exact_meets_get_oc},
    {"exact_equals_every_path", test_exact_equals_every_path},
    {"monte_carlo_agrees_with_exact", test_monte_carlo_agrees_with_exact},
    {"user_tables", test_user_tables},
    {"option_checks", test_option_checks},
    {"names_round_trip", test_names_round_trip},
    {"commands_run_the_designs", test_commands_run_the_designs},
    {"shards_merge", test_shards_merge},
    {"table_command", test_table_command},
    {"refusals", test_refusals},
    {NULL, NULL},
};

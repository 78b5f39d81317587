/* Response and the randomised dose-optimisation stage (optimise.h): the
 * stage's choice against an independent computation (a patient-by-patient
 * convolution of the arms' outcome tables, not optimise.c's conditional
 * binomial sums) to 1e-12; the final choice of `dosesim exact` against the
 * sums over its own RP2D probabilities; Monte Carlo against exact in standard
 * errors; Plackett's table against its odds ratio; the optimal dose's rule;
 * and nothing of the DLT results moved by a response or a stage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dosesim/dosesim.h"
#include "testlib.h"
#include "testrun.h"

#define RESPONSE_FILE "scenarios/tifcemalimab_response.csv"

/* A two-dose scenario with p_response and an association, over arrays of its own. */
typedef struct {
    ds_scenario_t scenario;
    double p_dlt[2], p_response[2], association[2];
    char *labels[2];
} response_scenario_t;

static const ds_scenario_t *response_scenario(response_scenario_t *f, const double p_dlt[2],
                                              const double p_response[2],
                                              ds_association_t association, const double value[2])
{
    static char low[] = "low", high[] = "high", name[] = "test";
    memcpy(f->p_dlt, p_dlt, sizeof(f->p_dlt));
    memcpy(f->p_response, p_response, sizeof(f->p_response));
    if (value != NULL) {
        memcpy(f->association, value, sizeof(f->association));
    }
    f->labels[0] = low;
    f->labels[1] = high;
    f->scenario = (ds_scenario_t){.name = name,
                                  .n_levels = 2,
                                  .labels = f->labels,
                                  .p_dlt = f->p_dlt,
                                  .order = 1,
                                  .p_response = f->p_response,
                                  .association = association,
                                  .association_value = value != NULL ? f->association : NULL};
    return &f->scenario;
}

/* The joint distribution of (DLTs, responses) of n patients whose outcome
 * cells are cells[4] (DLT and response, DLT only, response only, neither),
 * patient by patient: out[a * (n + 1) + b]. */
static double *arm_table(const double cells[4], int n)
{
    const size_t side = (size_t)n + 1;
    double *now = calloc(side * side, sizeof(double));
    double *next = calloc(side * side, sizeof(double));
    if (now == NULL || next == NULL) {
        free(now);
        free(next);
        return NULL;
    }
    now[0] = 1.0;
    for (int k = 0; k < n; k++) {
        memset(next, 0, side * side * sizeof(double));
        for (int a = 0; a <= k; a++) {
            for (int b = 0; b <= k; b++) {
                const double p = now[(size_t)a * side + (size_t)b];
                if (p == 0.0) {
                    continue;
                }
                next[(size_t)(a + 1) * side + (size_t)(b + 1)] += p * cells[0];
                next[(size_t)(a + 1) * side + (size_t)b] += p * cells[1];
                next[(size_t)a * side + (size_t)(b + 1)] += p * cells[2];
                next[(size_t)a * side + (size_t)b] += p * cells[3];
            }
        }
        double *t = now;
        now = next;
        next = t;
    }
    free(next);
    return now;
}

/* P(the higher arm keeps the dose): its responses at least the lower's plus
 * ceil(delta n), its DLTs at most floor(target_hi n), from both arms' tables. */
static double independent_prob_higher(const ds_scenario_t *sc, int rp2d, int n, double delta,
                                      double target_hi, double dropout)
{
    double hi[4], lo[4];
    ds_optimise_cells(sc, rp2d, dropout, hi);
    ds_optimise_cells(sc, rp2d - 1, dropout, lo);
    double *high = arm_table(hi, n), *low = arm_table(lo, n);
    const int side = n + 1;
    double p = 0.0;
    int margin = 0;
    while (margin < n && margin < delta * n - 1e-9) {
        margin++;
    }
    for (int a = 0; high != NULL && low != NULL && a <= n; a++) {
        if (a > target_hi * n + 1e-9) {
            continue;
        }
        for (int b = 0; b <= n; b++) {
            for (int a_lo = 0; a_lo <= n; a_lo++) {
                for (int b_lo = 0; b_lo <= n && b_lo <= b - margin; b_lo++) {
                    p += high[a * side + b] * low[a_lo * side + b_lo];
                }
            }
        }
    }
    free(high);
    free(low);
    return p;
}

/* The stage's choice given the RP2D, against the patient-by-patient tables:
 * independence, odds ratios 0.2 and 4 (and 1e-300), joint tables at their bounds, dropout 0
 * and 0.25, arms of 1, 7, 20 and 40, margins 0, 0.1, 0.25, and DLT bounds
 * that bind (0.35 of 20 is 7 DLTs). To 1e-12. */
static void test_stage_equals_the_arms_tables(void)
{
    static const struct {
        double p_dlt[2], p_response[2];
        ds_association_t association;
        double value[2];
    } cases[] = {
        {{0.10, 0.15}, {0.55, 0.75}, DS_ASSOCIATION_INDEPENDENT, {0, 0}},
        {{0.10, 0.40}, {0.55, 0.75}, DS_ASSOCIATION_ODDS_RATIO, {0.2, 4.0}},
        {{0.05, 0.30}, {0.30, 0.35}, DS_ASSOCIATION_ODDS_RATIO, {4.0, 0.2}},
        {{0.20, 0.30}, {0.40, 0.60}, DS_ASSOCIATION_JOINT, {0.20, 0.0}},
        {{0.00, 1.00}, {0.00, 1.00}, DS_ASSOCIATION_INDEPENDENT, {0, 0}},
        /* joint tables at their lower bound: every patient without a DLT responds
         * (0.28 + 0.93 - 1 = 0.21), where a ratio rounds above 1 */
        {{0.10, 0.28}, {0.55, 0.93}, DS_ASSOCIATION_JOINT, {0.055, 0.21}},
        {{0.10, 0.28}, {0.55, 0.93}, DS_ASSOCIATION_ODDS_RATIO, {1.0, 1e-300}},
    };
    static const int arms[] = {1, 7, 20, 40};
    static const double deltas[] = {0.0, 0.1, 0.25}, dropouts[] = {0.0, 0.25};
    int compared = 0;
    double largest = 0.0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        response_scenario_t f;
        const ds_scenario_t *sc = response_scenario(
            &f, cases[c].p_dlt, cases[c].p_response, cases[c].association,
            cases[c].association == DS_ASSOCIATION_INDEPENDENT ? NULL : cases[c].value);
        for (size_t a = 0; a < sizeof(arms) / sizeof(arms[0]); a++) {
            for (size_t d = 0; d < sizeof(deltas) / sizeof(deltas[0]); d++) {
                for (size_t q = 0; q < sizeof(dropouts) / sizeof(dropouts[0]); q++) {
                    const ds_optimise_t opt = {
                        .n_per_arm = arms[a], .delta = deltas[d], .response_days = 42.0};
                    const double got = ds_optimise_prob_higher(sc, 1, &opt, 0.35, dropouts[q]);
                    const double want =
                        independent_prob_higher(sc, 1, arms[a], deltas[d], 0.35, dropouts[q]);
                    largest = fmax(largest, fabs(got - want));
                    CHECK_MSG(fabs(got - want) <= 1e-12,
                              "case %zu, %d a dose, delta %g, dropout %g: %.17g, the tables %.17g",
                              c, arms[a], deltas[d], dropouts[q], got, want);
                    compared++;
                }
            }
        }
    }
    CHECK(compared == 168 && largest <= 1e-12);
    /* the lower-bound case's chance is neither NaN nor 0: responses 0.93 against 0.55
     * nearly always win by one of ten, so it is about P(at most 3 DLTs of 10 at 0.28) = 0.70 */
    response_scenario_t g;
    const ds_scenario_t *edge =
        response_scenario(&g, (double[]){0.10, 0.28}, (double[]){0.55, 0.93}, DS_ASSOCIATION_JOINT,
                          (double[]){0.055, 0.21});
    const ds_optimise_t ten = {.n_per_arm = 10, .delta = 0.1, .response_days = 42.0};
    const double keep = ds_optimise_prob_higher(edge, 1, &ten, 0.35, 0.0);
    CHECK_MSG(keep > 0.6 && keep < 0.75, "P(keep) at the joint's lower bound: %g", keep);
    /* certain outcomes: 0/1 response at 0 DLT against 1/1 at 100%: the DLT bound decides */
    response_scenario_t f;
    const ds_scenario_t *sc = response_scenario(&f, (double[]){0.0, 1.0}, (double[]){0.0, 1.0},
                                                DS_ASSOCIATION_INDEPENDENT, NULL);
    const ds_optimise_t opt = {.n_per_arm = 5, .delta = 0.1, .response_days = 42.0};
    CHECK(ds_optimise_prob_higher(sc, 1, &opt, 0.35, 0.0) == 0.0);
    CHECK(ds_optimise_prob_higher(sc, 1, &opt, 1.0, 0.0) == 1.0);
}

/* Plackett's table has the odds ratio asked for and the margins given; an
 * odds ratio of 1 is independence; the cell stays within its bounds. */
static void test_odds_ratio_table(void)
{
    static const double ratios[] = {0.01, 0.2, 0.5, 1.0, 2.0, 4.0, 100.0};
    static const double margins[] = {0.05, 0.1, 0.3, 0.5, 0.7, 0.95};
    double worst = 0.0;
    for (size_t i = 0; i < sizeof(ratios) / sizeof(ratios[0]); i++) {
        for (size_t a = 0; a < sizeof(margins) / sizeof(margins[0]); a++) {
            for (size_t b = 0; b < sizeof(margins) / sizeof(margins[0]); b++) {
                const double p = margins[a], r = margins[b];
                const double x = ds_joint_from_odds_ratio(p, r, ratios[i]);
                CHECK(x >= fmax(0.0, p + r - 1.0) && x <= fmin(p, r));
                const double ratio = x * (1.0 - p - r + x) / ((p - x) * (r - x));
                worst = fmax(worst, fabs(ratio / ratios[i] - 1.0));
            }
        }
    }
    CHECK_MSG(worst < 1e-9, "the tables' odds ratios are off by %g (relative)", worst);
    CHECK(ds_joint_from_odds_ratio(0.2, 0.6, 1.0) == 0.2 * 0.6);
    CHECK(ds_joint_from_odds_ratio(0.0, 0.6, 3.0) == 0.0);
    CHECK(ds_joint_from_odds_ratio(1.0, 0.6, 3.0) == 0.6);
}

/* The optimal dose's rule: flat response, the lowest acceptable dose; rising
 * by delta or more, the higher; rising by less, the lower; the higher too
 * toxic (above target_hi), the lower; nothing acceptable, none. */
static void test_optimal_dose_rule(void)
{
    static const struct {
        double p_dlt[2], p_response[2], delta;
        int optimal;
    } cases[] = {
        {{0.10, 0.15}, {0.65, 0.65}, 0.1, 0},  {{0.10, 0.15}, {0.55, 0.75}, 0.1, 1},
        {{0.10, 0.15}, {0.66, 0.70}, 0.1, 0},  {{0.10, 0.40}, {0.55, 0.75}, 0.1, 0},
        {{0.40, 0.50}, {0.55, 0.75}, 0.1, -1}, {{0.10, 0.15}, {0.30, 0.40}, 0.1, 1},
        {{0.10, 0.15}, {0.30, 0.40}, 0.2, 0},  {{0.10, 0.15}, {0.60, 0.50}, 0.0, 0},
        {{0.10, 0.15}, {0.50, 0.50}, 0.0, 1},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        response_scenario_t f;
        const ds_scenario_t *sc = response_scenario(&f, cases[c].p_dlt, cases[c].p_response,
                                                    DS_ASSOCIATION_INDEPENDENT, NULL);
        CHECK_MSG(ds_optimal_level(sc, 0.35, cases[c].delta) == cases[c].optimal,
                  "case %zu: optimal %d, not %d", c, ds_optimal_level(sc, 0.35, cases[c].delta),
                  cases[c].optimal);
    }
}

/* The shipped response scenarios under `dosesim exact --optimise 20`: every
 * prob_final, prob_select_optimal and mean_n_randomised equals the sums over
 * doses.csv's own prob_rp2d of the stage's chance computed here from the
 * arms' tables (to 1e-12); the counts add up (overall = escalation +
 * randomised); and doses.csv is the very file of the run without a stage. */
static void test_exact_final_choice(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char staged[4200], plain[4200], path[4400];
    snprintf(staged, sizeof(staged), "%s/staged", dir);
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    run_t r;
    run((const char *[]){"exact", RESPONSE_FILE, "--optimise", "20", "--out", staged, "--quiet",
                         NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    run((const char *[]){"exact", RESPONSE_FILE, "--out", plain, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    ds_scenario_file_t file;
    ds_scenario_file_init(&file);
    ds_diag_t diag;
    table_t doses, opt, plain_doses;
    snprintf(path, sizeof(path), "%s/doses.csv", staged);
    bool ok = CHECK(ds_scenario_file_load(&file, RESPONSE_FILE, &diag) == 0) &&
              CHECK(table_load(&doses, path));
    snprintf(path, sizeof(path), "%s/optimisation.csv", staged);
    ok = ok && CHECK(table_load(&opt, path));
    snprintf(path, sizeof(path), "%s/doses.csv", plain);
    ok = ok && CHECK(table_load(&plain_doses, path));
    int checked = 0;
    for (int s = 0; ok && s < file.n_scenarios; s++) {
        const ds_scenario_t *sc = &file.scenarios[s];
        double rp2d[3]; /* none, 100 mg, 200 mg */
        for (int level = 0; level <= 2; level++) {
            char number[8];
            snprintf(number, sizeof(number), "%d", level);
            const int row = table_find(&doses, 0, "scenario", sc->name, "dose_level", number, NULL);
            rp2d[level] = table_number(&doses, row, "prob_rp2d");
            /* the DLT results do not know the stage: the same cells as without it */
            const int plain_row =
                table_find(&plain_doses, 0, "scenario", sc->name, "dose_level", number, NULL);
            CHECK_STR_EQ(table_cell(&doses, row, "prob_rp2d"),
                         table_cell(&plain_doses, plain_row, "prob_rp2d"));
        }
        const double keep = independent_prob_higher(sc, 1, 20, 0.1, 0.35, 0.0);
        const double final[3] = {rp2d[0], rp2d[1] + rp2d[2] * (1.0 - keep), rp2d[2] * keep};
        const int optimal = ds_optimal_level(sc, 0.35, 0.1);
        for (int level = 0; level <= 2; level++) {
            char number[8];
            snprintf(number, sizeof(number), "%d", level);
            const int row = table_find(&opt, 0, "scenario", sc->name, "dose_level", number, NULL);
            if (!CHECK_MSG(row >= 0, "%s: no row at level %d", sc->name, level)) {
                continue;
            }
            CHECK_NEAR(table_number(&opt, row, "prob_final"), final[level], 1e-12);
            CHECK_NEAR(table_number(&opt, row, "prob_select_optimal"), final[optimal + 1], 1e-12);
            CHECK_NEAR(table_number(&opt, row, "mean_n_randomised"), 40.0 * rp2d[2], 1e-12);
            CHECK_NEAR(table_number(&opt, row, "mean_n_overall"),
                       table_number(&opt, row, "mean_n_escalation") +
                           table_number(&opt, row, "mean_n_randomised"),
                       1e-12);
            CHECK_STR_EQ(table_cell(&opt, row, "true_optimal"),
                         level == optimal + 1 ? "yes" : "no");
            CHECK_STR_EQ(table_cell(&opt, row, "mean_stage_days"), "");
            checked++;
        }
    }
    CHECK_INT_EQ(checked, 12);
    if (ok) {
        table_free(&doses);
        table_free(&opt);
        table_free(&plain_doses);
    }
    ds_scenario_file_free(&file);
    test_remove_dir(dir);
}

/* Monte Carlo against exact: `dosesim run --optimise 20` (seed 20261203,
 * 200,000 trials) gives each prob_final and prob_select_optimal within 4 of
 * its standard errors of exact's, and with calendar time (3 a month, dropout
 * 0.1) the stage's days are P(stage) (40 x 10 days + 42) and its patients 40
 * P(stage), to 1e-9 of its own prob_rp2d. */
static void test_monte_carlo_agrees_with_exact(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char mc[4200], ex[4200], timed[4200], path[4400];
    snprintf(mc, sizeof(mc), "%s/mc", dir);
    snprintf(ex, sizeof(ex), "%s/exact", dir);
    snprintf(timed, sizeof(timed), "%s/timed", dir);
    run_t r;
    run((const char *[]){"run", RESPONSE_FILE, "--optimise", "20", "--trials", "200000", "--seed",
                         "20261203", "--out", mc, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    run((const char *[]){"exact", RESPONSE_FILE, "--optimise", "20", "--out", ex, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    run((const char *[]){"run", RESPONSE_FILE, "--optimise", "20", "--trials", "20000", "--seed",
                         "5", "--accrual", "3", "--dropout", "0.1", "--out", timed, "--quiet",
                         NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    table_t a, b, t, t_doses;
    snprintf(path, sizeof(path), "%s/optimisation.csv", mc);
    bool ok = CHECK(table_load(&a, path));
    snprintf(path, sizeof(path), "%s/optimisation.csv", ex);
    ok = ok && CHECK(table_load(&b, path));
    snprintf(path, sizeof(path), "%s/optimisation.csv", timed);
    ok = ok && CHECK(table_load(&t, path));
    snprintf(path, sizeof(path), "%s/doses.csv", timed);
    ok = ok && CHECK(table_load(&t_doses, path));
    int within = 0;
    for (int row = 0; ok && row < a.n_rows; row++) {
        const char *scenario = table_cell(&a, row, "scenario");
        const char *level = table_cell(&a, row, "dose_level");
        const int other = table_find(&b, 0, "scenario", scenario, "dose_level", level, NULL);
        if (!CHECK(other >= 0)) {
            continue;
        }
        CHECK_WITHIN_SE(table_number(&a, row, "prob_final"), table_number(&b, other, "prob_final"),
                        table_number(&a, row, "prob_final_se"), 4);
        CHECK_WITHIN_SE(table_number(&a, row, "prob_select_optimal"),
                        table_number(&b, other, "prob_select_optimal"),
                        table_number(&a, row, "prob_select_optimal_se"), 4);
        CHECK(table_number(&a, row, "prob_final_se") > 0.0);
        within++;
    }
    CHECK_INT_EQ(within, 12);
    for (int row = 0; ok && row < t.n_rows; row++) {
        const char *scenario = table_cell(&t, row, "scenario");
        const int top = table_find(&t_doses, 0, "scenario", scenario, "dose_level", "2", NULL);
        const double stage = table_number(&t_doses, top, "prob_rp2d");
        CHECK_NEAR(table_number(&t, row, "mean_n_randomised"), 40.0 * stage, 1e-9);
        CHECK_NEAR(table_number(&t, row, "mean_stage_days"), stage * (40.0 * 10.0 + 42.0), 1e-9);
    }
    if (ok) {
        table_free(&a);
        table_free(&b);
        table_free(&t);
        table_free(&t_doses);
    }
    test_remove_dir(dir);
}

/* The stage simulated trial by trial (--trials-csv): in every row the arms
 * are N patients each, the final dose is the rule's (recomputed here from the
 * row's counts) and the patients add up (escalation + backfill + randomised,
 * their mean optimisation.csv's mean_n_overall); the final choices' frequencies
 * agree with exact's prob_final untimed (the referee: the shipped two-dose
 * scenarios, and four doses where the arm below the RP2D is not the lowest
 * dose) and with the run's own conditional sums on calendar time with
 * backfill and dropout, within 4 standard errors of a frequency, sqrt(p (1 -
 * p) / trials); the stage days' mean with mean_stage_days within 4 of theirs;
 * each arm's mean DLT and response rates with its dose's truth within 4. The
 * escalation's columns are those of the same run without --optimise. Seeds
 * 11, 12 and 13, 40,000 trials a scenario. */
typedef struct {
    const char *name;
    const char *file;
    const char *const *options; /* beyond --trials, --seed, --optimise 20 */
    const char *seed;
    bool against_exact;
} listed_case_t;

#define LISTED_TRIALS 40000
#define LISTED_ARM 20

static bool run_listed(const listed_case_t *c, bool with_stage, const char *rows_path,
                       const char *out)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = "run";
    argv[n++] = c->file;
    argv[n++] = "--trials";
    argv[n++] = "40000";
    argv[n++] = "--seed";
    argv[n++] = c->seed;
    if (with_stage) {
        argv[n++] = "--optimise";
        argv[n++] = "20";
    }
    for (int k = 0; c->options[k] != NULL && n < 24; k++) {
        argv[n++] = c->options[k];
    }
    argv[n++] = "--trials-csv";
    argv[n++] = rows_path;
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n++] = "--quiet";
    argv[n] = NULL;
    run_t r;
    run(argv, &r);
    bool ok = CHECK_MSG(r.status == 0, "%s: %s", c->name, r.err);
    run_free(&r);
    return ok;
}

/* The escalation's cells of rows are plain's, the stage's (and the run_id) aside, which
 * plain leaves empty. */
static void check_escalation_unmoved(const char *name, const table_t *rows, const table_t *plain)
{
    static const char *const stage_columns[] = {"run_id",
                                                "n_randomised",
                                                "stage_n_dlt_rp2d",
                                                "stage_n_response_rp2d",
                                                "stage_n_dlt_below",
                                                "stage_n_response_below",
                                                "final_level",
                                                "final_label",
                                                "stage_days",
                                                NULL};
    int differ = 0;
    CHECK_INT_EQ(rows->n_rows, plain->n_rows);
    for (int j = 0; j < rows->n_cols && rows->n_rows == plain->n_rows; j++) {
        bool stage = false;
        for (int k = 0; stage_columns[k] != NULL; k++) {
            stage = stage || strcmp(rows->header[j], stage_columns[k]) == 0;
        }
        if (!CHECK(table_col(plain, rows->header[j]) == j)) {
            continue;
        }
        for (int i = 0; i < rows->n_rows; i++) {
            if (!stage) {
                differ += strcmp(rows->rows[i][j], plain->rows[i][j]) != 0;
            } else if (j > 0) {
                differ += plain->rows[i][j][0] != '\0'; /* without --optimise: empty */
            }
        }
    }
    CHECK_MSG(differ == 0, "%s: %d escalation cells moved by the stage", name, differ);
}

/* A row's integer cell, or -1 when it is empty or not a whole number in 0..limit. */
static int cell_count(const table_t *t, int row, const char *col, int limit)
{
    const double x = table_number(t, row, col);
    return x >= 0.0 && x <= limit && x == floor(x) ? (int)x : -1;
}

/* The truth of a dose of the scenario file: its p_dlt and p_response. */
static void file_truth(const table_t *file, const char *scenario, int level, double *p_dlt,
                       double *p_response)
{
    char lv[8];
    snprintf(lv, sizeof(lv), "%d", level);
    const int row = table_find(file, 0, "scenario", scenario, "dose_level", lv, NULL);
    *p_dlt = row >= 0 ? table_number(file, row, "p_dlt") : NAN;
    *p_response = row >= 0 ? table_number(file, row, "p_response") : NAN;
}

static void check_listed_scenario(const listed_case_t *c, const char *scenario, const table_t *rows,
                                  const table_t *opt, const table_t *against, const table_t *file,
                                  int n_levels, bool timed)
{
    enum { N = LISTED_ARM };
    const double target_hi = table_number(opt, 0, "target_hi");
    const double delta = table_number(opt, 0, "optimise_delta");
    const double dropout = timed ? table_number(rows, 0, "dropout") : 0.0;
    const int margin = (int)ceil(delta * N - 1e-9), most_dlts = (int)floor(target_hi * N + 1e-9);
    double trials = 0.0, final[DS_MAX_LEVELS + 1] = {0.0}, overall = 0.0, days = 0.0, days2 = 0.0;
    /* per level: the arms' patients, DLTs and responses there */
    double arm_n[DS_MAX_LEVELS + 1] = {0.0}, arm_dlt[DS_MAX_LEVELS + 1] = {0.0},
                                 arm_resp[DS_MAX_LEVELS + 1] = {0.0};
    int bad = 0;
    for (int i = 0; i < rows->n_rows; i++) {
        if (strcmp(table_cell(rows, i, "scenario"), scenario) != 0) {
            continue;
        }
        trials += 1.0;
        const int rp2d = cell_count(rows, i, "rp2d_level", n_levels);
        const int randomised = cell_count(rows, i, "n_randomised", 2 * N);
        const int fin = cell_count(rows, i, "final_level", n_levels);
        const int treated = cell_count(rows, i, "n_treated", 100000);
        int at_doses = 0;
        for (int d = 1; d <= n_levels; d++) {
            char col[64];
            snprintf(col, sizeof(col), "n_treated_at_dose_%d", d);
            at_doses += (int)table_number(rows, i, col);
        }
        if (rp2d < 0 || fin < 0 || randomised < 0 || treated < 0) {
            bad++;
            continue;
        }
        bad += at_doses != treated;
        if (rp2d >= 2) {
            const int dlt_hi = cell_count(rows, i, "stage_n_dlt_rp2d", N);
            const int resp_hi = cell_count(rows, i, "stage_n_response_rp2d", N);
            const int dlt_lo = cell_count(rows, i, "stage_n_dlt_below", N);
            const int resp_lo = cell_count(rows, i, "stage_n_response_below", N);
            const bool keeps = dlt_hi <= most_dlts && resp_hi - resp_lo >= margin;
            bad += randomised != 2 * N || fin != (keeps ? rp2d : rp2d - 1);
            bad += dlt_hi < 0 || resp_hi < 0 || dlt_lo < 0 || resp_lo < 0;
            arm_n[rp2d] += N;
            arm_dlt[rp2d] += dlt_hi;
            arm_resp[rp2d] += resp_hi;
            arm_n[rp2d - 1] += N;
            arm_dlt[rp2d - 1] += dlt_lo;
            arm_resp[rp2d - 1] += resp_lo;
        } else {
            bad +=
                randomised != 0 || fin != rp2d || !isnan(table_number(rows, i, "stage_n_dlt_rp2d"));
        }
        final[fin] += 1.0;
        overall += treated + randomised;
        const double d = table_number(rows, i, "stage_days");
        if (timed) {
            days += d;
            days2 += d * d;
            bad += rp2d >= 2 ? !(d >= 42.0) : d != 0.0;
        } else {
            bad += !isnan(d);
        }
    }
    CHECK_MSG(bad == 0, "%s/%s: %d rows break the stage's accounting", c->name, scenario, bad);
    CHECK(trials == LISTED_TRIALS);
    const int none = table_find(opt, 0, "scenario", scenario, "dose_level", "0", NULL);
    if (!CHECK(none >= 0) || trials == 0.0) {
        return;
    }
    CHECK_NEAR(overall / trials, table_number(opt, none, "mean_n_overall"), 1e-9 * overall);
    for (int level = 0; level <= n_levels; level++) {
        char lv[8];
        snprintf(lv, sizeof(lv), "%d", level);
        const int row = table_find(against, 0, "scenario", scenario, "dose_level", lv, NULL);
        if (!CHECK(row >= 0)) {
            continue;
        }
        const double p = table_number(against, row, "prob_final");
        /* a probability of 0 or 1 has no spread: then the frequency is exactly it */
        CHECK_WITHIN_SE(final[level] / trials, p, fmax(sqrt(p * (1.0 - p) / trials), 1e-12), 4);
    }
    /* each arm's rates against its dose's truth, by intention to treat: who
     * leaves early (without a DLT) has no response */
    for (int level = 1; level <= n_levels; level++) {
        if (arm_n[level] < 1000.0) {
            continue;
        }
        double p_dlt, p_resp;
        file_truth(file, scenario, level, &p_dlt, &p_resp);
        const double both = p_dlt * p_resp; /* the shipped files and this one: independent */
        const double resp = both + (p_resp - both) * (1.0 - dropout);
        const double m = arm_n[level];
        CHECK_WITHIN_SE(arm_dlt[level] / m, p_dlt, sqrt(p_dlt * (1.0 - p_dlt) / m), 4);
        CHECK_WITHIN_SE(arm_resp[level] / m, resp, sqrt(resp * (1.0 - resp) / m), 4);
    }
    if (timed) {
        const double mean = days / trials;
        const double se = sqrt(fmax(days2 / trials - mean * mean, 0.0) / trials);
        CHECK_WITHIN_SE(mean, table_number(opt, none, "mean_stage_days"), se, 4);
    }
}

static void check_listed_stage(const char *dir, const listed_case_t *c)
{
    char out[4300], plain_out[4300], rows_path[4300], plain_rows[4300], ex[4300], path[4400];
    snprintf(out, sizeof(out), "%s/%s", dir, c->name);
    snprintf(plain_out, sizeof(plain_out), "%s/%s_plain", dir, c->name);
    snprintf(rows_path, sizeof(rows_path), "%s/%s.csv", dir, c->name);
    snprintf(plain_rows, sizeof(plain_rows), "%s/%s_plain.csv", dir, c->name);
    snprintf(ex, sizeof(ex), "%s/%s_exact", dir, c->name);
    if (!run_listed(c, true, rows_path, out) || !run_listed(c, false, plain_rows, plain_out)) {
        return;
    }
    if (c->against_exact) {
        run_t r;
        run((const char *[]){"exact", c->file, "--optimise", "20", "--out", ex, "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
    }
    table_t rows, plain, opt, exact_opt, file;
    bool ok = CHECK(table_load(&rows, rows_path));
    ok = ok && CHECK(table_load(&plain, plain_rows));
    snprintf(path, sizeof(path), "%s/optimisation.csv", out);
    ok = ok && CHECK(table_load(&opt, path));
    snprintf(path, sizeof(path), "%s/optimisation.csv", ex);
    ok = ok && (!c->against_exact || CHECK(table_load(&exact_opt, path)));
    ok = ok && CHECK(table_load(&file, c->file));
    if (!ok) {
        return;
    }
    const bool timed = !isnan(table_number(&rows, 0, "duration_days"));
    int n_levels = 0;
    while (n_levels < DS_MAX_LEVELS) {
        char col[64];
        snprintf(col, sizeof(col), "n_treated_at_dose_%d", n_levels + 1);
        if (table_col(&rows, col) < 0) {
            break;
        }
        n_levels++;
    }
    check_escalation_unmoved(c->name, &rows, &plain);
    int scenarios = 0;
    for (int i = 0; i < opt.n_rows; i++) {
        if (strcmp(table_cell(&opt, i, "dose_level"), "0") == 0) { /* a scenario's none row */
            check_listed_scenario(c, table_cell(&opt, i, "scenario"), &rows, &opt,
                                  c->against_exact ? &exact_opt : &opt, &file, n_levels, timed);
            scenarios++;
        }
    }
    CHECK_MSG(scenarios >= 2, "%s: %d scenarios", c->name, scenarios);
    table_free(&rows);
    table_free(&plain);
    table_free(&opt);
    table_free(&file);
    if (c->against_exact) {
        table_free(&exact_opt);
    }
}

static void test_trials_simulate_the_stage(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char four[4300];
    snprintf(four, sizeof(four), "%s/four_doses.csv", dir);
    CHECK(test_write_file(four, "scenario,dose_level,dose_label,p_dlt,p_response\n"
                                "rising,1,25 mg,0.02,0.15\n"
                                "rising,2,50 mg,0.05,0.35\n"
                                "rising,3,100 mg,0.10,0.50\n"
                                "rising,4,200 mg,0.45,0.60\n"
                                "flat,1,25 mg,0.02,0.40\n"
                                "flat,2,50 mg,0.04,0.40\n"
                                "flat,3,100 mg,0.08,0.40\n"
                                "flat,4,200 mg,0.12,0.40\n"));
    const listed_case_t cases[] = {
        {"untimed", RESPONSE_FILE, (const char *const[]){NULL}, "11", true},
        {"backfilled", RESPONSE_FILE,
         (const char *const[]){"--accrual", "3", "--dropout", "0.1", "--backfill-max", "6", NULL},
         "12", false},
        {"four", four, (const char *const[]){NULL}, "13", true},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        check_listed_stage(dir, &cases[k]);
    }
    test_remove_dir(dir);
}

/* How many of the first n outputs of a equal some rotation of b's at the same draw. */
static int rotated_matches(ds_rng_t a, ds_rng_t b, int n)
{
    int matches = 0;
    for (int k = 0; k < n; k++) {
        const uint32_t x = ds_rng_next(&a), y = ds_rng_next(&b);
        for (unsigned r = 0; r < 32u; r++) {
            if (x == ((y >> r) | (y << ((32u - r) & 31u)))) {
                matches++;
                break;
            }
        }
    }
    return matches;
}

/* A trial's stage draws are not the escalation's again: over the first 512
 * draws, none is a rotation of the same draw of an escalation block's stream,
 * its calendar's or a neighbouring trial's stage, nor is a block's calendar a
 * rotation of its escalation (a chance match: 32 in 2^32 a draw). Seeded as
 * PCG32 streams of a shared starting state, the stage of trial t + 1 repeated
 * block 4096 t + 1's draws at every fourth draw, and block b's calendar
 * (stream 2^62 + b) its escalation's at every other draw. */
static void test_stage_stream_apart(void)
{
    const uint64_t seeds[] = {11u, 20261203u};
    const uint64_t trials[] = {0u, 1u, 5u, 4095u, 4096u, UINT64_C(1) << 20};
    int matches = 0;
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < sizeof(trials) / sizeof(trials[0]); i++) {
            const uint64_t t = trials[i];
            ds_rng_t stage;
            ds_optimise_stage_stream(&stage, seeds[s], t);
            const uint64_t blocks[] = {0u, 1u, t, t + 1u, t / DS_BLOCK_TRIALS};
            for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
                ds_rng_t escalation, calendar;
                ds_rng_seed(&escalation, seeds[s], blocks[b]);
                ds_engine_timing_stream(&calendar, seeds[s], blocks[b]);
                matches += rotated_matches(stage, escalation, 512);
                matches += rotated_matches(stage, calendar, 512);
                matches += rotated_matches(escalation, calendar, 512);
            }
            ds_rng_t next;
            ds_optimise_stage_stream(&next, seeds[s], t + 1u);
            matches += rotated_matches(stage, next, 512);
        }
    }
    CHECK_INT_EQ(matches, 0);
}

/* A response changes none of the DLT results: the tifcemalimab_response
 * scenarios without p_response (the same p_dlt) give the same summary.csv,
 * doses.csv, sample_size.csv and duration.csv cells but the run_id, with and
 * without calendar time. */
static void test_dlt_results_unmoved(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char stripped[4200];
    snprintf(stripped, sizeof(stripped), "%s/dlt_only.csv", dir);
    char *text = test_read_file(RESPONSE_FILE, NULL);
    FILE *f = fopen(stripped, "w");
    if (!CHECK(text != NULL && f != NULL)) {
        free(text);
        if (f != NULL) {
            fclose(f);
        }
        test_remove_dir(dir);
        return;
    }
    /* every line without its last cell: the p_response column */
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char *comma = strrchr(line, ',');
        fprintf(f, "%.*s\n", (int)(comma != NULL ? comma - line : (long)strlen(line)), line);
    }
    fclose(f);
    free(text);
    for (int timed = 0; timed < 2; timed++) {
        char with[4300], without[4300];
        snprintf(with, sizeof(with), "%s/with%d", dir, timed);
        snprintf(without, sizeof(without), "%s/without%d", dir, timed);
        const char *calendar = timed ? "--accrual" : "--seed";
        const char *value = timed ? "3" : "20261126";
        run_t r;
        run((const char *[]){"run", RESPONSE_FILE, "--optimise", "20", "--trials", "20000",
                             calendar, value, "--out", with, "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
        run((const char *[]){"run", stripped, "--trials", "20000", calendar, value, "--out",
                             without, "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
        static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                            "duration.csv"};
        for (size_t k = 0; k < 4; k++) {
            table_t x, y;
            char px[4400], py[4400];
            snprintf(px, sizeof(px), "%s/%s", with, files[k]);
            snprintf(py, sizeof(py), "%s/%s", without, files[k]);
            if (!CHECK(table_load(&x, px))) {
                continue;
            }
            if (CHECK(table_load(&y, py)) &&
                CHECK_MSG(x.n_rows == y.n_rows && x.n_cols == y.n_cols, "%s: %dx%d, not %dx%d",
                          files[k], x.n_rows, x.n_cols, y.n_rows, y.n_cols)) {
                int differ = 0;
                for (int i = 0; i < x.n_rows; i++) {
                    for (int j = 0; j < x.n_cols; j++) {
                        differ += strcmp(x.header[j], "run_id") != 0 &&
                                  strcmp(x.rows[i][j], y.rows[i][j]) != 0;
                    }
                }
                CHECK_MSG(differ == 0, "%s (%s): %d cells differ", files[k],
                          timed ? "timed" : "untimed", differ);
                table_free(&y);
            }
            table_free(&x);
        }
    }
    test_remove_dir(dir);
}

/* compare sets optimisation.csv beside the rest: each folder's prob_final,
 * prob_select_optimal and mean_n_overall cells copied as written, empty for a
 * folder whose set has no response rows; the table prints the final doses;
 * an optimisation.csv of another run (its run_id edited) is refused with its
 * file and line, and so are sets of another margin (compare and report),
 * nothing written. */
static void test_compare_shows_the_stage(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char none[4200], twenty[4200], cmp[4200], bad[4200], path[4400];
    snprintf(none, sizeof(none), "%s/none", dir);
    snprintf(twenty, sizeof(twenty), "%s/twenty", dir);
    snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
    snprintf(bad, sizeof(bad), "%s/bad", dir);
    run_t r;
    run((const char *[]){"exact", RESPONSE_FILE, "--out", none, "--quiet", NULL}, &r);
    run_free(&r);
    run((const char *[]){"exact", RESPONSE_FILE, "--optimise", "20", "--out", twenty, "--quiet",
                         NULL},
        &r);
    run_free(&r);
    run((const char *[]){"compare", none, twenty, "--out", cmp, "--format", "svg", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    CHECK(strstr(r.out, "final dose") != NULL && strstr(r.out, "20 a dose") != NULL);
    run_free(&r);
    table_t c, o;
    snprintf(path, sizeof(path), "%s/comparison.csv", cmp);
    bool ok = CHECK(table_load(&c, path));
    snprintf(path, sizeof(path), "%s/optimisation.csv", twenty);
    ok = ok && CHECK(table_load(&o, path));
    int copied = 0;
    for (int row = 0; ok && row < c.n_rows; row++) {
        const char *folder = table_cell(&c, row, "folder");
        if (strcmp(folder, twenty) != 0) {
            continue;
        }
        const int k = table_find(&o, 0, "scenario", table_cell(&c, row, "scenario"), "dose_level",
                                 table_cell(&c, row, "dose_level"), NULL);
        if (!CHECK(k >= 0)) {
            continue;
        }
        static const char *const cells[] = {"prob_final", "prob_select_optimal", "mean_n_overall",
                                            "true_optimal", "optimise_n_per_arm"};
        for (size_t j = 0; j < sizeof(cells) / sizeof(cells[0]); j++) {
            CHECK_STR_EQ(table_cell(&c, row, cells[j]), table_cell(&o, k, cells[j]));
        }
        CHECK_STR_EQ(table_cell(&c, row, "mean_overall_days"), "");
        copied++;
    }
    CHECK_INT_EQ(copied, 12);
    if (ok) {
        table_free(&c);
        table_free(&o);
    }
    /* another run's optimisation.csv in a set: refused, naming it */
    run((const char *[]){"exact", RESPONSE_FILE, "--optimise", "40", "--out", bad, "--quiet", NULL},
        &r);
    run_free(&r);
    snprintf(path, sizeof(path), "%s/optimisation.csv", twenty);
    char *theirs = test_read_file(path, NULL);
    char their_path[4400];
    snprintf(their_path, sizeof(their_path), "%s/optimisation.csv", bad);
    CHECK(theirs != NULL && test_write_file(their_path, theirs));
    free(theirs);
    char cmp2[4300];
    snprintf(cmp2, sizeof(cmp2), "%s/cmp2", dir);
    run((const char *[]){"compare", none, bad, "--out", cmp2, "--format", "svg", NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "bad/optimisation.csv:2: run_id") != NULL, "%s", r.err);
    struct stat st;
    CHECK(stat(cmp2, &st) != 0);
    run_free(&r);
    /* final doses against another truth (--delta 0.2): compare and report refuse them */
    char other[4300], report[4300];
    snprintf(other, sizeof(other), "%s/other", dir);
    snprintf(report, sizeof(report), "%s/report.md", dir);
    run((const char *[]){"exact", RESPONSE_FILE, "--optimise", "20", "--delta", "0.2", "--out",
                         other, "--quiet", NULL},
        &r);
    run_free(&r);
    run((const char *[]){"compare", twenty, other, "--out", cmp2, "--format", "svg", NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "field 'optimise_delta': 0.2") != NULL, "%s", r.err);
    CHECK(stat(cmp2, &st) != 0);
    run_free(&r);
    run((const char *[]){"report", twenty, other, "--out", report, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "other response assumptions are not comparable") != NULL, "%s", r.err);
    CHECK(stat(report, &st) != 0);
    run_free(&r);
    test_remove_dir(dir);
}

/* Shards of scenarios with response rates and a stage: three shards merge to
 * the single run's five files, byte for byte (seed 4, 30,000 trials, calendar
 * time); shards run with another --optimise do not merge. */
static void test_shards_carry_the_response(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char shards[4200], merged[4200], single[4200], odd[4200];
    snprintf(shards, sizeof(shards), "%s/shards", dir);
    snprintf(merged, sizeof(merged), "%s/merged", dir);
    snprintf(single, sizeof(single), "%s/single", dir);
    snprintf(odd, sizeof(odd), "%s/odd", dir);
    run_t r;
    static const char *const parts[] = {"1/3", "2/3", "3/3"};
    for (int i = 0; i < 3; i++) {
        run((const char *[]){"run", RESPONSE_FILE, "--optimise", "20", "--accrual", "3", "--trials",
                             "30000", "--seed", "4", "--shard", parts[i], "--out", shards,
                             "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "shard %s: %s", parts[i], r.err);
        run_free(&r);
    }
    run((const char *[]){"merge", shards, "--out", merged, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "merge: %s", r.err);
    run_free(&r);
    run((const char *[]){"run", RESPONSE_FILE, "--optimise", "20", "--accrual", "3", "--trials",
                         "30000", "--seed", "4", "--out", single, "--quiet", NULL},
        &r);
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                        "duration.csv", "optimisation.csv"};
    for (size_t k = 0; k < 5; k++) {
        char a[4400], b[4400];
        snprintf(a, sizeof(a), "%s/%s", merged, files[k]);
        snprintf(b, sizeof(b), "%s/%s", single, files[k]);
        char *x = test_read_file(a, NULL), *y = test_read_file(b, NULL);
        CHECK_MSG(x != NULL && y != NULL && strcmp(x, y) == 0, "merged %s differs", files[k]);
        CHECK(k != 4 || (x != NULL && strstr(x, ",flat,") != NULL)); /* it has rows */
        free(x);
        free(y);
    }
    /* shard 2 of a run with another stage: refused */
    run((const char *[]){"run", RESPONSE_FILE, "--optimise", "40", "--accrual", "3", "--trials",
                         "30000", "--seed", "4", "--shard", "2/3", "--out", odd, "--quiet", NULL},
        &r);
    run_free(&r);
    char one[4400], two[4400], out[4400];
    snprintf(one, sizeof(one), "%s/shard-1-of-3.csv", shards);
    snprintf(two, sizeof(two), "%s/shard-2-of-3.csv", odd);
    snprintf(out, sizeof(out), "%s/never", dir);
    run((const char *[]){"merge", one, two, "--out", out, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "other --optimise") != NULL, "%s", r.err);
    run_free(&r);
    test_remove_dir(dir);
}

const test_case_t optimise_tests[] = {
    {"stage_equals_the_arms_tables", test_stage_equals_the_arms_tables},
    {"odds_ratio_table", test_odds_ratio_table},
    {"optimal_dose_rule", test_optimal_dose_rule},
    {"exact_final_choice", test_exact_final_choice},
    {"monte_carlo_agrees_with_exact", test_monte_carlo_agrees_with_exact},
    {"trials_simulate_the_stage", test_trials_simulate_the_stage},
    {"stage_stream_apart", test_stage_stream_apart},
    {"dlt_results_unmoved", test_dlt_results_unmoved},
    {"compare_shows_the_stage", test_compare_shows_the_stage},
    {"shards_carry_the_response", test_shards_carry_the_response},
    {NULL, NULL},
};

/* The 3+3 rules, case by case: a script of cohort outcomes goes in, the
 * sequence of actions the rules take comes out. Levels are written 1-based:
 * T2 = treat 3 at level 2, S1 = select level 1 as RP2D, N = no RP2D. */
#include <stdio.h>
#include <string.h>

#include "dosesim/design.h"
#include "testlib.h"

typedef struct {
    const char *deescalate; /* "yes" or "no" */
    const char *top_dose;   /* "expand" or "accept" */
    int n_levels;
    int start; /* 1-based */
    int outcomes[12];
    int n_outcomes;
    const char *expected;
} rule_case_t;

#define OUT(...) {__VA_ARGS__}, (int)(sizeof((int[]){__VA_ARGS__}) / sizeof(int))

static const rule_case_t cases[] = {
    /* de-escalation yes, top dose expand: the textbook 3+3 */
    {"yes", "expand", 2, 1, OUT(0, 0, 0), "T1 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(0, 0, 1), "T1 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(0, 0, 2, 0), "T1 T2 T2 T1 S1"},
    {"yes", "expand", 2, 1, OUT(0, 0, 2, 2), "T1 T2 T2 T1 N"},
    {"yes", "expand", 2, 1, OUT(0, 2, 1), "T1 T2 T1 S1"},
    {"yes", "expand", 2, 1, OUT(0, 3, 2), "T1 T2 T1 N"},
    {"yes", "expand", 2, 1, OUT(1, 0, 0, 0), "T1 T1 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(1, 0, 2), "T1 T1 T2 S1"},
    {"yes", "expand", 2, 1, OUT(1, 0, 1, 1), "T1 T1 T2 T2 S1"},
    {"yes", "expand", 2, 1, OUT(0, 1, 1, 1), "T1 T2 T2 T1 S1"},
    {"yes", "expand", 2, 1, OUT(2), "T1 N"},
    {"yes", "expand", 2, 1, OUT(1, 1), "T1 T1 N"},
    {"yes", "expand", 1, 1, OUT(0, 1), "T1 T1 S1"},
    {"yes", "expand", 1, 1, OUT(0, 2), "T1 T1 N"},
    {"yes", "expand", 3, 1, OUT(0, 0, 2, 2, 0), "T1 T2 T3 T2 T1 S1"},
    {"yes", "expand", 3, 1, OUT(0, 1, 0, 2), "T1 T2 T2 T3 S2"},
    {"yes", "expand", 3, 2, OUT(2, 0, 0), "T2 T1 T1 S1"},
    {"yes", "expand", 3, 2, OUT(2, 0, 2), "T2 T1 T1 N"},
    {"yes", "expand", 3, 2, OUT(0, 0, 0), "T2 T3 T3 S3"},
    /* de-escalation no, top dose accept: escalation only (Storer 1989; Lin & Shih 2001) */
    {"no", "accept", 2, 1, OUT(0, 0), "T1 T2 S2"},
    {"no", "accept", 2, 1, OUT(0, 2), "T1 T2 S1"},
    {"no", "accept", 2, 1, OUT(0, 1, 0), "T1 T2 T2 S2"},
    {"no", "accept", 2, 1, OUT(0, 1, 1), "T1 T2 T2 S1"},
    {"no", "accept", 2, 1, OUT(1, 0, 3), "T1 T1 T2 S1"},
    {"no", "accept", 2, 1, OUT(2), "T1 N"},
    {"no", "accept", 1, 1, OUT(0), "T1 S1"},
    {"no", "accept", 3, 2, OUT(2, 0), "T2 T1 S1"},
    {"no", "accept", 3, 2, OUT(2, 2), "T2 T1 N"},
    {"no", "accept", 3, 1, OUT(0, 0, 3), "T1 T2 T3 S2"},
    /* de-escalation yes, top dose accept */
    {"yes", "accept", 2, 1, OUT(0, 0), "T1 T2 S2"},
    {"yes", "accept", 2, 1, OUT(0, 2, 1), "T1 T2 T1 S1"},
    {"yes", "accept", 2, 1, OUT(0, 2, 2), "T1 T2 T1 N"},
    {"yes", "accept", 3, 2, OUT(3, 0), "T2 T1 S1"},
    /* de-escalation no, top dose expand */
    {"no", "expand", 2, 1, OUT(0, 0, 0), "T1 T2 T2 S2"},
    {"no", "expand", 2, 1, OUT(0, 0, 2), "T1 T2 T2 S1"},
    {"no", "expand", 2, 1, OUT(0, 2), "T1 T2 S1"},
};

static void run_script(const rule_case_t *c, char *out, size_t size)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_init_3plus3(&design);
    design.deescalate = strcmp(c->deescalate, "yes") == 0;
    design.top_dose = strcmp(c->top_dose, "accept") == 0 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
    design.start_level = c->start - 1;
    out[0] = '\0';
    int used = 0;
    ds_action_t a = ds_design_start(&design, &trial, c->n_levels);
    for (int step = 0; step < 40; step++) {
        char token[16];
        if (a.kind == DS_ACTION_TREAT) {
            snprintf(token, sizeof(token), "T%d", a.level + 1);
            CHECK_INT_EQ(a.n, 3);
        } else if (a.kind == DS_ACTION_SELECT) {
            snprintf(token, sizeof(token), "S%d", a.level + 1);
        } else if (a.kind == DS_ACTION_STOP) {
            snprintf(token, sizeof(token), "N");
        } else {
            snprintf(token, sizeof(token), "INVALID");
        }
        strncat(out, out[0] ? " " : "", size - strlen(out) - 1);
        strncat(out, token, size - strlen(out) - 1);
        if (a.kind != DS_ACTION_TREAT) {
            break;
        }
        if (used == c->n_outcomes) {
            strncat(out, " (script ran out)", size - strlen(out) - 1);
            break;
        }
        ds_trial_record(&trial, a.level, a.n, c->outcomes[used++]);
        a = ds_design_next(&design, &trial);
    }
    if (used != c->n_outcomes) {
        strncat(out, " (outcomes left over)", size - strlen(out) - 1);
    }
}

static void test_rule_cases(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[256];
        run_script(&cases[i], got, sizeof(got));
        CHECK_MSG(strcmp(got, cases[i].expected) == 0,
                  "case %zu (deescalate %s, top %s, K=%d, start %d): got \"%s\", expected \"%s\"",
                  i + 1, cases[i].deescalate, cases[i].top_dose, cases[i].n_levels, cases[i].start,
                  got, cases[i].expected);
    }
}

/* The reasons a trace will print come with the actions. */
static void test_reasons(void)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_init_3plus3(&design);
    ds_action_t a = ds_design_start(&design, &trial, 2);
    CHECK(a.why == DS_WHY_START);
    ds_trial_record(&trial, 0, 3, 1);
    a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_TREAT && a.why == DS_WHY_EXPAND);
    ds_trial_record(&trial, 0, 3, 0);
    a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_TREAT && a.level == 1 && a.why == DS_WHY_ESCALATE);
    ds_trial_record(&trial, 1, 3, 0);
    a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_TREAT && a.why == DS_WHY_TOP_EXPAND);
    ds_trial_record(&trial, 1, 3, 2);
    a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_SELECT && a.level == 0 && a.why == DS_WHY_LOWER_COMPLETE);
    CHECK_INT_EQ(trial.n_total, 12);
    CHECK_INT_EQ(trial.dlt_total, 3);
    CHECK_INT_EQ(trial.highest_allowed, 0);
}

static void test_state_the_rules_cannot_reach(void)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_init_3plus3(&design);
    (void)ds_design_start(&design, &trial, 2);
    ds_trial_record(&trial, 0, 4, 0); /* no stage of the 3+3 has 4 patients */
    ds_action_t a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_INVALID && a.why == DS_WHY_BAD_STATE);
}

static void test_design_check(void)
{
    ds_design_t design;
    ds_diag_t diag;
    ds_design_init_3plus3(&design);
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), 0);
    CHECK_INT_EQ(ds_design_check(&design, 0, &diag), DS_ERR_TOO_MANY_LEVELS);
    CHECK_INT_EQ(ds_design_check(&design, DS_MAX_LEVELS + 1, &diag), DS_ERR_TOO_MANY_LEVELS);
    design.start_level = 2;
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    CHECK_STR_EQ(diag.field, "--start");
    CHECK_INT_EQ(ds_design_check(&design, 3, &diag), 0);
    ds_design_init_3plus3(&design);
    design.stages[1].n_cum = 3; /* not growing */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_init_3plus3(&design);
    design.stages[1].tox_min = 3; /* the last stage must decide */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_init_3plus3(&design);
    design.stages[0].esc_max = 2; /* escalation bound above the toxicity bound */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_init_3plus3(&design);
    CHECK_INT_EQ(ds_design_max_patients(&design, 4), 24);
    CHECK_INT_EQ(ds_design_max_cohort(&design), 3);
    CHECK_STR_EQ(ds_top_dose_name(DS_TOP_ACCEPT), "accept");
    CHECK_STR_EQ(ds_top_dose_name(DS_TOP_EXPAND), "expand");
}

const test_case_t design_tests[] = {
    {"rule_cases", test_rule_cases},
    {"reasons", test_reasons},
    {"state_the_rules_cannot_reach", test_state_the_rules_cannot_reach},
    {"check", test_design_check},
    {NULL, NULL},
};

/* The rules, case by case: a script of cohort outcomes goes in, the
 * sequence of actions the rules take comes out. Levels are written 1-based:
 * T2 = treat 3 at level 2, S1 = select level 1 as RP2D, N = no RP2D. Then
 * the presets, rule files, and the rolling six against its published table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"
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

static void run_script(const rule_case_t *c, const char *spec, char *out, size_t size)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_diag_t diag;
    ds_design_set_3plus3(&design);
    CHECK_INT_EQ(ds_design_preset(&design, spec, &diag), 0);
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
        run_script(&cases[i], "3+3", got, sizeof(got));
        CHECK_MSG(strcmp(got, cases[i].expected) == 0,
                  "case %zu (deescalate %s, top %s, K=%d, start %d): got \"%s\", expected \"%s\"",
                  i + 1, cases[i].deescalate, cases[i].top_dose, cases[i].n_levels, cases[i].start,
                  got, cases[i].expected);
    }
}

/* The 3+3+3 (a third cohort of 3 on 2/6; of 9, <= 2 DLTs escalate), worked by hand. */
static const rule_case_t cases_333[] = {
    /* top dose expand: the RP2D rests on 9 patients */
    {"yes", "expand", 2, 1, OUT(0, 0, 0, 0), "T1 T2 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(1, 1, 0, 0, 0, 0), "T1 T1 T1 T2 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(1, 1, 1), "T1 T1 T1 N"},
    {"yes", "expand", 2, 1, OUT(1, 2), "T1 T1 N"},
    {"yes", "expand", 2, 1, OUT(2), "T1 N"},
    {"yes", "expand", 2, 1, OUT(0, 2, 0, 0), "T1 T2 T1 T1 S1"},
    {"yes", "expand", 2, 1, OUT(0, 1, 1, 0), "T1 T2 T2 T2 S2"},
    {"yes", "expand", 2, 1, OUT(0, 1, 1, 1, 1, 1), "T1 T2 T2 T2 T1 T1 S1"},
    {"yes", "expand", 2, 1, OUT(0, 1, 1, 1, 1, 2), "T1 T2 T2 T2 T1 T1 N"},
    {"yes", "expand", 1, 1, OUT(1, 0, 1), "T1 T1 T1 S1"},
    /* escalation only */
    {"no", "accept", 2, 1, OUT(0, 0), "T1 T2 S2"},
    {"no", "accept", 2, 1, OUT(0, 1, 0), "T1 T2 T2 S2"},
    {"no", "accept", 2, 1, OUT(0, 1, 1, 0), "T1 T2 T2 T2 S2"},
    {"no", "accept", 2, 1, OUT(0, 1, 1, 1), "T1 T2 T2 T2 S1"},
    {"no", "accept", 2, 1, OUT(1, 1, 1), "T1 T1 T1 N"},
};

static void test_three_plus_three_plus_three(void)
{
    for (size_t i = 0; i < sizeof(cases_333) / sizeof(cases_333[0]); i++) {
        char got[256];
        run_script(&cases_333[i], "3+3+3", got, sizeof(got));
        CHECK_MSG(strcmp(got, cases_333[i].expected) == 0,
                  "3+3+3 case %zu: got \"%s\", expected \"%s\"", i + 1, got, cases_333[i].expected);
    }
}

static void test_presets(void)
{
    ds_design_t plain, design;
    ds_diag_t diag;
    ds_design_set_3plus3(&plain);
    ds_design_set_3plus3(&design);
    design.deescalate = false; /* options survive a preset */
    CHECK_INT_EQ(ds_design_preset(&design, "ab:3,3,1,1,1", &diag), 0);
    CHECK(ds_design_same_table(&design, &plain));
    CHECK_STR_EQ(design.name, "ab:3,3,1,1,1");
    CHECK(!design.deescalate);
    CHECK_INT_EQ(ds_design_preset(&design, "3+3+3", &diag), 0);
    CHECK_INT_EQ(design.n_stages, 3);
    CHECK(design.stages[1].n_cum == 6 && design.stages[1].esc_max == 1 &&
          design.stages[1].tox_min == 3);
    CHECK(design.stages[2].n_cum == 9 && design.stages[2].esc_max == 2 &&
          design.stages[2].tox_min == 3);
    /* Lin & Shih's 4+4 with C, D, E = 1, 2, 2: escalate on 0/4, too toxic on >= 3/4, of 8 <= 2 */
    CHECK_INT_EQ(ds_design_preset(&design, "ab:4,4,1,2,2", &diag), 0);
    CHECK(design.stages[0].n_cum == 4 && design.stages[0].esc_max == 0 &&
          design.stages[0].tox_min == 3);
    CHECK(design.stages[1].n_cum == 8 && design.stages[1].esc_max == 2 &&
          design.stages[1].tox_min == 3);
    CHECK_INT_EQ(ds_design_check(&design, 5, &diag), 0);
    CHECK_INT_EQ(ds_design_preset(&design, "rolling6", &diag), 0);
    CHECK(design.family == &ds_family_rolling_six);
    CHECK_INT_EQ(ds_design_max_patients(&design, 3), 18);
    CHECK_INT_EQ(ds_design_preset(&design, "3+3", &diag), 0);
    CHECK(design.family == &ds_family_stages && ds_design_same_table(&design, &plain));
    static const char *const bad[] = {
        "3+4",
        "ab:3,3,1,1",
        "ab:3,3,2,1,1",
        "ab:3,3,1,1,6",
        "ab:0,3,1,1,1",
        "ab:3,0,1,1,1",
        "ab:3,3,0,1,1",
        "ab:3,3,1,4,4",
        "ab:x",
        "ab:3,3,1,1,1,",
        "ab:1000,1,1,1,1",
        "ab:60,10,1,1,1",
        "",
        "rolling",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ds_design_t before = design;
        CHECK_MSG(ds_design_preset(&design, bad[i], &diag) == DS_ERR_BAD_PARAM, "'%s' accepted",
                  bad[i]);
        CHECK_STR_EQ(diag.field, "--design");
        CHECK(ds_design_same_table(&design, &before));
    }
}

/* A user's rule table: read, checked stage by stage, refused with line and column. */
static void test_rule_files(void)
{
    ds_design_t design, plain;
    ds_diag_t diag;
    ds_design_set_3plus3(&plain);
    ds_design_set_3plus3(&design);
    CHECK_INT_EQ(ds_design_load_rules(&design, "tests/data/rules/three_plus_three.csv", &diag), 0);
    CHECK(ds_design_same_table(&design, &plain));
    CHECK_STR_EQ(design.name, "rules:three_plus_three.csv");
    static const struct {
        const char *text;
        long line;
        const char *field;
        const char *words;
    } bad[] = {
        {"", 0, "", "the file is empty"},
        {"stage,patients,escalate_at_most,too_toxic_from\n", 1, "", "no stages"},
        {"stage,patients,escalate_at_most\n1,3,0\n", 1, "too_toxic_from", "no 'too_toxic_from'"},
        {"stage,patients,escalate_at_most,too_toxic_from,x\n", 1, "", "unknown column 'x'"},
        {"patients,stage,escalate_at_most,too_toxic_from\n3,1,0,2\n3,2,1,2\n", 3, "patients",
         "more than stage 1's 3"},
        {"stage,patients,escalate_at_most,too_toxic_from\n2,3,0,2\n", 2, "stage",
         "stage 2 where stage 1"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,3,0,2\n", 2, "too_toxic_from",
         "must decide"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,3,2,2\n2,6,1,2\n", 2, "too_toxic_from",
         "outside 3..4"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,3,zero,2\n", 2, "escalate_at_most",
         "not a whole number"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,3,0,2,9\n", 2, "", "expected 4 fields"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,3,-2,2\n2,6,1,2\n", 2,
         "escalate_at_most", "outside -1..2"},
        {"stage,patients,escalate_at_most,too_toxic_from\n1,99,0,2\n", 2, "patients", "1 to 64"},
        {"stage,patients,escalate_at_most,too_toxic_from\n9,3,0,1\n", 2, "stage", "outside 1..8"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ds_design_t before = design;
        int ret = ds_design_parse_rules(&design, "r.csv", bad[i].text, strlen(bad[i].text), &diag);
        CHECK_MSG(ret == DS_ERR_PARSE, "case %zu accepted", i + 1);
        CHECK_MSG(diag.line == bad[i].line, "case %zu: line %ld, expected %ld (%s)", i + 1,
                  diag.line, bad[i].line, diag.message);
        CHECK_MSG(strcmp(diag.field, bad[i].field) == 0, "case %zu: field '%s', expected '%s'",
                  i + 1, diag.field, bad[i].field);
        CHECK_MSG(strstr(diag.message, bad[i].words) != NULL, "case %zu: \"%s\" lacks \"%s\"",
                  i + 1, diag.message, bad[i].words);
        CHECK_STR_EQ(diag.path, "r.csv");
        CHECK(ds_design_same_table(&design, &before) && strcmp(design.name, before.name) == 0);
    }
}

/* The published table's decisions, by name. */
static int decision_of(const char *word)
{
    static const char *const names[] = {"same", "escalate", "de-escalate", "suspend"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(word, names[i]) == 0) {
            return i; /* the order of ds_rolling_decision_t */
        }
    }
    return -1;
}

/* A set of counts written "0 1 2" into a bit mask. */
static unsigned count_set(const char *text)
{
    unsigned mask = 0;
    for (char *end = NULL;; text = end) {
        long v = strtol(text, &end, 10);
        if (end == text) {
            return mask;
        }
        mask |= 1u << v;
    }
}

/* A row of a published table: its sets of counts, and its decision. */
typedef struct {
    unsigned set[4];
    int n_sets;
    int decision;
} table_row_t;

/* Read one of tests/data/rolling_six/: a header, then rows of sets and a decision. */
static int read_table(const char *path, table_row_t *rows, int max_rows)
{
    char *text = test_read_file(path, NULL);
    int n = 0;
    if (!CHECK_MSG(text != NULL, "cannot read %s", path)) {
        return 0;
    }
    char *save = NULL;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line != NULL && n < max_rows;
         line = strtok_r(NULL, "\n", &save)) {
        char *fields[5];
        int k = 0;
        if (header) {
            header = false;
            continue;
        }
        for (char *f = line; k < 5;) {
            fields[k++] = f;
            char *comma = strchr(f, ',');
            if (comma == NULL) {
                break;
            }
            *comma = '\0';
            f = comma + 1;
        }
        rows[n].n_sets = k - 1;
        for (int i = 0; i < k - 1; i++) {
            rows[n].set[i] = count_set(fields[i]);
        }
        rows[n].decision = decision_of(fields[k - 1]);
        CHECK_MSG(rows[n].decision >= 0, "%s: row %d: unknown decision '%s'", path, n + 1,
                  fields[k - 1]);
        n++;
    }
    free(text);
    return n;
}

#define IN(set, v) (((set) >> (v)) & 1u)

/* ds_rolling_six_decide against Skolnik et al.'s Table 1, every combination
 * of every row; and the rows cover every combination once, so the transcription
 * is whole. Then against the "Rolling 6" column of the phase 1 queue paper. */
static void test_rolling_six_table(void)
{
    ds_design_t rolling;
    ds_diag_t diag;
    ds_design_set_3plus3(&rolling);
    if (!CHECK_INT_EQ_RET(ds_design_preset(&rolling, "rolling6", &diag), 0)) {
        return;
    }
    table_row_t rows[64];
    int n = read_table("tests/data/rolling_six/skolnik2008.csv", rows, 64);
    CHECK_INT_EQ(n, 18);
    int covered[7][7][7] = {{{0}}}; /* [enrolled][dlts][pending] */
    int checked = 0;
    for (int r = 0; r < n; r++) {
        CHECK_INT_EQ(rows[r].n_sets, 4);
        for (int enrolled = 0; enrolled <= 6; enrolled++) {
            for (int dlts = 0; dlts <= enrolled; dlts++) {
                for (int pending = 0; dlts + pending <= enrolled; pending++) {
                    int clear = enrolled - dlts - pending;
                    if (!IN(rows[r].set[0], enrolled) || !IN(rows[r].set[1], dlts) ||
                        !IN(rows[r].set[2], clear) || !IN(rows[r].set[3], pending)) {
                        continue;
                    }
                    covered[enrolled][dlts][pending]++;
                    checked++;
                    int got = (int)ds_rolling_six_decide(&rolling, enrolled, dlts, pending);
                    CHECK_MSG(got == rows[r].decision,
                              "Skolnik row %d: %d enrolled, %d DLTs, %d pending: got %d, "
                              "published %d",
                              r + 1, enrolled, dlts, pending, got, rows[r].decision);
                }
            }
        }
    }
    for (int enrolled = 2; enrolled <= 6; enrolled++) {
        for (int dlts = 0; dlts <= enrolled; dlts++) {
            for (int pending = 0; dlts + pending <= enrolled; pending++) {
                CHECK_MSG(covered[enrolled][dlts][pending] == 1,
                          "%d enrolled, %d DLTs, %d pending: in %d rows of the table", enrolled,
                          dlts, pending, covered[enrolled][dlts][pending]);
            }
        }
    }
    CHECK_INT_EQ(checked, 80); /* every (dlts, pending) for 2..6 enrolled: 6+10+15+21+28 */
    /* Fewer than two enrolled (the trial's start): the same dose. */
    CHECK(ds_rolling_six_decide(&rolling, 0, 0, 0) == DS_ROLLING_SAME);
    CHECK(ds_rolling_six_decide(&rolling, 1, 1, 0) == DS_ROLLING_SAME);
    CHECK(ds_rolling_six_decide(&rolling, 1, 0, 0) == DS_ROLLING_SAME);

    n = read_table("tests/data/rolling_six/jama2020.csv", rows, 64);
    CHECK_INT_EQ(n, 21);
    checked = 0;
    for (int r = 0; r < n; r++) {
        CHECK_INT_EQ(rows[r].n_sets, 3);
        for (int total = 0; total <= 6; total++) {
            for (int evaluable = 0; evaluable <= total; evaluable++) {
                for (int dlts = 0; dlts <= evaluable; dlts++) {
                    if (!IN(rows[r].set[0], total) || !IN(rows[r].set[1], evaluable) ||
                        !IN(rows[r].set[2], dlts)) {
                        continue;
                    }
                    checked++;
                    int got = (int)ds_rolling_six_decide(&rolling, total, dlts, total - evaluable);
                    CHECK_MSG(got == rows[r].decision,
                              "JAMA row %d: %d on the level, %d evaluable, %d DLTs: got %d, "
                              "published %d",
                              r + 1, total, evaluable, dlts, got, rows[r].decision);
                }
            }
        }
    }
    CHECK(checked >= 40);
}

/* A rolling-six script: events applied in turn, and the action they lead to.
 * Events: "e" enrol at the level the rules name; "d2", "c2", "l2" a pending
 * patient at level 2 has a DLT, completes the window, leaves early. */
typedef struct {
    const char *deescalate, *top_dose;
    int n_levels, start;
    const char *events;
    const char *expected; /* T2, W2 (wait), S2, N */
    ds_why_t why;
} rolling_case_t;

static const rolling_case_t rolling_cases[] = {
    {"yes", "expand", 3, 1, "", "T1", DS_WHY_START},
    {"yes", "expand", 3, 1, "e e e c1 c1", "T1", DS_WHY_SAME},
    {"yes", "expand", 3, 1, "e e e c1 c1 c1", "T2", DS_WHY_ESCALATE},
    {"yes", "expand", 3, 1, "e e e e e e", "W1", DS_WHY_SUSPEND},
    {"yes", "expand", 3, 1, "e e e e e e c1 c1 c1 c1", "W1", DS_WHY_SUSPEND},
    {"yes", "expand", 3, 1, "e e e e e e c1 c1 c1 c1 c1", "T2", DS_WHY_ESCALATE},
    {"yes", "expand", 3, 1, "e e e e e e d1 c1 c1 c1 c1", "W1", DS_WHY_SUSPEND},
    {"yes", "expand", 3, 1, "e e e e e e d1 c1 c1 c1 c1 c1", "T2", DS_WHY_ESCALATE},
    {"yes", "expand", 3, 1, "e e d1 d1", "N", DS_WHY_NONE_BELOW},
    {"yes", "expand", 3, 1, "e e e d1 c1 c1", "T1", DS_WHY_SAME},
    {"yes", "expand", 3, 1, "e e e l1", "T1", DS_WHY_SAME},
    {"yes", "expand", 3, 1, "e e e e e e l1", "T1", DS_WHY_SAME},
    /* too toxic above: the dose below must rest on six */
    {"yes", "expand", 3, 1, "e e e c1 c1 c1 e e d2 d2", "T1", DS_WHY_LOWER_CONFIRM},
    {"yes", "expand", 3, 1, "e e e c1 c1 c1 e e d2 d2 e e e", "W1", DS_WHY_SUSPEND},
    {"yes", "expand", 3, 1, "e e e c1 c1 c1 e e d2 d2 e e e c1 c1 c1", "S1", DS_WHY_TOP_COMPLETE},
    {"yes", "expand", 3, 1, "e e e c1 c1 c1 e e d2 d2 e e e d1 d1", "N", DS_WHY_NONE_BELOW},
    {"no", "expand", 3, 1, "e e e c1 c1 c1 e e d2 d2", "S1", DS_WHY_LOWER_AS_IS},
    {"yes", "expand", 3, 2, "e e d2 d2", "T1", DS_WHY_LOWER_FRESH},
    /* the highest dose */
    {"yes", "expand", 2, 1, "e e e c1 c1 c1 e e e c2 c2 c2", "T2", DS_WHY_TOP_EXPAND},
    {"yes", "accept", 2, 1, "e e e c1 c1 c1 e e e c2 c2 c2", "S2", DS_WHY_TOP_ACCEPT},
    {"yes", "expand", 2, 1, "e e e c1 c1 c1 e e e e e e c2 c2 c2 c2 c2", "S2", DS_WHY_TOP_COMPLETE},
    {"yes", "accept", 2, 1, "e e e c1 c1 c1 e e d2 d2 e e e c1 c1 c1", "S1", DS_WHY_TOP_COMPLETE},
    {"yes", "expand", 2, 1, "e e e e e e c1 c1 c1 c1 c1 e e e e e e c2 c2 c2 c2 c2 c1", "S2",
     DS_WHY_TOP_COMPLETE},
    /* the dose below already rests on six, all evaluated */
    {"yes", "expand", 2, 1, "e e e e e e c1 c1 c1 c1 c1 c1 e e d2 d2", "S1", DS_WHY_LOWER_COMPLETE},
};

static void rolling_token(ds_action_t a, char *token, size_t size)
{
    const char *kinds = "TSNIW"; /* the order of ds_action_kind_t */
    if (a.kind == DS_ACTION_STOP) {
        snprintf(token, size, "N");
    } else {
        snprintf(token, size, "%c%d", kinds[a.kind], a.level + 1);
    }
}

static void test_rolling_six_rules(void)
{
    for (size_t i = 0; i < sizeof(rolling_cases) / sizeof(rolling_cases[0]); i++) {
        const rolling_case_t *c = &rolling_cases[i];
        ds_design_t design;
        ds_diag_t diag;
        ds_trial_t r;
        ds_design_set_3plus3(&design);
        CHECK_INT_EQ(ds_design_preset(&design, "rolling6", &diag), 0);
        design.deescalate = strcmp(c->deescalate, "yes") == 0;
        design.top_dose = strcmp(c->top_dose, "accept") == 0 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
        design.start_level = c->start - 1;
        ds_action_t a = ds_design_start(&design, &r, c->n_levels);
        char events[256], token[16];
        snprintf(events, sizeof(events), "%s", c->events);
        bool ok = true;
        char *save = NULL;
        for (char *e = strtok_r(events, " ", &save); e != NULL && ok;
             e = strtok_r(NULL, " ", &save)) {
            if (e[0] == 'e') {
                ok = CHECK_MSG(a.kind == DS_ACTION_TREAT, "case %zu: enrolment while not open",
                               i + 1);
                if (ok) {
                    ds_trial_enrol(&r, a.level);
                }
            } else {
                int level = atoi(e + 1) - 1;
                ok = CHECK_MSG(level >= 0 && level < c->n_levels && r.pending[level] > 0,
                               "case %zu: no patient pending at level %d", i + 1, level + 1);
                if (ok) {
                    ds_trial_outcome(&r, level, e[0] == 'd', e[0] != 'l');
                }
            }
            a = ds_design_next(&design, &r);
        }
        rolling_token(a, token, sizeof(token));
        CHECK_MSG(strcmp(token, c->expected) == 0 && a.why == c->why,
                  "rolling case %zu (%s): got %s (why %d), expected %s (why %d)", i + 1, c->events,
                  token, (int)a.why, c->expected, (int)c->why);
    }
}

/* The reasons a trace will print come with the actions. */ static void test_reasons(void)
{
    ds_design_t design;
    ds_trial_t trial;
    ds_design_set_3plus3(&design);
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
    ds_design_set_3plus3(&design);
    (void)ds_design_start(&design, &trial, 2);
    ds_trial_record(&trial, 0, 4, 0); /* no stage of the 3+3 has 4 patients */
    ds_action_t a = ds_design_next(&design, &trial);
    CHECK(a.kind == DS_ACTION_INVALID && a.why == DS_WHY_BAD_STATE);
}

static void test_design_check(void)
{
    ds_design_t design;
    ds_diag_t diag;
    ds_design_set_3plus3(&design);
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), 0);
    CHECK_INT_EQ(ds_design_check(&design, 0, &diag), DS_ERR_TOO_MANY_LEVELS);
    CHECK_INT_EQ(ds_design_check(&design, DS_MAX_LEVELS + 1, &diag), DS_ERR_TOO_MANY_LEVELS);
    design.start_level = 2;
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    CHECK_STR_EQ(diag.field, "--start");
    CHECK_INT_EQ(ds_design_check(&design, 3, &diag), 0);
    ds_design_set_3plus3(&design);
    design.stages[1].n_cum = 3; /* not growing */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_set_3plus3(&design);
    design.stages[1].tox_min = 3; /* the last stage must decide */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_set_3plus3(&design);
    design.stages[0].esc_max = 2; /* escalation bound above the toxicity bound */
    CHECK_INT_EQ(ds_design_check(&design, 2, &diag), DS_ERR_BAD_PARAM);
    ds_design_set_3plus3(&design);
    CHECK_INT_EQ(ds_design_max_patients(&design, 4), 24);
    CHECK_INT_EQ(ds_design_max_cohort(&design), 3);
    CHECK_STR_EQ(ds_top_dose_name(DS_TOP_ACCEPT), "accept");
    CHECK_STR_EQ(ds_top_dose_name(DS_TOP_EXPAND), "expand");
}

/* ---- a family of the test's own, through the one interface ---- */

/* One patient per dose: escalate after no DLT, the dose too toxic after one.
 * Written as a family of its own (the moves are the shared ones), it must give
 * what the stage family gives for the one-stage table {1 patient, escalate on
 * 0, too toxic from 1}: exactly, and draw for draw in the engine, under every
 * option. */
static ds_band_t one_verdict(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    (void)design;
    if (trial->patients[level] != 1) {
        return DS_BAND_UNREACHABLE;
    }
    return trial->dlts[level] == 0 ? DS_BAND_ESCALATE : DS_BAND_TOO_TOXIC;
}

static int one_first(const ds_design_t *design)
{
    (void)design;
    return 1;
}

static ds_action_t one_more(const ds_design_t *design, const ds_trial_t *trial, int level,
                            ds_why_t why)
{
    (void)design;
    (void)trial;
    (void)why;
    return (ds_action_t){.kind = DS_ACTION_INVALID, .level = level, .why = DS_WHY_BAD_STATE};
}

static ds_cohort_rule_t one_rule(const ds_design_t *design, const ds_trial_t *before, int level,
                                 int n)
{
    (void)design;
    (void)before;
    (void)level;
    (void)n;
    return (ds_cohort_rule_t){.esc_max = 0, .tox_min = 1};
}

static const ds_family_t one_family = {
    .name = "one-each",
    .title = "one patient per dose",
    .enumerable = true,
    .first_cohort = one_first,
    .verdict = one_verdict,
    .more = one_more,
    .cohort_rule = one_rule,
};

static void test_new_family_plugs_in(void)
{
    test_scenario_t f;
    const ds_scenario_t *sc = test_scenario(&f, (double[]){0.1, 0.2, 0.4, 0.7}, 4);
    for (int option = 0; option < 8; option++) {
        ds_design_t mine, stages;
        ds_diag_t diag;
        ds_design_set_3plus3(&stages);
        stages.n_stages = 1;
        stages.stages[0] = (ds_stage_t){.n_cum = 1, .esc_max = 0, .tox_min = 1};
        stages.deescalate = (option & 1) != 0;
        stages.top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
        stages.start_level = option & 4 ? 2 : 0;
        mine = stages;
        mine.family = &one_family;
        ds_oc_t a, b;
        if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &mine, &a, &diag), 0)) {
            return;
        }
        if (!CHECK_INT_EQ_RET(ds_exact_oc(sc, &stages, &b, &diag), 0)) {
            ds_oc_free(&a);
            return;
        }
        bool same = a.prob_none == b.prob_none;
        for (int k = 0; k < 4; k++) {
            same = same && a.prob_rp2d[k] == b.prob_rp2d[k] &&
                   a.mean_patients[k] == b.mean_patients[k];
        }
        CHECK_MSG(same, "option %d: the test's family and the stage table differ exactly", option);
        ds_oc_free(&a);
        ds_oc_free(&b);
        ds_tally_t ta, tb;
        if (!CHECK_INT_EQ_RET(ds_engine_simulate(sc, &mine, NULL, 5, 20000, 1, &a, &ta, &diag),
                              0)) {
            return;
        }
        if (CHECK_INT_EQ_RET(ds_engine_simulate(sc, &stages, NULL, 5, 20000, 1, &b, &tb, &diag),
                             0)) {
            CHECK_MSG(ta.len == tb.len && memcmp(ta.count, tb.count, ta.len * 8u) == 0,
                      "option %d: the test's family and the stage table draw differently", option);
            ds_oc_free(&b);
            ds_tally_free(&tb);
        }
        ds_oc_free(&a);
        ds_tally_free(&ta);
    }
}

const test_case_t design_tests[] = {
    {"new_family_plugs_in", test_new_family_plugs_in},
    {"rule_cases", test_rule_cases},
    {"reasons", test_reasons},
    {"state_the_rules_cannot_reach", test_state_the_rules_cannot_reach},
    {"check", test_design_check},
    {"three_plus_three_plus_three", test_three_plus_three_plus_three},
    {"presets", test_presets},
    {"rule_files", test_rule_files},
    {"rolling_six_table", test_rolling_six_table},
    {"rolling_six_rules", test_rolling_six_rules},
    {NULL, NULL},
};

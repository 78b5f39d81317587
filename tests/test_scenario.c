/* Scenario files: good ones in their accepted forms, and each kind of bad one
 * refused with the right line and field. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/design.h"
#include "dosesim/scenario.h"
#include "testlib.h"

static int parse(const char *text, ds_scenario_file_t *file, ds_diag_t *diag)
{
    return ds_scenario_file_parse(file, "test.csv", text, strlen(text), diag);
}

static void test_basic(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    const char *text = "scenario,dose_level,dose_label,p_dlt\n"
                       "safe,2,200 mg,0.10\n"
                       "toxic,1,100 mg,0.4\n"
                       "safe,1,100 mg,0.05\n"
                       "toxic,2,200 mg,0.6\n";
    if (!CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        return;
    }
    CHECK_INT_EQ(f.n_scenarios, 2);
    CHECK_STR_EQ(f.scenarios[0].name, "safe");
    CHECK_STR_EQ(f.scenarios[1].name, "toxic");
    CHECK_INT_EQ(f.scenarios[0].n_levels, 2);
    CHECK_STR_EQ(f.scenarios[0].labels[0], "100 mg");
    CHECK_STR_EQ(f.scenarios[0].labels[1], "200 mg");
    CHECK(f.scenarios[0].p_dlt[0] == 0.05 && f.scenarios[0].p_dlt[1] == 0.10);
    CHECK_INT_EQ(f.scenarios[0].line, 2);
    CHECK_INT_EQ(f.scenarios[1].line, 3);
    CHECK(ds_scenario_file_find(&f, "toxic") == &f.scenarios[1]);
    CHECK(ds_scenario_file_find(&f, "nope") == NULL);
    CHECK(ds_scenario_is_monotone(&f.scenarios[0]));
    ds_scenario_file_free(&f);
    ds_scenario_file_free(&f); /* safe twice */
}

static void test_accepted_forms(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    /* BOM, CRLF, columns in another order, quoted label with a comma and a quote,
     * spaces around fields, blank lines, no final newline. */
    const char *text = "\xEF\xBB\xBFp_dlt,dose_label,scenario,dose_level\r\n"
                       "\r\n"
                       "0.25, \"200 mg, \"\"IV\"\"\" ,a,2\r\n"
                       "   \r\n"
                       "1e-1,100 mg,a,1";
    if (!CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        fprintf(stderr, "    %s (line %ld)\n", diag.message, diag.line);
        return;
    }
    CHECK_INT_EQ(f.n_scenarios, 1);
    CHECK_STR_EQ(f.scenarios[0].labels[1], "200 mg, \"IV\"");
    CHECK(f.scenarios[0].p_dlt[0] == 0.1 && f.scenarios[0].p_dlt[1] == 0.25);
    ds_scenario_file_free(&f);
}

static void test_non_monotone_is_accepted(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    const char *text = "scenario,dose_level,dose_label,p_dlt\nx,1,a,0.3\nx,2,b,0.1\n";
    if (CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        CHECK(!ds_scenario_is_monotone(&f.scenarios[0]));
        ds_scenario_file_free(&f);
    }
}

typedef struct {
    const char *what;
    const char *text;
    int err;
    long line;
    const char *field;
} bad_case_t;

#define HEADER "scenario,dose_level,dose_label,p_dlt\n"

static const bad_case_t bad_cases[] = {
    {"empty file", "", DS_ERR_PARSE, 0, ""},
    {"only a byte-order mark", "\xEF\xBB\xBF", DS_ERR_PARSE, 0, ""},
    {"header only", HEADER, DS_ERR_PARSE, 1, ""},
    {"missing column", "scenario,dose_level,dose_label\nx,1,a\n", DS_ERR_PARSE, 1, "p_dlt"},
    {"unknown column", "scenario,dose_level,dose_label,p_dlt,note\n", DS_ERR_PARSE, 1, ""},
    {"duplicated column", "scenario,dose_level,dose_label,p_dlt,p_dlt\n", DS_ERR_PARSE, 1, "p_dlt"},
    {"unnamed column", "scenario,dose_level,,dose_label,p_dlt\n", DS_ERR_PARSE, 1, ""},
    {"p not a number", HEADER "x,1,a,0.1\nx,2,b,abc\n", DS_ERR_PARSE, 3, "p_dlt"},
    {"p with a percent sign", HEADER "x,1,a,10%\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"p above 1", HEADER "x,1,a,1.5\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"p below 0", HEADER "x,1,a,-0.1\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"p NaN", HEADER "x,1,a,nan\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"p infinite", HEADER "x,1,a,inf\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"p empty", HEADER "x,1,a,\n", DS_ERR_PARSE, 2, "p_dlt"},
    {"level not whole", HEADER "x,1.5,a,0.1\n", DS_ERR_PARSE, 2, "dose_level"},
    {"level a word", HEADER "x,one,a,0.1\n", DS_ERR_PARSE, 2, "dose_level"},
    {"level zero", HEADER "x,0,a,0.1\n", DS_ERR_PARSE, 2, "dose_level"},
    {"level too high", HEADER "x,101,a,0.1\n", DS_ERR_TOO_MANY_LEVELS, 2, "dose_level"},
    {"level huge", HEADER "x,99999999999999999999,a,0.1\n", DS_ERR_TOO_MANY_LEVELS, 2,
     "dose_level"},
    {"duplicated level", HEADER "x,1,a,0.1\ny,1,a,0.1\nx,1,b,0.2\n", DS_ERR_PARSE, 4, "dose_level"},
    {"missing level", HEADER "x,1,a,0.1\nx,3,c,0.3\n", DS_ERR_PARSE, 2, "dose_level"},
    {"empty scenario name", HEADER ",1,a,0.1\n", DS_ERR_PARSE, 2, "scenario"},
    {"empty label", HEADER "x,1,,0.1\n", DS_ERR_PARSE, 2, "dose_label"},
    {"too few fields", HEADER "x,1,a\n", DS_ERR_PARSE, 2, ""},
    {"too many fields", HEADER "x,1,a,0.1,extra\n", DS_ERR_PARSE, 2, ""},
    {"unclosed quote", HEADER "x,1,\"a,0.1\n", DS_ERR_PARSE, 2, ""},
    {"stray quote", HEADER "x,1,a\"b,0.1\n", DS_ERR_PARSE, 2, ""},
    {"control character", HEADER "x,1,a\x01,0.1\n", DS_ERR_PARSE, 2, "dose_label"},
    {"binary garbage",
     "\x7f"
     "ELF\x02\x01\x01\x00\x00\x00,\x00\x00\n",
     DS_ERR_PARSE, 1, ""},
};

static void test_bad_files(void)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case_t *c = &bad_cases[i];
        ds_scenario_file_t f;
        ds_diag_t diag;
        /* Some cases hold NUL bytes: give the whole literal's length where it matters. */
        size_t len = strcmp(c->what, "binary garbage") == 0 ? 15 : strlen(c->text);
        int err = ds_scenario_file_parse(&f, "bad.csv", c->text, len, &diag);
        CHECK_MSG(err == c->err, "%s: error %d, expected %d (%s)", c->what, err, c->err,
                  diag.message);
        CHECK_MSG(diag.line == c->line, "%s: line %ld, expected %ld (%s)", c->what, diag.line,
                  c->line, diag.message);
        CHECK_MSG(strcmp(diag.field, c->field) == 0, "%s: field '%s', expected '%s' (%s)", c->what,
                  diag.field, c->field, diag.message);
        CHECK_MSG(strcmp(diag.path, "bad.csv") == 0, "%s: path '%s'", c->what, diag.path);
        CHECK_MSG(diag.message[0] != '\0', "%s: no message", c->what);
        CHECK_MSG(f.n_scenarios == 0 && f.scenarios == NULL, "%s: left scenarios behind", c->what);
    }
}

static void test_long_label(void)
{
    char text[1024];
    char label[DS_MAX_NAME + 2];
    memset(label, 'x', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    snprintf(text, sizeof(text), HEADER "s,1,%s,0.1\n", label);
    ds_scenario_file_t f;
    ds_diag_t diag;
    CHECK_INT_EQ(parse(text, &f, &diag), DS_ERR_PARSE);
    CHECK_STR_EQ(diag.field, "dose_label");
    label[DS_MAX_NAME] = '\0'; /* exactly the limit is fine */
    snprintf(text, sizeof(text), HEADER "s,1,%s,0.1\n", label);
    if (CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        CHECK_INT_EQ(strlen(f.scenarios[0].labels[0]), DS_MAX_NAME);
        ds_scenario_file_free(&f);
    }
}

/* Tens of thousands of rows and the largest number of levels, parsed and grouped. */
static void test_large_files(void)
{
    size_t cap = 4u << 20;
    char *text = malloc(cap);
    if (!CHECK(text != NULL)) {
        return;
    }
    size_t len = (size_t)snprintf(text, cap, HEADER);
    for (int s = 0; s < 20000; s++) {
        for (int level = 2; level >= 1; level--) {
            len += (size_t)snprintf(text + len, cap - len, "scenario%05d,%d,L%d,0.%d\n", s, level,
                                    level, level);
        }
    }
    for (int level = DS_MAX_LEVELS; level >= 1; level--) {
        len += (size_t)snprintf(text + len, cap - len, "wide,%d,L%d,0.5\n", level, level);
    }
    ds_scenario_file_t f;
    ds_diag_t diag;
    if (CHECK_INT_EQ_RET(ds_scenario_file_parse(&f, "big.csv", text, len, &diag), 0)) {
        CHECK_INT_EQ(f.n_scenarios, 20001);
        CHECK_STR_EQ(f.scenarios[12345].name, "scenario12345");
        CHECK_INT_EQ(f.scenarios[20000].n_levels, DS_MAX_LEVELS);
        CHECK_STR_EQ(f.scenarios[20000].labels[DS_MAX_LEVELS - 1], "L100");
        ds_scenario_file_free(&f);
    }
    free(text);
}

static void test_load_errors(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    CHECK_INT_EQ(ds_scenario_file_load(&f, "tests/data/no-such-file.csv", &diag), DS_ERR_IO);
    CHECK(strstr(diag.message, "cannot open") != NULL);
    CHECK_INT_EQ(ds_scenario_file_load(&f, "tests/data", &diag), DS_ERR_IO);
    CHECK(strstr(diag.message, "directory") != NULL);
    CHECK_STR_EQ(diag.path, "tests/data");
    if (CHECK_INT_EQ_RET(ds_scenario_file_load(&f, "scenarios/tifcemalimab.csv", &diag), 0)) {
        CHECK(f.n_scenarios >= 5);
        CHECK_STR_EQ(f.path, "scenarios/tifcemalimab.csv");
        for (int k = 0; k < f.n_scenarios; k++) {
            CHECK_INT_EQ(f.scenarios[k].n_levels, 2);
            CHECK_STR_EQ(f.scenarios[k].labels[0], "100 mg");
            CHECK_STR_EQ(f.scenarios[k].labels[1], "200 mg");
        }
        ds_scenario_file_free(&f);
    }
}

const test_case_t scenario_tests[] = {
    {"basic", test_basic},
    {"accepted_forms", test_accepted_forms},
    {"non_monotone_is_accepted", test_non_monotone_is_accepted},
    {"bad_files", test_bad_files},
    {"long_label", test_long_label},
    {"large_files", test_large_files},
    {"load_errors", test_load_errors},
    {NULL, NULL},
};

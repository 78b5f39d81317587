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
    {"column named like a known one", "scenario,dose_level,dose_label,P_DLT\n", DS_ERR_PARSE, 1,
     "p_dlt"},
    {"extra column with a row short of it",
     "scenario,dose_level,dose_label,p_dlt,note\nx,1,a,0.1\n", DS_ERR_PARSE, 2, ""},
    {"extra column named twice", "scenario,note,dose_level,dose_label,p_dlt,note\n", DS_ERR_PARSE,
     1, ""},
    {"semicolons", "scenario;dose_level;dose_label;p_dlt\nx;1;a;0,1\n", DS_ERR_PARSE, 1, ""},
    {"commas and tabs in the header", "scenario,dose_level\tdose_label,p_dlt\n", DS_ERR_PARSE, 1,
     ""},
    {"a comma-separated line in a tab-separated file",
     "scenario\tdose_level\tdose_label\tp_dlt\nx,1,a,0.1\n", DS_ERR_PARSE, 2, ""},
    {"dose_amount empty", "scenario,dose_level,dose_label,p_dlt,dose_amount\nx,1,a,0.1,\n",
     DS_ERR_PARSE, 2, "dose_amount"},
    {"dose_unit empty",
     "scenario,dose_level,dose_label,p_dlt,dose_unit\nx,1,a,0.1,mg\nx,2,b,0.2,\n", DS_ERR_PARSE, 3,
     "dose_unit"},
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

/* Columns dosesim does not use: allowed anywhere, their names listed in the
 * header's order, their cells not read (long, several lines, any text) but for a NUL. */
static void test_extra_columns_kept(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    char text[2048];
    char long_note[600];
    memset(long_note, 'n', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    snprintf(text, sizeof(text),
             "notes,scenario,dose_level,dose_label,p_dlt,source\n"
             "\"first line\nsecond, line\",x,1,100 mg,0.1,Smith 2020\n"
             "%s,x,2,200 mg,0.2,\n"
             ",y,1,100 mg,0.3,\"\x01 \xff\"\n",
             long_note);
    if (!CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        fprintf(stderr, "    %s (line %ld)\n", diag.message, diag.line);
        return;
    }
    CHECK_INT_EQ(f.n_ignored_columns, 2);
    CHECK_STR_EQ(f.ignored_columns[0], "notes");
    CHECK_STR_EQ(f.ignored_columns[1], "source");
    CHECK_INT_EQ(f.n_scenarios, 2);
    CHECK(f.scenarios[0].p_dlt[1] == 0.2 && f.scenarios[1].p_dlt[0] == 0.3);
    CHECK(f.scenarios[0].dose_amount == NULL && f.scenarios[0].dose_units == NULL);
    CHECK(f.delimiter == ',');
    ds_scenario_file_free(&f);
    CHECK(f.ignored_columns == NULL && f.n_ignored_columns == 0);
    /* None: an empty list. */
    if (CHECK_INT_EQ_RET(parse(HEADER "x,1,a,0.1\n", &f, &diag), 0)) {
        CHECK(f.n_ignored_columns == 0 && f.ignored_columns == NULL);
        ds_scenario_file_free(&f);
    }
    /* A NUL byte in a cell of a column not used: refused, naming the line and column. */
    static const char nul[] = "scenario,dose_level,dose_label,p_dlt,notes\nx,1,a,0.1,n\0b\n";
    CHECK_INT_EQ(ds_scenario_file_parse(&f, "t.csv", nul, sizeof(nul) - 1, &diag), DS_ERR_PARSE);
    CHECK_INT_EQ(diag.line, 2);
    CHECK_STR_EQ(diag.field, "notes");
    CHECK(strstr(diag.message, "NUL") != NULL);
    CHECK(f.ignored_columns == NULL && f.n_scenarios == 0);
    /* Names that differ from a known one only in case or spaces are refused, with the name. */
    static const struct {
        const char *header;
        const char *field;
    } near[] = {
        {"Scenario,dose_level,dose_label,p_dlt\n", "scenario"},
        {"scenario,\"dose level\",dose_label,p_dlt\n", "dose_level"},
        {"scenario,dose_level,DoseLabel,p_dlt\n", "dose_label"},
        {"scenario,dose_level,dose_label,p-dlt\n", "p_dlt"},
        {"scenario,dose_level,dose_label,p_dlt,Dose_Amount\n", "dose_amount"},
        {"scenario,dose_level,dose_label,p_dlt,dose.unit\n", "dose_unit"},
        {"scenario,dose_level,dose_label,p_dlt,\"p_dlt \"\n", "p_dlt"},
    };
    for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
        snprintf(text, sizeof(text), "%sx,1,a,0.1,1\n", near[i].header);
        CHECK_MSG(
            parse(text, &f, &diag) == DS_ERR_PARSE && diag.line == 1 &&
                strcmp(diag.field, near[i].field) == 0 && strstr(diag.message, "rename it") != NULL,
            "%s: line %ld field '%s': %s", near[i].header, diag.line, diag.field, diag.message);
    }
    /* A column name that is not text is refused without being repeated. */
    CHECK_INT_EQ(parse("scenario,dose_level,dose_label,p_dlt,\"\x1b]0;x\x07\"\n", &f, &diag),
                 DS_ERR_PARSE);
    CHECK(diag.line == 1 && strstr(diag.message, "column 5") != NULL &&
          strchr(diag.message, '\x1b') == NULL && strchr(diag.message, '\x07') == NULL);
}

/* dose_amount and dose_unit: kept per level, in level order; checked as p_dlt is. */
static void test_dose_amounts(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    const char *text = "scenario,dose_level,dose_label,p_dlt,dose_amount,dose_unit\n"
                       "a,2,200 mg,0.2,200,mg\n"
                       "b,1,1 mg/kg,0.1,1.5e-1,mg/kg\n"
                       "a,1,100 mg,0.1,100,mg\n"
                       "b,2,3 mg/kg,0.3,3,mg/kg\n"
                       "a,3,400 mg,0.3,400.5, mg \n";
    if (!CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        fprintf(stderr, "    %s (line %ld)\n", diag.message, diag.line);
        return;
    }
    const ds_scenario_t *a = &f.scenarios[0], *b = &f.scenarios[1];
    if (CHECK(a->dose_amount != NULL && a->dose_units != NULL && b->dose_amount != NULL)) {
        CHECK(a->dose_amount[0] == 100 && a->dose_amount[1] == 200 && a->dose_amount[2] == 400.5);
        CHECK(b->dose_amount[0] == 0.15 && b->dose_amount[1] == 3);
        CHECK_STR_EQ(a->dose_units[0], "mg");
        CHECK_STR_EQ(a->dose_units[2], "mg");
        CHECK_STR_EQ(b->dose_units[1], "mg/kg");
    }
    CHECK_INT_EQ(f.n_ignored_columns, 0);
    ds_scenario_file_free(&f);
    /* A unit column alone. */
    if (CHECK_INT_EQ_RET(
            parse("scenario,dose_level,dose_label,p_dlt,dose_unit\nx,1,A,0.1,mg\n", &f, &diag),
            0)) {
        CHECK(f.scenarios[0].dose_amount == NULL && f.scenarios[0].dose_units != NULL);
        CHECK_STR_EQ(f.scenarios[0].dose_units[0], "mg");
        ds_scenario_file_free(&f);
    }
    /* Refusals, each with its line and field. */
#define AMOUNTS "scenario,dose_level,dose_label,p_dlt,dose_amount\n"
    static const struct {
        const char *text;
        long line;
        const char *field;
        const char *words;
    } bad[] = {
        {AMOUNTS "x,1,a,0.1,\n", 2, "dose_amount", "every row needs a dose amount"},
        {AMOUNTS "x,1,a,0.1,100\nx,2,b,0.2,\n", 3, "dose_amount", "is empty"},
        {AMOUNTS "x,1,a,0.1,lots\n", 2, "dose_amount", "'lots' is not a number"},
        {AMOUNTS "x,1,a,0.1,100 mg\n", 2, "dose_amount", "the unit goes in a dose_unit column"},
        {AMOUNTS "x,1,a,0.1,100mg\n", 2, "dose_amount", "the unit goes in a dose_unit column"},
        {AMOUNTS "x,1,a,0.1,\"2,5\"\n", 2, "dose_amount", "write the decimal point as '.'"},
        {AMOUNTS "x,1,a,0.1,0\n", 2, "dose_amount", "must be a positive number"},
        {AMOUNTS "x,1,a,0.1,-5\n", 2, "dose_amount", "must be a positive number"},
        {AMOUNTS "x,1,a,0.1,inf\n", 2, "dose_amount", "finite positive number"},
        {AMOUNTS "x,1,a,0.1,1e999\n", 2, "dose_amount", "finite positive number"},
        {AMOUNTS "x,1,a,0.1,nan\n", 2, "dose_amount", "(NaN)"},
        {AMOUNTS "x,1,a,0.1,1e-400\n", 2, "dose_amount", "too small to hold"},
        {AMOUNTS "x,2,b,0.2,100\ny,1,a,0.1,1\nx,1,a,0.1,100\n", 2, "dose_amount",
         "dose level 2 has dose_amount 100, not more than level 1's 100 (line 4)"},
        {AMOUNTS "x,1,a,0.1,200\nx,2,b,0.2,100\n", 3, "dose_amount",
         "amounts must rise with the dose level"},
        {"scenario,dose_level,dose_label,p_dlt,dose_unit\nx,1,a,0.1,\"m\x01g\"\n", 2, "dose_unit",
         "control character"},
        {"scenario,dose_level,dose_label,p_dlt,dose_unit,dose_amount,dose_unit\n", 1, "dose_unit",
         "appears twice"},
    };
#undef AMOUNTS
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int err = parse(bad[i].text, &f, &diag);
        CHECK_MSG(err == DS_ERR_PARSE && diag.line == bad[i].line &&
                      strcmp(diag.field, bad[i].field) == 0 &&
                      strstr(diag.message, bad[i].words) != NULL &&
                      strcmp(diag.path, "test.csv") == 0 && f.scenarios == NULL,
                  "case %zu: %d, line %ld, field '%s': %s", i, err, diag.line, diag.field,
                  diag.message);
    }
}

/* Each scenario knows its place in the file: 1, 2, ... in the order of first rows. */
static void test_scenario_order(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    const char *text = HEADER "zeta,2,b,0.2\nalpha,1,a,0.1\nzeta,1,a,0.1\nmid,1,a,0.1\n"
                              "alpha,2,b,0.2\n";
    if (CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        CHECK_INT_EQ(f.n_scenarios, 3);
        CHECK_STR_EQ(f.scenarios[0].name, "zeta");
        CHECK_STR_EQ(f.scenarios[2].name, "mid");
        for (int k = 0; k < f.n_scenarios; k++) {
            CHECK_INT_EQ(f.scenarios[k].order, k + 1);
        }
        CHECK_INT_EQ(ds_scenario_file_find(&f, "alpha")->order, 2);
        ds_scenario_file_free(&f);
    }
}

/* Tab-separated text, told by its header; semicolons and mixtures refused with what to do. */
static void test_tab_separated(void)
{
    ds_scenario_file_t f;
    ds_diag_t diag;
    const char *text = "\xEF\xBB\xBF"
                       "scenario\tdose_level\tdose_label\tp_dlt\tdose_amount\tnotes\r\n"
                       "\t\t\t\t\t\r\n"
                       "s\t1\t100 mg, IV\t0.1\t100\t\"says \"\"hi\"\"\"\r\n"
                       "s\t2\t\"200\tmg\"\t0.3\t200\t\r\n";
    if (!CHECK_INT_EQ_RET(parse(text, &f, &diag), 0)) {
        fprintf(stderr, "    %s (line %ld)\n", diag.message, diag.line);
        return;
    }
    CHECK(f.delimiter == '\t');
    CHECK_INT_EQ(f.n_scenarios, 1);
    CHECK_STR_EQ(f.scenarios[0].labels[0], "100 mg, IV");
    CHECK_STR_EQ(f.scenarios[0].labels[1], "200\tmg");
    CHECK(f.scenarios[0].p_dlt[1] == 0.3 && f.scenarios[0].dose_amount[1] == 200);
    CHECK_INT_EQ(f.scenarios[0].line, 3);
    CHECK_INT_EQ(f.n_ignored_columns, 1);
    ds_scenario_file_free(&f);
    /* The same scenarios, byte for byte, as from the comma-separated file. */
    ds_scenario_file_t csv;
    const char *tsv = "scenario\tdose_level\tdose_label\tp_dlt\nsafe\t1\t100 mg\t0.05\n"
                      "safe\t2\t200 mg\t0.10\n";
    const char *comma = "scenario,dose_level,dose_label,p_dlt\nsafe,1,100 mg,0.05\n"
                        "safe,2,200 mg,0.10\n";
    if (CHECK_INT_EQ_RET(parse(tsv, &f, &diag), 0) &&
        CHECK_INT_EQ_RET(parse(comma, &csv, &diag), 0)) {
        CHECK_STR_EQ(f.scenarios[0].labels[1], csv.scenarios[0].labels[1]);
        CHECK(f.scenarios[0].p_dlt[0] == csv.scenarios[0].p_dlt[0] &&
              f.scenarios[0].p_dlt[1] == csv.scenarios[0].p_dlt[1]);
        ds_scenario_file_free(&csv);
    }
    ds_scenario_file_free(&f);
    /* Semicolons: refused at the header, naming the file and line, saying what to use. */
    CHECK_INT_EQ(parse("scenario;dose_level;dose_label;p_dlt\nx;1;a;0,1\n", &f, &diag),
                 DS_ERR_PARSE);
    CHECK(diag.line == 1 && strcmp(diag.path, "test.csv") == 0 &&
          strstr(diag.message, "semicolons") != NULL &&
          strstr(diag.message, "use commas or tabs") != NULL);
    CHECK_INT_EQ(parse("scenario,dose_level\tdose_label,p_dlt\n", &f, &diag), DS_ERR_PARSE);
    CHECK(diag.line == 1 && strstr(diag.message, "mixes commas and tabs") != NULL);
    CHECK_INT_EQ(
        parse("scenario\tdose_level\tdose_label\tp_dlt\nx\t1\ta\t0.1\nx,2,b,0.2\n", &f, &diag),
        DS_ERR_PARSE);
    CHECK(diag.line == 3 && strstr(diag.message, "is it comma-separated") != NULL);
    CHECK_INT_EQ(parse(HEADER "x,1,a,0.1\nx\t2\tb\t0.2\n", &f, &diag), DS_ERR_PARSE);
    CHECK(diag.line == 3 && strstr(diag.message, "is it tab-separated") != NULL);
}

const test_case_t scenario_tests[] = {
    {"basic", test_basic},
    {"accepted_forms", test_accepted_forms},
    {"non_monotone_is_accepted", test_non_monotone_is_accepted},
    {"bad_files", test_bad_files},
    {"long_label", test_long_label},
    {"large_files", test_large_files},
    {"load_errors", test_load_errors},
    {"extra_columns_kept", test_extra_columns_kept},
    {"dose_amounts", test_dose_amounts},
    {"scenario_order", test_scenario_order},
    {"tab_separated", test_tab_separated},
    {NULL, NULL},
};

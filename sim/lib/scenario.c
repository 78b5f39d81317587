/* Scenario files: long-format CSV (or tab-separated text) read with libcsv
 * (the parser keeps quoting rules out of our hands), checked field by field so
 * that every refusal names the file, line and column. Columns dosesim does not
 * know are kept out of the way: their names are listed, their cells unread. */
#include "dosesim/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/csv.h"
#include "dosesim/design.h"
#include "dosesim/fileio.h"
#include "dosesim/schema.h"
#include "dosesim/text.h"

/* The required columns first, then the optional ones (ds_csv_table_t's n_optional). */
enum {
    COL_SCENARIO,
    COL_LEVEL,
    COL_LABEL,
    COL_P,
    COL_AMOUNT,
    COL_UNIT,
    COL_RESPONSE,
    COL_ODDS_RATIO,
    COL_JOINT,
    N_COLS
};
enum { N_OPTIONAL = N_COLS - COL_AMOUNT };
static const char *const column_names[N_COLS] = {DS_SCENARIO_COL_SCENARIO,
                                                 DS_SCENARIO_COL_LEVEL,
                                                 DS_SCENARIO_COL_LABEL,
                                                 DS_SCENARIO_COL_P_DLT,
                                                 DS_SCENARIO_COL_DOSE_AMOUNT,
                                                 DS_SCENARIO_COL_DOSE_UNIT,
                                                 DS_SCENARIO_COL_P_RESPONSE,
                                                 DS_SCENARIO_COL_RESPONSE_DLT_OR,
                                                 DS_SCENARIO_COL_P_DLT_AND_RESPONSE};

typedef struct {
    char *scenario;
    char *label;
    char *unit; /* NULL without a dose_unit column */
    int level;
    double p_dlt;
    double amount; /* 0 without a dose_amount column */
    double p_response;  /* 0 without a p_response column */
    double association; /* the odds ratio or P(DLT and response), if a column gives one */
    long line;
} row_t;

typedef struct {
    const char *path;
    ds_diag_t *diag;
    int err;
    long line;            /* line of the record being read */
    ds_csv_table_t table; /* the header's columns; table.n_columns is 0 until it is read */
    bool has_amount, has_unit, has_response;
    ds_association_t association; /* which association column the file has, if any */
    char **ignored; /* [n_ignored] names of the columns not used */
    int n_ignored;
    row_t *rows;
    size_t n_rows;
    size_t cap_rows;
} parser_t;

static int fail(parser_t *ps, int err, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(parser_t *ps, int err, long line, const char *field, const char *fmt, ...)
{
    if (ps->err == 0) {
        char message[DS_DIAG_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof(message), fmt, ap);
        va_end(ap);
        ps->err = ds_diag_set(ps->diag, err, ps->path, line, field, "%s", message);
    }
    return ps->err;
}

static char *copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len + 1);
    }
    return copy;
}

static int read_header(parser_t *ps, const ds_csv_record_t *rec)
{
    if (ps->err == 0) {
        ps->err = ds_csv_table_header(&ps->table, rec, ps->diag);
    }
    if (ps->err != 0) {
        return ps->err;
    }
    ps->has_amount = ds_csv_table_column(&ps->table, COL_AMOUNT) >= 0;
    ps->has_unit = ds_csv_table_column(&ps->table, COL_UNIT) >= 0;
    ps->has_response = ds_csv_table_column(&ps->table, COL_RESPONSE) >= 0;
    const bool has_odds_ratio = ds_csv_table_column(&ps->table, COL_ODDS_RATIO) >= 0;
    const bool has_joint = ds_csv_table_column(&ps->table, COL_JOINT) >= 0;
    if (has_odds_ratio && has_joint) {
        return fail(ps, DS_ERR_PARSE, rec->line, column_names[COL_JOINT],
                    "the file has both %s and %s: give one of them (each fixes how DLT and "
                    "response go together)",
                    column_names[COL_ODDS_RATIO], column_names[COL_JOINT]);
    }
    if ((has_odds_ratio || has_joint) && !ps->has_response) {
        return fail(ps, DS_ERR_PARSE, rec->line,
                    column_names[has_odds_ratio ? COL_ODDS_RATIO : COL_JOINT],
                    "needs a %s column: it says how DLT and response go together",
                    column_names[COL_RESPONSE]);
    }
    ps->association = has_odds_ratio ? DS_ASSOCIATION_ODDS_RATIO
                      : has_joint    ? DS_ASSOCIATION_JOINT
                                     : DS_ASSOCIATION_INDEPENDENT;
    ps->ignored = calloc((size_t)rec->n_fields, sizeof(*ps->ignored));
    if (ps->ignored == NULL) {
        return fail(ps, DS_ERR_NOMEM, rec->line, "", "out of memory");
    }
    for (int i = 0; i < rec->n_fields; i++) {
        if (ps->table.role[i] == DS_CSV_UNKNOWN) {
            /* The header's check made it text that is safe to print. */
            ps->ignored[ps->n_ignored] = copy_string(rec->fields[i]);
            if (ps->ignored[ps->n_ignored++] == NULL) {
                return fail(ps, DS_ERR_NOMEM, rec->line, "", "out of memory");
            }
        }
    }
    return 0;
}

/* The cells of the columns not used are not read, but a NUL byte is no
 * annotation: it is the mark of a binary file (or of UTF-16 text). */
static int check_ignored_cells(parser_t *ps, const ds_csv_record_t *rec)
{
    for (int i = 0, k = 0; i < rec->n_fields; i++) {
        if (ps->table.role[i] != DS_CSV_UNKNOWN) {
            continue;
        }
        const char *name = ps->ignored[k++];
        if (strlen(rec->fields[i]) != rec->lengths[i]) {
            char field[sizeof(ps->diag->field)];
            /* The column's name as the field when it fits, else its number. */
            if (strlen(name) < sizeof(field)) {
                snprintf(field, sizeof(field), "%s", name);
            } else {
                snprintf(field, sizeof(field), "column %d", i + 1);
            }
            return fail(ps, DS_ERR_PARSE, rec->line, field,
                        "contains a NUL byte (is this a text file? save it as UTF-8 text)");
        }
    }
    return 0;
}

static int parse_level(parser_t *ps, const char *text, int *level)
{
    const char *field = column_names[COL_LEVEL];
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "is empty");
    }
    if (end == text || *end != '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' is not a whole number", text);
    }
    if (value < 1) { /* a huge negative number too (strtol's ERANGE gives LONG_MIN) */
        return fail(ps, DS_ERR_PARSE, ps->line, field, "dose level %.40s: levels count from 1",
                    text);
    }
    if (errno == ERANGE || value > DS_MAX_LEVELS) {
        return fail(ps, DS_ERR_TOO_MANY_LEVELS, ps->line, field,
                    "dose level %.40s is above the limit of %d levels", text, DS_MAX_LEVELS);
    }
    *level = (int)value;
    return 0;
}

static int parse_probability(parser_t *ps, int column, const char *text, double *p)
{
    const char *field = column_names[column];
    char *end = NULL;
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "is empty");
    }
    double value = strtod(text, &end);
    if (end == text || *end != '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' is not a number", text);
    }
    if (ds_number_underflows(text)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is too small to hold: it would be read as 0 (write 0 if that is meant)",
                    text);
    }
    if (isnan(value)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' (NaN) is not a probability", text);
    }
    if (!(value >= 0.0 && value <= 1.0)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is not a probability: it must lie in [0, 1]", text);
    }
    *p = value;
    return 0;
}

/* A dose as a number: finite and positive (its order is checked per scenario). */
static int parse_amount(parser_t *ps, const char *text, double *amount)
{
    const char *field = column_names[COL_AMOUNT];
    char *end = NULL;
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "is empty; the file has a %s column, so every row needs a dose amount", field);
    }
    double value = strtod(text, &end);
    if (end == text || *end != '\0') {
        bool unit_follows = end != text && (*end == ' ' || (*end >= 'a' && *end <= 'z') ||
                                            (*end >= 'A' && *end <= 'Z') || *end == '/');
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' is not a number%s", text,
                    unit_follows  ? " (the unit goes in a " DS_SCENARIO_COL_DOSE_UNIT " column)"
                    : *end == ',' ? " (write the decimal point as '.')"
                                  : "");
    }
    if (ds_number_underflows(text)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is too small to hold: it would be read as 0", text);
    }
    if (isnan(value)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' (NaN) is not a dose amount", text);
    }
    if (!isfinite(value)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is not a dose amount: it must be a finite positive number", text);
    }
    if (!(value > 0.0)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is not a dose amount: it must be a positive number", text);
    }
    *amount = value;
    return 0;
}

/* An odds ratio: finite and positive. */
static int parse_odds_ratio(parser_t *ps, const char *text, double *ratio)
{
    const char *field = column_names[COL_ODDS_RATIO];
    char *end = NULL;
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "is empty; the file has a %s column, so every row needs one (1: DLT and "
                    "response independent)",
                    field);
    }
    double value = strtod(text, &end);
    if (end == text || *end != '\0') {
        return fail(ps, DS_ERR_PARSE, ps->line, field, "'%s' is not a number", text);
    }
    if (ds_number_underflows(text) || !(value > 0.0) || !isfinite(value)) {
        return fail(ps, DS_ERR_PARSE, ps->line, field,
                    "%s is not an odds ratio: it must be a finite number above 0 (1: DLT and "
                    "response independent)",
                    text);
    }
    *ratio = value;
    return 0;
}

/* p_response and the association of a row whose p_dlt is read; P(DLT and
 * response) must fit its margins (a hair of rounding allowed: 0.1 + 0.9 - 1). */
static int parse_response(parser_t *ps, const char **value, row_t *row)
{
    if (parse_probability(ps, COL_RESPONSE, value[COL_RESPONSE], &row->p_response) != 0) {
        return ps->err;
    }
    if (ps->association == DS_ASSOCIATION_ODDS_RATIO) {
        return parse_odds_ratio(ps, value[COL_ODDS_RATIO], &row->association);
    }
    if (ps->association != DS_ASSOCIATION_JOINT) {
        return 0;
    }
    if (parse_probability(ps, COL_JOINT, value[COL_JOINT], &row->association) != 0) {
        return ps->err;
    }
    const double lo = fmax(0.0, row->p_dlt + row->p_response - 1.0);
    const double hi = fmin(row->p_dlt, row->p_response);
    if (row->association < lo - DS_JOINT_EPS || row->association > hi + DS_JOINT_EPS) {
        char joint[DS_DOUBLE_CHARS], p[DS_DOUBLE_CHARS], r[DS_DOUBLE_CHARS];
        ds_format_double(row->association, joint);
        ds_format_double(row->p_dlt, p);
        ds_format_double(row->p_response, r);
        /* the bounds to 12 digits: 0.6 + 0.7 - 1 is 0.2999999999999998 in binary */
        return fail(ps, DS_ERR_PARSE, ps->line, column_names[COL_JOINT],
                    "%s is impossible with p_dlt %s and p_response %s: P(DLT and response) "
                    "must lie in [%.12g, %.12g]",
                    joint, p, r, lo, hi);
    }
    return 0;
}

static int read_row(parser_t *ps, const ds_csv_record_t *rec)
{
    const char *value[N_COLS] = {NULL};
    if (ps->err == 0) {
        ps->err = ds_csv_table_row(&ps->table, rec, value, ps->diag);
    }
    if (ps->err != 0 || check_ignored_cells(ps, rec) != 0) {
        return ps->err;
    }
    row_t row = {.line = rec->line};
    if (value[COL_SCENARIO][0] == '\0') {
        return fail(ps, DS_ERR_PARSE, rec->line, column_names[COL_SCENARIO], "is empty");
    }
    if (value[COL_LABEL][0] == '\0') {
        return fail(ps, DS_ERR_PARSE, rec->line, column_names[COL_LABEL], "is empty");
    }
    if (parse_level(ps, value[COL_LEVEL], &row.level) != 0 ||
        parse_probability(ps, COL_P, value[COL_P], &row.p_dlt) != 0) {
        return ps->err;
    }
    if (ps->has_response && parse_response(ps, value, &row) != 0) {
        return ps->err;
    }
    if (ps->has_amount && parse_amount(ps, value[COL_AMOUNT], &row.amount) != 0) {
        return ps->err;
    }
    if (ps->has_unit && value[COL_UNIT][0] == '\0') {
        return fail(ps, DS_ERR_PARSE, rec->line, column_names[COL_UNIT],
                    "is empty; the file has a %s column, so every row needs a unit",
                    column_names[COL_UNIT]);
    }
    if (ps->n_rows == ps->cap_rows) {
        size_t cap = ps->cap_rows == 0 ? 64 : 2 * ps->cap_rows;
        row_t *grown = realloc(ps->rows, cap * sizeof(*grown));
        if (grown == NULL) {
            return fail(ps, DS_ERR_NOMEM, rec->line, "", "out of memory");
        }
        ps->rows = grown;
        ps->cap_rows = cap;
    }
    row.scenario = copy_string(value[COL_SCENARIO]);
    row.label = copy_string(value[COL_LABEL]);
    row.unit = ps->has_unit ? copy_string(value[COL_UNIT]) : NULL;
    if (row.scenario == NULL || row.label == NULL || (ps->has_unit && row.unit == NULL)) {
        free(row.scenario);
        free(row.label);
        free(row.unit);
        return fail(ps, DS_ERR_NOMEM, rec->line, "", "out of memory");
    }
    ps->rows[ps->n_rows++] = row;
    return 0;
}

static int on_record(void *ctx, const ds_csv_record_t *rec)
{
    parser_t *ps = ctx;
    ps->line = rec->line;
    return ps->table.n_columns > 0 ? read_row(ps, rec) : read_header(ps, rec);
}

/* ---- grouping rows into scenarios ---- */

static int compare_rows(const void *a, const void *b)
{
    const row_t *x = *(const row_t *const *)a;
    const row_t *y = *(const row_t *const *)b;
    int c = strcmp(x->scenario, y->scenario);
    if (c != 0) {
        return c;
    }
    if (x->level != y->level) {
        return x->level < y->level ? -1 : 1;
    }
    return x->line < y->line ? -1 : (x->line > y->line);
}

typedef struct {
    size_t first; /* index into the sorted rows */
    size_t count;
    long first_line;
} group_t;

static int compare_groups(const void *a, const void *b)
{
    const group_t *x = a;
    const group_t *y = b;
    return x->first_line < y->first_line ? -1 : (x->first_line > y->first_line);
}

/* Check that a scenario's rows hold each level 1..K once. */
static int check_levels(parser_t *ps, row_t *const *sorted, const group_t *g)
{
    for (size_t i = 0; i < g->count; i++) {
        const row_t *row = sorted[g->first + i];
        if (i > 0 && row->level == sorted[g->first + i - 1]->level) {
            return fail(ps, DS_ERR_PARSE, row->line, column_names[COL_LEVEL],
                        "dose level %d of scenario '%s' appears twice (also on line %ld)",
                        row->level, row->scenario, sorted[g->first + i - 1]->line);
        }
    }
    for (size_t i = 0; i < g->count; i++) {
        const row_t *row = sorted[g->first + i];
        if (row->level != (int)i + 1) {
            return fail(ps, DS_ERR_PARSE, g->first_line, column_names[COL_LEVEL],
                        "scenario '%s' has no dose level %zu; its levels must run 1..%d with "
                        "none missing",
                        row->scenario, i + 1, sorted[g->first + g->count - 1]->level);
        }
    }
    return 0;
}

/* Check that a scenario's dose amounts rise with its levels (rows sorted by level). */
static int check_amounts(parser_t *ps, row_t *const *sorted, const group_t *g)
{
    for (size_t i = 1; i < g->count; i++) {
        const row_t *row = sorted[g->first + i], *below = sorted[g->first + i - 1];
        if (!(row->amount > below->amount)) {
            char amount[DS_DOUBLE_CHARS], lower[DS_DOUBLE_CHARS];
            ds_format_double(row->amount, amount);
            ds_format_double(below->amount, lower);
            return fail(ps, DS_ERR_PARSE, row->line, column_names[COL_AMOUNT],
                        "scenario '%s': dose level %d has %s %s, not more than level %d's %s "
                        "(line %ld); amounts must rise with the dose level",
                        row->scenario, row->level, column_names[COL_AMOUNT], amount, below->level,
                        lower, below->line);
        }
    }
    return 0;
}

static int build_scenarios(parser_t *ps, ds_scenario_file_t *self)
{
    int ret = 0;
    row_t **sorted = NULL;
    group_t *groups = NULL;
    size_t n_groups = 0;

    if (ps->n_rows == 0) {
        return fail(ps, DS_ERR_PARSE, ps->line, "", "the file has a header but no scenario rows");
    }
    sorted = malloc(ps->n_rows * sizeof(*sorted));
    groups = malloc(ps->n_rows * sizeof(*groups));
    if (sorted == NULL || groups == NULL) {
        ret = fail(ps, DS_ERR_NOMEM, 0, "", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ps->n_rows; i++) {
        sorted[i] = &ps->rows[i];
    }
    /* Sorting makes grouping O(n log n) even for files with thousands of scenarios. */
    qsort(sorted, ps->n_rows, sizeof(*sorted), compare_rows);
    for (size_t i = 0; i < ps->n_rows; i++) {
        if (i == 0 || strcmp(sorted[i]->scenario, sorted[i - 1]->scenario) != 0) {
            groups[n_groups++] = (group_t){.first = i, .count = 0, .first_line = sorted[i]->line};
        }
        group_t *g = &groups[n_groups - 1];
        g->count++;
        g->first_line = sorted[i]->line < g->first_line ? sorted[i]->line : g->first_line;
    }
    qsort(groups, n_groups, sizeof(*groups), compare_groups);
    for (size_t k = 0; k < n_groups; k++) {
        ret = check_levels(ps, sorted, &groups[k]);
        if (ret == 0 && ps->has_amount) {
            ret = check_amounts(ps, sorted, &groups[k]);
        }
        if (ret != 0) {
            goto out;
        }
    }
    self->scenarios = calloc(n_groups, sizeof(*self->scenarios));
    if (self->scenarios == NULL) {
        ret = fail(ps, DS_ERR_NOMEM, 0, "", "out of memory");
        goto out;
    }
    self->n_scenarios = (int)n_groups;
    for (size_t k = 0; k < n_groups; k++) {
        const group_t *g = &groups[k];
        ds_scenario_t *sc = &self->scenarios[k];
        sc->n_levels = (int)g->count;
        sc->line = g->first_line;
        sc->order = (int)k + 1; /* groups are in the order of their first rows */
        sc->name = copy_string(sorted[g->first]->scenario);
        sc->labels = calloc(g->count, sizeof(*sc->labels));
        sc->p_dlt = calloc(g->count, sizeof(*sc->p_dlt));
        sc->dose_amount = ps->has_amount ? calloc(g->count, sizeof(*sc->dose_amount)) : NULL;
        sc->dose_units = ps->has_unit ? calloc(g->count, sizeof(*sc->dose_units)) : NULL;
        sc->p_response = ps->has_response ? calloc(g->count, sizeof(*sc->p_response)) : NULL;
        sc->association = ps->association;
        const bool associated = ps->association != DS_ASSOCIATION_INDEPENDENT;
        sc->association_value =
            associated ? calloc(g->count, sizeof(*sc->association_value)) : NULL;
        if (sc->name == NULL || sc->labels == NULL || sc->p_dlt == NULL ||
            (ps->has_amount && sc->dose_amount == NULL) ||
            (ps->has_unit && sc->dose_units == NULL) ||
            (ps->has_response && sc->p_response == NULL) ||
            (associated && sc->association_value == NULL)) {
            ret = fail(ps, DS_ERR_NOMEM, 0, "", "out of memory");
            goto out;
        }
        for (size_t i = 0; i < g->count; i++) {
            row_t *row = sorted[g->first + i];
            sc->labels[i] = row->label; /* ownership moves to the scenario */
            row->label = NULL;
            sc->p_dlt[i] = row->p_dlt;
            if (sc->dose_amount != NULL) {
                sc->dose_amount[i] = row->amount;
            }
            if (sc->dose_units != NULL) {
                sc->dose_units[i] = row->unit;
                row->unit = NULL;
            }
            if (sc->p_response != NULL) {
                sc->p_response[i] = row->p_response;
            }
            if (sc->association_value != NULL) {
                sc->association_value[i] = row->association;
            }
        }
    }
out:
    free(sorted);
    free(groups);
    return ret;
}

void ds_scenario_file_init(ds_scenario_file_t *self)
{
    memset(self, 0, sizeof(*self));
}

void ds_scenario_file_free(ds_scenario_file_t *self)
{
    for (int k = 0; k < self->n_scenarios; k++) {
        ds_scenario_t *sc = &self->scenarios[k];
        for (int i = 0; sc->labels != NULL && i < sc->n_levels; i++) {
            free(sc->labels[i]);
        }
        for (int i = 0; sc->dose_units != NULL && i < sc->n_levels; i++) {
            free(sc->dose_units[i]);
        }
        free(sc->labels);
        free(sc->dose_units);
        free(sc->dose_amount);
        free(sc->p_response);
        free(sc->association_value);
        free(sc->p_dlt);
        free(sc->name);
    }
    for (int i = 0; i < self->n_ignored_columns; i++) {
        free(self->ignored_columns[i]);
    }
    free(self->ignored_columns);
    free(self->scenarios);
    free(self->path);
    ds_scenario_file_init(self);
}

static void free_parser(parser_t *ps)
{
    for (size_t i = 0; i < ps->n_rows; i++) {
        free(ps->rows[i].scenario);
        free(ps->rows[i].label);
        free(ps->rows[i].unit);
    }
    free(ps->rows);
    for (int i = 0; i < ps->n_ignored; i++) {
        free(ps->ignored[i]);
    }
    free(ps->ignored);
}

int ds_scenario_file_parse(ds_scenario_file_t *self, const char *path, const char *text, size_t len,
                           ds_diag_t *diag)
{
    parser_t ps = {.path = path,
                   .diag = diag,
                   .table = {.path = path,
                             .names = column_names,
                             .n_names = N_COLS,
                             .n_optional = N_OPTIONAL,
                             .keep_unknown = true,
                             .max_value = DS_MAX_NAME}};
    char delim = ',';

    ds_scenario_file_init(self);
    ds_diag_clear(diag);
    /* Tab-separated text is told apart by its header; semicolons are refused there. */
    int ret = ds_csv_header_delimiter(path, text, len, &delim, diag);
    if (ret == 0) {
        ps.table.delim = delim;
        ret = ds_csv_read_delim(path, text, len, delim, on_record, &ps, diag);
    }
    if (ret != 0 && ps.err == 0) {
        ps.err = ret; /* malformed CSV or a refused delimiter, reported by the reader */
    }
    if (ps.err == 0 && ps.table.n_columns == 0) {
        fail(&ps, DS_ERR_PARSE, ps.line > 0 ? 1 : 0, "",
             "the file is empty; expected a header line " DS_SCENARIO_HEADER
             " and a row per scenario and dose");
    }
    if (ps.err == 0) {
        build_scenarios(&ps, self);
    }
    if (ps.err == 0) {
        self->content_hash = ds_hash64(text, len, DS_HASH_START);
        self->delimiter = delim;
        self->path = copy_string(path);
        if (self->path == NULL) {
            fail(&ps, DS_ERR_NOMEM, 0, "", "out of memory");
        }
        if (ps.n_ignored > 0) { /* ownership moves to the file */
            self->ignored_columns = ps.ignored;
            self->n_ignored_columns = ps.n_ignored;
            ps.ignored = NULL;
            ps.n_ignored = 0;
        }
    }
    free_parser(&ps);
    if (ps.err != 0) {
        ds_scenario_file_free(self);
    }
    return ps.err;
}

int ds_scenario_file_load(ds_scenario_file_t *self, const char *path, ds_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    ds_scenario_file_init(self);
    ds_diag_clear(diag);
    int ret = ds_read_file(path, DS_MAX_FILE_BYTES, 0, &text, &len, diag);
    if (ret == 0) {
        ret = ds_scenario_file_parse(self, path, text, len, diag);
    }
    free(text);
    return ret;
}

const ds_scenario_t *ds_scenario_file_find(const ds_scenario_file_t *self, const char *name)
{
    for (int k = 0; k < self->n_scenarios; k++) {
        if (strcmp(self->scenarios[k].name, name) == 0) {
            return &self->scenarios[k];
        }
    }
    return NULL;
}

bool ds_scenario_is_monotone(const ds_scenario_t *scenario)
{
    for (int i = 1; i < scenario->n_levels; i++) {
        if (scenario->p_dlt[i] < scenario->p_dlt[i - 1]) {
            return false;
        }
    }
    return true;
}

double ds_joint_from_odds_ratio(double p_dlt, double p_response, double odds_ratio)
{
    const double a = p_dlt, b = p_response;
    const double lo = fmax(0.0, a + b - 1.0), hi = fmin(a, b);
    double x = a * b;
    if (odds_ratio != 1.0 && hi > lo) {
        /* (psi - 1) x^2 - (1 + (a + b)(psi - 1)) x + psi a b = 0; the root in
         * range, written so as not to cancel (Plackett 1965; Dale 1986). */
        const double s = 1.0 + (a + b) * (odds_ratio - 1.0);
        const double disc = s * s - 4.0 * odds_ratio * (odds_ratio - 1.0) * a * b;
        const double root = sqrt(fmax(disc, 0.0));
        x = s > 0.0 ? 2.0 * odds_ratio * a * b / (s + root)
                    : (s - root) / (2.0 * (odds_ratio - 1.0));
    }
    return fmin(fmax(x, lo), hi);
}

double ds_scenario_p_dlt_and_response(const ds_scenario_t *scenario, int level)
{
    const double a = scenario->p_dlt[level];
    const double b = scenario->p_response != NULL ? scenario->p_response[level] : 0.0;
    switch (scenario->association) {
    case DS_ASSOCIATION_ODDS_RATIO:
        return ds_joint_from_odds_ratio(a, b, scenario->association_value[level]);
    case DS_ASSOCIATION_JOINT:
        return fmin(fmax(scenario->association_value[level], fmax(0.0, a + b - 1.0)), fmin(a, b));
    default:
        return a * b;
    }
}

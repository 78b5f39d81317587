/* Scenario files: long-format CSV read with libcsv (the parser keeps quoting
 * rules out of our hands), checked field by field so that every refusal names
 * the file, line and column. */
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

enum { COL_SCENARIO, COL_LEVEL, COL_LABEL, COL_P, N_COLS };
static const char *const column_names[N_COLS] = {DS_SCENARIO_COL_SCENARIO, DS_SCENARIO_COL_LEVEL,
                                                 DS_SCENARIO_COL_LABEL, DS_SCENARIO_COL_P_DLT};

typedef struct {
    char *scenario;
    char *label;
    int level;
    double p_dlt;
    long line;
} row_t;

typedef struct {
    const char *path;
    ds_diag_t *diag;
    int err;
    long line;            /* line of the record being read */
    ds_csv_table_t table; /* the header's columns; table.n_columns is 0 until it is read */
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

static int read_header(parser_t *ps, const ds_csv_record_t *rec)
{
    if (ps->err == 0) {
        ps->err = ds_csv_table_header(&ps->table, rec, ps->diag);
    }
    return ps->err;
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

static int parse_probability(parser_t *ps, const char *text, double *p)
{
    const char *field = column_names[COL_P];
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

static char *copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len + 1);
    }
    return copy;
}

static int read_row(parser_t *ps, const ds_csv_record_t *rec)
{
    const char *value[N_COLS] = {NULL};
    if (ps->err == 0) {
        ps->err = ds_csv_table_row(&ps->table, rec, value, ps->diag);
    }
    if (ps->err != 0) {
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
        parse_probability(ps, value[COL_P], &row.p_dlt) != 0) {
        return ps->err;
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
    if (row.scenario == NULL || row.label == NULL) {
        free(row.scenario);
        free(row.label);
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
        sc->name = copy_string(sorted[g->first]->scenario);
        sc->labels = calloc(g->count, sizeof(*sc->labels));
        sc->p_dlt = calloc(g->count, sizeof(*sc->p_dlt));
        if (sc->name == NULL || sc->labels == NULL || sc->p_dlt == NULL) {
            ret = fail(ps, DS_ERR_NOMEM, 0, "", "out of memory");
            goto out;
        }
        for (size_t i = 0; i < g->count; i++) {
            row_t *row = sorted[g->first + i];
            sc->labels[i] = row->label; /* ownership moves to the scenario */
            row->label = NULL;
            sc->p_dlt[i] = row->p_dlt;
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
        free(sc->labels);
        free(sc->p_dlt);
        free(sc->name);
    }
    free(self->scenarios);
    free(self->path);
    ds_scenario_file_init(self);
}

static void free_rows(parser_t *ps)
{
    for (size_t i = 0; i < ps->n_rows; i++) {
        free(ps->rows[i].scenario);
        free(ps->rows[i].label);
    }
    free(ps->rows);
}

int ds_scenario_file_parse(ds_scenario_file_t *self, const char *path, const char *text, size_t len,
                           ds_diag_t *diag)
{
    parser_t ps = {
        .path = path,
        .diag = diag,
        .table = {
            .path = path, .names = column_names, .n_names = N_COLS, .max_value = DS_MAX_NAME}};

    ds_scenario_file_init(self);
    ds_diag_clear(diag);
    int ret = ds_csv_read(path, text, len, on_record, &ps, diag);
    if (ret != 0 && ps.err == 0) {
        ps.err = ret; /* malformed CSV, reported by the reader */
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
        self->path = copy_string(path);
        if (self->path == NULL) {
            fail(&ps, DS_ERR_NOMEM, 0, "", "out of memory");
        }
    }
    free_rows(&ps);
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

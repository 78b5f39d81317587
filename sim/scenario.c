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
#include <sys/stat.h>

#include <csv.h>

#include "dosesim/design.h"

enum { COL_SCENARIO, COL_LEVEL, COL_LABEL, COL_P, N_COLS };
static const char *const column_names[N_COLS] = {"scenario", "dose_level", "dose_label", "p_dlt"};
#define MAX_HEADER_COLUMNS 64

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
    long line;        /* line now being fed to the parser */
    long record_line; /* line on which the current record began */
    int field_index;
    bool single_empty_field;
    bool have_header;
    int n_header_columns;
    int role_of_column[MAX_HEADER_COLUMNS]; /* COL_* or -1 while reading the header */
    long column_seen_line[N_COLS];
    char *field_text[N_COLS]; /* the current data row */
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

/* Control bytes are never meant in a name or number: they mean a binary or
 * mangled file, and they would corrupt the CSVs and tables we write. */
static bool has_control_byte(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
            return true;
        }
    }
    return false;
}

static void clear_row_fields(parser_t *ps)
{
    for (int c = 0; c < N_COLS; c++) {
        free(ps->field_text[c]);
        ps->field_text[c] = NULL;
    }
}

static void on_field(void *data, size_t len, void *user)
{
    parser_t *ps = user;
    const char *text = data != NULL ? data : "";
    if (ps->err != 0) {
        return;
    }
    if (ps->field_index == 0) {
        ps->record_line = ps->line;
    }
    int index = ps->field_index++;
    ps->single_empty_field = (index == 0 && len == 0);
    if (!ps->have_header) {
        if (index >= MAX_HEADER_COLUMNS) {
            fail(ps, DS_ERR_PARSE, ps->record_line, "", "the header has more than %d columns",
                 MAX_HEADER_COLUMNS);
            return;
        }
        int role = -1;
        for (int c = 0; c < N_COLS; c++) {
            if (len == strlen(column_names[c]) && memcmp(text, column_names[c], len) == 0) {
                role = c;
            }
        }
        if (role < 0 && len > 0) {
            fail(ps, DS_ERR_PARSE, ps->record_line, "",
                 "unknown column '%.*s' in the header; the columns are scenario, dose_level, "
                 "dose_label, p_dlt",
                 (int)(len > 64 ? 64 : len), has_control_byte(data, len) ? "?" : text);
            return;
        }
        if (role >= 0 && ps->column_seen_line[role] != 0) {
            fail(ps, DS_ERR_PARSE, ps->record_line, column_names[role],
                 "column '%s' appears twice in the header", column_names[role]);
            return;
        }
        if (role >= 0) {
            ps->column_seen_line[role] = ps->record_line;
        }
        ps->role_of_column[index] = role;
        ps->n_header_columns = index + 1;
        return;
    }
    if (index >= ps->n_header_columns) {
        return; /* counted; refused at the end of the record */
    }
    int role = ps->role_of_column[index];
    if (len > DS_MAX_NAME) {
        fail(ps, DS_ERR_PARSE, ps->record_line, column_names[role],
             "the value is %zu bytes long; the limit is %d", len, DS_MAX_NAME);
        return;
    }
    if (memchr(text, '\0', len) != NULL || has_control_byte(data, len)) {
        fail(ps, DS_ERR_PARSE, ps->record_line, column_names[role],
             "contains a control character (is this a text CSV file?)");
        return;
    }
    ps->field_text[role] = malloc(len + 1);
    if (ps->field_text[role] == NULL) {
        fail(ps, DS_ERR_NOMEM, ps->record_line, "", "out of memory");
        return;
    }
    memcpy(ps->field_text[role], text, len);
    ps->field_text[role][len] = '\0';
}

static void finish_header(parser_t *ps)
{
    if (ps->n_header_columns == 1 && ps->single_empty_field) {
        ps->n_header_columns = 0; /* a blank line before the header */
        return;
    }
    for (int c = 0; c < N_COLS; c++) {
        if (ps->column_seen_line[c] == 0) {
            fail(ps, DS_ERR_PARSE, ps->record_line, column_names[c],
                 "the header has no '%s' column; the columns are scenario, dose_level, "
                 "dose_label, p_dlt",
                 column_names[c]);
            return;
        }
    }
    for (int i = 0; i < ps->n_header_columns; i++) {
        if (ps->role_of_column[i] < 0) {
            fail(ps, DS_ERR_PARSE, ps->record_line, "", "column %d of the header has no name",
                 i + 1);
            return;
        }
    }
    ps->have_header = true;
}

static int parse_level(parser_t *ps, const char *text, int *level)
{
    const char *field = column_names[COL_LEVEL];
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "is empty");
    }
    if (end == text || *end != '\0') {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "'%s' is not a whole number", text);
    }
    if (errno == ERANGE || value > DS_MAX_LEVELS) {
        return fail(ps, DS_ERR_TOO_MANY_LEVELS, ps->record_line, field,
                    "dose level %s is above the limit of %d levels", text, DS_MAX_LEVELS);
    }
    if (value < 1) {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "dose level %ld: levels count from 1",
                    value);
    }
    *level = (int)value;
    return 0;
}

static int parse_probability(parser_t *ps, const char *text, double *p)
{
    const char *field = column_names[COL_P];
    char *end = NULL;
    if (text[0] == '\0') {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "is empty");
    }
    double value = strtod(text, &end);
    if (end == text || *end != '\0') {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "'%s' is not a number", text);
    }
    if (isnan(value)) {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field, "'%s' (NaN) is not a probability",
                    text);
    }
    if (!(value >= 0.0 && value <= 1.0)) {
        return fail(ps, DS_ERR_PARSE, ps->record_line, field,
                    "%s is not a probability: it must lie in [0, 1]", text);
    }
    *p = value;
    return 0;
}

static void finish_data_row(parser_t *ps)
{
    if (ps->field_index == 1 && ps->single_empty_field) {
        return; /* a line of spaces */
    }
    if (ps->field_index != ps->n_header_columns) {
        fail(ps, DS_ERR_PARSE, ps->record_line, "", "expected %d fields as in the header, found %d",
             ps->n_header_columns, ps->field_index);
        return;
    }
    row_t row = {.line = ps->record_line};
    if (ps->field_text[COL_SCENARIO][0] == '\0') {
        fail(ps, DS_ERR_PARSE, ps->record_line, column_names[COL_SCENARIO], "is empty");
        return;
    }
    if (ps->field_text[COL_LABEL][0] == '\0') {
        fail(ps, DS_ERR_PARSE, ps->record_line, column_names[COL_LABEL], "is empty");
        return;
    }
    if (parse_level(ps, ps->field_text[COL_LEVEL], &row.level) != 0 ||
        parse_probability(ps, ps->field_text[COL_P], &row.p_dlt) != 0) {
        return;
    }
    if (ps->n_rows == ps->cap_rows) {
        size_t cap = ps->cap_rows == 0 ? 64 : 2 * ps->cap_rows;
        row_t *grown = realloc(ps->rows, cap * sizeof(*grown));
        if (grown == NULL) {
            fail(ps, DS_ERR_NOMEM, ps->record_line, "", "out of memory");
            return;
        }
        ps->rows = grown;
        ps->cap_rows = cap;
    }
    row.scenario = ps->field_text[COL_SCENARIO];
    row.label = ps->field_text[COL_LABEL];
    ps->field_text[COL_SCENARIO] = NULL;
    ps->field_text[COL_LABEL] = NULL;
    ps->rows[ps->n_rows++] = row;
}

static void on_record_end(int terminator, void *user)
{
    (void)terminator;
    parser_t *ps = user;
    if (ps->err == 0) {
        if (!ps->have_header) {
            finish_header(ps);
        } else {
            finish_data_row(ps);
        }
    }
    clear_row_fields(ps);
    ps->field_index = 0;
    ps->single_empty_field = false;
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

static char *copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len + 1);
    }
    return copy;
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
    clear_row_fields(ps);
}

int ds_scenario_file_parse(ds_scenario_file_t *self, const char *path, const char *text, size_t len,
                           ds_diag_t *diag)
{
    struct csv_parser csv;
    parser_t ps = {.path = path, .diag = diag};
    bool csv_ready = false;

    ds_scenario_file_init(self);
    ds_diag_clear(diag);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* UTF-8 byte-order mark, as spreadsheet programs write */
        len -= 3;
    }
    if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail(&ps, DS_ERR_NOMEM, 0, "", "out of memory");
        goto out;
    }
    csv_ready = true;
    /* Feed a line at a time so that every record knows the line it began on. */
    size_t pos = 0;
    while (pos < len && ps.err == 0) {
        const char *newline = memchr(text + pos, '\n', len - pos);
        size_t chunk = newline != NULL ? (size_t)(newline - (text + pos)) + 1 : len - pos;
        ps.line++;
        if (csv_parse(&csv, text + pos, chunk, on_field, on_record_end, &ps) != chunk &&
            ps.err == 0) {
            fail(&ps, csv_error(&csv) == CSV_ENOMEM ? DS_ERR_NOMEM : DS_ERR_PARSE, ps.line, "",
                 "malformed CSV: %s (a stray or unbalanced quote?)", csv_strerror(csv_error(&csv)));
        }
        pos += chunk;
    }
    if (ps.err == 0 && csv_fini(&csv, on_field, on_record_end, &ps) != 0 && ps.err == 0) {
        fail(&ps, DS_ERR_PARSE, ps.line, "", "malformed CSV: a quoted field is never closed");
    }
    if (ps.err == 0 && !ps.have_header) {
        fail(&ps, DS_ERR_PARSE, ps.line > 0 ? 1 : 0, "",
             "the file is empty; expected a header line scenario,dose_level,dose_label,p_dlt "
             "and a row per scenario and dose");
    }
    if (ps.err == 0) {
        build_scenarios(&ps, self);
    }
    if (ps.err == 0) {
        self->path = copy_string(path);
        if (self->path == NULL) {
            fail(&ps, DS_ERR_NOMEM, 0, "", "out of memory");
        }
    }
out:
    if (csv_ready) {
        csv_free(&csv);
    }
    free_rows(&ps);
    if (ps.err != 0) {
        ds_scenario_file_free(self);
    }
    return ps.err;
}

int ds_scenario_file_load(ds_scenario_file_t *self, const char *path, ds_diag_t *diag)
{
    int ret = 0;
    FILE *f = NULL;
    char *text = NULL;
    struct stat st;

    ds_scenario_file_init(self);
    ds_diag_clear(diag);
    f = fopen(path, "rb");
    if (f == NULL) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) != 0) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "is a directory, not a scenario file");
        goto out;
    }
    /* Read in pieces rather than trusting st_size, so pipes and /proc files work too. */
    size_t len = 0;
    size_t cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            cap = cap == 0 ? 65536 : 2 * cap;
            char *grown = realloc(text, cap + 1);
            if (grown == NULL) {
                ret = ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
                goto out;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (len > (size_t)DS_MAX_FILE_BYTES) {
            ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                              "larger than %ld MiB; is this a scenario file?",
                              DS_MAX_FILE_BYTES / (1024L * 1024L));
            goto out;
        }
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        goto out;
    }
    ret = ds_scenario_file_parse(self, path, text, len, diag);
out:
    if (f != NULL) {
        fclose(f);
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

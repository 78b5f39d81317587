/* CSV both ways: records read with libcsv, line by line so that each knows
 * the line it began on; tables whose header names their columns; rows written
 * cell by cell, quoted by libcsv only where a cell needs it. */
#include "dosesim/csv.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "dosesim/text.h"

/* ---- reading ---- */

typedef struct {
    ds_csv_record_fn on_record;
    void *ctx;
    int ret;
    long line;        /* line now being fed to libcsv */
    long record_line; /* line on which the current record began */
    bool in_record;   /* a record has begun and not yet ended */
    bool blank_line;  /* the line being fed is blank and no record is open */
    char **fields;
    size_t *lengths;
    int n_fields;
    int cap_fields;
} reader_t;

static void drop_fields(reader_t *r)
{
    for (int i = 0; i < r->n_fields; i++) {
        free(r->fields[i]);
    }
    r->n_fields = 0;
}

static void on_field(void *data, size_t len, void *user)
{
    reader_t *r = user;
    if (r->ret != 0) {
        return;
    }
    if (r->n_fields == r->cap_fields) {
        int cap = r->cap_fields == 0 ? 16 : 2 * r->cap_fields;
        char **fields = realloc(r->fields, (size_t)cap * sizeof(*fields));
        size_t *lengths =
            fields != NULL ? realloc(r->lengths, (size_t)cap * sizeof(*lengths)) : NULL;
        if (fields != NULL) {
            r->fields = fields;
        }
        if (lengths == NULL) {
            r->ret = DS_ERR_NOMEM;
            return;
        }
        r->lengths = lengths;
        r->cap_fields = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        r->ret = DS_ERR_NOMEM;
        return;
    }
    if (len > 0) {
        memcpy(copy, data, len);
    }
    copy[len] = '\0';
    r->fields[r->n_fields] = copy;
    r->lengths[r->n_fields++] = len;
}

static void on_record_end(int terminator, void *user)
{
    (void)terminator;
    reader_t *r = user;
    /* A line of nothing but spaces reads as one empty field, and of spaces and
     * tabs in tab-separated text as empty fields: a blank line either way. */
    bool blank = (r->n_fields == 1 && r->lengths[0] == 0) || r->blank_line;
    if (r->ret == 0 && r->n_fields > 0 && !blank) {
        ds_csv_record_t record = {.fields = r->fields,
                                  .lengths = r->lengths,
                                  .n_fields = r->n_fields,
                                  .line = r->record_line};
        r->ret = r->on_record(r->ctx, &record);
    }
    drop_fields(r);
    r->in_record = false;
}

static bool has_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0; /* as spreadsheet programs write */
}

int ds_csv_read(const char *path, const char *text, size_t len, ds_csv_record_fn on_record,
                void *ctx, ds_diag_t *diag)
{
    return ds_csv_read_delim(path, text, len, ',', on_record, ctx, diag);
}

int ds_csv_read_delim(const char *path, const char *text, size_t len, char delim,
                      ds_csv_record_fn on_record, void *ctx, ds_diag_t *diag)
{
    struct csv_parser csv;
    reader_t r = {.on_record = on_record, .ctx = ctx};
    if (delim != ',' && delim != '\t') {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, path, 0, "", "internal: delimiter 0x%02x",
                           (unsigned)(unsigned char)delim);
    }
    if (has_bom(text, len)) {
        text += 3;
        len -= 3;
    }
    if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    csv_set_delim(&csv, (unsigned char)delim);
    /* Feed a line at a time so that every record knows the line it began on. */
    size_t pos = 0;
    while (pos < len && r.ret == 0) {
        const char *newline = memchr(text + pos, '\n', len - pos);
        size_t chunk = newline != NULL ? (size_t)(newline - (text + pos)) + 1 : len - pos;
        r.line++;
        /* A record begins on the first line after the last one that is not blank
         * (its first field may end lines later, inside quotes). */
        bool blank = true; /* the text need not end in a NUL: look at the chunk only */
        for (size_t i = 0; i < chunk && blank; i++) {
            blank = text[pos + i] == ' ' || text[pos + i] == '\t' || text[pos + i] == '\r' ||
                    text[pos + i] == '\n';
        }
        r.blank_line = blank && !r.in_record;
        if (!r.in_record && !blank) {
            r.in_record = true;
            r.record_line = r.line;
        }
        if (csv_parse(&csv, text + pos, chunk, on_field, on_record_end, &r) != chunk &&
            r.ret == 0) {
            r.ret = csv_error(&csv) == CSV_ENOMEM ? DS_ERR_NOMEM : DS_ERR_PARSE;
            ds_diag_set(diag, r.ret, path, r.line, "",
                        "malformed CSV: %s (a stray or unbalanced quote?)",
                        csv_strerror(csv_error(&csv)));
        }
        pos += chunk;
    }
    if (r.ret == 0 && csv_fini(&csv, on_field, on_record_end, &r) != 0 && r.ret == 0) {
        r.ret = ds_diag_set(diag, DS_ERR_PARSE, path, r.line, "",
                            "malformed CSV: a quoted field is never closed");
    }
    if (r.ret == DS_ERR_NOMEM && (diag == NULL || diag->message[0] == '\0')) {
        ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    csv_free(&csv);
    drop_fields(&r);
    free(r.fields);
    free(r.lengths);
    return r.ret;
}

int ds_csv_header_delimiter(const char *path, const char *text, size_t len, char *delim,
                            ds_diag_t *diag)
{
    size_t pos = has_bom(text, len) ? 3 : 0;
    long line = 1;
    *delim = ',';
    /* The header is the first line that is not blank, as ds_csv_read() sees it. */
    for (;;) {
        const char *newline = memchr(text + pos, '\n', len - pos);
        size_t end = newline != NULL ? (size_t)(newline - text) : len;
        bool blank = true;
        for (size_t i = pos; i < end && blank; i++) {
            blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\r';
        }
        if (!blank) {
            break;
        }
        if (newline == NULL) {
            return 0; /* no header at all: the reader says so */
        }
        pos = end + 1;
        line++;
    }
    /* Count the separators outside quotes, up to the header's end. */
    size_t commas = 0, tabs = 0, semicolons = 0;
    bool quoted = false;
    for (size_t i = pos; i < len && (quoted || text[i] != '\n'); i++) {
        char c = text[i];
        quoted ^= c == '"';
        if (!quoted) {
            commas += c == ',';
            tabs += c == '\t';
            semicolons += c == ';';
        }
    }
    if (semicolons > 0 && commas == 0 && tabs == 0) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, line, "",
                           "the header is separated by semicolons (a spreadsheet's CSV in a "
                           "European locale?); use commas or tabs: save the file as "
                           "CSV with commas (in R write.csv, not write.csv2) or as "
                           "tab-separated text");
    }
    if (commas > 0 && tabs > 0) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, line, "",
                           "the header mixes commas and tabs between its columns; use one "
                           "delimiter: commas (CSV) or tabs (tab-separated)");
    }
    if (semicolons > 0) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, line, "",
                           "the header mixes semicolons with %s between its columns; separate "
                           "the columns with %s only (quote a column name that holds a "
                           "semicolon)",
                           tabs > 0 ? "tabs" : "commas", tabs > 0 ? "tabs" : "commas");
    }
    *delim = tabs > 0 ? '\t' : ',';
    return 0;
}

/* "a, b, c (and optionally d, e)": the columns a table knows, for messages. */
static void list_columns(const ds_csv_table_t *self, char *buf, size_t size)
{
    size_t used = 0;
    int n_required = self->n_names - self->n_optional;
    buf[0] = '\0';
    for (int c = 0; c < self->n_names && used < size; c++) {
        const char *before = c == 0                              ? ""
                             : c == n_required && n_required > 0 ? " (and optionally "
                             : c == n_required                   ? "(optionally "
                                                                 : ", ";
        int n = snprintf(buf + used, size - used, "%s%s%s", before, self->names[c],
                         c == self->n_names - 1 && c >= n_required ? ")" : "");
        used += n > 0 ? (size_t)n : 0;
    }
}

/* Whether a and b are the same name but for ASCII case and the characters
 * people put between words (space, '_', '-', '.'): "P_DLT", "dose level". */
static bool same_but_for_case_and_spaces(const char *a, size_t a_len, const char *b)
{
    size_t i = 0, j = 0, b_len = strlen(b);
    for (;;) {
        while (i < a_len && strchr(" _-.", a[i]) != NULL) {
            i++;
        }
        while (j < b_len && strchr(" _-.", b[j]) != NULL) {
            j++;
        }
        if (i == a_len || j == b_len) {
            return i == a_len && j == b_len;
        }
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
        char y = b[j] >= 'A' && b[j] <= 'Z' ? (char)(b[j] - 'A' + 'a') : b[j];
        if (x != y) {
            return false;
        }
        i++;
        j++;
    }
}

int ds_csv_table_header(ds_csv_table_t *self, const ds_csv_record_t *rec, ds_diag_t *diag)
{
    long seen[DS_CSV_MAX_COLUMNS] = {0};
    char known[512];
    list_columns(self, known, sizeof(known));
    if (rec->n_fields > DS_CSV_MAX_COLUMNS || self->n_names > DS_CSV_MAX_COLUMNS) {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                           "the header has %d columns; the limit is %d", rec->n_fields,
                           DS_CSV_MAX_COLUMNS);
    }
    for (int i = 0; i < rec->n_fields; i++) {
        const char *name = rec->fields[i];
        const size_t len = rec->lengths[i];
        int role = DS_CSV_UNKNOWN;
        for (int c = 0; c < self->n_names; c++) {
            if (len == strlen(self->names[c]) && strcmp(name, self->names[c]) == 0) {
                role = c;
            }
        }
        if (len == 0) {
            /* R's write.csv() and pandas' to_csv() write row names under an empty name. */
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "column %d of the header has no name%s", i + 1,
                               i == 0 ? " (a file written with row names? in R use "
                                        "write.csv(..., row.names = FALSE), in pandas "
                                        "to_csv(..., index=False))"
                                      : "");
        }
        /* The name is never echoed unless it is text that is safe to print. */
        char why[200];
        if (ds_text_problem(name, len, why, sizeof(why)) != NULL) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "the name of column %d of the header %s", i + 1, why);
        }
        if (role != DS_CSV_UNKNOWN) {
            if (seen[role] != 0) {
                return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, self->names[role],
                                   "column '%s' appears twice in the header", self->names[role]);
            }
            seen[role] = rec->line;
            self->role[i] = role;
            continue;
        }
        for (int c = 0; c < self->n_names; c++) {
            if (same_but_for_case_and_spaces(name, len, self->names[c])) {
                return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, self->names[c],
                                   "column '%s' of the header is not '%s': column names are "
                                   "exact, in lower case with underscores; rename it '%s'",
                                   name, self->names[c], self->names[c]);
            }
        }
        if (!self->keep_unknown) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "unknown column '%.64s' in the header; the columns are %s", name,
                               known);
        }
        if (len > self->max_value) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "the name of column %d of the header is %zu bytes long; the "
                               "limit is %zu",
                               i + 1, len, self->max_value);
        }
        for (int j = 0; j < i; j++) {
            if (self->role[j] == DS_CSV_UNKNOWN && strcmp(rec->fields[j], name) == 0) {
                return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                                   "columns %d and %d of the header are both named '%s'; "
                                   "column names must differ",
                                   j + 1, i + 1, name);
            }
        }
        self->role[i] = DS_CSV_UNKNOWN;
    }
    for (int c = 0; c < self->n_names - self->n_optional; c++) {
        if (seen[c] == 0) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, self->names[c],
                               "the header has no '%s' column; the columns are %s", self->names[c],
                               known);
        }
    }
    self->n_columns = rec->n_fields;
    return 0;
}

int ds_csv_table_column(const ds_csv_table_t *self, int role)
{
    for (int i = 0; i < self->n_columns; i++) {
        if (self->role[i] == role) {
            return i;
        }
    }
    return -1;
}

/* A record whose field count is wrong, and why it might be: a line separated
 * otherwise than the header (a question, as a label may hold a comma). */
static int wrong_field_count(const ds_csv_table_t *self, const ds_csv_record_t *rec,
                             ds_diag_t *diag)
{
    const bool tabs = self->delim == '\t';
    const char other = tabs ? ',' : '\t';
    bool mixed = false;
    for (int i = 0; i < rec->n_fields && !mixed; i++) {
        mixed = memchr(rec->fields[i], other, rec->lengths[i]) != NULL;
    }
    char hint[160] = "";
    if (rec->n_fields < self->n_columns && mixed) {
        snprintf(hint, sizeof(hint),
                 " (this line holds %s: is it %s-separated, where the header is %s-separated? "
                 "use one delimiter throughout)",
                 tabs ? "commas" : "tabs", tabs ? "comma" : "tab", tabs ? "tab" : "comma");
    }
    return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                       "expected %d fields as in the header, found %d%s", self->n_columns,
                       rec->n_fields, hint);
}

int ds_csv_table_row(const ds_csv_table_t *self, const ds_csv_record_t *rec, const char **value,
                     ds_diag_t *diag)
{
    if (rec->n_fields != self->n_columns) {
        return wrong_field_count(self, rec, diag);
    }
    for (int c = 0; c < self->n_names; c++) {
        value[c] = NULL; /* an optional column the header lacks */
    }
    for (int i = 0; i < rec->n_fields; i++) {
        if (self->role[i] == DS_CSV_UNKNOWN) {
            continue;
        }
        const char *name = self->names[self->role[i]];
        if (rec->lengths[i] > self->max_value) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, name,
                               "the value is %zu bytes long; the limit is %zu", rec->lengths[i],
                               self->max_value);
        }
        char why[200];
        if (ds_text_problem(rec->fields[i], rec->lengths[i], why, sizeof(why)) != NULL) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, name, "%s", why);
        }
        value[self->role[i]] = rec->fields[i];
    }
    return 0;
}

int ds_csv_table_int(const ds_csv_table_t *self, long line, int role, const char *text, int lo,
                     int hi, int *out, ds_diag_t *diag)
{
    const char *name = self->names[role];
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (text[0] == '\0') {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, line, name, "is empty");
    }
    if (end == text || *end != '\0') {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, line, name,
                           "'%.40s' is not a whole number", text);
    }
    if (value < lo || value > hi) {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, line, name, "%ld is outside %d..%d",
                           value, lo, hi);
    }
    *out = (int)value;
    return 0;
}

/* ---- writing ---- */

void ds_csv_cell_begin(ds_csv_row_t *w)
{
    if (!w->at_start) {
        fputc(',', w->file);
    }
    w->at_start = false;
}

void ds_csv_text(ds_csv_row_t *w, const char *text)
{
    ds_csv_cell_begin(w);
    size_t len = strlen(text);
    bool needs_quotes =
        strpbrk(text, ",\"\r\n") != NULL || (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));
    if (needs_quotes) {
        csv_fwrite(w->file, text, len);
    } else {
        for (size_t i = 0; i < len; i++) {
            putc_unlocked(text[i], w->file);
        }
    }
}

/* A number cell: its separator and text in one write (numbers are most of
 * what dosesim writes: a sweep or a file of 10^6 scenarios is mostly this). */
static void number_cell(ds_csv_row_t *w, char *cell, size_t len)
{
    /* putc_unlocked: a store into the stream's buffer; a stream is written
     * by one thread, so fwrite's lock per cell is all cost. */
    for (size_t i = w->at_start ? 1 : 0; i < len; i++) {
        putc_unlocked(cell[i], w->file);
    }
    w->at_start = false;
}

void ds_csv_double(ds_csv_row_t *w, double x)
{
    char cell[DS_DOUBLE_CHARS + 1] = ",";
    ds_format_double(x, cell + 1);
    number_cell(w, cell, 1 + strlen(cell + 1));
}

/* The decimal digits of x after a comma, into cell (24 bytes); its length. */
static size_t u64_cell(uint64_t x, bool negative, char cell[24])
{
    char digits[20];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x > 0);
    size_t at = 0;
    cell[at++] = ',';
    if (negative) {
        cell[at++] = '-';
    }
    while (n > 0) {
        cell[at++] = digits[--n];
    }
    return at;
}

void ds_csv_int(ds_csv_row_t *w, long long x)
{
    char cell[24];
    /* the magnitude as unsigned, so that LLONG_MIN has one */
    const uint64_t magnitude = x < 0 ? 0u - (uint64_t)x : (uint64_t)x;
    number_cell(w, cell, u64_cell(magnitude, x < 0, cell));
}

void ds_csv_u64(ds_csv_row_t *w, uint64_t x)
{
    char cell[24];
    number_cell(w, cell, u64_cell(x, false, cell));
}

void ds_csv_empty(ds_csv_row_t *w)
{
    ds_csv_cell_begin(w);
}

void ds_csv_end(ds_csv_row_t *w)
{
    fputc('\n', w->file);
    w->at_start = true;
}

void ds_csv_names(FILE *file, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(file, "%s%s", i > 0 ? "," : "", names[i]);
    }
}

void ds_csv_header(FILE *file, const char *const *names, size_t n)
{
    ds_csv_names(file, names, n);
    fputc('\n', file);
}

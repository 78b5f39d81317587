/* Numbers as text and a content hash. */
#include "dosesim/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

void ds_format_double(double x, char buf[DS_DOUBLE_CHARS])
{
    if (x == 0.0) {
        snprintf(buf, DS_DOUBLE_CHARS, "0"); /* never "-0" */
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, DS_DOUBLE_CHARS, "%.*g", digits, x);
        if (!isfinite(x) || strtod(buf, NULL) == x) {
            return;
        }
    }
}

bool ds_parse_u64(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (*text == '\0') {
        return false;
    }
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        unsigned digit = (unsigned)(*p - '0');
        if (value > (UINT64_MAX - digit) / 10u) {
            return false;
        }
        value = value * 10u + digit;
    }
    *out = value;
    return true;
}

bool ds_parse_double(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(value)) {
        return false;
    }
    *out = value;
    return true;
}

bool ds_has_control_byte(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return true;
        }
    }
    return false;
}

uint64_t ds_hash64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *bytes = data;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ bytes[i]) * UINT64_C(1099511628211);
    }
    return h;
}

/* ---- CSV records ---- */

typedef struct {
    ds_csv_record_fn on_record;
    void *ctx;
    int ret;
    long line;        /* line now being fed to libcsv */
    long record_line; /* line on which the current record began */
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
    if (r->n_fields == 0) {
        r->record_line = r->line;
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
    /* A line of nothing but spaces reads as one empty field: a blank line. */
    bool blank = r->n_fields == 1 && r->lengths[0] == 0;
    if (r->ret == 0 && r->n_fields > 0 && !blank) {
        ds_csv_record_t record = {.fields = r->fields,
                                  .lengths = r->lengths,
                                  .n_fields = r->n_fields,
                                  .line = r->record_line};
        r->ret = r->on_record(r->ctx, &record);
    }
    drop_fields(r);
}

int ds_csv_read(const char *path, const char *text, size_t len, ds_csv_record_fn on_record,
                void *ctx, ds_diag_t *diag)
{
    struct csv_parser csv;
    reader_t r = {.on_record = on_record, .ctx = ctx};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* UTF-8 byte-order mark, as spreadsheet programs write */
        len -= 3;
    }
    if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    /* Feed a line at a time so that every record knows the line it began on. */
    size_t pos = 0;
    while (pos < len && r.ret == 0) {
        const char *newline = memchr(text + pos, '\n', len - pos);
        size_t chunk = newline != NULL ? (size_t)(newline - (text + pos)) + 1 : len - pos;
        r.line++;
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

/* "a, b, c": the columns a table knows, for messages. */
static void list_columns(const ds_csv_table_t *self, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int c = 0; c < self->n_names && used < size; c++) {
        int n = snprintf(buf + used, size - used, "%s%s", c > 0 ? ", " : "", self->names[c]);
        used += n > 0 ? (size_t)n : 0;
    }
}

int ds_csv_table_header(ds_csv_table_t *self, const ds_csv_record_t *rec, ds_diag_t *diag)
{
    long seen[DS_CSV_MAX_COLUMNS] = {0};
    char known[512];
    list_columns(self, known, sizeof(known));
    if (rec->n_fields > DS_CSV_MAX_COLUMNS) {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                           "the header has more than %d columns", DS_CSV_MAX_COLUMNS);
    }
    for (int i = 0; i < rec->n_fields; i++) {
        const char *name = rec->fields[i];
        int role = -1;
        for (int c = 0; c < self->n_names; c++) {
            if (rec->lengths[i] == strlen(self->names[c]) && strcmp(name, self->names[c]) == 0) {
                role = c;
            }
        }
        if (rec->lengths[i] == 0) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "column %d of the header has no name", i + 1);
        }
        if (role < 0) {
            bool printable = !ds_has_control_byte(name, rec->lengths[i]);
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                               "unknown column '%.64s' in the header; the columns are %s",
                               printable ? name : "?", known);
        }
        if (seen[role] != 0) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, self->names[role],
                               "column '%s' appears twice in the header", self->names[role]);
        }
        seen[role] = rec->line;
        self->role[i] = role;
    }
    for (int c = 0; c < self->n_names; c++) {
        if (seen[c] == 0) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, self->names[c],
                               "the header has no '%s' column; the columns are %s", self->names[c],
                               known);
        }
    }
    self->n_columns = rec->n_fields;
    return 0;
}

int ds_csv_table_row(const ds_csv_table_t *self, const ds_csv_record_t *rec, const char **value,
                     ds_diag_t *diag)
{
    if (rec->n_fields != self->n_columns) {
        return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, "",
                           "expected %d fields as in the header, found %d", self->n_columns,
                           rec->n_fields);
    }
    for (int i = 0; i < rec->n_fields; i++) {
        const char *name = self->names[self->role[i]];
        if (rec->lengths[i] > self->max_value) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, name,
                               "the value is %zu bytes long; the limit is %zu", rec->lengths[i],
                               self->max_value);
        }
        if (strlen(rec->fields[i]) != rec->lengths[i] ||
            ds_has_control_byte(rec->fields[i], rec->lengths[i])) {
            return ds_diag_set(diag, DS_ERR_PARSE, self->path, rec->line, name,
                               "contains a control character (is this a text CSV file?)");
        }
        value[self->role[i]] = rec->fields[i];
    }
    return 0;
}

int ds_read_file(const char *path, long max_bytes, char **text, size_t *len, ds_diag_t *diag)
{
    int ret = 0;
    char *buf = NULL;
    size_t used = 0, cap = 0;
    struct stat st;
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
    }
    if (fstat(fileno(f), &st) != 0) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "is a directory, not a file");
        goto out;
    }
    /* Read in pieces rather than trusting st_size, so pipes and /proc files work too. */
    for (;;) {
        if (cap - used < 65536) {
            cap = cap == 0 ? 65536 : 2 * cap;
            char *grown = realloc(buf, cap + 1);
            if (grown == NULL) {
                ret = ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
                goto out;
            }
            buf = grown;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (used > (size_t)max_bytes) {
            ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                              "larger than %ld MiB; is this the right file?",
                              max_bytes / (1024L * 1024L));
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
    buf[used] = '\0';
    *text = buf;
    *len = used;
    buf = NULL;
out:
    fclose(f);
    free(buf);
    return ret;
}

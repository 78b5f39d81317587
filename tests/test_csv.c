/* CSV both ways: cells quoted only where needed and read back as written,
 * records that know their line, and tables whose header names their columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/csv.h"
#include "testlib.h"

/* Cells of one row written into memory; the text is malloc'ed. */
static char *write_row(void (*write)(ds_csv_row_t *row))
{
    char *text = NULL;
    size_t len = 0;
    FILE *file = open_memstream(&text, &len);
    if (file == NULL) {
        return NULL;
    }
    ds_csv_row_t row = {.file = file, .at_start = true};
    write(&row);
    fclose(file);
    return text;
}

static void cells(ds_csv_row_t *row)
{
    ds_csv_text(row, "plain");
    ds_csv_text(row, "a,b");
    ds_csv_text(row, "say \"hi\"");
    ds_csv_text(row, " edge");
    ds_csv_empty(row);
    ds_csv_double(row, 0.1 + 0.2);
    ds_csv_int(row, -3);
    ds_csv_u64(row, UINT64_MAX);
    ds_csv_cell_begin(row);
    fputs("1:0/3 2:1/3", row->file);
    ds_csv_end(row);
    ds_csv_text(row, "second");
    ds_csv_end(row);
}

static void test_cells(void)
{
    char *text = write_row(cells);
    CHECK_STR_EQ(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\" edge\",,0.30000000000000004,-3,"
                       "18446744073709551615,1:0/3 2:1/3\nsecond\n");
    free(text);
}

typedef struct {
    int n_records;
    char first[4][32];
    long lines[4];
} seen_t;

static int remember(void *ctx, const ds_csv_record_t *rec)
{
    seen_t *seen = ctx;
    if (seen->n_records < 4) {
        snprintf(seen->first[seen->n_records], sizeof(seen->first[0]), "%s|%d", rec->fields[0],
                 rec->n_fields);
        seen->lines[seen->n_records] = rec->line;
    }
    seen->n_records++;
    return 0;
}

static void test_read_records(void)
{
    /* A byte-order mark, CRLF, a blank line, and a quoted field over two lines. */
    static const char text[] = "\xEF\xBB\xBF"
                               "a,b\r\n"
                               "\n"
                               "\"x\ny\",2\n"
                               "z,3\n";
    seen_t seen = {0};
    ds_diag_t diag;
    CHECK_INT_EQ(ds_csv_read("t.csv", text, strlen(text), remember, &seen, &diag), 0);
    CHECK_INT_EQ(seen.n_records, 3);
    CHECK_STR_EQ(seen.first[0], "a|2");
    CHECK_STR_EQ(seen.first[1], "x\ny|2");
    CHECK_STR_EQ(seen.first[2], "z|2");
    CHECK_INT_EQ(seen.lines[0], 1);
    CHECK_INT_EQ(seen.lines[1], 3);
    CHECK_INT_EQ(seen.lines[2], 5);
    static const char unclosed[] = "a,b\n\"open,1\n";
    seen = (seen_t){0};
    CHECK_INT_EQ(ds_csv_read("t.csv", unclosed, strlen(unclosed), remember, &seen, &diag),
                 DS_ERR_PARSE);
    CHECK(strstr(diag.message, "malformed CSV") != NULL);
}

typedef struct {
    ds_csv_table_t table;
    const char *value[2];
    ds_diag_t *diag;
} table_reader_t;

static int on_table_record(void *ctx, const ds_csv_record_t *rec)
{
    table_reader_t *r = ctx;
    if (r->table.n_columns == 0) {
        return ds_csv_table_header(&r->table, rec, r->diag);
    }
    int ret = ds_csv_table_row(&r->table, rec, r->value, r->diag);
    if (ret == 0) {
        CHECK_STR_EQ(r->value[0], "one");
        CHECK_STR_EQ(r->value[1], "1");
    }
    return ret;
}

static void test_table(void)
{
    static const char *const names[] = {"name", "count"};
    ds_diag_t diag;
    /* Columns in any order, each found by its name. */
    static const char reordered[] = "count,name\n1,one\n";
    table_reader_t r = {.table = {.path = "t.csv", .names = names, .n_names = 2, .max_value = 8},
                        .diag = &diag};
    CHECK_INT_EQ(ds_csv_read("t.csv", reordered, strlen(reordered), on_table_record, &r, &diag), 0);
    static const char unknown[] = "name,count,extra\n";
    r = (table_reader_t){.table = {.path = "t.csv", .names = names, .n_names = 2, .max_value = 8},
                         .diag = &diag};
    CHECK_INT_EQ(ds_csv_read("t.csv", unknown, strlen(unknown), on_table_record, &r, &diag),
                 DS_ERR_PARSE);
    CHECK(strstr(diag.message, "unknown column 'extra' in the header; the columns are name, "
                               "count") != NULL);
    static const char too_long[] = "name,count\nnine_char,1\n";
    r = (table_reader_t){.table = {.path = "t.csv", .names = names, .n_names = 2, .max_value = 8},
                         .diag = &diag};
    CHECK_INT_EQ(ds_csv_read("t.csv", too_long, strlen(too_long), on_table_record, &r, &diag),
                 DS_ERR_PARSE);
    CHECK_INT_EQ(diag.line, 2);
    CHECK_STR_EQ(diag.field, "name");
}

/* Tab-separated text: the same records, a line of tabs blank, quotes as in CSV. */
static void test_read_tabs(void)
{
    static const char text[] = "a\tb\n"
                               "\t\t\n"
                               "\"x\ty\"\t 2 \n"
                               "z, w\t3";
    seen_t seen = {0};
    ds_diag_t diag;
    CHECK_INT_EQ(ds_csv_read_delim("t.tsv", text, strlen(text), '\t', remember, &seen, &diag), 0);
    CHECK_INT_EQ(seen.n_records, 3);
    CHECK_STR_EQ(seen.first[0], "a|2");
    CHECK_STR_EQ(seen.first[1], "x\ty|2");
    CHECK_STR_EQ(seen.first[2], "z, w|2");
    CHECK_INT_EQ(seen.lines[1], 3);
    CHECK_INT_EQ(seen.lines[2], 4);
    seen = (seen_t){0};
    CHECK_INT_EQ(ds_csv_read_delim("t.csv", text, strlen(text), ';', remember, &seen, &diag),
                 DS_ERR_BAD_PARAM);
}

/* The delimiter, from the header line: tabs without commas; semicolons and mixtures refused. */
static void test_header_delimiter(void)
{
    static const struct {
        const char *text;
        int err;
        char delim;
        long line;
        const char *words;
    } cases[] = {
        {"a,b\n1\t2\n", 0, ',', 0, NULL},
        {"a\tb\n1,2\n", 0, '\t', 0, NULL},
        {"\xEF\xBB\xBF\r\n  \t\n\"a,b\"\tc\n", 0, '\t', 0, NULL}, /* commas quoted */
        {"\"a\nb\",c\td\n", DS_ERR_PARSE, ',', 1, "mixes commas and tabs"},
        {"", 0, ',', 0, NULL},
        {"\n\n", 0, ',', 0, NULL},
        {"one\n", 0, ',', 0, NULL},
        {"a;b;c\n1;2;3\n", DS_ERR_PARSE, ',', 1, "separated by semicolons"},
        {"\n\na;b\n", DS_ERR_PARSE, ',', 3, "use commas or tabs"},
        {"a,b\tc\n", DS_ERR_PARSE, ',', 1, "mixes commas and tabs"},
        {"a,b;c\n", DS_ERR_PARSE, ',', 1, "mixes semicolons with commas"},
        {"a\tb;c\n", DS_ERR_PARSE, ',', 1, "mixes semicolons with tabs"},
        {"a,\"b;c\"\n", 0, ',', 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char delim = 'x';
        ds_diag_t diag;
        ds_diag_clear(&diag);
        int err =
            ds_csv_header_delimiter("t.csv", cases[i].text, strlen(cases[i].text), &delim, &diag);
        CHECK_MSG(err == cases[i].err, "case %zu: error %d (%s)", i, err, diag.message);
        if (err == 0) {
            CHECK_MSG(delim == cases[i].delim, "case %zu: delimiter 0x%02x", i, delim);
        } else {
            CHECK_MSG(diag.line == cases[i].line && strcmp(diag.path, "t.csv") == 0 &&
                          strstr(diag.message, cases[i].words) != NULL,
                      "case %zu: line %ld: %s", i, diag.line, diag.message);
        }
    }
}

typedef struct {
    ds_csv_table_t table;
    char value[3][16]; /* the last row's values, "(none)" for a column the header lacks */
    int rows;
    ds_diag_t *diag;
} optional_reader_t;

static int on_optional_record(void *ctx, const ds_csv_record_t *rec)
{
    optional_reader_t *r = ctx;
    if (r->table.n_columns == 0) {
        return ds_csv_table_header(&r->table, rec, r->diag);
    }
    const char *value[3] = {"x", "x", "x"};
    r->rows++;
    int ret = ds_csv_table_row(&r->table, rec, value, r->diag);
    for (int c = 0; ret == 0 && c < 3; c++) {
        snprintf(r->value[c], sizeof(r->value[c]), "%s", value[c] != NULL ? value[c] : "(none)");
    }
    return ret;
}

/* Optional columns, columns of other names kept (and their cells not read), and
 * names that are nearly a known one refused with the name they should be. */
static int read_table(const char *text, char delim, bool keep, optional_reader_t *r,
                      ds_diag_t *diag)
{
    static const char *const names[] = {"name", "count", "unit"};
    *r = (optional_reader_t){.table = {.path = "t.csv",
                                       .names = names,
                                       .n_names = 3,
                                       .n_optional = 1,
                                       .keep_unknown = keep,
                                       .delim = delim,
                                       .max_value = 8},
                             .diag = diag};
    ds_diag_clear(diag);
    return ds_csv_read_delim("t.csv", text, strlen(text), delim, on_optional_record, r, diag);
}

static void test_table_optional_and_unknown(void)
{
    optional_reader_t r;
    ds_diag_t diag;
    CHECK_INT_EQ(read_table("count,name\n1,one\n", ',', false, &r, &diag), 0);
    CHECK_STR_EQ(r.value[2], "(none)");
    CHECK_STR_EQ(r.value[1], "1");
    CHECK_INT_EQ(ds_csv_table_column(&r.table, 2), -1);
    CHECK_INT_EQ(ds_csv_table_column(&r.table, 0), 1);
    CHECK_INT_EQ(read_table("unit,count,name\nmg,1,one\n", ',', false, &r, &diag), 0);
    CHECK_STR_EQ(r.value[2], "mg");
    /* An unknown column: refused, or kept with its cells unread (long, with a line end). */
    CHECK_INT_EQ(read_table("name,count,notes\none,1,x\n", ',', false, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "unknown column 'notes'") != NULL);
    CHECK(strstr(diag.message, "name, count (and optionally unit)") != NULL);
    CHECK_INT_EQ(read_table("notes,name,count\n\"a note\nof two lines, long\",one,1\n", ',', true,
                            &r, &diag),
                 0);
    CHECK_INT_EQ(r.table.role[0], DS_CSV_UNKNOWN);
    CHECK_INT_EQ(ds_csv_table_column(&r.table, DS_CSV_UNKNOWN), 0);
    CHECK_INT_EQ(r.rows, 1);
    /* Names that are nearly a known one. */
    static const char *const near[] = {"Name,count\n",      "name,COUNT\n",  "name,count,Unit\n",
                                       "name,\" count\"\n", "na me,count\n", "name,co-unt\n"};
    for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
        CHECK_MSG(read_table(near[i], ',', true, &r, &diag) == DS_ERR_PARSE && diag.line == 1 &&
                      strstr(diag.message, "rename it") != NULL && diag.field[0] != '\0',
                  "%s: %s", near[i], diag.message);
    }
    CHECK_INT_EQ(read_table("name,count,COUNT\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK_STR_EQ(diag.field, "count");
    /* Names of the kept columns: unique, not too long, text that is safe to print. */
    CHECK_INT_EQ(read_table("name,count,x,y,x\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "columns 3 and 5 of the header are both named 'x'") != NULL);
    CHECK_INT_EQ(read_table("name,count,ninebytes\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "column 3 of the header is 9 bytes long; the limit is 8") != NULL);
    CHECK_INT_EQ(read_table("name,count,\"a\x1b[2Jb\"\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "column 3 of the header contains a control character") != NULL);
    CHECK(strchr(diag.message, '\x1b') == NULL);
    CHECK_INT_EQ(read_table("name,count,\"\xff\"\n", ',', false, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "not valid UTF-8") != NULL && strchr(diag.message, '\xff') == NULL);
    /* A line separated otherwise than the header: said, as a question. */
    CHECK_INT_EQ(read_table("name\tcount\none,1\n", '\t', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "found 1 (this line holds commas: is it comma-separated") != NULL);
    CHECK_INT_EQ(read_table("name,count\none\t1\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "found 1 (this line holds tabs") != NULL);
    CHECK_INT_EQ(read_table("name,count\none\n", ',', true, &r, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "found 1") != NULL && strstr(diag.message, "holds") == NULL);
}

const test_case_t csv_tests[] = {
    {"cells", test_cells},
    {"read_records", test_read_records},
    {"table", test_table},
    {"read_tabs", test_read_tabs},
    {"header_delimiter", test_header_delimiter},
    {"table_optional_and_unknown", test_table_optional_and_unknown},
    {NULL, NULL},
};

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

const test_case_t csv_tests[] = {
    {"cells", test_cells},
    {"read_records", test_read_records},
    {"table", test_table},
    {NULL, NULL},
};

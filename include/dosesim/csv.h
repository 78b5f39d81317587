/**
 * @file csv.h
 * @brief CSV, both ways: records read with libcsv (strict quoting, with the
 *        line each began on), tables whose header names their columns, and
 *        rows written cell by cell, quoted by libcsv where needed.
 *
 * What the files hold is named in schema.h; report.h writes dosesim's result
 * files with these rows, scenario.h and design.h read their inputs with these
 * tables.
 */
#ifndef DOSESIM_CSV_H
#define DOSESIM_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dosesim/error.h"

/* ---- reading ---- */

/** One CSV record, as ds_csv_read() hands it to its callback. */
typedef struct {
    char **fields; /**< [n_fields] NUL-terminated copies (a field may hold a NUL: see lengths) */
    const size_t *lengths; /**< [n_fields] their lengths in bytes */
    int n_fields;
    long line; /**< the line the record began on (1-based) */
} ds_csv_record_t;

/** Called for each record; a non-zero return stops the reading and is returned. */
typedef int (*ds_csv_record_fn)(void *ctx, const ds_csv_record_t *record);

/**
 * @brief Read CSV text record by record with libcsv (strict quoting; CRLF and
 *        blank lines accepted; a UTF-8 byte-order mark skipped).
 * @return 0; the callback's non-zero return; DS_ERR_PARSE for malformed CSV
 *         (diag names path and line); DS_ERR_NOMEM.
 */
int ds_csv_read(const char *path, const char *text, size_t len, ds_csv_record_fn on_record,
                void *ctx, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief ds_csv_read() with another field delimiter: ',' or '\t' (tab-separated
 *        text, quoted as CSV is). A line of nothing but spaces and tabs is blank
 *        either way.
 * @return as ds_csv_read(); DS_ERR_BAD_PARAM for another delimiter.
 */
int ds_csv_read_delim(const char *path, const char *text, size_t len, char delim,
                      ds_csv_record_fn on_record, void *ctx, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief The delimiter of a table file, read off its header (the first line
 *        that is not blank, after a byte-order mark; quoted text aside): '\t' if
 *        it holds tabs and no commas, else ','.
 *
 * A header separated by semicolons (as spreadsheets in many European locales
 * write "CSV"), or one that mixes commas, tabs and semicolons, is refused:
 * DS_ERR_PARSE naming the path and the header's line, and saying what to do.
 * Text without a header line gives ',' (the reader then says the file is empty).
 */
int ds_csv_header_delimiter(const char *path, const char *text, size_t len, char *delim,
                            ds_diag_t *diag) DS_WARN_UNUSED;

/** Most columns a CSV table's header may have. */
#define DS_CSV_MAX_COLUMNS 64

/** The role of a header column that is none of the caller's (keep_unknown). */
#define DS_CSV_UNKNOWN (-1)

/**
 * A CSV table whose header names its columns, in any order: scenario files
 * and rule tables. The caller lists the columns it knows; every one must be
 * in the header once, but the last n_optional, which may be absent. A column
 * of another name is refused, or with keep_unknown allowed, with the role
 * DS_CSV_UNKNOWN. Either way header names are non-empty, unique, at most
 * max_value bytes of UTF-8 text without control characters, and a name that
 * differs from a known one only in case, spaces, '-', '_' or '.' ("P_DLT",
 * "dose level") is refused with the name it should be.
 */
typedef struct {
    const char *path;
    const char *const *names; /**< [n_names] the columns, in the caller's order (its roles) */
    int n_names;
    int n_optional;    /**< the last n_optional names may be missing from the header */
    bool keep_unknown; /**< allow columns of other names (their cells are not looked at) */
    char delim;        /**< the file's delimiter, for messages: ',' (also when 0) or '\t' */
    size_t max_value;  /**< longest value (and column name) accepted, in bytes */
    int n_columns;     /**< of the header; 0 until it is read */
    int role[DS_CSV_MAX_COLUMNS]; /**< [n_columns] a name's index, or DS_CSV_UNKNOWN */
} ds_csv_table_t;

/** Read the header record; DS_ERR_PARSE naming the line (and column) if it is not the known set. */
int ds_csv_table_header(ds_csv_table_t *self, const ds_csv_record_t *rec,
                        ds_diag_t *diag) DS_WARN_UNUSED;

/** The header column (from 0) that holds role, or -1 if the header has none (an optional column).
 */
int ds_csv_table_column(const ds_csv_table_t *self, int role);

/**
 * @brief A data record's values by role (value[role] for role < n_names; NULL
 *        for an optional column the header lacks), refusing a record whose field
 *        count differs from the header's, a value longer than max_value, or one
 *        holding a control byte. Cells of unknown columns are not looked at.
 */
int ds_csv_table_row(const ds_csv_table_t *self, const ds_csv_record_t *rec, const char **value,
                     ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief A table's cell as a whole number in [lo, hi], refused with the file,
 *        line and column (role's name) when empty, not a whole number, or out
 *        of range (the range keeps the arithmetic safe; each reader's own
 *        checks say what the value must be).
 */
int ds_csv_table_int(const ds_csv_table_t *self, long line, int role, const char *text, int lo,
                     int hi, int *out, ds_diag_t *diag) DS_WARN_UNUSED;

/* ---- writing ---- */

/** A CSV row being written: cells are separated and quoted (by libcsv) as needed. */
typedef struct {
    FILE *file;
    bool at_start; /**< true before the row's first cell */
} ds_csv_row_t;

/** A text cell, quoted if it holds a comma, quote, line end or edge space. */
void ds_csv_text(ds_csv_row_t *row, const char *text);
/** A number cell, in the shortest form that reads back exactly. */
void ds_csv_double(ds_csv_row_t *row, double x);
/** A whole-number cell. */
void ds_csv_int(ds_csv_row_t *row, long long x);
/** An unsigned 64-bit cell (counts, seeds). */
void ds_csv_u64(ds_csv_row_t *row, uint64_t x);
/** An empty cell (a value that does not apply). */
void ds_csv_empty(ds_csv_row_t *row);
/**
 * Begin a cell whose text the caller writes into row->file itself: text that
 * needs no quotes (no comma, quote, line end or edge space).
 */
void ds_csv_cell_begin(ds_csv_row_t *row);
/** End the row (a newline); the next cell starts a new row. */
void ds_csv_end(ds_csv_row_t *row);

/** Column names (plain words: schema.h's), comma-separated, no line end. */
void ds_csv_names(FILE *file, const char *const *names, size_t n);
/** A header line: ds_csv_names and a newline. */
void ds_csv_header(FILE *file, const char *const *names, size_t n);

#endif

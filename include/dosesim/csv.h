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

/** Most columns a CSV table's header may have. */
#define DS_CSV_MAX_COLUMNS 64

/**
 * A CSV table whose header names its columns, in any order: scenario files
 * and rule tables. The caller lists the columns it knows; every one must be
 * in the header, once, and no other.
 */
typedef struct {
    const char *path;
    const char *const *names; /**< [n_names] the columns, in the caller's order (its roles) */
    int n_names;
    size_t max_value; /**< longest value accepted, in bytes */
    int n_columns;    /**< of the header; 0 until it is read */
    int role[DS_CSV_MAX_COLUMNS];
} ds_csv_table_t;

/** Read the header record; DS_ERR_PARSE naming the line (and column) if it is not the known set. */
int ds_csv_table_header(ds_csv_table_t *self, const ds_csv_record_t *rec,
                        ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief A data record's values by role (value[role] for role < n_names),
 *        refusing a record whose field count differs from the header's, a value
 *        longer than max_value, or one holding a control byte.
 */
int ds_csv_table_row(const ds_csv_table_t *self, const ds_csv_record_t *rec, const char **value,
                     ds_diag_t *diag) DS_WARN_UNUSED;

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

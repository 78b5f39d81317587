/**
 * @file text.h
 * @brief Numbers as text, and a content hash: the one place their formats live.
 */
#ifndef DOSESIM_TEXT_H
#define DOSESIM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dosesim/error.h"

/** Room for any double printed by ds_format_double(). */
#define DS_DOUBLE_CHARS 32

/** Shortest decimal form of x that reads back as x ("0" for zero; "nan"/"inf" as printf). */
void ds_format_double(double x, char buf[DS_DOUBLE_CHARS]);

/** Parse a whole string of decimal digits (no sign, no spaces) that fits 64 bits. */
bool ds_parse_u64(const char *text, uint64_t *out);

/** Parse a whole string as a finite double (strtod's forms; no trailing text). */
bool ds_parse_double(const char *text, double *out);

/**
 * @brief Whether text holds a control byte other than tab (or a DEL): never
 *        meant in a name or number, and a sign of a binary or mangled file.
 */
bool ds_has_control_byte(const char *text, size_t len);

/**
 * @brief 64-bit FNV-1a hash of bytes, continuing from h (start with DS_HASH_START).
 *
 * Identifies content (scenario files in partial results) and keys the exact
 * calculator's memo; it is not a cryptographic hash.
 */
uint64_t ds_hash64(const void *data, size_t len, uint64_t h);
#define DS_HASH_START UINT64_C(14695981039346656037)

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

/**
 * @brief Read a whole file (a regular file of at most max_bytes) into memory.
 * @return 0 with *text (malloc'ed, NUL-terminated) and *len; DS_ERR_IO or
 *         DS_ERR_PARSE (too large) with diag; DS_ERR_NOMEM.
 */
int ds_read_file(const char *path, long max_bytes, char **text, size_t *len,
                 ds_diag_t *diag) DS_WARN_UNUSED;

#endif

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

/**
 * @brief Read a whole file (a regular file of at most max_bytes) into memory.
 * @return 0 with *text (malloc'ed, NUL-terminated) and *len; DS_ERR_IO or
 *         DS_ERR_PARSE (too large) with diag; DS_ERR_NOMEM.
 */
int ds_read_file(const char *path, long max_bytes, char **text, size_t *len,
                 ds_diag_t *diag) DS_WARN_UNUSED;

#endif

/**
 * @file text.h
 * @brief Numbers as text, and a content hash: the one place their formats live.
 */
#ifndef DOSESIM_TEXT_H
#define DOSESIM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Room for any double printed by ds_format_double(). */
#define DS_DOUBLE_CHARS 32

/** Shortest decimal form of x that reads back as x ("0" for zero; "nan"/"inf" as printf),
 *  whole numbers below 10^15 written out (30, not 3e+01). */
void ds_format_double(double x, char buf[DS_DOUBLE_CHARS]);

/** Parse a whole string of decimal digits (no sign, no spaces) that fits 64 bits. */
bool ds_parse_u64(const char *text, uint64_t *out);

/**
 * Parse a whole string as a finite double (strtod's forms; no trailing text).
 * A number too small to hold, that would read as 0 ("1e-400"), is refused too:
 * ds_number_underflows() tells that case apart for messages.
 */
bool ds_parse_double(const char *text, double *out);

/** Whether text is a number too small to hold as a double: it would read as 0. */
bool ds_number_underflows(const char *text);

/**
 * @brief Whether text holds a control character other than tab: a C0 control
 *        or DEL, or a C1 control (U+0080..U+009F, written in UTF-8 as C2 80..C2 9F).
 *        Never meant in a name or number; a sign of a binary or mangled file,
 *        and what a terminal would act on if the text were printed.
 */
bool ds_has_control_byte(const char *text, size_t len);

/**
 * @brief Where text stops being well-formed UTF-8 (RFC 3629: no overlong forms,
 *        no surrogates, nothing past U+10FFFF): the offset of the first bad byte,
 *        or len if the whole text is well formed.
 */
size_t ds_utf8_invalid_at(const char *text, size_t len);

/**
 * @brief What is wrong with a text field read from outside (a name, a label, a
 *        path): NULL if nothing, else the reason in words ("contains a control
 *        character", "is not valid UTF-8 (byte 3)"), in buf.
 */
const char *ds_text_problem(const char *text, size_t len, char *buf, size_t size);

/** Room for a file name made by ds_safe_file_name(), its NUL included. */
#define DS_SAFE_NAME_CHARS 129

/**
 * @brief One path component made from outside text (a scenario's name, a
 *        file's stem), safe wherever it is put: bytes A-Z a-z 0-9 . _ - kept,
 *        any other byte '_', a leading '.' '_' (so never "." or ".." or hidden),
 *        at most DS_SAFE_NAME_CHARS - 1 bytes. When anything was changed or cut,
 *        "-" and 8 hexadecimal digits of a hash of the whole text follow, so
 *        that different texts give different names. Empty text gives fallback.
 */
void ds_safe_file_name(const char *text, const char *fallback, char buf[DS_SAFE_NAME_CHARS]);

/**
 * @brief 64-bit FNV-1a hash of bytes, continuing from h (start with DS_HASH_START).
 *
 * Identifies content (scenario files in partial results) and keys the exact
 * calculator's memo; it is not a cryptographic hash.
 */
uint64_t ds_hash64(const void *data, size_t len, uint64_t h);
#define DS_HASH_START UINT64_C(14695981039346656037)

#endif

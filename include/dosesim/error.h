/**
 * @file error.h
 * @brief Status codes and diagnostics shared by every dosesim module.
 *
 * Fallible library functions return 0 on success or one of the negative
 * DS_ERR_* codes below; they never print, exit or abort. Where a code alone
 * cannot say what went wrong (a bad field in a file, say), the function also
 * fills a ds_diag_t that names the file, line and field.
 */
#ifndef DOSESIM_ERROR_H
#define DOSESIM_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define DS_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define DS_WARN_UNUSED
#endif

/** Out of memory. */
#define DS_ERR_NOMEM (-1)
/** A file could not be opened, read, written or renamed (errno tells more). */
#define DS_ERR_IO (-2)
/** Malformed input: a file's syntax or a value out of range. */
#define DS_ERR_PARSE (-3)
/** A bad argument to a library function (a caller's bug or a bad option). */
#define DS_ERR_BAD_PARAM (-4)
/** More dose levels than DS_MAX_LEVELS. */
#define DS_ERR_TOO_MANY_LEVELS (-5)
/* -6 and -9 are retired (a missing scenario, a GSL error: neither is
 * returned; the library calls GSL only with arguments it has checked). */
/** Two tallies (or partial results) that cannot be merged. */
#define DS_ERR_INCOMPATIBLE (-7)
/** A counter would overflow. */
#define DS_ERR_OVERFLOW (-8)
/** An output name of a kind dosesim does not write (a link, a folder, a device where a file goes).
 */
#define DS_ERR_REFUSED (-10)
/** A thread could not be started (the system's limit on threads or memory). */
#define DS_ERR_THREAD (-11)
/** The run was asked to stop (ds_control_request_stop, control.h). */
#define DS_ERR_INTERRUPTED (-12)

/**
 * @brief Human-readable text for a DS_ERR_* code.
 * @return a static string; never NULL.
 */
const char *ds_strerror(int err);

/** Longest path and message a diagnostic keeps (longer ones are cut). */
#define DS_DIAG_PATH_MAX 512
#define DS_DIAG_MSG_MAX 512

/**
 * @brief Where and why an input was refused.
 *
 * line is 1-based (0 when no line applies); field is the column or option
 * name ("" when none applies).
 */
typedef struct {
    char path[DS_DIAG_PATH_MAX];
    long line;
    char field[64];
    char message[DS_DIAG_MSG_MAX];
} ds_diag_t;

/** Empty a diagnostic. */
void ds_diag_clear(ds_diag_t *diag);

/**
 * @brief Fill a diagnostic, printf-style message; diag may be NULL.
 * @return err, so that `return ds_diag_set(...)` reads naturally.
 */
int ds_diag_set(ds_diag_t *diag, int err, const char *path, long line, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/**
 * @brief Render a diagnostic as "path:line: field 'f': message" into buf.
 *
 * Parts that are empty are left out.
 */
void ds_diag_format(const ds_diag_t *diag, char *buf, size_t size);

#endif

/* Status codes and diagnostics: the one place where errors get their words. */
#include "dosesim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ds_strerror(int err)
{
    switch (err) {
    case 0:
        return "success";
    case DS_ERR_NOMEM:
        return "out of memory";
    case DS_ERR_IO:
        return "input/output error";
    case DS_ERR_PARSE:
        return "malformed input";
    case DS_ERR_BAD_PARAM:
        return "bad parameter";
    case DS_ERR_TOO_MANY_LEVELS:
        return "too many dose levels";
    case DS_ERR_INCOMPATIBLE:
        return "incompatible results";
    case DS_ERR_OVERFLOW:
        return "counter overflow";
    case DS_ERR_REFUSED:
        return "output refused: not a file dosesim may write";
    case DS_ERR_THREAD:
        return "cannot start a thread (the system's limit on threads or memory was reached)";
    case DS_ERR_INTERRUPTED:
        return "interrupted";
    default:
        return "unknown error";
    }
}

void ds_diag_clear(ds_diag_t *diag)
{
    if (diag != NULL) {
        memset(diag, 0, sizeof(*diag));
    }
}

int ds_diag_set(ds_diag_t *diag, int err, const char *path, long line, const char *field,
                const char *fmt, ...)
{
    if (diag == NULL) {
        return err;
    }
    snprintf(diag->path, sizeof(diag->path), "%s", path != NULL ? path : "");
    diag->line = line;
    snprintf(diag->field, sizeof(diag->field), "%s", field != NULL ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
    va_end(ap);
    return err;
}

void ds_diag_format(const ds_diag_t *diag, char *buf, size_t size)
{
    char where[DS_DIAG_PATH_MAX + 32] = "";
    if (diag->path[0] != '\0' && diag->line > 0) {
        snprintf(where, sizeof(where), "%s:%ld: ", diag->path, diag->line);
    } else if (diag->path[0] != '\0') {
        snprintf(where, sizeof(where), "%s: ", diag->path);
    }
    if (diag->field[0] != '\0') {
        snprintf(buf, size, "%sfield '%s': %s", where, diag->field, diag->message);
    } else {
        snprintf(buf, size, "%s%s", where, diag->message);
    }
}

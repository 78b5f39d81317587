/* The R package's glue: R objects in, R objects out, and nothing else. A
 * command runs as the program runs it (cli_run_command: the one option parser,
 * the same checks, the library's computations and writers), on a thread of
 * its own, so that this thread can watch for R's interrupt and ask the run to
 * stop (control.h) while it waits; what the command prints and says is
 * captured, never written to the console. Result files are read back with the
 * library's CSV reader, each column typed as the result contract says. */
#define R_NO_REMAP
#include <R.h>
#include <R_ext/Rdynload.h>
#include <Rinternals.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "cmd.h"

/* ---- a command on its own thread ---- */

typedef struct {
    int argc;
    char **argv;
    int status;
    atomic_bool done;
} job_t;

static void *run_job(void *arg)
{
    job_t *job = arg;
    const cli_command_t *command = cli_find_command(job->argv[0]);
    const cli_cluster_t cluster = {.rank = 0, .size = 1};
    if (command == NULL) {
        cli_error("R", "no command '%s'", job->argv[0]);
        job->status = EXIT_BAD_INPUT;
    } else {
        job->status = cli_run_command(command, job->argc, job->argv, &cluster);
    }
    if (job->status != 0) {
        cli_guard_undo(); /* what a failed run made: nothing of it stays (as main() does) */
    } else {
        cli_guard_forget();
    }
    atomic_store(&job->done, true);
    return NULL;
}

static void check_interrupt(void *unused)
{
    (void)unused;
    R_CheckUserInterrupt();
}

/* A text captured in a memory stream, as an R string (NULL stream: ""). */
static SEXP captured(FILE *stream, char **text, size_t *len)
{
    if (stream == NULL || fclose(stream) != 0 || *text == NULL) {
        free(*text);
        return Rf_mkString("");
    }
    SEXP out = PROTECT(Rf_allocVector(STRSXP, 1));
    SET_STRING_ELT(out, 0, Rf_mkCharLenCE(*text, (int)*len, CE_UTF8));
    free(*text);
    UNPROTECT(1);
    return out;
}

/* dosesim_call(argv, progress): run argv (the command's name first) and return
 * list(status, output, messages, interrupted). */
static SEXP dosesim_call(SEXP argv, SEXP progress)
{
    if (!Rf_isString(argv) || XLENGTH(argv) < 1 || XLENGTH(argv) > 4096) {
        Rf_error("dosesim: internal: the command line must be 1 to 4096 strings");
    }
    /* R_CheckUserInterrupt may run R's event handlers, which could call us
     * again while a command runs: the streams and the run control are one set */
    static bool busy = false;
    if (busy) {
        Rf_error("dosesim: a dosesim command is already running in this R session");
    }
    const int argc = (int)XLENGTH(argv);
    const bool show_progress = Rf_asLogical(progress) == TRUE;
    job_t job = {.argc = argc, .status = EXIT_RUN_FAILED};
    atomic_init(&job.done, false);
    /* R_alloc: freed by R whatever happens, an error included */
    job.argv = (char **)R_alloc((size_t)argc + 1, sizeof(char *));
    for (int i = 0; i < argc; i++) {
        job.argv[i] = (char *)Rf_translateCharUTF8(STRING_ELT(argv, i));
    }
    job.argv[argc] = NULL;

    char *out_text = NULL, *msg_text = NULL;
    size_t out_len = 0, msg_len = 0;
    FILE *out = open_memstream(&out_text, &out_len);
    FILE *msg = open_memstream(&msg_text, &msg_len);
    if (out == NULL || msg == NULL) {
        if (out != NULL) {
            fclose(out);
        }
        if (msg != NULL) {
            fclose(msg);
        }
        free(out_text);
        free(msg_text);
        Rf_error("dosesim: out of memory");
    }
    cli_set_output(out);
    cli_set_messages(msg);
    ds_control_reset();
    busy = true;

    /* The run's thread takes no signal: R's interrupt goes to this one. */
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &before);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)64 << 20); /* the program's stack, and more */
    pthread_t thread;
    const int started = pthread_create(&thread, &attr, run_job, &job);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &before, NULL);

    bool interrupted = false;
    if (started == 0) {
        double shown_at = 0.0;
        struct timespec now;
        for (int tick = 0; !atomic_load(&job.done); tick++) {
            const struct timespec pause = {0, 20 * 1000 * 1000};
            nanosleep(&pause, NULL);
            if (!interrupted && !R_ToplevelExec(check_interrupt, NULL)) {
                interrupted = true; /* R saw Ctrl-C: the run stops at its next block */
                ds_control_request_stop();
            }
            clock_gettime(CLOCK_MONOTONIC, &now);
            const double t = (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
            if (show_progress && !interrupted && tick > 0 && t - shown_at >= 0.5) {
                REprintf("\rdosesim %s: %.0f trials simulated", job.argv[0],
                         (double)ds_control_trials_done());
                shown_at = t;
            }
        }
        pthread_join(thread, NULL);
        if (show_progress && shown_at > 0.0) {
            REprintf("\rdosesim %s: %.0f trials simulated\n", job.argv[0],
                     (double)ds_control_trials_done());
        }
    } else {
        cli_error(job.argv[0], "cannot start a thread: %s", strerror(started));
    }
    cli_set_output(NULL);
    cli_set_messages(NULL);
    ds_control_reset();
    busy = false;

    SEXP result = PROTECT(Rf_allocVector(VECSXP, 4));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, 4));
    SET_VECTOR_ELT(result, 0, Rf_ScalarInteger(started == 0 ? job.status : EXIT_RUN_FAILED));
    SET_VECTOR_ELT(result, 1, captured(out, &out_text, &out_len));
    SET_VECTOR_ELT(result, 2, captured(msg, &msg_text, &msg_len));
    SET_VECTOR_ELT(result, 3, Rf_ScalarLogical(interrupted));
    static const char *const fields[] = {"status", "output", "messages", "interrupted"};
    for (int i = 0; i < 4; i++) {
        SET_STRING_ELT(names, i, Rf_mkChar(fields[i]));
    }
    Rf_setAttrib(result, R_NamesSymbol, names);
    UNPROTECT(2);
    return result;
}

/* ---- result CSVs as data frames ---- */

/* A table read whole: its header, then its cells row by row. */
typedef struct {
    int n_columns;
    char **header;
    char **cells; /* [n_rows * n_columns] */
    size_t n_rows, room;
    char message[256];
} table_t;

static void table_free(table_t *t)
{
    for (int j = 0; t->header != NULL && j < t->n_columns; j++) {
        free(t->header[j]);
    }
    free(t->header);
    for (size_t k = 0; t->cells != NULL && k < t->n_rows * (size_t)t->n_columns; k++) {
        free(t->cells[k]);
    }
    free(t->cells);
}

static char *copy_text(const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

static int take_record(void *ctx, const ds_csv_record_t *rec)
{
    table_t *t = ctx;
    if (t->header == NULL) {
        t->header = calloc((size_t)rec->n_fields, sizeof(char *));
        if (t->header == NULL) {
            return DS_ERR_NOMEM;
        }
        t->n_columns = rec->n_fields;
        for (int j = 0; j < rec->n_fields; j++) {
            if ((t->header[j] = copy_text(rec->fields[j], rec->lengths[j])) == NULL) {
                return DS_ERR_NOMEM;
            }
        }
        return 0;
    }
    if (rec->n_fields != t->n_columns) {
        snprintf(t->message, sizeof(t->message), "line %ld has %d cells, the header %d", rec->line,
                 rec->n_fields, t->n_columns);
        return DS_ERR_PARSE;
    }
    if (t->n_rows == t->room) {
        size_t room = t->room == 0 ? 64 : 2 * t->room;
        char **grown = realloc(t->cells, room * (size_t)t->n_columns * sizeof(char *));
        if (grown == NULL) {
            return DS_ERR_NOMEM;
        }
        t->cells = grown;
        t->room = room;
    }
    char **row = t->cells + t->n_rows * (size_t)t->n_columns;
    for (int j = 0; j < t->n_columns; j++) {
        row[j] = NULL;
    }
    t->n_rows++; /* counted before its cells, so that table_free frees them all */
    for (int j = 0; j < t->n_columns; j++) {
        if ((row[j] = copy_text(rec->fields[j], rec->lengths[j])) == NULL) {
            return DS_ERR_NOMEM;
        }
    }
    return 0;
}

/* The contract's type of a column (a per-level column by its stem), or -1 for
 * a column the contract does not name (a decision table's, say). */
static int contract_type(const char *name)
{
    const ds_column_t *column = ds_schema_column(name, true);
    return column != NULL ? (int)column->type : -1;
}

/* A whole number that R holds as an integer. */
static bool as_int(const char *text, int *out)
{
    const bool negative = text[0] == '-';
    uint64_t v = 0;
    if (!ds_parse_u64(text + negative, &v) || v > (uint64_t)INT_MAX) {
        return false;
    }
    *out = negative ? -(int)v : (int)v;
    return true;
}

/* One column as an R vector: integers where every cell is a whole number R
 * holds as one, numbers (read correctly rounded: the shortest text the
 * library writes reads back as the very double), else text; empty cells NA. */
static SEXP column_vector(const table_t *t, int j)
{
    const size_t n = t->n_rows;
    const int type = contract_type(t->header[j]);
    bool all_int = type == DS_TYPE_INTEGER || type < 0;
    bool all_num = type == DS_TYPE_INTEGER || type == DS_TYPE_NUMBER ||
                   type == DS_TYPE_PROBABILITY || type < 0;
    for (size_t i = 0; i < n && (all_int || all_num); i++) {
        const char *cell = t->cells[i * (size_t)t->n_columns + (size_t)j];
        int k = 0;
        double x = 0.0;
        if (cell[0] == '\0') {
            continue;
        }
        all_int = all_int && as_int(cell, &k);
        all_num = all_num && ds_parse_double(cell, &x);
    }
    SEXP v;
    if (all_int && type != DS_TYPE_NUMBER && type != DS_TYPE_PROBABILITY) {
        v = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)n));
        for (size_t i = 0; i < n; i++) {
            const char *cell = t->cells[i * (size_t)t->n_columns + (size_t)j];
            int k = NA_INTEGER;
            INTEGER(v)[i] = cell[0] != '\0' && as_int(cell, &k) ? k : NA_INTEGER;
        }
    } else if (all_num) {
        v = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n));
        for (size_t i = 0; i < n; i++) {
            const char *cell = t->cells[i * (size_t)t->n_columns + (size_t)j];
            double x = NA_REAL;
            REAL(v)[i] = cell[0] != '\0' && ds_parse_double(cell, &x) ? x : NA_REAL;
        }
    } else {
        v = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
        for (size_t i = 0; i < n; i++) {
            const char *cell = t->cells[i * (size_t)t->n_columns + (size_t)j];
            SET_STRING_ELT(v, (R_xlen_t)i,
                           cell[0] == '\0' ? NA_STRING : Rf_mkCharCE(cell, CE_UTF8));
        }
    }
    UNPROTECT(1);
    return v;
}

/* dosesim_read_csv(source, is_text): a file dosesim wrote (or CSV text) as a
 * list of columns, named by the header. */
static SEXP dosesim_read_csv(SEXP source, SEXP is_text)
{
    if (!Rf_isString(source) || XLENGTH(source) != 1) {
        Rf_error("dosesim: internal: one path or text");
    }
    const char *what = Rf_translateCharUTF8(STRING_ELT(source, 0));
    const bool text_given = Rf_asLogical(is_text) == TRUE;
    char *text = NULL;
    size_t len = 0;
    ds_diag_t diag;
    ds_diag_clear(&diag);
    if (text_given) {
        len = strlen(what);
    } else if (ds_read_file(what, LONG_MAX, 0, &text, &len, &diag) != 0) {
        char message[DS_DIAG_PATH_MAX + DS_DIAG_MSG_MAX + 64];
        ds_diag_format(&diag, message, sizeof(message));
        Rf_error("dosesim: %s", message);
    }
    table_t t;
    memset(&t, 0, sizeof(t));
    int ret = ds_csv_read(text_given ? "output" : what, text_given ? what : text, len, take_record,
                          &t, &diag);
    free(text);
    if (ret != 0) {
        char message[DS_DIAG_PATH_MAX + DS_DIAG_MSG_MAX + 320];
        if (t.message[0] != '\0') {
            snprintf(message, sizeof(message), "%s: %s", text_given ? "output" : what, t.message);
        } else {
            ds_diag_format(&diag, message, sizeof(message));
        }
        table_free(&t);
        Rf_error("dosesim: %s", message[0] != '\0' ? message : ds_strerror(ret));
    }
    SEXP columns = PROTECT(Rf_allocVector(VECSXP, t.n_columns));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, t.n_columns));
    for (int j = 0; j < t.n_columns; j++) {
        SET_VECTOR_ELT(columns, j, column_vector(&t, j));
        SET_STRING_ELT(names, j, Rf_mkCharCE(t.header[j], CE_UTF8));
    }
    Rf_setAttrib(columns, R_NamesSymbol, names);
    table_free(&t);
    UNPROTECT(2);
    return columns;
}

/* dosesim_format(x): doubles as the library writes them (the shortest text
 * that reads back as the same double); NA as "". */
static SEXP dosesim_format(SEXP x)
{
    if (!Rf_isReal(x)) {
        Rf_error("dosesim: internal: numbers expected");
    }
    const R_xlen_t n = XLENGTH(x);
    SEXP out = PROTECT(Rf_allocVector(STRSXP, n));
    for (R_xlen_t i = 0; i < n; i++) {
        char buf[DS_DOUBLE_CHARS];
        const double v = REAL(x)[i];
        if (ISNAN(v) || !R_FINITE(v)) {
            SET_STRING_ELT(out, i, Rf_mkChar(""));
            continue;
        }
        ds_format_double(v, buf);
        SET_STRING_ELT(out, i, Rf_mkChar(buf));
    }
    UNPROTECT(1);
    return out;
}

/* dosesim_integer_columns(names): whether each name is a column the contract
 * types as an integer (a per-level one by its stem): the R writer writes those
 * in full, as the library does (1e15 is 1000000000000000, not 1e+15). */
static SEXP dosesim_integer_columns(SEXP names)
{
    if (!Rf_isString(names)) {
        Rf_error("dosesim: internal: names expected");
    }
    const R_xlen_t n = XLENGTH(names);
    SEXP out = PROTECT(Rf_allocVector(LGLSXP, n));
    for (R_xlen_t i = 0; i < n; i++) {
        LOGICAL(out)
        [i] = contract_type(Rf_translateCharUTF8(STRING_ELT(names, i))) == DS_TYPE_INTEGER;
    }
    UNPROTECT(1);
    return out;
}

static const R_CallMethodDef call_methods[] = {
    {"dosesim_call", (DL_FUNC)&dosesim_call, 2},
    {"dosesim_read_csv", (DL_FUNC)&dosesim_read_csv, 2},
    {"dosesim_format", (DL_FUNC)&dosesim_format, 1},
    {"dosesim_integer_columns", (DL_FUNC)&dosesim_integer_columns, 1},
    {NULL, NULL, 0},
};

void R_init_dosesim(DllInfo *dll);

void R_init_dosesim(DllInfo *dll)
{
    /* GSL's default handler aborts, which would end the R session (the
     * library never reaches it; this is the program's second line of defence). */
    gsl_set_error_handler_off();
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
}

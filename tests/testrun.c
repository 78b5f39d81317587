/* Running the program under test, and reading the CSVs it wrote (tests/testrun.h). */
#define _GNU_SOURCE /* realpath, setgroups */
#include "testrun.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dosesim/csv.h"
#include "testlib.h"

extern char **environ;

const char *program(void)
{
    const char *p = getenv("DOSESIM");
    return p != NULL && p[0] ? p : "bin/dosesim";
}

/* Run program (found on PATH if it has no slash) with args (NULL-ended), the
 * extra environment entries env ("NAME=VALUE", NULL-ended; may be NULL), in
 * folder cwd (NULL: here), capturing its output. */
void run_program(const char *prog, const char *const *args, const char *const *env, const char *cwd,
                 run_t *r)
{
    run_limited(prog, args, env, cwd, NULL, r);
}

void run_limited(const char *prog, const char *const *args, const char *const *env, const char *cwd,
                 const limits_t *limits, run_t *r)
{
    char *scratch = test_temp_dir();
    char out_path[4200], err_path[4200], resolved[4096];
    const char *argv[64];
    char *envp[256];
    int argc = 0, envc = 0;
    memset(r, 0, sizeof(*r));
    r->status = -1;
    if (scratch == NULL) {
        return;
    }
    /* A relative path is relative to here, so resolve it before changing folder. */
    if (strchr(prog, '/') != NULL && realpath(prog, resolved) != NULL) {
        prog = resolved;
    }
    snprintf(out_path, sizeof(out_path), "%s/stdout", scratch);
    snprintf(err_path, sizeof(err_path), "%s/stderr", scratch);
    argv[argc++] = prog;
    for (int i = 0; args[i] != NULL && argc < 63; i++) {
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;
    for (int i = 0; env != NULL && env[i] != NULL && envc < 128; i++) {
        envp[envc++] = (char *)env[i];
    }
    for (int i = 0; environ[i] != NULL && envc < 255; i++) {
        bool overridden = false;
        for (int k = 0; env != NULL && env[k] != NULL; k++) {
            size_t name = strcspn(env[k], "=") + 1;
            overridden |= strncmp(environ[i], env[k], name) == 0;
        }
        if (!overridden) {
            envp[envc++] = environ[i];
        }
    }
    envp[envc] = NULL;
    fflush(NULL);
    int gate[2] = {-1, -1};
    if (limits != NULL && limits->before_exec != NULL && pipe(gate) != 0) {
        return;
    }
    /* Opened here, not in the child: a child in the background must not lose
     * them to the clean-up of the scratch folder below. */
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_t pid = fork();
    if (pid == 0) {
        if (gate[0] >= 0) {
            char go;
            close(gate[1]);
            if (read(gate[0], &go, 1) != 1) {
                _exit(127);
            }
            close(gate[0]);
        }
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 ||
            (cwd != NULL && chdir(cwd) != 0)) {
            _exit(127);
        }
        if (limits != NULL && limits->file_size_limit > 0) {
            struct rlimit limit = {(rlim_t)limits->file_size_limit,
                                   (rlim_t)limits->file_size_limit};
            if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
                _exit(127);
            }
        }
        if (limits != NULL && limits->max_processes > 0) {
            struct rlimit limit = {(rlim_t)limits->max_processes, (rlim_t)limits->max_processes};
            if (setrlimit(RLIMIT_NPROC, &limit) != 0) {
                _exit(127);
            }
        }
        alarm(TEST_PROGRAM_SECONDS); /* kept across exec */
        if (limits != NULL && limits->as_nobody && geteuid() == 0 &&
            (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
            _exit(127);
        }
        environ = envp;
        execvp(prog, (char *const *)argv);
        _exit(127);
    }
    if (out >= 0) {
        close(out);
    }
    if (err >= 0) {
        close(err);
    }
    if (gate[0] >= 0) {
        close(gate[0]);
        if (pid > 0) {
            limits->before_exec(pid, limits->ctx); /* the child waits for this */
        }
        if (write(gate[1], "g", 1) != 1) {
            close(gate[1]);
            return;
        }
        close(gate[1]);
    }
    if (limits != NULL && limits->background != NULL) {
        *limits->background = pid;
        test_remove_dir(scratch); /* the child keeps its open files */
        r->out = calloc(1, 1);
        r->err = calloc(1, 1);
        return;
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
        r->status = WEXITSTATUS(status);
    }
    r->out = test_read_file(out_path, NULL);
    r->err = test_read_file(err_path, NULL);
    if (r->out == NULL) {
        r->out = calloc(1, 1);
    }
    if (r->err == NULL) {
        r->err = calloc(1, 1);
    }
    test_remove_dir(scratch);
}

void run_in(const char *cwd, const char *const *args, run_t *r)
{
    run_program(program(), args, NULL, cwd, r);
}

void run(const char *const *args, run_t *r)
{
    run_in(NULL, args, r);
}

void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *x = test_read_file(a, &la);
    char *y = test_read_file(b, &lb);
    bool same = x != NULL && y != NULL && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in a folder (dot files included), one per line, sorted; NULL if it
 * cannot be read. */
char *list_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return NULL;
    }
    char **entries = NULL;
    size_t n = 0, len = 0;
    bool failed = false;
    struct dirent *e;
    while (!failed && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char **grown = realloc(entries, (n + 1) * sizeof(*entries));
        char *copy = strdup(e->d_name);
        failed = grown == NULL || copy == NULL;
        entries = grown != NULL ? grown : entries;
        if (!failed) {
            entries[n++] = copy;
            len += strlen(copy) + 1;
        } else {
            free(copy);
        }
    }
    closedir(d);
    if (n > 0) { /* an empty folder: entries is NULL, which qsort may not be given */
        qsort(entries, n, sizeof(*entries), by_name);
    }
    char *names = failed ? NULL : malloc(len + 1);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (names != NULL) {
            at += (size_t)sprintf(names + at, "%s\n", entries[i]);
        }
        free(entries[i]);
    }
    free(entries);
    if (names != NULL) {
        names[at] = '\0';
    }
    return names;
}

/* Whether a folder holds nothing (dot files included). */
bool folder_is_empty(const char *dir)
{
    char *names = list_folder(dir);
    bool empty = names != NULL && names[0] == '\0';
    if (!empty && names != NULL) {
        fprintf(stderr, "    %s holds:\n%s", dir, names);
    }
    free(names);
    return empty;
}

/* Whether process pid is writing a file in dir that has no name there yet (an
 * O_TMPFILE file: /proc shows it as "DIR/#INODE (deleted)"), or one of
 * dosesim's named temporary files (where the file system has no O_TMPFILE). */
bool writes_into(pid_t pid, const char *dir)
{
    char fds[64], link_path[4200], target[4200];
    snprintf(fds, sizeof(fds), "/proc/%ld/fd", (long)pid);
    DIR *d = opendir(fds);
    bool found = false;
    struct dirent *e;
    while (d != NULL && !found && (e = readdir(d)) != NULL) {
        snprintf(link_path, sizeof(link_path), "%s/%s", fds, e->d_name);
        ssize_t n = readlink(link_path, target, sizeof(target) - 1);
        if (n <= 0) {
            continue;
        }
        target[n] = '\0';
        size_t len = strlen(dir);
        found = strncmp(target, dir, len) == 0 && target[len] == '/' &&
                (strncmp(target + len + 1, "#", 1) == 0 ||
                 strncmp(target + len + 1, ".dosesim-", 9) == 0);
    }
    if (d != NULL) {
        closedir(d);
    }
    return found;
}

bool have_gnuplot(void)
{
    run_t r;
    run_program("sh", (const char *[]){"-c", "command -v gnuplot", NULL}, NULL, NULL, &r);
    bool found = r.status == 0;
    run_free(&r);
    if (!found) {
        test_skip("gnuplot is not installed (make deps installs it)");
    }
    return found;
}

void test_host_name(char *buf)
{
    if (gethostname(buf, 64) != 0) {
        snprintf(buf, 65, "host");
    }
    buf[64] = '\0';
    for (char *c = buf; *c != '\0'; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
        *c = ok ? *c : '-';
    }
}

char *program_copy_in(const char *dir)
{
    char prog[PATH_MAX], command[2 * PATH_MAX + 64];
    char *copy = malloc(strlen(dir) + sizeof("/dosesim"));
    if (copy == NULL || realpath(program(), prog) == NULL || chmod(dir, 0755) != 0) {
        free(copy);
        return NULL;
    }
    sprintf(copy, "%s/dosesim", dir);
    snprintf(command, sizeof(command), "cp '%s' '%s' && chmod 755 '%s'", prog, copy, copy);
    run_t r;
    run_program("sh", (const char *[]){"-c", command, NULL}, NULL, NULL, &r);
    bool ok = r.status == 0;
    run_free(&r);
    if (!ok) {
        free(copy);
        return NULL;
    }
    return copy;
}

pid_t copy_fifo(const char *fifo, const char *copy)
{
    pid_t reader = fork();
    if (reader == 0) {
        char command[9000];
        snprintf(command, sizeof(command), "timeout 20 cat '%s' > '%s'", fifo, copy);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    return reader;
}

/* ---- a CSV by its columns' names ---- */

static int table_take_record(void *ctx, const ds_csv_record_t *rec)
{
    table_t *t = ctx;
    if (t->header != NULL && rec->n_fields != t->n_cols) {
        return DS_ERR_PARSE; /* rows of one length, as dosesim writes them */
    }
    char **cells = calloc((size_t)rec->n_fields + 1u, sizeof(*cells));
    if (cells == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int i = 0; i < rec->n_fields; i++) {
        cells[i] = rec->fields[i]; /* taken over: the reader lets its callback keep them */
        rec->fields[i] = NULL;
    }
    if (t->header == NULL) {
        t->header = cells;
        t->n_cols = rec->n_fields;
        return 0;
    }
    if (t->n_rows == t->cap) {
        int cap = t->cap == 0 ? 64 : 2 * t->cap;
        char ***grown = realloc(t->rows, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            for (int i = 0; i < rec->n_fields; i++) {
                free(cells[i]);
            }
            free(cells);
            return DS_ERR_NOMEM;
        }
        t->rows = grown;
        t->cap = cap;
    }
    t->rows[t->n_rows++] = cells;
    return 0;
}

void table_free(table_t *t)
{
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            free(t->rows[r][c]);
        }
        free(t->rows[r]);
    }
    for (int c = 0; t->header != NULL && c < t->n_cols; c++) {
        free(t->header[c]);
    }
    free(t->header);
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

static bool table_parse_len(table_t *t, const char *text, size_t len)
{
    memset(t, 0, sizeof(*t));
    ds_diag_t diag;
    ds_diag_clear(&diag);
    if (text == NULL || ds_csv_read("csv", text, len, table_take_record, t, &diag) != 0 ||
        t->header == NULL) {
        table_free(t);
        return false;
    }
    return true;
}

bool table_parse(table_t *t, const char *text)
{
    return table_parse_len(t, text, text != NULL ? strlen(text) : 0);
}

bool table_load(table_t *t, const char *path)
{
    size_t len = 0;
    char *text = test_read_file(path, &len);
    bool ok = table_parse_len(t, text, len);
    free(text);
    return ok;
}

int table_col(const table_t *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (strcmp(t->header[c], name) == 0) {
            return c;
        }
    }
    return -1;
}

const char *table_cell(const table_t *t, int row, const char *name)
{
    int c = table_col(t, name);
    return c >= 0 && row >= 0 && row < t->n_rows ? t->rows[row][c] : NULL;
}

double table_number(const table_t *t, int row, const char *name)
{
    const char *cell = table_cell(t, row, name);
    char *end = NULL;
    double x = cell != NULL && cell[0] != '\0' ? strtod(cell, &end) : NAN;
    return end != NULL && *end == '\0' ? x : NAN;
}

/* Whether data row `row` has the cells of the (name, value) pairs of args. */
static bool table_row_matches(const table_t *t, int row, va_list args)
{
    bool match = true;
    for (const char *name = va_arg(args, const char *); name != NULL;
         name = va_arg(args, const char *)) {
        const char *value = va_arg(args, const char *);
        const char *cell = table_cell(t, row, name);
        match = match && cell != NULL && value != NULL && strcmp(cell, value) == 0;
    }
    return match;
}

int table_find(const table_t *t, int from, ...)
{
    for (int row = from < 0 ? 0 : from; row < t->n_rows; row++) {
        va_list args;
        va_start(args, from);
        bool match = table_row_matches(t, row, args);
        va_end(args);
        if (match) {
            return row;
        }
    }
    return -1;
}

int table_count(const table_t *t, ...)
{
    int n = 0;
    for (int row = 0; row < t->n_rows; row++) {
        va_list args;
        va_start(args, t);
        n += table_row_matches(t, row, args);
        va_end(args);
    }
    return n;
}

/* Running the program under test ($DOSESIM, default bin/dosesim) and looking
 * at what it left (files, folders, CSV cells by column name): for the tests of
 * the program (test_cli.c, test_safety.c). */
#ifndef DOSESIM_TESTRUN_H
#define DOSESIM_TESTRUN_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out;
    char *err;
} run_t;

/* How a child runs: as user nobody (for permission tests, since root ignores
 * them), with a file-size limit (a full disk, seen as EFBIG), in the background,
 * or held before it starts the program while the test prepares (before_exec is
 * given the child's pid: to plant files with names a process of that pid would use). */
typedef struct {
    bool as_nobody;
    long file_size_limit; /* bytes; 0 for none */
    pid_t *background;    /* if not NULL: start, store the pid here, do not wait */
    void (*before_exec)(pid_t pid, void *ctx);
    void *ctx;
    long max_processes; /* RLIMIT_NPROC (with as_nobody: root ignores it); 0 for none */
} limits_t;

/* Every program a test starts is ended by SIGALRM after this long: a regression
 * that hangs (a loop on a crafted file, a FIFO never opened) fails, not stalls. */
#define TEST_PROGRAM_SECONDS 300

/* The program under test. */
const char *program(void);

/* Run prog (found on PATH if it has no slash) with args (NULL-ended), the extra
 * environment entries env ("NAME=VALUE", NULL-ended; may be NULL), in folder cwd
 * (NULL: here), capturing its output; under limits (may be NULL). */
void run_program(const char *prog, const char *const *args, const char *const *env, const char *cwd,
                 run_t *r);
void run_limited(const char *prog, const char *const *args, const char *const *env, const char *cwd,
                 const limits_t *limits, run_t *r);

/* The program under test, in folder cwd, or here. */
void run_in(const char *cwd, const char *const *args, run_t *r);
void run(const char *const *args, run_t *r);
void run_free(run_t *r);

bool exists(const char *path);
/* Whether two files hold the same bytes. */
bool same_file(const char *a, const char *b);
/* Names in a folder (dot files included), one per line; NULL if it cannot be read. */
char *list_folder(const char *dir);
/* Whether a folder holds nothing (dot files included); prints what it holds if not. */
bool folder_is_empty(const char *dir);
/* Whether process pid is writing a file in dir that has no name there yet (an
 * O_TMPFILE file), or one of dosesim's named temporary files. */
bool writes_into(pid_t pid, const char *dir);

/* A copy of the program in dir (made reachable: mode 0755), for running it as
 * user nobody, who may not reach the checkout (a clone in a 0700 folder).
 * Malloc'ed path, or NULL. */
char *program_copy_in(const char *dir);

/* A process that copies what comes through the FIFO into the file copy (and
 * gives up after 20 s, should no writer ever open it). Its pid. */
pid_t copy_fifo(const char *fifo, const char *copy);

/* Whether gnuplot is installed; if not, the running test is marked skipped. */
bool have_gnuplot(void);

/* This host's name as dosesim's named temporary files carry it (letters,
 * digits and '-'), in buf[65]. */
void test_host_name(char *buf);

/* ---- a CSV by its columns' names ---- */

/* A CSV file or text read whole with the library's reader (quoted cells are
 * one cell), for finding a cell by its column's name, not its place. (table_,
 * not csv_: libcsv's functions are csv_parse, csv_free, ...) */
typedef struct {
    int n_cols;
    int n_rows; /* data rows, the header not counted */
    int cap;
    char **header; /* [n_cols] */
    char ***rows;  /* [n_rows][n_cols] */
} table_t;

/* Read a CSV whose every row is as long as its header; false (t then holds
 * nothing) if the file is missing or is not such a CSV. */
bool table_load(table_t *t, const char *path);
bool table_parse(table_t *t, const char *text);
void table_free(table_t *t);
/* The column named name, from 0, or -1. */
int table_col(const table_t *t, const char *name);
/* The cell of data row `row` (from 0) in the column named name; NULL if either is not there. */
const char *table_cell(const table_t *t, int row, const char *name);
/* That cell as a number; NAN if it is not there or empty. */
double table_number(const table_t *t, int row, const char *name);
/* The first data row from `from` whose cells equal the values given, in
 * pairs of column name and value ended by NULL: table_find(t, 0, "scenario",
 * "toxic", "dose_level", "2", NULL); -1 if none. */
int table_find(const table_t *t, int from, ...) __attribute__((sentinel));
/* How many data rows have these cells (pairs as table_find). */
int table_count(const table_t *t, ...) __attribute__((sentinel));

#endif

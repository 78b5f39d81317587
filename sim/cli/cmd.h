/* The program's private declarations: exit codes, the option codes and what
 * a command line can say, the table of subcommands, then each file's
 * functions under the name of the file that defines them (figure.h and
 * gnuplot.h have headers of their own). Only the program prints or exits. */
#ifndef DOSESIM_CMD_H
#define DOSESIM_CMD_H

#include <signal.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dosesim/dosesim.h"

#define EXIT_BAD_INPUT 2  /* bad options or input files */
#define EXIT_RUN_FAILED 1 /* the run itself failed (a write error, say) */

/* Paths the program keeps: at most CLI_PATH_MAX bytes where one is kept whole
 * (the guard's names, the check's components), and CLI_PATH_CHARS of room
 * where a folder and a file name in it are put together (a longer one is cut). */
#define CLI_PATH_MAX 4096
#define CLI_PATH_CHARS 4200

/* Option codes: every option of every command, spelled alike everywhere. */
enum {
    OPT_HELP = 'h',
    OPT_FIRST = 256,
    OPT_SCENARIO = OPT_FIRST,
    OPT_TRIALS,
    OPT_SEED,
    OPT_OUT,
    OPT_TRIALS_CSV,
    OPT_DEESCALATE,
    OPT_TOP_DOSE,
    OPT_START,
    OPT_OVERDOSE_LIMIT,
    OPT_QUIET,
    OPT_THREADS,
    OPT_SHARD,
    OPT_WINDOW,
    OPT_ACCRUAL,
    OPT_DLT_ONSET,
    OPT_DROPOUT,
    OPT_TRIAL,
    OPT_VARY,
    OPT_FROM,
    OPT_TO,
    OPT_STEP,
    OPT_DESIGN,
    OPT_RULES,
    OPT_FORMAT,
    OPT_MAX_PATHS,
    OPT_REPLACE,
    OPT_TARGET,
    OPT_TARGET_INTERVAL,
    OPT_DECISION_TABLE,
    OPT_MAX_N,
    OPT_COHORT_SIZE,
    OPT_N_EARLYSTOP,
    OPT_P_SAF,
    OPT_P_TOX,
    OPT_INTERVAL,
    OPT_ELIMINATION_CUTOFF,
    OPT_EXTRASAFE,
    OPT_BOUND_MTD,
    OPT_OPTIMISE,
    OPT_DELTA,
    OPT_RESPONSE_DAYS,
    OPT_BACKFILL_MAX,
    OPT_END
};

/* Sets of options, for a command's spec. */
#define CLI_OPT(code) (UINT64_C(1) << ((code)-OPT_FIRST))
#define CLI_DESIGN_OPTIONS                                                                         \
    (CLI_OPT(OPT_DESIGN) | CLI_OPT(OPT_RULES) | CLI_OPT(OPT_DEESCALATE) | CLI_OPT(OPT_TOP_DOSE) |  \
     CLI_OPT(OPT_START) | CLI_INTERVAL_OPTIONS)
/* The interval designs' options (interval.h), part of the design options. */
#define CLI_INTERVAL_OPTIONS                                                                       \
    (CLI_OPT(OPT_DECISION_TABLE) | CLI_OPT(OPT_MAX_N) | CLI_OPT(OPT_COHORT_SIZE) |                 \
     CLI_OPT(OPT_N_EARLYSTOP) | CLI_OPT(OPT_P_SAF) | CLI_OPT(OPT_P_TOX) | CLI_OPT(OPT_INTERVAL) |   \
     CLI_OPT(OPT_ELIMINATION_CUTOFF) | CLI_OPT(OPT_EXTRASAFE) | CLI_OPT(OPT_BOUND_MTD) |        \
     CLI_OPT(OPT_TARGET))
#define CLI_TIMING_OPTIONS                                                                         \
    (CLI_OPT(OPT_WINDOW) | CLI_OPT(OPT_ACCRUAL) | CLI_OPT(OPT_DLT_ONSET) | CLI_OPT(OPT_DROPOUT))
#define CLI_TARGET_OPTIONS (CLI_OPT(OPT_TARGET) | CLI_OPT(OPT_TARGET_INTERVAL))
/* The second outcome and the randomised stage (optimise.h). */
#define CLI_OPTIMISE_OPTIONS                                                                       \
    (CLI_OPT(OPT_OPTIMISE) | CLI_OPT(OPT_DELTA) | CLI_OPT(OPT_RESPONSE_DAYS))

/* The options' help text, for a subcommand's usage(). */
#define CLI_DESIGN_HELP                                                                            \
    "design options:\n"                                                                            \
    "  --design NAME            the rules: 3+3 (default); 3+3+3; ab:A,B,C,D,E, Lin &\n"            \
    "                           Shih's A+B (treat A; escalate on < C DLTs, too toxic\n"            \
    "                           on > D, else B more; of A+B, escalate on <= E);\n"                 \
    "                           rolling6, the rolling six (needs --accrual); the interval\n"       \
    "                           designs boin, i3+3, mtpi2, keyboard (target: --target)\n"          \
    "  --rules FILE             a rule table of your own (CSV with the columns stage,\n"           \
    "                           patients, escalate_at_most, too_toxic_from)\n"                     \
    "  --deescalate yes|no      yes (default): a lower dose becomes the RP2D only on its\n"        \
    "                           full count (6 in the 3+3); no: the dose below a too-toxic\n"       \
    "                           one is the RP2D as it stands\n"                                    \
    "  --top-dose expand|accept expand (default): the highest dose allowed, meeting the\n"         \
    "                           escalation rule early (0/3 in the 3+3), gets the next\n"           \
    "                           stage; accept: it is the RP2D as it stands\n"                      \
    "  --start LEVEL            starting dose level (default 1, the lowest)\n"                    \
    "interval designs (boin, i3+3, mtpi2, keyboard, --decision-table):\n"                         \
    "  --decision-table FILE    a decision table of your own (CSV: n, dlts, decision\n"            \
    "                           E|S|D|DU for every n reached and every DLT count; or\n"          \
    "                           dosesim table --format csv's boundaries; or a grid\n"           \
    "                           dlts,1,2,... of a row per DLT count)\n"                         \
    "  --max-n N                patients in the trial (default 30; a multiple of the cohort)\n"   \
    "  --cohort-size N          patients per cohort (default 3)\n"                               \
    "  --n-earlystop N          end once N are at a dose the decision keeps (default 100)\n"      \
    "  --p-saf P, --p-tox P     BOIN: rates deemed safe and toxic (default 0.6T, 1.4T)\n"         \
    "  --interval LO,HI         i3+3, mtpi2, keyboard: equivalence interval (T-0.05,T+0.05)\n"     \
    "  --elimination-cutoff C   eliminate a dose when P(p > T | data) > C (default 0.95)\n"       \
    "  --extrasafe              stop when the lowest dose is probably too toxic (C - 0.05)\n"     \
    "  --bound-mtd              BOIN: never select a dose whose estimate exceeds lambda_d\n"

#define CLI_TIMING_HELP                                                                            \
    "calendar time (simulated only with --accrual):\n"                                             \
    "  --accrual RATE           patients arriving per 30 days (a Poisson process)\n"               \
    "  --window DAYS            the DLT window (default 21)\n"                                     \
    "  --dlt-onset uniform|weibull:SHAPE\n"                                                        \
    "                           when a DLT happens within the window (default uniform;\n"          \
    "                           Weibull with scale = window, truncated to it)\n"                   \
    "  --dropout Q              probability that a patient without a DLT leaves early and\n"       \
    "                           is replaced (default 0)\n"

/* Backfill's lines of a usage() (backfill.h; run and trace). */
#define CLI_BACKFILL_HELP                                                                          \
    "backfill (with --accrual; the stage-table and interval designs):\n"                           \
    "  --backfill-max M         treat up to M patients per dose, who would be turned away\n"       \
    "                           while the escalation's cohort is full, at the highest\n"           \
    "                           cleared dose below it; a dose whose pooled counts reach\n"         \
    "                           the design's bound (1 DLT in 3 for the 3+3, lambda_d for\n"        \
    "                           BOIN) closes: the 3+3 family takes it as too toxic, an\n"          \
    "                           interval design's next cohort goes below it if it was to\n"        \
    "                           be there or above; the interval designs decide on the\n"           \
    "                           pooled counts (BF-BOIN) (default 0: none)\n"

/* The stage's lines of a usage(). */
#define CLI_OPTIMISE_HELP                                                                          \
    "response and dose optimisation (scenarios with p_response; optimisation.csv):\n"              \
    "  --optimise N             randomise N patients to the RP2D and N to the dose below\n"        \
    "                           it after the escalation (default 0: no stage)\n"                   \
    "  --delta D                keep the higher dose only if its response rate is higher by\n"     \
    "                           D or more and its DLT rate at most the target interval's top\n"    \
    "                           (default 0.1; also the optimal dose's margin)\n"                   \
    "  --response-days DAYS     when response is assessed (default 42)\n"

/* The target's lines of a usage(). */
#define CLI_TARGET_HELP                                                                            \
    "  --target T               target DLT rate of the accuracy measures (default 0.25)\n"         \
    "  --target-interval LO,HI  its acceptable interval (default 0.6T,1.4T, BOIN's)\n"

#define DS_DEFAULT_SEED UINT64_C(20261126)
#define DS_MAX_SWEEP_POINTS 10001
#define DS_DEFAULT_TRIALS UINT64_C(1000000)
#define DS_DEFAULT_MAX_PATHS UINT64_C(10000000)

/* What a subcommand that runs a design over scenarios was asked. */
typedef struct {
    const char *command; /* for messages: "run", "exact", ... */
    const char *scenario_path;
    const char **scenario_names; /* --scenario, in the order given */
    int n_scenario_names;
    ds_design_t design;
    const char *out_dir;
    const char *default_subdir; /* under results/<file stem>/, so exact and run do not clobber */
    ds_timing_t timing;
    const char *timing_option_given; /* a calendar option other than --accrual, if any */
    const char *design_given;        /* --design, if given */
    const char *rules_path;          /* --rules, if given: read by cli_load_scenarios */
    bool replace;                    /* --replace: results of another run may be replaced */
    ds_target_t target;              /* --target, --target-interval: for the accuracy measures */
    ds_optimise_t optimise;          /* --optimise, --delta, --response-days */
    const char *optimise_option_given; /* one of them, if given */
    bool target_interval_given;      /* --target-interval given (else 0.6T,1.4T) */
    bool target_given;               /* --target given */
    const char *decision_table_path; /* --decision-table, if given: read by cli_load_scenarios */
    /* The interval designs' options as given (applied once the design and
     * the target are known); interval_option_given names one, if any. */
    ds_interval_rules_t interval_given;
    uint32_t interval_given_mask; /* bit OPT_x - OPT_DECISION_TABLE for each option given */
    const char *interval_option_given;
} cli_common_t;

/* Everything a command line can say; each command reads what it takes. */
typedef struct {
    cli_common_t common;
    uint64_t trials, seed, threads, trial; /* --trial counts from 1 */
    const char *monte_carlo_option_given;  /* --trials or --seed, if given */
    uint32_t shard_index, shard_count;
    bool sharded;
    const char *trials_csv;
    const char *out_file; /* --out, for commands that write one file */
    bool quiet;
    const char *vary;
    double from, to, step; /* NAN until given */
    int format;            /* --format: the index of its word in the command's formats
                              (a cli_gp_format_t, gnuplot.h, by default) */
    bool format_given;     /* --format was given */
    uint64_t max_paths;    /* --max-paths */
    char **positional;     /* what is left after the options */
    int n_positional;
} cli_args_t;

/* The kinds of positional arguments a command takes. */
typedef enum {
    CLI_SCENARIO_FILE, /* exactly one scenario file */
    CLI_PATHS,         /* one or more files or folders */
    CLI_FOLDER,        /* exactly one folder */
    CLI_FOLDERS,       /* two or more folders */
    CLI_SOME_FOLDERS,  /* one or more folders */
    CLI_NOTHING        /* none */
} cli_positional_t;

struct cli_cluster;

/* A subcommand: what it takes, and what it does. */
typedef struct {
    const char *name;
    const char *summary;
    uint64_t options; /* CLI_OPT() set of the options it takes (--help always) */
    cli_positional_t positional;
    bool one_scenario;          /* needs exactly one --scenario */
    bool enumerates;            /* needs the design's exact calculation (ds_family_t.exact) */
    bool out_is_file;           /* --out names a file, not a folder */
    bool every_rank;            /* under MPI: runs on every rank (else on rank 0 only) */
    const char *default_subdir; /* of results/<file stem>/ */
    const char *const *formats; /* --format's words, NULL-ended (NULL: png, svg, pdf) */
    void (*usage)(FILE *out);
    int (*run)(cli_args_t *args, const struct cli_cluster *cluster);
} cli_command_t;

#define CLI_HELP_SHOWN (-1) /* cli_parse printed the usage: exit 0 */

/* ---- cli.c: the one option parser ---- */

/* Parse a command line (argv[0] the command's name) into args (initialised
 * here; free with cli_args_free whatever the result), checking every option's
 * value and the positional arguments. Touches no file. Returns 0, CLI_HELP_SHOWN,
 * or EXIT_BAD_INPUT after printing why. */
int cli_parse(const cli_command_t *command, int argc, char *argv[], cli_args_t *args);

void cli_args_free(cli_args_t *args);

/* Parse a count: digits, or a power-of-ten form like 1e6; min..max. */
bool cli_parse_count(const char *command, const char *option, const char *text, uint64_t min,
                     uint64_t max, uint64_t *out);

/* Parse an unsigned 64-bit integer (a seed): digits only. */
bool cli_parse_u64(const char *command, const char *option, const char *text, uint64_t *out);

/* ---- messages.c: what the program says on stderr ---- */

/* Print "dosesim CMD: message" to stderr. */
void cli_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The stream of errors, warnings and notes: stderr unless set (NULL: stderr
 * again). A program running the commands in itself sets its own. */
FILE *cli_messages(void);
void cli_set_messages(FILE *stream);

/* The candidate nearest to word (a slip of a letter or two, or a prefix), or NULL. */
const char *cli_suggest(const char *word, const char *const *candidates, int n);

/* Print a library diagnostic to stderr. */
void cli_diag_error(const char *command, const ds_diag_t *diag);

/* ---- inputs.c: a command's inputs read ---- */

/* Read the --rules file if one was given, load the scenario file and pick the
 * scenarios asked for (all, by default), checking the design against each. Prints errors and
 * warnings, and unless quiet a note naming the file's columns that are not used. Returns 0 or
 * EXIT_BAD_INPUT; *selected is a malloc'ed array of pointers into *file. */
int cli_load_scenarios(cli_common_t *self, bool quiet, ds_scenario_file_t *file,
                       const ds_scenario_t ***selected, int *n_selected);

/* ---- outputs.c: where a command writes, the check before any work, publishing ---- */

/* The output folder: --out, or results/<scenario file stem>[/default_subdir]. Malloc'ed. */
char *cli_output_dir(const cli_common_t *self);

/* What a command reads and writes, checked before any work (outputs.c). */
typedef enum {
    CLI_IO_INPUT,          /* a file the command reads */
    CLI_IO_FOLDER,         /* an output folder the user named (--out DIR) */
    CLI_IO_DEFAULT_FOLDER, /* an output folder dosesim chose (results/...) */
    CLI_IO_SET_MEMBER,     /* a file of a result set: a regular file or a new name */
    CLI_IO_FILE,           /* a file written whole: a regular file or a new name */
    CLI_IO_STREAMABLE      /* a file, or "-", a FIFO or a device written into as it goes */
} cli_io_role_t;

typedef struct {
    cli_io_role_t role;
    const char *what; /* for messages: "--trials-csv", "the scenario file", "summary.csv" */
    char *path;
} cli_io_item_t;

typedef struct {
    cli_io_item_t *items;
    int n, cap;
} cli_io_t;

/* Note the scenario file and the rule file of a command as inputs. 0, or EXIT_RUN_FAILED. */
int cli_common_inputs(const cli_common_t *self, cli_io_t *io);

/* No silent loss: if path (a file written with the key's columns) exists and
 * holds the results of another run (another run_id, or none), refuse, saying
 * which key columns differ and how to keep both (--out) or replace (--replace);
 * what names them ("the results", "a sweep"); beyond_key (or NULL), what
 * else of the command its run_id holds, for when no key column differs
 * ("another grid (...), "). 0 if nothing would be lost, else an exit status
 * after saying why. */
int cli_check_replace(const cli_common_t *self, const char *what, const char *beyond_key,
                      const char *path, const ds_run_key_t *key, const ds_scenario_t *first);

/* cli_check_replace's question, kept to ask it again as the files are
 * published (cli_publish): another run may have written there meanwhile. */
typedef struct {
    const cli_common_t *common;
    const char *what, *beyond_key, *path;
    const ds_run_key_t *key;
    const ds_scenario_t *first;
    int status; /* its answer when asked again: 0, or the exit status after saying why */
} cli_replace_check_t;

/* results/<file stem>/<prefix><scenario><suffix>.csv (or in --out DIR), with
 * the scenario's name made one safe path component (ds_safe_file_name; the
 * suffix must be safe already). The folder is made when the file is
 * published. Malloc'ed; NULL after printing why. */
char *cli_scenario_csv_path(const cli_common_t *self, const char *prefix, const char *scenario,
                            const char *suffix);

void cli_io_init(cli_io_t *self);
void cli_io_free(cli_io_t *self);
/* Note a file read or written (what is not copied: a literal). 0, or EXIT_RUN_FAILED. */
int cli_io_add(cli_io_t *self, cli_io_role_t role, const char *what, const char *path);
/* Every output name is one dosesim may write, and none is an input or another
 * output (device and inode compared, not names). 0, or an exit status after
 * printing why (EXIT_BAD_INPUT for a refused name). */
int cli_io_check(const cli_io_t *self, const char *command);
/* Whether an output goes to the standard output: the command's table then goes to stderr. */
bool cli_io_takes_stdout(const cli_io_t *self);

/* The one file paths and sweep write (path: --out, or its default in the
 * default folder), with the command's inputs, checked by cli_io_check. */
int cli_check_listing(const cli_common_t *common, const char *path, bool path_given, cli_io_t *io);

/* ds_outfile_open, saying why not (EXIT_BAD_INPUT for a refused name), and
 * noting a named temporary file for the guard. */
int cli_outfile_open(const char *command, ds_outfile_t *file, const char *path, unsigned flags);

/* Publish files (DS_PUBLISH_SET: a result set, under its folder's lock): their
 * folders made first, the signals held meanwhile; with check (or NULL), unless
 * --replace, the check before any work asked again just before the renames, so
 * that results another run wrote there meanwhile are not replaced either. The
 * files are discarded either way. 0, or an exit status after printing why. */
int cli_publish(const char *command, ds_outfile_t *const files[], int n, unsigned flags,
                cli_replace_check_t *check);

/* The stream the commands print to: stdout unless set (NULL: stdout again).
 * A program running the commands in itself sets its own. */
FILE *cli_output(void);
void cli_set_output(FILE *stream);

/* Before publishing: whether what was printed so far reached the standard
 * output (a closed pipe, a full disk). 0, or EXIT_RUN_FAILED after saying so. */
int cli_stdout_check(const char *command);

/* Before any work: the output names given (--out, --trials-csv) are of the
 * right kind, a file where a file is written and a folder where folders are.
 * 0, or EXIT_BAD_INPUT after printing why. */
int cli_check_output_names(const cli_command_t *command, const cli_args_t *args);

/* ---- results.c: a command's result set (run, exact, merge) ---- */

/* The results table on stdout: its header (widths from every scenario's
 * name and labels, so that it can be printed a result at a time), then each
 * result's rows. */
typedef struct {
    int wn, wl;  /* widths of the scenario and dose columns */
    bool mc;     /* Monte Carlo: a margin column */
    double z;    /* the margin's multiple of the standard error */
    ds_target_t target;
    const ds_run_key_t *key; /* the stage's options and the calendar (optimisation lines) */
} cli_table_layout_t;


/* Operating characteristics of each chosen scenario, and where they go:
 * held (ocs, filled by the command, then cli_results_write), or streamed, a
 * scenario at a time (cli_results_begin, cli_results_add, cli_results_finish:
 * nothing held, for files of many scenarios). */
typedef struct {
    int n;
    ds_oc_t *ocs;         /* [n] when held, filled by the command; NULL when streamed */
    ds_result_t *results; /* [n] when held, pairing scenarios and ocs */
    const ds_scenario_t **chosen; /* [n] the scenarios, in order */
    char *out_dir;
    ds_run_key_t key; /* the run's key columns and run_id */
    ds_report_t report;         /* the files being written */
    cli_table_layout_t table;   /* the table on stdout, unless quiet */
    FILE *held_table;           /* the table so far, printed once every result is in */
    char *held_text;
    size_t held_len;
    bool quiet;
    FILE *say;
} cli_results_t;

/* The table is held until the set is written, so that a run that fails part
 * way prints no table; past this size it is printed as it comes (a table of
 * 10^6 scenarios is not read on a terminal, and must not cost its memory). */
#define CLI_TABLE_HELD_BYTES (16u << 20)

/* A result set with nothing in it, for cli_results_free whether or not
 * cli_results_init ran (a command's first step). */
void cli_results_clear(cli_results_t *self);

/* Note the output folder and its result set in io (checked with cli_io_check
 * before any work), and, unless stream, allocate for the chosen scenarios.
 * Returns 0 or an exit status after printing why. */
int cli_results_init(cli_results_t *self, const cli_common_t *common, const ds_scenario_t **chosen,
                     int n_chosen, ds_method_t method, uint64_t n_trials, uint64_t seed,
                     bool stream, cli_io_t *io);

void cli_results_free(cli_results_t *self);

/* The key of a run of common's design, calendar and target over these
 * scenarios (key.h; kind as ds_run_key_init takes it). */
void cli_run_key(ds_run_key_t *key, const cli_common_t *common, const char *kind,
                 ds_method_t method, uint64_t n_trials, uint64_t seed,
                 const ds_scenario_t *const *scenarios, int n_scenarios);

/* Write the result set and publish it whole; unless quiet, print the table to
 * say first and the files written after. Returns 0 or an exit status after
 * printing why (nothing replaced). cli_results_write is the three in one, for
 * held results. */
int cli_results_write(cli_results_t *self, const cli_common_t *common, bool quiet, FILE *say);
int cli_results_begin(cli_results_t *self, const cli_common_t *common, bool quiet, FILE *say);
void cli_results_add(cli_results_t *self, const ds_result_t *result);
int cli_results_finish(cli_results_t *self, const cli_common_t *common);

/* ---- print.c: what the commands print about a design and its results ---- */


void cli_print_results_begin(FILE *out, cli_table_layout_t *layout, const ds_run_key_t *key,
                             const ds_scenario_t *const *scenarios, int n_scenarios, bool mc);
void cli_print_result(FILE *out, const cli_table_layout_t *layout, const ds_result_t *result);

/* A line naming the rules used, and one for the calendar model if it is on. */
void cli_print_design(FILE *out, const ds_design_t *design, const ds_timing_t *timing);

/* What the rules do next, in words: "escalate to 200 mg", "too toxic; 3 more at
 * 100 mg", "RP2D 100 mg", ... */
void cli_describe_action(const ds_action_t *action, const ds_scenario_t *scenario, char *buf,
                         size_t size);

/* ---- guard.c: what an interrupted or failed run leaves behind: nothing ---- */

/* Remove outputs' leftovers if a signal ends the run (guard.c): the folders it
 * made while still empty, and named temporary files; ignore SIGPIPE and SIGXFSZ
 * so that a closed pipe and a file-size limit are write errors. */
void cli_guard_start(void);

/* Note a named temporary file (fileio.h's fallback) to remove on a signal. */
void cli_guard_temp(const char *path);

/* Hold the ending signals while a set is published (the thread's mask before
 * goes in *before), then put the mask back, so that a signal that came
 * meanwhile acts (and a thread that blocked them, the R package's, keeps them blocked). */
void cli_guard_hold(sigset_t *before);
void cli_guard_release(const sigset_t *before);

/* Create an output folder and its missing parents, noting the ones created so
 * that a failed or interrupted run removes them again while they are empty.
 * 0, or EXIT_RUN_FAILED after printing why. */
int cli_make_dirs(const char *command, const char *dir);

/* Before a long run: whether cli_make_dirs could create dir (its deepest
 * existing parent is a folder we may write in). 0, or EXIT_RUN_FAILED after
 * printing why. Folders are made only when the results are written, so that
 * a run killed outright (mpirun's SIGKILL after SIGTERM) leaves none. */
int cli_check_dirs(const char *command, const char *dir);

/* After a failed run: remove the folders the run created, where empty, and
 * named temporary files. */
void cli_guard_undo(void);

/* After a run that succeeded, in a process that runs another (the R package):
 * forget its folders and temporary files, which are its results now. */
void cli_guard_forget(void);

/* ---- clock.c: how long the work took ---- */

/* Seconds on a monotonic clock. */
double cli_now(void);

/* ---- cluster.c: the processes and CPUs of a run ---- */

/* The processes of a run: rank and size (0 and 1 without MPI). */
typedef struct cli_cluster {
    int rank;
    int size;
} cli_cluster_t;

/* MPI_Init when built with MPI (a no-op otherwise). */
void cli_cluster_start(int *argc, char ***argv, cli_cluster_t *self);
void cli_cluster_stop(const cli_cluster_t *self);

/* 0, or EXIT_BAD_INPUT after saying why: a build without MPI started as one
 * of several MPI ranks would run the whole job on each. */
int cli_cluster_check_launch(const cli_cluster_t *self);

/* The worst (largest) status over all ranks; every rank must call it at the same point. */
int cli_cluster_agree(const cli_cluster_t *self, int status);

/* Add counters over all ranks into rank 0's array; every rank must call it. */
int cli_cluster_sum(const cli_cluster_t *self, uint64_t *counts, size_t n);

/* The CPUs this process may use (its affinity), for the default --threads. */
int cli_available_cpus(void);

/* ---- cmd_<name>.c: the subcommands, one each; commands.c: their table ---- */

extern const cli_command_t cli_command_run;
extern const cli_command_t cli_command_exact;
extern const cli_command_t cli_command_paths;
extern const cli_command_t cli_command_merge;
extern const cli_command_t cli_command_trace;
extern const cli_command_t cli_command_sweep;
extern const cli_command_t cli_command_plot;
extern const cli_command_t cli_command_compare;
extern const cli_command_t cli_command_schema;
extern const cli_command_t cli_command_table;
extern const cli_command_t cli_command_report;

/* Every subcommand, in the order `dosesim --help` lists them (commands.c). */
extern const cli_command_t *const cli_commands[];
extern const int cli_n_commands;

/* The command of that name, or NULL. */
const cli_command_t *cli_find_command(const char *name);

/* A command line (argv[0] the command's name) parsed, its output names
 * checked, and run: the exit status (0 after --help). What main() does for a
 * command, and the R package too (with no signal guard: cli_guard_start is
 * the program's alone). */
int cli_run_command(const cli_command_t *command, int argc, char *argv[],
                    const cli_cluster_t *cluster);

#endif

/* The program's shared pieces: exit codes, the options every subcommand that
 * runs a design shares, and loading the scenarios a command asked for. Only
 * the program (main.c, cmd_*.c) prints or exits. */
#ifndef DOSESIM_CMD_H
#define DOSESIM_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dosesim/dosesim.h"

#define EXIT_BAD_INPUT 2  /* bad options or input files */
#define EXIT_RUN_FAILED 1 /* the run itself failed (a write error, say) */

/* Long-only option codes, shared so that every subcommand spells them alike. */
enum {
    OPT_HELP = 'h',
    OPT_SCENARIO = 256,
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
};

/* The design options, for a subcommand's struct option table. */
#define CLI_DESIGN_OPTIONS                                                                         \
    {"deescalate", required_argument, NULL, OPT_DEESCALATE},                                       \
        {"top-dose", required_argument, NULL, OPT_TOP_DOSE},                                       \
    {                                                                                              \
        "start", required_argument, NULL, OPT_START                                                \
    }

/* The options' help text, for a subcommand's usage(). */
#define CLI_DESIGN_HELP                                                                            \
    "design options:\n"                                                                            \
    "  --deescalate yes|no      yes (default): a lower dose becomes the RP2D only on 6 patients\n" \
    "                           no: the dose below a too-toxic one is the RP2D as it stands\n"     \
    "  --top-dose expand|accept expand (default): 0/3 at the highest allowed dose -> 3 more;\n"    \
    "                           accept: it is the RP2D on 3 patients\n"                            \
    "  --start LEVEL            starting dose level (default 1, the lowest)\n"

/* The calendar-time options, for commands that run trials. */
#define CLI_TIMING_OPTIONS                                                                         \
    {"window", required_argument, NULL, OPT_WINDOW},                                               \
        {"accrual", required_argument, NULL, OPT_ACCRUAL},                                         \
        {"dlt-onset", required_argument, NULL, OPT_DLT_ONSET},                                     \
    {                                                                                              \
        "dropout", required_argument, NULL, OPT_DROPOUT                                            \
    }

#define CLI_TIMING_HELP                                                                            \
    "calendar time (simulated only with --accrual):\n"                                             \
    "  --accrual RATE           patients arriving per 30 days (a Poisson process)\n"               \
    "  --window DAYS            the DLT window (default 21)\n"                                     \
    "  --dlt-onset uniform|weibull:SHAPE\n"                                                        \
    "                           when a DLT happens within the window (default uniform;\n"          \
    "                           Weibull with scale = window, truncated to it)\n"                   \
    "  --dropout Q              probability that a patient without a DLT leaves early and\n"       \
    "                           is replaced (default 0)\n"

#define DS_DEFAULT_SEED UINT64_C(20261126)
#define DS_MAX_SWEEP_POINTS 10001
#define DS_DEFAULT_TRIALS UINT64_C(1000000)
#define DS_DEFAULT_OVERDOSE_LIMIT 0.33

/* What a subcommand that runs a design over scenarios was asked. */
typedef struct {
    const char *command; /* for messages: "run", "exact", ... */
    const char *scenario_path;
    const char **scenario_names; /* --scenario, in the order given */
    int n_scenario_names;
    ds_design_t design;
    double overdose_limit;
    const char *out_dir;
    const char *default_subdir; /* under results/<file stem>/, so exact and run do not clobber */
    ds_timing_t timing;
    const char *timing_option_given; /* a calendar option other than --accrual, if any */
} cli_common_t;

void cli_common_init(cli_common_t *self, const char *command);
void cli_common_free(cli_common_t *self);

/* Handle an option shared by the design-running subcommands. Returns 1 if it
 * was one of them, 0 if not, or -1 after printing why its value is bad. */
int cli_common_option(cli_common_t *self, int opt, const char *arg);

/* After the options: check the calendar options together (they need --accrual).
 * Returns false after printing why. */
bool cli_common_finish_timing(cli_common_t *self);

/* Print "dosesim CMD: message" to stderr. */
void cli_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a library diagnostic to stderr. */
void cli_diag_error(const char *command, const ds_diag_t *diag);

/* The unknown or malformed option getopt_long just met, in words. */
void cli_bad_option(const char *command, int opt, char *const argv[]);

/* Parse a count: digits, or a power-of-ten form like 1e6; min..max. */
bool cli_parse_count(const char *command, const char *option, const char *text, uint64_t min,
                     uint64_t max, uint64_t *out);

/* Parse an unsigned 64-bit integer (a seed): digits only. */
bool cli_parse_u64(const char *command, const char *option, const char *text, uint64_t *out);

/* Take the one positional argument, the scenario file, after getopt_long;
 * false after printing why if there is none or more than one. */
bool cli_take_scenario_file(cli_common_t *self, int argc, char *argv[]);

/* Load the scenario file and pick the scenarios asked for (all, by default),
 * checking the design against each. Prints errors and warnings. Returns 0 or
 * EXIT_BAD_INPUT; *selected is a malloc'ed array of pointers into *file. */
int cli_load_scenarios(const cli_common_t *self, ds_scenario_file_t *file,
                       const ds_scenario_t ***selected, int *n_selected);

/* The output folder: --out, or results/<scenario file stem>[/default_subdir]. Malloc'ed. */
char *cli_output_dir(const cli_common_t *self);

/* Operating characteristics of each chosen scenario, and where they go. */
typedef struct {
    int n;
    ds_oc_t *ocs;         /* [n], filled by the command */
    ds_result_t *results; /* [n], pairing scenarios and ocs */
    char *out_dir;
} cli_results_t;

/* Allocate for the chosen scenarios and create the output folder. Returns 0
 * or an exit status after printing why. */
int cli_results_init(cli_results_t *self, const cli_common_t *common, const ds_scenario_t **chosen,
                     int n_chosen);

void cli_results_free(cli_results_t *self);

/* Write the three CSVs (all or none) and, unless quiet, print the table.
 * Returns 0 or an exit status after printing why. */
int cli_results_write(const cli_results_t *self, const cli_common_t *common, uint64_t seed,
                      bool quiet);

/* The compact table of results for stdout. */
void cli_print_results(FILE *out, const ds_result_t *results, int n_results, double overdose_limit);

/* A line naming the rules used, and one for the calendar model if it is on. */
void cli_print_design(FILE *out, const ds_design_t *design, const ds_timing_t *timing);

/* What the rules do next, in words: "escalate to 200 mg", "too toxic; 3 more at
 * 100 mg", "RP2D 100 mg", ... */
void cli_describe_action(const ds_action_t *action, const ds_scenario_t *scenario, char *buf,
                         size_t size);

/* results/<file stem>/<prefix><scenario>.csv (the folder created), with the
 * scenario name made safe for a file name. Malloc'ed; NULL after printing why. */
char *cli_scenario_csv_path(const cli_common_t *self, const char *prefix, const char *scenario);

/* Seconds on a monotonic clock. */
double cli_now(void);

/* The processes of a run: rank and size (0 and 1 without MPI). */
typedef struct {
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

/* The subcommands; each parses its own options and prints its own usage. */
int main_run(int argc, char *argv[], const cli_cluster_t *cluster);
int main_exact(int argc, char *argv[], const cli_cluster_t *cluster);
int main_paths(int argc, char *argv[], const cli_cluster_t *cluster);
int main_merge(int argc, char *argv[], const cli_cluster_t *cluster);
int main_trace(int argc, char *argv[], const cli_cluster_t *cluster);
int main_sweep(int argc, char *argv[], const cli_cluster_t *cluster);
int main_plot(int argc, char *argv[], const cli_cluster_t *cluster);

#endif

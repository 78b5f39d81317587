/* dosesim: the program. A thin dispatcher to main_<command>(argc, argv), after
 * bwa and minimap2: each subcommand parses its own options and has its own usage. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd.h"

typedef struct {
    const char *name;
    int (*main)(int argc, char *argv[], const cli_cluster_t *cluster);
    const char *summary;
    bool every_rank; /* under MPI: runs on every rank (else on rank 0 only) */
} command_t;

static const command_t commands[] = {
    {"run", main_run, "Monte Carlo operating characteristics of the 3+3 design", true},
    {"exact", main_exact, "exact operating characteristics, by enumerating every outcome", false},
    {"paths", main_paths, "every possible course of a trial, with its probability", false},
    {"merge", main_merge, "add up the shards of a run (run --shard I/N) into its results", false},
    {"trace", main_trace, "one simulated trial told cohort by cohort (and day by day)", false},
    {"sweep", main_sweep, "operating-characteristic curves as p_dlt moves over a grid", false},
    {"plot", main_plot, "PNG figures (gnuplot) from the CSVs of run, exact, merge or sweep", false},
};

static void usage(FILE *out)
{
    fprintf(out, "dosesim %s: the 3+3 dose-escalation design, exact and by simulation\n\n",
            DS_VERSION);
    fprintf(out, "usage: dosesim COMMAND [options]   (dosesim COMMAND --help for each)\n\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    }
}

static int dispatch(int argc, char *argv[], const cli_cluster_t *cluster)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dosesim %s\n", DS_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            if (cluster->rank > 0 && !commands[i].every_rank) {
                return 0; /* one process is enough, and only one may write */
            }
            return commands[i].main(argc - 1, argv + 1, cluster);
        }
    }
    fprintf(stderr, "dosesim: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_BAD_INPUT;
}

int main(int argc, char *argv[])
{
    cli_cluster_t cluster;
    /* GSL's default handler aborts; the library reports errors through return codes instead. */
    gsl_set_error_handler_off();
    cli_cluster_start(&argc, &argv, &cluster);
    if (cluster.rank > 0) {
        /* Every rank reads the same input and would say the same; rank 0 speaks
         * for all. Should /dev/null be missing, a rank just talks too. */
        FILE *quiet_out = freopen("/dev/null", "w", stdout);
        FILE *quiet_err = freopen("/dev/null", "w", stderr);
        (void)quiet_out;
        (void)quiet_err;
    }
    int status = cli_cluster_check_launch(&cluster);
    if (status == 0) {
        status = dispatch(argc, argv, &cluster);
    }
    cli_cluster_stop(&cluster);
    return status;
}

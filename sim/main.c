/* dosesim: the program. A thin dispatcher to main_<command>(argc, argv), after
 * bwa and minimap2: each subcommand parses its own options and has its own usage. */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd.h"

typedef struct {
    const char *name;
    int (*main)(int argc, char *argv[]);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"run", main_run, "Monte Carlo operating characteristics of the 3+3 design"},
    {"exact", main_exact, "exact operating characteristics, by enumerating every outcome"},
    {"paths", main_paths, "every possible course of a trial, with its probability"},
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

int main(int argc, char *argv[])
{
    /* GSL's default handler aborts; the library reports errors through return codes instead. */
    gsl_set_error_handler_off();
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
            return commands[i].main(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "dosesim: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_BAD_INPUT;
}

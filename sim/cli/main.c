/* dosesim: the program's main(). Turns GSL's aborting error handler off,
 * starts the guard (guard.c) and, under MPI, the ranks (cluster.c; ranks
 * other than 0 are silenced); answers --help and --version itself; looks the
 * subcommand up in the table of them (cli_commands, commands.c), parses its
 * command line with the one parser (cli_parse), checks the output names
 * given, and calls its run(); an unknown name gets a suggestion. At the end a
 * write error on stdout fails the run too, and a failed run's leftovers are
 * removed (cli_guard_undo). Each subcommand lives in its cmd_<name>.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd.h"

static void usage(FILE *out)
{
    fprintf(out,
            "dosesim %s: dose-escalation designs (the 3+3 family, the interval designs), "
            "exact and by simulation\n\n",
            DS_VERSION);
    fprintf(out, "usage: dosesim COMMAND [options]   (dosesim COMMAND --help for each)\n\n");
    for (int i = 0; i < cli_n_commands; i++) {
        fprintf(out, "  %-8s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    }
    fprintf(out, "\n  dosesim --version: the version; dosesim --man: this help and every "
                 "command's as a manual page (roff)\n");
}

/* Text as roff sets it in a no-fill block, byte for byte: backslashes as \e,
 * hyphens as \- (an ASCII minus, so that options copy as typed), and a line
 * that starts with a dot or a quote (a request) behind \&. */
static void roff_text(FILE *out, const char *text)
{
    bool line_start = true;
    for (const char *c = text; *c != '\0'; c++) {
        if (line_start && (*c == '.' || *c == '\'')) {
            fputs("\\&", out);
        }
        if (*c == '\\') {
            fputs("\\e", out);
        } else if (*c == '-') {
            fputs("\\-", out);
        } else {
            fputc(*c, out);
        }
        line_start = *c == '\n';
    }
}

/* A usage() as text (malloc'ed), or NULL when out of memory. */
static char *usage_text(void (*print)(FILE *out))
{
    char *text = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&text, &len);
    if (memory == NULL) {
        return NULL;
    }
    print(memory);
    if (fclose(memory) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* dosesim --man: the manual page dosesim.1 (make install installs it), made
 * from the same text as --help and each command's --help, so the two cannot
 * drift apart. */
static int manual(FILE *out)
{
    fprintf(out, ".TH DOSESIM 1 \"\" \"dosesim %s\" \"User Commands\"\n", DS_VERSION);
    fputs(".SH NAME\ndosesim \\- dose\\-escalation designs (the 3+3 family, the interval "
          "designs), exact and by simulation\n",
          out);
    fputs(".SH SYNOPSIS\n.B dosesim\n.I COMMAND\n[options]\n.SH DESCRIPTION\n.nf\n", out);
    char *text = usage_text(usage);
    if (text == NULL) {
        return EXIT_RUN_FAILED;
    }
    roff_text(out, text);
    free(text);
    fputs(".fi\n.SH COMMANDS\n", out);
    for (int i = 0; i < cli_n_commands; i++) {
        text = usage_text(cli_commands[i]->usage);
        if (text == NULL) {
            return EXIT_RUN_FAILED;
        }
        fprintf(out, ".SS %s\n.nf\n", cli_commands[i]->name);
        roff_text(out, text);
        fputs(".fi\n", out);
        free(text);
    }
    fputs(".SH SEE ALSO\nThe README.md of the sources: every command, column and rule, "
          "with its sources and checks.\n",
          out);
    return 0;
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
    if (strcmp(argv[1], "--man") == 0) {
        return manual(stdout);
    }
    const cli_command_t *command = cli_find_command(argv[1]);
    if (command != NULL) {
        if (cluster->rank > 0 && !command->every_rank) {
            return 0; /* one process is enough, and only one may write */
        }
        return cli_run_command(command, argc - 1, argv + 1, cluster);
    }
    const char *names[32];
    for (int i = 0; i < cli_n_commands && i < 32; i++) {
        names[i] = cli_commands[i]->name;
    }
    const char *near = cli_suggest(argv[1], names, cli_n_commands < 32 ? cli_n_commands : 32);
    if (near != NULL) {
        fprintf(stderr, "dosesim: unknown command '%s'; did you mean '%s'?\n\n", argv[1], near);
    } else {
        fprintf(stderr, "dosesim: unknown command '%s'\n\n", argv[1]);
    }
    usage(stderr);
    return EXIT_BAD_INPUT;
}

int main(int argc, char *argv[])
{
    cli_cluster_t cluster;
    /* GSL's default handler aborts. The library never reaches it (it calls GSL
     * only with checked arguments and allocates no gsl_rng; test
     * engine/never_calls_gsl_error_handler), so this is a second line of
     * defence, as DESIGN.md asks: no GSL call can end the program. */
    gsl_set_error_handler_off();
    cli_guard_start();
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
    /* A full disk or a closed pipe under stdout (a trace, a table) is a failure too. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dosesim: cannot write to standard output: %s\n", strerror(errno));
        status = status != 0 ? status : EXIT_RUN_FAILED;
    }
    if (status != 0) {
        cli_guard_undo();
    }
    cli_cluster_stop(&cluster);
    return status;
}

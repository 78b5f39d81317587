/* The table of subcommands, in the order --help lists them: the one place a
 * new subcommand (its cmd_<name>.c) is added. It stands above every cmd_*.c,
 * so that they and the option parser (cli.c) they use stay below it. */
#include "cmd.h"

#include <string.h>

const cli_command_t *const cli_commands[] = {
    &cli_command_run,    &cli_command_exact,  &cli_command_paths, &cli_command_merge,
    &cli_command_trace,  &cli_command_sweep,  &cli_command_plot,  &cli_command_compare,
    &cli_command_report, &cli_command_table,  &cli_command_schema,
};
const int cli_n_commands = (int)(sizeof(cli_commands) / sizeof(cli_commands[0]));

const cli_command_t *cli_find_command(const char *name)
{
    for (int i = 0; i < cli_n_commands; i++) {
        if (strcmp(name, cli_commands[i]->name) == 0) {
            return cli_commands[i];
        }
    }
    return NULL;
}

int cli_run_command(const cli_command_t *command, int argc, char *argv[],
                    const cli_cluster_t *cluster)
{
    cli_args_t args;
    int status = cli_parse(command, argc, argv, &args);
    if (status == 0) {
        status = cli_check_output_names(command, &args);
    }
    if (status == 0) {
        status = command->run(&args, cluster);
    }
    cli_args_free(&args);
    return status == CLI_HELP_SHOWN ? 0 : status;
}

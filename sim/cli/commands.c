/* The table of subcommands, in the order --help lists them: the one place a
 * new subcommand (its cmd_<name>.c) is added. It stands above every cmd_*.c,
 * so that they and the option parser (cli.c) they use stay below it. */
#include "cmd.h"

const cli_command_t *const cli_commands[] = {
    &cli_command_run,    &cli_command_exact,  &cli_command_paths, &cli_command_merge,
    &cli_command_trace,  &cli_command_sweep,  &cli_command_plot,  &cli_command_compare,
    &cli_command_report, &cli_command_table,  &cli_command_schema,
};
const int cli_n_commands = (int)(sizeof(cli_commands) / sizeof(cli_commands[0]));

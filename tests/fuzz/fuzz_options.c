/* libFuzzer target: the command-line parser of every command. The input is a
 * command line: its first byte picks the command, the rest are arguments
 * separated by NUL bytes. Parsing touches no file, so anything goes. The parser
 * explains every refusal on stderr: make fuzz runs this target with
 * -close_fd_mask=3 (libFuzzer keeps its own output). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { MAX_ARGS = 64 };
    if (size < 1 || size > 4096) {
        return 0;
    }
    const cli_command_t *command = cli_commands[data[0] % cli_n_commands];
    char *text = malloc(size + 1); /* the arguments, NUL-separated */
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)command->name;
    for (size_t at = 0; at < size - 1 && argc < MAX_ARGS + 1; at += strlen(text + at) + 1) {
        argv[argc++] = text + at;
    }
    argv[argc] = NULL;
    cli_args_t args;
    int status = cli_parse(command, argc, argv, &args);
    if (status != 0 && status != EXIT_BAD_INPUT && status != CLI_HELP_SHOWN) {
        abort();
    }
    if (status == 0 && command->positional == CLI_SCENARIO_FILE &&
        args.common.scenario_path == NULL) {
        abort();
    }
    /* A family gets through only where it can run: one that enrols one at a
     * time (the rolling six) on calendar time, and never exact unless it has
     * an exact calculation (the stage tables, the interval designs). */
    const ds_family_t *family = args.common.design.family;
    if (status == 0 && ((command->enumerates && !family->exact) ||
                        (family->needs_calendar && !args.common.timing.on))) {
        abort();
    }
    cli_args_free(&args);
    free(text);
    return 0;
}

/* A command's inputs read: the rule file (--rules) if one was given, the
 * scenario file, and the scenarios asked for (--scenario, in order; all by
 * default), each checked against the design. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>

/* Most names the note on unused columns lists before "and N more". */
#define CLI_MAX_NOTED_COLUMNS 12

/* One note on the messages (stderr) for the file's unused columns (notes, sources):
 * allowed, but a misspelt column would otherwise go unseen. The library
 * checked the names are text without control characters. */
static void note_ignored_columns(const char *cmd, const ds_scenario_file_t *file)
{
    const int n = file->n_ignored_columns;
    if (n == 0) {
        return;
    }
    fprintf(cli_messages(), "dosesim %s: note: %s: column%s ", cmd, file->path, n == 1 ? "" : "s");
    for (int i = 0; i < n && i < CLI_MAX_NOTED_COLUMNS; i++) {
        fprintf(cli_messages(), "%s%s", i > 0 ? ", " : "", file->ignored_columns[i]);
    }
    if (n > CLI_MAX_NOTED_COLUMNS) {
        fprintf(cli_messages(), " and %d more", n - CLI_MAX_NOTED_COLUMNS);
    }
    fprintf(cli_messages(), " %s not used\n", n == 1 ? "is" : "are");
}

int cli_load_scenarios(cli_common_t *self, bool quiet, ds_scenario_file_t *file,
                       const ds_scenario_t ***selected, int *n_selected)
{
    ds_diag_t diag;
    const char *cmd = self->command;
    *selected = NULL;
    *n_selected = 0;
    if (self->rules_path != NULL &&
        ds_design_load_rules(&self->design, self->rules_path, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return EXIT_BAD_INPUT;
    }
    if (self->decision_table_path != NULL &&
        (ds_interval_load_table(&self->design, self->decision_table_path, &diag) != 0 ||
         ds_interval_build(&self->design, &diag) != 0)) {
        cli_diag_error(cmd, &diag);
        return EXIT_BAD_INPUT;
    }
    if (ds_scenario_file_load(file, self->scenario_path, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return EXIT_BAD_INPUT;
    }
    if (!quiet) {
        note_ignored_columns(cmd, file);
    }
    int n = self->n_scenario_names > 0 ? self->n_scenario_names : file->n_scenarios;
    const ds_scenario_t **chosen = calloc((size_t)n, sizeof(*chosen));
    if (chosen == NULL) {
        cli_error(cmd, "out of memory");
        return EXIT_RUN_FAILED;
    }
    for (int i = 0; i < n; i++) {
        if (self->n_scenario_names == 0) {
            chosen[i] = &file->scenarios[i];
            continue;
        }
        chosen[i] = ds_scenario_file_find(file, self->scenario_names[i]);
        if (chosen[i] == NULL) {
            const char **names = calloc((size_t)file->n_scenarios + 1, sizeof(*names));
            const char *near = NULL;
            for (int k = 0; names != NULL && k < file->n_scenarios; k++) {
                names[k] = file->scenarios[k].name;
            }
            if (names != NULL) {
                near = cli_suggest(self->scenario_names[i], names, file->n_scenarios);
            }
            free(names);
            if (near != NULL) {
                cli_error(cmd, "--scenario: %s has no scenario '%s'; did you mean '%s'? It has:",
                          file->path, self->scenario_names[i], near);
                for (int k = 0; k < file->n_scenarios; k++) {
                    fprintf(cli_messages(), "  %s\n", file->scenarios[k].name);
                }
                free(chosen);
                return EXIT_BAD_INPUT;
            }
            cli_error(cmd, "--scenario: %s has no scenario '%s'; it has:", file->path,
                      self->scenario_names[i]);
            for (int k = 0; k < file->n_scenarios; k++) {
                fprintf(cli_messages(), "  %s\n", file->scenarios[k].name);
            }
            free(chosen);
            return EXIT_BAD_INPUT;
        }
        for (int j = 0; j < i; j++) {
            if (chosen[j] == chosen[i]) {
                cli_error(cmd, "--scenario: '%s' is asked for twice", chosen[i]->name);
                free(chosen);
                return EXIT_BAD_INPUT;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        if (ds_design_check(&self->design, chosen[i]->n_levels, &diag) != 0) {
            cli_error(cmd, "%s%s%s (scenario '%s' of %s)", diag.field, diag.field[0] ? ": " : "",
                      diag.message, chosen[i]->name, file->path);
            free(chosen);
            return EXIT_BAD_INPUT;
        }
        if (self->optimise.n_per_arm > 0 && chosen[i]->p_response == NULL) {
            ds_diag_set(&diag, DS_ERR_PARSE, file->path, chosen[i]->line,
                        DS_SCENARIO_COL_P_RESPONSE,
                        "scenario '%s' has no response rates: --optimise compares the doses' "
                        "responses (give a %s column)",
                        chosen[i]->name, DS_SCENARIO_COL_P_RESPONSE);
            cli_diag_error(cmd, &diag);
            free(chosen);
            return EXIT_BAD_INPUT;
        }
        if (!ds_scenario_is_monotone(chosen[i])) {
            fprintf(cli_messages(),
                    "dosesim %s: warning: %s:%ld: scenario '%s': p_dlt falls as the dose rises; "
                    "simulating it as given\n",
                    cmd, file->path, chosen[i]->line, chosen[i]->name);
        }
    }
    bool any_response = false;
    for (int i = 0; i < n; i++) {
        any_response = any_response || chosen[i]->p_response != NULL;
    }
    if (self->optimise_option_given != NULL && !any_response) {
        fprintf(cli_messages(),
                "dosesim %s: warning: %s: no scenario of %s gives %s; it changes nothing\n", cmd,
                self->optimise_option_given, file->path, DS_SCENARIO_COL_P_RESPONSE);
    }
    *selected = chosen;
    *n_selected = n;
    return 0;
}

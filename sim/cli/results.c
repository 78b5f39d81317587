/* A command's result set (run, exact, merge): the characteristics of each
 * chosen scenario, the output folder and its files noted for the check before
 * any work, then written, published whole, and said (the table first, the
 * files written after, and figures left from the set it replaced). */
#include "cmd.h"
#include "figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The options a result set's run_id holds beyond the key's columns, for the
 * message when a folder holds another run's results. */
#define BEYOND_KEY "another --backfill-max, --optimise, --delta or --response-days, "

void cli_results_clear(cli_results_t *self)
{
    memset(self, 0, sizeof(*self));
    ds_report_init(&self->report); /* no file open: the zeros above would be fd 0 */
}

int cli_results_init(cli_results_t *self, const cli_common_t *common, const ds_scenario_t **chosen,
                     int n_chosen, ds_method_t method, uint64_t n_trials, uint64_t seed,
                     bool stream, cli_io_t *io)
{
    cli_results_clear(self);
    self->out_dir = cli_output_dir(common);
    self->chosen = chosen;
    if (!stream) {
        self->ocs = calloc((size_t)n_chosen, sizeof(*self->ocs));
        self->results = calloc((size_t)n_chosen, sizeof(*self->results));
    }
    if (self->out_dir == NULL || (!stream && (self->ocs == NULL || self->results == NULL))) {
        cli_error(common->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    self->n = n_chosen;
    for (int i = 0; !stream && i < n_chosen; i++) {
        self->results[i] = (ds_result_t){.scenario = chosen[i], .oc = &self->ocs[i]};
    }
    int ret = cli_io_add(io, common->out_dir != NULL ? CLI_IO_FOLDER : CLI_IO_DEFAULT_FOLDER,
                         "--out", self->out_dir);
    for (int k = 0; k < DS_RESULT_FILES && ret == 0; k++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%s", self->out_dir, ds_result_file_names[k]);
        ret = cli_io_add(io, CLI_IO_SET_MEMBER, ds_result_file_names[k], path);
    }
    if (ret != 0) {
        cli_error(common->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    cli_run_key(&self->key, common, DS_KEY_KIND_RESULTS, method, n_trials, seed, chosen, n_chosen);
    char summary[CLI_PATH_CHARS];
    snprintf(summary, sizeof(summary), "%s/%s", self->out_dir, DS_SUMMARY_FILE);
    return n_chosen > 0 ? cli_check_replace(common, "the results", BEYOND_KEY, summary, &self->key,
                                            chosen[0])
                        : 0;
}

void cli_results_free(cli_results_t *self)
{
    ds_report_discard(&self->report); /* what was not published: nothing of it stays */
    if (self->held_table != NULL) {
        fclose(self->held_table); /* a failed run prints none of its table */
    }
    free(self->held_text);
    for (int i = 0; self->ocs != NULL && i < self->n; i++) {
        ds_oc_free(&self->ocs[i]);
    }
    free(self->ocs);
    free(self->results);
    free(self->out_dir);
    memset(self, 0, sizeof(*self));
}

/* Figures in the folder, drawn by plot from the set just replaced. */
static void note_old_figures(FILE *say, const char *dir)
{
    char found[512] = "";
    size_t used = 0;
    for (int k = 0; cli_result_figures[k] != NULL; k++) {
        for (int f = 0; f < CLI_GP_N_FORMATS; f++) {
            char path[CLI_PATH_CHARS];
            struct stat st;
            snprintf(path, sizeof(path), "%s/%s.%s", dir, cli_result_figures[k],
                     cli_gp_format_names[f]);
            if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && used + 64 < sizeof(found)) {
                int n =
                    snprintf(found + used, sizeof(found) - used, "%s%s.%s", used > 0 ? ", " : "",
                             cli_result_figures[k], cli_gp_format_names[f]);
                used += n > 0 ? (size_t)n : 0;
            }
        }
    }
    if (used > 0) {
        fprintf(say,
                "note: %s also holds %s, drawn from the results these replace; "
                "dosesim plot %s draws them again\n",
                dir, found, dir);
    }
}

void cli_run_key(ds_run_key_t *key, const cli_common_t *common, const char *kind,
                 ds_method_t method, uint64_t n_trials, uint64_t seed,
                 const ds_scenario_t *const *scenarios, int n_scenarios)
{
    ds_run_key_init_optimise(key, kind, &common->design, method, n_trials, seed, &common->timing,
                             &common->optimise, common->target.target, common->target.lo,
                             common->target.hi, scenarios, n_scenarios);
}

int cli_results_begin(cli_results_t *self, const cli_common_t *common, bool quiet, FILE *say)
{
    ds_diag_t diag;
    self->quiet = quiet;
    self->say = say;
    if (ds_report_begin(&self->report, self->out_dir, &diag) != 0) {
        cli_diag_error(common->command, &diag);
        return EXIT_RUN_FAILED;
    }
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        cli_guard_temp(ds_outfile_temp_name(&self->report.files[k]));
    }
    if (!quiet) {
        self->held_table = open_memstream(&self->held_text, &self->held_len);
        if (self->held_table == NULL) {
            cli_error(common->command, "out of memory");
            return EXIT_RUN_FAILED;
        }
        cli_print_results_begin(self->held_table, &self->table, &self->key, self->chosen, self->n,
                                self->key.method == DS_METHOD_MC);
    }
    return 0;
}

/* The table held so far, printed; what comes after goes straight to say. */
static void print_held_table(cli_results_t *self)
{
    if (self->held_table != NULL) {
        fclose(self->held_table);
        self->held_table = NULL;
        fwrite(self->held_text, 1, self->held_len, self->say);
        free(self->held_text);
        self->held_text = NULL;
    }
}

void cli_results_add(cli_results_t *self, const ds_result_t *result)
{
    ds_report_add(&self->report, &self->key, result);
    if (!self->quiet) {
        FILE *table = self->held_table != NULL ? self->held_table : self->say;
        cli_print_result(table, &self->table, result);
        if (self->held_table != NULL && ftello(self->held_table) > (off_t)CLI_TABLE_HELD_BYTES) {
            print_held_table(self);
        }
    }
}

int cli_results_finish(cli_results_t *self, const cli_common_t *common)
{
    ds_diag_t diag;
    if (ds_report_end(&self->report, &diag) != 0) {
        cli_diag_error(common->command, &diag);
        return EXIT_RUN_FAILED;
    }
    print_held_table(self);
    /* A closed pipe or a full disk under the table: the run fails before it replaces anything. */
    int status = cli_stdout_check(common->command);
    if (status != 0) {
        ds_report_discard(&self->report);
        return status;
    }
    ds_outfile_t *files[DS_RESULT_FILES];
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        files[k] = &self->report.files[k];
    }
    char summary[CLI_PATH_CHARS];
    snprintf(summary, sizeof(summary), "%s/%s", self->out_dir, DS_SUMMARY_FILE);
    cli_replace_check_t check = {.common = common,
                                 .what = "the results",
                                 .beyond_key = BEYOND_KEY,
                                 .path = summary,
                                 .key = &self->key,
                                 .first = self->n > 0 ? self->chosen[0] : NULL};
    status = cli_publish(common->command, files, DS_RESULT_FILES, DS_PUBLISH_SET,
                         self->n > 0 ? &check : NULL);
    if (status != 0) {
        return status;
    }
    if (!self->quiet) {
        fprintf(self->say, "\nwrote %s/%s", self->out_dir, ds_result_file_names[0]);
        for (int k = 1; k < DS_RESULT_FILES; k++) {
            fprintf(self->say, ", %s", ds_result_file_names[k]);
        }
        fputc('\n', self->say);
        note_old_figures(self->say, self->out_dir);
    }
    return 0;
}

int cli_results_write(cli_results_t *self, const cli_common_t *common, bool quiet, FILE *say)
{
    int status = cli_results_begin(self, common, quiet, say);
    for (int i = 0; status == 0 && i < self->n; i++) {
        cli_results_add(self, &self->results[i]);
    }
    return status != 0 ? status : cli_results_finish(self, common);
}

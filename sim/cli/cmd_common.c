/* What the subcommands that run a design share: loading the scenarios asked
 * for, the result set of a command and its table, and actions in words. */
#include "cmd.h"
#include "figure.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int cli_load_scenarios(cli_common_t *self, ds_scenario_file_t *file,
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
    if (ds_scenario_file_load(file, self->scenario_path, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return EXIT_BAD_INPUT;
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
                    fprintf(stderr, "  %s\n", file->scenarios[k].name);
                }
                free(chosen);
                return EXIT_BAD_INPUT;
            }
            cli_error(cmd, "--scenario: %s has no scenario '%s'; it has:", file->path,
                      self->scenario_names[i]);
            for (int k = 0; k < file->n_scenarios; k++) {
                fprintf(stderr, "  %s\n", file->scenarios[k].name);
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
        if (!ds_scenario_is_monotone(chosen[i])) {
            fprintf(stderr,
                    "dosesim %s: warning: %s:%ld: scenario '%s': p_dlt falls as the dose rises; "
                    "simulating it as given\n",
                    cmd, file->path, chosen[i]->line, chosen[i]->name);
        }
    }
    *selected = chosen;
    *n_selected = n;
    return 0;
}

void cli_describe_action(const ds_action_t *a, const ds_scenario_t *scenario, char *buf,
                         size_t size)
{
    const char *label = a->level >= 0 ? scenario->labels[a->level] : "";
    char who[32]; /* "3", or for one patient (the rolling six) "the next patient" */
    if (a->n == 1) {
        snprintf(who, sizeof(who), "the next patient");
    } else {
        snprintf(who, sizeof(who), "%d", a->n);
    }
    switch (a->why) {
    case DS_WHY_START:
        snprintf(buf, size, "start: %s at %s", who, label);
        break;
    case DS_WHY_ESCALATE:
        snprintf(buf, size, "escalate: %s at %s", who, label);
        break;
    case DS_WHY_EXPAND:
        snprintf(buf, size, "%d more at %s", a->n, label);
        break;
    case DS_WHY_SAME:
        snprintf(buf, size, "%s at %s", who, label);
        break;
    case DS_WHY_SUSPEND:
        snprintf(buf, size, "enrolment suspended: six at %s, outcomes pending", label);
        break;
    case DS_WHY_TOP_EXPAND:
        snprintf(buf, size, "%s%s at %s (highest dose allowed)", who, a->n == 1 ? "" : " more",
                 label);
        break;
    case DS_WHY_TOP_ACCEPT:
        snprintf(buf, size, "RP2D %s (highest dose allowed, accepted as it stands)", label);
        break;
    case DS_WHY_TOP_COMPLETE:
        snprintf(buf, size, "RP2D %s", label);
        break;
    case DS_WHY_LOWER_FRESH:
        snprintf(buf, size, "too toxic; de-escalate: %s at %s", who, label);
        break;
    case DS_WHY_LOWER_CONFIRM:
        snprintf(buf, size, "too toxic; de-escalate: %s%s at %s", who, a->n == 1 ? "" : " more",
                 label);
        break;
    case DS_WHY_LOWER_COMPLETE:
    case DS_WHY_LOWER_AS_IS:
        snprintf(buf, size, "too toxic; RP2D %s", label);
        break;
    case DS_WHY_NONE_BELOW:
        snprintf(buf, size, "too toxic; no RP2D");
        break;
    default:
        snprintf(buf, size, "(a state the rules cannot handle)");
        break;
    }
}

int cli_check_output_names(const cli_command_t *command, const cli_args_t *args)
{
    /* The names given, by the one rule (cli_io_check), before any input is read;
     * the defaults and the inputs are checked again with them once they are known. */
    cli_io_t io;
    cli_io_init(&io);
    int status = 0;
    if (args->common.out_dir != NULL) {
        status = cli_io_add(&io, CLI_IO_FOLDER, "--out", args->common.out_dir);
    }
    if (status == 0 && args->out_file != NULL) {
        status = cli_io_add(&io, CLI_IO_STREAMABLE, "--out", args->out_file);
    }
    if (status == 0 && args->trials_csv != NULL) {
        status = cli_io_add(&io, CLI_IO_STREAMABLE, "--trials-csv", args->trials_csv);
    }
    status = status != 0 ? EXIT_RUN_FAILED : cli_io_check(&io, command->name);
    cli_io_free(&io);
    return status;
}

double cli_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int clamp_width(size_t len, int lo, int hi)
{
    int w = len > (size_t)hi ? hi : (int)len;
    return w < lo ? lo : w;
}

void cli_print_results(FILE *out, const ds_result_t *results, int n_results, double overdose_limit)
{
    size_t name_len = 8;
    size_t label_len = 4;
    for (int i = 0; i < n_results; i++) {
        const ds_scenario_t *sc = results[i].scenario;
        name_len = strlen(sc->name) > name_len ? strlen(sc->name) : name_len;
        for (int d = 0; d < sc->n_levels; d++) {
            label_len = strlen(sc->labels[d]) > label_len ? strlen(sc->labels[d]) : label_len;
        }
    }
    int wn = clamp_width(name_len, 8, 28);
    int wl = clamp_width(label_len, 4, 16);
    bool mc = n_results > 0 && results[0].oc->method == DS_METHOD_MC;
    fprintf(out, "%-*s  %-*s  %6s  %8s  %9s  %8s  %6s\n", wn, "scenario", wl, "dose", "p_dlt",
            "P(RP2D)", mc ? "+-1.96se" : "", "patients", "DLTs");
    for (int i = 0; i < n_results; i++) {
        const ds_scenario_t *sc = results[i].scenario;
        const ds_oc_t *oc = results[i].oc;
        for (int d = 0; d < sc->n_levels; d++) {
            fprintf(out, "%-*.*s  %-*.*s  %6.3f  %8.4f  ", wn, wn, d == 0 ? sc->name : "", wl, wl,
                    sc->labels[d], sc->p_dlt[d], oc->prob_rp2d[d]);
            if (mc) {
                fprintf(out, "%9.4f", 1.96 * oc->prob_rp2d_se[d]);
            } else {
                fprintf(out, "%9s", "");
            }
            fprintf(out, "  %8.3f  %6.3f\n", oc->mean_patients[d], oc->mean_dlt[d]);
        }
        fprintf(out, "%-*s  %-*s  %6s  %8.4f  ", wn, "", wl, "none", "", oc->prob_none);
        if (mc) {
            fprintf(out, "%9.4f\n", 1.96 * oc->prob_none_se);
        } else {
            fprintf(out, "%9s\n", "");
        }
        ds_overdose_t over;
        ds_oc_overdose(oc, sc, overdose_limit, &over);
        fprintf(out,
                "%-*s  N: mean %.3f (sd %.2f), median %d, range %d-%d; DLTs %.3f; "
                "P(RP2D has p_dlt > %.2f) %.4f\n",
                wn, "", oc->mean_n, oc->sd_n, oc->n_p50, oc->min_n, oc->max_n_seen,
                oc->mean_dlt_total, overdose_limit, over.prob_rp2d_overdose);
        if (oc->timed) {
            fprintf(out,
                    "%-*s  time: mean %.1f days (sd %.1f), median %.1f, 10-90%%: %.1f-%.1f; "
                    "enrolled %.2f, not evaluable %.2f, turned away %.2f\n",
                    wn, "", oc->mean_duration_days, oc->sd_duration_days, oc->duration_p50,
                    oc->duration_p10, oc->duration_p90, oc->mean_enrolled, oc->mean_nonevaluable,
                    oc->mean_turned_away);
        }
    }
}

void cli_print_design(FILE *out, const ds_design_t *design, const ds_timing_t *timing)
{
    fprintf(out, "rules: %s, de-escalation %s, top dose %s, start at level %d\n", design->name,
            design->deescalate ? "yes" : "no", ds_top_dose_name(design->top_dose),
            design->start_level + 1);
    if (timing != NULL && timing->on) {
        char onset[64];
        ds_timing_onset_name(timing, onset, sizeof(onset));
        fprintf(out,
                "calendar: %g patients per 30 days, %g-day DLT window, DLT onset %s, "
                "dropout %g\n",
                timing->accrual_per_30, timing->window_days, onset, timing->dropout);
    }
}

int cli_results_init(cli_results_t *self, const cli_common_t *common, const ds_scenario_t **chosen,
                     int n_chosen, cli_io_t *io)
{
    memset(self, 0, sizeof(*self));
    self->out_dir = cli_output_dir(common);
    self->ocs = calloc((size_t)n_chosen, sizeof(*self->ocs));
    self->results = calloc((size_t)n_chosen, sizeof(*self->results));
    if (self->out_dir == NULL || self->ocs == NULL || self->results == NULL) {
        cli_error(common->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    self->n = n_chosen;
    for (int i = 0; i < n_chosen; i++) {
        self->results[i] = (ds_result_t){.scenario = chosen[i], .oc = &self->ocs[i]};
    }
    int ret = cli_io_add(io, common->out_dir != NULL ? CLI_IO_FOLDER : CLI_IO_DEFAULT_FOLDER,
                         "--out", self->out_dir);
    for (int k = 0; k < DS_RESULT_FILES && ret == 0; k++) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", self->out_dir, ds_result_file_names[k]);
        ret = cli_io_add(io, CLI_IO_SET_MEMBER, ds_result_file_names[k], path);
    }
    if (ret != 0) {
        cli_error(common->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    return 0;
}

void cli_results_free(cli_results_t *self)
{
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
            char path[4200];
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

int cli_results_write(const cli_results_t *self, const cli_common_t *common, uint64_t seed,
                      bool quiet, FILE *say)
{
    ds_diag_t diag;
    ds_run_info_t info = {.design = &common->design,
                          .seed = seed,
                          .overdose_limit = common->overdose_limit,
                          .timing = &common->timing};
    ds_report_t report;
    if (ds_report_write(&report, self->out_dir, &info, self->results, self->n, &diag) != 0) {
        cli_diag_error(common->command, &diag);
        return EXIT_RUN_FAILED;
    }
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        cli_guard_temp(ds_outfile_temp_name(&report.files[k]));
    }
    if (!quiet) {
        cli_print_results(say, self->results, self->n, common->overdose_limit);
    }
    /* A closed pipe or a full disk under the table: the run fails before it replaces anything. */
    int status = cli_stdout_check(common->command);
    if (status != 0) {
        ds_report_discard(&report);
        return status;
    }
    ds_outfile_t *files[DS_RESULT_FILES];
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        files[k] = &report.files[k];
    }
    status = cli_publish(common->command, files, DS_RESULT_FILES, DS_PUBLISH_SET);
    if (status != 0) {
        return status;
    }
    if (!quiet) {
        fprintf(say, "\nwrote %s/%s, %s, %s, %s\n", self->out_dir, DS_SUMMARY_FILE, DS_DOSES_FILE,
                DS_SAMPLE_SIZE_FILE, DS_DURATION_FILE);
        note_old_figures(say, self->out_dir);
    }
    return 0;
}

/* dosesim sweep: operating-characteristic curves, as one dose's p_dlt (or every
 * dose's, scaled together) moves over a grid; exact without calendar time,
 * Monte Carlo with it. */
#include "cmd.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: dosesim sweep SCENARIO_FILE --scenario NAME --vary LEVEL|all --from A --to B\n"
        "                     --step S [--out FILE] [--trials N] [--seed S] [--quiet] [--replace]\n"
        "                     [--target T] [--target-interval LO,HI]\n"
        "                     [design options] [calendar options]\n"
        "\n"
        "The design's operating characteristics at each value A, A+S, ..., up to B: with\n"
        "--vary LEVEL the p_dlt of that dose level takes the value; with --vary all every\n"
        "dose's p_dlt is multiplied by it (and capped at 1). Exact, or Monte Carlo (--trials,\n"
        "--seed) when calendar time is on. One CSV row per value and dose (and its none row),\n"
        "with doses.csv's and summary.csv's columns for that value, in FILE (default\n"
        "results/<file stem>/sweep_<scenario>_vary-<LEVEL|all>.csv; - for stdout, the table\n"
        "then on stderr).\n"
        "\n"
        "  --scenario NAME          the scenario (required)\n"
        "  --vary LEVEL|all         which p_dlt moves (required)\n"
        "  --from A --to B --step S the grid (S > 0; at most %d values)\n"
        "  --out FILE               the CSV file\n"
        "  --trials N, --seed S     for Monte Carlo (defaults %" PRIu64 ", %" PRIu64 ")\n"
        "%s"
        "  --quiet                  no table on stdout, no note on unused columns\n"
        "  --replace                replace what another run left there (else refused)\n"
        "%s%s",
        DS_MAX_SWEEP_POINTS, DS_DEFAULT_TRIALS, DS_DEFAULT_SEED, CLI_TARGET_HELP, CLI_DESIGN_HELP,
        CLI_TIMING_HELP);
}

/* A value of the grid: A + k S, kept to 12 significant digits so that 0.1 + 3 x 0.05
 * is 0.25 and not 0.25000000000000006. */
static double grid_value(double from, double step, int k)
{
    char text[DS_DOUBLE_CHARS];
    snprintf(text, sizeof(text), "%.12g", from + step * k);
    return strtod(text, NULL);
}

/* Characteristics of one grid point: exact, or simulated with calendar time
 * (the CSV's writer derives the accuracy measures from them). */
static int characterise(const ds_scenario_t *swept, const cli_common_t *common, uint64_t seed,
                        uint64_t trials, int threads, ds_oc_t *oc, ds_diag_t *diag)
{
    return common->timing.on ? ds_engine_simulate(swept, &common->design, &common->timing, seed,
                                                  trials, threads, oc, NULL, diag)
                             : ds_exact_oc(swept, &common->design, oc, diag);
}

static int run_sweep(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const char *vary = args->vary, *out_file = args->out_file;
    const double from = args->from, to = args->to, step = args->step;
    const uint64_t trials = args->trials, seed = args->seed;
    const bool quiet = args->quiet;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    char *csv_path = NULL;
    ds_outfile_t csv;
    cli_io_t io;
    double p[DS_MAX_LEVELS];
    ds_scenario_t swept;
    ds_diag_t diag;
    (void)cluster;

    ds_diag_clear(&diag);
    ds_outfile_init(&csv);
    cli_io_init(&io);
    ds_scenario_file_init(&file);
    if (vary == NULL || isnan(from) || isnan(to) || isnan(step)) {
        cli_error("sweep", "needs --vary, --from, --to and --step (see dosesim sweep --help)");
        goto out;
    }
    if (!(step > 0.0) || to < from || (to - from) / step + 1.0 > DS_MAX_SWEEP_POINTS) {
        cli_error("sweep",
                  "--from %g --to %g --step %g: need step > 0, from <= to, and at most "
                  "%d values",
                  from, to, step, DS_MAX_SWEEP_POINTS);
        goto out;
    }
    if (!common.timing.on && args->monte_carlo_option_given != NULL) {
        cli_error("sweep",
                  "%s is for Monte Carlo, which sweep runs only on calendar time (--accrual); "
                  "without it every value is calculated exactly",
                  args->monte_carlo_option_given);
        goto out;
    }
    status = cli_load_scenarios(&common, quiet, &file, &chosen, &n_chosen);
    if (status != 0) {
        goto out;
    }
    status = EXIT_BAD_INPUT;
    const ds_scenario_t *scenario = chosen[0];
    int level = -1; /* -1: all, scaled */
    uint64_t chosen_level = 0;
    if (strcmp(vary, DS_VARY_ALL) != 0) {
        if (!cli_parse_count("sweep", "--vary", vary, 1, (uint64_t)scenario->n_levels,
                             &chosen_level)) {
            goto out;
        }
        level = (int)chosen_level - 1;
        if (from < 0.0 || to > 1.0) {
            cli_error("sweep", "--vary %s: p_dlt must stay in [0, 1], not %g..%g", vary, from, to);
            goto out;
        }
    } else if (from < 0.0) {
        cli_error("sweep", "--vary all: the scale factor cannot be negative (--from %g)", from);
        goto out;
    }
    status = EXIT_RUN_FAILED;
    /* The default name carries --vary, so that sweeps of one scenario along
     * different doses sit side by side. */
    char vary_text[16]; /* the level as a number ("02" given: 2), or all */
    if (level < 0) {
        snprintf(vary_text, sizeof(vary_text), "%s", DS_VARY_ALL);
    } else {
        snprintf(vary_text, sizeof(vary_text), "%d", level + 1);
    }
    char vary_suffix[32];
    snprintf(vary_suffix, sizeof(vary_suffix), DS_SWEEP_FILE_VARY "%s", vary_text);
    csv_path = out_file != NULL ? strdup(out_file)
                                : cli_scenario_csv_path(&common, DS_SWEEP_FILE_PREFIX,
                                                        scenario->name, vary_suffix);
    if (csv_path == NULL) {
        goto out;
    }
    /* One run_id for the grid: the scenario as given, the grid, and the method. */
    char kind[256];
    snprintf(kind, sizeof(kind), "%s vary=%s from=%a to=%a step=%a", DS_KEY_KIND_SWEEP, vary_text,
             from, to, step);
    ds_run_key_t key;
    cli_run_key(&key, &common, kind, common.timing.on ? DS_METHOD_MC : DS_METHOD_EXACT, trials,
                seed, &scenario, 1);
    status = cli_check_listing(&common, csv_path, out_file != NULL, &io);
    if (status == 0 && strcmp(csv_path, "-") != 0) {
        status =
            cli_check_replace(&common, "a sweep", "another grid (--vary, --from, --to, --step), ",
                              csv_path, &key, scenario);
    }
    if (status == 0) {
        status = cli_outfile_open("sweep", &csv, csv_path, DS_OUTPUT_MAY_STREAM);
    }
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    ds_sweep_csv_begin(&csv);
    const bool to_stdout = csv.kind == DS_OUTPUT_STDOUT;
    FILE *say = to_stdout ? cli_messages() : cli_output();
    swept = *scenario;
    swept.p_dlt = p;
    int n_values = (int)floor((to - from) / step + 1e-9) + 1;
    if (!quiet) {
        fprintf(say, "dosesim sweep: scenario '%s' of %s, %s %s from %g to %g by %g (%s)\n",
                scenario->name, file.path, level < 0 ? "every p_dlt scaled by" : "p_dlt of level",
                level < 0 ? "a factor" : vary, from, to, step,
                common.timing.on ? "Monte Carlo" : "exact");
        cli_print_design(say, &common.design, &common.timing);
        fprintf(say, "\n%10s", "value");
        for (int d = 0; d < scenario->n_levels; d++) {
            fprintf(say, "  %10.10s", scenario->labels[d]);
        }
        fprintf(say, "  %10s  %8s%s\n", "none", "E[N]", common.timing.on ? "  E[days]" : "");
    }
    const int cpus = cli_available_cpus(); /* asked once: the answer costs a system call */
    for (int k = 0; k < n_values; k++) {
        double value = grid_value(from, step, k);
        for (int d = 0; d < scenario->n_levels; d++) {
            p[d] = level < 0    ? fmin(1.0, value * scenario->p_dlt[d])
                   : d == level ? value
                                : scenario->p_dlt[d];
        }
        ds_oc_t oc;
        if (ds_control_stop_requested()) {
            cli_error("sweep", "interrupted at value %g", value);
            goto out;
        }
        if (characterise(&swept, &common, seed, trials, cpus, &oc, &diag) != 0) {
            cli_error("sweep", "at value %g: %s", value, diag.message);
            ds_oc_free(&oc);
            goto out;
        }
        if (ds_sweep_csv_add(&csv, &key, &swept, vary_text, value, &oc) != 0) {
            ds_outfile_failure(&csv, &diag);
            cli_diag_error("sweep", &diag);
            ds_oc_free(&oc);
            goto out;
        }
        if (!quiet) {
            fprintf(say, "%10g", value);
            for (int d = 0; d < scenario->n_levels; d++) {
                fprintf(say, "  %10.4f", oc.prob_rp2d[d]);
            }
            fprintf(say, "  %10.4f  %8.3f", oc.prob_none, oc.mean_treated_total);
            if (oc.timed) {
                fprintf(say, "  %8.1f", oc.mean_duration_days);
            }
            fputc('\n', say);
        }
        ds_oc_free(&oc);
    }
    if (cli_stdout_check("sweep") != 0) {
        goto out;
    }
    ds_outfile_t *one[1] = {&csv};
    cli_replace_check_t check = {.common = &common,
                                 .what = "a sweep",
                                 .beyond_key = "another grid (--vary, --from, --to, --step), ",
                                 .path = csv_path,
                                 .key = &key,
                                 .first = scenario};
    int published = cli_publish("sweep", one, 1, 0, strcmp(csv_path, "-") != 0 ? &check : NULL);
    if (published != 0) {
        status = published;
        goto out;
    }
    if (!quiet && !to_stdout) {
        fprintf(say, "\nwrote %s\n", csv_path);
    }
    status = 0;
out:
    ds_outfile_discard(&csv);
    cli_io_free(&io);
    free(csv_path);
    free(chosen);
    ds_scenario_file_free(&file);
    return status;
}

const cli_command_t cli_command_sweep = {
    .name = "sweep",
    .summary = "operating-characteristic curves as p_dlt moves over a grid",
    .options = CLI_OPT(OPT_SCENARIO) | CLI_OPT(OPT_VARY) | CLI_OPT(OPT_FROM) | CLI_OPT(OPT_TO) |
               CLI_OPT(OPT_STEP) | CLI_OPT(OPT_OUT) | CLI_OPT(OPT_TRIALS) | CLI_OPT(OPT_SEED) |
               CLI_TARGET_OPTIONS | CLI_OPT(OPT_QUIET) | CLI_OPT(OPT_REPLACE) | CLI_DESIGN_OPTIONS |
               CLI_TIMING_OPTIONS,
    .positional = CLI_SCENARIO_FILE,
    .one_scenario = true,
    .out_is_file = true,
    .usage = usage,
    .run = run_sweep,
};

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
    fprintf(out,
            "usage: dosesim sweep SCENARIO_FILE --scenario NAME --vary LEVEL|all --from A --to B\n"
            "                     --step S [--out FILE] [--trials N] [--seed S]\n"
            "                     [design options] [calendar options]\n"
            "\n"
            "The design's operating characteristics at each value A, A+S, ..., up to B: with\n"
            "--vary LEVEL the p_dlt of that dose level takes the value; with --vary all every\n"
            "dose's p_dlt is multiplied by it (and capped at 1). Exact, or Monte Carlo (--trials,\n"
            "--seed) when calendar time is on. One CSV row per value and dose, in FILE (default\n"
            "results/<file stem>/sweep_<scenario>.csv).\n"
            "\n"
            "  --scenario NAME          the scenario (required)\n"
            "  --vary LEVEL|all         which p_dlt moves (required)\n"
            "  --from A --to B --step S the grid (S > 0; at most %d values)\n"
            "  --out FILE               the CSV file\n"
            "  --trials N, --seed S     for Monte Carlo (defaults %" PRIu64 ", %" PRIu64 ")\n"
            "  --quiet                  no table on stdout\n"
            "%s%s",
            DS_MAX_SWEEP_POINTS, DS_DEFAULT_TRIALS, DS_DEFAULT_SEED, CLI_DESIGN_HELP,
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

/* Characteristics of one grid point: exact, or simulated with calendar time. */
static int characterise(const ds_scenario_t *swept, const cli_common_t *common, uint64_t seed,
                        uint64_t trials, int threads, ds_oc_t *oc, ds_diag_t *diag)
{
    if (!common->timing.on) {
        return ds_exact_oc(swept, &common->design, oc, diag);
    }
    ds_engine_t engine;
    ds_tally_t tally;
    ds_tally_init_empty(&tally);
    int ret = ds_engine_init(&engine, swept, &common->design, &common->timing, diag);
    if (ret == 0) {
        ret = ds_engine_tally_init(&engine, &tally);
    }
    if (ret == 0) {
        ret = ds_engine_run_threads(&engine, seed, trials, 0, ds_engine_n_blocks(trials), threads,
                                    &tally);
    }
    if (ret == 0) {
        ret = ds_oc_init(oc, engine.n_levels, engine.max_n);
    }
    if (ret == 0) {
        ret = ds_oc_from_tally(oc, &tally);
    }
    ds_tally_free(&tally);
    ds_engine_free(&engine);
    return ret;
}

int main_sweep(int argc, char *argv[], const cli_cluster_t *cluster)
{
    static const struct option options[] = {
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"vary", required_argument, NULL, OPT_VARY},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"step", required_argument, NULL, OPT_STEP},
        {"out", required_argument, NULL, OPT_OUT},
        {"trials", required_argument, NULL, OPT_TRIALS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        CLI_DESIGN_OPTIONS,
        CLI_TIMING_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common_t common;
    const char *vary = NULL, *out_file = NULL;
    double from = NAN, to = NAN, step = NAN;
    uint64_t trials = DS_DEFAULT_TRIALS, seed = DS_DEFAULT_SEED;
    bool quiet = false;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    char *csv_path = NULL;
    ds_atomic_file_t csv;
    double p[DS_MAX_LEVELS];
    ds_scenario_t swept;
    ds_diag_t diag;
    (void)cluster;

    memset(&csv, 0, sizeof(csv));
    ds_scenario_file_init(&file);
    cli_common_init(&common, "sweep");
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        int shared = opt == OPT_OUT ? 0 : cli_common_option(&common, opt, optarg);
        if (shared < 0) {
            goto out;
        }
        if (shared > 0) {
            continue;
        }
        switch (opt) {
        case OPT_VARY:
            vary = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
        case OPT_STEP: {
            const char *name = opt == OPT_FROM ? "--from" : opt == OPT_TO ? "--to" : "--step";
            double *value = opt == OPT_FROM ? &from : opt == OPT_TO ? &to : &step;
            if (!ds_parse_double(optarg, value)) {
                cli_error("sweep", "%s: '%s' is not a number", name, optarg);
                goto out;
            }
            break;
        }
        case OPT_OUT:
            out_file = optarg;
            break;
        case OPT_TRIALS:
            if (!cli_parse_count("sweep", "--trials", optarg, 1, DS_MAX_TRIALS, &trials)) {
                goto out;
            }
            break;
        case OPT_SEED:
            if (!cli_parse_u64("sweep", "--seed", optarg, &seed)) {
                goto out;
            }
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        case OPT_HELP:
            usage(stdout);
            status = 0;
            goto out;
        default:
            cli_bad_option("sweep", opt, argv);
            goto out;
        }
    }
    if (!cli_take_scenario_file(&common, argc, argv) || !cli_common_finish_timing(&common)) {
        goto out;
    }
    if (common.n_scenario_names != 1) {
        cli_error("sweep", "--scenario NAME: name exactly one scenario (see dosesim sweep --help)");
        goto out;
    }
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
    if (out_file != NULL && out_file[0] == '\0') {
        cli_error("sweep", "--out: the file name is empty");
        goto out;
    }
    status = cli_load_scenarios(&common, &file, &chosen, &n_chosen);
    if (status != 0) {
        goto out;
    }
    status = EXIT_BAD_INPUT;
    const ds_scenario_t *scenario = chosen[0];
    int level = -1; /* -1: all, scaled */
    uint64_t chosen_level = 0;
    if (strcmp(vary, "all") != 0) {
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
    if (out_file == NULL) {
        char *dir = cli_output_dir(&common);
        size_t size = dir != NULL ? strlen(dir) + strlen(scenario->name) + 16 : 0;
        csv_path = dir != NULL ? malloc(size) : NULL;
        if (csv_path == NULL || ds_make_dirs(dir, &diag) != 0) {
            cli_error("sweep", "%s", csv_path == NULL ? "out of memory" : diag.message);
            free(dir);
            goto out;
        }
        int at = snprintf(csv_path, size, "%s/sweep_", dir);
        for (const char *c = scenario->name; *c != '\0'; c++) {
            csv_path[at++] = strchr("/\\\\ :*?\"<>|", *c) == NULL ? *c : '_';
        }
        snprintf(csv_path + at, size - (size_t)at, ".csv");
        free(dir);
    }
    if (ds_sweep_csv_open(&csv, csv_path != NULL ? csv_path : out_file, &diag) != 0) {
        cli_diag_error("sweep", &diag);
        goto out;
    }
    swept = *scenario;
    swept.p_dlt = p;
    int n_values = (int)floor((to - from) / step + 1e-9) + 1;
    if (!quiet) {
        printf("dosesim sweep: scenario '%s' of %s, %s %s from %g to %g by %g (%s)\n",
               scenario->name, file.path, level < 0 ? "every p_dlt scaled by" : "p_dlt of level",
               level < 0 ? "a factor" : vary, from, to, step,
               common.timing.on ? "Monte Carlo" : "exact");
        cli_print_design(stdout, &common.design, &common.timing);
        printf("\n%10s", "value");
        for (int d = 0; d < scenario->n_levels; d++) {
            printf("  %10.10s", scenario->labels[d]);
        }
        printf("  %10s  %8s%s\n", "none", "E[N]", common.timing.on ? "  E[days]" : "");
    }
    for (int k = 0; k < n_values; k++) {
        double value = grid_value(from, step, k);
        for (int d = 0; d < scenario->n_levels; d++) {
            p[d] = level < 0    ? fmin(1.0, value * scenario->p_dlt[d])
                   : d == level ? value
                                : scenario->p_dlt[d];
        }
        ds_oc_t oc;
        if (characterise(&swept, &common, seed, trials, cli_available_cpus(), &oc, &diag) != 0 ||
            ds_sweep_csv_add(&csv, &swept, vary, value, &oc, &common.design) != 0) {
            cli_error("sweep", "at value %g: %s", value,
                      diag.message[0] ? diag.message : "cannot write");
            ds_oc_free(&oc);
            goto out;
        }
        if (!quiet) {
            printf("%10g", value);
            for (int d = 0; d < scenario->n_levels; d++) {
                printf("  %10.4f", oc.prob_rp2d[d]);
            }
            printf("  %10.4f  %8.3f", oc.prob_none, oc.mean_n);
            if (oc.timed) {
                printf("  %8.1f", oc.mean_duration_days);
            }
            putchar('\n');
        }
        ds_oc_free(&oc);
    }
    if (ds_atomic_commit(&csv, &diag) != 0) {
        cli_diag_error("sweep", &diag);
        goto out;
    }
    if (!quiet) {
        printf("\nwrote %s\n", csv_path != NULL ? csv_path : out_file);
    }
    status = 0;
out:
    ds_atomic_discard(&csv);
    free(csv_path);
    free(chosen);
    ds_scenario_file_free(&file);
    cli_common_free(&common);
    return status;
}

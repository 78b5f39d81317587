/* dosesim run: Monte Carlo operating characteristics of a design under each scenario. */
#include "cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: dosesim run SCENARIO_FILE [--scenario NAME]... [--trials N] [--seed S]\n"
        "                   [--out DIR] [--trials-csv FILE] [design options]\n"
        "\n"
        "Simulates the design under each scenario of the file (or those named) and writes\n"
        "summary.csv, doses.csv and sample_size.csv to DIR (default results/<file stem>/).\n"
        "\n"
        "  --scenario NAME          run only this scenario (repeatable)\n"
        "  --trials N               trials per scenario (default %" PRIu64 "; 1e6 works)\n"
        "  --seed S                 random seed, 0..2^64-1 (default %" PRIu64 ")\n"
        "  --out DIR                output folder\n"
        "  --trials-csv FILE        also write one row per trial to FILE\n"
        "  --overdose-limit P       doses with p_dlt above P count as overdoses (default %.2f)\n"
        "  --quiet                  no table on stdout\n"
        "%s",
        DS_DEFAULT_TRIALS, DS_DEFAULT_SEED, DS_DEFAULT_OVERDOSE_LIMIT, CLI_DESIGN_HELP);
}

typedef struct {
    ds_trial_writer_t *writer;
    const char *scenario;
} trial_sink_t;

static int write_trial(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d)
{
    trial_sink_t *sink = ctx;
    return ds_trial_writer_add(sink->writer, sink->scenario, trial, state, rp2d);
}

/* Simulate one scenario into oc (initialised here). */
static int simulate(const ds_scenario_t *scenario, const ds_design_t *design, uint64_t seed,
                    uint64_t trials, ds_trial_writer_t *writer, ds_oc_t *oc, ds_diag_t *diag)
{
    ds_engine_t engine;
    ds_tally_t tally;
    trial_sink_t sink = {.writer = writer, .scenario = scenario->name};
    ds_engine_init_empty(&engine);
    ds_tally_init_empty(&tally);

    int ret = ds_engine_init(&engine, scenario, design, diag);
    if (ret == 0) {
        ret = ds_tally_init(&tally, engine.n_levels, engine.max_n);
    }
    if (ret == 0) {
        ret = ds_engine_run_blocks(&engine, seed, trials, 0, ds_engine_n_blocks(trials), &tally,
                                   writer != NULL ? write_trial : NULL, &sink);
    }
    if (ret == 0) {
        ret = ds_oc_init(oc, engine.n_levels, engine.max_n);
    }
    if (ret == 0) {
        ret = ds_oc_from_tally(oc, &tally);
    }
    if (ret != 0 && diag->message[0] == '\0') {
        ds_diag_set(diag, ret, NULL, 0, "", "simulating scenario '%s': %s", scenario->name,
                    ds_strerror(ret));
    }
    ds_tally_free(&tally);
    ds_engine_free(&engine);
    return ret;
}

int main_run(int argc, char *argv[])
{
    static const struct option options[] = {
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"trials", required_argument, NULL, OPT_TRIALS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"out", required_argument, NULL, OPT_OUT},
        {"trials-csv", required_argument, NULL, OPT_TRIALS_CSV},
        {"overdose-limit", required_argument, NULL, OPT_OVERDOSE_LIMIT},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        CLI_DESIGN_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common_t common;
    uint64_t trials = DS_DEFAULT_TRIALS;
    uint64_t seed = DS_DEFAULT_SEED;
    const char *trials_csv = NULL;
    bool quiet = false;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    cli_results_t out;
    ds_trial_writer_t writer;
    ds_diag_t diag;

    ds_diag_clear(&diag);
    memset(&writer, 0, sizeof(writer));
    memset(&out, 0, sizeof(out));
    ds_scenario_file_init(&file);
    cli_common_init(&common, "run");
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        int shared = cli_common_option(&common, opt, optarg);
        if (shared < 0) {
            goto out;
        }
        if (shared > 0) {
            continue;
        }
        switch (opt) {
        case OPT_TRIALS:
            if (!cli_parse_count("run", "--trials", optarg, 1, DS_MAX_TRIALS, &trials)) {
                goto out;
            }
            break;
        case OPT_SEED:
            if (!cli_parse_u64("run", "--seed", optarg, &seed)) {
                goto out;
            }
            break;
        case OPT_TRIALS_CSV:
            trials_csv = optarg;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        case OPT_HELP:
            usage(stdout);
            status = 0;
            goto out;
        default:
            cli_bad_option("run", opt, argv);
            goto out;
        }
    }
    if (!cli_take_scenario_file(&common, argc, argv)) {
        goto out;
    }
    status = cli_load_scenarios(&common, &file, &chosen, &n_chosen);
    if (status != 0) {
        goto out;
    }
    status = cli_results_init(&out, &common, chosen, n_chosen);
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    if (trials_csv != NULL) {
        int widest = 0;
        for (int i = 0; i < n_chosen; i++) {
            widest = chosen[i]->n_levels > widest ? chosen[i]->n_levels : widest;
        }
        if (ds_trial_writer_open(&writer, trials_csv, widest, &diag) != 0) {
            cli_diag_error("run", &diag);
            goto out;
        }
    }
    if (!quiet) {
        printf("dosesim run: %s, %d scenario%s, %" PRIu64 " trials each, seed %" PRIu64 "\n",
               file.path, n_chosen, n_chosen == 1 ? "" : "s", trials, seed);
        cli_print_design(stdout, &common.design);
        putchar('\n');
    }
    double t0 = cli_now();
    for (int i = 0; i < n_chosen; i++) {
        if (simulate(chosen[i], &common.design, seed, trials, trials_csv != NULL ? &writer : NULL,
                     &out.ocs[i], &diag) != 0) {
            cli_diag_error("run", &diag);
            goto out;
        }
    }
    double elapsed = cli_now() - t0;
    if (trials_csv != NULL && ds_trial_writer_commit(&writer, &diag) != 0) {
        cli_diag_error("run", &diag);
        goto out;
    }
    status = cli_results_write(&out, &common, seed, quiet);
    if (status != 0) {
        goto out;
    }
    if (!quiet && trials_csv != NULL) {
        printf("wrote %s\n", trials_csv);
    }
    double total = (double)trials * n_chosen;
    fflush(stdout); /* the closing line comes last, even when both go to one pipe */
    fprintf(stderr, "dosesim run: %.0f trials in %.3f s (%.3g trials/s)\n", total, elapsed,
            elapsed > 0 ? total / elapsed : 0.0);
out:
    ds_trial_writer_abort(&writer);
    cli_results_free(&out);
    free(chosen);
    ds_scenario_file_free(&file);
    cli_common_free(&common);
    return status;
}

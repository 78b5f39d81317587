/* dosesim exact: operating characteristics without Monte Carlo error, by
 * enumerating every cohort outcome through the same rules. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim exact SCENARIO_FILE [--scenario NAME]... [--out DIR]\n"
            "                     [--target T] [--target-interval LO,HI] [--quiet] [--replace]\n"
            "                     [design options] [--optimise N]\n"
            "\n"
            "Computes the design's operating characteristics under each scenario of the file\n"
            "(or those named) exactly, and writes summary.csv, doses.csv, sample_size.csv,\n"
            "duration.csv (its header only: exact has no calendar time) and optimisation.csv\n"
            "(rows for scenarios with p_response) to DIR (default results/<file stem>/exact/),\n"
            "with the same columns as dosesim run: method exact, standard errors 0, intervals\n"
            "equal to the values.\n"
            "\n"
            "  --scenario NAME          only this scenario (repeatable)\n"
            "  --out DIR                output folder\n"
            "%s"
            "  --quiet                  no table on stdout, no note on unused columns\n"
            "  --replace                replace what another run left there (else refused)\n"
            "%s%s",
            CLI_TARGET_HELP, CLI_DESIGN_HELP, CLI_OPTIMISE_HELP);
}

static int run_exact(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const bool quiet = args->quiet;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    cli_results_t out;
    cli_io_t io;
    ds_diag_t diag;
    (void)cluster;

    cli_results_clear(&out);
    cli_io_init(&io);
    ds_scenario_file_init(&file);
    status = cli_load_scenarios(&common, quiet, &file, &chosen, &n_chosen);
    if (status == 0) {
        status = cli_common_inputs(&common, &io);
    }
    if (status == 0) {
        /* streamed: a file of 10^6 scenarios needs no result held */
        status =
            cli_results_init(&out, &common, chosen, n_chosen, DS_METHOD_EXACT, 0, 0, true, &io);
    }
    if (status == 0) {
        status = cli_io_check(&io, "exact");
    }
    if (status != 0) {
        goto out;
    }
    if (!quiet) {
        fprintf(cli_output(), "dosesim exact: %s, %d scenario%s\n", file.path, n_chosen,
                n_chosen == 1 ? "" : "s");
        cli_print_design(cli_output(), &common.design, NULL);
        fputc('\n', cli_output());
    }
    status = cli_results_begin(&out, &common, quiet, cli_output());
    if (status != 0) {
        goto out;
    }
    double elapsed = 0.0;
    for (int i = 0; i < n_chosen; i++) {
        ds_oc_t oc;
        double t0 = cli_now();
        if (ds_control_stop_requested()) {
            cli_error("exact", "interrupted at scenario '%s'", chosen[i]->name);
            status = EXIT_RUN_FAILED;
            goto out;
        }
        if (ds_exact_oc(chosen[i], &common.design, &oc, &diag) != 0) {
            cli_diag_error("exact", &diag);
            status = EXIT_RUN_FAILED;
            goto out;
        }
        elapsed += cli_now() - t0;
        cli_results_add(&out, &(ds_result_t){.scenario = chosen[i], .oc = &oc});
        ds_oc_free(&oc);
    }
    status = cli_results_finish(&out, &common);
    if (status == 0) {
        fflush(cli_output());
        fprintf(cli_messages(), "dosesim exact: %d scenario%s in %.3f ms\n", n_chosen,
                n_chosen == 1 ? "" : "s", elapsed * 1e3);
    }
out:
    cli_results_free(&out);
    cli_io_free(&io);
    free(chosen);
    ds_scenario_file_free(&file);
    return status;
}

const cli_command_t cli_command_exact = {
    .name = "exact",
    .summary = "exact operating characteristics, by enumerating every outcome",
    .options = CLI_OPT(OPT_SCENARIO) | CLI_OPT(OPT_OUT) | CLI_OPT(OPT_OVERDOSE_LIMIT) |
               CLI_TARGET_OPTIONS | CLI_OPT(OPT_QUIET) | CLI_OPT(OPT_REPLACE) | CLI_DESIGN_OPTIONS |
               CLI_OPTIMISE_OPTIONS,
    .positional = CLI_SCENARIO_FILE,
    .default_subdir = DS_EXACT_SUBDIR,
    .enumerates = true,
    .usage = usage,
    .run = run_exact,
};

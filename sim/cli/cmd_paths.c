/* dosesim paths: every possible course of one scenario's trial, with its
 * probability: a CSV row per path, and a tree on stdout for teaching. */
#include "cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim paths SCENARIO_FILE --scenario NAME [--out FILE] [--max-paths N]\n"
            "                     [--quiet] [--replace] [design options]\n"
            "\n"
            "Lists every possible trial of the scenario under the design, with its probability:\n"
            "a CSV row per path (path, probability, n_total, n_dlt, rp2d_level, cohorts) in FILE\n"
            "(default results/<file stem>/paths_<scenario>.csv), and the tree of paths on stdout.\n"
            "Paths of probability 0 (a DLT at p_dlt = 0, say) are left out.\n"
            "\n"
            "  --scenario NAME          the scenario (required)\n"
            "  --out FILE               the CSV file (- for stdout: the tree then goes to stderr)\n"
            "  --max-paths N            refuse, before writing, a listing of more than N paths\n"
            "                           (default %" PRIu64 ")\n"
            "  --quiet                  no tree on stdout, no note on unused columns\n"
            "  --replace                replace what another run left there (else refused)\n"
            "%s",
            DS_DEFAULT_MAX_PATHS, CLI_DESIGN_HELP);
}

typedef struct {
    const ds_scenario_t *scenario;
    ds_outfile_t *csv;
    FILE *say; /* the tree: stdout, or stderr when the CSV goes to stdout */
    bool print_tree;
    ds_cohort_t *cohorts; /* [depth]: the cohorts on the path to the current node */
    uint64_t n_paths;
    uint64_t n_impossible;
    double total;
    ds_run_key_t key; /* the key columns of every row */
} lister_t;

static int list_node(void *ctx, const ds_path_node_t *node)
{
    lister_t *l = ctx;
    const ds_trial_t *t = node->trial;
    char what[160];
    if (node->prob == 0.0) {
        l->n_impossible += node->action.kind != DS_ACTION_TREAT;
        return 0; /* and every node below it: they are impossible too */
    }
    cli_describe_action(&node->action, l->scenario, what, sizeof(what));
    if (node->depth > 0) {
        l->cohorts[node->depth - 1] = (ds_cohort_t){node->level, node->n, node->dlt};
    }
    if (l->print_tree) {
        if (node->depth == 0) {
            fprintf(l->say, "%s\n", what);
        } else {
            int patients = t->patients[node->level], dlts = t->dlts[node->level];
            fprintf(l->say, "%*s%s %d/%d", 2 * (node->depth - 1), "",
                    l->scenario->labels[node->level], node->dlt, node->n);
            if (patients > node->n) {
                fprintf(l->say, " (%d/%d in all)", dlts, patients);
            }
            fprintf(l->say, " -> %s", what);
        }
    }
    if (node->action.kind == DS_ACTION_TREAT) {
        if (l->print_tree && node->depth > 0) {
            fputc('\n', l->say);
        }
        return 0;
    }
    int rp2d = node->action.kind == DS_ACTION_SELECT ? node->action.level : -1;
    l->n_paths++;
    l->total += node->prob;
    if (l->print_tree) {
        fprintf(l->say, "   [path %" PRIu64 ": P = %.6g, %d patients]\n", l->n_paths, node->prob,
                t->n_total);
    }
    return ds_path_csv_add(l->csv, &l->key, l->scenario, l->n_paths, node->prob, t, rp2d,
                           l->cohorts, node->depth);
}

static int run_paths(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const bool quiet = args->quiet;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    char *csv_path = NULL;
    ds_outfile_t csv;
    lister_t lister = {0};
    cli_io_t io;
    (void)cluster;

    ds_outfile_init(&csv);
    cli_io_init(&io);
    ds_scenario_file_init(&file);
    status = cli_load_scenarios(&common, quiet, &file, &chosen, &n_chosen);
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    const ds_scenario_t *scenario = chosen[0];
    csv_path = args->out_file != NULL
                   ? strdup(args->out_file)
                   : cli_scenario_csv_path(&common, DS_PATHS_FILE_PREFIX, scenario->name, "");
    if (csv_path == NULL) {
        goto out;
    }
    ds_run_key_t key;
    cli_run_key(&key, &common, DS_KEY_KIND_PATHS, DS_METHOD_EXACT, 0, 0, &scenario, 1);
    status = cli_check_listing(&common, csv_path, args->out_file != NULL, &io);
    if (status == 0 && strcmp(csv_path, "-") != 0) {
        status = cli_check_replace(&common, "a path listing", NULL, csv_path, &key, scenario);
    }
    if (status != 0) {
        goto out;
    }
    /* Counted before anything is written: a listing can outgrow any disk. */
    uint64_t n_paths = 0;
    int counted = ds_paths_count(scenario, &common.design, args->max_paths, &n_paths);
    if (counted != 0 || n_paths > args->max_paths) {
        cli_error("paths",
                  "scenario '%s' has %s %" PRIu64 " possible trials under these rules, the "
                  "limit of a listing; raise it with --max-paths N, or use dosesim exact (the "
                  "same characteristics without listing them)",
                  scenario->name, counted == 0 ? "more than" : "too many to count, far over",
                  args->max_paths);
        status = EXIT_BAD_INPUT;
        goto out;
    }
    status = EXIT_RUN_FAILED;
    lister = (lister_t){.scenario = scenario,
                        .csv = &csv,
                        .print_tree = !quiet,
                        .say = cli_io_takes_stdout(&io) ? cli_messages() : cli_output(),
                        .key = key};
    lister.cohorts = calloc((size_t)ds_design_max_patients(&common.design, scenario->n_levels) + 1u,
                            sizeof(*lister.cohorts));
    if (lister.cohorts == NULL) {
        cli_error("paths", "out of memory");
        goto out;
    }
    if ((status = cli_outfile_open("paths", &csv, csv_path, DS_OUTPUT_MAY_STREAM)) != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    ds_path_csv_begin(&csv);
    const bool to_stdout = csv.kind == DS_OUTPUT_STDOUT;
    FILE *say = lister.say;
    if (!quiet) {
        fprintf(say, "dosesim paths: scenario '%s' of %s (", scenario->name, file.path);
        for (int d = 0; d < scenario->n_levels; d++) {
            fprintf(say, "%s%s: %g", d > 0 ? ", " : "", scenario->labels[d], scenario->p_dlt[d]);
        }
        fprintf(say, ")\n");
        cli_print_design(say, &common.design, NULL);
        fputc('\n', say);
    }
    ds_path_visitor_t visitor = {.enter = list_node, .leave = NULL, .ctx = &lister};
    int ret = ds_paths_walk(scenario, &common.design, &visitor);
    if (ret == DS_ERR_IO) {
        ds_diag_t diag;
        ds_outfile_failure(&csv, &diag);
        cli_diag_error("paths", &diag);
        goto out;
    }
    if (ret != 0) {
        cli_error("paths", "listing the paths: %s", ds_strerror(ret));
        goto out;
    }
    if (cli_stdout_check("paths") != 0) {
        goto out;
    }
    ds_outfile_t *one[1] = {&csv};
    cli_replace_check_t check = {.common = &common,
                                 .what = "a path listing",
                                 .beyond_key = NULL,
                                 .path = csv_path,
                                 .key = &key,
                                 .first = scenario};
    int published = cli_publish("paths", one, 1, 0, strcmp(csv_path, "-") != 0 ? &check : NULL);
    if (published != 0) {
        status = published;
        goto out;
    }
    if (!quiet) {
        fprintf(say, "\n%" PRIu64 " paths", lister.n_paths);
        if (lister.n_impossible > 0) {
            fprintf(say, " (and %" PRIu64 " of probability 0, left out)", lister.n_impossible);
        }
        fprintf(say, "; their probabilities sum to %.15f\n", lister.total);
        if (!to_stdout) {
            fprintf(say, "wrote %s\n", csv_path);
        }
    }
    status = 0;
out:
    ds_outfile_discard(&csv);
    free(lister.cohorts);
    free(csv_path);
    cli_io_free(&io);
    free(chosen);
    ds_scenario_file_free(&file);
    return status;
}

const cli_command_t cli_command_paths = {
    .name = "paths",
    .summary = "every possible course of a trial, with its probability",
    .options = CLI_OPT(OPT_SCENARIO) | CLI_OPT(OPT_OUT) | CLI_OPT(OPT_MAX_PATHS) |
               CLI_OPT(OPT_QUIET) | CLI_OPT(OPT_REPLACE) | CLI_DESIGN_OPTIONS,
    .positional = CLI_SCENARIO_FILE,
    .one_scenario = true,
    .enumerates = true,
    .out_is_file = true,
    .usage = usage,
    .run = run_paths,
};

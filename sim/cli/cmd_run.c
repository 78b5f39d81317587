/* dosesim run: Monte Carlo operating characteristics of a design under each
 * scenario, on threads, MPI ranks and job-array shards, with results that do
 * not depend on how the work was split. */
#include "cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim run SCENARIO_FILE [--scenario NAME]... [--trials N] [--seed S]\n"
            "                   [--out DIR] [--trials-csv FILE] [--threads T] [--shard I/N]\n"
            "                   [--target T] [--target-interval LO,HI] [--quiet] [--replace]\n"
            "                   [design options] [calendar options] [--optimise N]\n"
            "\n"
            "Simulates the design under each scenario of the file (or those named) and writes\n"
            "summary.csv, doses.csv, sample_size.csv, duration.csv (the trials' durations;\n"
            "its header only without --accrual) and optimisation.csv (response and the\n"
            "randomised stage; rows only for scenarios with p_response) to DIR (default\n"
            "results/<file stem>/).\n"
            "Under mpirun (a `make MPI=1` build) the ranks share the work; rank 0 writes.\n"
            "\n"
            "  --scenario NAME          run only this scenario (repeatable)\n"
            "  --trials N               trials per scenario (default %" PRIu64 "; 1e6 works)\n"
            "  --seed S                 random seed, 0..2^53-1 (default %" PRIu64 ")\n"
            "  --out DIR                output folder\n"
            "  --trials-csv FILE        also write one row per trial to FILE (one process)\n"
            "  --threads T              threads (default: the CPUs this process may use)\n"
            "  --shard I/N              run only the I-th of N equal shares of the trials and\n"
            "                           write DIR/shard-I-of-N.csv (default DIR results/<file\n"
            "                           stem>/shards); dosesim merge adds the N shards up\n"
            "%s"
            "  --quiet                  no table on stdout, no note on unused columns\n"
            "  --replace                replace what another run left there (else refused)\n"
            "%s%s%s%s",
            DS_DEFAULT_TRIALS, DS_DEFAULT_SEED, CLI_TARGET_HELP, CLI_DESIGN_HELP, CLI_TIMING_HELP,
            CLI_BACKFILL_HELP, CLI_OPTIMISE_HELP);
}

typedef struct {
    ds_trial_writer_t *writer;
    const ds_scenario_t *scenario;
} trial_sink_t;

static int write_trial(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                       const ds_calendar_t *calendar)
{
    trial_sink_t *sink = ctx;
    return ds_trial_writer_add(sink->writer, sink->scenario, trial, state, rp2d, calendar);
}

/* Simulate blocks [first, end) of one scenario into tally (initialised here):
 * with the per-trial writer in trial order on one thread, else on n_threads. */
static int simulate(const ds_scenario_t *scenario, const cli_common_t *common, uint64_t seed,
                    uint64_t trials, uint64_t first, uint64_t end, int n_threads,
                    ds_trial_writer_t *writer, ds_tally_t *tally, ds_diag_t *diag)
{
    ds_engine_t engine;
    trial_sink_t sink = {.writer = writer, .scenario = scenario};
    int ret = ds_engine_init(&engine, scenario, &common->design, &common->timing, diag);
    if (ret == 0) {
        ret = ds_engine_tally_init(&engine, tally);
    }
    if (ret == 0 && writer != NULL) {
        ret = ds_engine_run_blocks(&engine, seed, trials, first, end, tally, write_trial, &sink);
        if (ret == DS_ERR_IO) {
            ds_trial_writer_failure(writer, diag); /* the per-trial file: say which and why */
        }
    } else if (ret == 0) {
        ret = ds_engine_run_threads(&engine, seed, trials, first, end, n_threads, tally);
    }
    if (ret != 0 && diag->message[0] == '\0') {
        ds_engine_failure(&engine, ret, diag);
    }
    ds_engine_free(&engine);
    return ret;
}

/* Every rank has a status at this point; the run goes on only if all are 0.
 * Returns the status this process ends with. */
static int agree(const cli_cluster_t *cluster, int status, const char *what)
{
    if (cli_cluster_agree(cluster, status) == 0) {
        return 0;
    }
    if (status == 0) {
        cli_error("run", "another process %s", what);
    }
    return status != 0 ? status : EXIT_RUN_FAILED;
}

/* The folder the shard file goes to: --out, or results/<file stem>/shards. */
static char *shard_path(cli_common_t *common, uint32_t index, uint32_t count)
{
    char *dir = cli_output_dir(common);
    if (dir == NULL) {
        return NULL;
    }
    size_t size = strlen(dir) + 64u;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size,
                 "%s/" DS_SHARD_FILE_PREFIX "%" PRIu32 DS_SHARD_FILE_OF "%" PRIu32 DS_CSV_SUFFIX,
                 dir, index, count);
    }
    free(dir);
    return path;
}

/* A shard records the scenario file's path: it must read back (merge's reader
 * takes valid UTF-8, no control characters, DS_SHARD_MAX_PATH bytes). */
static bool path_recordable(const char *path)
{
    char why[200];
    size_t len = strlen(path);
    if (len > DS_SHARD_MAX_PATH || ds_text_problem(path, len, why, sizeof(why)) != NULL) {
        cli_error("run",
                  "--shard: the scenario file's name, which a shard records, %s: rename the file",
                  len > DS_SHARD_MAX_PATH ? "is too long" : why);
        return false;
    }
    return true;
}

static int run_run(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const uint64_t trials = args->trials, seed = args->seed, threads = args->threads;
    const uint32_t shard_index = args->shard_index, shard_count = args->shard_count;
    const bool sharded = args->sharded, quiet = args->quiet;
    const char *trials_csv = args->trials_csv;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    ds_tally_t *tallies = NULL;
    cli_results_t out;
    char *shard_file = NULL;
    ds_trial_writer_t writer;
    ds_run_key_t trials_key;
    cli_io_t io;
    FILE *say = cli_output(); /* the table; the messages stream when the trials go to stdout */
    ds_diag_t diag;

    ds_diag_clear(&diag);
    memset(&writer, 0, sizeof(writer));
    ds_outfile_init(&writer.out);
    cli_results_clear(&out);
    cli_io_init(&io);
    ds_scenario_file_init(&file);
    if (trials_csv != NULL && (sharded || cluster->size > 1)) {
        cli_error("run", "--trials-csv writes the trials in order and needs the whole run in one "
                         "process: not with --shard or under mpirun");
        goto out;
    }
    if (sharded) {
        common.default_subdir = DS_SHARDS_SUBDIR;
    }
    /* The note on unused columns once, from rank 0. */
    status = cli_load_scenarios(&common, quiet || cluster->rank != 0, &file, &chosen, &n_chosen);
    /* From here every rank calls the same collectives, whatever happened to it. */
    if ((status = agree(cluster, status, "could not read the input")) != 0) {
        goto out;
    }
    if (cluster->rank == 0) {
        status = cli_common_inputs(&common, &io);
        if (status == 0 && !sharded) {
            status =
                cli_results_init(&out, &common, chosen, n_chosen, DS_METHOD_MC, trials, seed,
                                 true, &io);
        } else if (status == 0) {
            char *dir = cli_output_dir(&common);
            shard_file = shard_path(&common, shard_index, shard_count);
            status = dir == NULL || shard_file == NULL ? EXIT_RUN_FAILED : 0;
            if (status == 0) {
                status =
                    cli_io_add(&io, common.out_dir != NULL ? CLI_IO_FOLDER : CLI_IO_DEFAULT_FOLDER,
                               "--out", dir);
            }
            if (status == 0) {
                status = cli_io_add(&io, CLI_IO_FILE, "the shard file", shard_file);
            }
            if (status == 0 && !path_recordable(file.path)) {
                status = EXIT_BAD_INPUT;
            }
            if (status == 0) {
                status = cli_check_dirs("run", dir); /* made when the shard is written */
            }
            free(dir);
        }
        if (status == 0 && trials_csv != NULL) {
            status = cli_io_add(&io, CLI_IO_STREAMABLE, "--trials-csv", trials_csv);
        }
        if (status == 0) {
            status = cli_io_check(&io, "run");
        }
        /* The per-trial file's key: the same run_id as its result set. A file
         * of another run there is not replaced unless --replace. */
        cli_run_key(&trials_key, &common, DS_KEY_KIND_RESULTS, DS_METHOD_MC, trials, seed, chosen,
                    n_chosen);
        if (status == 0 && trials_csv != NULL && strcmp(trials_csv, "-") != 0) {
            status = cli_check_replace(&common, "the per-trial rows", NULL, trials_csv, &trials_key,
                                       chosen[0]);
        }
        if (status == 0 && !sharded) {
            status = cli_check_dirs("run", out.out_dir); /* made when the results are written */
        }
        say = cli_io_takes_stdout(&io) ? cli_messages() : cli_output();
    }
    tallies = calloc((size_t)n_chosen, sizeof(*tallies));
    if (status == 0 && tallies == NULL) {
        cli_error("run", "out of memory");
        status = EXIT_RUN_FAILED;
    }
    if (status == 0 && trials_csv != NULL) {
        int widest = 0;
        for (int i = 0; i < n_chosen; i++) {
            widest = chosen[i]->n_levels > widest ? chosen[i]->n_levels : widest;
        }
        if (ds_trial_writer_open(&writer, trials_csv, widest, &trials_key, &diag) != 0) {
            cli_diag_error("run", &diag);
            status = EXIT_RUN_FAILED;
        }
        cli_guard_temp(ds_outfile_temp_name(&writer.out));
    }
    if ((status = agree(cluster, status, "failed")) != 0) {
        goto out;
    }

    /* This process's blocks: its shard's, split evenly between the ranks. */
    uint64_t shard_first = 0, shard_end = 0;
    ds_shard_blocks(trials, shard_index, shard_count, &shard_first, &shard_end);
    uint64_t span = shard_end - shard_first;
    uint64_t first = shard_first + span * (uint64_t)cluster->rank / (uint64_t)cluster->size;
    uint64_t end = shard_first + span * ((uint64_t)cluster->rank + 1u) / (uint64_t)cluster->size;
    if (!quiet) {
        fprintf(say, "dosesim run: %s, %d scenario%s, %" PRIu64 " trials each, seed %" PRIu64 "\n",
                file.path, n_chosen, n_chosen == 1 ? "" : "s", trials, seed);
        if (sharded) {
            fprintf(say,
                    "shard %" PRIu32 " of %" PRIu32 ": blocks %" PRIu64 " to %" PRIu64
                    " of %" PRIu64 " (%u trials each)\n",
                    shard_index, shard_count, shard_first + 1, shard_end,
                    ds_engine_n_blocks(trials), DS_BLOCK_TRIALS);
        }
        cli_print_design(say, &common.design, &common.timing);
        fputc('\n', say);
    }
    double t0 = cli_now();
    for (int i = 0; i < n_chosen && status == 0; i++) {
        if (simulate(chosen[i], &common, seed, trials, first, end, (int)threads,
                     trials_csv != NULL ? &writer : NULL, &tallies[i], &diag) != 0) {
            cli_diag_error("run", &diag);
            status = EXIT_RUN_FAILED;
        }
    }
    if ((status = agree(cluster, status, "failed")) != 0) {
        goto out;
    }
    for (int i = 0; i < n_chosen && status == 0; i++) {
        status = cli_cluster_sum(cluster, tallies[i].count, tallies[i].len);
        ds_tally_normalize(&tallies[i]); /* MPI_SUM added the wide counters' limbs apart */
    }
    double elapsed = cli_now() - t0;
    if (status != 0 || cluster->rank > 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    if (sharded) {
        ds_shard_t shard = {
            .index = shard_index,
            .count = shard_count,
            .first_block = shard_first,
            .end_block = shard_end,
            .n_trials = trials,
            .seed = seed,
            .design = common.design,
            .timing = common.timing,
            .optimise = common.optimise,
            .scenario_path = file.path,
            .scenario_hash = file.content_hash,
            .n_scenarios = n_chosen,
            .scenarios = chosen,
            .tallies = tallies,
        };
        char *dir = cli_output_dir(&common);
        int made = dir != NULL ? cli_make_dirs("run", dir) : EXIT_RUN_FAILED;
        free(dir);
        if (made != 0) {
            goto out;
        }
        sigset_t before;
        cli_guard_hold(&before); /* written and renamed in one go */
        int written = ds_shard_write(&shard, shard_file, &diag);
        cli_guard_release(&before);
        if (written != 0) {
            cli_diag_error("run", &diag);
            goto out;
        }
        if (!quiet) {
            fprintf(say, "wrote %s (merge the %" PRIu32 " shards with dosesim merge)\n", shard_file,
                    shard_count);
        }
    } else {
        /* Every file complete before any is published; the per-trial file
         * last, so that a failure on the way leaves it untouched too. */
        if (trials_csv != NULL && ds_trial_writer_close(&writer, &diag) != 0) {
            cli_diag_error("run", &diag);
            goto out;
        }
        /* Streamed, a scenario at a time: no characteristics held. */
        int written = cli_results_begin(&out, &common, quiet, say);
        for (int i = 0; i < n_chosen && written == 0; i++) {
            ds_oc_t oc;
            if (ds_oc_init(&oc, tallies[i].n_levels, tallies[i].max_n) != 0 ||
                ds_oc_from_tally(&oc, &tallies[i]) != 0) {
                ds_oc_free(&oc);
                cli_error("run", "out of memory");
                goto out;
            }
            cli_results_add(&out, &(ds_result_t){.scenario = chosen[i], .oc = &oc});
            ds_oc_free(&oc);
        }
        written = written != 0 ? written : cli_results_finish(&out, &common);
        if (written != 0) {
            status = written; /* results of another run written there meanwhile: refused */
            goto out;
        }
        if (trials_csv != NULL) {
            ds_outfile_t *one[1] = {&writer.out};
            if (cli_publish("run", one, 1, 0, NULL) != 0) {
                goto out;
            }
            if (!quiet && !ds_outfile_streams(&writer.out)) {
                fprintf(say, "wrote %s\n", trials_csv);
            }
        }
    }
    status = 0;
    uint64_t ran = 0;
    for (int i = 0; i < n_chosen; i++) {
        ran += tallies[i].count[DS_TALLY_TRIALS];
    }
    fflush(cli_output()); /* the closing line comes last, even when both go to one pipe */
    fprintf(cli_messages(),
            "dosesim run: %" PRIu64 " trials in %.3f s (%.3g trials/s; %d process%s x %d "
            "thread%s)\n",
            ran, elapsed, elapsed > 0 ? (double)ran / elapsed : 0.0, cluster->size,
            cluster->size == 1 ? "" : "es", trials_csv != NULL ? 1 : (int)threads,
            threads == 1 || trials_csv != NULL ? "" : "s");
out:
    ds_trial_writer_abort(&writer);
    for (int i = 0; tallies != NULL && i < n_chosen; i++) {
        ds_tally_free(&tallies[i]);
    }
    free(tallies);
    free(shard_file);
    cli_results_free(&out);
    cli_io_free(&io);
    free(chosen);
    ds_scenario_file_free(&file);
    return status;
}

const cli_command_t cli_command_run = {
    .name = "run",
    .summary = "Monte Carlo operating characteristics of the design",
    .options = CLI_OPT(OPT_SCENARIO) | CLI_OPT(OPT_TRIALS) | CLI_OPT(OPT_SEED) | CLI_OPT(OPT_OUT) |
               CLI_OPT(OPT_TRIALS_CSV) | CLI_OPT(OPT_THREADS) | CLI_OPT(OPT_SHARD) |
               CLI_OPT(OPT_OVERDOSE_LIMIT) | CLI_TARGET_OPTIONS | CLI_OPT(OPT_QUIET) |
               CLI_OPT(OPT_REPLACE) | CLI_DESIGN_OPTIONS | CLI_TIMING_OPTIONS |
               CLI_OPT(OPT_BACKFILL_MAX) | CLI_OPTIMISE_OPTIONS,
    .positional = CLI_SCENARIO_FILE,
    .every_rank = true,
    .usage = usage,
    .run = run_run,
};

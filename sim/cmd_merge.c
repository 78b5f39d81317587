/* dosesim merge: add up the shard files of a run (run --shard I/N) into the
 * same three CSVs a single run would have written, byte for byte. */
#include "cmd.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim merge PATH... [--out DIR] [--quiet]\n"
            "\n"
            "Adds up the shards of a run (dosesim run --shard I/N) and writes summary.csv,\n"
            "doses.csv and sample_size.csv to DIR (default results/<scenario file stem>/),\n"
            "the same bytes a single run would have written. Each PATH is a shard file or a\n"
            "folder holding shard files (shard-I-of-N.csv). Refuses shards of different runs\n"
            "(scenario file, seed, trials, design options), a shard given twice, and a missing\n"
            "shard.\n"
            "\n"
            "  --out DIR                output folder\n"
            "  --quiet                  no table on stdout\n");
}

typedef struct {
    char **paths;
    int n;
    int cap;
} path_list_t;

static bool add_path(path_list_t *list, const char *dir, const char *name)
{
    if (list->n == list->cap) {
        int cap = list->cap == 0 ? 16 : 2 * list->cap;
        char **grown = realloc(list->paths, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            return false;
        }
        list->paths = grown;
        list->cap = cap;
    }
    size_t size = (dir != NULL ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *path = malloc(size);
    if (path == NULL) {
        return false;
    }
    snprintf(path, size, "%s%s%s", dir != NULL ? dir : "", dir != NULL ? "/" : "", name);
    list->paths[list->n++] = path;
    return true;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shard files named on the command line: files as given, folders by their
 * shard-I-of-N.csv files. Returns 0 or an exit status after printing why. */
static int collect(path_list_t *list, char *const *args, int n_args)
{
    for (int a = 0; a < n_args; a++) {
        struct stat st;
        if (stat(args[a], &st) != 0) {
            cli_error("merge", "%s: no such file or folder", args[a]);
            return EXIT_BAD_INPUT;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (!add_path(list, NULL, args[a])) {
                cli_error("merge", "out of memory");
                return EXIT_RUN_FAILED;
            }
            continue;
        }
        DIR *dir = opendir(args[a]);
        if (dir == NULL) {
            cli_error("merge", "%s: cannot read the folder", args[a]);
            return EXIT_BAD_INPUT;
        }
        int before = list->n;
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            unsigned i = 0, n = 0;
            char tail[8] = "";
            if (sscanf(e->d_name, "shard-%u-of-%u%7s", &i, &n, tail) == 3 &&
                strcmp(tail, ".csv") == 0 && !add_path(list, args[a], e->d_name)) {
                closedir(dir);
                cli_error("merge", "out of memory");
                return EXIT_RUN_FAILED;
            }
        }
        closedir(dir);
        if (list->n == before) {
            cli_error("merge", "%s: no shard files (shard-I-of-N.csv) in this folder", args[a]);
            return EXIT_BAD_INPUT;
        }
        /* Readdir order depends on the file system; messages should not. */
        qsort(list->paths + before, (size_t)(list->n - before), sizeof(char *), compare_strings);
    }
    return 0;
}

static int run_merge(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const bool quiet = args->quiet;
    int status = EXIT_BAD_INPUT;
    path_list_t list = {0};
    ds_shard_t *shards = NULL;
    int *holder = NULL; /* holder[I - 1]: which file holds shard I */
    cli_results_t out;
    ds_diag_t diag;
    (void)cluster;

    memset(&out, 0, sizeof(out));
    status = collect(&list, args->positional, args->n_positional);
    if (status != 0) {
        goto out;
    }
    status = EXIT_BAD_INPUT;
    shards = calloc((size_t)list.n, sizeof(*shards));
    if (shards == NULL) {
        cli_error("merge", "out of memory");
        goto out;
    }
    for (int k = 0; k < list.n; k++) {
        if (ds_shard_read(&shards[k], list.paths[k], &diag) != 0) {
            cli_diag_error("merge", &diag);
            goto out;
        }
        if (k > 0 && ds_shard_check_compatible(&shards[0], &shards[k], list.paths[k], &diag) != 0) {
            char text[DS_DIAG_PATH_MAX + DS_DIAG_MSG_MAX + 64];
            ds_diag_format(&diag, text, sizeof(text));
            cli_error("merge", "%s (the other shards: as %s)", text, list.paths[0]);
            goto out;
        }
    }
    const ds_shard_t *first = &shards[0];
    holder = malloc(first->count * sizeof(*holder));
    if (holder == NULL) {
        cli_error("merge", "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < first->count; i++) {
        holder[i] = -1;
    }
    for (int k = 0; k < list.n; k++) {
        int *slot = &holder[shards[k].index - 1];
        if (*slot >= 0) {
            cli_error("merge", "shard %" PRIu32 "/%" PRIu32 " is given twice: %s and %s",
                      shards[k].index, shards[k].count, list.paths[*slot], list.paths[k]);
            goto out;
        }
        *slot = k;
    }
    for (uint32_t i = 0; i < first->count; i++) {
        if (holder[i] < 0) {
            cli_error("merge",
                      "shard %" PRIu32 "/%" PRIu32 " is missing (%d of %" PRIu32 " shards given)",
                      i + 1, first->count, list.n, first->count);
            goto out;
        }
    }
    /* The run as it was asked for, so that the results are those of a single run. */
    common.design = first->design;
    common.overdose_limit = first->overdose_limit;
    common.timing = first->timing;
    common.scenario_path = first->scenario_path;
    status = cli_results_init(&out, &common, first->scenarios, first->n_scenarios);
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    for (int s = 0; s < first->n_scenarios; s++) {
        for (int k = 1; k < list.n; k++) {
            if (ds_tally_merge(&shards[0].tallies[s], &shards[k].tallies[s]) != 0) {
                cli_error("merge", "%s: its tallies do not fit the others'", list.paths[k]);
                goto out;
            }
        }
        if (ds_oc_init(&out.ocs[s], first->tallies[s].n_levels, first->tallies[s].max_n) != 0 ||
            ds_oc_from_tally(&out.ocs[s], &first->tallies[s]) != 0) {
            cli_error("merge", "out of memory");
            goto out;
        }
    }
    if (!quiet) {
        printf("dosesim merge: %d shards of a run of %s, %d scenario%s, %" PRIu64
               " trials each, seed %" PRIu64 "\n",
               list.n, first->scenario_path, first->n_scenarios, first->n_scenarios == 1 ? "" : "s",
               first->n_trials, first->seed);
        cli_print_design(stdout, &common.design, &common.timing);
        putchar('\n');
    }
    status = cli_results_write(&out, &common, first->seed, quiet);
out:
    cli_results_free(&out);
    for (int k = 0; shards != NULL && k < list.n; k++) {
        ds_shard_free(&shards[k]);
    }
    free(shards);
    free(holder);
    for (int k = 0; k < list.n; k++) {
        free(list.paths[k]);
    }
    free(list.paths);
    return status;
}

const cli_command_t cli_command_merge = {
    .name = "merge",
    .summary = "add up the shards of a run (run --shard I/N) into its results",
    .options = CLI_OPT(OPT_OUT) | CLI_OPT(OPT_QUIET),
    .positional = CLI_PATHS,
    .usage = usage,
    .run = run_merge,
};

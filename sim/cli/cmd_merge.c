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
            "usage: dosesim merge PATH... [--out DIR] [--quiet] [--replace]\n"
            "                     [--target T] [--target-interval LO,HI]\n"
            "\n"
            "Adds up the shards of a run (dosesim run --shard I/N) and writes the result set\n"
            "(summary.csv, doses.csv, sample_size.csv, duration.csv, optimisation.csv) to\n"
            "DIR, the same bytes a single run would have written. Each PATH is a shard file\n"
            "or a folder holding\n"
            "shard files (shard-I-of-N.csv). Without --out, DIR is beside the shards' folder\n"
            "when it is named shards (results/<stem>/shards: results/<stem>), else its\n"
            "subfolder merged. Refuses a shard changed since it was written (its checksum),\n"
            "shards of different runs (scenario file, seed, trials, design options, scenarios,\n"
            "labels, p_dlt, response rates, --optimise), a shard given twice, and a missing\n"
            "shard, naming the one that differs.\n"
            "\n"
            "  --out DIR                output folder\n"
            "%s"
            "                           (shards hold no target but an interval design's, which\n"
            "                           is then the target: any other may be given here)\n"
            "  --quiet                  no table on stdout\n"
            "  --replace                replace what another run left there (else refused)\n",
            CLI_TARGET_HELP);
}

typedef struct {
    char **paths;
    bool *in_folder; /* found in a folder (read without following links), not named */
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
        bool *flags = realloc(list->in_folder, (size_t)cap * sizeof(*flags));
        if (flags == NULL) {
            return false;
        }
        list->in_folder = flags;
        list->cap = cap;
    }
    size_t size = (dir != NULL ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *path = malloc(size);
    if (path == NULL) {
        return false;
    }
    snprintf(path, size, "%s%s%s", dir != NULL ? dir : "", dir != NULL ? "/" : "", name);
    list->in_folder[list->n] = dir != NULL;
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
            if (sscanf(e->d_name, DS_SHARD_FILE_PREFIX "%u" DS_SHARD_FILE_OF "%u%7s", &i, &n,
                       tail) == 3 &&
                strcmp(tail, DS_CSV_SUFFIX) == 0 && !add_path(list, args[a], e->d_name)) {
                closedir(dir);
                cli_error("merge", "out of memory");
                return EXIT_RUN_FAILED;
            }
        }
        closedir(dir);
        if (list->n == before) {
            cli_error("merge", "%s: no shard files (" DS_SHARD_FILE_PATTERN ") in this folder",
                      args[a]);
            return EXIT_BAD_INPUT;
        }
        /* Readdir order depends on the file system; messages should not. */
        qsort(list->paths + before, (size_t)(list->n - before), sizeof(char *), compare_strings);
    }
    return 0;
}

/* The shard merge compares the others with: the first, unless the first three
 * hold a majority against it (so that a lone odd shard 1 is the one named). */
static int reference_shard(const ds_shard_t *shards, const path_list_t *list)
{
    if (list->n < 3) {
        return 0;
    }
    bool first_fits_second = ds_shard_check_compatible(&shards[1], list->paths[1], &shards[0],
                                                       list->paths[0], NULL) == 0;
    bool first_fits_third = ds_shard_check_compatible(&shards[2], list->paths[2], &shards[0],
                                                      list->paths[0], NULL) == 0;
    bool second_fits_third = ds_shard_check_compatible(&shards[2], list->paths[2], &shards[1],
                                                       list->paths[1], NULL) == 0;
    return !first_fits_second && !first_fits_third && second_fits_third ? 1 : 0;
}

/* Where merge writes without --out: from the command line, never from what a
 * shard records. Beside run --shard's folder "shards" (results/<stem>/shards
 * gives results/<stem>), else in that folder's "merged". Malloc'ed. */
static char *default_merge_dir(const char *shard_path)
{
    size_t len = strlen(shard_path);
    char *dir = malloc(len + sizeof("/" DS_MERGED_SUBDIR) + 2);
    if (dir == NULL) {
        return NULL;
    }
    /* The shard's folder: its name and the slashes before it dropped. */
    while (len > 0 && shard_path[len - 1] != '/') {
        len--;
    }
    while (len > 1 && shard_path[len - 1] == '/') {
        len--;
    }
    if (len == 0) {
        strcpy(dir, ".");
    } else {
        memcpy(dir, shard_path, len);
        dir[len] = '\0';
    }
    char *slash = strrchr(dir, '/');
    char *base = slash != NULL ? slash + 1 : dir;
    if (strcmp(base, DS_SHARDS_SUBDIR) != 0) {
        strcat(dir, strcmp(dir, "/") == 0 ? DS_MERGED_SUBDIR : "/" DS_MERGED_SUBDIR);
    } else if (base == dir) {
        strcpy(dir, ".");
    } else {
        while (base > dir + 1 && base[-1] == '/') {
            base--;
        }
        *base = '\0'; /* "/shards" gives "/" */
        if (base > dir + 1) {
            base[-1] = base[-1] == '/' ? '\0' : base[-1];
        }
    }
    return dir;
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
    cli_io_t io;
    char *default_dir = NULL;
    ds_diag_t diag;
    (void)cluster;

    cli_results_clear(&out);
    cli_io_init(&io);
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
        if (ds_shard_read(&shards[k], list.paths[k], list.in_folder[k] ? DS_READ_IN_FOLDER : 0,
                          &diag) != 0) {
            cli_diag_error("merge", &diag);
            goto out;
        }
    }
    const int ref = reference_shard(shards, &list);
    for (int k = 0; k < list.n; k++) {
        if (k != ref && ds_shard_check_compatible(&shards[ref], list.paths[ref], &shards[k],
                                                  list.paths[k], &diag) != 0) {
            cli_diag_error("merge", &diag);
            goto out;
        }
    }
    const ds_shard_t *first = &shards[ref];
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
    common.timing = first->timing;
    common.optimise = first->optimise;
    if (ds_design_is_interval(&common.design)) {
        /* The design's target is the run's: the accuracy columns are judged by it. */
        const double target = common.design.interval.target;
        if (common.target_given && common.target.target != target) {
            cli_error("merge",
                      "--target %g: the shards ran %s, whose target is %g; an interval "
                      "design's results are judged by its own target",
                      common.target.target, common.design.name, target);
            goto out;
        }
        if (!common.target_interval_given) {
            ds_target_set(&common.target, target);
        } else {
            common.target.target = target;
            ds_diag_t why;
            if (ds_target_check(&common.target, &why) != 0) {
                cli_error("merge", "%s: %s (the target of %s)", why.field, why.message,
                          common.design.name);
                goto out;
            }
        }
    }
    common.scenario_path = first->scenario_path;
    if (common.out_dir == NULL) {
        default_dir = default_merge_dir(list.paths[0]);
        if (default_dir == NULL) {
            cli_error("merge", "out of memory");
            status = EXIT_RUN_FAILED;
            goto out;
        }
        common.out_dir = default_dir;
    }
    for (int k = 0; k < list.n && status == EXIT_BAD_INPUT; k++) {
        if (cli_io_add(&io, CLI_IO_INPUT, "a shard file", list.paths[k]) != 0) {
            status = EXIT_RUN_FAILED;
        }
    }
    status = status == EXIT_BAD_INPUT ? 0 : status;
    if (status == 0) {
        status = cli_results_init(&out, &common, first->scenarios, first->n_scenarios,
                                  DS_METHOD_MC, first->n_trials, first->seed, false, &io);
    }
    if (status == 0) {
        status = cli_io_check(&io, "merge");
    }
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    for (int s = 0; s < first->n_scenarios; s++) {
        for (int k = 0; k < list.n; k++) {
            if (k != ref && ds_tally_merge(&shards[ref].tallies[s], &shards[k].tallies[s]) != 0) {
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
        fprintf(cli_output(),
                "dosesim merge: %d shards of a run of %s, %d scenario%s, %" PRIu64
                " trials each, seed %" PRIu64 "\n",
                list.n, first->scenario_path, first->n_scenarios,
                first->n_scenarios == 1 ? "" : "s", first->n_trials, first->seed);
        cli_print_design(cli_output(), &common.design, &common.timing);
        fputc('\n', cli_output());
    }
    status = cli_results_write(&out, &common, quiet, cli_output());
out:
    cli_results_free(&out);
    cli_io_free(&io);
    free(default_dir);
    for (int k = 0; shards != NULL && k < list.n; k++) {
        ds_shard_free(&shards[k]);
    }
    free(shards);
    free(holder);
    for (int k = 0; k < list.n; k++) {
        free(list.paths[k]);
    }
    free(list.paths);
    free(list.in_folder);
    return status;
}

const cli_command_t cli_command_merge = {
    .name = "merge",
    .summary = "add up the shards of a run (run --shard I/N) into its results",
    .options = CLI_OPT(OPT_OUT) | CLI_TARGET_OPTIONS | CLI_OPT(OPT_QUIET) | CLI_OPT(OPT_REPLACE),
    .positional = CLI_PATHS,
    .usage = usage,
    .run = run_merge,
};

/* dosesim plot: figures (gnuplot) from the CSVs that run, exact, merge or
 * sweep wrote: RP2D selection per scenario, the sample-size distribution, the
 * duration distribution (calendar time), and operating-characteristic curves.
 * Every cell is checked before it is used, and every text reaches gnuplot only
 * as an escaped string (gnuplot.h). */
#include "cmd.h"
#include "figure.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: dosesim plot DIR [--out DIR] [--format png|svg|pdf]\n"
                 "\n"
                 "Draws figures from the results in DIR (needs gnuplot; make deps installs it):\n"
                 "  selection.png     P(RP2D) of each dose, and of none, per scenario (from\n"
                 "                    summary.csv and doses.csv; 95%% intervals for Monte Carlo)\n"
                 "  sample_size.png   the distribution of the sample size (sample_size.csv)\n"
                 "  duration.png      the distribution of the trial's duration (duration.csv,\n"
                 "                    when calendar time was simulated)\n"
                 "  sweep_NAME.png    operating-characteristic curves (sweep_NAME.csv)\n"
                 "The figures are published together, all or none.\n"
                 "\n"
                 "  --out DIR                where the figures go (default: DIR itself; made if\n"
                 "                           missing)\n"
                 "  --format png|svg|pdf     the figures' format (default png)\n");
}

/* A piece of a gnuplot string expression: " . " between pieces. */
static void join(FILE *gp, const char *text, bool first)
{
    if (!first) {
        fputs(" . ", gp);
    }
    cli_gp_str(gp, text);
}

/* The two caption lines under a figure of results: the rules, then how the
 * numbers were obtained (and the calendar model), from the summary's first row. */
static void put_caption(FILE *gp, const cli_table_t *summary)
{
    bool mc = strcmp(cli_table_cell(summary, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    fputs("set label 1 ", gp);
    join(gp, "rules: ", true);
    join(gp, cli_table_cell(summary, 0, DS_COL_DESIGN), false);
    join(gp, ", de-escalation ", false);
    join(gp, cli_table_cell(summary, 0, DS_COL_DEESCALATE), false);
    join(gp, ", top dose ", false);
    join(gp, cli_table_cell(summary, 0, DS_COL_TOP_DOSE), false);
    join(gp, ", start at level ", false);
    join(gp, cli_table_cell(summary, 0, DS_COL_START_LEVEL), false);
    fputs(" at screen 0.5, screen 0.065 center\nset label 2 ", gp);
    join(gp, mc ? "Monte Carlo, " : "exact", true);
    if (mc) {
        join(gp, cli_table_cell(summary, 0, DS_COL_N_TRIALS), false);
        join(gp, " trials", false);
    }
    if (cli_table_cell(summary, 0, DS_COL_ACCRUAL_PER_30_DAYS)[0] != '\0') {
        join(gp, "; calendar: ", false);
        join(gp, cli_table_cell(summary, 0, DS_COL_ACCRUAL_PER_30_DAYS), false);
        join(gp, " patients per 30 days, ", false);
        join(gp, cli_table_cell(summary, 0, DS_COL_WINDOW_DAYS), false);
        join(gp, "-day window, DLT onset ", false);
        join(gp, cli_table_cell(summary, 0, DS_COL_DLT_ONSET), false);
        join(gp, ", dropout ", false);
        join(gp, cli_table_cell(summary, 0, DS_COL_DROPOUT), false);
    }
    fputs(" at screen 0.5, screen 0.03 center\nset bmargin 7\n", gp);
}

/* The scenarios of the summary as x tics at 0, 1, ... */
static void put_scenario_tics(FILE *gp, const cli_table_t *summary)
{
    fputs("set xtics (", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fputs(s > 0 ? ", " : "", gp);
        cli_gp_tic(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
        fprintf(gp, " %d", s);
    }
    fputs(")\n", gp);
}

static int plot_selection(cli_figures_t *figs, const cli_table_t *summary, const cli_table_t *doses,
                          const cli_dose_index_t *index)
{
    int status = cli_figure_begin(figs, DS_SELECTION_FIGURE, 960, 540);
    if (status != 0) {
        return status;
    }
    FILE *gp = figs->gp.out;
    const int max_levels = index->max_levels;
    fputs("set title ", gp);
    cli_gp_str(gp, strcmp(cli_table_cell(summary, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0
                       ? "How often each dose is chosen as the RP2D (with 95% intervals)"
                       : "How often each dose is chosen as the RP2D");
    fputc('\n', gp);
    put_caption(gp, summary);
    fputs("set style data histograms\nset style histogram errorbars gap 1.5 lw 1\n"
          "set style fill solid 0.75 border -1\nset yrange [0:1]\nset ytics 0.1\n"
          "set grid ytics\nset ylabel 'probability of being the RP2D'\n"
          "set key outside right top\n",
          gp);
    put_scenario_tics(gp, summary);
    fputs("set xtics rotate by -20 nomirror\n$selection << EOD\n", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "%d", s);
        for (int level = 1; level <= max_levels; level++) {
            int r = cli_dose_row(index, s, level);
            cli_gp_num(gp, r >= 0 ? cli_table_number(doses, r, DS_COL_PROB_RP2D) : NAN);
            cli_gp_num(gp, r >= 0 ? cli_table_number(doses, r, DS_COL_PROB_RP2D_LO) : NAN);
            cli_gp_num(gp, r >= 0 ? cli_table_number(doses, r, DS_COL_PROB_RP2D_HI) : NAN);
        }
        cli_gp_num(gp, cli_table_number(summary, s, DS_COL_PROB_NO_RP2D));
        cli_gp_num(gp, cli_table_number(summary, s, DS_COL_PROB_NO_RP2D_LO));
        cli_gp_num(gp, cli_table_number(summary, s, DS_COL_PROB_NO_RP2D_HI));
        fputc('\n', gp);
    }
    fputs("EOD\nplot ", gp);
    for (int level = 1; level <= max_levels + 1; level++) {
        int col = 2 + 3 * (level - 1);
        fprintf(gp, "%s$selection using %d:%d:%d title ", level > 1 ? ", " : "", col, col + 1,
                col + 2);
        if (level > max_levels) {
            fputs("'no RP2D' lc rgb 'gray50'", gp);
            continue;
        }
        /* Doses named from the first scenario that has the level (files usually share them). */
        int r = -1;
        for (int s = 0; s < summary->n_rows && r < 0; s++) {
            r = cli_dose_row(index, s, level);
        }
        char generic[32];
        snprintf(generic, sizeof(generic), "level %d", level);
        cli_gp_str(gp, r >= 0 ? cli_table_cell(doses, r, DS_COL_DOSE_LABEL) : generic);
    }
    fputc('\n', gp);
    return cli_figure_end(figs);
}

static int plot_sample_size(cli_figures_t *figs, const cli_table_t *summary,
                            const cli_table_t *sizes, const int *scenario_of_size)
{
    int status = cli_figure_begin(figs, DS_SAMPLE_SIZE_FIGURE, 960, 540);
    if (status != 0) {
        return status;
    }
    FILE *gp = figs->gp.out;
    fputs("set title 'Distribution of the total sample size'\n", gp);
    put_caption(gp, summary);
    fputs("set xlabel 'patients treated'\nset ylabel 'probability'\nset grid\n"
          "set key outside right top\n",
          gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "$n%d << EOD\n", s);
        for (int r = 0; r < sizes->n_rows; r++) {
            if (scenario_of_size[r] == s) {
                cli_gp_num(gp, cli_table_number(sizes, r, DS_COL_N_EVALUABLE));
                cli_gp_num(gp, cli_table_number(sizes, r, DS_COL_PROB));
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "%s$n%d using 1:2 with linespoints lw 2 pt 7 title ", s > 0 ? ", " : "", s);
        cli_gp_str(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
    }
    fputc('\n', gp);
    return cli_figure_end(figs);
}

/* The duration's distribution as a density over bins of a whole number of days. */
static int plot_duration(cli_figures_t *figs, const cli_table_t *summary,
                         const cli_table_t *durations, const int *scenario_of_duration)
{
    double longest = 0.0;
    for (int r = 0; r < durations->n_rows; r++) {
        longest = fmax(longest, cli_table_number(durations, r, DS_COL_DAYS_TO));
    }
    double width = fmax(1.0, floor(longest / 80.0)); /* some 80 bins across */
    int n_bins = (int)(longest / width) + 1;
    double *mass = calloc((size_t)n_bins, sizeof(double));
    if (mass == NULL) {
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = cli_figure_begin(figs, DS_DURATION_FIGURE, 960, 540);
    if (status != 0) {
        free(mass);
        return status;
    }
    FILE *gp = figs->gp.out;
    fputs("set title 'Distribution of the trial duration'\n", gp);
    put_caption(gp, summary);
    fprintf(gp,
            "set xlabel 'days from the opening of the trial to its final decision'\n"
            "set ylabel 'probability per day (bins of %g days)'\nset grid\n"
            "set key outside right top\n",
            width);
    for (int s = 0; s < summary->n_rows; s++) {
        memset(mass, 0, (size_t)n_bins * sizeof(double));
        for (int r = 0; r < durations->n_rows; r++) {
            if (scenario_of_duration[r] == s) {
                int bin = (int)(cli_table_number(durations, r, DS_COL_DAYS_FROM) / width);
                mass[bin < n_bins ? bin : n_bins - 1] +=
                    cli_table_number(durations, r, DS_COL_PROB);
            }
        }
        fprintf(gp, "$d%d << EOD\n", s);
        for (int b = 0; b < n_bins; b++) {
            cli_gp_num(gp, (b + 0.5) * width);
            cli_gp_num(gp, mass[b] / width);
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "%s$d%d using 1:2 with lines lw 2 title ", s > 0 ? ", " : "", s);
        cli_gp_str(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
    }
    fputc('\n', gp);
    free(mass);
    return cli_figure_end(figs);
}

static int plot_sweep(cli_figures_t *figs, const cli_table_t *sweep, const char *name)
{
    int max_levels = 0;
    for (int r = 0; r < sweep->n_rows; r++) {
        int level = (int)cli_table_number(sweep, r, DS_COL_DOSE_LEVEL);
        max_levels = level > max_levels ? level : max_levels;
    }
    /* The rows of each level, in file order: one pass. */
    int *first = calloc((size_t)max_levels + 2, sizeof(int));
    int *order = malloc(((size_t)sweep->n_rows + 1) * sizeof(int));
    if (first == NULL || order == NULL) {
        free(first);
        free(order);
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    for (int r = 0; r < sweep->n_rows; r++) {
        first[(int)cli_table_number(sweep, r, DS_COL_DOSE_LEVEL) + 1]++;
    }
    for (int level = 1; level <= max_levels + 1; level++) {
        first[level] += first[level - 1];
    }
    int *fill = calloc((size_t)max_levels + 1, sizeof(int));
    if (fill == NULL) {
        free(first);
        free(order);
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    for (int r = 0; r < sweep->n_rows; r++) {
        int level = (int)cli_table_number(sweep, r, DS_COL_DOSE_LEVEL);
        order[first[level] + fill[level]++] = r;
    }
    free(fill);
    int status = cli_figure_begin(figs, name, 960, 540);
    if (status != 0) {
        free(first);
        free(order);
        return status;
    }
    FILE *gp = figs->gp.out;
    const char *vary = cli_table_cell(sweep, 0, DS_COL_SWEEP_VARY);
    fputs("set title ", gp);
    join(gp, "Operating characteristics of '", true);
    join(gp, cli_table_cell(sweep, 0, DS_COL_SCENARIO), false);
    join(gp, "' (", false);
    join(gp, cli_table_cell(sweep, 0, DS_COL_DESIGN), false);
    join(gp, ", de-escalation ", false);
    join(gp, cli_table_cell(sweep, 0, DS_COL_DEESCALATE), false);
    join(gp, ", top dose ", false);
    join(gp, cli_table_cell(sweep, 0, DS_COL_TOP_DOSE), false);
    join(gp, ", start ", false);
    join(gp, cli_table_cell(sweep, 0, DS_COL_START_LEVEL), false);
    join(gp,
         strcmp(cli_table_cell(sweep, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0 ? "; Monte Carlo)"
                                                                                 : "; exact)",
         false);
    fputs("\nset xlabel ", gp);
    if (strcmp(vary, DS_VARY_ALL) == 0) {
        cli_gp_str(gp, "factor by which every dose's p_dlt is scaled");
    } else {
        const char *label = "";
        for (int r = 0; r < sweep->n_rows; r++) {
            if (strcmp(cli_table_cell(sweep, r, DS_COL_DOSE_LEVEL), vary) == 0) {
                label = cli_table_cell(sweep, r, DS_COL_DOSE_LABEL);
                break;
            }
        }
        join(gp, "p_dlt of ", true);
        join(gp, label, false);
        join(gp, " (level ", false);
        join(gp, vary, false);
        join(gp, ")", false);
    }
    fputs("\nset ylabel 'probability of being the RP2D'\nset y2label 'mean sample size'\n"
          "set yrange [0:1]\nset y2range [0:*]\nset ytics nomirror\nset y2tics\nset grid\n"
          "set key outside right top\n",
          gp);
    for (int level = 1; level <= max_levels; level++) {
        fprintf(gp, "$l%d << EOD\n", level);
        for (int i = first[level]; i < first[level + 1]; i++) {
            int r = order[i];
            cli_gp_num(gp, cli_table_number(sweep, r, DS_COL_SWEEP_VALUE));
            cli_gp_num(gp, cli_table_number(sweep, r, DS_COL_PROB_RP2D));
            cli_gp_num(gp, cli_table_number(sweep, r, DS_COL_PROB_NO_RP2D));
            cli_gp_num(gp, cli_table_number(sweep, r, DS_COL_MEAN_N_TREATED));
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int level = 1; level <= max_levels; level++) {
        fprintf(gp, "$l%d using 1:2 with linespoints lw 2 title ", level);
        cli_gp_str(gp, first[level] < first[level + 1]
                           ? cli_table_cell(sweep, order[first[level]], DS_COL_DOSE_LABEL)
                           : "");
        fputs(", ", gp);
    }
    fputs("$l1 using 1:3 with linespoints lw 2 lc rgb 'gray50' title 'no RP2D', "
          "$l1 using 1:4 axes x1y2 with lines dt 2 lw 2 lc rgb 'black' title 'mean N'\n",
          gp);
    free(first);
    free(order);
    return cli_figure_end(figs);
}

static bool is_sweep_file(const char *name)
{
    const size_t prefix = strlen(DS_SWEEP_FILE_PREFIX), suffix = strlen(DS_CSV_SUFFIX);
    size_t len = strlen(name);
    return strncmp(name, DS_SWEEP_FILE_PREFIX, prefix) == 0 && len > prefix + suffix && len < 200 &&
           strcmp(name + len - suffix, DS_CSV_SUFFIX) == 0;
}

int cli_plot_results(cli_figures_t *figs, const cli_text_file_t files[DS_RESULT_FILES])
{
    const char *cmd = figs->command;
    cli_table_t summary = {0}, doses = {0}, sizes = {0}, durations = {0};
    cli_dose_index_t index = {0};
    int *size_scenario = NULL, *duration_scenario = NULL;
    int status = EXIT_BAD_INPUT;
    const bool timed = files[DS_RESULT_DURATION].text != NULL;
    for (int k = 0; k < DS_RESULT_DURATION; k++) {
        if (files[k].text == NULL) {
            cli_error(cmd,
                      "%s: a result set needs it (" DS_SUMMARY_FILE ", " DS_DOSES_FILE
                      " and " DS_SAMPLE_SIZE_FILE " go together)",
                      files[k].path);
            return EXIT_BAD_INPUT;
        }
    }
    const cli_text_file_t *f = files;
    if (cli_table_parse(&summary, cmd, f[0].path, f[0].text, f[0].len, cli_summary_columns) != 0 ||
        cli_table_parse(&doses, cmd, f[1].path, f[1].text, f[1].len, cli_doses_columns) != 0 ||
        cli_table_parse(&sizes, cmd, f[2].path, f[2].text, f[2].len, cli_sample_size_columns) !=
            0 ||
        (timed && cli_table_parse(&durations, cmd, f[3].path, f[3].text, f[3].len,
                                  cli_duration_columns) != 0)) {
        goto out;
    }
    if (summary.n_rows == 0) {
        cli_error(cmd, "%s: no scenarios in it", summary.path);
        goto out;
    }
    if (summary.n_rows > CLI_MAX_FIGURE_SCENARIOS) {
        cli_error(cmd, "%s: %d scenarios; a figure shows at most %d", summary.path, summary.n_rows,
                  CLI_MAX_FIGURE_SCENARIOS);
        goto out;
    }
    if (cli_dose_index(&index, cmd, &summary, &doses) != 0 ||
        (size_scenario = cli_scenario_of_rows(&sizes, cmd, &summary)) == NULL ||
        (timed && (duration_scenario = cli_scenario_of_rows(&durations, cmd, &summary)) == NULL)) {
        goto out;
    }
    status = plot_selection(figs, &summary, &doses, &index);
    if (status == 0) {
        status = plot_sample_size(figs, &summary, &sizes, size_scenario);
    }
    if (status == 0 && timed && durations.n_rows > 0) {
        status = plot_duration(figs, &summary, &durations, duration_scenario);
    }
out:
    free(size_scenario);
    free(duration_scenario);
    cli_dose_index_free(&index);
    cli_table_free(&summary);
    cli_table_free(&doses);
    cli_table_free(&sizes);
    cli_table_free(&durations);
    return status;
}

int cli_plot_sweep(cli_figures_t *figs, const cli_text_file_t *file, const char *name)
{
    cli_table_t sweep;
    if (cli_table_parse(&sweep, figs->command, file->path, file->text, file->len,
                        cli_sweep_columns) != 0) {
        return EXIT_BAD_INPUT;
    }
    int status = EXIT_BAD_INPUT;
    if (sweep.n_rows == 0) {
        cli_error(figs->command, "%s: no rows in it", file->path);
    } else {
        status = plot_sweep(figs, &sweep, name);
    }
    cli_table_free(&sweep);
    return status;
}

static int run_plot(cli_args_t *args, const cli_cluster_t *cluster)
{
    const char *dir = args->positional[0];
    const char *out_dir = args->common.out_dir != NULL ? args->common.out_dir : dir;
    int status = EXIT_BAD_INPUT;
    cli_figures_t figs;
    cli_io_t io;
    char *sweep_files[64];
    int n_sweeps = 0, lock = -1;
    cli_text_file_t texts[DS_RESULT_FILES + 14];
    char *owned[DS_RESULT_FILES + 14];
    int n_texts = 0;
    ds_diag_t diag;
    (void)cluster;

    cli_figures_init(&figs, "plot", out_dir, (cli_gp_format_t)args->format);
    cli_io_init(&io);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error("plot", "%s: no such folder", dir);
        return EXIT_BAD_INPUT;
    }
    int present = 0;
    for (int k = 0; k < DS_RESULT_DURATION; k++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%s", dir, ds_result_file_names[k]);
        present += access(path, F_OK) == 0 || errno != ENOENT;
    }
    bool results = present > 0;
    if (results && present < DS_RESULT_DURATION) {
        cli_error("plot",
                  "%s: has only part of a result (" DS_SUMMARY_FILE ", " DS_DOSES_FILE
                  " and " DS_SAMPLE_SIZE_FILE " go together)",
                  dir);
        goto out;
    }
    /* The sweeps, in name order. */
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && n_sweeps < 14) {
        if (is_sweep_file(e->d_name) && (sweep_files[n_sweeps] = strdup(e->d_name)) != NULL) {
            n_sweeps++;
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    for (int i = 1; i < n_sweeps; i++) {
        for (int j = i; j > 0 && strcmp(sweep_files[j - 1], sweep_files[j]) > 0; j--) {
            char *swap = sweep_files[j];
            sweep_files[j] = sweep_files[j - 1];
            sweep_files[j - 1] = swap;
        }
    }
    if (!results && n_sweeps == 0) {
        cli_error("plot",
                  "%s: no results to plot: expected " DS_SUMMARY_FILE ", " DS_DOSES_FILE
                  " and " DS_SAMPLE_SIZE_FILE
                  " (from dosesim run, exact or merge) or " DS_SWEEP_FILE_PREFIX "*" DS_CSV_SUFFIX
                  " (from dosesim sweep)",
                  dir);
        goto out;
    }
    /* What it reads and writes, checked before anything is read or drawn. */
    status = args->common.out_dir != NULL ? cli_io_add(&io, CLI_IO_FOLDER, "--out", out_dir) : 0;
    for (int k = 0; k < DS_RESULT_FILES && status == 0 && results; k++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%s", dir, ds_result_file_names[k]);
        status = cli_io_add(&io, CLI_IO_INPUT, ds_result_file_names[k], path);
    }
    for (int i = 0; i < n_sweeps && status == 0; i++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%s", dir, sweep_files[i]);
        status = cli_io_add(&io, CLI_IO_INPUT, "a sweep file", path);
    }
    for (int k = 0; results && status == 0 && cli_result_figures[k] != NULL; k++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%s.%s", out_dir, cli_result_figures[k],
                 cli_gp_format_names[figs.format]);
        status = cli_io_add(&io, CLI_IO_SET_MEMBER, "a figure", path);
    }
    for (int i = 0; i < n_sweeps && status == 0; i++) {
        char path[CLI_PATH_CHARS];
        snprintf(path, sizeof(path), "%s/%.*s.%s", out_dir, (int)(strlen(sweep_files[i]) - 4),
                 sweep_files[i], cli_gp_format_names[figs.format]);
        status = cli_io_add(&io, CLI_IO_SET_MEMBER, "a figure", path);
    }
    status = status != 0 ? EXIT_RUN_FAILED : cli_io_check(&io, "plot");
    if (status != 0) {
        goto out;
    }
    /* Read the set under the folder's lock: never half of one run and half of another. */
    status = EXIT_BAD_INPUT;
    if (ds_folder_lock(dir, false, &lock, &diag) != 0) {
        cli_diag_error("plot", &diag);
        goto out;
    }
    int failed = 0;
    for (int k = 0; results && k < DS_RESULT_FILES; k++) {
        failed |=
            cli_read_text("plot", dir, ds_result_file_names[k], &texts[n_texts], &owned[n_texts]);
        n_texts++;
    }
    for (int i = 0; i < n_sweeps; i++) {
        failed |= cli_read_text("plot", dir, sweep_files[i], &texts[n_texts], &owned[n_texts]);
        n_texts++;
    }
    ds_folder_unlock(lock);
    lock = -1;
    if (failed) {
        goto out;
    }
    status = results ? cli_plot_results(&figs, texts) : 0;
    bool drew_durations = false;
    for (int k = 0; k < figs.n; k++) {
        drew_durations |=
            strncmp(figs.names[k], DS_DURATION_FIGURE ".", strlen(DS_DURATION_FIGURE ".")) == 0;
    }
    for (int i = 0; i < n_sweeps && status == 0; i++) {
        cli_text_file_t *sweep = &texts[(results ? DS_RESULT_FILES : 0) + i];
        if (sweep->text == NULL) {
            cli_error("plot", "%s: gone while plot read the folder", sweep->path);
            status = EXIT_RUN_FAILED;
            break;
        }
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(strlen(sweep_files[i]) - 4), sweep_files[i]);
        status = cli_plot_sweep(&figs, sweep, name);
    }
    if (status == 0) {
        bool made = access(out_dir, F_OK) != 0;
        status = cli_figures_publish(&figs, stdout);
        if (status == 0 && made) {
            printf("(made the folder %s)\n", out_dir);
        }
    }
    /* A figure of an earlier set that this one has no data for stays as it was: say so. */
    char old[CLI_PATH_CHARS];
    snprintf(old, sizeof(old), "%s/" DS_DURATION_FIGURE ".%s", out_dir,
             cli_gp_format_names[figs.format]);
    if (status == 0 && results && !drew_durations && access(old, F_OK) == 0) {
        printf("note: %s is not from these results (they have no durations: no calendar time); "
               "it is left as it was\n",
               old);
    }
out:
    ds_folder_unlock(lock);
    cli_figures_abandon(&figs);
    for (int i = 0; i < n_texts; i++) {
        free(owned[i]);
        free((char *)texts[i].path);
    }
    for (int i = 0; i < n_sweeps; i++) {
        free(sweep_files[i]);
    }
    cli_io_free(&io);
    return status;
}

const cli_command_t cli_command_plot = {
    .name = "plot",
    .summary = "figures (gnuplot) from the CSVs of run, exact, merge or sweep",
    .options = CLI_OPT(OPT_OUT) | CLI_OPT(OPT_FORMAT),
    .positional = CLI_FOLDER,
    .usage = usage,
    .run = run_plot,
};

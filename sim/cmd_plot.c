/* dosesim plot: PNG figures (gnuplot) from the CSVs that run, exact, merge or
 * sweep wrote: RP2D selection per scenario, the sample-size distribution, the
 * duration distribution (calendar time), and operating-characteristic curves. */
#include "cmd.h"
#include "figure.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim plot DIR [--out DIR]\n"
            "\n"
            "Draws PNG figures from the results in DIR (needs gnuplot; make deps installs it):\n"
            "  selection.png     P(RP2D) of each dose, and of none, per scenario (from\n"
            "                    summary.csv and doses.csv; 95%% intervals for Monte Carlo)\n"
            "  sample_size.png   the distribution of the sample size (sample_size.csv)\n"
            "  duration.png      the distribution of the trial's duration (duration.csv,\n"
            "                    written when calendar time was simulated)\n"
            "  sweep_NAME.png    operating-characteristic curves (sweep_NAME.csv)\n"
            "\n"
            "  --out DIR                where the figures go (default: DIR itself)\n");
}

/* The two caption lines under a figure of results: the rules, then how the
 * numbers were obtained (and the calendar model). */
typedef struct {
    char rules[256];
    char method[256];
} caption_t;

static void make_caption(const cli_table_t *summary, caption_t *caption)
{
    bool mc = strcmp(cli_table_cell(summary, 0, "method"), "mc") == 0;
    char timing[200] = "";
    if (cli_table_cell(summary, 0, "accrual_per_30_days")[0] != '\0') {
        snprintf(timing, sizeof(timing),
                 "; calendar: %s patients per 30 days, %s-day window, DLT onset %s, dropout %s",
                 cli_table_cell(summary, 0, "accrual_per_30_days"),
                 cli_table_cell(summary, 0, "window_days"), cli_table_cell(summary, 0, "dlt_onset"),
                 cli_table_cell(summary, 0, "dropout"));
    }
    snprintf(caption->rules, sizeof(caption->rules),
             "rules: %s, de-escalation %s, top dose %s, start at level %s",
             cli_table_cell(summary, 0, "design"), cli_table_cell(summary, 0, "deescalate"),
             cli_table_cell(summary, 0, "top_dose"), cli_table_cell(summary, 0, "start_level"));
    snprintf(caption->method, sizeof(caption->method), "%s%s%s%s", mc ? "Monte Carlo, " : "exact",
             mc ? cli_table_cell(summary, 0, "n_trials") : "", mc ? " trials" : "", timing);
}

static void put_caption(FILE *gp, const caption_t *caption)
{
    fputs("set label 1 ", gp);
    cli_gp_text(gp, caption->rules);
    fputs(" at screen 0.5, screen 0.065 center\nset label 2 ", gp);
    cli_gp_text(gp, caption->method);
    fputs(" at screen 0.5, screen 0.03 center\nset bmargin 7\n", gp);
}

static void plot_selection(FILE *gp, cli_figures_t *figs, const cli_table_t *summary,
                           const cli_table_t *doses, const caption_t *caption)
{
    int max_levels = 0;
    for (int r = 0; r < doses->n_rows; r++) {
        int level = (int)cli_table_number(doses, r, "dose_level");
        max_levels = level > max_levels ? level : max_levels;
    }
    cli_figure_begin(gp, figs, "selection.png", 960, 540);
    fputs("set title ", gp);
    cli_gp_text(gp, strcmp(cli_table_cell(summary, 0, "method"), "mc") == 0
                        ? "How often each dose is chosen as the RP2D (with 95% intervals)"
                        : "How often each dose is chosen as the RP2D");
    fputc('\n', gp);
    put_caption(gp, caption);
    fputs("set style data histograms\nset style histogram errorbars gap 1.5 lw 1\n"
          "set style fill solid 0.75 border -1\nset yrange [0:1]\nset ytics 0.1\n"
          "set grid ytics\nset ylabel 'probability of being the RP2D'\n"
          "set key outside right top\nset xtics rotate by -20 nomirror\n$selection << EOD\n",
          gp);
    for (int s = 0; s < summary->n_rows; s++) {
        const char *name = cli_table_cell(summary, s, "scenario");
        cli_gp_text(gp, name);
        for (int level = 1; level <= max_levels; level++) {
            double p = NAN, lo = NAN, hi = NAN;
            for (int r = 0; r < doses->n_rows; r++) {
                if (strcmp(cli_table_cell(doses, r, "scenario"), name) == 0 &&
                    (int)cli_table_number(doses, r, "dose_level") == level) {
                    p = cli_table_number(doses, r, "prob_rp2d");
                    lo = cli_table_number(doses, r, "prob_rp2d_lo");
                    hi = cli_table_number(doses, r, "prob_rp2d_hi");
                }
            }
            cli_gp_number(gp, p);
            cli_gp_number(gp, lo);
            cli_gp_number(gp, hi);
        }
        cli_gp_number(gp, cli_table_number(summary, s, "prob_no_rp2d"));
        cli_gp_number(gp, cli_table_number(summary, s, "prob_no_rp2d_lo"));
        cli_gp_number(gp, cli_table_number(summary, s, "prob_no_rp2d_hi"));
        fputc('\n', gp);
    }
    fputs("EOD\nplot ", gp);
    for (int level = 1; level <= max_levels + 1; level++) {
        /* Dose names from the first scenario that has the level (files usually share them). */
        const char *title = "no RP2D";
        char generic[32];
        if (level <= max_levels) {
            snprintf(generic, sizeof(generic), "level %d", level);
            title = generic;
            for (int r = 0; r < doses->n_rows; r++) {
                if ((int)cli_table_number(doses, r, "dose_level") == level) {
                    title = cli_table_cell(doses, r, "dose_label");
                    break;
                }
            }
        }
        int col = 2 + 3 * (level - 1);
        fprintf(gp, "%s$selection using %d:%d:%d%s title ", level > 1 ? ", " : "", col, col + 1,
                col + 2, level == 1 ? ":xtic(1)" : "");
        cli_gp_text(gp, title);
        if (level > max_levels) {
            fputs(" lc rgb 'gray50'", gp);
        }
    }
    fputc('\n', gp);
}

static void plot_sample_size(FILE *gp, cli_figures_t *figs, const cli_table_t *summary,
                             const cli_table_t *sizes, const caption_t *caption)
{
    cli_figure_begin(gp, figs, "sample_size.png", 960, 540);
    fputs("set title 'Distribution of the total sample size'\n", gp);
    put_caption(gp, caption);
    fputs("set xlabel 'patients treated'\n"
          "set ylabel 'probability'\nset grid\nset key outside right top\n",
          gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "$n%d << EOD\n", s);
        for (int r = 0; r < sizes->n_rows; r++) {
            if (strcmp(cli_table_cell(sizes, r, "scenario"),
                       cli_table_cell(summary, s, "scenario")) == 0) {
                cli_gp_number(gp, cli_table_number(sizes, r, "n"));
                cli_gp_number(gp, cli_table_number(sizes, r, "prob"));
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "%s$n%d using 1:2 with linespoints lw 2 pt 7 title ", s > 0 ? ", " : "", s);
        cli_gp_text(gp, cli_table_cell(summary, s, "scenario"));
    }
    fputc('\n', gp);
}

/* The duration's distribution as a density over bins of a whole number of days. */
static void plot_duration(FILE *gp, cli_figures_t *figs, const cli_table_t *summary,
                          const cli_table_t *durations, const caption_t *caption)
{
    double longest = 0.0;
    for (int r = 0; r < durations->n_rows; r++) {
        longest = fmax(longest, cli_table_number(durations, r, "days_to"));
    }
    double width = fmax(1.0, floor(longest / 80.0)); /* some 80 bins across */
    int n_bins = (int)(longest / width) + 1;
    double *mass = calloc((size_t)n_bins, sizeof(double));
    if (mass == NULL) {
        return;
    }
    cli_figure_begin(gp, figs, "duration.png", 960, 540);
    fputs("set title 'Distribution of the trial duration'\n", gp);
    put_caption(gp, caption);
    fprintf(gp,
            "set xlabel 'days from the opening of the trial to its final decision'\n"
            "set ylabel 'probability per day (bins of %g days)'\nset grid\n"
            "set key outside right top\n",
            width);
    for (int s = 0; s < summary->n_rows; s++) {
        memset(mass, 0, (size_t)n_bins * sizeof(double));
        for (int r = 0; r < durations->n_rows; r++) {
            if (strcmp(cli_table_cell(durations, r, "scenario"),
                       cli_table_cell(summary, s, "scenario")) == 0) {
                int bin = (int)(cli_table_number(durations, r, "days_from") / width);
                mass[bin < n_bins ? bin : n_bins - 1] += cli_table_number(durations, r, "prob");
            }
        }
        fprintf(gp, "$d%d << EOD\n", s);
        for (int b = 0; b < n_bins; b++) {
            cli_gp_number(gp, (b + 0.5) * width);
            cli_gp_number(gp, mass[b] / width);
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fprintf(gp, "%s$d%d using 1:2 with lines lw 2 title ", s > 0 ? ", " : "", s);
        cli_gp_text(gp, cli_table_cell(summary, s, "scenario"));
    }
    fputc('\n', gp);
    free(mass);
}

static void plot_sweep(FILE *gp, cli_figures_t *figs, const cli_table_t *sweep, const char *file)
{
    char name[4096];
    snprintf(name, sizeof(name), "%.*s.png", (int)(strlen(file) - 4), file);
    int max_levels = 0;
    for (int r = 0; r < sweep->n_rows; r++) {
        int level = (int)cli_table_number(sweep, r, "dose_level");
        max_levels = level > max_levels ? level : max_levels;
    }
    const char *vary = cli_table_cell(sweep, 0, "vary");
    char xlabel[256], title[512];
    if (strcmp(vary, "all") == 0) {
        snprintf(xlabel, sizeof(xlabel), "factor by which every dose's p_dlt is scaled");
    } else {
        const char *label = "";
        for (int r = 0; r < sweep->n_rows; r++) {
            if (strcmp(cli_table_cell(sweep, r, "dose_level"), vary) == 0) {
                label = cli_table_cell(sweep, r, "dose_label");
                break;
            }
        }
        snprintf(xlabel, sizeof(xlabel), "p_dlt of %s (level %s)", label, vary);
    }
    snprintf(title, sizeof(title),
             "Operating characteristics of '%s' (%s, de-escalation %s, top dose %s, start %s; %s)",
             cli_table_cell(sweep, 0, "scenario"), cli_table_cell(sweep, 0, "design"),
             cli_table_cell(sweep, 0, "deescalate"), cli_table_cell(sweep, 0, "top_dose"),
             cli_table_cell(sweep, 0, "start_level"),
             strcmp(cli_table_cell(sweep, 0, "method"), "mc") == 0 ? "Monte Carlo" : "exact");
    cli_figure_begin(gp, figs, name, 960, 540);
    fputs("set title ", gp);
    cli_gp_text(gp, title);
    fputs("\nset xlabel ", gp);
    cli_gp_text(gp, xlabel);
    fputs("\nset ylabel 'probability of being the RP2D'\nset y2label 'mean sample size'\n"
          "set yrange [0:1]\nset y2range [0:*]\nset ytics nomirror\nset y2tics\nset grid\n"
          "set key outside right top\n",
          gp);
    for (int level = 1; level <= max_levels; level++) {
        fprintf(gp, "$l%d << EOD\n", level);
        for (int r = 0; r < sweep->n_rows; r++) {
            if ((int)cli_table_number(sweep, r, "dose_level") == level) {
                cli_gp_number(gp, cli_table_number(sweep, r, "value"));
                cli_gp_number(gp, cli_table_number(sweep, r, "prob_rp2d"));
                cli_gp_number(gp, cli_table_number(sweep, r, "prob_no_rp2d"));
                cli_gp_number(gp, cli_table_number(sweep, r, "mean_n"));
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int level = 1; level <= max_levels; level++) {
        const char *label = "";
        for (int r = 0; r < sweep->n_rows; r++) {
            if ((int)cli_table_number(sweep, r, "dose_level") == level) {
                label = cli_table_cell(sweep, r, "dose_label");
                break;
            }
        }
        fprintf(gp, "$l%d using 1:2 with linespoints lw 2 title ", level);
        cli_gp_text(gp, label);
        fputs(", ", gp);
    }
    fputs("$l1 using 1:3 with linespoints lw 2 lc rgb 'gray50' title 'no RP2D', "
          "$l1 using 1:4 axes x1y2 with lines dt 2 lw 2 lc rgb 'black' title 'mean N'\n",
          gp);
}

static bool is_sweep_file(const char *name)
{
    size_t len = strlen(name);
    return strncmp(name, "sweep_", 6) == 0 && len > 10 && strcmp(name + len - 4, ".csv") == 0;
}

static int run_plot(cli_args_t *args, const cli_cluster_t *cluster)
{
    const char *out_dir = args->common.out_dir;
    int status = EXIT_BAD_INPUT;
    cli_table_t summary = {0}, doses = {0}, sizes = {0}, durations = {0};
    cli_figures_t figs = {0};
    FILE *gp = NULL;
    (void)cluster;

    const char *dir = args->positional[0];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error("plot", "%s: no such folder", dir);
        return EXIT_BAD_INPUT;
    }
    figs.out_dir = out_dir != NULL ? out_dir : dir;

    int have_summary = cli_table_read(&summary, "plot", dir, "summary.csv");
    int have_doses = cli_table_read(&doses, "plot", dir, "doses.csv");
    int have_sizes = cli_table_read(&sizes, "plot", dir, "sample_size.csv");
    int have_durations = cli_table_read(&durations, "plot", dir, "duration.csv");
    if (have_summary < 0 || have_doses < 0 || have_sizes < 0 || have_durations < 0) {
        goto out;
    }
    bool results = have_summary == 0 || have_doses == 0 || have_sizes == 0;
    if (results && (have_summary != 0 || have_doses != 0 || have_sizes != 0)) {
        cli_error("plot",
                  "%s: has only part of a result (summary.csv, doses.csv and "
                  "sample_size.csv go together)",
                  dir);
        goto out;
    }
    static const char *const summary_needs[] = {
        "scenario", "method", "design", "prob_no_rp2d", "prob_no_rp2d_lo", "prob_no_rp2d_hi", NULL};
    static const char *const doses_needs[] = {
        "scenario", "dose_level", "dose_label", "prob_rp2d", "prob_rp2d_lo", "prob_rp2d_hi", NULL};
    static const char *const sizes_needs[] = {"scenario", "n", "prob", NULL};
    if (results && (!cli_table_has_columns(&summary, "plot", dir, "summary.csv", summary_needs) ||
                    !cli_table_has_columns(&doses, "plot", dir, "doses.csv", doses_needs) ||
                    !cli_table_has_columns(&sizes, "plot", dir, "sample_size.csv", sizes_needs))) {
        goto out;
    }
    /* The sweeps, in name order. */
    DIR *d = opendir(dir);
    char *sweep_files[64];
    int n_sweeps = 0;
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
                  "%s: no results to plot: expected summary.csv, doses.csv and sample_size.csv "
                  "(from dosesim run, exact or merge) or sweep_*.csv (from dosesim sweep)",
                  dir);
        goto sweeps_out;
    }
    if (results && summary.n_rows == 0) {
        cli_error("plot", "%s/summary.csv: no scenarios in it", dir);
        goto sweeps_out;
    }
    status = EXIT_RUN_FAILED;
    if (cli_make_dirs("plot", figs.out_dir) != 0) {
        goto sweeps_out;
    }
    fflush(NULL);
    gp = popen("gnuplot", "w");
    if (gp == NULL) {
        cli_error("plot", "cannot start gnuplot");
        goto sweeps_out;
    }
    if (results) {
        caption_t caption;
        make_caption(&summary, &caption);
        plot_selection(gp, &figs, &summary, &doses, &caption);
        plot_sample_size(gp, &figs, &summary, &sizes, &caption);
        if (have_durations == 0 && durations.n_rows > 0) {
            plot_duration(gp, &figs, &summary, &durations, &caption);
        }
    }
    for (int i = 0; i < n_sweeps; i++) {
        cli_table_t sweep;
        if (cli_table_read(&sweep, "plot", dir, sweep_files[i]) != 0) {
            pclose(gp);
            gp = NULL;
            goto sweeps_out;
        }
        static const char *const sweep_needs[] = {"scenario",     "vary",       "value",
                                                  "dose_level",   "dose_label", "prob_rp2d",
                                                  "prob_no_rp2d", "mean_n",     NULL};
        if (!cli_table_has_columns(&sweep, "plot", dir, sweep_files[i], sweep_needs) ||
            sweep.n_rows == 0) {
            cli_table_free(&sweep);
            pclose(gp);
            gp = NULL;
            status = EXIT_BAD_INPUT;
            goto sweeps_out;
        }
        plot_sweep(gp, &figs, &sweep, sweep_files[i]);
        cli_table_free(&sweep);
    }
    status = cli_figures_finish(gp, &figs, "plot");
    gp = NULL;
sweeps_out:
    if (status != 0) {
        cli_figures_abandon(&figs);
    }
    for (int i = 0; i < n_sweeps; i++) {
        free(sweep_files[i]);
    }
out:
    if (gp != NULL) {
        pclose(gp);
    }
    cli_table_free(&summary);
    cli_table_free(&doses);
    cli_table_free(&sizes);
    cli_table_free(&durations);
    return status;
}

const cli_command_t cli_command_plot = {
    .name = "plot",
    .summary = "PNG figures (gnuplot) from the CSVs of run, exact, merge or sweep",
    .options = CLI_OPT(OPT_OUT),
    .positional = CLI_FOLDER,
    .usage = usage,
    .run = run_plot,
};

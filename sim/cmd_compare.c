/* dosesim compare: the results of several runs over the same scenarios (one
 * per design, say) side by side, as one CSV, a table and a figure. The
 * numbers are copied as the runs wrote them, never recomputed. */
#include "cmd.h"
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_OUT "results/comparison"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim compare DIR DIR... [--out DIR]\n"
            "\n"
            "Sets side by side the results in two or more folders (from dosesim run, exact or\n"
            "merge) over the same scenarios, one folder per design, say. Writes, in the --out\n"
            "folder (default %s):\n"
            "  comparison.csv    a row per scenario and folder: the design and its options,\n"
            "                    P(no RP2D), P(RP2D = each level), the sample size, the DLTs,\n"
            "                    P(RP2D is an overdose) and, with calendar time, the duration\n"
            "  comparison.png    selections, mean sample sizes and mean durations (gnuplot)\n"
            "and prints the table. The numbers are those the runs wrote.\n"
            "\n"
            "  --out DIR                where they go\n",
            DEFAULT_OUT);
}

/* One folder's results. */
typedef struct {
    const char *dir;
    cli_table_t summary, doses;
    char label[160]; /* the design, and the folder when two share a design */
} run_t;

static const char *const summary_needs[] = {"scenario",
                                            "method",
                                            "design",
                                            "deescalate",
                                            "top_dose",
                                            "start_level",
                                            "n_trials",
                                            "prob_no_rp2d",
                                            "mean_n",
                                            "sd_n",
                                            "mean_dlt",
                                            "prob_rp2d_overdose",
                                            "mean_duration_days",
                                            "duration_p50",
                                            "mean_turned_away",
                                            "accrual_per_30_days",
                                            "window_days",
                                            "dlt_onset",
                                            "dropout",
                                            NULL};
static const char *const doses_needs[] = {"scenario", "dose_level", "dose_label",
                                          "p_dlt",    "prob_rp2d",  NULL};

/* The doses.csv row of a scenario's level, or -1. */
static int dose_row(const cli_table_t *doses, const char *scenario, int level)
{
    for (int r = 0; r < doses->n_rows; r++) {
        if ((int)cli_table_number(doses, r, "dose_level") == level &&
            strcmp(cli_table_cell(doses, r, "scenario"), scenario) == 0) {
            return r;
        }
    }
    return -1;
}

static int n_levels_of(const cli_table_t *doses, const char *scenario)
{
    int n = 0;
    while (dose_row(doses, scenario, n + 1) >= 0) {
        n++;
    }
    return n;
}

/* Read a folder; 0, or an exit status after saying why. */
static int read_run(run_t *run)
{
    struct stat st;
    if (stat(run->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error("compare", "%s: no such folder", run->dir);
        return EXIT_BAD_INPUT;
    }
    int a = cli_table_read(&run->summary, "compare", run->dir, "summary.csv");
    int b = cli_table_read(&run->doses, "compare", run->dir, "doses.csv");
    if (a < 0 || b < 0) {
        return EXIT_BAD_INPUT;
    }
    if (a > 0 || b > 0) {
        cli_error("compare", "%s: no %s: not a folder of results from run, exact or merge",
                  run->dir, a > 0 ? "summary.csv" : "doses.csv");
        return EXIT_BAD_INPUT;
    }
    if (!cli_table_has_columns(&run->summary, "compare", run->dir, "summary.csv", summary_needs) ||
        !cli_table_has_columns(&run->doses, "compare", run->dir, "doses.csv", doses_needs)) {
        return EXIT_BAD_INPUT;
    }
    if (run->summary.n_rows == 0) {
        cli_error("compare", "%s/summary.csv: no scenarios in it", run->dir);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* Whether run b covers the same scenarios, doses and p_dlt as run a, in the same order. */
static bool same_scenarios(const run_t *a, const run_t *b)
{
    if (a->summary.n_rows != b->summary.n_rows) {
        cli_error("compare", "%s has %d scenarios and %s %d: compare runs of the same scenarios",
                  a->dir, a->summary.n_rows, b->dir, b->summary.n_rows);
        return false;
    }
    for (int s = 0; s < a->summary.n_rows; s++) {
        const char *name = cli_table_cell(&a->summary, s, "scenario");
        if (strcmp(name, cli_table_cell(&b->summary, s, "scenario")) != 0) {
            cli_error("compare", "%s: scenario %d is '%s', in %s '%s'", b->dir, s + 1,
                      cli_table_cell(&b->summary, s, "scenario"), a->dir, name);
            return false;
        }
        int n = n_levels_of(&a->doses, name);
        if (n_levels_of(&b->doses, name) != n) {
            cli_error("compare", "%s: scenario '%s' has other dose levels than in %s", b->dir, name,
                      a->dir);
            return false;
        }
        for (int level = 1; level <= n; level++) {
            int ra = dose_row(&a->doses, name, level), rb = dose_row(&b->doses, name, level);
            if (strcmp(cli_table_cell(&a->doses, ra, "dose_label"),
                       cli_table_cell(&b->doses, rb, "dose_label")) != 0 ||
                cli_table_number(&a->doses, ra, "p_dlt") !=
                    cli_table_number(&b->doses, rb, "p_dlt")) {
                cli_error("compare",
                          "%s: scenario '%s', level %d is %s with p_dlt %s; in %s %s with %s",
                          b->dir, name, level, cli_table_cell(&b->doses, rb, "dose_label"),
                          cli_table_cell(&b->doses, rb, "p_dlt"), a->dir,
                          cli_table_cell(&a->doses, ra, "dose_label"),
                          cli_table_cell(&a->doses, ra, "p_dlt"));
                return false;
            }
        }
    }
    return true;
}

/* Bar labels: the design, with the folder's name where two runs share a design. */
static void make_labels(run_t *runs, int n)
{
    for (int i = 0; i < n; i++) {
        const char *design = cli_table_cell(&runs[i].summary, 0, "design");
        bool shared = false;
        for (int j = 0; j < n; j++) {
            shared |= j != i && strcmp(design, cli_table_cell(&runs[j].summary, 0, "design")) == 0;
        }
        const char *slash = strrchr(runs[i].dir, '/');
        const char *base = slash != NULL && slash[1] != '\0' ? slash + 1 : runs[i].dir;
        if (shared) {
            snprintf(runs[i].label, sizeof(runs[i].label), "%s (%s)", design, base);
        } else {
            snprintf(runs[i].label, sizeof(runs[i].label), "%s", design);
        }
    }
}

static const char *const copied[] = {"method", "n_trials", "deescalate", "top_dose", "start_level"};
static const char *const copied_after[] = {"mean_n",
                                           "sd_n",
                                           "mean_dlt",
                                           "prob_rp2d_overdose",
                                           "mean_duration_days",
                                           "duration_p50",
                                           "mean_turned_away"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void write_csv(FILE *file, const run_t *runs, int n_runs, int max_levels)
{
    ds_csv_row_t w = {.file = file, .at_start = true};
    ds_csv_text(&w, "scenario");
    ds_csv_text(&w, "design");
    for (size_t c = 0; c < COUNT(copied); c++) {
        ds_csv_text(&w, copied[c]);
    }
    ds_csv_text(&w, "prob_no_rp2d");
    for (int level = 1; level <= max_levels; level++) {
        char name[32];
        snprintf(name, sizeof(name), "prob_rp2d_%d", level);
        ds_csv_text(&w, name);
    }
    for (size_t c = 0; c < COUNT(copied_after); c++) {
        ds_csv_text(&w, copied_after[c]);
    }
    ds_csv_text(&w, "folder");
    ds_csv_end(&w);
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        for (int i = 0; i < n_runs; i++) {
            const run_t *run = &runs[i];
            const char *scenario = cli_table_cell(&run->summary, s, "scenario");
            ds_csv_text(&w, scenario);
            ds_csv_text(&w, cli_table_cell(&run->summary, s, "design"));
            for (size_t c = 0; c < COUNT(copied); c++) {
                ds_csv_text(&w, cli_table_cell(&run->summary, s, copied[c]));
            }
            ds_csv_text(&w, cli_table_cell(&run->summary, s, "prob_no_rp2d"));
            for (int level = 1; level <= max_levels; level++) {
                int r = dose_row(&run->doses, scenario, level);
                ds_csv_text(&w, r >= 0 ? cli_table_cell(&run->doses, r, "prob_rp2d") : "");
            }
            for (size_t c = 0; c < COUNT(copied_after); c++) {
                ds_csv_text(&w, cli_table_cell(&run->summary, s, copied_after[c]));
            }
            ds_csv_text(&w, run->dir);
            ds_csv_end(&w);
        }
    }
}

static void print_table(const run_t *runs, int n_runs, int max_levels, bool timed)
{
    int wl = 6;
    for (int i = 0; i < n_runs; i++) {
        wl = (int)strlen(runs[i].label) > wl ? (int)strlen(runs[i].label) : wl;
    }
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        const char *scenario = cli_table_cell(&runs[0].summary, s, "scenario");
        printf("%s\n  %-*s", scenario, wl, "design");
        for (int level = 1; level <= max_levels; level++) {
            int r = dose_row(&runs[0].doses, scenario, level);
            printf("  %9.9s", r >= 0 ? cli_table_cell(&runs[0].doses, r, "dose_label") : "");
        }
        printf("  %9s  %7s%s\n", "no RP2D", "mean N", timed ? "  mean days" : "");
        for (int i = 0; i < n_runs; i++) {
            printf("  %-*s", wl, runs[i].label);
            for (int level = 1; level <= max_levels; level++) {
                int r = dose_row(&runs[i].doses, scenario, level);
                printf("  %9.4f", r >= 0 ? cli_table_number(&runs[i].doses, r, "prob_rp2d") : NAN);
            }
            printf("  %9.4f  %7.2f", cli_table_number(&runs[i].summary, s, "prob_no_rp2d"),
                   cli_table_number(&runs[i].summary, s, "mean_n"));
            if (timed) {
                printf("  %9.1f", cli_table_number(&runs[i].summary, s, "mean_duration_days"));
            }
            putchar('\n');
        }
    }
}

/* A panel of bars clustered by scenario, one bar per run: a summary column. */
static void plot_clustered(FILE *gp, const run_t *runs, int n_runs, const char *column,
                           const char *title, const char *ylabel)
{
    fputs("set style histogram clustered gap 1\nset yrange [0:*]\nset title ", gp);
    cli_gp_text(gp, title);
    fputs("\nset ylabel ", gp);
    cli_gp_text(gp, ylabel);
    fprintf(gp, "\n$%s << EOD\n", column);
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        cli_gp_text(gp, cli_table_cell(&runs[0].summary, s, "scenario"));
        for (int i = 0; i < n_runs; i++) {
            cli_gp_number(gp, cli_table_number(&runs[i].summary, s, column));
        }
        fputc('\n', gp);
    }
    fputs("EOD\nplot ", gp);
    for (int i = 0; i < n_runs; i++) {
        fprintf(gp, "%s$%s using %d%s title ", i > 0 ? ", " : "", column, i + 2,
                i == 0 ? ":xtic(1)" : "");
        cli_gp_text(gp, runs[i].label);
        /* Colours of their own, apart from the blues of the doses above. */
        static const char *const colours[] = {"#d95f02", "#1b9e77", "#7570b3",
                                              "#e7298a", "#66a61e", "#e6ab02"};
        fprintf(gp, " lc rgb '%s'", colours[i % 6]);
    }
    fputc('\n', gp);
}

static void plot_comparison(FILE *gp, cli_figures_t *figs, const run_t *runs, int n_runs,
                            int max_levels, bool timed)
{
    const int n_scenarios = runs[0].summary.n_rows;
    cli_figure_begin(gp, figs, "comparison.png", 1100, timed ? 1350 : 950);
    fprintf(gp, "set multiplot layout %d,1 title ", timed ? 3 : 2);
    char title[256];
    snprintf(title, sizeof(title), "Designs side by side (%s%s%s)",
             strcmp(cli_table_cell(&runs[0].summary, 0, "method"), "mc") == 0 ? "Monte Carlo, "
                                                                              : "exact",
             cli_table_cell(&runs[0].summary, 0, "n_trials"),
             cli_table_cell(&runs[0].summary, 0, "n_trials")[0] ? " trials each" : "");
    cli_gp_text(gp, title);
    fputs("\nset style data histograms\nset style fill solid 0.8 border -1\nset boxwidth 0.85\n"
          "set grid ytics\nset key outside right top\nset xtics nomirror rotate by -25\n",
          gp);
    /* Selections: a group per scenario, a stacked bar per run (doses, then none). */
    fputs("set style histogram rowstacked title offset 0,-1.2\nset bmargin 6\n"
          "set yrange [0:1]\nset title 'How often each dose is chosen as the RP2D'\n"
          "set ylabel 'probability'\n",
          gp);
    for (int s = 0; s < n_scenarios; s++) {
        const char *scenario = cli_table_cell(&runs[0].summary, s, "scenario");
        fprintf(gp, "$sel%d << EOD\n", s);
        for (int i = 0; i < n_runs; i++) {
            cli_gp_text(gp, runs[i].label);
            for (int level = 1; level <= max_levels; level++) {
                int r = dose_row(&runs[i].doses, scenario, level);
                cli_gp_number(gp, r >= 0 ? cli_table_number(&runs[i].doses, r, "prob_rp2d") : 0.0);
            }
            cli_gp_number(gp, cli_table_number(&runs[i].summary, s, "prob_no_rp2d"));
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int s = 0; s < n_scenarios; s++) {
        const char *scenario = cli_table_cell(&runs[0].summary, s, "scenario");
        char p_dlt[256] = "p_dlt";
        size_t used = strlen(p_dlt);
        for (int level = 1; level <= max_levels && used < sizeof(p_dlt); level++) {
            int r = dose_row(&runs[0].doses, scenario, level);
            if (r >= 0) {
                int n = snprintf(p_dlt + used, sizeof(p_dlt) - used, "%s %s", level > 1 ? "," : "",
                                 cli_table_cell(&runs[0].doses, r, "p_dlt"));
                used += n > 0 ? (size_t)n : 0;
            }
        }
        fprintf(gp, "%snewhistogram ", s > 0 ? ", " : "");
        cli_gp_two_lines(gp, scenario, p_dlt);
        for (int level = 1; level <= max_levels + 1; level++) {
            fprintf(gp, ", $sel%d using %d%s ", s, level + 1, level == 1 ? ":xtic(1)" : "");
            if (s > 0) {
                fputs("notitle", gp);
            } else if (level > max_levels) {
                fputs("title 'no RP2D'", gp);
            } else {
                int r = dose_row(&runs[0].doses, scenario, level);
                fputs("title ", gp);
                cli_gp_text(gp, r >= 0 ? cli_table_cell(&runs[0].doses, r, "dose_label") : "");
            }
            /* Shades of blue for the doses, darker as the dose rises: not the colours
             * the runs have in the panels below. */
            static const char *const shades[] = {"#c6dbef", "#6baed6", "#2171b5", "#08306b"};
            fprintf(gp, " lc rgb '%s'",
                    level > max_levels ? "gray60"
                                       : shades[(level - 1 + (max_levels < 3 ? 1 : 0)) % 4]);
        }
    }
    fputs("\nset bmargin\nset xtics nomirror rotate by 0\n", gp);
    plot_clustered(gp, runs, n_runs, "mean_n", "Mean number of patients", "patients");
    if (timed) {
        static const char *const calendar[] = {"accrual_per_30_days", "window_days", "dlt_onset",
                                               "dropout"};
        bool same = true;
        for (int i = 1; i < n_runs; i++) {
            for (size_t c = 0; c < COUNT(calendar); c++) {
                same &= strcmp(cli_table_cell(&runs[0].summary, 0, calendar[c]),
                               cli_table_cell(&runs[i].summary, 0, calendar[c])) == 0;
            }
        }
        const cli_table_t *t = &runs[0].summary;
        char duration_title[512];
        if (same) {
            snprintf(duration_title, sizeof(duration_title),
                     "Mean duration, to the final decision (%s patients per 30 days, %s-day "
                     "window, DLT onset %s, dropout %s)",
                     cli_table_cell(t, 0, calendar[0]), cli_table_cell(t, 0, calendar[1]),
                     cli_table_cell(t, 0, calendar[2]), cli_table_cell(t, 0, calendar[3]));
        } else {
            snprintf(duration_title, sizeof(duration_title),
                     "Mean duration, to the final decision (the runs' calendars differ)");
        }
        plot_clustered(gp, runs, n_runs, "mean_duration_days", duration_title, "days");
    }
    fputs("unset multiplot\n", gp);
}

static int run_compare(cli_args_t *args, const cli_cluster_t *cluster)
{
    (void)cluster;
    const int n_runs = args->n_positional;
    const char *out_dir = args->common.out_dir != NULL ? args->common.out_dir : DEFAULT_OUT;
    ds_diag_t diag;
    run_t *runs = calloc((size_t)n_runs, sizeof(*runs));
    if (runs == NULL) {
        cli_error("compare", "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = 0;
    for (int i = 0; i < n_runs && status == 0; i++) {
        runs[i].dir = args->positional[i];
        status = read_run(&runs[i]);
        if (status == 0 && i > 0 && !same_scenarios(&runs[0], &runs[i])) {
            status = EXIT_BAD_INPUT;
        }
    }
    int max_levels = 0;
    bool timed = true;
    for (int s = 0; status == 0 && s < runs[0].summary.n_rows; s++) {
        int n = n_levels_of(&runs[0].doses, cli_table_cell(&runs[0].summary, s, "scenario"));
        max_levels = n > max_levels ? n : max_levels;
    }
    for (int i = 0; status == 0 && i < n_runs; i++) {
        timed &= cli_table_cell(&runs[i].summary, 0, "mean_duration_days")[0] != '\0';
    }
    ds_atomic_file_t csv = {0};
    cli_figures_t figs = {.out_dir = out_dir};
    char csv_path[4200];
    snprintf(csv_path, sizeof(csv_path), "%s/comparison.csv", out_dir);
    if (status == 0) {
        make_labels(runs, n_runs);
        status = EXIT_RUN_FAILED;
        cli_guard_output(csv_path);
        int opened = cli_make_dirs("compare", out_dir);
        if (opened == 0 && ds_atomic_open(&csv, csv_path, &diag) != 0) {
            cli_diag_error("compare", &diag);
            opened = EXIT_RUN_FAILED;
        }
        if (opened == 0) {
            write_csv(csv.file, runs, n_runs, max_levels);
            if (ds_atomic_close(&csv, &diag) != 0) {
                cli_diag_error("compare", &diag);
            } else {
                fflush(NULL);
                FILE *gp = popen("gnuplot", "w");
                if (gp == NULL) {
                    cli_error("compare", "cannot start gnuplot");
                } else {
                    plot_comparison(gp, &figs, runs, n_runs, max_levels, timed);
                    status = cli_figures_finish(gp, &figs, "compare");
                }
            }
        }
        /* The figure is in place: now the table, or neither. */
        if (status == 0 && ds_atomic_commit(&csv, &diag) != 0) {
            cli_diag_error("compare", &diag);
            for (int k = 0; k < figs.n; k++) {
                remove(figs.final[k]);
            }
            status = EXIT_RUN_FAILED;
        }
        ds_atomic_discard(&csv);
        if (status == 0) {
            printf("wrote %s\n\n", csv_path);
            print_table(runs, n_runs, max_levels, timed);
        }
    }
    for (int i = 0; i < n_runs; i++) {
        cli_table_free(&runs[i].summary);
        cli_table_free(&runs[i].doses);
    }
    free(runs);
    return status;
}

const cli_command_t cli_command_compare = {
    .name = "compare",
    .summary = "results of several runs (designs, say) side by side: CSV, table, figure",
    .options = CLI_OPT(OPT_OUT),
    .positional = CLI_FOLDERS,
    .usage = usage,
    .run = run_compare,
};

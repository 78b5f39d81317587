/* dosesim compare: the results of several runs over the same scenarios (one
 * per design, say) side by side, as one CSV, a table and a figure. The
 * numbers are copied as the runs wrote them, never recomputed; every cell is
 * checked first, and every text reaches gnuplot only as an escaped string. */
#include "cmd.h"
#include "dosesim/csv.h"
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim compare DIR DIR... [--out DIR] [--format png|svg|pdf]\n"
            "                       [--target T] [--target-interval LO,HI]\n"
            "\n"
            "Sets side by side the results in two or more folders (from dosesim run, exact or\n"
            "merge) over the same scenarios, one folder per design, say (at most %d). Writes, in\n"
            "the --out folder (default %s), together:\n"
            "  comparison.csv    a row per scenario, folder and dose (the none row first): the\n"
            "                    folder's doses.csv row and its scenario's summary.csv values\n"
            "  comparison.png    selections, mean sample sizes and mean durations (gnuplot)\n"
            "and prints the table. The numbers are those the runs wrote.\n"
            "\n"
            "  --out DIR                where they go (made if missing)\n"
            "  --format png|svg|pdf     the figure's format (default png)\n"
            "%s",
            CLI_MAX_COMPARED, DS_COMPARISON_DIR, CLI_TARGET_HELP);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One folder's results. */
typedef struct {
    const char *dir;
    cli_table_t summary, doses;
    cli_dose_index_t index;
    int *scenario_of_dose; /* [doses.n_rows]: the summary row of each doses row */
    char label[300]; /* the design, and the folder when two share a design */
} run_t;

static bool is_dose_column(const char *name)
{
    const ds_table_schema_t *doses = ds_schema_table(DS_TABLE_DOSES);
    for (size_t k = 0; k < doses->n_columns; k++) {
        if (strcmp(doses->columns[k]->name, name) == 0) {
            return true;
        }
    }
    return false;
}

static bool has_column(const cli_table_t *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (strcmp(t->names[c], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Every column comparison.csv copies is in the folder's files: else they are
 * not of this version, and nothing is written. */
static bool has_every_column(const run_t *run)
{
    const ds_table_schema_t *t = ds_schema_table(DS_TABLE_COMPARISON);
    for (size_t k = 0; k < t->n_columns; k++) {
        const char *name = t->columns[k]->name;
        if (strcmp(name, DS_COL_FOLDER) == 0) {
            continue;
        }
        const cli_table_t *from = is_dose_column(name) ? &run->doses : &run->summary;
        if (!has_column(from, name)) {
            cli_error("compare", "%s: no column '%s': not a dosesim results file of this version",
                      from->path, name);
            return false;
        }
    }
    return true;
}

/* Check a folder's summary and doses; 0, or an exit status after saying why. */
static int check_run(run_t *run, const cli_text_file_t *summary, const cli_text_file_t *doses)
{
    char why[200];
    /* The folder's name goes into the CSV and the figure: it must be text. */
    if (ds_text_problem(run->dir, strlen(run->dir), why, sizeof(why)) != NULL) {
        cli_error("compare", "the folder name '%s' %s", run->dir, why);
        return EXIT_BAD_INPUT;
    }
    if (summary->text == NULL || doses->text == NULL) {
        cli_error("compare", "%s: no %s: not a folder of results from run, exact or merge",
                  run->dir, summary->text == NULL ? DS_SUMMARY_FILE : DS_DOSES_FILE);
        return EXIT_BAD_INPUT;
    }
    if (cli_table_parse(&run->summary, "compare", summary->path, summary->text, summary->len,
                        cli_summary_columns) != 0 ||
        cli_table_parse(&run->doses, "compare", doses->path, doses->text, doses->len,
                        cli_doses_columns) != 0) {
        return EXIT_BAD_INPUT;
    }
    if (run->summary.n_rows == 0) {
        cli_error("compare", "%s: no scenarios in it", summary->path);
        return EXIT_BAD_INPUT;
    }
    if (run->summary.n_rows > CLI_MAX_FIGURE_SCENARIOS) {
        cli_error("compare", "%s: %d scenarios; compare sets at most %d side by side",
                  summary->path, run->summary.n_rows, CLI_MAX_FIGURE_SCENARIOS);
        return EXIT_BAD_INPUT;
    }
    if (!has_every_column(run) ||
        cli_dose_index(&run->index, "compare", &run->summary, &run->doses) != 0) {
        return EXIT_BAD_INPUT;
    }
    run->scenario_of_dose = cli_scenario_of_rows(&run->doses, "compare", &run->summary);
    return run->scenario_of_dose != NULL ? 0 : EXIT_BAD_INPUT;
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
        const char *name = cli_table_cell(&a->summary, s, DS_COL_SCENARIO);
        if (strcmp(name, cli_table_cell(&b->summary, s, DS_COL_SCENARIO)) != 0) {
            cli_error("compare", "%s: scenario %d is '%s', in %s '%s'", b->dir, s + 1,
                      cli_table_cell(&b->summary, s, DS_COL_SCENARIO), a->dir, name);
            return false;
        }
        int n = cli_dose_levels(&a->index, s);
        if (cli_dose_levels(&b->index, s) != n) {
            cli_error("compare", "%s: scenario '%s' has other dose levels than in %s", b->dir, name,
                      a->dir);
            return false;
        }
        for (int level = 1; level <= n; level++) {
            int ra = cli_dose_row(&a->index, s, level), rb = cli_dose_row(&b->index, s, level);
            if (strcmp(cli_table_cell(&a->doses, ra, DS_COL_DOSE_LABEL),
                       cli_table_cell(&b->doses, rb, DS_COL_DOSE_LABEL)) != 0 ||
                cli_table_number(&a->doses, ra, DS_COL_P_DLT) !=
                    cli_table_number(&b->doses, rb, DS_COL_P_DLT)) {
                cli_error("compare",
                          "%s: scenario '%s', level %d is %s with p_dlt %s; in %s %s with %s",
                          b->dir, name, level, cli_table_cell(&b->doses, rb, DS_COL_DOSE_LABEL),
                          cli_table_cell(&b->doses, rb, DS_COL_P_DLT), a->dir,
                          cli_table_cell(&a->doses, ra, DS_COL_DOSE_LABEL),
                          cli_table_cell(&a->doses, ra, DS_COL_P_DLT));
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
        const char *design = cli_table_cell(&runs[i].summary, 0, DS_COL_DESIGN);
        bool shared = false;
        for (int j = 0; j < n; j++) {
            shared |=
                j != i && strcmp(design, cli_table_cell(&runs[j].summary, 0, DS_COL_DESIGN)) == 0;
        }
        size_t len = strlen(runs[i].dir);
        while (len > 1 && runs[i].dir[len - 1] == '/') {
            len--;
        }
        size_t start = len;
        while (start > 0 && runs[i].dir[start - 1] != '/') {
            start--;
        }
        if (shared) {
            snprintf(runs[i].label, sizeof(runs[i].label), "%s (%.*s)", design,
                     (int)(len - start > 30 ? 30 : len - start), runs[i].dir + start);
        } else {
            snprintf(runs[i].label, sizeof(runs[i].label), "%s", design);
        }
        /* A cut may have split a character: cut back to whole ones. */
        size_t whole = ds_utf8_invalid_at(runs[i].label, strlen(runs[i].label));
        runs[i].label[whole] = '\0';
    }
}

/* comparison.csv (schema.h's DS_TABLE_COMPARISON): for each scenario, folder
 * and dose row of its doses.csv (the none row first), that row's cells, the
 * folder, and its scenario's summary.csv values, copied as the run wrote them. */
static void write_csv(FILE *file, const run_t *runs, int n_runs)
{
    const ds_table_schema_t *t = ds_schema_table(DS_TABLE_COMPARISON);
    ds_csv_row_t w = {.file = file, .at_start = true};
    for (size_t k = 0; k < t->n_columns; k++) {
        ds_csv_text(&w, t->columns[k]->name);
    }
    ds_csv_end(&w);
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        for (int i = 0; i < n_runs; i++) {
            const run_t *run = &runs[i];
            for (int r = 0; r < run->doses.n_rows; r++) {
                if (run->scenario_of_dose[r] != s) {
                    continue;
                }
                for (size_t k = 0; k < t->n_columns; k++) {
                    const char *name = t->columns[k]->name;
                    if (strcmp(name, DS_COL_FOLDER) == 0) {
                        ds_csv_text(&w, run->dir);
                    } else if (is_dose_column(name)) {
                        ds_csv_text(&w, cli_table_cell(&run->doses, r, name));
                    } else {
                        ds_csv_text(&w, cli_table_cell(&run->summary, s, name));
                    }
                }
                ds_csv_end(&w);
            }
        }
    }
}

static void print_table(FILE *out, const run_t *runs, int n_runs, int max_levels, bool timed)
{
    int wl = 6;
    for (int i = 0; i < n_runs; i++) {
        wl = (int)strlen(runs[i].label) > wl ? (int)strlen(runs[i].label) : wl;
    }
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        fprintf(out, "%s\n  %-*s", cli_table_cell(&runs[0].summary, s, DS_COL_SCENARIO), wl,
                "design");
        for (int level = 1; level <= max_levels; level++) {
            int r = cli_dose_row(&runs[0].index, s, level);
            fprintf(out, "  %9.9s",
                    r >= 0 ? cli_table_cell(&runs[0].doses, r, DS_COL_DOSE_LABEL) : "");
        }
        fprintf(out, "  %9s  %7s%s\n", "no RP2D", "mean N", timed ? "  mean days" : "");
        for (int i = 0; i < n_runs; i++) {
            fprintf(out, "  %-*s", wl, runs[i].label);
            for (int level = 1; level <= max_levels; level++) {
                int r = cli_dose_row(&runs[i].index, s, level);
                fprintf(out, "  %9.4f",
                        r >= 0 ? cli_table_number(&runs[i].doses, r, DS_COL_PROB_RP2D) : NAN);
            }
            fprintf(out, "  %9.4f  %7.2f",
                    cli_table_number(&runs[i].summary, s, DS_COL_PROB_NO_RP2D),
                    cli_table_number(&runs[i].summary, s, DS_COL_MEAN_N_TREATED));
            if (timed) {
                fprintf(out, "  %9.1f",
                        cli_table_number(&runs[i].summary, s, DS_COL_MEAN_DURATION_DAYS));
            }
            fputc('\n', out);
        }
    }
}

/* Where run i's bar for scenario s stands: a group of bars per scenario. */
static double bar_x(int s, int i, int n_runs)
{
    return s * (n_runs + 1.0) + i;
}

/* Colours of the runs, apart from the blues of the doses. */
static const char *const run_colours[] = {"#d95f02", "#1b9e77", "#7570b3", "#e7298a",
                                          "#66a61e", "#e6ab02", "#a6761d", "#666666"};

/* Each bar's run under it, and each group's scenario (and what p_dlt it has) below. */
static void put_group_labels(FILE *gp, const run_t *runs, int n_runs, bool with_p_dlt)
{
    const int n_scenarios = runs[0].summary.n_rows;
    fputs("unset label\nset xtics (", gp);
    for (int s = 0; s < n_scenarios; s++) {
        for (int i = 0; i < n_runs; i++) {
            fputs(s + i > 0 ? ", " : "", gp);
            cli_gp_tic(gp, runs[i].label);
            fprintf(gp, " %g", bar_x(s, i, n_runs));
        }
    }
    fputs(") rotate by -35 font ',8' nomirror\n", gp);
    for (int s = 0; s < n_scenarios; s++) {
        fprintf(gp, "set label %d ", s + 1);
        cli_gp_str(gp, cli_table_cell(&runs[0].summary, s, DS_COL_SCENARIO));
        if (with_p_dlt) {
            fputs(" . ", gp);
            char p_dlt[32];
            for (int level = 1; level <= cli_dose_levels(&runs[0].index, s); level++) {
                int r = cli_dose_row(&runs[0].index, s, level);
                snprintf(p_dlt, sizeof(p_dlt), "%s%s", level > 1 ? ", " : "\np_dlt ",
                         cli_table_cell(&runs[0].doses, r, DS_COL_P_DLT));
                cli_gp_str(gp, p_dlt);
                fputs(level < cli_dose_levels(&runs[0].index, s) ? " . " : "", gp);
            }
        }
        fprintf(gp, " at first %g, graph -0.30 center font ',9'\n",
                bar_x(s, 0, n_runs) + (n_runs - 1) / 2.0);
    }
    fprintf(gp, "set xrange [-0.7:%g]\n", bar_x(n_scenarios - 1, n_runs - 1, n_runs) + 0.7);
}

/* A panel of one bar per run and scenario: a summary column. */
static void plot_bars(FILE *gp, const run_t *runs, int n_runs, const char *column,
                      const char *title, const char *ylabel)
{
    const int n_scenarios = runs[0].summary.n_rows;
    fputs("set yrange [0:*]\nset title ", gp);
    cli_gp_str(gp, title);
    fputs("\nset ylabel ", gp);
    cli_gp_str(gp, ylabel);
    fputc('\n', gp);
    put_group_labels(gp, runs, n_runs, false);
    for (int i = 0; i < n_runs; i++) {
        fprintf(gp, "$%s%d << EOD\n", column, i);
        for (int s = 0; s < n_scenarios; s++) {
            cli_gp_num(gp, bar_x(s, i, n_runs));
            cli_gp_num(gp, cli_table_number(&runs[i].summary, s, column));
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int i = 0; i < n_runs; i++) {
        fprintf(gp, "%s$%s%d using 1:2 with boxes title ", i > 0 ? ", " : "", column, i);
        cli_gp_str(gp, runs[i].label);
        fprintf(gp, " lc rgb '%s'", run_colours[(size_t)i % COUNT(run_colours)]);
    }
    fputc('\n', gp);
}

static int plot_comparison(cli_figures_t *figs, const run_t *runs, int n_runs, int max_levels,
                           bool timed)
{
    const int n_scenarios = runs[0].summary.n_rows;
    int status = cli_figure_begin(figs, DS_COMPARISON_FIGURE, 1100, timed ? 1350 : 950);
    if (status != 0) {
        return status;
    }
    FILE *gp = figs->gp.out;
    bool mc = strcmp(cli_table_cell(&runs[0].summary, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    fprintf(gp, "set multiplot layout %d,1 title ", timed ? 3 : 2);
    cli_gp_str(gp, mc ? "Designs side by side (Monte Carlo, " : "Designs side by side (exact)");
    if (mc) {
        fputs(" . ", gp);
        cli_gp_str(gp, cli_table_cell(&runs[0].summary, 0, DS_COL_N_TRIALS));
        fputs(" . ", gp);
        cli_gp_str(gp, " trials each)");
    }
    fputs("\nset style fill solid 0.8 border -1\nset boxwidth 0.85\nset grid ytics\n"
          "set key outside right top\nset bmargin 8\n",
          gp);
    /* Selections: a stacked bar per run and scenario (the doses, then none). */
    fputs("set yrange [0:1]\nset title 'How often each dose is chosen as the RP2D'\n"
          "set ylabel 'probability'\n",
          gp);
    put_group_labels(gp, runs, n_runs, true);
    static const char *const shades[] = {"#c6dbef", "#6baed6", "#2171b5", "#08306b"};
    for (int layer = 0; layer <= max_levels; layer++) {
        fprintf(gp, "$layer%d << EOD\n", layer);
        for (int s = 0; s < n_scenarios; s++) {
            for (int i = 0; i < n_runs; i++) {
                double below = 0.0, p = 0.0;
                for (int level = 1; level <= max_levels + 1; level++) {
                    int r = cli_dose_row(&runs[i].index, s, level);
                    double q = level > max_levels
                                   ? cli_table_number(&runs[i].summary, s, DS_COL_PROB_NO_RP2D)
                                   : (r >= 0 ? cli_table_number(&runs[i].doses, r, DS_COL_PROB_RP2D)
                                             : 0.0);
                    if (level - 1 == layer || (layer == max_levels && level > max_levels)) {
                        p = q;
                        break;
                    }
                    below += q;
                }
                cli_gp_num(gp, bar_x(s, i, n_runs));
                cli_gp_num(gp, below);
                cli_gp_num(gp, below + p);
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    fputs("plot ", gp);
    for (int layer = 0; layer <= max_levels; layer++) {
        fprintf(gp,
                "%s$layer%d using 1:(($2+$3)/2):($1-0.42):($1+0.42):2:3 with boxxyerror "
                "fs solid 0.85 border -1 title ",
                layer > 0 ? ", " : "", layer);
        if (layer == max_levels) {
            fputs("'no RP2D' lc rgb 'gray60'", gp);
            continue;
        }
        int r = -1;
        for (int s = 0; s < n_scenarios && r < 0; s++) {
            r = cli_dose_row(&runs[0].index, s, layer + 1);
        }
        cli_gp_str(gp, r >= 0 ? cli_table_cell(&runs[0].doses, r, DS_COL_DOSE_LABEL) : "");
        fprintf(gp, " lc rgb '%s'", shades[(layer + (max_levels < 3 ? 1 : 0)) % 4]);
    }
    fputc('\n', gp);
    plot_bars(gp, runs, n_runs, DS_COL_MEAN_N_TREATED, "Mean number of patients treated",
              "patients");
    if (timed) {
        static const char *const calendar[] = {DS_COL_ACCRUAL_PER_30_DAYS, DS_COL_WINDOW_DAYS,
                                               DS_COL_DLT_ONSET, DS_COL_DROPOUT};
        bool same = true;
        for (int i = 1; i < n_runs; i++) {
            for (size_t c = 0; c < COUNT(calendar); c++) {
                same &= strcmp(cli_table_cell(&runs[0].summary, 0, calendar[c]),
                               cli_table_cell(&runs[i].summary, 0, calendar[c])) == 0;
            }
        }
        const cli_table_t *t = &runs[0].summary;
        char title[512];
        if (same) {
            snprintf(title, sizeof(title),
                     "Mean duration, to the final decision (%s patients per 30 days, %s-day "
                     "window, DLT onset %s, dropout %s)",
                     cli_table_cell(t, 0, calendar[0]), cli_table_cell(t, 0, calendar[1]),
                     cli_table_cell(t, 0, calendar[2]), cli_table_cell(t, 0, calendar[3]));
        } else {
            snprintf(title, sizeof(title),
                     "Mean duration, to the final decision (the runs' calendars differ)");
        }
        title[ds_utf8_invalid_at(title, strlen(title))] = '\0';
        plot_bars(gp, runs, n_runs, DS_COL_MEAN_DURATION_DAYS, title, "days");
    }
    fputs("unset multiplot\n", gp);
    return cli_figure_end(figs);
}

int cli_compare_texts(cli_figures_t *figs, FILE *csv, int n_runs, const char *const *dirs,
                      const cli_text_file_t *summaries, const cli_text_file_t *doses, FILE *table)
{
    run_t *runs = calloc((size_t)n_runs, sizeof(*runs));
    if (runs == NULL) {
        cli_error("compare", "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = 0;
    for (int i = 0; i < n_runs && status == 0; i++) {
        runs[i].dir = dirs[i];
        status = check_run(&runs[i], &summaries[i], &doses[i]);
        if (status == 0 && i > 0 && !same_scenarios(&runs[0], &runs[i])) {
            status = EXIT_BAD_INPUT;
        }
    }
    int max_levels = 0;
    bool timed = true;
    for (int s = 0; status == 0 && s < runs[0].summary.n_rows; s++) {
        int n = cli_dose_levels(&runs[0].index, s);
        max_levels = n > max_levels ? n : max_levels;
    }
    for (int i = 0; status == 0 && i < n_runs; i++) {
        timed &= cli_table_cell(&runs[i].summary, 0, DS_COL_MEAN_DURATION_DAYS)[0] != '\0';
    }
    if (status == 0) {
        make_labels(runs, n_runs);
        write_csv(csv, runs, n_runs);
        status = plot_comparison(figs, runs, n_runs, max_levels, timed);
    }
    if (status == 0 && table != NULL) {
        print_table(table, runs, n_runs, max_levels, timed);
    }
    for (int i = 0; i < n_runs; i++) {
        cli_table_free(&runs[i].summary);
        cli_table_free(&runs[i].doses);
        cli_dose_index_free(&runs[i].index);
        free(runs[i].scenario_of_dose);
    }
    free(runs);
    return status;
}

static int run_compare(cli_args_t *args, const cli_cluster_t *cluster)
{
    (void)cluster;
    const int n_runs = args->n_positional;
    const char *out_dir = args->common.out_dir != NULL ? args->common.out_dir : DS_COMPARISON_DIR;
    ds_diag_t diag;
    if (n_runs > CLI_MAX_COMPARED) {
        cli_error("compare", "%d folders; compare sets at most %d side by side", n_runs,
                  CLI_MAX_COMPARED);
        return EXIT_BAD_INPUT;
    }
    cli_text_file_t summaries[CLI_MAX_COMPARED], doses[CLI_MAX_COMPARED];
    char *owned[2 * CLI_MAX_COMPARED] = {NULL};
    memset(summaries, 0, sizeof(summaries));
    memset(doses, 0, sizeof(doses));
    cli_io_t io;
    cli_io_init(&io);
    cli_figures_t figs;
    cli_figures_init(&figs, "compare", out_dir, (cli_gp_format_t)args->format);
    ds_outfile_t csv;
    ds_outfile_init(&csv);
    int status = 0;
    for (int i = 0; i < n_runs && status == 0; i++) {
        struct stat st;
        if (stat(args->positional[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_error("compare", "%s: no such folder", args->positional[i]);
            status = EXIT_BAD_INPUT;
        }
    }
    char csv_path[CLI_PATH_CHARS], figure_path[CLI_PATH_CHARS];
    snprintf(csv_path, sizeof(csv_path), "%s/%s", out_dir, DS_COMPARISON_FILE);
    snprintf(figure_path, sizeof(figure_path), "%s/%s.%s", out_dir, DS_COMPARISON_FIGURE,
             cli_gp_format_names[figs.format]);
    for (int i = 0; i < n_runs && status == 0; i++) {
        char path[CLI_PATH_CHARS];
        for (int k = 0; k < 2 && status == 0; k++) {
            snprintf(path, sizeof(path), "%s/%s", args->positional[i],
                     k == 0 ? DS_SUMMARY_FILE : DS_DOSES_FILE);
            status = cli_io_add(&io, CLI_IO_INPUT, "a results file", path);
        }
    }
    if (status == 0 &&
        (cli_io_add(&io, args->common.out_dir != NULL ? CLI_IO_FOLDER : CLI_IO_DEFAULT_FOLDER,
                    "--out", out_dir) != 0 ||
         cli_io_add(&io, CLI_IO_SET_MEMBER, DS_COMPARISON_FILE, csv_path) != 0 ||
         cli_io_add(&io, CLI_IO_SET_MEMBER, "the figure", figure_path) != 0)) {
        status = EXIT_RUN_FAILED;
    }
    if (status == 0) {
        status = cli_io_check(&io, "compare");
    }
    /* Each folder's set read under its lock: never half of one run and half of another. */
    for (int i = 0; i < n_runs && status == 0; i++) {
        int lock = -1;
        if (ds_folder_lock(args->positional[i], false, &lock, &diag) != 0) {
            cli_diag_error("compare", &diag);
            status = EXIT_BAD_INPUT;
            break;
        }
        if (cli_read_text("compare", args->positional[i], DS_SUMMARY_FILE, &summaries[i],
                          &owned[2 * i]) != 0 ||
            cli_read_text("compare", args->positional[i], DS_DOSES_FILE, &doses[i],
                          &owned[2 * i + 1]) != 0) {
            status = EXIT_BAD_INPUT;
        }
        ds_folder_unlock(lock);
    }
    if (status == 0) {
        status = cli_outfile_open("compare", &csv, csv_path, 0);
    }
    char *table_text = NULL;
    size_t table_len = 0;
    FILE *table = status == 0 ? open_memstream(&table_text, &table_len) : NULL;
    if (status == 0 && table == NULL) {
        cli_error("compare", "out of memory");
        status = EXIT_RUN_FAILED;
    }
    if (status == 0) {
        status = cli_compare_texts(&figs, csv.file, n_runs, (const char *const *)args->positional,
                                   summaries, doses, table);
    }
    if (table != NULL) {
        fclose(table);
    }
    if (status == 0 && ds_outfile_finish(&csv, &diag) != 0) {
        cli_diag_error("compare", &diag);
        status = EXIT_RUN_FAILED;
    }
    if (status == 0) {
        bool made = access(out_dir, F_OK) != 0;
        /* The table and the figure, published together: both or neither. */
        figs.files[figs.n] = csv;
        snprintf(figs.names[figs.n], sizeof(figs.names[0]), "%s", DS_COMPARISON_FILE);
        figs.n++;
        ds_outfile_init(&csv);
        status = cli_figures_publish(&figs, stdout);
        if (status == 0 && made) {
            printf("(made the folder %s)\n", out_dir);
        }
    }
    if (status == 0 && table_text != NULL) {
        printf("\n%s", table_text);
    }
    free(table_text);
    ds_outfile_discard(&csv);
    cli_figures_abandon(&figs);
    cli_io_free(&io);
    for (int i = 0; i < n_runs; i++) {
        free(owned[2 * i]);
        free(owned[2 * i + 1]);
        free((char *)summaries[i].path);
        free((char *)doses[i].path);
    }
    return status;
}

const cli_command_t cli_command_compare = {
    .name = "compare",
    .summary = "results of several runs (designs, say) side by side: CSV, table, figure",
    .options = CLI_OPT(OPT_OUT) | CLI_OPT(OPT_FORMAT) | CLI_TARGET_OPTIONS,
    .positional = CLI_FOLDERS,
    .usage = usage,
    .run = run_compare,
};

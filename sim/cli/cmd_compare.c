/* dosesim compare: the results of several runs over the same scenarios (one
 * per design, say) side by side, as one CSV, a table and a figure (a row per
 * run within each scenario, a column per characteristic). The
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
            "\n"
            "Sets side by side the results in two or more folders (from dosesim run, exact or\n"
            "merge) over the same scenarios, one folder per design, say (at most %d). Writes, in\n"
            "the --out folder (default %s), together:\n"
            "  comparison.csv    a row per scenario, folder and dose (the none row first): the\n"
            "                    folder's doses.csv row, its scenario's summary.csv values,\n"
            "                    and the final dose's of its optimisation.csv, if it has rows\n"
            "  comparison.png    a row per folder within each scenario: the selections\n"
            "                    (doses in order, the correct choice outlined), P(correct\n"
            "                    selection), P(overdose), mean patients and, with calendar\n"
            "                    time, mean duration (gnuplot)\n"
            "and prints the table (with the final doses after a randomised stage, where a set\n"
            "has them). The numbers are those the runs wrote.\n"
            "\n"
            "  --out DIR                where they go (made if missing)\n"
            "  --format png|svg|pdf     the figure's format (default png)\n"
            "The target the accuracy columns are judged by is each run's (its key columns).\n",
            CLI_MAX_COMPARED, DS_COMPARISON_DIR);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One folder's results. */
typedef struct {
    const char *dir;
    cli_table_t summary, doses;
    cli_dose_index_t index;
    int *scenario_of_dose; /* [doses.n_rows]: the summary row of each doses row */
    char label[300];       /* the design, and the folder when two share a design */
    /* optimisation.csv, where the set has one (sets before it have none) */
    bool has_optimisation;
    cli_table_t optimisation;
    int *optimisation_of_dose; /* [doses.n_rows]: its row for each doses row, or -1 */
} run_t;

/* Whether a comparison column comes from optimisation.csv (the columns the
 * contract gives it after summary.csv's). */
static bool is_optimisation_column(const char *name)
{
    for (int k = 0; cli_optimisation_columns[k].name != NULL; k++) {
        if (strcmp(cli_optimisation_columns[k].name, name) == 0 &&
            strcmp(name, DS_COL_SCENARIO) != 0 && strcmp(name, DS_COL_DOSE_LEVEL) != 0) {
            return true;
        }
    }
    return false;
}

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
        if (strcmp(name, DS_COL_FOLDER) == 0 ||
            (!is_dose_column(name) && is_optimisation_column(name))) {
            continue; /* optimisation.csv's columns are there when it is */
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

/* A set's optimisation.csv, checked and matched to its doses rows: a scenario
 * it has rows for has one for each of its doses rows, of the same run. 0, or an
 * exit status after saying why. */
static int check_optimisation(run_t *run, const cli_text_file_t *file)
{
    if (cli_table_parse(&run->optimisation, "compare", file->path, file->text, file->len,
                        cli_optimisation_columns) != 0) {
        return EXIT_BAD_INPUT;
    }
    run->has_optimisation = true;
    run->optimisation_of_dose = malloc((size_t)(run->doses.n_rows + 1) * sizeof(int));
    if (run->optimisation_of_dose == NULL) {
        cli_error("compare", "out of memory");
        return EXIT_RUN_FAILED;
    }
    const cli_table_t *o = &run->optimisation;
    int matched = 0;
    for (int r = 0; r < run->doses.n_rows; r++) {
        const int s = run->scenario_of_dose[r];
        const char *scenario = cli_table_cell(&run->doses, r, DS_COL_SCENARIO);
        const char *level = cli_table_cell(&run->doses, r, DS_COL_DOSE_LEVEL);
        const bool scenario_has_rows = cli_optimisation_row(o, scenario, -1) >= 0;
        run->optimisation_of_dose[r] = cli_optimisation_row(
            o, scenario, (int)cli_table_number(&run->doses, r, DS_COL_DOSE_LEVEL));
        const int k = run->optimisation_of_dose[r];
        if (scenario_has_rows && k < 0) {
            cli_error("compare", "%s: scenario '%s' has no row for dose level %s, which %s/%s has",
                      file->path, scenario, level, run->dir, DS_DOSES_FILE);
            return EXIT_BAD_INPUT;
        }
        if (k >= 0 && strcmp(cli_table_cell(o, k, DS_COL_RUN_ID),
                             cli_table_cell(&run->summary, s, DS_COL_RUN_ID)) != 0) {
            cli_error("compare", "%s:%ld: run_id %s is not the run of %s/%s (%s)", file->path,
                      o->lines[k], cli_table_cell(o, k, DS_COL_RUN_ID), run->dir, DS_SUMMARY_FILE,
                      cli_table_cell(&run->summary, s, DS_COL_RUN_ID));
            return EXIT_BAD_INPUT;
        }
        matched += k >= 0;
    }
    if (matched != o->n_rows) {
        cli_error("compare", "%s: %d of its rows are of no scenario and dose of %s/%s", file->path,
                  o->n_rows - matched, run->dir, DS_DOSES_FILE);
        return EXIT_BAD_INPUT;
    }
    return 0;
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
                    const int o = run->has_optimisation ? run->optimisation_of_dose[r] : -1;
                    if (strcmp(name, DS_COL_FOLDER) == 0) {
                        ds_csv_text(&w, run->dir);
                    } else if (!is_dose_column(name) && is_optimisation_column(name)) {
                        ds_csv_text(&w, o >= 0 ? cli_table_cell(&run->optimisation, o, name) : "");
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

/* optimisation.csv's row of a run for scenario s at level (0: none), or -1. */
static int optimisation_row(const run_t *run, int s, int level)
{
    return cli_optimisation_row(&run->optimisation,
                                cli_table_cell(&run->summary, s, DS_COL_SCENARIO), level);
}

/* Scenario s's final doses after the randomised stage, for the folders whose
 * sets have them: P(final) at each dose and none, P(optimal), patients and days
 * in all. Nothing when no folder has them. */
static void print_optimisation(FILE *out, const run_t *runs, int n_runs, int s, int max_levels,
                               int wl)
{
    bool any = false;
    for (int i = 0; i < n_runs; i++) {
        any = any || optimisation_row(&runs[i], s, 0) >= 0;
    }
    if (!any) {
        return;
    }
    fprintf(out, "  %-*s", wl, "final dose");
    for (int level = 1; level <= max_levels; level++) {
        int r = cli_dose_row(&runs[0].index, s, level);
        fprintf(out, "  %9.9s", r >= 0 ? cli_table_cell(&runs[0].doses, r, DS_COL_DOSE_LABEL) : "");
    }
    fprintf(out, "  %9s  %7s  %10s  %s\n", "no dose", "mean N", "P(optimal)", "stage");
    for (int i = 0; i < n_runs; i++) {
        const int none = optimisation_row(&runs[i], s, 0);
        fprintf(out, "  %-*s", wl, runs[i].label);
        if (none < 0) {
            fprintf(out, "  (no response rates in its set)\n");
            continue;
        }
        const cli_table_t *o = &runs[i].optimisation;
        for (int level = 1; level <= max_levels; level++) {
            const int r = optimisation_row(&runs[i], s, level);
            fprintf(out, "  %9.4f", r >= 0 ? cli_table_number(o, r, DS_COL_PROB_FINAL) : NAN);
        }
        const int n = (int)cli_table_number(o, none, DS_COL_OPTIMISE_N_PER_ARM);
        fprintf(out, "  %9.4f  %7.2f  %10.4f  ", cli_table_number(o, none, DS_COL_PROB_FINAL),
                cli_table_number(o, none, DS_COL_MEAN_N_OVERALL),
                cli_table_number(o, none, DS_COL_PROB_SELECT_OPTIMAL));
        if (n > 0) {
            fprintf(out, "%d a dose\n", n);
        } else {
            fprintf(out, "none\n");
        }
    }
}

static void print_table(FILE *out, const run_t *runs, int n_runs, int max_levels, bool timed)
{
    int wl = 6;
    for (int i = 0; i < n_runs; i++) {
        wl = (int)strlen(runs[i].label) > wl ? (int)strlen(runs[i].label) : wl;
        wl = runs[i].has_optimisation && wl < 10 ? 10 : wl; /* "final dose" */
    }
    for (int s = 0; s < runs[0].summary.n_rows; s++) {
        fprintf(out, "%s\n  %-*s", cli_table_cell(&runs[0].summary, s, DS_COL_SCENARIO), wl,
                "design");
        for (int level = 1; level <= max_levels; level++) {
            int r = cli_dose_row(&runs[0].index, s, level);
            fprintf(out, "  %9.9s",
                    r >= 0 ? cli_table_cell(&runs[0].doses, r, DS_COL_DOSE_LABEL) : "");
        }
        bool backfilled = false; /* a set backfilled: its share of mean N */
        for (int i = 0; i < n_runs; i++) {
            backfilled |= !isnan(cli_table_number(&runs[i].summary, s, DS_COL_MEAN_N_BACKFILLED));
        }
        fprintf(out, "  %9s  %7s%s%s\n", "no RP2D", "mean N", backfilled ? "  backfilled" : "",
                timed ? "  mean days" : "");
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
            if (backfilled) {
                const double b = cli_table_number(&runs[i].summary, s, DS_COL_MEAN_N_BACKFILLED);
                if (isnan(b)) {
                    fprintf(out, "  %10s", "-");
                } else {
                    fprintf(out, "  %10.2f", b);
                }
            }
            if (timed) {
                fprintf(out, "  %9.1f",
                        cli_table_number(&runs[i].summary, s, DS_COL_MEAN_DURATION_DAYS));
            }
            fputc('\n', out);
        }
        print_optimisation(out, runs, n_runs, s, max_levels, wl);
    }
}

/* ---- the figure: a row per scenario and folder, a column per characteristic ---- */

/* Pixels: a row of bars, the gap after a scenario's rows, a character of the
 * labels (Sans 9), the panels, the gaps between them. */
#define ROW_PX 17.0
#define GROUP_GAP_ROWS 0.5
#define LABEL_CHAR_PX 5.8
#define SELECTION_PX 330.0
#define PANEL_PX 165.0
#define PANEL_GAP_PX 28.0
/* The captions under the panels: the lowest line's height, the distance between them. */
#define CAPTION_PX 14.0
#define CAPTION_LINE_PX 22.0
/* The tallest figure drawn: beyond it, rows get thinner. */
#define MAX_HEIGHT_PX 9000.0
/* The legend's rows. */
#define LEGEND_ROW_PX 18.0

static int text_chars(const char *text)
{
    int n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        n += (*c & 0xc0) != 0x80;
    }
    return n;
}

/* Where the rows stand (y grows downwards): scenario s's header at head[s],
 * folder i's bars at head[s] + 1 + i. */
static double row_y(const double *head, int s, int i)
{
    return head[s] + 1.0 + i;
}

/* The level that is the correct choice in scenario s: the true MTD, 0 (no
 * RP2D) when there is none and every dose is above the target interval, or -1. */
static int correct_level(const run_t *run, int s)
{
    int mtd = (int)cli_table_number(&run->summary, s, DS_COL_TRUE_MTD_LEVEL);
    double target, lo, hi;
    if (mtd > 0 || !cli_target_of(&run->summary, s, &target, &lo, &hi)) {
        return mtd > 0 ? mtd : -1;
    }
    for (int level = 1; level <= cli_dose_levels(&run->index, s); level++) {
        int r = cli_dose_row(&run->index, s, level);
        if (!(cli_table_number(&run->doses, r, DS_COL_P_DLT) > hi)) {
            return -1;
        }
    }
    return 0;
}

/* Scenario s's header: its name, its doses' p_dlt when they fit, its true MTD. */
static void put_header(FILE *gp, const run_t *run, int s, int tag, double y, int room_chars)
{
    char text[512];
    const int k = cli_dose_levels(&run->index, s);
    int mtd = (int)cli_table_number(&run->summary, s, DS_COL_TRUE_MTD_LEVEL);
    size_t at = 0;
    at += (size_t)snprintf(text, sizeof(text), "p_dlt");
    for (int level = 1; level <= k && at < sizeof(text) - 40; level++) {
        at += (size_t)snprintf(
            text + at, sizeof(text) - at, "%s %s", level > 1 ? "," : "",
            cli_table_cell(&run->doses, cli_dose_row(&run->index, s, level), DS_COL_P_DLT));
    }
    const char *name = cli_table_cell(&run->summary, s, DS_COL_SCENARIO);
    const char *mtd_label = cli_table_cell(&run->summary, s, DS_COL_TRUE_MTD_LABEL);
    bool with_p = text_chars(name) + (int)at + 4 <= room_chars;
    fprintf(gp, "set label %d ", tag);
    cli_gp_join(gp, name, true);
    if (with_p) {
        cli_gp_join(gp, "    ", false);
        cli_gp_join(gp, text, false);
    }
    if (mtd > 0 &&
        text_chars(name) + (with_p ? (int)at + 4 : 0) + text_chars(mtd_label) + 16 <= room_chars) {
        cli_gp_join(gp, "    true MTD ", false);
        cli_gp_join(gp, mtd_label, false);
    }
    fprintf(gp, " at screen 0.006, first %g left front boxed font ',9.5'\n", y);
}

/* One panel of horizontal bars, a summary column of each folder and scenario,
 * its value written at the bar's end (format fmt, divided by scale). */
static void plot_values(FILE *gp, const run_t *runs, int n_runs, const double *head,
                        const char *column, const char *block, const char *colour, double scale,
                        const char *fmt)
{
    const int n_scenarios = runs[0].summary.n_rows;
    bool missing = false;
    fprintf(gp, "$%s << EOD\n", block);
    for (int s = 0; s < n_scenarios; s++) {
        for (int i = 0; i < n_runs; i++) {
            double v = cli_table_number(&runs[i].summary, s, column);
            if (isfinite(v)) {
                cli_gp_num(gp, v / scale);
                cli_gp_num(gp, row_y(head, s, i));
                fputc('\n', gp);
            } else {
                missing = true;
            }
        }
    }
    fprintf(gp, "EOD\n$%s_na << EOD\n", block);
    for (int s = 0; s < n_scenarios && missing; s++) {
        for (int i = 0; i < n_runs; i++) {
            if (!isfinite(cli_table_number(&runs[i].summary, s, column))) {
                cli_gp_num(gp, row_y(head, s, i));
                fputc('\n', gp);
            }
        }
    }
    fprintf(gp,
            "EOD\nplot $%s using ($1/2):2:(0):1:($2-0.36):($2+0.36) with boxxyerror fs solid 1.0 "
            "noborder lc rgb '%s' notitle, $%s using 1:2:(sprintf('%s', $1)) with labels left "
            "offset char 0.4,0 font ',8' notitle",
            block, colour, block, fmt);
    if (missing) {
        fprintf(gp,
                ", $%s_na using (0):1:('n/a') with labels left offset char 0.4,0 font ',8' "
                "tc rgb '#777777' notitle",
                block);
    }
    fputc('\n', gp);
}

/* A legend of our own over the panels (gnuplot's horizontal key wraps to the
 * width of one panel): a swatch and its text per entry, left to right from
 * x_px, wrapped at right_px, rows of LEGEND_ROW_PX from top_px (pixels from
 * the top). The entries are the doses, no RP2D, and the outline of the correct
 * choice. Returns the number of rows; with gp NULL, only counts them. */
static int put_legend(FILE *gp, const run_t *runs, int max_levels, bool outline, double x_px,
                      double right_px, double top_px, int width, int height)
{
    int rows = 1;
    double x = x_px;
    for (int entry = 0; entry <= max_levels + 1; entry++) {
        char colour[8], generic[32];
        const char *text;
        if (entry == max_levels + 1) {
            if (!outline) {
                break;
            }
            text = "correct choice";
        } else if (entry == max_levels) {
            text = "no RP2D";
            snprintf(colour, sizeof(colour), "%s", CLI_GP_NONE_COLOUR);
        } else {
            int r = -1;
            for (int s = 0; s < runs[0].summary.n_rows && r < 0; s++) {
                r = cli_dose_row(&runs[0].index, s, entry + 1);
            }
            snprintf(generic, sizeof(generic), "level %d", entry + 1);
            text = r >= 0 ? cli_table_cell(&runs[0].doses, r, DS_COL_DOSE_LABEL) : generic;
            cli_gp_dose_colour(entry + 1, max_levels, colour);
        }
        double room = 14.0 + 5.0 + text_chars(text) * LABEL_CHAR_PX + 20.0;
        if (x > x_px && x + room > right_px) {
            rows++;
            x = x_px;
        }
        double y = height - (top_px + (rows - 1) * LEGEND_ROW_PX);
        if (gp != NULL) {
            fprintf(gp, "set object %d rect from screen %g, screen %g to screen %g, screen %g ",
                    entry + 1, x / width, (y - 5.0) / height, (x + 14.0) / width,
                    (y + 5.0) / height);
            if (entry == max_levels + 1) {
                fputs("fs empty border lc rgb 'black' lw 2.5 front\n", gp);
            } else {
                fprintf(gp, "fc rgb '%s' fs solid 1.0 border lc rgb '#333333' front\n", colour);
            }
            fprintf(gp, "set label %d ", 1001 + entry);
            cli_gp_str(gp, text);
            fprintf(gp, " at screen %g, screen %g left font ',9'\n", (x + 19.0) / width,
                    y / height);
        }
        x += room;
    }
    return rows;
}

/* The figure: a row per folder within each scenario's block, labelled once on
 * the left; columns: the selections (stacked, the correct choice outlined),
 * P(correct selection), P(overdose), the mean patients and, with calendar time,
 * the mean duration. Rows stay readable however many there are (up to the
 * tallest figure), and no caption shares a line with another. */
static int plot_comparison(cli_figures_t *figs, const run_t *runs, int n_runs, int max_levels,
                           bool timed)
{
    const int n_scenarios = runs[0].summary.n_rows;
    double *head = malloc(((size_t)n_scenarios + 1) * sizeof(double));
    if (head == NULL) {
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    double rows = 0.0;
    for (int s = 0; s < n_scenarios; s++) {
        head[s] = rows;
        rows += n_runs + 1.0 + GROUP_GAP_ROWS;
    }
    rows -= GROUP_GAP_ROWS;
    int label_chars = 6;
    for (int i = 0; i < n_runs; i++) {
        int n = text_chars(runs[i].label);
        label_chars = n > label_chars ? n : label_chars;
    }
    label_chars = label_chars > 40 ? 40 : label_chars;
    /* The panels after the selections: P(correct selection) and P(overdose) when
     * every folder's run names a target, the mean patients, the mean duration. */
    enum { PANEL_PCS, PANEL_ABOVE, PANEL_N, PANEL_DAYS };
    int panels[4], n_after = 0;
    bool judged = true;
    double target, lo, hi;
    for (int i = 0; i < n_runs; i++) {
        judged &= cli_target_of(&runs[i].summary, 0, &target, &lo, &hi);
    }
    if (judged) {
        panels[n_after++] = PANEL_PCS;
        panels[n_after++] = PANEL_ABOVE;
    }
    panels[n_after++] = PANEL_N;
    if (timed) {
        panels[n_after++] = PANEL_DAYS;
    }
    const int n_panels = 1 + n_after; /* the selections first */
    const double left_px = 16.0 + label_chars * LABEL_CHAR_PX + 14.0;
    bool outline = false;
    for (int s = 0; s < n_scenarios && !outline; s++) {
        for (int i = 0; i < n_runs; i++) {
            outline |= correct_level(&runs[i], s) >= 0;
        }
    }
    const double bottom_px = 58.0 + CAPTION_PX + CAPTION_LINE_PX * (timed ? 3 : 2);
    const int width =
        (int)ceil(left_px + SELECTION_PX + (n_panels - 1) * (PANEL_GAP_PX + PANEL_PX) + 24.0);
    const int legend_rows =
        put_legend(NULL, runs, max_levels, outline, left_px, width - 20.0, 0.0, width, 0);
    const double top_px = 52.0 + legend_rows * LEGEND_ROW_PX + 30.0;
    double row_px = ROW_PX;
    if (rows * row_px + top_px + bottom_px > MAX_HEIGHT_PX) {
        row_px = (MAX_HEIGHT_PX - top_px - bottom_px) / rows;
    }
    const int height = (int)ceil(top_px + rows * row_px + bottom_px);
    int status = cli_figure_begin(figs, DS_COMPARISON_FIGURE, width, height);
    if (status != 0) {
        free(head);
        return status;
    }
    FILE *gp = figs->gp.out;
    const cli_table_t *first = &runs[0].summary;
    bool same_method = true, same_target = true, same_calendar = true;
    static const char *const calendar[] = {DS_COL_ACCRUAL_PER_30_DAYS, DS_COL_WINDOW_DAYS,
                                           DS_COL_DLT_ONSET, DS_COL_DROPOUT};
    static const char *const targets[] = {DS_COL_TARGET, DS_COL_TARGET_LO, DS_COL_TARGET_HI};
    for (int i = 1; i < n_runs; i++) {
        const cli_table_t *t = &runs[i].summary;
        same_method &= strcmp(cli_table_cell(first, 0, DS_COL_METHOD),
                              cli_table_cell(t, 0, DS_COL_METHOD)) == 0 &&
                       strcmp(cli_table_cell(first, 0, DS_COL_N_TRIALS),
                              cli_table_cell(t, 0, DS_COL_N_TRIALS)) == 0;
        for (size_t c = 0; c < COUNT(calendar); c++) {
            same_calendar &= strcmp(cli_table_cell(first, 0, calendar[c]),
                                    cli_table_cell(t, 0, calendar[c])) == 0;
        }
        for (size_t c = 0; c < COUNT(targets); c++) {
            same_target &=
                strcmp(cli_table_cell(first, 0, targets[c]), cli_table_cell(t, 0, targets[c])) == 0;
        }
    }
    const bool mc = strcmp(cli_table_cell(first, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    char text[600];
    if (!same_method) {
        snprintf(text, sizeof(text),
                 "Designs side by side (the folders' methods or trials differ)");
    } else if (mc) {
        char count[64];
        cli_put_count(count, sizeof(count), cli_table_cell(first, 0, DS_COL_N_TRIALS));
        snprintf(text, sizeof(text), "Designs side by side (Monte Carlo, %s trials each)", count);
    } else {
        snprintf(text, sizeof(text), "Designs side by side (exact)");
    }
    text[ds_utf8_invalid_at(text, strlen(text))] = '\0';
    fputs("set multiplot title ", gp);
    cli_gp_str(gp, text);
    fputs(" font ',12'\nset style textbox opaque noborder\nset border 1 lc rgb '#444444'\n"
          "set xtics nomirror out scale 0.6\nset grid xtics lt 1 lc rgb '#dddddd' lw 1\n"
          "set style fill solid 1.0\nunset key\n",
          gp);
    const double y_top = 1.0 - top_px / height, y_bottom = bottom_px / height;
    fprintf(gp, "set yrange [%g:%g]\nset tmargin at screen %g\nset bmargin at screen %g\n",
            rows - 0.5, -0.6, y_top, y_bottom);
    /* The captions, under every panel: what is correct and what an overdose, the calendar. */
    char captions[3][600];
    int n_captions = 0;
    if (same_target && cli_target_of(first, 0, &target, &lo, &hi)) {
        snprintf(captions[n_captions++], sizeof(captions[0]),
                 "outlined, the correct choice: the true MTD (the dose with p_dlt in %.3g to "
                 "%.3g closest to %.3g), or no RP2D when every dose is above %.3g",
                 lo, hi, target, hi);
        snprintf(captions[n_captions++], sizeof(captions[0]),
                 "n/a: no choice is correct (no true MTD, and a dose below %.3g); overdose: an "
                 "RP2D whose p_dlt is above %.3g",
                 lo, hi);
    } else {
        snprintf(captions[n_captions++], sizeof(captions[0]), "%s",
                 !judged       ? "the runs name no target DLT rate: no correct selection or "
                                 "overdose to judge"
                 : same_target ? "the runs name no target DLT rate"
                               : "correct selection and overdose as each folder's target "
                                 "interval judges them (they differ: see comparison.csv)");
    }
    if (timed && same_calendar) {
        snprintf(captions[n_captions++], sizeof(captions[0]),
                 "calendar: %s patients per 30 days, %s-day DLT window, DLT onset %s, dropout %s",
                 cli_table_cell(first, 0, calendar[0]), cli_table_cell(first, 0, calendar[1]),
                 cli_table_cell(first, 0, calendar[2]), cli_table_cell(first, 0, calendar[3]));
    } else if (timed) {
        snprintf(captions[n_captions++], sizeof(captions[0]),
                 "calendar: the folders' calendars differ (see comparison.csv)");
    }
    for (int c = 0; c < n_captions; c++) {
        captions[c][ds_utf8_invalid_at(captions[c], strlen(captions[c]))] = '\0';
        fprintf(gp, "set label %d ", 901 + c);
        cli_gp_str(gp, captions[c]);
        fprintf(gp, " at screen 0.5, screen %g center\n",
                (CAPTION_PX + CAPTION_LINE_PX * (n_captions - 1 - c)) / height);
    }

    /* Panel 1: the selections, stacked from the lowest dose to none. */
    double x0 = left_px / width, x1 = (left_px + SELECTION_PX) / width;
    fprintf(gp,
            "set lmargin at screen %g\nset rmargin at screen %g\nset xrange [0:1]\n"
            "set xtics 0, 0.25, 1\nset title 'P(chosen as RP2D)' font ',10'\n"
            "set xlabel 'probability' offset 0,0.5\n",
            x0, x1);
    fputs("set ytics (", gp);
    for (int s = 0; s < n_scenarios; s++) {
        for (int i = 0; i < n_runs; i++) {
            fputs(s + i > 0 ? ", " : "", gp);
            cli_gp_tic(gp, runs[i].label);
            cli_gp_num(gp, row_y(head, s, i));
        }
    }
    fprintf(gp, ") scale 0 nomirror font ',%s'\n", row_px >= 12.0 ? "9" : "6");
    const int room = (int)((left_px + SELECTION_PX) / (9.5 / 9.0 * LABEL_CHAR_PX));
    for (int s = 0; s < n_scenarios; s++) {
        put_header(gp, &runs[0], s, s + 1, head[s], room);
    }
    int n_outlined = 0;
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
                cli_gp_num(gp, below);
                cli_gp_num(gp, below + p);
                cli_gp_num(gp, row_y(head, s, i));
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    /* The correct choice's part of each bar, outlined. */
    fputs("$correct << EOD\n", gp);
    for (int s = 0; s < n_scenarios; s++) {
        for (int i = 0; i < n_runs; i++) {
            int level = correct_level(&runs[i], s);
            if (level < 0) {
                continue;
            }
            double below = 0.0;
            for (int l = 1; l <= (level == 0 ? max_levels : level - 1); l++) {
                int r = cli_dose_row(&runs[i].index, s, l);
                below += r >= 0 ? cli_table_number(&runs[i].doses, r, DS_COL_PROB_RP2D) : 0.0;
            }
            double p = level == 0 ? cli_table_number(&runs[i].summary, s, DS_COL_PROB_NO_RP2D)
                                  : cli_table_number(&runs[i].doses,
                                                     cli_dose_row(&runs[i].index, s, level),
                                                     DS_COL_PROB_RP2D);
            cli_gp_num(gp, below);
            cli_gp_num(gp, below + p);
            cli_gp_num(gp, row_y(head, s, i));
            fputc('\n', gp);
            n_outlined++;
        }
    }
    fputs("EOD\n", gp);
    /* The legend of the doses, over the panels. */
    put_legend(gp, runs, max_levels, outline, left_px, width - 20.0, 46.0, width, height);
    fputs("plot ", gp);
    for (int layer = 0; layer <= max_levels; layer++) {
        char colour[8];
        if (layer == max_levels) {
            snprintf(colour, sizeof(colour), "%s", CLI_GP_NONE_COLOUR);
        } else {
            cli_gp_dose_colour(layer + 1, max_levels, colour);
        }
        fprintf(gp,
                "%s$layer%d using (($1+$2)/2):3:1:2:($3-0.36):($3+0.36) with boxxyerror "
                "fs solid 1.0 border lc rgb '#333333' lc rgb '%s' notitle",
                layer > 0 ? ", " : "", layer, colour);
    }
    if (n_outlined > 0) {
        fputs(", $correct using (($1+$2)/2):3:1:2:($3-0.36):($3+0.36) with boxxyerror fs empty "
              "lc rgb 'black' lw 2.5 notitle",
              gp);
    }
    fputs("\nunset ytics\nunset label\nunset object\nset xlabel 'probability' offset 0,0.5\n", gp);

    /* The other panels. */
    double days_top = 0.0, n_top = 0.0;
    for (int i = 0; i < n_runs; i++) {
        for (int s = 0; s < n_scenarios; s++) {
            n_top = fmax(n_top, cli_table_number(&runs[i].summary, s, DS_COL_MEAN_N_TREATED));
            if (timed) {
                days_top = fmax(days_top,
                                cli_table_number(&runs[i].summary, s, DS_COL_MEAN_DURATION_DAYS));
            }
        }
    }
    for (int k = 1; k < n_panels; k++) {
        x0 = (left_px + SELECTION_PX + PANEL_GAP_PX + (k - 1) * (PANEL_GAP_PX + PANEL_PX)) / width;
        x1 = x0 + PANEL_PX / width;
        fprintf(gp, "set lmargin at screen %g\nset rmargin at screen %g\n", x0, x1);
        const int kind = panels[k - 1];
        if (kind == PANEL_PCS || kind == PANEL_ABOVE) {
            bool pcs = kind == PANEL_PCS;
            fprintf(gp, "set xrange [0:1.25]\nset xtics 0, 0.5, 1\nset title '%s' font ',10'\n",
                    pcs ? "P(correct selection)" : "P(overdose)");
            plot_values(gp, runs, n_runs, head,
                        pcs ? DS_COL_PROB_CORRECT_SELECTION : DS_COL_PROB_SELECT_ABOVE,
                        pcs ? "pcs" : "above", pcs ? "#009e73" : "#d55e00", 1.0, "%.2f");
        } else if (kind == PANEL_N) {
            double top = n_top > 0.0 ? n_top : 1.0, step = cli_nice_step(top, 3);
            fprintf(gp,
                    "set xrange [0:%g]\nset xtics 0, %g, %g\nset title 'mean patients treated' "
                    "font ',10'\nset xlabel 'patients' offset 0,0.5\n",
                    top * 1.35, step, top);
            plot_values(gp, runs, n_runs, head, DS_COL_MEAN_N_TREATED, "n", "#0072b2", 1.0, "%.1f");
        } else {
            cli_time_unit_t unit = cli_time_unit(days_top);
            double top = days_top > 0.0 ? days_top / unit.days : 1.0, step = cli_nice_step(top, 3);
            fprintf(gp,
                    "set xrange [0:%g]\nset xtics 0, %g, %g\nset title 'mean duration' "
                    "font ',10'\nset xlabel '%s' offset 0,0.5\n",
                    top * 1.35, step, top, unit.name);
            plot_values(gp, runs, n_runs, head, DS_COL_MEAN_DURATION_DAYS, "days", "#e69f00",
                        unit.days, unit.days > 1.0 ? "%.1f" : "%.0f");
        }
    }
    fputs("unset multiplot\n", gp);
    free(head);
    return cli_figure_end(figs);
}

int cli_compare_texts(cli_figures_t *figs, FILE *csv, int n_runs, const char *const *dirs,
                      const cli_text_file_t *summaries, const cli_text_file_t *doses,
                      const cli_text_file_t *optimisations, FILE *table)
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
        if (status == 0 && optimisations != NULL && optimisations[i].text != NULL) {
            status = check_optimisation(&runs[i], &optimisations[i]);
        }
        if (status == 0 && i > 0 && !same_scenarios(&runs[0], &runs[i])) {
            status = EXIT_BAD_INPUT;
        }
        for (int j = 0; status == 0 && j < i; j++) {
            status = cli_same_response("compare", &runs[j].optimisation, &runs[i].optimisation)
                         ? 0
                         : EXIT_BAD_INPUT;
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
        if (runs[i].has_optimisation) {
            cli_table_free(&runs[i].optimisation);
        }
        free(runs[i].optimisation_of_dose);
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
    cli_text_file_t summaries[CLI_MAX_COMPARED], doses[CLI_MAX_COMPARED],
        optimisations[CLI_MAX_COMPARED];
    char *owned[3 * CLI_MAX_COMPARED] = {NULL};
    memset(summaries, 0, sizeof(summaries));
    memset(doses, 0, sizeof(doses));
    memset(optimisations, 0, sizeof(optimisations));
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
        /* optimisation.csv is read where there is one: sets made before it have none */
        if (cli_read_text("compare", args->positional[i], DS_SUMMARY_FILE, &summaries[i],
                          &owned[3 * i]) != 0 ||
            cli_read_text("compare", args->positional[i], DS_DOSES_FILE, &doses[i],
                          &owned[3 * i + 1]) != 0 ||
            cli_read_text("compare", args->positional[i], DS_OPTIMISATION_FILE, &optimisations[i],
                          &owned[3 * i + 2]) != 0) {
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
                                   summaries, doses, optimisations, table);
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
        status = cli_figures_publish(&figs, cli_output());
        if (status == 0 && made) {
            fprintf(cli_output(), "(made the folder %s)\n", out_dir);
        }
    }
    if (status == 0 && table_text != NULL) {
        fprintf(cli_output(), "\n%s", table_text);
    }
    free(table_text);
    ds_outfile_discard(&csv);
    cli_figures_abandon(&figs);
    cli_io_free(&io);
    for (int i = 0; i < n_runs; i++) {
        for (int k = 0; k < 3; k++) {
            free(owned[3 * i + k]);
        }
        free((char *)summaries[i].path);
        free((char *)doses[i].path);
        free((char *)optimisations[i].path);
    }
    return status;
}

const cli_command_t cli_command_compare = {
    .name = "compare",
    .summary = "results of several runs (designs, say) side by side: CSV, table, figure",
    .options = CLI_OPT(OPT_OUT) | CLI_OPT(OPT_FORMAT),
    .positional = CLI_FOLDERS,
    .usage = usage,
    .run = run_compare,
};

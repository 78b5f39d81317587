/* dosesim plot: figures (gnuplot) from the CSVs that run, exact, merge or
 * sweep wrote: RP2D selection per scenario against the true DLT rates and the
 * target interval, the sample-size distribution, the duration distribution
 * (calendar time), and operating-characteristic curves on the p_dlt scale.
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
    fprintf(out,
            "usage: dosesim plot DIR [--out DIR] [--format png|svg|pdf]\n"
            "\n"
            "Draws figures from the results in DIR (needs gnuplot; make deps installs it):\n"
            "  selection.png     per scenario, how often each dose (and none) is chosen, 95%%\n"
            "                    intervals for Monte Carlo, the correct choice marked; above,\n"
            "                    each dose's true p_dlt, the true MTD ringed, the target\n"
            "                    interval shaded (summary.csv, doses.csv)\n"
            "  sample_size.png   the distribution of the patients treated, as bars at the\n"
            "                    counts a trial can have (sample_size.csv)\n"
            "  duration.png      the distribution of the trial's duration, in days or months\n"
            "                    (duration.csv, when calendar time was simulated)\n"
            "  sweep_NAME.png    operating-characteristic curves on the p_dlt scale, the\n"
            "                    target interval, 95%% bands for Monte Carlo, the mean patients\n"
            "                    and duration below (sweep_NAME.csv)\n"
            "Doses are coloured in order, lowest to highest (viridis), no RP2D in grey. The\n"
            "figures are published together, all or none.\n"
            "\n"
            "  --out DIR                where the figures go (default: DIR itself; made if\n"
            "                           missing)\n"
            "  --format png|svg|pdf     the figures' format (default png; all three laid out\n"
            "                           alike, the PDF a point per pixel)\n");
}

/* ---- the layout every figure of plot shares ---- */

/* The plots' left edge (a screen fraction); keys go to the right of them. */
#define PLOT_LEFT 0.085
/* The caption's lines: the lowest, and the distance between them. */
#define CAPTION_BOTTOM 0.014
#define CAPTION_LINE 0.032
/* Text of font size 10, in pixels per character (Sans, on average). */
#define CHAR_PX 6.2

/* The characters (not bytes) of UTF-8 text. */
static int text_chars(const char *text)
{
    int n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        n += (*c & 0xc0) != 0x80;
    }
    return n;
}

/* The plots' right edge (a screen fraction), leaving room on the right for a
 * key whose longest title has chars characters. */
static double key_room(int chars, int width)
{
    double right = 1.0 - (chars * CHAR_PX + 75.0) / width;
    return right < 0.5 ? 0.5 : (right > 0.86 ? 0.86 : right);
}

/* The longest text_chars of a column's cells over a table's rows. */
static int longest_cell(const cli_table_t *t, const char *column)
{
    int n = 0;
    for (int r = 0; r < t->n_rows; r++) {
        int k = text_chars(cli_table_cell(t, r, column));
        n = k > n ? k : n;
    }
    return n;
}

/* A "#rrggbb" colour as gnuplot's number for `lc rgb variable`. */
static long rgb_number(const char *colour)
{
    return strtol(colour + 1, NULL, 16);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The scenarios as x tics at x[s], turned when their names would not fit side
 * by side in px_apart pixels. Returns the screen height they take. */
static double put_scenario_tics(FILE *gp, const cli_table_t *summary, const double *x,
                                double px_apart, int height)
{
    int longest = 0;
    for (int s = 0; s < summary->n_rows; s++) {
        int n = text_chars(cli_table_cell(summary, s, DS_COL_SCENARIO));
        longest = n > longest ? n : longest;
    }
    fputs("set xtics (", gp);
    for (int s = 0; s < summary->n_rows; s++) {
        fputs(s > 0 ? ", " : "", gp);
        cli_gp_tic(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
        cli_gp_num(gp, x[s]);
    }
    fputs(") nomirror scale 0", gp);
    double name_px = longest * CHAR_PX;
    if (name_px + 10.0 <= px_apart) {
        fputs("\n", gp);
        return 24.0 / height;
    }
    /* Turned, they need the height of their longest name (at most 40 characters shown fully). */
    bool small = px_apart < 12.0;
    fprintf(gp, " rotate by %d right%s\n", small ? 90 : 30, small ? " font ',7'" : "");
    double len = (longest > 40 ? 40 : longest) * (small ? 0.75 * CHAR_PX : CHAR_PX);
    return (16.0 + len * (small ? 1.0 : 0.5)) / height;
}

/* ---- selection.FORMAT ---- */

/* Where each scenario's bars stand: its doses at start[s] + 0 .. K_s - 1, its
 * "no RP2D" bar at start[s] + K_s, then a gap. */
static double *bar_starts(const cli_table_t *summary, const cli_dose_index_t *index, double *last)
{
    double *start = malloc(((size_t)summary->n_rows + 1) * sizeof(double));
    double x = 0.0;
    for (int s = 0; start != NULL && s < summary->n_rows; s++) {
        start[s] = x;
        x += cli_dose_levels(index, s) + 2.0;
    }
    *last = x - 2.0;
    return start;
}

/* The label of dose level L in the key: the scenarios' own when they agree. */
static const char *level_label(const cli_table_t *summary, const cli_table_t *doses,
                               const cli_dose_index_t *index, int level, char *generic, size_t room)
{
    const char *label = NULL;
    for (int s = 0; s < summary->n_rows; s++) {
        int r = cli_dose_row(index, s, level);
        if (r < 0) {
            continue;
        }
        const char *mine = cli_table_cell(doses, r, DS_COL_DOSE_LABEL);
        if (label != NULL && strcmp(label, mine) != 0) {
            label = NULL;
            break;
        }
        label = mine;
    }
    snprintf(generic, room, "level %d", level);
    return label != NULL ? label : generic;
}

/* The probability (and interval) of scenario s choosing level (0: no RP2D). */
static void selection_of(const cli_table_t *summary, const cli_table_t *doses,
                         const cli_dose_index_t *index, int s, int level, double p[3])
{
    if (level == 0) {
        p[0] = cli_table_number(summary, s, DS_COL_PROB_NO_RP2D);
        p[1] = cli_table_number(summary, s, DS_COL_PROB_NO_RP2D_LO);
        p[2] = cli_table_number(summary, s, DS_COL_PROB_NO_RP2D_HI);
        return;
    }
    int r = cli_dose_row(index, s, level);
    p[0] = cli_table_number(doses, r, DS_COL_PROB_RP2D);
    p[1] = cli_table_number(doses, r, DS_COL_PROB_RP2D_LO);
    p[2] = cli_table_number(doses, r, DS_COL_PROB_RP2D_HI);
}

/* The choice that is correct in scenario s: the true MTD's level, 0 (no RP2D)
 * when there is none and every dose is above the target interval, or -1. */
static int correct_choice(const cli_table_t *summary, const cli_table_t *doses,
                          const cli_dose_index_t *index, int s)
{
    int mtd = (int)cli_table_number(summary, s, DS_COL_TRUE_MTD_LEVEL);
    double target, lo, hi;
    if (mtd > 0 || !cli_target_of(summary, s, &target, &lo, &hi)) {
        return mtd > 0 ? mtd : -1;
    }
    for (int level = 1; level <= cli_dose_levels(index, s); level++) {
        if (!(cli_table_number(doses, cli_dose_row(index, s, level), DS_COL_P_DLT) > hi)) {
            return -1;
        }
    }
    return 0;
}

/* Two panels on one x axis: above, each dose's true DLT rate, the target
 * interval over the doses it judges, the true MTD ringed; below, how often each
 * dose (and none) is chosen, the correct choice marked. */
static int plot_selection(cli_figures_t *figs, const cli_table_t *summary, const cli_table_t *doses,
                          const cli_dose_index_t *index)
{
    const int n = summary->n_rows, max_levels = index->max_levels, width = 960, height = 660;
    double last = 0.0;
    double *start = bar_starts(summary, index, &last),
           *centre = malloc(((size_t)n + 1) * sizeof(double));
    if (start == NULL || centre == NULL) {
        free(start);
        free(centre);
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = cli_figure_begin(figs, DS_SELECTION_FIGURE, width, height);
    if (status != 0) {
        free(start);
        free(centre);
        return status;
    }
    FILE *gp = figs->gp.out;
    const bool mc = strcmp(cli_table_cell(summary, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    /* The bars, a block per level (0: no RP2D): x, p, and its interval. */
    for (int level = 0; level <= max_levels; level++) {
        fprintf(gp, "$bar%d << EOD\n", level);
        for (int s = 0; s < n; s++) {
            int k = cli_dose_levels(index, s);
            if (level > k) {
                continue;
            }
            double p[3];
            selection_of(summary, doses, index, s, level, p);
            cli_gp_num(gp, start[s] + (level == 0 ? k : level - 1));
            cli_gp_num(gp, p[0]);
            cli_gp_num(gp, p[1]);
            cli_gp_num(gp, p[2]);
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    /* Each dose's true DLT rate (x, p, colour), a scenario's doses joined; the
     * target interval over them; the correct choices. */
    double top = 0.0;
    int n_bands = 0, n_marks = 0, n_rings = 0;
    fputs("$pdlt << EOD\n", gp);
    for (int s = 0; s < n; s++) {
        int k = cli_dose_levels(index, s);
        centre[s] = start[s] + k / 2.0;
        for (int level = 1; level <= k; level++) {
            char colour[8];
            cli_gp_dose_colour(level, max_levels, colour);
            double p = cli_table_number(doses, cli_dose_row(index, s, level), DS_COL_P_DLT);
            top = fmax(top, p);
            cli_gp_num(gp, start[s] + level - 1);
            cli_gp_num(gp, p);
            fprintf(gp, " %ld\n", rgb_number(colour));
        }
        fputc('\n', gp);
    }
    fputs("EOD\n$band << EOD\n", gp);
    for (int s = 0; s < n; s++) {
        double target, lo, hi;
        if (cli_target_of(summary, s, &target, &lo, &hi)) {
            cli_gp_num(gp, start[s] - 0.5);
            cli_gp_num(gp, start[s] + cli_dose_levels(index, s) - 0.5);
            cli_gp_num(gp, lo);
            cli_gp_num(gp, hi);
            cli_gp_num(gp, target);
            fputc('\n', gp);
            top = fmax(top, hi);
            n_bands++;
        }
    }
    fputs("EOD\n$ring << EOD\n", gp);
    for (int s = 0; s < n; s++) {
        int mtd = (int)cli_table_number(summary, s, DS_COL_TRUE_MTD_LEVEL);
        if (mtd > 0) {
            cli_gp_num(gp, start[s] + mtd - 1);
            cli_gp_num(gp, cli_table_number(doses, cli_dose_row(index, s, mtd), DS_COL_P_DLT));
            fputc('\n', gp);
            n_rings++;
        }
    }
    fputs("EOD\n$mark << EOD\n", gp);
    for (int s = 0; s < n; s++) {
        int level = correct_choice(summary, doses, index, s);
        if (level >= 0) {
            double p[3];
            selection_of(summary, doses, index, s, level, p);
            cli_gp_num(gp, start[s] + (level == 0 ? cli_dose_levels(index, s) : level - 1));
            cli_gp_num(gp, fmax(p[0], p[2]) + 0.045);
            fputc('\n', gp);
            n_marks++;
        }
    }
    fputs("EOD\n", gp);
    top = fmin(1.0, fmax(0.1, ceil((top + 0.04) * 10.0) / 10.0));
    int key_chars = text_chars("true p_dlt of each dose");
    for (int level = 1; level <= max_levels; level++) {
        char generic[32];
        int k = text_chars(level_label(summary, doses, index, level, generic, sizeof(generic)));
        key_chars = k > key_chars ? k : key_chars;
    }
    const double right = key_room(key_chars, width);

    fputs("set multiplot title ", gp);
    cli_gp_str(gp, mc ? "How often each dose is chosen as the RP2D (with 95% intervals), and its "
                        "true DLT rate"
                      : "How often each dose is chosen as the RP2D, and its true DLT rate");
    fprintf(gp,
            " font ',12'\nset lmargin at screen %g\nset rmargin at screen %g\n"
            "set xrange [-0.7:%g]\nset key outside right top samplen 2\n"
            "set grid noxtics ytics lt 1 lc rgb '#dddddd' lw 1\n",
            PLOT_LEFT, right, last + 0.7);
    /* Above: the true DLT rates. */
    fprintf(gp,
            "set tmargin at screen 0.885\nset bmargin at screen 0.665\nunset xtics\n"
            "set yrange [0:%g]\nset ytics 0, %g, %g\nset ylabel 'true P(DLT)'\nplot ",
            top, top <= 0.5 ? 0.1 : 0.2, top);
    if (n_bands > 0) {
        fputs("$band using (($1+$2)/2):(($3+$4)/2):1:2:3:4 with boxxyerror fs solid 1.0 "
              "noborder lc rgb '#f8dcb8' title 'acceptable DLT rates', "
              "$band using 1:5:($2-$1):(0) with vectors nohead dt 2 lw 1.5 lc rgb '#b35806' "
              "title 'target DLT rate', ",
              gp);
    }
    fputs("$pdlt using 1:2 with lines lw 1 lc rgb '#9a9a9a' notitle, "
          "$pdlt using 1:2:3 with points pt 7 ps 1.3 lc rgb variable notitle, "
          "keyentry with points pt 7 ps 1.3 lc rgb '#555555' title 'true p_dlt of each dose'",
          gp);
    if (n_rings > 0) {
        fputs(", $ring using 1:2 with points pt 6 ps 2.4 lw 1.5 lc rgb 'black' title 'true MTD'",
              gp);
    }
    fputc('\n', gp);
    /* Below: the selections. */
    const double px_apart = width * (right - PLOT_LEFT) / (last + 1.4) * (last + 2.0) / n;
    double tics = put_scenario_tics(gp, summary, centre, px_apart, height);
    int lines = cli_put_caption(gp, summary, CAPTION_BOTTOM, CAPTION_LINE, true);
    fprintf(gp,
            "\nset tmargin at screen 0.635\nset bmargin at screen %g\n"
            "set yrange [0:1.1]\nset ytics 0, 0.2, 1\nset ylabel 'P(chosen as RP2D)'\n",
            CAPTION_BOTTOM + lines * CAPTION_LINE + tics);
    /* Each scenario's P(correct selection), as the run wrote it, where it fits. */
    for (int s = 0; s < n && px_apart >= 95.0; s++) {
        const char *pcs = cli_table_cell(summary, s, DS_COL_PROB_CORRECT_SELECTION);
        if (pcs[0] != '\0') {
            char text[64];
            snprintf(text, sizeof(text), "P(correct) %.2f",
                     cli_table_number(summary, s, DS_COL_PROB_CORRECT_SELECTION));
            fprintf(gp, "set label %d ", s + 1);
            cli_gp_str(gp, text);
            fprintf(gp, " at first %g, first 1.05 center font ',9'\n", centre[s]);
        }
    }
    fputs("plot ", gp);
    for (int level = 1; level <= max_levels + 1; level++) {
        int block = level > max_levels ? 0 : level;
        char colour[8], generic[32];
        if (block == 0) {
            snprintf(colour, sizeof(colour), "%s", CLI_GP_NONE_COLOUR);
        } else {
            cli_gp_dose_colour(level, max_levels, colour);
        }
        fprintf(gp,
                "%s$bar%d using 1:2:(0.82) with boxes lc rgb '%s' fs solid 1.0 border lc rgb "
                "'#333333' title ",
                level > 1 ? ", " : "", block, colour);
        if (block == 0) {
            cli_gp_str(gp, "no RP2D");
        } else {
            cli_gp_str(gp, level_label(summary, doses, index, level, generic, sizeof(generic)));
        }
        if (mc) {
            fprintf(gp,
                    ", $bar%d using 1:3:(0):($4-$3) with vectors heads size screen 0.004,90 "
                    "lc rgb '#222222' lw 1 notitle",
                    block);
        }
    }
    if (n_marks > 0) {
        fputs(", $mark using 1:2 with points pt 11 ps 1.3 lc rgb 'black' title 'correct choice'",
              gp);
    }
    fputs("\nunset multiplot\n", gp);
    free(start);
    free(centre);
    return cli_figure_end(figs);
}

/* ---- sample_size.FORMAT ---- */

static long gcd(long a, long b)
{
    while (b != 0) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

/* Bars (the count is discrete), the scenarios side by side at each count,
 * tics only at counts a trial can have. */
static int plot_sample_size(cli_figures_t *figs, const cli_table_t *summary,
                            const cli_table_t *sizes, const int *scenario_of_size)
{
    const int n = summary->n_rows;
    double *values = malloc(((size_t)sizes->n_rows + 1) * sizeof(double));
    if (values == NULL) {
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    int n_values = 0;
    double top = 0.0;
    for (int r = 0; r < sizes->n_rows; r++) {
        values[n_values++] = cli_table_number(sizes, r, DS_COL_N_EVALUABLE);
        top = fmax(top, cli_table_number(sizes, r, DS_COL_PROB));
    }
    qsort(values, (size_t)n_values, sizeof(double), compare_doubles);
    int distinct = 0;
    long step = 0;
    for (int i = 0; i < n_values; i++) {
        if (distinct == 0 || values[i] != values[distinct - 1]) {
            values[distinct++] = values[i];
            step = gcd(step, (long)values[i]);
        }
    }
    step = step > 0 ? step : 1;
    int status = cli_figure_begin(figs, DS_SAMPLE_SIZE_FIGURE, 960, 540);
    if (status != 0) {
        free(values);
        return status;
    }
    FILE *gp = figs->gp.out;
    const double bar = 0.8 * (double)step / n;
    for (int s = 0; s < n; s++) {
        fprintf(gp, "$n%d << EOD\n", s);
        for (int r = 0; r < sizes->n_rows; r++) {
            if (scenario_of_size[r] == s) {
                cli_gp_num(gp, cli_table_number(sizes, r, DS_COL_N_EVALUABLE) +
                                   (s - (n - 1) / 2.0) * bar);
                cli_gp_num(gp, cli_table_number(sizes, r, DS_COL_PROB));
                fputc('\n', gp);
            }
        }
        fputs("EOD\n", gp);
    }
    fputs("set title 'How many patients a trial treats' font ',12'\n", gp);
    int lines = cli_put_caption(gp, summary, CAPTION_BOTTOM, CAPTION_LINE, false);
    /* Tics at the counts that occur; when there are many, at those that are
     * multiples of a round step. */
    long every = step;
    if (distinct > 24) {
        every = step * (long)cli_nice_step((double)distinct, 12);
    }
    fputs("set xtics (", gp);
    for (int i = 0, first = 1; i < distinct; i++) {
        if (distinct <= 24 || (long)values[i] % every == 0) {
            fprintf(gp, "%s%.0f", first ? "" : ", ", values[i]);
            first = 0;
        }
    }
    fprintf(gp,
            ") nomirror\nset xrange [%g:%g]\nset yrange [0:%g]\nset ytics nomirror\n"
            "set xlabel 'evaluable patients in the trial'\nset ylabel 'probability'\n"
            "set grid noxtics ytics lt 1 lc rgb '#dddddd' lw 1\n"
            "set key outside right top samplen 2\nset lmargin at screen %g\n"
            "set rmargin at screen %g\nset bmargin at screen %g\nplot ",
            values[0] - 0.6 * (double)step,
            values[distinct > 0 ? distinct - 1 : 0] + 0.6 * (double)step,
            top > 0.0 ? ceil(top * 11.0) / 10.0 : 1.0, PLOT_LEFT,
            key_room(longest_cell(summary, DS_COL_SCENARIO), 960),
            CAPTION_BOTTOM + lines * CAPTION_LINE + 0.09);
    bool any = false;
    for (int s = 0; s < n; s++) {
        bool has = false;
        for (int r = 0; r < sizes->n_rows && !has; r++) {
            has = scenario_of_size[r] == s;
        }
        if (!has) {
            continue;
        }
        fprintf(gp, "%s$n%d using 1:2:(%g) with boxes lc rgb '%s' ", any ? ", " : "", s, bar,
                cli_gp_series_colour(s));
        if (cli_gp_series_dash(s) > 1) {
            fprintf(gp, "fs pattern %d border lc rgb '#333333' title ", cli_gp_series_dash(s) + 2);
        } else {
            fputs("fs solid 1.0 border lc rgb '#333333' title ", gp);
        }
        cli_gp_str(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
        any = true;
    }
    fputc('\n', gp);
    free(values);
    return cli_figure_end(figs);
}

/* ---- duration.FORMAT ---- */

typedef struct {
    int scenario;
    double from, to, prob;
} bin_t;

static int compare_bins(const void *a, const void *b)
{
    const bin_t *x = a, *y = b;
    if (x->scenario != y->scenario) {
        return x->scenario < y->scenario ? -1 : 1;
    }
    return x->from < y->from ? -1 : x->from > y->from;
}

/* The duration's distribution as a density over round bins, in days or (when
 * trials are long) months, up to where 99.9% of every scenario's trials have
 * ended; each scenario's median in the key. */
static int plot_duration(cli_figures_t *figs, const cli_table_t *summary,
                         const cli_table_t *durations, const int *scenario_of_duration)
{
    const int n = summary->n_rows;
    bin_t *bins = malloc(((size_t)durations->n_rows + 1) * sizeof(bin_t));
    double *total = calloc((size_t)n + 1, sizeof(double));
    if (bins == NULL || total == NULL) {
        free(bins);
        free(total);
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    for (int r = 0; r < durations->n_rows; r++) {
        bins[r] = (bin_t){scenario_of_duration[r], cli_table_number(durations, r, DS_COL_DAYS_FROM),
                          cli_table_number(durations, r, DS_COL_DAYS_TO),
                          cli_table_number(durations, r, DS_COL_PROB)};
        total[bins[r].scenario] += bins[r].prob;
    }
    qsort(bins, (size_t)durations->n_rows, sizeof(bin_t), compare_bins);
    double longest = 0.0, cum = 0.0;
    for (int r = 0; r < durations->n_rows; r++) {
        cum = r > 0 && bins[r].scenario == bins[r - 1].scenario ? cum + bins[r].prob : bins[r].prob;
        if (cum - bins[r].prob < 0.999 * total[bins[r].scenario]) {
            longest = fmax(longest, fmax(bins[r].to, bins[r].from));
        }
    }
    longest = longest > 0.0 ? longest : 1.0;
    const cli_time_unit_t unit = cli_time_unit(longest);
    const double span = longest / unit.days, width = cli_nice_step(span, 60);
    const int n_bins = (int)ceil(span / width) + 1;
    double *mass = calloc((size_t)n_bins, sizeof(double));
    int status =
        mass != NULL ? cli_figure_begin(figs, DS_DURATION_FIGURE, 960, 540) : EXIT_RUN_FAILED;
    if (mass == NULL) {
        cli_error(figs->command, "out of memory");
    }
    if (status != 0) {
        free(bins);
        free(total);
        free(mass);
        return status;
    }
    FILE *gp = figs->gp.out;
    double top = 0.0;
    for (int s = 0, r = 0; s < n; s++) {
        memset(mass, 0, (size_t)n_bins * sizeof(double));
        for (; r < durations->n_rows && bins[r].scenario == s; r++) {
            double mid = (bins[r].from + bins[r].to) / 2.0 / unit.days;
            int b = (int)(mid / width);
            if (b >= 0 && b < n_bins) {
                mass[b] += bins[r].prob;
            }
        }
        fprintf(gp, "$d%d << EOD\n", s);
        for (int b = 0; b < n_bins; b++) {
            cli_gp_num(gp, (b + 0.5) * width);
            cli_gp_num(gp, mass[b] / width);
            fputc('\n', gp);
            top = fmax(top, mass[b] / width);
        }
        fputs("EOD\n", gp);
    }
    fputs("set title 'How long a trial takes' font ',12'\n", gp);
    int lines = cli_put_caption(gp, summary, CAPTION_BOTTOM, CAPTION_LINE, false);
    fprintf(gp, "set xlabel '%s from the opening of the trial to its final decision%s'\n",
            unit.name, unit.days > 1.0 ? " (a month: 30.4 days)" : "");
    fprintf(gp, "set ylabel 'probability per %s (bins of %g %s)'\n",
            unit.days > 1.0 ? "month" : "day", width, unit.name);
    fprintf(gp,
            "set xrange [0:%g]\nset yrange [0:%g]\nset xtics nomirror\nset ytics nomirror\n"
            "set grid xtics ytics lt 1 lc rgb '#dddddd' lw 1\n"
            "set key outside right top samplen 3\nset lmargin at screen %g\n"
            "set rmargin at screen %g\nset bmargin at screen %g\nplot ",
            n_bins * width, top > 0.0 ? top * 1.1 : 1.0, PLOT_LEFT,
            key_room(longest_cell(summary, DS_COL_SCENARIO) + 15, 960),
            CAPTION_BOTTOM + lines * CAPTION_LINE + 0.09);
    for (int s = 0; s < n; s++) {
        fprintf(gp, "%s$d%d using 1:2 with lines lw 2 lc rgb '%s' dt %d title ", s > 0 ? ", " : "",
                s, cli_gp_series_colour(s), cli_gp_series_dash(s));
        cli_gp_str(gp, cli_table_cell(summary, s, DS_COL_SCENARIO));
        const char *median = cli_table_cell(summary, s, DS_COL_P50_DURATION_DAYS);
        if (median[0] != '\0') {
            char text[64];
            snprintf(text, sizeof(text), " (median %.*f)", unit.days > 1.0 ? 1 : 0,
                     cli_table_number(summary, s, DS_COL_P50_DURATION_DAYS) / unit.days);
            cli_gp_join(gp, text, false);
        }
    }
    fputc('\n', gp);
    free(bins);
    free(total);
    free(mass);
    return cli_figure_end(figs);
}

/* ---- sweep_NAME.FORMAT ---- */

/* Between the items of a plot command. */
static void next_item(FILE *gp, bool *first)
{
    if (!*first) {
        fputs(", ", gp);
    }
    *first = false;
}

/* A sweep's points (its values, in order) and, at each, the row of each level. */
typedef struct {
    int n_points, n_levels;
    double *values;
    int *rows; /* [point * (n_levels + 1) + level], level 0 the none row; -1 if none */
    int vary;  /* the level swept, or 0 for all */
} sweep_t;

static void sweep_free(sweep_t *sw)
{
    free(sw->values);
    free(sw->rows);
    memset(sw, 0, sizeof(*sw));
}

static int sweep_row(const sweep_t *sw, int point, int level)
{
    return sw->rows[(size_t)point * (size_t)(sw->n_levels + 1) + (size_t)level];
}

/* Index a sweep file: one scenario and one vary throughout, every point with
 * every level once. 0, or -1 after saying why. */
static int sweep_index(sweep_t *sw, const char *cmd, const cli_table_t *t)
{
    memset(sw, 0, sizeof(*sw));
    const char *scenario = cli_table_cell(t, 0, DS_COL_SCENARIO);
    const char *vary = cli_table_cell(t, 0, DS_COL_SWEEP_VARY);
    for (int r = 0; r < t->n_rows; r++) {
        int level = (int)cli_table_number(t, r, DS_COL_DOSE_LEVEL);
        sw->n_levels = level > sw->n_levels ? level : sw->n_levels;
        const char *why =
            strcmp(cli_table_cell(t, r, DS_COL_SCENARIO), scenario) != 0
                ? DS_COL_SCENARIO
                : (strcmp(cli_table_cell(t, r, DS_COL_SWEEP_VARY), vary) != 0 ? DS_COL_SWEEP_VARY
                                                                              : NULL);
        if (why != NULL) {
            cli_error(cmd,
                      "%s:%ld: field '%s': '%s', where line %ld has '%s' (a sweep is of one "
                      "scenario, along one vary)",
                      t->path, t->lines[r], why, cli_table_cell(t, r, why), t->lines[0],
                      cli_table_cell(t, 0, why));
            return -1;
        }
    }
    if (sw->n_levels == 0) {
        cli_error(cmd, "%s: no doses in it", t->path);
        return -1;
    }
    double x;
    if (strcmp(vary, DS_VARY_ALL) == 0) {
        sw->vary = 0;
    } else if (ds_parse_double(vary, &x) && x == floor(x) && x >= 1 && x <= sw->n_levels &&
               strspn(vary, "0123456789") == strlen(vary)) {
        sw->vary = (int)x;
    } else {
        cli_error(cmd,
                  "%s:%ld: field '" DS_COL_SWEEP_VARY "': '%.40s' is neither a dose level "
                  "of the sweep nor " DS_VARY_ALL,
                  t->path, t->lines[0], vary);
        return -1;
    }
    sw->values = malloc(((size_t)t->n_rows + 1) * sizeof(double));
    if (sw->values == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    for (int r = 0; r < t->n_rows; r++) {
        sw->values[r] = cli_table_number(t, r, DS_COL_SWEEP_VALUE);
    }
    qsort(sw->values, (size_t)t->n_rows, sizeof(double), compare_doubles);
    for (int r = 0; r < t->n_rows; r++) {
        if (sw->n_points == 0 || sw->values[r] != sw->values[sw->n_points - 1]) {
            sw->values[sw->n_points++] = sw->values[r];
        }
    }
    size_t slots = (size_t)sw->n_points * (size_t)(sw->n_levels + 1);
    sw->rows = malloc((slots + 1) * sizeof(int));
    if (sw->rows == NULL) {
        cli_error(cmd, "out of memory");
        sweep_free(sw);
        return -1;
    }
    for (size_t i = 0; i < slots; i++) {
        sw->rows[i] = -1;
    }
    for (int r = 0; r < t->n_rows; r++) {
        double value = cli_table_number(t, r, DS_COL_SWEEP_VALUE);
        const double *at =
            bsearch(&value, sw->values, (size_t)sw->n_points, sizeof(double), compare_doubles);
        int level = (int)cli_table_number(t, r, DS_COL_DOSE_LEVEL);
        int *slot =
            &sw->rows[(size_t)(at - sw->values) * (size_t)(sw->n_levels + 1) + (size_t)level];
        if (*slot >= 0) {
            cli_error(cmd,
                      "%s:%ld: field '" DS_COL_DOSE_LEVEL "': level %d appears twice at "
                      "value %s",
                      t->path, t->lines[r], level, cli_table_cell(t, r, DS_COL_SWEEP_VALUE));
            sweep_free(sw);
            return -1;
        }
        *slot = r;
    }
    for (int i = 0; i < sw->n_points; i++) {
        for (int level = 0; level <= sw->n_levels; level++) {
            int r = sweep_row(sw, i, level);
            if (r < 0 || (level > 0 && cli_table_cell(t, r, DS_COL_P_DLT)[0] == '\0')) {
                cli_error(cmd, "%s: value %.12g has %s of level %d", t->path, sw->values[i],
                          r < 0 ? "no row" : "no p_dlt", level);
                sweep_free(sw);
                return -1;
            }
        }
    }
    return 0;
}

/* Where point i of level's curve stands: the true p_dlt of the swept dose or,
 * along all, the level's own (level 0, and the panels below, at level 1's). */
static double sweep_x(const sweep_t *sw, const cli_table_t *t, int i, int level)
{
    int at = sw->vary > 0 ? sw->vary : (level > 0 ? level : 1);
    return cli_table_number(t, sweep_row(sw, i, at), DS_COL_P_DLT);
}

/* An axis of p_dlt from lo to hi, padded, the target interval in it. */
static void padded_range(double *lo, double *hi, bool has_target, double t_lo, double t_hi)
{
    if (has_target) {
        *lo = fmin(*lo, t_lo);
        *hi = fmax(*hi, t_hi);
    }
    double pad = fmax(0.02, 0.03 * (*hi - *lo));
    *lo = fmax(0.0, *lo - pad);
    *hi = fmin(1.0, *hi + pad);
    if (*hi - *lo < 0.04) { /* one point at p = 0 or 1 */
        *lo = fmax(0.0, fmin(*lo, *hi - 0.04));
        *hi = fmin(1.0, fmax(*hi, *lo + 0.04));
    }
}

/* The target interval as a band and its target as a line, on a p_dlt axis. */
static void put_target(FILE *gp, const cli_table_t *t, int object)
{
    double target, lo, hi;
    if (cli_target_of(t, 0, &target, &lo, &hi)) {
        fprintf(gp,
                "set object %d rect from %.10g, graph 0 to %.10g, graph 1 behind fc rgb "
                "'#f8dcb8' fs solid 1.0 noborder\n"
                "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 lc rgb "
                "'#b35806' back\n",
                object, lo, hi, object, target, target);
    }
}

/* Operating-characteristic curves on the p_dlt scale: above, how often each
 * dose and none is chosen (95% bands for Monte Carlo; filled points where the
 * dose is the true MTD), the target interval where the swept p_dlt lies in it;
 * below, the mean patients treated and, with calendar time, the mean duration. */
static int plot_sweep(cli_figures_t *figs, const cli_table_t *t, const char *name)
{
    sweep_t sw;
    if (sweep_index(&sw, figs->command, t) != 0) {
        return EXIT_BAD_INPUT;
    }
    const bool mc = strcmp(cli_table_cell(t, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    bool timed = true;
    for (int r = 0; r < t->n_rows; r++) {
        timed &= cli_table_cell(t, r, DS_COL_MEAN_DURATION_DAYS)[0] != '\0';
    }
    const int height = timed ? 760 : 640;
    int status = cli_figure_begin(figs, name, 960, height);
    if (status != 0) {
        sweep_free(&sw);
        return status;
    }
    FILE *gp = figs->gp.out;
    double x_lo = 1.0, x_hi = 0.0, n_top = 0.0, days_top = 0.0;
    for (int level = 0; level <= sw.n_levels; level++) {
        fprintf(gp, "$s%d << EOD\n", level);
        for (int i = 0; i < sw.n_points; i++) {
            int r = sweep_row(&sw, i, level);
            double x = sweep_x(&sw, t, i, level);
            const char *col = level == 0 ? DS_COL_PROB_NO_RP2D : DS_COL_PROB_RP2D;
            x_lo = fmin(x_lo, x);
            x_hi = fmax(x_hi, x);
            cli_gp_num(gp, x);
            cli_gp_num(gp, cli_table_number(t, r, col));
            if (level == 0) {
                /* The none row carries P(no RP2D) in its prob_rp2d columns too. */
                cli_gp_num(gp, cli_table_number(t, r, DS_COL_PROB_RP2D_LO));
                cli_gp_num(gp, cli_table_number(t, r, DS_COL_PROB_RP2D_HI));
                cli_gp_num(gp, NAN);
            } else {
                cli_gp_num(gp, cli_table_number(t, r, DS_COL_PROB_RP2D_LO));
                cli_gp_num(gp, cli_table_number(t, r, DS_COL_PROB_RP2D_HI));
                cli_gp_num(gp, strcmp(cli_table_cell(t, r, DS_COL_TRUE_MTD), DS_YES) == 0
                                   ? cli_table_number(t, r, col)
                                   : NAN);
            }
            fputc('\n', gp);
        }
        fputs("EOD\n", gp);
    }
    /* The panels below, at level 1's (or the swept dose's) p_dlt: mean N, mean duration. */
    double below_lo = 1.0, below_hi = 0.0;
    fputs("$below << EOD\n", gp);
    for (int i = 0; i < sw.n_points; i++) {
        int r = sweep_row(&sw, i, 0);
        double x = sweep_x(&sw, t, i, 0), n = cli_table_number(t, r, DS_COL_MEAN_N_TREATED);
        double days = timed ? cli_table_number(t, r, DS_COL_MEAN_DURATION_DAYS) : NAN;
        n_top = fmax(n_top, n);
        days_top = timed ? fmax(days_top, days) : days_top;
        below_lo = fmin(below_lo, x);
        below_hi = fmax(below_hi, x);
        cli_gp_num(gp, x);
        cli_gp_num(gp, n);
        cli_gp_num(gp, days);
        fputc('\n', gp);
    }
    fputs("EOD\n", gp);
    double target, lo, hi;
    const bool has_target = cli_target_of(t, 0, &target, &lo, &hi);
    padded_range(&x_lo, &x_hi, has_target, lo, hi);
    padded_range(&below_lo, &below_hi, false, lo, hi);
    if (sw.vary > 0) { /* the same p_dlt above and below: the same axis */
        below_lo = x_lo;
        below_hi = x_hi;
    }

    /* The swept dose's label (level 1's along all), for the axes. */
    const int swept = sw.vary > 0 ? sw.vary : 1;
    const char *swept_label = cli_table_cell(t, sweep_row(&sw, 0, swept), DS_COL_DOSE_LABEL);
    int key_chars = text_chars("acceptable DLT rates");
    for (int level = 1; level <= sw.n_levels; level++) {
        int k = text_chars(cli_table_cell(t, sweep_row(&sw, 0, level), DS_COL_DOSE_LABEL));
        key_chars = k > key_chars ? k : key_chars;
    }
    if (sw.vary == 0) {
        int k = text_chars(swept_label) + text_chars("no RP2D (at 's p_dlt)");
        key_chars = k > key_chars ? k : key_chars;
    }
    fputs("set multiplot title ", gp);
    cli_gp_join(gp, "Operating characteristics of '", true);
    cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_SCENARIO), false);
    cli_gp_join(gp,
                sw.vary > 0 ? "' as the true DLT rate of one dose varies"
                            : "' as every dose's true DLT rate is scaled",
                false);
    fprintf(gp,
            " font ',12'\nset lmargin at screen %g\nset rmargin at screen %g\n"
            "set key outside right top samplen 2\n"
            "set grid xtics ytics lt 1 lc rgb '#dddddd' lw 1\nset xtics nomirror\n",
            PLOT_LEFT, key_room(key_chars, 960));
    put_target(gp, t, 1);
    const int lines = has_target ? 3 : 2, n_below = timed ? 2 : 1;
    const double gap = 78.0 / height, below_height = 110.0 / height;
    const double bottom = CAPTION_BOTTOM + lines * CAPTION_LINE + 52.0 / height;
    const double main_bottom = bottom + n_below * below_height + n_below * gap;
    fprintf(gp,
            "set xrange [%.10g:%.10g]\nset tmargin at screen 0.895\nset bmargin at screen %g\n"
            "set yrange [0:1]\nset ytics 0, 0.2, 1\nset ylabel 'P(chosen as RP2D)'\nset xlabel ",
            x_lo, x_hi, main_bottom);
    if (sw.vary > 0) {
        cli_gp_join(gp, "true p_dlt of ", true);
        cli_gp_join(gp, swept_label, false);
        cli_gp_join(gp, " (the other doses' as in the scenario)", false);
    } else {
        cli_gp_str(gp, "each dose's own true p_dlt (every p_dlt scaled by the same factor)");
    }
    fputs(" offset 0,0.4\nplot ", gp);
    bool first = true, any_mtd = false;
    /* Curves of one or two points would not show as lines. */
    const char *style = sw.n_points < 3 ? "linespoints pt 7 ps 1" : "lines";
    for (int level = 0; level <= sw.n_levels; level++) {
        int block = level < sw.n_levels ? level + 1 : 0; /* the doses, then none */
        char colour[8];
        if (block == 0) {
            snprintf(colour, sizeof(colour), "%s", CLI_GP_NONE_COLOUR);
        } else {
            cli_gp_dose_colour(block, sw.n_levels, colour);
        }
        if (mc) {
            next_item(gp, &first);
            fprintf(gp,
                    "$s%d using 1:3:4 with filledcurves fs transparent solid 0.22 noborder "
                    "lc rgb '%s' notitle",
                    block, colour);
        }
        next_item(gp, &first);
        fprintf(gp, "$s%d using 1:2 with %s lw 2 lc rgb '%s' title ", block, style, colour);
        if (block == 0) {
            cli_gp_join(gp, "no RP2D", true);
            if (sw.vary == 0) {
                cli_gp_join(gp, " (at ", false);
                cli_gp_join(gp, swept_label, false);
                cli_gp_join(gp, "'s p_dlt)", false);
            }
            continue;
        }
        cli_gp_str(gp, cli_table_cell(t, sweep_row(&sw, 0, block), DS_COL_DOSE_LABEL));
        bool is_mtd = false;
        for (int i = 0; i < sw.n_points; i++) {
            is_mtd |=
                strcmp(cli_table_cell(t, sweep_row(&sw, i, block), DS_COL_TRUE_MTD), DS_YES) == 0;
        }
        if (is_mtd) {
            fprintf(gp, ", $s%d using 1:5 with points pt 7 ps 1.0 lc rgb '%s' notitle", block,
                    colour);
            any_mtd = true;
        }
    }
    if (any_mtd) {
        fputs(", keyentry with points pt 7 ps 1.0 lc rgb '#555555' title 'the true MTD there'", gp);
    }
    if (mc) {
        fputs(", keyentry with boxes fs transparent solid 0.22 noborder lc rgb '#555555' "
              "title '95% intervals'",
              gp);
    }
    if (has_target) {
        fputs(", keyentry with boxes fs solid 1.0 noborder lc rgb '#f8dcb8' "
              "title 'acceptable DLT rates', keyentry with lines dt 2 lw 1.5 lc rgb '#b35806' "
              "title 'target DLT rate'",
              gp);
    }
    /* Below, without a key (the axis says what): the mean patients treated,
     * then the mean duration. */
    fprintf(gp, "\nset key off\nset xrange [%.10g:%.10g]\nset xlabel ", below_lo, below_hi);
    cli_gp_join(gp, "true p_dlt of ", true);
    cli_gp_join(gp, swept_label, false);
    if (sw.vary == 0) {
        cli_gp_join(gp, " (level 1; the others scaled with it)", false);
    }
    fputs(" offset 0,0.4\n", gp);
    for (int k = 0; k < n_below; k++) {
        double upper = main_bottom - gap - k * (below_height + gap);
        if (k == n_below - 1) {
            cli_put_caption(gp, t, CAPTION_BOTTOM, CAPTION_LINE, true);
        }
        fprintf(gp, "set tmargin at screen %g\nset bmargin at screen %g\n", upper,
                upper - below_height);
        if (k == 0) {
            double step = cli_nice_step(n_top > 0.0 ? n_top * 1.1 : 1.0, 3);
            double top = n_top > 0.0 ? ceil(n_top * 1.1 / step) * step : 1.0;
            fprintf(gp,
                    "set yrange [0:%g]\nset ytics 0, %g, %g\nset ylabel 'mean patients'\n"
                    "plot $below using 1:2 with %s lw 2 lc rgb '#222222'\n",
                    top, step, top, style);
        } else {
            cli_time_unit_t unit = cli_time_unit(days_top);
            double span = days_top > 0.0 ? days_top * 1.1 / unit.days : 1.0;
            double step = cli_nice_step(span, 3), top = ceil(span / step) * step;
            fprintf(gp,
                    "set yrange [0:%g]\nset ytics 0, %g, %g\nset ylabel 'mean %s'\n"
                    "plot $below using 1:($3/%.10g) with %s lw 2 lc rgb '#e69f00'\n",
                    top, step, top, unit.name, unit.days, style);
        }
    }
    fputs("unset multiplot\n", gp);
    sweep_free(&sw);
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
    if (sizes.n_rows == 0) {
        cli_error(cmd, "%s: no rows in it", sizes.path);
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
        status = cli_figures_publish(&figs, cli_output());
        if (status == 0 && made) {
            fprintf(cli_output(), "(made the folder %s)\n", out_dir);
        }
    }
    /* A figure of an earlier set that this one has no data for stays as it was: say so. */
    char old[CLI_PATH_CHARS];
    snprintf(old, sizeof(old), "%s/" DS_DURATION_FIGURE ".%s", out_dir,
             cli_gp_format_names[figs.format]);
    if (status == 0 && results && !drew_durations && access(old, F_OK) == 0) {
        fprintf(cli_output(),
                "note: %s is not from these results (they have no durations: no calendar time); "
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

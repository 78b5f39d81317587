/* dosesim report: the tables of a protocol's statistical section from one or
 * more result folders, side by side: the design in words and as its decision
 * table (rebuilt from the library's design, by the name the results record),
 * per scenario and dose the selections with their intervals, patients and
 * DLTs, per scenario the summary characteristics, and figures. One file, in
 * HTML (self-contained, inline SVG drawn here), GitHub Markdown or LaTeX;
 * every cell is checked first (figure.c's reader), every text escaped
 * (markup.h), and the file published whole. */
#include "cmd.h"
#include "document.h"
#include "figure.h"
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --format's words, in the order of ds_markup_t. */
static const char *const report_formats[] = {"html", "md", "tex", NULL};

/* The stem of the default file name (report.FORMAT). */
#define REPORT_STEM "report"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim report DIR... [--out FILE] [--format html|md|tex]\n"
            "\n"
            "Writes the tables of a protocol's statistical section from one or more results\n"
            "folders (from dosesim run, exact or merge; at most %d, over the same scenarios,\n"
            "set side by side):\n"
            "  - each design in words (rules, options, start, method, calendar, target) and as\n"
            "    its decision table (patients at the dose, DLTs -> escalate, more, too toxic);\n"
            "  - per scenario and dose: the true p_dlt, P(RP2D) with its 95%% interval (none\n"
            "    for exact results), the mean patients treated and DLTs; and P(no RP2D);\n"
            "  - per scenario: P(no RP2D), P(correct selection), P(overdose selection), E[N]\n"
            "    and, with calendar time, the mean and median duration; with response rates\n"
            "    (optimisation.csv), the optimal dose and the final doses after the stage;\n"
            "  - figures: the selections as stacked bars, patients and durations (HTML: inline\n"
            "    SVG; LaTeX: the selections as a picture).\n"
            "The file is written whole or not at all; nothing it shows is read as markup.\n"
            "\n"
            "  --out FILE               where it goes (- for stdout); default DIR/report.FORMAT,\n"
            "                           or for several folders %s/report.FORMAT\n"
            "  --format html|md|tex     one self-contained HTML file, GitHub-flavoured Markdown,\n"
            "                           or a standalone LaTeX document for pdflatex (default:\n"
            "                           from --out's ending, else html)\n",
            CLI_MAX_COMPARED, DS_COMPARISON_DIR);
}

/* ---- what the folders hold ---- */

enum { F_SUMMARY, F_DOSES, F_DURATION, F_OPTIMISATION, N_FILES };
static const char *const file_names[N_FILES] = {DS_SUMMARY_FILE, DS_DOSES_FILE, DS_DURATION_FILE,
                                                DS_OPTIMISATION_FILE};

typedef struct {
    const char *dir;
    cli_text_file_t files[N_FILES];
    char *owned[N_FILES];
    cli_table_t summary, doses, duration;
    cli_table_t optimisation; /* no rows where the set has none (or no such file) */
    cli_dose_index_t index;
    int *scenario_of_dose;     /* [doses.n_rows] */
    int *scenario_of_duration; /* [duration.n_rows], or NULL */
    char label[300];           /* the design, and the folder when two share a design */
    bool mc, timed;
    bool design_known; /* design: the library's design of the name the results record */
    ds_design_t design;
} folder_t;

typedef struct {
    folder_t *f;
    int n;
    int n_scenarios;
    int max_levels;
    bool any_mc, any_timed;
} report_t;

/* The key's columns that one run's rows share (all but the scenario's). */
static const char *const run_columns[] = {
    DS_COL_RUN_ID,      DS_COL_DESIGN,
    DS_COL_METHOD,      DS_COL_DEESCALATE,
    DS_COL_TOP_DOSE,    DS_COL_START_LEVEL,
    DS_COL_N_TRIALS,    DS_COL_SEED,
    DS_COL_WINDOW_DAYS, DS_COL_ACCRUAL_PER_30_DAYS,
    DS_COL_DLT_ONSET,   DS_COL_DROPOUT,
    DS_COL_TARGET,      DS_COL_TARGET_LO,
    DS_COL_TARGET_HI,
};

static const char *cell(const cli_table_t *t, int row, const char *name)
{
    return cli_table_cell(t, row, name);
}

static double num(const cli_table_t *t, int row, const char *name)
{
    return cli_table_number(t, row, name);
}

/* Every row of a table from the run of the summary's first row (the summary's
 * own rows too). */
static bool one_run(const char *cmd, const cli_table_t *t, const cli_table_t *summary)
{
    for (int r = 0; r < t->n_rows; r++) {
        for (size_t k = 0; k < COUNT(run_columns); k++) {
            const char *first = cell(summary, 0, run_columns[k]);
            const char *here = cell(t, r, run_columns[k]);
            if (strcmp(first, here) != 0) {
                if (t == summary) {
                    cli_error(cmd,
                              "%s:%ld: field '%s': '%.60s', where line %ld has '%.60s': a "
                              "results folder holds the results of one run",
                              t->path, t->lines[r], run_columns[k], here, t->lines[0], first);
                } else {
                    cli_error(cmd,
                              "%s:%ld: field '%s': '%.60s', where %s:%ld has '%.60s': a "
                              "results folder holds the results of one run",
                              t->path, t->lines[r], run_columns[k], here, summary->path,
                              summary->lines[0], first);
                }
                return false;
            }
        }
    }
    return true;
}

/* The design the results name, with their options: the library's own, so that
 * its table is the one the run used (a rules:FILE design is not rebuilt). */
static void find_design(folder_t *f)
{
    ds_diag_t diag;
    const cli_table_t *s = &f->summary;
    ds_design_set_3plus3(&f->design);
    /* An interval design at the results' target (a preset's bare name would
     * give the default one), else a preset by name. */
    f->design_known = ds_interval_from_name(&f->design, cell(s, 0, DS_COL_DESIGN),
                                            num(s, 0, DS_COL_TARGET), &diag) == 0 ||
                      ds_design_preset(&f->design, cell(s, 0, DS_COL_DESIGN), &diag) == 0;
    f->design.deescalate = strcmp(cell(s, 0, DS_COL_DEESCALATE), DS_YES) == 0;
    f->design.top_dose = strcmp(cell(s, 0, DS_COL_TOP_DOSE), DS_TOP_DOSE_ACCEPT_NAME) == 0
                             ? DS_TOP_ACCEPT
                             : DS_TOP_EXPAND;
    f->design.start_level = (int)num(s, 0, DS_COL_START_LEVEL) - 1;
}

/* Check a folder's files and index them. 0, or an exit status after saying why. */
static int check_folder(const char *cmd, folder_t *f)
{
    char why[200];
    if (ds_text_problem(f->dir, strlen(f->dir), why, sizeof(why)) != NULL) {
        cli_error(cmd, "the folder name '%s' %s", f->dir, why);
        return EXIT_BAD_INPUT;
    }
    for (int k = F_SUMMARY; k <= F_DOSES; k++) {
        if (f->files[k].text == NULL) {
            cli_error(cmd,
                      "%s: no such file: %s is not a folder of results from dosesim run, "
                      "exact or merge",
                      f->files[k].path, f->dir);
            return EXIT_BAD_INPUT;
        }
    }
    const cli_text_file_t *s = &f->files[F_SUMMARY], *d = &f->files[F_DOSES];
    const cli_text_file_t *t = &f->files[F_DURATION];
    if (cli_table_parse(&f->summary, cmd, s->path, s->text, s->len, cli_report_summary_columns) !=
            0 ||
        cli_table_parse(&f->doses, cmd, d->path, d->text, d->len, cli_report_doses_columns) != 0) {
        return EXIT_BAD_INPUT;
    }
    if (t->text != NULL &&
        cli_table_parse(&f->duration, cmd, t->path, t->text, t->len, cli_duration_columns) != 0) {
        return EXIT_BAD_INPUT;
    }
    const cli_text_file_t *o = &f->files[F_OPTIMISATION];
    if (o->text != NULL && (cli_table_parse(&f->optimisation, cmd, o->path, o->text, o->len,
                                            cli_optimisation_columns) != 0 ||
                            !one_run(cmd, &f->optimisation, &f->summary))) {
        return EXIT_BAD_INPUT;
    }
    if (f->summary.n_rows == 0) {
        cli_error(cmd, "%s: no scenarios in it", s->path);
        return EXIT_BAD_INPUT;
    }
    if (f->summary.n_rows > CLI_MAX_FIGURE_SCENARIOS) {
        cli_error(cmd, "%s: %d scenarios; a report shows at most %d", s->path, f->summary.n_rows,
                  CLI_MAX_FIGURE_SCENARIOS);
        return EXIT_BAD_INPUT;
    }
    if (!one_run(cmd, &f->summary, &f->summary) || !one_run(cmd, &f->doses, &f->summary) ||
        !one_run(cmd, &f->duration, &f->summary) ||
        cli_dose_index(&f->index, cmd, &f->summary, &f->doses) != 0) {
        return EXIT_BAD_INPUT;
    }
    f->scenario_of_dose = cli_scenario_of_rows(&f->doses, cmd, &f->summary);
    if (f->scenario_of_dose == NULL) {
        return EXIT_BAD_INPUT;
    }
    if (f->duration.n_rows > 0) {
        f->scenario_of_duration = cli_scenario_of_rows(&f->duration, cmd, &f->summary);
        if (f->scenario_of_duration == NULL) {
            return EXIT_BAD_INPUT;
        }
    }
    for (int sc = 0; sc < f->summary.n_rows; sc++) {
        int levels = cli_dose_levels(&f->index, sc);
        if ((int)num(&f->summary, sc, DS_COL_N_LEVELS) != levels) {
            cli_error(cmd, "%s:%ld: field '%s': %s, but %s has %d levels of '%s'", s->path,
                      f->summary.lines[sc], DS_COL_N_LEVELS, cell(&f->summary, sc, DS_COL_N_LEVELS),
                      d->path, levels, cell(&f->summary, sc, DS_COL_SCENARIO));
            return EXIT_BAD_INPUT;
        }
    }
    f->mc = strcmp(cell(&f->summary, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    f->timed = num(&f->summary, 0, DS_COL_ACCRUAL_PER_30_DAYS) > 0.0 &&
               !isnan(num(&f->summary, 0, DS_COL_MEAN_DURATION_DAYS));
    find_design(f);
    return 0;
}

/* Whether folder b covers the scenarios, doses and p_dlt of folder a, in order. */
static bool same_scenarios(const char *cmd, const folder_t *a, const folder_t *b)
{
    const cli_table_t *sa = &a->summary, *sb = &b->summary;
    if (sa->n_rows != sb->n_rows) {
        cli_error(cmd,
                  "%s: %d scenarios, where %s has %d: a report sets side by side results over "
                  "the same scenarios",
                  sb->path, sb->n_rows, sa->path, sa->n_rows);
        return false;
    }
    for (int s = 0; s < sa->n_rows; s++) {
        const char *name = cell(sa, s, DS_COL_SCENARIO);
        if (strcmp(name, cell(sb, s, DS_COL_SCENARIO)) != 0) {
            cli_error(cmd,
                      "%s:%ld: field 'scenario': '%s', where %s:%ld has '%s': a report sets side "
                      "by side results over the same scenarios, in the same order",
                      sb->path, sb->lines[s], cell(sb, s, DS_COL_SCENARIO), sa->path, sa->lines[s],
                      name);
            return false;
        }
        int n = cli_dose_levels(&a->index, s);
        for (int level = 1; level <= n; level++) {
            int ra = cli_dose_row(&a->index, s, level), rb = cli_dose_row(&b->index, s, level);
            const char *field = NULL;
            if (strcmp(cell(&a->doses, ra, DS_COL_DOSE_LABEL),
                       cell(&b->doses, rb, DS_COL_DOSE_LABEL)) != 0) {
                field = DS_COL_DOSE_LABEL;
            } else if (num(&a->doses, ra, DS_COL_P_DLT) != num(&b->doses, rb, DS_COL_P_DLT)) {
                field = DS_COL_P_DLT;
            }
            if (field != NULL) {
                cli_error(cmd,
                          "%s:%ld: field '%s': '%s' at level %d of '%s', where %s:%ld has '%s': "
                          "the same scenarios are needed",
                          b->doses.path, b->doses.lines[rb], field, cell(&b->doses, rb, field),
                          level, name, a->doses.path, a->doses.lines[ra],
                          cell(&a->doses, ra, field));
                return false;
            }
        }
    }
    return true;
}

/* The folder's last name ("designs/3plus3" gives "3plus3"). */
static void base_name(const char *dir, const char **start, int *len)
{
    size_t end = strlen(dir);
    while (end > 1 && dir[end - 1] == '/') {
        end--;
    }
    size_t from = end;
    while (from > 0 && dir[from - 1] != '/') {
        from--;
    }
    *start = dir + from;
    *len = (int)(end - from);
}

/* Each folder's label: its design, and its folder when another has the same
 * design (the whole path given when even the last names agree). */
static void make_labels(report_t *rep)
{
    for (int i = 0; i < rep->n; i++) {
        folder_t *f = &rep->f[i];
        const char *design = cell(&f->summary, 0, DS_COL_DESIGN);
        const char *base;
        int len;
        base_name(f->dir, &base, &len);
        bool shared = false, same_base = false;
        for (int j = 0; j < rep->n; j++) {
            if (j == i || strcmp(design, cell(&rep->f[j].summary, 0, DS_COL_DESIGN)) != 0) {
                continue;
            }
            shared = true;
            const char *other;
            int other_len;
            base_name(rep->f[j].dir, &other, &other_len);
            same_base |= other_len == len && strncmp(other, base, (size_t)len) == 0;
        }
        if (!shared) {
            snprintf(f->label, sizeof(f->label), "%s", design);
        } else if (!same_base) {
            snprintf(f->label, sizeof(f->label), "%s (%.*s)", design, len, base);
        } else {
            snprintf(f->label, sizeof(f->label), "%s (%s)", design, f->dir);
        }
        f->label[ds_utf8_invalid_at(f->label, strlen(f->label))] = '\0'; /* a cut character */
    }
}

/* ---- numbers and words ---- */

/* A number as the text of a sentence: shortest form (ds_format_double). */
static const char *shortest(double x, char buf[DS_DOUBLE_CHARS])
{
    ds_format_double(x, buf);
    return buf;
}

/* A whole number's digits (a count the results hold) in groups of three:
 * 1000000 as 1,000,000. Other text as it is. */
static const char *grouped(const char *digits, char buf[40])
{
    size_t n = strlen(digits);
    if (n == 0 || n > 26 || strspn(digits, "0123456789") != n) {
        return digits;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            buf[at++] = ',';
        }
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
    return buf;
}

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* A scenario's dose label at level (1-based) in folder f, or "level N". */
static const char *dose_label(const folder_t *f, int s, int level, char buf[32])
{
    int r = cli_dose_row(&f->index, s, level);
    if (r >= 0) {
        return cell(&f->doses, r, DS_COL_DOSE_LABEL);
    }
    snprintf(buf, 32, "level %d", level);
    return buf;
}

/* The doses row of scenario s's none row (level 0), or -1. */
static int none_row(const folder_t *f, int s)
{
    for (int r = 0; r < f->doses.n_rows; r++) {
        if (f->scenario_of_dose[r] == s && num(&f->doses, r, DS_COL_DOSE_LEVEL) == 0.0) {
            return r;
        }
    }
    return -1;
}

/* ---- the design, in words and as its decision table ---- */

static const char *design_source(const ds_design_t *d)
{
    if (strcmp(d->name, "3+3") == 0) {
        return "the 3+3 (Storer, Biometrics 1989; Le Tourneau, Lee & Siu, J Natl Cancer Inst "
               "2009)";
    }
    if (strcmp(d->name, "3+3+3") == 0) {
        return "the 3+3+3 (Hansen, Graham, Pond & Siu, Cancer Control 2014)";
    }
    if (strncmp(d->name, "ab:", 3) == 0) {
        return "an A+B design (Lin & Shih, Biostatistics 2001)";
    }
    if (d->family == &ds_family_rolling_six) {
        return "the rolling six (Skolnik et al., J Clin Oncol 2008)";
    }
    switch (d->interval.kind) {
    case DS_INTERVAL_BOIN:
        return "the Bayesian optimal interval design, BOIN (Liu & Yuan, J R Stat Soc C 2015)";
    case DS_INTERVAL_I3P3:
        return "the i3+3 design (Liu, Wang & Ji, Stat Biopharm Res 2020)";
    case DS_INTERVAL_MTPI2:
        return "the mTPI-2 design (Guo et al., Contemp Clin Trials 2017)";
    case DS_INTERVAL_KEYBOARD:
        return "the Keyboard design (Yan, Mandrekar & Yuan, Clin Cancer Res 2017)";
    default:
        break;
    }
    return "a stage table";
}

/* The DLT counts the rules can meet at each stage's patients: all at the
 * first; at a later one, those reached from an earlier count that goes on (to
 * the next stage, or, with top-dose expansion or de-escalation, on an early
 * escalation). reach[s][d]. */
static void reachable(const ds_design_t *d,
                      bool reach[DS_MAX_STAGES][DS_MAX_PATIENTS_PER_LEVEL + 1])
{
    memset(reach, 0, sizeof(bool) * DS_MAX_STAGES * (DS_MAX_PATIENTS_PER_LEVEL + 1));
    bool continues_on_escalate = d->top_dose == DS_TOP_EXPAND || d->deescalate;
    ds_trial_t trial;
    memset(&trial, 0, sizeof(trial));
    trial.n_levels = 1;
    for (int x = 0; x <= d->stages[0].n_cum; x++) {
        reach[0][x] = true;
    }
    for (int s = 1; s < d->n_stages; s++) {
        int step = d->stages[s].n_cum - d->stages[s - 1].n_cum;
        for (int x = 0; x <= d->stages[s - 1].n_cum; x++) {
            if (!reach[s - 1][x]) {
                continue;
            }
            trial.patients[0] = d->stages[s - 1].n_cum;
            trial.dlts[0] = x;
            ds_band_t band = d->family->verdict(d, &trial, 0);
            if (band == DS_BAND_MORE || (band == DS_BAND_ESCALATE && continues_on_escalate)) {
                for (int y = x; y <= x + step && y <= DS_MAX_PATIENTS_PER_LEVEL; y++) {
                    reach[s][y] = true;
                }
            }
        }
    }
}

/* What the counts (patients, x DLTs) at a dose say, in the table's words. */
static const char *verdict_word(const ds_design_t *d, int s, int x, char buf[48])
{
    ds_trial_t trial;
    memset(&trial, 0, sizeof(trial));
    trial.n_levels = 1;
    trial.patients[0] = d->stages[s].n_cum;
    trial.dlts[0] = x;
    switch (d->family->verdict(d, &trial, 0)) {
    case DS_BAND_ESCALATE:
        return "escalate";
    case DS_BAND_MORE:
        if (s + 1 < d->n_stages) {
            snprintf(buf, 48, "%d more", d->stages[s + 1].n_cum - d->stages[s].n_cum);
            return buf;
        }
        return "more";
    case DS_BAND_TOO_TOXIC:
        return "too toxic";
    default:
        return "";
    }
}

/* A range of counts "a" or "a-b" of the DLTs at stage s with this verdict word. */
static void counts_with(const ds_design_t *d, int s, const bool *reach, const char *word, char *out,
                        size_t size)
{
    out[0] = '\0';
    char scratch[48];
    int n = d->stages[s].n_cum;
    for (int x = 0; x <= n; x++) {
        if (!reach[x] || strcmp(verdict_word(d, s, x, scratch), word) != 0) {
            continue;
        }
        int y = x;
        while (y + 1 <= n && reach[y + 1] &&
               strcmp(verdict_word(d, s, y + 1, scratch), word) == 0) {
            y++;
        }
        size_t at = strlen(out);
        if (y == x) {
            snprintf(out + at, size - at, "%s%d", at > 0 ? ", " : "", x);
        } else {
            snprintf(out + at, size - at, "%s%d\xE2\x80\x93%d", at > 0 ? ", " : "", x, y);
        }
        x = y;
    }
}

static void decision_table_stages(cli_doc_t *doc, const ds_design_t *d)
{
    static bool reach[DS_MAX_STAGES][DS_MAX_PATIENTS_PER_LEVEL + 1];
    reachable(d, reach);
    const int full = ds_design_full_count(d);
    char word[48];
    cli_doc_para(doc);
    cli_doc_textf(doc, "The decision table: what the patients at a dose and their DLTs (counted "
                       "together over the stages) say. Empty: counts these rules never reach.");
    cli_doc_para_end(doc);
    if (full <= 12) {
        /* A grid: a row per stage, a column per DLT count. */
        char columns[CLI_DOC_MAX_COLUMNS + 1] = "l";
        for (int x = 0; x <= full; x++) {
            strcat(columns, "c");
        }
        cli_doc_table(doc, columns);
        cli_doc_row(doc);
        cli_doc_cell(doc);
        cli_doc_text(doc, "patients at the dose");
        for (int x = 0; x <= full; x++) {
            cli_doc_cell(doc);
            cli_doc_textf(doc, "%d %s", x, plural(x, "DLT", "DLTs"));
        }
        cli_doc_row_end(doc);
        for (int s = 0; s < d->n_stages; s++) {
            cli_doc_row(doc);
            cli_doc_cell(doc);
            cli_doc_textf(doc, "%d", d->stages[s].n_cum);
            for (int x = 0; x <= full; x++) {
                cli_doc_cell(doc);
                if (x <= d->stages[s].n_cum && reach[s][x]) {
                    cli_doc_text(doc, verdict_word(d, s, x, word));
                }
            }
            cli_doc_row_end(doc);
        }
        cli_doc_table_end(doc);
    } else {
        /* Too many counts for a column each: the counts of each verdict. */
        cli_doc_table(doc, "rlll");
        cli_doc_row(doc);
        static const char *const head[] = {"patients at the dose", "escalate with (DLTs)",
                                           "treat more with (DLTs)", "too toxic with (DLTs)"};
        for (size_t k = 0; k < COUNT(head); k++) {
            cli_doc_cell(doc);
            cli_doc_text(doc, head[k]);
        }
        cli_doc_row_end(doc);
        for (int s = 0; s < d->n_stages; s++) {
            char counts[600];
            cli_doc_row(doc);
            cli_doc_cell(doc);
            cli_doc_textf(doc, "%d", d->stages[s].n_cum);
            cli_doc_cell(doc);
            counts_with(d, s, reach[s], "escalate", counts, sizeof(counts));
            cli_doc_text(doc, counts);
            cli_doc_cell(doc);
            counts_with(d, s, reach[s], verdict_word(d, s, d->stages[s].esc_max + 1, word), counts,
                        sizeof(counts));
            if (d->stages[s].esc_max + 1 < d->stages[s].tox_min) {
                cli_doc_text(doc, counts);
            }
            cli_doc_cell(doc);
            counts_with(d, s, reach[s], "too toxic", counts, sizeof(counts));
            cli_doc_text(doc, counts);
            cli_doc_row_end(doc);
        }
        cli_doc_table_end(doc);
    }
}

static void decision_table_rolling_six(cli_doc_t *doc, const ds_design_t *d)
{
    static const char *const words[] = {"same dose", "escalate", "de-escalate", "suspend"};
    const int full = ds_design_full_count(d);
    const int too_toxic = d->stages[d->n_stages - 1].tox_min;
    cli_doc_para(doc);
    cli_doc_textf(doc, "The decision for the next patient (Skolnik et al.'s Table 1, as dosesim "
                       "reads it), by the patients enrolled at the dose, the DLTs among them and "
                       "those still pending (in the window, no DLT yet):");
    cli_doc_para_end(doc);
    char columns[CLI_DOC_MAX_COLUMNS + 1] = "rr";
    for (int p = 0; p <= full && p < CLI_DOC_MAX_COLUMNS - 2; p++) {
        strcat(columns, "c");
    }
    cli_doc_table(doc, columns);
    cli_doc_row(doc);
    cli_doc_cell(doc);
    cli_doc_text(doc, "enrolled");
    cli_doc_cell(doc);
    cli_doc_text(doc, "DLTs");
    for (int p = 0; p <= full && p < CLI_DOC_MAX_COLUMNS - 2; p++) {
        cli_doc_cell(doc);
        cli_doc_textf(doc, "%d pending", p);
    }
    cli_doc_row_end(doc);
    for (int n = 2; n <= full; n++) {
        for (int x = 0; x <= too_toxic && x <= n; x++) {
            cli_doc_row(doc);
            cli_doc_cell(doc);
            cli_doc_textf(doc, "%d", n);
            cli_doc_cell(doc);
            cli_doc_textf(doc, "%d", x);
            for (int p = 0; p <= full && p < CLI_DOC_MAX_COLUMNS - 2; p++) {
                cli_doc_cell(doc);
                if (p <= n - x) {
                    cli_doc_text(doc, words[ds_rolling_six_decide(d, n, x, p)]);
                }
            }
            cli_doc_row_end(doc);
        }
    }
    cli_doc_table_end(doc);
}

static void describe_stages(cli_doc_t *doc, const ds_design_t *d)
{
    for (int s = 0; s < d->n_stages; s++) {
        const ds_stage_t *st = &d->stages[s];
        cli_doc_item(doc);
        cli_doc_textf(doc, "stage %d: %d %s at the dose%s; ", s + 1, st->n_cum,
                      plural(st->n_cum, "patient", "patients"), s > 0 ? " in all" : "");
        if (st->esc_max >= 0) {
            cli_doc_textf(doc, "escalate with at most %d %s", st->esc_max,
                          plural(st->esc_max, "DLT", "DLTs"));
        } else {
            cli_doc_text(doc, "never escalate here");
        }
        if (st->tox_min <= st->n_cum) {
            cli_doc_textf(doc, "; too toxic from %d %s", st->tox_min,
                          plural(st->tox_min, "DLT", "DLTs"));
        }
        if (s + 1 < d->n_stages && st->esc_max + 1 < st->tox_min) {
            int more = d->stages[s + 1].n_cum - st->n_cum;
            cli_doc_textf(doc, "; in between, stage %d (%d more)", s + 2, more);
        }
    }
}

/* An interval design: its conduct in a sentence and its decision table, a
 * row per number of patients at the dose (as dosesim table prints it). */
static void describe_interval(cli_doc_t *doc, const ds_design_t *d)
{
    const ds_interval_rules_t *r = &d->interval;
    char t[DS_DOUBLE_CHARS];
    ds_format_double(r->target, t);
    cli_doc_para(doc);
    cli_doc_textf(doc,
                  "Cohorts of %d at the current dose, %d patients in all, target DLT rate %s; "
                  "after each cohort the counts at the dose are read in the table below "
                  "(escalate, stay, de-escalate, or eliminate the dose and all above it). "
                  "The trial stops with no MTD if the lowest dose is eliminated; at the end "
                  "the dose whose isotonic estimate of the DLT rate is nearest the target is "
                  "selected (the conduct and selection of R BOIN 2.7.2).",
                  r->cohort_size, r->max_n, t);
    cli_doc_para_end(doc);
    cli_doc_table(doc, "rlll");
    cli_doc_row(doc);
    static const char *const head[] = {"patients at the dose", "escalate if DLTs at most",
                                       "de-escalate from (DLTs)", "eliminate from (DLTs)"};
    for (size_t k = 0; k < COUNT(head); k++) {
        cli_doc_cell(doc);
        cli_doc_text(doc, head[k]);
    }
    cli_doc_row_end(doc);
    for (int n = r->cohort_size; n <= r->max_n; n += r->cohort_size) {
        const int cells[] = {r->esc_max[n], r->deesc_min[n], n >= 3 ? r->elim_min[n] : n + 1};
        cli_doc_row(doc);
        cli_doc_cell(doc);
        cli_doc_textf(doc, "%d", n);
        for (int k = 0; k < 3; k++) {
            cli_doc_cell(doc);
            if (k == 0 ? cells[k] >= 0 : cells[k] <= n) {
                cli_doc_textf(doc, "%d", cells[k]);
            } else {
                cli_doc_text(doc, "never");
            }
        }
        cli_doc_row_end(doc);
    }
    cli_doc_table_end(doc);
}

/* Whether two folders ran the same rules with the same options. */
static bool same_rules(const folder_t *a, const folder_t *b)
{
    static const char *const columns[] = {DS_COL_DESIGN, DS_COL_DEESCALATE, DS_COL_TOP_DOSE,
                                          DS_COL_START_LEVEL};
    for (size_t k = 0; k < COUNT(columns); k++) {
        if (strcmp(cell(&a->summary, 0, columns[k]), cell(&b->summary, 0, columns[k])) != 0) {
            return false;
        }
    }
    return true;
}

/* The rules of folder f (and of those after it with the same), in words and
 * as the decision table. */
static void describe_rules(cli_doc_t *doc, const report_t *rep, const folder_t *f)
{
    const cli_table_t *s = &f->summary;
    const ds_design_t *d = &f->design;
    char label[32];
    const bool stages = f->design_known && d->family == &ds_family_stages;
    const bool rolling = f->design_known && d->family == &ds_family_rolling_six;
    const bool interval = f->design_known && ds_design_is_interval(d);
    const int full = f->design_known ? ds_design_full_count(d) : 0;
    cli_doc_heading(doc, 2);
    cli_doc_name(doc, cell(s, 0, DS_COL_DESIGN));
    cli_doc_heading_end(doc, 2);
    cli_doc_para(doc);
    cli_doc_name(doc, cell(s, 0, DS_COL_DESIGN));
    if (stages || rolling || interval) {
        cli_doc_textf(doc, ": %s.", design_source(d));
    } else if (strncmp(cell(s, 0, DS_COL_DESIGN), DS_INTERVAL_TABLE_PREFIX,
                       strlen(DS_INTERVAL_TABLE_PREFIX)) == 0) {
        cli_doc_text(doc, ": a decision table of the user's (--decision-table). The results "
                          "record only its name, so it cannot be rebuilt from them: see the "
                          "file itself.");
    } else if (strncmp(cell(s, 0, DS_COL_DESIGN), "rules:", 6) == 0) {
        cli_doc_text(doc, ": a rule table of the user's (--rules). The results record only its "
                          "name, so its stages cannot be rebuilt from them: see the file itself.");
    } else {
        cli_doc_text(doc, ": not a design dosesim knows by name, so its rules are not shown.");
    }
    if (stages) {
        cli_doc_text(doc, " Cohorts at each dose, by the stage table (counts cumulative at the "
                          "dose):");
    } else if (rolling) {
        cli_doc_textf(doc,
                      " Patients are enrolled one at a time, up to %d at a dose while "
                      "earlier ones are still in their DLT window; each event is read "
                      "against the table below.",
                      full);
    }
    cli_doc_para_end(doc);
    if (interval || strncmp(cell(s, 0, DS_COL_DESIGN), DS_INTERVAL_TABLE_PREFIX,
                            strlen(DS_INTERVAL_TABLE_PREFIX)) == 0) {
        if (interval) {
            describe_interval(doc, d);
        }
        cli_doc_para(doc);
        cli_doc_textf(doc, "Start: dose level %d (", (int)num(s, 0, DS_COL_START_LEVEL));
        cli_doc_name(doc, dose_label(&rep->f[0], 0, (int)num(s, 0, DS_COL_START_LEVEL), label));
        cli_doc_text(doc, ").");
        cli_doc_para_end(doc);
        return;
    }
    cli_doc_list(doc);
    if (stages) {
        describe_stages(doc, d);
        cli_doc_list_end(doc);
        cli_doc_list(doc);
    }
    cli_doc_item(doc);
    if (f->design.deescalate) {
        if (f->design_known) {
            cli_doc_textf(doc,
                          "De-escalation: when a dose is too toxic, the next lower dose "
                          "becomes the RP2D only on its full count (%d %s); with fewer, "
                          "more patients are treated there first.",
                          full, plural(full, "patient", "patients"));
        } else {
            cli_doc_text(doc, "De-escalation: when a dose is too toxic, the next lower dose "
                              "becomes the RP2D only on its full count.");
        }
    } else {
        cli_doc_text(doc, "No de-escalation: the dose below a too-toxic one is the RP2D as it "
                          "stands.");
    }
    cli_doc_item(doc);
    if (f->design.top_dose == DS_TOP_EXPAND) {
        cli_doc_text(doc, "Top dose: the highest dose allowed, meeting the escalation rule "
                          "before its full count, gets the next stage, so that the RP2D rests "
                          "on the full count.");
    } else {
        cli_doc_text(doc, "Top dose: the highest dose allowed, meeting the escalation rule, is "
                          "the RP2D as it stands.");
    }
    cli_doc_item(doc);
    int start = (int)num(s, 0, DS_COL_START_LEVEL);
    cli_doc_textf(doc, "Start: dose level %d (", start);
    cli_doc_name(doc, dose_label(&rep->f[0], 0, start, label));
    cli_doc_text(doc, ").");
    cli_doc_list_end(doc);
    if (stages) {
        decision_table_stages(doc, d);
        cli_doc_para(doc);
        cli_doc_text(doc, "Escalate: to the next dose; at the highest dose allowed, that dose is "
                          "the RP2D (see Top dose). Too toxic: the dose and those above are "
                          "closed, and the next lower dose is considered (see De-escalation); "
                          "below the lowest, there is no RP2D.");
        cli_doc_para_end(doc);
    } else if (rolling) {
        decision_table_rolling_six(doc, d);
    }
}

/* A row per folder: how its numbers were obtained, and where they are (the
 * folder and the run_id in one column, so that the table fits a page). */
static void results_table(cli_doc_t *doc, const report_t *rep)
{
    char a[DS_DOUBLE_CHARS], b[DS_DOUBLE_CHARS], c[DS_DOUBLE_CHARS];
    cli_doc_table(doc, "lwwlw");
    cli_doc_row(doc);
    static const char *const head[] = {"results", "method", "calendar", "target", "folder, run"};
    for (size_t k = 0; k < COUNT(head); k++) {
        cli_doc_cell(doc);
        cli_doc_text(doc, head[k]);
    }
    cli_doc_row_end(doc);
    for (int i = 0; i < rep->n; i++) {
        const folder_t *f = &rep->f[i];
        const cli_table_t *s = &f->summary;
        cli_doc_row(doc);
        cli_doc_cell(doc);
        cli_doc_name(doc, f->label);
        cli_doc_cell(doc);
        if (f->mc) {
            char trials[40];
            cli_doc_textf(doc, "Monte Carlo, %s trials per scenario, seed %s",
                          grouped(cell(s, 0, DS_COL_N_TRIALS), trials), cell(s, 0, DS_COL_SEED));
        } else {
            cli_doc_text(doc, "exact (every trial summed)");
        }
        cli_doc_cell(doc);
        if (f->timed) {
            cli_doc_textf(doc, "%s patients per 30 days, %s-day DLT window, DLT onset ",
                          shortest(num(s, 0, DS_COL_ACCRUAL_PER_30_DAYS), a),
                          shortest(num(s, 0, DS_COL_WINDOW_DAYS), b));
            cli_doc_name(doc, cell(s, 0, DS_COL_DLT_ONSET));
            cli_doc_textf(doc, ", dropout %s", shortest(num(s, 0, DS_COL_DROPOUT), c));
        } else {
            cli_doc_textf(doc, "not simulated (%s-day DLT window)",
                          shortest(num(s, 0, DS_COL_WINDOW_DAYS), a));
        }
        cli_doc_cell(doc);
        cli_doc_textf(doc, "%s, acceptable %s to %s", shortest(num(s, 0, DS_COL_TARGET), a),
                      shortest(num(s, 0, DS_COL_TARGET_LO), b),
                      shortest(num(s, 0, DS_COL_TARGET_HI), c));
        cli_doc_cell(doc);
        cli_doc_name(doc, f->dir);
        cli_doc_text(doc, ", run ");
        cli_doc_name(doc, cell(s, 0, DS_COL_RUN_ID));
        cli_doc_row_end(doc);
    }
    cli_doc_table_end(doc);
}

/* ---- the tables of a scenario ---- */

/* Unicode bars for Markdown, where no figure is drawn: 20 cells for 1. */
static void text_bar(cli_doc_t *doc, double p)
{
    static const char *const eighths[] = {"",
                                          "\xE2\x96\x8F",
                                          "\xE2\x96\x8E",
                                          "\xE2\x96\x8D",
                                          "\xE2\x96\x8C",
                                          "\xE2\x96\x8B",
                                          "\xE2\x96\x8A",
                                          "\xE2\x96\x89"};
    if (isnan(p)) {
        return;
    }
    long units = lround(fmax(0.0, fmin(1.0, p)) * 160.0);
    for (long i = 0; i < units / 8; i++) {
        fputs("\xE2\x96\x88", doc->out);
    }
    fputs(eighths[units % 8], doc->out);
}

static void interval_cell(cli_doc_t *doc, const folder_t *f, double lo, double hi)
{
    cli_doc_cell(doc);
    if (!f->mc) {
        cli_doc_text(doc, "exact");
        return;
    }
    cli_doc_number(doc, lo, 4);
    cli_doc_text(doc, "\xE2\x80\x93");
    cli_doc_number(doc, hi, 4);
}

static void dose_table(cli_doc_t *doc, const report_t *rep, int s)
{
    const bool several = rep->n > 1, md = doc->kind == DS_MARKUP_MARKDOWN;
    const folder_t *first = &rep->f[0];
    char columns[16];
    snprintf(columns, sizeof(columns), "lr%srRrr%s", several ? "l" : "", md ? "l" : "");
    cli_doc_table(doc, columns);
    cli_doc_row(doc);
    const char *head[] = {"dose",         "p_dlt",    "design", "P(RP2D)",
                          "95% interval", "patients", "DLTs",   "P(RP2D), 20 blocks for 1"};
    for (size_t k = 0; k < COUNT(head); k++) {
        if ((k == 2 && !several) || (k == 7 && !md)) {
            continue;
        }
        cli_doc_cell(doc);
        cli_doc_text(doc, head[k]);
    }
    cli_doc_row_end(doc);
    const int levels = cli_dose_levels(&first->index, s);
    for (int level = 1; level <= levels + 1; level++) {
        const bool none = level > levels;
        for (int i = 0; i < rep->n; i++) {
            const folder_t *f = &rep->f[i];
            int r = none ? none_row(f, s) : cli_dose_row(&f->index, s, level);
            cli_doc_row(doc);
            cli_doc_cell(doc);
            if (i == 0 && none) {
                cli_doc_strong(doc, "no RP2D");
            } else if (i == 0) {
                cli_doc_name(doc, cell(&f->doses, r, DS_COL_DOSE_LABEL));
                if (strcmp(cell(&f->doses, r, DS_COL_TRUE_MTD), DS_YES) == 0) {
                    cli_doc_text(doc, " (true MTD)");
                }
            }
            cli_doc_cell(doc);
            if (i == 0 && !none) {
                cli_doc_number(doc, num(&f->doses, r, DS_COL_P_DLT), 3);
            }
            if (several) {
                cli_doc_cell(doc);
                cli_doc_name(doc, f->label);
            }
            double p = none ? num(&f->summary, s, DS_COL_PROB_NO_RP2D)
                            : num(&f->doses, r, DS_COL_PROB_RP2D);
            cli_doc_cell(doc);
            cli_doc_number(doc, p, 4);
            if (none) {
                interval_cell(doc, f, num(&f->summary, s, DS_COL_PROB_NO_RP2D_LO),
                              num(&f->summary, s, DS_COL_PROB_NO_RP2D_HI));
                cli_doc_cell(doc);
                cli_doc_cell(doc);
            } else {
                interval_cell(doc, f, num(&f->doses, r, DS_COL_PROB_RP2D_LO),
                              num(&f->doses, r, DS_COL_PROB_RP2D_HI));
                cli_doc_cell(doc);
                cli_doc_number(doc, num(&f->doses, r, DS_COL_MEAN_N_TREATED_AT_DOSE), 2);
                cli_doc_cell(doc);
                cli_doc_number(doc, num(&f->doses, r, DS_COL_MEAN_N_DLT_AT_DOSE), 2);
            }
            if (md) {
                cli_doc_cell(doc);
                text_bar(doc, p);
            }
            cli_doc_row_end(doc);
        }
    }
    cli_doc_table_end(doc);
}

static void summary_table(cli_doc_t *doc, const report_t *rep, int s)
{
    const bool timed = rep->any_timed;
    cli_doc_table(doc, timed ? "lrrrrrrrr" : "lrrrrrr");
    cli_doc_row(doc);
    const char *head[] = {"design",
                          "P(no RP2D)",
                          "P(correct selection)",
                          "P(over\302\255dose selection)", /* U+00AD: it may break there */
                          "E[N]",
                          "sd of N evaluable",
                          "DLTs",
                          "mean days",
                          "median days"};
    for (size_t k = 0; k < COUNT(head) - (timed ? 0 : 2); k++) {
        cli_doc_cell(doc);
        cli_doc_text(doc, head[k]);
    }
    cli_doc_row_end(doc);
    for (int i = 0; i < rep->n; i++) {
        const cli_table_t *t = &rep->f[i].summary;
        cli_doc_row(doc);
        cli_doc_cell(doc);
        cli_doc_name(doc, rep->f[i].label);
        static const struct {
            const char *column;
            int decimals;
        } values[] = {
            {DS_COL_PROB_NO_RP2D, 4},       {DS_COL_PROB_CORRECT_SELECTION, 4},
            {DS_COL_PROB_SELECT_ABOVE, 4},  {DS_COL_MEAN_N_TREATED, 2},
            {DS_COL_SD_N_EVALUABLE, 2},     {DS_COL_MEAN_N_DLT, 2},
            {DS_COL_MEAN_DURATION_DAYS, 1}, {DS_COL_P50_DURATION_DAYS, 1},
        };
        for (size_t k = 0; k < COUNT(values) - (timed ? 0 : 2); k++) {
            cli_doc_cell(doc);
            cli_doc_number(doc, num(t, s, values[k].column), values[k].decimals);
        }
        cli_doc_row_end(doc);
    }
    cli_doc_table_end(doc);
}

/* Folder f's optimisation.csv row for scenario s at level (0: the none row), or -1. */
static int optimisation_row(const folder_t *f, int s, int level)
{
    return cli_optimisation_row(&f->optimisation, cell(&f->summary, s, DS_COL_SCENARIO), level);
}

/* With response rates (optimisation.csv): the truly optimal dose, and for each
 * folder the final doses after its randomised stage (or the RP2D, without
 * one), P(optimal), and the patients in all. Nothing without them. */
static void optimisation_table(cli_doc_t *doc, const report_t *rep, int s)
{
    const folder_t *with = NULL;
    for (int i = 0; i < rep->n && with == NULL; i++) {
        with = optimisation_row(&rep->f[i], s, 0) >= 0 ? &rep->f[i] : NULL;
    }
    if (with == NULL) {
        return;
    }
    const int levels = cli_dose_levels(&with->index, s);
    char a[DS_DOUBLE_CHARS];
    cli_doc_para(doc);
    cli_doc_text(doc, "Response rates: ");
    for (int level = 1; level <= levels; level++) {
        const int r = optimisation_row(with, s, level);
        cli_doc_text(doc, level > 1 ? ", " : "");
        cli_doc_name(doc, cell(&with->optimisation, r, DS_COL_DOSE_LABEL));
        cli_doc_textf(doc, " %s", shortest(num(&with->optimisation, r, DS_COL_P_RESPONSE), a));
    }
    const int none = optimisation_row(with, s, 0);
    cli_doc_text(doc, ". The optimal dose");
    cli_doc_textf(
        doc, " (margin %s): ", shortest(num(&with->optimisation, none, DS_COL_OPTIMISE_DELTA), a));
    if (num(&with->optimisation, none, DS_COL_TRUE_OPTIMAL_LEVEL) > 0.0) {
        cli_doc_name(doc, cell(&with->optimisation, none, DS_COL_TRUE_OPTIMAL_LABEL));
    } else {
        cli_doc_text(doc, "none (no dose is acceptable)");
    }
    cli_doc_text(doc, ". The final dose is the RP2D, or after a randomised stage (--optimise) "
                      "the dose it keeps.");
    cli_doc_para_end(doc);
    char columns[CLI_DOC_MAX_COLUMNS + 1];
    int n_columns = 0;
    columns[n_columns++] = 'l';
    for (int level = 0; level <= levels + 3 && n_columns < CLI_DOC_MAX_COLUMNS - 1; level++) {
        columns[n_columns++] = 'r';
    }
    columns[n_columns++] = 'l';
    columns[n_columns] = '\0';
    cli_doc_table(doc, columns);
    cli_doc_row(doc);
    cli_doc_cell(doc);
    cli_doc_text(doc, "design");
    for (int level = 1; level <= levels; level++) {
        cli_doc_cell(doc);
        cli_doc_text(doc, "final ");
        cli_doc_name(
            doc, cell(&with->optimisation, optimisation_row(with, s, level), DS_COL_DOSE_LABEL));
    }
    bool backfilled = false; /* a folder backfilled: its patients beside the stage */
    for (int i = 0; i < rep->n; i++) {
        const int r0 = optimisation_row(&rep->f[i], s, 0);
        backfilled |= r0 >= 0 && !isnan(num(&rep->f[i].optimisation, r0, DS_COL_MEAN_N_BACKFILLED));
    }
    const char *const head[] = {"no dose", "P(optimal)", "P(above optimal)", "E[N] in all",
                                backfilled ? "randomised (backfilled)" : "randomised"};
    for (size_t k = 0; k < COUNT(head); k++) {
        cli_doc_cell(doc);
        cli_doc_text(doc, head[k]);
    }
    cli_doc_row_end(doc);
    for (int i = 0; i < rep->n; i++) {
        const folder_t *f = &rep->f[i];
        const int r0 = optimisation_row(f, s, 0);
        cli_doc_row(doc);
        cli_doc_cell(doc);
        cli_doc_name(doc, f->label);
        if (r0 < 0) {
            cli_doc_cell(doc);
            cli_doc_text(doc, "(no response rates in its results)");
            cli_doc_row_end(doc);
            continue;
        }
        for (int level = 1; level <= levels; level++) {
            cli_doc_cell(doc);
            cli_doc_number(
                doc, num(&f->optimisation, optimisation_row(f, s, level), DS_COL_PROB_FINAL), 4);
        }
        const cli_table_t *o = &f->optimisation;
        static const char *const values[] = {DS_COL_PROB_FINAL, DS_COL_PROB_SELECT_OPTIMAL,
                                             DS_COL_PROB_SELECT_ABOVE_OPTIMAL};
        for (size_t k = 0; k < COUNT(values); k++) {
            cli_doc_cell(doc);
            cli_doc_number(doc, num(o, r0, values[k]), 4);
        }
        cli_doc_cell(doc);
        cli_doc_number(doc, num(o, r0, DS_COL_MEAN_N_OVERALL), 2);
        cli_doc_cell(doc);
        const int n = (int)num(o, r0, DS_COL_OPTIMISE_N_PER_ARM);
        if (n > 0) {
            cli_doc_textf(doc, "%d a dose", n);
        } else {
            cli_doc_text(doc, "none");
        }
        const double its_backfilled = num(o, r0, DS_COL_MEAN_N_BACKFILLED);
        if (!isnan(its_backfilled)) {
            cli_doc_text(doc, " (");
            cli_doc_number(doc, its_backfilled, 2);
            cli_doc_text(doc, ")");
        }
        cli_doc_row_end(doc);
    }
    cli_doc_table_end(doc);
}

static void scenario_section(cli_doc_t *doc, const report_t *rep, int s)
{
    const folder_t *f = &rep->f[0];
    const cli_table_t *t = &f->summary;
    char a[DS_DOUBLE_CHARS], b[DS_DOUBLE_CHARS];
    cli_doc_heading(doc, 2);
    cli_doc_text(doc, "Scenario ");
    cli_doc_name(doc, cell(t, s, DS_COL_SCENARIO));
    cli_doc_heading_end(doc, 2);
    cli_doc_para(doc);
    cli_doc_text(doc, "True DLT probabilities: ");
    const int levels = cli_dose_levels(&f->index, s);
    for (int level = 1; level <= levels; level++) {
        int r = cli_dose_row(&f->index, s, level);
        cli_doc_text(doc, level > 1 ? ", " : "");
        cli_doc_name(doc, cell(&f->doses, r, DS_COL_DOSE_LABEL));
        cli_doc_textf(doc, " %s", shortest(num(&f->doses, r, DS_COL_P_DLT), a));
    }
    cli_doc_text(doc, ". ");
    if (num(t, s, DS_COL_TRUE_MTD_LEVEL) > 0.0) {
        cli_doc_text(doc, "True MTD: ");
        cli_doc_name(doc, cell(t, s, DS_COL_TRUE_MTD_LABEL));
    } else {
        cli_doc_text(doc, "No true MTD: no dose's p_dlt lies in the target interval");
    }
    cli_doc_textf(doc, " (from %s to %s).", shortest(num(t, s, DS_COL_TARGET_LO), a),
                  shortest(num(t, s, DS_COL_TARGET_HI), b));
    cli_doc_para_end(doc);
    dose_table(doc, rep, s);
    summary_table(doc, rep, s);
    optimisation_table(doc, rep, s);
}

/* ---- figures ---- */

/* Width in user units of text at a size, roughly (for laying out, not measuring). */
static double text_width(const char *text, double size)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        chars += (*p & 0xC0) != 0x80;
    }
    return (double)chars * size * 0.58;
}

static void dose_colour(int level, int max_levels, char out[CLI_COLOUR_CHARS])
{
    cli_viridis(max_levels <= 1 ? 0.45 : 0.9 * (level - 1) / (max_levels - 1), out);
}

#define NONE_COLOUR "#a0a0a0"

/* A dose label for the legend: from the first scenario that has the level. */
static const char *legend_label(const report_t *rep, int level, char buf[32])
{
    for (int s = 0; s < rep->n_scenarios; s++) {
        int r = cli_dose_row(&rep->f[0].index, s, level);
        if (r >= 0) {
            return cell(&rep->f[0].doses, r, DS_COL_DOSE_LABEL);
        }
    }
    snprintf(buf, 32, "level %d", level);
    return buf;
}

/* The bars' rows: a heading per scenario when several folders are shown. */
static int bar_rows(const report_t *rep)
{
    return rep->n == 1 ? rep->n_scenarios : rep->n_scenarios * (rep->n + 1);
}

/* The legend of the doses and none at the top, wrapped; returns its height
 * (out NULL: only measures). */
static double svg_dose_legend(FILE *out, const report_t *rep, double width)
{
    double x = 20, y = 18;
    char colour[CLI_COLOUR_CHARS], generic[32];
    for (int level = 1; level <= rep->max_levels + 1; level++) {
        const bool none = level > rep->max_levels;
        const char *text = none ? "no RP2D" : legend_label(rep, level, generic);
        double w = 22 + fmin(text_width(text, 12), 180) + 18;
        if (x + w > width - 10 && x > 20) {
            x = 20;
            y += 20;
        }
        if (none) {
            snprintf(colour, sizeof(colour), NONE_COLOUR);
        } else {
            dose_colour(level, rep->max_levels, colour);
        }
        if (out != NULL) {
            cli_svg_rect(out, x, y - 11, 14, 14, colour, NULL);
            cli_svg_text(out, x + 20, y, "start", 12, false, "#1a1a1a", text);
        }
        x += w;
    }
    return y + 14;
}

/* An axis's end at or above max, at 4 steps of 1, 2, 2.5 or 5 times a power of ten. */
static double nice_max(double max)
{
    if (!(max > 0.0)) {
        return 1.0;
    }
    double step = max / 4.0, power = pow(10.0, floor(log10(step)));
    static const double steps[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    for (size_t k = 0; k < COUNT(steps); k++) {
        if (steps[k] * power >= step * (1.0 - 1e-12)) {
            return 4.0 * steps[k] * power;
        }
    }
    return 40.0 * power;
}

/* Grid lines and labels at 0, max/4, ..., max (max from nice_max). */
static void svg_axis(FILE *out, double x0, double w, double top, double bottom, double max)
{
    for (int k = 0; k <= 4; k++) {
        double x = x0 + w * k / 4.0;
        char tick[32];
        cli_svg_line(out, x, top, x, bottom, "#dddddd", 1);
        snprintf(tick, sizeof(tick), "%g", max * k / 4.0);
        cli_svg_text(out, x, bottom + 14, "middle", 11, false, "#444444", tick);
    }
}

static void svg_selection(FILE *out, const report_t *rep, int figure)
{
    const double width = 1000, label_w = 250, x0 = 262, bar_w = 700, bar_h = 18, gap = 4;
    const double top = svg_dose_legend(NULL, rep, width) + 12;
    const double height = top + bar_rows(rep) * (bar_h + gap) + rep->n_scenarios * 6 + 40;
    char clip[32], colour[CLI_COLOUR_CHARS], tip[1024], text[16];
    snprintf(clip, sizeof(clip), "labels-%d", figure);
    fputs("<figure>\n", out);
    cli_svg_begin(out, (int)width, (int)ceil(height),
                  "How often each dose is chosen as the RP2D, per scenario and design");
    svg_dose_legend(out, rep, width);
    cli_svg_clip(out, clip, 0, top - 4, label_w + 4, height - top);
    double bottom = height - 30;
    svg_axis(out, x0, bar_w, top - 4, bottom, 1.0);
    double y = top;
    for (int s = 0; s < rep->n_scenarios; s++) {
        const char *scenario = cell(&rep->f[0].summary, s, DS_COL_SCENARIO);
        if (rep->n > 1) {
            cli_svg_group(out, clip);
            cli_svg_text(out, 8, y + 13, "start", 13, true, "#1a1a1a", scenario);
            cli_svg_group_end(out);
            y += bar_h + gap;
        }
        for (int i = 0; i < rep->n; i++) {
            const folder_t *f = &rep->f[i];
            cli_svg_group(out, clip);
            cli_svg_text(out, label_w, y + 13, "end", 12, false, "#1a1a1a",
                         rep->n > 1 ? f->label : scenario);
            cli_svg_group_end(out);
            double at = x0;
            const int levels = cli_dose_levels(&f->index, s);
            for (int level = 1; level <= levels + 1; level++) {
                const bool none = level > levels;
                int r = none ? -1 : cli_dose_row(&f->index, s, level);
                double p = none ? num(&f->summary, s, DS_COL_PROB_NO_RP2D)
                                : num(&f->doses, r, DS_COL_PROB_RP2D);
                p = isnan(p) ? 0.0 : p;
                if (none) {
                    snprintf(colour, sizeof(colour), NONE_COLOUR);
                } else {
                    dose_colour(level, rep->max_levels, colour);
                }
                snprintf(tip, sizeof(tip), "%s, %s: %s %.4f", scenario, f->label,
                         none ? "no RP2D" : cell(&f->doses, r, DS_COL_DOSE_LABEL), p);
                tip[ds_utf8_invalid_at(tip, strlen(tip))] = '\0';
                cli_svg_rect(out, at, y, p * bar_w, bar_h, colour, tip);
                if (p * bar_w >= 34) {
                    snprintf(text, sizeof(text), "%.0f%%", 100 * p);
                    cli_svg_text(out, at + p * bar_w / 2, y + 13, "middle", 11, false,
                                 cli_text_colour_on(colour), text);
                }
                at += p * bar_w;
            }
            y += bar_h + gap;
        }
        y += 6;
    }
    cli_svg_text(out, x0 + bar_w / 2, height - 4, "middle", 12, false, "#1a1a1a",
                 "probability of being chosen as the RP2D");
    cli_svg_end(out);
    fprintf(out,
            "<figcaption>Figure %d. How often each dose is chosen as the RP2D, and how often "
            "none is (grey), per scenario%s. Hover over a bar for its value.</figcaption>\n"
            "</figure>\n",
            figure, rep->n > 1 ? " and design" : "");
}

/* Horizontal bars of one summary column per scenario and folder, coloured by
 * folder; with whiskers from lo to hi columns when given. */
static void svg_summary_bars(FILE *out, const report_t *rep, int figure, const char *column,
                             const char *lo_column, const char *hi_column, const char *title,
                             const char *axis, bool timed_only)
{
    const double width = 1000, label_w = 250, x0 = 262, bar_w = 640, bar_h = 16, gap = 4;
    double max = 0.0;
    for (int i = 0; i < rep->n; i++) {
        for (int s = 0; s < rep->n_scenarios; s++) {
            const char *c = hi_column != NULL ? hi_column : column;
            double v = num(&rep->f[i].summary, s, c);
            max = isnan(v) ? max : fmax(max, v);
        }
    }
    max = nice_max(max * 1.02);
    int shown = 0;
    for (int i = 0; i < rep->n; i++) {
        shown += !timed_only || rep->f[i].timed;
    }
    const double top = 20 + (rep->n > 1 ? 22 * ((shown + 3) / 4) : 0);
    const double per = rep->n > 1 ? shown + 1 : 1;
    const double height = top + rep->n_scenarios * per * (bar_h + gap) + rep->n_scenarios * 4 + 40;
    char clip[32], tip[1024], value[48];
    snprintf(clip, sizeof(clip), "labels-%d", figure);
    fputs("<figure>\n", out);
    cli_svg_begin(out, (int)width, (int)ceil(height), title);
    if (rep->n > 1) {
        int k = 0;
        for (int i = 0; i < rep->n; i++) {
            if (timed_only && !rep->f[i].timed) {
                continue;
            }
            double x = 20 + 245 * (k % 4), y = 18 + 22 * (k / 4);
            cli_svg_rect(out, x, y - 11, 14, 14, cli_okabe_ito(i), NULL);
            cli_svg_text(out, x + 20, y, "start", 12, false, "#1a1a1a", rep->f[i].label);
            k++;
        }
    }
    cli_svg_clip(out, clip, 0, top, label_w + 4, height - top);
    double bottom = height - 30;
    svg_axis(out, x0, bar_w, top, bottom, max);
    double y = top + 4;
    for (int s = 0; s < rep->n_scenarios; s++) {
        const char *scenario = cell(&rep->f[0].summary, s, DS_COL_SCENARIO);
        if (rep->n > 1) {
            cli_svg_group(out, clip);
            cli_svg_text(out, 8, y + 12, "start", 13, true, "#1a1a1a", scenario);
            cli_svg_group_end(out);
            y += bar_h + gap;
        }
        for (int i = 0; i < rep->n; i++) {
            const folder_t *f = &rep->f[i];
            if (timed_only && !f->timed) {
                continue;
            }
            double v = num(&f->summary, s, column);
            cli_svg_group(out, clip);
            cli_svg_text(out, label_w, y + 12, "end", 12, false, "#1a1a1a",
                         rep->n > 1 ? f->label : scenario);
            cli_svg_group_end(out);
            if (!isnan(v)) {
                snprintf(tip, sizeof(tip), "%s, %s: %.2f", scenario, f->label, v);
                tip[ds_utf8_invalid_at(tip, strlen(tip))] = '\0';
                cli_svg_rect(out, x0, y, v / max * bar_w, bar_h, cli_okabe_ito(i), tip);
                double end = x0 + v / max * bar_w;
                if (lo_column != NULL) {
                    double lo = num(&f->summary, s, lo_column), hi = num(&f->summary, s, hi_column);
                    if (!isnan(lo) && !isnan(hi)) {
                        double xl = x0 + lo / max * bar_w, xh = x0 + hi / max * bar_w;
                        cli_svg_line(out, xl, y + bar_h / 2, xh, y + bar_h / 2, "#1a1a1a", 1.2);
                        cli_svg_line(out, xl, y + 3, xl, y + bar_h - 3, "#1a1a1a", 1.2);
                        cli_svg_line(out, xh, y + 3, xh, y + bar_h - 3, "#1a1a1a", 1.2);
                        end = fmax(end, xh);
                    }
                }
                snprintf(value, sizeof(value), "%.2f", v);
                cli_svg_text(out, end + 6, y + 12, "start", 11, false, "#1a1a1a", value);
            }
            y += bar_h + gap;
        }
        y += 4;
    }
    cli_svg_text(out, x0 + bar_w / 2, height - 4, "middle", 12, false, "#1a1a1a", axis);
    cli_svg_end(out);
    fputs("<figcaption>", out);
    fprintf(out, "Figure %d. ", figure);
    size_t len = strlen(title);
    char *buf = malloc(len * DS_MARKUP_MAX_GROWTH + 1);
    if (buf != NULL) {
        ds_markup_escape(DS_MARKUP_HTML, 0, title, len, buf, len * DS_MARKUP_MAX_GROWTH + 1);
        fputs(buf, out);
        free(buf);
    }
    fputs(".</figcaption>\n</figure>\n", out);
}

/* The duration's distribution per scenario (duration.csv), a panel each, a
 * line per timed folder: the density over some 60 bins of whole days. */
static void svg_durations(FILE *out, const report_t *rep, int figure)
{
    double longest = 0.0;
    for (int i = 0; i < rep->n; i++) {
        const cli_table_t *t = &rep->f[i].duration;
        for (int r = 0; rep->f[i].timed && r < t->n_rows; r++) {
            longest = fmax(longest, num(t, r, DS_COL_DAYS_TO));
        }
    }
    if (!(longest > 0.0)) {
        return;
    }
    enum { BINS = 60 };
    const double range = nice_max(longest);
    const double bin = range / BINS;
    const int n_bins = BINS;
    const int cols = 2;
    const double pw = 440, ph = 170, pad = 30;
    const int rows = (rep->n_scenarios + cols - 1) / cols;
    const double width = 1000, top = 20 + 22 * ((rep->n + 3) / 4);
    const double height = top + rows * (ph + 2 * pad) + 10;
    double *mass = calloc((size_t)n_bins + 1, sizeof(double));
    double *xs = calloc((size_t)n_bins + 1, sizeof(double));
    double *ys = calloc((size_t)n_bins + 1, sizeof(double));
    if (mass == NULL || xs == NULL || ys == NULL) {
        free(mass);
        free(xs);
        free(ys);
        return;
    }
    fputs("<figure>\n", out);
    cli_svg_begin(out, (int)width, (int)ceil(height),
                  "The distribution of the trial's duration, per scenario and design");
    int k = 0;
    for (int i = 0; i < rep->n; i++) {
        if (!rep->f[i].timed) {
            continue;
        }
        double x = 20 + 245 * (k % 4), y = 18 + 22 * (k / 4);
        cli_svg_line(out, x, y - 4, x + 14, y - 4, cli_okabe_ito(i), 3);
        cli_svg_text(out, x + 20, y, "start", 12, false, "#1a1a1a", rep->f[i].label);
        k++;
    }
    char clip[40];
    for (int s = 0; s < rep->n_scenarios; s++) {
        double px = 40 + (s % cols) * (pw + 40), py = top + (s / cols) * (ph + 2 * pad) + pad;
        snprintf(clip, sizeof(clip), "panel-%d-%d", figure, s);
        cli_svg_clip(out, clip, px, py - 24, pw, 20);
        cli_svg_group(out, clip);
        cli_svg_text(out, px, py - 10, "start", 13, true, "#1a1a1a",
                     cell(&rep->f[0].summary, s, DS_COL_SCENARIO));
        cli_svg_group_end(out);
        cli_svg_line(out, px, py + ph, px + pw, py + ph, "#888888", 1);
        cli_svg_line(out, px, py, px, py + ph, "#888888", 1);
        /* The densities first, for the panel's scale. */
        double peak = 0.0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < rep->n; i++) {
                const folder_t *f = &rep->f[i];
                if (!f->timed || f->scenario_of_duration == NULL) {
                    continue;
                }
                memset(mass, 0, ((size_t)n_bins + 1) * sizeof(double));
                for (int r = 0; r < f->duration.n_rows; r++) {
                    if (f->scenario_of_duration[r] != s) {
                        continue;
                    }
                    double mid = 0.5 * (num(&f->duration, r, DS_COL_DAYS_FROM) +
                                        num(&f->duration, r, DS_COL_DAYS_TO));
                    int b = (int)floor(mid / bin);
                    b = b < 0 ? 0 : b >= n_bins ? n_bins - 1 : b;
                    mass[b] += num(&f->duration, r, DS_COL_PROB);
                }
                for (int b = 0; b < n_bins; b++) {
                    peak = pass == 0 ? fmax(peak, mass[b] / bin) : peak;
                    xs[b] = px + (b + 0.5) * bin / range * pw;
                    ys[b] = py + ph - (peak > 0.0 ? mass[b] / bin / peak : 0.0) * (ph - 6);
                }
                if (pass == 1) {
                    cli_svg_polyline(out, xs, ys, n_bins, cli_okabe_ito(i), 2);
                }
            }
        }
        for (int t = 0; t <= 4; t++) {
            char tick[32];
            snprintf(tick, sizeof(tick), "%g", range * t / 4.0);
            cli_svg_text(out, px + pw * t / 4.0, py + ph + 14, "middle", 11, false, "#444444",
                         tick);
        }
        cli_svg_text(out, px + pw, py + ph + 26, "end", 11, false, "#444444",
                     "days from the opening (day 0) to the final decision");
    }
    cli_svg_end(out);
    fprintf(out,
            "<figcaption>Figure %d. The distribution of the trial's duration (density over "
            "bins of %.3g days), per scenario%s, from the calendar-time results.</figcaption>\n"
            "</figure>\n",
            figure, bin, rep->n > 1 ? " and design" : "");
    free(mass);
    free(xs);
    free(ys);
}

/* The selections as a LaTeX picture (kernel LaTeX and color only). */
static void latex_colour(FILE *out, const char *hex)
{
    unsigned r = 0, g = 0, b = 0;
    if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3) {
        r = g = b = 0;
    }
    fprintf(out, "\\color[rgb]{%.3f,%.3f,%.3f}", r / 255.0, g / 255.0, b / 255.0);
}

/* Outside text cut to at most max characters (whole ones), with an ellipsis. */
static void cut_text(const char *text, size_t max, char *out, size_t size)
{
    size_t at = 0, chars = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (p[at] != '\0' && chars < max) {
        at++;
        while ((p[at] & 0xC0) == 0x80) {
            at++;
        }
        chars++;
    }
    if (p[at] == '\0') {
        snprintf(out, size, "%s", text);
    } else {
        snprintf(out, size, "%.*s\xE2\x80\xA6", (int)at, text);
    }
}

static void latex_selection(cli_doc_t *doc, const report_t *rep)
{
    FILE *out = doc->out;
    const double label_w = 130, x0 = 136, bar_w = 300, bar_h = 9, gap = 3;
    const int rows = bar_rows(rep);
    if (rows > 60) {
        cli_doc_para(doc);
        cli_doc_text(doc, "(Too many bars for a figure here: the HTML report draws it.)");
        cli_doc_para_end(doc);
        return;
    }
    const int legend_rows = (rep->max_levels + 1 + 3) / 4;
    const double height = rows * (bar_h + gap) + legend_rows * 12 + 24;
    char colour[CLI_COLOUR_CHARS], cut[200], generic[32];
    fprintf(out, "\\begin{center}\n\\setlength{\\unitlength}{1pt}\n\\begin{picture}(%.0f,%.0f)\n",
            x0 + bar_w + 10, height);
    double y = height - 10;
    for (int level = 1; level <= rep->max_levels + 1; level++) {
        const bool none = level > rep->max_levels;
        double lx = x0 + 78 * ((level - 1) % 4);
        double ly = y - 12 * ((level - 1) / 4);
        if (none) {
            snprintf(colour, sizeof(colour), NONE_COLOUR);
        } else {
            dose_colour(level, rep->max_levels, colour);
        }
        fprintf(out, "\\put(%.1f,%.1f){", lx, ly);
        latex_colour(out, colour);
        fputs("\\rule{7pt}{7pt}}\n", out);
        fprintf(out, "\\put(%.1f,%.1f){\\makebox(0,0)[l]{\\scriptsize ", lx + 10, ly + 3.5);
        cut_text(none ? "no RP2D" : legend_label(rep, level, generic), 14, cut, sizeof(cut));
        cli_doc_text(doc, cut);
        fputs("}}\n", out);
    }
    y -= legend_rows * 12 + 6;
    for (int s = 0; s < rep->n_scenarios; s++) {
        const char *scenario = cell(&rep->f[0].summary, s, DS_COL_SCENARIO);
        if (rep->n > 1) {
            y -= bar_h + gap;
            fprintf(out, "\\put(0,%.1f){\\makebox(0,0)[l]{\\footnotesize\\bfseries ", y + 4.5);
            cut_text(scenario, 40, cut, sizeof(cut));
            cli_doc_text(doc, cut);
            fputs("}}\n", out);
        }
        for (int i = 0; i < rep->n; i++) {
            const folder_t *f = &rep->f[i];
            y -= bar_h + gap;
            fprintf(out, "\\put(%.1f,%.1f){\\makebox(0,0)[r]{\\scriptsize ", label_w, y + 4.5);
            cut_text(rep->n > 1 ? f->label : scenario, 26, cut, sizeof(cut));
            cli_doc_text(doc, cut);
            fputs("}}\n", out);
            double at = x0;
            const int levels = cli_dose_levels(&f->index, s);
            for (int level = 1; level <= levels + 1; level++) {
                const bool none = level > levels;
                int r = none ? -1 : cli_dose_row(&f->index, s, level);
                double p = none ? num(&f->summary, s, DS_COL_PROB_NO_RP2D)
                                : num(&f->doses, r, DS_COL_PROB_RP2D);
                p = isnan(p) ? 0.0 : p;
                if (none) {
                    snprintf(colour, sizeof(colour), NONE_COLOUR);
                } else {
                    dose_colour(level, rep->max_levels, colour);
                }
                if (p * bar_w >= 0.05) {
                    fprintf(out, "\\put(%.2f,%.1f){", at, y);
                    latex_colour(out, colour);
                    fprintf(out, "\\rule{%.2fpt}{%.0fpt}}\n", p * bar_w, bar_h);
                }
                if (p * bar_w >= 18) {
                    fprintf(out, "\\put(%.2f,%.1f){\\makebox(0,0){\\tiny", at + p * bar_w / 2,
                            y + 4.5);
                    latex_colour(out, cli_text_colour_on(colour));
                    fprintf(out, " %.0f\\%%}}\n", 100 * p);
                }
                at += p * bar_w;
            }
        }
    }
    fputs("\\end{picture}\n\\end{center}\n\n", out);
}

/* ---- the document ---- */

static void write_report(cli_doc_t *doc, const report_t *rep)
{
    const bool html = doc->kind == DS_MARKUP_HTML;
    cli_doc_para(doc);
    cli_doc_textf(doc,
                  "Made by dosesim %s (dosesim report) from %d %s of results over %d %s. The "
                  "numbers are those the results hold, rounded.",
                  DS_VERSION, rep->n, plural(rep->n, "folder", "folders"), rep->n_scenarios,
                  plural(rep->n_scenarios, "scenario", "scenarios"));
    cli_doc_para_end(doc);
    /* The selections first: what a reader looks for, then how they came about. */
    cli_doc_heading(doc, 1);
    cli_doc_text(doc, "Selection of the RP2D");
    cli_doc_heading_end(doc, 1);
    int figure = 0;
    if (html) {
        svg_selection(doc->out, rep, ++figure);
    } else if (doc->kind == DS_MARKUP_LATEX) {
        latex_selection(doc, rep);
    } else {
        cli_doc_para(doc);
        cli_doc_text(doc, "The figures are drawn in the HTML report (dosesim report --format "
                          "html); the tables below show each P(RP2D) as a bar of blocks.");
        cli_doc_para_end(doc);
    }
    int n_rules = 0;
    for (int i = 0; i < rep->n; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++) {
            seen |= same_rules(&rep->f[i], &rep->f[j]);
        }
        n_rules += !seen;
    }
    cli_doc_heading(doc, 1);
    cli_doc_text(doc, n_rules > 1 ? "The designs" : "The design");
    cli_doc_heading_end(doc, 1);
    for (int i = 0; i < rep->n; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++) {
            seen |= same_rules(&rep->f[i], &rep->f[j]);
        }
        if (!seen) {
            describe_rules(doc, rep, &rep->f[i]);
        }
    }
    cli_doc_heading(doc, 1);
    cli_doc_text(doc, "The results");
    cli_doc_heading_end(doc, 1);
    cli_doc_para(doc);
    cli_doc_text(doc, "How the numbers were obtained, and the target the accuracy columns are "
                      "judged by (a dose with p_dlt above the acceptable range is an overdose):");
    cli_doc_para_end(doc);
    results_table(doc, rep);
    if (html) {
        cli_doc_heading(doc, 1);
        cli_doc_text(doc, rep->any_timed ? "Patients and duration" : "Patients");
        cli_doc_heading_end(doc, 1);
        svg_summary_bars(doc->out, rep, ++figure, DS_COL_MEAN_N_TREATED, NULL, NULL,
                         "Mean number of patients treated per trial, E[N]", "patients", false);
        if (rep->any_timed) {
            svg_summary_bars(doc->out, rep, ++figure, DS_COL_MEAN_DURATION_DAYS,
                             DS_COL_P10_DURATION_DAYS, DS_COL_P90_DURATION_DAYS,
                             "Mean duration of the trial in days, with its 10% to 90% range",
                             "days from the opening (day 0) to the final decision", true);
            svg_durations(doc->out, rep, ++figure);
        }
    }
    for (int s = 0; s < rep->n_scenarios; s++) {
        scenario_section(doc, rep, s);
    }
    cli_doc_heading(doc, 1);
    cli_doc_text(doc, "How to read the tables");
    cli_doc_heading_end(doc, 1);
    cli_doc_list(doc);
    cli_doc_item(doc);
    cli_doc_text(doc, "P(RP2D): the probability that the trial recommends the dose for phase 2; "
                      "no RP2D: that it recommends none. The interval is the 95% Wilson interval "
                      "of a Monte Carlo estimate; exact results have none.");
    cli_doc_item(doc);
    cli_doc_text(doc, "patients, DLTs: the mean number of patients treated at the dose per "
                      "trial, and of DLTs among them.");
    cli_doc_item(doc);
    cli_doc_text(doc, "P(correct selection): the probability that the RP2D is the true MTD (the "
                      "dose whose p_dlt, within the target interval, is closest to the target); "
                      "with no true MTD and every dose above the interval, P(no RP2D). A dash: "
                      "not defined (no true MTD, and some dose below the interval).");
    cli_doc_item(doc);
    cli_doc_text(doc, "P(overdose selection): the probability that the RP2D's p_dlt is above "
                      "the target interval.");
    cli_doc_item(doc);
    cli_doc_text(doc, "E[N], sd of N: the mean and standard deviation of the number of patients "
                      "treated per trial (everyone enrolled); DLTs: the mean number of DLTs per "
                      "trial.");
    if (rep->any_timed) {
        cli_doc_item(doc);
        cli_doc_text(doc, "mean days, median days: the trial's duration, from the first "
                          "patient's arrival to the final decision (calendar-time results "
                          "only).");
    }
    cli_doc_item(doc);
    cli_doc_text(doc, "A dash stands for a value the results do not hold.");
    cli_doc_list_end(doc);
}

/* Check the folders' files and that they cover the same scenarios, into rep.
 * 0, or an exit status after saying why. */
static int report_check(const char *cmd, folder_t *folders, int n, report_t *rep)
{
    memset(rep, 0, sizeof(*rep));
    rep->f = folders;
    rep->n = n;
    for (int i = 0; i < n; i++) {
        int status = check_folder(cmd, &folders[i]);
        if (status == 0 && i > 0 && !same_scenarios(cmd, &folders[0], &folders[i])) {
            status = EXIT_BAD_INPUT;
        }
        for (int j = 0; status == 0 && j < i; j++) {
            status = cli_same_response(cmd, &folders[j].optimisation, &folders[i].optimisation)
                         ? 0
                         : EXIT_BAD_INPUT;
        }
        if (status != 0) {
            return status;
        }
    }
    rep->n_scenarios = folders[0].summary.n_rows;
    for (int s = 0; s < rep->n_scenarios; s++) {
        int levels = cli_dose_levels(&folders[0].index, s);
        rep->max_levels = levels > rep->max_levels ? levels : rep->max_levels;
    }
    for (int i = 0; i < n; i++) {
        rep->any_mc |= folders[i].mc;
        rep->any_timed |= folders[i].timed;
    }
    make_labels(rep);
    return 0;
}

/* The report, checked, as a document in out. */
static void report_write(const report_t *rep, ds_markup_t kind, FILE *out)
{
    char title[400] = "Operating characteristics: ";
    for (int i = 0; i < rep->n; i++) {
        const char *design = cell(&rep->f[i].summary, 0, DS_COL_DESIGN);
        bool seen = false;
        for (int j = 0; j < i; j++) {
            seen |= strcmp(design, cell(&rep->f[j].summary, 0, DS_COL_DESIGN)) == 0;
        }
        size_t at = strlen(title);
        if (!seen) {
            snprintf(title + at, sizeof(title) - at, "%s%s", i > 0 ? ", " : "", design);
        }
    }
    title[ds_utf8_invalid_at(title, strlen(title))] = '\0';
    cli_doc_t doc;
    cli_doc_begin(&doc, out, kind, title);
    write_report(&doc, rep);
    cli_doc_end(&doc);
}

static void folders_free(folder_t *folders, int n)
{
    for (int i = 0; i < n; i++) {
        folder_t *f = &folders[i];
        cli_table_free(&f->summary);
        cli_table_free(&f->doses);
        cli_table_free(&f->duration);
        cli_table_free(&f->optimisation);
        cli_dose_index_free(&f->index);
        free(f->scenario_of_dose);
        free(f->scenario_of_duration);
        for (int k = 0; k < N_FILES; k++) {
            free(f->owned[k]);
            free((char *)f->files[k].path);
        }
    }
    free(folders);
}

/* The language: --format, else the ending of --out, else HTML. */
static ds_markup_t choose_format(const cli_args_t *args)
{
    if (args->format_given) {
        return (ds_markup_t)args->format;
    }
    const char *out = args->out_file;
    const char *dot = out != NULL ? strrchr(out, '.') : NULL;
    if (dot != NULL && strchr(dot, '/') == NULL) {
        if (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0) {
            return DS_MARKUP_MARKDOWN;
        }
        if (strcmp(dot, ".tex") == 0) {
            return DS_MARKUP_LATEX;
        }
    }
    return DS_MARKUP_HTML;
}

static int run_report(cli_args_t *args, const cli_cluster_t *cluster)
{
    (void)cluster;
    const char *cmd = "report";
    const int n = args->n_positional;
    if (n > CLI_MAX_COMPARED) {
        cli_error(cmd, "%d folders; a report sets at most %d side by side", n, CLI_MAX_COMPARED);
        return EXIT_BAD_INPUT;
    }
    const ds_markup_t kind = choose_format(args);
    folder_t *folders = calloc((size_t)n, sizeof(*folders));
    if (folders == NULL) {
        cli_error(cmd, "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = 0;
    for (int i = 0; i < n && status == 0; i++) {
        struct stat st;
        folders[i].dir = args->positional[i];
        if (stat(args->positional[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_error(cmd, "%s: %s", args->positional[i],
                      stat(args->positional[i], &st) != 0
                          ? "no such folder"
                          : "not a folder (give the folder of a run's results)");
            status = EXIT_BAD_INPUT;
        }
    }
    /* Where it goes: --out, or beside the results (one folder) or in results/comparison. */
    char out_path[CLI_PATH_CHARS];
    const char *out_dir = n == 1 ? args->positional[0] : DS_COMPARISON_DIR;
    if (args->out_file != NULL) {
        snprintf(out_path, sizeof(out_path), "%s", args->out_file);
    } else {
        snprintf(out_path, sizeof(out_path), "%s/" REPORT_STEM ".%s", out_dir,
                 ds_markup_names[kind]);
    }
    cli_io_t io;
    cli_io_init(&io);
    for (int i = 0; i < n && status == 0; i++) {
        for (int k = 0; k < N_FILES && status == 0; k++) {
            char path[CLI_PATH_CHARS];
            snprintf(path, sizeof(path), "%s/%s", args->positional[i], file_names[k]);
            status =
                cli_io_add(&io, CLI_IO_INPUT, "a results file", path) == 0 ? 0 : EXIT_RUN_FAILED;
        }
    }
    if (status == 0 && args->out_file == NULL &&
        cli_io_add(&io, n == 1 ? CLI_IO_FOLDER : CLI_IO_DEFAULT_FOLDER, "the report's folder",
                   out_dir) != 0) {
        status = EXIT_RUN_FAILED;
    }
    if (status == 0 && cli_io_add(&io, CLI_IO_STREAMABLE, "--out", out_path) != 0) {
        status = EXIT_RUN_FAILED;
    }
    if (status == 0) {
        status = cli_io_check(&io, cmd);
    }
    /* Each folder's set read under its lock: never half of one run and half of another. */
    for (int i = 0; i < n && status == 0; i++) {
        ds_diag_t diag;
        int lock = -1;
        if (ds_folder_lock(folders[i].dir, false, &lock, &diag) != 0) {
            cli_diag_error(cmd, &diag);
            status = EXIT_BAD_INPUT;
            break;
        }
        for (int k = 0; k < N_FILES && status == 0; k++) {
            if (cli_read_text(cmd, folders[i].dir, file_names[k], &folders[i].files[k],
                              &folders[i].owned[k]) != 0) {
                status = EXIT_BAD_INPUT;
            }
        }
        ds_folder_unlock(lock);
    }
    /* Everything checked before a byte is written. */
    report_t rep;
    memset(&rep, 0, sizeof(rep));
    if (status == 0) {
        status = report_check(cmd, folders, n, &rep);
    }
    ds_outfile_t file;
    ds_outfile_init(&file);
    if (status == 0) {
        status = cli_outfile_open(cmd, &file, out_path, DS_OUTPUT_MAY_STREAM);
    }
    if (status == 0) {
        report_write(&rep, kind, file.file);
    }
    if (status == 0) {
        ds_diag_t diag;
        if (ds_outfile_finish(&file, &diag) != 0) {
            cli_diag_error(cmd, &diag);
            status = EXIT_RUN_FAILED;
        }
    }
    const bool to_stdout = file.kind == DS_OUTPUT_STDOUT;
    if (status == 0) {
        status = cli_stdout_check(cmd);
    }
    if (status == 0) {
        ds_outfile_t *one[1] = {&file};
        status = cli_publish(cmd, one, 1, 0, NULL);
    }
    if (status == 0 && !to_stdout) {
        fprintf(cli_output(), "wrote %s\n", out_path);
    }
    ds_outfile_discard(&file);
    cli_io_free(&io);
    folders_free(folders, n);
    return status;
}

const cli_command_t cli_command_report = {
    .name = "report",
    .summary = "the tables and figures of a protocol's statistical section (HTML, Markdown, LaTeX)",
    .options = CLI_OPT(OPT_OUT) | CLI_OPT(OPT_FORMAT),
    .positional = CLI_SOME_FOLDERS,
    .out_is_file = true,
    .formats = report_formats,
    .usage = usage,
    .run = run_report,
};

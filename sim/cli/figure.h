/* What the commands that draw (plot, compare) share: dosesim's own CSVs read
 * back, every cell checked as a scenario file's are (a results folder may come
 * from anyone), and figures drawn with gnuplot (gnuplot.h) and published as a
 * set, all or nothing. */
#ifndef DOSESIM_FIGURE_H
#define DOSESIM_FIGURE_H

#include <stdbool.h>
#include <stdio.h>

#include "gnuplot.h"
#include "dosesim/report.h"

/* Most scenarios a figure shows, and most folders compare sets side by side. */
#define CLI_MAX_FIGURE_SCENARIOS 200
#define CLI_MAX_COMPARED 16
/* Longest text cell (CLI_CELL_TEXT) read back, in bytes. */
#define CLI_MAX_TEXT_CELL 4096

/* The figures plot draws from a result set (FIGURE.FORMAT), NULL-ended. */
extern const char *const cli_result_figures[];

/* A CSV file with a header, as text, each row with the line it began on. */
typedef struct {
    char *path; /* for messages */
    int n_cols;
    char **names;
    int n_rows;
    int cap_rows;
    char ***cells; /* [n_rows][n_cols] */
    long *lines;   /* [n_rows] */
} cli_table_t;

/* How a column's cells must read. */
typedef enum {
    CLI_CELL_NAME,   /* a scenario name or dose label: 1 to DS_MAX_NAME bytes of text */
    CLI_CELL_TEXT,   /* other text: at most CLI_MAX_TEXT_CELL bytes, maybe empty */
    CLI_CELL_WORD,   /* one of the words in .words */
    CLI_CELL_INT,    /* a whole number in [lo, hi] */
    CLI_CELL_NUMBER, /* a finite number in [lo, hi] */
} cli_cell_kind_t;

typedef struct {
    const char *name;
    cli_cell_kind_t kind;
    double lo, hi;
    bool may_be_empty;
    const char *const *words; /* CLI_CELL_WORD: NULL-ended */
} cli_column_t;

/* How the CSVs dosesim writes read back, each column checked (NULL-ended):
 * one place for plot and compare. */
extern const cli_column_t cli_summary_columns[];
extern const cli_column_t cli_doses_columns[];
extern const cli_column_t cli_sample_size_columns[];
extern const cli_column_t cli_optimisation_columns[];
extern const cli_column_t cli_duration_columns[];
extern const cli_column_t cli_sweep_columns[];
/* report's: every column it shows, the key's included. */
extern const cli_column_t cli_report_summary_columns[];
extern const cli_column_t cli_report_doses_columns[];

/* Read dir/name (found in a folder: no link followed) into t: 1 if there is no
 * such file, 0 if read and every cell of the columns (ended by a NULL name)
 * reads as it must, -1 after printing why not (as command cmd), naming the
 * file, line and column. */
int cli_table_read(cli_table_t *t, const char *cmd, const char *dir, const char *name,
                   const cli_column_t *columns);

/* The same on text in memory (for the fuzzers); path names it in messages. */
int cli_table_parse(cli_table_t *t, const char *cmd, const char *path, const char *text, size_t len,
                    const cli_column_t *columns);

void cli_table_free(cli_table_t *t);

/* A cell by row and column name ("" if there is no such column), and as a number (NaN). */
const char *cli_table_cell(const cli_table_t *t, int row, const char *name);
double cli_table_number(const cli_table_t *t, int row, const char *name);

/* For each row of t (with a scenario column), the index in summary of its
 * scenario; NULL after saying which row names another. Malloc'ed. */
int *cli_scenario_of_rows(const cli_table_t *t, const char *cmd, const cli_table_t *summary);

/* A result set's doses.csv by scenario and level: rows[s * max_levels + level - 1]
 * is the row of summary's scenario s at that level, or -1. */
typedef struct {
    int n_scenarios;
    int max_levels;
    int *rows;
} cli_dose_index_t;

/* Index doses by the scenarios of summary: every dose row must belong to one,
 * once per level, with the levels of each running 1..K. 0, or -1 after printing
 * why. */
int cli_dose_index(cli_dose_index_t *index, const char *cmd, const cli_table_t *summary,
                   const cli_table_t *doses);
void cli_dose_index_free(cli_dose_index_t *index);
/* The doses row of scenario s at level, or -1. */
int cli_dose_row(const cli_dose_index_t *index, int s, int level);
/* The levels of scenario s. */
int cli_dose_levels(const cli_dose_index_t *index, int s);

/* ---- what the figures share ---- */

/* The target row of a table with the key (target, target_lo, target_hi): false
 * when the run has none to show (all three 0). */
bool cli_target_of(const cli_table_t *t, int row, double *target, double *lo, double *hi);

/* Whether the row's run simulated calendar time. */
bool cli_timed(const cli_table_t *t, int row);

/* The lines under a figure (labels 101 to 103, at screen heights from bottom,
 * each line_height apart): the rules; how the numbers were obtained (exact, or
 * Monte Carlo and the trials) and the calendar; if with_target, the target
 * interval when the run has one. From the key columns of row 0 of t. Returns
 * the number of lines. */
int cli_put_caption(FILE *gp, const cli_table_t *t, double bottom, double line_height,
                    bool with_target);

/* The unit a time axis shows: days, or months (of 365.25 / 12 days) when the
 * longest time shown is beyond 120 days. */
typedef struct {
    double days;      /* days in one */
    const char *name; /* "days", "months" */
} cli_time_unit_t;
cli_time_unit_t cli_time_unit(double longest_days);

/* A whole number's digits with thousands separated: 1000000 as 1,000,000. */
void cli_put_count(char *out, size_t room, const char *digits);

/* A round step (1, 2, 2.5 or 5 times a power of ten) that cuts span into about n. */
double cli_nice_step(double span, int n);

/* The figures of one command, drawn one gnuplot process each and published
 * together when all are drawn. */
typedef struct {
    const char *out_dir;
    const char *command;
    cli_gp_format_t format;
    ds_outfile_t files[24];
    char names[24][128];
    int n;
    cli_gp_t gp;   /* the figure being drawn */
    FILE *scripts; /* if set: no figure is drawn, each script is written here
                      (what the fuzzers look at) */
} cli_figures_t;

/* Ready figs for a command's figures in out_dir. */
void cli_figures_init(cli_figures_t *figs, const char *command, const char *out_dir,
                      cli_gp_format_t format);

/* Begin figure NAME.FORMAT (at most 24): the script is figs->gp.out. 0, or an
 * exit status after printing why. */
int cli_figure_begin(cli_figures_t *figs, const char *name, int width, int height);

/* Draw the figure begun. 0, or an exit status after printing why. */
int cli_figure_end(cli_figures_t *figs);

/* Publish every figure drawn, as a set, saying "wrote ..." to say for each. 0,
 * or an exit status after printing why (and leaving no figure). */
int cli_figures_publish(cli_figures_t *figs, FILE *say);

/* Drop the figures not published. Always safe. */
void cli_figures_abandon(cli_figures_t *figs);

/* A file's text as read (text NULL: there is no such file), and its path for messages. */
typedef struct {
    const char *path;
    const char *text;
    size_t len;
} cli_text_file_t;

/* The text of dir/name, a file found in a folder (no link followed, a regular
 * file only): file->text NULL if there is none; file->path and *owned malloc'ed.
 * 0, or -1 after saying why it cannot be read (as command cmd). */
int cli_read_text(const char *cmd, const char *dir, const char *name, cli_text_file_t *file,
                  char **owned);

/* plot: check a result set's files (summary, doses, sample size, duration, in
 * the order of ds_result_file_names) and draw its figures. 0, or an exit status
 * after printing why. */
int cli_plot_results(cli_figures_t *figs, const cli_text_file_t files[DS_RESULT_FILES]);

/* plot: check a sweep file and draw its figure NAME. */
int cli_plot_sweep(cli_figures_t *figs, const cli_text_file_t *file, const char *name);

/* The row of optimisation.csv's table o for a scenario at a dose level (0: its
 * none row; below 0: any of its rows), or -1. */
int cli_optimisation_row(const cli_table_t *o, const char *scenario, int level);

/* Whether two sets' optimisation.csv tables judge the final doses against the
 * same truth: where both have a scenario's row at a dose, the same p_response,
 * P(DLT and response) and margin (--delta). false after saying why (as cmd). */
bool cli_same_response(const char *cmd, const cli_table_t *a, const cli_table_t *b);

/* compare: check n_runs result sets (their summary, doses and, where given and
 * present, optimisation files, from the folders dirs) and, if they cover the
 * same scenarios, write comparison.csv into csv, draw the figure and, if table
 * is not NULL, write the table there. optimisations may be NULL (none read).
 * 0, or an exit status after printing why. */
int cli_compare_texts(cli_figures_t *figs, FILE *csv, int n_runs, const char *const *dirs,
                      const cli_text_file_t *summaries, const cli_text_file_t *doses,
                      const cli_text_file_t *optimisations, FILE *table);

#endif

/* What the commands that draw (plot, compare) share: dosesim's own CSVs read
 * back as tables of text, and gnuplot figures written all or nothing. */
#ifndef DOSESIM_FIGURE_H
#define DOSESIM_FIGURE_H

#include <stdbool.h>
#include <stdio.h>

/* A CSV file with a header, as text. */
typedef struct {
    int n_cols;
    char **names;
    int n_rows;
    int cap_rows;
    char ***cells; /* [n_rows][n_cols] */
} cli_table_t;

/* Read dir/name into t: 1 if there is no such file, 0 if read, -1 after
 * printing why not (as command cmd). */
int cli_table_read(cli_table_t *t, const char *cmd, const char *dir, const char *name);
void cli_table_free(cli_table_t *t);

/* Whether t has every one of the columns (NULL-ended); prints which it lacks. */
bool cli_table_has_columns(const cli_table_t *t, const char *cmd, const char *dir, const char *file,
                           const char *const *names);

/* A cell by row and column name ("" if there is no such column), and as a number (NaN). */
const char *cli_table_cell(const cli_table_t *t, int row, const char *name);
double cli_table_number(const cli_table_t *t, int row, const char *name);

/* Text safe inside a gnuplot double-quoted string, quotes included. */
void cli_gp_text(FILE *gp, const char *text);
/* Two lines of such text as one gnuplot string. */
void cli_gp_two_lines(FILE *gp, const char *first, const char *second);
/* " x" (or " NaN"), for gnuplot's inline data. */
void cli_gp_number(FILE *gp, double x);

/* The figures of one gnuplot session: drawn under temporary names, renamed
 * when gnuplot has finished them all. */
typedef struct {
    const char *out_dir;
    char tmp[16][4200];
    char final[16][4200];
    int n;
} cli_figures_t;

/* Start a figure (at most 16): the PNG terminal and a temporary output name. */
void cli_figure_begin(FILE *gp, cli_figures_t *figs, const char *name, int width, int height);

/* Close gnuplot and put its figures in place, saying "wrote ..." for each.
 * Returns 0, or EXIT_RUN_FAILED after saying why (and leaving no figure). */
int cli_figures_finish(FILE *gp, cli_figures_t *figs, const char *cmd);

/* Remove the temporary files of figures not finished. */
void cli_figures_abandon(cli_figures_t *figs);

#endif

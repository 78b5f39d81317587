/* Tables read back from dosesim's CSVs, and gnuplot figures written all or
 * nothing: what plot and compare share. */
#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

static int add_record(void *ctx, const ds_csv_record_t *rec)
{
    cli_table_t *t = ctx;
    char **copy = calloc((size_t)rec->n_fields, sizeof(*copy));
    if (copy == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int i = 0; i < rec->n_fields; i++) {
        copy[i] = rec->fields[i];
        rec->fields[i] = NULL; /* taken over (the reader frees what it still holds) */
    }
    if (t->names == NULL) {
        t->names = copy;
        t->n_cols = rec->n_fields;
        return 0;
    }
    if (rec->n_fields != t->n_cols) {
        for (int i = 0; i < rec->n_fields; i++) {
            free(copy[i]);
        }
        free(copy);
        return DS_ERR_PARSE;
    }
    if (t->n_rows == t->cap_rows) {
        int cap = t->cap_rows == 0 ? 64 : 2 * t->cap_rows;
        char ***grown = realloc(t->cells, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            for (int i = 0; i < rec->n_fields; i++) {
                free(copy[i]);
            }
            free(copy);
            return DS_ERR_NOMEM;
        }
        t->cells = grown;
        t->cap_rows = cap;
    }
    t->cells[t->n_rows++] = copy;
    return 0;
}

void cli_table_free(cli_table_t *t)
{
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            free(t->cells[r][c]);
        }
        free(t->cells[r]);
    }
    for (int c = 0; t->names != NULL && c < t->n_cols; c++) {
        free(t->names[c]);
    }
    free(t->names);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

/* Read dir/name into t; 1 if there is no such file, 0 if read, -1 after printing why not. */
int cli_table_read(cli_table_t *t, const char *cmd, const char *dir, const char *name)
{
    char path[4096];
    char *text = NULL;
    size_t len = 0;
    ds_diag_t diag;
    memset(t, 0, sizeof(*t));
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (access(path, F_OK) != 0) {
        return 1;
    }
    if (ds_read_file(path, DS_MAX_FILE_BYTES, &text, &len, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return -1;
    }
    ds_diag_clear(&diag);
    int ret = ds_csv_read(path, text, len, add_record, t, &diag);
    free(text);
    if (ret != 0 || t->n_cols == 0) {
        if (diag.message[0] != '\0') {
            cli_diag_error(cmd, &diag);
        } else {
            cli_error(cmd, "%s: not a dosesim results file (%s)", path,
                      t->n_cols == 0 ? "empty" : "rows of different lengths");
        }
        cli_table_free(t);
        return -1;
    }
    return 0;
}

static int column(const cli_table_t *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (strcmp(t->names[c], name) == 0) {
            return c;
        }
    }
    return -1;
}

/* Whether t has every one of the columns (NULL-ended); prints which it lacks. */
bool cli_table_has_columns(const cli_table_t *t, const char *cmd, const char *dir, const char *file,
                           const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++) {
        if (column(t, names[i]) < 0) {
            cli_error(cmd, "%s/%s: no column '%s': not a dosesim results file of this version", dir,
                      file, names[i]);
            return false;
        }
    }
    return true;
}

const char *cli_table_cell(const cli_table_t *t, int row, const char *name)
{
    int c = column(t, name);
    return c >= 0 ? t->cells[row][c] : "";
}

double cli_table_number(const cli_table_t *t, int row, const char *name)
{
    double x;
    return ds_parse_double(cli_table_cell(t, row, name), &x) ? x : NAN;
}

/* ---- gnuplot ---- */

/* Text safe inside a gnuplot double-quoted string (titles, data labels). */
/* The characters of text that are safe inside a gnuplot double-quoted string. */
static void put_safe(FILE *gp, const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        fputc(*c == '"' || *c == '\\' ? '\'' : (unsigned char)*c < 0x20 ? ' ' : *c, gp);
    }
}

void cli_gp_text(FILE *gp, const char *text)
{
    fputc('"', gp);
    put_safe(gp, text);
    fputc('"', gp);
}

void cli_gp_two_lines(FILE *gp, const char *first, const char *second)
{
    fputc('"', gp);
    put_safe(gp, first);
    fputs("\\n", gp);
    put_safe(gp, second);
    fputc('"', gp);
}

void cli_gp_number(FILE *gp, double x)
{
    if (isnan(x)) {
        fputs(" NaN", gp);
    } else {
        fprintf(gp, " %.10g", x);
    }
}

/* Start a figure: the terminal and a temporary output name beside the final one. */
void cli_figure_begin(FILE *gp, cli_figures_t *figs, const char *name, int width, int height)
{
    int k = figs->n++;
    snprintf(figs->final[k], sizeof(figs->final[k]), "%s/%s", figs->out_dir, name);
    /* The same temporary name as every other output, so that a signal cleans it up. */
    ds_atomic_temp_path(figs->final[k], (long)getpid(), 0, figs->tmp[k], sizeof(figs->tmp[k]));
    cli_guard_output(figs->final[k]);
    fprintf(gp, "reset\nset terminal pngcairo size %d,%d noenhanced font ',10'\nset output ", width,
            height);
    cli_gp_text(gp, figs->tmp[k]);
    fputc('\n', gp);
}

int cli_figures_finish(FILE *gp, cli_figures_t *figs, const char *cmd)
{
    int gnuplot_status = pclose(gp);
    if (gnuplot_status != 0) {
        cli_error(cmd, "%s",
                  WIFEXITED(gnuplot_status) && WEXITSTATUS(gnuplot_status) == 127
                      ? "gnuplot is not installed (make deps installs it)"
                      : "gnuplot failed (its message is above)");
        cli_figures_abandon(figs);
        return EXIT_RUN_FAILED;
    }
    for (int k = 0; k < figs->n; k++) {
        struct stat png;
        if (stat(figs->tmp[k], &png) != 0 || png.st_size == 0) {
            cli_error(cmd, "%s: gnuplot did not draw it", figs->final[k]);
            cli_figures_abandon(figs);
            return EXIT_RUN_FAILED;
        }
    }
    for (int k = 0; k < figs->n; k++) {
        if (rename(figs->tmp[k], figs->final[k]) != 0) {
            cli_error(cmd, "%s: cannot rename into place", figs->final[k]);
            cli_figures_abandon(figs);
            return EXIT_RUN_FAILED;
        }
        figs->tmp[k][0] = '\0'; /* in place: nothing to remove */
        printf("wrote %s\n", figs->final[k]);
    }
    return 0;
}

void cli_figures_abandon(cli_figures_t *figs)
{
    for (int k = 0; k < figs->n; k++) {
        if (figs->tmp[k][0] != '\0') {
            unlink(figs->tmp[k]); /* no half-drawn figure left behind */
        }
    }
}

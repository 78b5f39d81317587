/* dosesim table: a design's decision table, as a protocol prints it: for the
 * interval designs, BOIN::get.boundary's rows (escalate at most, de-escalate
 * from, eliminate from, for each number of patients at the dose); for the 3+3
 * family, its stage table on cumulative counts. Written to standard output
 * only, as text or (--format csv) CSV: nothing is replaced. */
#include "cmd.h"
#include "dosesim/csv.h"

#include <stdio.h>
#include <string.h>

static const char *const table_formats[] = {"text", "csv", NULL};
enum { FORMAT_TEXT, FORMAT_CSV };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim table [--design NAME | --rules FILE | --decision-table FILE]\n"
            "                     [options] [--format text|csv]\n"
            "\n"
            "Prints the design's decision table: for each number of patients n at the\n"
            "current dose, escalate with at most this many DLTs, de-escalate from this many,\n"
            "eliminate the dose (and all above) from this many (as BOIN::get.boundary prints\n"
            "it; an empty cell: never). For the 3+3 family, its stages on cumulative counts\n"
            "(de-escalate and eliminate are its too-toxic count: a too-toxic dose is never\n"
            "given again). --format csv writes the columns design, target, n,\n"
            "escalate_at_most, deescalate_from, eliminate_from%s, which\n"
            "--decision-table reads back (edit a boundary and run it).\n"
            "\n"
            "  --format text|csv        text (default) or CSV, on standard output\n"
            "  --target T               the interval designs' target DLT rate (default 0.25)\n"
            "%s",
            ", stop_from (--extrasafe)", CLI_DESIGN_HELP);
}

typedef struct {
    int n;
    int escalate_at_most; /* -1: never */
    int deescalate_from;  /* n + 1: never */
    int eliminate_from;   /* n + 1: never */
    int stop_from;        /* --extrasafe at the lowest dose; n + 1: never */
} table_row_t;

static int rows_of(const ds_design_t *d, table_row_t *rows)
{
    int n_rows = 0;
    if (ds_design_is_interval(d)) {
        const ds_interval_rules_t *r = &d->interval;
        for (int n = r->cohort_size; n <= r->max_n; n += r->cohort_size) {
            rows[n_rows++] = (table_row_t){.n = n,
                                           .escalate_at_most = r->esc_max[n],
                                           .deescalate_from = r->deesc_min[n],
                                           .eliminate_from = n >= 3 ? r->elim_min[n] : n + 1,
                                           .stop_from = r->extrasafe ? r->stop_min[n] : n + 1};
        }
        return n_rows;
    }
    for (int s = 0; s < d->n_stages; s++) {
        const ds_stage_t *st = &d->stages[s];
        rows[n_rows++] = (table_row_t){.n = st->n_cum,
                                       .escalate_at_most = st->esc_max,
                                       .deescalate_from = st->tox_min,
                                       .eliminate_from = st->tox_min,
                                       .stop_from = st->n_cum + 1};
    }
    return n_rows;
}

static void print_count(FILE *out, int value, int never, int width)
{
    if (value == never || value < 0) {
        fprintf(out, " %*s", width, "-");
    } else {
        fprintf(out, " %*d", width, value);
    }
}

static int run_table(cli_args_t *args, const cli_cluster_t *cluster)
{
    (void)cluster;
    cli_common_t *c = &args->common;
    ds_diag_t diag;
    if (c->rules_path != NULL && ds_design_load_rules(&c->design, c->rules_path, &diag) != 0) {
        cli_diag_error("table", &diag);
        return EXIT_BAD_INPUT;
    }
    if (c->decision_table_path != NULL &&
        (ds_interval_load_table(&c->design, c->decision_table_path, &diag) != 0 ||
         ds_interval_build(&c->design, &diag) != 0)) {
        cli_diag_error("table", &diag);
        return EXIT_BAD_INPUT;
    }
    const ds_design_t *d = &c->design;
    table_row_t rows[DS_MAX_PATIENTS_PER_LEVEL + DS_MAX_STAGES];
    const int n_rows = rows_of(d, rows);
    const bool interval = ds_design_is_interval(d);
    const bool stops = interval && d->interval.extrasafe;
    char target[DS_DOUBLE_CHARS] = "";
    if (interval) {
        ds_format_double(d->interval.target, target);
    }
    if (args->format == FORMAT_CSV) {
        static const char *const header[] = {DS_DTABLE_DESIGN,          DS_DTABLE_TARGET,
                                             DS_DTABLE_PATIENTS,        DS_DTABLE_ESCALATE_AT_MOST,
                                             DS_DTABLE_DEESCALATE_FROM, DS_DTABLE_ELIMINATE_FROM,
                                             DS_DTABLE_STOP_FROM};
        ds_csv_header(cli_output(), header, stops ? 7 : 6);
        for (int i = 0; i < n_rows; i++) {
            const table_row_t *r = &rows[i];
            ds_csv_row_t w = {.file = cli_output(), .at_start = true};
            ds_csv_text(&w, d->name);
            ds_csv_text(&w, target);
            ds_csv_int(&w, r->n);
            /* an empty cell where the rule never acts */
            if (r->escalate_at_most >= 0) {
                ds_csv_int(&w, r->escalate_at_most);
            } else {
                ds_csv_empty(&w);
            }
            const int from[] = {r->deescalate_from, r->eliminate_from, r->stop_from};
            for (int k = 0; k < (stops ? 3 : 2); k++) {
                if (from[k] <= r->n) {
                    ds_csv_int(&w, from[k]);
                } else {
                    ds_csv_empty(&w);
                }
            }
            ds_csv_end(&w);
        }
        return cli_stdout_check("table");
    }
    if (interval) {
        fprintf(cli_output(), "%s, target %s: cohorts of %d, at most %d patients\n", d->name,
                target, d->interval.cohort_size, d->interval.max_n);
    } else {
        fprintf(cli_output(), "%s: stages on cumulative counts at the dose\n", d->name);
    }
    const int width = 3;
    fprintf(cli_output(), "%-34s", "patients at the dose (n)");
    for (int i = 0; i < n_rows; i++) {
        fprintf(cli_output(), " %*d", width, rows[i].n);
    }
    fprintf(cli_output(), "\n%-34s", "escalate if DLTs <=");
    for (int i = 0; i < n_rows; i++) {
        print_count(cli_output(), rows[i].escalate_at_most, -1, width);
    }
    fprintf(cli_output(), "\n%-34s",
            interval ? "de-escalate if DLTs >=" : "too toxic (de-escalate) if >=");
    for (int i = 0; i < n_rows; i++) {
        print_count(cli_output(), rows[i].deescalate_from, rows[i].n + 1, width);
    }
    if (interval) {
        fprintf(cli_output(), "\n%-34s", "eliminate if DLTs >=");
        for (int i = 0; i < n_rows; i++) {
            print_count(cli_output(), rows[i].eliminate_from, rows[i].n + 1, width);
        }
    }
    if (stops) {
        fprintf(cli_output(), "\n%-34s", "stop (lowest dose) if DLTs >=");
        for (int i = 0; i < n_rows; i++) {
            print_count(cli_output(), rows[i].stop_from, rows[i].n + 1, width);
        }
    }
    fprintf(cli_output(), "\n");
    if (interval && d->interval.kind == DS_INTERVAL_BOIN) {
        fprintf(cli_output(), "lambda_e %.7f, lambda_d %.7f\n", d->interval.lambda_e,
                d->interval.lambda_d);
    }
    return cli_stdout_check("table");
}

const cli_command_t cli_command_table = {
    .name = "table",
    .summary = "a design's decision table (escalate, de-escalate, eliminate) for the protocol",
    .options = CLI_DESIGN_OPTIONS | CLI_OPT(OPT_FORMAT),
    .positional = CLI_NOTHING,
    .formats = table_formats,
    .usage = usage,
    .run = run_table,
};

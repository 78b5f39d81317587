/* dosesim schema: the result contract (schema.h), machine-readable: the CSV
 * shipped as results/SCHEMA.csv, which the tests hold every written file and
 * README.md's column tables to. */
#include "cmd.h"
#include "dosesim/csv.h"

#include <stdio.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim schema\n"
            "\n"
            "Prints the columns of every file dosesim writes, as CSV (results/SCHEMA.csv):\n"
            "table, files, position, column, type, empty_when, description; a row per column,\n"
            "in the order written. Every table starts with the same %d key columns; a column\n"
            "named with %s repeats for each dose level. Types: text, integer, number,\n"
            "probability, yes_no, run_id; empty_when is empty for a column never empty.\n",
            DS_KEY_COLUMNS, DS_COL_LEVEL_MARK);
}

static int run_schema(cli_args_t *args, const cli_cluster_t *cluster)
{
    (void)args;
    (void)cluster;
    static const char *const header[] = {"table", "files",      "position",   "column",
                                         "type",  "empty_when", "description"};
    ds_csv_header(cli_output(), header, sizeof(header) / sizeof(header[0]));
    for (int t = 0; t < DS_N_TABLES; t++) {
        const ds_table_schema_t *table = ds_schema_table((ds_table_id_t)t);
        for (size_t k = 0; k < table->n_columns; k++) {
            const ds_column_t *c = table->columns[k];
            ds_csv_row_t w = {.file = cli_output(), .at_start = true};
            ds_csv_text(&w, table->name);
            ds_csv_text(&w, table->files);
            ds_csv_int(&w, (long long)k + 1);
            ds_csv_text(&w, c->name);
            ds_csv_text(&w, ds_column_type_names[c->type]);
            ds_csv_text(&w, c->empty_when != NULL ? c->empty_when : "");
            ds_csv_text(&w, c->description);
            ds_csv_end(&w);
        }
    }
    return cli_stdout_check("schema");
}

const cli_command_t cli_command_schema = {
    .name = "schema",
    .summary = "the columns of every file dosesim writes (results/SCHEMA.csv)",
    .options = 0,
    .positional = CLI_NOTHING,
    .usage = usage,
    .run = run_schema,
};

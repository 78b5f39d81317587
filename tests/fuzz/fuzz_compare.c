/* libFuzzer target: the CSV readers behind dosesim compare. The input stands for
 * two folders' summary and doses files (tests/fuzz/sections.h), from folders
 * whose names are the fifth section. Whatever they hold, compare refuses them
 * or writes its table and figure, and the gnuplot script holds no byte of the
 * files or the names that gnuplot could act on. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "sections.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *at[5];
    size_t len[5];
    int n = fuzz_sections((const char *)data, size, at, len, 5);
    if (n < 4) {
        return 0;
    }
    char name[2][80] = {"a", "b"};
    if (n == 5) {
        /* The folders' names: the fifth section, up to a newline, then the rest. */
        const char *newline = memchr(at[4], '\n', len[4]); /* the input ends in no NUL */
        size_t cut = newline != NULL ? (size_t)(newline - at[4]) : len[4];
        snprintf(name[0], sizeof(name[0]), "%.*s", (int)(cut < 79 ? cut : 79), at[4]);
        size_t rest = len[4] - cut > 0 ? len[4] - cut - 1 : 0;
        snprintf(name[1], sizeof(name[1]), "%.*s", (int)(rest < 79 ? rest : 79),
                 at[4] + cut + (cut < len[4]));
        for (int i = 0; i < 2; i++) {
            if (strlen(name[i]) == 0) {
                snprintf(name[i], sizeof(name[i]), "%c", 'a' + i);
            }
        }
    }
    const char *dirs[2] = {name[0], name[1]};
    cli_text_file_t summaries[2] = {{"a/summary.csv", at[0], len[0]}, {"b/summary.csv", at[2], len[2]}};
    cli_text_file_t doses[2] = {{"a/doses.csv", at[1], len[1]}, {"b/doses.csv", at[3], len[3]}};
    char *script = NULL, *csv = NULL, *table = NULL;
    size_t script_len = 0, csv_len = 0, table_len = 0;
    cli_figures_t figs;
    cli_figures_init(&figs, "compare", "out", CLI_GP_PNG);
    figs.scripts = open_memstream(&script, &script_len);
    FILE *csv_file = open_memstream(&csv, &csv_len);
    FILE *table_file = open_memstream(&table, &table_len);
    if (figs.scripts != NULL && csv_file != NULL && table_file != NULL) {
        (void)cli_compare_texts(&figs, csv_file, 2, dirs, summaries, doses, NULL, table_file);
    }
    if (figs.scripts != NULL) {
        fclose(figs.scripts);
    }
    if (csv_file != NULL) {
        fclose(csv_file);
    }
    if (table_file != NULL) {
        fclose(table_file);
    }
    cli_figures_abandon(&figs);
    if (script != NULL && !cli_gp_script_is_clean(script, script_len)) {
        abort();
    }
    free(script);
    free(csv);
    free(table);
    return 0;
}

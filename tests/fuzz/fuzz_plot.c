/* libFuzzer target: the CSV readers behind dosesim plot. The input stands for a
 * result set's summary, doses, sample-size and duration files and a sweep file
 * (tests/fuzz/sections.h). Whatever they hold, plot refuses them or draws, and
 * the gnuplot script it would run holds no byte of the files that gnuplot could
 * act on: no backquote, no @, nothing past ASCII, no line end but its own. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "figure.h"
#include "sections.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_scripts(char *text, size_t len)
{
    if (text != NULL && !cli_gp_script_is_clean(text, len)) {
        abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *at[5];
    size_t len[5];
    int n = fuzz_sections((const char *)data, size, at, len, 5);
    static const char *const paths[5] = {"r/summary.csv", "r/doses.csv", "r/sample_size.csv",
                                         "r/duration.csv", "r/sweep_x.csv"};
    cli_text_file_t files[5];
    for (int k = 0; k < 5; k++) {
        files[k] = (cli_text_file_t){.path = paths[k], .text = k < n ? at[k] : NULL,
                                     .len = k < n ? len[k] : 0};
    }
    /* One format per input (the first byte picks it): they differ in a line of ours. */
    const int first_format = size > 0 ? data[0] % CLI_GP_N_FORMATS : 0;
    for (int format = first_format; format == first_format; format++) {
        char *text = NULL;
        size_t text_len = 0;
        cli_figures_t figs;
        cli_figures_init(&figs, "plot", "r", (cli_gp_format_t)format);
        figs.scripts = open_memstream(&text, &text_len);
        if (figs.scripts == NULL) {
            return 0;
        }
        (void)cli_plot_results(&figs, files);
        if (n == 5) {
            (void)cli_plot_sweep(&figs, &files[4], "sweep_x");
        }
        fclose(figs.scripts);
        cli_figures_abandon(&figs);
        check_scripts(text, text_len);
    }
    return 0;
}

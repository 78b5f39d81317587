/* gnuplot, kept from interpreting anything it is given but our own commands.
 *
 * A script is written into memory: the commands are dosesim's own text, and
 * every piece of outside text (dose labels, scenario and folder names, what a
 * CSV holds) goes in only through cli_gp_str() or cli_gp_tic(), as a
 * double-quoted string in which every byte but letters, digits, space and
 * . , _ - ( ) is an octal escape. So the script holds no backquote (gnuplot's
 * shell substitution), no @ (its macros), no quote that could end the string,
 * no byte past ASCII and no line end of outside text; tic labels, which gnuplot
 * reads as formats, have their % doubled; the terminal is noenhanced, so
 * {/Symbol} markup is just text. Numbers go in as numbers. gnuplot is started
 * without a shell (posix_spawnp, with -d: no initialisation file is read), reads
 * the script from an unnamed file, and draws into a pipe that dosesim reads and
 * writes into its own output file: gnuplot opens no file by name. Its messages
 * (warnings on degenerate data, errors) are kept from the terminal: a failure
 * is told in dosesim's words. */
#ifndef DOSESIM_GNUPLOT_H
#define DOSESIM_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dosesim/fileio.h"

/* The formats a figure is drawn in. */
typedef enum { CLI_GP_PNG, CLI_GP_SVG, CLI_GP_PDF, CLI_GP_N_FORMATS } cli_gp_format_t;

/* "png", "svg", "pdf". */
extern const char *const cli_gp_format_names[CLI_GP_N_FORMATS];

/* A gnuplot script being written: fprintf our commands into out. */
typedef struct {
    FILE *out;
    char *text;
    size_t len;
    cli_gp_format_t format;
} cli_gp_t;

/* Start a script for one figure of width x height pixels (PDF: at 96 per inch).
 * 0, or -1 when out of memory. */
int cli_gp_begin(cli_gp_t *gp, cli_gp_format_t format, int width, int height);

/* Outside text as a gnuplot string literal (see above). */
void cli_gp_str(FILE *out, const char *text);

/* The same for a tic label (gnuplot reads those as formats: % is doubled). */
void cli_gp_tic(FILE *out, const char *text);

/* A piece of a string expression: cli_gp_str, after " . " unless first. */
void cli_gp_join(FILE *out, const char *text, bool first);

/* A number, or NaN. */
void cli_gp_num(FILE *out, double x);

/* The colour (#rrggbb) of dose level (1..n_levels): viridis without its
 * yellow end, ordered from the lowest dose (green) to the highest (dark
 * violet), so that the order reads in any colour vision and in grey. */
void cli_gp_dose_colour(int level, int n_levels, char out[8]);

/* "No RP2D": a neutral grey, apart from every dose colour. */
#define CLI_GP_NONE_COLOUR "#a0a0a0"

/* Colours of unordered series (scenarios): Okabe and Ito's, without their
 * yellow, repeating after seven; cli_gp_series_dash tells the repeats apart
 * (a dash type, 1 for the first seven). */
const char *cli_gp_series_colour(int i);
int cli_gp_series_dash(int i);

/* Run gnuplot on the script and write the figure it draws into file (opened by
 * the caller, not yet published). what names the figure in messages. Returns 0,
 * or an exit status after saying why (in dosesim's words; gnuplot's messages,
 * whatever it says, never reach the terminal). */
int cli_gp_render(cli_gp_t *gp, const char *command, ds_outfile_t *file, const char *what);

/* The script's text so far (for tests and the fuzzers), NUL-terminated. */
const char *cli_gp_script(cli_gp_t *gp);

/* Free the script. Always safe after cli_gp_begin. */
void cli_gp_free(cli_gp_t *gp);

/* Whether a script could only be ours: no backquote, no @, no byte past ASCII,
 * no control character but line ends. What the fuzzers check. */
bool cli_gp_script_is_clean(const char *text, size_t len);

#endif

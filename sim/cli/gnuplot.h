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
 * are kept, and shown only if it fails. */
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

/* A number, or NaN. */
void cli_gp_num(FILE *out, double x);

/* Run gnuplot on the script and write the figure it draws into file (opened by
 * the caller, not yet published). what names the figure in messages. Returns 0,
 * or an exit status after printing why (gnuplot's messages with it). */
int cli_gp_render(cli_gp_t *gp, const char *command, ds_outfile_t *file, const char *what);

/* The script's text so far (for tests and the fuzzers), NUL-terminated. */
const char *cli_gp_script(cli_gp_t *gp);

/* Free the script. Always safe after cli_gp_begin. */
void cli_gp_free(cli_gp_t *gp);

/* Whether a script could only be ours: no backquote, no @, no byte past ASCII,
 * no control character but line ends. What the fuzzers check. */
bool cli_gp_script_is_clean(const char *text, size_t len);

#endif

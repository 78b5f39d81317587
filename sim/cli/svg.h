/* Figures as inline SVG, drawn here (no library, nothing loaded): rectangles,
 * lines and text, every text escaped (markup.h), and the palettes of the
 * figures: viridis for what is ordered (doses), Okabe & Ito's for what is not
 * (designs); both read by people with any common colour vision. */
#ifndef DOSESIM_SVG_H
#define DOSESIM_SVG_H

#include <stdbool.h>
#include <stdio.h>

/* Room for a colour "#rrggbb". */
#define CLI_COLOUR_CHARS 8

/* Viridis at t in [0, 1] (van der Walt & Smith's matplotlib map, through its
 * nine-class samples), into out. */
void cli_viridis(double t, char out[CLI_COLOUR_CHARS]);
/* Okabe & Ito's eight colours (2008), black last; the i-th, cycling. */
const char *cli_okabe_ito(int i);
/* Black or white, whichever reads better on colour (relative luminance). */
const char *cli_text_colour_on(const char *colour);

/* An <svg> of width x height user units with its accessible name (ours). */
void cli_svg_begin(FILE *out, int width, int height, const char *label);
void cli_svg_end(FILE *out);
/* A clip path of id NAME: a rectangle; then cli_svg_group(out, NAME) ... cli_svg_group_end. */
void cli_svg_clip(FILE *out, const char *id, double x, double y, double w, double h);
void cli_svg_group(FILE *out, const char *clip_id);
void cli_svg_group_end(FILE *out);
/* A rectangle; tooltip (may be NULL) is shown on hover, escaped. */
void cli_svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
                  const char *tooltip);
/* Text at (x, y): anchor start, middle or end; size in user units. */
void cli_svg_text(FILE *out, double x, double y, const char *anchor, double size, bool bold,
                  const char *fill, const char *text);
void cli_svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
                  double width);
/* A line through n points. */
void cli_svg_polyline(FILE *out, const double *x, const double *y, int n, const char *stroke,
                      double width);

#endif

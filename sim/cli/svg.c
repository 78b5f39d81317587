/* Inline SVG (svg.h). Numbers are written with one decimal, text escaped as
 * HTML's, so that nothing from outside ends an element or an attribute. */
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/markup.h"

/* viridis(9): the map's nine evenly spaced samples. */
static const unsigned char viridis9[9][3] = {
    {0x44, 0x01, 0x54}, {0x47, 0x2d, 0x7b}, {0x3b, 0x52, 0x8b},
    {0x2c, 0x72, 0x8e}, {0x21, 0x91, 0x8c}, {0x28, 0xae, 0x80},
    {0x5e, 0xc9, 0x62}, {0xad, 0xdc, 0x30}, {0xfd, 0xe7, 0x25},
};

void cli_viridis(double t, char out[CLI_COLOUR_CHARS])
{
    t = isnan(t) ? 0.0 : t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
    double at = t * 8.0;
    int i = (int)floor(at);
    i = i > 7 ? 7 : i;
    double f = at - i;
    int rgb[3];
    for (int c = 0; c < 3; c++) {
        rgb[c] = (int)lround(viridis9[i][c] + f * (viridis9[i + 1][c] - viridis9[i][c]));
    }
    snprintf(out, CLI_COLOUR_CHARS, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

const char *cli_okabe_ito(int i)
{
    static const char *const colours[] = {"#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                          "#0072B2", "#D55E00", "#CC79A7", "#000000"};
    return colours[(i < 0 ? -i : i) % 8];
}

const char *cli_text_colour_on(const char *colour)
{
    unsigned r = 0, g = 0, b = 0;
    if (colour == NULL || sscanf(colour, "#%2x%2x%2x", &r, &g, &b) != 3) {
        return "#000000";
    }
    /* WCAG's relative luminance; white text below about 0.18. */
    double c[3] = {r / 255.0, g / 255.0, b / 255.0};
    for (int k = 0; k < 3; k++) {
        c[k] = c[k] <= 0.03928 ? c[k] / 12.92 : pow((c[k] + 0.055) / 1.055, 2.4);
    }
    double lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    return lum < 0.18 ? "#ffffff" : "#000000";
}

static void escaped(FILE *out, const char *text)
{
    size_t len = strlen(text);
    size_t need = ds_markup_escape(DS_MARKUP_HTML, 0, text, len, NULL, 0) + 1;
    char *buf = malloc(need);
    if (buf != NULL) {
        ds_markup_escape(DS_MARKUP_HTML, 0, text, len, buf, need);
        fputs(buf, out);
        free(buf);
    }
}

void cli_svg_begin(FILE *out, int width, int height, const char *label)
{
    fprintf(out,
            "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
            "aria-label=\"",
            width, height, width, height);
    escaped(out, label);
    fprintf(out, "\">\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            width, height);
}

void cli_svg_end(FILE *out)
{
    fputs("</svg>\n", out);
}

void cli_svg_clip(FILE *out, const char *id, double x, double y, double w, double h)
{
    fputs("<defs><clipPath id=\"", out);
    escaped(out, id);
    fprintf(out,
            "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath></defs>\n",
            x, y, w, h);
}

void cli_svg_group(FILE *out, const char *clip_id)
{
    fputs("<g clip-path=\"url(#", out);
    escaped(out, clip_id);
    fputs(")\">\n", out);
}

void cli_svg_group_end(FILE *out)
{
    fputs("</g>\n", out);
}

void cli_svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
                  const char *tooltip)
{
    if (!(w > 0.0) || !(h > 0.0)) {
        return;
    }
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"", x, y, w, h);
    escaped(out, fill);
    if (tooltip == NULL) {
        fputs("\"/>\n", out);
        return;
    }
    fputs("\"><title>", out);
    escaped(out, tooltip);
    fputs("</title></rect>\n", out);
}

void cli_svg_text(FILE *out, double x, double y, const char *anchor, double size, bool bold,
                  const char *fill, const char *text)
{
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"", x, y, size);
    escaped(out, anchor);
    fputs("\" fill=\"", out);
    escaped(out, fill);
    fputs(bold ? "\" font-weight=\"bold\">" : "\">", out);
    escaped(out, text);
    fputs("</text>\n", out);
}

void cli_svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
                  double width)
{
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"", x1, y1, x2, y2);
    escaped(out, stroke);
    fprintf(out, "\" stroke-width=\"%.1f\"/>\n", width);
}

void cli_svg_polyline(FILE *out, const double *x, const double *y, int n, const char *stroke,
                      double width)
{
    if (n < 2) {
        return;
    }
    fputs("<polyline fill=\"none\" stroke=\"", out);
    escaped(out, stroke);
    fprintf(out, "\" stroke-width=\"%.1f\" stroke-linejoin=\"round\" points=\"", width);
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s%.1f,%.1f", i > 0 ? " " : "", x[i], y[i]);
    }
    fputs("\"/>\n", out);
}

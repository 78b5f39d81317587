/* One document, three languages (document.h). Every text goes through
 * ds_markup_escape; the markup written here is the only markup there is. */
#include "document.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"

/* The page's look: its own fonts (the reader's sans-serif), nothing loaded. */
static const char html_style[] =
    "body{font-family:sans-serif;color:#1a1a1a;background:#fff;margin:2em auto;max-width:"
    "1120px;padding:0 1em;line-height:1.4}\n"
    "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:1.8em}"
    "h3{font-size:1.1em;margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:0.6em 0 1.2em}\n"
    "th,td{border:1px solid #bbb;padding:0.2em 0.5em;vertical-align:top}\n"
    "th{background:#f0f0f0;text-align:left}\n"
    ".r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.c{text-align:"
    "center}\n"
    "td,h1,h2,h3,li,p,figcaption{overflow-wrap:break-word}\n"
    "figure{margin:1em 0}figcaption{font-size:0.9em;color:#444;max-width:60em}\n"
    "svg{max-width:100%;height:auto}svg text{font-family:sans-serif}\n"
    ".note{font-size:0.9em;color:#444}\n"
    "@media print{body{max-width:none}h2{break-before:auto}figure,table{break-inside:avoid}}\n";

/* Kernel LaTeX and the packages every installation has (fontenc, inputenc,
 * textcomp, color; array and longtable of the required tools bundle). */
static const char latex_preamble[] = "\\documentclass[a4paper,10pt]{article}\n"
                                     "\\usepackage[T1]{fontenc}\n"
                                     "\\usepackage[utf8]{inputenc}\n"
                                     "\\usepackage{textcomp}\n"
                                     "\\usepackage{color}\n"
                                     "\\usepackage{array}\n"
                                     "\\usepackage{longtable}\n"
                                     "\\setlength{\\textwidth}{17cm}\n"
                                     "\\setlength{\\oddsidemargin}{-0.54cm}\n"
                                     "\\setlength{\\evensidemargin}{-0.54cm}\n"
                                     "\\setlength{\\textheight}{23cm}\n"
                                     "\\setlength{\\topmargin}{-1cm}\n"
                                     "\\setlength{\\parindent}{0pt}\n"
                                     "\\setlength{\\parskip}{0.5em}\n"
                                     "\\setlength{\\tabcolsep}{3pt}\n"
                                     "\\setlength{\\LTleft}{0pt}\n"
                                     "\\setlength{\\LTright}{0pt plus 1fill}\n"
                                     "\\begin{document}\n";

/* Text, escaped; at the start of a line (a paragraph's, an item's) or within one. */
static void escaped(cli_doc_t *doc, const char *text)
{
    size_t len = strlen(text);
    unsigned flags = doc->line_start ? 0u : DS_MARKUP_MID_LINE;
    char small[1024];
    size_t need = ds_markup_escape(doc->kind, flags, text, len, NULL, 0) + 1;
    char *buf = need <= sizeof(small) ? small : malloc(need);
    if (buf == NULL) {
        return; /* out of memory: the write fails later as any would */
    }
    ds_markup_escape(doc->kind, flags, text, len, buf, need);
    fputs(buf, doc->out);
    if (buf != small) {
        free(buf);
    }
    doc->line_start = doc->line_start && len == 0;
}

void cli_doc_begin(cli_doc_t *doc, FILE *out, ds_markup_t kind, const char *title)
{
    memset(doc, 0, sizeof(*doc));
    doc->out = out;
    doc->kind = kind;
    switch (kind) {
    case DS_MARKUP_HTML:
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta name=\"generator\" content=\"dosesim " DS_VERSION "\">\n<title>",
              out);
        escaped(doc, title);
        fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", html_style);
        escaped(doc, title);
        fputs("</h1>\n", out);
        break;
    case DS_MARKUP_MARKDOWN:
        fputs("# ", out);
        escaped(doc, title); /* a heading's text: inline */
        fputs("\n\n", out);
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs("% Made by dosesim " DS_VERSION " (dosesim report): compile with pdflatex.\n", out);
        fputs(latex_preamble, out);
        fputs("{\\LARGE\\bfseries\\raggedright ", out);
        escaped(doc, title);
        fputs("\\par}\n\\bigskip\n\n", out);
        break;
    }
}

void cli_doc_end(cli_doc_t *doc)
{
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fputs("</body>\n</html>\n", doc->out);
        break;
    case DS_MARKUP_MARKDOWN:
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs("\\end{document}\n", doc->out);
        break;
    }
}

void cli_doc_text(cli_doc_t *doc, const char *text)
{
    escaped(doc, text);
}

void cli_doc_textf(cli_doc_t *doc, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t)n < sizeof(small)) {
        escaped(doc, small);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    escaped(doc, big);
    free(big);
}

void cli_doc_name(cli_doc_t *doc, const char *name)
{
    if (doc->kind == DS_MARKUP_HTML) {
        fputs("<bdi>", doc->out);
        escaped(doc, name);
        fputs("</bdi>", doc->out);
    } else {
        escaped(doc, name);
    }
}

void cli_doc_strong(cli_doc_t *doc, const char *text)
{
    static const char *const open[DS_MARKUP_N] = {"<strong>", "**", "\\textbf{"};
    static const char *const close[DS_MARKUP_N] = {"</strong>", "**", "}"};
    fputs(open[doc->kind], doc->out);
    doc->line_start = false;
    escaped(doc, text);
    fputs(close[doc->kind], doc->out);
}

void cli_doc_heading(cli_doc_t *doc, int level)
{
    doc->line_start = false; /* a heading's text is inline */
    level = level < 1 ? 1 : level > 3 ? 3 : level;
    static const char *const latex[] = {"\\section*{", "\\subsection*{", "\\subsubsection*{"};
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fprintf(doc->out, "<h%d>", level + 1);
        break;
    case DS_MARKUP_MARKDOWN:
        fprintf(doc->out, "%.*s ", level + 1, "####");
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs(latex[level - 1], doc->out);
        break;
    }
}

void cli_doc_heading_end(cli_doc_t *doc, int level)
{
    level = level < 1 ? 1 : level > 3 ? 3 : level;
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fprintf(doc->out, "</h%d>\n", level + 1);
        break;
    case DS_MARKUP_MARKDOWN:
        fputs("\n\n", doc->out);
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs("}\n\n", doc->out);
        break;
    }
}

void cli_doc_para(cli_doc_t *doc)
{
    if (doc->kind == DS_MARKUP_HTML) {
        fputs("<p>", doc->out);
    }
    doc->line_start = true;
}

void cli_doc_para_end(cli_doc_t *doc)
{
    fputs(doc->kind == DS_MARKUP_HTML ? "</p>\n" : "\n\n", doc->out);
}

void cli_doc_list(cli_doc_t *doc)
{
    static const char *const open[DS_MARKUP_N] = {"<ul>\n", "", "\\begin{itemize}\n"};
    fputs(open[doc->kind], doc->out);
    doc->list_depth = 0; /* no item open yet */
}

void cli_doc_item(cli_doc_t *doc)
{
    /* Markdown: lists one after another alternate their bullets, so that they
     * stay two lists. */
    static const char *const open[DS_MARKUP_N] = {"<li>", "- ", "\\item "};
    if (doc->list_depth > 0) {
        fputs(doc->kind == DS_MARKUP_HTML ? "</li>\n" : "\n", doc->out);
    }
    fputs(doc->kind == DS_MARKUP_MARKDOWN && doc->lists % 2 == 1 ? "* " : open[doc->kind],
          doc->out);
    doc->list_depth = 1;
    doc->line_start = true;
}

void cli_doc_list_end(cli_doc_t *doc)
{
    static const char *const close[DS_MARKUP_N] = {"</ul>\n", "\n", "\\end{itemize}\n\n"};
    if (doc->list_depth > 0) {
        fputs(doc->kind == DS_MARKUP_HTML ? "</li>\n" : "\n", doc->out);
    }
    fputs(close[doc->kind], doc->out);
    doc->list_depth = 0;
    doc->lists++;
}

/* LaTeX's columns, each a paragraph of a set width (text ragged right, numbers
 * ragged left, words centred) so that a header wraps within its column. Each
 * letter has its width, enough for what dosesim writes there (a header's
 * longest word in bold, a range of two probabilities), all scaled down
 * together when the table would be wider than the text (the preamble's
 * 17 cm, less its \tabcolsep, 3pt, each side of each column). */
static double latex_column_cm(char letter)
{
    switch (letter) {
    case 'l':
        return 2.6;
    case 'w':
        return 5.2;
    case 'R':
        return 2.1;
    default:
        return 1.7;
    }
}

static void latex_columns(FILE *out, const char *columns, size_t n)
{
    const double text_cm = 17.0, gap_cm = 2 * 3.0 * 2.54 / 72.27;
    double wanted = 0.0;
    for (size_t i = 0; i < n; i++) {
        wanted += latex_column_cm(columns[i]);
    }
    const double room = text_cm - (double)n * gap_cm;
    const double scale = wanted > room ? room / wanted : 1.0;
    for (size_t i = 0; i < n; i++) {
        const char c = columns[i];
        const char *align = c == 'l' || c == 'w' ? "\\raggedright"
                            : c == 'c'           ? "\\centering"
                                                 : "\\raggedleft";
        /* Rounded down, so that the sum never exceeds the room. */
        const double cm = floor(latex_column_cm(c) * scale * 100.0) / 100.0;
        fprintf(out, ">{%s\\arraybackslash}p{%.2fcm}", align, cm);
    }
}

void cli_doc_table(cli_doc_t *doc, const char *columns)
{
    size_t n = strlen(columns);
    n = n > CLI_DOC_MAX_COLUMNS ? CLI_DOC_MAX_COLUMNS : n;
    memcpy(doc->columns, columns, n);
    doc->columns[n] = '\0';
    doc->n_columns = (int)n;
    doc->had_header = false;
    doc->cell = 0;
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fputs("<table>\n", doc->out);
        break;
    case DS_MARKUP_MARKDOWN:
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs("{\\small\n\\begin{longtable}{", doc->out);
        latex_columns(doc->out, columns, n);
        fputs("}\n\\hline\n", doc->out);
        break;
    }
}

void cli_doc_row(cli_doc_t *doc)
{
    doc->cell = 0;
    doc->header = !doc->had_header;
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fputs(doc->header ? "<thead><tr>" : "<tr>", doc->out);
        break;
    case DS_MARKUP_MARKDOWN:
        fputs("|", doc->out);
        break;
    default:
        break;
    }
}

static void cell_close(cli_doc_t *doc)
{
    if (doc->kind == DS_MARKUP_HTML) {
        fputs(doc->header ? "</th>" : "</td>", doc->out);
    } else if (doc->kind == DS_MARKUP_MARKDOWN) {
        fputs(" |", doc->out);
    } else if (doc->header) {
        fputs("}", doc->out); /* the header's bold */
    }
}

void cli_doc_cell(cli_doc_t *doc)
{
    if (doc->cell >= doc->n_columns) {
        /* One cell too many: its text goes into the last, never a column more. */
        doc->cell++;
        return;
    }
    if (doc->cell > 0) {
        cell_close(doc);
        if (doc->kind == DS_MARKUP_LATEX) {
            fputs(" & ", doc->out);
        }
    }
    char align = doc->columns[doc->cell];
    doc->cell++;
    doc->line_start = false; /* a cell's text is inline */
    if (doc->kind == DS_MARKUP_HTML) {
        const char *tag = doc->header ? "th" : "td";
        if (align == 'r' || align == 'R' || align == 'c') {
            fprintf(doc->out, "<%s class=\"%c\">", tag, align == 'c' ? 'c' : 'r');
        } else {
            fprintf(doc->out, "<%s>", tag);
        }
    } else if (doc->kind == DS_MARKUP_MARKDOWN) {
        fputs(" ", doc->out);
    } else if (doc->header) {
        fputs("\\textbf{", doc->out);
    }
}

void cli_doc_row_end(cli_doc_t *doc)
{
    while (doc->cell < doc->n_columns) {
        cli_doc_cell(doc);
    }
    if (doc->cell > 0) {
        cell_close(doc);
    }
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fputs(doc->header ? "</tr></thead>\n<tbody>\n" : "</tr>\n", doc->out);
        break;
    case DS_MARKUP_MARKDOWN:
        fputs("\n", doc->out);
        if (doc->header) {
            fputs("|", doc->out);
            for (int i = 0; i < doc->n_columns; i++) {
                fputs(doc->columns[i] == 'r' || doc->columns[i] == 'R' ? " ---: |"
                      : doc->columns[i] == 'c'                         ? " :---: |"
                                                                       : " --- |",
                      doc->out);
            }
            fputs("\n", doc->out);
        }
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs(doc->header ? " \\\\\n\\hline\n\\endhead\n" : " \\\\\n", doc->out);
        break;
    }
    doc->had_header = true;
    doc->header = false;
    doc->cell = 0;
}

void cli_doc_table_end(cli_doc_t *doc)
{
    switch (doc->kind) {
    case DS_MARKUP_HTML:
        fputs(doc->had_header ? "</tbody>\n</table>\n" : "</table>\n", doc->out);
        break;
    case DS_MARKUP_MARKDOWN:
        fputs("\n", doc->out);
        break;
    case DS_MARKUP_LATEX:
    default:
        fputs("\\hline\n\\end{longtable}\n}\n\n", doc->out);
        break;
    }
    doc->n_columns = 0;
}

void cli_doc_number(cli_doc_t *doc, double x, int decimals)
{
    if (isnan(x)) {
        fputs("\xE2\x80\x94", doc->out); /* an em dash: no value */
        return;
    }
    fprintf(doc->out, "%.*f", decimals, x);
}

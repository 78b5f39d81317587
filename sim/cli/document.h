/* A document written in one of three languages (HTML, GitHub-flavoured
 * Markdown, LaTeX) through one set of calls: headings, paragraphs, lists and
 * tables, and text that is always escaped (markup.h). What report writes; the
 * only markup is the document's own, and no text, ours or from a file, is
 * ever read as markup. */
#ifndef DOSESIM_DOCUMENT_H
#define DOSESIM_DOCUMENT_H

#include <stdbool.h>
#include <stdio.h>

#include "dosesim/markup.h"

/* Most columns a table may have. */
#define CLI_DOC_MAX_COLUMNS 48

typedef struct {
    FILE *out;
    ds_markup_t kind;
    char columns[CLI_DOC_MAX_COLUMNS + 1]; /* the table's, one letter each (cli_doc_table) */
    int n_columns;
    int cell;        /* cells begun in the row */
    bool header;     /* the row is the table's header */
    bool had_header; /* the table's header row is written */
    int list_depth;  /* 1 while a list item is open */
    int lists;       /* lists ended so far */
    bool line_start; /* the next text begins a line (Markdown escapes its start) */
} cli_doc_t;

/* Begin a document in out: HTML's head (its style, and a policy that lets it
 * load nothing) or LaTeX's preamble, and the title as the first heading. */
void cli_doc_begin(cli_doc_t *doc, FILE *out, ds_markup_t kind, const char *title);
void cli_doc_end(cli_doc_t *doc);

/* Text, escaped: ours (text) or from outside (name: a scenario, a label, a
 * folder, held apart in HTML, <bdi>, so that its direction marks act on it
 * alone). textf formats first, then escapes the result. */
void cli_doc_text(cli_doc_t *doc, const char *text);
void cli_doc_textf(cli_doc_t *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_doc_name(cli_doc_t *doc, const char *name);
/* Text in bold (ours), and a line break within a cell or paragraph. */
void cli_doc_strong(cli_doc_t *doc, const char *text);

void cli_doc_heading(cli_doc_t *doc, int level); /* level 1..3; then text, then: */
void cli_doc_heading_end(cli_doc_t *doc, int level);
void cli_doc_para(cli_doc_t *doc);
void cli_doc_para_end(cli_doc_t *doc);
void cli_doc_list(cli_doc_t *doc);
void cli_doc_item(cli_doc_t *doc); /* each item: then its text */
void cli_doc_list_end(cli_doc_t *doc);

/* A table: a letter per column, l (text), w (wide text), r (numbers), R (wide
 * numbers: a range), c (centred words). The first row is the header. Each cell: cli_doc_cell, then
 * its text; a row ends with cli_doc_row_end (missing cells are added empty). */
void cli_doc_table(cli_doc_t *doc, const char *columns);
void cli_doc_row(cli_doc_t *doc);
void cli_doc_cell(cli_doc_t *doc);
void cli_doc_row_end(cli_doc_t *doc);
void cli_doc_table_end(cli_doc_t *doc);

/* A number as text (ours, no escaping needed): fixed decimals, or the dash of
 * a missing value for NaN. */
void cli_doc_number(cli_doc_t *doc, double x, int decimals);

#endif

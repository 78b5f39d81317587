/* Checks of documents by their structure, for the tests of markup.h and of
 * dosesim report: LaTeX (balanced groups and environments, no special
 * character unescaped, only the macros report writes, every table row as wide
 * as its table), GitHub Markdown (every table's rows as wide as its header, no
 * raw HTML, code or math) and HTML (only the elements report writes, nothing
 * that loads or runs); and the hostile corpus (tests/data/hostile). */
#ifndef DOSESIM_MARKUP_CHECK_H
#define DOSESIM_MARKUP_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the document is sound; if not, why (with its line) in why. */
bool check_latex(const char *doc, char *why, size_t size);
bool check_markdown(const char *doc, char *why, size_t size);
bool check_html(const char *doc, char *why, size_t size);

/* The same rules on an escaped piece of text on its own (no markup of ours):
 * LaTeX with no environment or table, Markdown with no table or bold. */
bool check_latex_text(const char *text, char *why, size_t size);
bool check_markdown_text(const char *text, char *why, size_t size);

/* tests/data/hostile/corpus.txt, decoded ({MARK} as mark): at most max
 * strings, malloc'ed; refused[i] for the REFUSE: lines. Their number. */
int read_hostile_corpus(char **strings, bool *refused, int max, const char *mark);

#endif

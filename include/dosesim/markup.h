/**
 * @file markup.h
 * @brief Text made safe for a document: HTML, GitHub-flavoured Markdown and
 *        LaTeX. Whatever the bytes (a scenario's name, a dose label, a folder's
 *        name), the escaped text is read by the document's language as text
 *        and nothing else: no tag, no entity, no table cell boundary, no
 *        macro, no math, no comment.
 *
 * The rules, per language:
 * - HTML: & < > " ' as character references (so the text is safe in an
 *   element and in a quoted attribute, in HTML and in inline SVG).
 * - Markdown (GitHub's): a backslash before every character that can start
 *   markup anywhere (\ ` * _ [ ] < > | ~ $ #: no emphasis, code, link, raw
 *   HTML, table cell boundary, strike-through, math or heading), before & that
 *   could begin an entity and : or @ that could begin an emoji short code or a
 *   mention (a letter, digit, # or _ after them); and, unless the text is said
 *   to stand within a line (DS_MARKUP_MID_LINE), before what starts a block at
 *   the beginning of a line when the text begins with it (- + = and the . or )
 *   after leading digits: no list, rule or heading underline).
 * - LaTeX: the ten specials (# $ % & ~ _ ^ \ { }) as macros, and < > | " ` '
 *   [ ] - written so that no ligature, optional argument or font quirk acts on
 *   them; characters pdflatex sets with the T1 encoding and textcomp (ASCII,
 *   Latin-1, dashes, quotes, ellipsis, euro) as they are, micro and Greek mu as
 *   \\textmu, and any other character as its code point, [U+XXXX] in
 *   typewriter type.
 *
 * In every language a control character (C0 but tab, DEL, C1) and a byte that
 * is not part of well-formed UTF-8 is replaced: by U+FFFD in HTML and
 * Markdown, by [U+XXXX] (or [0xXX] for a stray byte) in LaTeX. dosesim refuses
 * such text on input; this is the last line of defence, not a way to show it.
 */
#ifndef DOSESIM_MARKUP_H
#define DOSESIM_MARKUP_H

#include <stddef.h>

/** The document languages. */
typedef enum { DS_MARKUP_HTML = 0, DS_MARKUP_MARKDOWN, DS_MARKUP_LATEX, DS_MARKUP_N } ds_markup_t;

/** [DS_MARKUP_N]: each language's word, also its files' ending: "html", "md", "tex". */
extern const char *const ds_markup_names[DS_MARKUP_N];

/** Most bytes one input byte becomes (so a buffer of len * this + 1 always holds the result). */
#define DS_MARKUP_MAX_GROWTH 20

/** The text stands within a line, never at its start (Markdown's blocks need not be escaped). */
#define DS_MARKUP_MID_LINE 1u

/**
 * @brief Escape len bytes of text (NUL bytes included) for a language, as
 *        snprintf does: at most size - 1 bytes and a NUL into buf (buf may be
 *        NULL when size is 0; a result cut short ends at a whole escaped
 *        piece), returning the length of the whole result.
 */
size_t ds_markup_escape(ds_markup_t kind, unsigned flags, const char *text, size_t len, char *buf,
                        size_t size);

#endif

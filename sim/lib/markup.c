/* Text escaped for HTML, GitHub-flavoured Markdown and LaTeX (markup.h): the
 * one place each language's specials are listed. Escaping goes character by
 * character over well-formed UTF-8; anything else is replaced, never copied. */
#include "dosesim/markup.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/text.h"

const char *const ds_markup_names[DS_MARKUP_N] = {"html", "md", "tex"};

/* Where the escaped text goes: at most size - 1 bytes, the whole length counted. */
typedef struct {
    char *buf;
    size_t size;
    size_t len;     /* of the whole result */
    size_t written; /* into buf: whole pieces, until one did not fit */
    bool cut;
} sink_t;

static void put(sink_t *s, const char *piece, size_t n)
{
    if (!s->cut && s->written + n < s->size) {
        memcpy(s->buf + s->written, piece, n);
        s->written += n;
    } else {
        s->cut = true;
    }
    s->len += n;
}

static void put_text(sink_t *s, const char *piece)
{
    put(s, piece, strlen(piece));
}

/* The byte length of the UTF-8 sequence at text (at most len bytes), or 0 if it
 * is not well formed (ds_utf8_invalid_at's rules); *cp its code point. */
static size_t next_char(const unsigned char *text, size_t len, uint32_t *cp)
{
    unsigned char c = text[0];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || n > len || ds_utf8_invalid_at((const char *)text, n) != n) {
        return 0;
    }
    uint32_t v = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        v = (v << 6) | (text[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

/* A control character: C0 but tab, DEL, C1. */
static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

static void html_char(sink_t *s, uint32_t cp, const unsigned char *bytes, size_t n)
{
    switch (cp) {
    case '&':
        put_text(s, "&amp;");
        return;
    case '<':
        put_text(s, "&lt;");
        return;
    case '>':
        put_text(s, "&gt;");
        return;
    case '"':
        put_text(s, "&quot;");
        return;
    case '\'':
        put_text(s, "&#39;");
        return;
    default:
        put(s, (const char *)bytes, n);
    }
}

/* at_start: no character but spaces yet; after_digits: only digits since the
 * start; next: the byte after (-1 at the end). */
static void markdown_char(sink_t *s, uint32_t cp, const unsigned char *bytes, size_t n,
                          bool at_start, bool after_digits, int next)
{
    /* Markup anywhere: emphasis, code, links, raw HTML, cells, strike-through,
     * math, headings and references. */
    static const char anywhere[] = "\\`*_[]<>|~$#";
    bool word_next = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                     (next >= '0' && next <= '9') || next == '#' || next == '_';
    bool escape = cp < 0x80 && cp != 0 && strchr(anywhere, (int)cp) != NULL;
    /* Entities (&amp;), emoji short codes (:smile:), mentions (@name). */
    escape |= (cp == '&' || cp == ':' || cp == '@') && word_next;
    /* Blocks at the start of a line: lists, rules, heading underlines. */
    escape |= at_start && (cp == '-' || cp == '+' || cp == '=');
    escape |= after_digits && (cp == '.' || cp == ')');
    if (escape) {
        put(s, "\\", 1);
    }
    put(s, (const char *)bytes, n);
}

/* Characters pdflatex sets as they are with T1, utf8 and textcomp. */
static bool latex_plain(uint32_t cp)
{
    static const uint32_t also[] = {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x20AC};
    if (cp >= 0xA0 && cp <= 0xFF && cp != 0xB5) {
        return true;
    }
    for (size_t i = 0; i < sizeof(also) / sizeof(also[0]); i++) {
        if (cp == also[i]) {
            return true;
        }
    }
    return false;
}

static void latex_char(sink_t *s, uint32_t cp, const unsigned char *bytes, size_t n, int next)
{
    static const struct {
        char c;
        const char *as;
    } specials[] = {
        {'#', "\\#"},
        {'$', "\\$"},
        {'%', "\\%"},
        {'&', "\\&"},
        {'_', "\\_"},
        {'{', "\\{"},
        {'}', "\\}"},
        {'~', "\\textasciitilde{}"},
        {'^', "\\textasciicircum{}"},
        {'\\', "\\textbackslash{}"},
        {'<', "\\textless{}"},    /* and no << ligature */
        {'>', "\\textgreater{}"}, /* and no >> ligature */
        {'|', "\\textbar{}"},
        {'"', "\\textquotedbl{}"},
        {'`', "\\textasciigrave{}"}, /* and no ?` or !` ligature */
        {'\'', "\\textquotesingle{}"},
        {'[', "{[}"}, /* never an optional argument, after \\ say */
        {']', "{]}"},
        {'-', "-{}"},             /* no -- or --- ligature */
        {'/', "\\slash{}"},       /* a line may break after it, in a path */
        {'(', "\\allowbreak{}("}, /* or before it, in a name: keyboard(max_n=18) */
        {'\t', " "},
    };
    if (cp < 0x80) {
        for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
            if ((uint32_t)(unsigned char)specials[i].c == cp) {
                put_text(s, specials[i].as);
                return;
            }
        }
        put(s, (const char *)bytes, n);
        if (cp == ',' && next == ',') {
            put_text(s, "{}"); /* no ,, ligature */
        }
        return;
    }
    if (cp == 0xB5 || cp == 0x3BC) {
        put_text(s, "\\textmu{}");
        return;
    }
    if (latex_plain(cp)) {
        put(s, (const char *)bytes, n);
        return;
    }
    char code[40];
    snprintf(code, sizeof(code), "{\\ttfamily[U+%04X]}", (unsigned)cp);
    put_text(s, code);
}

size_t ds_markup_escape(ds_markup_t kind, unsigned flags, const char *text, size_t len, char *buf,
                        size_t size)
{
    sink_t s = {.buf = buf, .size = size};
    const unsigned char *p = (const unsigned char *)text;
    bool at_start = (flags & DS_MARKUP_MID_LINE) == 0, after_digits = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = next_char(p + i, len - i, &cp);
        if (n == 0 || is_control(cp)) {
            /* Not text: shown as a replacement, never passed on. */
            if (kind == DS_MARKUP_LATEX) {
                char code[40];
                if (n == 0) {
                    snprintf(code, sizeof(code), "{\\ttfamily[0x%02X]}", p[i]);
                } else {
                    snprintf(code, sizeof(code), "{\\ttfamily[U+%04X]}", (unsigned)cp);
                }
                put_text(&s, code);
            } else {
                put_text(&s, replacement);
            }
            i += n == 0 ? 1 : n;
            at_start = after_digits = false;
            continue;
        }
        switch (kind) {
        case DS_MARKUP_HTML:
            html_char(&s, cp, p + i, n);
            break;
        case DS_MARKUP_MARKDOWN:
            markdown_char(&s, cp, p + i, n, at_start, after_digits, i + n < len ? p[i + n] : -1);
            break;
        case DS_MARKUP_LATEX:
        default:
            latex_char(&s, cp, p + i, n, i + n < len ? p[i + n] : -1);
            break;
        }
        bool digit = cp >= '0' && cp <= '9';
        after_digits = digit && (at_start || after_digits);
        at_start = at_start && (cp == ' ' || cp == '\t');
        i += n;
    }
    if (size > 0) {
        buf[s.written] = '\0';
    }
    return s.len;
}

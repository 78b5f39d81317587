/* Text escaped for HTML, Markdown and LaTeX (markup.h): known answers for each
 * language's specials, what cannot be text replaced, results cut at whole
 * pieces, and the hostile corpus escaped into text that every language reads
 * as text (markup_check.h). */
#include <stdlib.h>
#include <string.h>

#include "dosesim/markup.h"
#include "markup_check.h"
#include "testlib.h"

/* The escaped text, in a buffer of the tests' own. */
static const char *esc(ds_markup_t kind, unsigned flags, const char *text)
{
    static char buf[8192];
    size_t n = ds_markup_escape(kind, flags, text, strlen(text), buf, sizeof(buf));
    CHECK(n == strlen(buf));
    return buf;
}

static void test_html_escapes(void)
{
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "<script>alert(1)</script>"),
                 "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "</svg>&amp; \"it's\""),
                 "&lt;/svg&gt;&amp;amp; &quot;it&#39;s&quot;");
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "$\\input{/etc/passwd}$ | `x`"),
                 "$\\input{/etc/passwd}$ | `x`");
    /* Text passes as it is: UTF-8, tab. */
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "\xe4\xb8\x9c\xe6\x96\xb9 200 mg\tx"),
                 "\xe4\xb8\x9c\xe6\x96\xb9 200 mg\tx");
    /* What is not text becomes U+FFFD: controls (C0, DEL, C1), broken UTF-8. */
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "a\x1b[31mb\nc\x7f"), "a\xef\xbf\xbd[31mb\xef\xbf\xbd"
                                                              "c\xef\xbf\xbd");
    CHECK_STR_EQ(esc(DS_MARKUP_HTML, 0, "\xc2\x9b|\xff\xfe|\xc0\xaf|\xed\xa0\x80"),
                 "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
                 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    /* A NUL byte inside the length is not text either. */
    char buf[32];
    ds_markup_escape(DS_MARKUP_HTML, 0, "a\0b", 3, buf, sizeof(buf));
    CHECK_STR_EQ(buf, "a\xef\xbf\xbd"
                      "b");
}

static void test_markdown_escapes(void)
{
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "a|b `c` *d* _e_ [f](g) <b> ~h~ $x$ \\"),
                 "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\<b\\> \\~h\\~ \\$x\\$ \\\\");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "<script>alert(1)</script>"),
                 "\\<script\\>alert(1)\\</script\\>");
    /* Entities, short codes and mentions; a lone & or : stays. */
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "&amp; &#38; :smile: @bob A & B: c"),
                 "\\&amp; \\&\\#38; \\:smile: \\@bob A & B: c");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "#comment"), "\\#comment");
    /* Blocks at a line's start: lists, rules, underlines; not within a line. */
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "1. x"), "1\\. x");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "  12) x"), "  12\\) x");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "-rf"), "\\-rf");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "+1+1"), "\\+1+1");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "==="), "\\===");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, DS_MARKUP_MID_LINE, "1. x -rf"), "1. x -rf");
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "0.25 and 1.5"), "0\\.25 and 1.5");
    /* A line end cannot end a table's row. */
    CHECK_STR_EQ(esc(DS_MARKUP_MARKDOWN, 0, "a\nb\r"), "a\xef\xbf\xbd"
                                                       "b\xef\xbf\xbd");
}

static void test_latex_escapes(void)
{
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "$\\input{/etc/passwd}$"),
                 "\\$\\textbackslash{}input\\{\\slash{}etc\\slash{}passwd\\}\\$");
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "# $ % & ~ _ ^ \\ { }"),
                 "\\# \\$ \\% \\& \\textasciitilde{} \\_ \\textasciicircum{} \\textbackslash{} "
                 "\\{ \\}");
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "<b>|\"`'"),
                 "\\textless{}b\\textgreater{}\\textbar{}\\textquotedbl{}\\textasciigrave{}"
                 "\\textquotesingle{}");
    /* No optional argument after \\, no ligature. */
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "[a-z] -- ,,"), "{[}a-{}z{]} -{}-{} ,{},");
    /* Where a long word may break: after a slash (a path), before a parenthesis (a name). */
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "a/b keyboard(max_n=18)"),
                 "a\\slash{}b keyboard\\allowbreak{}(max\\_n=18)");
    /* What pdflatex sets: Latin-1, micro; anything else by its code point. */
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0,
                     "\xc3\x9cn\xc3\xaf"
                     "c\xc3\xb6"
                     "d\xc3\xa9 5 \xc2\xb5g"),
                 "\xc3\x9cn\xc3\xaf"
                 "c\xc3\xb6"
                 "d\xc3\xa9 5 \\textmu{}g");
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0, "\xce\xb1\xe2\x80\xae\xf0\x9f\x98\x80"),
                 "{\\ttfamily[U+03B1]}{\\ttfamily[U+202E]}{\\ttfamily[U+1F600]}");
    CHECK_STR_EQ(esc(DS_MARKUP_LATEX, 0,
                     "a\x1b"
                     "b\xff\tc"),
                 "a{\\ttfamily[U+001B]}b{\\ttfamily[0xFF]} c");
}

static void test_escape_cut_at_whole_pieces(void)
{
    char buf[8];
    const char *text = "a<b&c";
    size_t n = ds_markup_escape(DS_MARKUP_HTML, 0, text, strlen(text), buf, sizeof(buf));
    CHECK_INT_EQ(n, strlen("a&lt;b&amp;c"));
    CHECK_STR_EQ(buf, "a&lt;b"); /* never half an entity */
    CHECK_INT_EQ(ds_markup_escape(DS_MARKUP_LATEX, 0, "\\", 1, NULL, 0),
                 strlen("\\textbackslash{}"));
    /* The growth bound holds for the worst byte of each language. */
    static const char *const worst[] = {"^", "\x01", "\xff", "'", "\"", "<"};
    for (int k = 0; k < DS_MARKUP_N; k++) {
        for (size_t w = 0; w < sizeof(worst) / sizeof(worst[0]); w++) {
            size_t grown = ds_markup_escape((ds_markup_t)k, 0, worst[w], 1, NULL, 0);
            CHECK_MSG(grown <= DS_MARKUP_MAX_GROWTH, "%s of byte 0x%02x: %zu bytes",
                      ds_markup_names[k], (unsigned char)worst[w][0], grown);
        }
    }
}

/* Every string of the hostile corpus, refused ones included, escaped in each
 * language, is text there and nothing else. */
static void test_hostile_corpus_stays_text(void)
{
    char *strings[160];
    bool refused[160];
    int n = read_hostile_corpus(strings, refused, 160, "/tmp/MARK");
    CHECK_MSG(n >= 50, "the corpus has %d strings", n);
    static const char *const extra[] = {"<script>",
                                        "&",
                                        "</svg>",
                                        "$\\input{/etc/passwd}$",
                                        "|",
                                        "`",
                                        "``` code",
                                        "a\x01"
                                        "b\x1f"
                                        "c",
                                        "\\\\[2pt]"};
    for (int i = 0; i < n + (int)(sizeof(extra) / sizeof(extra[0])); i++) {
        const char *text = i < n ? strings[i] : extra[i - n];
        char why[300];
        const char *md = esc(DS_MARKUP_MARKDOWN, 0, text);
        CHECK_MSG(check_markdown_text(md, why, sizeof(why)), "markdown of '%s': %s: %s", text, md,
                  why);
        const char *tex = esc(DS_MARKUP_LATEX, 0, text);
        CHECK_MSG(check_latex_text(tex, why, sizeof(why)), "latex of '%s': %s: %s", text, tex, why);
        const char *html = esc(DS_MARKUP_HTML, 0, text);
        CHECK_MSG(strpbrk(html, "<>\"'") == NULL, "html of '%s': %s", text, html);
        for (const char *amp = strchr(html, '&'); amp != NULL; amp = strchr(amp + 1, '&')) {
            CHECK_MSG(strncmp(amp, "&amp;", 5) == 0 || strncmp(amp, "&lt;", 4) == 0 ||
                          strncmp(amp, "&gt;", 4) == 0 || strncmp(amp, "&quot;", 6) == 0 ||
                          strncmp(amp, "&#39;", 5) == 0,
                      "html of '%s': a bare & in %s", text, html);
        }
    }
    for (int i = 0; i < n; i++) {
        free(strings[i]);
    }
}

const test_case_t markup_tests[] = {
    {"html_escapes", test_html_escapes},
    {"markdown_escapes", test_markdown_escapes},
    {"latex_escapes", test_latex_escapes},
    {"escape_cut_at_whole_pieces", test_escape_cut_at_whole_pieces},
    {"hostile_corpus_stays_text", test_hostile_corpus_stays_text},
    {NULL, NULL},
};

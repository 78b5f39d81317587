/* Documents checked by their structure (markup_check.h): what a compiler or a
 * renderer would trip on, or be made to do, is found without one. */
#include "markup_check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fail(char *why, size_t size, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool fail(char *why, size_t size, long line, const char *fmt, ...)
{
    int n = snprintf(why, size, "line %ld: ", line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < size) {
        vsnprintf(why + n, size - (size_t)n, fmt, ap);
    }
    va_end(ap);
    return false;
}

/* ---- LaTeX ---- */

/* The macros report writes: any other (\input, \write, \def, ...) is an error. */
static const char *const latex_macros[] = {"documentclass",
                                           "usepackage",
                                           "setlength",
                                           "begin",
                                           "end",
                                           "section",
                                           "subsection",
                                           "subsubsection",
                                           "textbf",
                                           "item",
                                           "hline",
                                           "endhead",
                                           "small",
                                           "LARGE",
                                           "bfseries",
                                           "par",
                                           "bigskip",
                                           "put",
                                           "makebox",
                                           "color",
                                           "rule",
                                           "scriptsize",
                                           "footnotesize",
                                           "tiny",
                                           "ttfamily",
                                           "textbackslash",
                                           "textasciitilde",
                                           "textasciicircum",
                                           "textless",
                                           "textgreater",
                                           "textbar",
                                           "textquotedbl",
                                           "textasciigrave",
                                           "textquotesingle",
                                           "textmu",
                                           "raggedright",
                                           "raggedleft",
                                           "centering",
                                           "slash",
                                           "allowbreak",
                                           "arraybackslash",
                                           "textwidth",
                                           "oddsidemargin",
                                           "evensidemargin",
                                           "textheight",
                                           "topmargin",
                                           "parindent",
                                           "parskip",
                                           "tabcolsep",
                                           "LTleft",
                                           "LTright",
                                           "unitlength",
                                           NULL};

static const char *const latex_environments[] = {"document", "itemize", "longtable",
                                                 "center",   "picture", NULL};

static bool in_list(const char *const *list, const char *word)
{
    for (int i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], word) == 0) {
            return true;
        }
    }
    return false;
}

/* The columns of a tabular's spec at p (just after its '{'): l, c, r and p{}
 * count, >{} <{} @{} and | do not. *end just after the closing brace; -1 if it has none. */
static int spec_columns(const char *p, const char **end)
{
    int n = 0;
    while (*p != '\0' && *p != '}') {
        char c = *p++;
        if (c == 'l' || c == 'c' || c == 'r') {
            n++;
        } else if (c == 'p' || c == 'm' || c == 'b' || c == '>' || c == '<' || c == '@') {
            n += c == 'p' || c == 'm' || c == 'b';
            if (*p != '{') {
                return -1;
            }
            int depth = 0;
            do {
                depth += *p == '{';
                depth -= *p == '}';
                p++;
            } while (*p != '\0' && depth > 0);
        }
    }
    if (*p != '}') {
        return -1;
    }
    *end = p + 1;
    return n;
}

static bool latex(const char *doc, bool whole, char *why, size_t size)
{
    char envs[32][32];
    int cols[32], n_env = 0, depth = 0, amps = 0;
    long line = 1;
    bool in_document = !whole, ended = false, at_line_start = true;
    for (const char *p = doc; *p != '\0';) {
        char c = *p;
        if (ended && !isspace((unsigned char)c)) {
            return fail(why, size, line, "text after \\end{document}");
        }
        if (c == '\n') {
            line++;
            at_line_start = true;
            p++;
            continue;
        }
        bool line_start = at_line_start;
        at_line_start = false;
        if (c == '%' && whole && !in_document && line_start) {
            p += strcspn(p, "\n"); /* the header's comment */
            continue;
        }
        if (c == '\\') {
            char next = p[1];
            if (isalpha((unsigned char)next)) {
                char name[64];
                size_t n = 0;
                for (p++; isalpha((unsigned char)*p) && n + 1 < sizeof(name); p++) {
                    name[n++] = *p;
                }
                name[n] = '\0';
                if (!in_list(latex_macros, name)) {
                    return fail(why, size, line, "macro \\%s", name);
                }
                if (!whole && strcmp(name, "begin") == 0) {
                    return fail(why, size, line, "an environment in escaped text");
                }
                if (strcmp(name, "begin") == 0 || strcmp(name, "end") == 0) {
                    char env[32];
                    size_t k = 0;
                    if (*p != '{') {
                        return fail(why, size, line, "\\%s without its {name}", name);
                    }
                    for (p++; *p != '}' && *p != '\0' && k + 1 < sizeof(env); p++) {
                        env[k++] = *p;
                    }
                    env[k] = '\0';
                    if (*p != '}' || !in_list(latex_environments, env)) {
                        return fail(why, size, line, "environment '%s'", env);
                    }
                    p++;
                    if (name[0] == 'b') {
                        if (n_env == 32) {
                            return fail(why, size, line, "environments nested too deep");
                        }
                        if (strcmp(env, "document") == 0) {
                            if (in_document) {
                                return fail(why, size, line, "a second \\begin{document}");
                            }
                            in_document = true;
                        }
                        snprintf(envs[n_env], sizeof(envs[n_env]), "%s", env);
                        cols[n_env] = 0;
                        if (strcmp(env, "longtable") == 0) {
                            const char *end = NULL;
                            if (*p != '{' || (cols[n_env] = spec_columns(p + 1, &end)) <= 0) {
                                return fail(why, size, line, "a longtable without columns");
                            }
                            p = end;
                            amps = 0;
                        }
                        n_env++;
                    } else {
                        if (n_env == 0 || strcmp(envs[n_env - 1], env) != 0) {
                            return fail(why, size, line, "\\end{%s} closes \\begin{%s}", env,
                                        n_env > 0 ? envs[n_env - 1] : "nothing");
                        }
                        if (cols[n_env - 1] > 0 && amps != 0) {
                            return fail(why, size, line, "a table's last row is not ended");
                        }
                        n_env--;
                        ended = strcmp(env, "document") == 0;
                    }
                }
                continue;
            }
            if (next != '\0' && strchr("#$%&_{}", next) != NULL) {
                p += 2; /* an escaped special */
                continue;
            }
            if (next == '\\') {
                int want = n_env > 0 ? cols[n_env - 1] : 0;
                if (want == 0) {
                    return fail(why, size, line, "\\\\ outside a table");
                }
                if (amps != want - 1) {
                    return fail(why, size, line, "a row of %d cells in a table of %d", amps + 1,
                                want);
                }
                amps = 0;
                p += 2;
                continue;
            }
            return fail(why, size, line, "\\%c", next);
        }
        if (c == '{') {
            depth++;
        } else if (c == '}') {
            if (--depth < 0) {
                return fail(why, size, line, "a } closes nothing");
            }
        } else if (c == '&') {
            if (n_env == 0 || cols[n_env - 1] == 0) {
                return fail(why, size, line, "& outside a table");
            }
            amps++;
        } else if (strchr("$#^_~%", c) != NULL) {
            return fail(why, size, line, "'%c' unescaped", c);
        } else if ((unsigned char)c < 0x20 && c != '\t') {
            return fail(why, size, line, "control character 0x%02x", (unsigned char)c);
        }
        p++;
    }
    if (depth != 0) {
        return fail(why, size, line, "%d { left open", depth);
    }
    if (n_env != 0) {
        return fail(why, size, line, "\\begin{%s} left open", envs[n_env - 1]);
    }
    if (whole && !ended) {
        return fail(why, size, line, "no \\end{document}");
    }
    return true;
}

bool check_latex(const char *doc, char *why, size_t size)
{
    return latex(doc, true, why, size);
}

bool check_latex_text(const char *text, char *why, size_t size)
{
    return latex(text, false, why, size);
}

/* ---- Markdown ---- */

/* Whether the byte at p is escaped: an odd number of backslashes before it. */
static bool escaped_at(const char *start, const char *p)
{
    int n = 0;
    while (p > start && p[-1] == '\\') {
        n++;
        p--;
    }
    return n % 2 == 1;
}

/* The rules of a line's text; table: a table row (its | count apart), bold:
 * our ** is allowed. */
static bool markdown_line(const char *line, size_t len, long number, bool bold, char *why,
                          size_t size)
{
    for (size_t i = 0; i < len; i++) {
        const char *p = line + i;
        if (escaped_at(line, p)) {
            continue;
        }
        char c = *p;
        if (c == '*' && bold && i + 1 < len && p[1] == '*') {
            i++;
            continue;
        }
        if (strchr("<`$[]~_*>", c) != NULL && c != '\0') {
            return fail(why, size, number, "'%c' unescaped", c);
        }
        if (c == '&' && i + 1 < len && (isalpha((unsigned char)p[1]) || p[1] == '#')) {
            return fail(why, size, number, "an entity");
        }
        if ((unsigned char)c < 0x20 && c != '\t') {
            return fail(why, size, number, "control character 0x%02x", (unsigned char)c);
        }
    }
    return true;
}

static int pipes(const char *line, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        n += line[i] == '|' && !escaped_at(line, line + i);
    }
    return n;
}

bool check_markdown(const char *doc, char *why, size_t size)
{
    long number = 0;
    int table_pipes = -1, table_row = 0;
    for (const char *line = doc; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        number++;
        if (len > 0 && line[0] == '|') {
            int n = pipes(line, len);
            if (table_pipes < 0) {
                table_pipes = n;
                table_row = 0;
            } else if (n != table_pipes) {
                return fail(why, size, number, "a row of %d cells in a table of %d", n - 1,
                            table_pipes - 1);
            }
            if (table_row == 1) {
                for (size_t i = 0; i < len; i++) {
                    if (strchr("|-: ", line[i]) == NULL) {
                        return fail(why, size, number, "a table's second line is not its rule");
                    }
                }
            }
            table_row++;
        } else {
            if (table_pipes >= 0 && len > 0) {
                return fail(why, size, number, "a table not followed by a blank line");
            }
            table_pipes = -1;
            if (pipes(line, len) > 0) {
                return fail(why, size, number, "'|' outside a table");
            }
            size_t lead = strspn(line, " ");
            const char *t = line + lead;
            size_t digits = strspn(t, "0123456789");
            if ((t[0] == '+' && t[1] == ' ') || (t[0] == '=' && lead < len) ||
                (t[0] == '-' && t[1] == '-') ||
                (digits > 0 && (t[digits] == '.' || t[digits] == ')'))) {
                return fail(why, size, number, "a block this report does not write");
            }
            if (t[0] == '#' && !(strncmp(t, "# ", 2) == 0 || strncmp(t, "## ", 3) == 0 ||
                                 strncmp(t, "### ", 4) == 0 || strncmp(t, "#### ", 5) == 0)) {
                return fail(why, size, number, "a heading marker in text");
            }
        }
        size_t from = 0;
        if (line[0] == '#') {
            from = strspn(line, "#") + 1; /* a heading's marker */
        } else if (strncmp(line, "- ", 2) == 0 || strncmp(line, "* ", 2) == 0) {
            from = 2; /* a list item's */
        }
        if (!markdown_line(line + from, len > from ? len - from : 0, number, true, why, size)) {
            return false;
        }
        line += len;
        line += *line == '\n';
    }
    return true;
}

bool check_markdown_text(const char *text, char *why, size_t size)
{
    if (strchr(text, '\n') != NULL) {
        return fail(why, size, 1, "a line end");
    }
    if (pipes(text, strlen(text)) > 0) {
        return fail(why, size, 1, "'|' unescaped");
    }
    size_t lead = strspn(text, " ");
    const char *t = text + lead;
    size_t digits = strspn(t, "0123456789");
    if (t[0] == '-' || t[0] == '+' || t[0] == '=' || t[0] == '#' ||
        (digits > 0 && (t[digits] == '.' || t[digits] == ')'))) {
        return fail(why, size, 1, "a block's start unescaped");
    }
    for (size_t i = 0; text[i] != '\0'; i++) {
        if ((text[i] == ':' || text[i] == '@') && !escaped_at(text, text + i) &&
            (isalnum((unsigned char)text[i + 1]) || text[i + 1] == '_' || text[i + 1] == '#')) {
            return fail(why, size, 1, "a short code or mention");
        }
    }
    return markdown_line(text, strlen(text), 1, false, why, size);
}

/* ---- HTML ---- */

static const char *const html_elements[] = {
    "html", "head", "meta", "title",    "style", "body",   "h1",         "h2",
    "h3",   "h4",   "p",    "ul",       "li",    "table",  "thead",      "tbody",
    "tr",   "th",   "td",   "strong",   "bdi",   "figure", "figcaption", "svg",
    "rect", "text", "line", "polyline", "g",     "defs",   "clipPath",   NULL};
static const char *const html_void[] = {"meta", NULL};

bool check_html(const char *doc, char *why, size_t size)
{
    char stack[64][16];
    int n = 0;
    long line = 1;
    bool in_style = false;
    for (const char *p = doc; *p != '\0'; p++) {
        if (*p == '\n') {
            line++;
            continue;
        }
        if (*p == '&') {
            size_t k = 1;
            if (p[1] == '#') {
                k++;
                k += p[k] == 'x';
                size_t digits = strspn(p + k, "0123456789abcdefABCDEF");
                k += digits;
                if (digits == 0) {
                    return fail(why, size, line, "a bare &");
                }
            } else {
                size_t letters = 0;
                while (isalnum((unsigned char)p[k])) {
                    k++;
                    letters++;
                }
                if (letters == 0) {
                    return fail(why, size, line, "a bare &");
                }
            }
            if (p[k] != ';') {
                return fail(why, size, line, "an entity without its ;");
            }
            continue;
        }
        if (*p == '>' && !in_style) {
            return fail(why, size, line, "a '>' in text");
        }
        if (in_style && (strncmp(p, "url(", 4) == 0 || strncmp(p, "@import", 7) == 0)) {
            return fail(why, size, line, "a style that loads");
        }
        if (*p != '<') {
            continue;
        }
        if (strncmp(p, "<!DOCTYPE html>", 15) == 0) {
            p += 14;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        char tag[16];
        snprintf(tag, sizeof(tag), "%.*s", (int)(len < 15 ? len : 15), name);
        if (len == 0 || !in_list(html_elements, tag)) {
            return fail(why, size, line, "element '%s'", tag);
        }
        const char *end = strchr(name, '>');
        if (end == NULL) {
            return fail(why, size, line, "<%s not closed", tag);
        }
        /* Attributes: nothing that loads, links or runs (values are ours). */
        static const char *const never[] = {
            "src=", "href=", "javascript:", "http:", "https:", "url(", NULL};
        char attrs[4096];
        snprintf(attrs, sizeof(attrs), "%.*s", (int)(end - name), name);
        for (int k = 0; never[k] != NULL; k++) {
            const char *at = strstr(attrs, never[k]);
            if (at != NULL && !(k == 5 && at[4] == '#')) {
                return fail(why, size, line, "'%s' in <%s>", never[k], tag);
            }
        }
        for (const char *a = name + len; a < end; a++) {
            if (*a == '<' || *a == '\n') {
                return fail(why, size, line, "'<' or a line end inside <%s>", tag);
            }
            if ((a[0] == ' ') && (a[1] == 'o' || a[1] == 'O') && (a[2] == 'n' || a[2] == 'N')) {
                return fail(why, size, line, "an event attribute in <%s>", tag);
            }
        }
        bool self_closed = end > p && end[-1] == '/';
        if (closing) {
            if (n == 0 || strcmp(stack[n - 1], tag) != 0) {
                return fail(why, size, line, "</%s> closes <%s>", tag, n > 0 ? stack[n - 1] : "");
            }
            n--;
            in_style = in_style && strcmp(tag, "style") != 0;
        } else if (!self_closed && !in_list(html_void, tag)) {
            if (n == 64) {
                return fail(why, size, line, "elements nested too deep");
            }
            snprintf(stack[n++], sizeof(stack[0]), "%s", tag);
            in_style = strcmp(tag, "style") == 0;
        }
        p = end;
    }
    if (n != 0) {
        return fail(why, size, line, "<%s> left open", stack[n - 1]);
    }
    return true;
}

/* ---- the hostile corpus ---- */

int read_hostile_corpus(char **strings, bool *refused, int max, const char *mark)
{
    FILE *f = fopen("tests/data/hostile/corpus.txt", "r");
    char line[2048];
    int n = 0;
    if (f == NULL) {
        return 0;
    }
    while (n < max && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        char decoded[8192];
        size_t at = 0;
        const char *p = line;
        refused[n] = strncmp(p, "REFUSE:", 7) == 0;
        p += refused[n] ? 7 : 0;
        for (; *p != '\0' && at < sizeof(decoded) - 4200; p++) {
            if (strncmp(p, "{MARK}", 6) == 0) {
                at += (size_t)snprintf(decoded + at, sizeof(decoded) - at, "%s", mark);
                p += 5;
            } else if (p[0] == '\\' && p[1] == 'x' && p[2] != '\0' && p[3] != '\0') {
                char hex[3] = {p[2], p[3], '\0'};
                decoded[at++] = (char)strtol(hex, NULL, 16);
                p += 3;
            } else if (p[0] == '\\' &&
                       (p[1] == 'n' || p[1] == 't' || p[1] == 'r' || p[1] == '\\')) {
                decoded[at++] = p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : p[1] == 'r' ? '\r' : '\\';
                p++;
            } else {
                decoded[at++] = *p;
            }
        }
        decoded[at] = '\0';
        strings[n] = strdup(decoded);
        n++;
    }
    fclose(f);
    return n;
}

/* dosesim report end to end: a report from the fixture folder
 * (tests/data/report/edited) in each language, held to its structure
 * (markup_check.h) and to the numbers and words it must show; several folders
 * side by side; the decision tables the library's designs give; default
 * names and the standard output; refusals that name the file, line and field
 * with nothing written; and the hostile corpus as scenario names, labels and
 * a folder name, shown as text in every language; the LaTeX compiled by
 * pdflatex (tests/report/pdflatex.sh, skipped without it); and the HTML in a
 * real browser (tests/report/browser.sh: headless Chromium, skipped without it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dosesim/markup.h"
#include "markup_check.h"
#include "testlib.h"
#include "testrun.h"

#define FIXTURE "tests/data/report/edited"
#define SCENARIOS "tests/data/report/scenarios.csv"

static char *path_in(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *p = malloc(size);
    snprintf(p, size, "%s/%s", dir, name);
    return p;
}

/* A copy of the fixture's files in dir/name, with every occurrence of from in
 * file (NULL: none; "*": every file) replaced by to. The folder's path, malloc'ed. */
static char *copy_fixture(const char *dir, const char *name, const char *file, const char *from,
                          const char *to)
{
    char *out = path_in(dir, name);
    mkdir(out, 0777);
    static const char *const files[] = {"summary.csv", "doses.csv", "duration.csv"};
    for (size_t k = 0; k < 3; k++) {
        char src[512];
        snprintf(src, sizeof(src), FIXTURE "/%s", files[k]);
        char *text = test_read_file(src, NULL);
        if (text == NULL) {
            continue;
        }
        if (file != NULL && (strcmp(file, "*") == 0 || strcmp(file, files[k]) == 0)) {
            size_t size = strlen(text) * (strlen(to) + 1) + 1;
            char *edited = malloc(size);
            size_t at = 0;
            for (const char *p = text; *p != '\0';) {
                if (strncmp(p, from, strlen(from)) == 0) {
                    at += (size_t)snprintf(edited + at, size - at, "%s", to);
                    p += strlen(from);
                } else {
                    edited[at++] = *p++;
                }
            }
            edited[at] = '\0';
            free(text);
            text = edited;
        }
        char *dst = path_in(out, files[k]);
        CHECK(test_write_file(dst, text));
        free(dst);
        free(text);
    }
    return out;
}

/* The report of folders (NULL-ended) with extra arguments, read back; NULL on failure. */
static char *report(const char *const *folders, const char *const *extra, const char *out)
{
    const char *args[40] = {"report"};
    int n = 1;
    for (int i = 0; folders[i] != NULL && n < 30; i++) {
        args[n++] = folders[i];
    }
    args[n++] = "--out";
    args[n++] = out;
    for (int i = 0; extra != NULL && extra[i] != NULL && n < 38; i++) {
        args[n++] = extra[i];
    }
    args[n] = NULL;
    run_t r;
    run(args, &r);
    bool ok = CHECK_MSG(r.status == 0, "report: %d %s", r.status, r.err);
    run_free(&r);
    return ok ? test_read_file(out, NULL) : NULL;
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text != NULL ? strstr(text, what) : NULL; p != NULL;
         p = strstr(p + 1, what)) {
        n++;
    }
    return n;
}

static const char hostile_name[] = "<script>alert(1)</script> & $\\input{/etc/passwd}$ | `x`";

/* The escaped text, as report writes it within a line. */
static char *escaped(ds_markup_t kind, const char *text)
{
    size_t n = ds_markup_escape(kind, DS_MARKUP_MID_LINE, text, strlen(text), NULL, 0) + 1;
    char *buf = malloc(n);
    ds_markup_escape(kind, DS_MARKUP_MID_LINE, text, strlen(text), buf, n);
    return buf;
}

static void test_fixture_html(void)
{
    char *dir = test_temp_dir(), why[300];
    char *folder = copy_fixture(dir, "edited", NULL, NULL, NULL);
    char *out = path_in(dir, "report.html");
    char *html = report((const char *[]){folder, NULL}, NULL, out);
    CHECK_MSG(html != NULL && check_html(html, why, sizeof(why)), "not sound HTML: %s", why);
    if (html != NULL) {
        /* One file: no script, nothing loaded; tables and figures inline. */
        CHECK(count(html, "<script") == 0 && strstr(html, "default-src 'none'") != NULL);
        CHECK_MSG(count(html, "<table>") == 6, "%d tables", count(html, "<table>"));
        CHECK_MSG(count(html, "<svg ") == 2, "%d figures", count(html, "<svg "));
        /* The hostile name, escaped, in its heading, tables and figures. */
        char *name = escaped(DS_MARKUP_HTML, hostile_name);
        CHECK_MSG(count(html, name) >= 4, "the name appears %d times", count(html, name));
        free(name);
        /* The numbers: P(RP2D) of 200 mg, P(correct selection), the none row,
         * E[N]; exact results have no interval; the undefined PCS is a dash. */
        CHECK(strstr(html, "<td class=\"r\">0.4838</td>") != NULL);
        CHECK(count(html, "<td class=\"r\">0.4838</td>") == 2); /* P(RP2D) and PCS */
        CHECK(strstr(html, "<strong>no RP2D</strong>") != NULL);
        CHECK(strstr(html, "<td class=\"r\">9.76</td>") != NULL);
        CHECK(strstr(html, "<td class=\"r\">exact</td>") != NULL);
        CHECK(strstr(html, "<td class=\"r\">\xe2\x80\x94</td>") != NULL);
        CHECK(strstr(html, "<bdi>200 mg</bdi> (true MTD)") != NULL);
        CHECK(strstr(html, "0.25, acceptable 0.2 to 0.33") != NULL);
        /* The 3+3's decision table, from the library's design. */
        CHECK(strstr(html, "<td class=\"c\">3 more</td>") != NULL);
        CHECK(strstr(html, "Storer") != NULL);
    }
    free(html);
    free(out);
    free(folder);
    test_remove_dir(dir);
}

static void test_fixture_markdown(void)
{
    char *dir = test_temp_dir(), why[300];
    char *folder = copy_fixture(dir, "edited", NULL, NULL, NULL);
    run_t r;
    run((const char *[]){"report", folder, "--format", "md", "--out", "-", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    const char *md = r.out;
    CHECK_MSG(check_markdown(md, why, sizeof(why)), "not sound Markdown: %s", why);
    char *name = escaped(DS_MARKUP_MARKDOWN, hostile_name);
    CHECK_MSG(count(md, name) == 1, "the name appears %d times", count(md, name));
    free(name);
    name = escaped(DS_MARKUP_MARKDOWN, "100 mg </svg>");
    CHECK_MSG(count(md, name) == 2, "the label appears %d times", count(md, name));
    free(name);
    CHECK(strstr(md, "| 3 | escalate | 3 more | too toxic | too toxic |  |  |  |\n") != NULL);
    CHECK(strstr(md, "| 6 | escalate | escalate | too toxic | too toxic | too toxic |  |  |\n") !=
          NULL);
    CHECK(strstr(md, "| 200 mg (true MTD) | 0.250 | 0.4838 | exact | 5.01 | 1.25 | ") != NULL);
    CHECK(strstr(md, "| 3+3 | 0.1034 | 0.4838 | 0.0000 | 9.76 |") != NULL);
    CHECK(strstr(md, "| 3+3 | 0.2174 | \xe2\x80\x94 | 0.1331 | 9.36 |") != NULL);
    CHECK(strstr(md, "wrote") == NULL); /* stdout is the report's */
    run_free(&r);
    free(folder);
    test_remove_dir(dir);
}

static void test_fixture_latex(void)
{
    char *dir = test_temp_dir(), why[300];
    char *folder = copy_fixture(dir, "edited", NULL, NULL, NULL);
    char *out = path_in(dir, "protocol.tex"); /* LaTeX by its ending */
    char *tex = report((const char *[]){folder, NULL}, NULL, out);
    CHECK_MSG(tex != NULL && check_latex(tex, why, sizeof(why)), "not sound LaTeX: %s", why);
    if (tex != NULL) {
        char *name = escaped(DS_MARKUP_LATEX, hostile_name);
        CHECK_MSG(count(tex, name) == 1, "the name appears %d times", count(tex, name));
        free(name);
        name = escaped(DS_MARKUP_LATEX, "200 mg *em*");
        CHECK_MSG(count(tex, name) == 2, "the label appears %d times", count(tex, name));
        free(name);
        CHECK(strncmp(tex, "% Made by dosesim", 17) == 0);
        CHECK(strstr(tex, "\\documentclass") != NULL && strstr(tex, "\\begin{picture}") != NULL);
        CHECK_INT_EQ(count(tex, "\\begin{longtable}"), 6);
        CHECK(strstr(tex, "200 mg \\allowbreak{}(true MTD) & 0.250 & 0.4838 & exact & 5.01 & 1.25 \\\\") != NULL);
        CHECK(strstr(tex, "\\input") == NULL);
    }
    free(tex);
    free(out);
    free(folder);
    test_remove_dir(dir);
}

/* The decision table follows the rules' options and the design's table. */
static void test_decision_tables(void)
{
    char *dir = test_temp_dir();
    run_t r;
    /* No continuation on an early escalation: 0 of 6 cannot happen. */
    char *plain = copy_fixture(dir, "plain", "summary.csv", "yes,expand", "no,accept");
    char *fixed = copy_fixture(dir, "fixed", "doses.csv", "yes,expand", "no,accept");
    char *moved = path_in(fixed, "summary.csv"), *from = path_in(plain, "summary.csv");
    CHECK(rename(from, moved) == 0);
    run((const char *[]){"report", fixed, "--format", "md", "--out", "-", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    CHECK(strstr(r.out, "| 6 |  | escalate | too toxic | too toxic | too toxic |  |  |\n") != NULL);
    CHECK(strstr(r.out, "No de-escalation") != NULL);
    run_free(&r);
    /* The 3+3+3 as a grid, an A+B of 16 as ranges, the rolling six's table,
     * and a user's rule table not rebuilt. */
    char *t333 = path_in(dir, "t333"), *ab = path_in(dir, "ab"), *r6 = path_in(dir, "r6");
    char *rules = path_in(dir, "rules");
    const char *const *runs[] = {
        (const char *[]){"exact", SCENARIOS, "--design", "3+3+3", "--out", t333, "--quiet", NULL},
        (const char *[]){"exact", SCENARIOS, "--design", "ab:8,8,2,3,4", "--out", ab, "--quiet",
                         NULL},
        (const char *[]){"run", SCENARIOS, "--design", "rolling6", "--accrual", "3", "--trials",
                         "500", "--out", r6, "--quiet", NULL},
        (const char *[]){"exact", SCENARIOS, "--rules", "tests/data/rules/three_plus_three.csv",
                         "--out", rules, "--quiet", NULL},
    };
    for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
        run(runs[k], &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
    }
    run((const char *[]){"report", t333, ab, r6, rules, "--format", "md", "--out", "-", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    /* 3+3+3: of 6, 5 DLTs cannot happen (at most 1 of 3, then 3 of 3; or 0 of 3 expanded). */
    CHECK(strstr(r.out, "| 6 | escalate | escalate | 3 more | too toxic | too toxic |  |  |  |  "
                        "|  |\n") != NULL);
    CHECK(strstr(r.out, "| 9 | escalate | escalate | escalate | too toxic | too toxic | too toxic "
                        "|  |  |  |  |\n") != NULL);
    CHECK(strstr(r.out, "| 8 | 0\xe2\x80\x93"
                        "1 | 2\xe2\x80\x93"
                        "3 | 4\xe2\x80\x93"
                        "8 |\n") != NULL);
    CHECK(strstr(r.out, "| 16 | 0\xe2\x80\x93"
                        "4 |  | 5\xe2\x80\x93"
                        "11 |\n") != NULL);
    CHECK(strstr(r.out, "| 6 | 1 | escalate | suspend |") != NULL); /* Skolnik's six, one DLT */
    CHECK(strstr(r.out, "cannot be rebuilt") != NULL);
    char why[300] = "";
    CHECK_MSG(check_markdown(r.out, why, sizeof(why)), "Markdown: %s", why);
    run_free(&r);
    /* The same tables, sound in the other languages. */
    static const char *const kinds[] = {"html", "tex"};
    for (int k = 0; k < 2; k++) {
        run((const char *[]){"report", t333, ab, r6, rules, "--format", kinds[k], "--out", "-",
                             NULL},
            &r);
        bool sound = r.status == 0 && (k == 0 ? check_html(r.out, why, sizeof(why))
                                              : check_latex(r.out, why, sizeof(why)));
        CHECK_MSG(sound, "%s: %s %s", kinds[k], why, r.err);
        run_free(&r);
    }
    free(plain);
    free(fixed);
    free(moved);
    free(from);
    free(t333);
    free(ab);
    free(r6);
    free(rules);
    test_remove_dir(dir);
}

/* Folders side by side: labels, every folder's row, the calendar's columns and figures. */
static void test_several_folders(void)
{
    char *dir = test_temp_dir(), why[300];
    char *edited = copy_fixture(dir, "edited", NULL, NULL, NULL);
    char *mc = path_in(dir, "mc"), *ex = path_in(dir, "exact");
    run_t r;
    run((const char *[]){"run", SCENARIOS, "--trials", "3000", "--accrual", "3", "--out", mc,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    run((const char *[]){"exact", SCENARIOS, "--design", "3+3+3", "--out", ex, "--quiet", NULL},
        &r);
    run_free(&r);
    char *out = path_in(dir, "side.html");
    char *html = report((const char *[]){edited, mc, ex, NULL}, NULL, out);
    CHECK_MSG(html != NULL && check_html(html, why, sizeof(why)), "not sound HTML: %s", why);
    if (html != NULL) {
        CHECK(strstr(html, "<td><bdi>3+3 (edited)</bdi></td>") != NULL);
        CHECK(strstr(html, "<td><bdi>3+3 (mc)</bdi></td>") != NULL);
        CHECK(strstr(html, "<td><bdi>3+3+3</bdi></td>") != NULL);
        CHECK(strstr(html, "<th class=\"r\">mean days</th>") != NULL);
        CHECK_MSG(count(html, "<svg ") == 4, "%d figures", count(html, "<svg "));
        CHECK(strstr(html, "Monte Carlo, 3,000 trials per scenario, seed 20261126") != NULL);
        /* The same design twice is described once; the 3+3+3 apart. */
        CHECK_INT_EQ(count(html, "<h3><bdi>3+3</bdi></h3>"), 1);
        CHECK_INT_EQ(count(html, "<h3><bdi>3+3+3</bdi></h3>"), 1);
        CHECK(strstr(html, "Operating characteristics: 3+3, 3+3+3") != NULL);
    }
    free(html);
    free(out);
    free(edited);
    free(mc);
    free(ex);
    test_remove_dir(dir);
}

static void test_default_names(void)
{
    char *dir = test_temp_dir();
    char *one = copy_fixture(dir, "one", NULL, NULL, NULL);
    char *two = copy_fixture(dir, "two", NULL, NULL, NULL);
    run_t r;
    run_in(dir, (const char *[]){"report", "one", NULL}, &r);
    CHECK_MSG(r.status == 0 && strstr(r.out, "wrote one/report.html") != NULL, "%s%s", r.out,
              r.err);
    run_free(&r);
    char *file = path_in(one, "report.html");
    CHECK(exists(file));
    free(file);
    run_in(dir, (const char *[]){"report", "one", "two", "--format", "tex", NULL}, &r);
    CHECK_MSG(r.status == 0 && strstr(r.out, "wrote results/comparison/report.tex") != NULL, "%s%s",
              r.out, r.err);
    run_free(&r);
    file = path_in(dir, "results/comparison/report.tex");
    CHECK(exists(file));
    free(file);
    /* The standard output: the report alone. */
    run_in(dir, (const char *[]){"report", "one", "--out", "-", NULL}, &r);
    CHECK(r.status == 0 && strncmp(r.out, "<!DOCTYPE html>", 15) == 0 &&
          strstr(r.out, "wrote") == NULL);
    run_free(&r);
    free(one);
    free(two);
    test_remove_dir(dir);
}

/* Each bad input: exit status 2, the message naming what, nothing written. */
static void test_refusals(void)
{
    char *dir = test_temp_dir();
    char *out = path_in(dir, "report.html");
    char *empty = path_in(dir, "empty");
    mkdir(empty, 0777);
    char *bad_p = copy_fixture(dir, "bad_p", "doses.csv", ",200 mg,,,0.25,", ",200 mg,,,1.5,");
    char *other = copy_fixture(dir, "other", "*", ",expected,", ",elsewhere,");
    char *shifted = copy_fixture(dir, "shifted", "doses.csv", ",200 mg,,,0.25,", ",200 mg,,,0.3,");
    char *mixed = copy_fixture(dir, "mixed", "doses.csv", "r2f3bc9ea4dbf06aa", "r0000000000000001");
    char *two_runs =
        copy_fixture(dir, "two_runs", "summary.csv", "r2f3bc9ea4dbf06aa,<", "r0000000000000000,<");
    char *good = copy_fixture(dir, "good", NULL, NULL, NULL);
    char *own = path_in(good, "summary.csv");
    struct {
        const char *const *args;
        const char *want;
    } cases[] = {
        {(const char *[]){"report", "--out", out, NULL}, "needs one or more results folders"},
        {(const char *[]){"report", SCENARIOS, "--out", out, NULL}, "not a folder"},
        {(const char *[]){"report", "tests/data/report/none", "--out", out, NULL},
         "no such folder"},
        {(const char *[]){"report", empty, "--out", out, NULL},
         "empty/summary.csv: no such file: "},
        {(const char *[]){"report", bad_p, "--out", out, NULL},
         "bad_p/doses.csv:4: field 'p_dlt': '1.5' is not a probability"},
        {(const char *[]){"report", good, other, "--out", out, NULL},
         "other/summary.csv:2: field 'scenario': 'elsewhere', where "},
        {(const char *[]){"report", good, shifted, "--out", out, NULL},
         "shifted/doses.csv:4: field 'p_dlt': '0.3' at level 2 of 'expected', where "},
        {(const char *[]){"report", mixed, "--out", out, NULL},
         "mixed/doses.csv:2: field 'run_id': 'r0000000000000001', where "},
        {(const char *[]){"report", two_runs, "--out", out, NULL},
         "two_runs/summary.csv:3: field 'run_id': 'r0000000000000000', where line 2 has "},
        {(const char *[]){"report", good, "--format", "pdf", "--out", out, NULL},
         "--format: 'pdf' is not html, md or tex"},
        {(const char *[]){"report", good, "--out", own, NULL}, "which this command reads"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        run_t r;
        run(cases[k].args, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, cases[k].want) != NULL,
                  "case %zu: status %d, wanted '%s' in: %s", k, r.status, cases[k].want, r.err);
        CHECK_MSG(!exists(out), "case %zu wrote %s", k, out);
        run_free(&r);
    }
    free(out);
    free(empty);
    free(bad_p);
    free(other);
    free(shifted);
    free(two_runs);
    free(mixed);
    free(own);
    free(good);
    test_remove_dir(dir);
}

/* tests/report/pdflatex.sh on a LaTeX report: compiled (and, with fit,
 * nothing set wider than its room); skipped without pdflatex. */
static void compile_latex(const char *tex, bool fit)
{
    run_t r;
    run_program("tests/report/pdflatex.sh", (const char *[]){tex, fit ? "fit" : NULL, NULL}, NULL,
                NULL, &r);
    if (r.status == 77) {
        static char why[512];
        snprintf(why, sizeof(why), "%.*s", (int)strcspn(r.out, "\n"), r.out);
        test_skip(why);
    } else {
        CHECK_MSG(r.status == 0, "%s%s", r.out, r.err);
        printf("      %s", r.out); /* pages, and lines wider than their room */
    }
    run_free(&r);
}

/* The report of the tifcemalimab scenarios over the design families (exact
 * 3+3, exact BOIN with its decision table, the rolling six on calendar time
 * with dropout: every column of the summary) compiles and fits the page. */
static void test_latex_compiles(void)
{
    char *dir = test_temp_dir();
    char *t33 = path_in(dir, "3+3"), *boin = path_in(dir, "boin"), *r6 = path_in(dir, "rolling6");
    const char *const *runs[] = {
        (const char *[]){"exact", "scenarios/tifcemalimab.csv", "--out", t33, "--quiet", NULL},
        (const char *[]){"exact", "scenarios/tifcemalimab.csv", "--design", "keyboard", "--target",
                         "0.3", "--max-n", "18", "--out", boin, "--quiet", NULL},
        (const char *[]){"run", "scenarios/tifcemalimab.csv", "--design", "rolling6", "--accrual",
                         "3", "--dropout", "0.05", "--trials", "2000", "--out", r6, "--quiet",
                         NULL},
    };
    run_t r;
    for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
        run(runs[k], &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
    }
    char *tex = path_in(dir, "protocol.tex");
    run((const char *[]){"report", t33, boin, r6, "--out", tex, NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    compile_latex(tex, true);
    free(tex);
    free(t33);
    free(boin);
    free(r6);
    test_remove_dir(dir);
}

/* Every string of the hostile corpus as a scenario's name and a dose label,
 * and one as the folder's name: text in every language, shown as it is. */
static void test_hostile_corpus(void)
{
    char *dir = test_temp_dir(), why[300];
    char *mark = path_in(dir, "MARK");
    char *strings[160];
    bool refused[160];
    int n = read_hostile_corpus(strings, refused, 160, mark);
    char *data = path_in(dir, "all.csv");
    FILE *f = fopen(data, "w");
    if (!CHECK(f != NULL)) {
        test_remove_dir(dir);
        return;
    }
    fputs("scenario,dose_level,dose_label,p_dlt\n", f);
    for (int i = 0; i < n; i++) {
        if (refused[i]) {
            continue;
        }
        for (int level = 1; level <= 2; level++) {
            fputc('"', f);
            for (const char *c = strings[i]; *c != '\0'; c++) {
                fputs(*c == '"' ? "\"\"" : (char[]){*c, '\0'}, f);
            }
            fprintf(f, "\",%d,\"", level);
            for (const char *c = level == 1 ? strings[i] : "200 mg"; *c != '\0'; c++) {
                fputs(*c == '"' ? "\"\"" : (char[]){*c, '\0'}, f);
            }
            fprintf(f, "\",%g\n", level == 1 ? 0.1 : 0.3);
        }
    }
    fclose(f);
    char *folder = path_in(dir, "x<script>&$\\input{a}$|`;");
    run_t r;
    run((const char *[]){"exact", data, "--out", folder, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    static const char *const formats[] = {"html", "md", "tex"};
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof(name), "report.%s", formats[k]);
        char *out = path_in(dir, name);
        char *doc = report((const char *[]){folder, NULL},
                           (const char *[]){"--format", formats[k], NULL}, out);
        if (doc == NULL) {
            free(out);
            continue;
        }
        bool sound = k == 0   ? check_html(doc, why, sizeof(why))
                     : k == 1 ? check_markdown(doc, why, sizeof(why))
                              : check_latex(doc, why, sizeof(why));
        CHECK_MSG(sound, "%s: %s", formats[k], why);
        if (k == 2) {
            compile_latex(out, false); /* long words need not fit, but must compile */
        }
        for (int i = 0; i < n; i++) {
            if (refused[i]) {
                continue;
            }
            char *want = escaped((ds_markup_t)k, strings[i]);
            CHECK_MSG(strstr(doc, want) != NULL, "%s lacks '%s' as %s", formats[k], strings[i],
                      want);
            free(want);
        }
        char *folder_text = escaped((ds_markup_t)k, folder);
        CHECK_MSG(strstr(doc, folder_text) != NULL, "%s lacks the folder's name", formats[k]);
        free(folder_text);
        free(doc);
        free(out);
    }
    CHECK_MSG(!exists(mark), "a command ran: %s exists", mark);
    for (int i = 0; i < n; i++) {
        free(strings[i]);
    }
    free(mark);
    free(data);
    free(folder);
    test_remove_dir(dir);
}

/* The HTML in headless Chromium: no console message, a screenshot that shows
 * the figures, a DOM with the tables and figures and no script (browser.sh). */
static void test_in_a_browser(void)
{
    const char *pngcheck = getenv("PNGCHECK");
    run_t r;
    run_program("tests/report/browser.sh",
                (const char *[]){
                    program(), pngcheck != NULL ? pngcheck : "build/release/tests/pngcheck", NULL},
                NULL, NULL, &r);
    if (r.status == 77) {
        static char why[512];
        snprintf(why, sizeof(why), "%.*s", (int)strcspn(r.out, "\n"), r.out);
        test_skip(why);
    } else {
        CHECK_MSG(r.status == 0, "%s%s", r.out, r.err);
        printf("      %s", r.out); /* what it checked, and how long it took */
    }
    run_free(&r);
}

/* With response rates: the report's table of final doses, in Markdown (the
 * optimal dose named, each folder's P(final) and P(optimal) as
 * optimisation.csv has them, to four decimals), and in LaTeX compiled to fit
 * the page. */
static void test_optimisation_table(void)
{
    char *dir = test_temp_dir();
    char *none = path_in(dir, "none"), *twenty = path_in(dir, "twenty");
    char *md = path_in(dir, "report.md"), *tex = path_in(dir, "report.tex");
    run_t r;
    run((const char *[]){"exact", "scenarios/tifcemalimab_response.csv", "--out", none, "--quiet",
                         NULL},
        &r);
    run_free(&r);
    run((const char *[]){"exact", "scenarios/tifcemalimab_response.csv", "--optimise", "20",
                         "--out", twenty, "--quiet", NULL},
        &r);
    run_free(&r);
    run((const char *[]){"report", none, twenty, "--out", md, NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    char *text = test_read_file(md, NULL);
    char *optimisation = path_in(twenty, "optimisation.csv");
    table_t o;
    if (CHECK(text != NULL) && CHECK(table_load(&o, optimisation))) {
        CHECK(strstr(text, "The optimal dose (margin 0.1): 100 mg") != NULL);
        CHECK(strstr(text, "The optimal dose (margin 0.1): 200 mg") != NULL);
        const int flat = table_find(&o, 0, "scenario", "flat", "dose_level", "1", NULL);
        char row[256];
        snprintf(row, sizeof(row), "| %.4f | %.4f |", table_number(&o, flat, "prob_final"),
                 table_number(&o, flat + 1, "prob_final"));
        CHECK_MSG(strstr(text, row) != NULL, "the report lacks %s", row);
        CHECK(strstr(text, "| 20 a dose |") != NULL && strstr(text, "| none |") != NULL);
        table_free(&o);
    }
    free(text);
    run((const char *[]){"report", none, twenty, "--out", tex, NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    compile_latex(tex, true);
    free(optimisation);
    free(none);
    free(twenty);
    free(md);
    free(tex);
    test_remove_dir(dir);
}

const test_case_t report_cmd_tests[] = {
    {"fixture_html", test_fixture_html},
    {"fixture_markdown", test_fixture_markdown},
    {"fixture_latex", test_fixture_latex},
    {"decision_tables", test_decision_tables},
    {"several_folders", test_several_folders},
    {"default_names", test_default_names},
    {"refusals", test_refusals},
    {"hostile_corpus", test_hostile_corpus},
    {"latex_compiles", test_latex_compiles},
    {"optimisation_table", test_optimisation_table},
    {"in_a_browser", test_in_a_browser},
    {NULL, NULL},
};

/* The figures of plot and compare (sim/cli/figure.c, gnuplot.c, cmd_plot.c,
 * cmd_compare.c), through the program: every figure in every format; nothing
 * of gnuplot's on the terminal, whatever the data; the marks a paper needs
 * (true DLT rates, the true MTD, the target interval, the p_dlt scale of
 * sweeps, bars at the sample sizes a trial can have); and no two texts of a
 * comparison of 10 scenarios by 6 designs on top of each other. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dosesim/csv.h"
#include "testlib.h"
#include "testrun.h"

#define DATA "tests/data/two_dose.csv"
#define TIMED "--accrual", "3", "--dropout", "0.05", "--dlt-onset", "weibull:2"

static char *path_in(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    if (path != NULL) {
        sprintf(path, "%s/%s", dir, name);
    }
    return path;
}

/* Run the program; true if it exited 0. With quiet_stderr, also that it said
 * nothing on stderr (plot and compare say nothing there when all is well). */
static bool run_ok(const char *const *args, bool quiet_stderr)
{
    run_t r;
    run(args, &r);
    bool ok =
        CHECK_MSG(r.status == 0, "%s %s: status %d: %.600s", args[0], args[1], r.status, r.err) &&
        (!quiet_stderr ||
         CHECK_MSG(r.err[0] == '\0', "%s %s said on stderr: %.600s", args[0], args[1], r.err));
    run_free(&r);
    return ok;
}

/* Whether a file is a whole figure of the format: its signature, and its end. */
static bool whole_figure(const char *path, const char *format)
{
    size_t len = 0;
    char *bytes = test_read_file(path, &len);
    bool ok = false;
    if (bytes == NULL) {
        return CHECK_MSG(false, "%s: missing", path);
    }
    if (strcmp(format, "png") == 0) {
        static const unsigned char end[] = {'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
        ok = len > 40 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0 &&
             memcmp(bytes + len - 8, end, 8) == 0;
    } else if (strcmp(format, "svg") == 0) {
        ok = len > 100 && (strncmp(bytes, "<?xml", 5) == 0 || strncmp(bytes, "<svg", 4) == 0) &&
             strstr(bytes, "</svg>") != NULL;
    } else {
        ok = len > 100 && strncmp(bytes, "%PDF-", 5) == 0 &&
             memmem(bytes + len - 16, 16, "%%EOF", 5);
    }
    free(bytes);
    return CHECK_MSG(ok, "%s: not a whole %s file", path, format);
}

/* A PNG's width and height. */
static bool png_size(const char *path, unsigned *width, unsigned *height)
{
    size_t len = 0;
    unsigned char *b = (unsigned char *)test_read_file(path, &len);
    bool ok = b != NULL && len > 24 && memcmp(b + 12, "IHDR", 4) == 0;
    if (ok) {
        *width = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
        *height = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    }
    free(b);
    return ok;
}

/* ---- the texts of an SVG figure, as gnuplot's svg terminal writes them ---- */

typedef struct {
    double x0, x1, y0, y1; /* the box it takes, estimated from its font size and characters */
    char text[160];
} svg_text_t;

/* Every unrotated text of an SVG: <g transform="translate(X,Y)" ... font-size="F"
 * text-anchor="A"> <text>...</text>. Returns how many (at most room). */
static int svg_texts(const char *svg, svg_text_t *texts, int room)
{
    int n = 0;
    for (const char *at = strstr(svg, "<g transform=\"translate("); at != NULL && n < room;
         at = strstr(at + 1, "<g transform=\"translate(")) {
        double x, y, size = 10.0;
        if (sscanf(at, "<g transform=\"translate(%lf,%lf)", &x, &y) != 2) {
            continue;
        }
        const char *end = strchr(at, '>'), *group_end = strstr(at, "</g>");
        const char *text = strstr(at, "<text>");
        const char *text_end = text != NULL ? strstr(text, "</text>") : NULL;
        if (end == NULL || text == NULL || text_end == NULL || group_end == NULL ||
            text_end > group_end || memmem(at, (size_t)(end - at), "rotate", 6)) {
            continue; /* a group without a text of its own, or a turned one */
        }
        const char *fs = memmem(at, (size_t)(end - at), "font-size=\"", 11);
        if (fs != NULL) {
            size = strtod(fs + 11, NULL);
        }
        const char *anchor = memmem(at, (size_t)(end - at), "text-anchor=\"", 13);
        char kind = anchor != NULL ? anchor[13] : 's'; /* start, middle, end */
        /* Characters, with each entity (&amp;) one, tags left out. */
        int chars = 0;
        size_t k = 0;
        svg_text_t *t = &texts[n];
        for (const char *c = text + 6; c < text_end; c++) {
            if (*c == '<') {
                c = strchr(c, '>');
                if (c == NULL || c >= text_end) {
                    break;
                }
                continue;
            }
            if (*c == '&') {
                const char *semi = strchr(c, ';');
                c = semi != NULL && semi < text_end ? semi : c;
            }
            if (((unsigned char)*c & 0xc0) != 0x80) {
                chars++;
            }
            if (k + 1 < sizeof(t->text)) {
                t->text[k++] = *c;
            }
        }
        t->text[k] = '\0';
        if (chars == 0) {
            continue;
        }
        double w = chars * 0.55 * size;
        t->x0 = kind == 'e' ? x - w : (kind == 'm' ? x - w / 2 : x);
        t->x1 = t->x0 + w;
        t->y0 = y - 0.72 * size; /* from the cap height above the baseline to the descent */
        t->y1 = y + 0.2 * size;
        n++;
    }
    return n;
}

/* Whether two texts of an SVG overlap: their boxes share more than a pixel
 * each way. Says which if so. */
static bool svg_texts_overlap(const char *svg, const char *what)
{
    static svg_text_t texts[4000];
    int n = svg_texts(svg, texts, 4000);
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            const svg_text_t *a = &texts[i], *b = &texts[j];
            if (fmin(a->x1, b->x1) - fmax(a->x0, b->x0) > 1.0 &&
                fmin(a->y1, b->y1) - fmax(a->y0, b->y0) > 1.0) {
                CHECK_MSG(false, "%s: '%s' and '%s' overlap", what, a->text, b->text);
                return true;
            }
        }
    }
    return false;
}

/* Whether an SVG draws text exactly (a whole <text> element). */
static bool svg_has_text(const char *svg, const char *text)
{
    char want[400], spaced[400];
    snprintf(want, sizeof(want), "<text>%s</text>", text);
    snprintf(spaced, sizeof(spaced), "<text> %s</text>", text); /* gnuplot's tic format "% h" */
    return strstr(svg, want) != NULL || strstr(svg, spaced) != NULL;
}

/* ---- editing a result CSV, as someone might by hand ---- */

typedef struct {
    int n_rows, n_cols;
    char **cells; /* [(n_rows + 1) * n_cols], the header first */
} csv_t;

static int keep_record(void *ctx, const ds_csv_record_t *rec)
{
    csv_t *t = ctx;
    if (t->n_cols == 0) {
        t->n_cols = rec->n_fields;
    }
    if (rec->n_fields != t->n_cols) {
        return DS_ERR_PARSE;
    }
    t->cells = realloc(t->cells, (size_t)(t->n_rows + 2) * (size_t)t->n_cols * sizeof(char *));
    for (int i = 0; i < t->n_cols; i++) {
        t->cells[(size_t)t->n_rows * (size_t)t->n_cols + (size_t)i] = strdup(rec->fields[i]);
    }
    t->n_rows++;
    return 0;
}

static bool csv_load(csv_t *t, const char *path)
{
    memset(t, 0, sizeof(*t));
    size_t len = 0;
    char *text = test_read_file(path, &len);
    ds_diag_t diag;
    bool ok = text != NULL && ds_csv_read(path, text, len, keep_record, t, &diag) == 0;
    free(text);
    t->n_rows--; /* the header is not a row */
    return CHECK_MSG(ok, "%s: cannot read it back", path);
}

static char **csv_cell(csv_t *t, int row, const char *column)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (strcmp(t->cells[c], column) == 0) {
            return &t->cells[(size_t)(row + 1) * (size_t)t->n_cols + (size_t)c];
        }
    }
    return NULL;
}

/* Set column to value in every row where match_col is match (NULL: every row)
 * and, if given, match2_col is match2. */
static void csv_set(csv_t *t, const char *match_col, const char *match, const char *match2_col,
                    const char *match2, const char *column, const char *value)
{
    for (int r = 0; r < t->n_rows; r++) {
        if ((match_col == NULL || strcmp(*csv_cell(t, r, match_col), match) == 0) &&
            (match2_col == NULL || strcmp(*csv_cell(t, r, match2_col), match2) == 0)) {
            char **cell = csv_cell(t, r, column);
            if (CHECK_MSG(cell != NULL, "no column %s", column)) {
                free(*cell);
                *cell = strdup(value);
            }
        }
    }
}

static const char *csv_get(csv_t *t, const char *match_col, const char *match,
                           const char *match2_col, const char *match2, const char *column)
{
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(*csv_cell(t, r, match_col), match) == 0 &&
            (match2_col == NULL || strcmp(*csv_cell(t, r, match2_col), match2) == 0)) {
            return *csv_cell(t, r, column);
        }
    }
    return "";
}

static void csv_save(csv_t *t, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!CHECK(f != NULL)) {
        return;
    }
    for (int r = 0; r <= t->n_rows; r++) {
        ds_csv_row_t w = {.file = f, .at_start = true};
        for (int c = 0; c < t->n_cols; c++) {
            ds_csv_text(&w, t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c]);
        }
        ds_csv_end(&w);
    }
    CHECK(fclose(f) == 0);
}

static void csv_free(csv_t *t)
{
    for (size_t i = 0; t->cells != NULL && i < (size_t)(t->n_rows + 1) * (size_t)t->n_cols; i++) {
        free(t->cells[i]);
    }
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

/* The target interval 0.25 (0.2 to 0.33) in the key of every file of a result
 * set, and the accuracy a run judged by it writes for tests/data/two_dose.csv:
 * borderline (0.1, 0.3) has its true MTD at 200 mg; toxic (0.35, 0.55) has
 * none, every dose being above the interval, so no RP2D is the correct choice.
 * What the real accuracy module writes (the program may not have it yet). */
static void judge_two_dose(const char *dir)
{
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                        "duration.csv"};
    for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        char *path = path_in(dir, files[k]);
        csv_t t;
        if (csv_load(&t, path)) {
            csv_set(&t, NULL, NULL, NULL, NULL, "target", "0.25");
            csv_set(&t, NULL, NULL, NULL, NULL, "target_lo", "0.2");
            csv_set(&t, NULL, NULL, NULL, NULL, "target_hi", "0.33");
            if (k == 1) {
                csv_set(&t, "scenario", "borderline", NULL, NULL, "true_mtd", "no");
                csv_set(&t, "scenario", "borderline", "dose_level", "2", "true_mtd", "yes");
                csv_set(&t, "scenario", "toxic", NULL, NULL, "true_mtd", "no");
                csv_set(&t, "scenario", "toxic", "dose_level", "0", "true_mtd", "yes");
            }
            csv_save(&t, path);
        }
        csv_free(&t);
        free(path);
    }
    char *summary = path_in(dir, "summary.csv"), *doses = path_in(dir, "doses.csv");
    csv_t s, d;
    if (csv_load(&s, summary) && csv_load(&d, doses)) {
        csv_set(&s, "scenario", "borderline", NULL, NULL, "true_mtd_level", "2");
        csv_set(&s, "scenario", "borderline", NULL, NULL, "true_mtd_label", "200 mg");
        csv_set(&s, "scenario", "borderline", NULL, NULL, "prob_correct_selection",
                csv_get(&d, "scenario", "borderline", "dose_level", "2", "prob_rp2d"));
        csv_set(&s, "scenario", "toxic", NULL, NULL, "true_mtd_level", "0");
        csv_set(&s, "scenario", "toxic", NULL, NULL, "prob_correct_selection",
                csv_get(&s, "scenario", "toxic", NULL, NULL, "prob_no_rp2d"));
        csv_save(&s, summary);
    }
    csv_free(&s);
    csv_free(&d);
    free(summary);
    free(doses);
}

/* ---- the tests ---- */

static const char *const formats[] = {"png", "svg", "pdf"};

/* Every figure of plot (a timed run's, an exact run's, sweeps along a dose and
 * along all, exact and Monte Carlo) and compare's, in PNG, SVG and PDF: each a
 * whole file of its kind, and nothing said on stderr. */
static void test_every_figure_in_every_format(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *mc = path_in(dir, "mc"), *ex = path_in(dir, "exact"), *cmp = path_in(dir, "cmp");
    char *sweep_level = path_in(mc, "sweep_level.csv"), *sweep_all = path_in(ex, "sweep_all.csv");
    char *sweep_mc = path_in(mc, "sweep_mc.csv");
    run_ok((const char *[]){"run", DATA, "--trials", "4000", TIMED, "--out", mc, "--quiet", NULL},
           false);
    run_ok((const char *[]){"exact", DATA, "--out", ex, "--quiet", NULL}, false);
    run_ok((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "2", "--from",
                            "0.05", "--to", "0.6", "--step", "0.05", "--out", sweep_level,
                            "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "all", "--from",
                            "0.5", "--to", "2", "--step", "0.25", "--out", sweep_all, "--quiet",
                            NULL},
           false);
    run_ok((const char *[]){"sweep", DATA, "--scenario", "toxic", "--vary", "1", "--from", "0.1",
                            "--to", "0.5", "--step", "0.2", TIMED, "--trials", "500", "--out",
                            sweep_mc, "--quiet", NULL},
           false);
    for (size_t f = 0; f < 3; f++) {
        run_ok((const char *[]){"plot", mc, "--format", formats[f], NULL}, true);
        run_ok((const char *[]){"plot", ex, "--format", formats[f], NULL}, true);
        run_ok((const char *[]){"compare", mc, ex, "--out", cmp, "--format", formats[f], NULL},
               true);
        static const char *const in_mc[] = {"selection", "sample_size", "duration", "sweep_level",
                                            "sweep_mc"};
        static const char *const in_ex[] = {"selection", "sample_size", "sweep_all"};
        char name[64];
        for (size_t k = 0; k < sizeof(in_mc) / sizeof(in_mc[0]); k++) {
            snprintf(name, sizeof(name), "%s.%s", in_mc[k], formats[f]);
            char *path = path_in(mc, name);
            whole_figure(path, formats[f]);
            free(path);
        }
        for (size_t k = 0; k < sizeof(in_ex) / sizeof(in_ex[0]); k++) {
            snprintf(name, sizeof(name), "%s.%s", in_ex[k], formats[f]);
            char *path = path_in(ex, name);
            whole_figure(path, formats[f]);
            free(path);
        }
        snprintf(name, sizeof(name), "comparison.%s", formats[f]);
        char *path = path_in(cmp, name);
        whole_figure(path, formats[f]);
        free(path);
    }
    /* The PNG and the PDF are laid out alike: the PDF a point per pixel. */
    char *png = path_in(mc, "selection.png"), *pdf = path_in(mc, "selection.pdf");
    unsigned w = 0, h = 0;
    size_t pdf_len = 0;
    char *pdf_text = test_read_file(pdf, &pdf_len);
    if (CHECK(png_size(png, &w, &h) && pdf_text != NULL)) {
        char box[64];
        snprintf(box, sizeof(box), "/MediaBox [ 0 0 %u %u ]", w, h);
        CHECK_MSG(memmem(pdf_text, pdf_len, box, strlen(box)) != NULL,
                  "selection.pdf has no page of %ux%u points", w, h);
    }
    free(pdf_text);
    free(png);
    free(pdf);
    free(mc);
    free(ex);
    free(cmp);
    free(sweep_level);
    free(sweep_all);
    free(sweep_mc);
    test_remove_dir(dir);
}

/* Data that gnuplot warns about when it is handed as it is (a scenario of one
 * dose, every p_dlt 0, every p_dlt 1, all the probability on one sample size or
 * one duration, sweeps of one point, at p 0 and 1): plot and compare draw
 * them, in every format, and say nothing on stderr. */
static void test_degenerate_data_is_quiet(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *file = path_in(dir, "degenerate.csv");
    CHECK(test_write_file(file, "scenario,dose_level,dose_label,p_dlt\n"
                                "one_dose,1,A,0\n"
                                "zeros,1,A,0\nzeros,2,B,0\n"
                                "certain,1,A,1\ncertain,2,B,1\n"));
    char *ex = path_in(dir, "exact"), *ex2 = path_in(dir, "exact2"), *mc = path_in(dir, "mc");
    char *one = path_in(dir, "one"), *cmp = path_in(dir, "cmp");
    char *s1 = path_in(ex, "sweep_one.csv"), *s2 = path_in(ex, "sweep_zero.csv");
    char *s3 = path_in(ex, "sweep_one_at_1.csv"), *s4 = path_in(mc, "sweep_mc.csv");
    run_ok((const char *[]){"exact", file, "--out", ex, "--quiet", NULL}, false);
    run_ok((const char *[]){"exact", file, "--out", ex2, "--design", "3+3+3", "--quiet", NULL},
           false);
    run_ok((const char *[]){"run", file, "--trials", "2000", TIMED, "--out", mc, "--quiet", NULL},
           false);
    run_ok((const char *[]){"run", file, "--scenario", "one_dose", "--trials", "2000", "--accrual",
                            "30", "--out", one, "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", file, "--scenario", "zeros", "--vary", "1", "--from", "0",
                            "--to", "0", "--step", "0.1", "--out", s1, "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", file, "--scenario", "one_dose", "--vary", "all", "--from", "0",
                            "--to", "0", "--step", "1", "--out", s2, "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", file, "--scenario", "certain", "--vary", "all", "--from", "1",
                            "--to", "1", "--step", "1", "--out", s3, "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", file, "--scenario", "one_dose", "--vary", "1", "--from", "0",
                            "--to", "0", "--step", "0.1", TIMED, "--trials", "300", "--out", s4,
                            "--quiet", NULL},
           false);
    judge_two_dose(ex); /* target columns filled in: a band with no dose in it */
    for (size_t f = 0; f < 3; f++) {
        run_ok((const char *[]){"plot", ex, "--format", formats[f], NULL}, true);
        run_ok((const char *[]){"plot", mc, "--format", formats[f], NULL}, true);
        run_ok((const char *[]){"plot", one, "--format", formats[f], NULL}, true);
        run_ok((const char *[]){"compare", ex2, mc, "--out", cmp, "--format", formats[f], NULL},
               true);
    }
    free(file);
    free(ex);
    free(ex2);
    free(mc);
    free(one);
    free(cmp);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
    test_remove_dir(dir);
}

/* When gnuplot complains, dosesim says what happened in its own words, and
 * nothing gnuplot said reaches the terminal: a gnuplot that warns and draws
 * (the figure is published, stderr stays empty), one that stops on the script,
 * and one without the format's terminal. */
static void test_gnuplot_said_in_our_words(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    run_t r;
    run_program("sh", (const char *[]){"-c", "command -v gnuplot", NULL}, NULL, NULL, &r);
    char real[4096];
    snprintf(real, sizeof(real), "%.*s", (int)strcspn(r.out, "\n"), r.out);
    run_free(&r);
    char *results = path_in(dir, "results");
    run_ok((const char *[]){"exact", DATA, "--out", results, "--quiet", NULL}, false);
    static const struct {
        const char *body, *format;
        int status;
        const char *says;
    } fakes[] = {
        {"echo 'warning: Skipping data file with no valid points' >&2\n"
         "echo '         line 40: warning: empty y range [0:0], adjusting to [-1:1]' >&2\n"
         "exec %s \"$@\"\n",
         "png", 0, NULL},
        {"cat >/dev/null\necho 'gnuplot> plot $bar1 using 1:2' >&2\n"
         "echo '         line 61: all points y value undefined!' >&2\nexit 1\n",
         "png", 1, "not drawn: gnuplot stopped on dosesim's script, which is a bug in dosesim"},
        {"cat >/dev/null\necho '\"<stdin>\" line 2: unknown or ambiguous terminal type; type "
         "just set terminal for a list' >&2\nexit 1\n",
         "pdf", 1, "this gnuplot cannot draw PDF"},
        {"cat >/dev/null\nkill -9 $$\n", "svg", 1, "gnuplot was ended by signal 9"},
    };
    for (size_t k = 0; k < sizeof(fakes) / sizeof(fakes[0]); k++) {
        char bin[4200], script[4300], body[8192], env[8192];
        snprintf(bin, sizeof(bin), "%s/bin%zu", dir, k);
        CHECK(mkdir(bin, 0755) == 0);
        snprintf(script, sizeof(script), "%s/gnuplot", bin);
        char fmt[600];
        snprintf(fmt, sizeof(fmt), "#!/bin/sh\n%s", fakes[k].body);
        snprintf(body, sizeof(body), fmt, real);
        CHECK(test_write_file(script, body) && chmod(script, 0755) == 0);
        snprintf(env, sizeof(env), "PATH=%s:%s", bin, getenv("PATH") != NULL ? getenv("PATH") : "");
        char out[4300];
        snprintf(out, sizeof(out), "%s/figures%zu", dir, k);
        run_program(
            program(),
            (const char *[]){"plot", results, "--out", out, "--format", fakes[k].format, NULL},
            (const char *[]){env, NULL}, NULL, &r);
        CHECK_MSG(r.status == fakes[k].status, "fake gnuplot %zu: status %d: %s", k, r.status,
                  r.err);
        CHECK_MSG(strstr(r.err, "line ") == NULL && strstr(r.err, "warning") == NULL &&
                      strstr(r.err, "gnuplot>") == NULL && strstr(r.err, "stdin") == NULL,
                  "gnuplot's words reached the terminal: %s", r.err);
        if (fakes[k].says == NULL) {
            CHECK_MSG(r.err[0] == '\0', "stderr: %s", r.err);
            char *png = path_in(out, "selection.png");
            whole_figure(png, "png");
            free(png);
        } else {
            CHECK_MSG(strstr(r.err, fakes[k].says) != NULL, "fake gnuplot %zu: stderr: %s", k,
                      r.err);
            CHECK_MSG(!exists(out), "a failed plot left %s", out);
        }
        run_free(&r);
    }
    free(results);
    test_remove_dir(dir);
}

/* The selection figure shows each dose's true DLT rate, rings the true MTD,
 * marks the correct choice, shades the target interval over the doses it
 * judges, and writes each scenario's P(correct selection), read from the
 * result set (here filled in by hand, as the accuracy columns will be); a
 * true_mtd that contradicts true_mtd_level is refused. */
static void test_selection_shows_the_truth(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *results = path_in(dir, "results");
    run_ok((const char *[]){"exact", DATA, "--out", results, "--quiet", NULL}, false);
    judge_two_dose(results);
    run_ok((const char *[]){"plot", results, "--format", "svg", NULL}, true);
    char *path = path_in(results, "selection.svg");
    char *svg = test_read_file(path, NULL);
    if (CHECK(svg != NULL)) {
        static const char *const texts[] = {
            "true P(DLT)",     "true p_dlt of each dose", "true MTD",        "acceptable DLT rates",
            "target DLT rate", "correct choice",          "P(correct) 0.38", "P(correct) 0.68"};
        for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
            CHECK_MSG(svg_has_text(svg, texts[k]), "selection.svg lacks '%s'", texts[k]);
        }
        CHECK(strstr(svg, "target DLT rate 0.25, acceptable 0.2 to 0.33") != NULL);
        svg_texts_overlap(svg, "selection.svg");
    }
    free(svg);
    /* The doses in an ordered palette, none of them a yellow too pale for white
     * paper, and no RP2D in grey. */
    run_ok((const char *[]){"plot", results, NULL}, true);
    char *five = path_in(dir, "five.csv"), *five_out = path_in(dir, "five");
    CHECK(test_write_file(five, "scenario,dose_level,dose_label,p_dlt\n"
                                "s,1,d1,0.05\ns,2,d2,0.1\ns,3,d3,0.2\ns,4,d4,0.3\ns,5,d5,0.5\n"));
    run_ok((const char *[]){"exact", five, "--out", five_out, "--quiet", NULL}, false);
    run_ok((const char *[]){"plot", five_out, "--format", "svg", NULL}, true);
    char *five_svg_path = path_in(five_out, "selection.svg");
    char *five_svg = test_read_file(five_svg_path, NULL);
    int pale = 0, greys = 0;
    for (const char *at = five_svg; at != NULL && (at = strstr(at, "fill = 'rgb(")) != NULL; at++) {
        int red, green, blue;
        if (sscanf(at, "fill = 'rgb(%d,%d,%d)", &red, &green, &blue) == 3) {
            pale += red > 200 && green > 200 && blue < 140; /* yellows */
            greys += red == 160 && green == 160 && blue == 160;
        }
    }
    CHECK_MSG(pale == 0, "selection.svg fills %d shapes in a pale yellow", pale);
    CHECK_MSG(greys > 0, "selection.svg draws no RP2D in no grey");
    free(five_svg);
    free(five_svg_path);
    free(five);
    free(five_out);
    /* A true MTD the summary and the doses disagree on: refused, naming the field. */
    char *doses = path_in(results, "doses.csv");
    csv_t d;
    if (csv_load(&d, doses)) {
        csv_set(&d, "scenario", "borderline", "dose_level", "1", "true_mtd", "yes");
        csv_save(&d, doses);
    }
    csv_free(&d);
    run_t r;
    run((const char *[]){"plot", results, NULL}, &r);
    CHECK_MSG(r.status == 2 && strstr(r.err, "doses.csv:") != NULL &&
                  strstr(r.err, "field 'true_mtd'") != NULL,
              "a contradicting true_mtd: %d %s", r.status, r.err);
    run_free(&r);
    free(doses);
    free(path);
    free(results);
    test_remove_dir(dir);
}

/* The highest number among the texts of an SVG that read as numbers below the
 * given height (an x axis's tic labels), and whether text shows. */
static double highest_number_below(const char *svg, double y_from)
{
    static svg_text_t texts[4000];
    int n = svg_texts(svg, texts, 4000);
    double top = -1.0;
    for (int i = 0; i < n; i++) {
        char *end;
        double x = strtod(texts[i].text, &end);
        if (end != texts[i].text && *end == '\0' && texts[i].y0 > y_from) {
            top = fmax(top, x);
        }
    }
    return top;
}

/* Sweeps on the p_dlt scale: along a dose, its p_dlt; along all, each dose's
 * own p_dlt (never the factor, which reaches 2 here), the target interval and
 * line; Monte Carlo bands for a timed sweep. */
static void test_sweeps_on_the_p_scale(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *out = path_in(dir, "out");
    CHECK(mkdir(out, 0755) == 0);
    char *all = path_in(out, "sweep_all.csv"), *mc = path_in(out, "sweep_mc.csv");
    run_ok((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "all", "--from",
                            "0.5", "--to", "2", "--step", "0.5", "--out", all, "--quiet", NULL},
           false);
    run_ok((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "2", "--from",
                            "0.1", "--to", "0.5", "--step", "0.1", TIMED, "--trials", "400",
                            "--out", mc, "--quiet", NULL},
           false);
    csv_t t;
    if (csv_load(&t, all)) { /* a target, as --target will give */
        csv_set(&t, NULL, NULL, NULL, NULL, "target", "0.25");
        csv_set(&t, NULL, NULL, NULL, NULL, "target_lo", "0.2");
        csv_set(&t, NULL, NULL, NULL, NULL, "target_hi", "0.33");
        csv_save(&t, all);
    }
    csv_free(&t);
    run_ok((const char *[]){"plot", out, "--format", "svg", NULL}, true);
    char *path = path_in(out, "sweep_all.svg");
    char *svg = test_read_file(path, NULL);
    if (CHECK(svg != NULL)) {
        CHECK(svg_has_text(svg, "each dose's own true p_dlt (every p_dlt scaled by the same "
                                "factor)"));
        CHECK(svg_has_text(svg, "target DLT rate") && svg_has_text(svg, "acceptable DLT rates"));
        double top = highest_number_below(svg, 0.0);
        /* Tic labels of probabilities (x: p_dlt up to 0.6; y: 1) and patients:
         * none is the factor 1.5 or 2 but the mean patients' scale. */
        CHECK_MSG(!svg_has_text(svg, "1.5") && !svg_has_text(svg, "2"),
                  "sweep_all.svg has the factor on an axis (highest number %g)", top);
        CHECK_MSG(svg_has_text(svg, "0.6"), "sweep_all.svg has no p_dlt of 0.6 on its axis");
        svg_texts_overlap(svg, "sweep_all.svg");
    }
    free(svg);
    free(path);
    path = path_in(out, "sweep_mc.svg");
    svg = test_read_file(path, NULL);
    if (CHECK(svg != NULL)) {
        CHECK(svg_has_text(svg, "95% intervals"));
        CHECK(svg_has_text(svg, "true p_dlt of 200 mg (the other doses' as in the scenario)"));
        CHECK(strstr(svg, "fill-opacity") != NULL || strstr(svg, "opacity") != NULL);
        svg_texts_overlap(svg, "sweep_mc.svg");
    }
    free(svg);
    free(path);
    free(all);
    free(mc);
    free(out);
    test_remove_dir(dir);
}

/* The sample size (evaluable patients: sample_size.csv) as bars, with tics only
 * at the sizes a trial can have (the 3+3's multiples of 3, on calendar time
 * without dropout, where every patient is evaluable); the duration in days for
 * short trials and in months for long ones. */
static void test_sample_size_and_duration_axes(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *slow = path_in(dir, "slow"), *fast = path_in(dir, "fast");
    run_ok((const char *[]){"run", DATA, "--trials", "3000", "--accrual", "3", "--dlt-onset",
                            "weibull:2", "--out", slow, "--quiet", NULL},
           false);
    run_ok((const char *[]){"run", DATA, "--trials", "3000", "--accrual", "60", "--window", "7",
                            "--out", fast, "--quiet", NULL},
           false);
    run_ok((const char *[]){"plot", slow, "--format", "svg", NULL}, true);
    run_ok((const char *[]){"plot", fast, "--format", "svg", NULL}, true);
    char *path = path_in(slow, "sample_size.svg");
    char *svg = test_read_file(path, NULL);
    if (CHECK(svg != NULL)) {
        static const char *const on[] = {"3", "6", "9", "12"}, *const off[] = {"4", "5",  "7",
                                                                               "8", "10", "11"};
        for (size_t k = 0; k < 4; k++) {
            CHECK_MSG(svg_has_text(svg, on[k]), "sample_size.svg: no tic at %s", on[k]);
        }
        for (size_t k = 0; k < 6; k++) {
            CHECK_MSG(!svg_has_text(svg, off[k]), "sample_size.svg: a tic at %s", off[k]);
        }
        CHECK(strstr(svg, "evaluable patients in the trial") != NULL);
        svg_texts_overlap(svg, "sample_size.svg");
    }
    free(svg);
    free(path);
    path = path_in(slow, "duration.svg");
    svg = test_read_file(path, NULL);
    CHECK(svg != NULL && strstr(svg, "months from the opening of the trial") != NULL);
    free(svg);
    free(path);
    path = path_in(fast, "duration.svg");
    svg = test_read_file(path, NULL);
    CHECK(svg != NULL && strstr(svg, "days from the opening of the trial") != NULL);
    free(svg);
    free(path);
    free(slow);
    free(fast);
    test_remove_dir(dir);
}

/* compare at 10 scenarios by 6 designs: a figure of a row per design within
 * each scenario, every row and header readable (no two texts of the SVG on top
 * of each other), with the selections, P(correct selection), P(overdose) and
 * the mean patients; in PNG, a row of at least 15 pixels. */
static void test_compare_ten_scenarios_six_designs(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    static const char *const names[10] = {
        "safe",  "expected", "borderline", "high_dose_toxic", "both_toxic",
        "steep", "flat_low", "late_mtd",   "early_mtd",       "very_toxic_from_the_start"};
    static const double p[10][4] = {
        {.02, .04, .06, .08}, {.05, .1, .2, .3},  {.08, .15, .25, .35}, {.05, .08, .12, .45},
        {.3, .4, .5, .6},     {.02, .05, .3, .6}, {.1, .11, .12, .13},  {.02, .04, .08, .25},
        {.25, .4, .55, .7},   {.5, .6, .7, .8}};
    char *file = path_in(dir, "ten.csv");
    FILE *f = fopen(file, "w");
    if (!CHECK(f != NULL)) {
        test_remove_dir(dir);
        return;
    }
    fputs("scenario,dose_level,dose_label,p_dlt\n", f);
    for (int s = 0; s < 10; s++) {
        for (int level = 1; level <= 4; level++) {
            fprintf(f, "%s,%d,%d mg,%g\n", names[s], level, 25 << (level - 1), p[s][level - 1]);
        }
    }
    fclose(f);
    static const char *const designs[6] = {"3+3",          "3+3+3",        "ab:4,4,1,2,2",
                                           "ab:3,3,1,2,2", "ab:2,4,1,1,1", "ab:4,4,1,1,2"};
    const char *args[16] = {"compare"};
    char folders[6][4200];
    for (int d = 0; d < 6; d++) {
        snprintf(folders[d], sizeof(folders[d]), "%s/design%d", dir, d);
        run_ok((const char *[]){"exact", file, "--design", designs[d], "--out", folders[d],
                                "--quiet", NULL},
               false);
        args[1 + d] = folders[d];
        /* A target interval in the key, as --target gives: the panels it judges are drawn. */
        for (int k = 0; k < 2; k++) {
            char *path = path_in(folders[d], k == 0 ? "summary.csv" : "doses.csv");
            csv_t t;
            if (csv_load(&t, path)) {
                csv_set(&t, NULL, NULL, NULL, NULL, "target", "0.25");
                csv_set(&t, NULL, NULL, NULL, NULL, "target_lo", "0.2");
                csv_set(&t, NULL, NULL, NULL, NULL, "target_hi", "0.33");
                csv_save(&t, path);
            }
            csv_free(&t);
            free(path);
        }
    }
    char *cmp = path_in(dir, "cmp");
    args[7] = "--out";
    args[8] = cmp;
    args[9] = "--format";
    for (size_t k = 0; k < 3; k++) {
        args[10] = formats[k];
        args[11] = NULL;
        run_ok(args, false);
    }
    char *png = path_in(cmp, "comparison.png"), *svg_path = path_in(cmp, "comparison.svg");
    unsigned width = 0, height = 0;
    /* 10 scenarios of a header and 6 rows, half a row apart: 74.5 rows. */
    bool is_png = png_size(png, &width, &height);
    CHECK_MSG(is_png && height >= 74.5 * 15 && width >= 900, "comparison.png is %ux%u", width,
              height);
    char *svg = test_read_file(svg_path, NULL);
    if (CHECK(svg != NULL)) {
        for (int s = 0; s < 10; s++) {
            CHECK_MSG(strstr(svg, names[s]) != NULL, "comparison.svg lacks %s", names[s]);
        }
        int rows = 0;
        for (const char *at = svg; (at = strstr(at, "<text>ab:4,4,1,2,2</text>")) != NULL; at++) {
            rows++;
        }
        CHECK_MSG(rows == 10, "comparison.svg labels %d rows of ab:4,4,1,2,2", rows);
        static const char *const panels[] = {"P(chosen as RP2D)", "P(correct selection)",
                                             "P(overdose)", "mean patients treated"};
        for (size_t k = 0; k < 4; k++) {
            CHECK_MSG(svg_has_text(svg, panels[k]), "comparison.svg has no panel %s", panels[k]);
        }
        svg_texts_overlap(svg, "comparison.svg");
    }
    free(svg);
    free(png);
    free(svg_path);
    free(cmp);
    free(file);
    test_remove_dir(dir);
}

const test_case_t figures_tests[] = {
    {"every_figure_in_every_format", test_every_figure_in_every_format},
    {"degenerate_data_is_quiet", test_degenerate_data_is_quiet},
    {"gnuplot_said_in_our_words", test_gnuplot_said_in_our_words},
    {"selection_shows_the_truth", test_selection_shows_the_truth},
    {"sweeps_on_the_p_scale", test_sweeps_on_the_p_scale},
    {"sample_size_and_duration_axes", test_sample_size_and_duration_axes},
    {"compare_ten_scenarios_six_designs", test_compare_ten_scenarios_six_designs},
    {NULL, NULL},
};

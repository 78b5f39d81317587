/* The result contract (schema.h, results/SCHEMA.csv): every file each command
 * writes has exactly its table's columns, in order, and every cell reads as
 * its column's type says (empty only where the schema says it may be); one
 * run_id across a run's files; the key never empty; MC and exact results
 * stack; the none row is P(no RP2D); README.md documents every column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dosesim/csv.h"
#include "dosesim/schema.h"
#include "dosesim/text.h"
#include "testlib.h"
#include "testrun.h"

/* ---- a CSV file as rows of cells ---- */

typedef struct {
    int n_rows, cap;
    int n_cols;
    char ***rows; /* [n_rows][n_cols]; row 0 the header */
} grid_t;

static int add_row(void *ctx, const ds_csv_record_t *rec)
{
    grid_t *g = ctx;
    if (g->n_rows == g->cap) {
        g->cap = g->cap == 0 ? 64 : 2 * g->cap;
        g->rows = realloc(g->rows, (size_t)g->cap * sizeof(*g->rows));
    }
    char **cells = calloc((size_t)rec->n_fields + 1u, sizeof(*cells));
    for (int i = 0; i < rec->n_fields; i++) {
        cells[i] = rec->fields[i];
        rec->fields[i] = NULL;
    }
    if (g->n_rows == 0) {
        g->n_cols = rec->n_fields;
    } else if (rec->n_fields != g->n_cols) {
        return DS_ERR_PARSE;
    }
    g->rows[g->n_rows++] = cells;
    return 0;
}

static void grid_free(grid_t *g)
{
    for (int r = 0; r < g->n_rows; r++) {
        for (int c = 0; c < g->n_cols; c++) {
            free(g->rows[r][c]);
        }
        free(g->rows[r]);
    }
    free(g->rows);
    memset(g, 0, sizeof(*g));
}

static bool grid_read(grid_t *g, const char *path)
{
    memset(g, 0, sizeof(*g));
    size_t len = 0;
    char *text = test_read_file(path, &len);
    if (!CHECK_MSG(text != NULL, "%s is missing", path)) {
        return false;
    }
    ds_diag_t diag;
    ds_diag_clear(&diag);
    int ret = ds_csv_read(path, text, len, add_row, g, &diag);
    free(text);
    return CHECK_MSG(ret == 0 && g->n_rows > 0, "%s: not a CSV with rows of one length (%s)", path,
                     diag.message);
}

static int grid_col(const grid_t *g, const char *name)
{
    for (int c = 0; c < g->n_cols; c++) {
        if (strcmp(g->rows[0][c], name) == 0) {
            return c;
        }
    }
    return -1;
}

/* ---- the checks ---- */

static bool cell_reads_as(const char *cell, ds_column_type_t type)
{
    double x = 0.0;
    switch (type) {
    case DS_TYPE_TEXT:
        return true;
    case DS_TYPE_INTEGER:
        return cell[0] != '\0' && strspn(cell + (cell[0] == '-'), "0123456789") ==
                                      strlen(cell + (cell[0] == '-'));
    case DS_TYPE_NUMBER:
        return ds_parse_double(cell, &x) && isfinite(x);
    case DS_TYPE_PROBABILITY:
        return ds_parse_double(cell, &x) && x >= 0.0 && x <= 1.0;
    case DS_TYPE_YES_NO:
        return strcmp(cell, DS_YES) == 0 || strcmp(cell, DS_NO) == 0;
    case DS_TYPE_RUN_ID:
        return strlen(cell) == DS_RUN_ID_CHARS - 1 &&
               strncmp(cell, DS_RUN_ID_PREFIX, strlen(DS_RUN_ID_PREFIX)) == 0 &&
               strspn(cell + strlen(DS_RUN_ID_PREFIX), "0123456789abcdef") ==
                   DS_RUN_ID_HEX_DIGITS;
    default:
        return false;
    }
}

/* The table's expected header for a file with n_levels per-level blocks. */
static int expected_header(ds_table_id_t table, int n_levels, const char **names, char store[][64],
                           int room)
{
    const ds_table_schema_t *t = ds_schema_table(table);
    int n = 0;
    for (size_t k = 0; k < t->n_columns && n < room; k++) {
        if (strstr(t->columns[k]->name, DS_COL_LEVEL_MARK) == NULL) {
            names[n++] = t->columns[k]->name;
        }
    }
    for (int d = 1; d <= n_levels; d++) {
        for (size_t k = 0; k < t->n_columns && n < room; k++) {
            const char *mark = strstr(t->columns[k]->name, DS_COL_LEVEL_MARK);
            if (mark != NULL) {
                snprintf(store[n], 64, "%.*s%d", (int)(mark - t->columns[k]->name),
                         t->columns[k]->name, d);
                names[n] = store[n];
                n++;
            }
        }
    }
    return n;
}

/* The schema column a header name stands for (a per-level name, its stem's). */
static const ds_column_t *column_of(ds_table_id_t table, const char *name)
{
    const ds_table_schema_t *t = ds_schema_table(table);
    for (size_t k = 0; k < t->n_columns; k++) {
        const char *col = t->columns[k]->name;
        const char *mark = strstr(col, DS_COL_LEVEL_MARK);
        if (mark == NULL ? strcmp(col, name) == 0
                         : strncmp(col, name, (size_t)(mark - col)) == 0 &&
                               strspn(name + (mark - col), "0123456789") ==
                                   strlen(name + (mark - col)) &&
                               name[mark - col] != '\0') {
            return t->columns[k];
        }
    }
    return NULL;
}

/* Check one written file against its table; its run_id into run_id (if not NULL). */
static void check_file(const char *path, ds_table_id_t table, char *run_id)
{
    grid_t g;
    if (!grid_read(&g, path)) {
        return;
    }
    const ds_table_schema_t *t = ds_schema_table(table);
    int n_levels = 0;
    if (t->per_level) {
        int plain = (int)ds_schema_names(table, NULL, 0);
        int per = (int)t->n_columns - plain;
        n_levels = per > 0 ? (g.n_cols - plain) / per : 0;
    }
    const char *names[512];
    static char store[512][64];
    int n = expected_header(table, n_levels, names, store, 512);
    bool header_ok = CHECK_MSG(n == g.n_cols, "%s: %d columns, the schema's %s has %d", path,
                               g.n_cols, t->name, n);
    for (int c = 0; header_ok && c < n; c++) {
        header_ok = CHECK_MSG(strcmp(g.rows[0][c], names[c]) == 0,
                              "%s: column %d is '%s', the schema says '%s'", path, c + 1,
                              g.rows[0][c], names[c]);
    }
    int failures = 0;
    for (int r = 1; header_ok && r < g.n_rows && failures < 5; r++) {
        for (int c = 0; c < g.n_cols && failures < 5; c++) {
            const ds_column_t *col = column_of(table, g.rows[0][c]);
            const char *cell = g.rows[r][c];
            bool ok = col != NULL &&
                      (cell[0] == '\0' ? col->empty_when != NULL : cell_reads_as(cell, col->type));
            if (!CHECK_MSG(ok, "%s:%d: column %s: '%s' is not %s%s", path, r + 1, g.rows[0][c],
                           cell, col != NULL ? ds_column_type_names[col->type] : "in the schema",
                           col != NULL && col->empty_when == NULL ? " (never empty)" : "")) {
                failures++;
            }
        }
    }
    if (run_id != NULL && header_ok && g.n_rows > 1) {
        int c = grid_col(&g, DS_COL_RUN_ID);
        for (int r = 1; r < g.n_rows; r++) {
            if (run_id[0] == '\0') {
                snprintf(run_id, DS_RUN_ID_CHARS, "%s", g.rows[r][c]);
            }
            if (!CHECK_MSG(strcmp(run_id, g.rows[r][c]) == 0, "%s:%d: run_id %s, the run's is %s",
                           path, r + 1, g.rows[r][c], run_id)) {
                break;
            }
        }
    }
    grid_free(&g);
}

static void check_result_set(const char *dir, char *run_id)
{
    static const ds_table_id_t tables[DS_RESULT_FILES] = {DS_TABLE_SUMMARY, DS_TABLE_DOSES,
                                                          DS_TABLE_SAMPLE_SIZE, DS_TABLE_DURATION,
                                                          DS_TABLE_OPTIMISATION};
    for (int k = 0; k < DS_RESULT_FILES; k++) {
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", dir, ds_result_file_names[k]);
        check_file(path, tables[k], run_id);
    }
}

static bool ran(const char *const *args)
{
    run_t r;
    run(args, &r);
    bool ok = CHECK_MSG(r.status == 0, "dosesim %s %s failed: %s", args[0], args[1], r.err);
    run_free(&r);
    return ok;
}

static bool put_file(const char *dir, const char *name, const char *text);

/* Every command's files, timed and untimed, MC and exact, with extra columns
 * in the scenario file: each read back against the schema. */
static void test_every_file_matches_schema(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char mc[4200], timed[4200], exact[4200], trials[4200], paths[4200], sweep[4200],
        sweep_timed[4200], cmp[4200], path[4400];
    snprintf(mc, sizeof(mc), "%s/mc", dir);
    snprintf(timed, sizeof(timed), "%s/timed", dir);
    snprintf(exact, sizeof(exact), "%s/exact", dir);
    snprintf(trials, sizeof(trials), "%s/trials.csv", dir);
    snprintf(paths, sizeof(paths), "%s/paths.csv", dir);
    snprintf(sweep, sizeof(sweep), "%s/sweep.csv", dir);
    snprintf(sweep_timed, sizeof(sweep_timed), "%s/sweep_timed.csv", dir);
    snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
    const char *file = "scenarios/tifcemalimab.csv";
    char run_id[DS_RUN_ID_CHARS] = "";
    if (ran((const char *[]){"run", file, "--trials", "2000", "--out", mc, "--quiet", NULL})) {
        check_result_set(mc, run_id);
    }
    run_id[0] = '\0';
    if (ran((const char *[]){"run", file, "--trials", "2000", "--accrual", "3", "--dropout", "0.2",
                             "--trials-csv", trials, "--out", timed, "--quiet", NULL})) {
        check_result_set(timed, run_id);
        check_file(trials, DS_TABLE_TRIALS, run_id); /* the same run: the same run_id */
    }
    run_id[0] = '\0';
    if (ran((const char *[]){"exact", file, "--out", exact, "--quiet", NULL})) {
        check_result_set(exact, run_id);
    }
    /* with p_response: optimisation.csv's rows, exact and timed, with and without the stage */
    const char *response = "scenarios/tifcemalimab_response.csv";
    char optimised[4200], optimised_mc[4200];
    snprintf(optimised, sizeof(optimised), "%s/optimised", dir);
    snprintf(optimised_mc, sizeof(optimised_mc), "%s/optimised_mc", dir);
    run_id[0] = '\0';
    if (ran((const char *[]){"exact", response, "--optimise", "20", "--out", optimised, "--quiet",
                             NULL})) {
        check_result_set(optimised, run_id);
    }
    run_id[0] = '\0';
    if (ran((const char *[]){"run", response, "--trials", "2000", "--accrual", "3", "--dropout",
                             "0.1", "--out", optimised_mc, "--quiet", NULL})) {
        check_result_set(optimised_mc, run_id);
    }
    if (ran((const char *[]){"paths", file, "--scenario", "expected", "--out", paths, "--quiet",
                             NULL})) {
        check_file(paths, DS_TABLE_PATHS, NULL);
    }
    if (ran((const char *[]){"sweep", file, "--scenario", "expected", "--vary", "all", "--from",
                             "0.5", "--to", "2", "--step", "0.5", "--out", sweep, "--quiet",
                             NULL})) {
        check_file(sweep, DS_TABLE_SWEEP, NULL);
    }
    if (ran((const char *[]){"sweep", file, "--scenario", "expected", "--vary", "2", "--from",
                             "0.1", "--to", "0.3", "--step", "0.1", "--accrual", "3", "--trials",
                             "500", "--out", sweep_timed, "--quiet", NULL})) {
        check_file(sweep_timed, DS_TABLE_SWEEP, NULL);
    }
    /* trace --format csv, on standard output: untimed, timed, one at a time. */
    static const char *const traces[][4] = {{"--design", "3+3", NULL, NULL},
                                            {"--accrual", "3", "--dropout", "0.2"},
                                            {"--design", "rolling6", "--accrual", "3"}};
    run_t r;
    for (size_t k = 0; k < sizeof(traces) / sizeof(traces[0]); k++) {
        run((const char *[]){"trace", file, "--scenario", "expected", "--trial", "4", "--format",
                             "csv", traces[k][0], traces[k][1], traces[k][2], traces[k][3], NULL},
            &r);
        char name[32];
        snprintf(name, sizeof(name), "trace_%zu.csv", k);
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (CHECK_MSG(r.status == 0, "trace: %s", r.err) && CHECK(put_file(dir, name, r.out))) {
            check_file(path, DS_TABLE_TRACE, NULL);
        }
        run_free(&r);
    }
    char cmp_optimised[4300];
    snprintf(cmp_optimised, sizeof(cmp_optimised), "%s/cmp_optimised", dir);
    run((const char *[]){"compare", optimised, optimised_mc, "--out", cmp_optimised, NULL}, &r);
    if (CHECK_MSG(r.status == 0, "compare: %s", r.err)) {
        snprintf(path, sizeof(path), "%s/%s", cmp_optimised, DS_COMPARISON_FILE);
        check_file(path, DS_TABLE_COMPARISON, NULL);
    }
    run_free(&r);
    run((const char *[]){"compare", mc, exact, timed, "--out", cmp, NULL}, &r);
    if (CHECK_MSG(r.status == 0, "compare: %s", r.err)) {
        snprintf(path, sizeof(path), "%s/%s", cmp, DS_COMPARISON_FILE);
        check_file(path, DS_TABLE_COMPARISON, NULL);
    }
    run_free(&r);
    test_remove_dir(dir);
}

/* results/SCHEMA.csv is what `dosesim schema` prints. */
static void test_schema_csv_is_shipped(void)
{
    run_t r;
    run((const char *[]){"schema", NULL}, &r);
    char *shipped = test_read_file("results/SCHEMA.csv", NULL);
    if (CHECK(r.status == 0) && CHECK(shipped != NULL)) {
        CHECK_MSG(strcmp(r.out, shipped) == 0,
                  "results/SCHEMA.csv differs from `dosesim schema`: run "
                  "bin/dosesim schema > results/SCHEMA.csv");
    }
    free(shipped);
    run_free(&r);
}

/* The files of one run carry one run_id; another seed, another run_id; the
 * same run on other threads, the same. MC and exact summaries stack: the
 * same columns, and seed and n_trials whole numbers in both. */
static void test_run_id_and_stacking(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char a[4200], b[4200], c[4200], e[4200], pa[4400], pb[4400], pc[4400], pe[4400];
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(c, sizeof(c), "%s/c", dir);
    snprintf(e, sizeof(e), "%s/e", dir);
    const char *file = "scenarios/tifcemalimab.csv";
    ran((const char *[]){"run", file, "--trials", "3000", "--threads", "1", "--out", a, "--quiet",
                         NULL});
    ran((const char *[]){"run", file, "--trials", "3000", "--threads", "2", "--out", b, "--quiet",
                         NULL});
    ran((const char *[]){"run", file, "--trials", "3000", "--seed", "7", "--out", c, "--quiet",
                         NULL});
    ran((const char *[]){"exact", file, "--out", e, "--quiet", NULL});
    snprintf(pa, sizeof(pa), "%s/summary.csv", a);
    snprintf(pb, sizeof(pb), "%s/summary.csv", b);
    snprintf(pc, sizeof(pc), "%s/summary.csv", c);
    snprintf(pe, sizeof(pe), "%s/summary.csv", e);
    grid_t ga, gb, gc, ge;
    if (grid_read(&ga, pa) && grid_read(&gb, pb) && grid_read(&gc, pc) && grid_read(&ge, pe)) {
        int id = grid_col(&ga, DS_COL_RUN_ID);
        CHECK(id >= 0);
        CHECK_STR_EQ(ga.rows[1][id], gb.rows[1][id]);
        CHECK(strcmp(ga.rows[1][id], gc.rows[1][id]) != 0);
        CHECK(strcmp(ga.rows[1][id], ge.rows[1][id]) != 0);
        CHECK_INT_EQ(ga.n_cols, ge.n_cols);
        for (int k = 0; k < ga.n_cols && k < ge.n_cols; k++) {
            CHECK_STR_EQ(ga.rows[0][k], ge.rows[0][k]);
        }
        int seed = grid_col(&ge, DS_COL_SEED), n = grid_col(&ge, DS_COL_N_TRIALS);
        CHECK_STR_EQ(ge.rows[1][seed], "0");
        CHECK_STR_EQ(ge.rows[1][n], "0");
        CHECK_STR_EQ(ga.rows[1][seed], "20261126");
    }
    grid_free(&ga);
    grid_free(&gb);
    grid_free(&gc);
    grid_free(&ge);
    test_remove_dir(dir);
}

/* doses.csv's none row is summary.csv's P(no RP2D), and each scenario's rows,
 * none included, sum to 1. */
static void test_none_row(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char e[4200], ps[4400], pd[4400];
    snprintf(e, sizeof(e), "%s/e", dir);
    ran((const char *[]){"exact", "scenarios/tifcemalimab.csv", "--out", e, "--quiet", NULL});
    snprintf(ps, sizeof(ps), "%s/summary.csv", e);
    snprintf(pd, sizeof(pd), "%s/doses.csv", e);
    grid_t s, d;
    if (grid_read(&s, ps) && grid_read(&d, pd)) {
        int sc = grid_col(&s, DS_COL_SCENARIO), none = grid_col(&s, DS_COL_PROB_NO_RP2D);
        int dc = grid_col(&d, DS_COL_SCENARIO), lv = grid_col(&d, DS_COL_DOSE_LEVEL),
            lb = grid_col(&d, DS_COL_DOSE_LABEL), pr = grid_col(&d, DS_COL_PROB_RP2D);
        for (int i = 1; i < s.n_rows; i++) {
            double sum = 0.0;
            int none_rows = 0;
            for (int j = 1; j < d.n_rows; j++) {
                if (strcmp(d.rows[j][dc], s.rows[i][sc]) != 0) {
                    continue;
                }
                sum += strtod(d.rows[j][pr], NULL);
                if (strcmp(d.rows[j][lv], "0") == 0) {
                    none_rows++;
                    CHECK_STR_EQ(d.rows[j][lb], DS_NO_DOSE_LABEL);
                    CHECK_STR_EQ(d.rows[j][pr], s.rows[i][none]);
                }
            }
            CHECK_INT_EQ(none_rows, 1);
            CHECK_NEAR(sum, 1.0, 1e-12);
        }
    }
    grid_free(&s);
    grid_free(&d);
    test_remove_dir(dir);
}

/* README.md's "Result files" tables list every column of every table, in the
 * schema's order, with the schema's type and description. */
static void test_readme_documents_every_column(void)
{
    char *readme = test_read_file("README.md", NULL);
    if (!CHECK(readme != NULL)) {
        return;
    }
    for (int t = 0; t < DS_N_TABLES; t++) {
        const ds_table_schema_t *table = ds_schema_table((ds_table_id_t)t);
        char heading[128];
        snprintf(heading, sizeof(heading), "<!-- schema:%s -->", table->name);
        const char *at = strstr(readme, heading);
        if (!CHECK_MSG(at != NULL, "README.md has no %s section", heading)) {
            continue;
        }
        /* After the key (documented once, in its own section), the table's own
         * columns; a sweep's and a comparison's others are doses.csv's and summary.csv's. */
        const char *end = strstr(at + 1, "<!-- schema:");
        const bool composite = t == DS_TABLE_SWEEP || t == DS_TABLE_COMPARISON;
        for (size_t k = DS_KEY_COLUMNS; k < table->n_columns; k++) {
            const ds_column_t *c = table->columns[k];
            if (composite && (column_of(DS_TABLE_SUMMARY, c->name) == c ||
                              column_of(DS_TABLE_DOSES, c->name) == c)) {
                continue;
            }
            char row[1200];
            snprintf(row, sizeof(row), "| %s | %s | %s%s%s |", c->name,
                     ds_column_type_names[c->type], c->description,
                     c->empty_when != NULL ? "; empty when " : "",
                     c->empty_when != NULL ? c->empty_when : "");
            const char *found = strstr(at, row);
            CHECK_MSG(found != NULL && (end == NULL || found < end),
                      "README.md's %s section lacks the row\n%s", table->name, row);
            at = found != NULL ? found : at;
        }
    }
    /* The key, once. */
    const char *key = strstr(readme, "<!-- schema:key -->");
    if (CHECK_MSG(key != NULL, "README.md has no <!-- schema:key --> section")) {
        for (int k = 0; k < DS_KEY_COLUMNS; k++) {
            const ds_column_t *c = ds_schema_key_columns[k];
            char row[1200];
            snprintf(row, sizeof(row), "| %s | %s | %s |", c->name, ds_column_type_names[c->type],
                     c->description);
            const char *found = strstr(key, row);
            CHECK_MSG(found != NULL, "README.md's key section lacks the row\n%s", row);
            key = found != NULL ? found : key;
        }
    }
    free(readme);
}

/* Write text to dir/name. */
static bool put_file(const char *dir, const char *name, const char *text)
{
    char path[4400];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return false;
    }
    fputs(text, f);
    return fclose(f) == 0;
}

/* plot, compare and report check every cell of what they read back against the
 * contract, the key cells they do not draw too: a results folder edited in one
 * cell (a seed, a run_id, a dlt_onset left empty, a column dosesim never
 * writes) is refused with the file, line and column, and nothing is written. */
static void test_readers_check_every_cell(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char good[4200], bad[4200], out[4200];
    snprintf(good, sizeof(good), "%s/good", dir);
    snprintf(bad, sizeof(bad), "%s/bad", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    run_t r;
    run((const char *[]){"exact", "tests/data/two_dose.csv", "--out", good, "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    static const struct {
        const char *file, *find, *with, *field;
    } edits[] = {
        {"doses.csv", ",21,0,none,0,", ",21,0,,0,", "dlt_onset"},
        {"doses.csv", ",exact,yes,expand,1,0,0,", ",exact,yes,expand,1,0,x7,", "seed"},
        {"sample_size.csv", "\nr", "\nR", "run_id"},
        {"summary.csv", "run_id,", "run_identity,", "run_identity"},
    };
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                        "duration.csv"};
    for (size_t e = 0; e < sizeof(edits) / sizeof(edits[0]); e++) {
        test_remove_dir(strdup(bad));
        CHECK(mkdir(bad, 0777) == 0);
        for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
            char path[4400];
            snprintf(path, sizeof(path), "%s/%s", good, files[k]);
            char *text = test_read_file(path, NULL);
            if (!CHECK(text != NULL)) {
                continue;
            }
            char *at = strcmp(files[k], edits[e].file) == 0 ? strstr(text, edits[e].find) : NULL;
            if (strcmp(files[k], edits[e].file) == 0 && !CHECK_MSG(at != NULL, "edit %zu", e)) {
                free(text);
                continue;
            }
            size_t size = strlen(text) + strlen(edits[e].with) + 1;
            char *edited = malloc(size);
            if (at != NULL) {
                snprintf(edited, size, "%.*s%s%s", (int)(at - text), text, edits[e].with,
                         at + strlen(edits[e].find));
            } else {
                snprintf(edited, size, "%s", text);
            }
            CHECK(put_file(bad, files[k], edited));
            free(edited);
            free(text);
        }
        char report[4300];
        snprintf(report, sizeof(report), "%s.html", out);
        const char *const commands[][8] = {
            {"plot", bad, "--out", out, NULL},
            {"compare", bad, good, "--out", out, NULL},
            {"report", bad, "--out", report, NULL},
        };
        /* compare and report read no sample_size.csv */
        const int n_commands = strcmp(edits[e].file, "sample_size.csv") == 0 ? 1 : 3;
        for (int c = 0; c < n_commands; c++) {
            run(commands[c], &r);
            char where[300];
            snprintf(where, sizeof(where), "%s", edits[e].file);
            CHECK_MSG(r.status == 2 && strstr(r.err, where) != NULL &&
                          strstr(r.err, edits[e].field) != NULL,
                      "%s with %s edited (%s): exit %d, said: %s", commands[c][0], edits[e].file,
                      edits[e].field, r.status, r.err);
            run_free(&r);
            CHECK_MSG(!exists(out) && !exists(report), "%s wrote %s", commands[c][0], out);
            test_remove_dir(strdup(out));
            remove(report);
        }
    }
    test_remove_dir(dir);
}

const test_case_t contract_tests[] = {
    {"readers_check_every_cell", test_readers_check_every_cell},
    {"every_file_matches_schema", test_every_file_matches_schema},
    {"schema_csv_is_shipped", test_schema_csv_is_shipped},
    {"run_id_and_stacking", test_run_id_and_stacking},
    {"none_row", test_none_row},
    {"readme_documents_every_column", test_readme_documents_every_column},
    {NULL, NULL},
};

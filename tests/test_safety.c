/* Safety (issue 12): no input runs a command, writes outside its place,
 * replaces what dosesim did not make, or mixes two results. A test per class
 * of the issue (each failed on the main before the fix), and a hostile corpus
 * of text pushed through every command that writes or plots. The program is
 * $DOSESIM, run as a user would (testrun.h). */
#define _GNU_SOURCE /* mkfifo, link, setrlimit */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dosesim/dosesim.h"
#include "testlib.h"
#include "testrun.h"

#define DATA "tests/data/two_dose.csv"

static char *path_in(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    if (path != NULL) {
        sprintf(path, "%s/%s", dir, name);
    }
    return path;
}

/* A CSV field, quoted. */
static void put_field(FILE *f, const char *text)
{
    fputc('"', f);
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"') {
            fputc('"', f);
        }
        fputc(*c, f);
    }
    fputc('"', f);
}

/* A two-dose scenario file: scenario name, its two labels. */
static bool write_scenario(const char *path, const char *name, const char *label1,
                           const char *label2)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return false;
    }
    fputs("scenario,dose_level,dose_label,p_dlt\n", f);
    put_field(f, name);
    fputs(",1,", f);
    put_field(f, label1);
    fputs(",0.1\n", f);
    put_field(f, name);
    fputs(",2,", f);
    put_field(f, label2);
    fputs(",0.3\n", f);
    return fclose(f) == 0;
}

/* ---- 1. no command through gnuplot ---- */

/* The issue's own example: a dose label A`touch MARK` drawn by plot and compare. */
static void test_no_command_through_gnuplot(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *mark = path_in(dir, "PWNED"), *file = path_in(dir, "f.csv");
    char *a = path_in(dir, "a"), *b = path_in(dir, "b"), *cmp = path_in(dir, "cmp");
    char label[5000], name[5000];
    snprintf(label, sizeof(label), "A`touch %s`", mark);
    snprintf(name, sizeof(name), "s\"; system(\"touch %s\"); \"", mark);
    CHECK(write_scenario(file, name, label, "$(touch x) @m {/Symbol a} %s"));
    run_t r;
    run((const char *[]){"exact", file, "--out", a, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "exact: %s", r.err);
    run_free(&r);
    run((const char *[]){"run", file, "--trials", "3000", "--out", b, "--quiet", NULL}, &r);
    run_free(&r);
    for (int f = 0; f < 2; f++) {
        run((const char *[]){"plot", a, "--format", f == 0 ? "png" : "svg", NULL}, &r);
        CHECK_MSG(r.status == 0, "plot: %s", r.err);
        run_free(&r);
    }
    run((const char *[]){"compare", a, b, "--out", cmp, "--format", "svg", NULL}, &r);
    CHECK_MSG(r.status == 0, "compare: %s", r.err);
    run_free(&r);
    CHECK_MSG(!exists(mark), "a command ran: %s exists", mark);
    /* And the label is drawn as it is, every character. */
    char *svg_path = path_in(a, "selection.svg");
    char *svg = test_read_file(svg_path, NULL);
    CHECK(svg != NULL && strstr(svg, label) != NULL);
    free(svg);
    free(svg_path);
    free(mark);
    free(file);
    free(a);
    free(b);
    free(cmp);
    test_remove_dir(dir);
}

/* ---- 2. outputs that are not regular files ---- */

static void test_outputs_not_regular_files(void)
{
    char *dir = test_temp_dir();
    run_t r;
    struct stat st;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *out = path_in(dir, "out");
    /* A character device: written into, still the device afterwards. A node of
     * our own (as /dev/null) where one can be made and used, so that a regression
     * cannot replace the machine's; else /dev/null, which only root could replace. */
    char *device = path_in(dir, "null"), *to_stdout = path_in(dir, "stdout");
    int fd = mknod(device, S_IFCHR | 0666, makedev(1, 3)) == 0 ? open(device, O_WRONLY) : -1;
    const char *null_device = fd >= 0 ? device : geteuid() != 0 ? "/dev/null" : NULL;
    if (fd >= 0) {
        close(fd);
    }
    if (null_device != NULL) {
        run((const char *[]){"run", DATA, "--trials", "2000", "--out", out, "--trials-csv",
                             null_device, "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "--trials-csv %s: %s", null_device, r.err);
        CHECK(stat(null_device, &st) == 0 && S_ISCHR(st.st_mode));
        run_free(&r);
    }
    CHECK(symlink("/proc/self/fd/1", to_stdout) == 0); /* as /dev/stdout is */
    /* "-": the rows on stdout (after the key, trial first), the table on stderr.
     * Runs of other options than the first write folders of their own: out
     * holds that one's results. */
    char *out_other = path_in(dir, "out_other");
    table_t t;
    run((const char *[]){"run", DATA, "--trials", "100", "--out", out_other, "--trials-csv", "-",
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    if (CHECK(table_parse(&t, r.out))) {
        CHECK(table_col(&t, "run_id") == 0 && table_col(&t, "trial") == DS_KEY_COLUMNS &&
              table_col(&t, "rp2d_level") == DS_KEY_COLUMNS + 1);
        CHECK(t.n_rows == 200 &&
              table_find(&t, 0, "scenario", "borderline", "trial", "100", NULL) >= 0);
        table_free(&t);
    }
    CHECK(strstr(r.out, "P(RP2D)") == NULL);
    CHECK(strstr(r.err, "P(RP2D)") != NULL);
    run_free(&r);
    run((const char *[]){"paths", DATA, "--scenario", "toxic", "--out", "-", NULL}, &r);
    CHECK(r.status == 0 && strstr(r.err, "paths; their probabilities sum to") != NULL);
    if (CHECK(table_parse(&t, r.out))) {
        CHECK(table_col(&t, "path") == DS_KEY_COLUMNS &&
              table_col(&t, "prob") == DS_KEY_COLUMNS + 1 && t.n_rows > 0);
        table_free(&t);
    }
    run_free(&r);
    run((const char *[]){"sweep", DATA, "--scenario", "toxic", "--vary", "1", "--from", "0", "--to",
                         "1", "--step", "0.5", "--out", to_stdout, NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    if (CHECK(table_parse(&t, r.out))) {
        CHECK(table_col(&t, "sweep_vary") == DS_KEY_COLUMNS &&
              table_col(&t, "sweep_value") == DS_KEY_COLUMNS + 1 && t.n_rows == 9);
        table_free(&t);
    }
    CHECK(lstat(to_stdout, &st) == 0 && S_ISLNK(st.st_mode)); /* written through, not replaced */
    run_free(&r);
    /* A FIFO: streamed into, read by another process, and still a FIFO. */
    char *fifo = path_in(dir, "fifo"), *copy = path_in(dir, "copy");
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t reader = copy_fifo(fifo, copy);
    run((const char *[]){"run", DATA, "--trials", "100", "--out", out_other, "--trials-csv", fifo,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "FIFO: %s", r.err);
    run_free(&r);
    waitpid(reader, NULL, 0);
    char *text = test_read_file(copy, NULL);
    CHECK(text != NULL && strlen(text) > 1000);
    if (CHECK(table_parse(&t, text))) {
        CHECK(table_col(&t, "trial") == DS_KEY_COLUMNS && t.n_rows == 200);
        table_free(&t);
    }
    free(text);
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    /* A link to a file is refused before any work; the file stays as it was. */
    char *victim = path_in(dir, "victim.txt"), *link_name = path_in(dir, "link.csv");
    char *fresh = path_in(dir, "fresh");
    CHECK(test_write_file(victim, "precious\n") && symlink(victim, link_name) == 0);
    run((const char *[]){"run", DATA, "--trials", "100", "--out", fresh, "--trials-csv", link_name,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "is a symbolic link") != NULL && !exists(fresh));
    run_free(&r);
    text = test_read_file(victim, NULL);
    CHECK(text != NULL && strcmp(text, "precious\n") == 0);
    free(text);
    CHECK(lstat(link_name, &st) == 0 && S_ISLNK(st.st_mode));
    /* A result file that is a link or a FIFO: the set is refused, nothing
     * replaced, even when asked to replace the results there. */
    char *set_link = path_in(out, "doses.csv");
    CHECK(unlink(set_link) == 0 && symlink(victim, set_link) == 0);
    run((const char *[]){"exact", DATA, "--out", out, "--quiet", "--replace", NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "doses.csv: ") != NULL && strstr(r.err, "symbolic link") != NULL);
    run_free(&r);
    text = test_read_file(victim, NULL);
    CHECK(text != NULL && strcmp(text, "precious\n") == 0);
    free(text);
    CHECK(unlink(set_link) == 0 && mkfifo(set_link, 0600) == 0);
    run((const char *[]){"exact", DATA, "--out", out, "--quiet", "--replace", NULL}, &r);
    CHECK(r.status == 2 && strstr(r.err, "is a FIFO") != NULL);
    run_free(&r);
    CHECK(lstat(set_link, &st) == 0 && S_ISFIFO(st.st_mode));
    free(set_link);
    free(device);
    free(to_stdout);
    free(fresh);
    free(victim);
    free(link_name);
    free(fifo);
    free(copy);
    free(out_other);
    free(out);
    test_remove_dir(dir);
}

/* ---- 3. temporary names are never followed ---- */

/* Links planted, before the program starts, at every name the earlier
 * dosesim would have used for its temporary files (.NAME.tmp-PID-N), pointing
 * at a file to protect. */
typedef struct {
    const char *dir;
    const char *victim;
} plant_t;

static void plant_links(pid_t pid, void *ctx)
{
    const plant_t *p = ctx;
    static const char *const names[] = {"selection.png", "sample_size.png", "duration.png",
                                        "summary.csv",   "doses.csv",       "sample_size.csv",
                                        "duration.csv",  "comparison.csv",  "comparison.png"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        for (int attempt = 0; attempt < 3; attempt++) {
            char link_name[4400];
            snprintf(link_name, sizeof(link_name), "%s/.%s.tmp-%ld-%d", p->dir, names[i], (long)pid,
                     attempt);
            if (symlink(p->victim, link_name) != 0) {
                fprintf(stderr, "    cannot plant %s\n", link_name);
            }
        }
    }
}

static void test_temporary_names_not_followed(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *out = path_in(dir, "out"), *victim = path_in(dir, "victim.txt");
    CHECK(test_write_file(victim, "precious\n"));
    run_t r;
    run((const char *[]){"run", DATA, "--trials", "2000", "--out", out, "--quiet", NULL}, &r);
    run_free(&r);
    plant_t plant = {.dir = out, .victim = victim};
    limits_t held = {.before_exec = plant_links, .ctx = &plant};
    run_limited(program(), (const char *[]){"plot", out, NULL}, NULL, NULL, &held, &r);
    CHECK_MSG(r.status == 0, "plot: %s", r.err);
    run_free(&r);
    /* exact replaces run's set there (--replace: another run's results). */
    run_limited(program(),
                (const char *[]){"exact", DATA, "--out", out, "--quiet", "--replace", NULL}, NULL,
                NULL, &held, &r);
    CHECK_MSG(r.status == 0, "exact: %s", r.err);
    run_free(&r);
    char *text = test_read_file(victim, NULL);
    CHECK_MSG(text != NULL && strcmp(text, "precious\n") == 0, "the link's target was written");
    free(text);
    char *summary = path_in(out, "summary.csv");
    table_t t;
    if (CHECK(table_load(&t, summary))) {
        CHECK_INT_EQ(table_count(&t, "method", "exact", NULL), 2); /* exact's set replaced run's */
        table_free(&t);
    }
    free(summary);
    static const char *const written[] = {"selection.png", "summary.csv", "doses.csv"};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        char *p = path_in(out, written[i]);
        CHECK_MSG(lstat(p, &st) == 0 && S_ISREG(st.st_mode), "%s is not a regular file", p);
        free(p);
    }
    /* No file of its own left beside them: nothing but the results, the figures,
     * the lock and the planted links. */
    char *names = list_folder(out);
    CHECK_MSG(names != NULL && strstr(names, ".dosesim-") == NULL, "left: %s", names);
    free(names);
    free(out);
    free(victim);
    test_remove_dir(dir);
}

/* ---- 4. files it should not touch ---- */

static void test_files_not_touched(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *scenarios = path_in(dir, "s.csv"), *out = path_in(dir, "out");
    char *copy = test_read_file(DATA, NULL);
    CHECK(copy != NULL && test_write_file(scenarios, copy));
    /* Each output given as the input: refused, the input unchanged. */
    const char *const lines[][16] = {
        {"run", scenarios, "--trials", "100", "--trials-csv", scenarios, "--out", out, NULL},
        {"paths", scenarios, "--scenario", "toxic", "--out", scenarios, NULL},
        {"sweep", scenarios, "--scenario", "toxic", "--vary", "1", "--from", "0", "--to", "1",
         "--step", "0.5", "--out", scenarios, NULL},
    };
    for (int i = 0; i < 3; i++) {
        run(lines[i], &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, "is the scenario file, which this command reads"),
                  "%s: %d %s", lines[i][0], r.status, r.err);
        run_free(&r);
        char *now = test_read_file(scenarios, NULL);
        CHECK(now != NULL && copy != NULL && strcmp(now, copy) == 0);
        free(now);
    }
    /* The same file under another name (a hard link) is the same file. */
    char *hard = path_in(dir, "hard.csv");
    CHECK(link(scenarios, hard) == 0);
    run((const char *[]){"run", scenarios, "--trials", "100", "--trials-csv", hard, "--out", out,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 2);
    run_free(&r);
    /* An untimed run replacing a timed one: the set's duration.csv is the
     * untimed run's own (no rows), not deleted and not the timed run's left over. */
    run((const char *[]){"run", scenarios, "--trials", "2000", "--accrual", "3", "--out", out,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"run", scenarios, "--trials", "2000", "--out", out, "--quiet", "--replace",
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    char *duration = path_in(out, "duration.csv");
    char *text = test_read_file(duration, NULL);
    const char *names[32];
    size_t n = ds_schema_names(DS_TABLE_DURATION, names, 32);
    char header[1024] = "";
    for (size_t k = 0; k < n && k < 32; k++) {
        size_t used = strlen(header);
        snprintf(header + used, sizeof(header) - used, "%s%s", k > 0 ? "," : "", names[k]);
    }
    strcat(header, "\n");
    CHECK_MSG(text != NULL && strcmp(text, header) == 0, "duration.csv is \"%s\", not \"%s\"",
              text != NULL ? text : "(missing)", header);
    free(text);
    free(duration);
    free(copy);
    free(hard);
    free(scenarios);
    free(out);
    test_remove_dir(dir);
}

/* ---- 5. default folders stay in results/ ---- */

/* Lines of "find DIR": every path below it. */
static char *find_all(const char *dir)
{
    run_t r;
    run_program("find", (const char *[]){dir, NULL}, NULL, NULL, &r);
    free(r.err);
    return r.out;
}

static void test_default_folders_stay_in_results(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *work = path_in(dir, "work");
    CHECK(mkdir(work, 0777) == 0);
    char *copy = test_read_file(DATA, NULL);
    static const char *const names[] = {"...", "..csv", ".csv", "-", "a b.csv"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *file = path_in(work, names[i]);
        CHECK(copy != NULL && test_write_file(file, copy));
        run_in(work, (const char *[]){"exact", names[i], "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "%s: %s", names[i], r.err);
        run_free(&r);
        run_in(work, (const char *[]){"paths", names[i], "--scenario", "toxic", "--quiet", NULL},
               &r);
        CHECK_MSG(r.status == 0, "%s: %s", names[i], r.err);
        run_free(&r);
        free(file);
    }
    /* Everything made is in work/results/, one folder deep per file. */
    char *all = find_all(dir);
    for (char *line = strtok(all, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        const char *rel = line + strlen(dir);
        bool ours = strcmp(rel, "") == 0 || strcmp(rel, "/work") == 0 ||
                    strncmp(rel, "/work/results", 13) == 0;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            char input[300];
            snprintf(input, sizeof(input), "/work/%s", names[i]);
            ours |= strcmp(rel, input) == 0;
        }
        CHECK_MSG(ours, "made outside results/: %s", rel);
        if (strncmp(rel, "/work/results/", 14) == 0) {
            const char *name = rel + 14;
            CHECK_MSG(name[0] != '.' && strstr(name, "/..") == NULL, "a hidden or parent name: %s",
                      rel);
        }
    }
    free(all);
    /* A shard cannot choose where merge writes: its scenario file is recorded
     * as ../../outside/x.csv, with a checksum made anew; merge writes beside the
     * shards' folder, nowhere else. */
    char *shards = path_in(dir, "shards");
    run((const char *[]){"run", DATA, "--trials", "5000", "--shard", "1/1", "--out", shards,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    char *shard = path_in(shards, "shard-1-of-1.csv");
    char *text = test_read_file(shard, NULL);
    char *at = text != NULL ? strstr(text, "scenario_file,tests/data/two_dose.csv,") : NULL;
    if (CHECK(at != NULL)) {
        char edited[65536];
        size_t head = (size_t)(at - text);
        const char *rest = at + strlen("scenario_file,tests/data/two_dose.csv,");
        char *record = strstr(text, "\nsha256,");
        if (CHECK(record != NULL)) {
            record[1] = '\0';
            snprintf(edited, sizeof(edited), "%.*sscenario_file,../../outside/x.csv,%s", (int)head,
                     text, rest);
            char hex[DS_SHA256_HEX_CHARS + 1];
            ds_sha256_hex(edited, strlen(edited), hex);
            size_t len = strlen(edited);
            snprintf(edited + len, sizeof(edited) - len, "sha256,%s\n", hex);
            CHECK(test_write_file(shard, edited));
        }
    }
    free(text);
    run((const char *[]){"merge", shards, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "merge: %s", r.err);
    run_free(&r);
    char *merged = path_in(dir, "summary.csv"); /* beside run --shard's folder "shards" */
    CHECK_MSG(exists(merged), "merge did not write %s", merged);
    char *outside = path_in(dir, "outside");
    CHECK(!exists(outside) && !exists("results/x"));
    free(outside);
    free(merged);
    free(shard);
    free(shards);
    free(copy);
    free(work);
    test_remove_dir(dir);
}

/* ---- 6. numbers read back by plot are checked ---- */

/* A CSV's text with its first data row of scenario (and dose_level, if not
 * NULL) changed: the cells of the columns names[k] set to values[k] (n of
 * them); with insert, the changed copy goes before the row, which stays.
 * dosesim's cells here hold no quotes or commas, so a line splits at commas.
 * Malloc'ed, or NULL if there is no such row. */
static char *with_row(const char *text, const char *scenario, const char *level, bool insert,
                      const char *const *names, const char *const *values, int n)
{
    table_t t;
    if (!table_parse(&t, text)) {
        return NULL;
    }
    int row = level != NULL ? table_find(&t, 0, "scenario", scenario, "dose_level", level, NULL)
                            : table_find(&t, 0, "scenario", scenario, NULL);
    int cols[8];
    bool ok = row >= 0 && n <= 8;
    for (int k = 0; ok && k < n; k++) {
        cols[k] = table_col(&t, names[k]);
        ok = cols[k] >= 0;
    }
    int n_cols = t.n_cols;
    table_free(&t);
    /* The row's line: the (row + 2)th (the header first; no cell spans lines). */
    const char *line = text;
    for (int k = 0; ok && k < row + 1; k++) {
        line = strchr(line, '\n');
        ok = line != NULL;
        line = ok ? line + 1 : line;
    }
    size_t line_len = ok ? strcspn(line, "\n") : 0;
    if (!ok || memchr(line, '"', line_len) != NULL) {
        return NULL;
    }
    size_t size = strlen(text) + 2 * line_len + 512;
    char *out = malloc(size);
    if (out == NULL) {
        return NULL;
    }
    size_t at = (size_t)(line - text);
    memcpy(out, text, at);
    const char *cell = line;
    for (int c = 0; c < n_cols; c++) {
        size_t len = strcspn(cell, ",\n");
        const char *value = NULL;
        for (int k = 0; k < n; k++) {
            value = cols[k] == c ? values[k] : value;
        }
        at += (size_t)snprintf(out + at, size - at, "%s%.*s", c > 0 ? "," : "",
                               value != NULL ? (int)strlen(value) : (int)len,
                               value != NULL ? value : cell);
        cell += len + (cell[len] == ',');
    }
    out[at++] = '\n';
    snprintf(out + at, size - at, "%s", insert ? line : line + line_len + (line[line_len] == '\n'));
    return out;
}

static void test_plot_checks_numbers(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL) || !have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    char *out = path_in(dir, "out");
    run((const char *[]){"run", DATA, "--trials", "3000", "--accrual", "3", "--out", out, "--quiet",
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    /* Each: a row of borderline (at a dose level, or inserted before its first
     * row) with cells changed, and the field the refusal must name. */
    static const struct {
        const char *file, *level;
        bool insert;
        const char *names[3], *values[3];
        const char *field;
    } edits[] = {
        {"duration.csv",
         NULL,
         true,
         {"days_from", "days_to", "prob"},
         {"-30", "-29", "0.1"},
         "days_from"},
        {"duration.csv",
         NULL,
         true,
         {"days_from", "days_to", "prob"},
         {"-5000", "2", "0.1"},
         "days_from"},
        {"duration.csv",
         NULL,
         true,
         {"days_from", "days_to", "prob"},
         {"nan", "2", "0.1"},
         "days_from"},
        {"duration.csv",
         NULL,
         true,
         {"days_from", "days_to", "prob"},
         {"1e300", "2", "0.1"},
         "days_from"},
        {"doses.csv", "2", false, {"dose_level"}, {"2000000000"}, "dose_level"},
        {"doses.csv", "2", false, {"dose_level"}, {"1e300"}, "dose_level"},
        {"sample_size.csv",
         NULL,
         true,
         {"n_evaluable", "prob"},
         {"99999999", "0.1"},
         "n_evaluable"},
        {"summary.csv", NULL, false, {"method"}, {"mcx"}, "method"},
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        char *path = path_in(out, edits[i].file);
        char *good = test_read_file(path, NULL);
        int n = edits[i].names[2] != NULL ? 3 : edits[i].names[1] != NULL ? 2 : 1;
        char *bad = good != NULL ? with_row(good, "borderline", edits[i].level, edits[i].insert,
                                            edits[i].names, edits[i].values, n)
                                 : NULL;
        if (!CHECK_MSG(bad != NULL, "%s: no row of borderline to edit", edits[i].file)) {
            free(good);
            free(path);
            continue;
        }
        CHECK(test_write_file(path, bad));
        run((const char *[]){"plot", out, NULL}, &r);
        char field[64];
        snprintf(field, sizeof(field), "field '%s'", edits[i].field);
        char where[64];
        snprintf(where, sizeof(where), "%s:", edits[i].file); /* FILE:LINE: field 'F' */
        CHECK_MSG(r.status == 2 && strstr(r.err, where) != NULL && strstr(r.err, field) != NULL,
                  "%s with %s '%s': %d %s", edits[i].file, edits[i].names[0], edits[i].values[0],
                  r.status, r.err);
        run_free(&r);
        CHECK(test_write_file(path, good));
        free(bad);
        free(good);
        free(path);
    }
    /* Untouched, they plot. */
    run((const char *[]){"plot", out, NULL}, &r);
    CHECK_MSG(r.status == 0, "plot: %s", r.err);
    run_free(&r);
    free(out);
    test_remove_dir(dir);
}

/* ---- 7. a folder always holds one whole set ---- */

/* Two runs over different scenario files write one folder at once, many times,
 * each asked to replace the other's results (--replace): every file of the set
 * must come from the same run. */
static void test_one_set_per_folder(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *a = path_in(dir, "a.csv"), *b = path_in(dir, "b.csv"), *out = path_in(dir, "out");
    CHECK(write_scenario(a, "from_a", "A1", "A2") && write_scenario(b, "from_b", "B1", "B2"));
    int mixed = 0;
    const int tries = 60;
    for (int t = 0; t < tries; t++) {
        pid_t pids[2];
        for (int k = 0; k < 2; k++) {
            run_t r;
            limits_t background = {.background = &pids[k]};
            run_limited(program(),
                        (const char *[]){"run", k == 0 ? a : b, "--trials", "4000", "--threads",
                                         "1", "--out", out, "--quiet", "--replace", NULL},
                        NULL, NULL, &background, &r);
            run_free(&r);
        }
        for (int k = 0; k < 2; k++) {
            int status = 0;
            waitpid(pids[k], &status, 0);
            CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run %d of try %d: status %d",
                      k, t, status);
        }
        static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                            "duration.csv"};
        int from_a = 0;
        for (int i = 0; i < 4; i++) {
            char *p = path_in(out, files[i]);
            char *text = test_read_file(p, NULL);
            from_a += text != NULL && strstr(text, "from_a") != NULL;
            free(text);
            free(p);
        }
        /* duration.csv of an untimed run has no rows: it names no scenario. */
        mixed += from_a != 0 && from_a != 3;
    }
    CHECK_MSG(mixed == 0, "%d of %d folders held files of two runs", mixed, tries);
    /* A closed pipe under the table (the reader gone before the run prints): the
     * run fails before it replaces anything, and leaves nothing of its own. */
    run_t r;
    run((const char *[]){"run", a, "--trials", "2000", "--seed", "1", "--out", out, "--quiet",
                         "--replace", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    char *summary = path_in(out, "summary.csv");
    char *before = test_read_file(summary, NULL);
    char command[9000], resolved[PATH_MAX];
    CHECK(realpath(program(), resolved) != NULL);
    snprintf(command, sizeof(command),
             "'%s' run '%s' --trials 20000 --seed 2 --out '%s' --replace | true; "
             "exit ${PIPESTATUS[0]}",
             resolved, b, out);
    run_program("bash", (const char *[]){"-c", command, NULL}, NULL, NULL, &r);
    CHECK_MSG(r.status == 1 && strstr(r.err, "cannot write to standard output") != NULL,
              "a closed pipe: %d %s", r.status, r.err);
    run_free(&r);
    char *after = test_read_file(summary, NULL);
    CHECK_MSG(before != NULL && after != NULL && strcmp(before, after) == 0,
              "the set was replaced by a run that failed");
    char *names = list_folder(out);
    CHECK_MSG(names != NULL && strstr(names, ".dosesim-") == NULL && strstr(names, ".tmp") == NULL,
              "left: %s", names);
    free(names);
    free(before);
    free(after);
    free(summary);
    free(a);
    free(b);
    free(out);
    test_remove_dir(dir);
}

/* Give a run waiting on the FIFO path its scenario file: open it for writing
 * once the run has opened it for reading (retrying for up to 20 s, so that a run
 * that died first cannot hang the test), then write and close. */
static bool feed_fifo(const char *path, const char *name, const char *label1, const char *label2)
{
    int fd = -1;
    for (int i = 0; i < 2000 && fd < 0; i++) {
        fd = open(path, O_WRONLY | O_NONBLOCK);
        if (fd < 0) {
            usleep(10000);
        }
    }
    if (fd < 0) {
        return false;
    }
    char text[512];
    int n = snprintf(text, sizeof(text),
                     "scenario,dose_level,dose_label,p_dlt\n%s,1,%s,0.1\n%s,2,%s,0.3\n", name,
                     label1, name, label2);
    int flags = fcntl(fd, F_GETFL);
    bool ok = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 &&
              write(fd, text, (size_t)n) == n;
    return close(fd) == 0 && ok;
}

/* Two runs over different scenario files into one new folder at once, without
 * --replace, many times: never both publish. The one that comes second is
 * refused (exit 2) even when both found the folder empty before any work: the
 * question is asked again under the folder's lock, as the set is published.
 * The folder holds the other's whole set. Both runs read their scenario file
 * from a FIFO, so neither starts work until the test has started both and
 * feeds them one after the other; each then works for tens of milliseconds
 * (2e6 trials), so both find the folder empty first. (Started one after the
 * other with files, under valgrind the slow test runner started the second
 * run after the first had finished, in all 20 tries.) */
static void test_runs_at_once_replace_nothing(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *a = path_in(dir, "a.csv"), *b = path_in(dir, "b.csv"), *out = path_in(dir, "out");
    CHECK(mkfifo(a, 0600) == 0 && mkfifo(b, 0600) == 0);
    int both = 0, late = 0;
    const int tries = 20;
    for (int t = 0; t < tries; t++) {
        pid_t pids[2];
        char *errs[2];
        for (int k = 0; k < 2; k++) {
            errs[k] = path_in(dir, k == 0 ? "err_a" : "err_b");
            run_t r;
            limits_t background = {.background = &pids[k]};
            char command[9000], resolved[PATH_MAX];
            CHECK(realpath(program(), resolved) != NULL);
            snprintf(command, sizeof(command),
                     "exec '%s' run '%s' --trials 2000000 --threads 1 --out '%s' --quiet 2>'%s'",
                     resolved, k == 0 ? a : b, out, errs[k]);
            run_limited("sh", (const char *[]){"-c", command, NULL}, NULL, NULL, &background, &r);
            run_free(&r);
        }
        CHECK(feed_fifo(a, "from_a", "A1", "A2"));
        CHECK(feed_fifo(b, "from_b", "B1", "B2"));
        int status[2] = {-1, -1};
        for (int k = 0; k < 2; k++) {
            int raw = 0;
            waitpid(pids[k], &raw, 0);
            status[k] = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        }
        both += status[0] == 0 && status[1] == 0;
        int winner = status[0] == 0 ? 0 : 1;
        CHECK_MSG(status[winner] == 0 && status[1 - winner] == 2,
                  "try %d: exit statuses %d and %d, expected one 0 and one 2", t, status[0],
                  status[1]);
        char *err = test_read_file(errs[1 - winner], NULL);
        CHECK_MSG(err != NULL && strstr(err, "holds the results of another run") != NULL &&
                      strstr(err, "nothing was replaced") != NULL,
                  "try %d: the refused run said: %s", t, err != NULL ? err : "");
        late += err != NULL && strstr(err, "while this one was working") != NULL;
        free(err);
        /* The folder: the winner's whole set. */
        static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
        for (int i = 0; i < 3; i++) {
            char *p = path_in(out, files[i]);
            char *text = test_read_file(p, NULL);
            CHECK_MSG(text != NULL && strstr(text, winner == 0 ? "from_a" : "from_b") != NULL &&
                          strstr(text, winner == 0 ? "from_b" : "from_a") == NULL,
                      "try %d: %s is not the set of the run that succeeded", t, files[i]);
            free(text);
            free(p);
        }
        for (int k = 0; k < 2; k++) {
            free(errs[k]);
        }
        char *names = list_folder(out);
        CHECK_MSG(names != NULL && strstr(names, ".dosesim-") == NULL &&
                      strstr(names, ".tmp") == NULL,
                  "try %d: left: %s", t, names);
        free(names);
        char *copy = strdup(out);
        test_remove_dir(copy);
    }
    CHECK_MSG(both == 0, "%d of %d times both runs published, one over the other", both, tries);
    /* Usually both pass the first check: the second look is what refuses. */
    CHECK_MSG(late > 0, "in %d tries the runs never overlapped (the test proves nothing)", tries);
    printf("    (%d of %d tries overlapped: refused at the second look)\n", late, tries);
    free(a);
    free(b);
    free(out);
    test_remove_dir(dir);
}

/* ---- 8. shards that were changed ---- */

static char *shard_text(const char *shards, int i, int n)
{
    char name[64];
    snprintf(name, sizeof(name), "shard-%d-of-%d.csv", i, n);
    char *path = path_in(shards, name);
    char *text = test_read_file(path, NULL);
    free(path);
    return text;
}

/* Replace find by with in shard i of n; with a checksum made anew if asked. */
static bool edit_shard(const char *shards, int i, int n, const char *find, const char *with,
                       bool new_checksum)
{
    char name[64];
    snprintf(name, sizeof(name), "shard-%d-of-%d.csv", i, n);
    char *path = path_in(shards, name);
    char *text = test_read_file(path, NULL);
    char *at = text != NULL ? strstr(text, find) : NULL;
    bool ok = at != NULL;
    if (ok) {
        size_t size = strlen(text) + strlen(with) + 100;
        char *edited = malloc(size);
        snprintf(edited, size, "%.*s%s%s", (int)(at - text), text, with, at + strlen(find));
        char *record = strstr(edited, "\nsha256,");
        if (new_checksum && record != NULL) {
            record[1] = '\0';
            char hex[DS_SHA256_HEX_CHARS + 1];
            ds_sha256_hex(edited, strlen(edited), hex);
            size_t len = strlen(edited);
            snprintf(edited + len, size - len, "sha256,%s\n", hex);
        }
        ok = test_write_file(path, edited);
        free(edited);
    }
    free(text);
    free(path);
    return ok;
}

static void test_changed_shards_refused(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *shards = path_in(dir, "shards"), *merged = path_in(dir, "merged");
    for (int i = 1; i <= 3; i++) {
        char shard[16];
        snprintf(shard, sizeof(shard), "%d/3", i);
        run((const char *[]){"run", DATA, "--trials", "20000", "--shard", shard, "--out", shards,
                             "--quiet", NULL},
            &r);
        CHECK_INT_EQ(r.status, 0);
        run_free(&r);
    }
    /* Counts moved from one level to another, by hand: the checksum. */
    char *text = shard_text(shards, 2, 3);
    char *tally = text != NULL ? strstr(text, "\ntally,") : NULL;
    if (CHECK(tally != NULL)) {
        /* The counts of "no RP2D" and level 1 follow the length and the trial count. */
        unsigned long long len, trials, none, one;
        CHECK(sscanf(tally, "\ntally,%llu,%llu,%llu,%llu", &len, &trials, &none, &one) == 4);
        char find[128], with[128];
        snprintf(find, sizeof(find), "\ntally,%llu,%llu,%llu,%llu,", len, trials, none, one);
        snprintf(with, sizeof(with), "\ntally,%llu,%llu,%llu,%llu,", len, trials, none + 1,
                 one - 1);
        CHECK(edit_shard(shards, 2, 3, find, with, false));
        run((const char *[]){"merge", shards, "--out", merged, NULL}, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, "shard-2-of-3.csv:") != NULL &&
                      strstr(r.err, "checksum does not match") != NULL,
                  "moved counts: %d %s", r.status, r.err);
        CHECK(!exists(merged));
        run_free(&r);
        CHECK(edit_shard(shards, 2, 3, with, find, false)); /* put back */
    }
    free(text);
    /* p_dlt edited in shard 1, with a checksum made anew: merge names shard 1.
     * (A dose record of shard format 5: level, label, p_dlt, amount, unit.) */
    CHECK(edit_shard(shards, 1, 3, "dose,2,200 mg,0.3,,\n", "dose,2,200 mg,0.2,,\n", true));
    run((const char *[]){"merge", shards, "--out", merged, NULL}, &r);
    CHECK_MSG(r.status == 2 && strstr(r.err, "shard-1-of-3.csv:") != NULL &&
                  strstr(r.err, "with p_dlt 0.2") != NULL && strstr(r.err, "shard-2-of-3") != NULL,
              "p_dlt in shard 1: %d %s", r.status, r.err);
    CHECK(!exists(merged));
    run_free(&r);
    CHECK(edit_shard(shards, 1, 3, "dose,2,200 mg,0.2,,\n", "dose,2,200 mg,0.3,,\n", true));
    /* A label edited in shard 3. */
    CHECK(edit_shard(shards, 3, 3, "dose,1,100 mg,0.1,,\n", "dose,1,150 mg,0.1,,\n", true));
    run((const char *[]){"merge", shards, "--out", merged, NULL}, &r);
    CHECK_MSG(r.status == 2 && strstr(r.err, "shard-3-of-3.csv:") != NULL &&
                  strstr(r.err, "'150 mg'") != NULL,
              "label in shard 3: %d %s", r.status, r.err);
    run_free(&r);
    CHECK(edit_shard(shards, 3, 3, "dose,1,150 mg,0.1,,\n", "dose,1,100 mg,0.1,,\n", true));
    run((const char *[]){"merge", shards, "--out", merged, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "put back: %s", r.err);
    run_free(&r);
    free(shards);
    free(merged);
    test_remove_dir(dir);
}

/* ---- 9. no leftovers, whatever ends the run ---- */

static void test_killed_commands_leave_nothing(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    /* A listing long enough to kill (12 levels: some 400,000 paths). */
    char *wide = path_in(dir, "wide.csv");
    FILE *f = fopen(wide, "w");
    if (CHECK(f != NULL)) {
        fputs("scenario,dose_level,dose_label,p_dlt\n", f);
        for (int level = 1; level <= 12; level++) {
            fprintf(f, "wide,%d,L%d,%g\n", level, level, 0.02 * level);
        }
        fclose(f);
    }
    static const int signals[] = {SIGKILL, SIGUSR1, SIGALRM};
    for (size_t k = 0; k < sizeof(signals) / sizeof(signals[0]); k++) {
        char *out = path_in(dir, "new/folder/paths.csv"), *made = path_in(dir, "new");
        pid_t pid = -1;
        run_t r;
        limits_t background = {.background = &pid};
        run_limited(program(),
                    (const char *[]){"paths", wide, "--scenario", "wide", "--out", out, NULL}, NULL,
                    NULL, &background, &r);
        run_free(&r);
        char real[PATH_MAX + 1] = "";
        CHECK(realpath(dir, real) != NULL);
        bool writing = false;
        for (int i = 0; i < 400 && !writing; i++) {
            writing = writes_into(pid, real);
            if (!writing) {
                usleep(10000);
            }
        }
        CHECK_MSG(writing, "paths never started writing");
        CHECK(pid > 0 && kill(pid, signals[k]) == 0);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == signals[k]);
        CHECK_MSG(!exists(made), "signal %d: paths left the folders it made", signals[k]);
        char *names = list_folder(dir);
        CHECK_MSG(names != NULL && strcmp(names, "wide.csv\n") == 0, "signal %d left: %s",
                  signals[k], names);
        free(names);
        free(out);
        free(made);
    }
    /* Temporary files that a killed dosesim of this host left under their own
     * names (file systems without O_TMPFILE) go with the next run into the folder. */
    char *out = path_in(dir, "out");
    run_t r;
    run((const char *[]){"exact", DATA, "--out", out, "--quiet", NULL}, &r);
    run_free(&r);
    pid_t dead = fork();
    if (dead == 0) {
        _exit(0);
    }
    waitpid(dead, NULL, 0);
    char host[65], stale[400];
    test_host_name(host);
    snprintf(stale, sizeof(stale), ".dosesim-%s-%ld-00c0ffee.tmp", host, (long)dead);
    char *stale_path = path_in(out, stale);
    CHECK(test_write_file(stale_path, "half a file"));
    run((const char *[]){"exact", DATA, "--out", out, "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    CHECK_MSG(!exists(stale_path), "a dead process's temporary file was left");
    free(stale_path);
    free(out);
    free(wide);
    test_remove_dir(dir);
}

/* ---- 12. limits that hold ---- */

static void test_limits_hold(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    /* A name of 256 bytes, the documented limit, through paths and sweep (their
     * default file names carry it). */
    char name[257];
    memset(name, 'n', 256);
    name[256] = '\0';
    char *work = path_in(dir, "work"), *file = path_in(dir, "work/long.csv");
    CHECK(mkdir(work, 0777) == 0 && write_scenario(file, name, "100 mg", "200 mg"));
    char option[300];
    snprintf(option, sizeof(option), "--scenario=%s", name);
    run_in(work, (const char *[]){"paths", "long.csv", option, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "paths: %s", r.err);
    run_free(&r);
    run_in(work,
           (const char *[]){"sweep", "long.csv", option, "--vary", "1", "--from", "0", "--to",
                            "0.5", "--step", "0.25", "--quiet", NULL},
           &r);
    CHECK_MSG(r.status == 0, "sweep: %s", r.err);
    run_free(&r);
    run_in(work, (const char *[]){"trace", "long.csv", option, NULL}, &r);
    CHECK_MSG(r.status == 0, "trace: %s", r.err);
    run_free(&r);
    /* A scenario named --x, selected with --scenario=--x. */
    run((const char *[]){"exact", "tests/data/dash_name.csv", "--scenario=--x", "--out", work,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "--scenario=--x: %s", r.err);
    run_free(&r);
    /* A new folder for the results and the per-trial file in it, in one run. */
    char *fresh = path_in(dir, "fresh"), *trials = path_in(dir, "fresh/trials.csv");
    run((const char *[]){"run", DATA, "--trials", "500", "--out", fresh, "--trials-csv", trials,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0 && exists(trials), "run --out NEW --trials-csv NEW/t.csv: %s", r.err);
    run_free(&r);
    if (have_gnuplot()) {
        /* plot into a missing folder: made, and said; no figure on stdout. */
        char *figures = path_in(dir, "figures/deep");
        run((const char *[]){"plot", fresh, "--out", figures, NULL}, &r);
        CHECK_MSG(r.status == 0 && strstr(r.out, "made the folder") != NULL &&
                      strstr(r.out, "\x89PNG") == NULL,
                  "plot --out NEW: %d %s", r.status, r.err);
        run_free(&r);
        free(figures);
        /* plot into a folder it may not write in (as user nobody): exit 1, said, no PNG bytes. */
        if (geteuid() == 0) {
            char *locked = path_in(dir, "locked"), *res = path_in(dir, "res");
            char *copy = program_copy_in(dir);
            CHECK(copy != NULL && mkdir(locked, 0555) == 0);
            run((const char *[]){"exact", DATA, "--out", res, "--quiet", NULL}, &r);
            run_free(&r);
            chmod(res, 0777);
            limits_t nobody = {.as_nobody = true};
            if (copy != NULL) {
                run_limited(copy, (const char *[]){"plot", res, "--out", locked, NULL}, NULL, NULL,
                            &nobody, &r);
                CHECK_MSG((r.status == 1 || r.status == 2) && strstr(r.err, "locked") != NULL &&
                              strstr(r.out, "PNG") == NULL,
                          "plot --out unwritable: %d %s", r.status, r.err);
                run_free(&r);
            }
            free(copy);
            free(locked);
            free(res);
        }
    }
    free(fresh);
    free(trials);
    free(file);
    free(work);
    test_remove_dir(dir);
}

/* ---- 13. messages that say what happened ---- */

static void test_messages_name_the_file(void)
{
    char *dir = test_temp_dir();
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    /* A file-size limit (a full disk, as the program sees it) while paths and
     * sweep write: the file and the reason. */
    char *csv = path_in(dir, "paths.csv");
    limits_t small = {.file_size_limit = 1000};
    run_limited(
        program(),
        (const char *[]){"paths", DATA, "--scenario", "toxic", "--out", csv, "--quiet", NULL}, NULL,
        NULL, &small, &r);
    CHECK_MSG(r.status == 1 && strstr(r.err, "paths.csv: cannot write: File too large") != NULL,
              "paths: %d %s", r.status, r.err);
    run_free(&r);
    CHECK(!exists(csv));
    char *sweep = path_in(dir, "sweep.csv");
    run_limited(program(),
                (const char *[]){"sweep", DATA, "--scenario", "toxic", "--vary", "1", "--from", "0",
                                 "--to", "1", "--step", "0.001", "--out", sweep, "--quiet", NULL},
                NULL, NULL, &small, &r);
    CHECK_MSG(r.status == 1 && strstr(r.err, "sweep.csv: cannot write: File too large") != NULL,
              "sweep: %d %s", r.status, r.err);
    run_free(&r);
    CHECK(!exists(sweep));
    /* Threads that cannot be started (one process allowed to user nobody): said so. */
    if (geteuid() == 0) {
        char *copy = program_copy_in(dir), *out = path_in(dir, "out");
        char command[9000];
        snprintf(command, sizeof(command), "cp %s '%s/data.csv' && chmod 777 '%s'", DATA, dir, dir);
        run_program("sh", (const char *[]){"-c", command, NULL}, NULL, NULL, &r);
        run_free(&r);
        char data[4300];
        snprintf(data, sizeof(data), "%s/data.csv", dir);
        limits_t one = {.as_nobody = true, .max_processes = 1};
        run_limited(copy != NULL ? copy : "missing-copy",
                    (const char *[]){"run", data, "--threads", "4", "--out", out, NULL}, NULL, NULL,
                    &one, &r);
        CHECK_MSG(r.status == 1 && strstr(r.err, "cannot start a thread") != NULL &&
                      strstr(r.err, "input/output") == NULL,
                  "threads: %d %s", r.status, r.err);
        run_free(&r);
        free(copy);
        free(out);
    }
    free(csv);
    free(sweep);
    test_remove_dir(dir);
}

/* ---- the hostile corpus ---- */

typedef struct {
    char *text;
    bool refused; /* a "!" line: dosesim must refuse it */
} hostile_t;

/* The corpus, its escapes decoded and {MARK} made the marker's path. */
static int read_corpus(hostile_t *strings, int max, const char *mark)
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
        bool refused = strncmp(p, "REFUSE:", 7) == 0;
        p += refused ? 7 : 0;
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
        strings[n].text = strdup(decoded);
        strings[n].refused = refused;
        n++;
    }
    fclose(f);
    return n;
}

/* Whether text can name one folder or file of its own (no '/', not . or ..). */
static bool one_component(const char *text)
{
    return text[0] != '\0' && strchr(text, '/') == NULL && strcmp(text, ".") != 0 &&
           strcmp(text, "..") != 0 && strlen(text) < 200;
}

/* text as gnuplot's SVG terminal writes it: & and < escaped. */
static void svg_escaped(const char *text, char *buf, size_t size)
{
    size_t at = 0;
    for (const char *c = text; *c != '\0' && at + 8 < size; c++) {
        at += (size_t)snprintf(buf + at, size - at, "%s",
                               *c == '&'   ? "&amp;"
                               : *c == '<' ? "&lt;"
                                           : (char[]){*c, '\0'});
    }
    buf[at] = '\0';
}

/* Every file below root (but skip) with its size and change time, for
 * "nothing else changed": one line each, sorted. */
static char *snapshot(const char *root, const char *const *skip, int n_skip)
{
    char command[20000];
    int at = snprintf(command, sizeof(command), "cd '%s' && find . ", root);
    for (int i = 0; i < n_skip; i++) {
        at += snprintf(command + at, sizeof(command) - (size_t)at, "-path './%s' -prune -o ",
                       skip[i]);
    }
    /* Folders by name only: making results/ inside one changes its time. */
    snprintf(command + at, sizeof(command) - (size_t)at,
             "\\( -type d -printf '%%p/\\n' \\) -o -printf '%%p %%s %%T@ %%C@\\n' | sort");
    run_t r;
    run_program("sh", (const char *[]){"-c", command, NULL}, NULL, NULL, &r);
    free(r.err);
    return r.out;
}

/* A field of a CSV record, as the library reads it back. */
typedef struct {
    const char *want;
    bool found;
} find_field_t;

static int look_for_field(void *ctx, const ds_csv_record_t *rec)
{
    find_field_t *f = ctx;
    for (int i = 0; i < rec->n_fields; i++) {
        f->found |= strcmp(rec->fields[i], f->want) == 0;
    }
    return 0;
}

static bool csv_has_field(const char *path, const char *want)
{
    size_t len = 0;
    char *text = test_read_file(path, &len);
    find_field_t f = {.want = want};
    ds_diag_t diag;
    bool ok = text != NULL && ds_csv_read(path, text, len, look_for_field, &f, &diag) == 0;
    free(text);
    return ok && f.found;
}

static void test_hostile_corpus(void)
{
    char *root = test_temp_dir();
    if (!CHECK(root != NULL) || !have_gnuplot()) {
        test_remove_dir(root);
        return;
    }
    char *mark = path_in(root, "MARK"), *sandbox = path_in(root, "sandbox");
    char *out = path_in(root, "out"), *outside = path_in(root, "outside");
    CHECK(mkdir(sandbox, 0777) == 0 && mkdir(out, 0777) == 0 && mkdir(outside, 0777) == 0);
    char *canary = path_in(outside, "canary.txt");
    CHECK(test_write_file(canary, "untouched\n"));
    hostile_t strings[128];
    int n = read_corpus(strings, 128, mark);
    int n_valid = 0;
    for (int i = 0; i < n; i++) {
        n_valid += !strings[i].refused;
    }
    CHECK_MSG(n >= 50, "the corpus has %d strings", n);
    char data[4300];
    snprintf(data, sizeof(data), "%s/all.csv", sandbox);
    /* All valid strings in one file: scenario names, and labels. */
    FILE *f = fopen(data, "w");
    if (!CHECK(f != NULL)) {
        test_remove_dir(root);
        return;
    }
    fputs("scenario,dose_level,dose_label,p_dlt\n", f);
    int previous = -1;
    for (int i = 0; i < n; i++) {
        if (strings[i].refused) {
            continue;
        }
        for (int level = 1; level <= 2; level++) {
            put_field(f, strings[i].text);
            fprintf(f, ",%d,", level);
            put_field(f, level == 1 || previous < 0 ? strings[i].text : strings[previous].text);
            fprintf(f, ",%g\n", level == 1 ? 0.1 : 0.3);
        }
        previous = i;
    }
    fclose(f);
    /* Each string as a scenario file's name (the default folder's), where it can be one. */
    for (int i = 0; i < n; i++) {
        char file[4400];
        if (!strings[i].refused && one_component(strings[i].text)) {
            snprintf(file, sizeof(file), "%s/%s.csv", sandbox, strings[i].text);
            CHECK(write_scenario(file, "s", strings[i].text, "200 mg"));
        }
    }
    const char *const skip[] = {"out", "sandbox/results"};
    char *before = snapshot(root, skip, 2);
    run_t r;
    char mc[4400], ex[4400], trials[4400], shards[4400], merged[4400], cmp[4400];
    snprintf(mc, sizeof(mc), "%s/mc", out);
    snprintf(ex, sizeof(ex), "%s/exact", out);
    snprintf(trials, sizeof(trials), "%s/trials.csv", out);
    snprintf(shards, sizeof(shards), "%s/shards", out);
    snprintf(merged, sizeof(merged), "%s/merged", out);
    snprintf(cmp, sizeof(cmp), "%s/compare", out);
    const char *const *commands[] = {
        (const char *[]){"run", data, "--trials", "2000", "--accrual", "3", "--out", mc,
                         "--trials-csv", trials, "--quiet", NULL},
        (const char *[]){"exact", data, "--out", ex, "--quiet", NULL},
        (const char *[]){"run", data, "--trials", "2000", "--shard", "1/2", "--out", shards,
                         "--quiet", NULL},
        (const char *[]){"run", data, "--trials", "2000", "--shard", "2/2", "--out", shards,
                         "--quiet", NULL},
        (const char *[]){"merge", shards, "--out", merged, NULL},
        (const char *[]){"plot", mc, NULL},
        (const char *[]){"plot", mc, "--format", "svg", NULL},
        (const char *[]){"plot", ex, "--format", "pdf", NULL},
        (const char *[]){"compare", mc, ex, merged, "--out", cmp, "--format", "svg", NULL},
        (const char *[]){"compare", mc, ex, "--out", cmp, NULL},
    };
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        run(commands[c], &r);
        CHECK_MSG(r.status == 0, "%s: %d %.400s", commands[c][0], r.status, r.err);
        run_free(&r);
    }
    /* Per scenario: paths, sweep (into the default folder), trace. */
    for (int i = 0; i < n; i++) {
        if (strings[i].refused) {
            continue;
        }
        size_t size = strlen(strings[i].text) + 16;
        char *option = malloc(size);
        snprintf(option, size, "--scenario=%s", strings[i].text);
        run_in(sandbox, (const char *[]){"paths", "all.csv", option, "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "paths '%s': %.300s", strings[i].text, r.err);
        run_free(&r);
        run_in(sandbox,
               (const char *[]){"sweep", "all.csv", option, "--vary", "2", "--from", "0", "--to",
                                "0.6", "--step", "0.3", "--quiet", NULL},
               &r);
        CHECK_MSG(r.status == 0, "sweep '%s': %.300s", strings[i].text, r.err);
        run_free(&r);
        run_in(sandbox, (const char *[]){"trace", "all.csv", option, "--accrual", "3", NULL}, &r);
        CHECK_MSG(r.status == 0 && strstr(r.out, strings[i].text) != NULL, "trace '%s': %.300s",
                  strings[i].text, r.err);
        run_free(&r);
        /* as CSV: every row's scenario cell is the name, read back as written */
        run_in(
            sandbox,
            (const char *[]){"trace", "all.csv", option, "--accrual", "3", "--format", "csv", NULL},
            &r);
        table_t events;
        if (CHECK_MSG(r.status == 0 && table_parse(&events, r.out),
                      "trace --format csv '%s': %.300s", strings[i].text, r.err)) {
            CHECK(events.n_rows > 0 &&
                  table_count(&events, "scenario", strings[i].text, NULL) == events.n_rows);
            table_free(&events);
        }
        run_free(&r);
        free(option);
    }
    /* Folder names, and scenario files' names as the default folder. */
    for (int i = 0; i < n; i++) {
        if (strings[i].refused || !one_component(strings[i].text)) {
            continue;
        }
        char folder[4400], other[4400], both[4400], file[4400];
        snprintf(folder, sizeof(folder), "%s/folders/%s", out, strings[i].text);
        snprintf(other, sizeof(other), "%s/folders2/%s", out, strings[i].text);
        snprintf(both, sizeof(both), "%s/compared/%s", out, strings[i].text);
        snprintf(file, sizeof(file), "./%s.csv", strings[i].text); /* "-rf" is no option */
        char *option = malloc(strlen(strings[i].text) + 16);
        sprintf(option, "--scenario=%s", strings[i].text);
        const char *const *lines[] = {
            (const char *[]){"exact", data, option, "--out", folder, "--quiet", NULL},
            (const char *[]){"exact", data, option, "--out", other, "--quiet", NULL},
            (const char *[]){"plot", folder, "--format", "svg", NULL},
            (const char *[]){"compare", folder, other, "--out", both, "--format", "svg", NULL},
        };
        for (size_t c = 0; c < sizeof(lines) / sizeof(lines[0]); c++) {
            run(lines[c], &r);
            CHECK_MSG(r.status == 0, "%s, folder '%s': %.300s", lines[c][0], strings[i].text,
                      r.err);
            run_free(&r);
        }
        run_in(sandbox, (const char *[]){"exact", file, "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "exact on file '%s': %.300s", file, r.err);
        run_free(&r);
        /* The label is drawn as it is, in the key of selection.svg. */
        char svg_path[4500], want[8192];
        snprintf(svg_path, sizeof(svg_path), "%s/selection.svg", folder);
        char *svg = test_read_file(svg_path, NULL);
        svg_escaped(strings[i].text, want, sizeof(want));
        CHECK_MSG(svg != NULL && strstr(svg, want) != NULL, "selection.svg lacks '%s'", want);
        free(svg);
        /* And the folder's name is in the comparison's CSV as it is. */
        char csv[4500];
        snprintf(csv, sizeof(csv), "%s/comparison.csv", both);
        CHECK_MSG(csv_has_field(csv, folder), "comparison.csv lacks the folder '%s'", folder);
        free(option);
    }
    /* Every string reads back from the CSVs as it was written, and every name is
     * drawn as it is among the scenarios of the selection figure (tic labels,
     * which gnuplot reads as formats). */
    char doses[4500], sizes_svg[4500];
    snprintf(doses, sizeof(doses), "%s/doses.csv", mc);
    snprintf(sizes_svg, sizeof(sizes_svg), "%s/selection.svg", mc); /* names as x tics */
    char *svg = test_read_file(sizes_svg, NULL);
    for (int i = 0; i < n; i++) {
        if (!strings[i].refused) {
            char want[8192];
            CHECK_MSG(csv_has_field(doses, strings[i].text), "doses.csv lacks '%s'",
                      strings[i].text);
            svg_escaped(strings[i].text, want, sizeof(want));
            CHECK_MSG(svg != NULL && strstr(svg, want) != NULL, "selection.svg lacks '%s'", want);
        }
    }
    free(svg);
    /* The refused strings: as a label and as a name, exit 2 naming the file,
     * line and field, nothing written. */
    for (int i = 0; i < n; i++) {
        if (!strings[i].refused) {
            continue;
        }
        for (int as_name = 0; as_name < 2; as_name++) {
            char file[4400], folder[4400];
            snprintf(file, sizeof(file), "%s/refused.csv", out);
            snprintf(folder, sizeof(folder), "%s/refused", out);
            CHECK(write_scenario(file, as_name ? strings[i].text : "s",
                                 as_name ? "100 mg" : strings[i].text, "200 mg"));
            run((const char *[]){"exact", file, "--out", folder, NULL}, &r);
            const char *field = as_name ? "field 'scenario'" : "field 'dose_label'";
            CHECK_MSG(r.status == 2 && strstr(r.err, "refused.csv:2: ") != NULL &&
                          strstr(r.err, field) != NULL && !exists(folder),
                      "refused string %d as %s: %d %.300s", i, as_name ? "name" : "label", r.status,
                      r.err);
            run_free(&r);
        }
    }
    /* Nothing ran; nothing outside the output folders changed. */
    CHECK_MSG(!exists(mark), "a command ran: %s exists", mark);
    char *after = snapshot(root, skip, 2);
    CHECK_MSG(before != NULL && after != NULL && strcmp(before, after) == 0,
              "something outside the output folders changed:\nbefore:\n%.2000s\nafter:\n%.2000s",
              before, after);
    char *text = test_read_file(canary, NULL);
    CHECK(text != NULL && strcmp(text, "untouched\n") == 0);
    free(text);
    free(before);
    free(after);
    printf("    (%d strings: %d through every command, %d refused)\n", n, n_valid, n - n_valid);
    for (int i = 0; i < n; i++) {
        free(strings[i].text);
    }
    free(canary);
    free(mark);
    free(sandbox);
    free(out);
    free(outside);
    test_remove_dir(root);
}

/* ---- scenario files' columns ---- */

/* Whether text could be printed without driving a terminal: UTF-8 with no
 * control character but line ends and tabs. */
static bool printable(const char *text)
{
    size_t len = strlen(text);
    char *copy = strdup(text);
    if (copy == NULL) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        copy[i] = copy[i] == '\n' ? ' ' : copy[i];
    }
    bool ok = !ds_has_control_byte(copy, len) && ds_utf8_invalid_at(copy, len) == len;
    free(copy);
    return ok;
}

/* Columns dosesim does not use are allowed, and their names printed in a note:
 * hostile names come back as they are or are refused without being repeated;
 * a huge number of columns, NUL bytes and UTF-16 text are refused with the file,
 * line and field, nothing written. */
static void test_scenario_columns(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *file = path_in(dir, "cols.csv"), *out = path_in(dir, "out");
    hostile_t strings[128];
    int n = read_corpus(strings, 128, "/nonexistent/MARK");
    CHECK_MSG(n >= 50, "the corpus has %d strings", n);
    run_t r;
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(file, "w");
        if (!CHECK(f != NULL)) {
            break;
        }
        fputs("scenario,dose_level,dose_label,p_dlt,", f);
        put_field(f, strings[i].text);
        fputs("\nx,1,100 mg,0.1,note\n", f);
        fclose(f);
        run((const char *[]){"exact", file, "--out", out, NULL}, &r);
        CHECK_MSG(printable(r.err), "column %d: stderr holds control bytes or broken UTF-8", i);
        if (strings[i].refused) {
            CHECK_MSG(r.status == 2 && strstr(r.err, "cols.csv:1: ") != NULL &&
                          strstr(r.err, "column 5 of the header") != NULL && !exists(out),
                      "refused string %d as a column name: %d %.300s", i, r.status, r.err);
        } else {
            char want[8192];
            snprintf(want, sizeof(want), "cols.csv: column %s is not used\n", strings[i].text);
            CHECK_MSG(r.status == 0 && strstr(r.err, want) != NULL,
                      "string %d as a column name: %d %.300s", i, r.status, r.err);
        }
        run_free(&r);
        test_remove_dir(strdup(out));
    }
    for (int i = 0; i < n; i++) {
        free(strings[i].text);
    }
    /* The most columns there may be (the note names 12), and a huge number. */
    size_t cap = 16u << 20, len = 0;
    char *text = malloc(cap);
    if (!CHECK(text != NULL)) {
        test_remove_dir(dir);
        return;
    }
    len = (size_t)snprintf(text, cap, "scenario,dose_level,dose_label,p_dlt");
    for (int c = 5; c <= DS_CSV_MAX_COLUMNS; c++) {
        len += (size_t)snprintf(text + len, cap - len, ",note%d", c);
    }
    len += (size_t)snprintf(text + len, cap - len, "\nx,1,A,0.1");
    for (int c = 5; c <= DS_CSV_MAX_COLUMNS; c++) {
        len += (size_t)snprintf(text + len, cap - len, ",%d", c);
    }
    len += (size_t)snprintf(text + len, cap - len, "\n");
    CHECK(test_write_file(file, text));
    run((const char *[]){"exact", file, "--out", out, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0 && strstr(r.err, "note") == NULL, "64 columns: %d %s", r.status, r.err);
    run_free(&r);
    run((const char *[]){"exact", file, "--out", out, NULL}, &r);
    CHECK_MSG(r.status == 0 && strstr(r.err, "columns note5, note6, ") != NULL &&
                  strstr(r.err, "note16 and 48 more are not used\n") != NULL,
              "64 columns: %d %s", r.status, r.err);
    run_free(&r);
    test_remove_dir(strdup(out));
    len = (size_t)snprintf(text, cap, "scenario,dose_level,dose_label,p_dlt");
    for (int c = 0; c < 1000000; c++) {
        memcpy(text + len, ",n", 2);
        len += 2;
    }
    len += (size_t)snprintf(text + len, cap - len, "\nx,1,A,0.1\n");
    CHECK(test_write_file(file, text));
    run((const char *[]){"run", file, "--trials", "100", "--out", out, NULL}, &r);
    CHECK_MSG(r.status == 2 &&
                  strstr(r.err, "cols.csv:1: the header has 1000004 columns; the "
                                "limit is 64") != NULL &&
                  !exists(out),
              "a million columns: %d %.300s", r.status, r.err);
    run_free(&r);
    /* A row of a million fields under a header of five. */
    len = (size_t)snprintf(text, cap, "scenario,dose_level,dose_label,p_dlt,notes\nx,1,A,0.1");
    for (int c = 0; c < 1000000; c++) {
        memcpy(text + len, ",n", 2);
        len += 2;
    }
    text[len++] = '\n';
    text[len] = '\0';
    CHECK(test_write_file(file, text));
    run((const char *[]){"run", file, "--trials", "100", "--out", out, NULL}, &r);
    CHECK_MSG(r.status == 2 &&
                  strstr(r.err, "cols.csv:2: expected 5 fields as in the header, found "
                                "1000004") != NULL &&
                  !exists(out),
              "a row of a million fields: %d %.300s", r.status, r.err);
    run_free(&r);
    free(text);
    /* NUL bytes: in a column's name, in a cell of a column not used, and a file
     * saved as UTF-16 (every other byte NUL). */
    static const char in_name[] = "scenario,dose_level,dose_label,p_dlt,no\0te\nx,1,A,0.1,n\n";
    static const char in_cell[] = "scenario,dose_level,dose_label,p_dlt,notes\nx,1,A,0.1,n\0b\n";
    static const char utf16[] = "\xff\xfes\0c\0e\0n\0a\0r\0i\0o\0,\0d\0\n\0";
    static const struct {
        const char *bytes;
        size_t len;
        const char *words;
    } nul[] = {
        {in_name, sizeof(in_name) - 1,
         "cols.csv:1: the name of column 5 of the header contains a control character"},
        {in_cell, sizeof(in_cell) - 1, "cols.csv:2: field 'notes': contains a NUL byte"},
        {utf16, sizeof(utf16) - 1, "cols.csv:1: "},
    };
    for (size_t i = 0; i < sizeof(nul) / sizeof(nul[0]); i++) {
        FILE *f = fopen(file, "wb");
        if (!CHECK(f != NULL)) {
            break;
        }
        fwrite(nul[i].bytes, 1, nul[i].len, f);
        fclose(f);
        run((const char *[]){"exact", file, "--out", out, NULL}, &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, nul[i].words) != NULL && !exists(out) &&
                      printable(r.err),
                  "NUL case %zu: %d %.300s", i, r.status, r.err);
        run_free(&r);
    }
    free(file);
    free(out);
    test_remove_dir(dir);
}

const test_case_t safety_tests[] = {
    {"no_command_through_gnuplot", test_no_command_through_gnuplot},
    {"outputs_not_regular_files", test_outputs_not_regular_files},
    {"temporary_names_not_followed", test_temporary_names_not_followed},
    {"files_not_touched", test_files_not_touched},
    {"default_folders_stay_in_results", test_default_folders_stay_in_results},
    {"plot_checks_numbers", test_plot_checks_numbers},
    {"one_set_per_folder", test_one_set_per_folder},
    {"runs_at_once_replace_nothing", test_runs_at_once_replace_nothing},
    {"changed_shards_refused", test_changed_shards_refused},
    {"killed_commands_leave_nothing", test_killed_commands_leave_nothing},
    {"limits_hold", test_limits_hold},
    {"messages_name_the_file", test_messages_name_the_file},
    {"hostile_corpus", test_hostile_corpus},
    {"scenario_columns", test_scenario_columns},
    {NULL, NULL},
};

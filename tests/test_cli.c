/* The program end to end: exit statuses, messages that name the file, line
 * and field or the option, no output after bad input, identical bytes for
 * the same seed. The program is $DOSESIM (default bin/dosesim). */
#define _GNU_SOURCE /* realpath, setgroups */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <signal.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "dosesim/fileio.h"
#include "dosesim/schema.h"
#include "testlib.h"
#include "testrun.h"

static void test_help_and_commands(void)
{
    run_t r;
    run((const char *[]){"run", "--help", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "usage: dosesim run SCENARIO_FILE") != NULL);
    CHECK(strstr(r.out, "--deescalate yes|no") != NULL);
    run_free(&r);
    run((const char *[]){"--help", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "run") != NULL);
    run_free(&r);
    run((const char *[]){NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    run_free(&r);
    run((const char *[]){"simulate", NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "unknown command 'simulate'") != NULL);
    run_free(&r);
}

/* Every command's usage line names every option its help lists (or the group
 * it belongs to: [design options], [calendar options]), and the commands
 * that write a result set name each of its files. */
static void test_help_lists_what_it_does(void)
{
    static const char *const commands[] = {"run",   "exact", "paths", "merge",
                                           "trace", "sweep", "plot",  "compare"};
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        run_t r;
        run((const char *[]){commands[i], "--help", NULL}, &r);
        CHECK_INT_EQ(r.status, 0);
        const char *body = strstr(r.out, "\n\n"); /* the usage lines end at the first blank line */
        if (!CHECK(body != NULL)) {
            run_free(&r);
            continue;
        }
        size_t usage_len = (size_t)(body - r.out);
        const char *groups = strstr(r.out, "design options:");
        const char *calendar = strstr(r.out, "calendar time");
        for (const char *line = body; (line = strstr(line, "\n  --")) != NULL; line++) {
            if ((groups != NULL && line > groups) || (calendar != NULL && line > calendar)) {
                break; /* the groups' options: the usage line names the group */
            }
            char option[40];
            if (sscanf(line + 3, "%39[a-z-]", option) != 1) {
                continue;
            }
            char needle[48];
            snprintf(needle, sizeof(needle), "[%s", option);
            const char *at = strstr(r.out, needle);
            bool in_usage = at != NULL && (size_t)(at - r.out) < usage_len;
            snprintf(needle, sizeof(needle), " %s ", option);
            at = strstr(r.out, needle);
            in_usage = in_usage || (at != NULL && (size_t)(at - r.out) < usage_len);
            CHECK_MSG(in_usage, "dosesim %s --help lists %s, its usage line does not", commands[i],
                      option);
        }
        if (strcmp(commands[i], "run") == 0 || strcmp(commands[i], "exact") == 0 ||
            strcmp(commands[i], "merge") == 0) {
            static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                                "duration.csv", "optimisation.csv"};
            for (size_t k = 0; k < 5; k++) {
                CHECK_MSG(strstr(r.out, files[k]) != NULL, "dosesim %s --help does not name %s",
                          commands[i], files[k]);
            }
        }
        run_free(&r);
    }
}

/* Same seed, same bytes; and the per-trial rows are the trials the summary counts. */
static void test_run_reproducible(void)
{
    char *dir = test_temp_dir();
    char a[4200], b[4200], trials[4200], fa[4300], fb[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(trials, sizeof(trials), "%s/trials.csv", dir);
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "20000", "--seed", "5",
                         "--out", a, NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "borderline") != NULL && strstr(r.out, "200 mg") != NULL);
    run_free(&r);
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "2e4", "--seed", "5",
                         "--out", b, "--trials-csv", trials, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK_STR_EQ(r.out, "");
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(fa, sizeof(fa), "%s/%s", a, files[i]);
        snprintf(fb, sizeof(fb), "%s/%s", b, files[i]);
        CHECK_MSG(same_file(fa, fb), "%s differs between two runs with seed 5", files[i]);
    }
    /* Count the per-trial rows: 20000 per scenario, and as many without an RP2D
     * as summary.csv says (0.xxxx * 20000); the rows carry the run's key. */
    table_t rows, summary;
    snprintf(fa, sizeof(fa), "%s/summary.csv", a);
    if (CHECK(table_load(&rows, trials)) && CHECK(table_load(&summary, fa))) {
        CHECK_INT_EQ(rows.n_rows, 40000);
        CHECK_INT_EQ(table_count(&rows, "scenario", "toxic", NULL), 20000);
        int none = table_count(&rows, "scenario", "borderline", "rp2d_level", "0", NULL);
        CHECK_INT_EQ(table_count(&rows, "scenario", "borderline", "rp2d_label", "none", NULL),
                     none);
        int row = table_find(&summary, 0, "scenario", "borderline", "method", "mc", "design", "3+3",
                             "deescalate", "yes", "top_dose", "expand", "start_level", "1",
                             "n_levels", "2", "n_trials", "20000", "seed", "5", NULL);
        if (CHECK(row >= 0)) {
            double prob = table_number(&summary, row, "prob_no_rp2d");
            CHECK_MSG((double)none / 20000.0 == prob, "%d trials without RP2D, summary says %g",
                      none, prob);
            const char *run_id = table_cell(&summary, row, "run_id");
            CHECK_INT_EQ(
                table_count(&rows, "run_id", run_id, "seed", "5", "n_trials", "20000", NULL),
                40000);
        }
        table_free(&summary);
    }
    table_free(&rows);
    test_remove_dir(dir);
}

/* Golden CSVs: made once with the command below and committed; any change to
 * the rules, the random streams or the output format shows here. Regenerate
 * them only for a deliberate change, and say so in the commit. The run_id in
 * them is compared as it is: it hashes the inputs, not their paths or the
 * output folder, so the same run from another folder, on a copy of the
 * scenario file under another name, gives the same bytes. */
static void test_golden_outputs(void)
{
    char *dir = test_temp_dir();
    char got[4400], want[4300], copy[4200], elsewhere[4200];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "100000", "--seed", "11",
                         "--out", dir, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    char *work = test_temp_dir();
    char *text = test_read_file("tests/data/two_dose.csv", NULL);
    snprintf(copy, sizeof(copy), "%s/other name.csv", work != NULL ? work : "");
    snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", work != NULL ? work : "");
    CHECK(work != NULL && text != NULL && test_write_file(copy, text));
    free(text);
    run_in(work,
           (const char *[]){"run", "other name.csv", "--trials", "100000", "--seed", "11",
                            "--threads", "1", "--out", "elsewhere", "--quiet", NULL},
           &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(want, sizeof(want), "tests/data/golden/two_dose/%s", files[i]);
        snprintf(got, sizeof(got), "%s/%s", dir, files[i]);
        CHECK_MSG(same_file(got, want), "%s differs from %s", got, want);
        snprintf(got, sizeof(got), "%s/%s", elsewhere, files[i]);
        CHECK_MSG(same_file(got, want), "%s (run from another folder) differs from %s", got, want);
    }
    test_remove_dir(work);
    test_remove_dir(dir);
}

#define RESHAPE_DIR "tests/data/golden/reshape"

/* Replace every occurrence of from in text by to; malloc'ed. */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t from_len = strlen(from), to_len = strlen(to), count = 0;
    for (const char *at = strstr(text, from); at != NULL; at = strstr(at + from_len, from)) {
        count++;
    }
    char *out = malloc(strlen(text) + count * to_len + 1);
    if (out == NULL) {
        return NULL;
    }
    char *o = out;
    for (const char *at; (at = strstr(text, from)) != NULL; text = at + from_len) {
        memcpy(o, text, (size_t)(at - text));
        o += at - text;
        memcpy(o, to, to_len);
        o += to_len;
    }
    strcpy(o, text);
    return out;
}

/* Drop the line name from names (a listing of list_folder, a name a line). */
static void drop_listed(char *names, const char *name)
{
    size_t len = strlen(name);
    for (char *line = names; line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        size_t line_len = end != NULL ? (size_t)(end - line) : strlen(line);
        if (line_len == len && strncmp(line, name, len) == 0) {
            char *rest = end != NULL ? end + 1 : line + line_len;
            memmove(line, rest, strlen(rest) + 1);
            return;
        }
        line = end != NULL ? end + 1 : NULL;
    }
}

/* Drop every name of a figure (.png, .svg, .pdf) from a listing. */
static void drop_figures(char *names)
{
    for (char *line = names; *line != '\0';) {
        char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        bool figure = len > 4 && (strncmp(line + len - 4, ".png", 4) == 0 ||
                                  strncmp(line + len - 4, ".svg", 4) == 0 ||
                                  strncmp(line + len - 4, ".pdf", 4) == 0);
        if (figure) {
            char *rest = end != NULL ? end + 1 : line + len;
            memmove(line, rest, strlen(rest) + 1);
        } else {
            line = end != NULL ? end + 1 : line + len;
        }
    }
}

/* Whether the CSV got, with the folder root written as {OUT}, holds the bytes of want. */
static bool same_csv(const char *got, const char *root, const char *want)
{
    size_t len_got = 0, len_want = 0;
    char *text = test_read_file(got, &len_got);
    char *golden = test_read_file(want, &len_want);
    char *mapped = text != NULL ? replace_all(text, root, "{OUT}") : NULL;
    bool same = mapped != NULL && golden != NULL && strlen(text) == len_got &&
                strlen(mapped) == len_want && memcmp(mapped, golden, len_want) == 0;
    free(text);
    free(golden);
    free(mapped);
    return same;
}

/* Every file under got (a folder) is the same as its namesake under want, and
 * want has no file got lacks; rel is the path below both ("" at the top). A
 * folder's lock file (fileio.h) is no output: git ignores it, so the golden
 * folders of a fresh checkout have none, and it is passed over; so are
 * figures (gnuplot's bytes, not dosesim's numbers). In CSVs the folder's own
 * name stands as {OUT} (compare records the folders it read). */
static void same_tree(const char *got, const char *want, const char *rel)
{
    char g[4400], w[4400];
    snprintf(g, sizeof(g), "%s%s", got, rel);
    snprintf(w, sizeof(w), "%s%s", want, rel);
    char *names_got = list_folder(g);
    char *names_want = list_folder(w);
    if (names_got != NULL && names_want != NULL) {
        drop_listed(names_got, DS_FOLDER_LOCK_NAME);
        drop_listed(names_want, DS_FOLDER_LOCK_NAME);
        drop_figures(names_got);
        drop_figures(names_want);
    }
    if (CHECK_MSG(names_got != NULL && names_want != NULL, "cannot list %s or %s", g, w) &&
        CHECK_MSG(strcmp(names_got, names_want) == 0, "%s holds\n%s\nbut %s holds\n%s", g,
                  names_got, w, names_want)) {
        /* One name per line: walk them without strtok, which the recursion would reset. */
        for (char *name = names_got; *name != '\0';) {
            char *end = strchr(name, '\n');
            size_t len = end != NULL ? (size_t)(end - name) : strlen(name);
            char sub[700], gp[5200], wp[5200];
            snprintf(sub, sizeof(sub), "%s/%.*s", rel, (int)len, name);
            snprintf(gp, sizeof(gp), "%s%s", got, sub);
            snprintf(wp, sizeof(wp), "%s%s", want, sub);
            struct stat st;
            if (stat(gp, &st) == 0 && S_ISDIR(st.st_mode)) {
                same_tree(got, want, sub);
            } else if (len > 4 && strncmp(name + len - 4, ".csv", 4) == 0) {
                CHECK_MSG(same_csv(gp, got, wp), "%s differs from the golden %s", gp, wp);
            } else {
                CHECK_MSG(same_file(gp, wp), "%s differs from the golden %s", gp, wp);
            }
            name += len + (end != NULL);
        }
    }
    free(names_got);
    free(names_want);
}

/* The house reshape (issue 13) changed no byte: every command of
 * RESHAPE_DIR/commands.txt (run with and without calendar time for every
 * design, exact, paths, sweep, trace, shards and merge) writes exactly the
 * files and stdout made by RESHAPE_DIR/make.sh with the program before it. */
static void test_golden_reshape(void)
{
    char *dir = test_temp_dir();
    char *commands = test_read_file(RESHAPE_DIR "/commands.txt", NULL);
    if (!CHECK(dir != NULL && commands != NULL)) {
        free(commands);
        test_remove_dir(dir);
        return;
    }
    int n_commands = 0;
    for (char *line = strtok(commands, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            continue;
        }
        char *expanded = replace_all(line, "{OUT}", dir);
        if (!CHECK(expanded != NULL)) {
            break;
        }
        const char *args[64];
        int n_args = 0;
        char *save = NULL;
        char *name = strtok_r(expanded, " ", &save);
        for (char *word = strtok_r(NULL, " ", &save); word != NULL && n_args < 63;
             word = strtok_r(NULL, " ", &save)) {
            args[n_args++] = word;
        }
        args[n_args] = NULL;
        run_t r;
        run(args, &r);
        CHECK_MSG(r.status == 0, "%s: exit %d: %s", name, r.status, r.err);
        char *out = replace_all(r.out, dir, "{OUT}");
        char want[4400];
        snprintf(want, sizeof(want), RESHAPE_DIR "/expected/%s.stdout", name);
        char *golden = test_read_file(want, NULL);
        CHECK_MSG(out != NULL && golden != NULL && strcmp(out, golden) == 0,
                  "%s: stdout differs from %s:\n%s", name, want, out != NULL ? out : "");
        /* The stdout files are the golden folder's only extra files. */
        char copy[4400];
        snprintf(copy, sizeof(copy), "%s/%s.stdout", dir, name);
        FILE *f = fopen(copy, "w");
        if (CHECK(f != NULL)) {
            fputs(out != NULL ? out : "", f);
            fclose(f);
        }
        free(golden);
        free(out);
        run_free(&r);
        free(expanded);
        n_commands++;
    }
    CHECK(n_commands >= 31);
    same_tree(dir, RESHAPE_DIR "/expected", "");
    free(commands);
    test_remove_dir(dir);
}

/* The main job's default: results/<file stem>/ under the working folder. */
static void test_default_output_folder(void)
{
    char *dir = test_temp_dir();
    char scenarios[4096], expected[4300];
    run_t r;
    if (!CHECK(dir != NULL) || !CHECK(realpath("tests/data/two_dose.csv", scenarios) != NULL)) {
        test_remove_dir(dir);
        return;
    }
    run_in(dir, (const char *[]){"run", scenarios, "--trials", "1000", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "seed 20261126") != NULL);
    snprintf(expected, sizeof(expected), "%s/results/two_dose/sample_size.csv", dir);
    CHECK(exists(expected));
    run_free(&r);
    /* exact has a folder of its own there, so the two never overwrite each other */
    run_in(dir, (const char *[]){"exact", scenarios, "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    snprintf(expected, sizeof(expected), "%s/results/two_dose/exact/summary.csv", dir);
    CHECK(exists(expected));
    run_free(&r);
    run_in(dir, (const char *[]){"paths", scenarios, "--scenario", "toxic", "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    snprintf(expected, sizeof(expected), "%s/results/two_dose/paths_toxic.csv", dir);
    CHECK(exists(expected));
    run_free(&r);
    test_remove_dir(dir);
}

#define DATA "tests/data/two_dose.csv"
#define BAD_INPUTS "tests/bad_inputs.txt"

/* Split one bad_inputs.txt command line at spaces into args ('' is an empty
 * argument, {OUT} the folder out); false if it has too many words. */
static bool split_command(char *command, const char *out, const char **args, size_t max)
{
    static char within[8][4400]; /* words that begin with {OUT}/ */
    size_t n = 0, n_within = 0;
    for (char *word = strtok(command, " "); word != NULL; word = strtok(NULL, " ")) {
        if (n + 1 >= max) {
            return false;
        }
        if (strncmp(word, "{OUT}/", 6) == 0 && n_within < 8) {
            snprintf(within[n_within], sizeof(within[0]), "%s/%s", out, word + 6);
            args[n++] = within[n_within++];
            continue;
        }
        args[n++] = strcmp(word, "''") == 0 ? "" : strcmp(word, "{OUT}") == 0 ? out : word;
    }
    args[n] = NULL;
    return n > 0;
}

/* Every line of tests/bad_inputs.txt: the exit status, the message, and no
 * output folder. The table lives in a file so that it reads as what a user
 * types and sees, and so that adding a case needs no C. */
static void test_bad_inputs(void)
{
    char *dir = test_temp_dir();
    FILE *table = fopen(BAD_INPUTS, "r");
    char out[4200], line[1024];
    int cases = 0, line_number = 0;
    if (!CHECK(dir != NULL) || !CHECK_MSG(table != NULL, "cannot open %s", BAD_INPUTS)) {
        if (table != NULL) {
            fclose(table);
        }
        return;
    }
    snprintf(out, sizeof(out), "%s/out", dir);
    while (fgets(line, sizeof(line), table) != NULL) {
        line_number++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        char *message = strstr(line, " | ");
        char *command = message != NULL ? strstr(message + 3, " | ") : NULL;
        char *end = NULL;
        long status = strtol(line, &end, 10);
        const char *args[40];
        if (!CHECK_MSG(command != NULL && end == message, "%s:%d: not 'exit | message | command'",
                       BAD_INPUTS, line_number)) {
            continue;
        }
        *message = '\0';
        message += 3;
        *command = '\0';
        command += 3;
        if (!CHECK_MSG(split_command(command, out, args, sizeof(args) / sizeof(args[0])),
                       "%s:%d: bad command line", BAD_INPUTS, line_number)) {
            continue;
        }
        run_t r;
        run(args, &r);
        CHECK_MSG(r.status == status, "%s:%d: exit status %d, expected %ld", BAD_INPUTS,
                  line_number, r.status, status);
        CHECK_MSG(strstr(r.err, message) != NULL, "%s:%d: stderr \"%s\" lacks \"%s\"", BAD_INPUTS,
                  line_number, r.err, message);
        if (!CHECK_MSG(!exists(out), "%s:%d: output written after bad input", BAD_INPUTS,
                       line_number)) {
            test_remove_dir(strdup(out)); /* so that the next cases are judged on their own */
        }
        run_free(&r);
        cases++;
    }
    fclose(table);
    CHECK_MSG(cases >= 80, "%s: only %d cases", BAD_INPUTS, cases);
    test_remove_dir(dir);
}

static void test_scenario_selection_and_warning(void)
{
    char *dir = test_temp_dir();
    char out[4200], summary[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(out, sizeof(out), "%s/out", dir);
    run((const char *[]){"run", DATA, "--scenario", "toxic", "--trials", "5000", "--out", out,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    snprintf(summary, sizeof(summary), "%s/summary.csv", out);
    char *text = test_read_file(summary, NULL);
    table_t t;
    if (CHECK(text != NULL) && CHECK(table_parse(&t, text))) {
        CHECK_INT_EQ(t.n_rows, 1);
        CHECK_STR_EQ(table_cell(&t, 0, "scenario"), "toxic");
        CHECK_STR_EQ(table_cell(&t, 0, "scenario_order"), "2"); /* its place in the file */
        CHECK(strstr(text, "borderline") == NULL);
        table_free(&t);
    }
    free(text);
    /* Another folder: the same one would hold another run's results (cli/no_silent_loss). */
    snprintf(out, sizeof(out), "%s/out2", dir);
    run((const char *[]){"run", "tests/data/non_monotone.csv", "--trials", "1000", "--out", out,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.err, "warning: tests/data/non_monotone.csv:2: scenario 'dip': p_dlt falls") !=
          NULL);
    run_free(&r);
    test_remove_dir(dir);
}

static const char *mpi_program(void);

/* How many times needle occurs in text. */
static int occurrences(const char *text, const char *needle)
{
    int n = 0;
    for (const char *at = text; (at = strstr(at, needle)) != NULL; at += strlen(needle)) {
        n++;
    }
    return n;
}

/* Whether two CSVs hold the same header and cells, but in the columns named in
 * skip (NULL-ended); says where they first differ. */
static bool same_table_but(const char *path_a, const char *path_b, const char *const *skip)
{
    table_t a, b;
    bool loaded_a = table_load(&a, path_a), loaded_b = table_load(&b, path_b);
    bool same = CHECK_MSG(loaded_a && loaded_b, "%s or %s is not a CSV", path_a, path_b) &&
                CHECK_MSG(a.n_cols == b.n_cols && a.n_rows == b.n_rows,
                          "%s has %d columns and %d rows, %s %d and %d", path_a, a.n_cols, a.n_rows,
                          path_b, b.n_cols, b.n_rows);
    for (int c = 0; same && c < a.n_cols; c++) {
        same = CHECK_MSG(strcmp(a.header[c], b.header[c]) == 0, "%s: column %d is %s in %s", path_a,
                         c + 1, b.header[c], path_b);
        bool skipped = false;
        for (int k = 0; skip[k] != NULL; k++) {
            skipped |= strcmp(a.header[c], skip[k]) == 0;
        }
        for (int r = 0; same && !skipped && r < a.n_rows; r++) {
            same =
                CHECK_MSG(strcmp(a.rows[r][c], b.rows[r][c]) == 0, "%s:%d: %s is '%s', in %s '%s'",
                          path_a, r + 2, a.header[c], a.rows[r][c], path_b, b.rows[r][c]);
        }
    }
    table_free(&a);
    table_free(&b);
    return same;
}

/* A scenario file with columns dosesim does not use (notes, sources), dose
 * amounts and units, or tab-separated: the same results as the plain file
 * (with amounts and units, those in doses.csv and a run_id of its own, the
 * scenarios' contents being others; every other cell the same), and one note
 * on stderr naming the columns not used, unless --quiet. */
static void test_annotated_scenario_files(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    static const char *const files[] = {"tests/data/plain.csv", "tests/data/annotated.csv",
                                        "tests/data/annotated.tsv"};
    static const char *const set[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                      "duration.csv"};
    char out[3][4200];
    for (int i = 0; i < 3; i++) {
        run_t r;
        snprintf(out[i], sizeof(out[i]), "%s/run%d", dir, i);
        run((const char *[]){"run", files[i], "--trials", "3000", "--out", out[i], NULL}, &r);
        CHECK_MSG(r.status == 0, "%s: %d %s", files[i], r.status, r.err);
        int notes = occurrences(r.err, "note:");
        CHECK_MSG(notes == (i == 1), "%s: %d notes: %s", files[i], notes, r.err);
        if (i == 1) {
            CHECK_MSG(strstr(r.err, "dosesim run: note: tests/data/annotated.csv: columns notes, "
                                    "source are not used\n") != NULL,
                      "%s", r.err);
        }
        run_free(&r);
        for (int k = 0; i > 0 && k < 4; k++) {
            char a[4300], b[4300];
            snprintf(a, sizeof(a), "%.4200s/%s", out[0], set[k]);
            snprintf(b, sizeof(b), "%.4200s/%s", out[i], set[k]);
            if (i == 2) { /* tab-separated, no amounts: the plain file's bytes */
                CHECK_MSG(same_file(a, b), "%s differs between %s and %s", set[k], files[0],
                          files[i]);
            } else {
                same_table_but(a, b, (const char *[]){"run_id", "dose_amount", "dose_unit", NULL});
            }
        }
    }
    /* The amounts and units in doses.csv; the run_id another, one across the set. */
    char path[4300];
    table_t plain, annotated;
    snprintf(path, sizeof(path), "%.4200s/doses.csv", out[0]);
    bool loaded = table_load(&plain, path);
    snprintf(path, sizeof(path), "%.4200s/doses.csv", out[1]);
    if (CHECK(loaded && table_load(&annotated, path))) {
        static const char *const cells[][4] = {{"expected", "1", "100", "mg"},
                                               {"expected", "2", "200", "mg"},
                                               {"toxic", "1", "100", "mg"},
                                               {"toxic", "2", "200", "mg"},
                                               {"toxic", "0", "", ""}};
        for (int k = 0; k < 5; k++) {
            int row =
                table_find(&annotated, 0, "scenario", cells[k][0], "dose_level", cells[k][1], NULL);
            int plain_row =
                table_find(&plain, 0, "scenario", cells[k][0], "dose_level", cells[k][1], NULL);
            if (CHECK(row >= 0 && plain_row >= 0)) {
                CHECK_STR_EQ(table_cell(&annotated, row, "dose_amount"), cells[k][2]);
                CHECK_STR_EQ(table_cell(&annotated, row, "dose_unit"), cells[k][3]);
                CHECK_STR_EQ(table_cell(&plain, plain_row, "dose_amount"), "");
                CHECK_STR_EQ(table_cell(&plain, plain_row, "dose_unit"), "");
            }
        }
        const char *id = table_cell(&annotated, 0, "run_id");
        CHECK(id != NULL && strcmp(id, table_cell(&plain, 0, "run_id")) != 0);
        CHECK_INT_EQ(table_count(&annotated, "run_id", id, NULL), annotated.n_rows);
        table_free(&annotated);
    }
    if (loaded) {
        table_free(&plain);
    }
    char quiet_exact[4300], quiet_run[4300];
    snprintf(quiet_exact, sizeof(quiet_exact), "%s/quiet_exact", dir);
    snprintf(quiet_run, sizeof(quiet_run), "%s/quiet_run", dir);
    /* --quiet: no note; every command that reads scenarios says it, trace too. */
    const char *const *quiet_lines[] = {
        (const char *[]){"exact", files[1], "--out", quiet_exact, "--quiet", NULL},
        (const char *[]){"run", files[1], "--trials", "100", "--out", quiet_run, "--quiet", NULL},
        (const char *[]){"paths", files[1], "--scenario", "toxic", "--out", "-", "--quiet", NULL},
        (const char *[]){"sweep", files[1], "--scenario", "toxic", "--vary", "1", "--from", "0",
                         "--to", "0.5", "--step", "0.25", "--out", "-", "--quiet", NULL},
    };
    for (size_t c = 0; c < sizeof(quiet_lines) / sizeof(quiet_lines[0]); c++) {
        run_t r;
        run(quiet_lines[c], &r);
        CHECK_MSG(r.status == 0 && strstr(r.err, "note:") == NULL, "%s --quiet: %d %s",
                  quiet_lines[c][0], r.status, r.err);
        run_free(&r);
    }
    run_t r;
    run((const char *[]){"trace", files[1], "--scenario", "toxic", NULL}, &r);
    CHECK_MSG(r.status == 0 && occurrences(r.err, "dosesim trace: note: ") == 1, "trace: %s",
              r.err);
    run_free(&r);
    /* One column not used: said in the singular. */
    char one[4300];
    snprintf(one, sizeof(one), "%s/one.csv", dir);
    CHECK(test_write_file(one, "scenario,dose_level,dose_label,p_dlt,why\nx,1,A,0.1,because\n"));
    snprintf(out[2], sizeof(out[2]), "%s/one", dir);
    run((const char *[]){"exact", one, "--out", out[2], NULL}, &r);
    CHECK_MSG(r.status == 0 && strstr(r.err, "one.csv: column why is not used\n") != NULL, "%s",
              r.err);
    run_free(&r);
    /* Under mpirun the note comes once, from rank 0. */
    const char *mpi = mpi_program();
    if (mpi != NULL) {
        snprintf(out[2], sizeof(out[2]), "%s/mpi", dir);
        run_program("mpirun",
                    (const char *[]){"--oversubscribe", "-np", "2", mpi, "run", files[1],
                                     "--trials", "3000", "--out", out[2], NULL},
                    NULL, NULL, &r);
        CHECK_MSG(r.status == 0 && occurrences(r.err, "note:") == 1, "mpirun: %d %s", r.status,
                  r.err);
        run_free(&r);
    }
    test_remove_dir(dir);
}

/* The first line of text, and the line starting with prefix (up to its newline), copied. */
static bool find_line(const char *text, const char *prefix, char *line, size_t size)
{
    for (const char *at = text; at != NULL && *at; at = strchr(at, '\n'), at = at ? at + 1 : NULL) {
        if (strncmp(at, prefix, strlen(prefix)) == 0) {
            size_t len = strcspn(at, "\n");
            snprintf(line, size, "%.*s", (int)(len < size ? len : size - 1), at);
            return true;
        }
    }
    return false;
}

/* exact writes the same files and columns as run: method exact, trials and seed
 * 0, standard errors 0 and intervals equal to the values. */
static void test_exact_command(void)
{
    char *dir = test_temp_dir();
    char mc[4200], ex[4200], path[4300], mc_header[4096], ex_header[4096];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(mc, sizeof(mc), "%s/mc", dir);
    snprintf(ex, sizeof(ex), "%s/exact", dir);
    run((const char *[]){"run", DATA, "--trials", "1000", "--out", mc, "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"exact", DATA, "--out", ex, NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "dosesim exact: tests/data/two_dose.csv, 2 scenarios") != NULL);
    CHECK(strstr(r.err, "dosesim exact: 2 scenarios in") != NULL);
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", mc, files[i]);
        char *a = test_read_file(path, NULL);
        snprintf(path, sizeof(path), "%s/%s", ex, files[i]);
        char *b = test_read_file(path, NULL);
        if (CHECK(a != NULL && b != NULL)) {
            CHECK(find_line(a, "", mc_header, sizeof(mc_header)));
            CHECK(find_line(b, "", ex_header, sizeof(ex_header)));
            CHECK_MSG(strcmp(mc_header, ex_header) == 0, "%s: run and exact columns differ",
                      files[i]);
        }
        table_t t;
        if (i == 0 && b != NULL && CHECK(table_parse(&t, b))) {
            int row = table_find(&t, 0, "scenario", "borderline", "method", "exact", "design",
                                 "3+3", "deescalate", "yes", "top_dose", "expand", "start_level",
                                 "1", "n_levels", "2", "n_trials", "0", "seed", "0", NULL);
            if (CHECK(row >= 0)) {
                double p = table_number(&t, row, "prob_no_rp2d");
                CHECK_NEAR(p, 0.1057, 0.5e-4);
                CHECK(table_number(&t, row, "prob_no_rp2d_se") == 0.0 &&
                      table_number(&t, row, "prob_no_rp2d_lo") == p &&
                      table_number(&t, row, "prob_no_rp2d_hi") == p);
                CHECK_NEAR(table_number(&t, row, "mean_n_evaluable"), 9.847, 0.5e-3);
                CHECK(table_number(&t, row, "mean_n_treated") ==
                      table_number(&t, row, "mean_n_evaluable"));
                CHECK(table_number(&t, row, "mean_n_evaluable_se") == 0.0);
            }
            table_free(&t);
        }
        if (i == 1 && b != NULL && CHECK(table_parse(&t, b))) {
            int row = table_find(&t, 0, "scenario", "borderline", "dose_level", "2", NULL);
            if (CHECK(row >= 0)) {
                double p = table_number(&t, row, "prob_rp2d");
                CHECK_NEAR(p, 0.3807, 0.5e-4);
                CHECK(table_number(&t, row, "prob_rp2d_se") == 0.0 &&
                      table_number(&t, row, "prob_rp2d_lo") == p &&
                      table_number(&t, row, "prob_rp2d_hi") == p);
            }
            table_free(&t);
        }
        free(a);
        free(b);
    }
    test_remove_dir(dir);
}

/* A command that writes a result set closes only the files it opened: not
 * standard input, whose number an unopened output file would hold if the
 * set were zeroed without ds_report_init (run --shard, MPI ranks above 0,
 * and runs refused before their set was opened did that). Watched by strace. */
static void test_closes_only_its_files(void)
{
    run_t r;
    run_program("sh", (const char *[]){"-c", "command -v strace", NULL}, NULL, NULL, &r);
    bool found = r.status == 0;
    run_free(&r);
    if (!found) {
        test_skip("strace is not installed (make deps-dev installs it)");
        return;
    }
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char log[4200], out[4200];
    snprintf(log, sizeof(log), "%s/close.log", dir);
    static const char *const commands[][10] = {
        {"run", DATA, "--trials", "1000", "--shard", "1/2", "--quiet"},
        {"run", DATA, "--trials", "1000", "--quiet"},
        {"exact", DATA, "--quiet"},
        {"exact", DATA, "--scenario", "no-such-scenario"},
    };
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        const char *args[24] = {"-f", "-qq", "-e", "trace=close", "-o", log, program()};
        int n = 7;
        for (int k = 0; commands[c][k] != NULL; k++) {
            args[n++] = commands[c][k];
        }
        snprintf(out, sizeof(out), "%s/out%zu", dir, c);
        args[n++] = "--out";
        args[n++] = out;
        /* LeakSanitizer cannot run under ptrace (make SAN=1 check) */
        run_program("strace", args, (const char *[]){"ASAN_OPTIONS=detect_leaks=0", NULL}, NULL,
                    &r);
        CHECK_MSG(r.status == (c == 3 ? 2 : 0), "%s: exit %d: %s", commands[c][0], r.status,
                  r.err);
        char *trace = test_read_file(log, NULL);
        if (CHECK(trace != NULL)) {
            CHECK_MSG(strstr(trace, "close(0)") == NULL, "command %zu closed standard input", c);
        }
        free(trace);
        run_free(&r);
    }
    test_remove_dir(dir);
}

/* Every path, once: probabilities summing to 1 that reproduce the exact results. */
static void test_paths_command(void)
{
    char *dir = test_temp_dir();
    char csv[4200], ex[4200], summary[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(csv, sizeof(csv), "%s/paths.csv", dir);
    snprintf(ex, sizeof(ex), "%s/exact", dir);
    run((const char *[]){"paths", DATA, "--scenario", "borderline", "--out", csv, NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "start: 3 at 100 mg") != NULL);
    CHECK(strstr(r.out, "  200 mg 1/3 -> 3 more at 200 mg") != NULL);
    CHECK(strstr(r.out, "46 paths; their probabilities sum to 1.0000000000000") != NULL);
    run_free(&r);
    run((const char *[]){"exact", DATA, "--scenario", "borderline", "--out", ex, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    snprintf(summary, sizeof(summary), "%s/summary.csv", ex);
    table_t paths, sums;
    bool loaded = table_load(&paths, csv);
    if (CHECK(loaded && table_load(&sums, summary))) {
        int row = table_find(&sums, 0, "scenario", "borderline", NULL);
        /* After the key: the path's columns, in the contract's order. */
        static const char *const columns[] = {"path",       "prob",       "n_treated", "n_dlt",
                                              "rp2d_level", "rp2d_label", "cohorts"};
        CHECK_INT_EQ(paths.n_cols, DS_KEY_COLUMNS + 7);
        for (int c = 0; c < 7 && paths.n_cols == DS_KEY_COLUMNS + 7; c++) {
            CHECK_STR_EQ(paths.header[DS_KEY_COLUMNS + c], columns[c]);
        }
        double total = 0.0, none = 0.0, mean_n = 0.0;
        for (int k = 0; k < paths.n_rows; k++) {
            double prob = table_number(&paths, k, "prob");
            CHECK_INT_EQ(table_number(&paths, k, "path"), k + 1);
            total += prob;
            none += table_number(&paths, k, "rp2d_level") == 0.0 ? prob : 0.0;
            mean_n += prob * table_number(&paths, k, "n_treated");
        }
        CHECK_INT_EQ(paths.n_rows, 46);
        CHECK_INT_EQ(table_count(&paths, "rp2d_level", "0", "rp2d_label", "none", NULL) +
                         table_count(&paths, "rp2d_level", "1", "rp2d_label", "100 mg", NULL) +
                         table_count(&paths, "rp2d_level", "2", "rp2d_label", "200 mg", NULL),
                     46);
        CHECK_NEAR(total, 1.0, 1e-12);
        if (CHECK(row >= 0)) {
            CHECK_NEAR(none, table_number(&sums, row, "prob_no_rp2d"), 1e-12);
            CHECK_NEAR(mean_n, table_number(&sums, row, "mean_n_treated"), 1e-12);
        }
        CHECK(table_find(&paths, 0, "path", "1", "prob", "0.08576612100000004", "n_treated", "9",
                         "n_dlt", "0", "rp2d_level", "2", "rp2d_label", "200 mg", "cohorts",
                         "1:0/3 2:0/3 2:0/3", NULL) == 0);
        /* The key: one run, exact, of borderline. */
        const char *id = table_cell(&paths, 0, "run_id");
        CHECK_INT_EQ(table_count(&paths, "run_id", id, "scenario", "borderline", "method", "exact",
                                 "n_trials", "0", "seed", "0", NULL),
                     46);
        table_free(&sums);
    }
    if (loaded) {
        table_free(&paths);
    }
    /* Another listing, of another run: a file of its own (cli/no_silent_loss). */
    snprintf(csv, sizeof(csv), "%s/certain_paths.csv", dir);
    /* p = 0 and 1 make most paths impossible: they are left out and counted. */
    run((const char *[]){"paths", "tests/data/certain.csv", "--scenario", "certain", "--out", csv,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "1 paths (and 45 of probability 0, left out)") != NULL);
    run_free(&r);
    run((const char *[]){"paths", DATA, "--out", csv, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "name exactly one scenario") != NULL);
    run_free(&r);
    test_remove_dir(dir);
}

/* ---- threads, shards, MPI: the same bytes however the work is split ---- */

#define SPLIT_FILE "scenarios/tifcemalimab.csv"
#define SPLIT_TRIALS "250001" /* 62 blocks, the last one short */
#define SPLIT_SEED "4242"

static const char *const result_files[] = {"summary.csv", "doses.csv", "sample_size.csv"};

/* Whether folder dir holds the same three result files as folder reference. */
static bool same_results(const char *reference, const char *dir, const char *what)
{
    char a[4300], b[4300];
    bool same = true;
    for (int i = 0; i < 3; i++) {
        snprintf(a, sizeof(a), "%s/%s", reference, result_files[i]);
        snprintf(b, sizeof(b), "%s/%s", dir, result_files[i]);
        same &= CHECK_MSG(same_file(a, b), "%s: %s differs from the single-thread run", what,
                          result_files[i]);
    }
    return same;
}

/* The single-thread run every split is compared with, in dir/single. */
static bool run_reference(const char *dir, char *single, size_t size)
{
    run_t r;
    snprintf(single, size, "%s/single", dir);
    run((const char *[]){"run", SPLIT_FILE, "--trials", SPLIT_TRIALS, "--seed", SPLIT_SEED,
                         "--threads", "1", "--out", single, "--quiet", NULL},
        &r);
    bool ok = CHECK_INT_EQ_RET(r.status, 0);
    run_free(&r);
    return ok;
}

static void test_threads_identical(void)
{
    char *dir = test_temp_dir();
    char single[4200], out[4200];
    if (!CHECK(dir != NULL) || !run_reference(dir, single, sizeof(single))) {
        test_remove_dir(dir);
        return;
    }
    static const char *const threads[] = {"2", "3", "7"};
    for (int i = 0; i < 3; i++) {
        run_t r;
        snprintf(out, sizeof(out), "%s/threads%s", dir, threads[i]);
        run((const char *[]){"run", SPLIT_FILE, "--trials", SPLIT_TRIALS, "--seed", SPLIT_SEED,
                             "--threads", threads[i], "--out", out, "--quiet", NULL},
            &r);
        CHECK_INT_EQ(r.status, 0);
        CHECK(strstr(r.err, threads[i]) != NULL && strstr(r.err, "threads)") != NULL);
        same_results(single, out, threads[i]);
        run_free(&r);
    }
    test_remove_dir(dir);
}

/* Run shard i of n into folder shards (with extra options, NULL-ended). */
static int run_shard(int i, int n, const char *shards, const char *const *extra)
{
    char spec[32];
    const char *args[32] = {"run",     SPLIT_FILE, "--trials", SPLIT_TRIALS, "--seed", SPLIT_SEED,
                            "--shard", spec,       "--out",    shards,       "--quiet"};
    int argc = 11;
    snprintf(spec, sizeof(spec), "%d/%d", i, n);
    for (int k = 0; extra != NULL && extra[k] != NULL; k++) {
        args[argc++] = extra[k];
    }
    args[argc] = NULL;
    run_t r;
    run(args, &r);
    int status = r.status;
    run_free(&r);
    return status;
}

static void test_shards_merge_identical(void)
{
    char *dir = test_temp_dir();
    char single[4200], shards[4200], merged[4200], files[4][4300];
    run_t r;
    if (!CHECK(dir != NULL) || !run_reference(dir, single, sizeof(single))) {
        test_remove_dir(dir);
        return;
    }
    for (int n = 1; n <= 4; n++) {
        snprintf(shards, sizeof(shards), "%s/shards%d", dir, n);
        for (int i = 1; i <= n; i++) {
            CHECK_INT_EQ(run_shard(i, n, shards, NULL), 0);
        }
        /* Merged from the folder ... */
        snprintf(merged, sizeof(merged), "%s/merged%d", dir, n);
        run((const char *[]){"merge", shards, "--out", merged, NULL}, &r);
        CHECK_INT_EQ(r.status, 0);
        CHECK(strstr(r.out, "shards of a run of scenarios/tifcemalimab.csv") != NULL);
        run_free(&r);
        same_results(single, merged, "merged from a folder");
    }
    /* ... and from the files, in another order. */
    for (int i = 0; i < 4; i++) {
        snprintf(files[i], sizeof(files[i]), "%s/shards4/shard-%d-of-4.csv", dir, (i * 3) % 4 + 1);
    }
    snprintf(merged, sizeof(merged), "%s/merged_files", dir);
    run((const char *[]){"merge", files[0], files[1], files[2], files[3], "--out", merged,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    same_results(single, merged, "merged from files 1, 4, 3, 2");
    test_remove_dir(dir);
}

/* --target and --target-interval, taken by run, exact, merge, sweep and compare;
 * the shards of a run know no target, and merged with one give the bytes of the
 * single run with it. */
static void test_target_options(void)
{
    char *dir = test_temp_dir();
    char single[4200], shards[4200], merged[4200], exact[4200], sweep[4200], compared[4200];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(single, sizeof(single), "%s/single", dir);
    snprintf(shards, sizeof(shards), "%s/shards", dir);
    snprintf(merged, sizeof(merged), "%s/merged", dir);
    snprintf(exact, sizeof(exact), "%s/exact", dir);
    snprintf(sweep, sizeof(sweep), "%s/sweep.csv", dir);
    snprintf(compared, sizeof(compared), "%s/compared", dir);
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "20000", "--seed", "3",
                         "--target", "0.3", "--target-interval", "0.2,0.4", "--out", single,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "run: %s", r.err);
    run_free(&r);
    for (int i = 1; i <= 2; i++) {
        char spec[16];
        snprintf(spec, sizeof(spec), "%d/2", i);
        run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "20000", "--seed", "3",
                             "--shard", spec, "--out", shards, "--quiet", NULL},
            &r);
        CHECK_MSG(r.status == 0, "run --shard %s: %s", spec, r.err);
        run_free(&r);
    }
    run((const char *[]){"merge", shards, "--target", "0.3", "--target-interval", "0.2,0.4",
                         "--out", merged, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "merge: %s", r.err);
    run_free(&r);
    same_results(single, merged, "merged with --target");
    run((const char *[]){"exact", "tests/data/two_dose.csv", "--target", "0.2", "--out", exact,
                         "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "exact: %s", r.err);
    run_free(&r);
    run((const char *[]){"sweep", "tests/data/two_dose.csv", "--scenario", "toxic", "--vary", "2",
                         "--from", "0.1", "--to", "0.5", "--step", "0.1", "--target-interval",
                         "0.2,0.3", "--out", sweep, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "sweep: %s", r.err);
    run_free(&r);
    if (have_gnuplot()) {
        /* compare copies each run's numbers, judged by each run's own target: it takes none. */
        run((const char *[]){"compare", single, exact, "--target", "0.3", "--out", compared, NULL},
            &r);
        CHECK_MSG(r.status == 2 && strstr(r.err, "--target") != NULL, "compare: %s", r.err);
        run_free(&r);
        run((const char *[]){"compare", single, exact, "--out", compared, NULL}, &r);
        CHECK_MSG(r.status == 0, "compare: %s", r.err);
        run_free(&r);
    }
    test_remove_dir(dir);
}

typedef struct {
    const char *what;
    const char *extra[6]; /* options that make shard 3/4 of a different run */
    const char *message;
} other_run_t;

static const other_run_t other_runs[] = {
    {"another seed", {"--seed", "4243", NULL}, "other/shard-3-of-4.csv: has seed 4243, where "},
    {"another trial count", {"--trials", "250000", NULL}, "is part of a run of 250000 trials"},
    {"other design options", {"--deescalate", "no", NULL}, "was run with other design options"},
    {"another top-dose rule", {"--top-dose", "accept", NULL}, "other design options"},
    {"another scenario selection", {"--scenario", "safe", NULL}, "covers 1 scenarios, "},
};

/* Each refusal: shards of different runs, a shard twice, a shard missing. */
static void test_merge_refusals(void)
{
    char *dir = test_temp_dir();
    char shards[4200], other[4200], merged[4200], files[4][4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(shards, sizeof(shards), "%s/shards", dir);
    snprintf(other, sizeof(other), "%s/other", dir);
    snprintf(merged, sizeof(merged), "%s/merged", dir);
    for (int i = 1; i <= 4; i++) {
        CHECK_INT_EQ(run_shard(i, 4, shards, NULL), 0);
        snprintf(files[i - 1], sizeof(files[i - 1]), "%s/shard-%d-of-4.csv", shards, i);
    }
    char odd[4300];
    snprintf(odd, sizeof(odd), "%s/shard-3-of-4.csv", other);
    for (size_t k = 0; k < sizeof(other_runs) / sizeof(other_runs[0]); k++) {
        CHECK_INT_EQ(run_shard(3, 4, other, other_runs[k].extra), 0);
        run((const char *[]){"merge", files[0], files[1], odd, files[3], "--out", merged, NULL},
            &r);
        CHECK_MSG(r.status == 2, "%s: exit status %d", other_runs[k].what, r.status);
        CHECK_MSG(strstr(r.err, other_runs[k].message) != NULL, "%s: stderr \"%s\"",
                  other_runs[k].what, r.err);
        CHECK_MSG(!exists(merged), "%s: wrote output", other_runs[k].what);
        run_free(&r);
    }
    /* Another scenario file: same scenarios and options, other contents. */
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", SPLIT_TRIALS, "--seed",
                         SPLIT_SEED, "--shard", "3/4", "--out", other, "--quiet", NULL},
        &r);
    run_free(&r);
    run((const char *[]){"merge", files[0], files[1], odd, files[3], "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "other/shard-3-of-4.csv: comes from another scenario file "
                        "(tests/data/two_dose.csv; ") != NULL &&
          strstr(r.err, "was run on scenarios/tifcemalimab.csv") != NULL);
    run_free(&r);
    /* A shard given twice, a shard missing, and shards of a 3-way split among 4. */
    run((const char *[]){"merge", files[0], files[1], files[1], files[3], "--out", merged, NULL},
        &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "shard 2/4 is given twice") != NULL);
    run_free(&r);
    run((const char *[]){"merge", files[0], files[1], files[3], "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "shard 3/4 is missing (3 of 4 shards given)") != NULL);
    run_free(&r);
    CHECK_INT_EQ(run_shard(1, 3, other, NULL), 0);
    snprintf(odd, sizeof(odd), "%s/shard-1-of-3.csv", other);
    run((const char *[]){"merge", odd, files[1], files[2], files[3], "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    /* The odd one is named, though it comes first. */
    CHECK(strstr(r.err, "other/shard-1-of-3.csv: is one of 3 shards, ") != NULL &&
          strstr(r.err, "shard-2-of-4.csv one of 4") != NULL);
    run_free(&r);
    /* Damaged and missing files, an empty folder, no arguments. */
    CHECK(test_write_file(odd, "dosesim_shard,4\nshard,1,3\n"));
    run((const char *[]){"merge", odd, "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "shard-1-of-3.csv: the file does not end with its 'sha256' record") !=
          NULL);
    run_free(&r);
    run((const char *[]){"merge", "tests/data", "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "tests/data: no shard files") != NULL);
    run_free(&r);
    run((const char *[]){"merge", "--out", merged, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    run_free(&r);
    CHECK(!exists(merged));
    test_remove_dir(dir);
}

/* $DOSESIM_MPI: the `make MPI=1` build `make check` makes when OpenMPI is installed. */
static const char *mpi_program(void)
{
    const char *p = getenv("DOSESIM_MPI");
    return p != NULL && p[0] != '\0' && access(p, X_OK) == 0 ? p : NULL;
}

static void test_mpi_identical(void)
{
    const char *mpi = mpi_program();
    char *dir = NULL;
    char single[4200], out[4200];
    if (mpi == NULL) {
        test_skip("no MPI build: $DOSESIM_MPI is not set (make check sets it when OpenMPI is "
                  "installed)");
        return;
    }
    dir = test_temp_dir();
    if (!CHECK(dir != NULL) || !run_reference(dir, single, sizeof(single))) {
        test_remove_dir(dir);
        return;
    }
    static const char *const ranks[] = {"1", "2", "3"};
    for (int i = 0; i < 3; i++) {
        for (int threaded = 0; threaded < 2; threaded++) {
            run_t r;
            snprintf(out, sizeof(out), "%s/mpi%s_%d", dir, ranks[i], threaded);
            run_program("mpirun",
                        (const char *[]){"--oversubscribe", "-np", ranks[i], mpi, "run", SPLIT_FILE,
                                         "--trials", SPLIT_TRIALS, "--seed", SPLIT_SEED,
                                         "--threads", threaded ? "2" : "1", "--out", out, "--quiet",
                                         NULL},
                        NULL, NULL, &r);
            CHECK_MSG(r.status == 0, "mpirun -np %s: exit %d: %s", ranks[i], r.status, r.err);
            CHECK(strstr(r.err, ranks[i]) != NULL && strstr(r.err, "process") != NULL);
            same_results(single, out, ranks[i]);
            run_free(&r);
        }
    }
    /* The example script, as written, with two ranks (one per core here). */
    run_t r;
    char env_program[4200], env_out[4300];
    snprintf(env_program, sizeof(env_program), "DOSESIM=%s", mpi);
    snprintf(env_out, sizeof(env_out), "OUT=%s/script", dir);
    run_program("tests/cluster/mpi_run.sh", (const char *[]){NULL},
                (const char *[]){env_program, "RANKS=2", "SCENARIOS=" SPLIT_FILE,
                                 "TRIALS=" SPLIT_TRIALS, "SEED=" SPLIT_SEED, env_out, NULL},
                NULL, &r);
    CHECK_MSG(r.status == 0, "mpi_run.sh: exit %d: %s", r.status, r.err);
    snprintf(out, sizeof(out), "%s/script", dir);
    same_results(single, out, "tests/cluster/mpi_run.sh");
    run_free(&r);
    /* A build without MPI refuses to run as one of several ranks. */
    snprintf(out, sizeof(out), "%s/plain", dir);
    run_program("mpirun",
                (const char *[]){"--oversubscribe", "-np", "2", program(), "run", SPLIT_FILE,
                                 "--trials", "1000", "--out", out, NULL},
                NULL, NULL, &r);
    CHECK(r.status != 0 && strstr(r.err, "built without MPI") != NULL && !exists(out));
    run_free(&r);
    test_remove_dir(dir);
}

/* The SLURM job-array example, as written: four array tasks, then the merge. */
static void test_slurm_example(void)
{
    char *dir = test_temp_dir();
    char single[4200], env_shards[4300], env_out[4300], env_program[4300], task[64], out[4200];
    if (!CHECK(dir != NULL) || !run_reference(dir, single, sizeof(single))) {
        test_remove_dir(dir);
        return;
    }
    snprintf(env_shards, sizeof(env_shards), "SHARDS=%s/shards", dir);
    snprintf(env_out, sizeof(env_out), "OUT=%s/merged", dir);
    snprintf(env_program, sizeof(env_program), "DOSESIM=%s", program());
    for (int id = 11; id <= 14; id++) { /* an array numbered 11-14 */
        run_t r;
        snprintf(task, sizeof(task), "SLURM_ARRAY_TASK_ID=%d", id);
        run_program("tests/cluster/slurm_array.sh", (const char *[]){NULL},
                    (const char *[]){task, "SLURM_ARRAY_TASK_MIN=11", "SLURM_ARRAY_TASK_MAX=14",
                                     "SLURM_CPUS_PER_TASK=2", "SCENARIOS=" SPLIT_FILE,
                                     "TRIALS=" SPLIT_TRIALS, "SEED=" SPLIT_SEED, env_shards,
                                     env_program, NULL},
                    NULL, &r);
        CHECK_MSG(r.status == 0, "slurm_array.sh task %d: exit %d: %s", id, r.status, r.err);
        run_free(&r);
    }
    run_t r;
    run_program("tests/cluster/slurm_merge.sh", (const char *[]){NULL},
                (const char *[]){env_shards, env_out, env_program, NULL}, NULL, &r);
    CHECK_MSG(r.status == 0, "slurm_merge.sh: exit %d: %s", r.status, r.err);
    CHECK(strstr(r.out, "dosesim merge: 4 shards") != NULL);
    run_free(&r);
    snprintf(out, sizeof(out), "%s/merged", dir);
    same_results(single, out, "the SLURM example");
    test_remove_dir(dir);
}

/* ---- calendar time ---- */

#define TIMED "--accrual", "2.5", "--dropout", "0.1", "--dlt-onset", "weibull:0.8"

/* With timing on, threads, shards and MPI ranks still give the same bytes. */
static void test_timed_splits_identical(void)
{
    char *dir = test_temp_dir();
    char single[4200], out[4200], shards[4200];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(single, sizeof(single), "%s/single", dir);
    run((const char *[]){"run", SPLIT_FILE, "--trials", "60001", "--seed", "3", "--threads", "1",
                         TIMED, "--out", single, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    snprintf(out, sizeof(out), "%s/threads", dir);
    run((const char *[]){"run", SPLIT_FILE, "--trials", "60001", "--seed", "3", "--threads", "3",
                         TIMED, "--out", out, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    same_results(single, out, "3 threads, timed");
    snprintf(shards, sizeof(shards), "%s/shards", dir);
    for (int i = 1; i <= 3; i++) {
        char spec[8];
        snprintf(spec, sizeof(spec), "%d/3", i);
        run((const char *[]){"run", SPLIT_FILE, "--trials", "60001", "--seed", "3", "--shard", spec,
                             TIMED, "--out", shards, "--quiet", NULL},
            &r);
        CHECK_INT_EQ(r.status, 0);
        run_free(&r);
    }
    snprintf(out, sizeof(out), "%s/merged", dir);
    run((const char *[]){"merge", shards, "--out", out, NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "calendar: 2.5 patients per 30 days") != NULL);
    run_free(&r);
    same_results(single, out, "3 shards merged, timed");
    const char *mpi = mpi_program();
    if (mpi != NULL) {
        snprintf(out, sizeof(out), "%s/mpi", dir);
        run_program("mpirun",
                    (const char *[]){"--oversubscribe", "-np", "2", mpi, "run", SPLIT_FILE,
                                     "--trials", "60001", "--seed", "3", TIMED, "--out", out,
                                     "--quiet", NULL},
                    NULL, NULL, &r);
        CHECK_MSG(r.status == 0, "mpirun: %s", r.err);
        run_free(&r);
        same_results(single, out, "2 MPI ranks, timed");
    }
    /* A shard of the same run without timing, or with another accrual, does not merge. */
    run((const char *[]){"run", SPLIT_FILE, "--trials", "60001", "--seed", "3", "--shard", "2/3",
                         "--accrual", "3", "--out", dir, "--quiet", NULL},
        &r);
    run_free(&r);
    char files[3][4300];
    snprintf(files[0], sizeof(files[0]), "%s/shard-1-of-3.csv", shards);
    snprintf(files[1], sizeof(files[1]), "%s/shard-2-of-3.csv", dir);
    snprintf(files[2], sizeof(files[2]), "%s/shard-3-of-3.csv", shards);
    run((const char *[]){"merge", files[0], files[1], files[2], "--out", out, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "other calendar-time options") != NULL);
    run_free(&r);
    test_remove_dir(dir);
}

/* The per-trial rows hold each trial's calendar, and they add up to the summary;
 * in every row the patients add up (n_evaluable is n_treated minus
 * n_nonevaluable, and the sum of n_evaluable_at_dose_1, _2; n_treated the sum of
 * n_treated_at_dose_1, _2); timing leaves the selections and DLTs as they were,
 * and the evaluable patients no more than they were. */
static void test_timed_trials_csv(void)
{
    char *dir = test_temp_dir();
    char timed[4200], plain[4200], csv[4200], path[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(timed, sizeof(timed), "%s/timed", dir);
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    snprintf(csv, sizeof(csv), "%s/trials.csv", dir);
    run((const char *[]){"run", DATA, "--scenario", "toxic", "--trials", "3000", TIMED, "--out",
                         timed, "--trials-csv", csv, NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK(strstr(r.out, "time: mean ") != NULL);
    run_free(&r);
    run((const char *[]){"run", DATA, "--scenario", "toxic", "--trials", "3000", "--out", plain,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    /* doses.csv: the same selections and DLTs with and without timing (the none
     * row too); the evaluable patients no more, the patients treated no fewer
     * than the evaluable ones. */
    char a[4300], b[4300];
    snprintf(a, sizeof(a), "%s/doses.csv", timed);
    snprintf(b, sizeof(b), "%s/doses.csv", plain);
    table_t doses_a, doses_b;
    bool loaded = table_load(&doses_a, a);
    if (CHECK(loaded && table_load(&doses_b, b))) {
        static const char *const same[] = {"prob_rp2d", "prob_rp2d_se", "prob_rp2d_lo",
                                           "prob_rp2d_hi", "mean_n_dlt_at_dose"};
        for (int level = 0; level <= 2; level++) {
            char text[8];
            snprintf(text, sizeof(text), "%d", level);
            int row_a = table_find(&doses_a, 0, "scenario", "toxic", "dose_level", text, NULL);
            int row_b = table_find(&doses_b, 0, "scenario", "toxic", "dose_level", text, NULL);
            if (!CHECK(row_a >= 0 && row_b >= 0)) {
                continue;
            }
            for (int i = 0; i < (level == 0 ? 4 : 5); i++) {
                CHECK_MSG(strcmp(table_cell(&doses_a, row_a, same[i]),
                                 table_cell(&doses_b, row_b, same[i])) == 0,
                          "level %d: %s is %s timed, %s untimed", level, same[i],
                          table_cell(&doses_a, row_a, same[i]),
                          table_cell(&doses_b, row_b, same[i]));
            }
            if (level > 0) {
                double evaluable = table_number(&doses_a, row_a, "mean_n_evaluable_at_dose");
                CHECK(evaluable <= table_number(&doses_b, row_b, "mean_n_evaluable_at_dose"));
                CHECK(table_number(&doses_a, row_a, "mean_n_treated_at_dose") >= evaluable);
            }
        }
        table_free(&doses_b);
    }
    if (loaded) {
        table_free(&doses_a);
    }
    snprintf(path, sizeof(path), "%s/summary.csv", timed);
    table_t rows, summary;
    loaded = table_load(&rows, csv);
    if (CHECK(loaded && table_load(&summary, path))) {
        double days = 0.0, treated = 0.0, evaluable = 0.0, nonevaluable = 0.0, away = 0.0;
        int n = 0, unequal = 0, some_not_evaluable = 0;
        for (int k = 0; k < rows.n_rows; k++) {
            if (strcmp(table_cell(&rows, k, "scenario"), "toxic") != 0) {
                continue;
            }
            double t = table_number(&rows, k, "n_treated"),
                   e = table_number(&rows, k, "n_evaluable");
            double x = table_number(&rows, k, "n_nonevaluable");
            days += table_number(&rows, k, "duration_days");
            treated += t;
            evaluable += e;
            nonevaluable += x;
            away += table_number(&rows, k, "n_turned_away");
            unequal += e != t - x ||
                       e != table_number(&rows, k, "n_evaluable_at_dose_1") +
                                table_number(&rows, k, "n_evaluable_at_dose_2") ||
                       t != table_number(&rows, k, "n_treated_at_dose_1") +
                                table_number(&rows, k, "n_treated_at_dose_2");
            some_not_evaluable += x > 0;
            n++;
        }
        CHECK_INT_EQ(n, 3000);
        CHECK_MSG(unequal == 0,
                  "%d rows whose n_evaluable is not n_treated - n_nonevaluable, or not the sum at "
                  "the doses",
                  unequal);
        CHECK(some_not_evaluable > 0);
        int row = table_find(&summary, 0, "scenario", "toxic", NULL);
        if (CHECK(row >= 0)) {
            CHECK(table_number(&summary, row, "window_days") == 21.0 &&
                  table_number(&summary, row, "accrual_per_30_days") == 2.5 &&
                  table_number(&summary, row, "dropout") == 0.1);
            CHECK_STR_EQ(table_cell(&summary, row, "dlt_onset"), "weibull:0.8");
            CHECK_NEAR(days / n, table_number(&summary, row, "mean_duration_days"), 1e-9);
            CHECK_NEAR(treated / n, table_number(&summary, row, "mean_n_treated"), 1e-12);
            CHECK_NEAR(evaluable / n, table_number(&summary, row, "mean_n_evaluable"), 1e-12);
            CHECK_NEAR(nonevaluable / n, table_number(&summary, row, "mean_n_nonevaluable"), 1e-12);
            CHECK_NEAR(away / n, table_number(&summary, row, "mean_n_turned_away"), 1e-12);
        }
        table_free(&summary);
    }
    if (loaded) {
        table_free(&rows);
    }
    test_remove_dir(dir);
}

/* ---- trace, sweep, plot ---- */

/* Field name=value of a trace's "result:" line, as text. */
static bool result_field(const char *trace_out, const char *name, char *value, size_t size)
{
    const char *line = strstr(trace_out, "\nresult: ");
    char key[64];
    snprintf(key, sizeof(key), " %s=", name);
    const char *at = line != NULL ? strstr(line, key) : NULL;
    if (at == NULL) {
        return false;
    }
    at += strlen(key);
    snprintf(value, size, "%.*s", (int)strcspn(at, " \n"), at);
    return true;
}

/* A trace's counts add up: every decision's patients (treated = evaluable +
 * not evaluable + in the window), every rolling-six event's, and the
 * finished trial's, in total and at each dose (treated = evaluable + not
 * evaluable), which equal its result line (n_total evaluable, enrolled
 * treated, nonevaluable). Dropout 0.3, the 3+3, an A+B design whose places
 * stay open across decisions, and the rolling six, trials 1 to 25 of seed 5. */
static void test_trace_counts_add_up(void)
{
    static const char *const designs[] = {"3+3", "ab:3,3,1,2,3", "rolling6"};
    int told = 0, not_evaluable = 0;
    for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
        for (int trial = 1; trial <= 25; trial++) {
            char number[16], value[64];
            snprintf(number, sizeof(number), "%d", trial);
            run_t r;
            run((const char *[]){"trace", SPLIT_FILE, "--scenario", "expected", "--design",
                                 designs[d], "--seed", "5", "--trial", number, "--accrual", "3",
                                 "--dropout", "0.3", NULL},
                &r);
            CHECK_INT_EQ(r.status, 0);
            int bad = 0, treated = -1, evaluable = -1, nonevaluable = -1;
            int dose_treated = 0, dose_evaluable = 0, dose_nonevaluable = 0;
            bool counts = false;
            for (const char *line = r.out; line != NULL && *line != '\0';) {
                const char *end = strchr(line, '\n');
                size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
                char text[1024];
                snprintf(text, sizeof(text), "%.*s", (int)(len < 1023 ? len : 1023), line);
                const char *at = NULL;
                int t = 0, e = 0, x = 0, p = 0;
                if ((at = strstr(text, "decided on ")) != NULL) {
                    /* "decided on E evaluable of T treated (X not evaluable, P in the window)" */
                    bad += sscanf(at, "decided on %d evaluable of %d treated", &e, &t) != 2;
                    const char *x_at = strstr(at, " not evaluable");
                    const char *p_at = strstr(at, " in the window)");
                    const char *paren = strchr(at, '(');
                    const char *colon = strchr(at, ':');
                    x = x_at != NULL && paren != NULL && x_at < colon ? atoi(paren + 1) : 0;
                    if (p_at != NULL && p_at < colon) {
                        const char *q = p_at;
                        while (q > at && q[-1] >= '0' && q[-1] <= '9') {
                            q--;
                        }
                        p = atoi(q);
                    }
                    bad += t != e + x + p;
                } else if ((at = strstr(text, " treated: ")) != NULL && strchr(text, '[') != NULL) {
                    /* a rolling-six event: "[L: T treated: E evaluable, X not evaluable, P pending"
                     */
                    const char *bracket = strchr(text, '[');
                    const char *colon = strchr(bracket, ':');
                    bad += colon == NULL ||
                           sscanf(colon + 1,
                                  " %d treated: %d evaluable, %d not "
                                  "evaluable, %d pending",
                                  &t, &e, &x, &p) != 4 ||
                           t != e + x + p;
                } else if ((at = strstr(text, " patients treated: ")) != NULL &&
                           (strncmp(text, "RP2D", 4) == 0 || strncmp(text, "No RP2D", 7) == 0)) {
                    const char *start = at;
                    while (start > text && start[-1] >= '0' && start[-1] <= '9') {
                        start--;
                    }
                    bad += sscanf(start, "%d patients treated: %d evaluable, %d not evaluable",
                                  &treated, &evaluable, &nonevaluable) != 3 ||
                           treated != evaluable + nonevaluable;
                    counts = true;
                } else if (counts && strncmp(text, "  ", 2) == 0 &&
                           (at = strstr(text, ": ")) != NULL) {
                    bad += sscanf(at + 2, "%d treated: %d evaluable, %d not evaluable", &t, &e,
                                  &x) != 3 ||
                           t != e + x;
                    dose_treated += t;
                    dose_evaluable += e;
                    dose_nonevaluable += x;
                }
                line = end != NULL ? end + 1 : NULL;
            }
            bad += treated < 0 || dose_treated != treated || dose_evaluable != evaluable ||
                   dose_nonevaluable != nonevaluable;
            bad += !result_field(r.out, "n_evaluable", value, sizeof(value)) ||
                   atoi(value) != evaluable;
            bad +=
                !result_field(r.out, "n_treated", value, sizeof(value)) || atoi(value) != treated;
            bad += !result_field(r.out, "n_nonevaluable", value, sizeof(value)) ||
                   atoi(value) != nonevaluable;
            CHECK_MSG(bad == 0, "%s, trial %d: %d counts do not add up:\n%s", designs[d], trial,
                      bad, r.out);
            told++;
            not_evaluable += nonevaluable > 0;
            run_free(&r);
        }
    }
    CHECK(told == 75 && not_evaluable > 10);
}

static void run2(const char *const *base, const char *const *more, run_t *r);

/* trace --format csv tells the same trial as the text and as row I of
 * --trials-csv: its enrolments (or cohorts' patients), DLTs and early leavers
 * count to the row's n_treated, n_dlt and n_nonevaluable, the last decision
 * is the row's RP2D (select at it, or stop for none) on the row's last day,
 * and the rows run in order of day. The 3+3 untimed and timed, an A+B design,
 * the rolling six (timed); with backfill the 3+3, BOIN and the A+B design, the
 * backfilled rows counting to the row's n_backfilled and the trial waiting for
 * their outcomes after an RP2D; trials 1 to 30 of seed 11, dropout 0.3. */
static void test_trace_csv_matches_trials_csv(void)
{
    static const struct {
        const char *design;
        bool timed, backfill;
    } runs[] = {{"3+3", false, false},       {"3+3", true, false}, {"ab:3,3,1,2,3", true, false},
                {"rolling6", true, false},   {"3+3", true, true},  {"boin", true, true},
                {"ab:3,3,1,2,3", true, true}};
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    int told = 0, with_dlt = 0, with_leaver = 0, with_backfill = 0;
    for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
        char trials_csv[4200], out[4200], trace_csv[4200];
        snprintf(trials_csv, sizeof(trials_csv), "%s/trials_%zu.csv", dir, k);
        snprintf(out, sizeof(out), "%s/out_%zu", dir, k);
        snprintf(trace_csv, sizeof(trace_csv), "%s/trace_%zu.csv", dir, k);
        const char *timing[] = {"--accrual", "3", "--dropout", "0.3", NULL};
        const char *backfilled[] = {"--accrual",      "3", "--dropout", "0.3",
                                    "--backfill-max", "6", NULL};
        const char *const *calendar = runs[k].backfill ? backfilled : timing;
        const char *base[] = {
            "run",    SPLIT_FILE, "--scenario", "expected", "--design",     runs[k].design,
            "--seed", "11",       "--trials",   "30",       "--trials-csv", trials_csv,
            "--out",  out,        "--quiet",    NULL};
        run_t r;
        run2(base, runs[k].timed ? calendar : NULL, &r);
        CHECK_MSG(r.status == 0, "%s", r.err);
        run_free(&r);
        table_t rows;
        if (!CHECK(table_load(&rows, trials_csv))) {
            continue;
        }
        for (int trial = 1; trial <= 30; trial++) {
            char number[16];
            snprintf(number, sizeof(number), "%d", trial);
            const char *trace[] = {"trace",        SPLIT_FILE, "--scenario", "expected", "--design",
                                   runs[k].design, "--seed",   "11",         "--trial",  number,
                                   "--format",     "csv",      NULL};
            run2(trace, runs[k].timed ? calendar : NULL, &r);
            table_t events;
            if (!CHECK_MSG(r.status == 0 && table_parse(&events, r.out), "%s trial %d: %s",
                           runs[k].design, trial, r.err)) {
                run_free(&r);
                continue;
            }
            const int row = table_find(&rows, 0, "trial", number, NULL);
            int treated = 0, dlts = 0, leavers = 0, decisions = 0, unordered = 0, last = -1;
            int backfilled_rows = 0;
            double previous = -1.0, last_backfilled = 0.0;
            for (int e = 0; e < events.n_rows; e++) {
                const char *event = table_cell(&events, e, "event");
                CHECK_STR_EQ(table_cell(&events, e, "trial"), number);
                if (strcmp(event, "cohort") == 0) {
                    treated += (int)table_number(&events, e, "n_treated_in_cohort");
                    dlts += (int)table_number(&events, e, "n_dlt_in_cohort");
                } else {
                    const bool backfill = strcmp(event, "backfill") == 0;
                    treated += strcmp(event, "enrol") == 0 || backfill;
                    backfilled_rows += backfill;
                    dlts += strcmp(event, "dlt") == 0;
                    leavers += strcmp(event, "leave") == 0;
                    if (strcmp(table_cell(&events, e, "cohort"), "") == 0 &&
                        strcmp(event, "close") != 0 && runs[k].backfill) {
                        last_backfilled = table_number(&events, e, "day"); /* rows in day order */
                    }
                }
                if (runs[k].timed) {
                    const double day = table_number(&events, e, "day");
                    unordered += !(day >= previous);
                    previous = day;
                } else {
                    CHECK_STR_EQ(table_cell(&events, e, "day"), "");
                }
                if (strcmp(table_cell(&events, e, "next_action"), "") != 0) {
                    decisions++;
                    last = e;
                }
            }
            if (CHECK(row >= 0 && last >= 0)) {
                CHECK_INT_EQ(treated, (int)table_number(&rows, row, "n_treated"));
                CHECK_INT_EQ(dlts, (int)table_number(&rows, row, "n_dlt"));
                CHECK_INT_EQ(leavers, (int)table_number(&rows, row, "n_nonevaluable"));
                CHECK_INT_EQ(unordered, 0);
                const char *rp2d = table_cell(&rows, row, "rp2d_level");
                CHECK_STR_EQ(table_cell(&events, last, "next_action"),
                             strcmp(rp2d, "0") == 0 ? "stop" : "select");
                CHECK_STR_EQ(table_cell(&events, last, "next_level"), rp2d);
                CHECK_STR_EQ(table_cell(&events, last, "next_label"),
                             table_cell(&rows, row, "rp2d_label"));
                if (runs[k].timed) {
                    /* the trial ends at its last decision; an RP2D waits for every
                     * backfilled patient's outcome */
                    double end = table_number(&events, last, "day");
                    if (strcmp(rp2d, "0") != 0 && last_backfilled > end) {
                        end = last_backfilled;
                    }
                    CHECK_NEAR(end, table_number(&rows, row, "duration_days"), 1e-3);
                }
                if (runs[k].backfill) {
                    CHECK_INT_EQ(backfilled_rows, (int)table_number(&rows, row, "n_backfilled"));
                    with_backfill += backfilled_rows > 0;
                }
                with_dlt += dlts > 0;
                with_leaver += leavers > 0;
            }
            told += decisions > 0;
            table_free(&events);
            run_free(&r);
        }
        table_free(&rows);
    }
    CHECK_MSG(told == 210 && with_dlt > 10 && with_leaver > 10 && with_backfill > 20,
              "%d told, %d with a DLT, %d with a leaver, %d backfilled", told, with_dlt,
              with_leaver, with_backfill);
    test_remove_dir(dir);
}

/* A trace tells trial I exactly as run simulated it: its result equals row I of
 * --trials-csv, with and without calendar time, for trials across blocks. */
static void test_trace_matches_trials_csv(void)
{
    static const uint64_t trials[] = {1, 2, 17, 4096, 4097, 8191, 9000};
    char *dir = test_temp_dir();
    char csv[4200], out[4200], trial[32];
    if (!CHECK(dir != NULL)) {
        return;
    }
    for (int mode = 0; mode < 3; mode++) { /* untimed, timed, timed with backfill */
        const bool timed = mode > 0;
        const char *const calendar[] = {TIMED, "--backfill-max", mode == 2 ? "6" : "0", NULL};
        run_t r;
        const char *seed = timed ? "77" : "5";
        /* One file per run: another run's rows are not replaced
         * (cli/trials_csv_not_silently_replaced). */
        snprintf(csv, sizeof(csv), "%s/trials_%d.csv", dir, mode);
        snprintf(out, sizeof(out), "%s/out_%d", dir, mode);
        if (timed) {
            const char *const base[] = {"run",          DATA,     "--scenario", "toxic", "--trials",
                                        "9000",         "--seed", seed,         "--out", out,
                                        "--trials-csv", csv,      "--quiet",    NULL};
            run2(base, calendar, &r);
        } else {
            run((const char *[]){"run", DATA, "--scenario", "toxic", "--trials", "9000", "--seed",
                                 seed, "--out", out, "--trials-csv", csv, "--quiet", NULL},
                &r);
        }
        CHECK_INT_EQ(r.status, 0);
        run_free(&r);
        table_t rows;
        bool loaded = CHECK(table_load(&rows, csv));
        for (size_t i = 0; loaded && i < sizeof(trials) / sizeof(trials[0]); i++) {
            snprintf(trial, sizeof(trial), "%llu", (unsigned long long)trials[i]);
            if (timed) {
                const char *const base[] = {"trace", DATA,      "--scenario", "toxic", "--seed",
                                            seed,    "--trial", trial,        NULL};
                run2(base, calendar, &r);
            } else {
                run((const char *[]){"trace", DATA, "--scenario", "toxic", "--seed", seed,
                                     "--trial", trial, NULL},
                    &r);
            }
            CHECK_INT_EQ(r.status, 0);
            /* Row I, and the trace's result line: the same numbers under the
             * same names. */
            int row = table_find(&rows, 0, "scenario", "toxic", "trial", trial, NULL);
            if (!CHECK_MSG(row >= 0, "no row %s", trial)) {
                run_free(&r);
                continue;
            }
            static const char *const names[][2] = {{"rp2d_level", "rp2d_level"},
                                                   {"n_evaluable", "n_evaluable"},
                                                   {"n_dlt", "n_dlt"},
                                                   {"duration_days", "duration_days"},
                                                   {"n_treated", "n_treated"},
                                                   {"n_nonevaluable", "n_nonevaluable"},
                                                   {"n_turned_away", "n_turned_away"},
                                                   {"n_backfilled", "n_backfilled"}};
            const int n_names = mode == 2 ? 8 : timed ? 7 : 3;
            char got[8][64];
            bool ok = true;
            for (int k = 0; k < n_names; k++) {
                ok &= result_field(r.out, names[k][0], got[k], sizeof(got[k]));
            }
            if (CHECK_MSG(ok, "trial %s: no result line in \"%s\"", trial, r.out)) {
                for (int k = 0; k < n_names; k++) {
                    const char *cell = table_cell(&rows, row, names[k][1]);
                    CHECK_MSG(cell != NULL && strcmp(cell, got[k]) == 0,
                              "trial %s: %s is %s in its row, %s=%s in the trace", trial,
                              names[k][1], cell != NULL ? cell : "(none)", names[k][0], got[k]);
                }
                if (!timed) { /* no calendar: every patient treated is evaluable */
                    CHECK_STR_EQ(table_cell(&rows, row, "duration_days"), "");
                    CHECK_STR_EQ(table_cell(&rows, row, "n_turned_away"), "");
                    CHECK_STR_EQ(table_cell(&rows, row, "n_treated"), got[1]);
                    CHECK_STR_EQ(table_cell(&rows, row, "n_nonevaluable"), "0");
                }
            }
            CHECK(strstr(r.out, "Cohort 1 (100 mg)") != NULL);
            CHECK(!timed || strstr(r.out, "patient 1 enrolled") != NULL);
            run_free(&r);
        }
        if (loaded) {
            table_free(&rows);
        }
    }
    test_remove_dir(dir);
}

/* Run the program with base (NULL-ended) then more (NULL-ended) arguments. */
static void run2(const char *const *base, const char *const *more, run_t *r)
{
    const char *args[64];
    int n = 0;
    for (int i = 0; base[i] != NULL && n < 62; i++) {
        args[n++] = base[i];
    }
    for (int i = 0; more != NULL && more[i] != NULL && n < 63; i++) {
        args[n++] = more[i];
    }
    args[n] = NULL;
    run(args, r);
}

/* How many rows of a CSV have the cell value in column name (-1 if it is not a CSV). */
static int rows_with(const char *path, const char *name, const char *value)
{
    table_t t;
    if (!table_load(&t, path)) {
        return -1;
    }
    int n = table_count(&t, name, value, NULL);
    table_free(&t);
    return n;
}

/* The rows of a CSV (-1 if it is not a CSV). */
static int rows_of(const char *path)
{
    table_t t;
    if (!table_load(&t, path)) {
        return -1;
    }
    int n = t.n_rows;
    table_free(&t);
    return n;
}

/* Whether two result folders hold the same files but for the design's name
 * (every row's design cell name_a in one, name_b in the other) and the run_id
 * that follows from it (one in each folder, not the same). */
static bool same_but_name(const char *dir_a, const char *name_a, const char *dir_b,
                          const char *name_b)
{
    bool same = true;
    char id_a[64] = "", id_b[64] = "";
    for (int i = 0; i < 3; i++) {
        char a[4300], b[4300];
        snprintf(a, sizeof(a), "%s/%s", dir_a, result_files[i]);
        snprintf(b, sizeof(b), "%s/%s", dir_b, result_files[i]);
        same &= same_table_but(a, b, (const char *[]){"run_id", "design", NULL});
        table_t x, y;
        bool loaded_x = table_load(&x, a);
        if (CHECK(loaded_x && table_load(&y, b))) {
            if (i == 0 && x.n_rows > 0 && y.n_rows > 0) {
                snprintf(id_a, sizeof(id_a), "%s", table_cell(&x, 0, "run_id"));
                snprintf(id_b, sizeof(id_b), "%s", table_cell(&y, 0, "run_id"));
            }
            same &=
                CHECK_MSG(table_count(&x, "design", name_a, "run_id", id_a, NULL) == x.n_rows &&
                              table_count(&y, "design", name_b, "run_id", id_b, NULL) == y.n_rows,
                          "%s: not every row of %s has design %s, and of %s %s, with the "
                          "run_id of its summary",
                          result_files[i], dir_a, name_a, dir_b, name_b);
            table_free(&y);
        }
        if (loaded_x) {
            table_free(&x);
        }
    }
    return same && CHECK_MSG(id_a[0] != '\0' && strcmp(id_a, id_b) != 0,
                             "%s and %s have one run_id, %s", dir_a, dir_b, id_a);
}

typedef struct {
    const char *options[12]; /* the design's options, NULL-ended */
    const char *name;        /* as the CSVs' design cells hold it */
    bool rolling;            /* Monte Carlo with calendar time only */
} design_case_t;

#define ROLLING_TIMED "--accrual", "3", "--dropout", "0.05", "--dlt-onset", "weibull:2"

static const design_case_t design_cases[] = {
    {{"--design", "3+3+3", NULL}, "3+3+3", false},
    {{"--design", "ab:2,4,1,1,1", NULL}, "ab:2,4,1,1,1", false},
    {{"--rules", "tests/data/rules/three_plus_three_plus_three.csv", NULL},
     "rules:three_plus_three_plus_three.csv",
     false},
    {{"--design", "rolling6", ROLLING_TIMED, NULL}, "rolling6", true},
};

/* Every design through every command that can run it: run (split between
 * threads, shards and MPI ranks: the same bytes), exact, paths, trace (the
 * same trial as the run's --trials-csv row), sweep; the CSVs name the design. */
static void test_designs_through_every_command(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    for (size_t k = 0; k < sizeof(design_cases) / sizeof(design_cases[0]); k++) {
        const design_case_t *c = &design_cases[k];
        char single[4300], out[4300], shards[4300], csv[4300], path[4400];
        run_t r;
        snprintf(single, sizeof(single), "%s/%zu_single", dir, k);
        snprintf(csv, sizeof(csv), "%s/%zu_trials.csv", dir, k);
        run2((const char *[]){"run", SPLIT_FILE, "--trials", "20001", "--seed", "8", "--threads",
                              "1", "--out", single, "--trials-csv", csv, "--quiet", NULL},
             c->options, &r);
        CHECK_MSG(r.status == 0, "%s: %s", c->name, r.err);
        run_free(&r);
        snprintf(path, sizeof(path), "%s/summary.csv", single);
        table_t summary;
        if (CHECK(table_load(&summary, path))) {
            CHECK_MSG(table_find(&summary, 0, "scenario", "safe", "method", "mc", "design", c->name,
                                 "deescalate", "yes", "top_dose", "expand", "start_level", "1",
                                 NULL) >= 0,
                      "%s: no row of safe, mc, %s, yes, expand, 1 in %s", c->name, c->name, path);
            CHECK_INT_EQ(table_count(&summary, "design", c->name, NULL), 5);
            table_free(&summary);
        }
        snprintf(out, sizeof(out), "%s/%zu_threads", dir, k);
        run2((const char *[]){"run", SPLIT_FILE, "--trials", "20001", "--seed", "8", "--threads",
                              "3", "--out", out, "--quiet", NULL},
             c->options, &r);
        CHECK_INT_EQ(r.status, 0);
        run_free(&r);
        same_results(single, out, c->name);
        snprintf(shards, sizeof(shards), "%s/%zu_shards", dir, k);
        for (int i = 1; i <= 3; i++) {
            char spec[8];
            snprintf(spec, sizeof(spec), "%d/3", i);
            run2((const char *[]){"run", SPLIT_FILE, "--trials", "20001", "--seed", "8", "--shard",
                                  spec, "--out", shards, "--quiet", NULL},
                 c->options, &r);
            CHECK_INT_EQ(r.status, 0);
            run_free(&r);
        }
        snprintf(out, sizeof(out), "%s/%zu_merged", dir, k);
        run((const char *[]){"merge", shards, "--out", out, "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "%s: merge: %s", c->name, r.err);
        run_free(&r);
        same_results(single, out, c->name);
        const char *mpi = mpi_program();
        if (mpi != NULL && c->rolling) {
            snprintf(out, sizeof(out), "%s/%zu_mpi", dir, k);
            const char *args[32] = {"--oversubscribe", "-np",      "2",      mpi,      "run",
                                    SPLIT_FILE,        "--trials", "20001",  "--seed", "8",
                                    "--out",           out,        "--quiet"};
            int n = 13;
            for (int i = 0; c->options[i] != NULL; i++) {
                args[n++] = c->options[i];
            }
            args[n] = NULL;
            run_program("mpirun", args, NULL, NULL, &r);
            CHECK_MSG(r.status == 0, "mpirun: %s", r.err);
            run_free(&r);
            same_results(single, out, "2 MPI ranks, rolling six");
        }
        /* trace: trial 4097 (the second block) as its --trials-csv row has it */
        run2((const char *[]){"trace", SPLIT_FILE, "--scenario", "borderline", "--seed", "8",
                              "--trial", "4097", NULL},
             c->options, &r);
        CHECK_MSG(r.status == 0, "%s: trace: %s", c->name, r.err);
        char got[3][64];
        table_t rows;
        bool loaded = CHECK(table_load(&rows, csv));
        if (result_field(r.out, "rp2d_level", got[0], sizeof(got[0])) &&
            result_field(r.out, "n_evaluable", got[1], sizeof(got[1])) &&
            result_field(r.out, "n_dlt", got[2], sizeof(got[2]))) {
            CHECK_MSG(loaded && table_find(&rows, 0, "scenario", "borderline", "trial", "4097",
                                           "rp2d_level", got[0], "n_evaluable", got[1], "n_dlt",
                                           got[2], "design", c->name, NULL) >= 0,
                      "%s: trace of trial 4097 (rp2d_level %s, n_evaluable %s, n_dlt %s) is not "
                      "its row",
                      c->name, got[0], got[1], got[2]);
        } else {
            CHECK_MSG(false, "%s: trace has no result line: %s", c->name, r.out);
        }
        if (loaded) {
            table_free(&rows);
        }
        CHECK(!c->rolling || strstr(r.out, "patient 1 enrolled at 100 mg") != NULL);
        run_free(&r);
        /* sweep: exact for table designs, Monte Carlo for the rolling six (only
         * that takes --trials: see tests/bad_inputs.txt) */
        snprintf(out, sizeof(out), "%s/%zu_sweep.csv", dir, k);
        run2((const char *[]){"sweep", SPLIT_FILE, "--scenario", "expected", "--vary", "2",
                              "--from", "0.1", "--to", "0.3", "--step", "0.1", "--out", out,
                              "--quiet", c->rolling ? "--trials" : NULL, "5000", NULL},
             c->options, &r);
        CHECK_MSG(r.status == 0, "%s: sweep: %s", c->name, r.err);
        run_free(&r);
        int n_rows = rows_of(out);
        CHECK_MSG(n_rows == 9 && rows_with(out, "design", c->name) == n_rows,
                  "%s: not every row of the sweep (%d) names the design", c->name, n_rows);
        if (c->rolling) {
            continue; /* exact and paths refuse it: see tests/bad_inputs.txt */
        }
        snprintf(out, sizeof(out), "%s/%zu_exact", dir, k);
        run2((const char *[]){"exact", SPLIT_FILE, "--out", out, "--quiet", NULL}, c->options, &r);
        CHECK_MSG(r.status == 0, "%s: exact: %s", c->name, r.err);
        run_free(&r);
        snprintf(out, sizeof(out), "%s/%zu_paths.csv", dir, k);
        run2((const char *[]){"paths", SPLIT_FILE, "--scenario", "safe", "--out", out, "--quiet",
                              NULL},
             c->options, &r);
        CHECK_MSG(r.status == 0 && exists(out), "%s: paths: %s", c->name, r.err);
        run_free(&r);
        n_rows = rows_of(out);
        CHECK_MSG(n_rows > 0 && rows_with(out, "design", c->name) == n_rows,
                  "%s: not every path (%d) names the design", c->name, n_rows);
    }
    /* The rule file and the preset of the same table: the same numbers. */
    char a[4300], b[4300];
    snprintf(a, sizeof(a), "%s/0_exact", dir);
    snprintf(b, sizeof(b), "%s/2_exact", dir);
    same_but_name(a, "3+3+3", b, "rules:three_plus_three_plus_three.csv");
    snprintf(a, sizeof(a), "%s/0_single", dir);
    snprintf(b, sizeof(b), "%s/2_single", dir);
    same_but_name(a, "3+3+3", b, "rules:three_plus_three_plus_three.csv");
    test_remove_dir(dir);
}

/* ab:3,3,1,1,1 is the 3+3: a run gives the same cells but for the design's name
 * (and so its run_id). */
static void test_ab_runs_as_three_plus_three(void)
{
    char *dir = test_temp_dir();
    char plain[4200], ab[4200];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    snprintf(ab, sizeof(ab), "%s/ab", dir);
    run((const char *[]){"run", SPLIT_FILE, "--trials", "50000", "--out", plain, "--quiet", TIMED,
                         NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"run", SPLIT_FILE, "--trials", "50000", "--out", ab, "--quiet", TIMED,
                         "--design", "ab:3,3,1,1,1", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    same_but_name(plain, "3+3", ab, "ab:3,3,1,1,1");
    test_remove_dir(dir);
}

static bool png_size(const char *path, unsigned *width, unsigned *height);

/* compare: the runs' numbers side by side, copied as they were written; runs
 * of other scenarios refused, with nothing written. */
static void test_compare(void)
{
    char *dir = test_temp_dir();
    char a[4200], b[4200], out[4200], path[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    if (!have_gnuplot()) {
        test_remove_dir(dir);
        return;
    }
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    run((const char *[]){"run", DATA, "--trials", "3000", TIMED, "--out", a, "--quiet", NULL}, &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"run", DATA, "--trials", "3000", TIMED, "--design", "rolling6", "--out", b,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"compare", a, b, "--out", out, NULL}, &r);
    CHECK_MSG(r.status == 0, "compare: %s", r.err);
    CHECK(strstr(r.out, "rolling6") != NULL && strstr(r.out, "mean days") != NULL);
    run_free(&r);
    snprintf(path, sizeof(path), "%s/comparison.png", out);
    unsigned width = 0, height = 0;
    /* A table of bars that grows with its rows (tests/test_figures.c checks its layout). */
    bool is_png = png_size(path, &width, &height);
    CHECK_MSG(is_png && width >= 900 && width <= 2000 && height >= 300 && height <= 4000,
              "comparison.png: %ux%u", width, height);
    /* comparison.csv: the contract's columns, and the rolling six's rows for
     * 'toxic' (its none row and each dose's) hold the cells its run wrote:
     * the key and the summary's cells, and each dose's doses.csv cells. */
    snprintf(path, sizeof(path), "%s/comparison.csv", out);
    table_t csv, summary, doses;
    bool got_csv = table_load(&csv, path);
    const char *names[128];
    size_t n_names = ds_schema_names(DS_TABLE_COMPARISON, names, 128);
    if (CHECK(got_csv) && CHECK_INT_EQ_RET(csv.n_cols, (long long)n_names)) {
        for (int c = 0; c < csv.n_cols; c++) {
            CHECK_MSG(strcmp(csv.header[c], names[c]) == 0,
                      "comparison.csv: column %d is %s, not %s", c + 1, csv.header[c], names[c]);
        }
    }
    snprintf(path, sizeof(path), "%s/summary.csv", b);
    bool got_summary = table_load(&summary, path);
    snprintf(path, sizeof(path), "%s/doses.csv", b);
    if (CHECK(got_csv && got_summary && table_load(&doses, path))) {
        int summary_row = table_find(&summary, 0, "scenario", "toxic", "design", "rolling6", NULL);
        int rows = 0, differ = 0;
        for (int k = 0; summary_row >= 0 && k < csv.n_rows; k++) {
            if (strcmp(table_cell(&csv, k, "folder"), b) != 0 ||
                strcmp(table_cell(&csv, k, "scenario"), "toxic") != 0) {
                continue;
            }
            int dose_row = table_find(&doses, 0, "scenario", "toxic", "dose_level",
                                      table_cell(&csv, k, "dose_level"), NULL);
            for (int c = 0; dose_row >= 0 && c < csv.n_cols; c++) {
                const char *name = csv.header[c];
                /* optimisation.csv's columns: empty, as the set has no response rates */
                const char *want = table_col(&doses, name) >= 0 ? table_cell(&doses, dose_row, name)
                                   : table_col(&summary, name) >= 0
                                       ? table_cell(&summary, summary_row, name)
                                       : "";
                if (strcmp(name, "folder") != 0 &&
                    !CHECK_MSG(want != NULL && strcmp(want, csv.rows[k][c]) == 0,
                               "comparison.csv, toxic, level %s: %s is '%s', the run wrote '%s'",
                               table_cell(&csv, k, "dose_level"), name, csv.rows[k][c],
                               want != NULL ? want : "(no such column)")) {
                    differ++;
                }
            }
            rows += dose_row >= 0;
        }
        CHECK_MSG(summary_row >= 0 && rows == 3 && differ == 0,
                  "comparison.csv: %d rows of the rolling six's 'toxic' (levels 0 to 2), %d cells "
                  "not as written",
                  rows, differ);
        table_free(&doses);
    }
    if (got_summary) {
        table_free(&summary);
    }
    if (got_csv) {
        table_free(&csv);
    }
    /* Runs of other scenarios are not compared. */
    char other[4200];
    snprintf(other, sizeof(other), "%s/other", dir);
    run((const char *[]){"run", SPLIT_FILE, "--trials", "3000", "--out", other, "--quiet", NULL},
        &r);
    run_free(&r);
    snprintf(path, sizeof(path), "%s/out2", dir);
    run((const char *[]){"compare", a, other, "--out", path, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "has 2 scenarios and") != NULL && strstr(r.err, " 5:") != NULL,
              "stderr: %s", r.err);
    CHECK(!exists(path));
    run_free(&r);
    test_remove_dir(dir);
}

/* Sweep points are exact runs at the same values, number for number: each
 * dose's P(RP2D) and the none row's, and the point's P(no RP2D), mean
 * patients and mean DLTs. */
static void test_sweep_equals_exact(void)
{
    char *dir = test_temp_dir();
    char sweep_csv[4200], file[4200], out[4300], text[512];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    for (int all = 0; all < 2; all++) {
        /* A file each: the two sweeps are two runs (cli/no_silent_loss). */
        snprintf(sweep_csv, sizeof(sweep_csv), "%s/sweep_%s.csv", dir, all ? "all" : "2");
        if (all) {
            run((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "all",
                                 "--from", "0.5", "--to", "2", "--step", "0.75", "--out", sweep_csv,
                                 "--quiet", NULL},
                &r);
        } else {
            run((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "2", "--from",
                                 "0.1", "--to", "0.35", "--step", "0.05", "--out", sweep_csv,
                                 "--quiet", NULL},
                &r);
        }
        CHECK_INT_EQ(r.status, 0);
        run_free(&r);
        table_t sweep;
        int points = 0;
        bool loaded = CHECK(table_load(&sweep, sweep_csv));
        for (int k = 0; loaded && k < sweep.n_rows; k++) {
            if (strcmp(table_cell(&sweep, k, "dose_level"), "1") != 0) {
                continue; /* one exact run per value: on its first dose's row */
            }
            const char *value = table_cell(&sweep, k, "sweep_value");
            CHECK_STR_EQ(table_cell(&sweep, k, "sweep_vary"), all ? "all" : "2");
            int at[3];
            for (int level = 0; level <= 2; level++) {
                char level_text[4];
                snprintf(level_text, sizeof(level_text), "%d", level);
                at[level] =
                    table_find(&sweep, 0, "sweep_value", value, "dose_level", level_text, NULL);
            }
            if (!CHECK_MSG(at[0] >= 0 && at[2] >= 0, "value %s: no none or 200 mg row", value)) {
                continue;
            }
            /* The scenario as swept: each dose's p_dlt is in its row. */
            snprintf(file, sizeof(file), "%s/point.csv", dir);
            snprintf(text, sizeof(text),
                     "scenario,dose_level,dose_label,p_dlt\nborderline,1,100 mg,%s\n"
                     "borderline,2,200 mg,%s\n",
                     table_cell(&sweep, at[1], "p_dlt"), table_cell(&sweep, at[2], "p_dlt"));
            CHECK(test_write_file(file, text));
            snprintf(out, sizeof(out), "%s/exact_%d_%d", dir, all, points);
            run((const char *[]){"exact", file, "--out", out, "--quiet", NULL}, &r);
            CHECK_INT_EQ(r.status, 0);
            run_free(&r);
            char path[4400];
            table_t doses, summary;
            snprintf(path, sizeof(path), "%s/doses.csv", out);
            bool got_doses = table_load(&doses, path);
            snprintf(path, sizeof(path), "%s/summary.csv", out);
            if (CHECK(got_doses && table_load(&summary, path))) {
                for (int level = 0; level <= 2; level++) {
                    char level_text[4];
                    snprintf(level_text, sizeof(level_text), "%d", level);
                    int row = table_find(&doses, 0, "dose_level", level_text, NULL);
                    CHECK_MSG(row >= 0 && table_number(&sweep, at[level], "prob_rp2d") ==
                                              table_number(&doses, row, "prob_rp2d"),
                              "value %s, level %d: P(RP2D) differs from exact's", value, level);
                }
                static const char *const per_point[] = {"prob_no_rp2d", "mean_n_treated",
                                                        "mean_n_evaluable", "sd_n_evaluable",
                                                        "mean_n_dlt"};
                for (int c = 0; c < 5; c++) {
                    CHECK_MSG(table_number(&sweep, k, per_point[c]) ==
                                  table_number(&summary, 0, per_point[c]),
                              "value %s: %s differs from exact's", value, per_point[c]);
                }
                points++;
                table_free(&summary);
            }
            if (got_doses) {
                table_free(&doses);
            }
        }
        CHECK_INT_EQ(points, all ? 3 : 6); /* 0.5, 1.25, 2 and 0.1, 0.15, ..., 0.35 */
        if (loaded) {
            table_free(&sweep);
        }
    }
    test_remove_dir(dir);
}

/* PNG signature and IHDR dimensions of a file. */
static bool png_size(const char *path, unsigned *width, unsigned *height)
{
    size_t len = 0;
    unsigned char *bytes = (unsigned char *)test_read_file(path, &len);
    bool ok = bytes != NULL && len > 33 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0 &&
              memcmp(bytes + 12, "IHDR", 4) == 0;
    if (ok) {
        *width = (unsigned)bytes[16] << 24 | (unsigned)bytes[17] << 16 | (unsigned)bytes[18] << 8 |
                 bytes[19];
        *height = (unsigned)bytes[20] << 24 | (unsigned)bytes[21] << 16 | (unsigned)bytes[22] << 8 |
                  bytes[23];
    }
    free(bytes);
    return ok;
}

static void test_plot(void)
{
    run_t r;
    if (!have_gnuplot()) {
        return;
    }
    char *dir = test_temp_dir();
    char out[4200], figures[4200], png[4300];
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(out, sizeof(out), "%s/results", dir);
    snprintf(figures, sizeof(figures), "%s/figures", dir);
    run((const char *[]){"run", DATA, "--trials", "20000", TIMED, "--out", out, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    snprintf(png, sizeof(png), "%s/sweep_borderline.csv", out);
    run((const char *[]){"sweep", DATA, "--scenario", "borderline", "--vary", "1", "--from", "0",
                         "--to", "0.5", "--step", "0.1", "--out", png, "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 0);
    run_free(&r);
    run((const char *[]){"plot", out, "--out", figures, NULL}, &r);
    CHECK_MSG(r.status == 0, "plot: %s", r.err);
    run_free(&r);
    static const char *const pngs[] = {"selection.png", "sample_size.png", "duration.png",
                                       "sweep_borderline.png"};
    for (int i = 0; i < 4; i++) {
        unsigned width = 0, height = 0;
        snprintf(png, sizeof(png), "%s/%s", figures, pngs[i]);
        /* 960 wide; as tall as its panels need (tests/test_figures.c checks what they show). */
        bool is_png = png_size(png, &width, &height);
        CHECK_MSG(is_png && width == 960 && height >= 540 && height <= 2000,
                  "%s: not a PNG 960 wide, 540 to 2000 high (%ux%u)", pngs[i], width, height);
    }
    /* Refusals, with clear messages. */
    char empty[4300], partial[4400];
    snprintf(empty, sizeof(empty), "%s/empty", dir);
    CHECK(mkdir(empty, 0777) == 0);
    run((const char *[]){"plot", empty, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "no results to plot: expected summary.csv, doses.csv and "
                        "sample_size.csv") != NULL);
    run_free(&r);
    snprintf(partial, sizeof(partial), "%s/summary.csv", empty);
    CHECK(test_write_file(partial, "scenario,method\nx,mc\n"));
    run((const char *[]){"plot", empty, NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "has only part of a result") != NULL);
    run_free(&r);
    run((const char *[]){"plot", "no-such-folder", NULL}, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK(strstr(r.err, "no-such-folder: no such folder") != NULL);
    run_free(&r);
    test_remove_dir(dir);
}

/* ---- all or nothing: failures and interruptions leave no file behind ---- */

/* A run with per-trial output long enough to interrupt: whatever signal ends it
 * once it is writing (those it handles, and SIGKILL, which no process can),
 * its output folder is never made and no file is left beside the per-trial
 * file, named or temporary: nothing it writes has a name until it is complete. */
static void test_interrupted_runs_leave_nothing(void)
{
    static const int signals[] = {SIGTERM, SIGINT,  SIGHUP,  SIGQUIT, SIGUSR1,
                                  SIGUSR2, SIGALRM, SIGXCPU, SIGKILL};
    for (size_t k = 0; k < sizeof(signals) / sizeof(signals[0]); k++) {
        char *dir = test_temp_dir();
        char out[4200], csv_dir[4200], csv[4300];
        pid_t pid = -1;
        run_t r;
        if (!CHECK(dir != NULL)) {
            return;
        }
        snprintf(out, sizeof(out), "%s/out", dir);
        snprintf(csv_dir, sizeof(csv_dir), "%s/trials", dir);
        snprintf(csv, sizeof(csv), "%s/trials.csv", csv_dir);
        CHECK(mkdir(csv_dir, 0777) == 0);
        limits_t background = {.background = &pid};
        run_limited(program(),
                    (const char *[]){"run", DATA, "--trials", "1e9", "--out", out, "--trials-csv",
                                     csv, "--quiet", NULL},
                    NULL, NULL, &background, &r);
        run_free(&r);
        /* Wait until the per-trial file is being written. */
        bool writing = false;
        char real[PATH_MAX + 1] = "";
        if (realpath(csv_dir, real) == NULL) {
            real[0] = '\0';
        }
        for (int i = 0; i < 400 && !writing; i++) {
            writing = writes_into(pid, real);
            if (!writing) {
                usleep(10000);
            }
        }
        CHECK_MSG(writing, "the run never started writing %s", csv);
        char *names = list_folder(csv_dir);
        CHECK_MSG(names != NULL && names[0] == '\0', "while writing, %s holds: %s", csv_dir,
                  names != NULL ? names : "?");
        free(names);
        usleep(20000);
        CHECK(pid > 0 && kill(pid, signals[k]) == 0);
        int status = 0;
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == signals[k],
                  "signal %d: the run did not die of it", signals[k]);
        CHECK_MSG(folder_is_empty(csv_dir), "signal %d left a file in %s", signals[k], csv_dir);
        CHECK_MSG(!exists(out), "signal %d: the interrupted run left its new folder %s", signals[k],
                  out);
        test_remove_dir(dir);
    }
}

/* A full disk: writes fail with ENOSPC on a 64 KiB tmpfs (where mounting is
 * allowed) and with EFBIG under a file-size limit; the run says so, exits 1,
 * and leaves nothing behind. */
static void test_full_disk_leaves_nothing(void)
{
    char *dir = test_temp_dir();
    char small[4200], out[4300], csv[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(small, sizeof(small), "%s/small", dir);
    CHECK(mkdir(small, 0777) == 0);
    bool mounted = mount("tmpfs", small, "tmpfs", 0, "size=64k") == 0;
    snprintf(out, sizeof(out), "%s/out", small);
    snprintf(csv, sizeof(csv), "%s/trials.csv", small);
    if (mounted) {
        run((const char *[]){"run", DATA, "--trials", "20000", "--out", out, "--trials-csv", csv,
                             "--quiet", NULL},
            &r);
        CHECK_INT_EQ(r.status, 1);
        CHECK_MSG(strstr(r.err, "trials.csv: cannot write: No space left on device") != NULL,
                  "stderr: %s", r.err);
        run_free(&r);
        CHECK(!exists(csv));
        CHECK_MSG(!exists(out), "the failed run left its new folder %s", out);
        char *names = list_folder(small);
        CHECK_MSG(names != NULL && strstr(names, ".tmp-") == NULL, "left behind: %s", names);
        free(names);
        /* Figures that do not fit: plot says so, exit 1, and leaves no figure,
         * whole or cut (gnuplot draws into a pipe; dosesim writes the file). */
        char results[4300], figures[4300];
        snprintf(results, sizeof(results), "%s/results", dir);
        snprintf(figures, sizeof(figures), "%s/figures", small);
        run((const char *[]){"run", DATA, "--trials", "20000", "--accrual", "3", "--out", results,
                             "--quiet", NULL},
            &r);
        run_free(&r);
        run((const char *[]){"plot", results, "--out", figures, NULL}, &r);
        CHECK_MSG(r.status == 1 && strstr(r.err, "No space left on device") != NULL &&
                      strstr(r.out, "wrote") == NULL && strstr(r.out, "PNG") == NULL,
                  "plot on a full disk: %d %s", r.status, r.err);
        run_free(&r);
        CHECK_MSG(!exists(figures), "plot on a full disk left %s", figures);
        CHECK(umount(small) == 0);
    }
    /* A file-size limit of 16 KiB: the per-trial CSV cannot be finished. */
    limits_t limited = {.file_size_limit = 16384};
    run_limited(program(),
                (const char *[]){"run", DATA, "--trials", "20000", "--out", out, "--trials-csv",
                                 csv, "--quiet", NULL},
                NULL, NULL, &limited, &r);
    CHECK_INT_EQ(r.status, 1);
    CHECK_MSG(strstr(r.err, "trials.csv: cannot write: File too large") != NULL, "stderr: %s",
              r.err);
    run_free(&r);
    char *names = list_folder(small);
    CHECK_MSG(names != NULL && strstr(names, ".tmp-") == NULL &&
                  strstr(names, "trials.csv") == NULL,
              "left behind: %s", names);
    free(names);
    CHECK_MSG(!exists(out), "the failed run left its new folder %s", out);
    /* 600 bytes: doses.csv (about 500) would fit, summary.csv (about 900) not;
     * the results are kept whole or not at all. */
    limited.file_size_limit = 600;
    run_limited(program(),
                (const char *[]){"run", DATA, "--trials", "1000", "--out", out, "--quiet", NULL},
                NULL, NULL, &limited, &r);
    CHECK_INT_EQ(r.status, 1);
    CHECK_MSG(strstr(r.err, "summary.csv: cannot write: File too large") != NULL, "stderr: %s",
              r.err);
    run_free(&r);
    CHECK_MSG(!exists(out), "the failed run left its new folder %s", out);
    test_remove_dir(dir);
}

/* A run whose results cannot be put in place (a folder where summary.csv
 * goes) is refused before any work, and leaves an existing per-trial file as
 * it was. */
static void test_failed_run_keeps_trials_csv(void)
{
    char *dir = test_temp_dir();
    char out[4200], blocker[4300], csv[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(out, sizeof(out), "%s/out", dir);
    snprintf(blocker, sizeof(blocker), "%s/summary.csv", out);
    snprintf(csv, sizeof(csv), "%s/trials.csv", dir);
    CHECK(mkdir(out, 0777) == 0 && mkdir(blocker, 0777) == 0);
    CHECK(test_write_file(csv, "old\n"));
    run((const char *[]){"run", DATA, "--trials", "1000", "--out", out, "--trials-csv", csv,
                         "--quiet", NULL},
        &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "out/summary.csv: is a folder; give a file name") != NULL, "stderr: %s",
              r.err);
    run_free(&r);
    char *text = test_read_file(csv, NULL);
    CHECK_MSG(text != NULL && strcmp(text, "old\n") == 0, "the per-trial file was replaced");
    free(text);
    char *names = list_folder(dir);
    CHECK_MSG(names != NULL && strstr(names, ".tmp-") == NULL, "left behind: %s", names);
    free(names);
    test_remove_dir(dir);
}

/* Standard output that cannot be written (here past a 200-byte file-size
 * limit) makes a trace fail: exit 1 and a message, not a silent half. */
static void test_stdout_write_error(void)
{
    run_t r;
    limits_t limited = {.file_size_limit = 200};
    run_limited(program(),
                (const char *[]){"trace", DATA, "--scenario", "toxic", "--trial", "7", NULL}, NULL,
                NULL, &limited, &r);
    CHECK_INT_EQ(r.status, 1);
    CHECK_MSG(strstr(r.err, "cannot write to standard output") != NULL, "stderr: %s", r.err);
    run_free(&r);
}

/* Copy a file byte for byte, giving the copy mode; false on any failure. */
static bool copy_file(const char *from, const char *to, mode_t mode)
{
    size_t len = 0;
    char *bytes = test_read_file(from, &len);
    FILE *f = bytes != NULL ? fopen(to, "wb") : NULL;
    bool ok = f != NULL && fwrite(bytes, 1, len, f) == len;
    ok = f != NULL && fclose(f) == 0 && ok;
    free(bytes);
    return ok && chmod(to, mode) == 0;
}

/* Without permission (user nobody; root would ignore the modes): a read-only
 * output folder, and an unreadable scenario file. */
static void test_permissions(void)
{
    if (geteuid() != 0) {
        test_skip("needs root, to run the program as nobody");
        return;
    }
    char *dir = test_temp_dir();
    char ro[4200], out[4300], unreadable[4300], data[4300], prog[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    /* The program and its input go where nobody can reach them: the checkout
     * itself may sit in a folder only root may enter (mktemp -d makes those). */
    CHECK(chmod(dir, 0755) == 0);
    snprintf(prog, sizeof(prog), "%s/dosesim", dir);
    snprintf(data, sizeof(data), "%s/two_dose.csv", dir);
    if (!CHECK(copy_file(program(), prog, 0755)) || !CHECK(copy_file(DATA, data, 0644))) {
        test_remove_dir(dir);
        return;
    }
    snprintf(ro, sizeof(ro), "%s/read-only", dir);
    CHECK(mkdir(ro, 0555) == 0);
    snprintf(out, sizeof(out), "%s/out", ro);
    limits_t nobody = {.as_nobody = true};
    run_limited(prog, (const char *[]){"run", data, "--trials", "1000", "--out", out, NULL}, NULL,
                NULL, &nobody, &r);
    CHECK_INT_EQ(r.status, 1);
    CHECK_MSG(strstr(r.err, "read-only/out: cannot create folder: Permission denied") != NULL,
              "stderr: %s", r.err);
    run_free(&r);
    CHECK(folder_is_empty(ro));
    /* The folder exists but cannot be written: said before the run, not after it. */
    CHECK(chmod(ro, 0777) == 0 && mkdir(out, 0555) == 0 && chmod(ro, 0555) == 0);
    run_limited(prog, (const char *[]){"run", data, "--trials", "1000", "--out", out, NULL}, NULL,
                NULL, &nobody, &r);
    CHECK_INT_EQ(r.status, 1);
    CHECK_MSG(strstr(r.err, "read-only/out: cannot write in this folder: Permission denied") !=
                  NULL,
              "stderr: %s", r.err);
    CHECK_MSG(strstr(r.err, "trials in") == NULL, "the run went ahead: %s", r.err);
    run_free(&r);
    CHECK(folder_is_empty(out));
    snprintf(unreadable, sizeof(unreadable), "%s/secret.csv", dir);
    CHECK(test_write_file(unreadable, "scenario,dose_level,dose_label,p_dlt\na,1,x,0.1\n"));
    CHECK(chmod(unreadable, 0) == 0);
    run_limited(prog, (const char *[]){"run", unreadable, "--trials", "100", "--out", out, NULL},
                NULL, NULL, &nobody, &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "secret.csv: cannot open: Permission denied") != NULL, "stderr: %s",
              r.err);
    run_free(&r);
    CHECK(chmod(ro, 0755) == 0 && chmod(out, 0755) == 0);
    test_remove_dir(dir);
}

/* ---- no silent loss: results of another run are replaced only when asked ---- */

/* Every name in a folder with its bytes (folders marked as such): to tell
 * that nothing in it changed. Malloc'ed, or NULL. */
static char *folder_bytes(const char *dir)
{
    char *names = list_folder(dir);
    if (names == NULL) {
        return NULL;
    }
    size_t size = strlen(names) + 64, used = 0;
    char *all = malloc(size);
    for (char *name = names; all != NULL && *name != '\0';) {
        char *end = strchr(name, '\n');
        *end = '\0';
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        struct stat st;
        size_t len = 0;
        char *bytes =
            lstat(path, &st) == 0 && S_ISREG(st.st_mode) ? test_read_file(path, &len) : NULL;
        char *grown = realloc(all, size + strlen(name) + len + 64);
        if (grown == NULL) {
            free(all);
            all = NULL;
        } else {
            all = grown;
            size += strlen(name) + len + 64;
            used += (size_t)snprintf(all + used, size - used, "%s %s %zu:", name,
                                     S_ISDIR(st.st_mode) ? "folder" : "file", len);
            memcpy(all + used, bytes != NULL ? bytes : "", len);
            used += len;
            all[used++] = '\n';
            all[used] = '\0';
        }
        free(bytes);
        name = end + 1;
    }
    free(names);
    return all;
}

/* Whether text is safe to show on a terminal: valid UTF-8 with no control
 * character (C0 but the line end, DEL, C1), so no escape sequence. */
static bool terminal_safe(const char *text)
{
    const unsigned char *c = (const unsigned char *)text;
    while (*c != '\0') {
        if (*c < 0x80) {
            if ((*c < 0x20 && *c != '\n') || *c == 0x7f) {
                return false;
            }
            c++;
            continue;
        }
        int n = (*c & 0xe0) == 0xc0 ? 1 : (*c & 0xf0) == 0xe0 ? 2 : (*c & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || *c == 0xc0 || *c == 0xc1 || *c > 0xf4) {
            return false;
        }
        unsigned code = *c & (0x3fu >> n);
        for (int k = 1; k <= n; k++) {
            if ((c[k] & 0xc0) != 0x80) {
                return false;
            }
            code = code << 6 | (c[k] & 0x3fu);
        }
        if ((code >= 0x80 && code <= 0x9f) || (n == 2 && code < 0x800) ||
            (n == 3 && code < 0x10000) || (code >= 0xd800 && code <= 0xdfff)) {
            return false; /* C1, an overlong form or a surrogate */
        }
        c += n + 1;
    }
    return true;
}

/* A CSV line from cells, each quoted (so that commas, quotes and line ends in
 * them stay cells). */
static void put_row(FILE *f, const char *const *cells, int n)
{
    for (int i = 0; i < n; i++) {
        fputs(i > 0 ? ",\"" : "\"", f);
        for (const char *c = cells[i]; *c != '\0'; c++) {
            if (*c == '"') {
                fputc('"', f);
            }
            fputc(*c, f);
        }
        fputc('"', f);
    }
    fputc('\n', f);
}

/* Write path as the CSV at model with the cells of its first data row's
 * columns names[k] set to values[k] (n of them), and that row only. */
static bool write_edited(const char *model, const char *path, const char *const *names,
                         const char *const *values, int n)
{
    table_t t;
    if (!table_load(&t, model) || t.n_rows == 0) {
        return false;
    }
    FILE *f = fopen(path, "w");
    bool ok = f != NULL;
    if (ok) {
        put_row(f, (const char *const *)t.header, t.n_cols);
        const char *cells[128];
        for (int c = 0; c < t.n_cols && c < 128; c++) {
            cells[c] = t.rows[0][c];
            for (int k = 0; k < n; k++) {
                cells[c] = strcmp(t.header[c], names[k]) == 0 ? values[k] : cells[c];
            }
        }
        put_row(f, cells, t.n_cols < 128 ? t.n_cols : 128);
        ok = fclose(f) == 0;
    }
    table_free(&t);
    return ok;
}

/* Run args (NULL-ended) into a folder or file that holds another run's
 * results: refused with EXIT_BAD_INPUT (2: the file is input the command will
 * not overwrite), stderr naming the file and every word of want (NULL-ended),
 * terminal-safe, and the folder's bytes as they were. */
static void check_refused(const char *what, const char *const *args, const char *folder,
                          const char *file, const char *const *want)
{
    char *before = folder_bytes(folder);
    run_t r;
    run(args, &r);
    CHECK_MSG(r.status == 2, "%s: exit status %d, expected 2 (refused): %s", what, r.status, r.err);
    CHECK_MSG(strstr(r.err, file) != NULL && strstr(r.err, "nothing was replaced") != NULL &&
                  strstr(r.err, "--replace") != NULL && strstr(r.err, "--out") != NULL,
              "%s: the refusal does not name %s, --out and --replace: %s", what, file, r.err);
    for (int k = 0; want != NULL && want[k] != NULL; k++) {
        CHECK_MSG(strstr(r.err, want[k]) != NULL, "%s: stderr lacks \"%s\": %s", what, want[k],
                  r.err);
    }
    CHECK_MSG(terminal_safe(r.err) && terminal_safe(r.out),
              "%s: a control character or invalid UTF-8 reached the terminal", what);
    CHECK_MSG(strstr(r.out, "P(RP2D)") == NULL && strstr(r.out, "wrote") == NULL,
              "%s: ran after all: %s", what, r.out);
    char *after = folder_bytes(folder);
    CHECK_MSG(before != NULL && after != NULL && strcmp(before, after) == 0,
              "%s: %s changed though the command was refused", what, folder);
    free(before);
    free(after);
    run_free(&r);
}

/* Run args and expect success; false if not. */
static bool ran_ok(const char *what, const char *const *args)
{
    run_t r;
    run(args, &r);
    bool ok = CHECK_MSG(r.status == 0 && strstr(r.err, "another run") == NULL, "%s: %d %s", what,
                        r.status, r.err);
    run_free(&r);
    return ok;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* A run never silently replaces another run's results: a second run with
 * other options is refused (the same run again replaces them silently,
 * --replace on purpose), whether its folder holds a result set, a summary.csv
 * from before run_id, or a hostile one whose cells never reach the terminal
 * raw; sweep and paths files likewise; default folders carry the design. */
/* The per-trial file of another run is not replaced either: refused with
 * exit status 2, the file unchanged; the same run again, or --replace, replaces. */
static void test_trials_csv_not_silently_replaced(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char trials[4200], a[4200], b[4200];
    snprintf(trials, sizeof(trials), "%s/trials.csv", dir);
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    run_t r;
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "500", "--seed", "1",
                         "--trials-csv", trials, "--out", a, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 0, "first run: %s", r.err);
    run_free(&r);
    char *before = test_read_file(trials, NULL);
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "500", "--seed", "2",
                         "--trials-csv", trials, "--out", b, "--quiet", NULL},
        &r);
    CHECK_MSG(r.status == 2 &&
                  strstr(r.err, "trials.csv holds the per-trial rows of another run") &&
                  strstr(r.err, "seed 1 there, 2 here") != NULL,
              "status %d: %s", r.status, r.err);
    run_free(&r);
    char *after = test_read_file(trials, NULL);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    CHECK(!exists(b)); /* refused before any work: no result set either */
    free(after);
    run((const char *[]){"run", "tests/data/two_dose.csv", "--trials", "500", "--seed", "2",
                         "--trials-csv", trials, "--out", b, "--quiet", "--replace", NULL},
        &r);
    CHECK_MSG(r.status == 0, "with --replace: %s", r.err);
    run_free(&r);
    after = test_read_file(trials, NULL);
    CHECK(after != NULL && before != NULL && strcmp(before, after) != 0);
    free(before);
    free(after);
    test_remove_dir(dir);
}

static void test_no_silent_loss(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    char out[4200], summary[4300], path[4300];
    snprintf(out, sizeof(out), "%s/out", dir);
    snprintf(summary, sizeof(summary), "%s/summary.csv", out);
    ran_ok("the first run",
           (const char *[]){"run", DATA, "--trials", "1000", "--out", out, "--quiet", NULL});
    char *first = folder_bytes(out);
    /* Another seed: refused, naming summary.csv and what differs. */
    check_refused(
        "another seed",
        (const char *[]){"run", DATA, "--trials", "1000", "--seed", "7", "--out", out, NULL}, out,
        summary,
        (const char *[]){"dosesim run: ", "holds the results of another run",
                         "(seed 20261126 there, 7 here)", NULL});
    check_refused(
        "another seed and trial count",
        (const char *[]){"run", DATA, "--trials", "500", "--seed", "7", "--out", out, "--quiet",
                         NULL},
        out, summary,
        (const char *[]){"n_trials 1000 there, 500 here; seed 20261126 there, 7 here", NULL});
    check_refused("exact over run's results",
                  (const char *[]){"exact", DATA, "--out", out, "--quiet", NULL}, out, summary,
                  (const char *[]){"dosesim exact: ", "method mc there, exact here", NULL});
    check_refused("another target",
                  (const char *[]){"run", DATA, "--trials", "1000", "--target", "0.3", "--out", out,
                                   "--quiet", NULL},
                  out, summary, (const char *[]){"target 0.25 there, 0.3 here", NULL});
    /* The same run again: replaced, silently (a new file, the same bytes). */
    ino_t inode = inode_of(summary);
    ran_ok("the same run again",
           (const char *[]){"run", DATA, "--trials", "1000", "--out", out, "--quiet", NULL});
    char *again = folder_bytes(out);
    CHECK(first != NULL && again != NULL && strcmp(first, again) == 0);
    CHECK_MSG(inode_of(summary) != inode, "the same run did not replace summary.csv");
    free(again);
    free(first);
    /* --replace: replaced on purpose. */
    ran_ok("--replace", (const char *[]){"run", DATA, "--trials", "1000", "--seed", "7", "--out",
                                         out, "--quiet", "--replace", NULL});
    table_t t;
    if (CHECK(table_load(&t, summary))) {
        CHECK_INT_EQ(table_count(&t, "seed", "7", NULL), 2);
        table_free(&t);
    }
    /* A summary.csv from an older dosesim (contract 1: no run_id), written by hand. */
    char old[4200], old_summary[4300];
    snprintf(old, sizeof(old), "%s/old", dir);
    snprintf(old_summary, sizeof(old_summary), "%s/summary.csv", old);
    CHECK(mkdir(old, 0777) == 0);
    CHECK(test_write_file(old_summary,
                          "scenario,method,design,deescalate,top_dose,start_level,n_levels,"
                          "n_trials,seed,prob_no_rp2d,mean_n\n"
                          "borderline,mc,3+3,yes,expand,1,2,1000,20261126,0.107,9.8\n"
                          "toxic,mc,3+3,yes,expand,1,2,1000,20261126,0.68,6.8\n"));
    check_refused("a summary.csv from before run_id",
                  (const char *[]){"run", DATA, "--trials", "1000", "--out", old, "--quiet", NULL},
                  old, old_summary, (const char *[]){"it has no run_id", NULL});
    /* ... or not a CSV at all (an open quote, a NUL): someone else's file, refused the same way. */
    FILE *garbage = fopen(old_summary, "wb");
    if (CHECK(garbage != NULL)) {
        fwrite("run_id,\"scenario\0\x1b[2J\n\xff", 1, 20, garbage);
        fclose(garbage);
    }
    check_refused("not a CSV at all",
                  (const char *[]){"exact", DATA, "--out", old, "--quiet", NULL}, old, old_summary,
                  (const char *[]){"it has no run_id", NULL});
    /* A hostile summary.csv: escape sequences, C0, DEL and C1 controls, invalid
     * UTF-8, a line end and a long cell in key cells, and another run_id. */
    char hostile[4200], hostile_summary[4300];
    snprintf(hostile, sizeof(hostile), "%s/hostile", dir);
    snprintf(hostile_summary, sizeof(hostile_summary), "%s/summary.csv", hostile);
    CHECK(mkdir(hostile, 0777) == 0);
    char long_cell[400];
    memset(long_cell, 'm', 100);
    for (int k = 0; k < 100; k++) {
        memcpy(long_cell + 100 + 2 * k, "\xc3\xa9", 2); /* e acute, cut anywhere */
    }
    long_cell[300] = '\0';
    CHECK(write_edited(summary, hostile_summary,
                       (const char *[]){"run_id", "scenario", "design", "method", "top_dose",
                                        "n_trials", "seed", "dlt_onset", "target"},
                       (const char *[]){"r\x1b[2J\x1b]0;owned\x07", "\xff\xfe\x1b[31mred",
                                        "3+3\x1b[6n", long_cell, "expand\r\nX", "1000\x7f",
                                        "7\x1b]0;title\x07",
                                        "none\xc2\x9b"
                                        "2J",
                                        "0.25\x01"},
                       9));
    check_refused("a hostile summary.csv",
                  (const char *[]){"run", DATA, "--trials", "1000", "--out", hostile, NULL},
                  hostile, hostile_summary,
                  (const char *[]){"scenario (unreadable) there", "design (unreadable) there",
                                   "seed (unreadable) there", "dlt_onset (unreadable) there",
                                   "top_dose (unreadable) there", NULL});
    /* ... and one whose only hostile cell is its run_id: the message shows it too. */
    CHECK(write_edited(summary, hostile_summary, (const char *[]){"run_id"},
                       (const char *[]){"r\x1b[2J\x9b\xff"}, 1));
    check_refused("a hostile run_id",
                  (const char *[]){"run", DATA, "--trials", "1000", "--seed", "7", "--out", hostile,
                                   "--quiet", NULL},
                  hostile, hostile_summary, (const char *[]){"run_id (unreadable) there", NULL});
    /* Sweeps: another grid, another scenario, a file from before run_id. */
    char sweep[4300];
    snprintf(sweep, sizeof(sweep), "%s/sweep.csv", dir);
#define SWEEP_ARGS(scenario, to)                                                                   \
    "sweep", DATA, "--scenario", scenario, "--vary", "2", "--from", "0.1", "--to", to, "--step",   \
        "0.1", "--out", sweep, "--quiet"
    ran_ok("a sweep", (const char *[]){SWEEP_ARGS("toxic", "0.3"), NULL});
    check_refused("a sweep over another grid", (const char *[]){SWEEP_ARGS("toxic", "0.4"), NULL},
                  dir, sweep,
                  (const char *[]){"dosesim sweep: ", "holds a sweep of another run",
                                   "another grid (--vary, --from, --to, --step)", NULL});
    check_refused("a sweep of another scenario",
                  (const char *[]){SWEEP_ARGS("borderline", "0.3"), NULL}, dir, sweep,
                  (const char *[]){"scenario toxic there, borderline here", NULL});
    ran_ok("the same sweep again", (const char *[]){SWEEP_ARGS("toxic", "0.3"), NULL});
    ran_ok("a sweep with --replace",
           (const char *[]){SWEEP_ARGS("toxic", "0.4"), "--replace", NULL});
    if (CHECK(table_load(&t, sweep))) {
        CHECK_INT_EQ(table_count(&t, "sweep_value", "0.4", NULL), 3); /* none, 100 mg, 200 mg */
        table_free(&t);
    }
    CHECK(test_write_file(sweep, "scenario,vary,value,dose_level,dose_label,p_dlt,prob_rp2d\n"
                                 "toxic,2,0.1,1,100 mg,0.35,0.5\n"));
    check_refused("a sweep file from before run_id",
                  (const char *[]){SWEEP_ARGS("toxic", "0.3"), NULL}, dir, sweep,
                  (const char *[]){"it has no run_id", NULL});
#undef SWEEP_ARGS
    /* Path listings: another scenario, other rules. */
    char paths[4300];
    snprintf(paths, sizeof(paths), "%s/paths.csv", dir);
    ran_ok("a listing",
           (const char *[]){"paths", DATA, "--scenario", "toxic", "--out", paths, "--quiet", NULL});
    check_refused("a listing of another scenario",
                  (const char *[]){"paths", DATA, "--scenario", "borderline", "--out", paths,
                                   "--quiet", NULL},
                  dir, paths,
                  (const char *[]){"dosesim paths: ", "holds a path listing of another run",
                                   "scenario toxic there, borderline here", NULL});
    check_refused("a listing under other rules",
                  (const char *[]){"paths", DATA, "--scenario", "toxic", "--deescalate", "no",
                                   "--out", paths, "--quiet", NULL},
                  dir, paths, (const char *[]){"deescalate yes there, no here", NULL});
    ran_ok("the same listing again",
           (const char *[]){"paths", DATA, "--scenario", "toxic", "--out", paths, "--quiet", NULL});
    ran_ok("a listing with --replace",
           (const char *[]){"paths", DATA, "--scenario", "borderline", "--out", paths, "--quiet",
                            "--replace", NULL});
    if (CHECK(table_load(&t, paths))) {
        CHECK_INT_EQ(table_count(&t, "scenario", "borderline", NULL), t.n_rows);
        table_free(&t);
    }
    /* Default names: the design's folder, a sweep's --vary, side by side, and
     * the refusal naming the default file. In a folder of its own, with a copy
     * of the scenario file. */
    char work[4200], copy[4300];
    snprintf(work, sizeof(work), "%s/work", dir);
    snprintf(copy, sizeof(copy), "%s/s.csv", work);
    char *text = test_read_file(DATA, NULL);
    CHECK(mkdir(work, 0777) == 0 && text != NULL && test_write_file(copy, text));
    free(text);
    static const char *const runs[][16] = {
        {"run", "s.csv", "--trials", "1000", "--design", "3+3+3", "--quiet", NULL},
        {"run", "s.csv", "--trials", "1000", "--quiet", NULL},
        {"run", "s.csv", "--trials", "1000", "--deescalate", "no", "--quiet", NULL},
        {"exact", "s.csv", "--design", "3+3+3", "--quiet", NULL},
        {"paths", "s.csv", "--scenario", "toxic", "--design", "3+3+3", "--quiet", NULL},
        {"sweep", "s.csv", "--scenario", "toxic", "--vary", "2", "--from", "0.1", "--to", "0.3",
         "--step", "0.1", "--quiet", NULL},
        {"sweep", "s.csv", "--scenario", "toxic", "--vary", "all", "--from", "0.5", "--to", "1",
         "--step", "0.5", "--quiet", NULL},
    };
    static const char *const made[][2] = {
        {"results/s/3plus3plus3/summary.csv", "3+3+3"},
        {"results/s/summary.csv", "3+3"},
        {"results/s/deescalate-no/summary.csv", "3+3"},
        {"results/s/3plus3plus3/exact/summary.csv", "3+3+3"},
        {"results/s/3plus3plus3/paths_toxic.csv", "3+3+3"},
        {"results/s/sweep_toxic_vary-2.csv", "3+3"},
        {"results/s/sweep_toxic_vary-all.csv", "3+3"},
    };
    for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
        run_t r;
        run_in(work, runs[k], &r);
        CHECK_MSG(r.status == 0, "%s %s: %d %s", runs[k][0], made[k][0], r.status, r.err);
        run_free(&r);
    }
    for (size_t k = 0; k < sizeof(made) / sizeof(made[0]); k++) {
        snprintf(path, sizeof(path), "%s/%s", work, made[k][0]);
        if (CHECK_MSG(table_load(&t, path), "%s was not written", made[k][0])) {
            CHECK_MSG(t.n_rows > 0 && table_count(&t, "design", made[k][1], NULL) == t.n_rows,
                      "%s: not every row names design %s", made[k][0], made[k][1]);
            table_free(&t);
        }
    }
    /* The 3+3+3 run again with another seed: refused, naming its default file. */
    run_t r;
    snprintf(path, sizeof(path), "%s/results/s/3plus3plus3", work);
    char *before = folder_bytes(path);
    run_in(work,
           (const char *[]){"run", "s.csv", "--trials", "1000", "--design", "3+3+3", "--seed", "7",
                            "--quiet", NULL},
           &r);
    CHECK_MSG(r.status == 2 &&
                  strstr(r.err, "results/s/3plus3plus3/summary.csv holds the results of another "
                                "run (seed 20261126 there, 7 here)") != NULL,
              "%d %s", r.status, r.err);
    run_free(&r);
    char *after = folder_bytes(path);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    free(before);
    free(after);
    test_remove_dir(dir);
}

/* Seeds run from 0 to 2^53 - 1 (every file records the seed, and R and pandas
 * hold whole numbers exactly below 2^53): the largest is taken, written and
 * told; one more is refused naming the option and the limit, nothing written
 * (tests/bad_inputs.txt has the other refusals, and --overdose-limit's). */
static void test_largest_seed(void)
{
    char *dir = test_temp_dir();
    char out[4200], path[4300];
    run_t r;
    if (!CHECK(dir != NULL)) {
        return;
    }
    snprintf(out, sizeof(out), "%s/out", dir);
    run((const char *[]){"run", DATA, "--trials", "1000", "--seed", "9007199254740991", "--out",
                         out, NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    CHECK(strstr(r.out, "seed 9007199254740991") != NULL);
    run_free(&r);
    for (int k = 0; k < 4; k++) {
        table_t t;
        snprintf(path, sizeof(path), "%s/%s", out, ds_result_file_names[k]);
        if (CHECK(table_load(&t, path))) {
            CHECK_INT_EQ(table_count(&t, "seed", "9007199254740991", NULL), t.n_rows);
            CHECK(k == DS_RESULT_DURATION || t.n_rows > 0);
            table_free(&t);
        }
    }
    run((const char *[]){"trace", DATA, "--scenario", "toxic", "--seed", "9007199254740991", NULL},
        &r);
    CHECK_MSG(r.status == 0 && strstr(r.out, "result: ") != NULL, "trace: %s", r.err);
    run_free(&r);
    snprintf(out, sizeof(out), "%s/refused", dir);
    run((const char *[]){"run", DATA, "--trials", "1000", "--seed", "9007199254740992", "--out",
                         out, NULL},
        &r);
    CHECK_INT_EQ(r.status, 2);
    CHECK_MSG(strstr(r.err, "--seed: 9007199254740992 is above 9007199254740991 (2^53 - 1)") !=
                  NULL,
              "%s", r.err);
    CHECK(!exists(out) && strcmp(r.out, "") == 0);
    run_free(&r);
    test_remove_dir(dir);
}

const test_case_t cli_tests[] = {
    {"help_and_commands", test_help_and_commands},
    {"help_lists_what_it_does", test_help_lists_what_it_does},
    {"run_reproducible", test_run_reproducible},
    {"golden_outputs", test_golden_outputs},
    {"golden_reshape", test_golden_reshape},
    {"default_output_folder", test_default_output_folder},
    {"bad_inputs", test_bad_inputs},
    {"scenario_selection_and_warning", test_scenario_selection_and_warning},
    {"annotated_scenario_files", test_annotated_scenario_files},
    {"exact_command", test_exact_command},
    {"closes_only_its_files", test_closes_only_its_files},
    {"paths_command", test_paths_command},
    {"threads_identical", test_threads_identical},
    {"shards_merge_identical", test_shards_merge_identical},
    {"target_options", test_target_options},
    {"merge_refusals", test_merge_refusals},
    {"mpi_identical", test_mpi_identical},
    {"slurm_example", test_slurm_example},
    {"timed_splits_identical", test_timed_splits_identical},
    {"timed_trials_csv", test_timed_trials_csv},
    {"trace_matches_trials_csv", test_trace_matches_trials_csv},
    {"trace_counts_add_up", test_trace_counts_add_up},
    {"trace_csv_matches_trials_csv", test_trace_csv_matches_trials_csv},
    {"sweep_equals_exact", test_sweep_equals_exact},
    {"designs_through_every_command", test_designs_through_every_command},
    {"ab_runs_as_three_plus_three", test_ab_runs_as_three_plus_three},
    {"compare", test_compare},
    {"plot", test_plot},
    {"interrupted_runs_leave_nothing", test_interrupted_runs_leave_nothing},
    {"full_disk_leaves_nothing", test_full_disk_leaves_nothing},
    {"failed_run_keeps_trials_csv", test_failed_run_keeps_trials_csv},
    {"stdout_write_error", test_stdout_write_error},
    {"permissions", test_permissions},
    {"no_silent_loss", test_no_silent_loss},
    {"trials_csv_not_silently_replaced", test_trials_csv_not_silently_replaced},
    {"largest_seed", test_largest_seed},
    {NULL, NULL},
};

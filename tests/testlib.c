/* The test runner: `run_tests` runs everything; `run_tests NAME...` runs the
 * tests (or whole suites) so named; `run_tests --list` lists them. */
#include "testlib.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "dosesim/sha256.h"
#include "dosesim/shard.h"

typedef struct {
    const char *name;
    const test_case_t *cases;
} suite_t;

static const suite_t suites[] = {
    {"rng", rng_tests},           {"design", design_tests},
    {"scenario", scenario_tests}, {"engine", engine_tests},
    {"exact", exact_tests},       {"shard", shard_tests},
    {"timing", timing_tests},     {"oc", oc_tests},
    {"report", report_tests},     {"csv", csv_tests},
    {"sha256", sha256_tests},     {"fileio", fileio_tests},
    {"cli", cli_tests},           {"safety", safety_tests},
    {"contract", contract_tests}, {"accuracy", accuracy_tests},
    {"markup", markup_tests},     {"report_cmd", report_cmd_tests},
    {"figures", figures_tests},   {"house", readme_tests},
    {"interval", interval_tests}, {"text", text_tests},
    {"optimise", optimise_tests}, {"backfill", backfill_tests},
};

/* The runner's own state; tests are run one at a time. */
static struct {
    int failures_in_test;
    const char *skipped_because;
} runner;

void test_skip(const char *why)
{
    runner.skipped_because = why;
}

bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
{
    if (!ok) {
        va_list ap;
        runner.failures_in_test++;
        fprintf(stderr, "    %s:%d: ", file, line);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    return ok;
}

bool test_check_int_eq(long long a, long long b, const char *file, int line, const char *a_text,
                       const char *b_text)
{
    return test_check(a == b, file, line, "%s == %s: %lld != %lld", a_text, b_text, a, b);
}

char *test_temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *path = malloc(4096);
    if (path == NULL) {
        return NULL;
    }
    snprintf(path, 4096, "%s/dosesim-test-XXXXXX", base != NULL && base[0] ? base : "/tmp");
    if (mkdtemp(path) == NULL) {
        free(path);
        return NULL;
    }
    return path;
}

void test_remove_dir(char *dir)
{
    if (dir != NULL && strstr(dir, "dosesim-test-") != NULL) {
        char command[4200];
        snprintf(command, sizeof(command), "rm -rf '%s'", dir);
        if (system(command) != 0) {
            fprintf(stderr, "    could not remove %s\n", dir);
        }
    }
    free(dir);
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        if (len != NULL) {
            *len = n;
        }
    }
    return buf;
}

bool test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return false;
    }
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

char *test_with_new_checksum(const char *text)
{
    size_t len = strlen(text);
    const char *last = strstr(text, "\n" DS_SHARD_CHECKSUM_RECORD ",");
    size_t keep = last != NULL ? (size_t)(last - text) + 1 : len;
    char hex[DS_SHA256_HEX_CHARS + 1];
    ds_sha256_hex(text, keep, hex);
    size_t size = keep + sizeof(DS_SHARD_CHECKSUM_RECORD) + DS_SHA256_HEX_CHARS + 3;
    char *out = malloc(size);
    if (out != NULL) {
        memcpy(out, text, keep);
        snprintf(out + keep, size - keep, "%s,%s\n", DS_SHARD_CHECKSUM_RECORD, hex);
    }
    return out;
}

/* A test runs when named as its lines print it (suite/test), by its suite,
 * or by its name alone; with no names, every test runs. */
static bool selected(const char *suite, const char *test, int argc, char **argv)
{
    if (argc < 2) {
        return true;
    }
    size_t suite_len = strlen(suite);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool full = strncmp(a, suite, suite_len) == 0 && a[suite_len] == '/' &&
                    strcmp(a + suite_len + 1, test) == 0;
        if (full || strcmp(a, suite) == 0 || strcmp(a, test) == 0) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    gsl_set_error_handler_off();
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
            for (const test_case_t *t = suites[s].cases; t->name != NULL; t++) {
                printf("%s/%s\n", suites[s].name, t->name);
            }
        }
        return 0;
    }
    for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
        for (const test_case_t *t = suites[s].cases; t->name != NULL; t++) {
            if (!selected(suites[s].name, t->name, argc, argv)) {
                continue;
            }
            runner.failures_in_test = 0;
            runner.skipped_because = NULL;
            t->run();
            if (runner.failures_in_test == 0 && runner.skipped_because != NULL) {
                skipped++;
                printf("skip  %s/%s (%s)\n", suites[s].name, t->name, runner.skipped_because);
            } else if (runner.failures_in_test == 0) {
                passed++;
                printf("ok    %s/%s\n", suites[s].name, t->name);
            } else {
                failed++;
                printf("FAIL  %s/%s\n", suites[s].name, t->name);
            }
            fflush(stdout);
        }
    }
    if (passed + failed + skipped == 0) {
        fprintf(stderr, "no test matches; run_tests --list shows them\n");
        return 2;
    }
    if (skipped > 0) {
        printf("%d skipped\n", skipped);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

const ds_scenario_t *test_scenario(test_scenario_t *f, const double *p, int n_levels)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "test");
    for (int d = 0; d < n_levels; d++) {
        f->p[d] = p[d];
        snprintf(f->label_text[d], sizeof(f->label_text[d]), "L%d", d + 1);
        f->labels[d] = f->label_text[d];
    }
    f->scenario =
        (ds_scenario_t){.name = f->name, .n_levels = n_levels, .labels = f->labels, .p_dlt = f->p};
    return &f->scenario;
}

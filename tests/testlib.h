/* A small test runner: suites of named tests, checks that report and go on,
 * one test runnable by name, and a closing line "N passed, N failed". */
#ifndef DOSESIM_TESTLIB_H
#define DOSESIM_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/scenario.h"

typedef struct {
    const char *name;
    void (*run)(void);
} test_case_t;

/* Each test_<module>.c defines one, ended by {NULL, NULL}. */
extern const test_case_t rng_tests[];
extern const test_case_t design_tests[];
extern const test_case_t scenario_tests[];
extern const test_case_t engine_tests[];
extern const test_case_t exact_tests[];
extern const test_case_t shard_tests[];
extern const test_case_t timing_tests[];
extern const test_case_t oc_tests[];
extern const test_case_t accuracy_tests[];
extern const test_case_t report_tests[];
extern const test_case_t csv_tests[];
extern const test_case_t sha256_tests[];
extern const test_case_t fileio_tests[];
extern const test_case_t cli_tests[];
extern const test_case_t safety_tests[];
extern const test_case_t contract_tests[];
extern const test_case_t markup_tests[];
extern const test_case_t report_cmd_tests[];
extern const test_case_t figures_tests[];
extern const test_case_t readme_tests[];
extern const test_case_t interval_tests[];
extern const test_case_t text_tests[];
extern const test_case_t optimise_tests[];
extern const test_case_t backfill_tests[];

/* A scenario over arrays it owns, for tests that make one up: named "test",
 * its levels labelled L1, L2, ... */
typedef struct {
    ds_scenario_t scenario;
    double p[DS_MAX_LEVELS];
    char *labels[DS_MAX_LEVELS];
    char label_text[DS_MAX_LEVELS][12];
    char name[8];
} test_scenario_t;

/* Fill f with n_levels (1..DS_MAX_LEVELS) DLT probabilities p; returns &f->scenario. */
const ds_scenario_t *test_scenario(test_scenario_t *f, const double *p, int n_levels);

/* Record a check; false marks the running test failed and prints where and why. */
bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record that a == b (each evaluated once); returns whether they are. */
bool test_check_int_eq(long long a, long long b, const char *file, int line, const char *a_text,
                       const char *b_text);

#define CHECK(cond) test_check((cond), __FILE__, __LINE__, "%s", #cond)
#define CHECK_MSG(cond, ...) test_check((cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        test_check(a_ == b_, __FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_);        \
    } while (0)
/* As CHECK_INT_EQ, but usable as a condition: evaluates to whether they are equal. */
#define CHECK_INT_EQ_RET(a, b)                                                                     \
    test_check_int_eq((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_STR_EQ(a, b)                                                                         \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        test_check(a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0, __FILE__, __LINE__,            \
                   "%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");  \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double a_ = (a), b_ = (b), t_ = (tol);                                                     \
        test_check(fabs(a_ - b_) <= t_, __FILE__, __LINE__, "%s ~ %s: %.17g vs %.17g (tol %g)",    \
                   #a, #b, a_, b_, t_);                                                            \
    } while (0)
/* A Monte Carlo estimate within k standard errors of the true value. */
#define CHECK_WITHIN_SE(estimate, truth, se, k)                                                    \
    do {                                                                                           \
        double e_ = (estimate), t_ = (truth), s_ = (se), k_ = (k);                                 \
        test_check(fabs(e_ - t_) <= k_ * s_, __FILE__, __LINE__,                                   \
                   "%s = %.6f vs %s = %.6f: %.2f standard errors (se %.3g, allowed %g)",           \
                   #estimate, e_, #truth, t_, s_ > 0 ? fabs(e_ - t_) / s_ : INFINITY, s_, k_);     \
    } while (0)

/* Mark the running test skipped (it neither passes nor fails), saying why. */
void test_skip(const char *why);

/* A fresh empty folder under $TMPDIR (or /tmp) for one test; malloc'ed path. */
char *test_temp_dir(void);
/* rm -rf a test folder and free the path. */
void test_remove_dir(char *dir);
/* Whole contents of a file (malloc'ed, NUL-terminated), or NULL; *len if not NULL. */
char *test_read_file(const char *path, size_t *len);
/* Write text to a file; false on failure. */
bool test_write_file(const char *path, const char *text);
/* A shard's text with its checksum record made anew (malloc'ed): what an
 * editor who knows the format would leave, so that the record checks are what
 * refuse an edit. */
char *test_with_new_checksum(const char *text);

#endif

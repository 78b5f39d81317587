/* README.md's examples, run: every command README.md shows with its output is
 * run in a fresh copy of scenarios/ and tests/data/, and its lines compared
 * with README's, only elapsed times and rates masked (tests/house/readme_examples.sh),
 * so that README and program cannot drift apart; and the tables README builds
 * from several runs made again from them (tests/house/readme_tables.py). The
 * program is $DOSESIM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "testrun.h"

static void test_readme_examples(void)
{
    char env_program[4200];
    snprintf(env_program, sizeof(env_program), "DOSESIM=%s", program());
    const char *const args[] = {"tests/house/readme_examples.sh", NULL};
    const char *const env[] = {env_program, NULL};
    run_t r;
    run_program("sh", args, env, NULL, &r);
    const char *out = r.out != NULL ? r.out : "";
    if (!CHECK_MSG(r.status == 0,
                   "README.md's examples differ from the program's output "
                   "(exit status %d):\n%s%s",
                   r.status, out, r.err != NULL ? r.err : "")) {
        run_free(&r);
        return;
    }
    /* The closing line: how many were checked, and skipped. */
    const char *last = strstr(out, "readme examples: ");
    if (CHECK_MSG(last != NULL, "no closing line in:\n%s", out)) {
        printf("    %s", last);
    }
    run_free(&r);
}

/* The dose-optimisation tables: each sets several runs side by side, so no one
 * example holds it; the script runs them (10^6 trials each, about 20 s) and
 * compares every row with README's. */
static void test_readme_tables(void)
{
    char env_program[4200];
    snprintf(env_program, sizeof(env_program), "DOSESIM=%s", program());
    const char *const args[] = {
        "-c", "command -v python3 >/dev/null || exit 77; python3 tests/house/readme_tables.py",
        NULL};
    const char *const env[] = {env_program, NULL};
    run_t r;
    run_program("/bin/sh", args, env, NULL, &r);
    if (r.status == 77) {
        test_skip("no python3: README's optimisation tables were not made again");
    } else if (CHECK_MSG(r.status == 0,
                         "README.md's tables differ from the runs' (exit status %d):\n%s%s",
                         r.status, r.out != NULL ? r.out : "", r.err != NULL ? r.err : "")) {
        printf("    %s", r.out != NULL ? r.out : "");
    }
    run_free(&r);
}

const test_case_t readme_tests[] = {
    {"readme_examples", test_readme_examples},
    {"readme_tables", test_readme_tables},
    {NULL, NULL},
};

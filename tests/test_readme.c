/* README.md's examples, run: every command README.md shows with its output is
 * run in a fresh copy of scenarios/ and tests/data/, and its lines compared
 * with README's, only elapsed times and rates masked (tests/house/readme_examples.sh),
 * so that README and program cannot drift apart. The program is $DOSESIM. */
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

const test_case_t readme_tests[] = {
    {"readme_examples", test_readme_examples},
    {NULL, NULL},
};

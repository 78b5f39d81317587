/* The program's messages: one form for every error ("dosesim CMD: ..."), a
 * library diagnostic in words, and the nearest word to a slip ("did you mean").
 * Only the program prints; this is where it does for errors. */
#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Where errors, warnings and notes go: stderr, or the stream of a program
 * that runs the commands inside itself (the R package, which makes them R
 * errors and messages). */
static FILE *message_stream;

FILE *cli_messages(void)
{
    return message_stream != NULL ? message_stream : stderr;
}

void cli_set_messages(FILE *stream)
{
    message_stream = stream;
}

void cli_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    FILE *out = cli_messages();
    fprintf(out, "dosesim %s: ", command);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}

void cli_diag_error(const char *command, const ds_diag_t *diag)
{
    char text[DS_DIAG_PATH_MAX + DS_DIAG_MSG_MAX + 128];
    ds_diag_format(diag, text, sizeof(text));
    cli_error(command, "%s", text);
}

/* Damerau-Levenshtein distance of two short words (adjacent swaps count one). */
static int edit_distance(const char *a, const char *b)
{
    enum { MAX = 64 };
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAX || m >= MAX) {
        return MAX;
    }
    int d[MAX + 1][MAX + 1];
    for (size_t i = 0; i <= n; i++) {
        d[i][0] = (int)i;
    }
    for (size_t j = 0; j <= m; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            best = d[i][j - 1] + 1 < best ? d[i][j - 1] + 1 : best;
            best = d[i - 1][j - 1] + cost < best ? d[i - 1][j - 1] + cost : best;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *cli_suggest(const char *word, const char *const *candidates, int n)
{
    const size_t len = strlen(word);
    const int allowed = len <= 4 ? 1 : 2; /* a slip or two, not another word */
    const char *best = NULL;
    int best_distance = allowed + 1;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(word, candidates[i]);
        if (d < best_distance) {
            best = candidates[i];
            best_distance = d;
        }
    }
    for (int i = 0; best == NULL && len >= 3 && i < n; i++) {
        if (strncmp(candidates[i], word, len) == 0) {
            best = candidates[i]; /* a word cut short */
        }
    }
    return best;
}

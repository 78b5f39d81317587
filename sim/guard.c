/* What an interrupted or failed run leaves behind: nothing. Every output is
 * written under a temporary name and renamed when complete (report.h); if
 * SIGINT, SIGTERM or SIGHUP arrives first, the handler removes the temporary
 * files of the outputs the command registered, and the folders the run
 * created that are still empty, then dies of the signal as it would have. A
 * run that fails does the same before it exits (cli_guard_undo). unlink() and
 * rmdir() are async-signal-safe; the names are made before any signal can
 * need them. A write past a file-size limit fails with EFBIG (reported like a
 * full disk) instead of killing the process with SIGXFSZ.
 *
 * This is the program's one piece of mutable global state: a signal handler
 * has nowhere else to look. */
#include "cmd.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_GUARDED = 64, MAX_MADE_DIRS = 32, NAME_MAX_BYTES = 4096, ATTEMPTS = 3 };

static char guarded[MAX_GUARDED][NAME_MAX_BYTES];
static volatile sig_atomic_t n_guarded;
static char made_dirs[MAX_MADE_DIRS][NAME_MAX_BYTES]; /* outermost first */
static volatile sig_atomic_t n_made_dirs;

/* Safe in a signal handler: unlink and rmdir only. rmdir leaves a folder
 * that holds anything, so only the run's own empty folders go. */
static void remove_leftovers(void)
{
    for (int i = 0; i < n_guarded; i++) {
        unlink(guarded[i]);
    }
    for (int i = n_made_dirs; i-- > 0;) {
        rmdir(made_dirs[i]);
    }
}

static void on_signal(int sig)
{
    remove_leftovers();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_guard_undo(void)
{
    remove_leftovers();
    n_made_dirs = 0;
}

int cli_make_dirs(const char *command, const char *dir)
{
    /* Note each folder that is missing, outermost first, before making any. */
    size_t len = strlen(dir);
    if (len < NAME_MAX_BYTES) {
        char path[NAME_MAX_BYTES];
        memcpy(path, dir, len + 1);
        for (size_t i = 1; i <= len && n_made_dirs < MAX_MADE_DIRS; i++) {
            if (path[i] != '/' && path[i] != '\0') {
                continue;
            }
            char saved = path[i];
            path[i] = '\0';
            struct stat st;
            if (stat(path, &st) != 0) {
                memcpy(made_dirs[n_made_dirs], path, i + 1);
                n_made_dirs = n_made_dirs + 1; /* the name is complete first */
            }
            path[i] = saved;
        }
    }
    ds_diag_t diag;
    if (ds_make_dirs(dir, &diag) != 0) {
        cli_diag_error(command, &diag);
        return EXIT_RUN_FAILED;
    }
    return 0;
}

void cli_guard_start(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

void cli_guard_output(const char *path)
{
    long pid = (long)getpid();
    for (int attempt = 0; attempt < ATTEMPTS && n_guarded < MAX_GUARDED; attempt++) {
        /* The name is complete before the count admits it to the handler. */
        if (ds_atomic_temp_path(path, pid, attempt, guarded[n_guarded], NAME_MAX_BYTES)) {
            n_guarded = n_guarded + 1;
        }
    }
}

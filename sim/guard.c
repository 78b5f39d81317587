/* What an interrupted run leaves behind: nothing. Every output is written
 * under a temporary name and renamed when complete (report.h); if SIGINT,
 * SIGTERM or SIGHUP arrives first, the handler removes the temporary files of
 * the outputs the command registered, then dies of the signal as it would
 * have. unlink() is async-signal-safe; the names are made before any signal
 * can need them. A write past a file-size limit fails with EFBIG (reported like
 * a full disk) instead of killing the process with SIGXFSZ.
 *
 * This is the program's one piece of mutable global state: a signal handler
 * has nowhere else to look. */
#include "cmd.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { MAX_GUARDED = 64, NAME_MAX_BYTES = 4096, ATTEMPTS = 3 };

static char guarded[MAX_GUARDED][NAME_MAX_BYTES];
static volatile sig_atomic_t n_guarded;

static void on_signal(int sig)
{
    for (int i = 0; i < n_guarded; i++) {
        unlink(guarded[i]);
    }
    signal(sig, SIG_DFL);
    raise(sig);
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

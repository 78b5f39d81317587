/* What an interrupted or failed run leaves behind: nothing. Outputs are written
 * into temporary files that have no name until they are published (fileio.h),
 * so a signal, even SIGKILL, leaves no file. What can be left is handled here:
 * the folders a run created (removed while still empty), and, on file systems
 * without unnamed temporary files, the named ones (removed). Every signal whose
 * default is to end the process does this first, then ends it as it would
 * have; SIGPIPE is ignored, so that a closed pipe is a write error (EPIPE) the
 * program reports, and SIGXFSZ too, so that a file-size limit is a write error
 * (EFBIG). While a set of files is published, the signals are held, so that it
 * is published whole or not at all. unlink() and rmdir() are
 * async-signal-safe; the names are complete before any signal can need them.
 *
 * This is the program's one piece of mutable global state: a signal handler
 * has nowhere else to look. */
#include "cmd.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_GUARDED = 64, MAX_MADE = 8 };

/* The signals that end a process by default and that a user or a batch system
 * sends (SIGKILL and SIGSTOP cannot be caught; crashes are left to the core). */
static const int ending_signals[] = {SIGINT,  SIGTERM, SIGHUP,    SIGQUIT, SIGUSR1,
                                     SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU};
#define N_ENDING_SIGNALS (int)(sizeof(ending_signals) / sizeof(ending_signals[0]))

static char guarded[MAX_GUARDED][CLI_PATH_MAX];
static volatile sig_atomic_t n_guarded;

/* The folders one cli_make_dirs call created are the path and its parents
 * down to the outermost that was missing: the path and that one's length. */
typedef struct {
    char path[CLI_PATH_MAX];
    size_t outermost_len;
} made_t;
static made_t made[MAX_MADE];
static volatile sig_atomic_t n_made;

/* Safe in a signal handler: unlink, rmdir and our own buffers only. rmdir
 * leaves a folder that holds anything, so only the run's own empty ones go. */
static void remove_leftovers(void)
{
    for (int i = 0; i < n_guarded; i++) {
        unlink(guarded[i]);
    }
    for (int i = n_made; i-- > 0;) {
        char *path = made[i].path; /* cut back one folder at a time, deepest first */
        size_t len = strlen(path);
        while (len >= made[i].outermost_len) {
            rmdir(path);
            len = ds_path_parent_len(path, len);
            path[len] = '\0';
        }
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
    n_guarded = 0;
    n_made = 0;
}

void cli_guard_forget(void)
{
    n_guarded = 0;
    n_made = 0;
}

int cli_make_dirs(const char *command, const char *dir)
{
    /* Note the outermost missing folder before making any. */
    size_t len = strlen(dir);
    if (len < CLI_PATH_MAX && n_made < MAX_MADE) {
        made_t *m = &made[n_made];
        memcpy(m->path, dir, len + 1);
        m->outermost_len = 0;
        for (size_t i = 1; i <= len && m->outermost_len == 0; i++) {
            if (m->path[i] != '/' && m->path[i] != '\0') {
                continue;
            }
            char saved = m->path[i];
            m->path[i] = '\0';
            struct stat st;
            m->outermost_len = stat(m->path, &st) != 0 ? i : 0;
            m->path[i] = saved;
        }
        if (m->outermost_len > 0) {
            n_made = n_made + 1; /* the record is complete first */
        }
    }
    ds_diag_t diag;
    if (ds_make_dirs(dir, &diag) != 0) {
        cli_diag_error(command, &diag);
        return EXIT_RUN_FAILED;
    }
    return 0;
}

int cli_check_dirs(const char *command, const char *dir)
{
    size_t len = strlen(dir);
    if (len == 0 || len >= CLI_PATH_MAX) {
        return 0; /* cli_make_dirs will say what is wrong */
    }
    char path[CLI_PATH_MAX];
    memcpy(path, dir, len + 1);
    struct stat st;
    /* Up from dir to the deepest part that exists. */
    while (stat(path, &st) != 0) {
        len = ds_path_parent_len(path, len);
        if (len == 0) {
            return 0; /* relative: the working folder, which exists */
        }
        path[len] = '\0';
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error(command, "%s: is not a folder", path);
        return EXIT_RUN_FAILED;
    }
    if (access(path, W_OK | X_OK) != 0) {
        cli_error(command, "%s: cannot %s: %s", strlen(path) < strlen(dir) ? dir : path,
                  strlen(path) < strlen(dir) ? "create folder" : "write in this folder",
                  strerror(errno));
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
    for (int i = 0; i < N_ENDING_SIGNALS; i++) {
        sigaddset(&action.sa_mask, ending_signals[i]); /* one cleanup at a time */
    }
    for (int i = 0; i < N_ENDING_SIGNALS; i++) {
        sigaction(ending_signals[i], &action, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
}

void cli_guard_hold(sigset_t *before)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < N_ENDING_SIGNALS; i++) {
        sigaddset(&set, ending_signals[i]);
    }
    pthread_sigmask(SIG_BLOCK, &set, before);
}

void cli_guard_release(const sigset_t *before)
{
    pthread_sigmask(SIG_SETMASK, before, NULL); /* a signal that came meanwhile acts now */
}

void cli_guard_temp(const char *path)
{
    size_t len = path != NULL ? strlen(path) : 0;
    if (len > 0 && len < CLI_PATH_MAX && n_guarded < MAX_GUARDED) {
        memcpy(guarded[n_guarded], path, len + 1);
        n_guarded = n_guarded + 1; /* the name is complete before the count admits it */
    }
}

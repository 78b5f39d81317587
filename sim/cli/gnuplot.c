/* gnuplot without interpretation (gnuplot.h): escaped strings, no shell, no
 * file opened by name. */
#define _GNU_SOURCE /* memfd_create, pipe2 */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

extern char **environ;

const char *const cli_gp_format_names[CLI_GP_N_FORMATS] = {"png", "svg", "pdf"};

int cli_gp_begin(cli_gp_t *gp, cli_gp_format_t format, int width, int height)
{
    memset(gp, 0, sizeof(*gp));
    gp->format = format;
    gp->out = open_memstream(&gp->text, &gp->len);
    if (gp->out == NULL) {
        return -1;
    }
    fputs("set encoding utf8\n", gp->out);
    switch (format) {
    case CLI_GP_SVG:
        fprintf(gp->out,
                "set terminal svg size %d,%d noenhanced font 'Sans,10' background 'white'\n", width,
                height);
        break;
    case CLI_GP_PDF:
        fprintf(gp->out, "set terminal pdfcairo size %.3fin,%.3fin noenhanced font ',7'\n",
                width / 96.0, height / 96.0);
        break;
    default:
        fprintf(gp->out, "set terminal pngcairo size %d,%d noenhanced font ',10'\n", width, height);
        break;
    }
    return 0;
}

static bool plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '.' || c == ',' || c == '_' || c == '-' || c == '(' || c == ')';
}

/* gnuplot reads "\0" and up to three more octal digits as one byte, so a digit
 * right after an escape is escaped too: "3+3" is "3\053\063". */
static void put_escaped(FILE *out, const char *text, bool format)
{
    bool after_escape = false;
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        bool digit = *c >= '0' && *c <= '9';
        if (plain(*c) && !(digit && after_escape)) {
            fputc(*c, out);
            after_escape = false;
        } else if (*c == '%' && format) {
            fputs("\\045\\045", out); /* a literal % in a format */
            after_escape = true;
        } else {
            fprintf(out, "\\%03o", *c);
            after_escape = true;
        }
    }
    fputc('"', out);
}

void cli_gp_str(FILE *out, const char *text)
{
    put_escaped(out, text, false);
}

void cli_gp_tic(FILE *out, const char *text)
{
    put_escaped(out, text, true);
}

void cli_gp_num(FILE *out, double x)
{
    if (isfinite(x)) {
        fprintf(out, " %.10g", x);
    } else {
        fputs(" NaN", out);
    }
}

const char *cli_gp_script(cli_gp_t *gp)
{
    if (gp->out != NULL) {
        fflush(gp->out);
    }
    return gp->text != NULL ? gp->text : "";
}

void cli_gp_free(cli_gp_t *gp)
{
    if (gp->out != NULL) {
        fclose(gp->out);
    }
    free(gp->text);
    memset(gp, 0, sizeof(*gp));
}

bool cli_gp_script_is_clean(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '`' || c == '@' || c >= 0x7f || (c < 0x20 && c != '\n')) {
            return false;
        }
    }
    return true;
}

/* An unnamed file holding len bytes of text, at its start. -1 on failure. */
static int memory_file(const char *name, const char *text, size_t len)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* The last bytes every complete figure of the format ends with. */
static bool ends_whole(cli_gp_format_t format, const unsigned char *tail, size_t n)
{
    static const unsigned char png_end[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    const unsigned char *want = png_end;
    size_t want_len = sizeof(png_end);
    if (format == CLI_GP_SVG) {
        want = (const unsigned char *)"</svg>\n";
        want_len = 7;
    } else if (format == CLI_GP_PDF) {
        want = (const unsigned char *)"%%EOF\n";
        want_len = 6;
    }
    if (format != CLI_GP_PNG) {
        while (n > want_len && (tail[n - 1] == '\n' || tail[n - 1] == ' ') && tail[n - 2] == '\n') {
            n--; /* SVG ends "</svg>\n\n" */
        }
    }
    return n >= want_len && memcmp(tail + n - want_len, want, want_len) == 0;
}

/* gnuplot's messages, shown when it fails: printable ASCII and line ends only. */
static void show_messages(int fd)
{
    char buf[2048];
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0) {
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        buf[i] = (c >= 0x20 && c < 0x7f) || c == '\n' ? (char)c : '?';
    }
    buf[n] = '\0';
    fprintf(stderr, "%s%s", buf, buf[n - 1] == '\n' ? "" : "\n");
}

int cli_gp_render(cli_gp_t *gp, const char *command, ds_outfile_t *file, const char *what)
{
    int status = EXIT_RUN_FAILED;
    int script = -1, messages = -1, pipe_fds[2] = {-1, -1};
    bool spawned = false;
    pid_t pid = -1;
    posix_spawn_file_actions_t actions;
    bool have_actions = false;
    if (gp->out == NULL || fflush(gp->out) != 0 || ferror(gp->out)) {
        cli_error(command, "%s: out of memory", what);
        return EXIT_RUN_FAILED;
    }
    fflush(NULL);
    script = memory_file("dosesim-gnuplot-script", gp->text, gp->len);
    messages = memfd_create("dosesim-gnuplot-messages", MFD_CLOEXEC);
    if (script < 0 || messages < 0 || pipe2(pipe_fds, O_CLOEXEC) != 0) {
        cli_error(command, "%s: cannot start gnuplot: %s", what, strerror(errno));
        goto out;
    }
    have_actions = posix_spawn_file_actions_init(&actions) == 0;
    if (!have_actions || posix_spawn_file_actions_adddup2(&actions, script, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1) != 0 ||
        posix_spawn_file_actions_adddup2(&actions, messages, 2) != 0) {
        cli_error(command, "%s: cannot start gnuplot: out of memory", what);
        goto out;
    }
    char *const argv[] = {"gnuplot", "-d", NULL};
    int err = posix_spawnp(&pid, "gnuplot", &actions, NULL, argv, environ);
    if (err != 0) {
        cli_error(command, "%s",
                  err == ENOENT ? "gnuplot is not installed (make deps installs it)"
                                : "cannot start gnuplot");
        goto out;
    }
    spawned = true;
    close(pipe_fds[1]);
    pipe_fds[1] = -1;
    /* The figure, into our own file; its last bytes kept to see that it is whole. */
    unsigned char tail[16];
    size_t n_tail = 0, total = 0;
    char buf[65536];
    ssize_t got;
    while ((got = read(pipe_fds[0], buf, sizeof(buf))) != 0) {
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fwrite(buf, 1, (size_t)got, file->file) != (size_t)got && file->error == 0) {
            file->error = errno != 0 ? errno : EIO;
        }
        total += (size_t)got;
        size_t keep = (size_t)got < sizeof(tail) ? (size_t)got : sizeof(tail);
        if (n_tail + keep > sizeof(tail)) {
            size_t drop = n_tail + keep - sizeof(tail);
            memmove(tail, tail + drop, n_tail - drop);
            n_tail -= drop;
        }
        memcpy(tail + n_tail, buf + (size_t)got - keep, keep);
        n_tail += keep;
    }
    int wait_status = 0;
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
    spawned = false;
    if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
        cli_error(command, "gnuplot failed drawing %s; it said:", what);
        show_messages(messages);
        goto out;
    }
    if (total == 0 || !ends_whole(gp->format, tail, n_tail)) {
        cli_error(command, "gnuplot did not finish drawing %s", what);
        show_messages(messages);
        goto out;
    }
    ds_diag_t diag;
    if (ds_outfile_finish(file, &diag) != 0) {
        cli_diag_error(command, &diag);
        goto out;
    }
    status = 0;
out:
    if (spawned) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    if (have_actions) {
        posix_spawn_file_actions_destroy(&actions);
    }
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0) {
            close(pipe_fds[i]);
        }
    }
    if (script >= 0) {
        close(script);
    }
    if (messages >= 0) {
        close(messages);
    }
    return status;
}

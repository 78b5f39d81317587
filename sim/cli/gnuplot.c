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
    /* One look in every format, as measured on gnuplot 5.4 (each drawn, the SVG
     * and PDF rasterised and laid over the PNG): sizes in pixels for PNG and SVG,
     * in points for PDF (a point per pixel); the svg terminal's text comes out
     * at 3/4 of pngcairo's, hence its fontscale; pdfcairo halves text and lines
     * unless told (fontscale 1, linewidth 2). */
    switch (format) {
    case CLI_GP_SVG:
        fprintf(gp->out,
                "set terminal svg size %d,%d noenhanced font 'Sans,10' fontscale 1.333 background "
                "'white'\n",
                width, height);
        break;
    case CLI_GP_PDF:
        fprintf(gp->out,
                "set terminal pdfcairo size %.4fin,%.4fin noenhanced font 'Sans,10' fontscale 1 "
                "linewidth 2 background 'white'\n",
                (width + 0.25) / 72.0, (height + 0.25) / 72.0); /* cairo rounds points down */
        break;
    default:
        fprintf(gp->out,
                "set terminal pngcairo size %d,%d noenhanced font 'Sans,10' background 'white'\n",
                width, height);
        break;
    }
    fputs("set border lc rgb '#444444'\n", gp->out);
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

void cli_gp_join(FILE *out, const char *text, bool first)
{
    if (!first) {
        fputs(" . ", out);
    }
    put_escaped(out, text, false);
}

void cli_gp_num(FILE *out, double x)
{
    if (isfinite(x)) {
        fprintf(out, " %.10g", x);
    } else {
        fputs(" NaN", out);
    }
}

/* Viridis (van der Walt and Smith, matplotlib's default since 2.0: ordered,
 * even in lightness, readable with every common colour-vision deficiency) at
 * 0, 0.1, ..., 1. */
static const unsigned char viridis[11][3] = {
    {68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},  {42, 120, 142}, {33, 145, 140},
    {34, 168, 132}, {68, 191, 112}, {122, 209, 81}, {189, 223, 38}, {253, 231, 37},
};

void cli_gp_dose_colour(int level, int n_levels, char out[8])
{
    /* From 0.8 (green) for the lowest dose to 0 (dark violet) for the highest:
     * the yellow end of the scale is left out, too pale on white. */
    double t = n_levels <= 1 ? 0.45 : 0.8 * (double)(n_levels - level) / (double)(n_levels - 1);
    t = t < 0.0 ? 0.0 : (t > 0.8 ? 0.8 : t);
    int k = (int)(t * 10.0);
    k = k > 9 ? 9 : k;
    double f = t * 10.0 - k;
    int rgb[3];
    for (int c = 0; c < 3; c++) {
        rgb[c] = (int)lround(viridis[k][c] + f * (viridis[k + 1][c] - viridis[k][c]));
    }
    snprintf(out, 8, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

/* Okabe and Ito's colours (Color Universal Design, 2008) but their yellow. */
static const char *const series_colours[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                             "#cc79a7", "#56b4e9", "#000000"};

const char *cli_gp_series_colour(int i)
{
    const int n = (int)(sizeof(series_colours) / sizeof(series_colours[0]));
    return series_colours[(i % n + n) % n];
}

int cli_gp_series_dash(int i)
{
    const int n = (int)(sizeof(series_colours) / sizeof(series_colours[0]));
    return 1 + (i / n) % 5;
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

/* What went wrong, in dosesim's words: gnuplot's own messages (its warnings
 * on degenerate data, the echo of a script line) never reach the terminal.
 * They are read only to tell a gnuplot without the format's terminal from
 * anything else. */
static const char *failure_reason(int fd, cli_gp_format_t format)
{
    char buf[4096];
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    if (strstr(buf, "unknown or ambiguous terminal type") != NULL ||
        strstr(buf, "unknown terminal") != NULL) {
        return format == CLI_GP_PDF ? "this gnuplot cannot draw PDF (it has no pdfcairo terminal; "
                                      "Debian's gnuplot-nox 5 has it), or use --format png"
               : format == CLI_GP_SVG ? "this gnuplot cannot draw SVG (it has no svg terminal; "
                                        "Debian's gnuplot-nox 5 has it), or use --format png"
                                      : "this gnuplot cannot draw PNG (it has no pngcairo "
                                        "terminal; Debian's gnuplot-nox 5 has it)";
    }
    return "gnuplot stopped on dosesim's script, which is a bug in dosesim: please report it, "
           "with the results folder";
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
    /* gnuplot starts with no signal blocked and SIGPIPE and SIGXFSZ at their
     * defaults, whatever the thread that starts it blocks or ignores (the R
     * package's run thread blocks every signal): so an interrupt can end it. */
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGXFSZ);
    const bool have_attr = posix_spawnattr_init(&attr) == 0;
    if (!have_attr || posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &defaults) != 0 ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0) {
        if (have_attr) {
            posix_spawnattr_destroy(&attr);
        }
        cli_error(command, "%s: cannot start gnuplot: out of memory", what);
        goto out;
    }
    char *const argv[] = {"gnuplot", "-d", NULL};
    int err = posix_spawnp(&pid, "gnuplot", &actions, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
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
    if (WIFSIGNALED(wait_status)) {
        cli_error(command, "%s: not drawn: gnuplot was ended by signal %d", what,
                  WTERMSIG(wait_status));
        goto out;
    }
    if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
        cli_error(command, "%s: not drawn: %s", what, failure_reason(messages, gp->format));
        goto out;
    }
    if (total == 0 || !ends_whole(gp->format, tail, n_tail)) {
        cli_error(command, "%s: not drawn: gnuplot ended without finishing it", what);
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

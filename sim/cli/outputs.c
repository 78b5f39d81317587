/* Where the program writes, and the checks before it does: default folder and
 * file names made from input (one safe path component each, never a way out of
 * results/), the check before any work that every output name is one dosesim
 * may write (fileio.h's rule) and is neither a file the command reads nor
 * another of its outputs (by device and inode, not by name), and publishing
 * (the folders made when needed, the signals held meanwhile). */
#include "cmd.h"
#include "dosesim/csv.h"
#include "dosesim/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- default names ---- */

/* The stem of a scenario file's name ("tifcemalimab" of
 * "scenarios/tifcemalimab.csv"), as one safe path component. */
static void file_stem(const char *path, char stem[DS_SAFE_NAME_CHARS])
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    char *raw = malloc(len + 1);
    if (raw == NULL) {
        snprintf(stem, DS_SAFE_NAME_CHARS, "scenarios");
        return;
    }
    memcpy(raw, base, len);
    raw[len] = '\0';
    ds_safe_file_name(raw, "scenarios", stem);
    free(raw);
}

/* The part of the default folder that tells a run's design apart: "" for the
 * 3+3 with its default options; else the design's name in letters, digits and
 * dashes ("3plus3plus3", "ab-4-4-1-2-2"), then each option not at its default. */
static void design_folder(const ds_design_t *design, char out[DS_SAFE_NAME_CHARS])
{
    char text[2 * DS_MAX_DESIGN_NAME + 64] = "";
    size_t n = 0;
    const bool plain = strcmp(design->name, DS_DEFAULT_DESIGN) == 0;
    for (const char *c = design->name; !plain && *c != '\0' && n + 8 < sizeof(text); c++) {
        if (*c == '+') {
            n += (size_t)snprintf(text + n, sizeof(text) - n, "plus");
        } else {
            text[n++] = (*c == ':' || *c == ',') ? '-' : *c;
        }
    }
    text[n] = '\0';
    snprintf(text + n, sizeof(text) - n, "%s%s%s", design->deescalate ? "" : "_deescalate-no",
             design->top_dose == DS_TOP_ACCEPT ? "_top-accept" : "",
             design->start_level > 0 ? "_start-" : "");
    if (design->start_level > 0) {
        n = strlen(text);
        snprintf(text + n, sizeof(text) - n, "%d", design->start_level + 1);
    }
    if (text[0] == '_') {
        memmove(text, text + 1, strlen(text));
    }
    if (text[0] == '\0') {
        out[0] = '\0';
        return;
    }
    ds_safe_file_name(text, "design", out);
}

char *cli_output_dir(const cli_common_t *self)
{
    if (self->out_dir != NULL) {
        return strdup(self->out_dir);
    }
    char stem[DS_SAFE_NAME_CHARS], variant[DS_SAFE_NAME_CHARS];
    file_stem(self->scenario_path, stem);
    design_folder(&self->design, variant);
    const char *subdir = self->default_subdir != NULL ? self->default_subdir : "";
    size_t size = strlen(stem) + strlen(variant) + strlen(subdir) + sizeof(DS_RESULTS_DIR "///");
    char *dir = malloc(size);
    if (dir != NULL) {
        snprintf(dir, size, DS_RESULTS_DIR "/%s%s%s%s%s", stem, variant[0] ? "/" : "", variant,
                 subdir[0] ? "/" : "", subdir);
    }
    return dir;
}

char *cli_scenario_csv_path(const cli_common_t *self, const char *prefix, const char *scenario,
                            const char *suffix)
{
    char *dir = cli_output_dir(self);
    char name[DS_SAFE_NAME_CHARS];
    ds_safe_file_name(scenario, "scenario", name);
    size_t size =
        dir != NULL ? strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 8 : 0;
    char *path = dir != NULL ? malloc(size) : NULL;
    if (path == NULL) {
        cli_error(self->command, "out of memory");
    } else {
        snprintf(path, size, "%s/%s%s%s" DS_CSV_SUFFIX, dir, prefix, name, suffix);
    }
    free(dir);
    return path;
}

/* ---- the check before any work ---- */

/* The first two records of a CSV: its header and first row. */
typedef struct {
    int n;
    int n_fields[2];
    char **fields[2];
} head_t;

static int keep_head(void *ctx, const ds_csv_record_t *rec)
{
    head_t *h = ctx;
    if (h->n == 2) {
        return 1; /* enough: stop reading */
    }
    h->fields[h->n] = calloc((size_t)rec->n_fields + 1u, sizeof(char *));
    if (h->fields[h->n] == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int i = 0; i < rec->n_fields; i++) {
        h->fields[h->n][i] = rec->fields[i];
        rec->fields[i] = NULL;
    }
    h->n_fields[h->n++] = rec->n_fields;
    return 0;
}

static void head_free(head_t *h)
{
    for (int k = 0; k < h->n; k++) {
        for (int i = 0; i < h->n_fields[k]; i++) {
            free(h->fields[k][i]);
        }
        free(h->fields[k]);
    }
    memset(h, 0, sizeof(*h));
}

/* A cell of someone's file, fit for a message: cut to whole characters, or
 * "(unreadable)" if it holds control bytes or is not UTF-8. */
static void shown(const char *text, char *buf, size_t size)
{
    char why[128];
    if (ds_text_problem(text, strlen(text), why, sizeof(why)) != NULL) {
        snprintf(buf, size, "(unreadable)");
        return;
    }
    snprintf(buf, size, "%s", text);
    buf[ds_utf8_invalid_at(buf, strlen(buf))] = '\0';
}

static const char *head_cell(const head_t *h, const char *name)
{
    for (int i = 0; h->n == 2 && i < h->n_fields[0] && i < h->n_fields[1]; i++) {
        if (strcmp(h->fields[0][i], name) == 0) {
            return h->fields[1][i];
        }
    }
    return NULL;
}

int cli_check_replace(const cli_common_t *self, const char *what, const char *beyond_key,
                      const char *path, const ds_run_key_t *key, const ds_scenario_t *first)
{
    struct stat st;
    if (self->replace || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return 0; /* nothing to lose (what is not a regular file, the output check refuses) */
    }
    char *text = NULL, *mine = NULL;
    size_t len = 0, mine_len = 0;
    ds_diag_t diag;
    head_t there = {0}, here = {0};
    if (ds_read_file(path, DS_MAX_FILE_BYTES, DS_READ_IN_FOLDER, &text, &len, &diag) == 0) {
        int ret = ds_csv_read(path, text, len, keep_head, &there, &diag);
        (void)ret; /* a file that does not read as CSV is someone else's results: refused below */
    }
    /* This run's key cells, as they will be written. */
    FILE *mem = open_memstream(&mine, &mine_len);
    if (mem == NULL) {
        free(text);
        head_free(&there);
        cli_error(self->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    const char *names[DS_KEY_COLUMNS];
    for (int k = 0; k < DS_KEY_COLUMNS; k++) {
        names[k] = ds_schema_key_columns[k]->name;
    }
    ds_csv_header(mem, names, DS_KEY_COLUMNS);
    ds_csv_row_t w = {.file = mem, .at_start = true};
    ds_run_key_cells(&w, key, first);
    ds_csv_end(&w);
    fclose(mem);
    int ret = mine != NULL ? ds_csv_read("", mine, mine_len, keep_head, &here, &diag) : -1;
    const char *old_id = head_cell(&there, DS_COL_RUN_ID);
    int status = 0;
    if (ret == 0 && (old_id == NULL || strcmp(old_id, key->run_id) != 0)) {
        char differs[1024] = "";
        size_t used = 0;
        for (int k = 1; old_id != NULL && k < DS_KEY_COLUMNS; k++) {
            const char *a = head_cell(&there, names[k]), *b = head_cell(&here, names[k]);
            if (a != NULL && b != NULL && strcmp(a, b) != 0 && used + 200 < sizeof(differs)) {
                char safe_a[64], safe_b[64];
                shown(a, safe_a, sizeof(safe_a));
                shown(b, safe_b, sizeof(safe_b));
                int n = snprintf(differs + used, sizeof(differs) - used, "%s%s %s there, %s here",
                                 used > 0 ? "; " : "", names[k], safe_a, safe_b);
                used += n > 0 ? (size_t)n : 0;
            }
        }
        if (old_id == NULL) {
            snprintf(differs, sizeof(differs),
                     "made by an earlier dosesim, or not by dosesim: it has no run_id");
        } else if (used == 0) {
            char safe_id[64];
            shown(old_id, safe_id, sizeof(safe_id));
            snprintf(differs, sizeof(differs),
                     "the same options, but %sother scenario contents or another dosesim version: "
                     "run_id %s there, %s here",
                     beyond_key != NULL ? beyond_key : "", safe_id, key->run_id);
        }
        cli_error(self->command,
                  "%s holds %s of another run (%s); nothing was replaced. To keep both, give "
                  "this run its own place with --out; to replace them, add --replace",
                  path, what, differs);
        status = EXIT_BAD_INPUT;
    }
    free(text);
    free(mine);
    head_free(&there);
    head_free(&here);
    return status;
}

int cli_common_inputs(const cli_common_t *self, cli_io_t *io)
{
    int ret = cli_io_add(io, CLI_IO_INPUT, "the scenario file", self->scenario_path);
    if (ret == 0 && self->rules_path != NULL) {
        ret = cli_io_add(io, CLI_IO_INPUT, "the rule file (--rules)", self->rules_path);
    }
    if (ret == 0 && self->decision_table_path != NULL) {
        ret = cli_io_add(io, CLI_IO_INPUT, "the decision table (--decision-table)",
                         self->decision_table_path);
    }
    return ret;
}

int cli_check_output_names(const cli_command_t *command, const cli_args_t *args)
{
    /* The names given, by the one rule (cli_io_check), before any input is read;
     * the defaults and the inputs are checked again with them once they are known. */
    cli_io_t io;
    cli_io_init(&io);
    int status = 0;
    if (args->common.out_dir != NULL) {
        status = cli_io_add(&io, CLI_IO_FOLDER, "--out", args->common.out_dir);
    }
    if (status == 0 && args->out_file != NULL) {
        status = cli_io_add(&io, CLI_IO_STREAMABLE, "--out", args->out_file);
    }
    if (status == 0 && args->trials_csv != NULL) {
        status = cli_io_add(&io, CLI_IO_STREAMABLE, "--trials-csv", args->trials_csv);
    }
    status = status != 0 ? EXIT_RUN_FAILED : cli_io_check(&io, command->name);
    cli_io_free(&io);
    return status;
}

void cli_io_init(cli_io_t *self)
{
    memset(self, 0, sizeof(*self));
}

void cli_io_free(cli_io_t *self)
{
    for (int i = 0; i < self->n; i++) {
        free(self->items[i].path);
    }
    free(self->items);
    memset(self, 0, sizeof(*self));
}

int cli_io_add(cli_io_t *self, cli_io_role_t role, const char *what, const char *path)
{
    if (self->n == self->cap) {
        int cap = self->cap == 0 ? 16 : 2 * self->cap;
        cli_io_item_t *grown = realloc(self->items, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            return EXIT_RUN_FAILED;
        }
        self->items = grown;
        self->cap = cap;
    }
    char *copy = strdup(path);
    if (copy == NULL) {
        return EXIT_RUN_FAILED;
    }
    self->items[self->n++] = (cli_io_item_t){.role = role, .what = what, .path = copy};
    return 0;
}

/* What a path is, for telling two names of one file apart from two files: the
 * device and inode of the file, or, for a name that does not exist yet, of its
 * deepest existing folder with the rest of the name (".", "" dropped). */
typedef struct {
    dev_t dev;
    ino_t ino;
    char rest[CLI_PATH_MAX];
    bool known;
} path_id_t;

static void identify(const char *path, bool to_stdout, path_id_t *id)
{
    struct stat st;
    memset(id, 0, sizeof(*id));
    if (to_stdout) {
        id->known = fstat(STDOUT_FILENO, &st) == 0;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return;
    }
    size_t len = strlen(path);
    if (len >= sizeof(id->rest)) {
        return;
    }
    char head[CLI_PATH_MAX];
    memcpy(head, path, len + 1);
    size_t cut = len;
    while (stat(head, &st) != 0) {
        while (cut > 0 && head[cut - 1] == '/') {
            cut--;
        }
        while (cut > 0 && head[cut - 1] != '/') {
            cut--;
        }
        if (cut == 0) {
            memcpy(head, ".", 2);
            if (stat(head, &st) != 0) {
                return;
            }
            break;
        }
        head[cut] = '\0';
    }
    id->known = true;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    /* The rest, one component at a time, without "." and empty ones. */
    size_t at = 0;
    for (const char *p = path + cut; *p != '\0';) {
        size_t n = strcspn(p, "/");
        if (n > 0 && !(n == 1 && p[0] == '.') && at + n + 2 < sizeof(id->rest)) {
            id->rest[at++] = '/';
            memcpy(id->rest + at, p, n);
            at += n;
        }
        p += n;
        p += *p == '/';
    }
    id->rest[at] = '\0';
}

static bool same_id(const path_id_t *a, const path_id_t *b)
{
    return a->known && b->known && a->dev == b->dev && a->ino == b->ino &&
           strcmp(a->rest, b->rest) == 0;
}

/* A default folder is made by dosesim: below results/, none of it may be a
 * symbolic link (that would be following into what it did not make). */
static bool default_folder_ok(const char *command, const char *dir)
{
    size_t prefix = strlen(DS_RESULTS_DIR "/");
    if (strncmp(dir, DS_RESULTS_DIR "/", prefix) != 0) {
        return true;
    }
    char part[CLI_PATH_MAX];
    size_t len = strlen(dir);
    for (size_t i = prefix; i <= len && len < sizeof(part); i++) {
        if (dir[i] != '/' && dir[i] != '\0') {
            continue;
        }
        memcpy(part, dir, i);
        part[i] = '\0';
        struct stat st;
        if (lstat(part, &st) == 0 && !S_ISDIR(st.st_mode)) {
            cli_error(command,
                      "%s is %s, not a folder; dosesim makes its default folders itself and "
                      "does not follow into what it did not make: give --out",
                      part, S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
            return false;
        }
    }
    return true;
}

int cli_io_check(const cli_io_t *self, const char *command)
{
    path_id_t *ids = calloc((size_t)self->n + 1, sizeof(*ids));
    if (ids == NULL) {
        cli_error(command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    int status = 0;
    for (int i = 0; i < self->n && status == 0; i++) {
        const cli_io_item_t *item = &self->items[i];
        ds_output_kind_t kind = DS_OUTPUT_NEW;
        ds_diag_t diag;
        struct stat st;
        switch (item->role) {
        case CLI_IO_INPUT:
            identify(item->path, false, &ids[i]);
            continue;
        case CLI_IO_FOLDER:
        case CLI_IO_DEFAULT_FOLDER:
            if (stat(item->path, &st) == 0 && !S_ISDIR(st.st_mode)) {
                cli_error(command, "%s: '%s' is %s; give a folder name", item->what, item->path,
                          S_ISREG(st.st_mode) ? "a file" : "not a folder");
                status = EXIT_BAD_INPUT;
            } else if (item->role == CLI_IO_DEFAULT_FOLDER &&
                       !default_folder_ok(command, item->path)) {
                status = EXIT_BAD_INPUT;
            }
            continue;
        case CLI_IO_SET_MEMBER:
        case CLI_IO_FILE:
        case CLI_IO_STREAMABLE: {
            int ret = ds_output_classify(item->path,
                                         item->role == CLI_IO_STREAMABLE ? DS_OUTPUT_MAY_STREAM : 0,
                                         &kind, &diag);
            if (ret != 0) {
                char text[DS_DIAG_PATH_MAX + DS_DIAG_MSG_MAX + 64];
                ds_diag_format(&diag, text, sizeof(text));
                cli_error(command, "%s: %s", item->what, text);
                status = ret == DS_ERR_REFUSED ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
                continue;
            }
            identify(item->path, kind == DS_OUTPUT_STDOUT, &ids[i]);
            if (kind == DS_OUTPUT_STREAM) {
                ids[i].known = false; /* a FIFO or device: written into, never replaced */
            }
            break;
        }
        }
        for (int j = 0; j < i && status == 0; j++) {
            const cli_io_item_t *other = &self->items[j];
            if (!same_id(&ids[i], &ids[j])) {
                continue;
            }
            if (other->role == CLI_IO_INPUT) {
                cli_error(command, "%s: '%s' is %s, which this command reads: give another name",
                          item->what, item->path, other->what);
            } else if (kind == DS_OUTPUT_STDOUT) {
                cli_error(command, "%s and %s both go to the standard output: give one a file",
                          other->what, item->what);
            } else {
                cli_error(command,
                          "%s: '%s' is also where this command writes %s: give another "
                          "name",
                          item->what, item->path, other->what);
            }
            status = EXIT_BAD_INPUT;
        }
    }
    free(ids);
    return status;
}

bool cli_io_takes_stdout(const cli_io_t *self)
{
    for (int i = 0; i < self->n; i++) {
        ds_output_kind_t kind;
        if (self->items[i].role == CLI_IO_STREAMABLE &&
            ds_output_classify(self->items[i].path, DS_OUTPUT_MAY_STREAM, &kind, NULL) == 0 &&
            kind == DS_OUTPUT_STDOUT) {
            return true;
        }
    }
    return false;
}

int cli_check_listing(const cli_common_t *common, const char *path, bool path_given, cli_io_t *io)
{
    int status = cli_common_inputs(common, io);
    if (status == 0 && !path_given) {
        char *dir = cli_output_dir(common);
        status =
            dir != NULL ? cli_io_add(io, CLI_IO_DEFAULT_FOLDER, "--out", dir) : EXIT_RUN_FAILED;
        free(dir);
    }
    if (status == 0) {
        status = cli_io_add(io, CLI_IO_STREAMABLE, "--out", path);
    }
    return status == 0 ? cli_io_check(io, common->command) : status;
}

/* ---- writing ---- */

int cli_outfile_open(const char *command, ds_outfile_t *file, const char *path, unsigned flags)
{
    ds_diag_t diag;
    int ret = ds_outfile_open(file, path, flags, &diag);
    if (ret != 0) {
        cli_diag_error(command, &diag);
        return ret == DS_ERR_REFUSED ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    cli_guard_temp(ds_outfile_temp_name(file));
    return 0;
}

/* ds_publish_check_t: cli_check_replace asked again, as the files are published. */
static int replace_check_again(void *ctx, ds_diag_t *diag)
{
    cli_replace_check_t *c = ctx;
    (void)diag; /* cli_check_replace says why itself */
    c->status = cli_check_replace(c->common, c->what, c->beyond_key, c->path, c->key, c->first);
    if (c->status != 0) {
        cli_error(c->common->command,
                  "(another run wrote %s while this one was working; this run's results were "
                  "dropped)",
                  c->path);
    }
    return c->status != 0 ? DS_ERR_REFUSED : 0;
}

int cli_publish(const char *command, ds_outfile_t *const files[], int n, unsigned flags,
                cli_replace_check_t *check)
{
    ds_diag_t diag;
    for (int i = 0; i < n; i++) {
        if (ds_outfile_streams(files[i])) {
            continue;
        }
        char *dir = ds_path_folder(files[i]->path);
        int made = dir != NULL ? cli_make_dirs(command, dir) : EXIT_RUN_FAILED;
        free(dir);
        if (made != 0) {
            for (int k = 0; k < n; k++) {
                ds_outfile_discard(files[k]);
            }
            return made;
        }
    }
    const bool recheck = check != NULL && !check->common->replace;
    if (check != NULL) {
        check->status = 0;
    }
    sigset_t before;
    cli_guard_hold(&before);
    int ret = ds_outfile_publish_checked(files, n, flags, recheck ? replace_check_again : NULL,
                                         check, &diag);
    cli_guard_release(&before);
    if (ret != 0 && check != NULL && check->status != 0) {
        return check->status; /* said */
    }
    if (ret != 0) {
        cli_diag_error(command, &diag);
        return ret == DS_ERR_REFUSED ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    return 0;
}

/* Where the commands print (tables, traces): stdout, or the stream of a
 * program that runs them inside itself (the R package reads it). */
static FILE *output_stream;

FILE *cli_output(void)
{
    return output_stream != NULL ? output_stream : stdout;
}

void cli_set_output(FILE *stream)
{
    output_stream = stream;
}

int cli_stdout_check(const char *command)
{
    if (fflush(cli_output()) != 0 || ferror(cli_output())) {
        cli_error(command, "cannot write to standard output: %s; nothing was replaced",
                  strerror(errno != 0 ? errno : EIO));
        return EXIT_RUN_FAILED;
    }
    return 0;
}

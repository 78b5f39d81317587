/* Files in and out (fileio.h). The rules that keep outputs safe live here, once:
 * what an existing name may be, temporary files that have no name until they
 * are complete, and result sets published whole under their folder's lock. */
#define _GNU_SOURCE /* O_TMPFILE, flock */
#include "dosesim/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

/* Named temporary files: TEMP_PREFIX HOST "-" PID "-" 8 hex digits TEMP_SUFFIX. */
#define TEMP_PREFIX ".dosesim-"
#define TEMP_SUFFIX ".tmp"
enum { HOST_CHARS = 64, TEMP_ATTEMPTS = 100 };

/* ---- names ---- */

size_t ds_path_parent_len(const char *path, size_t len)
{
    while (len > 1 && path[len - 1] == '/') {
        len--;
    }
    while (len > 0 && path[len - 1] != '/') {
        len--;
    }
    while (len > 1 && path[len - 1] == '/') {
        len--;
    }
    return len;
}

char *ds_path_folder(const char *path)
{
    size_t len = ds_path_parent_len(path, strlen(path));
    return len == 0 ? strdup(".") : strndup(path, len);
}

char *ds_path_join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2u;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s/%s", dir, name);
    }
    return path;
}

/* The deepest part of dir that exists (malloc'ed; "." if none of a relative path). */
static char *deepest_existing(const char *dir)
{
    char *path = strdup(dir);
    size_t len = path != NULL ? strlen(path) : 0;
    struct stat st;
    while (path != NULL && stat(path, &st) != 0) {
        len = ds_path_parent_len(path, len);
        if (len == 0) {
            free(path);
            return strdup(".");
        }
        path[len] = '\0';
    }
    return path;
}

/* This host's name as it goes into temporary names: letters, digits and '-'. */
static void host_name(char buf[HOST_CHARS + 1])
{
    if (gethostname(buf, HOST_CHARS) != 0) {
        snprintf(buf, HOST_CHARS + 1, "host");
    }
    buf[HOST_CHARS] = '\0';
    for (char *c = buf; *c != '\0'; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
        *c = ok ? *c : '-';
    }
    if (buf[0] == '\0') {
        snprintf(buf, HOST_CHARS + 1, "host");
    }
}

static uint32_t random_word(int attempt)
{
    uint32_t word = 0;
    if (getrandom(&word, sizeof(word), GRND_NONBLOCK) == (ssize_t)sizeof(word)) {
        return word;
    }
    /* No entropy yet (early boot): the clock, the process and the attempt. */
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
                 (uint64_t)attempt * UINT64_C(0x9e3779b97f4a7c15);
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (uint32_t)x;
}

/* dir/.dosesim-HOST-PID-RANDOM.tmp (malloc'ed). */
static char *temp_name_in(const char *dir, int attempt)
{
    char host[HOST_CHARS + 1];
    host_name(host);
    size_t size = strlen(dir) + HOST_CHARS + 64;
    char *name = malloc(size);
    if (name != NULL) {
        snprintf(name, size, "%s/" TEMP_PREFIX "%s-%ld-%08x" TEMP_SUFFIX, dir, host, (long)getpid(),
                 (unsigned)random_word(attempt));
    }
    return name;
}

bool ds_is_temp_name(const char *name)
{
    size_t len = strlen(name);
    size_t prefix = strlen(TEMP_PREFIX), suffix = strlen(TEMP_SUFFIX);
    if (len < prefix + suffix + 12 || strncmp(name, TEMP_PREFIX, prefix) != 0 ||
        strcmp(name + len - suffix, TEMP_SUFFIX) != 0) {
        return false;
    }
    const char *hex = name + len - suffix - 8;
    return hex[-1] == '-' && strspn(hex, "0123456789abcdef") == 8;
}

/* The process that made a named temporary file, if it was made on this host. */
static bool temp_name_owner(const char *name, long *pid)
{
    if (!ds_is_temp_name(name)) {
        return false;
    }
    size_t len = strlen(name) - strlen(TEMP_SUFFIX) - 9; /* up to "-RANDOM" */
    size_t digits = 0;
    while (digits < len && name[len - 1 - digits] >= '0' && name[len - 1 - digits] <= '9') {
        digits++;
    }
    size_t host_at = strlen(TEMP_PREFIX), host_end = len - digits - 1;
    if (digits == 0 || digits > 10 || host_end <= host_at || name[host_end] != '-') {
        return false;
    }
    char host[HOST_CHARS + 1];
    host_name(host);
    if (host_end - host_at != strlen(host) || strncmp(name + host_at, host, strlen(host)) != 0) {
        return false; /* another host's, on a shared file system: it may be alive */
    }
    *pid = strtol(name + len - digits, NULL, 10);
    return *pid > 0;
}

/* Remove the named temporary files in dir that dead processes of this host,
 * of this user, left (killed between making and renaming them). */
static void remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = 0;
        struct stat st;
        if (!temp_name_owner(e->d_name, &pid) || pid == (long)getpid() ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH) {
            continue;
        }
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid()) {
            unlinkat(dfd, e->d_name, 0);
        }
    }
    closedir(d);
}

/* ---- what a name may be ---- */

/* Whether path names this process's standard output (e.g. /dev/stdout). */
static bool is_stdout(const struct stat *target)
{
    struct stat out;
    return fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == target->st_dev &&
           out.st_ino == target->st_ino;
}

static const char *kind_words(mode_t mode)
{
    return S_ISDIR(mode)    ? "a folder"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "not a regular file";
}

int ds_output_classify(const char *path, unsigned flags, ds_output_kind_t *kind, ds_diag_t *diag)
{
    const bool may_stream = (flags & DS_OUTPUT_MAY_STREAM) != 0;
    struct stat link, target;
    if (strcmp(path, "-") == 0) {
        if (!may_stream) {
            return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "",
                               "this output is a set of files written whole; it cannot go to "
                               "the standard output");
        }
        *kind = DS_OUTPUT_STDOUT;
        return 0;
    }
    size_t len = strlen(path);
    if (len > 0 && path[len - 1] == '/') {
        return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "",
                           "is a folder's name (it ends in /); give a file name");
    }
    if (lstat(path, &link) != 0) {
        if (errno == ENOENT) {
            *kind = DS_OUTPUT_NEW;
            return 0;
        }
        if (errno == ENOTDIR) {
            return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "",
                               "cannot write: a part of the path is a file, not a folder");
        }
        return ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot write: %s", strerror(errno));
    }
    if (S_ISREG(link.st_mode)) {
        *kind = DS_OUTPUT_REPLACE;
        return 0;
    }
    bool followed = stat(path, &target) == 0;
    if (!S_ISLNK(link.st_mode)) {
        target = link;
    }
    bool streamable = followed && (S_ISFIFO(target.st_mode) || S_ISCHR(target.st_mode));
    if (may_stream && followed && is_stdout(&target) && !S_ISDIR(target.st_mode)) {
        *kind = DS_OUTPUT_STDOUT;
        return 0;
    }
    if (may_stream && streamable) {
        *kind = DS_OUTPUT_STREAM;
        return 0;
    }
    if (S_ISLNK(link.st_mode) && !streamable) {
        return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "",
                           "is a symbolic link%s; dosesim does not replace links or write "
                           "through them to files: give the name of the file itself",
                           followed ? "" : " to nothing");
    }
    if (S_ISDIR(target.st_mode)) {
        return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "", "is a folder; give a file name");
    }
    if (streamable) {
        return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "",
                           "is %s%s; this output is written whole and renamed into place, so "
                           "it must be a regular file (or a new name)",
                           S_ISLNK(link.st_mode) ? "a link to " : "", kind_words(target.st_mode));
    }
    return ds_diag_set(diag, DS_ERR_REFUSED, path, 0, "", "is %s: dosesim does not write to it",
                       kind_words(target.st_mode));
}

/* ---- writing ---- */

void ds_outfile_init(ds_outfile_t *self)
{
    memset(self, 0, sizeof(*self));
    self->fd = -1;
}

bool ds_outfile_streams(const ds_outfile_t *self)
{
    return self->kind == DS_OUTPUT_STREAM || self->kind == DS_OUTPUT_STDOUT;
}

const char *ds_outfile_temp_name(const ds_outfile_t *self)
{
    return self->tmp_path;
}

static int fail_io(ds_outfile_t *self, int err, const char *what, ds_diag_t *diag)
{
    if (self->error == 0) {
        self->error = err != 0 ? err : EIO;
    }
    return ds_diag_set(diag, DS_ERR_IO, self->path, 0, "", "%s: %s", what, strerror(self->error));
}

/* The temporary file in folder dir: unnamed where the file system allows it. */
static int open_temp(ds_outfile_t *self, const char *dir, ds_diag_t *diag)
{
    int fd = -1;
    /* linkat() needs /proc/self/fd to give an unnamed file its name. */
    if (access("/proc/self/fd", X_OK) == 0) {
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        if (fd >= 0) {
            self->fd = fd;
            return 0;
        }
        if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT) {
            return fail_io(self, errno, "cannot write", diag);
        }
    }
    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        self->tmp_path = temp_name_in(dir, attempt);
        if (self->tmp_path == NULL) {
            return ds_diag_set(diag, DS_ERR_NOMEM, self->path, 0, "", "out of memory");
        }
        fd = open(self->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            self->fd = fd;
            return 0;
        }
        int err = errno;
        free(self->tmp_path);
        self->tmp_path = NULL;
        if (err != EEXIST) {
            return fail_io(self, err, "cannot write", diag);
        }
    }
    return fail_io(self, EEXIST, "cannot write", diag);
}

int ds_outfile_open(ds_outfile_t *self, const char *path, unsigned flags, ds_diag_t *diag)
{
    ds_outfile_init(self);
    self->path = strdup(path);
    if (self->path == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    int ret = ds_output_classify(path, flags, &self->kind, diag);
    if (ret != 0) {
        return ret;
    }
    int fd = -1;
    if (self->kind == DS_OUTPUT_STDOUT) {
        fflush(stdout);
        fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    } else if (self->kind == DS_OUTPUT_STREAM) {
        fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC); /* never O_CREAT or O_TRUNC */
    } else {
        char *dir = ds_path_folder(path);
        char *existing = dir != NULL ? deepest_existing(dir) : NULL;
        struct stat st;
        if (existing == NULL) {
            ret = ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
        } else if (stat(existing, &st) != 0 || !S_ISDIR(st.st_mode)) {
            ret = ds_diag_set(diag, DS_ERR_IO, existing, 0, "", "is not a folder");
        } else {
            ret = open_temp(self, existing, diag);
        }
        free(dir);
        free(existing);
        if (ret != 0) {
            return ret;
        }
        self->file = fdopen(self->fd, "w");
        if (self->file == NULL) {
            return fail_io(self, errno, "cannot write", diag);
        }
        return 0;
    }
    if (fd < 0) {
        return fail_io(self, errno, "cannot write", diag);
    }
    self->file = fdopen(fd, "w");
    if (self->file == NULL) {
        close(fd);
        return fail_io(self, errno, "cannot write", diag);
    }
    return 0;
}

int ds_outfile_failure(ds_outfile_t *self, ds_diag_t *diag)
{
    return fail_io(self, self->error != 0 ? self->error : errno, "cannot write", diag);
}

int ds_outfile_finish(ds_outfile_t *self, ds_diag_t *diag)
{
    if (self->finished) {
        return self->error != 0 ? ds_outfile_failure(self, diag) : 0;
    }
    self->finished = true;
    if (self->file == NULL) {
        return fail_io(self, EBADF, "cannot write", diag);
    }
    errno = 0;
    bool failed = ferror(self->file) != 0 || fflush(self->file) != 0;
    int err = errno;
    if (!failed && !ds_outfile_streams(self) && fsync(self->fd) != 0) {
        failed = true;
        err = errno;
    }
    if (ds_outfile_streams(self)) {
        if (fclose(self->file) != 0 && !failed) {
            failed = true;
            err = errno;
        }
        self->file = NULL;
    }
    if (failed || self->error != 0) {
        return fail_io(self, self->error != 0 ? self->error : err, "cannot write", diag);
    }
    return 0;
}

/* Give a finished temporary file a name in dir, beside its final name. */
static int link_in(ds_outfile_t *self, const char *dir, ds_diag_t *diag)
{
    char proc[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", self->fd);
    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        char *name = temp_name_in(dir, attempt);
        if (name == NULL) {
            return ds_diag_set(diag, DS_ERR_NOMEM, self->path, 0, "", "out of memory");
        }
        int ok;
        if (self->tmp_path == NULL) {
            ok = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
        } else {
            /* A named temporary file made in a parent folder: moved beside its name. */
            char *from_dir = ds_path_folder(self->tmp_path);
            bool here = from_dir != NULL && strcmp(from_dir, dir) == 0;
            free(from_dir);
            if (here) {
                free(name);
                return 0;
            }
            ok = link(self->tmp_path, name);
            if (ok == 0) {
                unlink(self->tmp_path);
            }
        }
        if (ok == 0) {
            free(self->tmp_path);
            self->tmp_path = name;
            return 0;
        }
        int err = errno;
        free(name);
        if (err != EEXIST) {
            return fail_io(self, err, "cannot write", diag);
        }
    }
    return fail_io(self, EEXIST, "cannot write", diag);
}

/* The final name may still be replaced: absent, or a regular file. */
static int check_final(const ds_outfile_t *self, ds_diag_t *diag)
{
    ds_output_kind_t kind;
    int ret = ds_output_classify(self->path, 0, &kind, diag);
    return ret;
}

int ds_outfile_publish(ds_outfile_t *const files[], int n, unsigned flags, ds_diag_t *diag)
{
    return ds_outfile_publish_checked(files, n, flags, NULL, NULL, diag);
}

int ds_outfile_publish_checked(ds_outfile_t *const files[], int n, unsigned flags,
                               ds_publish_check_t check, void *ctx, ds_diag_t *diag)
{
    int ret = 0, lock = -1, renamed = 0;
    char *dir = NULL;
    for (int i = 0; i < n && ret == 0; i++) {
        ret = ds_outfile_finish(files[i], diag);
    }
    if (ret == 0 && (flags & DS_PUBLISH_SET) != 0 && n > 0) {
        dir = ds_path_folder(files[0]->path);
        ret = dir == NULL ? ds_diag_set(diag, DS_ERR_NOMEM, files[0]->path, 0, "", "out of memory")
                          : ds_folder_lock(dir, true, &lock, diag);
    }
    /* Every file is named beside its final name before any is renamed. */
    for (int i = 0; i < n && ret == 0; i++) {
        ds_outfile_t *f = files[i];
        if (ds_outfile_streams(f)) {
            continue;
        }
        char *here = ds_path_folder(f->path);
        if (here == NULL) {
            ret = ds_diag_set(diag, DS_ERR_NOMEM, f->path, 0, "", "out of memory");
            break;
        }
        remove_stale_temps(here);
        ret = check_final(f, diag);
        if (ret == 0) {
            ret = link_in(f, here, diag);
        }
        free(here);
    }
    /* Under the lock: what is there now is what the renames replace. */
    if (ret == 0 && check != NULL) {
        ret = check(ctx, diag);
    }
    for (int i = 0; i < n && ret == 0; i++) {
        ds_outfile_t *f = files[i];
        if (ds_outfile_streams(f)) {
            continue;
        }
        if (rename(f->tmp_path, f->path) != 0) {
            ret = fail_io(f, errno, "cannot rename into place", diag);
            if (renamed > 0) {
                /* Only a file changed under the lock, between the check and here, gets here. */
                ds_diag_set(diag, DS_ERR_IO, f->path, 0, "",
                            "cannot rename into place: %s; %d of the %d files of the set were "
                            "already replaced, so the folder now holds a mix",
                            strerror(f->error), renamed, n);
            }
            break;
        }
        free(f->tmp_path);
        f->tmp_path = NULL; /* in place: nothing to remove */
        renamed++;
    }
    if (ret == 0 && dir != NULL) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd); /* the renames themselves, on disk */
            close(dfd);
        }
    }
    ds_folder_unlock(lock);
    free(dir);
    for (int i = 0; i < n; i++) {
        ds_outfile_discard(files[i]);
    }
    return ret;
}

int ds_outfile_commit(ds_outfile_t *self, ds_diag_t *diag)
{
    ds_outfile_t *one[1] = {self};
    return ds_outfile_publish(one, 1, 0, diag);
}

void ds_outfile_discard(ds_outfile_t *self)
{
    if (self->file != NULL) {
        fclose(self->file); /* closes fd too */
    } else if (self->fd >= 0 && !ds_outfile_streams(self)) {
        close(self->fd);
    }
    if (self->tmp_path != NULL) {
        unlink(self->tmp_path); /* ours: made with O_EXCL, or linked by us */
    }
    free(self->tmp_path);
    free(self->path);
    ds_outfile_init(self);
}

/* ---- folder locks ---- */

int ds_folder_lock(const char *dir, bool exclusive, int *fd, ds_diag_t *diag)
{
    *fd = -1;
    char *path = ds_path_join(dir, DS_FOLDER_LOCK_NAME);
    if (path == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, dir, 0, "", "out of memory");
    }
    /* O_NOFOLLOW: a link planted under the lock's name is never followed;
     * O_NONBLOCK: nor does a FIFO there hold the run up. */
    const int common = O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
    int lock = open(path, O_RDWR | O_CREAT | common, 0666);
    if (lock < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
        lock = open(path, O_RDONLY | common);
    }
    if (lock < 0) {
        int err = errno;
        free(path);
        if (err == ELOOP) {
            return ds_diag_set(diag, DS_ERR_REFUSED, dir, 0, "",
                               "%s is a symbolic link: not dosesim's lock file",
                               DS_FOLDER_LOCK_NAME);
        }
        return 0; /* a folder we cannot write in: read it unlocked */
    }
    struct stat st;
    if (fstat(lock, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(lock);
        free(path);
        return ds_diag_set(diag, DS_ERR_REFUSED, dir, 0, "", "%s is not a regular file",
                           DS_FOLDER_LOCK_NAME);
    }
    free(path);
    int ret;
    while ((ret = flock(lock, exclusive ? LOCK_EX : LOCK_SH)) != 0 && errno == EINTR) {
    }
    if (ret != 0) {
        close(lock); /* no locks on this file system: go on without */
        return 0;
    }
    *fd = lock;
    return 0;
}

void ds_folder_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

/* ---- folders ---- */

int ds_make_dirs(const char *dir, ds_diag_t *diag)
{
    size_t len = strlen(dir);
    char *path = strdup(dir);
    if (path == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, dir, 0, "", "out of memory");
    }
    int ret = 0;
    for (size_t i = 1; i <= len && ret == 0; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char saved = path[i];
            path[i] = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot create folder: %s",
                                  strerror(errno));
            }
            path[i] = saved;
        }
    }
    struct stat st;
    if (ret == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        ret = ds_diag_set(diag, DS_ERR_IO, dir, 0, "", "is not a folder");
    }
    free(path);
    return ret;
}

/* ---- reading ---- */

int ds_read_file(const char *path, long max_bytes, unsigned flags, char **text, size_t *len,
                 ds_diag_t *diag)
{
    int ret = 0;
    char *buf = NULL;
    size_t used = 0, cap = 0;
    struct stat st;
    const bool in_folder = (flags & DS_READ_IN_FOLDER) != 0;
    *text = NULL;
    *len = 0;
    int fd =
        open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (in_folder ? O_NOFOLLOW | O_NONBLOCK : 0));
    if (fd < 0) {
        if (errno == ELOOP && in_folder) {
            return ds_diag_set(diag, DS_ERR_IO, path, 0, "",
                               "is a symbolic link; dosesim reads only the files a results folder "
                               "holds itself");
        }
        return ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
    }
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        return ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "is a directory, not a file");
        goto out;
    }
    if (!S_ISREG(st.st_mode) && (in_folder || !S_ISFIFO(st.st_mode))) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "is %s, not a file to read",
                          kind_words(st.st_mode));
        goto out;
    }
    /* Read in pieces rather than trusting st_size, so pipes work too. */
    for (;;) {
        if (cap - used < 65536) {
            cap = cap == 0 ? 65536 : 2 * cap;
            char *grown = realloc(buf, cap + 1);
            if (grown == NULL) {
                ret = ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
                goto out;
            }
            buf = grown;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (used > (size_t)max_bytes) {
            ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                              "larger than %ld MiB; is this the right file?",
                              max_bytes / (1024L * 1024L));
            goto out;
        }
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        goto out;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    buf = NULL;
out:
    fclose(f);
    free(buf);
    return ret;
}

int ds_outfile_status(ds_outfile_t *self)
{
    if (!ferror(self->file)) {
        return 0;
    }
    if (self->error == 0) {
        self->error = errno != 0 ? errno : EIO;
    }
    return DS_ERR_IO;
}

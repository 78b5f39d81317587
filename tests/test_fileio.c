/* Files in and out: what an output name may be, files with no name until they
 * are complete, sets published whole, what is never followed or replaced, the
 * temporary files of dead processes, and reading only what a folder holds. */
#define _GNU_SOURCE /* mkfifo, socket */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dosesim/fileio.h"
#include "testlib.h"
#include "testrun.h"

static char *path_in(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    if (path != NULL) {
        sprintf(path, "%s/%s", dir, name);
    }
    return path;
}

/* Entries of a folder other than dosesim's lock: n, and how many are temporary files. */
static int count_entries(const char *dir, int *temps)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    *temps = 0;
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, DS_FOLDER_LOCK_NAME) == 0) {
            continue;
        }
        n++;
        *temps += ds_is_temp_name(e->d_name);
    }
    closedir(d);
    return n;
}

static void test_classify(void)
{
    char *dir = test_temp_dir();
    ds_output_kind_t kind;
    ds_diag_t diag;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *file = path_in(dir, "file.csv"), *fifo = path_in(dir, "fifo");
    char *to_file = path_in(dir, "to-file"), *to_nothing = path_in(dir, "to-nothing");
    char *to_fifo = path_in(dir, "to-fifo"), *sock = path_in(dir, "socket");
    CHECK(test_write_file(file, "x"));
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK(symlink(file, to_file) == 0 && symlink("nothing", to_nothing) == 0 &&
          symlink(fifo, to_fifo) == 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
    CHECK(s >= 0 && strlen(sock) < sizeof(addr.sun_path) &&
          bind(s, (struct sockaddr *)&addr, sizeof(addr)) == 0);

    char *new_name = path_in(dir, "new.csv");
    CHECK(ds_output_classify(new_name, 0, &kind, &diag) == 0 && kind == DS_OUTPUT_NEW);
    CHECK(ds_output_classify(file, 0, &kind, &diag) == 0 && kind == DS_OUTPUT_REPLACE);
    CHECK(ds_output_classify("-", DS_OUTPUT_MAY_STREAM, &kind, &diag) == 0 &&
          kind == DS_OUTPUT_STDOUT);
    CHECK_INT_EQ(ds_output_classify("-", 0, &kind, &diag), DS_ERR_REFUSED);
    CHECK(ds_output_classify(fifo, DS_OUTPUT_MAY_STREAM, &kind, &diag) == 0 &&
          kind == DS_OUTPUT_STREAM);
    CHECK(ds_output_classify(to_fifo, DS_OUTPUT_MAY_STREAM, &kind, &diag) == 0 &&
          kind == DS_OUTPUT_STREAM);
    CHECK(ds_output_classify("/dev/null", DS_OUTPUT_MAY_STREAM, &kind, &diag) == 0 &&
          kind == DS_OUTPUT_STREAM);
    /* Refused, whatever may stream: links to files, to nothing, folders, sockets;
     * and, where a file must be replaced whole, FIFOs and devices. */
    static const unsigned flags[] = {0, DS_OUTPUT_MAY_STREAM};
    for (int f = 0; f < 2; f++) {
        CHECK_INT_EQ(ds_output_classify(to_file, flags[f], &kind, &diag), DS_ERR_REFUSED);
        CHECK(strstr(diag.message, "symbolic link") != NULL);
        CHECK_INT_EQ(ds_output_classify(to_nothing, flags[f], &kind, &diag), DS_ERR_REFUSED);
        CHECK_INT_EQ(ds_output_classify(dir, flags[f], &kind, &diag), DS_ERR_REFUSED);
        CHECK(strstr(diag.message, "folder") != NULL);
        CHECK_INT_EQ(ds_output_classify(sock, flags[f], &kind, &diag), DS_ERR_REFUSED);
        CHECK(strstr(diag.message, "socket") != NULL);
    }
    CHECK_INT_EQ(ds_output_classify(fifo, 0, &kind, &diag), DS_ERR_REFUSED);
    CHECK_INT_EQ(ds_output_classify("/dev/null", 0, &kind, &diag), DS_ERR_REFUSED);
    CHECK(strstr(diag.message, "character device") != NULL);
    if (s >= 0) {
        close(s);
    }
    free(new_name);
    free(file);
    free(fifo);
    free(to_file);
    free(to_nothing);
    free(to_fifo);
    free(sock);
    test_remove_dir(dir);
}

/* Nothing named exists while a file is written, nor after it is dropped. */
static void test_unnamed_until_published(void)
{
    char *dir = test_temp_dir();
    ds_outfile_t out;
    ds_diag_t diag;
    int temps = 0;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *path = path_in(dir, "result.csv");
    CHECK_INT_EQ(ds_outfile_open(&out, path, 0, &diag), 0);
    fputs("partial", out.file);
    fflush(out.file);
    int n = count_entries(dir, &temps);
    CHECK_MSG(n == 0 || (n == 1 && temps == 1), "%d entries while writing", n);
    CHECK(ds_outfile_temp_name(&out) == NULL || n == 1); /* unnamed where O_TMPFILE works */
    ds_outfile_discard(&out);
    CHECK_INT_EQ(count_entries(dir, &temps), 0);
    ds_outfile_discard(&out); /* safe twice */

    CHECK_INT_EQ(ds_outfile_open(&out, path, 0, &diag), 0);
    fputs("complete\n", out.file);
    CHECK_INT_EQ(ds_outfile_commit(&out, &diag), 0);
    ds_outfile_discard(&out); /* after a commit it leaves the file alone */
    char *text = test_read_file(path, NULL);
    CHECK(text != NULL && strcmp(text, "complete\n") == 0);
    free(text);
    CHECK(count_entries(dir, &temps) == 1 && temps == 0);

    /* Into a folder that does not exist yet: written in the deepest one that
     * does, and the folder is not made (the program makes it when it publishes). */
    char *deeper = path_in(dir, "a/b/c.csv");
    CHECK_INT_EQ(ds_outfile_open(&out, deeper, 0, &diag), 0);
    fputs("deep\n", out.file);
    CHECK(count_entries(dir, &temps) == 1 || temps == 1);
    CHECK_INT_EQ(ds_outfile_finish(&out, &diag), 0);
    char *a_b = path_in(dir, "a/b");
    CHECK_INT_EQ(ds_make_dirs(a_b, &diag), 0);
    CHECK_INT_EQ(ds_outfile_commit(&out, &diag), 0);
    text = test_read_file(deeper, NULL);
    CHECK(text != NULL && strcmp(text, "deep\n") == 0);
    free(text);
    free(a_b);
    free(deeper);
    free(path);
    test_remove_dir(dir);
}

/* A set is published whole; a final name that became a link or a folder
 * before publishing is refused, and nothing of the set replaces anything. */
static void test_publish_set(void)
{
    char *dir = test_temp_dir();
    ds_outfile_t files[3];
    ds_outfile_t *set[3] = {&files[0], &files[1], &files[2]};
    ds_diag_t diag;
    int temps = 0;
    if (!CHECK(dir != NULL)) {
        return;
    }
    static const char *const names[3] = {"a.csv", "b.csv", "c.csv"};
    char *paths[3];
    for (int k = 0; k < 3; k++) {
        paths[k] = path_in(dir, names[k]);
        CHECK_INT_EQ(ds_outfile_open(&files[k], paths[k], 0, &diag), 0);
        fprintf(files[k].file, "first %d\n", k);
    }
    CHECK_INT_EQ(ds_outfile_publish(set, 3, DS_PUBLISH_SET, &diag), 0);
    CHECK(count_entries(dir, &temps) == 3 && temps == 0);
    char *lock = path_in(dir, DS_FOLDER_LOCK_NAME);
    struct stat st;
    CHECK(lstat(lock, &st) == 0 && S_ISREG(st.st_mode));

    /* b.csv becomes a link to a file outside the set while the next set is
     * written: opening would have refused it; publishing does too. */
    char *outside = path_in(dir, "outside.txt");
    CHECK(test_write_file(outside, "precious\n"));
    for (int k = 0; k < 3; k++) {
        CHECK_INT_EQ(ds_outfile_open(&files[k], paths[k], 0, &diag), 0);
        if (files[k].file != NULL) {
            fprintf(files[k].file, "second %d\n", k);
        }
    }
    CHECK(unlink(paths[1]) == 0 && symlink(outside, paths[1]) == 0);
    ds_outfile_t probe;
    CHECK_INT_EQ(ds_outfile_open(&probe, paths[1], 0, &diag), DS_ERR_REFUSED);
    ds_outfile_discard(&probe);
    CHECK_INT_EQ(ds_outfile_publish(set, 3, DS_PUBLISH_SET, &diag), DS_ERR_REFUSED);
    char *text = test_read_file(outside, NULL);
    CHECK(text != NULL && strcmp(text, "precious\n") == 0);
    free(text);
    CHECK(lstat(paths[1], &st) == 0 && S_ISLNK(st.st_mode));
    text = test_read_file(paths[0], NULL);
    CHECK(text != NULL && strcmp(text, "first 0\n") == 0); /* a.csv not replaced either */
    free(text);
    CHECK(count_entries(dir, &temps) == 4 && temps == 0);

    /* A link planted under the lock's name is never followed. */
    CHECK(unlink(paths[1]) == 0 && unlink(lock) == 0 && symlink(outside, lock) == 0);
    for (int k = 0; k < 3; k++) {
        CHECK_INT_EQ(ds_outfile_open(&files[k], paths[k], 0, &diag), 0);
    }
    CHECK_INT_EQ(ds_outfile_publish(set, 3, DS_PUBLISH_SET, &diag), DS_ERR_REFUSED);
    text = test_read_file(outside, NULL);
    CHECK(text != NULL && strcmp(text, "precious\n") == 0);
    free(text);
    int fd = -1;
    CHECK_INT_EQ(ds_folder_lock(dir, false, &fd, &diag), DS_ERR_REFUSED);
    /* Nor does a FIFO there hold anyone up. */
    CHECK(unlink(lock) == 0 && mkfifo(lock, 0600) == 0);
    CHECK_INT_EQ(ds_folder_lock(dir, true, &fd, &diag), DS_ERR_REFUSED);
    for (int k = 0; k < 3; k++) {
        free(paths[k]);
    }
    free(outside);
    free(lock);
    test_remove_dir(dir);
}

/* Temporary files of dead processes of this host go when a file is next
 * published into their folder; a living process's, another host's, and
 * anything else stay. */
static void test_stale_temporaries(void)
{
    char *dir = test_temp_dir();
    ds_outfile_t out;
    ds_diag_t diag;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char host[65];
    test_host_name(host);
    pid_t dead = fork();
    if (dead == 0) {
        _exit(0);
    }
    waitpid(dead, NULL, 0);
    char names[4][200];
    snprintf(names[0], sizeof(names[0]), ".dosesim-%s-%ld-0123abcd.tmp", host, (long)dead);
    snprintf(names[1], sizeof(names[1]), ".dosesim-%s-%ld-0123abcd.tmp", host, (long)getppid());
    snprintf(names[2], sizeof(names[2]), ".dosesim-someotherhost-%ld-0123abcd.tmp", (long)dead);
    snprintf(names[3], sizeof(names[3]), ".dosesim-%s-%ld-notmine.tmp", host, (long)dead);
    for (int k = 0; k < 4; k++) {
        char *p = path_in(dir, names[k]);
        CHECK(test_write_file(p, "left\n"));
        free(p);
    }
    CHECK(ds_is_temp_name(names[0]) && ds_is_temp_name(names[2]) && !ds_is_temp_name(names[3]));
    char *path = path_in(dir, "x.csv");
    CHECK_INT_EQ(ds_outfile_open(&out, path, 0, &diag), 0);
    CHECK_INT_EQ(ds_outfile_commit(&out, &diag), 0);
    for (int k = 0; k < 4; k++) {
        char *p = path_in(dir, names[k]);
        CHECK_MSG((access(p, F_OK) == 0) == (k != 0), "%s %s", names[k],
                  k == 0 ? "was left" : "was removed");
        free(p);
    }
    free(path);
    test_remove_dir(dir);
}

/* Written into a FIFO as it goes, read by another process. */
static void test_stream_into_fifo(void)
{
    char *dir = test_temp_dir();
    ds_outfile_t out;
    ds_diag_t diag;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *fifo = path_in(dir, "fifo"), *copy = path_in(dir, "copy");
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t reader = copy_fifo(fifo, copy);
    CHECK_INT_EQ(ds_outfile_open(&out, fifo, DS_OUTPUT_MAY_STREAM, &diag), 0);
    CHECK(ds_outfile_streams(&out));
    fputs("row 1\nrow 2\n", out.file);
    CHECK_INT_EQ(ds_outfile_commit(&out, &diag), 0);
    int status = 0;
    waitpid(reader, &status, 0);
    char *text = test_read_file(copy, NULL);
    CHECK(text != NULL && strcmp(text, "row 1\nrow 2\n") == 0);
    struct stat st;
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode)); /* still the FIFO */
    free(text);
    free(fifo);
    free(copy);
    test_remove_dir(dir);
}

/* Found in a folder: only a regular file is read, never through a link, never
 * waiting on a FIFO. Named on the command line, a FIFO is read (<(...)). */
static void test_read_in_folder(void)
{
    char *dir = test_temp_dir();
    ds_diag_t diag;
    char *text = NULL;
    size_t len = 0;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *file = path_in(dir, "summary.csv"), *link_name = path_in(dir, "doses.csv");
    char *fifo = path_in(dir, "sample_size.csv");
    CHECK(test_write_file(file, "scenario\n"));
    CHECK(symlink("/etc/passwd", link_name) == 0 && mkfifo(fifo, 0600) == 0);
    CHECK_INT_EQ(ds_read_file(file, 1000, DS_READ_IN_FOLDER, &text, &len, &diag), 0);
    CHECK(text != NULL && len == 9);
    free(text);
    CHECK_INT_EQ(ds_read_file(link_name, 100000, DS_READ_IN_FOLDER, &text, &len, &diag), DS_ERR_IO);
    CHECK(strstr(diag.message, "symbolic link") != NULL && text == NULL);
    CHECK_INT_EQ(ds_read_file(fifo, 1000, DS_READ_IN_FOLDER, &text, &len, &diag), DS_ERR_IO);
    CHECK(strstr(diag.message, "FIFO") != NULL);
    pid_t writer = fork();
    if (writer == 0) {
        int fd = open(fifo, O_WRONLY);
        _exit(fd >= 0 && write(fd, "a,b\n", 4) == 4 ? 0 : 1);
    }
    CHECK_INT_EQ(ds_read_file(fifo, 1000, 0, &text, &len, &diag), 0);
    CHECK(text != NULL && strcmp(text, "a,b\n") == 0);
    free(text);
    waitpid(writer, NULL, 0);
    free(file);
    free(link_name);
    free(fifo);
    test_remove_dir(dir);
}

static void test_make_dirs(void)
{
    char *dir = test_temp_dir();
    ds_diag_t diag;
    int temps;
    if (!CHECK(dir != NULL)) {
        return;
    }
    char *nested = path_in(dir, "a/b/c");
    CHECK_INT_EQ(ds_make_dirs(nested, &diag), 0);
    CHECK_INT_EQ(count_entries(nested, &temps), 0);
    CHECK_INT_EQ(ds_make_dirs(nested, &diag), 0); /* already there */
    char *file = path_in(dir, "plain-file");
    char *below = path_in(file, "out");
    CHECK(test_write_file(file, "x"));
    CHECK(ds_make_dirs(below, &diag) == DS_ERR_IO);
    free(file);
    free(below);
    free(nested);
    test_remove_dir(dir);
}

const test_case_t fileio_tests[] = {
    {"classify", test_classify},
    {"unnamed_until_published", test_unnamed_until_published},
    {"publish_set", test_publish_set},
    {"stale_temporaries", test_stale_temporaries},
    {"stream_into_fifo", test_stream_into_fifo},
    {"read_in_folder", test_read_in_folder},
    {"make_dirs", test_make_dirs},
    {NULL, NULL},
};

/**
 * @file fileio.h
 * @brief Files in and out: reading input whole, output files written whole or
 *        not at all, result sets published as a whole, and the rule for what an
 *        existing output name may be.
 *
 * A file is written into an unnamed temporary file (Linux's O_TMPFILE) on the
 * file system of its folder, and linked in and renamed over its name only when
 * complete ("published"). Until then nothing named exists, so a run killed by
 * any signal, SIGKILL included, leaves nothing behind. Where the file system has
 * no O_TMPFILE (or /proc is not mounted), the temporary file gets a name of its
 * own, ".dosesim-HOST-PID-RANDOM.tmp", made with O_EXCL and O_NOFOLLOW (so never
 * through a planted link); a later publish into the same folder removes such
 * files of dead processes of this host (ds_outfile_publish).
 *
 * The files of one folder (a result set) are published together, under the
 * folder's lock: an flock() on DIR/.dosesim.lock, a file dosesim makes once and
 * leaves. Two runs writing one folder at once then each publish a whole set,
 * one after the other, and a reader that takes the lock (ds_folder_lock) never
 * sees half of one. (On a file system without flock, some cluster file
 * systems, sets are published without the lock.)
 *
 * What an existing output name may be: a regular file, which is replaced; and,
 * for outputs that may stream (DS_OUTPUT_MAY_STREAM), "-" (standard output), a
 * FIFO or a character device, or a symbolic link to one, which is written into
 * as the work goes. Anything else is refused (DS_ERR_REFUSED): a symbolic link
 * to a file or folder, a folder, a socket, a block device. dosesim never
 * replaces, deletes or writes through anything it did not make.
 */
#ifndef DOSESIM_FILEIO_H
#define DOSESIM_FILEIO_H

#include <stdbool.h>
#include <stdio.h>

#include "dosesim/error.h"

/** What writing an output name does. */
typedef enum {
    DS_OUTPUT_NEW,     /**< no such name yet: the file appears, whole, when published */
    DS_OUTPUT_REPLACE, /**< a regular file: replaced, whole, when published */
    DS_OUTPUT_STREAM,  /**< a FIFO or character device (or a link to one): written as it goes */
    DS_OUTPUT_STDOUT,  /**< "-", or a name of the standard output: written as it goes */
} ds_output_kind_t;

/** The output may be streamed into "-", a FIFO or a character device. */
#define DS_OUTPUT_MAY_STREAM 1u

/** The lock file of a result folder (see above). */
#define DS_FOLDER_LOCK_NAME ".dosesim.lock"

/**
 * @brief What writing path would do, or why it is refused.
 * @return 0 with *kind; DS_ERR_REFUSED with the reason in diag (the name is of
 *         a kind dosesim does not write); DS_ERR_IO if it cannot be examined.
 */
int ds_output_classify(const char *path, unsigned flags, ds_output_kind_t *kind,
                       ds_diag_t *diag) DS_WARN_UNUSED;

/** An output file being written. */
typedef struct {
    char *path;            /**< its final name */
    FILE *file;            /**< where the text goes; NULL once finished */
    ds_output_kind_t kind; /**< how it is written */
    int fd;                /**< the unnamed temporary file (O_TMPFILE), or -1 */
    char *tmp_path;        /**< the named temporary file, when there is one, or NULL */
    int error;             /**< errno of the first failure, or 0 */
    bool finished;         /**< flushed and synced (or, streamed, closed) */
} ds_outfile_t;

/** Zero an output file, so that ds_outfile_discard() is always safe. */
void ds_outfile_init(ds_outfile_t *self);

/**
 * @brief Start writing path: an unnamed temporary file in its folder (or, while
 *        the folder does not exist yet, in its deepest existing parent), or the
 *        stream it names.
 * @return 0; DS_ERR_REFUSED (see ds_output_classify); DS_ERR_IO; DS_ERR_NOMEM.
 *         Discard with ds_outfile_discard() whatever the result.
 */
int ds_outfile_open(ds_outfile_t *self, const char *path, unsigned flags,
                    ds_diag_t *diag) DS_WARN_UNUSED;

/** Whether the output is written as it goes (a stream) rather than published whole. */
bool ds_outfile_streams(const ds_outfile_t *self);

/** The named temporary file, for a program that removes it on a signal; NULL if none. */
const char *ds_outfile_temp_name(const ds_outfile_t *self);

/**
 * @brief Flush and sync what was written (a stream: close it), reporting any
 *        write error, a full disk say, with the file's name and the reason.
 * @return 0 or DS_ERR_IO; the file is not yet published.
 */
int ds_outfile_finish(ds_outfile_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** "PATH: cannot write: REASON" for a write that failed; returns DS_ERR_IO. */
int ds_outfile_failure(ds_outfile_t *self, ds_diag_t *diag);

/** After a row: 0, or DS_ERR_IO with the first failure's errno kept (for
 *  ds_outfile_failure to say which file and why). */
int ds_outfile_status(ds_outfile_t *self);

/**
 * @brief Publish files (finishing those not finished), each under its final
 *        name; streams need nothing more. With DS_PUBLISH_SET they must share a
 *        folder and are published under its lock. Every file is linked in under
 *        a temporary name before the first is renamed, so a failure on the way
 *        replaces nothing; the renames follow one another under the lock (a
 *        program should hold its signals over this call).
 * @return 0; DS_ERR_IO; DS_ERR_REFUSED if a final name became something dosesim
 *         does not replace. The files are discarded whatever the result.
 */
int ds_outfile_publish(ds_outfile_t *const files[], int n, unsigned flags,
                       ds_diag_t *diag) DS_WARN_UNUSED;
#define DS_PUBLISH_SET 1u

/**
 * @brief A last look before files are published (ds_outfile_publish_checked):
 *        0 to go on; else a negative DS_ERR_* (said in diag, or by the caller
 *        itself) that stops the publishing, nothing replaced.
 */
typedef int (*ds_publish_check_t)(void *ctx, ds_diag_t *diag);

/**
 * @brief ds_outfile_publish(), calling check once every file is linked in
 *        beside its final name and just before the first is renamed over it:
 *        under the folder's lock for a set (DS_PUBLISH_SET), so that what the
 *        check sees is what the renames replace, whoever wrote it while the
 *        files were being made; for single files, a moment before (no lock is
 *        made in folders that are not result sets). A non-zero return
 *        publishes nothing and is returned; check NULL is ds_outfile_publish().
 *        The files are discarded whatever the result.
 */
int ds_outfile_publish_checked(ds_outfile_t *const files[], int n, unsigned flags,
                               ds_publish_check_t check, void *ctx, ds_diag_t *diag) DS_WARN_UNUSED;

/** ds_outfile_publish() of one file. */
int ds_outfile_commit(ds_outfile_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Drop the file: nothing of it is left (a stream is just closed). Always safe. */
void ds_outfile_discard(ds_outfile_t *self);

/**
 * @brief Take a result folder's lock: exclusive to publish, shared to read a
 *        set. The lock file is made if missing and the folder is writable; if it
 *        cannot be (a read-only folder) or the file system has no locks, *fd is
 *        -1 and 0 is returned: reading goes on unlocked.
 * @return 0 or DS_ERR_REFUSED (the lock's name is not a regular file).
 */
int ds_folder_lock(const char *dir, bool exclusive, int *fd, ds_diag_t *diag) DS_WARN_UNUSED;

/** Release a lock taken with ds_folder_lock (fd may be -1). */
void ds_folder_unlock(int fd);

/**
 * The length of the folder part of path[0..len): the last name and the slashes
 * before it dropped ("/" stays; 0 for a bare name). Pure, so safe in a signal
 * handler.
 */
size_t ds_path_parent_len(const char *path, size_t len);

/** The folder of path, malloc'ed ("." for a bare name); NULL when out of memory. */
char *ds_path_folder(const char *path);

/** "DIR/NAME", malloc'ed; NULL when out of memory. */
char *ds_path_join(const char *dir, const char *name);

/** Whether name (a file name, not a path) is one of dosesim's named temporary files. */
bool ds_is_temp_name(const char *name);

/**
 * @brief Create a folder and its parents, as mkdir -p.
 * @return 0 or DS_ERR_IO with diag.
 */
int ds_make_dirs(const char *dir, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Read a whole file into memory: a regular file (or, unless
 *        DS_READ_IN_FOLDER, a FIFO such as a shell's <(...)) of at most max_bytes.
 *        DS_READ_IN_FOLDER is for files found by name inside a folder given by
 *        someone else (a results folder): no symbolic link is followed and only
 *        a regular file is read.
 * @return 0 with *text (malloc'ed, NUL-terminated) and *len; DS_ERR_IO or
 *         DS_ERR_PARSE (too large) with diag; DS_ERR_NOMEM.
 */
int ds_read_file(const char *path, long max_bytes, unsigned flags, char **text, size_t *len,
                 ds_diag_t *diag) DS_WARN_UNUSED;
#define DS_READ_IN_FOLDER 1u

#endif

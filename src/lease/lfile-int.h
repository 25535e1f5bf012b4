/* Private to the lease file (lfile*.c): helpers shared by the row codec,
 * loading, the journal and the merge. lfile.h is the public interface. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lease/lfile.h"

/* Longest header line (12 columns), without its newline. */
#define LFILE_HEADER_MAX 128

/** Count a header line's columns and check the names Kea checks
 *  (VersionedCSVFile::validateHeader): the count, or -EBADMSG. */
int lfile_header_cols(const char *line, size_t len);
/** A first line cut short while the header was being written. */
bool lfile_header_torn(const char *line, size_t len);

/** NAME + SUFFIX, malloc'd; NULL on no memory. */
char *lfile_suffixed(const char *name, const char *suffix);
/** kea-lfc's pid file names a live process other than us. */
bool lfile_pid_live(const char *pidpath);
/** fsync the directory that holds @path (after a create or rename). */
int lfile_fsync_dir(const char *path);
bool lfile_exists(const char *path);
/** write() all of @buf, retrying on EINTR; -errno, or -ENOSPC on a 0 write. */
int lfile_write_all(int fd, const char *buf, size_t len);

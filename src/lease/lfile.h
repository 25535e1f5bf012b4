/* The memfile lease file: Kea-compatible CSV (csv_lease_file4.cc), an
 * append-only journal with group commit, and Kea's LFC compaction protocol
 * with Kea's file names, so kea-dhcp4 and kea-lfc can read what lessor writes
 * and the other way round.
 *
 * File set for lease file NAME (Memfile_LeaseMgr::appendSuffix):
 *   NAME            current journal, appended to
 *   NAME.1          previous journal, input of the running/pending LFC
 *   NAME.2          result of the previous LFC
 *   NAME.output     LFC output being written (ignored on load)
 *   NAME.completed  finished LFC output not yet renamed to NAME.2
 *   NAME.pid        kea-lfc's pid file (an external LFC in progress)
 * Load order: NAME.completed if it exists, else NAME.2 then NAME.1; then NAME.
 * Later rows win; a row with valid_lifetime 0 deletes its address.
 *
 * Header: new files get Kea 2.2's 11-column header (LFILE_COLS_KEA22). Kea 2.2
 * reads it natively and Kea 2.4 upgrades it (pool_id = 0). A file that already
 * carries Kea 2.4's 12-column header keeps getting 12-column rows, so every
 * reader sees rows that match their file's header.
 *
 * Durability: a row is durable once lfile_sync() covering its sequence number
 * returned 0. A torn last line (crash during write) is never applied: on load
 * an unterminated last line is counted as a row error and skipped, and opening
 * for append cuts it off before the first new row. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease/lease.h"
#include "util/macro.h"

#define LFILE_COLS_MIN 9                /* through "hostname" (setMinimumValidColumns) */
#define LFILE_COLS_KEA22 11             /* ... state, user_context */
#define LFILE_COLS_KEA24 12             /* ... pool_id */
#define LFILE_ROW_MAX 8192              /* longest row we format, newline included */

/** The header line (no newline) for @ncols columns (9..12). */
const char *lfile_header(unsigned ncols);

/** Kea's CSV escaping (CSVRow::escapeCharacters): ',' and '&' (Kea 2.2's set)
 *  plus control characters and bytes >= 0x7f (Kea 2.6's set) become "&#xhh".
 *  Writes at most @cap bytes including the NUL; returns the length or -ENOSPC. */
int lfile_escape(const char *s, char *buf, size_t cap);

/** Reverse of lfile_escape for the field s[0..len): "&#x" + two hex digits is
 *  one byte; anything else is copied. Returns the length or -ENOSPC. */
int lfile_unescape(const char *s, size_t len, char *buf, size_t cap);

/** Format @l as one CSV row of @ncols columns (11 or 12), newline included.
 *  @deleted writes Kea's delete marker (valid_lifetime 0, expire = cltt).
 *  Returns the length or -ENOSPC. Any thread. */
int lfile_row_format(const lease4_t *l, bool deleted, unsigned ncols, char *buf, size_t cap);

/** Parse one row (without line terminator) of a file whose header has
 *  @hdr_cols columns. Accepts rows of Kea's versioned CSV rules: at least
 *  min(hdr_cols, 12) and at most max(hdr_cols, 12) columns. On failure returns
 *  -EBADMSG and a static reason in *reterr_why. Never crashes on any input. */
int lfile_row_parse(const char *line, size_t len, unsigned hdr_cols, lease4_t *ret,
                    const char **reterr_why);

/* Called for every good row in file order; a row with valid_lft == 0 is a
 * delete. A negative return aborts the load with that code. */
typedef int (*lfile_row_fn)(void *userdata, const lease4_t *l);

typedef struct lfile_load_stats {
	uint64_t rows;                  /* good rows passed to the callback */
	uint64_t errors;                /* bad rows skipped (torn last line included) */
	uint64_t last_err_line;         /* 1-based line of the last bad row, 0 = none */
	char last_err[160];             /* why the last bad row was rejected */
	unsigned hdr_cols;              /* columns in the header, 0 = empty file */
	bool torn_tail;                 /* the file ended without a newline */
} lfile_load_stats_t;

/** Read one lease file. -ENOENT if it does not exist. Accumulates into *st (the
 *  caller zeroes it once for a whole file set; @max_row_errors, 0 = unlimited,
 *  applies to the sum). More bad rows than allowed, or a bad header, return
 *  -EBADMSG with a malloc'd "FILE line N: reason" in *reterr. Any thread. */
int lfile_load(const char *path, uint32_t max_row_errors, lfile_row_fn fn, void *userdata,
               lfile_load_stats_t *st, char **reterr);

/** Load a whole file set in Kea's order (see above) and finish an LFC that
 *  was interrupted after writing NAME.completed. Refuses with -EBUSY when
 *  NAME.pid names a live process (a kea-lfc is running). Missing files are
 *  fine. Main thread, at open. */
int lfile_load_set(const char *name, uint32_t max_row_errors, lfile_row_fn fn, void *userdata,
                   lfile_load_stats_t *st, char **reterr);

/* ---- journal -------------------------------------------------------- */

typedef struct lfile lfile_t;

/** Open NAME for appending (creating it with the default header if missing,
 *  empty or with a torn header; cutting a torn last row). Rows are written in
 *  the column count of the file's header. The LFC thread is not started. */
int lfile_open(const char *name, lfile_t **ret);

/** Flush, join a running LFC, close. NULL-safe; returns NULL. */
lfile_t *lfile_close(lfile_t *f);
DEFINE_FREEP(lfile_t, lfile_close)

/** Append one row (one write() into the O_APPEND descriptor under the journal
 *  mutex). *ret_seq receives the row's sequence number for lfile_sync().
 *  A failed or short write is undone (ftruncate) and returns -ENOSPC/-EIO.
 *  Any thread; never blocks on fsync. */
int lfile_append(lfile_t *f, const lease4_t *l, bool deleted, uint64_t *ret_seq);

/** Group commit: return once every row with sequence <= @seq is on disk.
 *  If a completed fdatasync already covers @seq, returns at once; if one is in
 *  flight, waits for it and syncs again only if still needed; otherwise this
 *  caller becomes the leader and one fdatasync covers every row written so far
 *  by anyone. Errors are sticky (-EIO from then on). Any thread. */
int lfile_sync(lfile_t *f, uint64_t seq);

/** Highest sequence number handed out so far. */
uint64_t lfile_seq(lfile_t *f);

/** Number of fdatasync() calls made on journal files (for benchmarks). */
uint64_t lfile_fsyncs(lfile_t *f);

/** Start an LFC if none is running: rotate NAME to NAME.1 under the journal
 *  mutex (unless NAME.1 still exists from an unfinished LFC) so new rows go to
 *  a fresh NAME, then merge NAME.2 + NAME.1 on a separate thread (see
 *  lfile_merge). Returns 0 when started, -EBUSY when an LFC is still running
 *  or a kea-lfc pid file is live, or an error from the rotate. Any thread. */
int lfile_lfc_start(lfile_t *f);

/** Wait for a running LFC; returns its result (0 if none ran). */
int lfile_lfc_wait(lfile_t *f);

/** True while the LFC thread has not finished. */
bool lfile_lfc_running(lfile_t *f);

/** The merge step of Kea's LFC (what kea-lfc does): read NAME.2 then NAME.1,
 *  keep the last row per address, drop deleted ones, write NAME.output
 *  (fsync), rename to NAME.completed (fsync dir), unlink NAME.2 and NAME.1,
 *  rename NAME.completed to NAME.2 (fsync dir). A crash at any point leaves a
 *  set that lfile_load_set() loads to the same state. Output rows have
 *  @ncols columns. Any thread, takes no lock. */
int lfile_merge(const char *name, unsigned ncols);

/* Kea-compatible lease file: the append-only journal with group commit, and
 * LFC rotation. See lfile.h for the file set and the durability contract. */
#include "lease/lfile-int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct lfile {
	char *name;
	char *name1;
	char *pidpath;

	/* Lock order: lfc_mu, then a store-mem shard lock, then mu. sync_mu is
	 * never held together with mu or lfc_mu. Nothing blocks on I/O under
	 * mu except the one write() of a row and the rename of a rotate. */
	pthread_mutex_t mu;
	int fd;                         /* current journal, O_APPEND */
	off_t size;                     /* bytes of complete rows in fd */
	unsigned ncols;                 /* columns per row written to fd */
	uint64_t seq;                   /* last sequence handed out */
	int retired_fd;                 /* journal before the last rotate, not yet synced */
	bool dir_dirty;                 /* a file was created/renamed: fsync the directory */

	pthread_mutex_t sync_mu;
	pthread_cond_t sync_cond;
	uint64_t synced;                /* every row <= synced is durable */
	bool syncing;                   /* a leader is in fdatasync */
	int sync_err;                   /* sticky */
	_Atomic uint64_t fsyncs;

	pthread_mutex_t lfc_mu;         /* lfc_thread, lfc_started (start/wait callers) */
	pthread_t lfc_thread;
	bool lfc_started;
	_Atomic bool lfc_done;
	int lfc_result;
};

static int write_header(int fd, unsigned ncols)
{
	char buf[LFILE_HEADER_MAX + 1];
	size_t n = strlen(lfile_header(ncols));

	memcpy(buf, lfile_header(ncols), n);
	buf[n] = '\n';
	return lfile_write_all(fd, buf, n + 1);
}

/* Inspect an existing journal: header column count, and the length of its
 * complete part (a torn last row is cut off). A missing, empty or torn
 * header means "start afresh" (*ret_cols = 0). */
static int journal_inspect(int fd, unsigned *ret_cols, off_t *ret_keep)
{
	char buf[4096];
	struct stat stbuf;
	ssize_t n;
	char *nl;

	if (fstat(fd, &stbuf) < 0) {
		return -errno;
	}
	if (stbuf.st_size == 0) {
		*ret_cols = 0;
		*ret_keep = 0;
		return 0;
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		return -errno;
	}
	nl = memchr(buf, '\n', (size_t)n);
	if (nl == NULL) {
		if (lfile_header_torn(buf, (size_t)n)) {
			*ret_cols = 0;
			*ret_keep = 0;
			return 0;
		}
		return -EBADMSG;
	}
	size_t hl = (size_t)(nl - buf);
	if (hl > 0 && buf[hl - 1] == '\r') {
		hl--;
	}
	int h = lfile_header_cols(buf, hl);
	if (h < 0) {
		return -EBADMSG;
	}

	/* Find the last newline: everything after it is a torn row. */
	off_t end = stbuf.st_size;
	off_t keep = -1;
	while (end > 0 && keep < 0) {
		off_t from = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
		n = pread(fd, buf, (size_t)(end - from), from);
		if (n <= 0) {
			return n < 0 ? -errno : -EIO;
		}
		for (ssize_t i = n - 1; i >= 0; i--) {
			if (buf[i] == '\n') {
				keep = from + i + 1;
				break;
			}
		}
		end = from;
	}
	*ret_cols = (unsigned)h;
	*ret_keep = keep < 0 ? 0 : keep;
	return 0;
}

/* Rows are written in a column count every reader accepts for this header:
 * Kea 2.2/2.4 accept 11 in a file with <= 11 header columns and 12 in one
 * with >= 12 (VersionedCSVFile::next upgrade/downgrade rules). */
static unsigned row_cols_for_header(unsigned hdr)
{
	return hdr <= LFILE_COLS_KEA22 ? LFILE_COLS_KEA22 : LFILE_COLS_KEA24;
}

/* Open (or create) a journal file ready for appends. */
static int journal_open(const char *name, unsigned new_cols, int *ret_fd, off_t *ret_size,
                        unsigned *ret_ncols, bool *ret_created)
{
	_cleanup_close_ int fd = -1;
	unsigned hdr = 0;
	off_t keep = 0;
	int r;

	fd = open(name, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -errno;
	}
	r = journal_inspect(fd, &hdr, &keep);
	if (r < 0) {
		return r;
	}
	if (hdr == 0) {
		if (ftruncate(fd, 0) < 0) {
			return -errno;
		}
		hdr = new_cols;
		r = write_header(fd, hdr);
		if (r < 0) {
			return r;
		}
		keep = (off_t)strlen(lfile_header(hdr)) + 1;
		*ret_created = true;
	} else {
		struct stat stbuf;
		if (fstat(fd, &stbuf) < 0) {
			return -errno;
		}
		if (keep < stbuf.st_size && ftruncate(fd, keep) < 0) {
			return -errno;
		}
		*ret_created = false;
	}
	*ret_fd = TAKE_FD(fd);
	*ret_size = keep;
	*ret_ncols = row_cols_for_header(hdr);
	return 0;
}

int lfile_open(const char *name, lfile_t **ret)
{
	lfile_t *f;
	bool created = false;
	int r;

	assert_return(name != NULL && name[0] != '\0', -EINVAL);
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		return -ENOMEM;
	}
	f->fd = -1;
	f->retired_fd = -1;
	pthread_mutex_init(&f->mu, NULL);
	pthread_mutex_init(&f->sync_mu, NULL);
	pthread_cond_init(&f->sync_cond, NULL);
	pthread_mutex_init(&f->lfc_mu, NULL);
	f->name = strdup(name);
	f->name1 = lfile_suffixed(name, ".1");
	f->pidpath = lfile_suffixed(name, ".pid");
	if (f->name == NULL || f->name1 == NULL || f->pidpath == NULL) {
		lfile_close(f);
		return -ENOMEM;
	}
	r = journal_open(name, LFILE_COLS_KEA22, &f->fd, &f->size, &f->ncols, &created);
	if (r < 0) {
		lfile_close(f);
		return r;
	}
	f->dir_dirty = created;
	*ret = f;
	return 0;
}

lfile_t *lfile_close(lfile_t *f)
{
	if (f == NULL) {
		return NULL;
	}
	(void)lfile_lfc_wait(f);
	if (f->fd >= 0) {
		(void)lfile_sync(f, f->seq);
		close(f->fd);
	}
	if (f->retired_fd >= 0) {
		close(f->retired_fd);
	}
	pthread_cond_destroy(&f->sync_cond);
	pthread_mutex_destroy(&f->sync_mu);
	pthread_mutex_destroy(&f->mu);
	pthread_mutex_destroy(&f->lfc_mu);
	free(f->name);
	free(f->name1);
	free(f->pidpath);
	free(f);
	return NULL;
}

int lfile_append(lfile_t *f, const lease4_t *l, bool deleted, uint64_t *ret_seq)
{
	char buf[LFILE_ROW_MAX];
	int n, r;

	pthread_mutex_lock(&f->mu);
	n = lfile_row_format(l, deleted, f->ncols, buf, sizeof(buf));
	if (n < 0) {
		pthread_mutex_unlock(&f->mu);
		return n;
	}
	r = lfile_write_all(f->fd, buf, (size_t)n);
	if (r < 0) {
		/* Never leave half a row: the next row would be glued to it. */
		(void)ftruncate(f->fd, f->size);
		pthread_mutex_unlock(&f->mu);
		return r == -ENOSPC || r == -EDQUOT ? -ENOSPC : r;
	}
	f->size += n;
	*ret_seq = ++f->seq;
	pthread_mutex_unlock(&f->mu);
	return 0;
}

uint64_t lfile_seq(lfile_t *f)
{
	pthread_mutex_lock(&f->mu);
	uint64_t s = f->seq;
	pthread_mutex_unlock(&f->mu);
	return s;
}

uint64_t lfile_fsyncs(lfile_t *f)
{
	return atomic_load_explicit(&f->fsyncs, memory_order_relaxed);
}

static int datasync(lfile_t *f, int fd)
{
	atomic_fetch_add_explicit(&f->fsyncs, 1, memory_order_relaxed);
	return fdatasync(fd) < 0 ? -errno : 0;
}

int lfile_sync(lfile_t *f, uint64_t seq)
{
	int r = 0;

	pthread_mutex_lock(&f->sync_mu);
	for (;;) {
		if (f->sync_err < 0) {
			r = f->sync_err;
			break;
		}
		if (f->synced >= seq) {
			r = 0;
			break;
		}
		if (f->syncing) {
			/* Follower: a leader's fdatasync is in flight; it may cover
			 * us, otherwise loop and lead the next one. */
			pthread_cond_wait(&f->sync_cond, &f->sync_mu);
			continue;
		}

		/* Leader: one fdatasync for every row written so far. */
		f->syncing = true;
		pthread_mutex_unlock(&f->sync_mu);

		pthread_mutex_lock(&f->mu);
		uint64_t target = f->seq;
		int fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
		int old = TAKE_FD(f->retired_fd);
		bool dirty = f->dir_dirty;
		f->dir_dirty = false;
		pthread_mutex_unlock(&f->mu);

		r = 0;
		if (old >= 0) {
			r = datasync(f, old);
			close(old);
		}
		if (fd < 0) {
			r = r < 0 ? r : -errno;
		} else {
			int r2 = datasync(f, fd);
			r = r < 0 ? r : r2;
			close(fd);
		}
		if (dirty && r == 0) {
			r = lfile_fsync_dir(f->name);
		}

		pthread_mutex_lock(&f->sync_mu);
		f->syncing = false;
		if (r < 0) {
			/* After a failed fsync the kernel may have dropped the
			 * dirty pages: nothing written since can be trusted. */
			f->sync_err = r == -ENOSPC ? -ENOSPC : -EIO;
			r = f->sync_err;
		} else if (target > f->synced) {
			f->synced = target;
		}
		pthread_cond_broadcast(&f->sync_cond);
	}
	pthread_mutex_unlock(&f->sync_mu);
	return r;
}

/* LFC step 1 (Memfile_LeaseMgr::lfcCallback): NAME -> NAME.1 and a fresh
 * NAME, unless NAME.1 is still there from an unfinished LFC. Called with mu
 * held: only a rename, an open and a header write. */
static int rotate_locked(lfile_t *f)
{
	int fd = -1;
	off_t size = 0;
	unsigned ncols = 0;
	bool created = false;
	int r;

	if (lfile_exists(f->name1)) {
		return 0;
	}
	if (rename(f->name, f->name1) < 0) {
		return -errno;
	}
	/* The fresh file keeps the format of the one it replaces. */
	r = journal_open(f->name, f->ncols, &fd, &size, &ncols, &created);
	if (r < 0) {
		(void)rename(f->name1, f->name);
		return r;
	}
	if (f->retired_fd >= 0) {
		/* Two rotations without a sync in between: make the older
		 * journal durable before letting go of it (rare). */
		(void)datasync(f, f->retired_fd);
		close(f->retired_fd);
	}
	f->retired_fd = f->fd;
	f->fd = fd;
	f->size = size;
	f->ncols = ncols;
	f->dir_dirty = true;
	return 0;
}

typedef struct lfc_args {
	lfile_t *f;
	unsigned ncols;
} lfc_args_t;

static void *lfc_thread_main(void *arg)
{
	lfile_t *f = arg;
	unsigned ncols;

	pthread_mutex_lock(&f->mu);
	ncols = f->ncols;
	pthread_mutex_unlock(&f->mu);
	f->lfc_result = lfile_merge(f->name, ncols);
	atomic_store(&f->lfc_done, true);
	return NULL;
}

static int lfc_start_locked(lfile_t *f)
{
	int r;

	if (f->lfc_started) {
		if (!atomic_load(&f->lfc_done)) {
			return -EBUSY;
		}
		pthread_join(f->lfc_thread, NULL);
		f->lfc_started = false;
	}
	if (lfile_pid_live(f->pidpath)) {
		return -EBUSY;          /* an external kea-lfc is working on our files */
	}

	pthread_mutex_lock(&f->mu);
	r = rotate_locked(f);
	pthread_mutex_unlock(&f->mu);
	if (r < 0) {
		return r;
	}

	atomic_store(&f->lfc_done, false);
	f->lfc_result = 0;
	r = -pthread_create(&f->lfc_thread, NULL, lfc_thread_main, f);
	if (r < 0) {
		return r;
	}
	f->lfc_started = true;
	return 0;
}

int lfile_lfc_start(lfile_t *f)
{
	pthread_mutex_lock(&f->lfc_mu);
	int r = lfc_start_locked(f);
	pthread_mutex_unlock(&f->lfc_mu);
	return r;
}

int lfile_lfc_wait(lfile_t *f)
{
	int r = 0;

	pthread_mutex_lock(&f->lfc_mu);
	if (f->lfc_started) {
		pthread_join(f->lfc_thread, NULL);
		f->lfc_started = false;
		r = f->lfc_result;
	}
	pthread_mutex_unlock(&f->lfc_mu);
	return r;
}

bool lfile_lfc_running(lfile_t *f)
{
	pthread_mutex_lock(&f->lfc_mu);
	bool running = f->lfc_started && !atomic_load(&f->lfc_done);
	pthread_mutex_unlock(&f->lfc_mu);
	return running;
}

/* Loading a lease file set in Kea's order (Memfile_LeaseMgr::loadLeasesFromFiles). */
#include "lease/lfile-int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int set_err(char **reterr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_err(char **reterr, const char *fmt, ...)
{
	va_list ap;

	if (reterr == NULL) {
		return 0;
	}
	free(*reterr);
	*reterr = NULL;
	va_start(ap, fmt);
	if (vasprintf(reterr, fmt, ap) < 0) {
		*reterr = NULL;
	}
	va_end(ap);
	return 0;
}

int lfile_load(const char *path, uint32_t max_row_errors, lfile_row_fn fn, void *userdata,
               lfile_load_stats_t *st, char **reterr)
{
	FILE *fp;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0;
	unsigned hdr = 0;
	int r = 0;

	fp = fopen(path, "re");
	if (fp == NULL) {
		r = -errno;
		if (r != -ENOENT) {
			set_err(reterr, "%s: %s", path, strerror(-r));
		}
		return r;
	}
	st->hdr_cols = 0;
	st->torn_tail = false;
	while ((n = getline(&line, &cap, fp)) > 0) {
		size_t len = (size_t)n;
		bool terminated = line[len - 1] == '\n';

		lineno++;
		if (terminated) {
			len--;
		}
		if (len > 0 && line[len - 1] == '\r') {
			len--;                  /* CRLF files (edited on Windows) */
		}
		if (!terminated) {
			st->torn_tail = true;
		}
		if (hdr == 0) {
			if (len == 0 && terminated) {
				continue;       /* CSVFile::next skips blank lines */
			}
			if (!terminated && lfile_header_torn(line, len)) {
				break;          /* crash while writing a fresh file's header */
			}
			int h = lfile_header_cols(line, len);
			if (h < 0) {
				r = -EBADMSG;
				set_err(reterr, "%s line %" PRIu64 ": invalid lease file header", path,
				        lineno);
				break;
			}
			hdr = (unsigned)h;
			st->hdr_cols = hdr;
			continue;
		}
		if (len == 0 && terminated) {
			continue;
		}

		const char *why = NULL;
		lease4_t l;
		if (!terminated) {
			why = "incomplete last line (torn write)";
		} else if (lfile_row_parse(line, len, hdr, &l, &why) == 0) {
			r = fn(userdata, &l);
			if (r < 0) {
				set_err(reterr, "%s line %" PRIu64 ": %s", path, lineno, strerror(-r));
				break;
			}
			st->rows++;
			continue;
		}
		st->errors++;
		st->last_err_line = lineno;
		snprintf(st->last_err, sizeof(st->last_err), "%s line %" PRIu64 ": %s", path, lineno,
		         why);
		if (max_row_errors > 0 && st->errors > max_row_errors) {
			r = -EBADMSG;
			set_err(reterr, "%s line %" PRIu64 ": %s; exceeded the maximum of %" PRIu32
			        " bad rows", path, lineno, why, max_row_errors);
			break;
		}
	}
	if (r == 0 && ferror(fp)) {
		r = -EIO;
		set_err(reterr, "%s: read error", path);
	}
	fclose(fp);
	return r;
}

int lfile_load_set(const char *name, uint32_t max_row_errors, lfile_row_fn fn, void *userdata,
                   lfile_load_stats_t *st, char **reterr)
{
	_cleanup_free_ char *p1 = lfile_suffixed(name, ".1");
	_cleanup_free_ char *p2 = lfile_suffixed(name, ".2");
	_cleanup_free_ char *pc = lfile_suffixed(name, ".completed");
	_cleanup_free_ char *po = lfile_suffixed(name, ".output");
	_cleanup_free_ char *pp = lfile_suffixed(name, ".pid");
	bool completed;
	int r;

	if (p1 == NULL || p2 == NULL || pc == NULL || po == NULL || pp == NULL) {
		return -ENOMEM;
	}
	if (lfile_pid_live(pp)) {
		set_err(reterr, "unable to load leases from files while the lease file cleanup is "
		        "in progress (%s is live)", pp);
		return -EBUSY;
	}

	/* Memfile_LeaseMgr::loadLeasesFromFiles */
	completed = lfile_exists(pc);
	const char *order[3] = { completed ? pc : p2, completed ? NULL : p1, name };
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (order[i] == NULL) {
			continue;
		}
		r = lfile_load(order[i], max_row_errors, fn, userdata, st, reterr);
		if (r < 0 && r != -ENOENT) {
			return r;
		}
	}

	/* Finish an LFC interrupted after its output was complete (kea-lfc's
	 * last steps): .completed already holds .2 + .1. */
	if (completed) {
		if ((unlink(p2) < 0 && errno != ENOENT) || (unlink(p1) < 0 && errno != ENOENT) ||
		    rename(pc, p2) < 0) {
			r = -errno;
			set_err(reterr, "%s: cannot finish interrupted lease file cleanup: %s", pc,
			        strerror(-r));
			return r;
		}
		r = lfile_fsync_dir(name);
		if (r < 0) {
			return r;
		}
	}
	(void)unlink(po);
	return 0;
}

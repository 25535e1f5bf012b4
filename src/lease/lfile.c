/* Kea-compatible lease file: CSV rows, journal with group commit, LFC.
 * See lfile.h for the file set and the durability contract. */
#include "lease/lfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/hex.h"
#include "util/inaddr.h"

#define HDR_COLS_MAX 64                 /* a longer header is not a lease file */
#define HTYPE_ETHER 1

static const char header24[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
                               "fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id";
static const char *const col_names[LFILE_COLS_KEA24] = {
	"address", "hwaddr", "client_id", "valid_lifetime", "expire", "subnet_id",
	"fqdn_fwd", "fqdn_rev", "hostname", "state", "user_context", "pool_id",
};

const char *lfile_header(unsigned ncols)
{
	/* Every shorter header is a prefix of the longest one. */
	static const char h9[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                         "fqdn_fwd,fqdn_rev,hostname";
	static const char h10[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                          "fqdn_fwd,fqdn_rev,hostname,state";
	static const char h11[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                          "fqdn_fwd,fqdn_rev,hostname,state,user_context";

	switch (ncols) {
	case 9:
		return h9;
	case 10:
		return h10;
	case 11:
		return h11;
	default:
		return header24;
	}
}

/* ---- escaping -------------------------------------------------------- */

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == ',' || c == '&';
}

int lfile_escape(const char *s, char *buf, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (needs_escape(c)) {
			if (n + 5 >= cap) {
				return -ENOSPC;
			}
			memcpy(buf + n, "&#x", 3);
			buf[n + 3] = digits[c >> 4];
			buf[n + 4] = digits[c & 0xf];
			n += 5;
		} else {
			if (n + 1 >= cap) {
				return -ENOSPC;
			}
			buf[n++] = (char)c;
		}
	}
	if (cap == 0) {
		return -ENOSPC;
	}
	buf[n] = '\0';
	return (int)n;
}

static int hexdig(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int lfile_unescape(const char *s, size_t len, char *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		char c = s[i];

		/* CSVRow::unescapeCharacters: "&#x" + two hex digits is one byte. */
		if (c == '&' && i + 5 <= len && s[i + 1] == '#' && s[i + 2] == 'x' &&
		    hexdig(s[i + 3]) >= 0 && hexdig(s[i + 4]) >= 0) {
			c = (char)(hexdig(s[i + 3]) * 16 + hexdig(s[i + 4]));
			i += 5;
		} else {
			i++;
		}
		if (n + 1 >= cap) {
			return -ENOSPC;
		}
		buf[n++] = c;
	}
	if (cap == 0) {
		return -ENOSPC;
	}
	buf[n] = '\0';
	return (int)n;
}

/* ---- rows ------------------------------------------------------------ */

int lfile_row_format(const lease4_t *l, bool deleted, unsigned ncols, char *buf, size_t cap)
{
	char addr[INADDR_STRLEN];
	char hw[3 * DHCP_HWADDR_MAX + 1];
	char cid[3 * DHCP_OPT_LEN_MAX + 1];
	char host[5 * DHCP_HOSTNAME_MAX + 1];
	char uctx[5 * LEASE_UCTX_MAX + 1];
	uint32_t valid = deleted ? 0 : l->valid_lft;
	int r;

	assert_return(ncols == LFILE_COLS_KEA22 || ncols == LFILE_COLS_KEA24, -EINVAL);
	hex_fmt(l->hwaddr, MIN(l->hwaddr_len, DHCP_HWADDR_MAX), ':', hw);
	hex_fmt(l->client_id, l->client_id_len, ':', cid);
	r = lfile_escape(l->hostname, host, sizeof(host));
	if (r < 0) {
		return r;
	}
	r = lfile_escape(l->user_context, uctx, sizeof(uctx));
	if (r < 0) {
		return r;
	}

	/* Kea writes expire = cltt + valid_lft (the delete marker: cltt + 0). */
	r = snprintf(buf, cap, "%s,%s,%s,%" PRIu32 ",%" PRId64 ",%" PRIu32 ",%d,%d,%s,%d,%s",
	             inaddr_fmt(l->addr, addr), hw, cid, valid, l->cltt + (int64_t)valid,
	             l->subnet_id, l->fqdn_fwd ? 1 : 0, l->fqdn_rev ? 1 : 0, host,
	             (int)l->state, uctx);
	if (r < 0 || (size_t)r >= cap) {
		return -ENOSPC;
	}
	size_t n = (size_t)r;
	if (ncols == LFILE_COLS_KEA24) {
		r = snprintf(buf + n, cap - n, ",%" PRIu32, l->pool_id);
		if (r < 0 || (size_t)r >= cap - n) {
			return -ENOSPC;
		}
		n += (size_t)r;
	}
	if (n + 2 > cap) {
		return -ENOSPC;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return (int)n;
}

typedef struct field {
	const char *p;
	size_t len;
} field_t;

static int parse_u64(const field_t *f, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (f->len == 0 || f->len > 20) {
		return -EINVAL;
	}
	for (size_t i = 0; i < f->len; i++) {
		char c = f->p[i];
		if (c < '0' || c > '9') {
			return -EINVAL;
		}
		unsigned d = (unsigned)(c - '0');
		if (v > (UINT64_MAX - d) / 10) {
			return -ERANGE;
		}
		v = v * 10 + d;
	}
	if (v > max) {
		return -ERANGE;
	}
	*ret = v;
	return 0;
}

/* Copy a field into a NUL-terminated buffer; -ENOSPC if it does not fit. */
static int field_str(const field_t *f, char *buf, size_t cap)
{
	if (f->len >= cap || memchr(f->p, '\0', f->len) != NULL) {
		return -ENOSPC;
	}
	memcpy(buf, f->p, f->len);
	buf[f->len] = '\0';
	return 0;
}

int lfile_row_parse(const char *line, size_t len, unsigned hdr_cols, lease4_t *ret,
                    const char **reterr_why)
{
	field_t f[LFILE_COLS_KEA24] = { 0 };
	unsigned lo = MIN(hdr_cols, (unsigned)LFILE_COLS_KEA24);
	unsigned hi = MAX(hdr_cols, (unsigned)LFILE_COLS_KEA24);
	unsigned n = 0;
	size_t start = 0;
	char tmp[3 * DHCP_OPT_LEN_MAX + 2];
	uint64_t v;
	lease4_t l;

	lo = MAX(lo, (unsigned)LFILE_COLS_MIN);
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ',') {
			if (n < LFILE_COLS_KEA24) {
				f[n] = (field_t){ .p = line + start, .len = i - start };
			}
			n++;
			start = i + 1;
			if (n > hi) {
				break;
			}
		}
	}
	if (n < lo) {
		*reterr_why = "too few columns";
		return -EBADMSG;
	}
	if (n > hi) {
		*reterr_why = "too many columns";
		return -EBADMSG;
	}

	memset(&l, 0, sizeof(l));
	if (field_str(&f[0], tmp, sizeof(tmp)) < 0 || inaddr_parse(tmp, &l.addr) < 0) {
		*reterr_why = "invalid address";
		return -EBADMSG;
	}
	if (f[1].len > 0) {
		int r = field_str(&f[1], tmp, sizeof(tmp)) < 0 ? -EINVAL
		                                                : hex_parse(tmp, l.hwaddr, DHCP_HWADDR_MAX);
		if (r < 0) {
			*reterr_why = "invalid hwaddr";
			return -EBADMSG;
		}
		l.hwaddr_len = (uint8_t)r;
	}
	l.htype = HTYPE_ETHER;
	if (f[2].len > 0) {
		int r = field_str(&f[2], tmp, sizeof(tmp)) < 0 ? -EINVAL
		                                                : hex_parse(tmp, l.client_id, DHCP_OPT_LEN_MAX);
		if (r <= 0) {
			*reterr_why = "invalid client_id";
			return -EBADMSG;
		}
		l.client_id_len = (uint8_t)r;
	}
	if (parse_u64(&f[3], UINT32_MAX, &v) < 0) {
		*reterr_why = "invalid valid_lifetime";
		return -EBADMSG;
	}
	l.valid_lft = (uint32_t)v;
	if (parse_u64(&f[4], INT64_MAX, &v) < 0 || v < l.valid_lft) {
		*reterr_why = "invalid expire";
		return -EBADMSG;
	}
	l.cltt = (int64_t)(v - l.valid_lft);
	if (parse_u64(&f[5], UINT32_MAX, &v) < 0) {
		*reterr_why = "invalid subnet_id";
		return -EBADMSG;
	}
	l.subnet_id = (uint32_t)v;
	if (parse_u64(&f[6], 1, &v) < 0) {
		*reterr_why = "invalid fqdn_fwd";
		return -EBADMSG;
	}
	l.fqdn_fwd = v != 0;
	if (parse_u64(&f[7], 1, &v) < 0) {
		*reterr_why = "invalid fqdn_rev";
		return -EBADMSG;
	}
	l.fqdn_rev = v != 0;
	if (lfile_unescape(f[8].p, f[8].len, l.hostname, sizeof(l.hostname)) < 0) {
		*reterr_why = "hostname too long";
		return -EBADMSG;
	}
	l.state = LEASE_STATE_DEFAULT;
	if (n > 9) {
		if (parse_u64(&f[9], _LEASE_STATE_MAX - 1, &v) < 0) {
			*reterr_why = "invalid state";
			return -EBADMSG;
		}
		l.state = (lease_state_t)v;
	}
	if (n > 10 && f[10].len > 0) {
		if (lfile_unescape(f[10].p, f[10].len, l.user_context, sizeof(l.user_context)) < 0) {
			*reterr_why = "user_context too long";
			return -EBADMSG;
		}
		/* Kea requires a JSON map here (Element::fromJSON + map check). */
		const char *p = l.user_context;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (*p != '{') {
			*reterr_why = "user_context is not a JSON map";
			return -EBADMSG;
		}
	}
	if (n > 11) {
		if (parse_u64(&f[11], UINT32_MAX, &v) < 0) {
			*reterr_why = "invalid pool_id";
			return -EBADMSG;
		}
		l.pool_id = (uint32_t)v;
	}
	/* CSVLeaseFile4::next: "A blank hardware address is only valid for
	 * declined leases". */
	if (l.hwaddr_len == 0 && l.state != LEASE_STATE_DECLINED) {
		*reterr_why = "blank hwaddr in a lease that is not declined";
		return -EBADMSG;
	}
	*ret = l;
	return 0;
}

/* ---- loading --------------------------------------------------------- */

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

/* Count header columns and check the names Kea would check
 * (VersionedCSVFile::validateHeader). Returns the count or -EBADMSG. */
static int header_parse(const char *line, size_t len)
{
	unsigned n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ',') {
			if (n < LFILE_COLS_KEA24) {
				const char *want = col_names[n];
				if (strlen(want) != i - start || memcmp(want, line + start, i - start) != 0) {
					return -EBADMSG;
				}
			}
			n++;
			start = i + 1;
			if (n > HDR_COLS_MAX) {
				return -EBADMSG;
			}
		}
	}
	if (n < LFILE_COLS_MIN) {
		return -EBADMSG;
	}
	return (int)n;
}

/* A first line cut short while the header was being written. */
static bool is_torn_header(const char *line, size_t len)
{
	return len < sizeof(header24) - 1 && memcmp(line, header24, len) == 0;
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
			if (!terminated && is_torn_header(line, len)) {
				break;          /* crash while writing a fresh file's header */
			}
			int h = header_parse(line, len);
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

static char *suffixed(const char *name, const char *suffix)
{
	char *p = NULL;

	if (asprintf(&p, "%s%s", name, suffix) < 0) {
		return NULL;
	}
	return p;
}

/* kea-lfc's pid file names a live process other than us. */
static bool pid_file_live(const char *pidpath)
{
	FILE *fp = fopen(pidpath, "re");
	long pid = 0;

	if (fp == NULL) {
		return false;
	}
	if (fscanf(fp, "%ld", &pid) != 1) {
		pid = 0;
	}
	fclose(fp);
	if (pid <= 0 || pid > INT_MAX || pid == (long)getpid()) {
		return false;
	}
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static int fsync_dir_of(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash;
	int fd, r = 0;

	if (dir == NULL) {
		return -ENOMEM;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == dir) {
		slash[1] = '\0';
	} else {
		*slash = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	if (fsync(fd) < 0) {
		r = -errno;
	}
	close(fd);
	return r;
}

static bool file_exists(const char *path)
{
	struct stat stbuf;

	return stat(path, &stbuf) == 0;
}

int lfile_load_set(const char *name, uint32_t max_row_errors, lfile_row_fn fn, void *userdata,
                   lfile_load_stats_t *st, char **reterr)
{
	_cleanup_free_ char *p1 = suffixed(name, ".1");
	_cleanup_free_ char *p2 = suffixed(name, ".2");
	_cleanup_free_ char *pc = suffixed(name, ".completed");
	_cleanup_free_ char *po = suffixed(name, ".output");
	_cleanup_free_ char *pp = suffixed(name, ".pid");
	bool completed;
	int r;

	if (p1 == NULL || p2 == NULL || pc == NULL || po == NULL || pp == NULL) {
		return -ENOMEM;
	}
	if (pid_file_live(pp)) {
		set_err(reterr, "unable to load leases from files while the lease file cleanup is "
		        "in progress (%s is live)", pp);
		return -EBUSY;
	}

	/* Memfile_LeaseMgr::loadLeasesFromFiles */
	completed = file_exists(pc);
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
		r = fsync_dir_of(name);
		if (r < 0) {
			return r;
		}
	}
	(void)unlink(po);
	return 0;
}

/* ---- journal --------------------------------------------------------- */

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

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return -ENOSPC;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_header(int fd, unsigned ncols)
{
	char buf[sizeof(header24) + 1];
	size_t n = strlen(lfile_header(ncols));

	memcpy(buf, header24, n);
	buf[n] = '\n';
	return write_all(fd, buf, n + 1);
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
		if (is_torn_header(buf, (size_t)n)) {
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
	int h = header_parse(buf, hl);
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
	f->name1 = suffixed(name, ".1");
	f->pidpath = suffixed(name, ".pid");
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
	r = write_all(f->fd, buf, (size_t)n);
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
			r = fsync_dir_of(f->name);
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

	if (file_exists(f->name1)) {
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
	if (pid_file_live(f->pidpath)) {
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

/* ---- merge (kea-lfc) ------------------------------------------------- */

typedef struct merge_slot {
	uint32_t addr;
	bool used;
	char *row;                      /* formatted row, NULL = deleted */
} merge_slot_t;

typedef struct merge {
	merge_slot_t *slots;
	size_t cap;                     /* power of two */
	size_t used;
	unsigned ncols;
} merge_t;

static size_t hash_u32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static merge_slot_t *merge_find(merge_t *m, uint32_t addr)
{
	size_t i = hash_u32(addr) & (m->cap - 1);

	while (m->slots[i].used && m->slots[i].addr != addr) {
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static int merge_grow(merge_t *m)
{
	merge_t n = { .cap = m->cap == 0 ? 1024 : m->cap * 2, .used = m->used, .ncols = m->ncols };

	n.slots = calloc(n.cap, sizeof(*n.slots));
	if (n.slots == NULL) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].used) {
			*merge_find(&n, m->slots[i].addr) = m->slots[i];
		}
	}
	free(m->slots);
	*m = n;
	return 0;
}

static int merge_row(void *userdata, const lease4_t *l)
{
	merge_t *m = userdata;
	char buf[LFILE_ROW_MAX];
	char *row = NULL;
	int r;

	if ((m->used + 1) * 4 > m->cap * 3) {
		r = merge_grow(m);
		if (r < 0) {
			return r;
		}
	}
	if (l->valid_lft != 0) {
		r = lfile_row_format(l, false, m->ncols, buf, sizeof(buf));
		if (r < 0) {
			return r;
		}
		row = strdup(buf);
		if (row == NULL) {
			return -ENOMEM;
		}
	}
	merge_slot_t *s = merge_find(m, l->addr);
	if (!s->used) {
		s->used = true;
		s->addr = l->addr;
		m->used++;
	}
	free(s->row);
	s->row = row;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const merge_slot_t *x = a, *y = b;

	if (x->used != y->used) {
		return x->used ? -1 : 1;
	}
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int merge_write(merge_t *m, const char *path)
{
	_cleanup_close_ int fd = -1;
	char *buf;
	size_t cap = 1 << 16, n = 0;
	int r = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -errno;
	}
	buf = malloc(cap);
	if (buf == NULL) {
		return -ENOMEM;
	}
	memcpy(buf, header24, strlen(lfile_header(m->ncols)));
	n = strlen(lfile_header(m->ncols));
	buf[n++] = '\n';
	for (size_t i = 0; i < m->cap && r == 0; i++) {
		const char *row = m->slots[i].row;
		if (!m->slots[i].used) {
			break;          /* sorted: used slots first */
		}
		if (row == NULL) {
			continue;
		}
		size_t len = strlen(row);
		if (n + len > cap) {
			r = write_all(fd, buf, n);
			n = 0;
		}
		memcpy(buf + n, row, len);
		n += len;
	}
	if (r == 0 && n > 0) {
		r = write_all(fd, buf, n);
	}
	free(buf);
	if (r == 0 && fsync(fd) < 0) {
		r = -errno;
	}
	return r;
}

int lfile_merge(const char *name, unsigned ncols)
{
	_cleanup_free_ char *p1 = suffixed(name, ".1");
	_cleanup_free_ char *p2 = suffixed(name, ".2");
	_cleanup_free_ char *pc = suffixed(name, ".completed");
	_cleanup_free_ char *po = suffixed(name, ".output");
	merge_t m = { .ncols = ncols };
	lfile_load_stats_t st = { 0 };
	int r;

	if (p1 == NULL || p2 == NULL || pc == NULL || po == NULL) {
		return -ENOMEM;
	}
	assert_return(ncols == LFILE_COLS_KEA22 || ncols == LFILE_COLS_KEA24, -EINVAL);
	r = merge_grow(&m);
	if (r < 0) {
		return r;
	}
	/* Like kea-lfc: bad rows are skipped, never fatal. */
	r = lfile_load(p2, 0, merge_row, &m, &st, NULL);
	if (r == 0 || r == -ENOENT) {
		r = lfile_load(p1, 0, merge_row, &m, &st, NULL);
		if (r == -ENOENT) {
			r = 0;
		}
	}
	if (r == 0) {
		qsort(m.slots, m.cap, sizeof(*m.slots), cmp_slot);
		r = merge_write(&m, po);
	}
	for (size_t i = 0; i < m.cap; i++) {
		free(m.slots[i].row);
	}
	free(m.slots);
	if (r < 0) {
		(void)unlink(po);
		return r;
	}

	/* kea-lfc's finish: each step leaves a set lfile_load_set() reads to
	 * the same state (.completed wins over .2 + .1). */
	if (rename(po, pc) < 0) {
		return -errno;
	}
	r = fsync_dir_of(name);
	if (r < 0) {
		return r;
	}
	if ((unlink(p2) < 0 && errno != ENOENT) || (unlink(p1) < 0 && errno != ENOENT)) {
		return -errno;
	}
	if (rename(pc, p2) < 0) {
		return -errno;
	}
	return fsync_dir_of(name);
}

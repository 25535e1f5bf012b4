/* Kea-format logging. See util/log.h for the contract and docs/log-messages.md for
 * the pattern subset, JSON lines and the logger hierarchy.
 *
 * Concurrency: the active configuration (loggers + outputs) is an immutable
 * snapshot behind a rwlock. log_emit() holds the read lock while it formats and
 * writes; log_configure() builds a new snapshot, swaps it under the write lock and
 * frees the old one. A rotating file output has its own mutex (size accounting and
 * rename must not interleave). The hot-path test, log_enabled(), first checks two
 * relaxed atomics (lowest enabled severity, highest enabled debug level over all
 * loggers), so with debug logging off it costs no lock at all.
 *
 * Patterns and line rendering are in log-format.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* cfg.h (skeleton) uses struct cfg in prototypes before defining it. */
struct cfg;
#include "cfg/cfg.h"
#include "util/log-int.h"
#include "util/log.h"
#include "util/macro.h"

#define LOG_DEFAULT_PATTERN "%D{%Y-%m-%d %H:%M:%S.%q} %-5p [%c/%i.%t] %m\n"
#define LOG_SYSLOG_PATTERN "%-5p [%c.%t] %m\n"

typedef enum out_kind {
	OUT_STDOUT,
	OUT_STDERR,
	OUT_FILE,
	OUT_SYSLOG,
} out_kind_t;

typedef struct log_out {
	out_kind_t kind;
	char *name;                     /* as configured: "stdout", "syslog:x", path */
	int fd;
	uint64_t maxsize;
	uint32_t maxver;
	uint64_t size;                  /* bytes in the current file (rotation) */
	pthread_mutex_t lock;
	pat_tok_t *pat;
	size_t n_pat;
} log_out_t;

typedef struct log_lg {
	char *name;
	size_t name_len;
	log_sev_t sev;
	int dbg;
	log_out_t **outs;               /* borrowed from log_conf_t.outs */
	size_t n_outs;
} log_lg_t;

typedef struct log_conf {
	log_lg_t *lgs;
	size_t n_lgs;
	log_out_t **outs;               /* owned */
	size_t n_outs;
	log_lg_t debug_lg;              /* -d: every logger resolves here */
	log_lg_t default_lg;            /* no configured logger matches */
	bool json;
	bool syslog_open;
} log_conf_t;

static pthread_rwlock_t conf_lock = PTHREAD_RWLOCK_INITIALIZER;
static log_conf_t *conf;                /* NULL until first use */
static atomic_bool debug_override;
static atomic_int min_sev = LOG_SEV_INFO;       /* lowest severity any logger writes */
static atomic_int max_dbg = -1;                 /* highest debuglevel, -1 = no DEBUG */

log_sev_t log_sev_from_string(const char *s)
{
	if (s == NULL) {
		return _LOG_SEV_INVALID;
	}
	for (size_t i = 0; i < ARRAY_SIZE(log_sev_names); i++) {
		if (strcasecmp(s, log_sev_names[i]) == 0) {
			return (log_sev_t)i;
		}
	}
	if (strcasecmp(s, "WARNING") == 0) {
		return LOG_SEV_WARN;
	}
	return _LOG_SEV_INVALID;
}

/* ---- outputs ---- */

static int out_open_file(log_out_t *o)
{
	struct stat st;
	int fd = open(o->name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0) {
		return -errno;
	}
	o->fd = fd;
	o->size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

/* Rotate FILE -> FILE.1 -> ... -> FILE.maxver (the oldest is overwritten), as
 * log4cplus' RollingFileAppender does. Called with o->lock held. */
static void out_rotate(log_out_t *o)
{
	size_t len = strlen(o->name) + 16;
	char *from = malloc(len);
	char *to = malloc(len);

	if (from != NULL && to != NULL) {
		for (uint32_t i = o->maxver; i > 1; i--) {
			snprintf(from, len, "%s.%u", o->name, i - 1);
			snprintf(to, len, "%s.%u", o->name, i);
			(void)rename(from, to);
		}
		snprintf(to, len, "%s.1", o->name);
		(void)rename(o->name, to);
	}
	free(from);
	free(to);
	close(o->fd);
	o->fd = -1;
	if (out_open_file(o) < 0) {
		o->fd = -1;             /* keep running; lines to this output are lost */
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR) {
				continue;
			}
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static int syslog_prio(log_sev_t sev)
{
	switch (sev) {
	case LOG_SEV_DEBUG:
		return LOG_DEBUG;
	case LOG_SEV_INFO:
		return LOG_INFO;
	case LOG_SEV_WARN:
		return LOG_WARNING;
	case LOG_SEV_ERROR:
		return LOG_ERR;
	default:
		return LOG_CRIT;
	}
}

static void out_write(log_out_t *o, const log_conf_t *c, const log_rec_t *rec)
{
	lbuf_t b;

	log_lbuf_init(&b);
	if (c->json) {
		log_render_json(&b, rec);
	} else {
		log_render_pattern(&b, o->pat, o->n_pat, rec);
	}
	if (b.oom) {
		log_lbuf_done(&b);
		return;
	}

	switch (o->kind) {
	case OUT_STDOUT:
	case OUT_STDERR:
		write_all(o->fd, b.p, b.len);
		break;
	case OUT_SYSLOG:
		syslog(syslog_prio(rec->sev), "%.*s", (int)b.len, b.p);
		break;
	case OUT_FILE:
		pthread_mutex_lock(&o->lock);
		if (o->maxsize > 0 && o->maxver > 0 && o->fd >= 0 && o->size > 0 &&
		    o->size + b.len > o->maxsize) {
			out_rotate(o);
		}
		if (o->fd >= 0) {
			write_all(o->fd, b.p, b.len);
			o->size += b.len;
		}
		pthread_mutex_unlock(&o->lock);
		break;
	}
	log_lbuf_done(&b);
}

static log_out_t *out_free(log_out_t *o)
{
	if (o == NULL) {
		return NULL;
	}
	if (o->kind == OUT_FILE && o->fd >= 0) {
		close(o->fd);
	}
	pthread_mutex_destroy(&o->lock);
	log_pat_free(o->pat, o->n_pat);
	free(o->name);
	free(o);
	return NULL;
}

static int out_new(const char *name, const char *pattern, uint64_t maxsize, uint32_t maxver,
                   log_out_t **ret)
{
	log_out_t *o = calloc(1, sizeof(*o));
	int r;

	if (o == NULL) {
		return -ENOMEM;
	}
	pthread_mutex_init(&o->lock, NULL);
	o->fd = -1;
	o->name = strdup(name);
	if (o->name == NULL) {
		out_free(o);
		return -ENOMEM;
	}
	o->maxsize = maxsize;
	o->maxver = maxver;
	if (strcmp(name, "stdout") == 0) {
		o->kind = OUT_STDOUT;
		o->fd = STDOUT_FILENO;
	} else if (strcmp(name, "stderr") == 0) {
		o->kind = OUT_STDERR;
		o->fd = STDERR_FILENO;
	} else if (strncmp(name, "syslog", 6) == 0 && (name[6] == '\0' || name[6] == ':')) {
		o->kind = OUT_SYSLOG;
	} else {
		o->kind = OUT_FILE;
		r = out_open_file(o);
		if (r < 0) {
			out_free(o);
			return r;
		}
	}
	if (pattern == NULL || pattern[0] == '\0') {
		pattern = o->kind == OUT_SYSLOG ? LOG_SYSLOG_PATTERN : LOG_DEFAULT_PATTERN;
	}
	r = log_pat_compile(pattern, &o->pat, &o->n_pat);
	if (r < 0) {
		out_free(o);
		return r;
	}
	*ret = o;
	return 0;
}

/* ---- configuration snapshots ---- */

static void conf_free(log_conf_t *c)
{
	if (c == NULL) {
		return;
	}
	for (size_t i = 0; i < c->n_lgs; i++) {
		free(c->lgs[i].name);
		free(c->lgs[i].outs);
	}
	free(c->lgs);
	free(c->debug_lg.outs);
	free(c->default_lg.outs);
	for (size_t i = 0; i < c->n_outs; i++) {
		out_free(c->outs[i]);
	}
	free(c->outs);
	free(c);
}

/* The output named @name, shared by every logger that names it. */
static int conf_get_out(log_conf_t *c, const char *name, const char *pattern, uint64_t maxsize,
                        uint32_t maxver, log_out_t **ret)
{
	log_out_t *o = NULL;
	int r;

	for (size_t i = 0; i < c->n_outs; i++) {
		if (strcmp(c->outs[i]->name, name) == 0) {
			*ret = c->outs[i];
			return 0;
		}
	}
	log_out_t **nv = realloc(c->outs, (c->n_outs + 1) * sizeof(*nv));
	if (nv == NULL) {
		return -ENOMEM;
	}
	c->outs = nv;
	r = out_new(name, pattern, maxsize, maxver, &o);
	if (r < 0) {
		return r;
	}
	c->outs[c->n_outs++] = o;
	*ret = o;
	return 0;
}

static int lg_set_single(log_conf_t *c, log_lg_t *lg, const char *name, log_sev_t sev, int dbg)
{
	log_out_t *o;
	int r = conf_get_out(c, "stdout", NULL, 0, 0, &o);

	if (r < 0) {
		return r;
	}
	lg->outs = calloc(1, sizeof(*lg->outs));
	if (lg->outs == NULL) {
		return -ENOMEM;
	}
	lg->outs[0] = o;
	lg->n_outs = 1;
	lg->name = (char *)name;        /* static string, never freed (see conf_free) */
	lg->name_len = strlen(name);
	lg->sev = sev;
	lg->dbg = dbg;
	return 0;
}

static void conf_update_fastpath(const log_conf_t *c)
{
	int lo = LOG_SEV_NONE;
	int hi = -1;

	if (atomic_load(&debug_override)) {
		atomic_store(&min_sev, LOG_SEV_DEBUG);
		atomic_store(&max_dbg, 99);
		return;
	}
	if (c->n_lgs == 0) {
		lo = c->default_lg.sev;
	}
	for (size_t i = 0; i < c->n_lgs; i++) {
		const log_lg_t *lg = &c->lgs[i];

		lo = MIN(lo, (int)lg->sev);
		if (lg->sev == LOG_SEV_DEBUG) {
			hi = MAX(hi, lg->dbg);
		}
	}
	/* The default logger applies to names no configured logger covers; a
	 * configured root "kea-dhcp4" covers them all, so then it cannot matter. */
	bool has_root = false;
	for (size_t i = 0; i < c->n_lgs; i++) {
		if (strcmp(c->lgs[i].name, "kea-dhcp4") == 0) {
			has_root = true;
		}
	}
	if (!has_root) {
		lo = MIN(lo, (int)c->default_lg.sev);
	}
	atomic_store(&min_sev, lo);
	atomic_store(&max_dbg, hi);
}

static int conf_build(const struct cfg_logger *loggers, size_t n, log_conf_t **ret)
{
	log_conf_t *c = calloc(1, sizeof(*c));
	const char *j = getenv("LESSOR_LOG_JSON");
	int r;

	if (c == NULL) {
		return -ENOMEM;
	}
	c->json = j != NULL && j[0] != '\0' && strcmp(j, "0") != 0;
	r = lg_set_single(c, &c->debug_lg, "kea-dhcp4", LOG_SEV_DEBUG, 99);
	if (r < 0) {
		goto fail;
	}
	r = lg_set_single(c, &c->default_lg, "kea-dhcp4", LOG_SEV_INFO, 0);
	if (r < 0) {
		goto fail;
	}
	if (n > 0) {
		c->lgs = calloc(n, sizeof(*c->lgs));
		if (c->lgs == NULL) {
			r = -ENOMEM;
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const cfg_logger_t *cl = &loggers[i];
		log_lg_t *lg = &c->lgs[c->n_lgs];

		if (cl->name == NULL) {
			continue;
		}
		lg->name = strdup(cl->name);
		if (lg->name == NULL) {
			r = -ENOMEM;
			goto fail;
		}
		c->n_lgs++;
		lg->name_len = strlen(lg->name);
		lg->sev = cl->severity >= LOG_SEV_DEBUG && cl->severity <= LOG_SEV_NONE
		                  ? (log_sev_t)cl->severity : LOG_SEV_INFO;
		lg->dbg = MAX(0, MIN(99, cl->debuglevel));
		size_t no = cl->n_outputs > 0 ? cl->n_outputs : 1;
		lg->outs = calloc(no, sizeof(*lg->outs));
		if (lg->outs == NULL) {
			r = -ENOMEM;
			goto fail;
		}
		if (cl->n_outputs == 0) {
			r = conf_get_out(c, "stdout", NULL, 0, 0, &lg->outs[0]);
			if (r < 0) {
				goto fail;
			}
			lg->n_outs = 1;
		}
		for (size_t k = 0; k < cl->n_outputs; k++) {
			const cfg_log_output_t *co = &cl->outputs[k];

			r = conf_get_out(c, co->output != NULL ? co->output : "stdout", co->pattern,
			                 co->maxsize, co->maxver, &lg->outs[lg->n_outs]);
			if (r < 0) {
				goto fail;
			}
			lg->n_outs++;
			if (lg->outs[lg->n_outs - 1]->kind == OUT_SYSLOG) {
				c->syslog_open = true;
			}
		}
	}
	*ret = c;
	return 0;
fail:
	/* the two implicit loggers' names are static: detach before freeing */
	c->debug_lg.name = NULL;
	c->default_lg.name = NULL;
	conf_free(c);
	return r;
}

/* Caller holds conf_lock (read or write). Lazily creates the default snapshot. */
static log_conf_t *conf_get(void)
{
	return conf;
}

static void conf_ensure(void)
{
	log_conf_t *c = NULL;

	pthread_rwlock_rdlock(&conf_lock);
	bool have = conf != NULL;
	pthread_rwlock_unlock(&conf_lock);
	if (have) {
		return;
	}
	if (conf_build(NULL, 0, &c) < 0) {
		return;
	}
	pthread_rwlock_wrlock(&conf_lock);
	if (conf == NULL) {
		conf = c;
		c = NULL;
		conf_update_fastpath(conf);
	}
	pthread_rwlock_unlock(&conf_lock);
	if (c != NULL) {
		c->debug_lg.name = NULL;
		c->default_lg.name = NULL;
		conf_free(c);
	}
}

int log_configure(const struct cfg_logger *loggers, size_t n)
{
	log_conf_t *c = NULL;
	log_conf_t *old;
	bool want_syslog;
	int r;

	if (log_host_name[0] == '\0') {
		if (gethostname(log_host_name, sizeof(log_host_name) - 1) < 0) {
			strcpy(log_host_name, "localhost");
		}
	}
	r = conf_build(loggers, n, &c);
	if (r < 0) {
		return r;
	}
	want_syslog = c->syslog_open;
	if (want_syslog) {
		const char *ident = "kea-dhcp4";

		for (size_t i = 0; i < c->n_outs; i++) {
			if (c->outs[i]->kind == OUT_SYSLOG && c->outs[i]->name[6] == ':') {
				ident = c->outs[i]->name + 7;
			}
		}
		/* openlog keeps the pointer: the snapshot owns the string until replaced */
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}

	pthread_rwlock_wrlock(&conf_lock);
	old = conf;
	conf = c;
	conf_update_fastpath(conf);
	pthread_rwlock_unlock(&conf_lock);

	if (old != NULL) {
		if (old->syslog_open && !want_syslog) {
			closelog();     /* libc keeps the ident pointer, which dies with old */
		}
		old->debug_lg.name = NULL;
		old->default_lg.name = NULL;
		conf_free(old);
	}
	return 0;
}

void log_set_debug_override(bool on)
{
	atomic_store(&debug_override, on);
	conf_ensure();
	pthread_rwlock_rdlock(&conf_lock);
	conf_update_fastpath(conf_get());
	pthread_rwlock_unlock(&conf_lock);
}

/* The configured logger that governs @name: the longest configured name equal to
 * @name or a dot-separated ancestor of it. Caller holds conf_lock. */
static const log_lg_t *resolve(const log_conf_t *c, const char *name)
{
	const log_lg_t *best = NULL;

	if (atomic_load_explicit(&debug_override, memory_order_relaxed)) {
		return &c->debug_lg;
	}
	for (size_t i = 0; i < c->n_lgs; i++) {
		const log_lg_t *lg = &c->lgs[i];

		if (strncmp(name, lg->name, lg->name_len) != 0) {
			continue;
		}
		if (name[lg->name_len] != '\0' && name[lg->name_len] != '.') {
			continue;
		}
		if (best == NULL || lg->name_len > best->name_len) {
			best = lg;
		}
	}
	return best != NULL ? best : &c->default_lg;
}

static bool lg_enabled(const log_lg_t *lg, log_sev_t sev, int dbglevel)
{
	if (lg->sev == LOG_SEV_NONE || sev < lg->sev) {
		return false;
	}
	if (sev == LOG_SEV_DEBUG && dbglevel > lg->dbg) {
		return false;
	}
	return true;
}

bool log_enabled(const char *logger, log_sev_t sev, int dbglevel)
{
	bool on;

	if ((int)sev < atomic_load_explicit(&min_sev, memory_order_relaxed)) {
		return false;
	}
	if (sev == LOG_SEV_DEBUG && dbglevel > atomic_load_explicit(&max_dbg, memory_order_relaxed)) {
		return false;
	}
	conf_ensure();
	pthread_rwlock_rdlock(&conf_lock);
	on = lg_enabled(resolve(conf_get(), logger), sev, dbglevel);
	pthread_rwlock_unlock(&conf_lock);
	return on;
}

void log_emit(const char *logger, log_sev_t sev, int dbglevel, const char *msgid, const char *fmt, ...)
{
	lbuf_t text;
	va_list ap;
	log_rec_t rec;

	if (sev < LOG_SEV_DEBUG || sev >= LOG_SEV_NONE) {
		return;
	}
	if ((int)sev < atomic_load_explicit(&min_sev, memory_order_relaxed)) {
		return;
	}
	if (sev == LOG_SEV_DEBUG && dbglevel > atomic_load_explicit(&max_dbg, memory_order_relaxed)) {
		return;
	}
	conf_ensure();

	int saved_errno = errno;
	pthread_rwlock_rdlock(&conf_lock);
	const log_conf_t *c = conf_get();
	const log_lg_t *lg = c != NULL ? resolve(c, logger) : NULL;
	if (lg == NULL || !lg_enabled(lg, sev, dbglevel)) {
		pthread_rwlock_unlock(&conf_lock);
		errno = saved_errno;
		return;
	}

	log_lbuf_init(&text);
	va_start(ap, fmt);
	log_lbuf_vprintf(&text, fmt, ap);
	va_end(ap);

	rec = (log_rec_t){
		.logger = logger,
		.sev = sev,
		.dbglevel = dbglevel,
		.msgid = msgid,
		.text = text.oom ? "(out of memory formatting message)" : text.p,
		.pthread = (unsigned long)pthread_self(),
		.tid = (long)syscall(SYS_gettid),
	};
	gettimeofday(&rec.tv, NULL);
	for (size_t i = 0; i < lg->n_outs; i++) {
		out_write(lg->outs[i], c, &rec);
	}
	pthread_rwlock_unlock(&conf_lock);
	if (sev >= LOG_SEV_WARN && lg->n_outs > 0) {
		log_ring_push(&rec);
	}
	log_lbuf_done(&text);
	errno = saved_errno;
}

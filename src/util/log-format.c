/* Kea's log line formats: log4cplus PatternLayout patterns compiled into tokens, the line
 * buffer they render into, and lessor's JSON lines (docs/log-messages.md). No state: log.c
 * owns the configuration and the outputs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/log-int.h"
#include "util/macro.h"

char log_host_name[256];

const char *const log_sev_names[LOG_SEV_N_NAMES] = {
	[LOG_SEV_DEBUG] = "DEBUG",
	[LOG_SEV_INFO] = "INFO",
	[LOG_SEV_WARN] = "WARN",
	[LOG_SEV_ERROR] = "ERROR",
	[LOG_SEV_FATAL] = "FATAL",
	[LOG_SEV_NONE] = "NONE",
};

const char *log_sev_name(log_sev_t sev)
{
	return sev >= LOG_SEV_DEBUG && sev <= LOG_SEV_NONE ? log_sev_names[sev] : "?";
}

/* ---- patterns ---- */

void log_pat_free(pat_tok_t *pat, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pat[i].arg);
	}
	free(pat);
}

static int pat_push(pat_tok_t **v, size_t *n, pat_tok_t tok)
{
	pat_tok_t *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL) {
		free(tok.arg);
		return -ENOMEM;
	}
	nv[(*n)++] = tok;
	*v = nv;
	return 0;
}

/* Compile a log4cplus PatternLayout string into tokens. Unknown conversions are
 * kept as literal text (documented in docs/log-messages.md). */
int log_pat_compile(const char *s, pat_tok_t **ret_pat, size_t *ret_n)
{
	pat_tok_t *v = NULL;
	size_t n = 0;
	int r;

	while (*s != '\0') {
		const char *start = s;

		if (*s != '%') {
			while (*s != '\0' && *s != '%') {
				s++;
			}
			r = pat_push(&v, &n, (pat_tok_t){ .kind = PAT_LIT, .arg = strndup(start, s - start) });
			if (r < 0 || v[n - 1].arg == NULL) {
				log_pat_free(v, n);
				return -ENOMEM;
			}
			continue;
		}

		s++;
		pat_tok_t tok = { .kind = PAT_LIT };
		if (*s == '-') {
			tok.left = true;
			s++;
		}
		while (*s >= '0' && *s <= '9') {
			tok.width = MIN(tok.width * 10 + (*s - '0'), 1000);
			s++;
		}
		if (*s == '.') {
			s++;
			while (*s >= '0' && *s <= '9') {
				tok.maxw = MIN(tok.maxw * 10 + (*s - '0'), 1000);
				s++;
			}
		}

		char c = *s;
		if (c != '\0') {
			s++;
		}
		switch (c) {
		case 'D':
		case 'd':
			tok.kind = c == 'D' ? PAT_DATE_LOCAL : PAT_DATE_UTC;
			if (*s == '{') {
				const char *close = strchr(s, '}');

				if (close == NULL) {
					close = s + strlen(s);
				}
				tok.arg = strndup(s + 1, close - s - 1);
				s = *close == '}' ? close + 1 : close;
			} else {
				tok.arg = strdup("%Y-%m-%d %H:%M:%S.%q");
			}
			if (tok.arg == NULL) {
				log_pat_free(v, n);
				return -ENOMEM;
			}
			break;
		case 'p':
			tok.kind = PAT_SEV;
			break;
		case 'c':
			tok.kind = PAT_LOGGER;
			if (*s == '{') {        /* %c{N}: precision not supported, ignore */
				const char *close = strchr(s, '}');
				s = close != NULL ? close + 1 : s + strlen(s);
			}
			break;
		case 'i':
			tok.kind = PAT_PID;
			break;
		case 't':
			tok.kind = PAT_PTHREAD;
			break;
		case 'T':
			tok.kind = PAT_TID;
			break;
		case 'h':
			tok.kind = PAT_HOST;
			break;
		case 'm':
			tok.kind = PAT_MSG;
			break;
		case 'n':
			tok.kind = PAT_NL;
			break;
		case '%':
			tok = (pat_tok_t){ .kind = PAT_LIT, .arg = strdup("%") };
			break;
		default:
			tok = (pat_tok_t){ .kind = PAT_LIT, .arg = strndup(start, s - start) };
			break;
		}
		if (tok.kind == PAT_LIT && tok.arg == NULL) {
			log_pat_free(v, n);
			return -ENOMEM;
		}
		r = pat_push(&v, &n, tok);
		if (r < 0) {
			log_pat_free(v, n);
			return r;
		}
	}
	*ret_pat = v;
	*ret_n = n;
	return 0;
}

/* ---- a bounded line buffer that grows on the heap when a line is long ---- */

void log_lbuf_init(lbuf_t *b)
{
	b->p = b->stack;
	b->len = 0;
	b->cap = sizeof(b->stack);
	b->heap = false;
	b->oom = false;
}

void log_lbuf_done(lbuf_t *b)
{
	if (b->heap) {
		free(b->p);
	}
}

static bool lbuf_reserve(lbuf_t *b, size_t extra)
{
	if (b->oom) {
		return false;
	}
	if (b->len + extra + 1 <= b->cap) {
		return true;
	}
	size_t ncap = MAX(b->cap * 2, b->len + extra + 1);
	char *np = b->heap ? realloc(b->p, ncap) : malloc(ncap);
	if (np == NULL) {
		b->oom = true;
		return false;
	}
	if (!b->heap) {
		memcpy(np, b->p, b->len);
	}
	b->p = np;
	b->cap = ncap;
	b->heap = true;
	return true;
}

static void lbuf_put(lbuf_t *b, const char *s, size_t n)
{
	if (!lbuf_reserve(b, n)) {
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void lbuf_puts(lbuf_t *b, const char *s)
{
	lbuf_put(b, s, strlen(s));
}

void log_lbuf_vprintf(lbuf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!lbuf_reserve(b, (size_t)n)) {
			return;
		}
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

static void lbuf_printf(lbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lbuf_printf(lbuf_t *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_lbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Append @s honouring width, left-justification and maximum width. */
static void lbuf_field(lbuf_t *b, const pat_tok_t *t, const char *s, size_t n)
{
	if (t->maxw > 0 && n > (size_t)t->maxw) {
		s += n - (size_t)t->maxw;       /* log4cplus truncates from the left */
		n = (size_t)t->maxw;
	}
	size_t pad = t->width > 0 && n < (size_t)t->width ? (size_t)t->width - n : 0;
	if (!t->left) {
		for (size_t i = 0; i < pad; i++) {
			lbuf_put(b, " ", 1);
		}
	}
	lbuf_put(b, s, n);
	if (t->left) {
		for (size_t i = 0; i < pad; i++) {
			lbuf_put(b, " ", 1);
		}
	}
}

/* strftime with log4cplus' %q (milliseconds) and %Q (milliseconds.microseconds). */
static void fmt_date(lbuf_t *b, const char *fmt, const struct timeval *tv, bool utc)
{
	struct tm tm;
	char f2[256];
	char out[256];
	size_t j = 0;

	if (utc) {
		gmtime_r(&tv->tv_sec, &tm);
	} else {
		localtime_r(&tv->tv_sec, &tm);
	}
	for (size_t i = 0; fmt[i] != '\0' && j + 8 < sizeof(f2); i++) {
		if (fmt[i] == '%' && fmt[i + 1] == 'q') {
			j += (size_t)snprintf(f2 + j, sizeof(f2) - j, "%03ld", (long)(tv->tv_usec / 1000));
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == 'Q') {
			j += (size_t)snprintf(f2 + j, sizeof(f2) - j, "%03ld.%03ld",
			                      (long)(tv->tv_usec / 1000), (long)(tv->tv_usec % 1000));
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == '%') {
			f2[j++] = '%';
			f2[j++] = '%';
			i++;
		} else {
			f2[j++] = fmt[i];
		}
	}
	f2[j] = '\0';
	size_t n = strftime(out, sizeof(out), f2, &tm);
	lbuf_put(b, out, n);
}

void log_render_pattern(lbuf_t *b, const pat_tok_t *pat, size_t n_pat, const log_rec_t *rec)
{
	char num[32];
	int n;

	for (size_t i = 0; i < n_pat; i++) {
		const pat_tok_t *t = &pat[i];

		switch (t->kind) {
		case PAT_LIT:
			lbuf_puts(b, t->arg);
			break;
		case PAT_DATE_LOCAL:
		case PAT_DATE_UTC: {
			lbuf_t tmp;

			log_lbuf_init(&tmp);
			fmt_date(&tmp, t->arg, &rec->tv, t->kind == PAT_DATE_UTC);
			lbuf_field(b, t, tmp.p, tmp.len);
			log_lbuf_done(&tmp);
			break;
		}
		case PAT_SEV:
			lbuf_field(b, t, log_sev_names[rec->sev], strlen(log_sev_names[rec->sev]));
			break;
		case PAT_LOGGER:
			lbuf_field(b, t, rec->logger, strlen(rec->logger));
			break;
		case PAT_PID:
			n = snprintf(num, sizeof(num), "%ld", (long)getpid());
			lbuf_field(b, t, num, (size_t)n);
			break;
		case PAT_PTHREAD:
			n = snprintf(num, sizeof(num), "%lu", rec->pthread);
			lbuf_field(b, t, num, (size_t)n);
			break;
		case PAT_TID:
			n = snprintf(num, sizeof(num), "%ld", rec->tid);
			lbuf_field(b, t, num, (size_t)n);
			break;
		case PAT_HOST:
			lbuf_field(b, t, log_host_name, strlen(log_host_name));
			break;
		case PAT_MSG: {
			size_t start = b->len;

			lbuf_puts(b, rec->msgid);
			lbuf_put(b, " ", 1);
			lbuf_puts(b, rec->text);
			if ((t->width > 0 || t->maxw > 0) && !b->oom) {
				/* rare: re-render the message as a padded field */
				char *copy = strndup(b->p + start, b->len - start);
				if (copy != NULL) {
					b->len = start;
					lbuf_field(b, t, copy, strlen(copy));
					free(copy);
				}
			}
			break;
		}
		case PAT_NL:
			lbuf_put(b, "\n", 1);
			break;
		}
	}
}

static void json_str(lbuf_t *b, const char *s)
{
	lbuf_put(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			lbuf_put(b, "\\\"", 2);
			break;
		case '\\':
			lbuf_put(b, "\\\\", 2);
			break;
		case '\n':
			lbuf_put(b, "\\n", 2);
			break;
		case '\r':
			lbuf_put(b, "\\r", 2);
			break;
		case '\t':
			lbuf_put(b, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				lbuf_printf(b, "\\u%04x", *p);
			} else {
				lbuf_put(b, (const char *)p, 1);
			}
			break;
		}
	}
	lbuf_put(b, "\"", 1);
}

void log_render_json(lbuf_t *b, const log_rec_t *rec)
{
	struct tm tm;
	char ts[64];
	char off[8];

	localtime_r(&rec->tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm);          /* +0000 -> +00:00 below */
	lbuf_printf(b, "{\"ts\":\"%s.%03ld%.3s:%.2s\",\"severity\":", ts,
	            (long)(rec->tv.tv_usec / 1000), off, off + 3);
	json_str(b, log_sev_names[rec->sev]);
	if (rec->sev == LOG_SEV_DEBUG) {
		lbuf_printf(b, ",\"debuglevel\":%d", rec->dbglevel);
	}
	lbuf_puts(b, ",\"logger\":");
	json_str(b, rec->logger);
	lbuf_printf(b, ",\"pid\":%ld,\"tid\":%lu,\"id\":", (long)getpid(), rec->pthread);
	json_str(b, rec->msgid);
	lbuf_puts(b, ",\"msg\":");
	json_str(b, rec->text);
	lbuf_puts(b, "}\n");
}

/* Internals shared by util/log.c (configuration, outputs, emit) and util/log-format.c
 * (patterns, line rendering) and util/log-ring.c. Not for use outside src/util/log*.c. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>

#include "util/log.h"

#define LOG_LINE_STACK 2048
#define LOG_SEV_N_NAMES (LOG_SEV_NONE + 1)

typedef enum pat_kind {
	PAT_LIT,
	PAT_DATE_LOCAL,
	PAT_DATE_UTC,
	PAT_SEV,
	PAT_LOGGER,
	PAT_PID,
	PAT_PTHREAD,
	PAT_TID,
	PAT_HOST,
	PAT_MSG,
	PAT_NL,
} pat_kind_t;

typedef struct pat_tok {
	pat_kind_t kind;
	char *arg;                      /* literal text or the date format */
	int width;                      /* minimum width, 0 = none */
	int maxw;                       /* maximum width, 0 = none */
	bool left;
} pat_tok_t;

typedef struct lbuf {
	char *p;
	size_t len;
	size_t cap;
	bool heap;
	bool oom;
	char stack[LOG_LINE_STACK];
} lbuf_t;

typedef struct log_rec {
	const char *logger;
	log_sev_t sev;
	int dbglevel;
	const char *msgid;
	const char *text;               /* formatted message text (without the id) */
	struct timeval tv;
	unsigned long pthread;
	long tid;
} log_rec_t;

/** Severity names by log_sev_t ("DEBUG" ... "NONE"). */
extern const char *const log_sev_names[LOG_SEV_N_NAMES];
/** %h of a pattern; filled by log.c on first use. */
extern char log_host_name[256];

/** Compile a log4cplus PatternLayout string into tokens. 0 or -ENOMEM. */
int log_pat_compile(const char *s, pat_tok_t **ret_pat, size_t *ret_n);
void log_pat_free(pat_tok_t *pat, size_t n);

/** The line buffer: on the stack up to LOG_LINE_STACK, then on the heap; b->oom
 *  is sticky. */
void log_lbuf_init(lbuf_t *b);
void log_lbuf_done(lbuf_t *b);
void log_lbuf_vprintf(lbuf_t *b, const char *fmt, va_list ap);

/** Keep @rec in the ring of recent warnings and errors (log-ring.c). */
void log_ring_push(const log_rec_t *rec);

/** One record as a line in @pat / as lessor's JSON line, appended to @b. */
void log_render_pattern(lbuf_t *b, const pat_tok_t *pat, size_t n_pat, const log_rec_t *rec);
void log_render_json(lbuf_t *b, const log_rec_t *rec);

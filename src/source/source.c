/* Configuration source state: see source/source.h. */
#include "source/source.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl-int.h"
#include "source/fetch.h"
#include "source/s3.h"
#include "source/template.h"
#include "util/log.h"
#include "util/macro.h"

#define SOURCE_TIMEOUT_S 10L
#define SOURCE_MAX_FILE (16u << 20)

struct source {
	char *location;
	source_kind_t kind;
	unsigned poll_s;
	int64_t next_poll;      /* monotonic second */
	pthread_mutex_t lock;   /* the fields below: status-get reads them */
	char *etag;
	char *last_modified;
	char hash[65];          /* in force; "" before the first */
	char fetched_hash[65];  /* last filled text fetched (applied or not) */
	time_t last_fetch;
	const char *last_result;
	char last_error[1024];
	source_counts_t n;
	char *text;             /* last filled text the loader accepted */
};

int source_new(const char *location, unsigned poll_s, source_t **ret)
{
	source_t *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->location = strdup(location)) == NULL) {
		free(s);
		return -ENOMEM;
	}
	if (strncmp(location, "s3://", 5) == 0) {
		s->kind = SOURCE_S3;
	} else if (strncmp(location, "http://", 7) == 0 || strncmp(location, "https://", 8) == 0) {
		s->kind = SOURCE_HTTP;
	} else {
		s->kind = SOURCE_FILE;
	}
	s->poll_s = poll_s;
	s->last_result = "none";
	pthread_mutex_init(&s->lock, NULL);
	*ret = s;
	return 0;
}

source_t *source_free(source_t *s)
{
	if (s != NULL) {
		pthread_mutex_destroy(&s->lock);
		free(s->location);
		free(s->etag);
		free(s->last_modified);
		free(s->text);
		free(s);
	}
	return NULL;
}

source_kind_t source_kind(const source_t *s)
{
	return s->kind;
}

const char *source_location(const source_t *s)
{
	return s->location;
}

unsigned source_poll_interval(const source_t *s)
{
	return s->poll_s;
}

bool source_poll_due(const source_t *s, int64_t mono)
{
	return s->poll_s > 0 && mono >= s->next_poll;
}

static int read_file(const char *path, char **ret, size_t *retlen, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		int r = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(-r));
		return r;
	}
	m = open_memstream(&buf, &len);
	if (m == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && len + n <= SOURCE_MAX_FILE) {
		fwrite(chunk, 1, n, m);
		fflush(m);
	}
	bool bad = ferror(f) || n > 0;
	fclose(f);
	if (fclose(m) != 0 || bad) {
		free(buf);
		snprintf(err, errlen, "cannot read '%s'", path);
		return -EIO;
	}
	*ret = buf;
	*retlen = len;
	return 0;
}

/* GET an http(s) or s3 location, conditional on what the last fetch saw. */
static int fetch_remote(source_t *s, bool conditional, fetch_resp_t *resp, char *err, size_t errlen)
{
	s3_creds_t creds = { 0 };
	s3_req_t s3 = { 0 };
	fetch_req_t req = { .url = s->location, .timeout_s = SOURCE_TIMEOUT_S };
	int r;

	if (s->kind == SOURCE_S3) {
		r = s3_creds_get(NULL, NULL, SOURCE_TIMEOUT_S, &creds, err, errlen);
		if (r == 0) {
			r = s3_request_build(s->location, &creds, NULL, NULL, &s3);
		}
		s3_creds_done(&creds);
		if (r < 0) {
			return r;
		}
		req.url = s3.url;
		req.sigv4 = s3.sigv4;
		req.userpwd = s3.userpwd;
	}
	const char *hdrs[] = { s3.sha_header, s3.token_header, NULL };
	req.headers = hdrs;
	pthread_mutex_lock(&s->lock);
	_cleanup_free_ char *etag = conditional && s->etag != NULL ? strdup(s->etag) : NULL;
	/* If-Modified-Since only without an ETag: it has 1 s resolution, and some
	 * servers (s3rver) answer 304 on it even when If-None-Match differs */
	_cleanup_free_ char *lm = conditional && s->etag == NULL && s->last_modified != NULL
	                                  ? strdup(s->last_modified)
	                                  : NULL;
	pthread_mutex_unlock(&s->lock);
	req.etag = etag;
	req.last_modified = lm;
	r = fetch_http(&req, resp, err, errlen);
	if (r == 0 && resp->status != 200 && resp->status != 304) {
		snprintf(err, errlen, "%s: HTTP %ld", req.url, resp->status);
		fetch_resp_done(resp);
		r = -EIO;
	}
	s3_request_done(&s3);
	return r;
}

static void note(source_t *s, const char *result, const char *error)
{
	s->last_result = result;
	snprintf(s->last_error, sizeof(s->last_error), "%s", error != NULL ? error : "");
}

/* Into the statistics only for a remote or polled source (see cmd-stats.c):
 * a plain -c FILE keeps Kea's statistic names exactly. */
static void count(const source_t *s, stats_shard_t *sh, stat_id_t id)
{
	if (sh != NULL && (s->kind != SOURCE_FILE || s->poll_s > 0)) {
		stats_inc(sh, id);
	}
}

int source_fetch(source_t *s, bool conditional, int64_t mono, stats_shard_t *sh, char **text,
                 size_t *len, char hash[65], char *err, size_t errlen)
{
	fetch_resp_t resp = { 0 };
	_cleanup_free_ char *raw = NULL;
	size_t rawlen = 0;
	int r;

	s->next_poll = mono + s->poll_s;
	if (s->kind == SOURCE_FILE) {
		r = read_file(s->location, &raw, &rawlen, err, errlen);
	} else {
		r = fetch_remote(s, conditional, &resp, err, errlen);
		raw = TAKE_PTR(resp.body);
		rawlen = resp.len;
	}
	pthread_mutex_lock(&s->lock);
	s->n.fetches++;
	count(s, sh, STAT_CONFIG_SOURCE_FETCHES);
	s->last_fetch = time(NULL);
	if (r == 0 && resp.status == 304) {
		s->n.unchanged++;
		count(s, sh, STAT_CONFIG_SOURCE_UNCHANGED);
		note(s, "not-modified", NULL);
		pthread_mutex_unlock(&s->lock);
		fetch_resp_done(&resp);
		return SOURCE_UNCHANGED;
	}
	if (r == 0) {
		/* remember the validators even if the text is refused below: the
		 * next poll then asks "changed since?" instead of refusing again */
		if (resp.etag != NULL || resp.last_modified != NULL) {
			free(s->etag);
			free(s->last_modified);
			s->etag = TAKE_PTR(resp.etag);
			s->last_modified = TAKE_PTR(resp.last_modified);
		}
		r = tmpl_fill(raw, rawlen, NULL, NULL, text, len, err, errlen);
		if (r == -ENOENT) {
			/* a placeholder without a value: a configuration error */
			s->n.rejected++;
			count(s, sh, STAT_CONFIG_SOURCE_REJECTED);
			note(s, "rejected", err);
			pthread_mutex_unlock(&s->lock);
			fetch_resp_done(&resp);
			return -EINVAL;
		}
	}
	fetch_resp_done(&resp);
	if (r < 0) {
		s->n.failed++;
		count(s, sh, STAT_CONFIG_SOURCE_FAILED);
		note(s, "failed", err);
		pthread_mutex_unlock(&s->lock);
		return r;
	}
	ctl_sha256_hex(*text, *len, hash);
	bool same = conditional && (strcmp(hash, s->hash) == 0 || strcmp(hash, s->fetched_hash) == 0);
	memcpy(s->fetched_hash, hash, 65);
	if (same) {
		s->n.unchanged++;
		count(s, sh, STAT_CONFIG_SOURCE_UNCHANGED);
		note(s, "unchanged", NULL);
		pthread_mutex_unlock(&s->lock);
		free(*text);
		*text = NULL;
		return SOURCE_UNCHANGED;
	}
	note(s, "fetched", NULL);
	pthread_mutex_unlock(&s->lock);
	return SOURCE_CHANGED;
}

void source_note_applied(source_t *s, stats_shard_t *sh, const char hash[65])
{
	pthread_mutex_lock(&s->lock);
	memcpy(s->hash, hash, 65);
	s->n.applied++;
	note(s, "applied", NULL);
	pthread_mutex_unlock(&s->lock);
	count(s, sh, STAT_CONFIG_SOURCE_APPLIED);
	log_info(LOGGER_DHCP4, "LESSOR_CONFIG_SOURCE_APPLIED", "configuration from %s in force (SHA-256 %s)",
	         s->location, hash);
}

void source_note_rejected(source_t *s, stats_shard_t *sh, const char *why)
{
	pthread_mutex_lock(&s->lock);
	s->n.rejected++;
	note(s, "rejected", why);
	pthread_mutex_unlock(&s->lock);
	count(s, sh, STAT_CONFIG_SOURCE_REJECTED);
	log_error(LOGGER_DHCP4, "LESSOR_CONFIG_SOURCE_REJECTED",
	          "configuration from %s refused, the running one stays: %s", s->location, why);
}

const char *source_text(const source_t *s)
{
	return s->text;
}

int source_load(source_t *s, bool conditional, int64_t mono, stats_shard_t *sh, cfg_t **cfg,
                char hash[65], cfg_err_t *err)
{
	char *text = NULL;
	size_t len = 0;
	char ebuf[1200];
	int r;

	*err = (cfg_err_t){ 0 };
	r = source_fetch(s, conditional, mono, sh, &text, &len, hash, err->msg, sizeof(err->msg));
	if (r == -EINVAL) {
		log_error(LOGGER_DHCP4, "LESSOR_CONFIG_SOURCE_REJECTED",
		          "configuration from %s refused, the running one stays: %s", s->location, err->msg);
		return r;
	}
	if (r < 0) {
		log_error(LOGGER_DHCP4, "LESSOR_CONFIG_SOURCE_FETCH_FAIL",
		          "fetching the configuration from %s failed, the running one stays: %s", s->location,
		          err->msg);
		return r;
	}
	if (r == SOURCE_UNCHANGED) {
		log_debug(LOGGER_DHCP4, LOG_DBG_TRACE, "LESSOR_CONFIG_SOURCE_UNCHANGED",
		          "configuration at %s unchanged", s->location);
		return r;
	}
	if (conditional) {
		log_info(LOGGER_DHCP4, "LESSOR_CONFIG_SOURCE_CHANGED",
		         "configuration at %s changed (SHA-256 %s), reloading", s->location, hash);
	}
	r = cfg_load_text(text, len, cfg, err);
	if (r < 0) {
		source_note_rejected(s, sh, cfg_err_format(err, ebuf, sizeof(ebuf)));
		free(text);
		return r;
	}
	free(s->text);
	s->text = text;
	return SOURCE_CHANGED;
}

void source_count_start(source_t *s, stats_shard_t *sh)
{
	count(s, sh, STAT_CONFIG_SOURCE_FETCHES);
}

void source_counts(source_t *s, source_counts_t *ret)
{
	pthread_mutex_lock(&s->lock);
	*ret = s->n;
	pthread_mutex_unlock(&s->lock);
}

static const char *const kind_names[] = { "file", "http", "s3" };

json_t *source_status(source_t *s)
{
	char when[32] = "";
	json_t *j;

	pthread_mutex_lock(&s->lock);
	if (s->last_fetch != 0) {
		struct tm tm;
		gmtime_r(&s->last_fetch, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	j = json_pack("{s:s, s:s, s:I, s:o, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "location",
	              s->location, "kind", kind_names[s->kind], "poll-interval", (json_int_t)s->poll_s,
	              "last-fetch", when[0] != '\0' ? json_string(when) : json_null(), "last-result",
	              s->last_result, "hash", s->hash[0] != '\0' ? json_string(s->hash) : json_null(),
	              "last-error", s->last_error[0] != '\0' ? json_string(s->last_error) : json_null(),
	              "fetches", (json_int_t)s->n.fetches, "applied", (json_int_t)s->n.applied,
	              "unchanged", (json_int_t)s->n.unchanged, "failed", (json_int_t)s->n.failed,
	              "rejected", (json_int_t)s->n.rejected);
	pthread_mutex_unlock(&s->lock);
	return j;
}

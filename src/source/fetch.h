/* One bounded HTTP request through libcurl (a GET, optionally conditional on
 * ETag / Last-Modified, or a POST with a body), optionally signed with AWS
 * Signature V4. Any thread (curl_global_init() ran at start). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct fetch_req {
	const char *url;
	const char *sigv4;            /* CURLOPT_AWS_SIGV4 provider or NULL */
	const char *userpwd;          /* with sigv4 */
	const char *const *headers;   /* extra "Name: value" lines, NULL-terminated, or NULL */
	const char *method;           /* NULL = GET */
	const char *etag;             /* If-None-Match, or NULL */
	const char *last_modified;    /* If-Modified-Since, or NULL */
	const char *body;             /* POST this (signed with it), or NULL */
	size_t body_len;
	long timeout_s;
} fetch_req_t;

typedef struct fetch_resp {
	long status;                  /* HTTP status; 304 = not modified */
	char *body;                   /* NUL-terminated, malloc'd */
	size_t len;
	char *etag;                   /* response headers, malloc'd or NULL */
	char *last_modified;
} fetch_resp_t;

/** Perform @req. 0 once a response arrived (any status), or -EIO with @err
 *  (connection refused, timeout, ...). Bodies above 16 MiB are refused. */
int fetch_http(const fetch_req_t *req, fetch_resp_t *ret, char *err, size_t errlen);
void fetch_resp_done(fetch_resp_t *r);

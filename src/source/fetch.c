/* libcurl GET with conditional headers; see source/fetch.h. */
#include "source/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/macro.h"

#define FETCH_MAX_BODY (16u << 20)

typedef struct sink {
	FILE *m;
	size_t n;
	fetch_resp_t *resp;
} sink_t;

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
	sink_t *s = ud;
	size_t n = sz * nm;

	if (s->n + n > FETCH_MAX_BODY) {
		return 0;               /* aborts the transfer */
	}
	s->n += n;
	return fwrite(p, 1, n, s->m);
}

/* "Name: value\r\n" -> malloc'd value if the name matches. */
static void take_header(const char *p, size_t n, const char *name, char **dst)
{
	size_t nl = strlen(name);

	if (n <= nl + 1 || strncasecmp(p, name, nl) != 0 || p[nl] != ':') {
		return;
	}
	p += nl + 1;
	n -= nl + 1;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' ')) {
		n--;
	}
	free(*dst);
	*dst = strndup(p, n);
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
	sink_t *s = ud;
	size_t n = sz * nm;

	take_header(p, n, "ETag", &s->resp->etag);
	take_header(p, n, "Last-Modified", &s->resp->last_modified);
	return n;
}

static struct curl_slist *build_headers(const fetch_req_t *req)
{
	struct curl_slist *h = NULL;
	char line[512];

	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		h = curl_slist_append(h, req->headers[i]);
	}
	if (req->etag != NULL) {
		snprintf(line, sizeof(line), "If-None-Match: %s", req->etag);
		h = curl_slist_append(h, line);
	}
	if (req->last_modified != NULL) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", req->last_modified);
		h = curl_slist_append(h, line);
	}
	return h;
}

int fetch_http(const fetch_req_t *req, fetch_resp_t *ret, char *err, size_t errlen)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	fetch_resp_t resp = { 0 };
	sink_t sink = { .resp = &resp };
	size_t blen = 0;
	CURL *c;
	CURLcode cr;

	sink.m = open_memstream(&resp.body, &blen);
	c = curl_easy_init();
	if (sink.m == NULL || c == NULL) {
		if (sink.m != NULL) {
			fclose(sink.m);
		}
		free(resp.body);
		curl_easy_cleanup(c);
		return -ENOMEM;
	}
	struct curl_slist *hdrs = build_headers(req);
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, req->timeout_s > 0 ? req->timeout_s : 10L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "lessor");
	if (req->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	}
	if (req->method != NULL) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	}
	if (req->sigv4 != NULL) {
		curl_easy_setopt(c, CURLOPT_AWS_SIGV4, req->sigv4);
		curl_easy_setopt(c, CURLOPT_USERPWD, req->userpwd);
	}
	cr = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	fclose(sink.m);
	resp.len = blen;
	if (cr != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", req->url, ebuf[0] != '\0' ? ebuf : curl_easy_strerror(cr));
		fetch_resp_done(&resp);
		return -EIO;
	}
	*ret = resp;
	return 0;
}

void fetch_resp_done(fetch_resp_t *r)
{
	free(r->body);
	free(r->etag);
	free(r->last_modified);
	*r = (fetch_resp_t){ 0 };
}

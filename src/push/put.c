/* PutMetricData requests (push/put.h). */
#include "push/put.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* application/x-www-form-urlencoded value: RFC 3986 unreserved kept, the rest
 * %XX (what the AWS SDKs send, and what SigV4 canonicalises to). */
static void put_enc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			fputc(*p, f);
		} else {
			fprintf(f, "%%%02X", *p);
		}
	}
}

static void put_dim(FILE *f, size_t i, size_t d, const char *name, const char *value)
{
	fprintf(f, "&MetricData.member.%zu.Dimensions.member.%zu.Name=%s", i, d, name);
	fprintf(f, "&MetricData.member.%zu.Dimensions.member.%zu.Value=", i, d);
	put_enc(f, value);
}

/* One body with metrics [@from, @to) of @s. */
static char *put_body(const push_sample_t *s, size_t from, size_t to, const char *ns,
                      const char *server)
{
	char *out = NULL, ts[80];  /* 32 would do; -O3 -Wformat-truncation counts int ranges */
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	time_t t = (time_t)(s->ts_ms / 1000);
	struct tm tm;

	if (f == NULL) {
		return NULL;
	}
	gmtime_r(&t, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (int)(s->ts_ms % 1000));
	fputs("Action=PutMetricData&Version=2010-08-01&Namespace=", f);
	put_enc(f, ns);
	for (size_t k = from; k < to; k++) {
		const push_metric_t *m = &s->m[k];
		size_t i = k - from + 1;

		fprintf(f, "&MetricData.member.%zu.MetricName=", i);
		put_enc(f, m->name);
		fprintf(f, "&MetricData.member.%zu.Value=%.17g", i, m->value);
		fprintf(f, "&MetricData.member.%zu.Unit=%s", i, m->percent ? "Percent" : "Count");
		fprintf(f, "&MetricData.member.%zu.Timestamp=", i);
		put_enc(f, ts);
		/* lease-percent-used by Subnet alone: see emf.c */
		if (m->subnet[0] != '\0') {
			put_dim(f, i, 1, "Subnet", m->subnet);
		} else {
			put_dim(f, i, 1, "Server", server);
		}
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

int push_put_build(const push_sample_t *s, const char *ns, const char *server, const char *region,
                   const char *endpoint, const s3_creds_t *creds, push_put_req_t *ret)
{
	push_put_req_t r = { 0 };
	int n1, n2, n3 = 0;

	if (region == NULL) {
		region = aws_region(NULL, NULL);
	}
	n1 = endpoint != NULL ? asprintf(&r.url, "%s", endpoint)
	                      : asprintf(&r.url, "https://monitoring.%s.amazonaws.com/", region);
	n2 = asprintf(&r.sigv4, "aws:amz:%s:monitoring", region);
	if (creds->token != NULL) {
		n3 = asprintf(&r.token_header, "x-amz-security-token: %s", creds->token);
	}
	int n4 = asprintf(&r.userpwd, "%s:%s", creds->key_id, creds->secret);
	size_t nb = (s->n + PUSH_PUT_MAX_DATUMS - 1) / PUSH_PUT_MAX_DATUMS;
	r.bodies = calloc(nb + 1, sizeof(*r.bodies));
	if (n1 < 0 || n2 < 0 || n3 < 0 || n4 < 0 || r.bodies == NULL) {
		push_put_done(&r);
		return -ENOMEM;
	}
	for (size_t from = 0; from < s->n; from += PUSH_PUT_MAX_DATUMS) {
		size_t to = from + PUSH_PUT_MAX_DATUMS < s->n ? from + PUSH_PUT_MAX_DATUMS : s->n;

		r.bodies[r.n_bodies] = put_body(s, from, to, ns, server);
		if (r.bodies[r.n_bodies++] == NULL) {
			push_put_done(&r);
			return -ENOMEM;
		}
	}
	*ret = r;
	return 0;
}

void push_put_done(push_put_req_t *r)
{
	for (size_t i = 0; i < r->n_bodies; i++) {
		free(r->bodies[i]);
	}
	free(r->bodies);
	free(r->url);
	free(r->sigv4);
	free(r->userpwd);
	free(r->token_header);
	*r = (push_put_req_t){ 0 };
}

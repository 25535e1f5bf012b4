/* S3 request and credentials; the order and the variables are in source/s3.h. */
#include "source/s3.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/fetch.h"
#include "util/macro.h"

#define ECS_HOST "http://169.254.170.2"
#define IMDS_HOST "http://169.254.169.254"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char *env_get(tmpl_lookup_fn env, void *ud, const char *name)
{
	const char *v = env != NULL ? env(name, ud) : getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

const char *aws_region(tmpl_lookup_fn env, void *ud)
{
	const char *region = env_get(env, ud, "AWS_REGION");

	if (region == NULL) {
		region = env_get(env, ud, "AWS_DEFAULT_REGION");
	}
	return region != NULL ? region : "us-east-1";
}

int s3_parse(const char *location, char **bucket, char **key)
{
	if (strncmp(location, "s3://", 5) != 0) {
		return -EINVAL;
	}
	const char *b = location + 5;
	const char *slash = strchr(b, '/');

	if (slash == NULL || slash == b || slash[1] == '\0') {
		return -EINVAL;
	}
	*bucket = strndup(b, (size_t)(slash - b));
	*key = strdup(slash + 1);
	if (*bucket == NULL || *key == NULL) {
		free(*bucket);
		free(*key);
		return -ENOMEM;
	}
	return 0;
}

int s3_request_build(const char *location, const s3_creds_t *creds, tmpl_lookup_fn env, void *ud,
                     s3_req_t *ret)
{
	_cleanup_free_ char *bucket = NULL;
	_cleanup_free_ char *key = NULL;
	s3_req_t r = { 0 };
	int n1, n2, n3 = 0, n4;

	int e = s3_parse(location, &bucket, &key);
	if (e < 0) {
		return e;
	}
	const char *region = aws_region(env, ud);
	const char *ep = env_get(env, ud, "AWS_ENDPOINT_URL_S3");
	if (ep == NULL) {
		ep = env_get(env, ud, "AWS_ENDPOINT_URL");
	}
	if (ep != NULL) {
		size_t l = strlen(ep);
		n1 = asprintf(&r.url, "%.*s/%s/%s", (int)(l > 0 && ep[l - 1] == '/' ? l - 1 : l), ep, bucket,
		              key);
	} else {
		n1 = asprintf(&r.url, "https://%s.s3.%s.amazonaws.com/%s", bucket, region, key);
	}
	n2 = asprintf(&r.sigv4, "aws:amz:%s:s3", region);
	r.sha_header = "x-amz-content-sha256: " EMPTY_SHA256;
	if (creds->token != NULL) {
		n3 = asprintf(&r.token_header, "x-amz-security-token: %s", creds->token);
	}
	n4 = asprintf(&r.userpwd, "%s:%s", creds->key_id, creds->secret);
	if (n1 < 0 || n2 < 0 || n3 < 0 || n4 < 0) {
		s3_request_done(&r);
		return -ENOMEM;
	}
	*ret = r;
	return 0;
}

void s3_request_done(s3_req_t *r)
{
	free(r->url);
	free(r->sigv4);
	free(r->userpwd);
	free(r->token_header);
	*r = (s3_req_t){ 0 };
}

void s3_creds_done(s3_creds_t *c)
{
	free(c->key_id);
	free(c->secret);
	free(c->token);
	*c = (s3_creds_t){ 0 };
}

static int creds_set(s3_creds_t *c, const char *id, const char *secret, const char *token)
{
	c->key_id = strdup(id);
	c->secret = strdup(secret);
	c->token = token != NULL ? strdup(token) : NULL;
	if (c->key_id == NULL || c->secret == NULL || (token != NULL && c->token == NULL)) {
		s3_creds_done(c);
		return -ENOMEM;
	}
	return 0;
}

/* {"AccessKeyId", "SecretAccessKey", "Token"}: both the ECS and the IMDS shape. */
static int creds_from_json(const char *body, s3_creds_t *c)
{
	json_t *j = json_loads(body, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "AccessKeyId"));
	const char *sec = json_string_value(json_object_get(j, "SecretAccessKey"));
	const char *tok = json_string_value(json_object_get(j, "Token"));
	int r = id != NULL && sec != NULL ? creds_set(c, id, sec, tok) : -EBADMSG;

	json_decref(j);
	return r;
}

/* GET (or PUT) @url; the body on a 200, else an error in @err. */
static int get_200(const char *url, const char *method, const char *const *hdrs, long timeout_s,
                   fetch_resp_t *resp, char *err, size_t errlen)
{
	fetch_req_t req = { .url = url, .method = method, .headers = hdrs, .timeout_s = timeout_s };
	int r = fetch_http(&req, resp, err, errlen);

	if (r == 0 && resp->status != 200) {
		snprintf(err, errlen, "%s: HTTP %ld", url, resp->status);
		fetch_resp_done(resp);
		return -EIO;
	}
	return r;
}

static int creds_container(tmpl_lookup_fn env, void *ud, long timeout_s, s3_creds_t *c, char *err,
                           size_t errlen)
{
	const char *full = env_get(env, ud, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *rel = env_get(env, ud, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *tok = env_get(env, ud, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	_cleanup_free_ char *url = NULL;
	_cleanup_free_ char *auth = NULL;
	fetch_resp_t resp = { 0 };

	if (full == NULL && rel == NULL) {
		return -ENOENT;
	}
	if ((full != NULL ? asprintf(&url, "%s", full) : asprintf(&url, ECS_HOST "%s", rel)) < 0 ||
	    (tok != NULL && asprintf(&auth, "Authorization: %s", tok) < 0)) {
		return -ENOMEM;
	}
	const char *hdrs[] = { auth, NULL };
	int r = get_200(url, NULL, hdrs, timeout_s, &resp, err, errlen);
	if (r == 0) {
		r = creds_from_json(resp.body, c);
		if (r == -EBADMSG) {
			snprintf(err, errlen, "%s: no AccessKeyId/SecretAccessKey in the answer", url);
		}
	}
	fetch_resp_done(&resp);
	return r;
}

static int creds_imds(tmpl_lookup_fn env, void *ud, long timeout_s, s3_creds_t *c, char *err,
                      size_t errlen)
{
	const char *dis = env_get(env, ud, "AWS_EC2_METADATA_DISABLED");
	const char *base = env_get(env, ud, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	_cleanup_free_ char *url = NULL;
	_cleanup_free_ char *tokh = NULL;
	fetch_resp_t resp = { 0 };
	int r;

	if (dis != NULL && strcmp(dis, "true") == 0) {
		return -ENOENT;
	}
	if (base == NULL) {
		base = IMDS_HOST;
	}
	size_t bl = strlen(base);
	if (bl > 0 && base[bl - 1] == '/') {
		bl--;
	}
	/* IMDSv2: a session token first, then the role, then its credentials */
	const char *ttl[] = { "X-aws-ec2-metadata-token-ttl-seconds: 300", NULL };
	if (asprintf(&url, "%.*s/latest/api/token", (int)bl, base) < 0) {
		return -ENOMEM;
	}
	r = get_200(url, "PUT", ttl, timeout_s, &resp, err, errlen);
	if (r < 0) {
		return r;
	}
	r = asprintf(&tokh, "X-aws-ec2-metadata-token: %s", resp.body);
	fetch_resp_done(&resp);
	if (r < 0) {
		return -ENOMEM;
	}
	const char *hdrs[] = { tokh, NULL };
	free(url);
	url = NULL;
	if (asprintf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)bl, base) < 0) {
		return -ENOMEM;
	}
	r = get_200(url, NULL, hdrs, timeout_s, &resp, err, errlen);
	if (r < 0) {
		return r;
	}
	_cleanup_free_ char *role = strndup(resp.body, strcspn(resp.body, "\r\n"));
	fetch_resp_done(&resp);
	free(url);
	url = NULL;
	if (role == NULL || asprintf(&url, "%.*s/latest/meta-data/iam/security-credentials/%s", (int)bl,
	                             base, role) < 0) {
		return -ENOMEM;
	}
	r = get_200(url, NULL, hdrs, timeout_s, &resp, err, errlen);
	if (r == 0) {
		r = creds_from_json(resp.body, c);
	}
	fetch_resp_done(&resp);
	return r;
}

int s3_creds_get(tmpl_lookup_fn env, void *ud, long timeout_s, s3_creds_t *ret, char *err,
                 size_t errlen)
{
	const char *id = env_get(env, ud, "AWS_ACCESS_KEY_ID");
	const char *sec = env_get(env, ud, "AWS_SECRET_ACCESS_KEY");
	int r;

	if (id != NULL && sec != NULL) {
		return creds_set(ret, id, sec, env_get(env, ud, "AWS_SESSION_TOKEN"));
	}
	r = creds_container(env, ud, timeout_s, ret, err, errlen);
	if (r != -ENOENT) {
		return r;
	}
	r = creds_imds(env, ud, timeout_s, ret, err, errlen);
	if (r == -ENOENT) {
		snprintf(err, errlen,
		         "no AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
		         "AWS_CONTAINER_CREDENTIALS_*_URI unset and instance metadata disabled");
	}
	return r;
}

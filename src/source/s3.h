/* s3://bucket/key as an HTTP request signed with AWS Signature V4 (libcurl's
 * CURLOPT_AWS_SIGV4 does the signing; this file decides what to sign with).
 *
 * Region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.
 * Endpoint: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL (the AWS SDKs' names;
 * an S3-compatible server, path-style http(s)://host/bucket/key), else
 * https://bucket.s3.REGION.amazonaws.com/key.
 * Credentials, first that has them (the SDKs' order):
 *   1. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
 *   2. the container (ECS task role) endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI,
 *      else http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, with
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN as Authorization header if set;
 *   3. instance metadata (IMDSv2) at AWS_EC2_METADATA_SERVICE_ENDPOINT, else
 *      http://169.254.169.254, unless AWS_EC2_METADATA_DISABLED=true.
 * Any thread (the config source calls it from the main thread, the metrics
 * push from its own). */
#pragma once

#include <stddef.h>

#include "source/template.h"

typedef struct s3_creds {
	char *key_id;
	char *secret;
	char *token;            /* NULL without a session token */
} s3_creds_t;

typedef struct s3_req {
	char *url;              /* what to GET */
	char *sigv4;            /* CURLOPT_AWS_SIGV4: "aws:amz:REGION:s3" */
	char *userpwd;          /* CURLOPT_USERPWD: "KEY_ID:SECRET" */
	char *token_header;     /* "x-amz-security-token: ..." or NULL */
	const char *sha_header; /* "x-amz-content-sha256: <SHA-256 of the empty body>":
	                         * S3 requires it and libcurl 7.88 does not add it (it
	                         * signs it as the payload hash when present) */
} s3_req_t;

/** The AWS region as the SDKs pick it: AWS_REGION, else AWS_DEFAULT_REGION,
 *  else "us-east-1" (read through @env; NULL: getenv). */
const char *aws_region(tmpl_lookup_fn env, void *ud);

/** Split "s3://bucket/key" (the key may hold '/'). 0 or -EINVAL. */
int s3_parse(const char *location, char **bucket, char **key);

/** Build the request for @location with @creds and the environment read
 *  through @env (NULL: getenv). 0, -EINVAL (not s3://bucket/key) or -ENOMEM. */
int s3_request_build(const char *location, const s3_creds_t *creds, tmpl_lookup_fn env, void *ud,
                     s3_req_t *ret);
void s3_request_done(s3_req_t *r);

/** Credentials by the order above; blocking HTTP (bounded by @timeout_s) for
 *  2 and 3. 0, or -ENOENT with @err saying what was tried. */
int s3_creds_get(tmpl_lookup_fn env, void *ud, long timeout_s, s3_creds_t *ret, char *err,
                 size_t errlen);
void s3_creds_done(s3_creds_t *c);

/* CloudWatch PutMetricData (query API, POST form body) signed with AWS
 * Signature V4: libcurl's CURLOPT_AWS_SIGV4 signs; this decides what to sign
 * with and what to send. Credentials come from source/s3.h's
 * s3_creds_get() (environment, ECS task role, IMDSv2). Pure functions; any
 * thread. */
#pragma once

#include <stddef.h>

#include "push/sample.h"
#include "source/s3.h"

#define PUSH_PUT_MAX_DATUMS 20 /* per request: PutMetricData's historic limit, safe everywhere */

typedef struct push_put_req {
	char *url;           /* @endpoint, or https://monitoring.REGION.amazonaws.com/ */
	char *sigv4;         /* CURLOPT_AWS_SIGV4: "aws:amz:REGION:monitoring" */
	char *userpwd;       /* CURLOPT_USERPWD: "KEY_ID:SECRET" */
	char *token_header;  /* "x-amz-security-token: ..." or NULL */
	char **bodies;       /* one form body per request, <= PUSH_PUT_MAX_DATUMS metrics each */
	size_t n_bodies;
} push_put_req_t;

/** The requests carrying @s to namespace @ns with the dimension Server=@server
 *  (and Subnet for subnet metrics). @region NULL: aws_region(NULL, NULL);
 *  @endpoint NULL: AWS's. 0 or -ENOMEM. */
int push_put_build(const push_sample_t *s, const char *ns, const char *server, const char *region,
                   const char *endpoint, const s3_creds_t *creds, push_put_req_t *ret);
void push_put_done(push_put_req_t *r);

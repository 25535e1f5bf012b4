/* CloudWatch Embedded Metric Format records (the JSON lines the CloudWatch
 * agent, ECS's awslogs/FireLens and CloudWatch Logs turn into metrics). Pure
 * functions; any thread. */
#pragma once

#include "push/sample.h"

#define PUSH_EMF_MAX_METRICS 100 /* EMF's limit per record */

/** Records of @s, one JSON object per line, each ending in "\n": the globals
 *  in records of at most PUSH_EMF_MAX_METRICS metrics with the dimension
 *  Server=@server, then one record per subnet metric with the dimensions
 *  Server and Subnet. Every record in namespace @ns at @s->ts_ms. malloc'd;
 *  NULL on -ENOMEM. */
char *push_emf_build(const push_sample_t *s, const char *ns, const char *server);

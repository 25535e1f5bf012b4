/* Dhcp4."lessor-metrics": lessor's own key (Kea refuses it, so a file that
 * does not use it stays a Kea file). Pushes the statistics to CloudWatch as
 * the deployment's metrics agent did; see src/push/push.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CFG_PUSH_INTERVAL_DEFAULT 10
#define CFG_PUSH_NAMESPACE_DEFAULT "Kea-DHCP"
#define CFG_PUSH_TOP_SUBNETS_DEFAULT 5

typedef struct cfg_push {
	bool enabled;            /* the key is present */
	uint32_t interval;       /* seconds between pushes, 1..86400 */
	const char *server_name; /* dimension Server; NULL = the host name. Borrowed from json */
	const char *ns;          /* CloudWatch namespace */
	uint32_t top_subnets;    /* lease-percent-used for this many fullest subnets */
	const char *emf;         /* EMF destination: "stdout", "udp://H:P", "tcp://H:P" or a
	                          * file path; NULL = no EMF */
	bool put;                /* PutMetricData ("put-metric-data" present) */
	const char *region;      /* NULL = AWS_REGION, AWS_DEFAULT_REGION, us-east-1 */
	const char *endpoint;    /* NULL = https://monitoring.REGION.amazonaws.com/ */
} cfg_push_t;

/* What one metrics push sends, taken from statistic-get-all exactly as the
 * deployment's agent took it: every global statistic except the ones it
 * skipped, plus lease-percent-used of the fullest subnets. Pure functions; any
 * thread. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"

typedef struct push_metric {
	char name[64];     /* the statistic's Kea name, or "lease-percent-used" */
	double value;
	char subnet[24];   /* "" = global; else the subnet's prefix (dimension Subnet) */
	bool percent;      /* unit Percent; else Count */
} push_metric_t;

typedef struct push_sample {
	push_metric_t *m;  /* globals first (by name), then subnets fullest first */
	size_t n;
	int64_t ts_ms;     /* when it was taken, ms since the epoch */
} push_sample_t;

/** True for a statistic the agent did not publish (subnet[...], pkt4-sent,
 *  pkt4-inform-received, pkt4-parse-failed, pkt4-received,
 *  declined-reclaimed-addresses, total-addresses). */
bool push_skipped(const char *name);

/** Build from statistic-get-all's "arguments" (@stats: {"name": [[value,
 *  "time"], ...], ...}); subnet prefixes come from @cfg (may be NULL: the
 *  subnet id as "subnet-ID"). @top: how many fullest subnets (by
 *  assigned-addresses / total-addresses; ties by id; subnets without addresses
 *  left out). 0 or -ENOMEM. */
int push_sample_build(const json_t *stats, const cfg_t *cfg, uint32_t top, int64_t ts_ms,
                      push_sample_t *ret);
void push_sample_done(push_sample_t *s);

/* Sharded counters with Kea's statistic names. See stats/stats.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/macro.h"

static const char *const stat_names[_STAT_MAX] = {
	[STAT_PKT4_RECEIVED] = "pkt4-received",
	[STAT_PKT4_DISCOVER_RECEIVED] = "pkt4-discover-received",
	[STAT_PKT4_OFFER_RECEIVED] = "pkt4-offer-received",
	[STAT_PKT4_REQUEST_RECEIVED] = "pkt4-request-received",
	[STAT_PKT4_ACK_RECEIVED] = "pkt4-ack-received",
	[STAT_PKT4_NAK_RECEIVED] = "pkt4-nak-received",
	[STAT_PKT4_RELEASE_RECEIVED] = "pkt4-release-received",
	[STAT_PKT4_DECLINE_RECEIVED] = "pkt4-decline-received",
	[STAT_PKT4_INFORM_RECEIVED] = "pkt4-inform-received",
	[STAT_PKT4_UNKNOWN_RECEIVED] = "pkt4-unknown-received",
	[STAT_PKT4_SENT] = "pkt4-sent",
	[STAT_PKT4_OFFER_SENT] = "pkt4-offer-sent",
	[STAT_PKT4_ACK_SENT] = "pkt4-ack-sent",
	[STAT_PKT4_NAK_SENT] = "pkt4-nak-sent",
	[STAT_PKT4_PARSE_FAILED] = "pkt4-parse-failed",
	[STAT_PKT4_RECEIVE_DROP] = "pkt4-receive-drop",
	[STAT_V4_ALLOCATION_FAIL] = "v4-allocation-fail",
	[STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK] = "v4-allocation-fail-shared-network",
	[STAT_V4_ALLOCATION_FAIL_SUBNET] = "v4-allocation-fail-subnet",
	[STAT_V4_ALLOCATION_FAIL_NO_POOLS] = "v4-allocation-fail-no-pools",
	[STAT_V4_ALLOCATION_FAIL_CLASSES] = "v4-allocation-fail-classes",
	[STAT_V4_LEASE_REUSES] = "v4-lease-reuses",
	[STAT_RECLAIMED_LEASES] = "reclaimed-leases",
	[STAT_RECLAIMED_DECLINED_ADDRESSES] = "reclaimed-declined-addresses",
	[STAT_DECLINED_ADDRESSES] = "declined-addresses",
	[STAT_CUMULATIVE_ASSIGNED_ADDRESSES] = "cumulative-assigned-addresses",
};

const char *stats_name(stat_id_t id)
{
	if ((int)id < 0 || id >= _STAT_MAX) {
		return NULL;
	}
	return stat_names[id];
}

int stats_init(stats_t *st, unsigned n)
{
	assert_return(st != NULL, -EINVAL);

	stats_shard_t *sh = NULL;
	if (n > 0) {
		/* aligned_alloc: each shard sits on its own cache line(s), so two
		 * workers never write the same line */
		sh = aligned_alloc(_Alignof(stats_shard_t), (size_t)n * sizeof(*sh));
		if (sh == NULL) {
			return -ENOMEM;
		}
		for (unsigned i = 0; i < n; i++) {
			for (size_t k = 0; k < _STAT_MAX; k++) {
				atomic_init(&sh[i].c[k], 0);
			}
		}
	}
	*st = (stats_t){ .shards = sh, .n_shards = n };
	return 0;
}

void stats_done(stats_t *st)
{
	if (st == NULL) {
		return;
	}
	free(st->shards);
	*st = (stats_t){ 0 };
}

uint64_t stats_sum(const stats_t *st, stat_id_t id)
{
	uint64_t sum = 0;

	if (st == NULL || (int)id < 0 || id >= _STAT_MAX) {
		return 0;
	}
	for (unsigned i = 0; i < st->n_shards; i++) {
		sum += atomic_load_explicit(&st->shards[i].c[id], memory_order_relaxed);
	}
	return sum;
}

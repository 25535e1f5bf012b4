/* Statistics with Kea's external names. Counters are sharded: each worker owns
 * one shard and is its only writer (relaxed atomics); readers sum the shards and
 * accept values a few packets stale. Per-subnet gauges (assigned-addresses, ...)
 * come from the lease store, not from here. */
#pragma once

#include <stdatomic.h>
#include <stdint.h>

typedef enum stat_id {
	STAT_PKT4_RECEIVED,
	STAT_PKT4_DISCOVER_RECEIVED,
	STAT_PKT4_OFFER_RECEIVED,
	STAT_PKT4_REQUEST_RECEIVED,
	STAT_PKT4_ACK_RECEIVED,
	STAT_PKT4_NAK_RECEIVED,
	STAT_PKT4_RELEASE_RECEIVED,
	STAT_PKT4_DECLINE_RECEIVED,
	STAT_PKT4_INFORM_RECEIVED,
	STAT_PKT4_UNKNOWN_RECEIVED,
	STAT_PKT4_SENT,
	STAT_PKT4_OFFER_SENT,
	STAT_PKT4_ACK_SENT,
	STAT_PKT4_NAK_SENT,
	STAT_PKT4_PARSE_FAILED,
	STAT_PKT4_RECEIVE_DROP,
	STAT_V4_ALLOCATION_FAIL,
	STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK,
	STAT_V4_ALLOCATION_FAIL_SUBNET,
	STAT_V4_ALLOCATION_FAIL_NO_POOLS,
	STAT_V4_ALLOCATION_FAIL_CLASSES,
	STAT_V4_LEASE_REUSES,
	STAT_RECLAIMED_LEASES,
	STAT_RECLAIMED_DECLINED_ADDRESSES,
	STAT_DECLINED_ADDRESSES,
	STAT_CUMULATIVE_ASSIGNED_ADDRESSES,
	_STAT_MAX,
} stat_id_t;

typedef struct stats_shard {
	_Atomic uint64_t c[_STAT_MAX];
} __attribute__((aligned(64))) stats_shard_t;

typedef struct stats {
	stats_shard_t *shards;
	unsigned n_shards;
} stats_t;

/** Kea's name of a counter ("pkt4-received"). */
const char *stats_name(stat_id_t id);

/** Allocate @n zeroed shards (one per writer thread). 0 or -ENOMEM. */
int stats_init(stats_t *st, unsigned n);
void stats_done(stats_t *st);

static inline void stats_add(stats_shard_t *sh, stat_id_t id, uint64_t n)
{
	uint64_t v = atomic_load_explicit(&sh->c[id], memory_order_relaxed);

	atomic_store_explicit(&sh->c[id], v + n, memory_order_relaxed);
}

static inline void stats_inc(stats_shard_t *sh, stat_id_t id)
{
	stats_add(sh, id, 1);
}

/** Sum of @id over all shards. Any thread. */
uint64_t stats_sum(const stats_t *st, stat_id_t id);

/* Statistics with Kea's external names. Counters are sharded: each worker owns
 * one shard and is its only writer (relaxed atomics); readers sum the shards and
 * accept values a few packets stale. Per-subnet gauges (assigned-addresses, ...)
 * come from the lease store, not from here. */
#pragma once

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
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
	STAT_V4_RESERVATION_CONFLICTS,
	/* lessor's: lost races for an address against another worker or another
	 * server on the same lease database (engine/alloc.c) */
	STAT_V4_ALLOCATION_CONFLICTS,
	/* lessor's: lease rows the store skipped as unreadable (an SQL lease4
	 * row at each read, a memfile row at load; lease_store_bad_rows()) */
	STAT_V4_LEASE_ROWS_SKIPPED,
	/* the configuration source (source/source.h): lessor's, not Kea's */
	STAT_CONFIG_SOURCE_FETCHES,
	STAT_CONFIG_SOURCE_APPLIED,
	STAT_CONFIG_SOURCE_UNCHANGED,
	STAT_CONFIG_SOURCE_FAILED,
	STAT_CONFIG_SOURCE_REJECTED,
	/* the metrics push (push/push.h): lessor's, not Kea's */
	STAT_PUSH_EMF_SENT,
	STAT_PUSH_EMF_FAILED,
	STAT_PUSH_PUT_SENT,
	STAT_PUSH_PUT_FAILED,
	STAT_PUSH_RETRIES,
	_STAT_MAX,
} stat_id_t;

/** Whether @id is one of lessor's own counters (from STAT_V4_ALLOCATION_CONFLICTS
 *  on), which Kea does not have: they are listed only once non-zero. */
static inline bool stats_is_own(int id)
{
	return id >= STAT_V4_ALLOCATION_CONFLICTS && id < _STAT_MAX;
}

/* Per-subnet counters ("subnet[ID].<name>"), the ones Kea 2.2 keeps in
 * StatsMgr rather than recounting from the lease store. The first four exist
 * from startup; Kea creates the v4-allocation-fail ones on first increment
 * (ChangeLog 1993), so they are shown only once non-zero. */
typedef enum stat_subnet_id {
	STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES,
	STAT_SUBNET_RECLAIMED_LEASES,
	STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES,
	STAT_SUBNET_V4_RESERVATION_CONFLICTS,
	STAT_SUBNET_V4_ALLOCATION_FAIL,
	STAT_SUBNET_V4_ALLOCATION_FAIL_SHARED_NETWORK,
	STAT_SUBNET_V4_ALLOCATION_FAIL_SUBNET,
	STAT_SUBNET_V4_ALLOCATION_FAIL_NO_POOLS,
	STAT_SUBNET_V4_ALLOCATION_FAIL_CLASSES,
	_STAT_SUBNET_MAX,
	_STAT_SUBNET_INVALID = -EINVAL,
} stat_subnet_id_t;

/* One subnet's counters in one shard. id 0 = free slot (Kea subnet ids are
 * 1..4294967294). The owner fills c[] before publishing id (release). */
typedef struct stats_subnet_slot {
	_Atomic uint32_t id;
	_Atomic uint64_t c[_STAT_SUBNET_MAX];
} stats_subnet_slot_t;

/* A shard's open-addressing table keyed by subnet id (linear probing, at most
 * half full). Written only by the shard's owner. Growing replaces the table
 * with a copy twice the size; the old one is kept on the ->prev chain until
 * stats_done(), so a reader that still holds it reads stale values, never
 * freed memory. Subnets that leave the configuration keep their slot, so
 * counts survive reloads for subnets that still exist (Kea keeps them too). */
typedef struct stats_subnet_table {
	struct stats_subnet_table *prev;
	uint32_t cap;                   /* power of two */
	uint32_t used;                  /* owner only */
	stats_subnet_slot_t slots[];
} stats_subnet_table_t;

typedef struct stats_shard {
	_Atomic uint64_t c[_STAT_MAX];
	_Atomic(stats_subnet_table_t *) subnets;        /* NULL until first use */
} __attribute__((aligned(64))) stats_shard_t;

typedef struct stats {
	stats_shard_t *shards;
	unsigned n_shards;
} stats_t;

/** Kea's name of a counter ("pkt4-received"). */
const char *stats_name(stat_id_t id);

/** Allocate @n zeroed shards (one per writer thread). 0 or -ENOMEM. */
int stats_init(stats_t *st, unsigned n);
/** Free the shards and their per-subnet tables (every retired one too). No
 *  writer or reader may run. NULL-safe. */
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

/** Kea's name of a per-subnet counter without the "subnet[ID]." prefix
 *  ("cumulative-assigned-addresses"), or NULL. */
const char *stats_subnet_name(stat_subnet_id_t id);

/** The id of a per-subnet counter name (as stats_subnet_name() gives), or
 *  _STAT_SUBNET_INVALID. */
stat_subnet_id_t stats_subnet_from_name(const char *name);

/** The per-subnet counterpart of global counter @id (STAT_V4_ALLOCATION_FAIL_SUBNET
 *  -> STAT_SUBNET_V4_ALLOCATION_FAIL_SUBNET, ...), or _STAT_SUBNET_INVALID. */
stat_subnet_id_t stats_subnet_of(stat_id_t id);

/** Slow path of stats_subnet_add(): find or insert @subnet_id in @sh's table,
 *  growing it (one allocation) when half full. NULL on -ENOMEM or subnet id 0.
 *  Owner of @sh only. */
stats_subnet_slot_t *stats_subnet_slot(stats_shard_t *sh, uint32_t subnet_id);

/** Add @n to counter @id of subnet @subnet_id in @sh. Owner of @sh only: no
 *  lock, no atomic read-modify-write; allocates only the first time a shard
 *  sees a subnet (or when its table grows). A count that cannot be stored
 *  (-ENOMEM, subnet id 0) is dropped. */
static inline void stats_subnet_add(stats_shard_t *sh, uint32_t subnet_id, stat_subnet_id_t id,
                                    uint64_t n)
{
	stats_subnet_slot_t *sl;

	if (sh == NULL || (unsigned)id >= _STAT_SUBNET_MAX) {
		return;
	}
	sl = stats_subnet_slot(sh, subnet_id);
	if (sl == NULL) {
		return;
	}
	uint64_t v = atomic_load_explicit(&sl->c[id], memory_order_relaxed);

	atomic_store_explicit(&sl->c[id], v + n, memory_order_relaxed);
}

static inline void stats_subnet_inc(stats_shard_t *sh, uint32_t subnet_id, stat_subnet_id_t id)
{
	stats_subnet_add(sh, subnet_id, id, 1);
}

/** Sum of counter @id of subnet @subnet_id over all shards (0 for a subnet no
 *  shard has seen). Any thread, concurrently with the writers. */
uint64_t stats_subnet_sum(const stats_t *st, uint32_t subnet_id, stat_subnet_id_t id);

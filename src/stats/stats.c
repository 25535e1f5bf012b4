/* Sharded counters with Kea's statistic names. See stats/stats.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/hash.h"
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
	[STAT_V4_RESERVATION_CONFLICTS] = "v4-reservation-conflicts",
	[STAT_V4_ALLOCATION_CONFLICTS] = "v4-allocation-conflicts",
	[STAT_V4_LEASE_ROWS_SKIPPED] = "v4-lease-rows-skipped",
	[STAT_CONFIG_SOURCE_FETCHES] = "config-source-fetches",
	[STAT_CONFIG_SOURCE_APPLIED] = "config-source-applied",
	[STAT_CONFIG_SOURCE_UNCHANGED] = "config-source-unchanged",
	[STAT_CONFIG_SOURCE_FAILED] = "config-source-fetch-failed",
	[STAT_CONFIG_SOURCE_REJECTED] = "config-source-rejected",
	[STAT_PUSH_EMF_SENT] = "metrics-push-emf-sent",
	[STAT_PUSH_EMF_FAILED] = "metrics-push-emf-failed",
	[STAT_PUSH_PUT_SENT] = "metrics-push-put-sent",
	[STAT_PUSH_PUT_FAILED] = "metrics-push-put-failed",
	[STAT_PUSH_RETRIES] = "metrics-push-retries",
};

static const char *const stat_subnet_names[_STAT_SUBNET_MAX] = {
	[STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES] = "cumulative-assigned-addresses",
	[STAT_SUBNET_RECLAIMED_LEASES] = "reclaimed-leases",
	[STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES] = "reclaimed-declined-addresses",
	[STAT_SUBNET_V4_RESERVATION_CONFLICTS] = "v4-reservation-conflicts",
	[STAT_SUBNET_V4_ALLOCATION_FAIL] = "v4-allocation-fail",
	[STAT_SUBNET_V4_ALLOCATION_FAIL_SHARED_NETWORK] = "v4-allocation-fail-shared-network",
	[STAT_SUBNET_V4_ALLOCATION_FAIL_SUBNET] = "v4-allocation-fail-subnet",
	[STAT_SUBNET_V4_ALLOCATION_FAIL_NO_POOLS] = "v4-allocation-fail-no-pools",
	[STAT_SUBNET_V4_ALLOCATION_FAIL_CLASSES] = "v4-allocation-fail-classes",
};

#define SUBNET_TABLE_MIN 16u

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
			atomic_init(&sh[i].subnets, NULL);
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
	for (unsigned i = 0; st->shards != NULL && i < st->n_shards; i++) {
		stats_subnet_table_t *t = atomic_load(&st->shards[i].subnets);

		while (t != NULL) {
			stats_subnet_table_t *prev = t->prev;

			free(t);
			t = prev;
		}
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

const char *stats_subnet_name(stat_subnet_id_t id)
{
	if ((int)id < 0 || id >= _STAT_SUBNET_MAX) {
		return NULL;
	}
	return stat_subnet_names[id];
}

stat_subnet_id_t stats_subnet_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < _STAT_SUBNET_MAX; i++) {
		if (strcmp(stat_subnet_names[i], name) == 0) {
			return (stat_subnet_id_t)i;
		}
	}
	return _STAT_SUBNET_INVALID;
}

stat_subnet_id_t stats_subnet_of(stat_id_t id)
{
	switch (id) {
	case STAT_CUMULATIVE_ASSIGNED_ADDRESSES:
		return STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES;
	case STAT_RECLAIMED_LEASES:
		return STAT_SUBNET_RECLAIMED_LEASES;
	case STAT_RECLAIMED_DECLINED_ADDRESSES:
		return STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES;
	case STAT_V4_RESERVATION_CONFLICTS:
		return STAT_SUBNET_V4_RESERVATION_CONFLICTS;
	case STAT_V4_ALLOCATION_FAIL:
		return STAT_SUBNET_V4_ALLOCATION_FAIL;
	case STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK:
		return STAT_SUBNET_V4_ALLOCATION_FAIL_SHARED_NETWORK;
	case STAT_V4_ALLOCATION_FAIL_SUBNET:
		return STAT_SUBNET_V4_ALLOCATION_FAIL_SUBNET;
	case STAT_V4_ALLOCATION_FAIL_NO_POOLS:
		return STAT_SUBNET_V4_ALLOCATION_FAIL_NO_POOLS;
	case STAT_V4_ALLOCATION_FAIL_CLASSES:
		return STAT_SUBNET_V4_ALLOCATION_FAIL_CLASSES;
	default:
		return _STAT_SUBNET_INVALID;
	}
}

static stats_subnet_table_t *table_new(uint32_t cap)
{
	stats_subnet_table_t *t =
	        calloc(1, sizeof(*t) + (size_t)cap * sizeof(stats_subnet_slot_t));

	if (t == NULL) {
		return NULL;
	}
	t->cap = cap;
	for (uint32_t i = 0; i < cap; i++) {
		atomic_init(&t->slots[i].id, 0);
		for (size_t k = 0; k < _STAT_SUBNET_MAX; k++) {
			atomic_init(&t->slots[i].c[k], 0);
		}
	}
	return t;
}

/* The slot of @subnet_id in @t, or the free slot where it would go. The table
 * is never full (at most half), so the probe ends. */
static stats_subnet_slot_t *table_probe(const stats_subnet_table_t *t, uint32_t subnet_id)
{
	uint32_t mask = t->cap - 1;

	for (uint32_t i = hash_u32(subnet_id) & mask;; i = (i + 1) & mask) {
		stats_subnet_slot_t *sl = (stats_subnet_slot_t *)&t->slots[i];
		uint32_t id = atomic_load_explicit(&sl->id, memory_order_acquire);

		if (id == subnet_id || id == 0) {
			return sl;
		}
	}
}

/* Owner only: a table twice the size (or the first one) with every slot of
 * @old copied, chained to @old. */
static stats_subnet_table_t *table_grow(stats_subnet_table_t *old)
{
	stats_subnet_table_t *t = table_new(old == NULL ? SUBNET_TABLE_MIN : old->cap * 2);

	if (t == NULL) {
		return NULL;
	}
	for (uint32_t i = 0; old != NULL && i < old->cap; i++) {
		const stats_subnet_slot_t *o = &old->slots[i];
		uint32_t id = atomic_load_explicit(&o->id, memory_order_relaxed);

		if (id == 0) {
			continue;
		}
		stats_subnet_slot_t *n = table_probe(t, id);
		for (size_t k = 0; k < _STAT_SUBNET_MAX; k++) {
			atomic_store_explicit(&n->c[k],
			                      atomic_load_explicit(&o->c[k], memory_order_relaxed),
			                      memory_order_relaxed);
		}
		atomic_store_explicit(&n->id, id, memory_order_relaxed);
		t->used++;
	}
	t->prev = old;
	return t;
}

stats_subnet_slot_t *stats_subnet_slot(stats_shard_t *sh, uint32_t subnet_id)
{
	stats_subnet_table_t *t;
	stats_subnet_slot_t *sl;

	if (sh == NULL || subnet_id == 0) {
		return NULL;
	}
	/* relaxed: only this thread ever stores the pointer */
	t = atomic_load_explicit(&sh->subnets, memory_order_relaxed);
	if (t != NULL) {
		sl = table_probe(t, subnet_id);
		if (atomic_load_explicit(&sl->id, memory_order_relaxed) == subnet_id) {
			return sl;
		}
	}
	if (t == NULL || (t->used + 1) * 2 > t->cap) {
		stats_subnet_table_t *nt = table_grow(t);

		if (nt == NULL) {
			return NULL;
		}
		/* release: readers that load the new pointer see its copied slots */
		atomic_store_explicit(&sh->subnets, nt, memory_order_release);
		t = nt;
	}
	sl = table_probe(t, subnet_id);
	t->used++;
	/* the counters are zero already; release publishes the slot */
	atomic_store_explicit(&sl->id, subnet_id, memory_order_release);
	return sl;
}

uint64_t stats_subnet_sum(const stats_t *st, uint32_t subnet_id, stat_subnet_id_t id)
{
	uint64_t sum = 0;

	if (st == NULL || subnet_id == 0 || (int)id < 0 || id >= _STAT_SUBNET_MAX) {
		return 0;
	}
	for (unsigned i = 0; i < st->n_shards; i++) {
		const stats_subnet_table_t *t =
		        atomic_load_explicit(&st->shards[i].subnets, memory_order_acquire);

		if (t == NULL) {
			continue;
		}
		const stats_subnet_slot_t *sl = table_probe(t, subnet_id);
		if (atomic_load_explicit(&sl->id, memory_order_acquire) == subnet_id) {
			sum += atomic_load_explicit(&sl->c[id], memory_order_relaxed);
		}
	}
	return sum;
}

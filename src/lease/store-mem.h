/* In-memory lease indexes shared by every thread: the whole state of the
 * "memfile" backend (store-memfile.c adds the journal).
 *
 * Layout: N shards (power of two) chosen by address (addr & (N-1)). Each
 * shard owns its leases under its own mutex: an open-addressing hash by
 * address, two binary min-heaps by expire (leases in state default/declined
 * with a finite lifetime; leases in state expired-reclaimed) and per-subnet
 * counts. The identifier indexes, by (hwaddr, subnet_id) and by (client_id,
 * subnet_id), are separate: each is split into max(4N, 64) lock stripes
 * chosen by a hash of the key, every stripe a chained hash table under its
 * own mutex, so a lookup by hwaddr or client-id locks exactly one stripe and
 * walks one chain. A lease takes ~64 bytes plus its identifiers, plus
 * ~55 bytes of index slots (135 bytes in all per lease at 100k with 6+7
 * byte identifiers); hostname and user context take space only when
 * non-empty.
 *
 * Lock order (also in store.h):
 *   1. one shard lock (changes: the shard of the lease's address);
 *   2. then, while it is held, the stripe locks of one identifier index: at
 *      most two, in ascending stripe index order, all released before the
 *      other index's stripes are taken (hwaddr first, then client-id);
 *   3. the journal hook runs under the shard lock only, never under a
 *      stripe lock, and may take the lease file's journal mutex (lfile.c);
 *      nothing takes a shard or stripe lock while holding that mutex.
 * Lookups by address take one shard lock; lookups by hwaddr or client-id take
 * one stripe lock and nothing else. Scans (expired, page, count, wipe) take
 * the shard locks one after the other.
 * A change replaces a lease in every index before its shard lock is released,
 * and in one stripe critical section when the old and new keys share a
 * stripe: a lookup by an unchanged key never misses a lease being updated.
 *
 * All functions: any thread. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease/lease.h"
#include "lease/store.h"
#include "util/macro.h"

typedef struct mem_store mem_store_t;

/* Called under the shard lock of l->addr after the compare-and-swap check
 * passed and before the change is applied; a negative return cancels the
 * change and is returned to the caller. @deleted: l is being removed.
 * @jctx is the caller's per-call context (the memfile connection). */
typedef int (*mem_journal_fn)(void *userdata, void *jctx, const lease4_t *l, bool deleted);

/** Create an empty store with @n_shards shards (rounded up to a power of two,
 *  1..1024). @journal may be NULL (no persistence). */
int mem_store_new(unsigned n_shards, mem_journal_fn journal, void *userdata, mem_store_t **ret);
/** NULL-safe; returns NULL. */
mem_store_t *mem_store_free(mem_store_t *ms);
DEFINE_FREEP(mem_store_t, mem_store_free)

/** Copy the lease for @addr into *ret: 0 or -ENOENT. */
int mem_store_get_by_addr(mem_store_t *ms, uint32_t addr, lease4_t *ret);
/** The lease of (@hw, @subnet_id) with the latest expiry (lowest address on a
 *  tie): 0 or -ENOENT. An empty @hw never matches. */
int mem_store_get_by_hwaddr(mem_store_t *ms, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
                            lease4_t *ret);
/** Same for (@cid, @subnet_id). */
int mem_store_get_by_client_id(mem_store_t *ms, uint32_t subnet_id, const uint8_t *cid,
                               size_t cid_len, lease4_t *ret);

/** Insert: -EEXIST if the address is leased. */
int mem_store_add(mem_store_t *ms, const lease4_t *l, void *jctx);
/** Compare-and-swap: the stored lease must have @old's addr, expire and state
 *  (-ESTALE otherwise, -ENOENT if gone); @l must have the same address. */
int mem_store_update(mem_store_t *ms, const lease4_t *old, const lease4_t *l, void *jctx);
/** Compare-and-swap delete, same rules as update. */
int mem_store_del(mem_store_t *ms, const lease4_t *old, void *jctx);

/** Up to @max leases in state default/declined with a finite lifetime and
 *  expire < @now, oldest first. Returns the count. */
int mem_store_get_expired(mem_store_t *ms, int64_t now, lease4_t *out, size_t max);
/** Up to @max leases in state expired-reclaimed with expire < @before, oldest
 *  first. Returns the count. */
int mem_store_get_reclaimed(mem_store_t *ms, int64_t before, lease4_t *out, size_t max);
/** Up to @max leases with address > @after, ascending. Returns the count. */
int mem_store_get_page(mem_store_t *ms, uint32_t after, lease4_t *out, size_t max);
/** Per-subnet counts (assigned = state default, declined = state declined),
 *  sorted by subnet id, in a malloc'd array; returns the entry count. */
int mem_store_count(mem_store_t *ms, lease_count_t **ret);
/** Delete every lease of @subnet_id (0 = all) through the journal; returns
 *  the number deleted. */
int mem_store_wipe(mem_store_t *ms, uint32_t subnet_id, void *jctx);

/** Loading: apply one lease-file row without CAS or journal (valid_lft == 0
 *  deletes the address, anything else replaces or inserts). */
int mem_store_load(mem_store_t *ms, const lease4_t *l);

/** Number of leases. */
size_t mem_store_size(mem_store_t *ms);

/** Self-check for tests, with no change running concurrently: every lease
 *  is in its shard's address table and heap, and chained exactly once, in
 *  the stripe and bucket of its hwaddr and of its client-id (when
 *  non-empty), and nothing else is chained; counts agree. Slow (walks every
 *  index; never more than one shard and one stripe lock held). 0 or
 *  -EUCLEAN. */
int mem_store_check(mem_store_t *ms);

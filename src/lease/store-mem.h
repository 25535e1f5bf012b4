/* In-memory lease indexes shared by every thread: the whole state of the
 * "memfile" backend (store-memfile.c adds the journal).
 *
 * Layout: N shards (power of two) chosen by address (addr & (N-1)). Each
 * shard is self-contained under its own mutex: an open-addressing hash by
 * address, chained hashes by (hwaddr, subnet_id) and (client_id, subnet_id),
 * two binary min-heaps by expire (leases in state default/declined with a
 * finite lifetime; leases in state expired-reclaimed) and per-subnet counts.
 * A lease takes ~64 bytes plus its identifiers; hostname and user context
 * take space only when non-empty.
 *
 * Lock order: at most one shard lock is held at any time (lookups by hwaddr
 * or client-id visit the shards one after the other). While a shard lock is
 * held the journal hook may take the lease file's journal mutex (lfile.c);
 * nothing takes a shard lock while holding that mutex.
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

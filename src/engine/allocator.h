/* Address pickers: which candidate address of a pool to try next. The picker
 * only proposes; alloc.c checks the lease store and reservations and asks
 * again when the candidate is taken.
 *
 * The iterative cursors are shared by all workers (allocator_share()): one
 * cursor per pool advanced with an atomic compare-and-swap, so addresses are
 * handed out in Kea's order whatever the number of workers. Without sharing
 * (LESSOR_ALLOC_PER_WORKER=1, or a picker never shared) each worker keeps its
 * own cursors and worker k of n starts k/n of the way into each pool, so that
 * workers never touch the same cache line; the order then depends on which
 * worker read a packet. The rest of the state ("pool full", last-allocated
 * subnet) stays per worker. The state follows the published config: when a new
 * cfg_t is seen the cursors are rebuilt (the only allocation, once per reload). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cfg/cfg.h"

typedef struct allocator allocator_t;
typedef struct allocator_shared allocator_shared_t;

/** Cursors that several pickers share (one set per published config, rebuilt
 *  by the first picker that binds a new config). 0 or -ENOMEM. */
int allocator_shared_new(allocator_shared_t **ret);
/** Free it; every picker sharing it must be freed first. NULL-safe. */
allocator_shared_t *allocator_shared_free(allocator_shared_t *sh);

/** A new picker state for worker @worker of @n_workers (n_workers >= 1).
 *  Returns 0 or -ENOMEM. Any thread; the result is then owned by one worker. */
int allocator_new(unsigned worker, unsigned n_workers, allocator_t **ret_alloc);
/** Make @a use the cursors of @sh (before its first bind; NULL = its own). */
void allocator_share(allocator_t *a, allocator_shared_t *sh);
/** NULL-safe; returns NULL. */
allocator_t *allocator_free(allocator_t *a);
DEFINE_FREEP(allocator_t, allocator_free)

/** Own cursors (not shared) of worker k of n start (k + @spread / 2^32) / n into
 *  each pool: servers sharing one lease database pass each a different value so
 *  that they do not all chase the same next free address. 0 (the default) keeps
 *  k/n. */
void allocator_spread(allocator_t *a, uint32_t spread);

/** Make the cursors match @cfg (rebuilt when the config changed). Returns 0 or
 *  -ENOMEM (the picker then works without memory: every pick starts at the
 *  pool's first address). Worker only. */
int allocator_bind(allocator_t *a, const cfg_t *cfg);

/** Next candidate in pool @pool_idx of @subnet (a member of the bound cfg),
 *  advancing the cursor (Kea's iterative allocator: first address first, then
 *  one after the last one handed out, wrapping). @a may be NULL. */
uint32_t allocator_pick(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                        size_t pool_idx);

/** Whether the pool was found full at @now (a scan of the whole pool found
 *  nothing): a second full scan is skipped until the clock moves. */
bool allocator_pool_is_full(const allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                            size_t pool_idx, int64_t now);
/** Record that a full scan of the pool found no free address at @now. */
void allocator_pool_set_full(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                             size_t pool_idx, int64_t now);
/** An address of the pool became free (release, decline expiry): forget "full". */
void allocator_pool_note_free(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                              size_t pool_idx);

/** Kea's Subnet::setLastAllocated(): the picker just proposed addresses from
 *  @subnet's pools (offers included). Kept as a per-worker sequence number, so
 *  with several workers each has its own view of "most recent" where Kea has
 *  one process-wide timestamp: the preferred subnet may differ between them.
 *  @a may be NULL (no-op). */
void allocator_subnet_touch(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet);
/** Kea's Subnet::getLastAllocatedTime() as that sequence number: larger is
 *  more recent, 0 = never used by this worker (or @a NULL). */
uint64_t allocator_subnet_last(const allocator_t *a, const cfg_t *cfg,
                               const cfg_subnet4_t *subnet);

/* ---- random allocator (Kea's "random") ---- */

/* A pseudo-random walk over one pool that proposes every address exactly once:
 * pos = (start + i * stride) mod size with gcd(stride, size) = 1. */
typedef struct allocator_walk {
	uint32_t first;
	uint64_t size;
	uint64_t pos;
	uint64_t stride;
} allocator_walk_t;

/** Start a walk over @pool from a random position with a random stride,
 *  drawing from *@rand_state (xorshift32; 0 is replaced by a fixed seed). */
void allocator_walk_init(allocator_walk_t *w, const cfg_pool_t *pool, uint32_t *rand_state);
/** The next candidate; call at most pool-size times. */
uint32_t allocator_walk_next(allocator_walk_t *w);

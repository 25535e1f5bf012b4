/* Private to the in-memory store (store-mem*.c): its structures and the
 * helpers its parts share. store-mem.h is the interface; the lock rules are
 * at the top of store-mem.c. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lease/store-mem.h"
#include "util/hash.h"

#define HEAP_NONE UINT32_MAX
#define FLAG_FWD 0x1
#define FLAG_REV 0x2

/* Compact lease: fixed part + hw, client-id, hostname, user context bytes. */
typedef struct mlease {
	struct mlease *hw_next;
	struct mlease *cid_next;
	int64_t cltt;
	uint32_t addr;
	uint32_t subnet_id;
	uint32_t pool_id;
	uint32_t valid_lft;
	uint32_t heap_idx;              /* position in its heap, HEAP_NONE if none */
	uint16_t host_len;
	uint16_t uctx_len;
	uint8_t state;
	uint8_t flags;
	uint8_t htype;
	uint8_t hw_len;
	uint8_t cid_len;
	uint8_t data[];                 /* hw, cid, hostname, uctx; no NULs */
} mlease_t;

typedef struct heap {
	mlease_t **v;
	uint32_t n;
	uint32_t cap;
} heap_t;

typedef struct count_slot {
	uint32_t subnet_id;
	bool used;
	uint64_t n[_LEASE_STATE_MAX];
} count_slot_t;

typedef struct shard {
	pthread_mutex_t mu;
	mlease_t **addr_tab;            /* open addressing, linear probing */
	size_t addr_cap;                /* power of two */
	size_t n;
	heap_t active;                  /* state default/declined, finite lifetime */
	heap_t reclaimed;               /* state expired-reclaimed */
	count_slot_t *counts;
	size_t counts_cap;
	size_t counts_used;
} __attribute__((aligned(64))) shard_t;

/* One lock stripe of an identifier index: a chained hash table by
 * (key, subnet_id), chained through hw_next or cid_next. */
typedef struct stripe {
	pthread_mutex_t mu;
	mlease_t **tab;
	size_t cap;                     /* power of two, >= STRIPE_MIN_CAP */
	size_t n;
} __attribute__((aligned(64))) stripe_t;

#define STRIPE_MIN_CAP 16
#define STRIPES_PER_SHARD 4
#define STRIPES_MIN 64

struct mem_store {
	shard_t *shards;
	unsigned n_shards;              /* power of two */
	stripe_t *hw;                   /* n_stripes stripes by (hwaddr, subnet_id) */
	stripe_t *cid;                  /* n_stripes stripes by (client_id, subnet_id) */
	unsigned n_stripes;             /* power of two */
	mem_journal_fn journal;
	void *userdata;
};

static inline const uint8_t *ml_hw(const mlease_t *m)
{
	return m->data;
}

static inline const uint8_t *ml_cid(const mlease_t *m)
{
	return m->data + m->hw_len;
}

static inline int64_t ml_expire(const mlease_t *m)
{
	return m->cltt + (int64_t)m->valid_lft;
}

static inline shard_t *shard_of(mem_store_t *ms, uint32_t addr)
{
	return &ms->shards[addr & (ms->n_shards - 1)];
}

static inline bool ml_before(const mlease_t *a, const mlease_t *b)
{
	int64_t ea = ml_expire(a), eb = ml_expire(b);

	return ea < eb || (ea == eb && a->addr < b->addr);
}

static inline const uint8_t *ml_key(const mlease_t *m, bool hw, size_t *ret_len)
{
	*ret_len = hw ? m->hw_len : m->cid_len;
	return hw ? ml_hw(m) : ml_cid(m);
}

static inline mlease_t **ml_next(mlease_t *m, bool hw)
{
	return hw ? &m->hw_next : &m->cid_next;
}

static inline stripe_t *stripe_for(mem_store_t *ms, bool hw, uint64_t h)
{
	return &(hw ? ms->hw : ms->cid)[(h >> 32) & (ms->n_stripes - 1)];
}

/** FNV-1a + fmix64 hash of (subnet, identifier bytes). */
uint64_t mem_hash_key(uint32_t subnet_id, const uint8_t *p, size_t len);
/** Expand a compact lease into @l. */
void mem_ml_copy(const mlease_t *m, lease4_t *l);
/** The heap @m belongs in by its state and lifetime, NULL for none. */
heap_t *mem_heap_for(shard_t *s, const mlease_t *m);
/** Push @m into @h: 0 or -ENOMEM. */
int mem_heap_push(heap_t *h, mlease_t *m);
/** Remove @m (heap_idx valid) from @h. */
void mem_heap_remove(heap_t *h, mlease_t *m);
/** The lease at @addr in its shard (shard lock held), NULL if none. */
mlease_t *mem_addr_find(const shard_t *s, uint32_t addr);
/** The stripe holding @m's key and the key's hash; NULL for an empty key. */
stripe_t *mem_stripe_of(mem_store_t *ms, bool hw, const mlease_t *m, uint64_t *ret_h);
/** Replace @old by @nw in every index (shard lock held). */
void mem_replace(mem_store_t *ms, shard_t *s, mlease_t *old, mlease_t *nw);

/* Iterative allocator (Kea's default "iterative"): a next-free cursor per
 * pool, shared by the workers or per worker. See allocator.h for the rules. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/allocator.h"

typedef struct pool_cursor {
	uint32_t next;   /* next candidate; 0 = not started */
	int64_t full_at; /* time a full scan found nothing, -1 = never */
} pool_cursor_t;

/* One config's shared cursors; freed when no picker is bound to it and a
 * newer config replaced it. */
typedef struct shared_set {
	const cfg_t *cfg;               /* identity only */
	size_t n;
	unsigned refs;                  /* pickers bound to it (under the mutex) */
	_Atomic uint32_t next[];        /* per pool: next candidate, 0 = not started */
} shared_set_t;

struct allocator_shared {
	pthread_mutex_t mu;             /* taken only when a picker binds or is freed */
	shared_set_t *cur;              /* the newest config's set */
};

struct allocator {
	allocator_shared_t *shared;     /* NULL: per-worker cursors */
	shared_set_t *set;              /* the shared set bound, or NULL */
	unsigned worker;
	unsigned n_workers;
	uint32_t spread;                /* allocator_spread() */
	const cfg_t *cfg; /* identity only, never dereferenced after bind */
	size_t n_subnets;
	size_t *first_pool; /* per subnet: index of its first pool in cur[] */
	pool_cursor_t *cur;
	size_t n_cur;
	uint64_t *last_alloc; /* per subnet: sequence of the last pick, 0 = never */
	uint64_t seq;
};

int allocator_new(unsigned worker, unsigned n_workers, allocator_t **ret_alloc)
{
	allocator_t *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		return -ENOMEM;
	}
	a->n_workers = n_workers == 0 ? 1 : n_workers;
	a->worker = worker % a->n_workers;
	*ret_alloc = a;
	return 0;
}

int allocator_shared_new(allocator_shared_t **ret)
{
	allocator_shared_t *sh = calloc(1, sizeof(*sh));

	if (sh == NULL) {
		return -ENOMEM;
	}
	pthread_mutex_init(&sh->mu, NULL);
	*ret = sh;
	return 0;
}

allocator_shared_t *allocator_shared_free(allocator_shared_t *sh)
{
	if (sh != NULL) {
		free(sh->cur);
		pthread_mutex_destroy(&sh->mu);
		free(sh);
	}
	return NULL;
}

void allocator_spread(allocator_t *a, uint32_t spread)
{
	if (a != NULL) {
		a->spread = spread;
	}
}

void allocator_share(allocator_t *a, allocator_shared_t *sh)
{
	if (a != NULL && a->set == NULL) {
		a->shared = sh;
	}
}

/* Drop @a's reference to its set (caller holds the mutex). */
static void set_unref(allocator_t *a)
{
	shared_set_t *old = a->set;

	a->set = NULL;
	if (old != NULL && --old->refs == 0 && old != a->shared->cur) {
		free(old);
	}
}

/* Bind @a to the shared set of @cfg with @n pools, creating it when @a is the
 * first picker to see @cfg. -ENOMEM leaves @a on its own cursors. */
static int set_bind(allocator_t *a, const cfg_t *cfg, size_t n)
{
	allocator_shared_t *sh = a->shared;
	int r = 0;

	pthread_mutex_lock(&sh->mu);
	set_unref(a);
	if (sh->cur == NULL || sh->cur->cfg != cfg || sh->cur->n != n) {
		shared_set_t *ns = calloc(1, sizeof(*ns) + (n + 1) * sizeof(ns->next[0]));

		if (ns == NULL) {
			r = -ENOMEM;
		} else {
			ns->cfg = cfg;
			ns->n = n;
			if (sh->cur != NULL && sh->cur->refs == 0) {
				free(sh->cur);
			}
			sh->cur = ns;
		}
	}
	if (r == 0) {
		a->set = sh->cur;
		a->set->refs++;
	}
	pthread_mutex_unlock(&sh->mu);
	return r;
}

allocator_t *allocator_free(allocator_t *a)
{
	if (a != NULL) {
		if (a->shared != NULL) {
			pthread_mutex_lock(&a->shared->mu);
			set_unref(a);
			pthread_mutex_unlock(&a->shared->mu);
		}
		free(a->first_pool);
		free(a->cur);
		free(a->last_alloc);
		free(a);
	}
	return NULL;
}

int allocator_bind(allocator_t *a, const cfg_t *cfg)
{
	size_t total = 0;

	if (a == NULL || (a->cfg == cfg && a->n_subnets == cfg->n_subnets)) {
		return 0;
	}
	free(a->first_pool);
	free(a->cur);
	free(a->last_alloc);
	a->first_pool = NULL;
	a->cur = NULL;
	a->last_alloc = NULL;
	a->n_cur = 0;
	a->n_subnets = 0;
	a->cfg = cfg;

	size_t *first = calloc(cfg->n_subnets + 1, sizeof(*first));
	if (first == NULL) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		first[i] = total;
		total += cfg->subnets[i].n_pools;
	}
	first[cfg->n_subnets] = total;
	pool_cursor_t *cur = calloc(total + 1, sizeof(*cur));
	if (cur == NULL) {
		free(first);
		return -ENOMEM;
	}
	uint64_t *last = calloc(cfg->n_subnets + 1, sizeof(*last));
	if (last == NULL) {
		free(cur);
		free(first);
		return -ENOMEM;
	}
	for (size_t i = 0; i < total; i++) {
		cur[i].full_at = -1;
	}
	a->last_alloc = last;
	a->first_pool = first;
	a->cur = cur;
	a->n_cur = total;
	a->n_subnets = cfg->n_subnets;
	return a->shared != NULL ? set_bind(a, cfg, total) : 0;
}

/* Index of the pool's cursor, or SIZE_MAX when @a is not bound to @cfg. */
static size_t cursor_idx(const allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *s,
                         size_t pool_idx)
{
	if (a == NULL || a->cur == NULL || a->cfg != cfg || s < cfg->subnets ||
	    s >= cfg->subnets + cfg->n_subnets) {
		return SIZE_MAX;
	}
	size_t si = (size_t)(s - cfg->subnets);
	size_t ci = si < a->n_subnets ? a->first_pool[si] + pool_idx : SIZE_MAX;

	if (pool_idx >= s->n_pools || ci >= a->n_cur) {
		return SIZE_MAX;
	}
	return ci;
}

static pool_cursor_t *cursor_of(const allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *s,
                                size_t pool_idx)
{
	size_t ci = cursor_idx(a, cfg, s, pool_idx);

	return ci != SIZE_MAX ? &a->cur[ci] : NULL;
}

/* Kea's iterative step on a shared cursor: take the next candidate and move
 * the cursor one past it (wrapping), as one compare-and-swap, so concurrent
 * workers take consecutive addresses in Kea's order. */
static uint32_t pick_shared(_Atomic uint32_t *next, const cfg_pool_t *p)
{
	uint32_t cur = atomic_load_explicit(next, memory_order_relaxed);
	uint32_t pick, nxt;

	do {
		pick = cur == 0 || cur < p->first || cur > p->last ? p->first : cur;
		nxt = pick >= p->last ? p->first : pick + 1;
	} while (!atomic_compare_exchange_weak_explicit(next, &cur, nxt, memory_order_relaxed,
	                                                memory_order_relaxed));
	return pick;
}

uint32_t allocator_pick(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                        size_t pool_idx)
{
	const cfg_pool_t *p = &subnet->pools[pool_idx];
	pool_cursor_t *c = cursor_of(a, cfg, subnet, pool_idx);
	uint64_t size = (uint64_t)p->last - p->first + 1;
	uint32_t pick;

	if (c == NULL) {
		return p->first;
	}
	if (a->set != NULL) {
		return pick_shared(&a->set->next[c - a->cur], p);
	}
	if (c->next == 0 || c->next < p->first || c->next > p->last) {
		/* Fresh cursor: worker k of n starts (k + spread) / n into
		 * the pool (spread a 32-bit fraction of one worker's share),
		 * so that concurrent workers and servers do not all race for
		 * the same address. */
		uint64_t frac = ((((uint64_t)a->worker << 32) + a->spread) / a->n_workers);
		c->next = p->first + (uint32_t)((size * frac) >> 32);
	}
	pick = c->next;
	c->next = pick >= p->last ? p->first : pick + 1;
	return pick;
}

bool allocator_pool_is_full(const allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                            size_t pool_idx, int64_t now)
{
	const pool_cursor_t *c = cursor_of(a, cfg, subnet, pool_idx);

	return c != NULL && c->full_at == now;
}

void allocator_pool_set_full(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                             size_t pool_idx, int64_t now)
{
	pool_cursor_t *c = cursor_of(a, cfg, subnet, pool_idx);

	if (c != NULL) {
		c->full_at = now;
	}
}

void allocator_pool_note_free(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet,
                              size_t pool_idx)
{
	pool_cursor_t *c = cursor_of(a, cfg, subnet, pool_idx);

	if (c != NULL) {
		c->full_at = -1;
	}
}

static uint64_t *last_of(const allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *s)
{
	if (a == NULL || a->last_alloc == NULL || a->cfg != cfg || s < cfg->subnets ||
	    s >= cfg->subnets + cfg->n_subnets) {
		return NULL;
	}
	size_t si = (size_t)(s - cfg->subnets);

	return si < a->n_subnets ? &a->last_alloc[si] : NULL;
}

void allocator_subnet_touch(allocator_t *a, const cfg_t *cfg, const cfg_subnet4_t *subnet)
{
	uint64_t *l = last_of(a, cfg, subnet);

	if (l != NULL) {
		*l = ++a->seq;
	}
}

uint64_t allocator_subnet_last(const allocator_t *a, const cfg_t *cfg,
                               const cfg_subnet4_t *subnet)
{
	const uint64_t *l = last_of(a, cfg, subnet);

	return l != NULL ? *l : 0;
}

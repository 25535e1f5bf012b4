/* The per-shard expiry heaps of the in-memory store, ordered by (expire, address). */
#include "lease/store-mem-int.h"

#include <errno.h>
#include <stdlib.h>

static void heap_set(heap_t *h, uint32_t i, mlease_t *m)
{
	h->v[i] = m;
	m->heap_idx = i;
}

static void heap_up(heap_t *h, uint32_t i)
{
	mlease_t *m = h->v[i];

	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!ml_before(m, h->v[p])) {
			break;
		}
		heap_set(h, i, h->v[p]);
		i = p;
	}
	heap_set(h, i, m);
}

static void heap_down(heap_t *h, uint32_t i)
{
	mlease_t *m = h->v[i];

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= h->n) {
			break;
		}
		if (c + 1 < h->n && ml_before(h->v[c + 1], h->v[c])) {
			c++;
		}
		if (!ml_before(h->v[c], m)) {
			break;
		}
		heap_set(h, i, h->v[c]);
		i = c;
	}
	heap_set(h, i, m);
}

int mem_heap_push(heap_t *h, mlease_t *m)
{
	if (h->n == h->cap) {
		uint32_t cap = h->cap == 0 ? 64 : h->cap * 2;
		mlease_t **v = realloc(h->v, cap * sizeof(*v));
		if (v == NULL) {
			return -ENOMEM;
		}
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = m;
	heap_up(h, h->n - 1);
	return 0;
}

void mem_heap_remove(heap_t *h, mlease_t *m)
{
	uint32_t i = m->heap_idx;

	m->heap_idx = HEAP_NONE;
	h->n--;
	if (i == h->n) {
		return;
	}
	mlease_t *moved = h->v[h->n];
	heap_set(h, i, moved);
	heap_up(h, i);
	heap_down(h, moved->heap_idx);
}

heap_t *mem_heap_for(shard_t *s, const mlease_t *m)
{
	if (m->state == LEASE_STATE_EXPIRED_RECLAIMED) {
		return &s->reclaimed;
	}
	if (m->valid_lft == LEASE_LFT_INFINITE) {
		return NULL;
	}
	return &s->active;
}

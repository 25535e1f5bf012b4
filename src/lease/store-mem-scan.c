/* Scans of the in-memory store: expired and reclaimed leases by expiry,
 * pages by address, per-subnet counts, wipes. */
#include "lease/store-mem-int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct cand {
	int64_t expire;
	uint32_t addr;
} cand_t;

static int cmp_cand(const void *a, const void *b)
{
	const cand_t *x = a, *y = b;

	if (x->expire != y->expire) {
		return x->expire < y->expire ? -1 : 1;
	}
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Append to c[] the up-to-@max smallest heap entries with expire < @before,
 * in order, without modifying the heap: a secondary heap of positions walks
 * the main heap's k smallest in O(k log k). Returns the number appended. */
static size_t heap_smallest(const heap_t *h, int64_t before, size_t max, cand_t *c, uint32_t *aux)
{
	size_t na = 0, out = 0;

	if (h->n == 0 || max == 0) {
		return 0;
	}
	aux[na++] = 0;
	while (na > 0 && out < max) {
		/* Pop the aux minimum. */
		uint32_t top = aux[0];
		aux[0] = aux[--na];
		for (size_t i = 0;;) {
			size_t l = 2 * i + 1, r = l + 1, s = i;
			if (l < na && ml_before(h->v[aux[l]], h->v[aux[s]])) {
				s = l;
			}
			if (r < na && ml_before(h->v[aux[r]], h->v[aux[s]])) {
				s = r;
			}
			if (s == i) {
				break;
			}
			uint32_t t = aux[i];
			aux[i] = aux[s];
			aux[s] = t;
			i = s;
		}
		const mlease_t *m = h->v[top];
		if (ml_expire(m) >= before) {
			break;          /* everything else is later still */
		}
		c[out++] = (cand_t){ .expire = ml_expire(m), .addr = m->addr };
		for (uint32_t ch = 2 * top + 1; ch <= 2 * top + 2 && ch < h->n; ch++) {
			size_t i = na++;
			aux[i] = ch;
			while (i > 0 && ml_before(h->v[aux[i]], h->v[aux[(i - 1) / 2]])) {
				uint32_t t = aux[i];
				aux[i] = aux[(i - 1) / 2];
				aux[(i - 1) / 2] = t;
				i = (i - 1) / 2;
			}
		}
	}
	return out;
}

static int get_by_expiry(mem_store_t *ms, bool reclaimed, int64_t before, lease4_t *out,
                         size_t max)
{
	cand_t *c;
	uint32_t *aux;
	size_t n = 0, got = 0;

	if (max == 0) {
		return 0;
	}
	if (max > (size_t)INT32_MAX) {
		max = INT32_MAX;
	}
	c = malloc(sizeof(*c) * 2 * max);
	aux = malloc(sizeof(*aux) * (2 * max + 2));
	if (c == NULL || aux == NULL) {
		free(c);
		free(aux);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < ms->n_shards; i++) {
		shard_t *s = &ms->shards[i];
		pthread_mutex_lock(&s->mu);
		n += heap_smallest(reclaimed ? &s->reclaimed : &s->active, before, max, c + n, aux);
		pthread_mutex_unlock(&s->mu);
		if (n > max) {
			qsort(c, n, sizeof(*c), cmp_cand);
			n = max;
		}
	}
	qsort(c, n, sizeof(*c), cmp_cand);
	free(aux);

	/* Copy each candidate, re-checking it under its lock: it may have been
	 * renewed or removed since. */
	for (size_t i = 0; i < n; i++) {
		shard_t *s = shard_of(ms, c[i].addr);
		pthread_mutex_lock(&s->mu);
		mlease_t *m = s->n > 0 ? mem_addr_find(s, c[i].addr) : NULL;
		heap_t *want = reclaimed ? &s->reclaimed : &s->active;
		if (m != NULL && m->heap_idx != HEAP_NONE && mem_heap_for(s, m) == want &&
		    ml_expire(m) < before) {
			mem_ml_copy(m, &out[got++]);
		}
		pthread_mutex_unlock(&s->mu);
	}
	free(c);
	return (int)got;
}

int mem_store_get_expired(mem_store_t *ms, int64_t now, lease4_t *out, size_t max)
{
	return get_by_expiry(ms, false, now, out, max);
}

int mem_store_get_reclaimed(mem_store_t *ms, int64_t before, lease4_t *out, size_t max)
{
	return get_by_expiry(ms, true, before, out, max);
}

/* Max-heap of addresses, bounded to @max: keeps the @max smallest. */
static void page_offer(uint32_t *h, size_t *n, size_t max, uint32_t a)
{
	size_t i;

	if (*n < max) {
		i = (*n)++;
		h[i] = a;
		while (i > 0 && h[(i - 1) / 2] < h[i]) {
			uint32_t t = h[i];
			h[i] = h[(i - 1) / 2];
			h[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
		return;
	}
	if (a >= h[0]) {
		return;
	}
	h[0] = a;
	for (i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, s = i;
		if (l < *n && h[l] > h[s]) {
			s = l;
		}
		if (r < *n && h[r] > h[s]) {
			s = r;
		}
		if (s == i) {
			break;
		}
		uint32_t t = h[i];
		h[i] = h[s];
		h[s] = t;
		i = s;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int mem_store_get_page(mem_store_t *ms, uint32_t after, lease4_t *out, size_t max)
{
	uint32_t *h;
	size_t n = 0, got = 0;

	if (max == 0) {
		return 0;
	}
	if (max > (size_t)INT32_MAX) {
		max = INT32_MAX;
	}
	h = malloc(sizeof(*h) * max);
	if (h == NULL) {
		return -ENOMEM;
	}
	for (unsigned i = 0; i < ms->n_shards; i++) {
		shard_t *s = &ms->shards[i];
		pthread_mutex_lock(&s->mu);
		for (size_t j = 0; j < s->addr_cap; j++) {
			if (s->addr_tab[j] != NULL && s->addr_tab[j]->addr > after) {
				page_offer(h, &n, max, s->addr_tab[j]->addr);
			}
		}
		pthread_mutex_unlock(&s->mu);
	}
	qsort(h, n, sizeof(*h), cmp_u32);
	for (size_t i = 0; i < n; i++) {
		if (mem_store_get_by_addr(ms, h[i], &out[got]) == 0) {
			got++;
		}
	}
	free(h);
	return (int)got;
}

static int cmp_count(const void *a, const void *b)
{
	const lease_count_t *x = a, *y = b;

	return x->subnet_id < y->subnet_id ? -1 : x->subnet_id > y->subnet_id;
}

int mem_store_count(mem_store_t *ms, lease_count_t **ret)
{
	lease_count_t *res = NULL;
	size_t n = 0, cap = 0;

	for (unsigned i = 0; i < ms->n_shards; i++) {
		shard_t *s = &ms->shards[i];
		pthread_mutex_lock(&s->mu);
		for (size_t j = 0; j < s->counts_cap; j++) {
			const count_slot_t *c = &s->counts[j];
			if (!c->used || (c->n[LEASE_STATE_DEFAULT] == 0 && c->n[LEASE_STATE_DECLINED] == 0)) {
				continue;
			}
			size_t k;
			for (k = 0; k < n && res[k].subnet_id != c->subnet_id; k++) {
			}
			if (k == n) {
				if (n == cap) {
					size_t ncap = cap == 0 ? 16 : cap * 2;
					lease_count_t *t = realloc(res, ncap * sizeof(*t));
					if (t == NULL) {
						pthread_mutex_unlock(&s->mu);
						free(res);
						return -ENOMEM;
					}
					res = t;
					cap = ncap;
				}
				res[n++] = (lease_count_t){ .subnet_id = c->subnet_id };
			}
			res[k].assigned += c->n[LEASE_STATE_DEFAULT];
			res[k].declined += c->n[LEASE_STATE_DECLINED];
		}
		pthread_mutex_unlock(&s->mu);
	}
	if (n > 0) {
		qsort(res, n, sizeof(*res), cmp_count);
	}
	*ret = res;
	return (int)n;
}

int mem_store_wipe(mem_store_t *ms, uint32_t subnet_id, void *jctx)
{
	int deleted = 0;

	for (unsigned i = 0; i < ms->n_shards; i++) {
		shard_t *s = &ms->shards[i];
		mlease_t **victims = NULL;
		size_t nv = 0;
		int r = 0;

		pthread_mutex_lock(&s->mu);
		if (s->n > 0) {
			victims = malloc(sizeof(*victims) * s->n);
			if (victims == NULL) {
				pthread_mutex_unlock(&s->mu);
				return -ENOMEM;
			}
		}
		for (size_t j = 0; j < s->addr_cap; j++) {
			mlease_t *m = s->addr_tab[j];
			if (m != NULL && (subnet_id == 0 || m->subnet_id == subnet_id)) {
				victims[nv++] = m;
			}
		}
		for (size_t j = 0; j < nv && r == 0; j++) {
			if (ms->journal != NULL) {
				lease4_t l;
				mem_ml_copy(victims[j], &l);
				r = ms->journal(ms->userdata, jctx, &l, true);
				if (r < 0) {
					break;
				}
			}
			mem_replace(ms, s, victims[j], NULL);
			free(victims[j]);
			deleted++;
		}
		pthread_mutex_unlock(&s->mu);
		free(victims);
		if (r < 0) {
			return r;
		}
	}
	return deleted;
}

/* Self-check of the in-memory store's indexes (tests and debug builds). */
#include "lease/store-mem-int.h"

#include <pthread.h>

/* Is m chained in the bucket of its key (shard lock held)? */
static bool ident_has(mem_store_t *ms, bool hw, mlease_t *m)
{
	uint64_t h;
	stripe_t *st = mem_stripe_of(ms, hw, m, &h);
	bool found = false;

	if (st == NULL) {
		return true;
	}
	pthread_mutex_lock(&st->mu);
	for (mlease_t *c = st->tab[h & (st->cap - 1)]; c != NULL && !found; c = *ml_next(c, hw)) {
		found = c == m;
	}
	pthread_mutex_unlock(&st->mu);
	return found;
}

/* Count one index's chained leases, checking each one's stripe and bucket. */
static bool ident_count(mem_store_t *ms, bool hw, size_t *ret_n)
{
	stripe_t *v = hw ? ms->hw : ms->cid;
	bool ok = true;

	*ret_n = 0;
	for (unsigned i = 0; i < ms->n_stripes && ok; i++) {
		stripe_t *st = &v[i];
		size_t n = 0;

		pthread_mutex_lock(&st->mu);
		for (size_t b = 0; b < st->cap && ok; b++) {
			for (mlease_t *m = st->tab[b]; m != NULL && ok; m = *ml_next(m, hw)) {
				uint64_t h;
				ok = ++n <= st->n && mem_stripe_of(ms, hw, m, &h) == st &&
				     (h & (st->cap - 1)) == b;
			}
		}
		ok = ok && n == st->n;
		pthread_mutex_unlock(&st->mu);
		*ret_n += n;
	}
	return ok;
}

static bool heap_consistent(const heap_t *h)
{
	for (uint32_t i = 0; i < h->n; i++) {
		if (h->v[i]->heap_idx != i || (i > 0 && ml_before(h->v[i], h->v[(i - 1) / 2]))) {
			return false;
		}
	}
	return true;
}

int mem_store_check(mem_store_t *ms)
{
	size_t n_hw = 0, n_cid = 0, c_hw = 0, c_cid = 0;
	bool ok = true;

	/* 1: each shard (its lock, then one stripe lock at a time): every lease
	 * is where the address table and heaps say, and chained under its keys. */
	for (unsigned i = 0; i < ms->n_shards && ok; i++) {
		shard_t *s = &ms->shards[i];
		size_t n = 0, in_heaps = 0;

		pthread_mutex_lock(&s->mu);
		for (size_t j = 0; j < s->addr_cap && ok; j++) {
			mlease_t *m = s->addr_tab[j];
			if (m == NULL) {
				continue;
			}
			heap_t *h = mem_heap_for(s, m);
			n++;
			n_hw += m->hw_len > 0;
			n_cid += m->cid_len > 0;
			in_heaps += h != NULL;
			ok = shard_of(ms, m->addr) == s && mem_addr_find(s, m->addr) == m &&
			     (h == NULL ? m->heap_idx == HEAP_NONE
			                : m->heap_idx < h->n && h->v[m->heap_idx] == m) &&
			     ident_has(ms, true, m) && ident_has(ms, false, m);
		}
		ok = ok && n == s->n && in_heaps == s->active.n + s->reclaimed.n &&
		     heap_consistent(&s->active) && heap_consistent(&s->reclaimed);
		pthread_mutex_unlock(&s->mu);
	}
	/* 2: each stripe alone: entries sit in the right stripe and bucket, and
	 * there are exactly as many as keyed leases, so (with 1) no stale or
	 * duplicate entry exists. */
	ok = ok && ident_count(ms, true, &c_hw) && ident_count(ms, false, &c_cid);
	return ok && c_hw == n_hw && c_cid == n_cid ? 0 : -EUCLEAN;
}

/* Sharded in-memory lease indexes. See store-mem.h for layout and lock order.
 *
 * Who guards what:
 *   shard->mu   the shard's address table, heaps, counts, every mlease_t of
 *               the shard (its lifetime and heap_idx);
 *   stripe->mu  the stripe's bucket array and the hw_next (hw stripes) or
 *               cid_next (client-id stripes) link of every lease chained in
 *               it. A lease is chained in a stripe only while it is in its
 *               shard, and is unchained before it is freed, so a reader that
 *               holds only the stripe lock may read the lease's other
 *               (immutable) fields. */
#include "lease/store-mem-int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the key, then a 64-bit finalizer (murmur3 fmix64) so that the
 * low bits (bucket) and bits 32.. (stripe) are both well mixed. */
uint64_t mem_hash_key(uint32_t subnet_id, const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ subnet_id;

	for (size_t i = 0; i < len; i++) {
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static mlease_t *ml_new(const lease4_t *l)
{
	size_t hw_len = MIN(l->hwaddr_len, DHCP_HWADDR_MAX);
	size_t host_len = strnlen(l->hostname, sizeof(l->hostname) - 1);
	size_t uctx_len = strnlen(l->user_context, sizeof(l->user_context) - 1);
	mlease_t *m = malloc(sizeof(*m) + hw_len + l->client_id_len + host_len + uctx_len);

	if (m == NULL) {
		return NULL;
	}
	*m = (mlease_t){
		.cltt = l->cltt,
		.addr = l->addr,
		.subnet_id = l->subnet_id,
		.pool_id = l->pool_id,
		.valid_lft = l->valid_lft,
		.heap_idx = HEAP_NONE,
		.host_len = (uint16_t)host_len,
		.uctx_len = (uint16_t)uctx_len,
		.state = (uint8_t)l->state,
		.flags = (uint8_t)((l->fqdn_fwd ? FLAG_FWD : 0) | (l->fqdn_rev ? FLAG_REV : 0)),
		.htype = l->htype,
		.hw_len = (uint8_t)hw_len,
		.cid_len = l->client_id_len,
	};
	uint8_t *p = m->data;
	memcpy(p, l->hwaddr, hw_len);
	p += hw_len;
	memcpy(p, l->client_id, l->client_id_len);
	p += l->client_id_len;
	memcpy(p, l->hostname, host_len);
	p += host_len;
	memcpy(p, l->user_context, uctx_len);
	return m;
}

void mem_ml_copy(const mlease_t *m, lease4_t *l)
{
	const uint8_t *p = m->data;

	memset(l, 0, offsetof(lease4_t, hostname));
	l->addr = m->addr;
	l->subnet_id = m->subnet_id;
	l->pool_id = m->pool_id;
	memcpy(l->hwaddr, p, m->hw_len);
	p += m->hw_len;
	l->hwaddr_len = m->hw_len;
	l->htype = m->htype;
	memcpy(l->client_id, p, m->cid_len);
	p += m->cid_len;
	l->client_id_len = m->cid_len;
	l->valid_lft = m->valid_lft;
	l->cltt = m->cltt;
	l->state = (lease_state_t)m->state;
	l->fqdn_fwd = (m->flags & FLAG_FWD) != 0;
	l->fqdn_rev = (m->flags & FLAG_REV) != 0;
	memcpy(l->hostname, p, m->host_len);
	l->hostname[m->host_len] = '\0';
	p += m->host_len;
	memcpy(l->user_context, p, m->uctx_len);
	l->user_context[m->uctx_len] = '\0';
}

/* ---- per-subnet counts ------------------------------------------------ */

static count_slot_t *count_find(count_slot_t *t, size_t cap, uint32_t subnet_id)
{
	size_t i = hash_u32(subnet_id) & (cap - 1);

	while (t[i].used && t[i].subnet_id != subnet_id) {
		i = (i + 1) & (cap - 1);
	}
	return &t[i];
}

static int count_add(shard_t *s, uint32_t subnet_id, unsigned state, int delta)
{
	count_slot_t *c = s->counts_cap > 0 ? count_find(s->counts, s->counts_cap, subnet_id) : NULL;

	/* An existing subnet never allocates: link/unlink rely on that. */
	if (c != NULL && c->used) {
		if (state < _LEASE_STATE_MAX) {
			c->n[state] += (uint64_t)(int64_t)delta;
		}
		return 0;
	}
	if ((s->counts_used + 1) * 2 > s->counts_cap) {
		size_t cap = s->counts_cap == 0 ? 16 : s->counts_cap * 2;
		count_slot_t *t = calloc(cap, sizeof(*t));
		if (t == NULL) {
			return -ENOMEM;
		}
		for (size_t i = 0; i < s->counts_cap; i++) {
			if (s->counts[i].used) {
				*count_find(t, cap, s->counts[i].subnet_id) = s->counts[i];
			}
		}
		free(s->counts);
		s->counts = t;
		s->counts_cap = cap;
	}
	c = count_find(s->counts, s->counts_cap, subnet_id);
	if (!c->used) {
		c->used = true;
		c->subnet_id = subnet_id;
		s->counts_used++;
	}
	if (state < _LEASE_STATE_MAX) {
		c->n[state] += (uint64_t)(int64_t)delta;
	}
	return 0;
}

/* ---- shard indexes ---------------------------------------------------- */

static size_t addr_slot(const shard_t *s, uint32_t addr)
{
	size_t i = hash_u32(addr) & (s->addr_cap - 1);

	while (s->addr_tab[i] != NULL && s->addr_tab[i]->addr != addr) {
		i = (i + 1) & (s->addr_cap - 1);
	}
	return i;
}

mlease_t *mem_addr_find(const shard_t *s, uint32_t addr)
{
	return s->addr_tab[addr_slot(s, addr)];
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void addr_remove(shard_t *s, uint32_t addr)
{
	size_t mask = s->addr_cap - 1;
	size_t i = addr_slot(s, addr);

	if (s->addr_tab[i] == NULL) {
		return;
	}
	s->addr_tab[i] = NULL;
	for (size_t j = (i + 1) & mask; s->addr_tab[j] != NULL; j = (j + 1) & mask) {
		size_t home = hash_u32(s->addr_tab[j]->addr) & mask;
		/* Move j back to the hole at i unless its home lies in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			s->addr_tab[i] = s->addr_tab[j];
			s->addr_tab[j] = NULL;
			i = j;
		}
	}
}

/* Make room for one more lease (all allocation happens here, so that
 * link() below cannot fail half-way). */
static int shard_reserve(shard_t *s)
{
	if ((s->n + 1) * 2 > s->addr_cap) {
		size_t cap = s->addr_cap == 0 ? 64 : s->addr_cap * 2;
		mlease_t **t = calloc(cap, sizeof(*t));
		if (t == NULL) {
			return -ENOMEM;
		}
		mlease_t **old = s->addr_tab;
		size_t old_cap = s->addr_cap;
		s->addr_tab = t;
		s->addr_cap = cap;
		for (size_t i = 0; i < old_cap; i++) {
			if (old[i] != NULL) {
				s->addr_tab[addr_slot(s, old[i]->addr)] = old[i];
			}
		}
		free(old);
	}
	if (s->active.n == s->active.cap || s->reclaimed.n == s->reclaimed.cap) {
		/* Grow both heaps ahead so heap_push cannot fail in link(). */
		heap_t *hs[2] = { &s->active, &s->reclaimed };
		for (size_t k = 0; k < 2; k++) {
			heap_t *h = hs[k];
			if (h->n < h->cap) {
				continue;
			}
			uint32_t cap = h->cap == 0 ? 64 : h->cap * 2;
			mlease_t **v = realloc(h->v, cap * sizeof(*v));
			if (v == NULL) {
				return -ENOMEM;
			}
			h->v = v;
			h->cap = cap;
		}
	}
	return 0;
}

/* Insert m into the shard's indexes. shard_reserve() and count_add() for
 * m's subnet must have succeeded first. */
static void shard_link(shard_t *s, mlease_t *m)
{
	heap_t *h;

	s->addr_tab[addr_slot(s, m->addr)] = m;
	s->n++;
	h = mem_heap_for(s, m);
	if (h != NULL) {
		(void)mem_heap_push(h, m);  /* capacity reserved */
	}
	(void)count_add(s, m->subnet_id, m->state, +1);
}

static void shard_unlink(shard_t *s, mlease_t *m)
{
	addr_remove(s, m->addr);
	s->n--;
	if (m->heap_idx != HEAP_NONE) {
		mem_heap_remove(mem_heap_for(s, m), m);
	}
	(void)count_add(s, m->subnet_id, m->state, -1);
}

/* The stripe holding m's key (and the key's hash), NULL for an empty key. */
stripe_t *mem_stripe_of(mem_store_t *ms, bool hw, const mlease_t *m, uint64_t *ret_h)
{
	size_t len;
	const uint8_t *k = ml_key(m, hw, &len);

	if (len == 0) {
		return NULL;
	}
	*ret_h = mem_hash_key(m->subnet_id, k, len);
	return stripe_for(ms, hw, *ret_h);
}

/* Double the bucket array (stripe lock held). On allocation failure the
 * chains just get longer: linking never fails. */
static void stripe_grow(stripe_t *st, bool hw)
{
	size_t cap = st->cap * 2;
	mlease_t **t = calloc(cap, sizeof(*t));

	if (t == NULL) {
		return;
	}
	for (size_t i = 0; i < st->cap; i++) {
		for (mlease_t *m = st->tab[i], *next; m != NULL; m = next) {
			size_t len;
			const uint8_t *k = ml_key(m, hw, &len);
			size_t b = mem_hash_key(m->subnet_id, k, len) & (cap - 1);

			next = *ml_next(m, hw);
			*ml_next(m, hw) = t[b];
			t[b] = m;
		}
	}
	free(st->tab);
	st->tab = t;
	st->cap = cap;
}

/* Replace @old by @nw in one identifier index (either may be NULL), with the
 * shard lock of their address held. When both keys live in the same stripe
 * the swap is one critical section, so a lookup by that key never sees the
 * lease missing; otherwise both stripes are held, lower index first. */
static void ident_swap(mem_store_t *ms, bool hw, mlease_t *old, mlease_t *nw)
{
	uint64_t ho = 0, hn = 0;
	stripe_t *so = old != NULL ? mem_stripe_of(ms, hw, old, &ho) : NULL;
	stripe_t *sn = nw != NULL ? mem_stripe_of(ms, hw, nw, &hn) : NULL;
	stripe_t *first = so, *second = sn;

	if (first == NULL || (second != NULL && second < first)) {
		first = sn;
		second = so;
	}
	if (first == NULL) {
		return;
	}
	if (second == first) {
		second = NULL;
	}
	pthread_mutex_lock(&first->mu);
	if (second != NULL) {
		pthread_mutex_lock(&second->mu);
	}
	if (so != NULL) {
		for (mlease_t **pp = &so->tab[ho & (so->cap - 1)]; *pp != NULL; pp = ml_next(*pp, hw)) {
			if (*pp == old) {
				*pp = *ml_next(old, hw);
				so->n--;
				break;
			}
		}
	}
	if (sn != NULL) {
		if (sn->n + 1 > sn->cap) {
			stripe_grow(sn, hw);
		}
		size_t b = hn & (sn->cap - 1);
		*ml_next(nw, hw) = sn->tab[b];
		sn->tab[b] = nw;
		sn->n++;
	}
	if (second != NULL) {
		pthread_mutex_unlock(&second->mu);
	}
	pthread_mutex_unlock(&first->mu);
}

/* Replace @old by @nw (same address; either may be NULL) in every index,
 * under the shard lock. The caller has reserved room (shard_reserve,
 * count_add) for @nw and frees @old afterwards. */
void mem_replace(mem_store_t *ms, shard_t *s, mlease_t *old, mlease_t *nw)
{
	if (old != NULL) {
		shard_unlink(s, old);
	}
	if (nw != NULL) {
		nw->hw_next = NULL;
		nw->cid_next = NULL;
		shard_link(s, nw);
	}
	ident_swap(ms, true, old, nw);
	ident_swap(ms, false, old, nw);
}

/* ---- lifecycle -------------------------------------------------------- */

static void stripes_free(stripe_t *v, unsigned n)
{
	if (v == NULL) {
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		free(v[i].tab);
		pthread_mutex_destroy(&v[i].mu);
	}
	free(v);
}

static stripe_t *stripes_new(unsigned n)
{
	stripe_t *v = aligned_alloc(64, sizeof(stripe_t) * n);

	if (v == NULL) {
		return NULL;
	}
	memset(v, 0, sizeof(stripe_t) * n);
	for (unsigned i = 0; i < n; i++) {
		v[i].tab = calloc(STRIPE_MIN_CAP, sizeof(*v[i].tab));
		if (v[i].tab == NULL) {
			stripes_free(v, i);
			return NULL;
		}
		v[i].cap = STRIPE_MIN_CAP;
		pthread_mutex_init(&v[i].mu, NULL);
	}
	return v;
}

int mem_store_new(unsigned n_shards, mem_journal_fn journal, void *userdata, mem_store_t **ret)
{
	mem_store_t *ms;
	unsigned n = 1;

	assert_return(n_shards >= 1 && n_shards <= 1024, -EINVAL);
	while (n < n_shards) {
		n *= 2;
	}
	ms = calloc(1, sizeof(*ms));
	if (ms == NULL) {
		return -ENOMEM;
	}
	ms->n_shards = n;
	ms->n_stripes = MAX(n * STRIPES_PER_SHARD, (unsigned)STRIPES_MIN);
	ms->shards = aligned_alloc(64, sizeof(shard_t) * n);
	ms->hw = stripes_new(ms->n_stripes);
	ms->cid = stripes_new(ms->n_stripes);
	if (ms->shards == NULL || ms->hw == NULL || ms->cid == NULL) {
		stripes_free(ms->hw, ms->n_stripes);
		stripes_free(ms->cid, ms->n_stripes);
		free(ms->shards);
		free(ms);
		return -ENOMEM;
	}
	memset(ms->shards, 0, sizeof(shard_t) * n);
	for (unsigned i = 0; i < n; i++) {
		pthread_mutex_init(&ms->shards[i].mu, NULL);
	}
	ms->journal = journal;
	ms->userdata = userdata;
	*ret = ms;
	return 0;
}

mem_store_t *mem_store_free(mem_store_t *ms)
{
	if (ms == NULL) {
		return NULL;
	}
	for (unsigned i = 0; i < ms->n_shards; i++) {
		shard_t *s = &ms->shards[i];
		for (size_t j = 0; j < s->addr_cap; j++) {
			free(s->addr_tab[j]);
		}
		free(s->addr_tab);
		free(s->active.v);
		free(s->reclaimed.v);
		free(s->counts);
		pthread_mutex_destroy(&s->mu);
	}
	stripes_free(ms->hw, ms->n_stripes);
	stripes_free(ms->cid, ms->n_stripes);
	free(ms->shards);
	free(ms);
	return NULL;
}

size_t mem_store_size(mem_store_t *ms)
{
	size_t n = 0;

	for (unsigned i = 0; i < ms->n_shards; i++) {
		pthread_mutex_lock(&ms->shards[i].mu);
		n += ms->shards[i].n;
		pthread_mutex_unlock(&ms->shards[i].mu);
	}
	return n;
}

/* ---- lookups ---------------------------------------------------------- */

int mem_store_get_by_addr(mem_store_t *ms, uint32_t addr, lease4_t *ret)
{
	shard_t *s = shard_of(ms, addr);
	int r = -ENOENT;

	pthread_mutex_lock(&s->mu);
	if (s->n > 0) {
		mlease_t *m = mem_addr_find(s, addr);
		if (m != NULL) {
			mem_ml_copy(m, ret);
			r = 0;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* Shared lookup for the two identifier indexes: one stripe, one chain. */
static int get_by_ident(mem_store_t *ms, bool hw, uint32_t subnet_id, const uint8_t *key,
                        size_t len, lease4_t *ret)
{
	const mlease_t *best = NULL;
	int64_t best_exp = 0;
	uint64_t h;
	stripe_t *st;

	if (len == 0 || key == NULL) {
		return -ENOENT;
	}
	h = mem_hash_key(subnet_id, key, len);
	st = stripe_for(ms, hw, h);
	pthread_mutex_lock(&st->mu);
	for (mlease_t *m = st->tab[h & (st->cap - 1)]; m != NULL; m = *ml_next(m, hw)) {
		size_t klen;
		const uint8_t *k = ml_key(m, hw, &klen);
		if (m->subnet_id != subnet_id || klen != len || memcmp(k, key, len) != 0) {
			continue;
		}
		int64_t e = ml_expire(m);
		if (best == NULL || e > best_exp || (e == best_exp && m->addr < best->addr)) {
			best = m;
			best_exp = e;
		}
	}
	if (best != NULL) {
		mem_ml_copy(best, ret);
	}
	pthread_mutex_unlock(&st->mu);
	return best != NULL ? 0 : -ENOENT;
}

int mem_store_get_by_hwaddr(mem_store_t *ms, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
                            lease4_t *ret)
{
	return get_by_ident(ms, true, subnet_id, hw, hw_len, ret);
}

int mem_store_get_by_client_id(mem_store_t *ms, uint32_t subnet_id, const uint8_t *cid,
                               size_t cid_len, lease4_t *ret)
{
	return get_by_ident(ms, false, subnet_id, cid, cid_len, ret);
}

/* ---- changes ---------------------------------------------------------- */

static bool cas_matches(const mlease_t *m, const lease4_t *old)
{
	return ml_expire(m) == lease4_expire(old) && m->state == (uint8_t)old->state;
}

static bool lease_valid(const lease4_t *l)
{
	return l->hwaddr_len <= DHCP_HWADDR_MAX && (unsigned)l->state < _LEASE_STATE_MAX;
}

int mem_store_add(mem_store_t *ms, const lease4_t *l, void *jctx)
{
	shard_t *s = shard_of(ms, l->addr);
	mlease_t *m;
	int r;

	assert_return(lease_valid(l), -EINVAL);
	m = ml_new(l);
	if (m == NULL) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&s->mu);
	if (s->n > 0 && mem_addr_find(s, l->addr) != NULL) {
		r = -EEXIST;
	} else {
		r = shard_reserve(s);
		if (r == 0) {
			r = count_add(s, l->subnet_id, l->state, 0);
		}
		if (r == 0 && ms->journal != NULL) {
			r = ms->journal(ms->userdata, jctx, l, false);
		}
		if (r == 0) {
			mem_replace(ms, s, NULL, m);
			m = NULL;
		}
	}
	pthread_mutex_unlock(&s->mu);
	free(m);
	return r;
}

int mem_store_update(mem_store_t *ms, const lease4_t *old, const lease4_t *l, void *jctx)
{
	shard_t *s = shard_of(ms, l->addr);
	mlease_t *m, *cur;
	int r;

	assert_return(old->addr == l->addr && lease_valid(l), -EINVAL);
	m = ml_new(l);
	if (m == NULL) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&s->mu);
	cur = s->n > 0 ? mem_addr_find(s, l->addr) : NULL;
	if (cur == NULL) {
		r = -ENOENT;
	} else if (!cas_matches(cur, old)) {
		r = -ESTALE;
	} else {
		r = shard_reserve(s);
		if (r == 0) {
			r = count_add(s, l->subnet_id, l->state, 0);
		}
		if (r == 0 && ms->journal != NULL) {
			r = ms->journal(ms->userdata, jctx, l, false);
		}
		if (r == 0) {
			mem_replace(ms, s, cur, m);
			m = cur;        /* freed below */
		}
	}
	pthread_mutex_unlock(&s->mu);
	free(m);
	return r;
}

int mem_store_del(mem_store_t *ms, const lease4_t *old, void *jctx)
{
	shard_t *s = shard_of(ms, old->addr);
	mlease_t *cur;
	int r = 0;

	pthread_mutex_lock(&s->mu);
	cur = s->n > 0 ? mem_addr_find(s, old->addr) : NULL;
	if (cur == NULL) {
		r = -ENOENT;
	} else if (!cas_matches(cur, old)) {
		r = -ESTALE;
	} else {
		if (ms->journal != NULL) {
			lease4_t l;
			mem_ml_copy(cur, &l);
			r = ms->journal(ms->userdata, jctx, &l, true);
		}
		if (r == 0) {
			mem_replace(ms, s, cur, NULL);
		} else {
			cur = NULL;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (r == 0) {
		free(cur);
	}
	return r;
}

int mem_store_load(mem_store_t *ms, const lease4_t *l)
{
	shard_t *s = shard_of(ms, l->addr);
	mlease_t *m = NULL, *cur;
	int r = 0;

	assert_return(lease_valid(l), -EINVAL);
	if (l->valid_lft != 0) {
		m = ml_new(l);
		if (m == NULL) {
			return -ENOMEM;
		}
	}
	pthread_mutex_lock(&s->mu);
	cur = s->n > 0 ? mem_addr_find(s, l->addr) : NULL;
	if (m != NULL) {
		r = shard_reserve(s);
		if (r == 0) {
			r = count_add(s, l->subnet_id, l->state, 0);
		}
	}
	if (r == 0) {
		mem_replace(ms, s, cur, m);
		m = NULL;
	} else {
		cur = NULL;
	}
	pthread_mutex_unlock(&s->mu);
	free(cur);
	free(m);
	return r;
}

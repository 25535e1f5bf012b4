/* Subnet selection in Kea's order (lib/dhcpsrv/cfg_subnets4.cc selectSubnet),
 * backed by an index built at load time:
 *   - prefixes grouped by length, each group sorted by network: an address is
 *     looked up with one binary search per distinct prefix length (at most
 *     33, in practice 1-4), which also finds every overlapping (nested)
 *     subnet; among them the lowest id whose class guard passes wins;
 *   - relay addresses sorted by (address, subnet position);
 *   - the few subnets with an "interface", in id order. */
#include "cfg/subnet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/inaddr.h"

typedef struct pfx_ent {
	uint32_t net;
	uint32_t idx;                   /* position in cfg->subnets (= id order) */
} pfx_ent_t;

typedef struct relay_ent {
	uint32_t addr;
	uint32_t idx;
} relay_ent_t;

typedef struct subnet_index {
	pfx_ent_t *pfx[33];             /* per prefix length, sorted by net */
	size_t n_pfx[33];
	uint8_t plens[33];              /* distinct lengths present */
	size_t n_plens;
	relay_ent_t *relays;
	size_t n_relays;
	uint32_t *iface;                /* positions of subnets with an interface */
	size_t n_iface;
} subnet_index_t;

static int pfx_cmp(const void *a, const void *b)
{
	const pfx_ent_t *x = a, *y = b;

	if (x->net != y->net) {
		return x->net < y->net ? -1 : 1;
	}
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int relay_cmp(const void *a, const void *b)
{
	const relay_ent_t *x = a, *y = b;

	if (x->addr != y->addr) {
		return x->addr < y->addr ? -1 : 1;
	}
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void subnet_index_free(cfg_t *cfg)
{
	subnet_index_t *ix = cfg->subnet_index;

	if (ix == NULL) {
		return;
	}
	for (int i = 0; i <= 32; i++) {
		free(ix->pfx[i]);
	}
	free(ix->relays);
	free(ix->iface);
	free(ix);
	cfg->subnet_index = NULL;
}

int subnet_index_build(cfg_t *cfg)
{
	subnet_index_t *ix = calloc(1, sizeof(*ix));
	size_t n_rel = 0;

	if (ix == NULL) {
		return -ENOMEM;
	}
	cfg->subnet_index = ix;
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		ix->n_pfx[cfg->subnets[i].plen]++;
		n_rel += cfg->subnets[i].n_relay_addrs;
		ix->n_iface += cfg->subnets[i].interface != NULL;
	}
	for (int p = 0; p <= 32; p++) {
		if (ix->n_pfx[p] == 0) {
			continue;
		}
		ix->plens[ix->n_plens++] = (uint8_t)p;
		ix->pfx[p] = calloc(ix->n_pfx[p], sizeof(pfx_ent_t));
		if (ix->pfx[p] == NULL) {
			subnet_index_free(cfg);
			return -ENOMEM;
		}
		ix->n_pfx[p] = 0;
	}
	ix->relays = calloc(n_rel > 0 ? n_rel : 1, sizeof(relay_ent_t));
	ix->iface = calloc(ix->n_iface > 0 ? ix->n_iface : 1, sizeof(uint32_t));
	if (ix->relays == NULL || ix->iface == NULL) {
		subnet_index_free(cfg);
		return -ENOMEM;
	}
	ix->n_iface = 0;
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[i];
		ix->pfx[s->plen][ix->n_pfx[s->plen]++] = (pfx_ent_t){ s->net, (uint32_t)i };
		for (size_t j = 0; j < s->n_relay_addrs; j++) {
			ix->relays[ix->n_relays++] = (relay_ent_t){s->relay_addrs[j], (uint32_t)i};
		}
		if (s->interface != NULL) {
			ix->iface[ix->n_iface++] = (uint32_t)i;
		}
	}
	for (size_t k = 0; k < ix->n_plens; k++) {
		uint8_t p = ix->plens[k];
		qsort(ix->pfx[p], ix->n_pfx[p], sizeof(pfx_ent_t), pfx_cmp);
	}
	qsort(ix->relays, ix->n_relays, sizeof(relay_ent_t), relay_cmp);
	return 0;
}

/* First entry with net >= key in a sorted group. */
static size_t pfx_lower(const pfx_ent_t *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].net < key) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* Kea's selectSubnet(address, classes): the first subnet in id order that
 * contains @addr and whose class guard passes. */
static const cfg_subnet4_t *select_by_addr(const cfg_t *cfg, const subnet_index_t *ix,
                                           uint32_t addr, const class_set_t *classes)
{
	uint32_t cand[34];
	size_t nc = 0;

	for (size_t k = 0; k < ix->n_plens; k++) {
		uint8_t p = ix->plens[k];
		uint32_t key = addr & inaddr_mask(p);
		const pfx_ent_t *v = ix->pfx[p];
		size_t i = pfx_lower(v, ix->n_pfx[p], key);
		/* prefixes are unique per length (the loader rejects duplicates) */
		if (i < ix->n_pfx[p] && v[i].net == key && nc < ARRAY_SIZE(cand)) {
			/* insertion sort by position (= id order) */
			size_t j = nc++;
			while (j > 0 && cand[j - 1] > v[i].idx) {
				cand[j] = cand[j - 1];
				j--;
			}
			cand[j] = v[i].idx;
		}
	}
	for (size_t i = 0; i < nc; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[cand[i]];
		if (subnet_class_allows(s->client_class, classes)) {
			return s;
		}
	}
	return NULL;
}

const cfg_subnet4_t *subnet_select(const cfg_t *cfg, const subnet_sel_t *sel)
{
	const subnet_index_t *ix = cfg->subnet_index;
	uint32_t addr = 0;

	if (ix == NULL || cfg->n_subnets == 0) {
		return NULL;
	}

	/* (1) RFC 3527 link-selection (RAI sub-option 5) wins over RFC 3011
	 * option 118; either one decides alone, there is no fallback. */
	if (sel->link_select != 0 || sel->subnet_select != 0) {
		addr = sel->link_select != 0 ? sel->link_select : sel->subnet_select;
		return select_by_addr(cfg, ix, addr, sel->classes);
	}

	/* (2) giaddr against relay.ip-addresses (subnet's or its network's),
	 * first in id order whose guard passes. */
	if (sel->giaddr != 0 && ix->n_relays > 0) {
		size_t lo = 0, hi = ix->n_relays;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (ix->relays[mid].addr < sel->giaddr) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		for (size_t i = lo; i < ix->n_relays && ix->relays[i].addr == sel->giaddr; i++) {
			const cfg_subnet4_t *s = &cfg->subnets[ix->relays[i].idx];
			if (subnet_class_allows(s->client_class, sel->classes)) {
				return s;
			}
		}
	}

	/* (3) RFC 2131 §4.3.1: the relay's address, else the client's own
	 * address (ciaddr, then the IP source) unless it came to the broadcast
	 * address, else the receiving interface. */
	if (sel->giaddr != 0) {
		addr = sel->giaddr;
	} else if (sel->ciaddr != 0 && !sel->from_broadcast) {
		addr = sel->ciaddr;
	} else if (sel->src_addr != 0 && !sel->from_broadcast) {
		addr = sel->src_addr;
	} else {
		if (sel->ifname != NULL) {
			for (size_t i = 0; i < ix->n_iface; i++) {
				const cfg_subnet4_t *s = &cfg->subnets[ix->iface[i]];
				if (strcmp(s->interface, sel->ifname) == 0 &&
				    subnet_class_allows(s->client_class, sel->classes)) {
					return s;
				}
			}
		}
		addr = sel->iface_addr;
	}
	if (addr == 0) {
		return NULL;
	}
	return select_by_addr(cfg, ix, addr, sel->classes);
}

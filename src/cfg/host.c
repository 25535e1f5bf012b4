/* Host reservation indexes: open addressing with linear probing over
 * cfg->hosts positions (slot = position + 1, 0 = empty), load factor <= 1/2,
 * so a lookup is O(1) for the 14,400-reservation deployments. */
#include "cfg/host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct host_index {
	uint32_t *by_id;
	uint32_t *by_addr;
	size_t mask;                    /* both tables have mask + 1 slots */
} host_index_t;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t hash_id(uint32_t subnet_id, cfg_host_id_type_t type, const uint8_t *id, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	uint8_t t = (uint8_t)type;

	h = fnv(h, &subnet_id, sizeof(subnet_id));
	h = fnv(h, &t, 1);
	return fnv(h, id, len);
}

static uint64_t hash_addr(uint32_t subnet_id, uint32_t addr)
{
	uint64_t k = ((uint64_t)subnet_id << 32) | addr;

	/* splitmix64 finalizer */
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebULL;
	return k ^ (k >> 31);
}

void host_index_free(cfg_t *cfg)
{
	host_index_t *ix = cfg->host_index;

	if (ix == NULL) {
		return;
	}
	free(ix->by_id);
	free(ix->by_addr);
	free(ix);
	cfg->host_index = NULL;
}

static bool same_id(const cfg_host_t *h, uint32_t subnet_id, cfg_host_id_type_t type,
                    const uint8_t *id, size_t len)
{
	return h->subnet_id == subnet_id && h->id_type == type && h->id_len == len &&
	       memcmp(h->id, id, len) == 0;
}

int host_index_build(cfg_t *cfg, bool addr_unique, size_t *ret_dup, bool *ret_by_addr)
{
	host_index_t *ix = calloc(1, sizeof(*ix));
	size_t size = 16;

	if (ix == NULL) {
		return -ENOMEM;
	}
	while (size < cfg->n_hosts * 2) {
		size *= 2;
	}
	ix->mask = size - 1;
	ix->by_id = calloc(size, sizeof(uint32_t));
	ix->by_addr = calloc(size, sizeof(uint32_t));
	cfg->host_index = ix;
	if (ix->by_id == NULL || ix->by_addr == NULL) {
		host_index_free(cfg);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n_hosts; i++) {
		const cfg_host_t *h = &cfg->hosts[i];
		size_t slot = hash_id(h->subnet_id, h->id_type, h->id, h->id_len) & ix->mask;
		while (ix->by_id[slot] != 0) {
			if (same_id(&cfg->hosts[ix->by_id[slot] - 1], h->subnet_id, h->id_type,
			            h->id, h->id_len)) {
				*ret_dup = i;
				*ret_by_addr = false;
				host_index_free(cfg);
				return -EEXIST;
			}
			slot = (slot + 1) & ix->mask;
		}
		ix->by_id[slot] = (uint32_t)(i + 1);
		if (h->addr == 0) {
			continue;
		}
		slot = hash_addr(h->subnet_id, h->addr) & ix->mask;
		bool dup = false;
		while (ix->by_addr[slot] != 0) {
			const cfg_host_t *o = &cfg->hosts[ix->by_addr[slot] - 1];
			if (o->subnet_id == h->subnet_id && o->addr == h->addr) {
				dup = true;
				break;
			}
			slot = (slot + 1) & ix->mask;
		}
		if (dup && addr_unique) {
			*ret_dup = i;
			*ret_by_addr = true;
			host_index_free(cfg);
			return -EEXIST;
		}
		if (!dup) {
			ix->by_addr[slot] = (uint32_t)(i + 1);
		}
	}
	return 0;
}

const cfg_host_t *cfg_host_find(const cfg_t *cfg, uint32_t subnet_id, cfg_host_id_type_t type,
                                const uint8_t *id, size_t len)
{
	const host_index_t *ix = cfg->host_index;

	if (ix == NULL || len > sizeof(((cfg_host_t *)0)->id) || (len > 0 && id == NULL)) {
		return NULL;
	}
	size_t slot = hash_id(subnet_id, type, id, len) & ix->mask;
	while (ix->by_id[slot] != 0) {
		const cfg_host_t *h = &cfg->hosts[ix->by_id[slot] - 1];
		if (same_id(h, subnet_id, type, id, len)) {
			return h;
		}
		slot = (slot + 1) & ix->mask;
	}
	return NULL;
}

const cfg_host_t *cfg_host_find_by_addr(const cfg_t *cfg, uint32_t subnet_id, uint32_t addr)
{
	const host_index_t *ix = cfg->host_index;

	if (ix == NULL || addr == 0) {
		return NULL;
	}
	size_t slot = hash_addr(subnet_id, addr) & ix->mask;
	while (ix->by_addr[slot] != 0) {
		const cfg_host_t *h = &cfg->hosts[ix->by_addr[slot] - 1];
		if (h->subnet_id == subnet_id && h->addr == addr) {
			return h;
		}
		slot = (slot + 1) & ix->mask;
	}
	return NULL;
}

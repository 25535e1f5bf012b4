/* The subnets and pools a packet may use: the shared-network walk and the
 * pools' client-class guards. */
#include <errno.h>
#include <string.h>

#include "engine/alloc-int.h"
#include "cfg/subnet.h"

net_iter_t alloc_net_iter(const alloc_req_t *req, const cfg_subnet4_t *first)
{
	return (net_iter_t){.req = req, .first = first};
}

const cfg_subnet4_t *alloc_net_next(net_iter_t *it)
{
	const cfg_shared_network_t *net = it->first->network;

	if (!it->started) {
		it->started = true;
		return it->first;
	}
	if (net == NULL) {
		return NULL;
	}
	if (it->i == 0) {
		/* First step into the siblings: find where first sits. */
		for (size_t k = 0; k < net->n_subnets; k++) {
			if (net->subnets[k] == it->first) {
				it->base = k;
				break;
			}
		}
	}
	while (it->i < net->n_subnets) {
		size_t k = it->base + 1 + it->i++;
		const cfg_subnet4_t *s = net->subnets[k < net->n_subnets ? k : k - net->n_subnets];

		if (s != it->first && subnet_class_allows(s->client_class, it->req->classes)) {
			return s;
		}
	}
	return NULL;
}

bool alloc_net_pool_allowed(const cfg_pool_t *p, const class_set_t *classes)
{
	return subnet_class_allows(p->client_class, classes);
}

static const cfg_pool_t *allowed_pool_in(const cfg_subnet4_t *s, uint32_t addr,
                                         const class_set_t *classes)
{
	if (!cfg_subnet4_contains(s, addr)) {
		return NULL;
	}
	for (size_t i = 0; i < s->n_pools; i++) {
		const cfg_pool_t *p = &s->pools[i];

		if (addr >= p->first && addr <= p->last && alloc_net_pool_allowed(p, classes)) {
			return p;
		}
	}
	return NULL;
}

/* Kea's inAllowedPool(): the subnet of the network holding @addr in a pool the
 * client may use, or NULL. */
const cfg_subnet4_t *alloc_net_in_allowed_pool(const alloc_req_t *req, const cfg_subnet4_t *first,
                                               uint32_t addr, const cfg_pool_t **ret_pool)
{
	net_iter_t it = alloc_net_iter(req, first);

	for (const cfg_subnet4_t *s; (s = alloc_net_next(&it)) != NULL;) {
		const cfg_pool_t *p = allowed_pool_in(s, addr, req->classes);

		if (p != NULL) {
			*ret_pool = p;
			return s;
		}
	}
	return NULL;
}


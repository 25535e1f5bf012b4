/* Allocation engine, modelled on Kea 2.2's AllocEngine (discoverLease4,
 * requestLease4, findClientLease) and Dhcpv4Srv::assignLease / processRelease /
 * processDecline. RFC 2131 §4.3 gives the message semantics; Kea's choices are
 * followed where the RFC leaves room (they are what clients in the field see). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/alloc.h"
#include "cfg/subnet.h"
#include "engine/extinfo.h"
#include "util/inaddr.h"
#include "util/log.h"

/* How often a CAS that lost a race is retried on the same address. */
#define ALLOC_CAS_RETRIES 4

/* ---- client identity ---- */

static bool hw_equal(const lease4_t *l, const alloc_client_t *c)
{
	return c->hwaddr_len > 0 && l->hwaddr_len == c->hwaddr_len && l->htype == c->htype &&
	       memcmp(l->hwaddr, c->hwaddr, c->hwaddr_len) == 0;
}

static bool cid_equal(const lease4_t *l, const uint8_t *cid, uint8_t cid_len)
{
	return cid != NULL && l->client_id_len > 0 && l->client_id_len == cid_len &&
	       memcmp(l->client_id, cid, cid_len) == 0;
}

/* Kea's Lease4::belongsToClient(hw, client_id) with an explicit client-id. */
static bool belongs(const lease4_t *l, const alloc_client_t *c, const uint8_t *cid, uint8_t cid_len)
{
	if (cid_equal(l, cid, cid_len)) {
		return true;
	}
	if (cid == NULL || l->client_id_len == 0) {
		return hw_equal(l, c);
	}
	return false;
}

bool alloc_lease_belongs_to(const lease4_t *l, const alloc_client_t *c)
{
	return belongs(l, c, c->client_id, c->client_id_len);
}

/* The client-id as subnet @s sees it: ignored when match-client-id is false. */
static const uint8_t *subnet_cid(const cfg_subnet4_t *s, const alloc_client_t *c, uint8_t *ret_len)
{
	if (!s->match_client_id || c->client_id == NULL) {
		*ret_len = 0;
		return NULL;
	}
	*ret_len = c->client_id_len;
	return c->client_id;
}

static bool belongs_in(const cfg_subnet4_t *s, const lease4_t *l, const alloc_client_t *c)
{
	uint8_t len;
	const uint8_t *cid = subnet_cid(s, c, &len);

	return belongs(l, c, cid, len);
}

/* ---- reservations ---- */

static bool host_id_of(const alloc_client_t *c, cfg_host_id_type_t t, const uint8_t **ret,
                       size_t *ret_len)
{
	switch (t) {
	case CFG_HOST_ID_HWADDR:
		*ret = c->hwaddr;
		*ret_len = c->hwaddr_len;
		break;
	case CFG_HOST_ID_CLIENT_ID:
		*ret = c->client_id;
		*ret_len = c->client_id_len;
		break;
	case CFG_HOST_ID_CIRCUIT_ID:
		*ret = c->circuit_id;
		*ret_len = c->circuit_id_len;
		break;
	case CFG_HOST_ID_DUID:
		*ret = c->duid;
		*ret_len = c->duid_len;
		break;
	default:
		return false;
	}
	return *ret != NULL && *ret_len > 0;
}

const cfg_host_t *alloc_host_find(const cfg_t *cfg, uint32_t subnet_id, const alloc_client_t *c)
{
	if (cfg->n_hosts == 0) {
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_host_ids; i++) {
		const uint8_t *id;
		size_t len;

		if (!host_id_of(c, cfg->host_ids[i], &id, &len)) {
			continue;
		}
		const cfg_host_t *h = cfg_host_find(cfg, subnet_id, cfg->host_ids[i], id, len);
		if (h != NULL) {
			return h;
		}
	}
	return NULL;
}

const cfg_host_t *alloc_host_for_subnet(const cfg_t *cfg, const cfg_subnet4_t *s,
                                        const alloc_client_t *c)
{
	const cfg_host_t *h = NULL;

	if (s->reservations_in_subnet) {
		h = alloc_host_find(cfg, s->id, c);
	}
	if (h == NULL && s->reservations_global) {
		h = alloc_host_find(cfg, 0, c);
	}
	return h;
}

/* Kea's addressReserved(): @addr is reserved in @s for a host other than @mine. */
static bool reserved_for_other(const cfg_t *cfg, const cfg_subnet4_t *s, uint32_t addr,
                               const cfg_host_t *mine)
{
	const cfg_host_t *h = NULL;

	if (cfg->n_hosts == 0) {
		return false;
	}
	if (s->reservations_in_subnet) {
		h = cfg_host_find_by_addr(cfg, s->id, addr);
	}
	if (h == NULL && s->reservations_global) {
		h = cfg_host_find_by_addr(cfg, 0, addr);
	}
	return h != NULL && h != mine;
}

/* Kea 2.2 addressReserved(): with reservations-out-of-pool the server assumes
 * no reservation lies inside a pool, so an in-pool address is never treated
 * as reserved (it is handed out dynamically like any other). */
static bool reserved_for_other_oop(const cfg_t *cfg, const cfg_subnet4_t *s, uint32_t addr,
                                   const cfg_host_t *mine)
{
	if (s->reservations_out_of_pool && cfg_subnet_pool_of(s, addr) != NULL) {
		return false;
	}
	return reserved_for_other(cfg, s, addr, mine);
}

/* ---- lifetimes ---- */

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
	if (lo != 0 && v < lo) {
		v = lo;
	}
	if (hi != 0 && v > hi) {
		v = hi;
	}
	return v;
}

uint32_t alloc_valid_lft(const cfg_t *cfg, const cfg_subnet4_t *s, const class_set_t *classes,
                         bool has_hint, uint32_t hint)
{
	uint32_t valid = s->lft.valid, min = s->lft.min_valid, max = s->lft.max_valid;

	/* Kea getValidLft(): the first class (join order) with a valid-lifetime wins. */
	for (uint16_t i = 0; classes != NULL && i < classes->n; i++) {
		const cfg_class_t *cl = &cfg->classes[classes->idx[i]];

		if (classes->idx[i] < cfg->n_classes && cl->has_valid_lft) {
			valid = cl->valid_lft;
			min = cl->min_valid_lft;
			max = cl->max_valid_lft;
			break;
		}
	}
	if (has_hint && hint > 0) {
		return clamp_u32(hint, min != 0 ? min : valid, max != 0 ? max : valid);
	}
	return valid;
}

/* ---- shared-network walk ---- */

/* Subnets usable for this packet: the selected one first, then its shared
 * network siblings in configuration order starting after it and wrapping
 * around, skipping class-guarded ones (Kea's Subnet4::getNextSubnet with
 * client classes: "next in turn after the current subnet", full circle). */
typedef struct net_iter {
	const alloc_req_t *req;
	const cfg_subnet4_t *first;
	size_t i;    /* steps taken after first */
	size_t base; /* index of first in its network */
	bool started;
} net_iter_t;

static net_iter_t net_iter_init(const alloc_req_t *req, const cfg_subnet4_t *first)
{
	return (net_iter_t){.req = req, .first = first};
}

static const cfg_subnet4_t *net_next(net_iter_t *it)
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

static bool pool_allowed(const cfg_pool_t *p, const class_set_t *classes)
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

		if (addr >= p->first && addr <= p->last && pool_allowed(p, classes)) {
			return p;
		}
	}
	return NULL;
}

/* Kea's inAllowedPool(): the subnet of the network holding @addr in a pool the
 * client may use, or NULL. */
static const cfg_subnet4_t *in_allowed_pool(const alloc_req_t *req, const cfg_subnet4_t *first,
                                            uint32_t addr, const cfg_pool_t **ret_pool)
{
	net_iter_t it = net_iter_init(req, first);

	for (const cfg_subnet4_t *s; (s = net_next(&it)) != NULL;) {
		const cfg_pool_t *p = allowed_pool_in(s, addr, req->classes);

		if (p != NULL) {
			*ret_pool = p;
			return s;
		}
	}
	return NULL;
}

/* Kea's findClientLease(): by client-id across the network, then by hwaddr.
 * A released lease (expired in place, valid lifetime 0) is not the client's
 * any more: Kea 2.2 deleted it, so the client gets a fresh address. */
static int find_client_lease(const alloc_req_t *req, lease4_t *ret_lease,
                             const cfg_subnet4_t **ret_subnet)
{
	const alloc_client_t *c = &req->client;
	net_iter_t it;
	int r;

	if (c->client_id != NULL) {
		it = net_iter_init(req, req->subnet);
		for (const cfg_subnet4_t *s; (s = net_next(&it)) != NULL;) {
			if (!s->match_client_id) {
				continue;
			}
			r = lease_get_by_client_id(req->conn, s->id, c->client_id, c->client_id_len,
			                           ret_lease);
			if (r == 0 && ret_lease->valid_lft != 0) {
				*ret_subnet = s;
				return 0;
			}
			if (r < 0 && r != -ENOENT) {
				return r;
			}
		}
	}
	if (c->hwaddr_len == 0) {
		return -ENOENT;
	}
	it = net_iter_init(req, req->subnet);
	for (const cfg_subnet4_t *s; (s = net_next(&it)) != NULL;) {
		r = lease_get_by_hwaddr(req->conn, s->id, c->hwaddr, c->hwaddr_len, ret_lease);
		if (r == 0 && ret_lease->valid_lft != 0 && belongs_in(s, ret_lease, c)) {
			*ret_subnet = s;
			return 0;
		}
		if (r < 0 && r != -ENOENT) {
			return r;
		}
	}
	return -ENOENT;
}

/* The reservation with an address for this client in the network (Kea's
 * hasAddressReservation over the shared network). */
static const cfg_host_t *find_addr_reservation(const alloc_req_t *req, const cfg_subnet4_t *first,
                                               const cfg_subnet4_t **ret_subnet)
{
	net_iter_t it = net_iter_init(req, first);

	for (const cfg_subnet4_t *s; (s = net_next(&it)) != NULL;) {
		const cfg_host_t *h = alloc_host_for_subnet(req->cfg, s, &req->client);

		if (h == NULL || h->addr == 0) {
			continue;
		}
		/* Kea 2.2 hasAddressReservation(): with reservations-out-of-pool
		 * an in-subnet reservation inside a pool is not used (the client
		 * gets a dynamic address; its hostname and options still apply). */
		if (h->subnet_id != 0 && s->reservations_out_of_pool &&
		    cfg_subnet_pool_of(s, h->addr) != NULL) {
			continue;
		}
		if (cfg_subnet4_contains(s, h->addr)) {
			*ret_subnet = s;
			return h;
		}
	}
	return NULL;
}

/* ---- building and writing leases ---- */

static void lease_fill(const alloc_req_t *req, const cfg_subnet4_t *s, const cfg_pool_t *pool,
                       const cfg_host_t *host, uint32_t addr, lease4_t *l)
{
	const alloc_client_t *c = &req->client;

	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->subnet_id = s->id;
	l->pool_id = pool != NULL ? pool->pool_id : 0;
	l->htype = c->htype;
	l->hwaddr_len = MIN(c->hwaddr_len, (uint8_t)DHCP_HWADDR_MAX);
	if (l->hwaddr_len > 0) {
		memcpy(l->hwaddr, c->hwaddr, l->hwaddr_len);
	}
	if (c->client_id != NULL) {
		l->client_id_len = c->client_id_len;
		memcpy(l->client_id, c->client_id, c->client_id_len);
	}
	l->valid_lft = alloc_valid_lft(req->cfg, s, req->classes, req->has_lft_hint, req->lft_hint);
	l->cltt = req->now;
	l->state = LEASE_STATE_DEFAULT;
	if (req->names != NULL) {
		/* The name Kea 2.2 stores for this subnet, reservation and
		 * address (a generated one included), so the lease is durable
		 * with it before the reply leaves. */
		names_t n;
		const cfg_host_t *nh = host != NULL ? host : alloc_host_for_subnet(req->cfg, s, c);

		names_decide(req->names, &s->names, nh, addr, &n);
		memcpy(l->hostname, n.lease, sizeof(l->hostname));
	}
}

/* The user-context a written lease carries: the client's own lease keeps
 * its context (Kea renews the lease object in place), and with
 * store-extended-info the relay's option 82 goes into it as "ISC". */
static void lease_context(const alloc_req_t *req, const cfg_subnet4_t *s, const char *old_ctx,
                          lease4_t *l)
{
	if (old_ctx != NULL) {
		snprintf(l->user_context, sizeof(l->user_context), "%s", old_ctx);
	}
	if (s->store_extended_info && req->rai != NULL &&
	    extinfo_set_relay(req->rai, l->user_context, sizeof(l->user_context)) < 0) {
		char a[INADDR_STRLEN];

		log_warn(LOGGER_ALLOC, "LESSOR_EXTINFO_NOT_STORED",
		         "relay agent information for lease %s not stored: its user-context would exceed %d bytes or is not a map",
		         inaddr_fmt(l->addr, a), LEASE_UCTX_MAX - 1);
	}
}

/* A CAS or INSERT lost to another worker or another server on the same lease
 * database: counted, then the address is looked at again. */
static void note_conflict(const alloc_req_t *req)
{
	if (req->stats != NULL) {
		stats_inc(req->stats, STAT_V4_ALLOCATION_CONFLICTS);
	}
}

typedef enum take {
	TAKE_OK,
	TAKE_BUSY, /* leased to someone else */
} take_t;

/* Kea's allocateOrReuseLease4 for one address: create the lease, or reuse an
 * expired lease / the client's own one, by CAS. With @fake (DISCOVER) only
 * check. Returns 0 with *ret_take set, or a backend error. */
static int take_addr(const alloc_req_t *req, const cfg_subnet4_t *s, const lease4_t *want,
                     bool fake, bool *ret_new, take_t *ret_take)
{
	lease4_t cur;

	for (int attempt = 0; attempt < ALLOC_CAS_RETRIES; attempt++) {
		int r = lease_get_by_addr(req->conn, want->addr, &cur);

		if (r == -ENOENT) {
			*ret_new = true;
			if (fake) {
				*ret_take = TAKE_OK;
				return 0;
			}
			r = lease_add(req->conn, want);
			if (r == -EEXIST) {
				note_conflict(req);
				continue; /* lost the race: look again */
			}
			if (r < 0) {
				return r;
			}
			*ret_take = TAKE_OK;
			return 0;
		}
		if (r < 0) {
			return r;
		}
		bool mine = belongs_in(s, &cur, &req->client) && cur.state == LEASE_STATE_DEFAULT;
		if (!mine && !lease4_is_expired(&cur, req->now)) {
			*ret_take = TAKE_BUSY;
			return 0;
		}
		/* Reusing someone's expired lease counts as a new assignment. */
		*ret_new = !mine || lease4_is_expired(&cur, req->now);
		if (fake) {
			*ret_take = TAKE_OK;
			return 0;
		}
		r = lease_update(req->conn, &cur, want);
		if (r == -ESTALE || r == -ENOENT) {
			note_conflict(req);
			continue;
		}
		if (r < 0) {
			return r;
		}
		*ret_take = TAKE_OK;
		return 0;
	}
	*ret_take = TAKE_BUSY;
	return 0;
}

static void set_ok(alloc_result_t *res, const lease4_t *l, const cfg_subnet4_t *s,
                   const cfg_pool_t *pool, const cfg_host_t *host)
{
	res->status = ALLOC_OK;
	res->lease = *l;
	res->subnet = s;
	res->pool = pool;
	res->host = host;
}

/* Kea counts an assignment (createLease4, reuseExpiredLease4, and renewLease4
 * of an expired or expired-reclaimed lease) in the global and the lease
 * subnet's cumulative-assigned-addresses; a plain renewal counts nothing. */
static void count_new(const alloc_req_t *req, const cfg_subnet4_t *s, bool fake, bool is_new)
{
	if (!fake && is_new && req->stats != NULL) {
		stats_inc(req->stats, STAT_CUMULATIVE_ASSIGNED_ADDRESSES);
		stats_subnet_inc(req->stats, s->id, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES);
	}
}

/* Try one address for this client in subnet @s. */
static int try_addr(const alloc_req_t *req, const cfg_subnet4_t *s, const cfg_pool_t *pool,
                    const cfg_host_t *host, uint32_t addr, bool fake, alloc_result_t *res,
                    bool *ret_done)
{
	lease4_t want;
	bool is_new = false;
	take_t t;
	int r;

	lease_fill(req, s, pool, host, addr, &want);
	if (!fake) {
		lease_context(req, s, NULL, &want);
	}
	r = take_addr(req, s, &want, fake, &is_new, &t);
	if (r < 0) {
		return r;
	}
	*ret_done = t == TAKE_OK;
	if (*ret_done) {
		count_new(req, s, fake, is_new);
		set_ok(res, &want, s, pool, host);
	}
	return 0;
}

/* Kea's allocateUnreservedLease4 with the iterative allocator: walk the
 * network's subnets and their allowed pools, asking the picker for candidates. */
/* Kea 2.2 SharedNetwork4::getPreferredSubnet(): among the members with the
 * same class guard as @selected, the last one (configuration order) whose
 * pools were used more recently than @selected's. The "last used" marks are
 * per worker (see allocator.h): with several workers the order can differ
 * from Kea's single process-wide view. */
static const cfg_subnet4_t *preferred_subnet(const alloc_req_t *req,
                                             const cfg_subnet4_t *selected)
{
	const cfg_shared_network_t *net = selected->network;
	const cfg_subnet4_t *pref = selected;

	if (net == NULL || req->allocator == NULL) {
		return selected;
	}
	uint64_t sel_last = allocator_subnet_last(req->allocator, req->cfg, selected);
	for (size_t i = 0; i < net->n_subnets; i++) {
		const cfg_subnet4_t *s = net->subnets[i];

		if (s->client_class == selected->client_class &&
		    allocator_subnet_last(req->allocator, req->cfg, s) > sel_last) {
			pref = s;
		}
	}
	return pref;
}

static int alloc_unreserved(const alloc_req_t *req, const cfg_subnet4_t *first, bool fake,
                            alloc_result_t *res)
{
	net_iter_t it;
	bool any_pool = false, any_allowed = false;
	uint64_t attempts = 0;

	allocator_bind(req->allocator, req->cfg);
	it = net_iter_init(req, preferred_subnet(req, first));
	for (const cfg_subnet4_t *s; (s = net_next(&it)) != NULL;) {
		const cfg_host_t *mine = alloc_host_for_subnet(req->cfg, s, &req->client);

		for (size_t pi = 0; pi < s->n_pools; pi++) {
			const cfg_pool_t *p = &s->pools[pi];
			uint64_t size = (uint64_t)p->last - p->first + 1;

			any_pool = true;
			if (!pool_allowed(p, req->classes)) {
				continue;
			}
			any_allowed = true;
			attempts += size;
			/* Kea's picker marks the subnet on every pick, success or
			 * not; marking once per pool visit keeps the same order.
			 * Only shared networks ever read the mark. */
			if (s->network != NULL) {
				allocator_subnet_touch(req->allocator, req->cfg, s);
			}
			if (allocator_pool_is_full(req->allocator, req->cfg, s, pi, req->now)) {
				continue;
			}
			allocator_walk_t walk;
			uint32_t seed = 0;
			bool random = s->allocator == CFG_ALLOC_RANDOM;

			if (random) {
				allocator_walk_init(&walk, p,
				                    req->rand_state != NULL ? req->rand_state
				                                            : &seed);
			}
			for (uint64_t n = 0; n < size; n++) {
				uint32_t a;
				bool done = false;
				int r;

				/* "flq" is served by the iterative picker. */
				if (random) {
					a = allocator_walk_next(&walk);
				} else if (req->allocator != NULL) {
					a = allocator_pick(req->allocator, req->cfg, s, pi);
				} else {
					a = p->first + (uint32_t)n;
				}
				if (reserved_for_other_oop(req->cfg, s, a, mine)) {
					continue;
				}
				r = try_addr(req, s, p, NULL, a, fake, res, &done);
				if (r < 0) {
					return r;
				}
				if (done) {
					return 0;
				}
			}
			allocator_pool_set_full(req->allocator, req->cfg, s, pi, req->now);
		}
	}
	res->status = ALLOC_FAIL;
	res->subnet = first;
	res->attempts = attempts;
	if (!any_pool) {
		res->fail_kind = STAT_V4_ALLOCATION_FAIL_NO_POOLS;
	} else if (!any_allowed) {
		res->fail_kind = STAT_V4_ALLOCATION_FAIL_CLASSES;
	} else if (first->network != NULL) {
		res->fail_kind = STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK;
	} else {
		res->fail_kind = STAT_V4_ALLOCATION_FAIL_SUBNET;
	}
	if (req->stats != NULL) {
		stats_inc(req->stats, STAT_V4_ALLOCATION_FAIL);
		stats_inc(req->stats, res->fail_kind);
		/* Kea 2.2 (ChangeLog 1993): also subnet[ID].v4-allocation-fail*,
		 * for the subnet the client was selected into */
		stats_subnet_inc(req->stats, first->id, STAT_SUBNET_V4_ALLOCATION_FAIL);
		stats_subnet_inc(req->stats, first->id, stats_subnet_of(res->fail_kind));
	}
	return 0;
}

/* Try the client's reserved address (Kea: hasAddressReservation branch). */
static int try_reserved(const alloc_req_t *req, const cfg_subnet4_t *first, bool fake,
                        alloc_result_t *res, bool *ret_done)
{
	const cfg_subnet4_t *rs = NULL;
	const cfg_host_t *h = find_addr_reservation(req, first, &rs);

	*ret_done = false;
	if (h == NULL) {
		return 0;
	}
	const cfg_pool_t *p = cfg_subnet_pool_of(rs, h->addr);
	int r = try_addr(req, rs, p, h, h->addr, fake, res, ret_done);
	/* Kea's discoverLease4 (ALLOC_ENGINE_V4_DISCOVER_ADDRESS_CONFLICT): the
	 * reserved address is leased to another client, so count
	 * v4-reservation-conflicts, global and for the subnet of that lease
	 * (the reservation's subnet holds the address). */
	if (r == 0 && fake && !*ret_done) {
		res->conflict_addr = h->addr; /* the caller logs the WARN */
	}
	if (r == 0 && fake && !*ret_done && req->stats != NULL) {
		stats_inc(req->stats, STAT_V4_RESERVATION_CONFLICTS);
		stats_subnet_inc(req->stats, rs->id, STAT_SUBNET_V4_RESERVATION_CONFLICTS);
	}
	return r;
}

/* Kea 2.2 updateLease4Information()'s "changed": a renewal that alters what
 * the lease records (or shortens it) is always written. */
static bool lease_changed(const lease4_t *old, const lease4_t *want)
{
	return old->subnet_id != want->subnet_id || old->htype != want->htype ||
	       old->hwaddr_len != want->hwaddr_len ||
	       memcmp(old->hwaddr, want->hwaddr, want->hwaddr_len) != 0 ||
	       old->client_id_len != want->client_id_len ||
	       memcmp(old->client_id, want->client_id, want->client_id_len) != 0 ||
	       old->fqdn_fwd != want->fqdn_fwd || old->fqdn_rev != want->fqdn_rev ||
	       strcmp(old->hostname, want->hostname) != 0 ||
	       strcmp(old->user_context, want->user_context) != 0 ||
	       want->valid_lft < old->valid_lft;
}

/* Kea 2.2 AllocEngine::setLeaseReusable(): the lifetime @old has left when
 * its renewal may skip the write (the lease cache), else 0. The age since
 * its last write must be within cache-max-age and within cache-threshold of
 * the new valid lifetime, whichever are configured; an infinite lease is
 * always reused (Kea checks that before the cache parameters). */
static uint32_t reusable_lft(const cfg_subnet4_t *s, const lease4_t *old, const lease4_t *want,
                             int64_t now)
{
	uint32_t max_age = 0;

	if (old->state != LEASE_STATE_DEFAULT) {
		return 0;
	}
	if (want->valid_lft == LEASE_LFT_INFINITE) {
		return LEASE_LFT_INFINITE;
	}
	if (old->cltt > now || now - old->cltt >= (int64_t)old->valid_lft) {
		return 0;
	}
	uint32_t age = (uint32_t)(now - old->cltt);
	if (s->has_cache_max_age) {
		max_age = s->cache_max_age;
		if (max_age == 0 || age > max_age) {
			return 0;
		}
	}
	if (s->has_cache_threshold) {
		max_age = (uint32_t)((double)want->valid_lft * s->cache_threshold);
		if (age > max_age) {
			return 0;
		}
	}
	return max_age == 0 ? 0 : old->valid_lft - age;
}

/* Renew (or, for a DISCOVER, re-offer) the client's existing lease. */
static int renew_lease(const alloc_req_t *req, const cfg_subnet4_t *s, const lease4_t *old,
                       const cfg_pool_t *pool, const cfg_host_t *host, bool fake,
                       alloc_result_t *res, bool *ret_done)
{
	lease4_t want;

	lease_fill(req, s, pool, host, old->addr, &want);
	lease_context(req, s, old->user_context, &want);
	/* Kea decides reuse for an OFFER too (it then sends what is left) */
	uint32_t reuse = lease_changed(old, &want) ? 0 : reusable_lft(s, old, &want, req->now);
	if (fake || reuse != 0) {
		set_ok(res, &want, s, pool, host);
		res->reuse_lft = reuse;
		*ret_done = true;
		return 0;
	}
	int r = lease_update(req->conn, old, &want);
	if (r == -ESTALE || r == -ENOENT) {
		/* Changed under us: take it the generic way (re-read, CAS again). */
		note_conflict(req);
		return try_addr(req, s, pool, host, old->addr, false, res, ret_done);
	}
	if (r < 0) {
		return r;
	}
	if (lease4_is_expired(old, req->now) || old->state == LEASE_STATE_EXPIRED_RECLAIMED) {
		count_new(req, s, false, true);
	}
	set_ok(res, &want, s, pool, host);
	*ret_done = true;
	return 0;
}

int alloc_discover(const alloc_req_t *req, alloc_result_t *ret_res)
{
	alloc_result_t res = {.status = ALLOC_FAIL};
	const cfg_subnet4_t *first = req->subnet, *ls = NULL;
	lease4_t client_lease;
	bool have_client = false, done = false;
	int r;

	r = find_client_lease(req, &client_lease, &ls);
	if (r < 0 && r != -ENOENT) {
		return r;
	}
	if (r == 0) {
		have_client = true;
		first = ls;
	}

	/* 1. The client's reserved address, unless leased to another client. */
	r = try_reserved(req, first, true, &res, &done);
	if (r < 0) {
		return r;
	}

	/* 2. The client's existing lease, when still in a pool it may use. */
	if (!done && have_client) {
		const cfg_pool_t *p = NULL;
		const cfg_subnet4_t *s = in_allowed_pool(req, first, client_lease.addr, &p);

		if (s != NULL &&
		    !reserved_for_other_oop(req->cfg, s, client_lease.addr,
		                        alloc_host_for_subnet(req->cfg, s, &req->client))) {
			r = renew_lease(req, s, &client_lease, p, NULL, true, &res, &done);
			if (r < 0) {
				return r;
			}
		}
	}

	/* 3. The hint (option 50, else ciaddr), if free and in an allowed pool. */
	if (!done && req->hint != 0) {
		const cfg_pool_t *p = NULL;
		const cfg_subnet4_t *s = in_allowed_pool(req, first, req->hint, &p);

		if (s != NULL &&
		    !reserved_for_other_oop(req->cfg, s, req->hint,
		                        alloc_host_for_subnet(req->cfg, s, &req->client))) {
			r = try_addr(req, s, p, NULL, req->hint, true, &res, &done);
			if (r < 0) {
				return r;
			}
		}
	}

	/* 4. The next free address from the pools. */
	if (!done) {
		r = alloc_unreserved(req, first, true, &res);
		if (r < 0) {
			return r;
		}
	}
	*ret_res = res;
	return 0;
}

/* RFC 2131 §4.3.2 INIT-REBOOT, with Kea's assignLease rules: an unknown client
 * is ignored unless the server is authoritative; a known client asking for
 * another address, or an unknown one when authoritative, gets a NAK. */
static int init_reboot_check(const alloc_req_t *req, alloc_result_t *res, bool *ret_stop)
{
	lease4_t l;
	const cfg_subnet4_t *ls = NULL;
	int r = find_client_lease(req, &l, &ls);

	if (r < 0 && r != -ENOENT) {
		return r;
	}
	bool known = r == 0;
	*ret_stop = true;
	if (!req->subnet->authoritative && !known) {
		res->status = ALLOC_IGNORE;
		return 0;
	}
	if ((known && l.addr != req->hint) || (!known && req->subnet->authoritative)) {
		res->status = ALLOC_NAK;
		return 0;
	}
	*ret_stop = false;
	return 0;
}

static void release_old(const alloc_req_t *req, const lease4_t *old, uint32_t new_addr)
{
	if (old->addr != new_addr) {
		/* Kea deletes the client's previous lease once it has a new one. */
		(void)lease_del(req->conn, old);
	}
}

static int request_addr(const alloc_req_t *req, const cfg_subnet4_t *first, uint32_t addr,
                        const cfg_host_t *host, bool have_client, const lease4_t *client_lease,
                        alloc_result_t *res)
{
	lease4_t cur;
	const cfg_pool_t *p = NULL;
	const cfg_subnet4_t *s;
	bool host_is_addr = host != NULL && host->addr == addr;
	bool done = false;
	int r;

	/* Leased to another client and not expired: NAK. */
	r = lease_get_by_addr(req->conn, addr, &cur);
	if (r < 0 && r != -ENOENT) {
		return r;
	}
	if (r == 0 && !lease4_is_expired(&cur, req->now) &&
	    !belongs_in(first, &cur, &req->client)) {
		res->status = ALLOC_NAK;
		return 0;
	}
	/* Reserved address free but the client asks for another one: NAK, so it
	 * goes back to DISCOVER and is offered the reservation. */
	if (host != NULL && host->addr != 0 && !host_is_addr) {
		r = lease_get_by_addr(req->conn, host->addr, &cur);
		if (r < 0 && r != -ENOENT) {
			return r;
		}
		if (r == -ENOENT || lease4_is_expired(&cur, req->now)) {
			res->status = ALLOC_NAK;
			return 0;
		}
	}
	s = in_allowed_pool(req, first, addr, &p);
	if (host_is_addr) {
		const cfg_subnet4_t *rs = NULL;

		(void)find_addr_reservation(req, first, &rs);
		s = rs != NULL ? rs : first;
		p = cfg_subnet_pool_of(s, addr);
	} else if (s == NULL) {
		/* Kea 2.2 ALLOC_ENGINE_V4_REQUEST_OUT_OF_POOL, then
		 * DHCP4_UNKNOWN_ADDRESS_REQUESTED: no lease and no NAK, inside
		 * the subnet or not (checked against Kea 2.2 here). */
		res->status = ALLOC_IGNORE;
		return 0;
	}
	if (have_client && client_lease->addr == addr) {
		r = renew_lease(req, s, client_lease, p, host_is_addr ? host : NULL, false, res,
		                &done);
	} else {
		r = try_addr(req, s, p, host_is_addr ? host : NULL, addr, false, res, &done);
	}
	if (r < 0) {
		return r;
	}
	if (!done) {
		res->status = ALLOC_NAK;
		return 0;
	}
	if (have_client) {
		release_old(req, client_lease, addr);
	}
	return 0;
}

int alloc_request(const alloc_req_t *req, bool init_reboot, alloc_result_t *ret_res)
{
	alloc_result_t res = {.status = ALLOC_FAIL};
	const cfg_subnet4_t *first = req->subnet, *ls = NULL, *hs = NULL;
	lease4_t client_lease;
	bool have_client = false, stop = false, done = false;
	int r;

	if (init_reboot) {
		r = init_reboot_check(req, &res, &stop);
		if (r < 0) {
			return r;
		}
		if (stop) {
			*ret_res = res;
			return 0;
		}
	}
	r = find_client_lease(req, &client_lease, &ls);
	if (r < 0 && r != -ENOENT) {
		return r;
	}
	if (r == 0) {
		have_client = true;
		first = ls;
	}
	const cfg_host_t *host = find_addr_reservation(req, first, &hs);
	uint32_t addr = req->hint;

	if (addr != 0) {
		const cfg_subnet4_t *as = first;
		for (net_iter_t it = net_iter_init(req, first); (as = net_next(&it)) != NULL;) {
			if (cfg_subnet4_contains(as, addr)) {
				break;
			}
		}
		if (reserved_for_other_oop(req->cfg, as != NULL ? as : first, addr, host)) {
			res.status = ALLOC_NAK;
			*ret_res = res;
			return 0;
		}
	} else if (host != NULL) {
		addr = host->addr;
	}

	if (addr != 0) {
		r = request_addr(req, first, addr, host, have_client, &client_lease, &res);
		if (r < 0) {
			return r;
		}
		*ret_res = res;
		return 0;
	}

	/* No address asked for: renew what the client has, else the next free one
	 * (Kea ACKs a REQUEST without option 50 and ciaddr this way). */
	if (have_client) {
		const cfg_pool_t *p = NULL;
		const cfg_subnet4_t *s = in_allowed_pool(req, first, client_lease.addr, &p);

		if (s != NULL) {
			r = renew_lease(req, s, &client_lease, p, NULL, false, &res, &done);
			if (r < 0) {
				return r;
			}
		}
	}
	if (!done) {
		r = alloc_unreserved(req, first, false, &res);
		if (r < 0) {
			return r;
		}
		if (res.status == ALLOC_OK && have_client) {
			release_old(req, &client_lease, res.lease.addr);
		}
	}
	*ret_res = res;
	return 0;
}

static void note_free(const alloc_req_t *req, uint32_t addr)
{
	const cfg_subnet4_t *s = req->subnet;

	for (size_t i = 0; i < s->n_pools; i++) {
		if (addr >= s->pools[i].first && addr <= s->pools[i].last) {
			allocator_pool_note_free(req->allocator, req->cfg, s, i);
		}
	}
}

int alloc_release(const alloc_req_t *req, uint32_t addr, alloc_done_t *ret_done,
                  lease4_t *ret_lease)
{
	lease4_t cur, next;

	*ret_done = ALLOC_NOT_FOUND;
	for (int attempt = 0; attempt < ALLOC_CAS_RETRIES; attempt++) {
		int r = lease_get_by_addr(req->conn, addr, &cur);

		if (r == -ENOENT) {
			return 0;
		}
		if (r < 0) {
			return r;
		}
		*ret_lease = cur;
		const cfg_subnet4_t *s = cfg_subnet_by_id(req->cfg, cur.subnet_id);
		bool mine = s != NULL ? belongs_in(s, &cur, &req->client)
		                      : alloc_lease_belongs_to(&cur, &req->client);
		if (!mine || cur.state != LEASE_STATE_DEFAULT) {
			*ret_done = ALLOC_WRONG_CLIENT; /* Kea: DHCP4_RELEASE_FAIL_WRONG_CLIENT */
			return 0;
		}
		if (req->cfg->expired.flush_reclaimed_timer_wait_time != 0 &&
		    req->cfg->expired.hold_reclaimed_time != 0 &&
		    cur.valid_lft != LEASE_LFT_INFINITE) {
			/* Expire in place: the row stays, the address is free at once. */
			next = cur;
			next.valid_lft = 0;
			next.cltt = MIN(cur.cltt, req->now - 1);
			r = lease_update(req->conn, &cur, &next);
		} else {
			r = lease_del(req->conn, &cur);
		}
		if (r == -ESTALE || r == -ENOENT) {
			continue;
		}
		if (r < 0) {
			return r;
		}
		if (req->subnet != NULL) {
			note_free(req, addr);
		}
		*ret_done = ALLOC_DONE;
		return 0;
	}
	return 0;
}

int alloc_decline(const alloc_req_t *req, uint32_t addr, alloc_done_t *ret_done,
                  lease4_t *ret_lease)
{
	lease4_t cur, next;

	*ret_done = ALLOC_NOT_FOUND;
	for (int attempt = 0; attempt < ALLOC_CAS_RETRIES; attempt++) {
		int r = lease_get_by_addr(req->conn, addr, &cur);

		if (r == -ENOENT) {
			return 0; /* Kea: DHCP4_DECLINE_LEASE_NOT_FOUND */
		}
		if (r < 0) {
			return r;
		}
		*ret_lease = cur;
		const cfg_subnet4_t *s = cfg_subnet_by_id(req->cfg, cur.subnet_id);
		bool mine = s != NULL ? belongs_in(s, &cur, &req->client)
		                      : alloc_lease_belongs_to(&cur, &req->client);
		if (!mine) {
			*ret_done = ALLOC_WRONG_CLIENT; /* Kea: DHCP4_DECLINE_LEASE_MISMATCH */
			return 0;
		}
		/* Kea declineLease(): state declined, identity wiped, held for the
		 * probation period. */
		next = cur;
		next.state = LEASE_STATE_DECLINED;
		next.hwaddr_len = 0;
		memset(next.hwaddr, 0, sizeof(next.hwaddr));
		next.client_id_len = 0;
		memset(next.client_id, 0, sizeof(next.client_id));
		next.hostname[0] = '\0';
		next.fqdn_fwd = false;
		next.fqdn_rev = false;
		next.cltt = req->now;
		next.valid_lft = req->cfg->decline_probation_period;
		r = lease_update(req->conn, &cur, &next);
		if (r == -ESTALE || r == -ENOENT) {
			continue;
		}
		if (r < 0) {
			return r;
		}
		if (req->stats != NULL) {
			stats_inc(req->stats, STAT_DECLINED_ADDRESSES);
		}
		*ret_done = ALLOC_DONE;
		return 0;
	}
	return 0;
}

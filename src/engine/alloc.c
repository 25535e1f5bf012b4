/* Allocation engine, modelled on Kea 2.2's AllocEngine (discoverLease4,
 * requestLease4, findClientLease) and Dhcpv4Srv::assignLease / processRelease /
 * processDecline (RELEASE and DECLINE are in alloc-release.c, reservation and
 * owner matching in alloc-host.c, lifetimes in alloc-lft.c, the shared-network
 * walk in alloc-net.c). RFC 2131 §4.3 gives the message semantics; Kea's choices are
 * followed where the RFC leaves room (they are what clients in the field see). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/alloc-int.h"
#include "cfg/subnet.h"
#include "engine/extinfo.h"
#include "util/inaddr.h"
#include "util/log.h"

/* Kea's findClientLease(): by client-id across the network, then by hwaddr.
 * A released lease (expired in place, valid lifetime 0) is not the client's
 * any more: Kea 2.2 deleted it, so the client gets a fresh address. */
/* find_client_lease() when the network has one subnet to look in and the
 * client both identifiers (the usual case): the store answers both lookups at
 * once (one round trip to a database instead of two). -EOPNOTSUPP when this
 * does not apply. */
static int find_client_lease_one(const alloc_req_t *req, lease4_t *ret_lease,
                                 const cfg_subnet4_t **ret_subnet)
{
	const alloc_client_t *c = &req->client;
	net_iter_t it = alloc_net_iter(req, req->subnet);
	const cfg_subnet4_t *s = alloc_net_next(&it);
	lease4_t by_hw;
	int r_cid, r_hw;

	if (s == NULL || alloc_net_next(&it) != NULL || c->client_id == NULL ||
	    !s->match_client_id || c->hwaddr_len == 0) {
		return -EOPNOTSUPP;
	}
	/* the hint's lease, read in the same round trip, answers the
	 * requested-address checks that follow */
	int r = lease_get_by_client(req->conn, s->id, c->client_id, c->client_id_len, c->hwaddr,
	                            c->hwaddr_len, req->hint, ret_lease, &r_cid, &by_hw, &r_hw);
	if (r < 0) {
		return r;
	}
	if (r_cid == 0 && ret_lease->valid_lft != 0) {
		*ret_subnet = s;
		return 0;
	}
	if (r_hw == 0 && by_hw.valid_lft != 0 && alloc_host_belongs_in(s, &by_hw, c)) {
		*ret_lease = by_hw;
		*ret_subnet = s;
		return 0;
	}
	return -ENOENT;
}

static int find_client_lease(const alloc_req_t *req, lease4_t *ret_lease,
                             const cfg_subnet4_t **ret_subnet)
{
	const alloc_client_t *c = &req->client;
	net_iter_t it;
	int r = find_client_lease_one(req, ret_lease, ret_subnet);

	if (r != -EOPNOTSUPP) {
		return r;
	}

	if (c->client_id != NULL) {
		it = alloc_net_iter(req, req->subnet);
		for (const cfg_subnet4_t *s; (s = alloc_net_next(&it)) != NULL;) {
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
	it = alloc_net_iter(req, req->subnet);
	for (const cfg_subnet4_t *s; (s = alloc_net_next(&it)) != NULL;) {
		r = lease_get_by_hwaddr(req->conn, s->id, c->hwaddr, c->hwaddr_len, ret_lease);
		if (r == 0 && ret_lease->valid_lft != 0 && alloc_host_belongs_in(s, ret_lease, c)) {
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
	net_iter_t it = alloc_net_iter(req, first);

	for (const cfg_subnet4_t *s; (s = alloc_net_next(&it)) != NULL;) {
		const cfg_host_t *h = alloc_host_for_subnet(req->cfg, req->hosts, s, &req->client);

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
		const cfg_host_t *nh =
		        host != NULL ? host : alloc_host_for_subnet(req->cfg, req->hosts, s, c);

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
		if (r == -EBADMSG) {
			*ret_take = TAKE_BUSY; /* an unreadable row holds it */
			return 0;
		}
		if (r < 0) {
			return r;
		}
		bool mine = alloc_host_belongs_in(s, &cur, &req->client) && cur.state == LEASE_STATE_DEFAULT;
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
	it = alloc_net_iter(req, preferred_subnet(req, first));
	for (const cfg_subnet4_t *s; (s = alloc_net_next(&it)) != NULL;) {
		const cfg_host_t *mine = alloc_host_for_subnet(req->cfg, req->hosts, s, &req->client);

		for (size_t pi = 0; pi < s->n_pools; pi++) {
			const cfg_pool_t *p = &s->pools[pi];
			uint64_t size = (uint64_t)p->last - p->first + 1;

			any_pool = true;
			if (!alloc_net_pool_allowed(p, req->classes)) {
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
				if (alloc_host_reserved_oop(req->cfg, req->hosts, s, a, mine)) {
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

/* Renew (or, for a DISCOVER, re-offer) the client's existing lease. */
static int renew_lease(const alloc_req_t *req, const cfg_subnet4_t *s, const lease4_t *old,
                       const cfg_pool_t *pool, const cfg_host_t *host, bool fake,
                       alloc_result_t *res, bool *ret_done)
{
	lease4_t want;

	lease_fill(req, s, pool, host, old->addr, &want);
	lease_context(req, s, old->user_context, &want);
	/* Kea decides reuse for an OFFER too (it then sends what is left) */
	uint32_t reuse = alloc_lft_changed(old, &want) ? 0 : alloc_lft_reusable(s, old, &want, req->now);
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
		const cfg_subnet4_t *s = alloc_net_in_allowed_pool(req, first, client_lease.addr, &p);

		if (s != NULL &&
		    !alloc_host_reserved_oop(req->cfg, req->hosts, s, client_lease.addr,
		                             alloc_host_for_subnet(req->cfg, req->hosts, s,
		                                                   &req->client))) {
			r = renew_lease(req, s, &client_lease, p, NULL, true, &res, &done);
			if (r < 0) {
				return r;
			}
		}
	}

	/* 3. The hint (option 50, else ciaddr), if free and in an allowed pool. */
	if (!done && req->hint != 0) {
		const cfg_pool_t *p = NULL;
		const cfg_subnet4_t *s = alloc_net_in_allowed_pool(req, first, req->hint, &p);

		if (s != NULL &&
		    !alloc_host_reserved_oop(req->cfg, req->hosts, s, req->hint,
		                             alloc_host_for_subnet(req->cfg, req->hosts, s,
		                                                   &req->client))) {
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

	/* Leased to another client and not expired, or held by a row we cannot
	 * read: NAK. */
	r = lease_get_by_addr(req->conn, addr, &cur);
	if (r == -EBADMSG) {
		res->status = ALLOC_NAK;
		return 0;
	}
	if (r < 0 && r != -ENOENT) {
		return r;
	}
	if (r == 0 && !lease4_is_expired(&cur, req->now) &&
	    !alloc_host_belongs_in(first, &cur, &req->client)) {
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
	s = alloc_net_in_allowed_pool(req, first, addr, &p);
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
		for (net_iter_t it = alloc_net_iter(req, first); (as = alloc_net_next(&it)) != NULL;) {
			if (cfg_subnet4_contains(as, addr)) {
				break;
			}
		}
		if (alloc_host_reserved_oop(req->cfg, req->hosts, as != NULL ? as : first, addr, host)) {
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
		const cfg_subnet4_t *s = alloc_net_in_allowed_pool(req, first, client_lease.addr, &p);

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

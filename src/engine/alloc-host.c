/* Who a lease and a reservation belong to (Kea 2.2's client matching by
 * client-id / hwaddr with match-client-id, and its reservation lookups by
 * host-reservation-identifiers). */
#include <errno.h>
#include <string.h>

#include "engine/alloc-int.h"
#include "cfg/subnet.h"

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

bool alloc_host_belongs_in(const cfg_subnet4_t *s, const lease4_t *l, const alloc_client_t *c)
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

/* Reservations to look at: the configuration's, or a hosts database's. */
static bool any_hosts(const cfg_t *cfg, const hostdb_conn_t *db)
{
	return cfg->n_hosts > 0 || (cfg->hosts_db_lookup && db != NULL);
}

/* Kea's HostMgr::get4(): for each identifier in host-reservation-identifiers
 * order, the configuration file first, then the hosts databases. */
const cfg_host_t *alloc_host_find(const cfg_t *cfg, hostdb_conn_t *db, uint32_t subnet_id,
                                  const alloc_client_t *c)
{
	if (!any_hosts(cfg, db)) {
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_host_ids; i++) {
		const uint8_t *id;
		size_t len;

		if (!host_id_of(c, cfg->host_ids[i], &id, &len)) {
			continue;
		}
		const cfg_host_t *h = cfg_host_find(cfg, subnet_id, cfg->host_ids[i], id, len);
		if (h == NULL && cfg->hosts_db_lookup && db != NULL) {
			h = hostdb_get(db, cfg, subnet_id, cfg->host_ids[i], id, len);
		}
		if (h != NULL) {
			return h;
		}
	}
	return NULL;
}

const cfg_host_t *alloc_host_for_subnet(const cfg_t *cfg, hostdb_conn_t *db,
                                        const cfg_subnet4_t *s, const alloc_client_t *c)
{
	const cfg_host_t *h = NULL;

	if (s->reservations_in_subnet) {
		h = alloc_host_find(cfg, db, s->id, c);
	}
	if (h == NULL && s->reservations_global) {
		h = alloc_host_find(cfg, db, 0, c);
	}
	return h;
}

static const cfg_host_t *host_by_addr(const cfg_t *cfg, hostdb_conn_t *db, uint32_t subnet_id,
                                      uint32_t addr)
{
	const cfg_host_t *h = cfg_host_find_by_addr(cfg, subnet_id, addr);

	if (h == NULL && cfg->hosts_db_lookup && db != NULL) {
		h = hostdb_get_by_addr(db, cfg, subnet_id, addr);
	}
	return h;
}

/* Kea's addressReserved(): @addr is reserved in @s for a host other than
 * @mine. A failed database lookup counts as reserved, so that nothing is
 * allocated on it (the packet is dropped: hostdb_conn_failed()). */
static bool reserved_for_other(const cfg_t *cfg, hostdb_conn_t *db, const cfg_subnet4_t *s,
                               uint32_t addr, const cfg_host_t *mine)
{
	const cfg_host_t *h = NULL;

	if (!any_hosts(cfg, db)) {
		return false;
	}
	if (s->reservations_in_subnet) {
		h = host_by_addr(cfg, db, s->id, addr);
	}
	if (h == NULL && s->reservations_global) {
		h = host_by_addr(cfg, db, 0, addr);
	}
	return (h != NULL && h != mine) || hostdb_conn_failed(db);
}

/* Kea 2.2 addressReserved(): with reservations-out-of-pool the server assumes
 * no reservation lies inside a pool, so an in-pool address is never treated
 * as reserved (it is handed out dynamically like any other). */
bool alloc_host_reserved_oop(const cfg_t *cfg, hostdb_conn_t *db, const cfg_subnet4_t *s,
                             uint32_t addr, const cfg_host_t *mine)
{
	if (s->reservations_out_of_pool && cfg_subnet_pool_of(s, addr) != NULL) {
		return false;
	}
	return reserved_for_other(cfg, db, s, addr, mine);
}

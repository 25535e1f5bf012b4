/* RELEASE and DECLINE (Kea 2.2 Dhcpv4Srv::processRelease / processDecline
 * and the declined-lease probation). */
#include <errno.h>
#include <string.h>

#include "engine/alloc-int.h"
#include "cfg/subnet.h"
#include "engine/extinfo.h"
#include "util/inaddr.h"
#include "util/log.h"

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
		bool mine = s != NULL ? alloc_host_belongs_in(s, &cur, &req->client)
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
		bool mine = s != NULL ? alloc_host_belongs_in(s, &cur, &req->client)
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


/* One handler per message type (Kea 2.2 processDiscover, processRequest,
 * processRelease, processDecline, processInform). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/dhcp4-int.h"
#include "dhcp/proto.h"
#include "engine/alloc.h"
#include "engine/classify.h"
#include "engine/names.h"
#include "engine/reply.h"
#include "util/hex.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/wire.h"

static alloc_req_t make_req(const exch_t *x)
{
	const pkt4_t *p = x->pkt;
	uint32_t hint = 0, lft = 0;
	alloc_req_t req = {
	        .cfg = x->ctx->cfg,
	        .conn = x->ctx->conn,
	        .hosts = x->ctx->hosts,
	        .stats = x->ctx->stats,
	        .allocator = x->ctx->allocator,
	        .rand_state = &x->ctx->rand_state,
	        .now = x->ctx->now,
	        .subnet = x->subnet,
	        .classes = &x->classes,
	        .client = x->client,
	};
	const opt_view_t *o;

	req.names = &x->names;
	if (x->agent != NULL) {
		req.rai = pkt4_opt(p, DHO_DHCP_AGENT_OPTIONS);
	}
	if (dhcp4_opt_addr(p, DHO_DHCP_REQUESTED_ADDRESS, &hint)) {
		req.hint = hint;
	} else {
		req.hint = p->ciaddr;
	}
	o = pkt4_opt(p, DHO_DHCP_LEASE_TIME);
	if (o != NULL && o->len == 4) {
		lft = be32_load(o->data);
		req.has_lft_hint = true;
		req.lft_hint = lft;
	}
	return req;
}

static void required_classes(exch_t *x, const cfg_subnet4_t *s, const cfg_pool_t *pool)
{
	classify_required(x->ctx->cfg, &x->ec, &x->classes, s, pool);
}

/* The OFFER or ACK for an allocated lease; the required classes are
 * evaluated first (Kea: after the lease is known, before the options). */
static int send_lease(exch_t *x, uint8_t msg_type, const alloc_result_t *res, dhcp4_tx_t *tx,
                      verdict_t *ret_verdict)
{
	required_classes(x, res->subnet, res->pool);
	reply_in_t in = {
	        .msg_type = msg_type,
	        .subnet = res->subnet,
	        .pool = res->pool,
	        .host = res->host != NULL ? res->host : x->host,
	        .name_host = res->host != NULL ? res->host
	                                       : alloc_host_for_subnet(x->ctx->cfg, x->ctx->hosts,
	                                                               res->subnet, &x->client),
	        .lease = &res->lease,
	        .reuse_lft = res->reuse_lft,
	        .ciaddr = msg_type == DHCPACK ? x->pkt->ciaddr : 0,
	};
	return dhcp4_send_reply(x, &in, tx, ret_verdict);
}

int dhcp4_msg_discover(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	alloc_req_t req;
	alloc_result_t res;
	int r;

	if (pkt4_opt(x->pkt, DHO_DHCP_SERVER_IDENTIFIER) != NULL) {
		/* Kea sanityCheck(FORBIDDEN), RFC 2131 table 5: a DISCOVER
		 * carries no server identifier, even our own. */
		return dhcp4_drop(x, ret_verdict);
	}
	if (x->subnet == NULL) {
		/* Kea: no OFFER, and not counted as a receive drop. */
		log_debug(LOGGER_PACKETS, LOG_DBG_BASIC, "DHCP4_SUBNET_SELECTION_FAILED",
		          "failed to select subnet for the client");
		dhcp4_log_no_subnet_nak(x);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	req = make_req(x);
	r = alloc_discover(&req, &res);
	if (r < 0) {
		return r;
	}
	if (res.conflict_addr != 0) {
		dhcp4_log_discover_conflict(x, &req, res.conflict_addr);
	}
	if (res.status != ALLOC_OK) {
		/* RFC 2131 §4.3.1 lets a server stay silent; Kea does. */
		dhcp4_log_alloc_fail(x, &res);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	dhcp4_log_lease(x, "DHCP4_LEASE_ADVERT", &res.lease, res.reuse_lft);
	return send_lease(x, DHCPOFFER, &res, tx, ret_verdict);
}

static int send_nak(exch_t *x, const cfg_subnet4_t *s, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	reply_in_t in = {
	        .msg_type = DHCPNAK,
	        .subnet = s,
	};

	return dhcp4_send_reply(x, &in, tx, ret_verdict);
}

int dhcp4_msg_request(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	/* RFC 2131 §4.3.2: option 50 without option 54 is INIT-REBOOT. */
	bool init_reboot = pkt4_opt(x->pkt, DHO_DHCP_REQUESTED_ADDRESS) != NULL &&
	                   pkt4_opt(x->pkt, DHO_DHCP_SERVER_IDENTIFIER) == NULL;
	alloc_req_t req;
	alloc_result_t res;
	int r;

	if (x->subnet == NULL) {
		/* Kea 2.2 assignLease(): DHCP4_PACKET_NAK_0001 and a NAK, for an
		 * INIT-REBOOT too and whatever "authoritative" says (checked
		 * against Kea 2.2 with authoritative false). */
		dhcp4_log_no_subnet_nak(x);
		return send_nak(x, NULL, tx, ret_verdict);
	}
	req = make_req(x);
	if (init_reboot && log_enabled(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		char label[LABEL_MAX], a[INADDR_STRLEN];

		log_info(LOGGER_LEASES, "DHCP4_INIT_REBOOT",
		         "%s: client is in INIT-REBOOT state and requests address %s",
		         dhcp4_log_label(x, label), inaddr_fmt(req.hint, a));
	}
	r = alloc_request(&req, init_reboot, &res);
	if (r < 0) {
		return r;
	}
	switch (res.status) {
	case ALLOC_OK:
		dhcp4_log_lease(x, "DHCP4_LEASE_ALLOC", &res.lease, res.reuse_lft);
		break;
	case ALLOC_FAIL:
		dhcp4_log_alloc_fail(x, &res);
		return send_nak(x, x->subnet, tx, ret_verdict);
	case ALLOC_IGNORE:
		log_debug(LOGGER_PACKETS, LOG_DBG_BASIC, "DHCP4_UNKNOWN_ADDRESS_REQUESTED",
		          "client requested an unknown address, client sent ciaddr/option 50");
		*ret_verdict = VERDICT_DROP;
		return 0;
	default:
		return send_nak(x, x->subnet, tx, ret_verdict);
	}
	return send_lease(x, DHCPACK, &res, tx, ret_verdict);
}

int dhcp4_msg_release(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	alloc_req_t req = make_req(x);
	alloc_done_t done;
	lease4_t l;
	char label[LABEL_MAX], a[INADDR_STRLEN];
	int r = alloc_release(&req, x->pkt->ciaddr, &done, &l);

	*ret_verdict = VERDICT_DROP; /* RFC 2131 §4.3.4: no reply */
	if (r < 0) {
		return r;
	}
	if (done == ALLOC_DONE) {
		tx->ha_addr = x->pkt->ciaddr;   /* the HA partner must hear of it */
	}
	if (done == ALLOC_DONE && log_enabled(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		log_info(LOGGER_LEASES, "DHCP4_RELEASE", "%s: address %s was released properly.",
		         dhcp4_log_label(x, label), inaddr_fmt(x->pkt->ciaddr, a));
	} else if (done == ALLOC_WRONG_CLIENT &&
	           log_enabled(LOGGER_LEASES, LOG_SEV_DEBUG, LOG_DBG_DETAIL)) {
		log_emit(LOGGER_LEASES, LOG_SEV_DEBUG, LOG_DBG_DETAIL,
		         "DHCP4_RELEASE_FAIL_WRONG_CLIENT",
		         "%s: client is trying to release the lease %s which belongs to a "
		         "different client",
		         dhcp4_log_label(x, label), inaddr_fmt(x->pkt->ciaddr, a));
	}
	return 0;
}

static void log_decline_mismatch(const exch_t *x, uint32_t addr, const lease4_t *l)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];
	char rhw[3 * DHCP_HWADDR_MAX + 8], lhw[3 * DHCP_HWADDR_MAX + 8];
	char rcid[3 * DHCP_OPT_LEN_MAX + 8], lcid[3 * DHCP_OPT_LEN_MAX + 8];
	const alloc_client_t *c = &x->client;

	if (!log_enabled(LOGGER_DHCP4, LOG_SEV_WARN, 0)) {
		return;
	}
	strcpy(rhw, "(none)");
	strcpy(lhw, "(none)");
	strcpy(rcid, "(none)");
	strcpy(lcid, "(none)");
	if (c->hwaddr_len > 0) {
		hex_fmt(c->hwaddr, c->hwaddr_len, ':', rhw);
	}
	if (l->hwaddr_len > 0) {
		hex_fmt(l->hwaddr, l->hwaddr_len, ':', lhw);
	}
	if (c->client_id != NULL) {
		hex_fmt(c->client_id, c->client_id_len, ':', rcid);
	}
	if (l->client_id_len > 0) {
		hex_fmt(l->client_id, l->client_id_len, ':', lcid);
	}
	log_warn(LOGGER_DHCP4, "DHCP4_DECLINE_LEASE_MISMATCH",
	         "Received DHCPDECLINE for addr %s from client %s, but the data doesn't match: "
	         "received hwaddr: %s, lease hwaddr: %s, received client-id: %s, lease client-id: "
	         "%s",
	         inaddr_fmt(addr, a), dhcp4_log_label(x, label), rhw, lhw, rcid, lcid);
}

int dhcp4_msg_decline(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	uint32_t addr;
	alloc_done_t done;
	lease4_t l;
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!dhcp4_opt_addr(x->pkt, DHO_DHCP_REQUESTED_ADDRESS, &addr)) {
		/* RFC 2131 §4.3.3: the declined address travels in option 50. */
		char what[LABEL_MAX + 80];

		snprintf(what, sizeof(what),
		         "Mandatory 'Requested IP address' option missing in DHCPDECLINE sent from %s",
		         dhcp4_log_label(x, label));
		dhcp4_log_process_fail(x, "", what);
		return dhcp4_drop(x, ret_verdict);
	}
	alloc_req_t req = make_req(x);
	int r = alloc_decline(&req, addr, &done, &l);

	*ret_verdict = VERDICT_DROP;
	if (r < 0) {
		return r;
	}
	if (done == ALLOC_DONE) {
		tx->ha_addr = addr;
	}
	if (done == ALLOC_DONE && log_enabled(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		log_info(LOGGER_LEASES, "DHCP4_DECLINE_LEASE",
		         "Received DHCPDECLINE for addr %s from client %s. The lease will be "
		         "unavailable for %u seconds.",
		         inaddr_fmt(addr, a), dhcp4_log_label(x, label),
		         x->ctx->cfg->decline_probation_period);
	} else if (done == ALLOC_WRONG_CLIENT) {
		log_decline_mismatch(x, addr, &l);
	} else if (done == ALLOC_NOT_FOUND && log_enabled(LOGGER_DHCP4, LOG_SEV_WARN, 0)) {
		log_warn(LOGGER_DHCP4, "DHCP4_DECLINE_LEASE_NOT_FOUND",
		         "Received DHCPDECLINE for addr %s from client %s, but no such lease found.",
		         inaddr_fmt(addr, a), dhcp4_log_label(x, label));
	}
	return 0;
}

int dhcp4_msg_inform(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	required_classes(x, x->subnet, NULL);
	reply_in_t in = {
	        .msg_type = DHCPACK,
	        .inform = true,
	        .subnet = x->subnet,
	        .host = x->host,
	        .ciaddr = x->pkt->ciaddr,
	};
	return dhcp4_send_reply(x, &in, tx, ret_verdict);
}

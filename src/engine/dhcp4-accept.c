/* Whether a received packet is processed at all (Kea 2.2 unpack option checks,
 * acceptDirectRequest, acceptMessageType, acceptServerId, sanityCheck). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/dhcp4-int.h"
#include "cfg/subnet.h"
#include "dhcp/proto.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/wire.h"

/* ---- validation ---- */

/* Option-level checks that fail Kea's unpack (counted as parse-failed, not
 * by message type): empty 55, a short 57, an empty 53, a malformed option
 * 81. Logs Kea's line. */
bool dhcp4_accept_options_parse(exch_t *x)
{
	const pkt4_t *pkt = x->pkt;
	const opt_view_t *o;

	o = pkt4_opt(pkt, DHO_DHCP_PARAMETER_REQUEST_LIST);
	if (o != NULL && o->len == 0) {
		dhcp4_log_parse_fail(x, "option 55 empty");
		return false;
	}
	o = pkt4_opt(pkt, DHO_DHCP_MAX_MESSAGE_SIZE);
	if (o != NULL && o->len < 2) {
		dhcp4_log_parse_fail(x, "OptionInt 57 truncated");
		return false;
	}
	o = &pkt->opts[DHO_DHCP_MESSAGE_TYPE];
	if (o->count == 1 && o->len == 0) {
		dhcp4_log_parse_fail(x, "OptionInt 53 truncated");
		return false;
	}
	const char *what = NULL;
	if (names_query_parse(pkt, &x->names, &what) < 0) {
		dhcp4_log_parse_fail(x, what);
		return false;
	}
	return true;
}

/* Checks Kea makes once the packet is counted by its type (pkt4-receive-drop
 * only, checked against Kea 2.2's statistics): a client-id shorter than 2
 * bytes, option 53 twice (even with the same value). Logs Kea's line. */
bool dhcp4_accept_options_sane(const exch_t *x)
{
	const pkt4_t *pkt = x->pkt;
	const opt_view_t *o;

	o = pkt4_opt(pkt, DHO_DHCP_CLIENT_IDENTIFIER);
	if (o != NULL && o->len < 2) {
		char what[64];

		snprintf(what, sizeof(what), "client-id is too short (%u), at least 2 is required",
		         o->len);
		dhcp4_log_process_fail(x, " (malformed client-id)",
		                 o->len == 0 ? "Empty DUIDs are not allowed" : what);
		return false;
	}
	o = &pkt->opts[DHO_DHCP_MESSAGE_TYPE];
	if (o->count > 1) {
		char label[LABEL_MAX];

		dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0004", LOG_DBG_TRACE,
		         "%s, from interface %s: missing msg-type option", dhcp4_log_label(x, label),
		         x->rx->ifname);
		return false;
	}
	return true;
}

/* Kea acceptDirectRequest(): relayed and unicast traffic is accepted; a
 * broadcast from a directly connected client only if a subnet exists for it;
 * an INFORM with neither ciaddr nor a source address has nowhere to go. */
bool dhcp4_accept_direct(const exch_t *x)
{
	const cfg_t *cfg = x->ctx->cfg;

	if (x->relayed) {
		return true;
	}
	if (x->type == DHCPINFORM && x->rx->src_addr == 0 && x->pkt->ciaddr == 0) {
		return false;
	}
	if (!x->broadcast_rx) {
		return true;
	}
	subnet_sel_t sel = {
	        .ciaddr = x->pkt->ciaddr,
	        .src_addr = x->rx->src_addr,
	        .from_broadcast = true,
	        .ifname = x->rx->ifname[0] != '\0' ? x->rx->ifname : NULL,
	        .iface_addr = x->rx->iface_addr,
	        .classes = &x->classes,
	};
	if (subnet_select(cfg, &sel) != NULL) {
		return true;
	}
	if (log_enabled(LOGGER_BAD_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE)) {
		char label[LABEL_MAX];

		log_debug(LOGGER_BAD_PACKETS, LOG_DBG_TRACE, "DHCP4_PACKET_DROP_0002",
		          "%s, from interface %s: no suitable subnet configured for a direct client",
		          dhcp4_log_label(x, label), x->rx->ifname);
	}
	return false;
}

/* Kea acceptMessageType(): only the five client messages a server handles. */
bool dhcp4_accept_type(int type)
{
	return type == DHCPDISCOVER || type == DHCPREQUEST || type == DHCPDECLINE ||
	       type == DHCPRELEASE || type == DHCPINFORM;
}

static bool optset_has_server_id(const cfg_optset_t *set, uint32_t id)
{
	const cfg_option_t *o = cfg_optset_find(set, DHO_DHCP_SERVER_IDENTIFIER);

	return o != NULL && o->len == 4 && be32_load(o->data) == id;
}

/* Whether @id is configured as dhcp-server-identifier anywhere. */
static bool server_id_configured(const cfg_t *cfg, uint32_t id)
{
	if ((cfg->has_server_id && cfg->server_id == id) || optset_has_server_id(&cfg->opts, id)) {
		return true;
	}
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[i];

		if ((s->has_server_id && s->server_id == id) ||
		    optset_has_server_id(&s->opts, id)) {
			return true;
		}
	}
	for (size_t i = 0; i < cfg->n_networks; i++) {
		if (optset_has_server_id(&cfg->networks[i].opts, id)) {
			return true;
		}
	}
	for (size_t i = 0; i < cfg->n_classes; i++) {
		if (optset_has_server_id(&cfg->classes[i].opts, id)) {
			return true;
		}
	}
	return false;
}

/* Kea acceptServerId(): a packet naming a server identifier is ours only if
 * it names RAI server-id-override (RFC 5107 §4), one of our socket
 * addresses, or a configured option 54. */
bool dhcp4_accept_server_id(const exch_t *x)
{
	const opt_view_t *o = pkt4_opt(x->pkt, DHO_DHCP_SERVER_IDENTIFIER);
	uint32_t id, ovr;

	if (o == NULL) {
		return true;
	}
	if (o->len != 4) {
		return false;
	}
	id = be32_load(o->data);
	if (x->agent != NULL && agent_server_id_override(x->agent, &ovr) == 0 && ovr == id) {
		return true;
	}
	if (id != 0 && (id == x->rx->dst_addr || id == x->rx->iface_addr)) {
		return true;
	}
	return server_id_configured(x->ctx->cfg, id);
}

/* Kea sanityCheck(): a client needs a hardware address or a client-id. */
bool dhcp4_accept_identity(const exch_t *x)
{
	return x->client.hwaddr_len > 0 || x->client.client_id != NULL;
}

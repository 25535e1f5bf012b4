/* Per-packet pipeline (Kea 2.2 Dhcpv4Srv::processPacket and the process*
 * functions): parse -> accept (direct, message type, server id, sanity) ->
 * classify -> select subnet -> host lookup -> classify (known) -> allocate ->
 * required classes -> reply -> where to send it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/dhcp4.h"
#include "cfg/subnet.h"
#include "dhcp/agent.h"
#include "dhcp/pkt4-dump.h"
#include "dhcp/proto.h"
#include "engine/alloc.h"
#include "engine/classify.h"
#include "engine/names.h"
#include "engine/reply.h"
#include "ha/ha-fsm.h"
#include "ha/ha-lb.h"
#include "util/hex.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/wire.h"

#define INADDR_BCAST 0xffffffffu

/* Offsets into a built reply for the fields INFORM rewrites after the build. */
#define OFF_HOPS 3
#define OFF_FLAGS 10
#define OFF_GIADDR 24

/* Everything known about one packet while it is processed. */
typedef struct exch {
	dhcp4_ctx_t *ctx;
	const dhcp4_rx_t *rx;
	pkt4_t *pkt;
	int type;
	agent_t *agent;       /* NULL when no (valid) option 82 */
	bool relayed;         /* giaddr != 0 (Kea Pkt4::isRelayed) */
	bool broadcast_rx;    /* sent to 255.255.255.255 */
	uint32_t socket_addr; /* our address on the receiving socket */
	class_set_t classes;
	class_eval_ctx_t ec;
	const cfg_subnet4_t *subnet;
	const cfg_host_t *host;
	alloc_client_t client;
	uint8_t zero_hw[DHCP_HWADDR_MAX];
	names_query_t names; /* options 81 / 12 as parsed */
	names_t reply_names; /* what the reply carries (names_decide) */
} exch_t;

static int drop(exch_t *x, verdict_t *ret_verdict)
{
	stats_inc(x->ctx->stats, STAT_PKT4_RECEIVE_DROP);
	*ret_verdict = VERDICT_DROP;
	return 0;
}

/* ---- Kea's log lines ---- */

/* Kea's client label: "[hwtype=1 02:00:00:00:00:01], cid=[01:02], tid=0x1234". */
#define LABEL_MAX (3 * DHCP_OPT_LEN_MAX + 3 * DHCP_HWADDR_MAX + 64)

static const char *client_label(const exch_t *x, char *buf)
{
	char hw[3 * DHCP_HWADDR_MAX + 1], cid[3 * DHCP_OPT_LEN_MAX + 1];
	const alloc_client_t *c = &x->client;

	if (c->client_id != NULL) {
		hex_fmt(c->client_id, c->client_id_len, ':', cid);
	} else {
		strcpy(cid, "no info");
	}
	if (c->hwaddr_len > 0) {
		hex_fmt(c->hwaddr, c->hwaddr_len, ':', hw);
		snprintf(buf, LABEL_MAX, "[hwtype=%u %s], cid=[%s], tid=0x%x", c->htype, hw, cid,
		         x->pkt->xid);
	} else {
		/* Kea prints an empty HWAddr as "hwtype=N " (seen for hlen 0). */
		snprintf(buf, LABEL_MAX, "[hwtype=%u ], cid=[%s], tid=0x%x", c->htype, cid,
		         x->pkt->xid);
	}
	return buf;
}

/* Kea's drop lines on kea-dhcp4.bad-packets (DHCP4_PACKET_DROP_*), texts
 * checked against Kea 2.2 on the same packets (test_differential badpkt). */
__attribute__((format(printf, 4, 5)))
static void log_drop(const exch_t *x, const char *msgid, int dbglevel, const char *fmt, ...)
{
	char text[2 * LABEL_MAX];
	va_list ap;

	(void)x;
	if (!log_enabled(LOGGER_BAD_PACKETS, LOG_SEV_DEBUG, dbglevel)) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_emit(LOGGER_BAD_PACKETS, LOG_SEV_DEBUG, dbglevel, msgid, "%s", text);
}

/* DHCP4_PACKET_DROP_0001: Kea's unpack failed. */
static void log_parse_fail(const exch_t *x, const char *reason)
{
	char src[INADDR_STRLEN], dst[INADDR_STRLEN];

	log_drop(x, "DHCP4_PACKET_DROP_0001", LOG_DBG_DETAIL,
	         "failed to parse packet from %s to %s, received over interface %s, reason: %s",
	         inaddr_fmt(x->rx->src_addr, src), inaddr_fmt(x->rx->dst_addr, dst),
	         x->rx->ifname, reason);
}

/* Kea 2.2's Pkt4::unpack() text for a datagram pkt4_parse() refused (at
 * least DHCP_FIXED_LEN bytes long). */
static const char *unpack_error(const dhcp4_rx_t *rx)
{
	static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };

	if (rx->len == DHCP_FIXED_LEN) {
		return "Received BOOTP packet without vendor information extensions.";
	}
	if (rx->len < DHCP_FIXED_LEN + 4) {
		return "Truncated or no DHCP packet.";
	}
	if (memcmp(rx->buf + DHCP_FIXED_LEN, cookie, 4) != 0) {
		return "Invalid or missing DHCP magic cookie";
	}
	return "malformed options";
}

/* DHCP4_PACKET_DROP_0007: Kea's processing threw; @what is its text. */
static void log_process_fail(const exch_t *x, const char *suffix, const char *what)
{
	char label[LABEL_MAX];

	log_drop(x, "DHCP4_PACKET_DROP_0007", LOG_DBG_TRACE, "%s%s: failed to process packet: %s",
	         client_label(x, label), suffix, what);
}

/* DHCP4_PACKET_DROP_0010 / 0013 (@when " after host reservation lookup"):
 * Kea logs them on kea-dhcp4.packets with the whole packet's text. */
static void log_drop_class(const exch_t *x, const char *when)
{
	char text[2048];

	if (!log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE)) {
		return;
	}
	pkt4_dump_kea(x->pkt, x->rx->dst_addr, DHCP_SERVER_PORT, x->rx->src_addr, x->rx->src_port,
	              text, sizeof(text));
	log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE,
	         when[0] != '\0' ? "DHCP4_PACKET_DROP_0013" : "DHCP4_PACKET_DROP_0010",
	         "dropped as member of the special class 'DROP'%s: %s", when, text);
}

static bool want_log(const char *logger, log_sev_t sev, int dbglevel)
{
	return log_enabled(logger, sev, dbglevel);
}

static void log_lease(const exch_t *x, const char *msgid, const lease4_t *l, uint32_t reuse_lft)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!want_log(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		return;
	}
	client_label(x, label);
	inaddr_fmt(l->addr, a);
	if (strcmp(msgid, "DHCP4_LEASE_ADVERT") == 0) {
		log_info(LOGGER_LEASES, msgid, "%s: lease %s will be advertised", label, a);
	} else {
		log_info(LOGGER_LEASES, msgid, "%s: lease %s has been allocated for %u seconds",
		         label, a, l->valid_lft);
	}
	/* Kea 2.2 adds this line for a lease reused from the cache (OFFER or ACK) */
	if (reuse_lft != 0) {
		log_info(LOGGER_LEASES, "DHCP4_LEASE_REUSE", "%s: lease %s has been reused for %u seconds",
		         label, a, reuse_lft);
	}
}

/* Kea's ALLOC_ENGINE_V4_ALLOC_FAIL_* trio, in Kea's order. */
static void log_alloc_fail(const exch_t *x, const alloc_result_t *res)
{
	char label[LABEL_MAX], a[INADDR_STRLEN], classes[1024];
	const cfg_t *cfg = x->ctx->cfg;
	const cfg_subnet4_t *s = res->subnet;
	size_t n = 0;

	if (!want_log(LOGGER_ALLOC, LOG_SEV_WARN, 0) || s == NULL) {
		return;
	}
	client_label(x, label);
	if (res->fail_kind == STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK) {
		log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_ALLOC_FAIL_SHARED_NETWORK",
		         "%s: failed to allocate an IPv4 lease in the shared network %s: tried %zu "
		         "subnets",
		         label, s->network->name, s->network->n_subnets);
	} else if (res->fail_kind == STAT_V4_ALLOCATION_FAIL_NO_POOLS) {
		log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_ALLOC_FAIL_NO_POOLS",
		         "%s: no pools were available for the address allocation", label);
	} else {
		log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET",
		         "%s: failed to allocate an IPv4 lease in the subnet %s/%u, subnet-id %u, "
		         "shared network %s",
		         label, inaddr_fmt(s->net, a), s->plen, s->id,
		         s->network != NULL ? s->network->name : "(none)");
	}
	log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_ALLOC_FAIL",
	         "%s: failed to allocate an IPv4 address after %llu attempt(s)", label,
	         (unsigned long long)res->attempts);
	classes[0] = '\0';
	for (uint16_t i = 0; i < x->classes.n && n < sizeof(classes) - 1; i++) {
		const cfg_class_t *cl = &cfg->classes[x->classes.idx[i]];
		int w = snprintf(classes + n, sizeof(classes) - n, "%s%s", i == 0 ? "" : ", ",
		                 cl->name != NULL ? cl->name : "");

		n = w < 0 ? n : MIN(sizeof(classes) - 1, n + (size_t)w);
	}
	log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_ALLOC_FAIL_CLASSES",
	         "%s: Failed to allocate an IPv4 address for client with classes: %s", label,
	         classes);
}

/* Kea 2.2 assignLease() with no subnet selected: ERROR on bad-packets, then
 * a NAK (dropped for a DISCOVER). */
static void log_no_subnet_nak(const exch_t *x)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!want_log(LOGGER_BAD_PACKETS, LOG_SEV_ERROR, 0)) {
		return;
	}
	log_error(LOGGER_BAD_PACKETS, "DHCP4_PACKET_NAK_0001",
	          "%s: failed to select a subnet for incoming packet, src %s, type %s",
	          client_label(x, label), inaddr_fmt(x->rx->src_addr, a),
	          pkt4_dump_msg_type_name(x->type));
}

/* Kea 2.2 discoverLease4(): WARN when the client's reserved address is leased
 * to another client; %3 is Lease4::toText() of that lease (multi-line, as in
 * Kea). */
static void log_discover_conflict(const exch_t *x, const alloc_req_t *req, uint32_t addr)
{
	char label[LABEL_MAX], a[INADDR_STRLEN], la[INADDR_STRLEN];
	char hw[3 * DHCP_HWADDR_MAX + 1], cid[3 * DHCP_OPT_LEN_MAX + 1];
	static const char *const states[] = {"default", "declined", "expired-reclaimed"};
	lease4_t l;

	if (!want_log(LOGGER_ALLOC, LOG_SEV_WARN, 0)) {
		return;
	}
	client_label(x, label);
	inaddr_fmt(addr, a);
	if (lease_get_by_addr(req->conn, addr, &l) < 0) {
		log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_DISCOVER_ADDRESS_CONFLICT",
		         "%s: conflicting reservation for address %s with existing lease %s",
		         label, a, "(no lease info)");
		return;
	}
	hex_fmt(l.hwaddr, MIN(l.hwaddr_len, (uint8_t)DHCP_HWADDR_MAX), ':', hw);
	if (l.client_id_len > 0) {
		hex_fmt(l.client_id, MIN(l.client_id_len, (uint8_t)DHCP_OPT_LEN_MAX), ':', cid);
	} else {
		strcpy(cid, "(none)");
	}
	log_warn(LOGGER_ALLOC, "ALLOC_ENGINE_V4_DISCOVER_ADDRESS_CONFLICT",
	         "%s: conflicting reservation for address %s with existing lease "
	         "Address:       %s\nValid life:    %u\nCltt:          %lld\n"
	         "Hardware addr: %s\nClient id:     %s\nSubnet ID:     %u\n"
	         "State:         %s\n",
	         label, a, inaddr_fmt(l.addr, la), l.valid_lft, (long long)l.cltt, hw, cid,
	         l.subnet_id,
	         (unsigned)l.state < ARRAY_SIZE(states) ? states[l.state] : "unknown");
}

/* ---- received-packet statistics (Kea processStatsReceived) ---- */

static void count_received(stats_shard_t *st, int type)
{
	static const stat_id_t by_type[] = {
	        [DHCPDISCOVER] = STAT_PKT4_DISCOVER_RECEIVED,
	        [DHCPOFFER] = STAT_PKT4_OFFER_RECEIVED,
	        [DHCPREQUEST] = STAT_PKT4_REQUEST_RECEIVED,
	        [DHCPDECLINE] = STAT_PKT4_DECLINE_RECEIVED,
	        [DHCPACK] = STAT_PKT4_ACK_RECEIVED,
	        [DHCPNAK] = STAT_PKT4_NAK_RECEIVED,
	        [DHCPRELEASE] = STAT_PKT4_RELEASE_RECEIVED,
	        [DHCPINFORM] = STAT_PKT4_INFORM_RECEIVED,
	};

	if (type > 0 && (size_t)type < ARRAY_SIZE(by_type) && by_type[type] != STAT_PKT4_RECEIVED) {
		stats_inc(st, by_type[type]);
	} else {
		stats_inc(st, STAT_PKT4_UNKNOWN_RECEIVED);
	}
}

static void count_sent(stats_shard_t *st, uint8_t msg_type)
{
	stats_inc(st, STAT_PKT4_SENT);
	switch (msg_type) {
	case DHCPOFFER:
		stats_inc(st, STAT_PKT4_OFFER_SENT);
		break;
	case DHCPACK:
		stats_inc(st, STAT_PKT4_ACK_SENT);
		break;
	case DHCPNAK:
		stats_inc(st, STAT_PKT4_NAK_SENT);
		break;
	default:
		break;
	}
}

/* ---- validation ---- */

/* Option-level checks that fail Kea's unpack (counted as parse-failed, not
 * by message type): empty 55, a short 57, an empty 53, a malformed option
 * 81. Logs Kea's line. */
static bool options_parse(exch_t *x)
{
	const pkt4_t *pkt = x->pkt;
	const opt_view_t *o;

	o = pkt4_opt(pkt, DHO_DHCP_PARAMETER_REQUEST_LIST);
	if (o != NULL && o->len == 0) {
		log_parse_fail(x, "option 55 empty");
		return false;
	}
	o = pkt4_opt(pkt, DHO_DHCP_MAX_MESSAGE_SIZE);
	if (o != NULL && o->len < 2) {
		log_parse_fail(x, "OptionInt 57 truncated");
		return false;
	}
	o = &pkt->opts[DHO_DHCP_MESSAGE_TYPE];
	if (o->count == 1 && o->len == 0) {
		log_parse_fail(x, "OptionInt 53 truncated");
		return false;
	}
	const char *what = NULL;
	if (names_query_parse(pkt, &x->names, &what) < 0) {
		log_parse_fail(x, what);
		return false;
	}
	return true;
}

/* Checks Kea makes once the packet is counted by its type (pkt4-receive-drop
 * only, checked against Kea 2.2's statistics): a client-id shorter than 2
 * bytes, option 53 twice (even with the same value). Logs Kea's line. */
static bool options_sane(const exch_t *x)
{
	const pkt4_t *pkt = x->pkt;
	const opt_view_t *o;

	o = pkt4_opt(pkt, DHO_DHCP_CLIENT_IDENTIFIER);
	if (o != NULL && o->len < 2) {
		char what[64];

		snprintf(what, sizeof(what), "client-id is too short (%u), at least 2 is required",
		         o->len);
		log_process_fail(x, " (malformed client-id)",
		                 o->len == 0 ? "Empty DUIDs are not allowed" : what);
		return false;
	}
	o = &pkt->opts[DHO_DHCP_MESSAGE_TYPE];
	if (o->count > 1) {
		char label[LABEL_MAX];

		log_drop(x, "DHCP4_PACKET_DROP_0004", LOG_DBG_TRACE,
		         "%s, from interface %s: missing msg-type option", client_label(x, label),
		         x->rx->ifname);
		return false;
	}
	return true;
}

static bool opt_addr(const pkt4_t *pkt, uint8_t code, uint32_t *ret)
{
	const opt_view_t *o = pkt4_opt(pkt, code);

	if (o == NULL || o->len != 4) {
		return false;
	}
	*ret = be32_load(o->data);
	return true;
}

/* Kea acceptDirectRequest(): relayed and unicast traffic is accepted; a
 * broadcast from a directly connected client only if a subnet exists for it;
 * an INFORM with neither ciaddr nor a source address has nowhere to go. */
static bool accept_direct(const exch_t *x)
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
		          client_label(x, label), x->rx->ifname);
	}
	return false;
}

/* Kea acceptMessageType(): only the five client messages a server handles. */
static bool accept_type(int type)
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
static bool accept_server_id(const exch_t *x)
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
static bool sane_identity(const exch_t *x)
{
	return x->client.hwaddr_len > 0 || x->client.client_id != NULL;
}

/* ---- identity and selection ---- */

static void client_init(exch_t *x)
{
	const pkt4_t *p = x->pkt;
	alloc_client_t *c = &x->client;
	const opt_view_t *o;

	memset(c, 0, sizeof(*c));
	c->htype = p->htype;
	if (p->hlen <= DHCP_CHADDR_LEN) {
		c->hwaddr = p->chaddr;
		c->hwaddr_len = p->hlen;
	} else if (p->hlen <= DHCP_HWADDR_MAX) {
		/* Kea 2.2 builds its HWAddr from hlen bytes of a 16-byte copy of
		 * chaddr, reading past it; the extra bytes come out as zero in
		 * practice (seen in its logs and leases for hlen 17). */
		memset(x->zero_hw, 0, sizeof(x->zero_hw));
		memcpy(x->zero_hw, p->chaddr, DHCP_CHADDR_LEN);
		c->hwaddr = x->zero_hw;
		c->hwaddr_len = p->hlen;
	} else {
		/* Beyond Kea's HWAddr limit: 16 zero bytes stand in. */
		memset(x->zero_hw, 0, sizeof(x->zero_hw));
		c->hwaddr = x->zero_hw;
		c->hwaddr_len = DHCP_CHADDR_LEN;
	}
	o = pkt4_opt(p, DHO_DHCP_CLIENT_IDENTIFIER);
	if (o != NULL && o->len >= 2 && o->len <= DHCP_OPT_LEN_MAX) {
		c->client_id = o->data;
		c->client_id_len = (uint8_t)o->len;
		/* RFC 4361 §6.1: type 255, IAID (4 bytes), then the DUID. */
		if (o->data[0] == 255 && o->len > 5) {
			c->duid = o->data + 5;
			c->duid_len = (uint8_t)(o->len - 5);
		}
	}
	if (x->agent != NULL) {
		const opt_view_t *cid = agent_circuit_id(x->agent);

		if (cid != NULL && cid->len > 0 && cid->len <= DHCP_OPT_LEN_MAX) {
			c->circuit_id = cid->data;
			c->circuit_id_len = (uint8_t)cid->len;
		}
	}
}

/* Kea selectSubnet() / CfgSubnets4::initSelector(). */
static const cfg_subnet4_t *select_subnet(const exch_t *x)
{
	subnet_sel_t sel = {
	        .giaddr = x->pkt->giaddr,
	        .ciaddr = x->pkt->ciaddr,
	        .src_addr = x->rx->src_addr,
	        .from_broadcast = x->broadcast_rx,
	        .ifname = x->rx->ifname[0] != '\0' ? x->rx->ifname : NULL,
	        .iface_addr = x->rx->iface_addr,
	        .classes = &x->classes,
	};
	uint32_t a;

	/* RFC 3527 link-selection (exactly 4 bytes) wins; otherwise RFC 3011
	 * option 118, also when option 82 is present without sub-option 5
	 * (checked against Kea 2.2). */
	if (x->agent != NULL && agent_link_selection(x->agent, &a) == 0) {
		sel.link_select = a;
	}
	if (opt_addr(x->pkt, DHO_SUBNET_SELECTION, &a)) {
		sel.subnet_select = a;
	}
	return subnet_select(x->ctx->cfg, &sel);
}

/* Kea findReservation(): the selected subnet, then its shared-network
 * siblings the client may use, then global reservations. */
static const cfg_host_t *find_host(const exch_t *x)
{
	const cfg_t *cfg = x->ctx->cfg;
	const cfg_subnet4_t *s = x->subnet;
	const cfg_host_t *h;

	if (cfg->n_hosts == 0 || s == NULL) {
		return NULL;
	}
	h = alloc_host_for_subnet(cfg, s, &x->client);
	if (h != NULL || s->network == NULL) {
		return h;
	}
	for (size_t i = 0; i < s->network->n_subnets; i++) {
		const cfg_subnet4_t *sib = s->network->subnets[i];

		if (sib != s && subnet_class_allows(sib->client_class, &x->classes)) {
			h = alloc_host_for_subnet(cfg, sib, &x->client);
			if (h != NULL) {
				return h;
			}
		}
	}
	return NULL;
}

/* ---- reply destination (Kea adjustIfaceData / adjustRemoteAddr) ---- */

static void set_dst(const exch_t *x, dhcp4_tx_t *tx, uint32_t yiaddr)
{
	const pkt4_t *q = x->pkt;
	const cfg_t *cfg = x->ctx->cfg;
	bool bcast_flag = (q->flags & DHCP_FLAG_BROADCAST) != 0;
	bool direct_ok = cfg->interfaces.socket_type == CFG_SOCKET_RAW;
	uint32_t dst;

	tx->kind = DHCP4_TX_UDP;
	if (x->type == DHCPINFORM) {
		dst = q->ciaddr != 0 ? q->ciaddr : x->relayed ? q->giaddr : x->rx->src_addr;
	} else if (x->relayed) {
		dst = q->giaddr;
	} else if (q->ciaddr != 0) {
		dst = q->ciaddr;
	} else if (tx->msg_type == DHCPNAK) {
		dst = INADDR_BCAST;
	} else if (yiaddr != 0) {
		dst = bcast_flag || !direct_ok ? INADDR_BCAST : yiaddr;
	} else {
		dst = x->rx->src_addr;
	}
	/* Kea with raw sockets answers every client that is not behind a relay
	 * through its packet socket, whatever the IP destination (checked on
	 * Kea 2.2): the kernel cannot ARP for a ciaddr that is not on the link
	 * yet, nor reach a client without an address. (A relayed INFORM
	 * answered to ciaddr leaves through the kernel: Kea sends that frame to
	 * the relay's MAC, which routing reaches the same way.) */
	bool to_relay = x->relayed && !(x->type == DHCPINFORM && dst != q->giaddr);
	if (!x->relayed && direct_ok) {
		tx->kind = DHCP4_TX_LINK;
	} else if (dst == INADDR_BCAST) {
		tx->kind = DHCP4_TX_BROADCAST;
	}
	tx->dst_addr = dst;
	/* RFC 2131 §4.1: relays listen on 67, clients on 68; RFC 8357: with
	 * sub-option 19 the relay's source port. An INFORM answered straight
	 * to ciaddr goes to 68 even when it came through a relay (Kea 2.2). */
	if (to_relay) {
		tx->dst_port = agent_reply_port(x->agent, x->rx->src_port);
	} else {
		tx->dst_port = DHCP_CLIENT_PORT;
	}
	tx->src_addr = cfg->interfaces.outbound_use_routing && x->relayed ? 0 : x->socket_addr;
	tx->ifindex = x->rx->ifindex;
	tx->hlen = q->hlen <= DHCP_CHADDR_LEN ? q->hlen : DHCP_CHADDR_LEN;
	memset(tx->chaddr, 0, sizeof(tx->chaddr));
	if (q->hlen <= DHCP_CHADDR_LEN) {
		memcpy(tx->chaddr, q->chaddr, q->hlen);
	}
}

/* ---- reply ---- */

static int send_reply(exch_t *x, reply_in_t *in, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	int len;

	in->cfg = x->ctx->cfg;
	in->query = x->pkt;
	/* Kea processInform(): answered to ciaddr (not through the relay), the
	 * reply loses option 82, hops and giaddr. */
	bool inform_direct =
	        x->type == DHCPINFORM && x->pkt->ciaddr != 0 && x->pkt->ciaddr != x->pkt->giaddr;
	in->drop_rai = inform_direct;
	in->classes = &x->classes;
	if (in->lease != NULL && !in->inform && in->subnet != NULL) {
		/* The same decision lease_fill() stored (alloc.c). */
		names_t *n = &x->reply_names;

		names_decide(&x->names, &in->subnet->names, in->name_host, in->lease->addr, n);
		if (n->kind == NAMES_FQDN) {
			in->fqdn = n->fqdn;
			in->fqdn_len = n->fqdn_len;
		} else if (n->kind == NAMES_HOSTNAME) {
			in->hostname = n->hostname;
			in->hostname_len = n->hostname_len;
		}
	}
	/* Kea builds the configured-option list only for OFFER/ACK: a NAK
	 * always names the receiving socket's address (checked on Kea 2.2). */
	in->server_id = in->msg_type == DHCPNAK ? x->socket_addr
	                                        : reply_server_id(x->ctx->cfg, in->subnet,
	                                                          &x->classes, x->socket_addr);
	len = reply_build(in, tx->buf, DHCP_PKT_MAX);
	if (len < 0) {
		log_debug(LOGGER_PACKETS, LOG_DBG_BASIC, "DHCP4_PACKET_PACK_FAIL",
		          "failed to assemble response correctly: %d", len);
		return drop(x, ret_verdict);
	}
	tx->len = (size_t)len;
	tx->msg_type = in->msg_type;
	set_dst(x, tx, in->lease != NULL ? in->lease->addr : 0);
	if (in->msg_type == DHCPACK && in->lease != NULL && !in->inform) {
		tx->ha_addr = in->lease->addr;
	}
	if (x->type == DHCPINFORM) {
		/* Kea processInform(): a relayed INFORM without ciaddr is answered
		 * through the relay with the broadcast flag; one answered to
		 * ciaddr loses hops, giaddr and option 82. */
		if (x->pkt->ciaddr == 0 && x->relayed) {
			tx->buf[OFF_FLAGS] |= DHCP_FLAG_BROADCAST >> 8;
		}
		if (inform_direct || tx->dst_addr != x->pkt->giaddr) {
			tx->buf[OFF_HOPS] = 0;
			memset(tx->buf + OFF_GIADDR, 0, 4);
		}
	}
	count_sent(x->ctx->stats, tx->msg_type);
	*ret_verdict = VERDICT_REPLY;
	return 0;
}

static alloc_req_t make_req(const exch_t *x)
{
	const pkt4_t *p = x->pkt;
	uint32_t hint = 0, lft = 0;
	alloc_req_t req = {
	        .cfg = x->ctx->cfg,
	        .conn = x->ctx->conn,
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
	if (opt_addr(p, DHO_DHCP_REQUESTED_ADDRESS, &hint)) {
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

static int process_discover(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	alloc_req_t req;
	alloc_result_t res;
	int r;

	if (pkt4_opt(x->pkt, DHO_DHCP_SERVER_IDENTIFIER) != NULL) {
		/* Kea sanityCheck(FORBIDDEN), RFC 2131 table 5: a DISCOVER
		 * carries no server identifier, even our own. */
		return drop(x, ret_verdict);
	}
	if (x->subnet == NULL) {
		/* Kea: no OFFER, and not counted as a receive drop. */
		log_debug(LOGGER_PACKETS, LOG_DBG_BASIC, "DHCP4_SUBNET_SELECTION_FAILED",
		          "failed to select subnet for the client");
		log_no_subnet_nak(x);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	req = make_req(x);
	r = alloc_discover(&req, &res);
	if (r < 0) {
		return r;
	}
	if (res.conflict_addr != 0) {
		log_discover_conflict(x, &req, res.conflict_addr);
	}
	if (res.status != ALLOC_OK) {
		/* RFC 2131 §4.3.1 lets a server stay silent; Kea does. */
		log_alloc_fail(x, &res);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	log_lease(x, "DHCP4_LEASE_ADVERT", &res.lease, res.reuse_lft);
	required_classes(x, res.subnet, res.pool);
	reply_in_t in = {
	        .msg_type = DHCPOFFER,
	        .subnet = res.subnet,
	        .pool = res.pool,
	        .host = res.host != NULL ? res.host : x->host,
	        .name_host = res.host != NULL ? res.host
	                                      : alloc_host_for_subnet(x->ctx->cfg, res.subnet,
	                                                              &x->client),
	        .lease = &res.lease,
	        .reuse_lft = res.reuse_lft,
	};
	return send_reply(x, &in, tx, ret_verdict);
}

static int send_nak(exch_t *x, const cfg_subnet4_t *s, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	reply_in_t in = {
	        .msg_type = DHCPNAK,
	        .subnet = s,
	};

	return send_reply(x, &in, tx, ret_verdict);
}

static int process_request(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
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
		log_no_subnet_nak(x);
		return send_nak(x, NULL, tx, ret_verdict);
	}
	req = make_req(x);
	if (init_reboot && want_log(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		char label[LABEL_MAX], a[INADDR_STRLEN];

		log_info(LOGGER_LEASES, "DHCP4_INIT_REBOOT",
		         "%s: client is in INIT-REBOOT state and requests address %s",
		         client_label(x, label), inaddr_fmt(req.hint, a));
	}
	r = alloc_request(&req, init_reboot, &res);
	if (r < 0) {
		return r;
	}
	switch (res.status) {
	case ALLOC_OK:
		log_lease(x, "DHCP4_LEASE_ALLOC", &res.lease, res.reuse_lft);
		break;
	case ALLOC_FAIL:
		log_alloc_fail(x, &res);
		return send_nak(x, x->subnet, tx, ret_verdict);
	case ALLOC_IGNORE:
		log_debug(LOGGER_PACKETS, LOG_DBG_BASIC, "DHCP4_UNKNOWN_ADDRESS_REQUESTED",
		          "client requested an unknown address, client sent ciaddr/option 50");
		*ret_verdict = VERDICT_DROP;
		return 0;
	default:
		return send_nak(x, x->subnet, tx, ret_verdict);
	}
	required_classes(x, res.subnet, res.pool);
	reply_in_t in = {
	        .msg_type = DHCPACK,
	        .subnet = res.subnet,
	        .pool = res.pool,
	        .host = res.host != NULL ? res.host : x->host,
	        .name_host = res.host != NULL ? res.host
	                                      : alloc_host_for_subnet(x->ctx->cfg, res.subnet,
	                                                              &x->client),
	        .lease = &res.lease,
	        .reuse_lft = res.reuse_lft,
	        .ciaddr = x->pkt->ciaddr,
	};
	return send_reply(x, &in, tx, ret_verdict);
}

static int process_release(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
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
	if (done == ALLOC_DONE && want_log(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		log_info(LOGGER_LEASES, "DHCP4_RELEASE", "%s: address %s was released properly.",
		         client_label(x, label), inaddr_fmt(x->pkt->ciaddr, a));
	} else if (done == ALLOC_WRONG_CLIENT &&
	           want_log(LOGGER_LEASES, LOG_SEV_DEBUG, LOG_DBG_DETAIL)) {
		log_emit(LOGGER_LEASES, LOG_SEV_DEBUG, LOG_DBG_DETAIL,
		         "DHCP4_RELEASE_FAIL_WRONG_CLIENT",
		         "%s: client is trying to release the lease %s which belongs to a "
		         "different client",
		         client_label(x, label), inaddr_fmt(x->pkt->ciaddr, a));
	}
	return 0;
}

static void log_decline_mismatch(const exch_t *x, uint32_t addr, const lease4_t *l)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];
	char rhw[3 * DHCP_HWADDR_MAX + 8], lhw[3 * DHCP_HWADDR_MAX + 8];
	char rcid[3 * DHCP_OPT_LEN_MAX + 8], lcid[3 * DHCP_OPT_LEN_MAX + 8];
	const alloc_client_t *c = &x->client;

	if (!want_log(LOGGER_DHCP4, LOG_SEV_WARN, 0)) {
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
	         inaddr_fmt(addr, a), client_label(x, label), rhw, lhw, rcid, lcid);
}

static int process_decline(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	uint32_t addr;
	alloc_done_t done;
	lease4_t l;
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!opt_addr(x->pkt, DHO_DHCP_REQUESTED_ADDRESS, &addr)) {
		/* RFC 2131 §4.3.3: the declined address travels in option 50. */
		char what[LABEL_MAX + 80];

		snprintf(what, sizeof(what),
		         "Mandatory 'Requested IP address' option missing in DHCPDECLINE sent from %s",
		         client_label(x, label));
		log_process_fail(x, "", what);
		return drop(x, ret_verdict);
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
	if (done == ALLOC_DONE && want_log(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		log_info(LOGGER_LEASES, "DHCP4_DECLINE_LEASE",
		         "Received DHCPDECLINE for addr %s from client %s. The lease will be "
		         "unavailable for %u seconds.",
		         inaddr_fmt(addr, a), client_label(x, label),
		         x->ctx->cfg->decline_probation_period);
	} else if (done == ALLOC_WRONG_CLIENT) {
		log_decline_mismatch(x, addr, &l);
	} else if (done == ALLOC_NOT_FOUND && want_log(LOGGER_DHCP4, LOG_SEV_WARN, 0)) {
		log_warn(LOGGER_DHCP4, "DHCP4_DECLINE_LEASE_NOT_FOUND",
		         "Received DHCPDECLINE for addr %s from client %s, but no such lease found.",
		         inaddr_fmt(addr, a), client_label(x, label));
	}
	return 0;
}

static int process_inform(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	required_classes(x, x->subnet, NULL);
	reply_in_t in = {
	        .msg_type = DHCPACK,
	        .inform = true,
	        .subnet = x->subnet,
	        .host = x->host,
	        .ciaddr = x->pkt->ciaddr,
	};
	return send_reply(x, &in, tx, ret_verdict);
}

/* ---- pipeline ---- */

/* Kea's HA query filter (buffer4_receive): a scoped query whose scope this
 * server does not serve in its HA state is dropped before anything else. */
static bool ha_in_scope(const exch_t *x, dhcp4_tx_t *tx)
{
	unsigned f = x->ctx->ha_filter;
	const alloc_client_t *c = &x->client;

	if ((f & HA_F_ON) == 0 || x->ctx->cfg->ha == NULL || !accept_type(x->type)) {
		return true;
	}
	int owner = ha_scope_of(x->ctx->cfg->ha, c->client_id, c->client_id_len, c->hwaddr, c->hwaddr_len);
	if (owner >= 0 && (f & (HA_F_SERVE0 << owner)) != 0) {
		return true;
	}
	/* the partner should have served it but does not answer us: is it down? */
	if ((f & HA_F_ANALYZE) != 0 && (x->type == DHCPDISCOVER || x->type == DHCPREQUEST)) {
		tx->ha_client = ha_client_key(c->client_id, c->client_id_len, c->hwaddr, c->hwaddr_len);
		tx->ha_secs = ha_fsm_secs(x->pkt->secs);
	}
	return false;
}

/* Only user classes (and a user-defined DROP) have tests to evaluate. */
static bool classes_need_eval(const cfg_t *cfg)
{
	return cfg->n_classes > _CFG_CLASS_BUILTIN_MAX ||
	       (cfg->n_classes > CFG_CLASS_DROP && cfg->classes[CFG_CLASS_DROP].test != NULL);
}

static int pipeline(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	const dhcp4_rx_t *rx = x->rx;
	const cfg_t *cfg = x->ctx->cfg;

	x->relayed = x->pkt->giaddr != 0;
	x->broadcast_rx = rx->dst_addr == INADDR_BCAST;
	x->socket_addr = rx->dst_addr != 0 && !x->broadcast_rx ? rx->dst_addr : rx->iface_addr;

	/* Kea processPacket(): classification, then the DROP class, then
	 * accept() — so a broadcast from a directly connected client is
	 * accepted when a subnet guarded by one of its classes serves it. */
	x->ec = (class_eval_ctx_t){
	        .pkt = x->pkt,
	        .classes = &x->classes,
	        .ifname = rx->ifname[0] != '\0' ? rx->ifname : NULL,
	        .src_addr = rx->src_addr,
	        .dst_addr = rx->dst_addr,
	};
	if (classes_need_eval(cfg)) {
		x->ec.scratch = arena_alloc(x->ctx->arena, CLASS_EVAL_SCRATCH);
		if (x->ec.scratch == NULL) {
			return -ENOMEM;
		}
		x->ec.scratch_size = CLASS_EVAL_SCRATCH;
	}
	classify_early(cfg, &x->ec, &x->classes);
	if (classify_is_drop(&x->classes)) {
		log_drop_class(x, "");
		return drop(x, ret_verdict);
	}
	char label[LABEL_MAX];

	if (!accept_direct(x)) {
		return drop(x, ret_verdict);
	}
	if (!accept_type(x->type)) {
		if (x->type == 0) {
			log_drop(x, "DHCP4_PACKET_DROP_0009", LOG_DBG_TRACE,
			         "%s: Option 53 missing (no DHCP message type), is this a BOOTP "
			         "packet?",
			         client_label(x, label));
		} else if (x->type >= DHCP_TYPES_EOF) {
			log_drop(x, "DHCP4_PACKET_DROP_0005", LOG_DBG_DETAIL,
			         "%s: unrecognized type %d in option 53", client_label(x, label), x->type);
		} else {
			log_drop(x, "DHCP4_PACKET_DROP_0006", LOG_DBG_TRACE,
			         "%s: unsupported DHCPv4 message type %d", client_label(x, label),
			         x->type);
		}
		return drop(x, ret_verdict);
	}
	if (!accept_server_id(x)) {
		log_drop(x, "DHCP4_PACKET_DROP_0003", LOG_DBG_TRACE,
		         "%s, from interface %s: it contains a foreign server identifier",
		         client_label(x, label), rx->ifname);
		return drop(x, ret_verdict);
	}
	if (!sane_identity(x)) {
		char what[128];

		snprintf(what, sizeof(what),
		         "Missing or useless client-id and no HW address provided in message %s",
		         pkt4_dump_msg_type_name(x->type));
		log_process_fail(x, "", what);
		return drop(x, ret_verdict);
	}
	const cfg_host_t *early = NULL;
	if (cfg->early_global_reservations_lookup && cfg->n_hosts > 0) {
		early = alloc_host_find(cfg, 0, &x->client);
		if (early != NULL) {
			classify_early_host(cfg, &x->ec, &x->classes, early);
			if (classify_is_drop(&x->classes)) {
				return drop(x, ret_verdict);
			}
		}
	}
	x->subnet = select_subnet(x);
	x->host = find_host(x);
	/* Kea's Dhcpv4Exchange: reserved classes with the first pass again for a
	 * global reservation (unless looked up early) or outside shared networks */
	bool reeval = x->host != NULL &&
	              ((!cfg->early_global_reservations_lookup && x->host->subnet_id == 0) ||
	               (x->subnet != NULL && x->subnet->network == NULL));
	classify_late(cfg, &x->ec, &x->classes, x->host, early != NULL && x->subnet == NULL, reeval);
	if (classify_is_drop(&x->classes)) {
		log_drop_class(x, " after host reservation lookup");
		return drop(x, ret_verdict);
	}

	switch (x->type) {
	case DHCPDISCOVER:
		return process_discover(x, tx, ret_verdict);
	case DHCPREQUEST:
		return process_request(x, tx, ret_verdict);
	case DHCPRELEASE:
		return process_release(x, tx, ret_verdict);
	case DHCPDECLINE:
		return process_decline(x, tx, ret_verdict);
	case DHCPINFORM:
		return process_inform(x, tx, ret_verdict);
	default:
		return drop(x, ret_verdict);
	}
}

int dhcp4_process(dhcp4_ctx_t *ctx, const dhcp4_rx_t *rx, dhcp4_tx_t *tx, verdict_t *ret_verdict)
{
	exch_t *x;
	int r;

	assert_return(ctx != NULL && rx != NULL && tx != NULL && ret_verdict != NULL, -EINVAL);
	/* Kea's packet socket refuses a datagram shorter than the BOOTP header
	 * before anything counts it. */
	if (rx->len < DHCP_FIXED_LEN) {
		log_error(LOGGER_PACKETS, "DHCP4_BUFFER_RECEIVE_FAIL",
		          "error on attempt to receive packet: Truncated DHCPv4 packet (len=%zu) received, at least %d is expected.",
		          rx->len, DHCP_FIXED_LEN);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	/* Kea checks the service state before it unpacks or counts the packet,
	 * so its line has the label of an empty packet. */
	if (ctx->dhcp_disabled) {
		log_debug(LOGGER_BAD_PACKETS, LOG_DBG_TRACE, "DHCP4_PACKET_DROP_0008",
		          "[hwtype=1 ], cid=[no info], tid=0x0: DHCP service is globally disabled");
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	stats_inc(ctx->stats, STAT_PKT4_RECEIVED);
	if (ctx->cfg == NULL) {
		stats_inc(ctx->stats, STAT_PKT4_RECEIVE_DROP);
		*ret_verdict = VERDICT_DROP;
		return 0;
	}
	/* Only the exchange needs zeroing: pkt4_parse() initialises the packet and
	 * agent_parse() its result, and together they are ~9 KB per packet. */
	x = arena_alloc(ctx->arena, sizeof(*x) + sizeof(pkt4_t) + sizeof(agent_t));
	if (x == NULL) {
		return -ENOMEM;
	}
	memset(x, 0, sizeof(*x));
	x->ctx = ctx;
	x->rx = rx;
	x->pkt = (pkt4_t *)(void *)(x + 1);
	r = pkt4_parse(x->pkt, ctx->arena, rx->buf, rx->len);
	if (r == -ENOMEM) {
		return r;
	}
	if (r < 0) {
		log_parse_fail(x, unpack_error(rx));
		stats_inc(ctx->stats, STAT_PKT4_PARSE_FAILED);
		return drop(x, ret_verdict);
	}
	agent_t *agent = (agent_t *)(void *)(x->pkt + 1);
	r = agent_parse(pkt4_opt(x->pkt, DHO_DHCP_AGENT_OPTIONS), agent);
	x->agent = r == 0 ? agent : NULL;
	client_init(x); /* for the log label; the pipeline has it too */
	if (!options_parse(x)) {
		stats_inc(ctx->stats, STAT_PKT4_PARSE_FAILED);
		return drop(x, ret_verdict);
	}
	x->type = pkt4_msg_type(x->pkt);
	count_received(ctx->stats, x->type);
	if (!options_sane(x) || !ha_in_scope(x, tx)) {
		return drop(x, ret_verdict);
	}

	*ret_verdict = VERDICT_DROP;
	return pipeline(x, tx, ret_verdict);
}

/* Per-packet pipeline (Kea 2.2 Dhcpv4Srv::processPacket and the process*
 * functions): parse -> accept (direct, message type, server id, sanity) ->
 * classify -> select subnet -> host lookup -> classify (known) -> allocate ->
 * required classes -> reply -> where to send it. The accept checks are in
 * dhcp4-accept.c, the message handlers in dhcp4-msg.c, Kea's log lines in
 * dhcp4-log.c. */
#include <errno.h>
#include <string.h>

#include "engine/dhcp4-int.h"
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

/* Counted in pkt4-receive-drop, no reply. */
int dhcp4_drop(exch_t *x, verdict_t *ret_verdict)
{
	stats_inc(x->ctx->stats, STAT_PKT4_RECEIVE_DROP);
	*ret_verdict = VERDICT_DROP;
	return 0;
}

/* An option holding one IPv4 address (50, 54), if well formed. */
bool dhcp4_opt_addr(const pkt4_t *pkt, uint8_t code, uint32_t *ret)
{
	const opt_view_t *o = pkt4_opt(pkt, code);

	if (o == NULL || o->len != 4) {
		return false;
	}
	*ret = be32_load(o->data);
	return true;
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
	if (dhcp4_opt_addr(x->pkt, DHO_SUBNET_SELECTION, &a)) {
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

	if ((cfg->n_hosts == 0 && !cfg->hosts_db_lookup) || s == NULL) {
		return NULL;
	}
	h = alloc_host_for_subnet(cfg, x->ctx->hosts, s, &x->client);
	if (h != NULL || s->network == NULL) {
		return h;
	}
	for (size_t i = 0; i < s->network->n_subnets; i++) {
		const cfg_subnet4_t *sib = s->network->subnets[i];

		if (sib != s && subnet_class_allows(sib->client_class, &x->classes)) {
			h = alloc_host_for_subnet(cfg, x->ctx->hosts, sib, &x->client);
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

int dhcp4_send_reply(exch_t *x, reply_in_t *in, dhcp4_tx_t *tx, verdict_t *ret_verdict)
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
		return dhcp4_drop(x, ret_verdict);
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

/* ---- pipeline ---- */

/* Kea's HA query filter (buffer4_receive): the query joins class HA_<name of
 * its scope's owner> (other message types: the primary's), and a scoped query
 * whose scope this server does not serve in its HA state is dropped before
 * anything else. */
static bool ha_in_scope(exch_t *x, dhcp4_tx_t *tx)
{
	unsigned f = x->ctx->ha_filter;
	const alloc_client_t *c = &x->client;
	const cfg_ha_t *h = x->ctx->cfg->ha;

	if ((f & HA_F_ON) == 0 || h == NULL) {
		return true;
	}
	if (!dhcp4_accept_type(x->type)) {
		class_set_add(&x->classes, h->scope_class[0]);
		return true;
	}
	int owner = ha_scope_of(h, c->client_id, c->client_id_len, c->hwaddr, c->hwaddr_len);
	if (owner >= 0) {
		class_set_add(&x->classes, h->scope_class[owner]);
	}
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
		dhcp4_log_drop_class(x, "");
		return dhcp4_drop(x, ret_verdict);
	}
	char label[LABEL_MAX];

	if (!dhcp4_accept_direct(x)) {
		return dhcp4_drop(x, ret_verdict);
	}
	if (!dhcp4_accept_type(x->type)) {
		if (x->type == 0) {
			dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0009", LOG_DBG_TRACE,
			         "%s: Option 53 missing (no DHCP message type), is this a BOOTP "
			         "packet?",
			         dhcp4_log_label(x, label));
		} else if (x->type >= DHCP_TYPES_EOF) {
			dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0005", LOG_DBG_DETAIL,
			         "%s: unrecognized type %d in option 53", dhcp4_log_label(x, label), x->type);
		} else {
			dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0006", LOG_DBG_TRACE,
			         "%s: unsupported DHCPv4 message type %d", dhcp4_log_label(x, label),
			         x->type);
		}
		return dhcp4_drop(x, ret_verdict);
	}
	if (!dhcp4_accept_server_id(x)) {
		dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0003", LOG_DBG_TRACE,
		         "%s, from interface %s: it contains a foreign server identifier",
		         dhcp4_log_label(x, label), rx->ifname);
		return dhcp4_drop(x, ret_verdict);
	}
	if (!dhcp4_accept_identity(x)) {
		char what[128];

		snprintf(what, sizeof(what),
		         "Missing or useless client-id and no HW address provided in message %s",
		         pkt4_dump_msg_type_name(x->type));
		dhcp4_log_process_fail(x, "", what);
		return dhcp4_drop(x, ret_verdict);
	}
	const cfg_host_t *early = NULL;
	if (cfg->early_global_reservations_lookup && (cfg->n_hosts > 0 || cfg->hosts_db_lookup)) {
		early = alloc_host_find(cfg, x->ctx->hosts, 0, &x->client);
		if (early != NULL) {
			classify_early_host(cfg, &x->ec, &x->classes, early);
			if (classify_is_drop(&x->classes)) {
				return dhcp4_drop(x, ret_verdict);
			}
		}
	}
	x->subnet = select_subnet(x);
	x->host = find_host(x);
	if (hostdb_conn_failed(x->ctx->hosts)) {
		return -EIO;    /* Kea: the host data source threw; the packet is dropped */
	}
	/* Kea's Dhcpv4Exchange: reserved classes with the first pass again for a
	 * global reservation (unless looked up early) or outside shared networks */
	bool reeval = x->host != NULL &&
	              ((!cfg->early_global_reservations_lookup && x->host->subnet_id == 0) ||
	               (x->subnet != NULL && x->subnet->network == NULL));
	classify_late(cfg, &x->ec, &x->classes, x->host, early != NULL && x->subnet == NULL, reeval);
	if (classify_is_drop(&x->classes)) {
		dhcp4_log_drop_class(x, " after host reservation lookup");
		return dhcp4_drop(x, ret_verdict);
	}

	switch (x->type) {
	case DHCPDISCOVER:
		return dhcp4_msg_discover(x, tx, ret_verdict);
	case DHCPREQUEST:
		return dhcp4_msg_request(x, tx, ret_verdict);
	case DHCPRELEASE:
		return dhcp4_msg_release(x, tx, ret_verdict);
	case DHCPDECLINE:
		return dhcp4_msg_decline(x, tx, ret_verdict);
	case DHCPINFORM:
		return dhcp4_msg_inform(x, tx, ret_verdict);
	default:
		return dhcp4_drop(x, ret_verdict);
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
	hostdb_conn_reset(ctx->hosts);
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
		dhcp4_log_parse_fail(x, dhcp4_log_unpack_error(rx));
		stats_inc(ctx->stats, STAT_PKT4_PARSE_FAILED);
		return dhcp4_drop(x, ret_verdict);
	}
	agent_t *agent = (agent_t *)(void *)(x->pkt + 1);
	r = agent_parse(pkt4_opt(x->pkt, DHO_DHCP_AGENT_OPTIONS), agent);
	x->agent = r == 0 ? agent : NULL;
	client_init(x); /* for the log label; the pipeline has it too */
	if (!dhcp4_accept_options_parse(x)) {
		stats_inc(ctx->stats, STAT_PKT4_PARSE_FAILED);
		return dhcp4_drop(x, ret_verdict);
	}
	x->type = pkt4_msg_type(x->pkt);
	count_received(ctx->stats, x->type);
	if (!dhcp4_accept_options_sane(x) || !ha_in_scope(x, tx)) {
		return dhcp4_drop(x, ret_verdict);
	}

	*ret_verdict = VERDICT_DROP;
	r = pipeline(x, tx, ret_verdict);
	if (r == 0 && hostdb_conn_failed(ctx->hosts)) {
		*ret_verdict = VERDICT_DROP;    /* a lookup while allocating failed */
		return -EIO;
	}
	return r;
}

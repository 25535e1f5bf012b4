/* Kea's log lines for the per-packet pipeline (dhcp4.c): client labels, the
 * DHCP4_PACKET_DROP_* family, lease and allocation-failure lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/dhcp4-int.h"
#include "dhcp/pkt4-dump.h"
#include "dhcp/proto.h"
#include "util/hex.h"
#include "util/inaddr.h"
#include "util/log.h"

const char *dhcp4_log_label(const exch_t *x, char *buf)
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
void dhcp4_log_drop(const exch_t *x, const char *msgid, int dbglevel, const char *fmt, ...)
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
void dhcp4_log_parse_fail(const exch_t *x, const char *reason)
{
	char src[INADDR_STRLEN], dst[INADDR_STRLEN];

	dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0001", LOG_DBG_DETAIL,
	         "failed to parse packet from %s to %s, received over interface %s, reason: %s",
	         inaddr_fmt(x->rx->src_addr, src), inaddr_fmt(x->rx->dst_addr, dst),
	         x->rx->ifname, reason);
}

/* Kea 2.2's Pkt4::unpack() text for a datagram pkt4_parse() refused (at
 * least DHCP_FIXED_LEN bytes long). */
const char *dhcp4_log_unpack_error(const dhcp4_rx_t *rx)
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
void dhcp4_log_process_fail(const exch_t *x, const char *suffix, const char *what)
{
	char label[LABEL_MAX];

	dhcp4_log_drop(x, "DHCP4_PACKET_DROP_0007", LOG_DBG_TRACE, "%s%s: failed to process packet: %s",
	         dhcp4_log_label(x, label), suffix, what);
}

/* DHCP4_PACKET_DROP_0010 / 0013 (@when " after host reservation lookup"):
 * Kea logs them on kea-dhcp4.packets with the whole packet's text. */
void dhcp4_log_drop_class(const exch_t *x, const char *when)
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

void dhcp4_log_lease(const exch_t *x, const char *msgid, const lease4_t *l, uint32_t reuse_lft)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!log_enabled(LOGGER_LEASES, LOG_SEV_INFO, 0)) {
		return;
	}
	dhcp4_log_label(x, label);
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
void dhcp4_log_alloc_fail(const exch_t *x, const alloc_result_t *res)
{
	char label[LABEL_MAX], a[INADDR_STRLEN], classes[1024];
	const cfg_t *cfg = x->ctx->cfg;
	const cfg_subnet4_t *s = res->subnet;
	size_t n = 0;

	if (!log_enabled(LOGGER_ALLOC, LOG_SEV_WARN, 0) || s == NULL) {
		return;
	}
	dhcp4_log_label(x, label);
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
void dhcp4_log_no_subnet_nak(const exch_t *x)
{
	char label[LABEL_MAX], a[INADDR_STRLEN];

	if (!log_enabled(LOGGER_BAD_PACKETS, LOG_SEV_ERROR, 0)) {
		return;
	}
	log_error(LOGGER_BAD_PACKETS, "DHCP4_PACKET_NAK_0001",
	          "%s: failed to select a subnet for incoming packet, src %s, type %s",
	          dhcp4_log_label(x, label), inaddr_fmt(x->rx->src_addr, a),
	          pkt4_dump_msg_type_name(x->type));
}

/* Kea 2.2 discoverLease4(): WARN when the client's reserved address is leased
 * to another client; %3 is Lease4::toText() of that lease (multi-line, as in
 * Kea). */
void dhcp4_log_discover_conflict(const exch_t *x, const alloc_req_t *req, uint32_t addr)
{
	char label[LABEL_MAX], a[INADDR_STRLEN], la[INADDR_STRLEN];
	char hw[3 * DHCP_HWADDR_MAX + 1], cid[3 * DHCP_OPT_LEN_MAX + 1];
	static const char *const states[] = {"default", "declined", "expired-reclaimed"};
	lease4_t l;

	if (!log_enabled(LOGGER_ALLOC, LOG_SEV_WARN, 0)) {
		return;
	}
	dhcp4_log_label(x, label);
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

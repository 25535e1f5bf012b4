/* A worker's packet log lines (Kea's DHCP4_QUERY_DATA / DHCP4_RESPONSE_DATA
 * family on kea-dhcp4.packets); only called when the level is enabled. */
#include <stdio.h>
#include <string.h>

#include "daemon/worker-int.h"
#include "dhcp/pkt4-dump.h"
#include "dhcp/proto.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/wire.h"

/* Kea's Pkt4::getLabel() from the raw fixed header and option 61:
 * "[hwtype=1 00:0c:01:02:03:05], cid=[no info], tid=0x1b9a9d0f". */
const char *worker_log_label(const uint8_t *p, size_t len, char *buf, size_t size)
{
	char hw[3 * DHCP_CHADDR_LEN + 1] = "";
	char cid[3 * 64 + 8] = "no info";
	size_t o = 0;

	if (len < DHCP_FIXED_LEN + 4) {
		snprintf(buf, size, "[no info], cid=[no info], tid=0x0");
		return buf;
	}
	size_t hlen = MIN((size_t)p[2], (size_t)DHCP_CHADDR_LEN);
	for (size_t i = 0; i < hlen; i++) {
		o += (size_t)snprintf(hw + o, sizeof(hw) - o, "%s%02x", i > 0 ? ":" : "", p[28 + i]);
	}
	/* option 61 in the main option area (bounded walk) */
	for (size_t i = DHCP_FIXED_LEN + 4; i < len;) {
		uint8_t code = p[i];

		if (code == DHO_END) {
			break;
		}
		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + p[i + 1] > len) {
			break;
		}
		if (code == DHO_DHCP_CLIENT_IDENTIFIER && p[i + 1] > 0) {
			o = 0;
			for (size_t k = 0; k < p[i + 1] && k < 64; k++) {
				o += (size_t)snprintf(cid + o, sizeof(cid) - o, "%s%02x", k > 0 ? ":" : "", p[i + 2 + k]);
			}
			break;
		}
		i += 2 + (size_t)p[i + 1];
	}
	snprintf(buf, size, "[hwtype=%u %s], cid=[%s], tid=0x%x", p[1], hw, cid, be32_load(p + 4));
	return buf;
}

static const char *tx_kind_name(dhcp4_tx_kind_t k)
{
	switch (k) {
	case DHCP4_TX_UDP:
		return "udp";
	case DHCP4_TX_BROADCAST:
		return "broadcast";
	case DHCP4_TX_LINK:
		return "raw";
	default:
		return "?";
	}
}

void worker_log_send(worker_t *w, const dhcp4_tx_t *tx, uint32_t src, uint32_t dst, uint16_t dport,
                     const char *ifname)
{
	char label[256], sa[INADDR_STRLEN], da[INADDR_STRLEN];

	if (log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE)) {
		worker_log_label(tx->buf, tx->len, label, sizeof(label));
		log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE, "DHCP4_PACKET_SEND",
		         "%s: trying to send packet %s (type %u) from %s:%u to %s:%u on interface %s", label,
		         pkt4_dump_msg_type_name(tx->msg_type), tx->msg_type, src != 0 ? inaddr_fmt(src, sa) : "*",
		         w->server_port, inaddr_fmt(dst, da), dport, ifname);
	}
	if (log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL_DATA)) {
		pkt4_t *pkt = arena_alloc(&w->arena, sizeof(*pkt));
		char line[PKT4_DUMP_LINE_MAX];

		worker_log_label(tx->buf, tx->len, label, sizeof(label));
		if (pkt != NULL && pkt4_parse(pkt, &w->arena, tx->buf, tx->len) == 0) {
			log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL_DATA, "DHCP4_RESPONSE_DATA",
			         "%s: responding with packet %s (type %u), packet details: %s (via %s)", label,
			         pkt4_dump_msg_type_name(tx->msg_type), tx->msg_type,
			         pkt4_dump_line(pkt, line, sizeof(line)), tx_kind_name(tx->kind));
		}
		arena_reset(&w->arena);
	}
}

/* DHCP4_PACKET_RECEIVED (45) and DHCP4_QUERY_DATA (55) for a datagram that
 * parses; one that does not is the engine's DHCP4_PACKET_DROP_0001. */
void worker_log_query(worker_t *w, const dhcp4_rx_t *rx)
{
	pkt4_t *pkt = arena_alloc(&w->arena, sizeof(*pkt));
	char label[256], sa[INADDR_STRLEN], da[INADDR_STRLEN];

	if (pkt != NULL && pkt4_parse(pkt, &w->arena, rx->buf, rx->len) == 0) {
		int type = pkt4_msg_type(pkt);

		worker_log_label(rx->buf, rx->len, label, sizeof(label));
		log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE_DATA, "DHCP4_PACKET_RECEIVED",
		         "%s: %s (type %d) received from %s to %s on interface %s", label,
		         pkt4_dump_msg_type_name(type), type, inaddr_fmt(rx->src_addr, sa),
		         inaddr_fmt(rx->dst_addr, da), rx->ifname);
		if (log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL_DATA)) {
			char line[PKT4_DUMP_LINE_MAX];

			log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL_DATA, "DHCP4_QUERY_DATA",
			         "%s, packet details: %s", label, pkt4_dump_line(pkt, line, sizeof(line)));
		}
	}
	arena_reset(&w->arena);
}

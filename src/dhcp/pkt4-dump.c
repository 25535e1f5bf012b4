/* One-line packet summaries (logs, test failures, fuzzer sanity). */
#include "dhcp/pkt4-dump.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dhcp/proto.h"
#include "util/hex.h"
#include "util/inaddr.h"

static const char *const msg_type_names[] = {
	[0] = "BOOTP",
	[1] = "DHCPDISCOVER",
	[2] = "DHCPOFFER",
	[3] = "DHCPREQUEST",
	[4] = "DHCPDECLINE",
	[5] = "DHCPACK",
	[6] = "DHCPNAK",
	[7] = "DHCPRELEASE",
	[8] = "DHCPINFORM",
	[9] = "DHCPFORCERENEW",
	[10] = "DHCPLEASEQUERY",
	[11] = "DHCPLEASEUNASSIGNED",
	[12] = "DHCPLEASEUNKNOWN",
	[13] = "DHCPLEASEACTIVE",
};

const char *pkt4_dump_msg_type_name(int type)
{
	if (type < 0 || (size_t)type >= sizeof(msg_type_names) / sizeof(msg_type_names[0])) {
		return "UNKNOWN";
	}
	return msg_type_names[type];
}

/* Bounded appender: once something did not fit, nothing more is written. */
typedef struct line {
	char *buf;
	size_t size;
	size_t pos;
	bool full;
} line_t;

__attribute__((format(printf, 2, 3)))
static void line_add(line_t *l, const char *fmt, ...)
{
	va_list ap;

	if (l->full) {
		return;
	}
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->pos, l->size - l->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->size - l->pos) {
		l->full = true;
		return;
	}
	l->pos += (size_t)n;
}

/* Replace the tail with "..." when the line was cut. */
static void line_mark_cut(line_t *l)
{
	static const char dots[] = "...";

	if (!l->full) {
		return;
	}
	if (l->size >= sizeof(dots)) {
		memcpy(l->buf + l->size - sizeof(dots), dots, sizeof(dots));
	} else {
		l->buf[l->size - 1] = '\0';
	}
}

const char *pkt4_dump_line(const pkt4_t *pkt, char *buf, size_t size)
{
	line_t l = { .buf = buf, .size = size };
	char hw[3 * DHCP_CHADDR_LEN + 1];
	char a1[INADDR_STRLEN], a2[INADDR_STRLEN], a3[INADDR_STRLEN];
	const opt_view_t *mt = pkt4_opt(pkt, DHO_DHCP_MESSAGE_TYPE);
	int type = pkt4_msg_type(pkt);
	bool first = true;

	if (size == 0) {
		return buf;
	}
	buf[0] = '\0';

	if (type != 0) {
		line_add(&l, "%s", pkt4_dump_msg_type_name(type));
	} else if (mt == NULL) {
		line_add(&l, "BOOTP");
	} else {
		line_add(&l, "BADTYPE");
	}

	size_t hlen = pkt->hlen <= DHCP_CHADDR_LEN ? pkt->hlen : DHCP_CHADDR_LEN;
	hex_fmt(pkt->chaddr, hlen, ':', hw);
	line_add(&l, " xid=0x%08x hw=%u/%s", (unsigned)pkt->xid, (unsigned)pkt->htype,
		 hlen > 0 ? hw : "-");
	if (pkt->hlen > DHCP_CHADDR_LEN) {
		line_add(&l, " hlen=%u", (unsigned)pkt->hlen);
	}
	line_add(&l, " ciaddr=%s yiaddr=%s giaddr=%s", inaddr_fmt(pkt->ciaddr, a1),
		 inaddr_fmt(pkt->yiaddr, a2), inaddr_fmt(pkt->giaddr, a3));
	if (pkt->hops != 0) {
		line_add(&l, " hops=%u", (unsigned)pkt->hops);
	}
	if (pkt->overload != 0) {
		line_add(&l, " ovl=%u", (unsigned)pkt->overload);
	}

	line_add(&l, " opts=");
	for (unsigned c = 1; c < DHO_END; c++) {
		const opt_view_t *v = &pkt->opts[c];

		if (v->count == 0) {
			continue;
		}
		line_add(&l, "%s%u", first ? "" : ",", c);
		if (v->count > 1) {
			line_add(&l, "x%u", (unsigned)v->count);
		}
		first = false;
	}
	if (first) {
		line_add(&l, "-");
	}

	line_mark_cut(&l);
	return buf;
}

const char *pkt4_dump_kea(const pkt4_t *pkt, uint32_t local, uint16_t lport, uint32_t remote,
                          uint16_t rport, char *buf, size_t size)
{
	line_t l = { .buf = buf, .size = size };
	char a1[INADDR_STRLEN], a2[INADDR_STRLEN];
	char hex[3 * 255 + 1];
	int type = pkt4_msg_type(pkt);

	if (size == 0) {
		return buf;
	}
	buf[0] = '\0';
	line_add(&l, "local_address=%s:%u, remote_address=%s:%u, msg_type=%s (%d), transid=0x%x,",
	         inaddr_fmt(local, a1), (unsigned)lport, inaddr_fmt(remote, a2), (unsigned)rport,
	         pkt4_dump_msg_type_name(type), type, (unsigned)pkt->xid);
	line_add(&l, "\noptions:");
	for (unsigned c = 1; c < DHO_END; c++) {
		const opt_view_t *v = &pkt->opts[c];

		if (v->count == 0) {
			continue;
		}
		line_add(&l, "\n  type=%03u, len=%03u: ", c, (unsigned)v->len);
		if (c == DHO_DHCP_MESSAGE_TYPE && v->len == 1) {
			line_add(&l, "%u (uint8)", (unsigned)v->data[0]);
		} else {
			size_t n = v->len < 255 ? v->len : 255;
			line_add(&l, "%s", hex_fmt(v->data, n, ':', hex));
		}
	}
	line_mark_cut(&l);
	return buf;
}

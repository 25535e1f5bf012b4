/* lessor-probe's messages and reply parsing; see probe/probe.h. */
#include "probe/probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "util/arena.h"
#include "util/macro.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t opt(uint8_t *buf, size_t at, uint8_t code, const void *data, uint8_t len)
{
	buf[at] = code;
	buf[at + 1] = len;
	memcpy(buf + at + 2, data, len);
	return at + 2u + len;
}

size_t probe_build(const probe_client_t *c, int msg_type, uint32_t addr, uint32_t server_id,
                   uint8_t *buf)
{
	static const uint8_t prl[] = { DHO_SUBNET_MASK, DHO_ROUTERS, DHO_DOMAIN_NAME_SERVERS,
		                       DHO_DOMAIN_NAME, DHO_DHCP_LEASE_TIME };
	uint8_t v[4];
	uint8_t t = (uint8_t)msg_type;
	size_t at;

	memset(buf, 0, PROBE_PKT_MAX);
	buf[0] = BOOTREQUEST;
	buf[1] = 1;             /* Ethernet */
	buf[2] = 6;
	buf[3] = c->giaddr != 0 ? 1 : 0;        /* hops: one relay */
	put32(buf + 4, c->xid);
	if (c->broadcast && msg_type != DHCPRELEASE) {
		buf[10] = 0x80;
	}
	if (msg_type == DHCPRELEASE) {
		put32(buf + 12, addr);          /* ciaddr */
	}
	put32(buf + 24, c->giaddr);
	memcpy(buf + 28, c->mac, 6);
	put32(buf + DHCP_FIXED_LEN, DHCP_MAGIC_COOKIE);
	at = DHCP_FIXED_LEN + 4;
	at = opt(buf, at, DHO_DHCP_MESSAGE_TYPE, &t, 1);
	if (msg_type == DHCPREQUEST && addr != 0) {
		put32(v, addr);
		at = opt(buf, at, DHO_DHCP_REQUESTED_ADDRESS, v, 4);
	}
	if (server_id != 0 && msg_type != DHCPDISCOVER) {
		put32(v, server_id);
		at = opt(buf, at, DHO_DHCP_SERVER_IDENTIFIER, v, 4);
	}
	if (msg_type != DHCPRELEASE) {
		at = opt(buf, at, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	}
	buf[at++] = DHO_END;
	return MAX(at, (size_t)300);    /* BOOTP minimum, as real clients pad */
}

static uint32_t opt32(const pkt4_t *p, uint8_t code)
{
	const opt_view_t *o = pkt4_opt(p, code);

	return o != NULL && o->len >= 4 ? get32(o->data) : 0;
}

int probe_parse_reply(const probe_client_t *c, const uint8_t *buf, size_t len, probe_reply_t *ret)
{
	arena_t a;
	pkt4_t p;
	int r;

	if (arena_init(&a, 16384) < 0) {
		return -ENOMEM;
	}
	r = pkt4_parse(&p, &a, buf, len);
	if (r < 0 || p.op != BOOTREPLY || p.xid != c->xid || memcmp(p.chaddr, c->mac, 6) != 0) {
		arena_done(&a);
		return -EBADMSG;
	}
	*ret = (probe_reply_t){ 0 };
	ret->msg_type = pkt4_msg_type(&p);
	ret->yiaddr = p.yiaddr;
	ret->server_id = opt32(&p, DHO_DHCP_SERVER_IDENTIFIER);
	ret->lease_time = opt32(&p, DHO_DHCP_LEASE_TIME);
	ret->mask = opt32(&p, DHO_SUBNET_MASK);
	ret->router = opt32(&p, DHO_ROUTERS);
	const opt_view_t *m = pkt4_opt(&p, DHO_DHCP_MESSAGE);
	if (m != NULL) {
		size_t n = MIN((size_t)m->len, sizeof(ret->message) - 1);
		for (size_t i = 0; i < n; i++) {        /* printable only: it gets printed */
			ret->message[i] = m->data[i] >= 0x20 && m->data[i] < 0x7f ? (char)m->data[i] : '?';
		}
	}
	arena_done(&a);
	return ret->msg_type > 0 ? 0 : -EBADMSG;
}

int probe_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6 &&
	    sscanf(s, "%2x-%2x-%2x-%2x-%2x-%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6) {
		return -EINVAL;
	}
	for (int i = 0; i < 6; i++) {
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

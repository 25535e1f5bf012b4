/* dhcp4_process(): the whole pipeline against a memfile(persist=false) store,
 * packet by packet, checking Kea 2.2's observable behaviour: DORA, relays,
 * renew / rebind / INIT-REBOOT, RELEASE / DECLINE, INFORM. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "helpers-dhcp4.h"
#include "lease/store.h"
#include "util/macro.h"

/* ---- DORA ---- */

static void test_dora_direct(void **state)
{
	eng_env_t *e = *state;
	lease4_t l;
	uint8_t codes[32];
	size_t n;

	assert_int_equal(discover(e, MAC1), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), ENG_SERVER_ADDR);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 3600);
	assert_int_equal(eng_reply_u32(e, DHO_SUBNET_MASK), 0xffffff00u);
	assert_int_equal(eng_reply_u32(e, DHO_ROUTERS), A(192, 0, 2, 1));
	assert_int_equal(eng_reply_u32(e, DHO_DOMAIN_NAME_SERVERS), A(192, 0, 2, 53));
	/* Not requested, not a basic option: not sent. */
	assert_false(eng_reply_has(e, 42));
	/* No T1/T2 configured: none sent. */
	assert_false(eng_reply_has(e, DHO_DHCP_RENEWAL_TIME));
	/* Kea's order: 53 first, then by code. */
	n = eng_reply_codes(e, codes, sizeof(codes));
	assert_true(n == 6);
	assert_int_equal(codes[0], 53);
	assert_int_equal(codes[1], 1);
	assert_int_equal(codes[2], 3);
	assert_int_equal(codes[3], 6);
	assert_int_equal(codes[4], 51);
	assert_int_equal(codes[5], 54);
	/* Direct, no broadcast flag, raw sockets: unicast to yiaddr by MAC. */
	assert_int_equal(e->tx.kind, DHCP4_TX_LINK);
	assert_int_equal(e->tx.dst_addr, A(192, 0, 2, 10));
	assert_int_equal(e->tx.dst_port, 68);
	assert_memory_equal(e->tx.chaddr, MAC1, 6);
	assert_int_equal(e->tx.msg_type, DHCPOFFER);
	/* An OFFER writes nothing. */
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 10), &l), -ENOENT);

	assert_int_equal(request_selecting(e, MAC1, A(192, 0, 2, 10), ENG_SERVER_ADDR),
	                 VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 10), &l), 0);
	assert_int_equal(l.subnet_id, 1);
	assert_int_equal(l.valid_lft, 3600);
	assert_int_equal(l.cltt, ENG_NOW);
	assert_memory_equal(l.hwaddr, MAC1, 6);

	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVED), 2);
	assert_int_equal(eng_stat(e, STAT_PKT4_DISCOVER_RECEIVED), 1);
	assert_int_equal(eng_stat(e, STAT_PKT4_REQUEST_RECEIVED), 1);
	assert_int_equal(eng_stat(e, STAT_PKT4_OFFER_SENT), 1);
	assert_int_equal(eng_stat(e, STAT_PKT4_ACK_SENT), 1);
	assert_int_equal(eng_stat(e, STAT_PKT4_SENT), 2);
}

static void test_dora_broadcast_flag(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	p.buf[10] = 0x80;
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	/* not relayed, raw sockets: a frame to the client, whatever the IP destination */
	assert_int_equal(e->tx.kind, DHCP4_TX_LINK);
	assert_int_equal(e->tx.dst_addr, 0xffffffffu);
	assert_int_equal(e->tx.dst_port, 68);
	/* flags copied */
	assert_int_equal(e->reply.flags, 0x8000);
}

static void test_dora_relayed(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;
	uint32_t sid;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_equal(e->reply.yiaddr, A(10, 0, 1, 1));
	assert_int_equal(e->reply.giaddr, A(10, 0, 0, 2));
	assert_int_equal(e->reply.hops, 1);
	assert_int_equal(eng_reply_u32(e, DHO_SUBNET_MASK), 0xffff0000u);
	assert_false(eng_reply_has(e, DHO_ROUTERS)); /* subnet 1's routers */
	assert_int_equal(e->tx.kind, DHCP4_TX_UDP);
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
	assert_int_equal(e->tx.dst_port, 67);
	sid = eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER);
	assert_int_equal(sid, ENG_SERVER_ADDR);

	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(10, 0, 1, 1));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, A(10, 0, 1, 1));
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
	assert_int_equal(e->tx.dst_port, 67);
}

/* ---- relay ---- */

static void relayed_discover_82(eng_env_t *e, const uint8_t *rai, size_t rai_len, uint16_t port)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, rai_len);
	eng_pkt_relay(&p, A(10, 0, 0, 2), port);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
}

static void test_relay_port(void **state)
{
	eng_env_t *e = *state;
	/* circuit-id "ab", relay-port (RFC 8357: sub-option 19, length 0). */
	static const uint8_t rai19[] = {1, 2, 'a', 'b', 19, 0};
	static const uint8_t rai[] = {1, 2, 'a', 'b'};
	const opt_view_t *o;
	uint8_t codes[32];
	size_t n;

	relayed_discover_82(e, rai19, sizeof(rai19), 3067);
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
	assert_int_equal(e->tx.dst_port, 3067);
	/* RAI echoed verbatim, and last. */
	o = pkt4_opt(&e->reply, DHO_DHCP_AGENT_OPTIONS);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(rai19));
	assert_memory_equal(o->data, rai19, sizeof(rai19));
	n = eng_reply_codes(e, codes, sizeof(codes));
	assert_int_equal(codes[n - 1], DHO_DHCP_AGENT_OPTIONS);

	/* Without sub-option 19: port 67 even when the relay sent from 68
	 * (the 2021 incident). */
	relayed_discover_82(e, rai, sizeof(rai), 68);
	assert_int_equal(e->tx.dst_port, 67);
}

static void test_relay_link_selection(void **state)
{
	eng_env_t *e = *state;
	/* giaddr in 10.0/16 but link-selection says 192.0.2.0/24. */
	static const uint8_t rai5[] = {5, 4, 192, 0, 2, 0};

	relayed_discover_82(e, rai5, sizeof(rai5), 67);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
}

static void test_subnet_selection_option(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t rai_remote[] = {2, 1, 'A'};
	eng_pkt_t p;

	/* RFC 3011 option 118 beats giaddr, also with option 82 present but
	 * without link-selection (as Kea 2.2 does); it is echoed back. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt_addr(&p, DHO_SUBNET_SELECTION, A(192, 0, 2, 0));
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai_remote, sizeof(rai_remote));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	assert_int_equal(eng_reply_u32(e, DHO_SUBNET_SELECTION), A(192, 0, 2, 0));
}

static void test_no_subnet(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;

	/* DISCOVER: silence, not a receive drop. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_relay(&p, A(172, 16, 0, 1), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVE_DROP), 0);
	/* SELECTING REQUEST: NAK (Kea DHCP4_PACKET_NAK_0001), to the relay. */
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(172, 16, 0, 9));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_relay(&p, A(172, 16, 0, 1), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(e->tx.dst_addr, A(172, 16, 0, 1));
	/* INIT-REBOOT, not authoritative: NAK all the same (Kea 2.2 assignLease
	 * checks the subnet first; seen in the differential test). */
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(172, 16, 0, 9));
	eng_pkt_relay(&p, A(172, 16, 0, 1), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	/* A direct broadcast from a link without a subnet is not accepted. */
	e->ctx.cfg = e->cfg;
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_end(&p);
	dhcp4_rx_t rx = {.buf = p.buf,
	                 .len = p.len,
	                 .src_port = 68,
	                 .dst_addr = 0xffffffffu,
	                 .iface_addr = A(172, 17, 0, 1)};
	verdict_t v;
	e->tx.buf = e->txbuf;
	assert_int_equal(dhcp4_process(&e->ctx, &rx, &e->tx, &v), 0);
	assert_int_equal(v, VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVE_DROP), 1);
}

/* Kea 2.2 answers a packet whose option 82 has a sub-option running past
 * the option: the sub-options before it count, nothing left to echo. */
static void test_relay_bad_rai_answered(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t bad[] = {1, 9, 'a'};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, bad, sizeof(bad));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_false(eng_reply_has(e, DHO_DHCP_AGENT_OPTIONS));
	assert_int_equal(eng_stat(e, STAT_PKT4_PARSE_FAILED), 0);
}

/* ---- renew / rebind / init-reboot ---- */

/* dhcp-socket-type udp: no packet socket, so replies take the kernel's path;
 * to ciaddr when there is one, else by broadcast. */
static void test_socket_udp(void **state)
{
	static const char *cfg = "{\"Dhcp4\": {"
	                         " \"interfaces-config\": {\"interfaces\": [\"eth0\"],"
	                         "   \"dhcp-socket-type\": \"udp\"},"
	                         " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	                         " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
	                         "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}]"
	                         "}}";
	eng_env_t *e = eng_env_new(cfg);
	uint32_t a;

	(void)state;
	a = eng_dora(e, MAC1);
	assert_int_equal(e->tx.kind, DHCP4_TX_BROADCAST);
	assert_int_equal(e->tx.dst_addr, 0xffffffffu);
	assert_int_equal(renew(e, MAC1, a, true), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->tx.kind, DHCP4_TX_UDP);
	assert_int_equal(e->tx.dst_addr, a);
	assert_int_equal(e->tx.dst_port, 68);
	eng_env_free(e);
}

static void test_renew(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);
	lease4_t l;

	assert_int_equal(a, A(192, 0, 2, 10));
	e->ctx.now += 1800;
	assert_int_equal(renew(e, MAC1, a, true), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, a);
	assert_int_equal(e->reply.ciaddr, a);
	/* not relayed, raw sockets: a frame to the client, whatever the IP destination */
	assert_int_equal(e->tx.kind, DHCP4_TX_LINK);
	assert_int_equal(e->tx.dst_addr, a);
	assert_int_equal(e->tx.dst_port, 68);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_int_equal(l.cltt, ENG_NOW + 1800);
	/* Renewal is not a new assignment. */
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), 1);
}

static void test_rebind(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);

	e->ctx.now += 3200;
	/* REBINDING: broadcast, ciaddr set. */
	assert_int_equal(renew(e, MAC1, a, false), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, a);
	assert_int_equal(e->tx.dst_addr, a);
	assert_int_equal(e->tx.dst_port, 68);
}

static verdict_t init_reboot(eng_env_t *e, const uint8_t *mac, uint32_t addr)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, addr);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

static void test_init_reboot(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);
	uint8_t codes[16];

	assert_int_equal(init_reboot(e, MAC1, a), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, a);

	/* Known client, wrong address: NAK, broadcast, 53 + 54 only. */
	assert_int_equal(init_reboot(e, MAC1, A(192, 0, 2, 15)), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(e->reply.yiaddr, 0);
	/* not relayed, raw sockets: a frame to the client, whatever the IP destination */
	assert_int_equal(e->tx.kind, DHCP4_TX_LINK);
	assert_int_equal(e->tx.dst_addr, 0xffffffffu);
	assert_int_equal(eng_reply_codes(e, codes, sizeof(codes)), 2);
	assert_int_equal(codes[0], 53);
	assert_int_equal(codes[1], 54);
	assert_int_equal(eng_stat(e, STAT_PKT4_NAK_SENT), 1);

	/* Unknown client, not authoritative: silence. */
	assert_int_equal(init_reboot(e, MAC2, A(192, 0, 2, 15)), VERDICT_DROP);
}

static const char *CFG_AUTH = "{\"Dhcp4\": {"
                              " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
                              " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
                              " \"authoritative\": true,"
                              " \"subnet4\": ["
                              "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
                              "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}"
                              " ]"
                              "}}";

static int setup_auth(void **state)
{
	*state = eng_env_new(CFG_AUTH);
	return 0;
}

static void test_init_reboot_authoritative(void **state)
{
	eng_env_t *e = *state;

	/* Unknown client, authoritative: NAK. */
	assert_int_equal(init_reboot(e, MAC2, A(192, 0, 2, 15)), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	/* An address outside every pool is still ignored (Kea 2.2). */
	assert_int_equal(eng_dora(e, MAC1), A(192, 0, 2, 10));
	assert_int_equal(request_selecting(e, MAC1, A(192, 0, 2, 100), ENG_SERVER_ADDR),
	                 VERDICT_DROP);
}

/* ---- release / decline ---- */

static void test_release_then_new_address(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);
	eng_pkt_t p;
	lease4_t l;

	assert_int_equal(a, A(192, 0, 2, 10));
	/* RELEASE from another client: ignored. */
	eng_pkt_init(&p, DHCPRELEASE, MAC2);
	eng_pkt_set_ciaddr(&p, a);
	eng_pkt_unicast(&p, a);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_false(lease4_is_expired(&l, e->ctx.now));

	eng_pkt_init(&p, DHCPRELEASE, MAC1);
	eng_pkt_set_ciaddr(&p, a);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_unicast(&p, a);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_RELEASE_RECEIVED), 2);
	/* Defaults (25 s / 3600 s): expired in place, row kept. */
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_int_equal(l.valid_lft, 0);
	assert_true(lease4_is_expired(&l, e->ctx.now));

	/* Kea 2.2: the same client is offered a new address. */
	assert_int_equal(discover(e, MAC1), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_not_equal(e->reply.yiaddr, a);
}

static const char *CFG_NO_AFFINITY =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"expired-leases-processing\": {\"hold-reclaimed-time\": 0},"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}"
        " ]"
        "}}";

static int setup_no_affinity(void **state)
{
	*state = eng_env_new(CFG_NO_AFFINITY);
	return 0;
}

static void test_release_deletes(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);
	eng_pkt_t p;
	lease4_t l;

	eng_pkt_init(&p, DHCPRELEASE, MAC1);
	eng_pkt_set_ciaddr(&p, a);
	eng_pkt_unicast(&p, a);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), -ENOENT);
}

static void test_decline(void **state)
{
	eng_env_t *e = *state;
	uint32_t a = eng_dora(e, MAC1);
	eng_pkt_t p;
	lease4_t l;

	/* Without option 50: dropped, nothing changes. */
	eng_pkt_init(&p, DHCPDECLINE, MAC1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DEFAULT);

	/* Another client's DECLINE: ignored. */
	eng_pkt_init(&p, DHCPDECLINE, MAC2);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, a);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DEFAULT);

	eng_pkt_init(&p, DHCPDECLINE, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, a);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DECLINED);
	assert_int_equal(l.hwaddr_len, 0);
	assert_int_equal(l.client_id_len, 0);
	assert_int_equal(lease4_expire(&l), e->ctx.now + 86400);
	assert_int_equal(eng_stat(e, STAT_DECLINED_ADDRESSES), 1);

	/* The declined address is offered to nobody during probation. */
	assert_int_equal(discover(e, MAC1), VERDICT_REPLY);
	assert_int_not_equal(e->reply.yiaddr, a);
	assert_int_equal(discover(e, MAC2), VERDICT_REPLY);
	assert_int_not_equal(e->reply.yiaddr, a);
	/* Asking for it: NAK (leased to "someone"). */
	assert_int_equal(request_selecting(e, MAC2, a, ENG_SERVER_ADDR), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
}

/* ---- inform ---- */

static void test_inform(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t prl[] = {1, 3, 6, 42};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPINFORM, MAC1);
	eng_pkt_set_ciaddr(&p, A(192, 0, 2, 77));
	eng_pkt_unicast(&p, A(192, 0, 2, 77));
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, 0);
	assert_int_equal(e->reply.ciaddr, A(192, 0, 2, 77));
	assert_false(eng_reply_has(e, DHO_DHCP_LEASE_TIME));
	assert_false(eng_reply_has(e, DHO_SUBNET_MASK)); /* not configured */
	assert_int_equal(eng_reply_u32(e, DHO_ROUTERS), A(192, 0, 2, 1));
	assert_int_equal(eng_reply_u32(e, 42), A(192, 0, 2, 123));
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), ENG_SERVER_ADDR);
	assert_int_equal(e->tx.dst_addr, A(192, 0, 2, 77));
	assert_int_equal(e->tx.dst_port, 68);
	/* not relayed, raw sockets: a frame to the client, whatever the IP destination */
	assert_int_equal(e->tx.kind, DHCP4_TX_LINK);

	/* Relayed without ciaddr: to the relay, broadcast flag set. */
	eng_pkt_init(&p, DHCPINFORM, MAC1);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
	assert_int_equal(e->tx.dst_port, 67);
	assert_int_equal(e->reply.flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(e->reply.giaddr, A(10, 0, 0, 2));

	/* Relayed with ciaddr: straight to ciaddr:68 without hops, giaddr and
	 * option 82 (checked against Kea 2.2). */
	static const uint8_t rai[] = {1, 2, 'a', 'b'};
	eng_pkt_init(&p, DHCPINFORM, MAC1);
	eng_pkt_set_ciaddr(&p, A(192, 0, 2, 77));
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, sizeof(rai));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->tx.dst_addr, A(192, 0, 2, 77));
	assert_int_equal(e->tx.dst_port, 68);
	assert_int_equal(e->reply.giaddr, 0);
	assert_int_equal(e->reply.hops, 0);
	assert_int_equal(e->reply.flags, 0);
	assert_false(eng_reply_has(e, DHO_DHCP_AGENT_OPTIONS));

	/* Direct, no ciaddr, no source: nowhere to answer. */
	eng_pkt_init(&p, DHCPINFORM, MAC1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_dora_direct, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_dora_broadcast_flag, setup_basic, teardown),
	        cmocka_unit_test(test_socket_udp),
	        cmocka_unit_test_setup_teardown(test_dora_relayed, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_relay_port, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_relay_link_selection, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_relay_bad_rai_answered, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_no_subnet, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_subnet_selection_option, setup_basic,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_renew, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_rebind, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_init_reboot, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_init_reboot_authoritative, setup_auth,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_release_then_new_address, setup_basic,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_release_deletes, setup_no_affinity, teardown),
	        cmocka_unit_test_setup_teardown(test_decline, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_inform, setup_basic, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

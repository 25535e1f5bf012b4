/* dhcp4_process(): the whole pipeline against a memfile(persist=false) store,
 * packet by packet, checking Kea 2.2's observable behaviour. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "lease/store.h"
#include "util/macro.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const uint8_t MAC1[6] UNUSED = {0x02, 0, 0, 0, 0, 1};
static const uint8_t MAC2[6] UNUSED = {0x02, 0, 0, 0, 0, 2};
static const uint8_t MAC3[6] UNUSED = {0x02, 0, 0, 0, 0, 3};
static const uint8_t MAC4[6] UNUSED = {0x02, 0, 0, 0, 0, 4};

static const char *CFG_BASIC =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"valid-lifetime\": 3600,"
        " \"option-data\": [{\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"},"
        "                   {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\"}],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}],"
        "   \"option-data\": [{\"name\": \"routers\", \"data\": \"192.0.2.1\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\","
        "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.3\"}]}"
        " ]"
        "}}";

static int setup_basic(void **state)
{
	*state = eng_env_new(CFG_BASIC);
	return 0;
}

static int teardown(void **state)
{
	eng_env_free(*state);
	return 0;
}

static verdict_t discover(eng_env_t *e, const uint8_t *mac)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

static verdict_t request_selecting(eng_env_t *e, const uint8_t *mac, uint32_t addr, uint32_t sid)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, addr);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

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

static verdict_t renew(eng_env_t *e, const uint8_t *mac, uint32_t ciaddr, bool unicast)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_set_ciaddr(&p, ciaddr);
	if (unicast) {
		eng_pkt_unicast(&p, ciaddr);
	} else {
		p.src_addr = ciaddr;
	}
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

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

/* ---- acceptance and the silent drops ---- */

static void test_server_id_filter(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;
	uint32_t a;

	/* DISCOVER naming another server. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, A(192, 0, 2, 99));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	/* ... or us: option 54 is forbidden in a DISCOVER (checked on Kea 2.2). */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	/* INFORM naming another server. */
	eng_pkt_init(&p, DHCPINFORM, MAC1);
	eng_pkt_set_ciaddr(&p, A(192, 0, 2, 77));
	eng_pkt_unicast(&p, A(192, 0, 2, 77));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, A(192, 0, 2, 99));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	/* REQUEST selecting another server. */
	assert_int_equal(discover(e, MAC1), VERDICT_REPLY);
	a = e->reply.yiaddr;
	assert_int_equal(request_selecting(e, MAC1, a, A(192, 0, 2, 99)), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVE_DROP), 4);

	/* RFC 5107: 54 equal to RAI 11 is accepted; option 54 in the reply is
	 * not rewritten (Kea 2.2). */
	static const uint8_t rai11[] = {11, 4, 10, 0, 0, 1};
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(10, 0, 1, 1));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, A(10, 0, 0, 1));
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai11, sizeof(rai11));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), ENG_SERVER_ADDR);
}

static void test_server_id_configured(void **state)
{
	static const char *cfg = "{\"Dhcp4\": {"
	                         " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	                         " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	                         " \"subnet4\": ["
	                         "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
	                         "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]},"
	                         "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\","
	                         "   \"option-data\": [{\"name\": \"dhcp-server-identifier\", "
	                         "\"data\": \"10.0.0.254\"}],"
	                         "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.3\"}]}"
	                         " ]"
	                         "}}";
	eng_env_t *e = eng_env_new(cfg);
	eng_pkt_t p;

	(void)state;
	/* Configured for subnet 2: accepted for a subnet-1 client too. */
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(192, 0, 2, 10));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, A(10, 0, 0, 254));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), ENG_SERVER_ADDR);

	/* Subnet 2 replies carry the configured identifier. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC2);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), A(10, 0, 0, 254));

	/* A NAK names the socket address, not the configured one (Kea 2.2). */
	eng_pkt_init(&p, DHCPREQUEST, MAC2);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(192, 0, 2, 10)); /* MAC1's */
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, A(10, 0, 0, 254));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER), ENG_SERVER_ADDR);
	eng_env_free(e);
}

static void expect_parse_drop(eng_env_t *e, eng_pkt_t *p)
{
	uint64_t before = eng_stat(e, STAT_PKT4_PARSE_FAILED);

	eng_pkt_end(p);
	assert_int_equal(eng_send(e, p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_PARSE_FAILED), before + 1);
}

static void test_silent_drops(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t one = 1;
	static const uint8_t disc = DHCPDISCOVER;
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, NULL, 0);
	expect_parse_drop(e, &p);

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_MAX_MESSAGE_SIZE, &one, 1);
	expect_parse_drop(e, &p);

	eng_pkt_init(&p, 0, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_MESSAGE_TYPE, NULL, 0);
	expect_parse_drop(e, &p);

	/* Unpacked fine, dropped in processing: counted by type, not as
	 * parse-failed (Kea 2.2's statistics on the same packets). */
	uint64_t pf = eng_stat(e, STAT_PKT4_PARSE_FAILED);
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_CLIENT_IDENTIFIER, NULL, 0);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_CLIENT_IDENTIFIER, &one, 1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_DISCOVER_RECEIVED), 2);
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_MESSAGE_TYPE, &disc, 1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_PARSE_FAILED), pf);
	assert_int_equal(eng_stat(e, STAT_PKT4_UNKNOWN_RECEIVED), 1);

	/* Truncated header: refused by the socket in Kea, never counted. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	p.len = 100;
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);

	/* BOOTP (no option 53) and server-only types. */
	eng_pkt_init(&p, 0, MAC1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	eng_pkt_init(&p, DHCPOFFER, MAC1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_OFFER_RECEIVED), 1);
	assert_int_equal(eng_stat(e, STAT_PKT4_UNKNOWN_RECEIVED), 2);

	/* No hardware address and no client-id. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	p.buf[2] = 0;
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);

	assert_int_equal(eng_stat(e, STAT_PKT4_OFFER_SENT), 0);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVE_DROP), 9);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVED), 9);
}

static void test_op_not_checked(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	p.buf[0] = BOOTREPLY;
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
}

static void test_hlen_17(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	p.buf[2] = 17;
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.hlen, 16);
	static const uint8_t zero[16] = {0};
	assert_memory_equal(e->reply.chaddr, zero, 16);

	/* The client's identity is Kea's 17-byte HWAddr: the 16 chaddr bytes
	 * and a zero (Kea 2.2 logs and stores that). */
	lease4_t l;
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	p.buf[2] = 17;
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(lease_get_by_addr(e->conn, e->reply.yiaddr, &l), 0);
	assert_int_equal(l.hwaddr_len, 17);
	assert_memory_equal(l.hwaddr, MAC1, 6);
	assert_int_equal(l.hwaddr[16], 0);
}

static void test_request_without_address(void **state)
{
	eng_env_t *e = *state;
	eng_pkt_t p;

	/* The OFFER is not remembered: a REQUEST with neither option 50 nor
	 * ciaddr gets the next free address. */
	assert_int_equal(discover(e, MAC1), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 11));
}

static void test_unicast_renew_never_leased(void **state)
{
	eng_env_t *e = *state;
	lease4_t l;

	assert_int_equal(renew(e, MAC1, A(192, 0, 2, 15), true), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 15));
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 15), &l), 0);
	/* ... but one leased to another client is NAKed. */
	assert_int_equal(renew(e, MAC2, A(192, 0, 2, 15), true), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(e->tx.dst_addr, A(192, 0, 2, 15)); /* ciaddr wins over NAK */
}

static void test_selecting_out_of_pool_ignored(void **state)
{
	eng_env_t *e = *state;

	assert_int_equal(request_selecting(e, MAC1, A(192, 0, 2, 100), ENG_SERVER_ADDR),
	                 VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_NAK_SENT), 0);
	/* Outside the subnet altogether: also silent in Kea 2.2. */
	assert_int_equal(request_selecting(e, MAC1, A(10, 9, 9, 9), ENG_SERVER_ADDR), VERDICT_DROP);
}

static void test_hostname(void **state)
{
	eng_env_t *e = *state;
	static const char name[] = "My_Host.";
	const opt_view_t *o;
	eng_pkt_t p;
	lease4_t l;

	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(192, 0, 2, 12));
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_opt(&p, DHO_HOST_NAME, name, strlen(name));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	o = pkt4_opt(&e->reply, DHO_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, 6);
	assert_memory_equal(o->data, "myhost", 6);
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 12), &l), 0);
	assert_string_equal(l.hostname, "myhost");
}

/* ---- exhaustion ---- */

static void test_pool_exhaustion(void **state)
{
	eng_env_t *e = *state;
	const uint8_t *macs[] = {MAC1, MAC2, MAC3};
	eng_pkt_t p;

	for (size_t i = 0; i < 3; i++) {
		eng_pkt_init(&p, DHCPREQUEST, macs[i]);
		eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(10, 0, 1, 1 + i));
		eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
		eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
		eng_pkt_end(&p);
		assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
		assert_int_equal(eng_reply_type(e), DHCPACK);
	}
	eng_pkt_init(&p, DHCPDISCOVER, MAC4);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL), 1);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL_SUBNET), 1);
	/* Again in the same second: the full pool is not rescanned, same answer. */
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL), 2);
	/* A REQUEST without address from the new client: NAK. */
	eng_pkt_init(&p, DHCPREQUEST, MAC4);
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(e->tx.dst_addr, A(10, 0, 0, 2));
	/* Expiry frees addresses again. */
	e->ctx.now += 7201;
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
}

/* ---- reservations ---- */

static const char *CFG_RESV =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"host-reservation-identifiers\": [\"circuit-id\", \"hw-address\", \"client-id\"],"
        " \"client-classes\": [{\"name\": \"gold\", \"option-data\": [{\"name\": \"ntp-servers\", "
        "\"data\": \"10.9.9.9\", \"always-send\": true}]},"
        "                      {\"name\": \"known-cls\", \"test\": \"member('KNOWN')\","
        "                       \"option-data\": [{\"name\": \"time-offset\", \"data\": \"7\", "
        "\"always-send\": true}]}],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}],"
        "   \"reservations\": ["
        "     {\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"192.0.2.201\", "
        "\"hostname\": \"Res_v1\","
        "      \"client-classes\": [\"gold\"], \"next-server\": \"192.0.2.5\", \"boot-file-name\": "
        "\"pxe.0\"},"
        "     {\"client-id\": \"01:02:00:00:00:00:02\", \"ip-address\": \"192.0.2.15\"},"
        "     {\"circuit-id\": \"'port7'\", \"ip-address\": \"192.0.2.207\"}"
        "   ]}"
        " ]"
        "}}";

static int setup_resv(void **state)
{
	*state = eng_env_new(CFG_RESV);
	return 0;
}

static void test_reservation_hwaddr(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t prl[] = {12};
	const opt_view_t *o;
	eng_pkt_t p;

	/* Reserved hostname: sent even unasked (Kea 2.2), lower-cased. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	o = pkt4_opt(&e->reply, DHO_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, 6);
	assert_memory_equal(o->data, "res_v1", 6); /* only lower-cased, "_" kept */

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 201)); /* out of pool: reserved */
	assert_int_equal(e->reply.siaddr, A(192, 0, 2, 5));
	assert_string_equal((const char *)e->reply.file, "pxe.0");
	assert_int_equal(eng_reply_u32(e, 42), A(10, 9, 9, 9)); /* reservation class */
	assert_int_equal(eng_reply_u32(e, 2), 7);               /* KNOWN-dependent class */
	o = pkt4_opt(&e->reply, DHO_HOST_NAME);
	assert_non_null(o);
	assert_memory_equal(o->data, "res_v1", 6);
	assert_int_equal(eng_dora(e, MAC1), A(192, 0, 2, 201));
	/* The lease keeps the name as sent (Kea's ctx->hostname_). */
	lease4_t l;
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 201), &l), 0);
	assert_string_equal(l.hostname, "res_v1");
	/* The reserved address is not handed to anyone else: Kea checks
	 * addressReserved() before the pool, so this is a NAK. */
	assert_int_equal(request_selecting(e, MAC3, A(192, 0, 2, 201), ENG_SERVER_ADDR),
	                 VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
}

static void test_reservation_client_id(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 2};
	eng_pkt_t p;

	/* Another client asking for the reserved in-pool address: NAK. */
	assert_int_equal(request_selecting(e, MAC3, A(192, 0, 2, 15), ENG_SERVER_ADDR),
	                 VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);

	eng_pkt_init(&p, DHCPDISCOVER, MAC3);
	eng_pkt_opt(&p, DHO_DHCP_CLIENT_IDENTIFIER, cid, sizeof(cid));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 15));
	/* RFC 6842: client-id echoed. */
	const opt_view_t *o = pkt4_opt(&e->reply, DHO_DHCP_CLIENT_IDENTIFIER);
	assert_non_null(o);
	assert_memory_equal(o->data, cid, sizeof(cid));
	assert_true(eng_reply_has(e, 2)); /* KNOWN through the client-id */
}

static void test_reservation_circuit_id(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t rai[] = {1, 5, 'p', 'o', 'r', 't', '7'};
	static const uint8_t rai5[] = {1, 5, 'p', 'o', 'r', 't', '7', 5, 4, 192, 0, 2, 0};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC4);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, sizeof(rai));
	eng_pkt_relay(&p, A(192, 0, 2, 254), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 207));
	assert_int_equal(eng_reply_u32(e, 2), 7);

	eng_pkt_init(&p, DHCPDISCOVER, MAC4);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai5, sizeof(rai5));
	eng_pkt_relay(&p, A(10, 1, 1, 1), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 207));
}

/* ---- shared networks ---- */

static const char *CFG_SHARED =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"shared-networks\": [{\"name\": \"net\","
        "   \"option-data\": [{\"name\": \"domain-name\", \"data\": \"net.example\"}],"
        "   \"subnet4\": ["
        "    {\"id\": 1001, \"subnet\": \"10.1.0.0/24\", \"pools\": [{\"pool\": \"10.1.0.10 - "
        "10.1.0.11\"}],"
        "     \"option-data\": [{\"name\": \"routers\", \"data\": \"10.1.0.1\"}]},"
        "    {\"id\": 1002, \"subnet\": \"10.2.0.0/24\", \"pools\": [{\"pool\": \"10.2.0.10 - "
        "10.2.0.11\"}],"
        "     \"option-data\": [{\"name\": \"routers\", \"data\": \"10.2.0.1\"}]}"
        "   ]}]"
        "}}";

static int setup_shared(void **state)
{
	*state = eng_env_new(CFG_SHARED);
	return 0;
}

static uint32_t relayed_dora(eng_env_t *e, const uint8_t *mac, uint32_t giaddr)
{
	eng_pkt_t p;
	uint32_t a;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_relay(&p, giaddr, 67);
	eng_pkt_end(&p);
	if (eng_send(e, &p) != VERDICT_REPLY) {
		return 0;
	}
	a = e->reply.yiaddr;
	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, a);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_relay(&p, giaddr, 67);
	eng_pkt_end(&p);
	if (eng_send(e, &p) != VERDICT_REPLY || eng_reply_type(e) != DHCPACK) {
		return 0;
	}
	return e->reply.yiaddr;
}

static void test_shared_network_fallthrough(void **state)
{
	eng_env_t *e = *state;
	uint32_t gi = A(10, 1, 0, 1);
	eng_pkt_t p;

	assert_int_equal(relayed_dora(e, MAC1, gi), A(10, 1, 0, 10));
	assert_int_equal(relayed_dora(e, MAC2, gi), A(10, 1, 0, 11));
	/* First subnet full: the sibling serves, with its own options. */
	assert_int_equal(relayed_dora(e, MAC3, gi), A(10, 2, 0, 10));
	assert_int_equal(eng_reply_u32(e, DHO_ROUTERS), A(10, 2, 0, 1));
	assert_int_equal(eng_reply_u32(e, DHO_SUBNET_MASK), 0xffffff00u);
	const opt_view_t *o = pkt4_opt(&e->reply, DHO_DOMAIN_NAME);
	assert_non_null(o);
	/* The lease is found again across the network on renew. */
	eng_pkt_init(&p, DHCPREQUEST, MAC3);
	eng_pkt_set_ciaddr(&p, A(10, 2, 0, 10));
	eng_pkt_relay(&p, gi, 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(e->reply.yiaddr, A(10, 2, 0, 10));
	/* A DISCOVER re-offers the client's lease in the sibling. */
	eng_pkt_init(&p, DHCPDISCOVER, MAC3);
	eng_pkt_relay(&p, gi, 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(10, 2, 0, 10));
	assert_int_equal(relayed_dora(e, MAC4, gi), A(10, 2, 0, 11));
	/* All full. */
	static const uint8_t mac5[6] = {2, 0, 0, 0, 0, 5};
	eng_pkt_init(&p, DHCPDISCOVER, mac5);
	eng_pkt_relay(&p, gi, 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK), 1);
}

/* ---- classification ---- */

static const char *CFG_CLASSES =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"client-classes\": ["
        "   {\"name\": \"DROP\", \"test\": \"option[60].text == 'evil'\"},"
        "   {\"name\": \"VENDOR_CLASS_pxe\", \"option-data\": [{\"name\": \"boot-file-name\", "
        "\"data\": \"pxe.efi\"}]},"
        "   {\"name\": \"phones\", \"test\": \"substring(option[60].hex, 0, 5) == 'phone'\"},"
        "   {\"name\": \"unk\", \"test\": \"member('UNKNOWN') and option[60].text == "
        "'needs-resv'\","
        "    \"option-data\": [{\"name\": \"time-offset\", \"data\": \"42\", \"always-send\": "
        "true}]}"
        " ],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.19\", \"client-class\": \"phones\"},"
        "             {\"pool\": \"192.0.2.20 - 192.0.2.29\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\", \"client-class\": \"phones\","
        "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.3\"}]}"
        " ]"
        "}}";

static int setup_classes(void **state)
{
	*state = eng_env_new(CFG_CLASSES);
	return 0;
}

static verdict_t discover_vendor(eng_env_t *e, const char *vendor, uint32_t giaddr)
{
	static const uint8_t prl[] = {67};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_VENDOR_CLASS_IDENTIFIER, vendor, strlen(vendor));
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	if (giaddr != 0) {
		eng_pkt_relay(&p, giaddr, 67);
	}
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

static void test_classes(void **state)
{
	eng_env_t *e = *state;
	const opt_view_t *o;

	/* DROP class: silently dropped, counted. */
	assert_int_equal(discover_vendor(e, "evil", 0), VERDICT_DROP);
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVE_DROP), 1);
	/* Pool guard: non-phones skip the first pool. */
	assert_int_equal(discover_vendor(e, "laptop", 0), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 20));
	assert_int_equal(discover_vendor(e, "phone-x", 0), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	/* VENDOR_CLASS_<option 60> joins automatically. */
	assert_int_equal(discover_vendor(e, "pxe", 0), VERDICT_REPLY);
	o = pkt4_opt(&e->reply, 67);
	assert_non_null(o);
	assert_memory_equal(o->data, "pxe.efi", 7);
	/* Subnet guard: a relay for 10.0/16 serves phones only. */
	assert_int_equal(discover_vendor(e, "laptop", A(10, 0, 0, 2)), VERDICT_DROP);
	assert_int_equal(discover_vendor(e, "phone-y", A(10, 0, 0, 2)), VERDICT_REPLY);
	assert_int_equal(e->reply.yiaddr, A(10, 0, 1, 1));
	/* A class depending on UNKNOWN is evaluated after host lookup. */
	assert_int_equal(discover_vendor(e, "needs-resv", 0), VERDICT_REPLY);
	assert_int_equal(eng_reply_u32(e, 2), 42);
	assert_int_equal(discover_vendor(e, "laptop", 0), VERDICT_REPLY);
	assert_false(eng_reply_has(e, 2));
}

/* ---- hostile input ---- */

static uint32_t fuzz_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Mutated valid packets (all message types, relayed or not) must never make
 * dhcp4_process() fail or touch memory it should not (ASan/UBSan). */
static void test_mutations(void **state)
{
	eng_env_t *e = *state;
	uint32_t rs = 0x1234567u;
	uint64_t n_short = 0;
	static const uint8_t types[] = {1, 3, 4, 7, 8, 2, 0};

	for (int iter = 0; iter < 20000; iter++) {
		eng_pkt_t p;
		uint8_t mac[6] = {2, 0, 0, 0, (uint8_t)(iter >> 8), (uint8_t)iter};
		uint8_t buf[64];

		eng_pkt_init(&p, types[iter % sizeof(types)], mac);
		if (iter & 1) {
			eng_pkt_relay(&p, (iter & 2) ? A(10, 0, 0, 2) : A(192, 0, 2, 254), 67);
		}
		int nopts = (int)(fuzz_rand(&rs) % 6);
		for (int k = 0; k < nopts; k++) {
			static const uint8_t codes[] = {50, 54, 55, 61, 82, 118,
			                                12, 51, 57, 60, 52, 53};
			uint8_t len = (uint8_t)(fuzz_rand(&rs) % 12);

			for (size_t b = 0; b < len; b++) {
				buf[b] = (uint8_t)fuzz_rand(&rs);
			}
			if (len >= 4 && (fuzz_rand(&rs) & 1)) {
				buf[0] = 192;
				buf[1] = 0;
				buf[2] = 2;
			}
			eng_pkt_opt(&p, codes[fuzz_rand(&rs) % sizeof(codes)], buf, len);
		}
		eng_pkt_end(&p);
		int flips = (int)(fuzz_rand(&rs) % 4);
		for (int k = 0; k < flips; k++) {
			p.buf[fuzz_rand(&rs) % p.len] ^= (uint8_t)(1u << (fuzz_rand(&rs) % 8));
		}
		if (fuzz_rand(&rs) % 8 == 0) {
			p.len = fuzz_rand(&rs) % p.len;
		}
		n_short += p.len < DHCP_FIXED_LEN; /* never counted, as in Kea */
		(void)eng_send(e, &p);
		e->ctx.now += iter % 7 == 0;
	}
	assert_int_equal(eng_stat(e, STAT_PKT4_RECEIVED) + n_short, 20000);
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
	        cmocka_unit_test_setup_teardown(test_server_id_filter, setup_basic, teardown),
	        cmocka_unit_test(test_server_id_configured),
	        cmocka_unit_test_setup_teardown(test_silent_drops, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_op_not_checked, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_hlen_17, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_request_without_address, setup_basic,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_unicast_renew_never_leased, setup_basic,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_selecting_out_of_pool_ignored, setup_basic,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_hostname, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_reservation_hwaddr, setup_resv, teardown),
	        cmocka_unit_test_setup_teardown(test_reservation_client_id, setup_resv, teardown),
	        cmocka_unit_test_setup_teardown(test_reservation_circuit_id, setup_resv, teardown),
	        cmocka_unit_test_setup_teardown(test_shared_network_fallthrough, setup_shared,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_classes, setup_classes, teardown),
	        cmocka_unit_test_setup_teardown(test_mutations, setup_basic, teardown),
	        cmocka_unit_test_setup_teardown(test_mutations, setup_resv, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

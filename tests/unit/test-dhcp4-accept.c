/* dhcp4_process(): which packets are answered and which are dropped silently
 * (server identifier, parse drops, odd headers), as Kea 2.2. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

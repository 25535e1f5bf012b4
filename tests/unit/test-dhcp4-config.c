/* dhcp4_process() with richer configurations: pool exhaustion, reservations,
 * shared networks, classification; and mutated packets (never a crash). */
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

/* Unit tests for engine/extinfo.c and store-extended-info through
 * dhcp4_process(): option 82 kept in the lease's user-context as Kea 2.2
 * keeps it (texts taken from Kea 2.2's memfile on the same packets). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "engine/extinfo.h"
#include "helpers-engine.h"
#include "lease/store.h"
#include "util/macro.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static opt_view_t view(const void *data, size_t len)
{
	return (opt_view_t){ .data = data, .len = (uint16_t)len, .count = 1 };
}

static void test_fresh_context(void **state)
{
	(void)state;
	/* circuit-id "circ-1" after remote-id "Remote-X": sorted, upper-case */
	static const uint8_t rai[] = { 2, 8, 'R', 'e', 'm', 'o', 't', 'e', '-', 'X',
		                       1, 6, 'c', 'i', 'r', 'c', '-', '1' };
	opt_view_t v = view(rai, sizeof(rai));
	char uc[256] = "";

	assert_int_equal(extinfo_set_relay(&v, uc, sizeof(uc)), 0);
	assert_string_equal(uc, "{ \"ISC\": { \"relay-agent-info\": "
	                        "\"0x0106636972632D31020852656D6F74652D58\" } }");
}

static void test_repeated_fused(void **state)
{
	(void)state;
	static const uint8_t rai[] = { 1, 1, 'a', 6, 3, 's', 'u', 'b', 1, 1, 'b' };
	opt_view_t v = view(rai, sizeof(rai));
	char uc[256] = "";

	assert_int_equal(extinfo_set_relay(&v, uc, sizeof(uc)), 0);
	assert_string_equal(uc, "{ \"ISC\": { \"relay-agent-info\": \"0x010261620603737562\" } }");
}

static void test_merge_keeps_other_keys(void **state)
{
	(void)state;
	static const uint8_t rai[] = { 1, 3, 'p', 'r', 'e' };
	opt_view_t v = view(rai, sizeof(rai));
	char uc[256] = "{\"foo\": 1, \"ISC\": {\"old\": 1}, \"bar\": \"x\"}";

	assert_int_equal(extinfo_set_relay(&v, uc, sizeof(uc)), 0);
	/* "ISC" replaced whole, keys in byte order (Kea 2.2's file) */
	assert_string_equal(uc, "{ \"ISC\": { \"relay-agent-info\": \"0x0103707265\" }, "
	                        "\"bar\": \"x\", \"foo\": 1 }");
}

static void test_refusals(void **state)
{
	(void)state;
	static const uint8_t rai[] = { 1, 3, 'p', 'r', 'e' };
	opt_view_t v = view(rai, sizeof(rai));
	char list[32] = "[ 1 ]", small[20] = "";

	assert_int_equal(extinfo_set_relay(&v, list, sizeof(list)), -EINVAL);
	assert_string_equal(list, "[ 1 ]");
	assert_int_equal(extinfo_set_relay(&v, small, sizeof(small)), -ENOSPC);
	assert_string_equal(small, "");
	/* a sub-option running past the option: nothing left, as Kea packs it */
	static const uint8_t bad[] = { 1, 9, 'x' };
	opt_view_t b = view(bad, sizeof(bad));
	char uc[256] = "";
	assert_int_equal(extinfo_set_relay(&b, uc, sizeof(uc)), 0);
	assert_string_equal(uc, "{ \"ISC\": { \"relay-agent-info\": \"\" } }");
}

/* ---- through the pipeline ---- */

static const char *CFG =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"store-extended-info\": true,"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"10.0.0.0/16\", \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.9\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.1.0.0/16\", \"store-extended-info\": false,"
        "   \"pools\": [{\"pool\": \"10.1.1.1 - 10.1.1.9\"}]}"
        " ]"
        "}}";

static const uint8_t MAC1[6] = { 0x02, 0, 0, 0, 0, 1 };

static uint32_t relayed_dora(eng_env_t *e, uint32_t giaddr, const void *rai, size_t rai_len)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, rai_len);
	eng_pkt_relay(&p, giaddr, 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	uint32_t yiaddr = e->reply.yiaddr, sid = eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER);
	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, yiaddr);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, rai_len);
	eng_pkt_relay(&p, giaddr, 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	return e->reply.yiaddr;
}

static void test_pipeline(void **state)
{
	(void)state;
	eng_env_t *e = eng_env_new(CFG);
	static const uint8_t r1[] = { 1, 3, 'o', 'n', 'e' };
	static const uint8_t r2[] = { 2, 3, 't', 'w', 'o', 1, 3, 'o', 'n', 'e' };
	lease4_t l;

	/* a DISCOVER writes nothing; the REQUEST's lease carries the relay's data */
	uint32_t a = relayed_dora(e, A(10, 0, 0, 2), r1, sizeof(r1));
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_string_equal(l.user_context, "{ \"ISC\": { \"relay-agent-info\": \"0x01036F6E65\" } }");
	/* a renewal through another relay path rewrites it; other keys stay */
	lease4_t next = l;
	strcpy(next.user_context, "{\"site\": \"a\"}");
	assert_int_equal(lease_update(e->conn, &l, &next), 0);
	assert_int_equal(relayed_dora(e, A(10, 0, 0, 2), r2, sizeof(r2)), a);
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_string_equal(l.user_context, "{ \"ISC\": { \"relay-agent-info\": "
	                                    "\"0x01036F6E65020374776F\" }, \"site\": \"a\" }");
	eng_env_free(e);
}

static void test_pipeline_subnet_off(void **state)
{
	(void)state;
	eng_env_t *e = eng_env_new(CFG);
	static const uint8_t r1[] = { 1, 3, 'o', 'f', 'f' };
	lease4_t l;

	uint32_t a = relayed_dora(e, A(10, 1, 0, 2), r1, sizeof(r1));
	assert_int_equal(a, A(10, 1, 1, 1));
	assert_int_equal(lease_get_by_addr(e->conn, a, &l), 0);
	assert_string_equal(l.user_context, "");
	eng_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_context),
		cmocka_unit_test(test_repeated_fused),
		cmocka_unit_test(test_merge_keeps_other_keys),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_pipeline_subnet_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

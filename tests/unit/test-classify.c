/* Classification around host reservations through dhcp4_process(), as Kea
 * 2.2 does it: early-global-reservations-lookup (a global reservation's
 * classes guard subnet selection) and reserved classes re-running the first
 * pass (member() of a reserved class). Expected answers taken from kea-dhcp4
 * 2.2 on the same configuration (tests/system/test_differential.py, groups
 * earlyghr and earlyghr-off). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "util/macro.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const uint8_t GOLD[6] = { 0x02, 0xe9, 0, 0, 0, 1 };
static const uint8_t PLAIN[6] = { 0x02, 0xe9, 0, 0, 0, 2 };
static const uint8_t DROPPED[6] = { 0x02, 0xe9, 0, 0, 0, 3 };
static const uint8_t OTHER[6] = { 0x02, 0xe9, 0, 0, 0, 9 };

static const char CFG_FMT[] =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"early-global-reservations-lookup\": %s,"
        " \"reservations\": ["
        "  {\"hw-address\": \"02:e9:00:00:00:01\", \"client-classes\": [\"gold\"]},"
        "  {\"hw-address\": \"02:e9:00:00:00:02\"},"
        "  {\"hw-address\": \"02:e9:00:00:00:03\", \"client-classes\": [\"drop-me\"]}],"
        " \"client-classes\": ["
        "  {\"name\": \"gold\"},"
        "  {\"name\": \"via-gold\", \"test\": \"member('gold')\","
        "   \"option-data\": [{\"name\": \"ntp-servers\", \"data\": \"10.0.0.123\"}]},"
        "  {\"name\": \"is-known\", \"test\": \"member('KNOWN')\"},"
        "  {\"name\": \"drop-me\"},"
        "  {\"name\": \"DROP\", \"test\": \"member('drop-me')\"}],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"10.0.0.0/16\", \"client-class\": \"gold\","
        "   \"reservations-global\": true, \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.9\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.1.0.0/16\", \"client-class\": \"is-known\","
        "   \"reservations-global\": true, \"pools\": [{\"pool\": \"10.1.1.1 - 10.1.1.9\"}]},"
        "  {\"id\": 4, \"subnet\": \"10.3.0.0/16\", \"reservations-global\": true,"
        "   \"pools\": [{\"pool\": \"10.3.1.1 - 10.3.1.9\"}]}"
        " ]"
        "}}";

static eng_env_t *env(bool early)
{
	char cfg[sizeof(CFG_FMT) + 8];

	snprintf(cfg, sizeof(cfg), CFG_FMT, early ? "true" : "false");
	return eng_env_new(cfg);
}

static verdict_t relayed_discover(eng_env_t *e, const uint8_t *mac, uint32_t giaddr)
{
	static const uint8_t prl[] = { 1, 3, 42 };
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_relay(&p, giaddr, 67);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

static void test_early_classes_guard_subnets(void **state)
{
	(void)state;
	eng_env_t *e = env(true);

	/* the reserved class "gold" selects the gold-guarded subnet */
	assert_int_equal(relayed_discover(e, GOLD, A(10, 0, 0, 2)), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_equal(e->reply.yiaddr, A(10, 0, 1, 1));
	assert_int_equal(eng_reply_u32(e, 42), A(10, 0, 0, 123));
	/* reserved but not gold; not reserved at all: no subnet */
	assert_int_equal(relayed_discover(e, PLAIN, A(10, 0, 0, 2)), VERDICT_DROP);
	assert_int_equal(relayed_discover(e, OTHER, A(10, 0, 0, 2)), VERDICT_DROP);
	/* KNOWN is set early too, so a member('KNOWN') guard admits any reserved client */
	assert_int_equal(relayed_discover(e, PLAIN, A(10, 1, 0, 2)), VERDICT_REPLY);
	assert_int_equal(relayed_discover(e, OTHER, A(10, 1, 0, 2)), VERDICT_DROP);
	/* DROP through a reserved class */
	assert_int_equal(relayed_discover(e, DROPPED, A(10, 3, 0, 2)), VERDICT_DROP);
	eng_env_free(e);
}

static void test_without_early_lookup(void **state)
{
	(void)state;
	eng_env_t *e = env(false);

	assert_int_equal(relayed_discover(e, GOLD, A(10, 0, 0, 2)), VERDICT_DROP);
	assert_int_equal(relayed_discover(e, PLAIN, A(10, 1, 0, 2)), VERDICT_DROP);
	/* a subnet without a guard: the reserved class reruns the first pass,
	 * so via-gold (member('gold')) joins and its option goes out */
	assert_int_equal(relayed_discover(e, GOLD, A(10, 3, 0, 2)), VERDICT_REPLY);
	assert_int_equal(eng_reply_u32(e, 42), A(10, 0, 0, 123));
	assert_int_equal(relayed_discover(e, OTHER, A(10, 3, 0, 2)), VERDICT_REPLY);
	assert_false(eng_reply_has(e, 42));
	/* DROP (member('drop-me')) joins in the rerun first pass */
	assert_int_equal(relayed_discover(e, DROPPED, A(10, 3, 0, 2)), VERDICT_DROP);
	eng_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_early_classes_guard_subnets),
		cmocka_unit_test(test_without_early_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

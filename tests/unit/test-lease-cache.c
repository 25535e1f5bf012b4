/* Kea 2.2's lease cache through dhcp4_process(): cache-threshold and
 * cache-max-age decide whether a renewal reuses the lease without a write,
 * answering with the lifetime it has left (Kea AllocEngine::setLeaseReusable,
 * checked against kea-dhcp4 2.2 by test_differential.py group "cache"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "lease/store.h"
#include "util/macro.h"

static const uint8_t MAC1[6] = { 0x02, 0xca, 0, 0, 0, 1 };

static eng_env_t *env(const char *cache)
{
	char cfg[1024];

	snprintf(cfg, sizeof(cfg),
	         "{\"Dhcp4\": {"
	         " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	         " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	         " \"valid-lifetime\": 4000, \"renew-timer\": 1000, \"rebind-timer\": 2000, %s"
	         " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
	         "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}]"
	         "}}",
	         cache);
	return eng_env_new(cfg);
}

/* RENEWING REQUEST (ciaddr) for @addr; returns option 51 of the ACK. */
static uint32_t renew(eng_env_t *e, uint32_t addr)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_set_ciaddr(&p, addr);
	eng_pkt_unicast(&p, addr);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	return eng_reply_u32(e, DHO_DHCP_LEASE_TIME);
}

static int64_t stored_cltt(eng_env_t *e, uint32_t addr)
{
	lease4_t l;

	assert_int_equal(lease_get_by_addr(e->conn, addr, &l), 0);
	return l.cltt;
}

static void test_threshold(void **state)
{
	(void)state;
	eng_env_t *e = env("\"cache-threshold\": 0.25,");
	uint32_t a = eng_dora(e, MAC1);

	assert_int_not_equal(a, 0);
	/* age 500 of the 1000 s the threshold allows: reused, not written */
	e->ctx.now += 500;
	assert_int_equal(renew(e, a), 3500);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_RENEWAL_TIME), 1000);
	assert_int_equal(stored_cltt(e, a), ENG_NOW);
	/* age 1001: renewed in full and written */
	e->ctx.now += 501;
	assert_int_equal(renew(e, a), 4000);
	assert_int_equal(stored_cltt(e, a), ENG_NOW + 1001);
	eng_env_free(e);
	/* T1/T2 must fit in what a reused lease has left (500 s here): none sent */
	e = env("\"cache-threshold\": 0.9,");
	a = eng_dora(e, MAC1);
	e->ctx.now += 3500;
	assert_int_equal(renew(e, a), 500);
	assert_false(eng_reply_has(e, DHO_DHCP_RENEWAL_TIME));
	assert_false(eng_reply_has(e, DHO_DHCP_REBINDING_TIME));
	eng_env_free(e);
}

static void test_max_age(void **state)
{
	(void)state;
	eng_env_t *e = env("\"cache-max-age\": 300,");
	uint32_t a = eng_dora(e, MAC1);

	e->ctx.now += 300;
	assert_int_equal(renew(e, a), 3700);
	assert_int_equal(stored_cltt(e, a), ENG_NOW);
	e->ctx.now += 1;
	assert_int_equal(renew(e, a), 4000);
	assert_int_equal(stored_cltt(e, a), ENG_NOW + 301);
	eng_env_free(e);
}

static void test_both_and_neither(void **state)
{
	(void)state;
	/* both configured: each must allow it (max-age 5000, threshold 200 s) */
	eng_env_t *e = env("\"cache-max-age\": 5000, \"cache-threshold\": 0.05,");
	uint32_t a = eng_dora(e, MAC1);

	e->ctx.now += 150;
	assert_int_equal(renew(e, a), 3850);
	e->ctx.now += 100;
	assert_int_equal(renew(e, a), 4000);
	eng_env_free(e);
	/* no cache parameters: every renewal is written */
	e = env("");
	a = eng_dora(e, MAC1);
	e->ctx.now += 1;
	assert_int_equal(renew(e, a), 4000);
	assert_int_equal(stored_cltt(e, a), ENG_NOW + 1);
	eng_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_max_age),
		cmocka_unit_test(test_both_and_neither),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

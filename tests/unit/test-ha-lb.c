/* ha-lb: the RFC 3074 load-balancing hash and Kea's server choice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ha/ha-lb.h"

static void test_hash_values(void **state)
{
	(void)state;
	const uint8_t zero = 0x00, one = 0x01;
	const uint8_t mac[6] = { 0x00, 0x0c, 0x01, 0x02, 0x03, 0x04 };
	const uint8_t cid[7] = { 0x01, 0x00, 0x0c, 0x01, 0x02, 0x03, 0x04 };

	assert_int_equal(ha_lb_hash(NULL, 0), 0);
	/* one byte: mix[1 ^ b], read off RFC 3074's table (mix[1] = 175, mix[0] = 251) */
	assert_int_equal(ha_lb_hash(&zero, 1), 175);
	assert_int_equal(ha_lb_hash(&one, 1), 251);
	/* perfdhcp's first MAC, and the same as a client-id (type 1 + MAC) */
	assert_int_equal(ha_lb_hash(mac, sizeof(mac)), 131);
	assert_int_equal(ha_lb_hash(cid, sizeof(cid)), 104);
}

static void test_server_choice(void **state)
{
	(void)state;
	const uint8_t mac[6] = { 0x00, 0x0c, 0x01, 0x02, 0x03, 0x04 };
	const uint8_t cid[7] = { 0x01, 0x00, 0x0c, 0x01, 0x02, 0x03, 0x04 };

	assert_int_equal(ha_lb_server(NULL, 0, mac, 6, 2), 131 % 2);
	assert_int_equal(ha_lb_server(cid, 7, mac, 6, 2), 104 % 2);    /* client-id wins */
	assert_int_equal(ha_lb_server(cid, 0, mac, 6, 2), 131 % 2);    /* empty client-id: chaddr */
	assert_int_equal(ha_lb_server(NULL, 0, mac, 6, 1), 0);
	assert_int_equal(ha_lb_server(NULL, 0, NULL, 0, 2), -1);
	assert_int_equal(ha_lb_server(NULL, 0, mac, 6, 0), -1);
}

/* 1000 perfdhcp-style MACs (00:0c:01:02:03:04 + i) split 502/498 */
static void test_split(void **state)
{
	(void)state;
	unsigned n[2] = { 0, 0 };

	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t v = 0x000c01020304ULL + i;
		uint8_t mac[6];
		for (int b = 0; b < 6; b++) {
			mac[b] = (uint8_t)(v >> (8 * (5 - b)));
		}
		n[ha_lb_server(NULL, 0, mac, 6, 2)]++;
	}
	assert_int_equal(n[0], 502);
	assert_int_equal(n[1], 498);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_values),
		cmocka_unit_test(test_server_choice),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

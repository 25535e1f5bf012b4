/* Unit tests for probe/probe.c: lessor-probe's client messages and reply parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "probe/probe.h"
#include "util/arena.h"

static const probe_client_t client = {
	.mac = { 0x02, 0x0b, 0x0b, 0, 0, 1 }, .xid = 0x12345678, .giaddr = 0x0a000002,
};

static void parse(const uint8_t *buf, size_t len, pkt4_t *p, arena_t *a)
{
	assert_int_equal(arena_init(a, 16384), 0);
	assert_int_equal(pkt4_parse(p, a, buf, len), 0);
}

static void test_messages(void **state)
{
	uint8_t buf[PROBE_PKT_MAX];
	arena_t a;
	pkt4_t p;

	(void)state;
	size_t n = probe_build(&client, DHCPDISCOVER, 0, 0, buf);
	assert_true(n >= 300 && n <= PROBE_PKT_MAX);
	parse(buf, n, &p, &a);
	assert_int_equal(p.op, BOOTREQUEST);
	assert_int_equal(p.xid, 0x12345678);
	assert_int_equal(p.giaddr, 0x0a000002);
	assert_int_equal(p.hops, 1);
	assert_memory_equal(p.chaddr, client.mac, 6);
	assert_int_equal(pkt4_msg_type(&p), DHCPDISCOVER);
	assert_null(pkt4_opt(&p, DHO_DHCP_SERVER_IDENTIFIER));
	assert_non_null(pkt4_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST));
	arena_done(&a);

	n = probe_build(&client, DHCPREQUEST, 0x0a000105, 0xc0000201, buf);
	parse(buf, n, &p, &a);
	assert_int_equal(pkt4_msg_type(&p), DHCPREQUEST);
	assert_memory_equal(pkt4_opt(&p, DHO_DHCP_REQUESTED_ADDRESS)->data, "\x0a\x00\x01\x05", 4);
	assert_memory_equal(pkt4_opt(&p, DHO_DHCP_SERVER_IDENTIFIER)->data, "\xc0\x00\x02\x01", 4);
	assert_int_equal(p.ciaddr, 0);
	arena_done(&a);

	n = probe_build(&client, DHCPRELEASE, 0x0a000105, 0xc0000201, buf);
	parse(buf, n, &p, &a);
	assert_int_equal(pkt4_msg_type(&p), DHCPRELEASE);
	assert_int_equal(p.ciaddr, 0x0a000105);
	assert_null(pkt4_opt(&p, DHO_DHCP_REQUESTED_ADDRESS));
	arena_done(&a);
}

/* A reply: the query turned into a BOOTREPLY with the given options. */
static size_t reply(uint8_t *buf, int type, const uint8_t *extra, size_t extra_len)
{
	size_t n = probe_build(&client, DHCPDISCOVER, 0, 0, buf);

	(void)n;
	buf[0] = BOOTREPLY;
	memcpy(buf + 16, "\x0a\x00\x01\x05", 4);                 /* yiaddr */
	size_t at = DHCP_FIXED_LEN + 4;
	buf[at++] = DHO_DHCP_MESSAGE_TYPE;
	buf[at++] = 1;
	buf[at++] = (uint8_t)type;
	memcpy(buf + at, "\x36\x04\xc0\x00\x02\x01\x33\x04\x00\x00\x0f\xa0", 12);
	at += 12;
	if (extra_len > 0) {
		memcpy(buf + at, extra, extra_len);
	}
	at += extra_len;
	buf[at++] = DHO_END;
	return at;
}

static void test_replies(void **state)
{
	uint8_t buf[PROBE_PKT_MAX];
	probe_reply_t r;

	(void)state;
	size_t n = reply(buf, DHCPOFFER, NULL, 0);
	assert_int_equal(probe_parse_reply(&client, buf, n, &r), 0);
	assert_int_equal(r.msg_type, DHCPOFFER);
	assert_int_equal(r.yiaddr, 0x0a000105);
	assert_int_equal(r.server_id, 0xc0000201);
	assert_int_equal(r.lease_time, 4000);
	assert_string_equal(r.message, "");

	n = reply(buf, DHCPNAK, (const uint8_t *)"\x38\x05" "ba\x01" "d!", 7);
	assert_int_equal(probe_parse_reply(&client, buf, n, &r), 0);
	assert_int_equal(r.msg_type, DHCPNAK);
	assert_string_equal(r.message, "ba?d!");                   /* unprintable replaced */

	probe_client_t other = client;
	other.xid++;
	assert_int_equal(probe_parse_reply(&other, buf, n, &r), -EBADMSG);
	other = client;
	other.mac[5] = 9;
	assert_int_equal(probe_parse_reply(&other, buf, n, &r), -EBADMSG);
	assert_int_equal(probe_parse_reply(&client, buf, 100, &r), -EBADMSG);   /* truncated */
	buf[0] = BOOTREQUEST;
	assert_int_equal(probe_parse_reply(&client, buf, n, &r), -EBADMSG);     /* our own */
}

static void test_mac(void **state)
{
	uint8_t m[6];

	(void)state;
	assert_int_equal(probe_parse_mac("02:0b:0B:00:00:01", m), 0);
	assert_memory_equal(m, "\x02\x0b\x0b\x00\x00\x01", 6);
	assert_int_equal(probe_parse_mac("02-0b-0b-00-00-02", m), 0);
	assert_int_equal(m[5], 2);
	assert_int_equal(probe_parse_mac("02:0b:0b:00:00", m), -EINVAL);
	assert_int_equal(probe_parse_mac("02:0b:0b:00:00:01:07", m), -EINVAL);
	assert_int_equal(probe_parse_mac("zz:0b:0b:00:00:01", m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

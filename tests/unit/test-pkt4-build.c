/* Unit tests for the reply builder of dhcp/pkt4.c (round trip, hlen, RFC 3396
 * split, EMSGSIZE, sname/file) and dhcp/pkt4-dump.c; no heap allocation per
 * packet. Parsing: test-pkt4.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/pkt4-dump.h"
#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "fixture.h"
#include "helpers-pkt4.h"
#include "util/arena.h"
#include "util/macro.h"
#include "util/wire.h"

/* Allocation counting through the sanitizer runtime's hooks (ASan, TSan):
 * the packet path must not call malloc. Without a sanitizer the test skips. */
extern int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
						     void (*free_hook)(const volatile void *))
	__attribute__((weak));
static volatile int counting;
static volatile size_t n_mallocs;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	if (counting) {
		n_mallocs++;
	}
}

static void on_free(const volatile void *p)
{
	(void)p;
}

/* ---- builder ---- */

static void test_build_roundtrip(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/discover-relayed-82.hex");
	static const uint8_t ack[] = { DHCPACK };
	static const uint8_t sid[] = { 192, 0, 2, 1 };
	static const uint8_t lt[] = { 0, 0, 0x0e, 0x10 };
	uint8_t out[DHCP_PKT_MAX];
	pkt4_t q, r;
	pkt4_out_t o;

	(void)state;
	pkt_reset();
	assert_int_equal(pkt4_parse(&q, &pkt_arena, fx->data, fx->len), 0);
	q.secs = 7; /* not copied into a reply */

	pkt4_out_init(&o, out, sizeof(out), &q);
	pkt4_out_set_yiaddr(&o, 0x0a000514);
	pkt4_out_set_siaddr(&o, 0xc0000201);
	pkt4_out_opt(&o, DHO_DHCP_MESSAGE_TYPE, ack, sizeof(ack));
	pkt4_out_opt(&o, DHO_DHCP_SERVER_IDENTIFIER, sid, sizeof(sid));
	pkt4_out_opt(&o, DHO_DHCP_LEASE_TIME, lt, sizeof(lt));
	pkt4_out_opt(&o, DHO_DHCP_AGENT_OPTIONS, q.opts[DHO_DHCP_AGENT_OPTIONS].data,
		     q.opts[DHO_DHCP_AGENT_OPTIONS].len);
	int len = pkt4_out_finish(&o);
	/* No padding to 300 bytes: Kea does not pad either. */
	assert_int_equal(len, 240 + 3 + 6 + 6 + 2 + 24 + 1);
	assert_int_equal(out[len - 1], DHO_END);

	_cleanup_free_ uint8_t *exact = pkt_memdup_exact(out, (size_t)len);
	assert_int_equal(pkt4_parse(&r, &pkt_arena, exact, (size_t)len), 0);
	assert_int_equal(r.op, BOOTREPLY);
	assert_int_equal(r.htype, q.htype);
	assert_int_equal(r.hlen, q.hlen);
	assert_int_equal(r.hops, q.hops);
	assert_int_equal(r.xid, q.xid);
	assert_int_equal(r.secs, 0);
	assert_int_equal(r.flags, q.flags);
	assert_int_equal(r.ciaddr, 0);
	assert_int_equal(r.yiaddr, 0x0a000514);
	assert_int_equal(r.siaddr, 0xc0000201);
	assert_int_equal(r.giaddr, q.giaddr);
	assert_memory_equal(r.chaddr, q.chaddr, sizeof(r.chaddr));
	for (size_t i = 0; i < DHCP_SNAME_LEN; i++) {
		assert_int_equal(r.sname[i], 0);
	}
	for (size_t i = 0; i < DHCP_FILE_LEN; i++) {
		assert_int_equal(r.file[i], 0);
	}
	assert_int_equal(pkt4_msg_type(&r), DHCPACK);
	pkt_assert_opt(&r, DHO_DHCP_SERVER_IDENTIFIER, sid, sizeof(sid));
	pkt_assert_opt(&r, DHO_DHCP_LEASE_TIME, lt, sizeof(lt));
	pkt_assert_opt(&r, DHO_DHCP_AGENT_OPTIONS, q.opts[DHO_DHCP_AGENT_OPTIONS].data, 24);
}

static void test_build_hlen(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/discover-hlen17.hex");
	static const uint8_t zero[DHCP_CHADDR_LEN] = { 0 };
	uint8_t out[512];
	pkt4_t q;
	pkt4_out_t o;

	(void)state;
	pkt_reset();
	assert_int_equal(pkt4_parse(&q, &pkt_arena, fx->data, fx->len), 0);
	pkt4_out_init(&o, out, sizeof(out), &q);
	assert_true(pkt4_out_finish(&o) > 0);
	assert_int_equal(out[2], DHCP_CHADDR_LEN);
	assert_memory_equal(out + 28, zero, DHCP_CHADDR_LEN);

	/* hlen 6 with junk after the MAC: the reply carries only hlen bytes. */
	q.hlen = 6;
	memset(q.chaddr + 6, 0xee, DHCP_CHADDR_LEN - 6);
	pkt4_out_init(&o, out, sizeof(out), &q);
	assert_true(pkt4_out_finish(&o) > 0);
	assert_int_equal(out[2], 6);
	assert_memory_equal(out + 28, q.chaddr, 6);
	assert_memory_equal(out + 28 + 6, zero, DHCP_CHADDR_LEN - 6);
}

static void check_split(size_t len, const size_t *expect, size_t n_expect)
{
	uint8_t data[1024];
	uint8_t out[2048];
	pkt4_t q = { .htype = 1, .hlen = 6 };
	pkt4_t r;
	pkt4_out_t o;

	for (size_t i = 0; i < len; i++) {
		data[i] = (uint8_t)(i * 7);
	}
	pkt4_out_init(&o, out, sizeof(out), &q);
	pkt4_out_opt(&o, DHO_VENDOR_ENCAPSULATED_OPTIONS, data, len);
	int olen = pkt4_out_finish(&o);
	assert_true(olen > 0);

	/* Walk the instances as written. */
	size_t off = 240;
	for (size_t k = 0; k < n_expect; k++) {
		assert_int_equal(out[off], DHO_VENDOR_ENCAPSULATED_OPTIONS);
		assert_int_equal(out[off + 1], expect[k]);
		off += 2 + expect[k];
	}
	assert_int_equal(out[off], DHO_END);
	assert_int_equal(off + 1, (size_t)olen);

	/* And they join back into the original (RFC 3396). */
	pkt_reset();
	assert_int_equal(pkt4_parse(&r, &pkt_arena, out, (size_t)olen), 0);
	pkt_assert_opt(&r, DHO_VENDOR_ENCAPSULATED_OPTIONS, data, len);
	assert_int_equal(r.opts[DHO_VENDOR_ENCAPSULATED_OPTIONS].count, n_expect);
}

static void test_build_long_split(void **state)
{
	static const size_t e0[] = { 0 };
	static const size_t e253[] = { 253 };
	static const size_t e254[] = { 253, 1 };
	static const size_t e255[] = { 253, 2 };
	static const size_t e300[] = { 253, 47 };
	static const size_t e506[] = { 253, 253 };
	static const size_t e600[] = { 253, 253, 94 };

	(void)state;
	check_split(0, e0, 1);
	check_split(253, e253, 1);
	check_split(254, e254, 2);
	check_split(255, e255, 2);
	check_split(300, e300, 2);
	check_split(506, e506, 2);
	check_split(600, e600, 3);
}

static void test_build_emsgsize(void **state)
{
	static const uint8_t data[20] = { 1 };
	pkt4_t q = { .htype = 1, .hlen = 6, .xid = 1 };
	pkt4_out_t o;

	(void)state;
	/* Exactly enough: header + one 20-byte option + END. */
	size_t need = 240 + 2 + sizeof(data) + 1;
	_cleanup_free_ uint8_t *fit = malloc(need);
	assert_non_null(fit);
	pkt4_out_init(&o, fit, need, &q);
	pkt4_out_opt(&o, 200, data, sizeof(data));
	assert_int_equal(pkt4_out_finish(&o), (int)need);

	/* One byte short for END. */
	pkt4_out_init(&o, fit, need - 1, &q);
	pkt4_out_opt(&o, 200, data, sizeof(data));
	assert_int_equal(pkt4_out_finish(&o), -EMSGSIZE);

	/* One byte short for the option: sticky, later small ones don't help. */
	pkt4_out_init(&o, fit, need - 2, &q);
	pkt4_out_opt(&o, 200, data, sizeof(data));
	pkt4_out_opt(&o, 201, NULL, 0);
	assert_int_equal(o.len, 240);
	assert_int_equal(pkt4_out_finish(&o), -EMSGSIZE);

	/* A split option that does not fit as a whole writes nothing. */
	uint8_t big[600] = { 0 };
	_cleanup_free_ uint8_t *small = malloc(500);
	assert_non_null(small);
	pkt4_out_init(&o, small, 500, &q);
	pkt4_out_opt(&o, 43, big, sizeof(big));
	assert_int_equal(o.len, 240);
	assert_int_equal(pkt4_out_finish(&o), -EMSGSIZE);

	/* Not even the header fits: nothing is written, setters are no-ops. */
	_cleanup_free_ uint8_t *tiny = malloc(100);
	assert_non_null(tiny);
	pkt4_out_init(&o, tiny, 100, &q);
	pkt4_out_set_yiaddr(&o, 1);
	pkt4_out_set_sname(&o, "x", 1);
	pkt4_out_opt(&o, 1, data, 4);
	assert_int_equal(pkt4_out_finish(&o), -EMSGSIZE);
}

static void test_build_sname_file(void **state)
{
	char longname[200];
	uint8_t out[512];
	pkt4_t q = { .htype = 1, .hlen = 6 };
	pkt4_t r;
	pkt4_out_t o;

	(void)state;
	memset(longname, 'f', sizeof(longname));
	pkt4_out_init(&o, out, sizeof(out), &q);
	pkt4_out_set_sname(&o, "tftp.example.org", 16);
	pkt4_out_set_file(&o, longname, sizeof(longname));
	pkt4_out_set_ciaddr(&o, 0xc0000214);
	int len = pkt4_out_finish(&o);
	assert_int_equal(len, 241);

	pkt_reset();
	assert_int_equal(pkt4_parse(&r, &pkt_arena, out, (size_t)len), 0);
	assert_int_equal(r.ciaddr, 0xc0000214);
	assert_memory_equal(r.sname, "tftp.example.org", 17); /* incl. NUL pad */
	assert_memory_equal(r.file, longname, DHCP_FILE_LEN);  /* truncated to 128 */
	assert_int_equal(r.sname[DHCP_SNAME_LEN - 1], 0);

	/* Setting a shorter value clears the old tail. */
	pkt4_out_init(&o, out, sizeof(out), &q);
	pkt4_out_set_file(&o, longname, sizeof(longname));
	pkt4_out_set_file(&o, "pxe", 3);
	assert_int_equal(out[108 + 3], 0);
	assert_int_equal(out[108 + 127], 0);
}

/* Parse, inspect, dump and answer every fixture: zero heap allocations. */
static void test_no_malloc_per_packet(void **state)
{
	fixture_t *fx[ARRAY_SIZE(pkt_fixtures)];
	char line[PKT4_DUMP_LINE_MAX];
	uint8_t out[DHCP_PKT_MAX];
	static const uint8_t type[] = { DHCPOFFER };
	int ok = 0;

	(void)state;
	if (__sanitizer_install_malloc_and_free_hooks == NULL ||
	    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) == 0) {
		skip();
	}
	for (size_t f = 0; f < ARRAY_SIZE(pkt_fixtures); f++) {
		fx[f] = fixture_load(pkt_fixtures[f]);
	}

	n_mallocs = 0;
	counting = 1;
	for (int round = 0; round < 3; round++) {
		for (size_t f = 0; f < ARRAY_SIZE(pkt_fixtures); f++) {
			pkt4_t pkt;
			pkt4_out_t o;

			arena_reset(&pkt_arena);
			if (pkt4_parse(&pkt, &pkt_arena, fx[f]->data, fx[f]->len) != 0) {
				continue;
			}
			(void)pkt4_msg_type(&pkt);
			pkt4_dump_line(&pkt, line, sizeof(line));
			pkt4_out_init(&o, out, sizeof(out), &pkt);
			pkt4_out_opt(&o, DHO_DHCP_MESSAGE_TYPE, type, sizeof(type));
			pkt4_out_opt(&o, DHO_USER_CLASS, fx[f]->data, fx[f]->len); /* split */
			ok += pkt4_out_finish(&o) > 0;
		}
	}
	counting = 0;

	for (size_t f = 0; f < ARRAY_SIZE(pkt_fixtures); f++) {
		fixture_free(fx[f]);
	}
	assert_int_equal(ok, 3 * (int)ARRAY_SIZE(pkt_fixtures));
	assert_int_equal(n_mallocs, 0);
}

/* ---- dump ---- */

static void test_dump_line(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/discover-relayed-82.hex");
	char line[PKT4_DUMP_LINE_MAX];
	char small[24];
	pkt4_t pkt;

	(void)state;
	pkt_reset();
	assert_int_equal(pkt4_parse(&pkt, &pkt_arena, fx->data, fx->len), 0);
	assert_ptr_equal(pkt4_dump_line(&pkt, line, sizeof(line)), line);
	assert_string_equal(line, "DHCPDISCOVER xid=0x22334455 hw=1/00:11:22:33:44:66 ciaddr=0.0.0.0 "
				  "yiaddr=0.0.0.0 giaddr=10.0.0.2 hops=1 opts=53,55,61,82");

	memset(small, 'Z', sizeof(small));
	pkt4_dump_line(&pkt, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small + sizeof(small) - 4, "...");

	small[0] = 'Z';
	pkt4_dump_line(&pkt, small, 0);
	assert_int_equal(small[0], 'Z');
	pkt4_dump_line(&pkt, small, 1);
	assert_int_equal(small[0], '\0');

	_cleanup_(fixture_freep) fixture_t *ov = fixture_load("pkt/discover-overload.hex");
	pkt_reset();
	assert_int_equal(pkt4_parse(&pkt, &pkt_arena, ov->data, ov->len), 0);
	pkt4_dump_line(&pkt, line, sizeof(line));
	assert_non_null(strstr(line, " ovl=3 opts=12x3,52,53,55,61"));

	_cleanup_(fixture_freep) fixture_t *bp = fixture_load("pkt/bootp-no-53.hex");
	pkt_reset();
	assert_int_equal(pkt4_parse(&pkt, &pkt_arena, bp->data, bp->len), 0);
	pkt4_dump_line(&pkt, line, sizeof(line));
	assert_true(strncmp(line, "BOOTP xid=0xbbccddee", 20) == 0);

	assert_string_equal(pkt4_dump_msg_type_name(DHCPINFORM), "DHCPINFORM");
	assert_string_equal(pkt4_dump_msg_type_name(99), "UNKNOWN");
	assert_string_equal(pkt4_dump_msg_type_name(-1), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_roundtrip),
		cmocka_unit_test(test_build_hlen),
		cmocka_unit_test(test_build_long_split),
		cmocka_unit_test(test_build_emsgsize),
		cmocka_unit_test(test_build_sname_file),
		cmocka_unit_test(test_no_malloc_per_packet),
		cmocka_unit_test(test_dump_line),
	};

	return cmocka_run_group_tests(tests, pkt_setup, pkt_teardown);
}

/* Unit tests for dhcp/agent.c: option 82 sub-options (RFC 3046), link
 * selection (RFC 3527), server-id override (RFC 5107), relay port (RFC 8357). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/agent.h"
#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "fixture.h"
#include "util/arena.h"
#include "util/macro.h"

static arena_t test_arena;

static int setup(void **state)
{
	(void)state;
	return arena_init(&test_arena, 64 * 1024);
}

static int teardown(void **state)
{
	(void)state;
	arena_done(&test_arena);
	return 0;
}

static void test_relayed_discover(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/discover-relayed-82.hex");
	static const uint8_t rid[] = { 0x00, 0xde, 0xad, 0xbe, 0xef, 0x01 };
	pkt4_t pkt;
	agent_t a;
	uint32_t addr = 0;

	(void)state;
	arena_reset(&test_arena);
	assert_int_equal(pkt4_parse(&pkt, &test_arena, fx->data, fx->len), 0);
	assert_int_equal(agent_parse(pkt4_opt(&pkt, DHO_DHCP_AGENT_OPTIONS), &a), 0);

	const opt_view_t *cid = agent_circuit_id(&a);
	assert_non_null(cid);
	assert_int_equal(cid->len, 8);
	assert_memory_equal(cid->data, "eth0/1/2", 8);
	/* Zero-copy: the view points into the packet. */
	assert_true(cid->data > fx->data && cid->data < fx->data + fx->len);

	const opt_view_t *r = agent_remote_id(&a);
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(rid));
	assert_memory_equal(r->data, rid, sizeof(rid));

	assert_int_equal(agent_link_selection(&a, &addr), 0);
	assert_int_equal(addr, 0x0a000500);
	assert_int_equal(agent_server_id_override(&a, &addr), -ENOENT);
	assert_int_equal(addr, 0x0a000500); /* untouched on failure */
	assert_false(agent_has_relay_port(&a));
	assert_int_equal(agent_reply_port(&a, 68), DHCP_SERVER_PORT);

	unsigned n = 0;
	for (unsigned c = 0; c < 256; c++) {
		n += a.sub[c].count > 0;
	}
	assert_int_equal(n, 3);
}

static void test_override_and_relay_port(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/request-relayed-82-override.hex");
	pkt4_t pkt;
	agent_t a;
	uint32_t addr = 0;

	(void)state;
	arena_reset(&test_arena);
	assert_int_equal(pkt4_parse(&pkt, &test_arena, fx->data, fx->len), 0);
	assert_int_equal(agent_parse(pkt4_opt(&pkt, DHO_DHCP_AGENT_OPTIONS), &a), 0);

	assert_int_equal(agent_server_id_override(&a, &addr), 0);
	assert_int_equal(addr, 0x0a000001);
	assert_true(agent_has_relay_port(&a));
	assert_int_equal(agent_sub(&a, RAI_RELAY_PORT)->len, 0);
	/* RFC 8357 §5.2: answer the relay on the port it sent from. */
	assert_int_equal(agent_reply_port(&a, 3067), 3067);
	/* RFC 3527: link selection is used only when exactly 4 bytes. */
	addr = 0;
	assert_int_equal(agent_link_selection(&a, &addr), -EBADMSG);
	assert_int_equal(addr, 0);
	assert_null(agent_remote_id(&a));
	assert_int_equal(agent_reply_port(NULL, 3067), DHCP_SERVER_PORT);
}

static void test_absent_and_empty(void **state)
{
	opt_view_t absent = { 0 };
	opt_view_t empty = { .data = (const uint8_t *)"", .len = 0, .count = 1 };
	agent_t a;

	(void)state;
	memset(&a, 0x5a, sizeof(a));
	assert_int_equal(agent_parse(NULL, &a), -ENOENT);
	assert_int_equal(agent_parse(&absent, &a), -ENOENT);
	assert_int_equal(a.sub[1].count, 0x5a);

	assert_int_equal(agent_parse(&empty, &a), 0);
	for (unsigned c = 0; c < 256; c++) {
		assert_int_equal(a.sub[c].count, 0);
	}
}

static void test_repeated_and_special_codes(void **state)
{
	/* Codes 0 and 255 are ordinary sub-options (no PAD/END inside 82);
	 * a repeated sub-option keeps its first instance. */
	static const uint8_t p[] = { 0, 1, 'z', 1, 2, 'a', 'b', 255, 0, 1, 1, 'c' };
	opt_view_t o = { .data = p, .len = sizeof(p), .count = 1 };
	agent_t a;

	(void)state;
	assert_int_equal(agent_parse(&o, &a), 0);
	assert_int_equal(a.sub[0].count, 1);
	assert_int_equal(a.sub[0].data[0], 'z');
	assert_int_equal(a.sub[255].count, 1);
	assert_int_equal(a.sub[255].len, 0);
	assert_int_equal(a.sub[RAI_CIRCUIT_ID].count, 2);
	assert_int_equal(a.sub[RAI_CIRCUIT_ID].len, 2);
	assert_memory_equal(a.sub[RAI_CIRCUIT_ID].data, "ab", 2);
}

/* Every prefix of a valid option 82 payload, from an exact-size heap copy:
 * the sub-options that fit whole are kept, a cut one ends the list (Kea). */
static void test_every_prefix(void **state)
{
	_cleanup_(fixture_freep) fixture_t *fx = fixture_load("pkt/discover-relayed-82.hex");
	pkt4_t pkt;

	(void)state;
	arena_reset(&test_arena);
	assert_int_equal(pkt4_parse(&pkt, &test_arena, fx->data, fx->len), 0);
	const opt_view_t *o82 = pkt4_opt(&pkt, DHO_DHCP_AGENT_OPTIONS);
	assert_non_null(o82);

	for (size_t cut = 0; cut <= o82->len; cut++) {
		_cleanup_free_ uint8_t *exact = malloc(cut > 0 ? cut : 1);
		assert_non_null(exact);
		memcpy(exact, o82->data, cut);
		opt_view_t v = { .data = exact, .len = (uint16_t)cut, .count = 1 };
		agent_t a;
		uint8_t out[64];
		size_t whole = 0, subs = 0;

		/* Sub-options end at 10, 18 and 24 bytes. */
		for (size_t e = 0; e < 3; e++) {
			if (cut >= (size_t[]){ 10, 18, 24 }[e]) {
				whole = (size_t[]){ 10, 18, 24 }[e];
				subs++;
			}
		}
		memset(&a, 0x5a, sizeof(a));
		assert_int_equal(agent_parse(&v, &a), 0);
		size_t n = 0;
		for (unsigned c = 0; c < 256; c++) {
			n += a.sub[c].count;
		}
		assert_int_equal(n, subs);
		assert_int_equal(agent_canonical(&v, out, sizeof(out)), (int)whole);
	}
}

/* Kea's echo: ascending code, repeats fused in arrival order, empty kept. */
static void test_canonical_order(void **state)
{
	static const uint8_t in[] = { 9, 1, 'z', 2, 1, 'b', 1, 1, 'a', 2, 2, 'c', 'd', 7, 0 };
	static const uint8_t want[] = { 1, 1, 'a', 2, 3, 'b', 'c', 'd', 7, 0, 9, 1, 'z' };
	opt_view_t v = { .data = in, .len = sizeof(in), .count = 1 };
	uint8_t out[sizeof(want)];

	(void)state;
	assert_int_equal(agent_canonical(&v, out, sizeof(out)), (int)sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(agent_canonical(&v, out, sizeof(want) - 1), -ENOBUFS);
}

/* A fused sub-option over 255 bytes goes out as 255 + rest. */
static void test_canonical_long_fused(void **state)
{
	uint8_t in[2 * 202], out[420];
	opt_view_t v = { .data = in, .len = sizeof(in), .count = 1 };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		in[k * 202] = 5;
		in[k * 202 + 1] = 200;
		memset(in + k * 202 + 2, (int)('A' + k), 200);
	}
	assert_int_equal(agent_canonical(&v, out, sizeof(out)), 2 + 255 + 2 + 145);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], 255);
	assert_int_equal(out[2 + 199], 'A');
	assert_int_equal(out[2 + 200], 'B');
	assert_int_equal(out[257], 5);
	assert_int_equal(out[258], 145);
	assert_int_equal(out[259 + 144], 'B');
}

static void test_wrong_lengths(void **state)
{
	static const uint8_t p[] = { 5, 5, 10, 0, 5, 0, 1, 11, 0 };
	opt_view_t o = { .data = p, .len = sizeof(p), .count = 1 };
	agent_t a;
	uint32_t addr = 7;

	(void)state;
	assert_int_equal(agent_parse(&o, &a), 0);
	assert_int_equal(agent_link_selection(&a, &addr), -EBADMSG);
	assert_int_equal(agent_server_id_override(&a, &addr), -EBADMSG);
	assert_int_equal(addr, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relayed_discover),
		cmocka_unit_test(test_override_and_relay_port),
		cmocka_unit_test(test_absent_and_empty),
		cmocka_unit_test(test_repeated_and_special_codes),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_canonical_order),
		cmocka_unit_test(test_canonical_long_fused),
		cmocka_unit_test(test_wrong_lengths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

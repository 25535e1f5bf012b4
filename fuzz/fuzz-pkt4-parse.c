/* Fuzz the DHCPv4 wire codec: parse arbitrary bytes, then exercise everything
 * that consumes a parsed packet without policy: message type, the one-line
 * dump, the option 82 sub-option parser, and the reply builder. Properties
 * checked (a violation traps):
 *   - parse returns 0, -EBADMSG or -ENOMEM; below header + cookie it fails;
 *   - every option view lies in the input or in the arena;
 *   - echoing every option into a reply and parsing that reply back gives
 *     the same option values (RFC 3396 split on write, join on read). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/agent.h"
#include "dhcp/pkt4-dump.h"
#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "util/arena.h"

#define CHECK(cond)                     \
	do {                            \
		if (!(cond)) {          \
			__builtin_trap(); \
		}                       \
	} while (0)

static arena_t arena;
static arena_t arena2;
static uint8_t out[64 * 1024];

static bool in(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	return p >= base && p <= base + len && n <= (size_t)(base + len - p);
}

static void check_views(const pkt4_t *pkt, const arena_t *a)
{
	for (unsigned c = 0; c < 256; c++) {
		const opt_view_t *v = &pkt->opts[c];

		if (v->count == 0) {
			continue;
		}
		CHECK(c != DHO_PAD && c != DHO_END);
		CHECK(in(v->data, v->len, pkt->raw, pkt->raw_len) || in(v->data, v->len, a->buf, a->used));
	}
}

static void roundtrip(const pkt4_t *q)
{
	pkt4_out_t o;
	pkt4_t r;

	pkt4_out_init(&o, out, sizeof(out), q);
	for (unsigned c = 1; c < DHO_END; c++) {
		/* 52 in a reply would make the parser read its (zero) file and sname;
		 * harmless, but it is not an option we echo. */
		if (q->opts[c].count > 0 && c != DHO_DHCP_OPTION_OVERLOAD) {
			pkt4_out_opt(&o, (uint8_t)c, q->opts[c].data, q->opts[c].len);
		}
	}
	int len = pkt4_out_finish(&o);
	if (len == -EMSGSIZE) {
		return;
	}
	CHECK(len >= 241);

	arena_reset(&arena2);
	CHECK(pkt4_parse(&r, &arena2, out, (size_t)len) == 0);
	CHECK(r.op == BOOTREPLY && r.xid == q->xid && r.overload == 0);
	CHECK(r.hlen == (q->hlen <= DHCP_CHADDR_LEN ? q->hlen : DHCP_CHADDR_LEN));
	for (unsigned c = 1; c < DHO_END; c++) {
		if (c == DHO_DHCP_OPTION_OVERLOAD) {
			CHECK(r.opts[c].count == 0);
			continue;
		}
		CHECK((r.opts[c].count > 0) == (q->opts[c].count > 0));
		CHECK(r.opts[c].len == q->opts[c].len);
		CHECK(q->opts[c].len == 0 || memcmp(r.opts[c].data, q->opts[c].data, q->opts[c].len) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[PKT4_DUMP_LINE_MAX];
	pkt4_t pkt;
	agent_t a;
	uint32_t addr;

	if (arena.buf == NULL && (arena_init(&arena, 64 * 1024) < 0 || arena_init(&arena2, 64 * 1024) < 0)) {
		return 0;
	}
	arena_reset(&arena);

	int r = pkt4_parse(&pkt, &arena, data, size);
	CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM);
	if (size < 240) {
		CHECK(r == -EBADMSG);
	}
	if (r < 0) {
		return 0;
	}

	check_views(&pkt, &arena);
	int type = pkt4_msg_type(&pkt);
	CHECK(type >= 0 && type <= 255);
	pkt4_dump_line(&pkt, line, sizeof(line));
	CHECK(strlen(line) < sizeof(line));

	if (agent_parse(pkt4_opt(&pkt, DHO_DHCP_AGENT_OPTIONS), &a) == 0) {
		(void)agent_link_selection(&a, &addr);
		(void)agent_server_id_override(&a, &addr);
		(void)agent_reply_port(&a, 68);
		(void)agent_circuit_id(&a);
		(void)agent_remote_id(&a);
	}

	roundtrip(&pkt);
	return 0;
}

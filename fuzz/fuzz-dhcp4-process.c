/* Fuzz the whole per-packet pipeline, dhcp4_process(): parse, classify,
 * select a subnet, find reservations, allocate against the lease store, build
 * the reply. Built once with the fixed configuration fuzz/cfg/two-subnets-
 * relay.json, an in-memory memfile store (persist false) and a deterministic
 * clock. Every datagram is received twice:
 *   1. from a directly connected client on eth0 (broadcast from 0.0.0.0:68,
 *      or unicast from ciaddr when ciaddr is set);
 *   2. from the relay 10.0.0.2:67, unicast to the server (giaddr 10.0.0.2 is
 *      filled in when the datagram has none).
 * An input may hold several datagrams (up to PKTS_MAX), separated by
 * PKT_SEP followed by one byte that advances the clock by that many
 * CLOCK_TICKs: whole exchanges (DISCOVER, REQUEST, DECLINE, a lease expiring,
 * another client) then fit in one self-describing input.
 * Seeds are the codec fixtures (tests/fixtures/pkt/ *.hex as binary) plus a
 * few exchanges built by hand.
 *
 * State (leases, allocator cursors) carries over from input to input so that
 * DISCOVER -> REQUEST -> RELEASE/DECLINE paths are reached; every
 * STATE_RESET inputs the store is wiped and the clock goes back to its start,
 * and in between the clock advances by CLOCK_STEP every CLOCK_EVERY inputs so
 * that leases expire and get reused. Replaying a corpus directory is
 * deterministic (same file order, same state). A crash that depends on
 * earlier inputs reproduces when its predecessors are replayed too.
 *
 * Properties checked (a violation traps):
 *   - dhcp4_process returns 0 (no internal error: the store cannot fail and
 *     the arena is large enough) with VERDICT_DROP or VERDICT_REPLY;
 *   - every reply re-parses with pkt4_parse, is a BOOTREPLY with the query's
 *     xid, carries option 53 = tx.msg_type (OFFER, ACK or NAK) and a 4-byte
 *     server identifier, and fits DHCP_PKT_MAX; it echoes the client
 *     identifier (RFC 6842) and the relay agent information, as the last
 *     option (RFC 3046 §2.2);
 *   - an OFFER or an ACK to anything but INFORM hands out an address of a
 *     configured subnet; a NAK or an ACK to INFORM hands out nothing;
 *   - an OFFER never names an address leased (unexpired) to another client
 *     or declined and in probation (RFC 2131 §4.3.1);
 *   - an ACK to a REQUEST confirms the requested address (option 50, else
 *     ciaddr) and is backed by a lease in the store for that address, this
 *     client, this subnet and this clock (RFC 2131 §4.3.2: committed before
 *     the ACK). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "dhcp/pkt4.h"
#include "dhcp/agent.h"
#include "dhcp/proto.h"
#include "engine/allocator.h"
#include "engine/dhcp4.h"
#include "lease/store.h"
#include "stats/stats.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/macro.h"
#include "util/wire.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond)) {            \
			__builtin_trap(); \
		}                         \
	} while (0)

#define CFG_FILE LESSOR_FUZZ_DIR "/cfg/two-subnets-relay.json"
#define SERVER_ADDR 0xc0000201u         /* 192.0.2.1, eth0 */
#define RELAY_ADDR 0x0a000002u          /* 10.0.0.2, the configured relay */
#define CLOCK_START 1700000000
#define CLOCK_STEP 500                  /* s; below the shortest lifetime (600) */
#define CLOCK_EVERY 16
#define STATE_RESET 256
#define CLOCK_TICK 32                   /* s per unit of a separator's clock byte */
#define INPUT_MAX (16 * 1024)
#define PKTS_MAX 32
#define PKT_SEP "\nLESSOR\n"            /* between datagrams of one input */
#define PKT_SEP_LEN (sizeof(PKT_SEP) - 1)

#define OFF_CIADDR 12
#define OFF_GIADDR 24

typedef struct env {
	cfg_t *cfg;
	lease_store_t *store;
	lease_conn_t *conn;
	stats_t stats;
	arena_t arena;
	arena_t reply_arena;
	allocator_t *alloc;
	dhcp4_ctx_t ctx;
	uint8_t txbuf[DHCP_PKT_MAX];
	uint64_t inputs;
	bool verbose;                   /* LESSOR_FUZZ_VERBOSE set: one line per packet */
} env_t;

static env_t env;

static void quiet_logs(void)
{
	static char name[] = "kea-dhcp4";
	static char out[] = "stderr";
	cfg_log_output_t o = { .output = out };
	cfg_logger_t lg = { .name = name, .severity = LOG_SEV_NONE, .outputs = &o, .n_outputs = 1 };

	(void)log_configure(&lg, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cfg_err_t err = { 0 };
	char buf[1200];
	char *msg = NULL;

	(void)argc;
	(void)argv;
	quiet_logs();
	if (cfg_load_file(CFG_FILE, &env.cfg, &err) < 0) {
		fprintf(stderr, "fuzz-dhcp4-process: %s: %s\n", CFG_FILE,
		        cfg_err_format(&err, buf, sizeof(buf)));
		abort();
	}
	lease_store_cfg_t lcfg = { .type = "memfile", .persist = false };
	if (lease_store_open(&lcfg, &env.store, &msg) < 0 ||
	    lease_conn_open(env.store, &env.conn) < 0 || stats_init(&env.stats, 1) < 0 ||
	    arena_init(&env.arena, 1 << 20) < 0 || arena_init(&env.reply_arena, 1 << 16) < 0 ||
	    allocator_new(0, 1, &env.alloc) < 0) {
		fprintf(stderr, "fuzz-dhcp4-process: setup failed: %s\n", msg != NULL ? msg : "");
		abort();
	}
	free(msg);
	env.verbose = getenv("LESSOR_FUZZ_VERBOSE") != NULL;
	env.ctx = (dhcp4_ctx_t){
		.cfg = env.cfg,
		.conn = env.conn,
		.stats = &env.stats.shards[0],
		.arena = &env.arena,
		.now = CLOCK_START,
		.rand_state = 1,
		.allocator = env.alloc,
	};
	return 0;
}

static bool in_some_subnet(uint32_t addr)
{
	for (size_t i = 0; i < env.cfg->n_subnets; i++) {
		if (cfg_subnet4_contains(&env.cfg->subnets[i], addr)) {
			return true;
		}
	}
	return false;
}

/* Whether lease @l belongs to the client that sent @q: same hardware address
 * or same client identifier. The hardware address as the engine records it
 * (Kea 2.2's quirks, see client_init() in engine/dhcp4.c): chaddr[0..hlen)
 * for hlen <= 16; the 16 chaddr bytes padded with zeros to hlen for hlen
 * 17..20; 16 zero bytes beyond. Deliberately loose otherwise: Kea's exact
 * client matching is the engine's business, this only catches a lease of a
 * different client. */
static bool client_owns(const pkt4_t *q, const lease4_t *l)
{
	uint8_t hw[DHCP_HWADDR_MAX] = { 0 };
	size_t hw_len = q->hlen;
	const opt_view_t *cid = pkt4_opt(q, DHO_DHCP_CLIENT_IDENTIFIER);

	if (hw_len <= DHCP_HWADDR_MAX) {
		memcpy(hw, q->chaddr, MIN(hw_len, (size_t)DHCP_CHADDR_LEN));
	} else {
		hw_len = DHCP_CHADDR_LEN;
	}
	if (hw_len > 0 && l->hwaddr_len == hw_len && memcmp(l->hwaddr, hw, hw_len) == 0) {
		return true;
	}
	return cid != NULL && cid->len == l->client_id_len &&
	       memcmp(cid->data, l->client_id, cid->len) == 0;
}

/* An OFFER never names an address that is in use by another client or
 * declined (in probation): RFC 2131 §4.3.1, Kea's allocation engine. */
static void check_offer_free(const pkt4_t *q, uint32_t addr)
{
	lease4_t l;

	if (lease_get_by_addr(env.conn, addr, &l) < 0) {
		return;
	}
	if (lease4_is_expired(&l, env.ctx.now) || l.state == LEASE_STATE_EXPIRED_RECLAIMED) {
		return;
	}
	CHECK(l.state == LEASE_STATE_DEFAULT);
	CHECK(client_owns(q, &l));
}

static bool same_opt(const opt_view_t *a, const opt_view_t *b)
{
	return a != NULL && b != NULL && a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Code of the last option before END in the reply's options field. */
static int last_option(const dhcp4_tx_t *tx)
{
	size_t i = 240;
	int last = -1;

	while (i < tx->len) {
		uint8_t c = tx->buf[i];

		if (c == DHO_END) {
			break;
		}
		if (c == DHO_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= tx->len) {
			break;
		}
		last = c;
		i += 2 + (size_t)tx->buf[i + 1];
	}
	return last;
}

/* RFC 6842 §3: client identifier echoed (Kea: echo-client-id, default on).
 * RFC 3046 §2.2: relay agent information echoed (Kea's order), as the last option
 * (except in an ACK to INFORM that goes straight to ciaddr: Kea drops it). */
static void check_echoes(const dhcp4_tx_t *tx, const pkt4_t *q, const pkt4_t *r, int qtype)
{
	const opt_view_t *cid = pkt4_opt(q, DHO_DHCP_CLIENT_IDENTIFIER);
	const opt_view_t *rai = pkt4_opt(q, DHO_DHCP_AGENT_OPTIONS);

	if (cid != NULL && env.cfg->echo_client_id) {
		CHECK(same_opt(cid, pkt4_opt(r, DHO_DHCP_CLIENT_IDENTIFIER)));
	}
	if (rai != NULL && rai->len > 0 && qtype != DHCPINFORM) {
		/* as Kea repacks it: sorted, repeats fused, a cut tail left out */
		static uint8_t canon[DHCP_PKT_MAX];
		int n = agent_canonical(rai, canon, sizeof(canon));
		const opt_view_t *echo = pkt4_opt(r, DHO_DHCP_AGENT_OPTIONS);

		CHECK(n >= 0);
		if (n == 0) {
			CHECK(echo == NULL);
		} else {
			opt_view_t want = { .data = canon, .len = (uint16_t)n, .count = 1 };

			CHECK(echo != NULL && echo->len == want.len &&
			      memcmp(echo->data, want.data, want.len) == 0);
			CHECK(last_option(tx) == DHO_DHCP_AGENT_OPTIONS);
		}
	}
}

static void check_reply(const dhcp4_tx_t *tx, const pkt4_t *q, int qtype)
{
	pkt4_t r;

	CHECK(tx->len >= 240 && tx->len <= DHCP_PKT_MAX);
	CHECK(tx->hlen <= DHCP_CHADDR_LEN);
	CHECK(tx->kind == DHCP4_TX_UDP || tx->kind == DHCP4_TX_BROADCAST ||
	      tx->kind == DHCP4_TX_LINK);
	arena_reset(&env.reply_arena);
	CHECK(pkt4_parse(&r, &env.reply_arena, tx->buf, tx->len) == 0);
	CHECK(r.op == BOOTREPLY);
	CHECK(r.xid == q->xid);
	CHECK(tx->msg_type == DHCPOFFER || tx->msg_type == DHCPACK || tx->msg_type == DHCPNAK);
	CHECK(pkt4_msg_type(&r) == tx->msg_type);

	const opt_view_t *sid = pkt4_opt(&r, DHO_DHCP_SERVER_IDENTIFIER);
	CHECK(sid != NULL && sid->len == 4);
	check_echoes(tx, q, &r, qtype);

	switch (tx->msg_type) {
	case DHCPOFFER:
		CHECK(qtype == DHCPDISCOVER);
		CHECK(r.yiaddr != 0 && in_some_subnet(r.yiaddr));
		check_offer_free(q, r.yiaddr);
		break;
	case DHCPNAK:
		CHECK(qtype == DHCPREQUEST);
		CHECK(r.yiaddr == 0);
		break;
	case DHCPACK:
		CHECK(qtype == DHCPREQUEST || qtype == DHCPINFORM);
		if (qtype == DHCPINFORM) {
			CHECK(r.yiaddr == 0);
			break;
		}
		CHECK(r.yiaddr != 0 && in_some_subnet(r.yiaddr));
		/* RFC 2131 §4.3.2: the ACK confirms the address the client asked
		 * for (option 50, else ciaddr); anything else is a NAK. */
		uint32_t want = 0;
		const opt_view_t *req = pkt4_opt(q, DHO_DHCP_REQUESTED_ADDRESS);
		if (req != NULL && req->len == 4) {
			want = be32_load(req->data);
		} else {
			want = q->ciaddr;
		}
		CHECK(want == 0 || r.yiaddr == want);
		lease4_t l;
		CHECK(lease_get_by_addr(env.conn, r.yiaddr, &l) == 0);
		if (env.verbose) {
			fprintf(stderr, "  lease %08x subnet %u hw(%u) %02x%02x%02x%02x%02x%02x cid(%u) "
			        "query hlen %u chaddr %02x%02x%02x%02x%02x%02x\n", l.addr, l.subnet_id,
			        l.hwaddr_len, l.hwaddr[0], l.hwaddr[1], l.hwaddr[2], l.hwaddr[3],
			        l.hwaddr[4], l.hwaddr[5], l.client_id_len, q->hlen, q->chaddr[0],
			        q->chaddr[1], q->chaddr[2], q->chaddr[3], q->chaddr[4], q->chaddr[5]);
		}
		CHECK(l.state == LEASE_STATE_DEFAULT);
		CHECK(l.cltt == env.ctx.now);
		CHECK(cfg_subnet4_contains(cfg_subnet_by_id(env.cfg, l.subnet_id), r.yiaddr));
		CHECK(client_owns(q, &l));
		break;
	default:
		break;
	}
}

static void run(const uint8_t *buf, size_t len, uint32_t src, uint16_t sport, uint32_t dst)
{
	dhcp4_rx_t rx = {
		.buf = buf,
		.len = len,
		.src_addr = src,
		.src_port = sport,
		.dst_addr = dst,
		.ifindex = 2,
		.ifname = "eth0",
		.iface_addr = SERVER_ADDR,
	};
	dhcp4_tx_t tx = { .buf = env.txbuf };
	verdict_t v = _VERDICT_MAX;
	pkt4_t q;

	arena_reset(&env.arena);
	int r = dhcp4_process(&env.ctx, &rx, &tx, &v);
	CHECK(r == 0);
	CHECK(v == VERDICT_DROP || v == VERDICT_REPLY);
	if (env.verbose) {
		fprintf(stderr, "  %s: %s type %d yiaddr %08x\n", src == 0 ? "direct" : "from",
		        v == VERDICT_REPLY ? "reply" : "drop", v == VERDICT_REPLY ? tx.msg_type : 0,
		        v == VERDICT_REPLY && tx.len >= 20 ? be32_load(tx.buf + 16) : 0);
	}
	if (v != VERDICT_REPLY) {
		return;
	}
	/* The query parsed (or there would be no reply); parse it again for
	 * its xid and type, in the arena the pipeline used. */
	CHECK(pkt4_parse(&q, &env.arena, buf, len) == 0);
	check_reply(&tx, &q, pkt4_msg_type(&q));
}

static void tick(void)
{
	if (env.inputs % STATE_RESET == 0) {
		(void)env.store->ops->wipe(env.conn, 0);
		env.ctx.now = CLOCK_START;
		env.ctx.rand_state = 1;
	} else if (env.inputs % CLOCK_EVERY == 0) {
		env.ctx.now += CLOCK_STEP;
	}
	env.inputs++;
}

/* One datagram, received directly and through the relay. Each run gets an
 * exact-size heap copy, so that ASan sees any read past the datagram. */
static void datagram(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	/* The daemon reads at most DHCP_PKT_MAX bytes per datagram. */
	if (size > DHCP_PKT_MAX) {
		return;
	}
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL) {
		return;
	}

	/* 1. direct client: broadcast, or unicast from ciaddr when it has one */
	memcpy(copy, data, size);
	uint32_t ciaddr = size >= OFF_CIADDR + 4 ? be32_load(copy + OFF_CIADDR) : 0;
	if (ciaddr != 0) {
		run(copy, size, ciaddr, DHCP_CLIENT_PORT, SERVER_ADDR);
	} else {
		run(copy, size, 0, DHCP_CLIENT_PORT, 0xffffffffu);
	}

	/* 2. through the relay; giaddr filled in when the datagram has none */
	memcpy(copy, data, size);
	uint32_t giaddr = 0;
	if (size >= OFF_GIADDR + 4) {
		giaddr = be32_load(copy + OFF_GIADDR);
		if (giaddr == 0) {
			giaddr = RELAY_ADDR;
			be32_store(copy + OFF_GIADDR, giaddr);
		}
	}
	run(copy, size, giaddr != 0 ? giaddr : RELAY_ADDR, DHCP_SERVER_PORT, SERVER_ADDR);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size;
	const uint8_t *p = data;

	if (size > INPUT_MAX) {
		return 0;
	}
	tick();
	for (unsigned n = 0; n < PKTS_MAX; n++) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), PKT_SEP, PKT_SEP_LEN);

		datagram(p, (size_t)((sep != NULL ? sep : end) - p));
		if (sep == NULL || (size_t)(end - sep) < PKT_SEP_LEN + 1) {
			break;
		}
		/* The byte after a separator moves the clock on by that many
		 * CLOCK_TICKs before the next datagram. */
		env.ctx.now += (int64_t)sep[PKT_SEP_LEN] * CLOCK_TICK;
		p = sep + PKT_SEP_LEN + 1;
	}
	return 0;
}

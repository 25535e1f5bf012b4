/* Engine test helpers; see helpers-engine.h. */
#include <string.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "util/log.h"
#include "util/wire.h"

/* Quiet unless LESSOR_TEST_LOG is set: the engine logs Kea's INFO lease lines. */
static void quiet_logs(void)
{
	static char name[] = "kea-dhcp4";
	static char out[] = "stdout";
	cfg_log_output_t o = {.output = out};
	cfg_logger_t lg = {.name = name, .severity = LOG_SEV_NONE, .outputs = &o, .n_outputs = 1};

	if (getenv("LESSOR_TEST_LOG") == NULL) {
		log_configure(&lg, 1);
	}
}

eng_env_t *eng_env_new(const char *json)
{
	eng_env_t *e = test_calloc(1, sizeof(*e));
	cfg_err_t err = {0};
	char *msg = NULL;
	int r;

	assert_non_null(e);
	quiet_logs();
	r = cfg_load_text(json, strlen(json), &e->cfg, &err);
	if (r < 0) {
		char buf[1200];
		print_error("cfg_load_text: %s\n", cfg_err_format(&err, buf, sizeof(buf)));
	}
	assert_int_equal(r, 0);
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	r = lease_store_open(&lcfg, &e->store, &msg);
	assert_int_equal(r, 0);
	free(msg);
	assert_int_equal(lease_conn_open(e->store, &e->conn), 0);
	assert_int_equal(stats_init(&e->stats, 1), 0);
	assert_int_equal(arena_init(&e->arena, 1 << 20), 0);
	assert_int_equal(arena_init(&e->reply_arena, 1 << 16), 0);
	assert_int_equal(allocator_new(0, 1, &e->alloc), 0);
	e->ctx = (dhcp4_ctx_t){
	        .cfg = e->cfg,
	        .conn = e->conn,
	        .stats = &e->stats.shards[0],
	        .arena = &e->arena,
	        .now = ENG_NOW,
	        .allocator = e->alloc,
	};
	return e;
}

void eng_env_free(eng_env_t *e)
{
	if (e == NULL) {
		return;
	}
	allocator_free(e->alloc);
	arena_done(&e->arena);
	arena_done(&e->reply_arena);
	stats_done(&e->stats);
	lease_conn_close(e->conn);
	lease_store_close(e->store);
	cfg_free(e->cfg);
	test_free(e);
}

void eng_pkt_set_u32(eng_pkt_t *p, size_t off, uint32_t v)
{
	be32_store(p->buf + off, v);
}

void eng_pkt_init(eng_pkt_t *p, uint8_t type, const uint8_t *mac)
{
	memset(p, 0, sizeof(*p));
	p->buf[0] = BOOTREQUEST;
	p->buf[1] = 1;
	p->buf[2] = 6;
	eng_pkt_set_u32(p, 4, 0x12345678);
	memcpy(p->buf + 28, mac, 6);
	eng_pkt_set_u32(p, 236, DHCP_MAGIC_COOKIE);
	p->len = 240;
	p->src_addr = 0;
	p->src_port = DHCP_CLIENT_PORT;
	p->dst_addr = 0xffffffffu;
	if (type != 0) {
		eng_pkt_opt(p, DHO_DHCP_MESSAGE_TYPE, &type, 1);
	}
}

void eng_pkt_opt(eng_pkt_t *p, uint8_t code, const void *data, size_t len)
{
	assert_true(p->len + 2 + len < sizeof(p->buf));
	p->buf[p->len++] = code;
	p->buf[p->len++] = (uint8_t)len;
	if (len > 0) {
		memcpy(p->buf + p->len, data, len);
	}
	p->len += len;
}

void eng_pkt_opt_addr(eng_pkt_t *p, uint8_t code, uint32_t addr)
{
	uint8_t b[4];

	be32_store(b, addr);
	eng_pkt_opt(p, code, b, 4);
}

void eng_pkt_set_ciaddr(eng_pkt_t *p, uint32_t a)
{
	eng_pkt_set_u32(p, 12, a);
}

void eng_pkt_relay(eng_pkt_t *p, uint32_t giaddr, uint16_t port)
{
	eng_pkt_set_u32(p, 24, giaddr);
	p->buf[3] = 1;
	p->src_addr = giaddr;
	p->src_port = port;
	p->dst_addr = ENG_SERVER_ADDR;
}

void eng_pkt_unicast(eng_pkt_t *p, uint32_t src)
{
	p->src_addr = src;
	p->dst_addr = ENG_SERVER_ADDR;
}

void eng_pkt_end(eng_pkt_t *p)
{
	assert_true(p->len < sizeof(p->buf));
	p->buf[p->len++] = DHO_END;
}

verdict_t eng_send(eng_env_t *e, const eng_pkt_t *p)
{
	dhcp4_rx_t rx = {
	        .buf = p->buf,
	        .len = p->len,
	        .src_addr = p->src_addr,
	        .src_port = p->src_port,
	        .dst_addr = p->dst_addr,
	        .ifindex = 2,
	        .iface_addr = ENG_SERVER_ADDR,
	};
	verdict_t v = _VERDICT_MAX;
	int r;

	strcpy(rx.ifname, "eth0");
	memset(&e->tx, 0, sizeof(e->tx));
	e->tx.buf = e->txbuf;
	arena_reset(&e->arena);
	r = dhcp4_process(&e->ctx, &rx, &e->tx, &v);
	assert_int_equal(r, 0);
	assert_true(v == VERDICT_DROP || v == VERDICT_REPLY);
	if (v == VERDICT_REPLY) {
		arena_reset(&e->reply_arena);
		assert_true(e->tx.len >= 240 && e->tx.len <= DHCP_PKT_MAX);
		assert_int_equal(pkt4_parse(&e->reply, &e->reply_arena, e->txbuf, e->tx.len), 0);
		assert_int_equal(e->reply.op, BOOTREPLY);
	}
	return v;
}

int eng_reply_type(const eng_env_t *e)
{
	return pkt4_msg_type(&e->reply);
}

uint32_t eng_reply_u32(const eng_env_t *e, uint8_t code)
{
	const opt_view_t *o = pkt4_opt(&e->reply, code);

	assert_non_null(o);
	assert_int_equal(o->len, 4);
	return be32_load(o->data);
}

bool eng_reply_has(const eng_env_t *e, uint8_t code)
{
	return pkt4_opt(&e->reply, code) != NULL;
}

size_t eng_reply_codes(const eng_env_t *e, uint8_t *out, size_t n)
{
	size_t i = 240, k = 0;

	while (i < e->tx.len && k < n) {
		uint8_t c = e->txbuf[i];

		if (c == DHO_END) {
			break;
		}
		if (c == DHO_PAD) {
			i++;
			continue;
		}
		out[k++] = c;
		i += 2 + (i + 1 < e->tx.len ? e->txbuf[i + 1] : 0);
	}
	return k;
}

uint64_t eng_stat(const eng_env_t *e, stat_id_t id)
{
	return stats_sum(&e->stats, id);
}

uint32_t eng_dora(eng_env_t *e, const uint8_t *mac)
{
	eng_pkt_t p;
	uint32_t yiaddr, sid;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_end(&p);
	if (eng_send(e, &p) != VERDICT_REPLY || eng_reply_type(e) != DHCPOFFER) {
		return 0;
	}
	yiaddr = e->reply.yiaddr;
	sid = eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER);
	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, yiaddr);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
	eng_pkt_end(&p);
	if (eng_send(e, &p) != VERDICT_REPLY || eng_reply_type(e) != DHCPACK) {
		return 0;
	}
	return e->reply.yiaddr;
}

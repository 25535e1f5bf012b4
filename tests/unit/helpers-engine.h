/* Test helpers for the engine tests (test-dhcp4, test-alloc, test-reply):
 * a config + memfile(persist=false) store + worker context, a packet builder
 * and a reply decoder. Failures abort the test through cmocka. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cfg/cfg.h"
#include "engine/allocator.h"
#include "engine/dhcp4.h"
#include "lease/store.h"
#include "stats/stats.h"

#define ENG_NOW 1700000000
#define ENG_SERVER_ADDR 0xc0000201u /* 192.0.2.1: receiving interface address */

typedef struct eng_env {
	cfg_t *cfg;
	lease_store_t *store;
	lease_conn_t *conn;
	stats_t stats;
	arena_t arena;
	allocator_t *alloc;
	dhcp4_ctx_t ctx;
	uint8_t txbuf[DHCP_PKT_MAX];
	dhcp4_tx_t tx;
	pkt4_t reply; /* parsed tx after eng_send() with a reply */
	arena_t reply_arena;
} eng_env_t;

/** Load @json ({"Dhcp4": ...}) and open a memfile store without a file. */
eng_env_t *eng_env_new(const char *json);
void eng_env_free(eng_env_t *e);

typedef struct eng_pkt {
	uint8_t buf[1024];
	size_t len;
	/* socket metadata for dhcp4_rx_t */
	uint32_t src_addr;
	uint16_t src_port;
	uint32_t dst_addr;
} eng_pkt_t;

/** BOOTREQUEST from @mac (6 bytes) with option 53 = @type (0 = no option 53),
 *  broadcast to 255.255.255.255 from 0.0.0.0:68. */
void eng_pkt_init(eng_pkt_t *p, uint8_t type, const uint8_t *mac);
void eng_pkt_opt(eng_pkt_t *p, uint8_t code, const void *data, size_t len);
void eng_pkt_opt_addr(eng_pkt_t *p, uint8_t code, uint32_t addr);
void eng_pkt_set_u32(eng_pkt_t *p, size_t off, uint32_t v);
void eng_pkt_set_ciaddr(eng_pkt_t *p, uint32_t a);
/** Relayed: giaddr, IP source = giaddr:@port, unicast to the server. */
void eng_pkt_relay(eng_pkt_t *p, uint32_t giaddr, uint16_t port);
/** Unicast from @src (a renewing client). */
void eng_pkt_unicast(eng_pkt_t *p, uint32_t src);
void eng_pkt_end(eng_pkt_t *p);

/** Run dhcp4_process(); returns the verdict (asserts no internal error).
 *  With VERDICT_REPLY e->reply holds the parsed reply. */
verdict_t eng_send(eng_env_t *e, const eng_pkt_t *p);
/** Message type of e->reply. */
int eng_reply_type(const eng_env_t *e);
/** Option @code of the reply as u32 (asserts length 4). */
uint32_t eng_reply_u32(const eng_env_t *e, uint8_t code);
/** Whether the reply carries option @code. */
bool eng_reply_has(const eng_env_t *e, uint8_t code);
/** Codes of the reply's options in wire order into out[] (max @n), returns count. */
size_t eng_reply_codes(const eng_env_t *e, uint8_t *out, size_t n);
uint64_t eng_stat(const eng_env_t *e, stat_id_t id);

/** DISCOVER then REQUEST(selecting) for @mac; returns the ACKed address or 0. */
uint32_t eng_dora(eng_env_t *e, const uint8_t *mac);

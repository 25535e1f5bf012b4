/* Internals of the per-packet pipeline, shared by dhcp4.c (the pipeline and
 * the reply), dhcp4-accept.c (whether a packet is processed), dhcp4-msg.c
 * (one handler per message type) and dhcp4-log.c (Kea's log lines). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "engine/dhcp4.h"
#include "dhcp/agent.h"
#include "engine/alloc.h"
#include "engine/classify.h"
#include "engine/names.h"
#include "engine/reply.h"

#define INADDR_BCAST 0xffffffffu

/* Offsets into a built reply for the fields INFORM rewrites after the build. */
#define OFF_HOPS 3
#define OFF_FLAGS 10
#define OFF_GIADDR 24

/* Everything known about one packet while it is processed. */
typedef struct exch {
	dhcp4_ctx_t *ctx;
	const dhcp4_rx_t *rx;
	pkt4_t *pkt;
	int type;
	agent_t *agent;       /* NULL when no (valid) option 82 */
	bool relayed;         /* giaddr != 0 (Kea Pkt4::isRelayed) */
	bool broadcast_rx;    /* sent to 255.255.255.255 */
	uint32_t socket_addr; /* our address on the receiving socket */
	class_set_t classes;
	class_eval_ctx_t ec;
	const cfg_subnet4_t *subnet;
	const cfg_host_t *host;
	alloc_client_t client;
	uint8_t zero_hw[DHCP_HWADDR_MAX];
	names_query_t names; /* options 81 / 12 as parsed */
	names_t reply_names; /* what the reply carries (names_decide) */
} exch_t;
/* Kea's client label: "[hwtype=1 02:00:00:00:00:01], cid=[01:02], tid=0x1234". */
#define LABEL_MAX (3 * DHCP_OPT_LEN_MAX + 3 * DHCP_HWADDR_MAX + 64)

/* dhcp4.c */
int dhcp4_drop(exch_t *x, verdict_t *ret_verdict);
bool dhcp4_opt_addr(const pkt4_t *pkt, uint8_t code, uint32_t *ret);
int dhcp4_send_reply(exch_t *x, reply_in_t *in, dhcp4_tx_t *tx, verdict_t *ret_verdict);

/* dhcp4-accept.c */
bool dhcp4_accept_options_parse(exch_t *x);
bool dhcp4_accept_options_sane(const exch_t *x);
bool dhcp4_accept_direct(const exch_t *x);
bool dhcp4_accept_type(int type);
bool dhcp4_accept_server_id(const exch_t *x);
bool dhcp4_accept_identity(const exch_t *x);

/* dhcp4-msg.c */
int dhcp4_msg_discover(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict);
int dhcp4_msg_request(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict);
int dhcp4_msg_release(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict);
int dhcp4_msg_decline(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict);
int dhcp4_msg_inform(exch_t *x, dhcp4_tx_t *tx, verdict_t *ret_verdict);

/* dhcp4-log.c */
const char *dhcp4_log_label(const exch_t *x, char *buf);
__attribute__((format(printf, 4, 5)))
void dhcp4_log_drop(const exch_t *x, const char *msgid, int dbglevel, const char *fmt, ...);
void dhcp4_log_parse_fail(const exch_t *x, const char *reason);
const char *dhcp4_log_unpack_error(const dhcp4_rx_t *rx);
void dhcp4_log_process_fail(const exch_t *x, const char *suffix, const char *what);
void dhcp4_log_drop_class(const exch_t *x, const char *when);
void dhcp4_log_lease(const exch_t *x, const char *msgid, const lease4_t *l, uint32_t reuse_lft);
void dhcp4_log_alloc_fail(const exch_t *x, const alloc_result_t *res);
void dhcp4_log_no_subnet_nak(const exch_t *x);
void dhcp4_log_discover_conflict(const exch_t *x, const alloc_req_t *req, uint32_t addr);

/* Per-packet pipeline: validate -> classify -> select subnet -> allocate ->
 * build reply. No sockets: the daemon hands in a received datagram with its
 * socket metadata and gets back a verdict and, for VERDICT_REPLY, a reply with
 * where to send it. Unit tests and fuzzers drive this directly. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "cfg/cfg.h"
#include "lease/hostdb.h"
#include "lease/store.h"
#include "stats/stats.h"
#include "util/arena.h"

typedef enum verdict {
	VERDICT_DROP,           /* stay silent: not ours, not allowed, or malformed */
	VERDICT_REPLY,          /* tx holds a reply to send now (after the batch's lease sync) */
	VERDICT_PARK,           /* reply ready, but the HA partner must ack the lease first */
	_VERDICT_MAX,
} verdict_t;

/* A received datagram and what the socket told us about it. */
typedef struct dhcp4_rx {
	const uint8_t *buf;
	size_t len;
	uint32_t src_addr;              /* host order */
	uint16_t src_port;
	uint32_t dst_addr;              /* local address it was sent to (IP_PKTINFO) */
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t iface_addr;            /* primary IPv4 address of the receiving interface */
} dhcp4_rx_t;

/* Where and how to send a reply (RFC 2131 §4.1, Kea's adjustRemoteAddr). */
typedef enum dhcp4_tx_kind {
	DHCP4_TX_UDP,                   /* the kernel's UDP path: sendto(dst_addr:dst_port) */
	DHCP4_TX_BROADCAST,             /* the kernel's UDP path: 255.255.255.255:68 out of ifindex */
	DHCP4_TX_LINK,                  /* to a directly connected client with the packet socket
	                                 * (Kea's raw sockets): a frame to the query's source MAC
	                                 * (else chaddr), IP destination dst_addr, whatever it is */
} dhcp4_tx_kind_t;

typedef struct dhcp4_tx {
	uint8_t *buf;                   /* caller-owned, DHCP_PKT_MAX bytes */
	size_t len;
	dhcp4_tx_kind_t kind;
	uint32_t dst_addr;
	uint16_t dst_port;
	uint32_t src_addr;              /* server address to send from (0 = routing decides) */
	int ifindex;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	uint8_t hlen;
	uint8_t msg_type;               /* DHCPOFFER, DHCPACK, DHCPNAK: for stats and logs */
	uint32_t ha_addr;               /* a lease changed here (ACK, RELEASE, DECLINE): the HA
	                                 * partner must hear of it; 0 = none. Set with any verdict */
	uint64_t ha_client;             /* an unserved DISCOVER/REQUEST to report to the HA
	                                 * analysis (ha_client_key()); 0 = none */
	uint16_t ha_secs;               /* its secs as Kea reads them */
} dhcp4_tx_t;

/* Everything one worker brings to the pipeline; all worker-owned. */
typedef struct dhcp4_ctx {
	const cfg_t *cfg;               /* snapshot held for the batch */
	lease_conn_t *conn;
	hostdb_conn_t *hosts;           /* per-packet reservation lookups when the config's
	                                 * hosts_db_lookup is set (lease/hostdb.h); may be NULL */
	stats_shard_t *stats;
	arena_t *arena;                 /* reset by the caller after each packet */
	int64_t now;                    /* epoch seconds, cached per batch */
	uint32_t rand_state;            /* for the random allocator */
	bool dhcp_disabled;             /* dhcp-disable in force: drop everything */
	unsigned ha_filter;             /* ha_filter() (HA_F_*) for the batch; 0 = no HA */
	struct allocator *allocator;    /* worker's address-picker state (engine/allocator.h,
	                                 * allocator_new()); NULL = scan pools from the start */
} dhcp4_ctx_t;

/** Process one datagram. Returns 0 with *ret_verdict set, or a negative code
 *  for an internal failure (OOM, lease backend error): the caller counts and
 *  drops. A malformed or unwanted packet is VERDICT_DROP, not an error, and is
 *  counted in ctx->stats here. Counted here too: pkt4-received, the per-type
 *  pkt4-*-received, pkt4-parse-failed, pkt4-receive-drop, v4-allocation-fail*,
 *  and pkt4-sent + pkt4-{offer,ack,nak}-sent for every VERDICT_REPLY (from
 *  tx->msg_type), so the caller must not count sends again. Worker only. */
int dhcp4_process(dhcp4_ctx_t *ctx, const dhcp4_rx_t *rx, dhcp4_tx_t *tx, verdict_t *ret_verdict);

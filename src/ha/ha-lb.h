/* Load-balancing scopes of Kea's HA hook (RFC 3074 hash). Pure functions, any thread. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg-ha.h"

/* The word ha_filter() returns (read once per worker batch). */
enum {
	HA_F_ON = 1u << 0,              /* HA configured: scoped queries are filtered */
	HA_F_SERVE0 = 1u << 1,          /* the primary's scope is served */
	HA_F_SERVE1 = 1u << 2,          /* the secondary's scope is served */
	HA_F_PARK = 1u << 3,            /* lease changes go to the partner before the reply */
	HA_F_SEND = 1u << 5,            /* lease changes go to backups; the reply does not wait */
	HA_F_ANALYZE = 1u << 4,         /* the partner does not answer: report unserved clients */
};

/** RFC 3074 hash of @key (@len bytes; the length seeds it, mod 256). */
uint8_t ha_lb_hash(const uint8_t *key, size_t len);

/** Index of the active server whose scope a DHCPv4 query is in: 0 = primary, 1 = secondary.
 *  The client-id payload (@client_id, type byte included) wins over the chaddr (@hwaddr);
 *  -1 when the query has neither or @active_servers is 0 (Kea drops such a query). */
int ha_lb_server(const uint8_t *client_id, size_t client_id_len, const uint8_t *hwaddr,
                 size_t hwaddr_len, unsigned active_servers);

/** Which peer's scope a scoped query (DISCOVER, REQUEST, DECLINE, RELEASE,
 *  INFORM) is in: 0 primary, 1 secondary; -1 = no identifier (dropped, as
 *  Kea). Hot-standby and passive-backup: always 0. Any thread. */
int ha_scope_of(const cfg_ha_t *h, const uint8_t *client_id, size_t client_id_len,
                const uint8_t *hwaddr, size_t hwaddr_len);

/** The key the unacked-client analysis knows a client by: a hash of its
 *  hwaddr and client-id (Kea keys by both). Never 0. Any thread. */
uint64_t ha_client_key(const uint8_t *client_id, size_t client_id_len, const uint8_t *hwaddr,
                       size_t hwaddr_len);

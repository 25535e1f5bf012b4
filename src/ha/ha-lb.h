/* Load-balancing scopes of Kea's HA hook (RFC 3074 hash). Pure functions, any thread. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** RFC 3074 hash of @key (@len bytes; the length seeds it, mod 256). */
uint8_t ha_lb_hash(const uint8_t *key, size_t len);

/** Index of the active server whose scope a DHCPv4 query is in: 0 = primary, 1 = secondary.
 *  The client-id payload (@client_id, type byte included) wins over the chaddr (@hwaddr);
 *  -1 when the query has neither or @active_servers is 0 (Kea drops such a query). */
int ha_lb_server(const uint8_t *client_id, size_t client_id_len, const uint8_t *hwaddr,
                 size_t hwaddr_len, unsigned active_servers);

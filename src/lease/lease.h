/* The lease value type. Leases are values: the store copies them into caller
 * storage, and no pointer into a backend's memory ever escapes it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dhcp/pkt4.h"

typedef enum lease_state {
	LEASE_STATE_DEFAULT = 0,
	LEASE_STATE_DECLINED = 1,
	LEASE_STATE_EXPIRED_RECLAIMED = 2,
	_LEASE_STATE_MAX,
} lease_state_t;

#define LEASE_LFT_INFINITE 0xffffffffu
#define LEASE_UCTX_MAX 1024             /* user-context JSON text, NUL included */

typedef struct lease4 {
	uint32_t addr;                          /* host byte order */
	uint32_t subnet_id;
	uint32_t pool_id;
	uint8_t hwaddr[DHCP_HWADDR_MAX];
	uint8_t hwaddr_len;
	uint8_t htype;
	uint8_t client_id_len;
	uint8_t client_id[DHCP_OPT_LEN_MAX];
	uint32_t valid_lft;                     /* seconds; LEASE_LFT_INFINITE = forever */
	int64_t cltt;                           /* client last transaction time, epoch seconds */
	lease_state_t state;
	bool fqdn_fwd;
	bool fqdn_rev;
	char hostname[DHCP_HOSTNAME_MAX + 1];
	char user_context[LEASE_UCTX_MAX];      /* JSON object text or "" */
} lease4_t;

/** Absolute expiry time (cltt + valid lifetime), as Kea stores it. */
static inline int64_t lease4_expire(const lease4_t *l)
{
	return l->cltt + (int64_t)l->valid_lft;
}

static inline bool lease4_is_expired(const lease4_t *l, int64_t now)
{
	return l->valid_lft != LEASE_LFT_INFINITE && lease4_expire(l) < now;
}

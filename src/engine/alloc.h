/* Allocation engine: RFC 2131 §4.3 per message type with Kea's rules. Decides
 * which lease a client gets; does not build replies and never touches sockets.
 * Every store update is a compare-and-swap against the value last read
 * (lease_update()); -ESTALE means another worker or server changed the lease. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "class/class.h"
#include "engine/allocator.h"
#include "engine/names.h"
#include "lease/hostdb.h"
#include "lease/store.h"
#include "stats/stats.h"

/* Who the client is: the identifiers Kea matches leases and reservations on. */
typedef struct alloc_client {
	const uint8_t *hwaddr; /* chaddr, hwaddr_len bytes (0 when hlen > 16) */
	uint8_t hwaddr_len;
	uint8_t htype;
	const uint8_t *client_id; /* option 61 payload, NULL if absent */
	uint8_t client_id_len;
	const uint8_t *circuit_id; /* option 82 sub-option 1, NULL if absent */
	uint8_t circuit_id_len;
	const uint8_t *duid; /* RFC 4361 DUID inside option 61 (type 255), or NULL */
	uint8_t duid_len;
} alloc_client_t;

/* One allocation request; everything borrowed for the call. */
typedef struct alloc_req {
	const cfg_t *cfg;
	lease_conn_t *conn;
	hostdb_conn_t *hosts;   /* per-packet hosts-database lookups; may be NULL */
	stats_shard_t *stats;
	allocator_t *allocator; /* may be NULL */
	uint32_t *rand_state;   /* PRNG word for "random" subnets; may be NULL */
	int64_t now;
	const cfg_subnet4_t *subnet; /* selected subnet (non-NULL) */
	const class_set_t *classes;  /* for pool / subnet class guards */
	alloc_client_t client;
	uint32_t hint; /* option 50, else ciaddr; 0 = none */
	bool has_lft_hint;
	uint32_t lft_hint;    /* option 51 */
	const names_query_t *names; /* the client's options 81 / 12; NULL = none */
	const opt_view_t *rai; /* option 82 (store-extended-info), NULL if absent */
} alloc_req_t;

typedef enum alloc_status {
	ALLOC_OK,     /* lease chosen (and written unless a DISCOVER) */
	ALLOC_NAK,    /* REQUEST refused: send DHCPNAK */
	ALLOC_FAIL,   /* no address (DISCOVER: stay silent; REQUEST: NAK) */
	ALLOC_IGNORE, /* stay silent (Kea's "unknown address requested") */
} alloc_status_t;

typedef struct alloc_result {
	alloc_status_t status;
	lease4_t lease;              /* valid when ALLOC_OK */
	const cfg_subnet4_t *subnet; /* subnet of the lease (a shared-network sibling maybe) */
	const cfg_pool_t *pool;      /* pool of the lease, NULL for out-of-pool reservations */
	const cfg_host_t *host;      /* reservation used for the lease subnet, or NULL */
	uint64_t attempts;           /* ALLOC_FAIL: candidate addresses considered */
	stat_id_t fail_kind;         /* ALLOC_FAIL: STAT_V4_ALLOCATION_FAIL_{SUBNET,...} */
	uint32_t reuse_lft;          /* ALLOC_OK: the lease was reused from the cache, not
	                              * written (Kea 2.2 setLeaseReusable()); the lifetime
	                              * it has left, to send; 0 = written as usual */
	uint32_t conflict_addr;      /* DISCOVER: the client's reserved address, leased to
	                              * another client (Kea's DISCOVER_ADDRESS_CONFLICT), or 0 */
} alloc_result_t;

/* What RELEASE / DECLINE did, for the caller's log line. */
typedef enum alloc_done {
	ALLOC_DONE,         /* released / declined */
	ALLOC_NOT_FOUND,    /* no lease for the address */
	ALLOC_WRONG_CLIENT, /* the lease belongs to another client */
} alloc_done_t;

/** Lease-owner test (Kea's Lease4::belongsToClient): client-ids compared when
 *  both sides have one, otherwise hardware addresses. */
bool alloc_lease_belongs_to(const lease4_t *l, const alloc_client_t *c);

/** The reservation of @c in subnet @subnet_id (0 = global), trying identifiers
 *  in host-reservation-identifiers order (for each, the configuration file,
 *  then @db's hosts databases when @cfg->hosts_db_lookup). NULL if none.
 *  @db may be NULL (configuration only). Any thread, with its own @db. */
const cfg_host_t *alloc_host_find(const cfg_t *cfg, hostdb_conn_t *db, uint32_t subnet_id,
                                  const alloc_client_t *c);

/** The client's reservation for @s as Kea uses it: in-subnet reservation when
 *  reservations-in-subnet, else/then a global one when reservations-global. */
const cfg_host_t *alloc_host_for_subnet(const cfg_t *cfg, hostdb_conn_t *db,
                                        const cfg_subnet4_t *s, const alloc_client_t *c);

/** Valid lifetime for a lease in @s: class valid-lifetime (first class in join
 *  order that sets one) else the subnet's; the client's option 51 hint clamped to
 *  [min, max]. */
uint32_t alloc_valid_lft(const cfg_t *cfg, const cfg_subnet4_t *s, const class_set_t *classes,
                         bool has_hint, uint32_t hint);

/** DHCPDISCOVER: choose the address to offer without writing the lease (Kea's
 *  fake allocation). ALLOC_OK or ALLOC_FAIL (v4-allocation-fail counted). Worker only. */
int alloc_discover(const alloc_req_t *req, alloc_result_t *ret_res);

/** DHCPREQUEST in any state. @init_reboot: option 50 present, option 54 absent
 *  (RFC 2131 §4.3.2). Writes the lease. Returns 0 with ALLOC_OK / NAK / FAIL /
 *  IGNORE, or a negative backend error. Worker only. */
int alloc_request(const alloc_req_t *req, bool init_reboot, alloc_result_t *ret_res);

/** DHCPRELEASE of @addr (ciaddr): expire in place or delete, if the lease
 *  belongs to the client. Returns 0 (also when ignored) or a backend error. */
int alloc_release(const alloc_req_t *req, uint32_t addr, alloc_done_t *ret_done,
                  lease4_t *ret_lease);

/** DHCPDECLINE of @addr (option 50): mark declined for the probation period.
 *  For both: *ret_done says what happened, *ret_lease is the lease as found
 *  (when there was one). Returns 0 or a backend error. */
int alloc_decline(const alloc_req_t *req, uint32_t addr, alloc_done_t *ret_done,
                  lease4_t *ret_lease);

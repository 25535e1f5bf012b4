/* Reservations from hosts-database / hosts-databases: Kea's hosts and
 * dhcp4_options tables (MySQL and PostgreSQL, Kea 2.2 and 2.4 schemas) on
 * the store-sql.h drivers, two ways:
 * - per packet (the default, as Kea): each worker's hostdb_conn_t asks the
 *   databases for (subnet, identifier) and (subnet, address) with prepared
 *   statements, so a row written by SQL counts from the next packet;
 * - cached (--hosts-poll N): hostdb_fetch() reads the tables whole, the
 *   daemon merges them into each configuration with cfg_hosts_add_json()
 *   and re-reads every N s (docs/differences.md: the staleness). */
#pragma once

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "cfg/cfg.h"
#include "lease/store.h"

/** Append every IPv4 reservation of @db (dhcp4_subnet_id not NULL; 0 =
 *  global) to @arr, in host_id order, as cfg_hosts_add_json() items with
 *  their host-scope options (scope_id 3). Returns the number appended, or a
 *  negative code with the reason (no password) in *@reterr (caller frees). */
int hostdb_fetch(const lease_store_cfg_t *db, json_t *arr, char **reterr);

/** Connect to @db and close again: 0, or a negative code with the reason
 *  (no password) in *@reterr (caller frees). */
int hostdb_check(const lease_store_cfg_t *db, char **reterr);

struct sql_driver;
/** hostdb_fetch() on driver @drv (the unit tests' fake one). */
int hostdb_fetch_on(const struct sql_driver *drv, const lease_store_cfg_t *db, json_t *arr,
                    char **reterr);

/* ---- per-packet lookups ---- */

typedef struct hostdb_conn hostdb_conn_t;

typedef struct hostdb_conn_stats {
	uint64_t queries;               /* SELECTs sent */
	uint64_t failures;              /* lookups that failed (packet dropped) */
} hostdb_conn_stats_t;

/** A worker's lookup state: connections (opened on first use, reopened when
 *  a reload changes the hosts databases), prepared statements, and the hosts
 *  found for the packet in progress. Not thread-safe: one per worker. */
hostdb_conn_t *hostdb_conn_new(void);
/** The same on driver @drv for every database (the unit tests' fake one). */
hostdb_conn_t *hostdb_conn_new_on(const struct sql_driver *drv);
void hostdb_conn_free(hostdb_conn_t *c);
/** Set *@lost (shared by every worker) when a lookup finds a connection lost
 *  or refused: the daemon then runs Kea's reconnect / on-fail logic for the
 *  hosts databases and clears it when they answer again. NULL = none. */
void hostdb_conn_set_lost_flag(hostdb_conn_t *c, _Atomic bool *lost);
/** Before each packet: forget the previous packet's lookups and hosts. */
void hostdb_conn_reset(hostdb_conn_t *c);
/** A lookup of this packet failed (database down, query error): the packet
 *  must be dropped, as Kea drops it when its host data source throws. Later
 *  lookups of the packet fail at once; reconnects wait reconnect-wait-time,
 *  and while the lost flag (hostdb_conn_set_lost_flag()) is set. */
bool hostdb_conn_failed(const hostdb_conn_t *c);
const hostdb_conn_stats_t *hostdb_conn_stats(const hostdb_conn_t *c);

/** Kea's get4(subnet_id, identifier): the host of @cfg's hosts databases (in
 *  order, the first that has one wins) for (@subnet_id, @type, @id), or
 *  NULL (none, or hostdb_conn_failed()). Held until hostdb_conn_reset();
 *  the same host_id gives the same pointer within a packet. @cfg must have
 *  hosts_db_lookup set (cfg_hosts_db_prepare()). */
const cfg_host_t *hostdb_get(hostdb_conn_t *c, const cfg_t *cfg, uint32_t subnet_id,
                             cfg_host_id_type_t type, const uint8_t *id, size_t len);
/** Kea's get4(subnet_id, address): likewise, the first host reserving @addr. */
const cfg_host_t *hostdb_get_by_addr(hostdb_conn_t *c, const cfg_t *cfg, uint32_t subnet_id,
                                     uint32_t addr);

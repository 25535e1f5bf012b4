/* Reservations from hosts-database / hosts-databases: Kea's hosts and
 * dhcp4_options tables (MySQL and PostgreSQL, Kea 2.2 and 2.4 schemas),
 * read whole on the store-sql.h drivers. The daemon adds them to each new
 * configuration with cfg_hosts_add_json() and re-reads them on a timer, so
 * packet workers look reservations up in memory and never wait for the
 * database (docs/differences.md: the staleness this costs). */
#pragma once

#include <jansson.h>

#include "lease/store.h"

/** Append every IPv4 reservation of @db (dhcp4_subnet_id not NULL; 0 =
 *  global) to @arr, in host_id order, as cfg_hosts_add_json() items with
 *  their host-scope options (scope_id 3). Returns the number appended, or a
 *  negative code with the reason (no password) in *@reterr (caller frees). */
int hostdb_fetch(const lease_store_cfg_t *db, json_t *arr, char **reterr);

struct sql_driver;
/** hostdb_fetch() on driver @drv (the unit tests' fake one). */
int hostdb_fetch_on(const struct sql_driver *drv, const lease_store_cfg_t *db, json_t *arr,
                    char **reterr);

/* Kea's decisions when the lease database is lost (ControlledDhcpv4Srv::
 * dbLostCallback and dbFailedCallback), without side effects, so that the
 * unit tests can walk every case; server-db.c logs and acts on them. */
#pragma once

#include <stdbool.h>

#include "lease/store.h"

typedef enum db_next {
	DB_NEXT_RETRY,          /* (another) reconnect attempt after reconnect-wait-time */
	DB_NEXT_CONTINUE,       /* retries used up, keep serving (serve-retry-continue) */
	DB_NEXT_EXIT,           /* stop the server, exit status 1 */
} db_next_t;

/** The connection was just found lost. *@ret_disable_dhcp: whether the DHCP
 *  service is disabled while retrying (stop-retry-exit, Kea's NetworkState). */
db_next_t db_policy_lost(const lease_store_cfg_t *c, bool *ret_disable_dhcp);

/** Reconnect attempt @attempt (1-based) failed. */
db_next_t db_policy_failed(const lease_store_cfg_t *c, unsigned attempt);

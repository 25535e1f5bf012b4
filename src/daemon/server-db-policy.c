/* See server-db-policy.h. */
#include "daemon/server-db-policy.h"

db_next_t db_policy_lost(const lease_store_cfg_t *c, bool *ret_disable_dhcp)
{
	/* max-reconnect-tries 0 (Kea's default): reconnecting is disabled */
	*ret_disable_dhcp = c->max_reconnect_tries > 0 && c->on_fail == LEASE_DB_STOP_RETRY_EXIT;
	return c->max_reconnect_tries == 0 ? DB_NEXT_EXIT : DB_NEXT_RETRY;
}

db_next_t db_policy_failed(const lease_store_cfg_t *c, unsigned attempt)
{
	if (attempt < c->max_reconnect_tries) {
		return DB_NEXT_RETRY;
	}
	return c->on_fail == LEASE_DB_SERVE_RETRY_CONTINUE ? DB_NEXT_CONTINUE : DB_NEXT_EXIT;
}

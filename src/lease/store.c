/* Backend factory and the backend-neutral helpers of lease-database. */
#include "lease/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const lease_store_ops_t *const backends[] = {
	&store_memfile_ops,
	&store_mysql_ops,
	&store_pgsql_ops,
};

static const char *const on_fail_names[_LEASE_DB_ON_FAIL_MAX] = {
	[LEASE_DB_STOP_RETRY_EXIT] = "stop-retry-exit",
	[LEASE_DB_SERVE_RETRY_EXIT] = "serve-retry-exit",
	[LEASE_DB_SERVE_RETRY_CONTINUE] = "serve-retry-continue",
};

const char *lease_db_on_fail_name(lease_db_on_fail_t v)
{
	return v >= 0 && v < _LEASE_DB_ON_FAIL_MAX ? on_fail_names[v] : "?";
}

/* Kea's DatabaseConnection::redactedAccessString() as its DHCPSRV_*_DB line
 * prints it: the parameters sorted by name, the password as five stars. */
const char *lease_store_cfg_describe(const lease_store_cfg_t *cfg, char *buf, size_t size)
{
	char port[16] = "";

	if (cfg->port != 0) {
		snprintf(port, sizeof(port), " port=%u", cfg->port);
	}
	snprintf(buf, size, "%s%s name=%s%s%s type=%s universe=4%s%s",
	         cfg->host != NULL ? "host=" : "", cfg->host != NULL ? cfg->host : "",
	         cfg->name != NULL ? cfg->name : "",
	         cfg->password != NULL ? " password=*****" : "", port,
	         cfg->type != NULL ? cfg->type : "memfile", cfg->user != NULL ? " user=" : "",
	         cfg->user != NULL ? cfg->user : "");
	return buf[0] == ' ' ? buf + 1 : buf;
}

int lease_store_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	const char *type;

	assert_return(cfg != NULL && ret_store != NULL, -EINVAL);
	/* Kea's lease-database default is memfile. */
	type = cfg->type != NULL ? cfg->type : "memfile";
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++) {
		if (strcmp(backends[i]->type, type) == 0) {
			return backends[i]->open(cfg, ret_store, reterr);
		}
	}
	return -EOPNOTSUPP;
}

void lease_store_close(lease_store_t *ls)
{
	if (ls != NULL) {
		ls->ops->close(ls);
	}
}

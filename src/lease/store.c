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
bool lease_store_cfg_tls(const lease_store_cfg_t *cfg)
{
	return cfg->trust_anchor != NULL || cfg->cert_file != NULL || cfg->key_file != NULL ||
	       cfg->cipher_list != NULL;
}

/* " key=value" at @*pos when @v is set */
static void describe_kv(char *buf, size_t size, size_t *pos, const char *k, const char *v)
{
	if (v != NULL && *pos < size) {
		int n = snprintf(buf + *pos, size - *pos, " %s=%s", k, v);
		*pos += n > 0 ? (size_t)n : 0;
	}
}

/* Kea's keys in its (alphabetical) order */
const char *lease_store_cfg_describe(const lease_store_cfg_t *cfg, char *buf, size_t size)
{
	char port[16];
	size_t pos = 0;

	snprintf(port, sizeof(port), "%u", cfg->port);
	if (size == 0) {
		return buf;
	}
	buf[0] = '\0';
	describe_kv(buf, size, &pos, "cert-file", cfg->cert_file);
	describe_kv(buf, size, &pos, "cipher-list", cfg->cipher_list);
	describe_kv(buf, size, &pos, "host", cfg->host);
	describe_kv(buf, size, &pos, "key-file", cfg->key_file);
	describe_kv(buf, size, &pos, "name", cfg->name != NULL ? cfg->name : "");
	describe_kv(buf, size, &pos, "password", cfg->password != NULL ? "*****" : NULL);
	describe_kv(buf, size, &pos, "port", cfg->port != 0 ? port : NULL);
	describe_kv(buf, size, &pos, "trust-anchor", cfg->trust_anchor);
	describe_kv(buf, size, &pos, "type", cfg->type != NULL ? cfg->type : "memfile");
	describe_kv(buf, size, &pos, "universe", "4");
	describe_kv(buf, size, &pos, "user", cfg->user);
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

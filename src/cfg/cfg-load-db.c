/* Configuration loader: the database access maps, lease-database and
 * hosts-database / hosts-databases (Kea's DbAccessParser). The keys are Kea
 * 2.4's; Kea 2.2 refuses read-timeout, write-timeout, tcp-user-timeout and
 * retry-on-startup in its grammar (docs/differences.md). */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"

static const char *const db_keys[] = {
	"type", "name", "persist", "lfc-interval", "max-row-errors", "user-context", "comment",
	"host", "port", "user", "password", "connect-timeout", "read-timeout",
	"write-timeout", "tcp-user-timeout", "max-reconnect-tries", "reconnect-wait-time",
	"on-fail", "retry-on-startup", "trust-anchor", "cert-file", "key-file", "cipher-list",
	NULL,
};

/* Kea's grammar knows readonly only in a hosts-database map. */
static const char *const hosts_keys[] = {
	"type", "name", "persist", "lfc-interval", "max-row-errors", "user-context", "comment",
	"host", "port", "user", "password", "connect-timeout", "read-timeout",
	"write-timeout", "tcp-user-timeout", "max-reconnect-tries", "reconnect-wait-time",
	"on-fail", "retry-on-startup", "trust-anchor", "cert-file", "key-file", "cipher-list",
	"readonly", NULL,
};

/* Kea's MYSQL_DEFAULT_CONNECTION_TIMEOUT / PGSQL_DEFAULT_CONNECTION_TIMEOUT. */
#define DB_DEFAULT_CONNECT_TIMEOUT 5

static int parse_on_fail(ld_t *ld, json_t *o, lease_db_on_fail_t *ret)
{
	const char *s = NULL;
	int r = load_get_str(ld, o, "on-fail", &s);

	if (r < 0 || s == NULL) {
		return r;
	}
	for (int i = 0; i < _LEASE_DB_ON_FAIL_MAX; i++) {
		if (strcmp(s, lease_db_on_fail_name(i)) == 0) {
			*ret = i;
			return 0;
		}
	}
	return load_fail(ld, "on-fail", "unsupported on-fail '%s' (expected stop-retry-exit, "
	                 "serve-retry-exit or serve-retry-continue)", s);
}

/* The parameters every database map shares; the current path is the map's. */
static int parse_params(ld_t *ld, json_t *o, lease_store_cfg_t *db)
{
	uint32_t port = 0;
	int r;

	if ((r = load_get_str(ld, o, "name", &db->name)) < 0 ||
	    (r = load_get_bool(ld, o, "persist", &db->persist, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "lfc-interval", &db->lfc_interval, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "max-row-errors", &db->max_row_errors, NULL)) < 0 ||
	    (r = load_get_str(ld, o, "host", &db->host)) < 0 ||
	    (r = load_get_str(ld, o, "user", &db->user)) < 0 ||
	    (r = load_get_str(ld, o, "password", &db->password)) < 0 ||
	    (r = load_get_u32(ld, o, "port", &port, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "connect-timeout", &db->connect_timeout, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "read-timeout", &db->read_timeout, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "write-timeout", &db->write_timeout, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "tcp-user-timeout", &db->tcp_user_timeout, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "max-reconnect-tries", &db->max_reconnect_tries, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "reconnect-wait-time", &db->reconnect_wait_time, NULL)) < 0 ||
	    (r = load_get_bool(ld, o, "retry-on-startup", &db->retry_on_startup, NULL)) < 0 ||
	    (r = parse_on_fail(ld, o, &db->on_fail)) < 0 ||
	    (r = load_get_str(ld, o, "trust-anchor", &db->trust_anchor)) < 0 ||
	    (r = load_get_str(ld, o, "cert-file", &db->cert_file)) < 0 ||
	    (r = load_get_str(ld, o, "key-file", &db->key_file)) < 0 ||
	    (r = load_get_str(ld, o, "cipher-list", &db->cipher_list)) < 0) {
		return r;
	}
	if (port > 65535) {
		return load_fail(ld, "port", "port value: %u is out of range, expected value: 0..65535", port);
	}
	db->port = (uint16_t)port;
	return 0;
}

static bool is_sql(const char *type)
{
	return strcmp(type, "mysql") == 0 || strcmp(type, "postgresql") == 0;
}

/* One database map @o (member @key, or an array element already on the path). */
static int parse_db_map(ld_t *ld, json_t *o, bool hosts, lease_store_cfg_t *db)
{
	const char *type = NULL;
	int r;

	if (!json_is_object(o)) {
		return load_fail(ld, NULL, "expected a map");
	}
	if ((r = load_check_keys(ld, o, hosts ? "hosts-database" : "lease-database",
	                         hosts ? hosts_keys : db_keys, NULL)) < 0) {
		return r;
	}
	if ((r = load_get_str(ld, o, "type", &type)) < 0) {
		return r;
	}
	if (type == NULL) {
		return load_fail(ld, NULL, "database access parameters: missing parameter 'type'");
	}
	if (hosts ? !is_sql(type) : !is_sql(type) && strcmp(type, "memfile") != 0) {
		return load_fail(ld, "type", "unknown %s database type '%s' (expected %s)",
		                 hosts ? "hosts" : "lease", type,
		                 hosts ? "mysql or postgresql" : "memfile, mysql or postgresql");
	}
	db->type = type;
	if (is_sql(type)) {
		db->name = NULL;
		db->connect_timeout = DB_DEFAULT_CONNECT_TIMEOUT;
	}
	if ((r = parse_params(ld, o, db)) < 0 ||
	    (hosts && (r = load_get_bool(ld, o, "readonly", &db->readonly, NULL)) < 0)) {
		return r;
	}
	/* libpq has no client cipher list (the server's ssl_ciphers decides):
	 * refused rather than silently not applied */
	if (strcmp(type, "postgresql") == 0 && db->cipher_list != NULL) {
		return load_fail(ld, "cipher-list", "cipher-list is not supported by the PostgreSQL "
		                 "backend (set ssl_ciphers on the server)");
	}
	if (strcmp(type, "memfile") == 0 && db->name[0] == '\0') {
		return load_fail(ld, "name", "the lease file name must not be empty");
	}
	return 0;
}

int load_parse_lease_db(ld_t *ld, json_t *d4)
{
	json_t *o = json_object_get(d4, "lease-database");
	lease_store_cfg_t *db = &ld->cfg->lease_db;
	int r;

	*db = (lease_store_cfg_t){
		.type = "memfile", .name = "/var/lib/kea/kea-leases4.csv", .persist = true,
		.lfc_interval = 3600, .max_row_errors = 0,
	};
	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "lease-database")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "lease-database");
	if ((r = parse_db_map(ld, o, false, db)) < 0) {
		return r;
	}
	load_pop(ld, mark);
	return 0;
}

static int hosts_db_append(ld_t *ld, json_t *o)
{
	cfg_t *cfg = ld->cfg;
	lease_store_cfg_t *v = realloc(cfg->hosts_dbs, (cfg->n_hosts_dbs + 1) * sizeof(*v));

	if (v == NULL) {
		return load_oom(ld);
	}
	cfg->hosts_dbs = v;
	v = &cfg->hosts_dbs[cfg->n_hosts_dbs];
	*v = (lease_store_cfg_t){ .persist = true };
	int r = parse_db_map(ld, o, true, v);
	if (r == 0) {
		cfg->n_hosts_dbs++;
	}
	return r;
}

int load_parse_hosts_dbs(ld_t *ld, json_t *d4)
{
	json_t *one = json_object_get(d4, "hosts-database");
	json_t *arr = json_object_get(d4, "hosts-databases");
	int r;

	if (one != NULL && arr != NULL) {
		/* Kea: "only one of hosts-database or hosts-databases can be used" */
		return load_fail(ld, "hosts-databases", "only one of hosts-database or "
		                 "hosts-databases can be used");
	}
	if (one != NULL) {
		size_t mark = load_push_key(ld, "hosts-database");
		if ((r = hosts_db_append(ld, one)) < 0) {
			return r;
		}
		load_pop(ld, mark);
	}
	if (arr == NULL) {
		return 0;
	}
	size_t mark = load_push_key(ld, "hosts-databases");
	if (!json_is_array(arr)) {
		return load_fail(ld, NULL, "expected a list");
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = load_push_idx(ld, i);
		if ((r = hosts_db_append(ld, json_array_get(arr, i))) < 0) {
			return r;
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

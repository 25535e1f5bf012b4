/* hosts-database reads: two SELECTs per database (hosts, then their
 * host-scope dhcp4_options rows) over a connection opened for the read and
 * closed after it, turned into the JSON items cfg_hosts_add_json() parses
 * with the configuration's own reservation parser (one set of checks for
 * both sources). Kea's column encodings: identifiers are raw bytes (read as
 * hex), addresses integers, dhcp4_client_classes comma separated, an option
 * is formatted_value (csv-format true) when that is not empty, else value. */
#include "lease/hostdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease/store-sql.h"
#include "util/inaddr.h"

#define HOSTDB_SQL_MAX 1024

typedef struct fetch {
	json_t *arr;
	json_t *by_id;                  /* host_id text -> its reservation map */
	int n;
} fetch_t;

static const sql_driver_t *driver_of(const char *type)
{
	if (type != NULL && strcmp(type, "mysql") == 0) {
		return &sql_mysql_driver;
	}
	if (type != NULL && strcmp(type, "postgresql") == 0) {
		return &sql_pgsql_driver;
	}
	return NULL;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0') {
		json_object_set_new(o, key, json_string(v));
	}
}

/* An integer address column; 0 and NULL mean none (Kea's encoding). */
static void set_addr(json_t *o, const char *key, const char *v)
{
	char buf[INADDR_STRLEN];
	unsigned long long a = v != NULL ? strtoull(v, NULL, 10) : 0;

	if (a != 0 && a <= UINT32_MAX) {
		json_object_set_new(o, key, json_string(inaddr_fmt((uint32_t)a, buf)));
	}
}

/* "a,b,c" -> ["a","b","c"]; Kea writes no spaces but tolerate them. */
static void set_classes(json_t *o, const char *v)
{
	json_t *arr = json_array();
	const char *p = v != NULL ? v : "";

	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		const char *b = p, *e = p + n;
		while (b < e && *b == ' ') {
			b++;
		}
		while (e > b && e[-1] == ' ') {
			e--;
		}
		if (e > b) {
			json_array_append_new(arr, json_stringn(b, (size_t)(e - b)));
		}
		p += n + (p[n] == ',');
	}
	if (json_array_size(arr) > 0) {
		json_object_set_new(o, "client-classes", arr);
	} else {
		json_decref(arr);
	}
}

enum {
	H_ID, H_IDENT, H_TYPE, H_SUBNET, H_ADDR, H_HOSTNAME, H_CLASSES, H_NEXT_SERVER, H_SNAME,
	H_FILE, _H_MAX,
};

static int host_row(void *ud, const char *const *c, size_t n)
{
	fetch_t *f = ud;

	if (n < _H_MAX || c[H_ID] == NULL) {
		return -EPROTO;
	}
	json_t *res = json_object();
	set_addr(res, "ip-address", c[H_ADDR]);
	set_str(res, "hostname", c[H_HOSTNAME]);
	set_classes(res, c[H_CLASSES]);
	set_addr(res, "next-server", c[H_NEXT_SERVER]);
	set_str(res, "server-hostname", c[H_SNAME]);
	set_str(res, "boot-file-name", c[H_FILE]);
	json_t *item = json_pack("{s:I, s:I, s:I, s:s, s:o}",
	                         "host-id", (json_int_t)strtoll(c[H_ID], NULL, 10),
	                         "subnet-id", (json_int_t)strtoll(c[H_SUBNET] ? c[H_SUBNET] : "0", NULL, 10),
	                         "identifier-type",
	                         (json_int_t)strtoll(c[H_TYPE] ? c[H_TYPE] : "-1", NULL, 10),
	                         "identifier", c[H_IDENT] != NULL ? c[H_IDENT] : "", "reservation", res);
	if (item == NULL || json_array_append_new(f->arr, item) < 0 ||
	    json_object_set(f->by_id, c[H_ID], res) < 0) {
		return -ENOMEM;
	}
	f->n++;
	return 0;
}

enum { O_HOST, O_CODE, O_VALUE, O_FORMATTED, O_SPACE, O_PERSISTENT, _O_MAX };

static int option_row(void *ud, const char *const *c, size_t n)
{
	fetch_t *f = ud;

	if (n < _O_MAX || c[O_HOST] == NULL || c[O_CODE] == NULL) {
		return -EPROTO;
	}
	json_t *res = json_object_get(f->by_id, c[O_HOST]);
	if (res == NULL) {
		return 0;       /* a host added between the two reads */
	}
	const char *fv = c[O_FORMATTED];
	bool csv = fv != NULL && fv[0] != '\0';
	const char *p = c[O_PERSISTENT];
	bool always = p != NULL && (strcmp(p, "1") == 0 || strcmp(p, "t") == 0);
	json_t *od = json_pack("{s:I, s:s, s:b, s:b, s:s}", "code",
	                       (json_int_t)strtoll(c[O_CODE], NULL, 10), "space",
	                       c[O_SPACE] != NULL && c[O_SPACE][0] != '\0' ? c[O_SPACE] : "dhcp4",
	                       "always-send", always, "csv-format", csv, "data",
	                       csv ? fv : (c[O_VALUE] != NULL ? c[O_VALUE] : ""));
	json_t *list = json_object_get(res, "option-data");
	if (list == NULL) {
		list = json_array();
		json_object_set_new(res, "option-data", list);
	}
	if (od == NULL || json_array_append_new(list, od) < 0) {
		return -ENOMEM;
	}
	return 0;
}

static int render(char *buf, const sql_dialect_t *d, const char *fmt, const char *col)
{
	char hex[64];

	snprintf(hex, sizeof(hex), d->hex_out, col);
	int n = snprintf(buf, HOSTDB_SQL_MAX, fmt, hex);
	return n > 0 && n < HOSTDB_SQL_MAX ? 0 : -ENOSPC;
}

static int run_queries(const sql_driver_t *drv, sql_db_t *db, fetch_t *f)
{
	char q[HOSTDB_SQL_MAX];
	int r;

	r = render(q, drv->dialect,
	           "SELECT host_id, %s, dhcp_identifier_type, dhcp4_subnet_id, ipv4_address, hostname, "
	           "dhcp4_client_classes, dhcp4_next_server, dhcp4_server_hostname, dhcp4_boot_file_name "
	           "FROM hosts WHERE dhcp4_subnet_id IS NOT NULL ORDER BY host_id", "dhcp_identifier");
	if (r == 0) {
		r = drv->query(db, q, host_row, f);
	}
	if (r >= 0) {
		r = render(q, drv->dialect,
		           "SELECT o.host_id, o.code, %s, o.formatted_value, o.space, o.persistent "
		           "FROM dhcp4_options o JOIN hosts h ON h.host_id = o.host_id "
		           "WHERE o.scope_id = 3 AND h.dhcp4_subnet_id IS NOT NULL "
		           "ORDER BY o.host_id, o.option_id", "o.value");
	}
	if (r >= 0) {
		r = drv->query(db, q, option_row, f);
	}
	return r < 0 ? r : 0;
}

int hostdb_fetch(const lease_store_cfg_t *cfg, json_t *arr, char **reterr)
{
	const sql_driver_t *drv = driver_of(cfg->type);

	if (drv == NULL) {
		if (asprintf(reterr, "hosts database type '%s' is not supported",
		             cfg->type != NULL ? cfg->type : "") < 0) {
			*reterr = NULL;
		}
		return -EINVAL;
	}
	return hostdb_fetch_on(drv, cfg, arr, reterr);
}

int hostdb_fetch_on(const sql_driver_t *drv, const lease_store_cfg_t *cfg, json_t *arr,
                    char **reterr)
{
	fetch_t f = { .arr = arr };
	sql_db_t *db = NULL;
	int r;

	r = drv->connect(cfg, &db, reterr);
	if (r < 0) {
		return r;
	}
	f.by_id = json_object();
	r = f.by_id != NULL ? run_queries(drv, db, &f) : -ENOMEM;
	if (r < 0 && r != -ENOMEM && asprintf(reterr, "reading the hosts tables failed: %s",
	                                      r == -EPROTO ? "unexpected columns" : drv->error(db)) < 0) {
		*reterr = NULL;
	}
	json_decref(f.by_id);
	drv->disconnect(db);
	return r < 0 ? r : f.n;
}

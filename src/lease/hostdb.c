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
#include <time.h>

#include "cfg/cfg.h"
#include "lease/store-sql.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/macro.h"

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

int hostdb_check(const lease_store_cfg_t *cfg, char **reterr)
{
	const sql_driver_t *drv = driver_of(cfg->type);
	sql_db_t *db = NULL;

	if (drv == NULL) {
		return hostdb_fetch(cfg, NULL, reterr);         /* its message */
	}
	int r = drv->connect(cfg, &db, reterr);
	if (r == 0) {
		drv->disconnect(db);
	}
	return r;
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

/* ---- per-packet lookups ---- */

#define HOSTDB_CONN_DBS 8               /* hosts-databases a connection serves */
#define HOSTDB_MEMO_MAX 32              /* lookups remembered per packet */
#define HOSTDB_HOSTS_MAX 32             /* database hosts held per packet */

enum { SLOT_BY_ID, SLOT_BY_ADDR };

/* One LEFT JOIN per lookup: the host columns (host_row()'s order), then its
 * options (option_row()'s, without the host_id). Kea's unique key
 * (dhcp_identifier, type, subnet) and its (ipv4_address, subnet) index
 * serve them. The join is on host_id alone, as Kea's own: an option with a
 * host_id is a host's, and "AND o.scope_id = 3" made PostgreSQL AND the
 * scope index (every host option's row) into each lookup (0.3-0.7 ms with
 * 14,400 hosts, EXPLAIN ANALYZE). */
#define HOSTDB_LOOKUP_COLS                                                                       \
	"SELECT h.host_id, %1$s, h.dhcp_identifier_type, h.dhcp4_subnet_id, h.ipv4_address, "       \
	"h.hostname, h.dhcp4_client_classes, h.dhcp4_next_server, h.dhcp4_server_hostname, "       \
	"h.dhcp4_boot_file_name, o.code, %2$s, o.formatted_value, o.space, o.persistent "          \
	"FROM hosts h LEFT JOIN dhcp4_options o ON o.host_id = h.host_id "

static const char *const lookup_where[] = {
	[SLOT_BY_ID] = "WHERE h.dhcp4_subnet_id = ? AND h.dhcp_identifier_type = ? AND "
	               "h.dhcp_identifier = ? ORDER BY h.host_id, o.option_id",
	[SLOT_BY_ADDR] = "WHERE h.dhcp4_subnet_id = ? AND h.ipv4_address = ? "
	                 "ORDER BY h.host_id, o.option_id",
};

typedef struct memo {
	bool by_addr;
	uint32_t subnet_id;
	cfg_host_id_type_t type;
	uint8_t id[128];
	size_t len;
	uint32_t addr;
	int host;                       /* index into hosts[], -1 = none */
} memo_t;

typedef struct conn_db {
	const sql_driver_t *drv;
	sql_db_t *db;
	char sql[2][HOSTDB_SQL_MAX];    /* the two lookups, rendered for drv */
} conn_db_t;

struct hostdb_conn {
	const sql_driver_t *drv;        /* NULL = by each database's type */
	conn_db_t dbs[HOSTDB_CONN_DBS];
	size_t n_dbs;
	uint64_t fp;                    /* fingerprint of the configuration connected to */
	int64_t retry_at_ms;            /* after a failure: no reconnect before this */
	_Atomic bool *lost;             /* the daemon's "hosts database lost", or NULL */
	bool failed;                    /* a lookup of this packet failed */
	memo_t memo[HOSTDB_MEMO_MAX];
	size_t n_memo;
	cfg_host_t hosts[HOSTDB_HOSTS_MAX];
	int64_t host_ids[HOSTDB_HOSTS_MAX];
	size_t n_hosts;
	hostdb_conn_stats_t stats;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s != NULL ? s : "\x01", s != NULL ? strlen(s) + 1 : 1);
}

/* Every connection parameter of @dbs: a reload that changes one reconnects. */
static uint64_t dbs_fingerprint(const lease_store_cfg_t *dbs, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		const lease_store_cfg_t *d = &dbs[i];
		const char *s[] = { d->type, d->name, d->host, d->user, d->password, d->trust_anchor,
		                    d->cert_file, d->key_file, d->cipher_list };
		uint32_t v[] = { d->port, d->connect_timeout, d->read_timeout, d->write_timeout,
		                 d->tcp_user_timeout, d->reconnect_wait_time };
		for (size_t k = 0; k < ARRAY_SIZE(s); k++) {
			h = fnv_str(h, s[k]);
		}
		h = fnv(h, v, sizeof(v));
	}
	return fnv(h, &n, sizeof(n));
}

/* "?" placeholders -> "$1", "$2" … for PostgreSQL. */
static int render_lookup(const sql_dialect_t *d, const char *where, char *buf)
{
	char id[64], val[64], tmpl[HOSTDB_SQL_MAX];
	int n = 0;

	snprintf(id, sizeof(id), d->hex_out, "h.dhcp_identifier");
	snprintf(val, sizeof(val), d->hex_out, "o.value");
	int len = snprintf(tmpl, sizeof(tmpl), HOSTDB_LOOKUP_COLS "%3$s", id, val, where);
	if (len < 0 || len >= HOSTDB_SQL_MAX) {
		return -ENOSPC;
	}
	char *o = buf, *end = buf + HOSTDB_SQL_MAX - 8;
	for (const char *p = tmpl; *p != '\0' && o < end; p++) {
		if (*p == '?' && d->dollar_params) {
			o += snprintf(o, (size_t)(end - o), "$%d", ++n);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return o < end ? 0 : -ENOSPC;
}

hostdb_conn_t *hostdb_conn_new_on(const sql_driver_t *drv)
{
	hostdb_conn_t *c = calloc(1, sizeof(*c));

	if (c != NULL) {
		c->drv = drv;
	}
	return c;
}

hostdb_conn_t *hostdb_conn_new(void)
{
	return hostdb_conn_new_on(NULL);
}

static void disconnect_all(hostdb_conn_t *c)
{
	for (size_t i = 0; i < c->n_dbs; i++) {
		if (c->dbs[i].db != NULL) {
			c->dbs[i].drv->disconnect(c->dbs[i].db);
		}
	}
	c->n_dbs = 0;
}

void hostdb_conn_set_lost_flag(hostdb_conn_t *c, _Atomic bool *lost)
{
	c->lost = lost;
}

void hostdb_conn_reset(hostdb_conn_t *c)
{
	if (c == NULL) {
		return;
	}
	for (size_t i = 0; i < c->n_hosts; i++) {
		cfg_host_done(&c->hosts[i]);
	}
	c->n_hosts = c->n_memo = 0;
	c->failed = false;
}

void hostdb_conn_free(hostdb_conn_t *c)
{
	if (c != NULL) {
		hostdb_conn_reset(c);
		disconnect_all(c);
		free(c);
	}
}

bool hostdb_conn_failed(const hostdb_conn_t *c)
{
	return c != NULL && c->failed;
}

const hostdb_conn_stats_t *hostdb_conn_stats(const hostdb_conn_t *c)
{
	return &c->stats;
}

/* Mark this packet's lookups failed and hold reconnects for reconnect-wait-time
 * (so that a database down costs one connect attempt per interval, not one
 * per packet). */
static int lookup_fail(hostdb_conn_t *c, const lease_store_cfg_t *d, int r, const char *what)
{
	char desc[512];
	const sql_driver_t *drv = c->drv != NULL ? c->drv : driver_of(d->type);

	c->failed = true;
	c->stats.failures++;
	if (r == -ENOTCONN && c->lost != NULL && !atomic_exchange(c->lost, true) && drv != NULL) {
		/* the first worker to see it says so in Kea's words */
		log_error(LOGGER_DHCPSRV, drv->log_fatal, "Unrecoverable %s error occurred: %s",
		          drv->name, what);
	}
	if (r == -ENOTCONN || r == -EIO || r == -EPROTO) {
		disconnect_all(c);
		c->retry_at_ms = now_ms() + (d->reconnect_wait_time > 0 ? d->reconnect_wait_time : 1000);
	}
	log_warn(LOGGER_HOSTS, "LESSOR_HOSTS_DB_LOOKUP_FAIL",
	         "hosts database %s: %s; the packet is dropped",
	         lease_store_cfg_describe(d, desc, sizeof(desc)), what);
	return r;
}

/* Connections for @cfg's hosts databases, opened on first use and again
 * after a reload changed them. */
static int ensure_connected(hostdb_conn_t *c, const cfg_t *cfg)
{
	uint64_t fp = dbs_fingerprint(cfg->hosts_dbs, cfg->n_hosts_dbs);

	if (c->n_dbs > 0 && c->fp == fp) {
		return 0;
	}
	disconnect_all(c);
	/* while the daemon knows the databases lost, its reconnect loop probes
	 * them; workers wait for it (and otherwise space their own attempts) */
	if ((c->lost != NULL && atomic_load(c->lost)) || (now_ms() < c->retry_at_ms && c->fp == fp)) {
		return -EAGAIN;
	}
	c->fp = fp;
	for (size_t i = 0; i < cfg->n_hosts_dbs && i < HOSTDB_CONN_DBS; i++) {
		const lease_store_cfg_t *d = &cfg->hosts_dbs[i];
		conn_db_t *cd = &c->dbs[i];
		char *msg = NULL;

		cd->drv = c->drv != NULL ? c->drv : driver_of(d->type);
		int r = cd->drv == NULL ? -EINVAL : 0;
		for (int s = SLOT_BY_ID; r == 0 && s <= SLOT_BY_ADDR; s++) {
			r = render_lookup(cd->drv->dialect, lookup_where[s], cd->sql[s]);
		}
		if (r == 0) {
			r = cd->drv->connect(d, &cd->db, &msg);
		}
		if (r < 0) {
			c->n_dbs = i;
			lookup_fail(c, d, r, msg != NULL ? msg : strerror(-r));
			disconnect_all(c);
			free(msg);
			return r;
		}
		c->n_dbs = i + 1;
	}
	return 0;
}

typedef struct lookup {
	fetch_t f;
	const char *last_id;            /* host_id text of the row before */
	char last_buf[24];
} lookup_t;

static int lookup_row(void *ud, const char *const *c, size_t n)
{
	lookup_t *l = ud;
	int r = 0;

	if (n < _H_MAX + _O_MAX - 1 || c[H_ID] == NULL) {
		return -EPROTO;
	}
	if (l->last_id == NULL || strcmp(l->last_id, c[H_ID]) != 0) {
		if ((r = host_row(&l->f, c, _H_MAX)) < 0) {
			return r;
		}
		snprintf(l->last_buf, sizeof(l->last_buf), "%s", c[H_ID]);
		l->last_id = l->last_buf;
	}
	if (c[_H_MAX] != NULL) {
		const char *oc[_O_MAX] = { c[H_ID] };
		memcpy(&oc[1], &c[_H_MAX], (_O_MAX - 1) * sizeof(*oc));
		r = option_row(&l->f, oc, _O_MAX);
	}
	return r;
}

static void row_skipped(void *ud, int64_t host_id, const char *why)
{
	(void)ud;
	log_warn(LOGGER_HOSTS, "LESSOR_HOSTS_DB_ROW_SKIPPED",
	         "hosts database reservation host_id %lld left out: %s", (long long)host_id, why);
}

/* The parsed host of an item: one already held this packet (same host_id, so
 * lookups by identifier and by address agree on identity), or a new one. */
static int hold_host(hostdb_conn_t *c, const cfg_t *cfg, json_t *item)
{
	int64_t id = json_integer_value(json_object_get(item, "host-id"));

	for (size_t i = 0; i < c->n_hosts; i++) {
		if (c->host_ids[i] == id) {
			return (int)i;
		}
	}
	if (c->n_hosts == HOSTDB_HOSTS_MAX) {
		return -1;      /* more hosts in one packet than any topology needs: ignored */
	}
	int r = cfg_host_parse_json(cfg, item, &c->hosts[c->n_hosts], row_skipped, NULL);
	if (r <= 0) {
		return r < 0 ? r : -1;
	}
	c->host_ids[c->n_hosts] = id;
	return (int)c->n_hosts++;
}

/* Ask every hosts database in order; the first that has a host wins. */
static int query_dbs(hostdb_conn_t *c, const cfg_t *cfg, int slot, const sql_val_t *v, size_t n)
{
	int r = c->failed ? -EIO : ensure_connected(c, cfg);

	if (r < 0) {
		c->failed = true;
		return r;
	}
	for (size_t i = 0; i < c->n_dbs; i++) {
		conn_db_t *cd = &c->dbs[i];
		lookup_t l = { .f = { .arr = json_array(), .by_id = json_object() } };

		c->stats.queries++;
		r = l.f.arr != NULL && l.f.by_id != NULL
		            ? cd->drv->pquery(cd->db, (unsigned)slot, cd->sql[slot], v, n, lookup_row, &l)
		            : -ENOMEM;
		int h = -1;
		for (size_t k = 0; r >= 0 && k < json_array_size(l.f.arr) && h < 0; k++) {
			h = hold_host(c, cfg, json_array_get(l.f.arr, k));
			r = h == -ENOMEM ? h : 0;
		}
		if (r < 0) {
			char what[600];
			snprintf(what, sizeof(what), "looking a reservation up failed: %s",
			         r == -EPROTO ? "unexpected columns"
			         : r == -ENOMEM ? strerror(ENOMEM) : cd->drv->error(cd->db));
			json_decref(l.f.arr);
			json_decref(l.f.by_id);
			return lookup_fail(c, &cfg->hosts_dbs[i], r, what);
		}
		json_decref(l.f.arr);
		json_decref(l.f.by_id);
		if (h >= 0) {
			return h;
		}
	}
	return -1;
}

static memo_t *memo_find(hostdb_conn_t *c, const memo_t *key)
{
	for (size_t i = 0; i < c->n_memo; i++) {
		memo_t *m = &c->memo[i];
		if (m->by_addr == key->by_addr && m->subnet_id == key->subnet_id &&
		    (key->by_addr ? m->addr == key->addr
		                  : m->type == key->type && m->len == key->len &&
		                            memcmp(m->id, key->id, key->len) == 0)) {
			return m;
		}
	}
	return NULL;
}

static const cfg_host_t *lookup(hostdb_conn_t *c, const cfg_t *cfg, memo_t *key,
                                const sql_val_t *v, size_t n)
{
	memo_t *m = memo_find(c, key);

	if (m == NULL) {
		int h = query_dbs(c, cfg, key->by_addr ? SLOT_BY_ADDR : SLOT_BY_ID, v, n);
		if (c->failed) {
			return NULL;
		}
		key->host = h;
		if (c->n_memo < HOSTDB_MEMO_MAX) {
			c->memo[c->n_memo++] = *key;
		}
		m = key;
	}
	return m->host >= 0 ? &c->hosts[m->host] : NULL;
}

const cfg_host_t *hostdb_get(hostdb_conn_t *c, const cfg_t *cfg, uint32_t subnet_id,
                             cfg_host_id_type_t type, const uint8_t *id, size_t len)
{
	memo_t key = { .subnet_id = subnet_id, .type = type, .len = MIN(len, sizeof(key.id)) };

	memcpy(key.id, id, key.len);
	sql_val_t v[] = {
		{ .type = SQL_V_INT, .i = subnet_id },
		{ .type = SQL_V_INT, .i = type },
		{ .type = SQL_V_BYTES, .p = id, .len = key.len },
	};
	return lookup(c, cfg, &key, v, ARRAY_SIZE(v));
}

const cfg_host_t *hostdb_get_by_addr(hostdb_conn_t *c, const cfg_t *cfg, uint32_t subnet_id,
                                     uint32_t addr)
{
	memo_t key = { .by_addr = true, .subnet_id = subnet_id, .addr = addr };
	sql_val_t v[] = {
		{ .type = SQL_V_INT, .i = subnet_id },
		{ .type = SQL_V_INT, .i = addr },
	};
	return lookup(c, cfg, &key, v, ARRAY_SIZE(v));
}

/* hosts-database rows -> reservations (lease/hostdb.c on a fake driver, then
 * cfg_hosts_add_json()): Kea's column encodings, the configuration winning
 * over the database, bad rows left out with their host_id, read errors; and
 * the per-packet lookups (hostdb_conn_t): parameters, one query per distinct
 * lookup in a packet, one host per host_id, failures and their back-off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "fixture.h"
#include "lease/hostdb.h"
#include "lease/store-sql.h"

#define IP(a, b, c, d)                                                                             \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* hosts columns: host_id, hex id, type, dhcp4_subnet_id, ipv4_address,
 * hostname, classes, next_server, sname, file */
static const char *const host_rows[][10] = {
	/* the configuration reserves this MAC in subnet 1 already: the file wins */
	{ "1", "020000000001", "0", "1", "167772165", "from-db", NULL, NULL, NULL, NULL },
	{ "2", "020000000002", "0", "1", "167772166", "two", " vip , other,", "167772162",
	  "boot.example", "pxe.0" },
	{ "3", "0102000000000003", "3", "1", "0", NULL, NULL, "0", "", "" },
	{ "4", "020000000004", "0", "0", "3405803781", "glob", NULL, NULL, NULL, NULL },
	{ "5", "020000000005", "0", "1", "3232235777", NULL, NULL, NULL, NULL, NULL }, /* 192.168.1.1 */
	{ "6", "020000000006", "9", "1", NULL, NULL, NULL, NULL, NULL, NULL },       /* bad type */
	{ "7", "020000000007", "0", "77", NULL, NULL, NULL, NULL, NULL, NULL },      /* no subnet 77 */
	{ "8", "020000000008", "0", "1", "167772166", NULL, NULL, NULL, NULL, NULL }, /* .6 again */
	{ "9", "706f72742d37", "2", "1", "167772169", NULL, NULL, NULL, NULL, NULL },
};

/* dhcp4_options columns: host_id, code, hex value, formatted_value, space, persistent */
static const char *const opt_rows[][6] = {
	{ "2", "6", NULL, "10.0.0.53, 10.0.0.54", "dhcp4", "0" },
	{ "2", "42", "0A00007B", "", NULL, "t" },
	{ "4", "15", NULL, "g.example", "dhcp4", "1" },
	{ "99", "15", NULL, "orphan", "dhcp4", "0" },      /* host read in between: ignored */
};

static struct {
	bool fail_connect, fail_query;
	int n_connects, n_pqueries;
	char last_pq[1024];
	char last_sql[2][1024];
	int n_queries;
	int skipped[16];
	size_t n_skipped;
	char why[16][512];
} fake;

static int f_connect(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr)
{
	(void)cfg;
	fake.n_connects++;
	if (fake.fail_connect) {
		*reterr = strdup("Unable to open database: fake refused");
		return -ENOTCONN;
	}
	*ret = (sql_db_t *)&fake;
	return 0;
}

static void f_disconnect(sql_db_t *db)
{
	assert_ptr_equal(db, &fake);
}

static int f_query(sql_db_t *db, const char *sql, sql_text_row_fn fn, void *ud)
{
	(void)db;
	snprintf(fake.last_sql[fake.n_queries++ % 2], sizeof(fake.last_sql[0]), "%s", sql);
	if (fake.fail_query) {
		return -EIO;
	}
	bool hosts = strstr(sql, "FROM hosts WHERE") != NULL;
	size_t n = hosts ? sizeof(host_rows) / sizeof(host_rows[0]) : sizeof(opt_rows) / sizeof(opt_rows[0]);
	for (size_t i = 0; i < n; i++) {
		int r = hosts ? fn(ud, host_rows[i], 10) : fn(ud, opt_rows[i], 6);
		if (r < 0) {
			return r;
		}
	}
	return (int)n;
}

static const char *f_error(sql_db_t *db)
{
	(void)db;
	return "fake error";
}

static bool hex_eq(const char *hex, const uint8_t *b, size_t len)
{
	char buf[300] = "";

	for (size_t i = 0; i < len && i < 128; i++) {
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	}
	return strcmp(hex, buf) == 0;
}

/* The LEFT JOIN: each matching host with each of its options (or NULLs). */
static int f_pquery(sql_db_t *db, unsigned slot, const char *sql, const sql_val_t *v, size_t n,
                    sql_text_row_fn fn, void *ud)
{
	(void)db;
	snprintf(fake.last_pq, sizeof(fake.last_pq), "%s", sql);
	fake.n_pqueries++;
	if (fake.fail_query) {
		return -ENOTCONN;
	}
	assert_int_equal(n, slot == 0 ? 3 : 2);
	int rows = 0;
	for (size_t k = 0; k < sizeof(host_rows) / sizeof(host_rows[0]); k++) {
		const char *const *h = host_rows[k];
		bool match = atoll(h[3]) == v[0].i &&
		             (slot == 0 ? atoll(h[2]) == v[1].i && hex_eq(h[1], v[2].p, v[2].len)
		                        : h[4] != NULL && atoll(h[4]) == v[1].i);
		if (!match) {
			continue;
		}
		const char *cols[15] = { 0 };
		memcpy(cols, h, 10 * sizeof(*cols));
		bool any = false;
		for (size_t o = 0; o < sizeof(opt_rows) / sizeof(opt_rows[0]); o++) {
			if (strcmp(opt_rows[o][0], h[0]) == 0) {
				memcpy(&cols[10], &opt_rows[o][1], 5 * sizeof(*cols));
				any = true;
				fn(ud, cols, 15);
				rows++;
			}
		}
		if (!any) {
			fn(ud, cols, 15);
			rows++;
		}
	}
	return rows;
}

static const sql_dialect_t f_dialect = { .hex_out = "HEX(%s)" };
static const sql_driver_t f_drv = {
	.name = "Fake", .dialect = &f_dialect, .connect = f_connect, .disconnect = f_disconnect,
	.query = f_query, .pquery = f_pquery, .error = f_error,
};

static void on_skip(void *ud, int64_t host_id, const char *why)
{
	(void)ud;
	assert_true(fake.n_skipped < 16);
	snprintf(fake.why[fake.n_skipped], sizeof(fake.why[0]), "%s", why);
	fake.skipped[fake.n_skipped++] = (int)host_id;
}

static const char config[] =
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []},\n"
	"\"client-classes\": [{\"name\": \"vip\"}],\n"
	"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/16\", \"reservations\": [\n"
	" {\"hw-address\": \"02:00:00:00:00:01\", \"hostname\": \"from-file\"}]}]}}";

static const cfg_host_t *by_mac(const cfg_t *cfg, uint32_t sid, uint8_t last)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, last };

	return cfg_host_find(cfg, sid, CFG_HOST_ID_HWADDR, mac, 6);
}

static void test_rows_become_reservations(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	cfg_t *cfg = fixture_cfg_load(config);
	json_t *arr = json_array();
	char *err = NULL;
	lease_store_cfg_t db = { .type = "fake", .name = "kea" };

	assert_int_equal(hostdb_fetch_on(&f_drv, &db, arr, &err), 9);
	assert_null(err);
	assert_non_null(strstr(fake.last_sql[0], "HEX(dhcp_identifier)"));
	assert_non_null(strstr(fake.last_sql[0], "dhcp4_subnet_id IS NOT NULL"));
	assert_non_null(strstr(fake.last_sql[1], "scope_id = 3"));

	/* 2, 3, 4, 9 added; 1 (file wins) and 7 (unknown subnet) silently out;
	 * 5 (outside the subnet), 6 (type 9) and 8 (address taken) reported */
	assert_int_equal(cfg_hosts_add_json(cfg, arr, on_skip, NULL), 4);
	json_decref(arr);
	assert_int_equal(cfg->n_hosts, 5);
	assert_int_equal(fake.n_skipped, 3);
	assert_int_equal(fake.skipped[0], 5);
	assert_non_null(strstr(fake.why[0], "is not within the IPv4 subnet"));
	assert_int_equal(fake.skipped[1], 6);
	assert_non_null(strstr(fake.why[1], "invalid dhcp_identifier_type 9"));
	assert_int_equal(fake.skipped[2], 8);
	assert_non_null(strstr(fake.why[2], "already a reservation for address 10.0.0.6"));

	const cfg_host_t *h = by_mac(cfg, 1, 1);
	assert_non_null(h);
	assert_string_equal(h->hostname, "from-file");

	h = by_mac(cfg, 1, 2);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(10, 0, 0, 6));
	assert_string_equal(h->hostname, "two");
	assert_true(h->has_next_server);
	assert_int_equal(h->next_server, IP(10, 0, 0, 2));
	assert_string_equal(h->server_hostname, "boot.example");
	assert_string_equal(h->boot_file_name, "pxe.0");
	assert_int_equal(h->classes.n, 2);
	assert_string_equal(cfg->classes[h->classes.idx[0]].name, "vip");
	assert_string_equal(cfg->classes[h->classes.idx[1]].name, "other");
	const cfg_option_t *o = cfg_optset_find(&h->opts, 6);
	assert_non_null(o);
	assert_int_equal(o->len, 8);
	assert_memory_equal(o->data, "\x0a\x00\x00\x35\x0a\x00\x00\x36", 8);
	o = cfg_optset_find(&h->opts, 42);
	assert_non_null(o);
	assert_int_equal(o->len, 4);
	assert_memory_equal(o->data, "\x0a\x00\x00\x7b", 4);
	assert_true(o->always_send);
	assert_false(cfg_optset_find(&h->opts, 6)->always_send);
	assert_ptr_equal(cfg_host_find_by_addr(cfg, 1, IP(10, 0, 0, 6)), h);

	const uint8_t cid[8] = { 1, 2, 0, 0, 0, 0, 0, 3 };
	h = cfg_host_find(cfg, 1, CFG_HOST_ID_CLIENT_ID, cid, 8);
	assert_non_null(h);
	assert_int_equal(h->addr, 0);
	assert_false(h->has_next_server);
	assert_null(h->hostname);
	assert_null(h->server_hostname);

	h = by_mac(cfg, 0, 4);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(203, 0, 113, 5));
	assert_true(cfg_optset_find(&h->opts, 15)->always_send);

	h = cfg_host_find(cfg, 1, CFG_HOST_ID_CIRCUIT_ID, (const uint8_t *)"port-7", 6);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(10, 0, 0, 9));
	assert_null(by_mac(cfg, 1, 5));
	assert_null(by_mac(cfg, 1, 8));
	assert_null(by_mac(cfg, 77, 7));
	cfg_free(cfg);
}

static void test_first_database_wins(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	cfg_t *cfg = fixture_cfg_load(config);
	json_t *arr = json_array();
	char *err = NULL;
	lease_store_cfg_t db = { .type = "fake" };

	/* the same rows twice, as from two hosts-databases */
	assert_int_equal(hostdb_fetch_on(&f_drv, &db, arr, &err), 9);
	assert_int_equal(hostdb_fetch_on(&f_drv, &db, arr, &err), 9);
	fake.n_skipped = 0;
	assert_int_equal(cfg_hosts_add_json(cfg, arr, on_skip, NULL), 4);
	json_decref(arr);
	assert_int_equal(cfg->n_hosts, 5);
	/* 5, 6, 8 twice; the second 2, 3, 4, 9 as duplicates of the first */
	assert_int_equal(fake.n_skipped, 10);
	assert_string_equal(by_mac(cfg, 1, 2)->hostname, "two");
	cfg_free(cfg);
}

static void test_read_errors(void **state)
{
	(void)state;
	json_t *arr = json_array();
	char *err = NULL;
	lease_store_cfg_t db = { .type = "fake" };

	memset(&fake, 0, sizeof(fake));
	fake.fail_connect = true;
	assert_int_equal(hostdb_fetch_on(&f_drv, &db, arr, &err), -ENOTCONN);
	assert_string_equal(err, "Unable to open database: fake refused");
	free(err);
	err = NULL;

	memset(&fake, 0, sizeof(fake));
	fake.fail_query = true;
	assert_int_equal(hostdb_fetch_on(&f_drv, &db, arr, &err), -EIO);
	assert_string_equal(err, "reading the hosts tables failed: fake error");
	free(err);
	err = NULL;

	db.type = "memfile";
	assert_int_equal(hostdb_fetch(&db, arr, &err), -EINVAL);
	assert_non_null(strstr(err, "'memfile' is not supported"));
	free(err);
	json_decref(arr);
}

static cfg_t *lookup_cfg(void)
{
	cfg_t *cfg = fixture_cfg_load(config);

	cfg->hosts_dbs = calloc(1, sizeof(*cfg->hosts_dbs));
	assert_non_null(cfg->hosts_dbs);
	cfg->hosts_dbs[0] = (lease_store_cfg_t){ .type = "fake", .name = "kea",
	                                         .reconnect_wait_time = 60000 };
	cfg->n_hosts_dbs = 1;
	assert_int_equal(cfg_hosts_db_prepare(cfg), 0);
	assert_true(cfg->hosts_db_lookup);
	return cfg;
}

static const cfg_host_t *get_mac(hostdb_conn_t *c, const cfg_t *cfg, uint32_t sid, uint8_t last)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, last };

	return hostdb_get(c, cfg, sid, CFG_HOST_ID_HWADDR, mac, 6);
}

static void test_per_packet_lookups(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	cfg_t *cfg = lookup_cfg();
	hostdb_conn_t *c = hostdb_conn_new_on(&f_drv);

	const cfg_host_t *h = get_mac(c, cfg, 1, 2);
	assert_non_null(h);
	assert_non_null(strstr(fake.last_pq, "h.dhcp_identifier = ?"));
	assert_non_null(strstr(fake.last_pq, "HEX(o.value)"));
	assert_int_equal(h->addr, IP(10, 0, 0, 6));
	assert_string_equal(h->hostname, "two");
	assert_string_equal(h->boot_file_name, "pxe.0");
	/* "other" is defined nowhere in the published config: dropped, not added */
	assert_int_equal(h->classes.n, 1);
	assert_string_equal(cfg->classes[h->classes.idx[0]].name, "vip");
	assert_non_null(cfg_optset_find(&h->opts, 6));
	assert_true(cfg_optset_find(&h->opts, 42)->always_send);
	/* the same lookup again in the packet: no query; by address: the same host */
	assert_ptr_equal(get_mac(c, cfg, 1, 2), h);
	assert_int_equal(fake.n_pqueries, 1);
	assert_ptr_equal(hostdb_get_by_addr(c, cfg, 1, IP(10, 0, 0, 6)), h);
	assert_int_equal(fake.n_pqueries, 2);
	assert_non_null(strstr(fake.last_pq, "h.ipv4_address = ?"));
	assert_null(hostdb_get_by_addr(c, cfg, 1, IP(10, 0, 0, 7)));
	/* negative answers are remembered too */
	assert_null(get_mac(c, cfg, 1, 99));
	assert_null(get_mac(c, cfg, 1, 99));
	assert_int_equal(fake.n_pqueries, 4);
	/* a row the parser refuses (address outside subnet 1) is no host */
	assert_null(get_mac(c, cfg, 1, 5));
	assert_non_null(get_mac(c, cfg, 0, 4));
	assert_false(hostdb_conn_failed(c));
	assert_int_equal(fake.n_connects, 1);

	/* the next packet asks again */
	hostdb_conn_reset(c);
	assert_non_null(get_mac(c, cfg, 1, 2));
	assert_int_equal(fake.n_pqueries, 7);
	assert_int_equal(hostdb_conn_stats(c)->queries, 7);
	hostdb_conn_free(c);
	cfg_free(cfg);
}

static void test_per_packet_failures(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	cfg_t *cfg = lookup_cfg();
	hostdb_conn_t *c = hostdb_conn_new_on(&f_drv);

	fake.fail_query = true;
	assert_null(get_mac(c, cfg, 1, 2));
	assert_true(hostdb_conn_failed(c));
	/* the rest of the packet fails at once */
	assert_null(get_mac(c, cfg, 1, 3));
	assert_int_equal(fake.n_pqueries, 1);
	/* the next packets: no reconnect before reconnect-wait-time */
	fake.fail_query = false;
	hostdb_conn_reset(c);
	assert_false(hostdb_conn_failed(c));
	assert_null(get_mac(c, cfg, 1, 2));
	assert_true(hostdb_conn_failed(c));
	assert_int_equal(fake.n_connects, 1);
	assert_int_equal(hostdb_conn_stats(c)->failures, 1);
	hostdb_conn_free(c);

	/* refused connection: failed, counted */
	memset(&fake, 0, sizeof(fake));
	fake.fail_connect = true;
	c = hostdb_conn_new_on(&f_drv);
	assert_null(get_mac(c, cfg, 1, 2));
	assert_true(hostdb_conn_failed(c));
	assert_int_equal(fake.n_pqueries, 0);
	hostdb_conn_free(c);
	cfg_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_become_reservations),
		cmocka_unit_test(test_first_database_wins),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_per_packet_lookups),
		cmocka_unit_test(test_per_packet_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

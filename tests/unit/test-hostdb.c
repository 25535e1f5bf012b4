/* hosts-database rows -> reservations (lease/hostdb.c on a fake driver, then
 * cfg_hosts_add_json()): Kea's column encodings, the configuration winning
 * over the database, bad rows left out with their host_id, read errors. */
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
	char last_sql[2][1024];
	int n_queries;
	int skipped[16];
	size_t n_skipped;
	char why[16][512];
} fake;

static int f_connect(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr)
{
	(void)cfg;
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

static const sql_dialect_t f_dialect = { .hex_out = "HEX(%s)" };
static const sql_driver_t f_drv = {
	.name = "Fake", .dialect = &f_dialect, .connect = f_connect, .disconnect = f_disconnect,
	.query = f_query, .error = f_error,
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_become_reservations),
		cmocka_unit_test(test_first_database_wins),
		cmocka_unit_test(test_read_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

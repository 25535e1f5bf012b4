/* The SQL-neutral half of the mysql/postgresql backends (store-sql.c): Kea's
 * lease4 row <-> lease4_t mapping and the statements each dialect gets.
 * The backends themselves run against real servers in
 * tests/system/test_sql_lease.py. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lease/store-sql.h"
#include "lease/store.h"

static const sql_dialect_t my = {
	.dollar_params = false, .time_in = "FROM_UNIXTIME(%s)",
	.time_out = "UNIX_TIMESTAMP(expire)", .insert_suffix = "",
};
static const sql_dialect_t pg = {
	.dollar_params = true, .time_in = "to_timestamp(%s)",
	.time_out = "EXTRACT(EPOCH FROM expire)::BIGINT",
	.insert_suffix = " ON CONFLICT (address) DO NOTHING", .addr_guard = "g(%s)",
};

static void mk(lease4_t *l)
{
	memset(l, 0, sizeof(*l));
	l->addr = 0xc0000264u;
	l->subnet_id = 7;
	l->pool_id = 2;
	l->htype = 1;
	l->hwaddr_len = 6;
	memcpy(l->hwaddr, "\x00\x0c\x01\x02\x03\x04", 6);
	l->client_id_len = 7;
	memcpy(l->client_id, "\x01\x00\x0c\x01\x02\x03\x04", 7);
	l->valid_lft = 3600;
	l->cltt = 1700000000;
	l->state = LEASE_STATE_DECLINED;
	l->fqdn_fwd = true;
	snprintf(l->hostname, sizeof(l->hostname), "host-a");
	snprintf(l->user_context, sizeof(l->user_context), "{\"a\": 1}");
}

static void test_round_trip(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	sql_row_from_lease(&l, &row);
	assert_int_equal(row.address, 0xc0000264u);
	assert_int_equal(row.expire, 1700003600);       /* Kea: cltt + valid */
	assert_int_equal(row.state, 1);
	assert_int_equal(row.pool_id, 2);
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), 0);
	assert_memory_equal(&l, &back, sizeof(l));
}

static void test_infinite_and_empty(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	l.valid_lft = LEASE_LFT_INFINITE;
	l.client_id_len = 0;
	l.hostname[0] = '\0';
	l.user_context[0] = '\0';
	l.hwaddr_len = 0;               /* a declined lease may have none */
	sql_row_from_lease(&l, &row);
	assert_int_equal(row.expire, l.cltt);           /* Kea stores cltt for infinite */
	assert_int_equal(sql_lease_expire(&l), l.cltt);
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), 0);
	assert_int_equal(back.cltt, l.cltt);
	assert_int_equal(back.valid_lft, LEASE_LFT_INFINITE);
	assert_int_equal(back.client_id_len, 0);
	assert_int_equal(back.hwaddr_len, 0);
}

static void test_bad_rows(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	sql_row_from_lease(&l, &row);
	row.state = 9;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "state 9"));
	sql_row_from_lease(&l, &row);
	row.truncated = true;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
	sql_row_from_lease(&l, &row);
	row.hwaddr_len = DHCP_HWADDR_MAX + 1;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
}

static void test_render(void **state)
{
	(void)state;
	char sql[1024];

	/* Kea's column order; 14.0 has no pool_id */
	assert_int_equal(sql_render(SQL_INSERT, &my, false, sql, sizeof(sql)), 11);
	assert_string_equal(sql, "INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, "
	                    "expire, subnet_id, fqdn_fwd, fqdn_rev, hostname, state, user_context) "
	                    "VALUES (?, ?, ?, ?, FROM_UNIXTIME(?), ?, ?, ?, ?, ?, ?)");
	/* with an address guard: the address once more, in a WHERE */
	assert_int_equal(sql_render(SQL_INSERT, &pg, true, sql, sizeof(sql)), 13);
	assert_non_null(strstr(sql, "user_context, pool_id) SELECT $1, $2, $3, $4, "
	                       "to_timestamp($5), $6, $7, $8, $9, $10, $11, $12 WHERE g($13) "
	                       "ON CONFLICT"));
	assert_int_equal(sql_render(SQL_UPDATE, &pg, false, sql, sizeof(sql)), 14);
	assert_non_null(strstr(sql, "WHERE address = $11 AND expire = to_timestamp($12) AND "
	                       "state = $13 AND g($14)"));
	assert_int_equal(sql_render(SQL_DELETE, &pg, false, sql, sizeof(sql)), 3);
	assert_non_null(strstr(sql, "expire = to_timestamp($2) AND g($3)"));
	assert_int_equal(sql_render(SQL_DELETE, &my, false, sql, sizeof(sql)), 2);
	assert_string_equal(sql, "DELETE FROM lease4 WHERE address = ? AND expire = FROM_UNIXTIME(?)");
	/* the compare-and-swap guard on what was read */
	assert_int_equal(sql_render(SQL_UPDATE, &my, true, sql, sizeof(sql)), 14);
	assert_non_null(strstr(sql, "pool_id = ? WHERE address = ? AND expire = FROM_UNIXTIME(?) "
	                       "AND state = ?"));
	assert_int_equal(sql_render(SQL_GET_ADDR, &pg, false, sql, sizeof(sql)), 1);
	assert_non_null(strstr(sql, "EXTRACT(EPOCH FROM expire)::BIGINT, subnet_id"));
	assert_non_null(strstr(sql, "user_context, 0 FROM lease4 WHERE address = $1"));
	assert_int_equal(sql_render(SQL_GET_EXPIRED, &my, true, sql, sizeof(sql)), 2);
	assert_non_null(strstr(sql, "WHERE state != 2 AND valid_lifetime != 4294967295 AND "
	                       "expire < FROM_UNIXTIME(?) ORDER BY expire ASC LIMIT ?"));
	assert_int_equal(sql_render(SQL_WIPE_ALL, &my, true, sql, sizeof(sql)), 0);
	assert_int_equal(sql_render(SQL_INSERT, &my, true, sql, 20), -ENOBUFS);
	for (int st = 0; st < _SQL_STMT_MAX; st++) {
		assert_true(sql_render(st, &pg, true, sql, sizeof(sql)) >= 0);
		assert_true(sql_render(st, &my, false, sql, sizeof(sql)) >= 0);
	}
}

static void test_describe_hides_password(void **state)
{
	(void)state;
	char buf[256];
	lease_store_cfg_t c = { .type = "mysql", .name = "kea", .host = "db", .port = 3306,
		                .user = "kea", .password = "s3cret" };

	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "host=db name=kea password=***** port=3306 type=mysql universe=4 user=kea");
	c.password = NULL;
	c.host = NULL;
	c.port = 0;
	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "name=kea type=mysql universe=4 user=kea");
	/* the TLS parameters in Kea's order; a tiny buffer is cut, never overrun */
	c.trust_anchor = "/ca.pem";
	c.cert_file = "/c.pem";
	c.key_file = "/k.pem";
	c.cipher_list = "AES256-SHA";
	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "cert-file=/c.pem cipher-list=AES256-SHA key-file=/k.pem name=kea "
	                    "trust-anchor=/ca.pem type=mysql universe=4 user=kea");
	char small[12];
	assert_string_equal(lease_store_cfg_describe(&c, small, sizeof(small)), "cert-file=");
	assert_false(lease_store_cfg_tls(&(lease_store_cfg_t){ .type = "mysql" }));
	assert_true(lease_store_cfg_tls(&(lease_store_cfg_t){ .cipher_list = "x" }));
}

static void test_open_needs_name(void **state)
{
	(void)state;
	lease_store_cfg_t c = { .type = "mysql", .host = "127.0.0.1" };
	lease_store_t *ls = NULL;
	char *err = NULL;

	assert_int_equal(lease_store_open(&c, &ls, &err), -EINVAL);
	assert_null(ls);
	assert_string_equal(err, "must specify a name for the database");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_infinite_and_empty),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_describe_hides_password),
		cmocka_unit_test(test_open_needs_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

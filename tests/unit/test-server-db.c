/* daemon/server-db-policy.c: Kea 2.2's decisions when the lease database is
 * lost (max-reconnect-tries, on-fail), case by case. test_sql_faults checks
 * the same cases end to end against real databases and Kea 2.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon/server-db-policy.h"

static lease_store_cfg_t cfg(unsigned tries, lease_db_on_fail_t on_fail)
{
	return (lease_store_cfg_t){ .type = "mysql", .max_reconnect_tries = tries,
		                    .reconnect_wait_time = 300, .on_fail = on_fail };
}

static void test_reconnect_disabled_exits(void **state)
{
	(void)state;
	bool disable = true;

	/* Kea's default max-reconnect-tries 0: DHCP4_DB_RECONNECT_DISABLED, exit,
	 * whatever on-fail says */
	for (int m = 0; m < _LEASE_DB_ON_FAIL_MAX; m++) {
		lease_store_cfg_t c = cfg(0, (lease_db_on_fail_t)m);

		assert_int_equal(db_policy_lost(&c, &disable), DB_NEXT_EXIT);
		assert_false(disable);
	}
}

static void test_lost_disables_only_for_stop_retry_exit(void **state)
{
	(void)state;
	bool disable;
	lease_store_cfg_t c = cfg(3, LEASE_DB_STOP_RETRY_EXIT);

	assert_int_equal(db_policy_lost(&c, &disable), DB_NEXT_RETRY);
	assert_true(disable);
	c.on_fail = LEASE_DB_SERVE_RETRY_EXIT;
	assert_int_equal(db_policy_lost(&c, &disable), DB_NEXT_RETRY);
	assert_false(disable);
	c.on_fail = LEASE_DB_SERVE_RETRY_CONTINUE;
	assert_int_equal(db_policy_lost(&c, &disable), DB_NEXT_RETRY);
	assert_false(disable);
}

static void test_failed_attempts(void **state)
{
	(void)state;
	lease_store_cfg_t c = cfg(3, LEASE_DB_STOP_RETRY_EXIT);

	/* attempts 1 and 2 of 3 schedule the next; the 3rd decides by on-fail */
	assert_int_equal(db_policy_failed(&c, 1), DB_NEXT_RETRY);
	assert_int_equal(db_policy_failed(&c, 2), DB_NEXT_RETRY);
	assert_int_equal(db_policy_failed(&c, 3), DB_NEXT_EXIT);
	c.on_fail = LEASE_DB_SERVE_RETRY_EXIT;
	assert_int_equal(db_policy_failed(&c, 3), DB_NEXT_EXIT);
	c.on_fail = LEASE_DB_SERVE_RETRY_CONTINUE;
	assert_int_equal(db_policy_failed(&c, 2), DB_NEXT_RETRY);
	assert_int_equal(db_policy_failed(&c, 3), DB_NEXT_CONTINUE);
	/* one try only */
	c = cfg(1, LEASE_DB_SERVE_RETRY_EXIT);
	assert_int_equal(db_policy_failed(&c, 1), DB_NEXT_EXIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reconnect_disabled_exits),
		cmocka_unit_test(test_lost_disables_only_for_stop_retry_exit),
		cmocka_unit_test(test_failed_attempts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

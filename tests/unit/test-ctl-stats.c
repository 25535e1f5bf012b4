/* ctl: statistic-* and stat-lease4-get (stat_cmds), status-get's queue
 * statistics, against the fake daemon environment (helpers-ctl.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "helpers-ctl.h"

#include "cfg/cfg-current.h"
#include "util/log.h"
#include "ctl/ctl-int.h"
#include "ctl/stat-history.h"

static int64_t first_value(const json_t *args, const char *name)
{
	json_t *samples = json_object_get(args, name);

	assert_true(json_is_array(samples));
	assert_true(json_array_size(samples) >= 1);
	json_t *s0 = json_array_get(samples, 0);
	assert_int_equal(json_array_size(s0), 2);
	assert_true(json_is_string(json_array_get(s0, 1)));
	/* "YYYY-MM-DD HH:MM:SS.ffffff" */
	assert_int_equal(strlen(json_string_value(json_array_get(s0, 1))), 26);
	return json_integer_value(json_array_get(s0, 0));
}

static void test_statistics(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *a;

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	stats_add(&s->stats.shards[1], STAT_PKT4_RECEIVED, 5);
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_null(json_object_get(ans, "text"));
	a = json_object_get(ans, "arguments");
	/* Kea 2.2's global set, and no v4-lease-reuses */
	static const char *const globals[] = {
	        "cumulative-assigned-addresses",
	        "declined-addresses",
	        "pkt4-ack-received",
	        "pkt4-ack-sent",
	        "pkt4-decline-received",
	        "pkt4-discover-received",
	        "pkt4-inform-received",
	        "pkt4-nak-received",
	        "pkt4-nak-sent",
	        "pkt4-offer-received",
	        "pkt4-offer-sent",
	        "pkt4-parse-failed",
	        "pkt4-receive-drop",
	        "pkt4-received",
	        "pkt4-release-received",
	        "pkt4-request-received",
	        "pkt4-sent",
	        "pkt4-unknown-received",
	        "reclaimed-declined-addresses",
	        "reclaimed-leases",
	        "v4-allocation-fail",
	        "v4-allocation-fail-classes",
	        "v4-allocation-fail-no-pools",
	        "v4-allocation-fail-shared-network",
	        "v4-allocation-fail-subnet",
	        "v4-reservation-conflicts",
	};
	for (size_t i = 0; i < ARRAY_SIZE(globals); i++) {
		first_value(a, globals[i]);
	}
	assert_null(json_object_get(a, "v4-lease-reuses"));
	assert_int_equal(json_object_size(a), ARRAY_SIZE(globals) + 2 * 7);
	assert_int_equal(first_value(a, "pkt4-received"), 5);
	assert_int_equal(first_value(a, "subnet[1].total-addresses"), 101);
	assert_int_equal(first_value(a, "subnet[2].total-addresses"), 2560);
	assert_int_equal(first_value(a, "subnet[1].assigned-addresses"), 1);
	assert_int_equal(first_value(a, "subnet[2].assigned-addresses"), 0);
	json_decref(ans);

	/* a changed value adds a sample, newest first */
	stats_inc(&s->stats.shards[0], STAT_PKT4_RECEIVED);
	ans = ctl_fx_expect(s,
	             "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-received\"}}",
	             0, NULL);
	a = json_object_get(ans, "arguments");
	assert_int_equal(json_object_size(a), 1);
	assert_int_equal(json_array_size(json_object_get(a, "pkt4-received")),
	                 3); /* 0 at start, 5, 6 */
	assert_int_equal(first_value(a, "pkt4-received"), 6);
	json_decref(ans);
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"nope\"}}", 0,
	             NULL);
	assert_int_equal(json_object_size(json_object_get(ans, "arguments")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-get\"}", 1, "Missing mandatory 'name' parameter.");
	EXPECT(s, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":5}}", 1,
	       "'name' parameter expected to be a string.");

	/* count limit: default 20 */
	for (int i = 0; i < 30; i++) {
		stats_inc(&s->stats.shards[0], STAT_PKT4_RECEIVED);
		ctl_sample(s->ctl);
	}
	ans = ctl_fx_expect(s,
	             "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-received\"}}",
	             0, NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "arguments"),
	                                                 "pkt4-received")),
	                 STAT_HISTORY_DEFAULT_COUNT);
	json_decref(ans);
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set\",\"arguments\":{\"name\":\"pkt4-"
	       "received\","
	       "\"max-samples\":5}}",
	       0, "Statistic 'pkt4-received' count limit is set.");
	ans = ctl_fx_expect(s,
	             "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-received\"}}",
	             0, NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "arguments"),
	                                                 "pkt4-received")),
	                 5);
	json_decref(ans);
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set\",\"arguments\":{\"name\":\"nope\","
	       "\"max-samples\":3}}",
	       1, "No 'nope' statistic found");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set\",\"arguments\":{\"name\":\"pkt4-"
	       "received\"}}",
	       1, "Missing mandatory 'max-samples' parameter.");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set-all\",\"arguments\":{\"max-samples\":0}}",
	       1, "'max-samples' parameter must not be zero");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set-all\",\"arguments\":{\"max-samples\":"
	       "\"x\"}}",
	       1, "'max-samples' parameter expected to be an integer.");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-count-set-all\",\"arguments\":{\"max-samples\":20}"
	       "}",
	       0, "All statistics count limit are set.");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-age-set\",\"arguments\":{\"name\":\"pkt4-"
	       "received\","
	       "\"duration\":5}}",
	       0, "Statistic 'pkt4-received' duration limit is set.");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-age-set\",\"arguments\":{\"name\":\"pkt4-"
	       "received\"}}",
	       1, "Missing mandatory 'duration' parameter.");
	EXPECT(s, "{\"command\":\"statistic-sample-age-set-all\",\"arguments\":{\"duration\":5}}",
	       0, "All statistics duration limit are set.");
	EXPECT(s, "{\"command\":\"statistic-sample-age-set-all\"}", 1,
	       "Missing mandatory 'duration' parameter.");
	EXPECT(s,
	       "{\"command\":\"statistic-sample-age-set\",\"arguments\":{\"name\":\"pkt4-"
	       "received\","
	       "\"duration\":\"x\"}}",
	       1, "Error during command processing: intValue() called on non-integer Element in");

	/* reset: back to 0 although the shard counters keep counting */
	EXPECT(s, "{\"command\":\"statistic-reset\",\"arguments\":{\"name\":\"pkt4-received\"}}", 0,
	       "Statistic 'pkt4-received' reset.");
	stats_inc(&s->stats.shards[0], STAT_PKT4_RECEIVED);
	ans = ctl_fx_expect(s,
	             "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-received\"}}",
	             0, NULL);
	assert_int_equal(first_value(json_object_get(ans, "arguments"), "pkt4-received"), 1);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-reset\",\"arguments\":{\"name\":\"nope\"}}", 1,
	       "No 'nope' statistic found");
	EXPECT(s, "{\"command\":\"statistic-reset\"}", 1, "Missing mandatory 'name' parameter.");
	EXPECT(s, "{\"command\":\"statistic-reset-all\"}", 0,
	       "All statistics reset to neutral values.");

	/* remove: gone until its value moves again */
	EXPECT(s, "{\"command\":\"statistic-remove\",\"arguments\":{\"name\":\"pkt4-sent\"}}", 0,
	       "Statistic 'pkt4-sent' removed.");
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_null(json_object_get(json_object_get(ans, "arguments"), "pkt4-sent"));
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-remove\",\"arguments\":{\"name\":\"pkt4-sent\"}}", 1,
	       "No 'pkt4-sent' statistic found");
	stats_add(&s->stats.shards[0], STAT_PKT4_SENT, 2);
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-sent\"}}", 0,
	             NULL);
	assert_int_equal(first_value(json_object_get(ans, "arguments"), "pkt4-sent"), 2);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-remove-all\"}", 0,
	       "Warning: statistic-remove-all command is deprecated. All statistics removed.");
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_int_equal(json_object_size(json_object_get(ans, "arguments")), 0);
	json_decref(ans);
}

static void test_stat_lease4_get(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *rs, *rows;

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ctl_fx_add_lease(s, "192.0.2.151", "1a:1b:1c:1d:1e:2f", "two");
	ans = ctl_fx_expect(s, "{\"command\":\"stat-lease4-get\"}", 0,
	             "stat-lease4-get[all subnets]: 2 rows found");
	rs = json_object_get(json_object_get(ans, "arguments"), "result-set");
	assert_int_equal(json_array_size(json_object_get(rs, "columns")), 5);
	assert_string_equal(json_string_value(json_array_get(json_object_get(rs, "columns"), 2)),
	                    "cumulative-assigned-addresses");
	rows = json_object_get(rs, "rows");
	assert_int_equal(json_array_size(rows), 2);
	json_t *r0 = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_array_get(r0, 0)), 1);
	assert_int_equal(json_integer_value(json_array_get(r0, 1)), 101);
	assert_int_equal(json_integer_value(json_array_get(r0, 3)), 2);
	assert_int_equal(json_integer_value(json_array_get(r0, 4)), 0);
	assert_true(json_is_string(json_object_get(rs, "timestamp")));
	json_decref(ans);
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-id\":1}}", 0,
	       "stat-lease4-get[subnet-id=1]: 1 rows found");
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-id\":99}}", 3,
	       "stat-lease4-get[subnet-id=99]: no matching data, subnet-id: 99 does not exist");
	EXPECT(s,
	       "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-range\":{\"first-subnet-"
	       "id\":1,"
	       "\"last-subnet-id\":2}}}",
	       0, "stat-lease4-get[subnets 1 through 2]: 2 rows found");
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-id\":\"x\"}}", 1,
	       "'subnet-id' parameter is not integer");
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-id\":0}}", 1,
	       "'subnet-id' parameter must be > 0");
	EXPECT(s,
	       "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-id\":1,\"subnet-range\":"
	       "{\"first-subnet-id\":1,\"last-subnet-id\":2}}}",
	       1, "cannot specify both subnet-id and subnet-range");
	EXPECT(s,
	       "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-range\":{\"first-subnet-"
	       "id\":2,"
	       "\"last-subnet-id\":1}}}",
	       1, "'last-subnet-id' must be greater than 'first-subnet-id'");
	EXPECT(s,
	       "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-range\":{\"first-subnet-"
	       "id\":5,"
	       "\"last-subnet-id\":9}}}",
	       3,
	       "stat-lease4-get[subnets 5 through 9]: no matching data, "
	       "selected ID range: 5 through 9 includes no known subnets");
	EXPECT(s,
	       "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-range\":{\"first-subnet-"
	       "id\":1}}}",
	       1, "'last-subnet-id' parameter missing or not an integer");
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-range\":5}}", 1,
	       "subnet-range parameter is not a map");
}

/* lessor's stat-pool4-get: every pool in address order, its leases counted from the store */
static void test_stat_pool4_get(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *pools, *p;

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ctl_fx_add_lease(s, "192.0.2.200", "1a:1b:1c:1d:1e:2f", "two");
	ctl_fx_add_lease(s, "192.0.2.20", "1a:1b:1c:1d:1e:3f", "outside the pool");
	ctl_fx_add_lease(s, "10.0.10.255", "1a:1b:1c:1d:1e:4f", "last of the pool");
	ans = ctl_fx_expect(s, "{\"command\":\"stat-pool4-get\"}", 0, "stat-pool4-get: 2 pools");
	pools = json_object_get(json_object_get(ans, "arguments"), "pools");
	assert_int_equal(json_array_size(pools), 2);
	p = json_array_get(pools, 0);           /* 10.0.1.0 sorts before 192.0.2.100 */
	assert_int_equal(json_integer_value(json_object_get(p, "subnet-id")), 2);
	assert_string_equal(json_string_value(json_object_get(p, "pool")), "10.0.1.0-10.0.10.255");
	assert_int_equal(json_integer_value(json_object_get(p, "total-addresses")), 2560);
	assert_int_equal(json_integer_value(json_object_get(p, "assigned-addresses")), 1);
	p = json_array_get(pools, 1);
	assert_int_equal(json_integer_value(json_object_get(p, "subnet-id")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "pool-id")), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "pool-index")), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "total-addresses")), 101);
	assert_int_equal(json_integer_value(json_object_get(p, "assigned-addresses")), 2);
	assert_int_equal(json_integer_value(json_object_get(p, "declined-addresses")), 0);
	assert_true(json_is_string(json_object_get(json_object_get(ans, "arguments"), "timestamp")));
	json_decref(ans);
	EXPECT(s, "{\"command\":\"stat-pool4-get\",\"arguments\":5}", 1, "arguments must be a map");
}

static void test_status_get_queue_statistics(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *q;

	/* the test configuration has Kea 2.4's default: multi-threading on */
	ans = ctl_fx_expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	q = json_object_get(json_object_get(ans, "arguments"), "packet-queue-statistics");
	assert_int_equal(json_array_size(q), 3);
	assert_true(json_real_value(json_array_get(q, 0)) == 0.0);
	json_decref(ans);
	stats_add(&s->stats.shards[0], STAT_PKT4_RECEIVED, 1);
	ans = ctl_fx_expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	q = json_object_get(json_object_get(ans, "arguments"), "packet-queue-statistics");
	/* what Kea 2.2 reports after one packet that found its queue empty */
	assert_true(json_real_value(json_array_get(q, 0)) == 0.0951626);
	assert_true(json_real_value(json_array_get(q, 1)) == 0.00995017);
	assert_true(json_real_value(json_array_get(q, 2)) == 0.0009995);
	json_decref(ans);
}

int main(void)
{
	ctl_fx_quiet_logs();

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_statistics, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_stat_lease4_get, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_stat_pool4_get, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_status_get_queue_statistics, ctl_fx_setup, ctl_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

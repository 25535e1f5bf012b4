/* stats/stats.c: Kea names, shard init and summing. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats/stats.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(stats_name(STAT_PKT4_RECEIVED), "pkt4-received");
	assert_string_equal(stats_name(STAT_PKT4_ACK_SENT), "pkt4-ack-sent");
	assert_string_equal(stats_name(STAT_V4_ALLOCATION_FAIL_SHARED_NETWORK),
	                    "v4-allocation-fail-shared-network");
	assert_string_equal(stats_name(STAT_CUMULATIVE_ASSIGNED_ADDRESSES), "cumulative-assigned-addresses");
	assert_null(stats_name(_STAT_MAX));
	/* every id has a distinct Kea name */
	for (int i = 0; i < _STAT_MAX; i++) {
		assert_non_null(stats_name((stat_id_t)i));
		for (int k = 0; k < i; k++) {
			assert_string_not_equal(stats_name((stat_id_t)i), stats_name((stat_id_t)k));
		}
	}
}

static void test_sum(void **state)
{
	stats_t st;

	(void)state;
	assert_int_equal(stats_init(&st, 3), 0);
	assert_int_equal(st.n_shards, 3);
	assert_true(((uintptr_t)st.shards % 64) == 0);
	assert_int_equal(stats_sum(&st, STAT_PKT4_SENT), 0);
	stats_inc(&st.shards[0], STAT_PKT4_SENT);
	stats_add(&st.shards[1], STAT_PKT4_SENT, 10);
	stats_inc(&st.shards[2], STAT_PKT4_SENT);
	stats_inc(&st.shards[2], STAT_PKT4_NAK_SENT);
	assert_int_equal(stats_sum(&st, STAT_PKT4_SENT), 12);
	assert_int_equal(stats_sum(&st, STAT_PKT4_NAK_SENT), 1);
	assert_int_equal(stats_sum(&st, STAT_PKT4_ACK_SENT), 0);
	stats_done(&st);
	assert_null(st.shards);
	assert_int_equal(stats_sum(&st, STAT_PKT4_SENT), 0);
}

static stats_t gst;

static void *writer(void *arg)
{
	stats_shard_t *sh = arg;

	for (int i = 0; i < 100000; i++) {
		stats_inc(sh, STAT_PKT4_RECEIVED);
	}
	return NULL;
}

/* One writer per shard: no increment is lost while a reader sums. */
static void test_threads(void **state)
{
	pthread_t t[4];

	(void)state;
	assert_int_equal(stats_init(&gst, 4), 0);
	for (int i = 0; i < 4; i++) {
		pthread_create(&t[i], NULL, writer, &gst.shards[i]);
	}
	uint64_t last = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t v = stats_sum(&gst, STAT_PKT4_RECEIVED);
		assert_true(v >= last);
		last = v;
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
	}
	assert_int_equal(stats_sum(&gst, STAT_PKT4_RECEIVED), 400000);
	stats_done(&gst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

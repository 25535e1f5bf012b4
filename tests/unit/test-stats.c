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

static void test_subnet_names(void **state)
{
	(void)state;
	assert_string_equal(stats_subnet_name(STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES),
	                    "cumulative-assigned-addresses");
	assert_string_equal(stats_subnet_name(STAT_SUBNET_RECLAIMED_LEASES), "reclaimed-leases");
	assert_string_equal(stats_subnet_name(STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES),
	                    "reclaimed-declined-addresses");
	assert_string_equal(stats_subnet_name(STAT_SUBNET_V4_RESERVATION_CONFLICTS),
	                    "v4-reservation-conflicts");
	assert_string_equal(stats_name(STAT_V4_RESERVATION_CONFLICTS), "v4-reservation-conflicts");
	assert_null(stats_subnet_name(_STAT_SUBNET_MAX));
	for (int i = 0; i < _STAT_SUBNET_MAX; i++) {
		assert_int_equal(stats_subnet_from_name(stats_subnet_name((stat_subnet_id_t)i)), i);
	}
	assert_int_equal(stats_subnet_from_name("assigned-addresses"), _STAT_SUBNET_INVALID);
	assert_int_equal(stats_subnet_from_name(NULL), _STAT_SUBNET_INVALID);
	assert_int_equal(stats_subnet_of(STAT_V4_ALLOCATION_FAIL_NO_POOLS),
	                 STAT_SUBNET_V4_ALLOCATION_FAIL_NO_POOLS);
	assert_int_equal(stats_subnet_of(STAT_CUMULATIVE_ASSIGNED_ADDRESSES),
	                 STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES);
	assert_int_equal(stats_subnet_of(STAT_PKT4_SENT), _STAT_SUBNET_INVALID);
	/* every per-subnet counter has a global one of the same name */
	for (int i = 0; i < _STAT_MAX; i++) {
		stat_subnet_id_t k = stats_subnet_of((stat_id_t)i);

		if ((int)k >= 0) {
			assert_string_equal(stats_subnet_name(k), stats_name((stat_id_t)i));
		}
	}
}

static void test_subnet_sum(void **state)
{
	stats_t st;

	(void)state;
	assert_int_equal(stats_init(&st, 3), 0);
	assert_int_equal(stats_subnet_sum(&st, 1, STAT_SUBNET_RECLAIMED_LEASES), 0);
	stats_subnet_inc(&st.shards[0], 1, STAT_SUBNET_RECLAIMED_LEASES);
	stats_subnet_add(&st.shards[1], 1, STAT_SUBNET_RECLAIMED_LEASES, 10);
	stats_subnet_inc(&st.shards[2], 7, STAT_SUBNET_RECLAIMED_LEASES);
	stats_subnet_inc(&st.shards[2], 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES);
	stats_subnet_inc(&st.shards[2], 4294967294u, STAT_SUBNET_V4_RESERVATION_CONFLICTS);
	/* dropped: subnet id 0 and a bad counter id never reach a table */
	stats_subnet_inc(&st.shards[0], 0, STAT_SUBNET_RECLAIMED_LEASES);
	stats_subnet_inc(&st.shards[0], 1, _STAT_SUBNET_MAX);
	assert_int_equal(stats_subnet_sum(&st, 1, STAT_SUBNET_RECLAIMED_LEASES), 11);
	assert_int_equal(stats_subnet_sum(&st, 7, STAT_SUBNET_RECLAIMED_LEASES), 1);
	assert_int_equal(stats_subnet_sum(&st, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 1);
	assert_int_equal(stats_subnet_sum(&st, 4294967294u, STAT_SUBNET_V4_RESERVATION_CONFLICTS), 1);
	assert_int_equal(stats_subnet_sum(&st, 2, STAT_SUBNET_RECLAIMED_LEASES), 0);
	assert_int_equal(stats_subnet_sum(&st, 0, STAT_SUBNET_RECLAIMED_LEASES), 0);
	assert_int_equal(stats_subnet_sum(&st, 1, _STAT_SUBNET_MAX), 0);
	/* per-subnet counters are separate from the global ones */
	assert_int_equal(stats_sum(&st, STAT_RECLAIMED_LEASES), 0);
	stats_done(&st);
	assert_int_equal(stats_subnet_sum(&st, 1, STAT_SUBNET_RECLAIMED_LEASES), 0);
	stats_done(NULL);
}

/* Thousands of subnets in one shard: the table grows, nothing is lost. */
static void test_subnet_grow(void **state)
{
	stats_t st;

	(void)state;
	assert_int_equal(stats_init(&st, 2), 0);
	for (uint32_t id = 1; id <= 5000; id++) {
		stats_subnet_add(&st.shards[1], id * 977u, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES, id);
		if (id % 3 == 0) {
			stats_subnet_inc(&st.shards[0], id * 977u,
			                 STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES);
		}
	}
	for (uint32_t id = 1; id <= 5000; id++) {
		assert_int_equal(stats_subnet_sum(&st, id * 977u,
		                                  STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES),
		                 id + (id % 3 == 0));
		assert_int_equal(stats_subnet_sum(&st, id * 977u, STAT_SUBNET_RECLAIMED_LEASES), 0);
	}
	assert_int_equal(stats_subnet_sum(&st, 978, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 0);
	stats_done(&st);
}

#define SUBNET_WRITERS 4
#define SUBNET_IDS 300
#define SUBNET_ROUNDS 50

static void *subnet_writer(void *arg)
{
	stats_shard_t *sh = arg;

	/* new ids keep arriving (table growth) while the counts go up */
	for (int r = 0; r < SUBNET_ROUNDS; r++) {
		for (uint32_t id = 1; id <= SUBNET_IDS; id++) {
			stats_subnet_inc(sh, id, STAT_SUBNET_RECLAIMED_LEASES);
			if (r == 0) {
				stats_subnet_inc(sh, 100000 + id, STAT_SUBNET_RECLAIMED_LEASES);
			}
		}
	}
	return NULL;
}

/* One writer per shard, readers summing meanwhile (ASan/TSan would flag a
 * read of a freed table): sums only go up and end exact. */
static void test_subnet_threads(void **state)
{
	pthread_t t[SUBNET_WRITERS];

	(void)state;
	assert_int_equal(stats_init(&gst, SUBNET_WRITERS), 0);
	for (int i = 0; i < SUBNET_WRITERS; i++) {
		pthread_create(&t[i], NULL, subnet_writer, &gst.shards[i]);
	}
	uint64_t last[3] = {0};
	const uint32_t probe[3] = {1, SUBNET_IDS, 100000 + SUBNET_IDS};
	for (int i = 0; i < 2000; i++) {
		for (int k = 0; k < 3; k++) {
			uint64_t v = stats_subnet_sum(&gst, probe[k], STAT_SUBNET_RECLAIMED_LEASES);
			assert_true(v >= last[k]);
			last[k] = v;
		}
	}
	for (int i = 0; i < SUBNET_WRITERS; i++) {
		pthread_join(t[i], NULL);
	}
	for (uint32_t id = 1; id <= SUBNET_IDS; id++) {
		assert_int_equal(stats_subnet_sum(&gst, id, STAT_SUBNET_RECLAIMED_LEASES),
		                 SUBNET_WRITERS * SUBNET_ROUNDS);
		assert_int_equal(stats_subnet_sum(&gst, 100000 + id, STAT_SUBNET_RECLAIMED_LEASES),
		                 SUBNET_WRITERS);
	}
	stats_done(&gst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_subnet_names),
		cmocka_unit_test(test_subnet_sum),
		cmocka_unit_test(test_subnet_grow),
		cmocka_unit_test(test_subnet_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Expired-lease reclamation (Kea lease-expiration.rst) on the memfile store. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lease/reclaim.h"
#include "lease/store.h"

#define BASE 0xc0000200u                /* 192.0.2.0 */
#define NOW 2000000000

typedef struct ctx {
	lease_store_t *ls;
	lease_conn_t *c;
} ctx_t;

static int setup(void **state)
{
	lease_store_cfg_t cfg = { .type = "memfile", .name = "/nonexistent/x.csv", .persist = false };
	ctx_t *x = calloc(1, sizeof(*x));

	assert_int_equal(lease_store_open(&cfg, &x->ls, NULL), 0);
	assert_int_equal(lease_conn_open(x->ls, &x->c), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	ctx_t *x = *state;

	lease_conn_close(x->c);
	lease_store_close(x->ls);
	free(x);
	return 0;
}

static cfg_expired_t defaults(void)
{
	return (cfg_expired_t){
		.reclaim_timer_wait_time = 10,
		.flush_reclaimed_timer_wait_time = 25,
		.hold_reclaimed_time = 3600,
		.max_reclaim_leases = 100,
		.max_reclaim_time = 250,
		.unwarned_reclaim_cycles = 5,
	};
}

/* Lease i expires at NOW - 100 + i. */
static void add(lease_conn_t *c, uint32_t i, lease_state_t state)
{
	lease4_t l;

	memset(&l, 0, sizeof(l));
	l.addr = BASE + i;
	l.subnet_id = 1;
	l.hwaddr_len = state == LEASE_STATE_DECLINED ? 0 : 6;
	l.hwaddr[5] = (uint8_t)i;
	l.valid_lft = 3600;
	l.cltt = NOW - 100 + i - 3600;
	l.state = state;
	l.fqdn_fwd = true;
	strcpy(l.hostname, "client.example.org");
	assert_int_equal(lease_add(c, &l), 0);
}

static void test_affinity(void **state)
{
	ctx_t *x = *state;
	cfg_expired_t exp = defaults();
	uint64_t rec = 0, dec = 0;
	lease4_t l;

	for (uint32_t i = 0; i < 150; i++) {
		add(x->c, i, i % 10 == 0 ? LEASE_STATE_DECLINED : LEASE_STATE_DEFAULT);
	}
	/* 100 expired (i < 100, 10 of them declined), 60 per pass at most. */
	exp.max_reclaim_leases = 60;
	assert_int_equal(lease_reclaim(x->c, &exp, NOW, &rec, &dec), 0);
	assert_int_equal(rec, 60);
	assert_int_equal(dec, 6);
	assert_int_equal(lease_reclaim(x->c, &exp, NOW, &rec, &dec), 0);
	assert_int_equal(rec, 40);
	assert_int_equal(dec, 4);
	assert_int_equal(lease_reclaim(x->c, &exp, NOW, &rec, &dec), 0);
	assert_int_equal(rec, 0);

	/* Default lease kept as expired-reclaimed, DNS data cleared, identity kept. */
	assert_int_equal(lease_get_by_addr(x->c, BASE + 5, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_EXPIRED_RECLAIMED);
	assert_string_equal(l.hostname, "");
	assert_false(l.fqdn_fwd);
	assert_int_equal(l.hwaddr[5], 5);
	assert_int_equal(lease_get_by_hwaddr(x->c, 1, l.hwaddr, 6, &l), 0);
	/* Declined leases are removed. */
	assert_int_equal(lease_get_by_addr(x->c, BASE + 10, &l), -ENOENT);
	/* Not yet expired: untouched. */
	assert_int_equal(lease_get_by_addr(x->c, BASE + 121, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DEFAULT);
	assert_string_equal(l.hostname, "client.example.org");

	lease_count_t *cnt = NULL;
	assert_int_equal(x->c->store->ops->count(x->c, &cnt), 1);
	assert_int_equal(cnt[0].assigned, 45);       /* i = 100..149 minus 5 declined */
	free(cnt);

	/* Flush: reclaimed leases that expired more than hold-reclaimed-time ago. */
	assert_int_equal(lease_reclaim_flush(x->c, 3600, NOW + 3600 - 100), 0);
	assert_int_equal(lease_reclaim_flush(x->c, 3600, NOW + 3600 - 50), 50 - 5);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 5, &l), -ENOENT);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 55, &l), 0);
	assert_int_equal(lease_reclaim_flush(x->c, 3600, NOW + 7200), 45);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 55, &l), -ENOENT);
}

static void test_remove_mode(void **state)
{
	ctx_t *x = *state;
	cfg_expired_t exp = defaults();
	uint64_t rec = 0, dec = 0;
	lease4_t l;

	/* flush-reclaimed-timer-wait-time 0: no affinity, reclaimed leases go. */
	exp.flush_reclaimed_timer_wait_time = 0;
	exp.max_reclaim_leases = 0;     /* unlimited */
	exp.max_reclaim_time = 0;
	for (uint32_t i = 0; i < 300; i++) {
		add(x->c, i, LEASE_STATE_DEFAULT);
	}
	assert_int_equal(lease_reclaim(x->c, &exp, NOW, &rec, &dec), 0);
	assert_int_equal(rec, 100);
	assert_int_equal(dec, 0);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 99, &l), -ENOENT);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 100, &l), 0);
	/* Time moves on: everything expires, more than one batch. */
	assert_int_equal(lease_reclaim(x->c, &exp, NOW + 1000, &rec, &dec), 0);
	assert_int_equal(rec, 200);

	/* A released lease (valid_lft 0 in place) is reclaimed too. */
	add(x->c, 7, LEASE_STATE_DEFAULT);
	assert_int_equal(lease_get_by_addr(x->c, BASE + 7, &l), 0);
	lease4_t rel = l;
	rel.valid_lft = 0;
	rel.cltt = NOW;
	assert_int_equal(lease_update(x->c, &l, &rel), 0);
	assert_int_equal(lease_reclaim(x->c, &exp, NOW + 1, &rec, &dec), 0);
	assert_int_equal(rec, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_affinity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_mode, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Allocation engine and iterative allocator: lease ownership, client lookup
 * rules, lifetimes, release/decline states, the per-worker cursors, and two
 * workers allocating concurrently from one store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "cfg/subnet.h"
#include "dhcp/proto.h"
#include "engine/alloc.h"
#include "engine/allocator.h"
#include "helpers-engine.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const uint8_t MAC1[6] = {0x02, 0, 0, 0, 0, 1};
static const uint8_t MAC2[6] = {0x02, 0, 0, 0, 0, 2};
static const uint8_t CID1[] = {1, 2, 0, 0, 0, 0, 1};
static const uint8_t CID2[] = {1, 2, 0, 0, 0, 0, 2};

static const char *CFG = "{\"Dhcp4\": {"
                         " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
                         " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
                         " \"valid-lifetime\": 3600,"
                         " \"subnet4\": ["
                         "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
                         "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.19\"}, {\"pool\": "
                         "\"192.0.2.100 - 192.0.2.101\"}]},"
                         "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\", \"match-client-id\": false,"
                         "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.200\"}]},"
                         "  {\"id\": 3, \"subnet\": \"10.9.0.0/16\","
                         "   \"pools\": [{\"pool\": \"10.9.0.1 - 10.9.3.255\"}]}"
                         " ]"
                         "}}";

static int setup(void **state)
{
	*state = eng_env_new(CFG);
	return 0;
}

static int teardown(void **state)
{
	eng_env_free(*state);
	return 0;
}

static alloc_req_t req_for(eng_env_t *e, uint32_t subnet_id, const uint8_t *mac, const uint8_t *cid,
                           size_t cid_len, uint32_t hint)
{
	static class_set_t none;
	alloc_req_t r = {
	        .cfg = e->cfg,
	        .conn = e->conn,
	        .stats = &e->stats.shards[0],
	        .allocator = e->alloc,
	        .now = e->ctx.now,
	        .subnet = cfg_subnet_by_id(e->cfg, subnet_id),
	        .classes = &none,
	        .hint = hint,
	};

	assert_non_null(r.subnet);
	r.client.hwaddr = mac;
	r.client.hwaddr_len = 6;
	r.client.htype = 1;
	r.client.client_id = cid;
	r.client.client_id_len = (uint8_t)cid_len;
	return r;
}

static void test_belongs_to(void **state)
{
	lease4_t l;
	alloc_client_t c = {.hwaddr = MAC1, .hwaddr_len = 6, .htype = 1};

	(void)state;
	memset(&l, 0, sizeof(l));
	memcpy(l.hwaddr, MAC1, 6);
	l.hwaddr_len = 6;
	l.htype = 1;
	assert_true(alloc_lease_belongs_to(&l, &c));
	/* Lease has a client-id, client sends none: hardware address decides. */
	memcpy(l.client_id, CID1, sizeof(CID1));
	l.client_id_len = sizeof(CID1);
	assert_true(alloc_lease_belongs_to(&l, &c));
	/* Both have client-ids: they decide, even against the same MAC. */
	c.client_id = CID2;
	c.client_id_len = sizeof(CID2);
	assert_false(alloc_lease_belongs_to(&l, &c));
	c.client_id = CID1;
	c.hwaddr = MAC2;
	assert_true(alloc_lease_belongs_to(&l, &c));
	/* Different htype: not the same hardware address. */
	c.client_id = NULL;
	c.client_id_len = 0;
	c.hwaddr = MAC1;
	c.htype = 6;
	assert_false(alloc_lease_belongs_to(&l, &c));
}

static void test_iterative_order_and_pools(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;
	uint8_t mac[6] = {2, 0, 0, 0, 1, 0};

	/* Sequential fill: first pool in order, then the second pool. */
	for (int i = 0; i < 12; i++) {
		mac[5] = (uint8_t)i;
		alloc_req_t r = req_for(e, 1, mac, NULL, 0, 0);
		assert_int_equal(alloc_request(&r, false, &res), 0);
		assert_int_equal(res.status, ALLOC_OK);
		assert_int_equal(res.lease.addr,
		                 i < 10 ? A(192, 0, 2, 10 + i) : A(192, 0, 2, 90 + i));
		assert_int_equal(res.pool, &r.subnet->pools[i < 10 ? 0 : 1]);
	}
	mac[5] = 99;
	alloc_req_t r = req_for(e, 1, mac, NULL, 0, 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.status, ALLOC_FAIL);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL), 1);
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), 12);
}

static void test_hint(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;

	alloc_req_t r = req_for(e, 1, MAC1, NULL, 0, A(192, 0, 2, 17));
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 17));
	/* A hint outside the pools is ignored: next free address instead. */
	r.hint = A(192, 0, 2, 50);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 10));
}

static void test_match_client_id(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;
	uint32_t a;

	/* Subnet 1 (match-client-id true): same MAC, other client-id = other client. */
	alloc_req_t r = req_for(e, 1, MAC1, CID1, sizeof(CID1), 0);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	a = res.lease.addr;
	r = req_for(e, 1, MAC1, CID2, sizeof(CID2), 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_not_equal(res.lease.addr, a);
	/* Same client-id, other MAC: same client. */
	r = req_for(e, 1, MAC2, CID1, sizeof(CID1), 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, a);

	/* Subnet 2 (match-client-id false): the MAC decides. */
	r = req_for(e, 2, MAC1, CID1, sizeof(CID1), 0);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	a = res.lease.addr;
	r = req_for(e, 2, MAC1, CID2, sizeof(CID2), 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, a);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(res.lease.addr, a);
}

static void test_request_moves_client(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;
	lease4_t l;

	alloc_req_t r = req_for(e, 1, MAC1, NULL, 0, A(192, 0, 2, 11));
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 11));
	/* The client asks for another free address: it gets it, the old
	 * lease goes (Kea removes the client's previous lease). */
	r.hint = A(192, 0, 2, 14);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 14));
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 11), &l), -ENOENT);
}

static void test_expired_lease_reused(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;
	lease4_t l;

	alloc_req_t r = req_for(e, 1, MAC1, NULL, 0, A(192, 0, 2, 12));
	assert_int_equal(alloc_request(&r, false, &res), 0);
	/* Still valid: another client is refused. */
	alloc_req_t r2 = req_for(e, 1, MAC2, NULL, 0, A(192, 0, 2, 12));
	assert_int_equal(alloc_request(&r2, false, &res), 0);
	assert_int_equal(res.status, ALLOC_NAK);
	/* Expired: the other client takes it over (CAS on the old value). */
	r2.now += 3601;
	assert_int_equal(alloc_request(&r2, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 12), &l), 0);
	assert_memory_equal(l.hwaddr, MAC2, 6);
	assert_int_equal(l.cltt, r2.now);
}

static void test_release_and_decline_states(void **state)
{
	eng_env_t *e = *state;
	alloc_result_t res;
	lease4_t l;

	alloc_req_t r = req_for(e, 1, MAC1, NULL, 0, A(192, 0, 2, 13));
	alloc_req_t r2 = req_for(e, 1, MAC2, NULL, 0, A(192, 0, 2, 13));
	assert_int_equal(alloc_request(&r, false, &res), 0);
	alloc_done_t done;
	assert_int_equal(alloc_release(&r2, A(192, 0, 2, 13), &done, &l), 0);
	assert_int_equal(done, ALLOC_WRONG_CLIENT);
	assert_int_equal(alloc_release(&r, A(192, 0, 2, 99), &done, &l), 0);
	assert_int_equal(done, ALLOC_NOT_FOUND);
	assert_int_equal(alloc_release(&r, A(192, 0, 2, 13), &done, &l), 0);
	assert_int_equal(done, ALLOC_DONE);
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 13), &l), 0);
	assert_int_equal(l.valid_lft, 0);
	assert_true(lease4_is_expired(&l, r.now));
	/* Released address: free for anyone at once. */
	assert_int_equal(alloc_request(&r2, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 13));

	/* Decline, then the probation period ends: reusable. */
	assert_int_equal(alloc_decline(&r, A(192, 0, 2, 13), &done, &l), 0);
	assert_int_equal(done, ALLOC_WRONG_CLIENT);
	assert_int_equal(alloc_decline(&r2, A(192, 0, 2, 13), &done, &l), 0);
	assert_int_equal(done, ALLOC_DONE);
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 13), &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DECLINED);
	r.hint = A(192, 0, 2, 13);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.status, ALLOC_NAK);
	r.now += 86401;
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(lease_get_by_addr(e->conn, A(192, 0, 2, 13), &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DEFAULT);
}

static void test_valid_lft(void **state)
{
	eng_env_t *e = *state;
	const cfg_subnet4_t *s = cfg_subnet_by_id(e->cfg, 1);

	assert_int_equal(alloc_valid_lft(e->cfg, s, NULL, false, 0), 3600);
	/* No min/max configured: bounds are the default itself. */
	assert_int_equal(alloc_valid_lft(e->cfg, s, NULL, true, 60), 3600);
}

static void test_allocator_workers(void **state)
{
	eng_env_t *e = *state;
	const cfg_subnet4_t *s = cfg_subnet_by_id(e->cfg, 2);
	allocator_t *w0 = NULL, *w1 = NULL;

	assert_int_equal(allocator_new(0, 2, &w0), 0);
	assert_int_equal(allocator_new(1, 2, &w1), 0);
	assert_int_equal(allocator_bind(w0, e->cfg), 0);
	assert_int_equal(allocator_bind(w1, e->cfg), 0);
	/* Worker 0 starts at the pool start, worker 1 halfway. */
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 1));
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 2));
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 101));
	/* Wrap-around at the end of the pool. */
	for (int i = 0; i < 99; i++) {
		allocator_pick(w1, e->cfg, s, 0);
	}
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 1));
	/* Without state: always the first address. */
	assert_int_equal(allocator_pick(NULL, e->cfg, s, 0), A(10, 0, 1, 1));
	allocator_free(w0);
	allocator_free(w1);
}

/* A server's spread moves every worker's own starting place by the same
 * fraction of one worker's share of the pool. */
static void test_allocator_spread(void **state)
{
	eng_env_t *e = *state;
	const cfg_subnet4_t *s = cfg_subnet_by_id(e->cfg, 2); /* 10.0.1.1 - 10.0.1.200 */
	allocator_t *w0 = NULL, *w1 = NULL;

	assert_int_equal(allocator_new(0, 2, &w0), 0);
	assert_int_equal(allocator_new(1, 2, &w1), 0);
	allocator_spread(w0, 0x40000000u); /* (0 + 1/4) / 2 = 1/8 in: 200 / 8 = 25 on */
	allocator_spread(w1, 0xc0000000u); /* (1 + 3/4) / 2 = 7/8 in: 175 on */
	assert_int_equal(allocator_bind(w0, e->cfg), 0);
	assert_int_equal(allocator_bind(w1, e->cfg), 0);
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 26));
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 27));
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 176));
	/* the largest spread stays inside the pool: just under (1 + 1) / 2 */
	allocator_free(w1);
	assert_int_equal(allocator_new(1, 2, &w1), 0);
	allocator_spread(w1, 0xffffffffu);
	assert_int_equal(allocator_bind(w1, e->cfg), 0);
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 200));
	allocator_free(w0);
	allocator_free(w1);
}

/* Shared cursors: pickers of several workers take consecutive addresses from
 * one cursor per pool (Kea's order), and follow a new config. */
static void test_allocator_shared(void **state)
{
	eng_env_t *e = *state;
	const cfg_subnet4_t *s = cfg_subnet_by_id(e->cfg, 2);
	allocator_shared_t *sh = NULL;
	allocator_t *w0 = NULL, *w1 = NULL;

	assert_int_equal(allocator_shared_new(&sh), 0);
	assert_int_equal(allocator_new(0, 2, &w0), 0);
	assert_int_equal(allocator_new(1, 2, &w1), 0);
	allocator_share(w0, sh);
	allocator_share(w1, sh);
	assert_int_equal(allocator_bind(w0, e->cfg), 0);
	assert_int_equal(allocator_bind(w1, e->cfg), 0);
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 1));
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 2));
	assert_int_equal(allocator_pick(w1, e->cfg, s, 0), A(10, 0, 1, 3));
	/* wrap-around at the end of the pool, on the shared cursor */
	for (int i = 0; i < 197; i++) {
		allocator_pick(i % 2 ? w0 : w1, e->cfg, s, 0);
	}
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 1));

	/* a new config: the first picker to bind it gets fresh cursors, the
	 * other keeps the old set until it binds too */
	eng_env_t *e2 = eng_env_new(CFG);
	const cfg_subnet4_t *s2 = cfg_subnet_by_id(e2->cfg, 2);

	assert_int_equal(allocator_bind(w1, e2->cfg), 0);
	assert_int_equal(allocator_pick(w1, e2->cfg, s2, 0), A(10, 0, 1, 1));
	assert_int_equal(allocator_pick(w0, e->cfg, s, 0), A(10, 0, 1, 2));
	assert_int_equal(allocator_bind(w0, e2->cfg), 0);
	assert_int_equal(allocator_pick(w0, e2->cfg, s2, 0), A(10, 0, 1, 2));
	allocator_free(w0);
	allocator_free(w1);
	allocator_shared_free(sh);
	eng_env_free(e2);
}

static void test_random_walk(void **state)
{
	cfg_pool_t p = {.first = A(10, 0, 0, 1), .last = A(10, 0, 0, 100)};
	uint8_t seen[100];
	uint32_t rs = 12345;
	allocator_walk_t w;

	(void)state;
	for (int round = 0; round < 5; round++) {
		memset(seen, 0, sizeof(seen));
		allocator_walk_init(&w, &p, &rs);
		for (int i = 0; i < 100; i++) {
			uint32_t a = allocator_walk_next(&w);

			assert_true(a >= p.first && a <= p.last);
			assert_int_equal(seen[a - p.first], 0);
			seen[a - p.first] = 1;
		}
	}
	/* One-address pool. */
	p.last = p.first;
	allocator_walk_init(&w, &p, &rs);
	assert_int_equal(allocator_walk_next(&w), p.first);
}

static void test_random_subnet(void **state)
{
	static const char *cfg = "{\"Dhcp4\": {"
	                         " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	                         " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	                         " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\", "
	                         "\"allocator\": \"random\","
	                         "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.29\"}]}]"
	                         "}}";
	eng_env_t *e = eng_env_new(cfg);
	uint8_t mac[6] = {2, 0, 0, 0, 7, 0};
	uint32_t prev = 0;
	int in_order = 0;

	(void)state;
	for (int i = 0; i < 20; i++) {
		mac[5] = (uint8_t)i;
		uint32_t a = eng_dora(e, mac);

		assert_true(a >= A(192, 0, 2, 10) && a <= A(192, 0, 2, 29));
		in_order += a == prev + 1;
		prev = a;
	}
	assert_true(in_order < 19); /* not the iterative order */
	mac[5] = 99;
	assert_int_equal(eng_dora(e, mac), 0); /* all 20 taken, no duplicates */
	eng_env_free(e);
}

/* ---- reservations-out-of-pool and the shared network's preferred subnet ---- */

static const char *CFG_NET =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"reservations-out-of-pool\": true,"
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.12\"}],"
        "   \"reservations\": ["
        "    {\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"192.0.2.10\","
        "     \"hostname\": \"in-pool\"},"
        "    {\"hw-address\": \"02:00:00:00:00:02\", \"ip-address\": \"192.0.2.200\"}]}],"
        " \"shared-networks\": [{\"name\": \"n\", \"subnet4\": ["
        "  {\"id\": 21, \"subnet\": \"10.1.0.0/24\", \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.20\"}]},"
        "  {\"id\": 22, \"subnet\": \"10.2.0.0/24\", \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}]},"
        "  {\"id\": 23, \"subnet\": \"10.3.0.0/24\", \"pools\": [{\"pool\": \"10.3.0.10 - 10.3.0.20\"}]}"
        " ]}]"
        "}}";

static void test_reservations_out_of_pool(void **state)
{
	eng_env_t *e = eng_env_new(CFG_NET);
	static const uint8_t mac3[6] = {2, 0, 0, 0, 0, 3};
	alloc_result_t res;

	(void)state;
	/* Kea 2.2 hasAddressReservation(): the in-pool reservation is not used,
	 * the client gets the next dynamic address (not its reserved .10 first
	 * because it is reserved, but because the pool starts there)... */
	alloc_req_t r = req_for(e, 1, mac3, NULL, 0, 0);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	/* ...addressReserved(): the reserved in-pool address goes to others. */
	assert_int_equal(res.lease.addr, A(192, 0, 2, 10));
	r = req_for(e, 1, MAC1, NULL, 0, 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.status, ALLOC_OK);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 11));
	assert_null(res.host);
	assert_int_equal(res.conflict_addr, 0);
	/* An out-of-pool reservation is still honoured. */
	r = req_for(e, 1, MAC2, NULL, 0, 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, A(192, 0, 2, 200));
	assert_non_null(res.host);
	eng_env_free(e);
}

static void test_preferred_subnet(void **state)
{
	eng_env_t *e = eng_env_new(CFG_NET);
	static const uint8_t mac3[6] = {2, 0, 0, 0, 0, 3}, mac4[6] = {2, 0, 0, 0, 0, 4};
	alloc_result_t res;

	(void)state;
	/* Nothing allocated yet: the selected subnet first. */
	alloc_req_t r = req_for(e, 22, mac3, NULL, 0, 0);
	assert_int_equal(alloc_request(&r, false, &res), 0);
	assert_int_equal(res.lease.addr, A(10, 2, 0, 10));
	assert_int_equal(allocator_subnet_last(e->alloc, e->cfg, res.subnet) > 0, 1);
	/* Kea getPreferredSubnet(): giaddr selects 23 (or 21), but 22 allocated
	 * more recently, so the walk starts there. */
	r = req_for(e, 23, mac4, NULL, 0, 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, A(10, 2, 0, 11));
	/* The offer moved the cursor (Kea's iterative allocator does too). */
	r = req_for(e, 21, mac4, NULL, 0, 0);
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, A(10, 2, 0, 12));
	/* Without picker state there is no history: the selected subnet. */
	r = req_for(e, 23, mac4, NULL, 0, 0);
	r.allocator = NULL;
	assert_int_equal(alloc_discover(&r, &res), 0);
	assert_int_equal(res.lease.addr, A(10, 3, 0, 10));
	eng_env_free(e);
}

/* ---- two workers, one store ---- */

typedef struct worker_arg {
	eng_env_t *e;
	unsigned idx;
	lease_conn_t *conn;
	allocator_t *alloc;
	uint32_t got[400];
	int n;
	int fail;
} worker_arg_t;

static void *worker_main(void *p)
{
	worker_arg_t *w = p;
	static const class_set_t none;

	for (int i = 0; i < 400; i++) {
		uint8_t mac[6] = {2, 1, (uint8_t)w->idx, 0, (uint8_t)(i >> 8), (uint8_t)i};
		alloc_req_t r = {
		        .cfg = w->e->cfg,
		        .conn = w->conn,
		        .allocator = w->alloc,
		        .now = ENG_NOW,
		        .subnet = cfg_subnet_by_id(w->e->cfg, 3),
		        .classes = &none,
		};
		alloc_result_t res;

		r.client.hwaddr = mac;
		r.client.hwaddr_len = 6;
		r.client.htype = 1;
		if (alloc_discover(&r, &res) < 0 || res.status != ALLOC_OK) {
			w->fail++;
			continue;
		}
		r.hint = res.lease.addr;
		if (alloc_request(&r, false, &res) < 0) {
			w->fail++;
			continue;
		}
		if (res.status != ALLOC_OK) {
			/* Lost the race for the offered address: take any. */
			r.hint = 0;
			if (alloc_request(&r, false, &res) < 0 || res.status != ALLOC_OK) {
				w->fail++;
				continue;
			}
		}
		w->got[w->n++] = res.lease.addr;
	}
	return NULL;
}

static void test_concurrent_workers(void **state)
{
	eng_env_t *e = *state;
	worker_arg_t w[2];
	pthread_t t[2];
	lease4_t l;

	memset(w, 0, sizeof(w));
	for (unsigned i = 0; i < 2; i++) {
		w[i].e = e;
		w[i].idx = i;
		assert_int_equal(lease_conn_open(e->store, &w[i].conn), 0);
		/* Same start for both: the worst case for collisions. */
		assert_int_equal(allocator_new(0, 1, &w[i].alloc), 0);
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].fail, 0);
		assert_int_equal(w[i].n, 400);
	}
	/* Every address leased once, to the worker that got it. */
	for (unsigned i = 0; i < 2; i++) {
		for (int k = 0; k < w[i].n; k++) {
			assert_int_equal(lease_get_by_addr(e->conn, w[i].got[k], &l), 0);
			assert_int_equal(l.hwaddr[2], i);
			for (int m = 0; m < w[1 - i].n; m++) {
				assert_int_not_equal(w[i].got[k], w[1 - i].got[m]);
			}
		}
		allocator_free(w[i].alloc);
		lease_conn_close(w[i].conn);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_belongs_to),
	        cmocka_unit_test_setup_teardown(test_iterative_order_and_pools, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hint, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_match_client_id, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_request_moves_client, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_expired_lease_reused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_release_and_decline_states, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_valid_lft, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_allocator_workers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_allocator_spread, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_allocator_shared, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent_workers, setup, teardown),
	        cmocka_unit_test(test_random_walk),
	        cmocka_unit_test(test_random_subnet),
	        cmocka_unit_test(test_reservations_out_of_pool),
	        cmocka_unit_test(test_preferred_subnet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

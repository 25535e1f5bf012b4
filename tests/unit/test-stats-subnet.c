/* Per-subnet counters counted where they happen: dhcp4_process() (assignments,
 * reservation conflicts) and lease_reclaim_each() (reclaimed leases), summed
 * from the stats shards as the ctl's subnet_counter callback does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "lease/reclaim.h"
#include "lease/store.h"
#include "util/macro.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const char *CFG =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"valid-lifetime\": 3600,"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.40\"}],"
        "   \"reservations\": [{\"hw-address\": \"02:00:00:00:00:99\","
        "                      \"ip-address\": \"192.0.2.40\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\","
        "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.3\"}]}"
        " ]"
        "}}";

/* The same subnet 1 after a reload that adds subnet 3 in front of it. */
static const char *CFG_RELOADED =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"valid-lifetime\": 3600,"
        " \"subnet4\": ["
        "  {\"id\": 3, \"subnet\": \"198.51.100.0/24\","
        "   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}]},"
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.40\"}]}"
        " ]"
        "}}";

static void mac_n(uint8_t mac[6], unsigned n)
{
	const uint8_t m[6] = {0x02, 0, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};

	memcpy(mac, m, 6);
}

static uint64_t sub(const eng_env_t *e, uint32_t id, stat_subnet_id_t k)
{
	return stats_subnet_sum(&e->stats, id, k);
}

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

/* N DORAs: subnet[1].cumulative-assigned-addresses and the global counter go
 * 0 -> N; a DISCOVER alone and a renewal of a live lease count nothing. */
static void test_dora_counts(void **state)
{
	eng_env_t *e = *state;
	uint8_t mac[6];
	const unsigned n = 7;

	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 0);
	for (unsigned i = 1; i <= n; i++) {
		mac_n(mac, i);
		assert_int_not_equal(eng_dora(e, mac), 0);
		assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), i);
	}
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), n);
	assert_int_equal(sub(e, 2, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 0);
	assert_int_equal(sub(e, 1, STAT_SUBNET_RECLAIMED_LEASES), 0);

	/* DISCOVER only: an offer is no assignment */
	eng_pkt_t p;
	mac_n(mac, 100);
	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), n);

	/* RENEWING (RFC 2131 §4.3.2: ciaddr, no option 50/54, unicast): Kea's
	 * renewLease4 counts only the renewal of an expired lease */
	mac_n(mac, 1);
	lease4_t l;
	assert_int_equal(lease_get_by_hwaddr(e->conn, 1, mac, 6, &l), 0);
	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_set_ciaddr(&p, l.addr);
	eng_pkt_unicast(&p, l.addr);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), n);
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), n);

	/* The same client after its lease expired: a new assignment. */
	e->ctx.now += 2 * 3600;
	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_set_ciaddr(&p, l.addr);
	eng_pkt_unicast(&p, l.addr);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPACK);
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), n + 1);
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), n + 1);
}

/* Relayed clients land in subnet 2 and are counted there. */
static void test_per_subnet(void **state)
{
	eng_env_t *e = *state;
	uint8_t mac[6];
	eng_pkt_t p;

	mac_n(mac, 1);
	assert_int_not_equal(eng_dora(e, mac), 0);
	for (unsigned i = 2; i <= 3; i++) {
		uint32_t yiaddr, sid;

		mac_n(mac, i);
		eng_pkt_init(&p, DHCPDISCOVER, mac);
		eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
		eng_pkt_end(&p);
		assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
		yiaddr = e->reply.yiaddr;
		sid = eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER);
		eng_pkt_init(&p, DHCPREQUEST, mac);
		eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
		eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, yiaddr);
		eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
		eng_pkt_end(&p);
		assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
		assert_int_equal(eng_reply_type(e), DHCPACK);
		assert_true(e->reply.yiaddr >= A(10, 0, 1, 1) && e->reply.yiaddr <= A(10, 0, 1, 3));
	}
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 2);
	assert_int_equal(eng_stat(e, STAT_CUMULATIVE_ASSIGNED_ADDRESSES), 3);
}

/* A reload keeps the counts of subnets that still exist (keyed by id, not by
 * position in the configuration). */
static void test_reload_keeps_counts(void **state)
{
	eng_env_t *e = *state;
	uint8_t mac[6];
	cfg_t *ncfg = NULL;
	cfg_err_t err = {0};

	for (unsigned i = 1; i <= 3; i++) {
		mac_n(mac, i);
		assert_int_not_equal(eng_dora(e, mac), 0);
	}
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 3);
	assert_int_equal(cfg_load_text(CFG_RELOADED, strlen(CFG_RELOADED), &ncfg, &err), 0);
	cfg_free(e->cfg);
	e->cfg = ncfg;
	e->ctx.cfg = ncfg;
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 3);
	for (unsigned i = 4; i <= 5; i++) {
		mac_n(mac, i);
		assert_int_not_equal(eng_dora(e, mac), 0);
	}
	assert_int_equal(sub(e, 1, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 5);
	assert_int_equal(sub(e, 3, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 0);
}

/* The reserved address is leased to another client: the DISCOVER of the
 * reservation's owner counts v4-reservation-conflicts (Kea's
 * ALLOC_ENGINE_V4_DISCOVER_ADDRESS_CONFLICT); it is offered another address. */
static void test_reservation_conflict(void **state)
{
	eng_env_t *e = *state;
	const uint8_t owner[6] = {0x02, 0, 0, 0, 0, 0x99};
	lease4_t l = {
	        .addr = A(192, 0, 2, 40),
	        .subnet_id = 1,
	        .hwaddr = {0x02, 0, 0, 0, 0, 0x55},
	        .hwaddr_len = 6,
	        .htype = 1,
	        .valid_lft = 3600,
	        .cltt = ENG_NOW - 10,
	        .state = LEASE_STATE_DEFAULT,
	};
	eng_pkt_t p;

	assert_int_equal(lease_add(e->conn, &l), 0);
	eng_pkt_init(&p, DHCPDISCOVER, owner);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
	assert_int_not_equal(e->reply.yiaddr, A(192, 0, 2, 40));
	assert_int_equal(sub(e, 1, STAT_SUBNET_V4_RESERVATION_CONFLICTS), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_V4_RESERVATION_CONFLICTS), 0);
	assert_int_equal(eng_stat(e, STAT_V4_RESERVATION_CONFLICTS), 1);

	/* once that lease is gone, the owner gets its address: no conflict */
	assert_int_equal(lease_del(e->conn, &l), 0);
	assert_int_equal(eng_dora(e, owner), A(192, 0, 2, 40));
	assert_int_equal(sub(e, 1, STAT_SUBNET_V4_RESERVATION_CONFLICTS), 1);
	assert_int_equal(eng_stat(e, STAT_V4_RESERVATION_CONFLICTS), 1);
}

/* Subnet 2's pool (3 addresses) runs out: the fourth client's DISCOVER counts
 * v4-allocation-fail and v4-allocation-fail-subnet, globally and for subnet 2
 * (Kea 2.2, ChangeLog 1993); subnet 1 stays at 0. */
static void test_allocation_fail(void **state)
{
	eng_env_t *e = *state;
	uint8_t mac[6];
	eng_pkt_t p;

	for (unsigned i = 1; i <= 4; i++) {
		uint32_t yiaddr, sid;

		mac_n(mac, i);
		eng_pkt_init(&p, DHCPDISCOVER, mac);
		eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
		eng_pkt_end(&p);
		if (i == 4) {
			assert_int_equal(eng_send(e, &p), VERDICT_DROP);
			break;
		}
		assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
		yiaddr = e->reply.yiaddr;
		sid = eng_reply_u32(e, DHO_DHCP_SERVER_IDENTIFIER);
		eng_pkt_init(&p, DHCPREQUEST, mac);
		eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
		eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, yiaddr);
		eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
		eng_pkt_end(&p);
		assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
		assert_int_equal(eng_reply_type(e), DHCPACK);
	}
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL), 1);
	assert_int_equal(eng_stat(e, STAT_V4_ALLOCATION_FAIL_SUBNET), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_V4_ALLOCATION_FAIL), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_V4_ALLOCATION_FAIL_SUBNET), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_V4_ALLOCATION_FAIL_NO_POOLS), 0);
	assert_int_equal(sub(e, 2, STAT_SUBNET_V4_ALLOCATION_FAIL_SHARED_NETWORK), 0);
	assert_int_equal(sub(e, 1, STAT_SUBNET_V4_ALLOCATION_FAIL), 0);
	assert_int_equal(sub(e, 2, STAT_SUBNET_CUMULATIVE_ASSIGNED_ADDRESSES), 3);
}

static void count_reclaimed(void *ud, const lease4_t *l)
{
	stats_shard_t *sh = ud;

	stats_subnet_inc(sh, l->subnet_id, STAT_SUBNET_RECLAIMED_LEASES);
	if (l->state == LEASE_STATE_DECLINED) {
		stats_subnet_inc(sh, l->subnet_id, STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES);
	}
}

/* lease_reclaim_each() reports every reclaimed lease with its subnet and
 * state, so the daemon can count per subnet (as the server's callback does). */
static void test_reclaim_per_subnet(void **state)
{
	eng_env_t *e = *state;
	const uint32_t addrs[] = {A(192, 0, 2, 11), A(192, 0, 2, 12), A(192, 0, 2, 13),
	                          A(10, 0, 1, 1), A(10, 0, 1, 2)};
	const uint32_t subnets[] = {1, 1, 1, 2, 2};
	const lease_state_t states[] = {LEASE_STATE_DEFAULT, LEASE_STATE_DECLINED,
	                                LEASE_STATE_DEFAULT, LEASE_STATE_DECLINED,
	                                LEASE_STATE_DEFAULT};
	cfg_expired_t exp = e->cfg->expired;
	uint64_t n = 0, nd = 0;

	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		lease4_t l = {
		        .addr = addrs[i],
		        .subnet_id = subnets[i],
		        .hwaddr = {0x02, 0, 0, 0, 1, (uint8_t)i},
		        .hwaddr_len = 6,
		        .htype = 1,
		        .valid_lft = 100,
		        .cltt = ENG_NOW - 1000,
		        .state = states[i],
		};
		assert_int_equal(lease_add(e->conn, &l), 0);
	}
	/* one live lease that must not be reclaimed */
	uint8_t mac[6];
	mac_n(mac, 1);
	assert_int_not_equal(eng_dora(e, mac), 0);

	exp.max_reclaim_leases = 0;
	exp.max_reclaim_time = 0;
	assert_int_equal(lease_reclaim_each(e->conn, &exp, ENG_NOW, count_reclaimed,
	                                    &e->stats.shards[0], &n, &nd),
	                 0);
	assert_int_equal(n, 5);
	assert_int_equal(nd, 2);
	assert_int_equal(sub(e, 1, STAT_SUBNET_RECLAIMED_LEASES), 3);
	assert_int_equal(sub(e, 1, STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES), 1);
	assert_int_equal(sub(e, 2, STAT_SUBNET_RECLAIMED_LEASES), 2);
	assert_int_equal(sub(e, 2, STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES), 1);

	/* the plain wrapper still works and finds nothing more */
	assert_int_equal(lease_reclaim(e->conn, &exp, ENG_NOW, &n, &nd), 0);
	assert_int_equal(n, 0);
	assert_int_equal(nd, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dora_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_subnet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_per_subnet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocation_fail, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

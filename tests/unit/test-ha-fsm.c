/* ha-fsm: Kea's HA transitions, scopes and failure detection (kea-ha-protocol.md §3-4). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ha/ha-fsm.h"

#define UNAV HA_PARTNER_UNAVAILABLE

static cfg_ha_state_t next(cfg_ha_mode_t mode, cfg_ha_role_t role, cfg_ha_state_t st, int partner,
                           bool due)
{
	ha_fsm_in_t in = { .mode = mode, .role = role, .state = st, .partner = partner,
	                   .sync_leases = true, .interrupted = due, .partner_down_due = due };
	return ha_fsm_next(&in);
}

#define HS CFG_HA_HOT_STANDBY
#define LB CFG_HA_LOAD_BALANCING

/* the hot-standby start-up of a pair, both in waiting */
static void test_startup(void **state)
{
	(void)state;
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_WAITING, CFG_HA_ST_WAITING, false), CFG_HA_ST_SYNCING);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_WAITING, CFG_HA_ST_WAITING, false), CFG_HA_ST_WAITING);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_WAITING, CFG_HA_ST_SYNCING, false), CFG_HA_ST_WAITING);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_WAITING, CFG_HA_ST_READY, false), CFG_HA_ST_SYNCING);
	ha_fsm_in_t in = { .mode = HS, .role = CFG_HA_PRIMARY, .state = CFG_HA_ST_SYNCING,
	                   .partner = CFG_HA_ST_WAITING, .sync_done = true };
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_READY);
	in.sync_done = false;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_SYNCING);
	/* sync-leases false skips syncing */
	in = (ha_fsm_in_t){ .mode = HS, .role = CFG_HA_PRIMARY, .state = CFG_HA_ST_WAITING,
	                    .partner = CFG_HA_ST_WAITING };
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_READY);
	/* ready: the primary goes first, the standby follows */
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_READY, CFG_HA_ST_READY, false), CFG_HA_ST_HOT_STANDBY);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_READY, CFG_HA_ST_READY, false), CFG_HA_ST_READY);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_READY, CFG_HA_ST_HOT_STANDBY, false), CFG_HA_ST_HOT_STANDBY);
	assert_int_equal(next(LB, CFG_HA_SECONDARY, CFG_HA_ST_READY, CFG_HA_ST_LOAD_BALANCING, false), CFG_HA_ST_LOAD_BALANCING);
	/* roles that never pair */
	assert_int_equal(next(HS, CFG_HA_BACKUP, CFG_HA_ST_WAITING, UNAV, false), CFG_HA_ST_BACKUP);
	assert_int_equal(next(CFG_HA_PASSIVE_BACKUP, CFG_HA_PRIMARY, CFG_HA_ST_WAITING, UNAV, false), CFG_HA_ST_PASSIVE_BACKUP);
}

/* failover and failback */
static void test_failover(void **state)
{
	(void)state;
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_HOT_STANDBY, UNAV, false), CFG_HA_ST_HOT_STANDBY);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_HOT_STANDBY, UNAV, true), CFG_HA_ST_PARTNER_DOWN);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_WAITING, UNAV, true), CFG_HA_ST_PARTNER_DOWN);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_SYNCING, UNAV, true), CFG_HA_ST_PARTNER_DOWN);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_READY, UNAV, true), CFG_HA_ST_PARTNER_DOWN);
	/* the primary comes back: it syncs from the partner-down standby */
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_WAITING, CFG_HA_ST_PARTNER_DOWN, false), CFG_HA_ST_SYNCING);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_PARTNER_DOWN, CFG_HA_ST_SYNCING, false), CFG_HA_ST_PARTNER_DOWN);
	ha_fsm_in_t in = { .mode = HS, .role = CFG_HA_STANDBY, .state = CFG_HA_ST_PARTNER_DOWN,
	                   .partner = CFG_HA_ST_READY };
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_HOT_STANDBY);
	in.partner_unsent_changed = true;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_WAITING);
	/* a normal server whose partner took over resyncs */
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_HOT_STANDBY, CFG_HA_ST_PARTNER_DOWN, false), CFG_HA_ST_WAITING);
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_PARTNER_DOWN, CFG_HA_ST_PARTNER_DOWN, false), CFG_HA_ST_WAITING);
	/* load-balancing with delayed updates rides out a short interruption */
	in = (ha_fsm_in_t){ .mode = LB, .role = CFG_HA_PRIMARY, .state = CFG_HA_ST_LOAD_BALANCING,
	                    .partner = UNAV, .delayed_updates = true };
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_COMMUNICATION_RECOVERY);
	in.state = CFG_HA_ST_COMMUNICATION_RECOVERY;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_COMMUNICATION_RECOVERY);
	/* the partner is back: load-balancing once the delayed updates went */
	in.partner = CFG_HA_ST_LOAD_BALANCING;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_COMMUNICATION_RECOVERY);
	in.partner = CFG_HA_ST_COMMUNICATION_RECOVERY;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_COMMUNICATION_RECOVERY);
	in.recovery = HA_RECOVERY_DONE;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_LOAD_BALANCING);
	/* too many to replay: ha-reset went to the partner, both resync */
	in.recovery = HA_RECOVERY_RESET;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_WAITING);
	/* it took over meanwhile */
	in.recovery = HA_RECOVERY_PENDING;
	in.partner = CFG_HA_ST_PARTNER_DOWN;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_WAITING);
	/* it stays away: partner-down when due */
	in.partner = UNAV;
	in.partner_down_due = true;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_PARTNER_DOWN);
}

static void test_maintenance_terminate_inconsistent(void **state)
{
	(void)state;
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_HOT_STANDBY, CFG_HA_ST_IN_MAINTENANCE, false), CFG_HA_ST_PARTNER_IN_MAINTENANCE);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_HOT_STANDBY, CFG_HA_ST_PARTNER_IN_MAINTENANCE, false), CFG_HA_ST_IN_MAINTENANCE);
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_PARTNER_IN_MAINTENANCE, UNAV, true), CFG_HA_ST_PARTNER_DOWN);
	assert_int_equal(next(HS, CFG_HA_STANDBY, CFG_HA_ST_IN_MAINTENANCE, UNAV, true), CFG_HA_ST_IN_MAINTENANCE);
	ha_fsm_in_t in = { .mode = HS, .role = CFG_HA_STANDBY, .state = CFG_HA_ST_HOT_STANDBY,
	                   .partner = CFG_HA_ST_HOT_STANDBY, .terminate = true };
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_TERMINATED);
	in.terminate = false;
	in.state = CFG_HA_ST_TERMINATED;
	assert_int_equal(ha_fsm_next(&in), CFG_HA_ST_TERMINATED);
	assert_int_equal(next(HS, CFG_HA_PRIMARY, CFG_HA_ST_HOT_STANDBY, CFG_HA_ST_LOAD_BALANCING, false), CFG_HA_ST_WAITING);
	assert_int_equal(next(LB, CFG_HA_PRIMARY, CFG_HA_ST_LOAD_BALANCING, CFG_HA_ST_HOT_STANDBY, false), CFG_HA_ST_WAITING);
}

static void test_detection(void **state)
{
	(void)state;
	/* the deployment: max-unacked-clients 0, the standby takes over on interruption alone */
	assert_true(ha_fsm_failure_detected(0, 0));
	assert_false(ha_fsm_failure_detected(10, 10));
	assert_true(ha_fsm_failure_detected(10, 11));
	assert_false(ha_fsm_should_partner_down(false, true, HS, CFG_HA_STANDBY, true));
	assert_true(ha_fsm_should_partner_down(true, true, HS, CFG_HA_PRIMARY, false));
	assert_false(ha_fsm_should_partner_down(true, true, HS, CFG_HA_STANDBY, false));
	assert_true(ha_fsm_should_partner_down(true, true, HS, CFG_HA_STANDBY, true));
	assert_true(ha_fsm_should_partner_down(true, false, LB, CFG_HA_SECONDARY, false));
	assert_false(ha_fsm_should_partner_down(true, true, LB, CFG_HA_SECONDARY, false));
	/* secs: Windows' little-endian 0x0300 is 3 s; > max-ack-delay (10 s default) */
	assert_int_equal(ha_fsm_secs(0x0300), 3);
	assert_int_equal(ha_fsm_secs(0x0301), 0x0301);
	assert_int_equal(ha_fsm_secs(200), 200);
	assert_false(ha_fsm_unacked(10, 10000));
	assert_true(ha_fsm_unacked(11, 10000));
	assert_false(ha_fsm_unacked(0, 10000));         /* secs 0 never counts (issue 7, item 7) */
}

static void test_scopes(void **state)
{
	(void)state;
	bool s[2];

	ha_fsm_scopes(HS, CFG_HA_PRIMARY, true, CFG_HA_ST_HOT_STANDBY, s);
	assert_true(s[0] && !s[1]);
	ha_fsm_scopes(HS, CFG_HA_STANDBY, true, CFG_HA_ST_HOT_STANDBY, s);
	assert_true(!s[0] && !s[1]);
	ha_fsm_scopes(HS, CFG_HA_STANDBY, true, CFG_HA_ST_PARTNER_DOWN, s);
	assert_true(s[0] && !s[1]);
	ha_fsm_scopes(HS, CFG_HA_STANDBY, false, CFG_HA_ST_PARTNER_DOWN, s);
	assert_true(!s[0] && !s[1]);
	ha_fsm_scopes(LB, CFG_HA_SECONDARY, true, CFG_HA_ST_LOAD_BALANCING, s);
	assert_true(!s[0] && s[1]);
	ha_fsm_scopes(LB, CFG_HA_SECONDARY, true, CFG_HA_ST_PARTNER_DOWN, s);
	assert_true(s[0] && s[1]);
	ha_fsm_scopes(LB, CFG_HA_PRIMARY, true, CFG_HA_ST_WAITING, s);
	assert_true(!s[0] && !s[1]);
	ha_fsm_scopes(LB, CFG_HA_PRIMARY, true, CFG_HA_ST_TERMINATED, s);
	assert_true(s[0] && !s[1]);
	assert_false(ha_fsm_dhcp_enabled(CFG_HA_ST_SYNCING));
	assert_true(ha_fsm_dhcp_enabled(CFG_HA_ST_HOT_STANDBY));
	assert_true(ha_fsm_dhcp_enabled(CFG_HA_ST_TERMINATED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_startup),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_maintenance_terminate_inconsistent),
		cmocka_unit_test(test_detection),
		cmocka_unit_test(test_scopes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

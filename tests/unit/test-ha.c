/* ha: the HA service's commands, status-get block, published filter and
 * parking limit, with a real HA thread whose partner never answers (a
 * loopback port nobody listens on: connection refused at once). Texts are
 * Kea 2.2's (ha_impl.cc / ha_service.cc). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg/cfg-current.h"
#include "ha/ha-int.h"
#include "ha/ha-lb.h"
#include "ha/ha.h"

static const char test_cfg[] =
        "{ \"Dhcp4\": {\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\" } ],\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": {\n"
        "      \"high-availability\": [ { \"this-server-name\": \"primary\", \"mode\": \"%s\",\n"
        "        \"max-response-delay\": %d,%s\n"
        "        \"peers\": [ { \"name\": \"primary\", \"url\": \"http://127.0.0.1:20891/\", \"role\": \"primary\" },\n"
        "                   { \"name\": \"%s\", \"url\": \"http://127.0.0.1:20892/\", \"role\": \"%s\" } ]\n"
        "      } ] } } ]\n"
        "} }\n";

/* @extra: more HA parameters (each followed by a comma) */
static void publish_ex(const char *mode, int max_response_delay, const char *extra)
{
	bool lb = strcmp(mode, "load-balancing") == 0;
	char text[sizeof(test_cfg) + 512];
	cfg_t *cfg = NULL;
	cfg_err_t err;

	snprintf(text, sizeof(text), test_cfg, mode, max_response_delay, extra,
	         lb ? "secondary" : "standby", lb ? "secondary" : "standby");
	assert_int_equal(cfg_load_text(text, strlen(text), &cfg, &err), 0);
	cfg_publish(cfg);
}

static void publish(const char *mode)
{
	publish_ex(mode, 60000, "");
}

static int setup(void **state)
{
	ha_t *ha = NULL;

	publish("hot-standby");
	assert_int_equal(ha_new(&ha), 0);
	assert_int_equal(ha_start(ha, NULL), 0);
	/* the first round activates the service */
	for (int i = 0; i < 200 && (ha_filter(ha) & HA_F_ON) == 0; i++) {
		usleep(10000);
	}
	assert_true(ha_filter(ha) & HA_F_ON);
	*state = ha;
	return 0;
}

static int teardown(void **state)
{
	ha_free(*state);
	cfg_publish(NULL);
	return 0;
}

/* run @cmd with @args (JSON text or NULL); check result and text; return the answer */
static json_t *run(ha_t *ha, const char *cmd, const char *args, int result, const char *text)
{
	json_t *a = args != NULL ? json_loads(args, 0, NULL) : NULL;
	json_t *ans = ha_command(ha, cmd, a);

	json_decref(a);
	assert_non_null(ans);
	assert_int_equal(json_integer_value(json_object_get(ans, "result")), result);
	if (text != NULL) {
		assert_string_equal(json_string_value(json_object_get(ans, "text")), text);
	}
	return ans;
}

static const char *hb_state(ha_t *ha)
{
	static char buf[64];
	json_t *ans = run(ha, "ha-heartbeat", NULL, 0, "HA peer status returned.");

	snprintf(buf, sizeof(buf), "%s",
	         json_string_value(json_object_get(json_object_get(ans, "arguments"), "state")));
	json_decref(ans);
	return buf;
}

static void test_heartbeat_waiting(void **state)
{
	ha_t *ha = *state;
	json_t *ans = run(ha, "ha-heartbeat", NULL, 0, "HA peer status returned.");
	json_t *a = json_object_get(ans, "arguments");

	/* Kea 2.2's answer while its partner is not reached (src/ha/README.md) */
	assert_string_equal(json_string_value(json_object_get(a, "state")), "waiting");
	assert_int_equal(json_array_size(json_object_get(a, "scopes")), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "unsent-update-count")), 0);
	time_t t;
	assert_int_equal(ha_msg_parse_rfc1123(json_string_value(json_object_get(a, "date-time")), &t), 0);
	json_decref(ans);
	/* waiting: nothing is served, nothing parked */
	assert_int_equal(ha_filter(ha), HA_F_ON);
}

static void test_status_block(void **state)
{
	json_t *st = ha_status(*state);
	json_t *want = json_loads(
	        "[{\"ha-mode\": \"hot-standby\", \"ha-servers\": {"
	        "\"local\": {\"role\": \"primary\", \"scopes\": [], \"state\": \"waiting\"},"
	        "\"remote\": {\"age\": 0, \"analyzed-packets\": 0, \"communication-interrupted\": false,"
	        " \"connecting-clients\": 0, \"in-touch\": false, \"last-scopes\": [], \"last-state\": \"\","
	        " \"role\": \"standby\", \"unacked-clients\": 0, \"unacked-clients-left\": 0}}}]",
	        0, NULL);

	assert_true(json_equal(st, want));
	json_decref(st);
	json_decref(want);
}

static void test_scopes(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-scopes", NULL, 1, "arguments not found in the 'ha-scopes' command"));
	json_decref(run(ha, "ha-scopes", "{}", 1, "'scopes' is mandatory for the 'ha-scopes' command"));
	json_decref(run(ha, "ha-scopes", "{\"scopes\": [\"nobody\"]}", 1,
	                "invalid server name specified 'nobody' while enabling/disabling HA scopes"));
	json_decref(run(ha, "ha-scopes", "{\"scopes\": [\"primary\"]}", 0, "New HA scopes configured."));
	assert_int_equal(ha_filter(ha), HA_F_ON | HA_F_SERVE0);
	json_t *ans = run(ha, "ha-heartbeat", NULL, 0, NULL);
	json_t *sc = json_object_get(json_object_get(ans, "arguments"), "scopes");
	assert_int_equal(json_array_size(sc), 1);
	assert_string_equal(json_string_value(json_array_get(sc, 0)), "primary");
	json_decref(ans);
	json_decref(run(ha, "ha-scopes", "{\"scopes\": []}", 0, "New HA scopes configured."));
	assert_int_equal(ha_filter(ha), HA_F_ON);
}

static void test_reset_continue(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-reset", NULL, 0, "HA state machine already in WAITING state."));
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine is not paused."));
	json_decref(run(ha, "ha-nothing", NULL, 2, NULL));
}

static void test_maintenance_notify(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-maintenance-notify", "{}", 1,
	                "'cancel' is mandatory for the 'ha-maintenance-notify' command"));
	json_decref(run(ha, "ha-maintenance-notify", "{\"cancel\": false}", 0, "Server is in-maintenance state."));
	assert_string_equal(hb_state(ha), "in-maintenance");
	/* in-maintenance is left only by a command, whatever the partner does */
	usleep(300000);
	assert_string_equal(hb_state(ha), "in-maintenance");
	json_decref(run(ha, "ha-maintenance-notify", "{\"cancel\": true}", 0, "Server maintenance canceled."));
	assert_string_equal(hb_state(ha), "waiting");
}

static void test_maintenance_start_partner_gone(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-maintenance-cancel", NULL, 1,
	                "Unable to cancel the maintenance for the server not in the partner-in-maintenance state."));
	/* the partner does not answer: Kea goes straight to partner-down */
	json_decref(run(ha, "ha-maintenance-start", NULL, 0,
	                "Server is now in the partner-down state as its partner appears to be offline for maintenance."));
	assert_string_equal(hb_state(ha), "partner-down");
	/* partner-down serves the primary's scope; nothing to send updates to */
	assert_int_equal(ha_filter(ha), HA_F_ON | HA_F_SERVE0);
	json_decref(run(ha, "ha-reset", NULL, 0, "HA state machine reset."));
	for (int i = 0; i < 200 && strcmp(hb_state(ha), "waiting") != 0; i++) {
		usleep(10000);
	}
	assert_string_equal(hb_state(ha), "waiting");
}

static void test_sync_args(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-sync", NULL, 1, "arguments not found in the 'ha-sync' command"));
	json_decref(run(ha, "ha-sync", "{}", 1, "'server-name' is mandatory for the 'ha-sync' command"));
	json_decref(run(ha, "ha-sync", "{\"server-name\": \"other\"}", 1,
	                "server name 'other' not found in the HA configuration"));
	/* the partner refuses the connection: the sync fails with the transport's reason */
	json_t *ans = run(ha, "ha-sync", "{\"server-name\": \"standby\"}", 1, NULL);
	json_decref(ans);
}

static void test_park_limit(void **state)
{
	(void)state;
	ha_t *ha = NULL;
	ha_parked_t p = { .addr = 0x0a000001, .fd = -1 };

	/* no thread: nothing drains the ring */
	assert_int_equal(ha_new(&ha), 0);
	for (int i = 0; i < HA_PARK_DEFAULT; i++) {
		assert_true(ha_park(ha, &p));
	}
	assert_false(ha_park(ha, &p));
	ha_free(ha);
}

static void test_scope_of(void **state)
{
	(void)state;
	const uint8_t hw[6] = { 0, 1, 2, 3, 4, 5 }, cid[7] = { 1, 0, 1, 2, 3, 4, 5 };
	const cfg_t *cfg = cfg_acquire();

	assert_int_equal(ha_scope_of(cfg->ha, NULL, 0, hw, 6), 0);
	assert_int_equal(ha_scope_of(cfg->ha, NULL, 0, NULL, 0), 0);
	cfg_release(cfg);
	publish("load-balancing");
	cfg = cfg_acquire();
	assert_int_equal(ha_scope_of(cfg->ha, cid, 7, hw, 6), ha_lb_server(cid, 7, hw, 6, 2));
	assert_int_equal(ha_scope_of(cfg->ha, NULL, 0, hw, 6), ha_lb_server(NULL, 0, hw, 6, 2));
	assert_int_equal(ha_scope_of(cfg->ha, NULL, 0, NULL, 0), -1);
	cfg_release(cfg);
	publish("hot-standby");
}

/* Kea's HA_<scope owner> classes: bound to the configuration's references
 * (a pool guard, a member() test), CFG_CLASS_NONE when nothing refers to one */
static void test_scope_classes(void **state)
{
	(void)state;
	static const char text[] =
	        "{ \"Dhcp4\": {\n"
	        "  \"client-classes\": [ { \"name\": \"one\", \"test\": \"member('HA_server1')\" } ],\n"
	        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\", \"pools\": [\n"
	        "    { \"pool\": \"10.0.0.10 - 10.0.0.20\", \"client-class\": \"HA_server1\" } ] } ],\n"
	        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": {\n"
	        "      \"high-availability\": [ { \"this-server-name\": \"server2\", \"mode\": \"load-balancing\",\n"
	        "        \"peers\": [ { \"name\": \"server2\", \"url\": \"http://127.0.0.1:20892/\", \"role\": \"secondary\" },\n"
	        "                   { \"name\": \"server1\", \"url\": \"http://127.0.0.1:20891/\", \"role\": \"primary\" } ]\n"
	        "      } ] } } ]\n"
	        "} }\n";
	cfg_t *cfg = NULL;
	cfg_err_t err;

	assert_int_equal(cfg_load_text(text, strlen(text), &cfg, &err), 0);
	int idx = cfg_class_find(cfg, "HA_server1");
	assert_true(idx >= 0);
	assert_int_equal(cfg->ha->scope_class[0], idx);
	assert_int_equal(cfg->subnets[0].pools[0].client_class, idx);
	assert_int_equal(cfg->ha->scope_class[1], CFG_CLASS_NONE);
	cfg_free(cfg);
}

/* passive-backup: the primary serves both scopes at once; each lease change
 * goes to the backup, the reply waiting for it only with wait-backup-ack */
static void check_passive(const char *wait, unsigned want)
{
	static const char text[] =
	        "{ \"Dhcp4\": { \"subnet4\": [],\n"
	        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": {\n"
	        "      \"high-availability\": [ { \"this-server-name\": \"p\", \"mode\": \"passive-backup\",\n"
	        "        \"wait-backup-ack\": %s,\n"
	        "        \"peers\": [ { \"name\": \"p\", \"url\": \"http://127.0.0.1:20891/\", \"role\": \"primary\" },\n"
	        "                   { \"name\": \"b\", \"url\": \"http://127.0.0.1:20892/\", \"role\": \"backup\" } ]\n"
	        "      } ] } } ] } }\n";
	char buf[sizeof(text) + 8];
	cfg_t *cfg = NULL;
	cfg_err_t err;
	ha_t *ha = NULL;
	unsigned f = 0;

	snprintf(buf, sizeof(buf), text, wait);
	assert_int_equal(cfg_load_text(buf, strlen(buf), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(ha_new(&ha), 0);
	assert_int_equal(ha_start(ha, NULL), 0);
	for (int i = 0; i < 300 && (f & HA_F_SERVE0) == 0; i++) {
		usleep(10000);
		f = ha_filter(ha);
	}
	assert_int_equal(f & (HA_F_SERVE0 | HA_F_SERVE1 | HA_F_PARK | HA_F_SEND), want);
	ha_free(ha);
	publish("hot-standby");
}

static void test_passive_backup(void **state)
{
	(void)state;
	check_passive("false", HA_F_SERVE0 | HA_F_SEND);
	check_passive("true", HA_F_SERVE0 | HA_F_PARK);
}

/* communication-recovery's backlog: up to delayed-updates-limit changes, then
 * an overflow (both resync); nothing with send-lease-updates false or in
 * another state */
static void test_backlog(void **state)
{
	(void)state;
	ha_t *ha = NULL;
	cfg_ha_t h = { .this_server_name = (char *)"s1", .delayed_updates_limit = 2, .send_lease_updates = true };

	assert_int_equal(ha_new(&ha), 0);
	ha->state = CFG_HA_ST_LOAD_BALANCING;
	assert_false(ha_backlog_add(ha, &h, 1));
	ha->state = CFG_HA_ST_COMMUNICATION_RECOVERY;
	assert_true(ha_backlog_add(ha, &h, 1));
	assert_true(ha_backlog_add(ha, &h, 2));
	assert_int_equal(ha->n_backlog, 2);
	assert_false(ha->backlog_overflow);
	assert_true(ha_backlog_add(ha, &h, 3));
	assert_true(ha->backlog_overflow);
	assert_int_equal(ha->n_backlog, 2);
	ha_backlog_clear_locked(ha);
	h.send_lease_updates = false;
	assert_false(ha_backlog_add(ha, &h, 4));
	assert_int_equal(ha->n_backlog, 0);
	ha_free(ha);
}

static void test_no_ha(void **state)
{
	(void)state;
	ha_t *ha = NULL;
	cfg_t *cfg = NULL;
	cfg_err_t err;
	const char *plain = "{ \"Dhcp4\": { \"subnet4\": [] } }";

	assert_int_equal(cfg_load_text(plain, strlen(plain), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(ha_new(&ha), 0);
	assert_int_equal(ha_start(ha, NULL), 0);
	usleep(50000);
	assert_int_equal(ha_filter(ha), 0);
	assert_null(ha_status(ha));
	json_t *ans = ha_command(ha, "ha-heartbeat", NULL);
	assert_int_equal(json_integer_value(json_object_get(ans, "result")), 1);
	json_decref(ans);
	ha_free(ha);
	publish("hot-standby");
}

/* the unacked-client analysis while the partner does not answer */
static void test_unacked_clients(void **state)
{
	(void)state;
	static const char sb_cfg[] =
	        "{ \"Dhcp4\": { \"subnet4\": [],\n"
	        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": {\n"
	        "    \"high-availability\": [ { \"this-server-name\": \"standby\", \"mode\": \"hot-standby\",\n"
	        "      \"max-response-delay\": 100, \"max-ack-delay\": 100, \"max-unacked-clients\": 5,\n"
	        "      \"peers\": [ { \"name\": \"primary\", \"url\": \"http://127.0.0.1:20891/\", \"role\": \"primary\" },\n"
	        "                 { \"name\": \"standby\", \"url\": \"http://127.0.0.1:20892/\", \"role\": \"standby\" } ]\n"
	        "    } ] } } ] } }\n";
	cfg_t *cfg = NULL;
	cfg_err_t err;
	ha_t *ha = NULL;

	assert_int_equal(cfg_load_text(sb_cfg, strlen(sb_cfg), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(ha_new(&ha), 0);
	/* not interrupted (no thread yet): nothing is analysed */
	ha_note_client(ha, 42, 100);
	assert_int_equal(ha->analyzed, 0);
	assert_int_equal(ha_start(ha, NULL), 0);
	for (int i = 0; i < 300 && (ha_filter(ha) & HA_F_ANALYZE) == 0; i++) {
		usleep(10000);
	}
	assert_true(ha_filter(ha) & HA_F_ANALYZE);
	ha_note_client(ha, 1, 0);               /* connecting, not unacked yet */
	ha_note_client(ha, 1, 0);
	ha_note_client(ha, 2, 1);               /* secs 1 s > max-ack-delay 100 ms: Kea's rule */
	json_t *st = ha_status(ha);
	json_t *rem = json_object_get(json_object_get(json_object_get(json_array_get(st, 0), "ha-servers"),
	                                              "remote"), "connecting-clients");
	assert_int_equal(json_integer_value(rem), 2);
	json_t *r = json_object_get(json_object_get(json_array_get(st, 0), "ha-servers"), "remote");
	assert_int_equal(json_integer_value(json_object_get(r, "unacked-clients")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "unacked-clients-left")), 5);
	assert_int_equal(json_integer_value(json_object_get(r, "analyzed-packets")), 3);
	assert_true(json_is_true(json_object_get(r, "communication-interrupted")));
	json_decref(st);
	/* lessor's rule: still asking after max-ack-delay, whatever its secs */
	usleep(150000);
	ha_note_client(ha, 1, 0);
	st = ha_status(ha);
	r = json_object_get(json_object_get(json_array_get(st, 0), "ha-servers"), "remote");
	assert_int_equal(json_integer_value(json_object_get(r, "unacked-clients")), 2);
	json_decref(st);
	assert_int_not_equal(ha_client_key(NULL, 0, NULL, 0), 0);
	const uint8_t hw[6] = { 1, 2, 3, 4, 5, 6 }, cid[3] = { 1, 2, 3 };
	assert_int_not_equal(ha_client_key(cid, 3, hw, 6), ha_client_key(NULL, 0, hw, 6));
	ha_free(ha);
	publish("hot-standby");
}

static bool wait_state(ha_t *ha, const char *want)
{
	for (int i = 0; i < 300 && strcmp(hb_state(ha), want) != 0; i++) {
		usleep(10000);
	}
	return strcmp(hb_state(ha), want) == 0;
}

/* state-machine pause: "once" holds waiting at the start until ha-continue;
 * "always" holds partner-down every time it is entered. */
static void test_pause(void **state)
{
	ha_t *ha = *state;

	ha_free(ha);
	publish_ex("hot-standby", 60000,
	           " \"state-machine\": { \"states\": [ { \"state\": \"waiting\", \"pause\": \"once\" },"
	           " { \"state\": \"partner-down\", \"pause\": \"always\" } ] },");
	assert_int_equal(ha_new(&ha), 0);
	*state = ha;
	assert_int_equal(ha_start(ha, NULL), 0);
	for (int i = 0; i < 200 && (ha_filter(ha) & HA_F_ON) == 0; i++) {
		usleep(10000);
	}
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine continues."));
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine is not paused."));
	json_decref(run(ha, "ha-maintenance-start", NULL, 0, NULL));
	assert_string_equal(hb_state(ha), "partner-down");
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine continues."));
	/* ha-reset is an operator's transition: it leaves a paused state too; waiting
	 * paused once already */
	json_decref(run(ha, "ha-reset", NULL, 0, "HA state machine reset."));
	assert_true(wait_state(ha, "waiting"));
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine is not paused."));
	json_decref(run(ha, "ha-maintenance-start", NULL, 0, NULL));
	json_decref(run(ha, "ha-continue", NULL, 0, "HA state machine continues."));
}

/* A published configuration whose HA parameters are unchanged keeps the
 * state; a changed one restarts HA into waiting (as Kea on every reload). */
static void test_reload_restart(void **state)
{
	ha_t *ha = *state;

	json_decref(run(ha, "ha-maintenance-start", NULL, 0, NULL));
	assert_string_equal(hb_state(ha), "partner-down");
	publish("hot-standby");
	usleep(300000);         /* three rounds */
	assert_string_equal(hb_state(ha), "partner-down");
	publish_ex("hot-standby", 50000, "");
	assert_true(wait_state(ha, "waiting"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_heartbeat_waiting, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_status_block, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_scopes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reset_continue, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_maintenance_notify, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_maintenance_start_partner_gone, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sync_args, setup, teardown),
	        cmocka_unit_test(test_park_limit),
	        cmocka_unit_test_setup_teardown(test_scope_of, setup, teardown),
	        cmocka_unit_test(test_scope_classes),
	        cmocka_unit_test(test_passive_backup),
	        cmocka_unit_test(test_backlog),
	        cmocka_unit_test(test_no_ha),
	        cmocka_unit_test(test_unacked_clients),
	        cmocka_unit_test_setup_teardown(test_pause, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reload_restart, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

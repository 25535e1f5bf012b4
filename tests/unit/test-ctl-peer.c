/* ctl: HA's dedicated listener's request handling (http-peer.c) without a
 * socket: restrict-commands (Kea 2.2's ha_commands4_ and its 403), the 400 for
 * a body that is not JSON, the answer in a list, and a lease4-update synced
 * after the ctl lock (ctl_sync_later) still in the store and answered 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers-ctl.h"

static json_t *peer(env_state_t *s, const char *body, bool restrict_cmds, unsigned want_status)
{
	unsigned status = 0;
	char *text = ctl_handle_peer(s->ctl, body, strlen(body), restrict_cmds, &status);

	assert_non_null(text);
	assert_int_equal(status, want_status);
	json_t *v = json_loads(text, 0, NULL);
	assert_non_null(v);
	free(text);
	return v;
}

static void test_allowed_list(void **state)
{
	static const char *const yes[] = {
		"list-commands", "status-get", "dhcp-disable", "dhcp-enable", "ha-reset",
		"ha-heartbeat", "lease4-update", "lease4-del", "lease4-get-all", "lease4-get-page",
		"ha-maintenance-notify", "ha-sync-complete-notify", "lessor-lease4-batch",
	};
	static const char *const no[] = {
		"config-get", "config-set", "version-get", "lease4-get", "lease4-add", "shutdown",
		"ha-scopes", "ha-maintenance-start", "statistic-get", "", "lease4-update ",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_true(ctl_peer_allowed(yes[i]));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_false(ctl_peer_allowed(no[i]));
	}
	assert_false(ctl_peer_allowed(NULL));
}

static void test_restricted_answers(void **state)
{
	env_state_t *s = *state;
	json_t *v;

	v = peer(s, "{\"command\": \"config-get\", \"service\": [\"dhcp4\"]}", true, 403);
	assert_int_equal(json_integer_value(json_object_get(v, "result")), 403);
	assert_string_equal(json_string_value(json_object_get(v, "text")), "Forbidden");
	json_decref(v);
	/* no command at all: not in the list either */
	json_decref(peer(s, "{\"arguments\": {}}", true, 403));
	/* unrestricted, the same command runs, answered in a list */
	v = peer(s, "{\"command\": \"config-get\"}", false, 200);
	assert_true(json_is_array(v));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "result")), 0);
	json_decref(v);
	v = peer(s, "{not json", true, 400);
	assert_string_equal(json_string_value(json_object_get(v, "text")), "Bad Request");
	json_decref(v);
}

static void test_update_synced_after_lock(void **state)
{
	env_state_t *s = *state;
	json_t *v = peer(s,
	                 "{\"command\": \"lease4-update\", \"arguments\": {\"ip-address\": "
	                 "\"10.0.1.7\", \"hw-address\": \"02:00:00:00:00:07\", \"subnet-id\": 2, "
	                 "\"force-create\": true}}",
	                 true, 200);

	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "result")), 0);
	json_decref(v);
	assert_null(ctl_sync_later);    /* not left set for the next command */
	EXPECT(s, "{\"command\": \"lease4-get\", \"arguments\": {\"ip-address\": \"10.0.1.7\"}}", 0,
	       "IPv4 lease found.");
	v = peer(s,
	         "{\"command\": \"lease4-del\", \"arguments\": {\"ip-address\": \"10.0.1.7\"}}", true,
	         200);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "result")), 0);
	json_decref(v);
	EXPECT(s, "{\"command\": \"lease4-get\", \"arguments\": {\"ip-address\": \"10.0.1.7\"}}", 3,
	       "Lease not found.");
}

int main(void)
{
	ctl_fx_quiet_logs();

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_allowed_list),
	        cmocka_unit_test_setup_teardown(test_restricted_answers, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_update_synced_after_lock, ctl_fx_setup,
	                                        ctl_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

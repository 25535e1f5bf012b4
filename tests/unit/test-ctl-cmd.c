/* ctl: dispatch, process-level and configuration commands against a fake
 * daemon environment (helpers-ctl.c). Texts and result codes are Kea 2.2's,
 * captured from kea-dhcp4 + lease_cmds + stat_cmds. */
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

static void test_dispatch_errors(void **state)
{
	env_state_t *s = *state;
	json_t *ans;

	ans = ctl_fx_expect(s, "{bad json", 1, NULL);
	assert_non_null(strstr(ctl_fx_text(ans), "invalid JSON"));
	json_decref(ans);
	EXPECT(s, "", 1, NULL);
	/* a parse error that would echo invalid UTF-8 still gives a JSON answer
	 * (fuzz/corpus/fuzz-ctl-cmd/crash-invalid-utf8-in-parse-error) */
	EXPECT(s, "\"\\\xd5\xa3", 1, NULL);
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.150\","
	       "\"hw-address\":\"\xc3\xa9\"}}",
	       1, NULL);
	EXPECT(s, "[1,2]", 1,
	       "Error during command processing: Invalid command Element specified, "
	       "expected map");
	EXPECT(s, "{\"arguments\":{}}", 1,
	       "Error during command processing: Invalid answer "
	       "specified, does not contain mandatory 'command'");
	EXPECT(s, "{\"command\":42}", 1,
	       "Error during command processing: 'command' element in "
	       "command message is not a string");
	EXPECT(s, "{\"command\":\"version-get\",\"extra\":1}", 1,
	       "Error during command processing: "
	       "Received command contains unsupported parameter 'extra'");
	EXPECT(s, "{\"command\":\"bogus\"}", 2, "'bogus' command not supported.");
	EXPECT(s, "{\"command\":\"bogus\",\"arguments\":{}}", 2, "'bogus' command not supported.");
	/* comments are allowed in commands (Kea >= 1.9.7) */
	EXPECT(s, "{ # hash\n \"command\": /* c */ \"version-get\" // eol\n}", 0, "2.2.0");
	/* duplicate keys are rejected, not silently merged */
	EXPECT(s, "{\"command\":\"version-get\",\"command\":\"shutdown\"}", 1, NULL);
	assert_int_equal(s->fake.shutdowns, 0);
}

static void test_process_commands(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *a;

	ans = ctl_fx_expect(s, "{\"command\":\"list-commands\"}", 0, NULL);
	a = json_object_get(ans, "arguments");
	assert_true(json_is_array(a));
	static const char *const want[] = {"config-get",      "lease4-get-page",
	                                   "stat-lease4-get", "statistic-get-all",
	                                   "status-get",      "version-get"};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		size_t k;
		json_t *v;
		bool found = false;

		json_array_foreach(a, k, v)
		{
			found |= strcmp(json_string_value(v), want[i]) == 0;
		}
		assert_true(found);
	}
	json_decref(ans);

	ans = ctl_fx_expect(s, "{\"command\":\"version-get\"}", 0, "2.2.0");
	assert_true(json_is_string(json_object_get(json_object_get(ans, "arguments"), "extended")));
	json_decref(ans);

	ans = ctl_fx_expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	a = json_object_get(ans, "arguments");
	assert_int_equal(json_integer_value(json_object_get(a, "pid")), getpid());
	assert_true(json_is_integer(json_object_get(a, "uptime")));
	assert_true(json_is_integer(json_object_get(a, "reload")));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(a, "sockets"), "status")),
	        "ready");
	json_decref(ans);

	ans = ctl_fx_expect(s, "{\"command\":\"server-tag-get\"}", 0, NULL);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(ans, "arguments"), "server-tag")),
	        "");
	json_decref(ans);

	ans = ctl_fx_expect(s, "{\"command\":\"build-report\"}", 0, NULL);
	assert_non_null(strstr(ctl_fx_text(ans), "lessor"));
	json_decref(ans);
}

static void test_dhcp_enable_disable(void **state)
{
	env_state_t *s = *state;

	EXPECT(s, "{\"command\":\"dhcp-disable\"}", 0, "DHCPv4 service disabled");
	assert_int_equal(s->fake.period, 0);
	assert_string_equal(s->fake.origin, "user");
	assert_false(s->fake.enabled);
	EXPECT(s,
	       "{\"command\":\"dhcp-disable\",\"arguments\":{\"max-period\":30,\"origin\":\"ha-"
	       "partner\"}}",
	       0, "DHCPv4 service disabled for 30 seconds");
	/* Kea's NetworkState: "user" still disables indefinitely, so the daemon's
	 * single switch stays off with no timer */
	assert_int_equal(s->fake.period, 0);
	assert_string_equal(s->fake.origin, "ha-partner");
	assert_false(s->fake.enabled);
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"origin\":\"bogus\"}}", 1,
	       "invalid value used for 'origin' parameter: bogus");
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"max-period\":0}}", 1,
	       "'max-period' must be positive integer");
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"max-period\":\"x\"}}", 1,
	       "'max-period' argument must be a number");
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"origin\":5}}", 1,
	       "'origin' argument must be a string");
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":\"x\"}", 1,
	       "arguments for the 'dhcp-disable' command must be a map");
	assert_int_equal(s->fake.disables, 2);
	/* enabling "user" leaves "ha-partner" disabling, now with its 30 s timer */
	EXPECT(s, "{\"command\":\"dhcp-enable\"}", 0, "DHCP service successfully enabled");
	assert_false(s->fake.enabled);
	assert_int_equal(s->fake.disables, 3);
	assert_in_range(s->fake.period, 29, 30);
	/* enabling an origin that does not disable changes nothing */
	EXPECT(s, "{\"command\":\"dhcp-enable\"}", 0, "DHCP service successfully enabled");
	assert_false(s->fake.enabled);
	EXPECT(s, "{\"command\":\"dhcp-enable\",\"arguments\":{\"origin\":\"ha-partner\"}}", 0,
	       "DHCP service successfully enabled");
	assert_true(s->fake.enabled);
	/* a disable without max-period keeps the origin's running timer (Kea) */
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"max-period\":20}}", 0,
	       "DHCPv4 service disabled for 20 seconds");
	EXPECT(s, "{\"command\":\"dhcp-disable\"}", 0, "DHCPv4 service disabled");
	assert_in_range(s->fake.period, 19, 20);
	EXPECT(s, "{\"command\":\"dhcp-enable\"}", 0, "DHCP service successfully enabled");
	assert_true(s->fake.enabled);

	EXPECT(s, "{\"command\":\"leases-reclaim\"}", 1, "Missing mandatory 'remove' parameter.");
	EXPECT(s, "{\"command\":\"leases-reclaim\",\"arguments\":{\"remove\":\"x\"}}", 1,
	       "'remove' parameter expected to be a boolean.");
	EXPECT(s, "{\"command\":\"leases-reclaim\",\"arguments\":{\"remove\":true}}", 0,
	       "Reclamation of expired leases is complete.");
	assert_int_equal(s->fake.reclaims, 1);
	assert_true(s->fake.remove);

	EXPECT(s, "{\"command\":\"shutdown\",\"arguments\":{\"exit-value\":\"x\"}}", 1,
	       "parameter 'exit-value' is not an integer");
	EXPECT(s, "{\"command\":\"shutdown\",\"arguments\":{\"exit-value\":3}}", 0,
	       "Shutting down.");
	assert_int_equal(s->fake.shutdowns, 1);
	assert_int_equal(s->fake.exit_value, 3);
}

/* status-get's "dhcp-state" follows dhcp-disable/-enable per origin (the console shows it). */
static void test_status_dhcp_state(void **state)
{
	env_state_t *s = *state;
	json_t *ans = ctl_fx_expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	json_t *ds = json_object_get(json_object_get(ans, "arguments"), "dhcp-state");

	assert_true(json_is_true(json_object_get(ds, "enabled")));
	assert_int_equal(json_array_size(json_object_get(ds, "disabled-by")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"origin\":\"ha-partner\"}}", 0,
	       NULL);
	EXPECT(s, "{\"command\":\"dhcp-disable\"}", 0, NULL);
	ans = ctl_fx_expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	ds = json_object_get(json_object_get(ans, "arguments"), "dhcp-state");
	assert_true(json_is_false(json_object_get(ds, "enabled")));
	char *by = json_dumps(json_object_get(ds, "disabled-by"), JSON_COMPACT);
	assert_string_equal(by, "[\"user\",\"ha-partner\"]");
	free(by);
	json_decref(ans);
}

/* log-get: the latest warnings and errors, newest first, limit checked as Kea checks
 * integers; the answer is JSON even when a message carried hostile bytes. */
static void test_log_get(void **state)
{
	env_state_t *s = *state;

	log_recent_clear();
	json_t *ans = ctl_fx_expect(s, "{\"command\":\"log-get\"}", 0, "0 warnings and errors");
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "arguments"),
	                                                 "entries")), 0);
	json_decref(ans);
	log_warn(LOGGER_DHCP4, "TEST_WARN", "client sent \"%s\"", "bad\xff<b>");
	log_error(LOGGER_LEASES, "TEST_ERR", "second");
	log_info(LOGGER_DHCP4, "TEST_INFO", "not kept");
	ans = ctl_fx_expect(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":5}}", 0,
	             "2 warnings and errors");
	json_t *a = json_object_get(ans, "arguments");
	json_t *es = json_object_get(a, "entries");
	assert_int_equal(json_array_size(es), 2);
	assert_int_equal(json_integer_value(json_object_get(a, "total")), 2);
	json_t *e0 = json_array_get(es, 0), *e1 = json_array_get(es, 1);
	assert_string_equal(json_string_value(json_object_get(e0, "level")), "ERROR");
	assert_string_equal(json_string_value(json_object_get(e0, "logger")), LOGGER_LEASES);
	assert_string_equal(json_string_value(json_object_get(e0, "id")), "TEST_ERR");
	assert_string_equal(json_string_value(json_object_get(e1, "level")), "WARN");
	assert_string_equal(json_string_value(json_object_get(e1, "message")),
	                    "client sent \"bad?<b>\"");
	const char *t = json_string_value(json_object_get(e1, "time"));
	assert_non_null(t);
	assert_int_equal(strlen(t), strlen("2026-12-03 19:00:00.000"));
	json_decref(ans);
	ans = ctl_fx_expect(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":1}}", 0, NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "arguments"),
	                                                 "entries")), 1);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":\"x\"}}", 1,
	       "invalid type specified for parameter 'limit'");
	EXPECT(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":100000}}", 1,
	       "out of range value (100000) specified for parameter 'limit'");
	EXPECT(s, "{\"command\":\"log-get\",\"arguments\":[1]}", 1, "arguments must be a map");
	log_recent_clear();
}

/* A daemon that provides no callbacks answers "not supported", never crashes. */
static void test_unsupported_without_callbacks(void **state)
{
	env_state_t *s = *state;
	ctl_env_t bare = {.store = NULL};
	ctl_t *saved = s->ctl;

	assert_int_equal(ctl_new(&bare, &s->ctl), 0);
	EXPECT(s, "{\"command\":\"shutdown\"}", 2, "'shutdown' command not supported.");
	EXPECT(s, "{\"command\":\"dhcp-enable\"}", 2, "'dhcp-enable' command not supported.");
	EXPECT(s, "{\"command\":\"config-reload\"}", 2, "'config-reload' command not supported.");
	EXPECT(s, "{\"command\":\"leases-reclaim\",\"arguments\":{\"remove\":false}}", 2, NULL);
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.1\"}}", 1,
	       "lease database is not available");
	EXPECT(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	ctl_stop(s->ctl);
	s->ctl = saved;
}

static void test_config_get_test_set(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *d4;

	ans = ctl_fx_expect(s, "{\"command\":\"config-get\"}", 0, NULL);
	d4 = json_object_get(json_object_get(ans, "arguments"), "Dhcp4");
	assert_true(json_is_object(d4));
	assert_int_equal(json_array_size(json_object_get(d4, "subnet4")), 2);
	assert_null(json_object_get(ans, "text")); /* Kea 2.2: no text, no hash */
	json_decref(ans);

	EXPECT(s, "{\"command\":\"config-test\"}", 1, "Missing mandatory 'arguments' parameter.");
	EXPECT(s, "{\"command\":\"config-test\",\"arguments\":{\"x\":1}}", 1,
	       "Missing mandatory 'Dhcp4' parameter.");
	EXPECT(s, "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":5}}", 1,
	       "'Dhcp4' parameter expected to be a map.");
	EXPECT(s, "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":{},\"Control-agent\":{}}}",
	       1, "Unsupported 'Control-agent' parameter.");
	EXPECT(s, "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":{}}}", 0,
	       "Configuration seems sane. Control-socket, hook-libraries, and D2 configuration "
	       "were "
	       "sanity checked, but not applied.");
	ans = ctl_fx_expect(s,
	             "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":{\"subnet4\":"
	             "[{\"id\":1,\"subnet\":\"bad\"}]}}}",
	             1, NULL);
	assert_non_null(strstr(ctl_fx_text(ans), "subnet4[0]")); /* the path of the error */
	json_decref(ans);
	assert_int_equal(s->fake.reloads, 0); /* config-test never applies */

	EXPECT(s, "{\"command\":\"config-set\"}", 1, "Missing mandatory 'arguments' parameter.");
	EXPECT(s,
	       "{\"command\":\"config-set\",\"arguments\":{\"Dhcp4\":{\"subnet4\":"
	       "[{\"id\":7,\"subnet\":\"198.51.100.0/24\"}]}}}",
	       0, "Configuration successful.");
	assert_int_equal(s->fake.reloads, 1);
	assert_non_null(s->fake.last_cfg);
	ans = ctl_fx_expect(s, "{\"command\":\"config-get\"}", 0, NULL);
	d4 = json_object_get(json_object_get(ans, "arguments"), "Dhcp4");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(d4, "subnet4"), 0), "id")),
	                 7);
	json_decref(ans);
	/* statistics follow the new subnet list */
	ans = ctl_fx_expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_non_null(
	        json_object_get(json_object_get(ans, "arguments"), "subnet[7].total-addresses"));
	assert_null(
	        json_object_get(json_object_get(ans, "arguments"), "subnet[1].total-addresses"));
	json_decref(ans);

	/* a failing reload keeps the running configuration and reports path + line */
	s->fake.fail_reload = 1;
	ans = ctl_fx_expect(s, "{\"command\":\"config-reload\"}", 1, NULL);
	assert_string_equal(ctl_fx_text(ans),
	                    "Config reload failed: Dhcp4.subnet4[0] (line 7): injected failure");
	json_decref(ans);
	ans = ctl_fx_expect(s, "{\"command\":\"config-get\"}", 0, NULL);
	d4 = json_object_get(json_object_get(ans, "arguments"), "Dhcp4");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(d4, "subnet4"), 0), "id")),
	                 7);
	json_decref(ans);
	s->fake.fail_reload = 0;
	EXPECT(s, "{\"command\":\"config-reload\"}", 0, "Configuration successful.");
	assert_null(s->fake.last_cfg); /* NULL = re-read the file */
}

static void test_config_hash_write(void **state)
{
	env_state_t *s = *state;
	char dir[] = "/tmp/test-ctl-cfg-XXXXXX";
	char cfgpath[128], path[160], body[256];
	json_t *ans;

	ans = ctl_fx_expect(s, "{\"command\":\"config-hash-get\"}", 0, NULL);
	const char *h =
	        json_string_value(json_object_get(json_object_get(ans, "arguments"), "hash"));
	assert_non_null(h);
	assert_int_equal(strlen(h), 64);
	json_decref(ans);

	/* no writable location known: refuse */
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"/tmp/x.json\"}}", 1,
	       NULL);

	assert_non_null(mkdtemp(dir));
	snprintf(cfgpath, sizeof(cfgpath), "%s/lessor.json", dir);
	s->ctl->env.config_path = cfgpath;
	snprintf(path, sizeof(path), "%s/written.json", dir);
	snprintf(body, sizeof(body),
	         "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"%s\"}}", path);
	ans = ctl_fx_expect(s, body, 0, NULL);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(ans, "arguments"), "filename")),
	        path);
	assert_true(json_integer_value(json_object_get(json_object_get(ans, "arguments"), "size")) >
	            10);
	json_decref(ans);
	json_t *written = json_load_file(path, 0, NULL);
	assert_non_null(written);
	assert_non_null(json_object_get(written, "Dhcp4"));
	/* what was written loads as a configuration */
	cfg_t *cfg = NULL;
	cfg_err_t err;
	assert_int_equal(cfg_load_json(written, &cfg, &err), 0);
	cfg_free(cfg);
	json_decref(written);
	unlink(path);
	/* default: the configuration file itself; relative names: next to it */
	EXPECT(s, "{\"command\":\"config-write\"}", 0, NULL);
	assert_int_equal(access(cfgpath, R_OK), 0);
	/* Kea's answer names the file as asked */
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"rel.json\"}}", 0,
	       "Configuration written to rel.json successful");
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":[1]}", 1, "Argument must be a map");
	EXPECT(s,
	       "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"/nonexistent/x\"}}",
	       1, "Error during write-config:Unable to open file /nonexistent/x for writing");
	snprintf(path, sizeof(path), "%s/rel.json", dir);
	assert_int_equal(access(path, R_OK), 0);
	unlink(path);
	unlink(cfgpath);
	/* anywhere else: refused (Kea 2.6.3+ hardening) */
	EXPECT(s,
	       "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"/etc/lessor-x.json\"}}",
	       1, NULL);
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"../x.json\"}}", 1,
	       NULL);
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":{\"filename\":\"..\"}}", 1, NULL);
	EXPECT(s, "{\"command\":\"config-write\",\"arguments\":{\"filename\":5}}", 1,
	       "passed parameter 'filename' is not a string");
	rmdir(dir);
	s->ctl->env.config_path = NULL;
}

static void test_sha256(void **state)
{
	char hex[65];

	(void)state;
	ctl_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
	ctl_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	                    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
	/* 56 bytes: padding spills into a second block */
	ctl_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex,
	                    "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
}

/* Every prefix of a valid command yields a valid JSON answer (never a crash). */
static void test_every_prefix_answers(void **state)
{
	env_state_t *s = *state;
	static const char body[] = "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":"
	                           "\"192.0.2.150\",\"hw-address\":\"1a:1b:1c:1d:1e:1f\"}}";

	for (size_t cut = 0; cut <= sizeof(body) - 1; cut++) {
		char *exact = malloc(cut + 1);

		assert_non_null(exact);
		memcpy(exact, body, cut);
		_cleanup_free_ char *ans = ctl_handle(s->ctl, exact, cut);
		free(exact);
		assert_non_null(ans);
		json_t *j = json_loads(ans, 0, NULL);
		assert_non_null(j);
		json_decref(j);
	}
}

static void test_list_commands_follow_hooks(void **state)
{
	env_state_t *s = *state;

	assert_true(ctl_fx_listed(s, "lease4-resend-ddns"));
	assert_true(ctl_fx_listed(s, "lease6-bulk-apply"));
	assert_true(ctl_fx_listed(s, "stat-lease6-get"));
	assert_true(ctl_fx_listed(s, "config-backend-pull"));
	assert_true(ctl_fx_listed(s, "libreload"));
	EXPECT(s, "{\"command\":\"config-backend-pull\"}", 3, "No config backend.");
	EXPECT(s, "{\"command\":\"libreload\"}", 0, "Hooks libraries successfully reloaded.");
	/* only stat_cmds: the lease commands are neither listed nor known */
	EXPECT(s,
	       "{\"command\":\"config-set\",\"arguments\":{\"Dhcp4\":{\"hooks-libraries\":"
	       "[{\"library\":\"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\"}],"
	       "\"subnet4\":[{\"id\":1,\"subnet\":\"192.0.2.0/24\"}]}}}",
	       0, "Configuration successful.");
	assert_false(ctl_fx_listed(s, "lease4-get"));
	assert_false(ctl_fx_listed(s, "lease6-get"));
	assert_true(ctl_fx_listed(s, "stat-lease4-get"));
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.1\"}}", 2,
	       "'lease4-get' command not supported.");
	EXPECT(s, "{\"command\":\"stat-lease6-get\",\"arguments\":{\"subnet-id\":1}}", 3,
	       "stat-lease6-get[subnet-id=1]: no matching data, subnet-id: 1 does not exist");
}

static void test_kea_pretty(void **state)
{
	json_t *v = json_loads("{\"b\":[],\"a\":{\"x\":[1,\"y\",0.5],\"l\":[{},{\"k\":true}],\"e\":{}}}",
	                       0, NULL);
	char *text = ctl_kea_pretty(v);

	(void)state;
	/* isc::data::prettyPrint() as Kea's config-write writes it */
	assert_string_equal(text, "{\n"
	                          "  \"a\": {\n"
	                          "    \"e\": { },\n"
	                          "    \"l\": [\n"
	                          "      { },\n"
	                          "      {\n"
	                          "        \"k\": true\n"
	                          "      }\n"
	                          "    ],\n"
	                          "    \"x\": [ 1, \"y\", 0.5 ]\n"
	                          "  },\n"
	                          "  \"b\": [ ]\n"
	                          "}");
	free(text);
	json_decref(v);
}

int main(void)
{
	ctl_fx_quiet_logs();

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_dispatch_errors, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_process_commands, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_dhcp_enable_disable, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_status_dhcp_state, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_log_get, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_unsupported_without_callbacks, ctl_fx_setup,
	                                        ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_config_get_test_set, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_config_hash_write, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test(test_sha256),
	        cmocka_unit_test_setup_teardown(test_every_prefix_answers, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_list_commands_follow_hooks, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test(test_kea_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

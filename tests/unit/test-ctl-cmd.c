/* ctl: dispatch and every command against a fake daemon environment (memfile
 * store with persist=false, a published test configuration, recorded
 * callbacks). Texts and result codes are Kea 2.2's, captured from
 * kea-dhcp4 + lease_cmds + stat_cmds. */
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

#include "cfg/cfg-current.h"
#include "util/log.h"
#include "ctl/ctl-int.h"
#include "ctl/stat-history.h"

static const char test_cfg[] =
        "{ \"Dhcp4\": {\n"
        "  \"valid-lifetime\": 4000,\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\" } ],\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n"
        "  \"subnet4\": [\n"
        "    { \"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
        "      \"pools\": [ { \"pool\": \"192.0.2.100 - 192.0.2.200\" } ] },\n"
        "    { \"id\": 2, \"subnet\": \"10.0.0.0/16\",\n"
        "      \"pools\": [ { \"pool\": \"10.0.1.0 - 10.0.10.255\" } ] }\n"
        "  ]\n"
        "} }\n";

typedef struct fake {
	int reloads;
	int fail_reload;
	json_t *last_cfg;
	int shutdowns;
	int exit_value;
	int disables;
	uint32_t period;
	char origin[32];
	bool enabled;
	int reclaims;
	bool remove;
} fake_t;

typedef struct env_state {
	fake_t fake;
	ctl_env_t env;
	lease_store_t *store;
	stats_t stats;
	ctl_t *ctl;
} env_state_t;

static int fake_reload(void *ud, json_t *new_cfg, char **reterr)
{
	fake_t *f = ud;
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char buf[1200];
	int r;

	f->reloads++;
	if (f->fail_reload) {
		*reterr = strdup("Dhcp4.subnet4[0] (line 7): injected failure");
		return -EINVAL;
	}
	json_decref(f->last_cfg);
	f->last_cfg = json_incref(new_cfg);
	if (new_cfg == NULL) {
		r = cfg_load_text(test_cfg, strlen(test_cfg), &cfg, &err);
	} else {
		r = cfg_load_json(new_cfg, &cfg, &err);
	}
	if (r < 0) {
		*reterr = strdup(cfg_err_format(&err, buf, sizeof(buf)));
		return r;
	}
	cfg_publish(cfg);
	return 0;
}

static void fake_shutdown(void *ud, int exit_value)
{
	fake_t *f = ud;

	f->shutdowns++;
	f->exit_value = exit_value;
}

static int fake_disable(void *ud, uint32_t max_period, const char *origin)
{
	fake_t *f = ud;

	f->disables++;
	f->period = max_period;
	snprintf(f->origin, sizeof(f->origin), "%s", origin);
	f->enabled = false;
	return 0;
}

static int fake_enable(void *ud, const char *origin)
{
	fake_t *f = ud;

	snprintf(f->origin, sizeof(f->origin), "%s", origin);
	f->enabled = true;
	return 0;
}

static bool fake_is_enabled(void *ud)
{
	return ((fake_t *)ud)->enabled;
}

static int fake_reclaim(void *ud, bool remove)
{
	fake_t *f = ud;

	f->reclaims++;
	f->remove = remove;
	return 0;
}

static int setup(void **state)
{
	env_state_t *s = calloc(1, sizeof(*s));
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char *msg = NULL;

	assert_non_null(s);
	assert_int_equal(cfg_load_text(test_cfg, strlen(test_cfg), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(lease_store_open(&lcfg, &s->store, &msg), 0);
	assert_int_equal(stats_init(&s->stats, 2), 0);
	s->fake.enabled = true;
	s->env = (ctl_env_t){
	        .ud = &s->fake,
	        .store = s->store,
	        .stats = &s->stats,
	        .config_path = NULL,
	        .reload = fake_reload,
	        .shutdown = fake_shutdown,
	        .dhcp_disable = fake_disable,
	        .dhcp_enable = fake_enable,
	        .dhcp_is_enabled = fake_is_enabled,
	        .leases_reclaim = fake_reclaim,
	};
	assert_int_equal(ctl_new(&s->env, &s->ctl), 0);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	env_state_t *s = *state;

	ctl_stop(s->ctl);
	lease_store_close(s->store);
	stats_done(&s->stats);
	json_decref(s->fake.last_cfg);
	cfg_publish(NULL);
	free(s);
	return 0;
}

/* Run @body through the UNIX-socket path; the answer must be a JSON map. */
static json_t *call(env_state_t *s, const char *body)
{
	_cleanup_free_ char *text = ctl_handle(s->ctl, body, strlen(body));
	json_error_t jerr;
	json_t *ans;

	assert_non_null(text);
	ans = json_loads(text, 0, &jerr);
	if (ans == NULL) {
		fail_msg("answer is not JSON: %s (%s)", text, jerr.text);
	}
	assert_true(json_is_object(ans));
	assert_true(json_is_integer(json_object_get(ans, "result")));
	return ans;
}

static int result_of(const json_t *ans)
{
	return (int)json_integer_value(json_object_get(ans, "result"));
}

static const char *text_of(const json_t *ans)
{
	const char *t = json_string_value(json_object_get(ans, "text"));

	return t != NULL ? t : "";
}

/* Assert result and (if @text non-NULL) exact text; returns the answer. */
static json_t *expect(env_state_t *s, const char *body, int result, const char *text)
{
	json_t *ans = call(s, body);

	if (result_of(ans) != result || (text != NULL && strcmp(text_of(ans), text) != 0)) {
		char *dumped = json_dumps(ans, JSON_COMPACT);

		fail_msg("%s\n  -> %s\n  expected result %d text %s", body, dumped, result,
		         text != NULL ? text : "(any)");
	}
	return ans;
}

#define EXPECT(s, body, result, text) json_decref(expect((s), (body), (result), (text)))

/* ---- dispatch ---- */

static void test_dispatch_errors(void **state)
{
	env_state_t *s = *state;
	json_t *ans;

	ans = expect(s, "{bad json", 1, NULL);
	assert_non_null(strstr(text_of(ans), "invalid JSON"));
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

	ans = expect(s, "{\"command\":\"list-commands\"}", 0, NULL);
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

	ans = expect(s, "{\"command\":\"version-get\"}", 0, "2.2.0");
	assert_true(json_is_string(json_object_get(json_object_get(ans, "arguments"), "extended")));
	json_decref(ans);

	ans = expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	a = json_object_get(ans, "arguments");
	assert_int_equal(json_integer_value(json_object_get(a, "pid")), getpid());
	assert_true(json_is_integer(json_object_get(a, "uptime")));
	assert_true(json_is_integer(json_object_get(a, "reload")));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(a, "sockets"), "status")),
	        "ready");
	json_decref(ans);

	ans = expect(s, "{\"command\":\"server-tag-get\"}", 0, NULL);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(ans, "arguments"), "server-tag")),
	        "");
	json_decref(ans);

	ans = expect(s, "{\"command\":\"build-report\"}", 0, NULL);
	assert_non_null(strstr(text_of(ans), "lessor"));
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
	json_t *ans = expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	json_t *ds = json_object_get(json_object_get(ans, "arguments"), "dhcp-state");

	assert_true(json_is_true(json_object_get(ds, "enabled")));
	assert_int_equal(json_array_size(json_object_get(ds, "disabled-by")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"dhcp-disable\",\"arguments\":{\"origin\":\"ha-partner\"}}", 0,
	       NULL);
	EXPECT(s, "{\"command\":\"dhcp-disable\"}", 0, NULL);
	ans = expect(s, "{\"command\":\"status-get\"}", 0, NULL);
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
	json_t *ans = expect(s, "{\"command\":\"log-get\"}", 0, "0 warnings and errors");
	assert_int_equal(json_array_size(json_object_get(json_object_get(ans, "arguments"),
	                                                 "entries")), 0);
	json_decref(ans);
	log_warn(LOGGER_DHCP4, "TEST_WARN", "client sent \"%s\"", "bad\xff<b>");
	log_error(LOGGER_LEASES, "TEST_ERR", "second");
	log_info(LOGGER_DHCP4, "TEST_INFO", "not kept");
	ans = expect(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":5}}", 0,
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
	ans = expect(s, "{\"command\":\"log-get\",\"arguments\":{\"limit\":1}}", 0, NULL);
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

/* ---- configuration ---- */

static void test_config_get_test_set(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *d4;

	ans = expect(s, "{\"command\":\"config-get\"}", 0, NULL);
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
	ans = expect(s,
	             "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":{\"subnet4\":"
	             "[{\"id\":1,\"subnet\":\"bad\"}]}}}",
	             1, NULL);
	assert_non_null(strstr(text_of(ans), "subnet4[0]")); /* the path of the error */
	json_decref(ans);
	assert_int_equal(s->fake.reloads, 0); /* config-test never applies */

	EXPECT(s, "{\"command\":\"config-set\"}", 1, "Missing mandatory 'arguments' parameter.");
	EXPECT(s,
	       "{\"command\":\"config-set\",\"arguments\":{\"Dhcp4\":{\"subnet4\":"
	       "[{\"id\":7,\"subnet\":\"198.51.100.0/24\"}]}}}",
	       0, "Configuration successful.");
	assert_int_equal(s->fake.reloads, 1);
	assert_non_null(s->fake.last_cfg);
	ans = expect(s, "{\"command\":\"config-get\"}", 0, NULL);
	d4 = json_object_get(json_object_get(ans, "arguments"), "Dhcp4");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(d4, "subnet4"), 0), "id")),
	                 7);
	json_decref(ans);
	/* statistics follow the new subnet list */
	ans = expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_non_null(
	        json_object_get(json_object_get(ans, "arguments"), "subnet[7].total-addresses"));
	assert_null(
	        json_object_get(json_object_get(ans, "arguments"), "subnet[1].total-addresses"));
	json_decref(ans);

	/* a failing reload keeps the running configuration and reports path + line */
	s->fake.fail_reload = 1;
	ans = expect(s, "{\"command\":\"config-reload\"}", 1, NULL);
	assert_string_equal(text_of(ans),
	                    "Config reload failed: Dhcp4.subnet4[0] (line 7): injected failure");
	json_decref(ans);
	ans = expect(s, "{\"command\":\"config-get\"}", 0, NULL);
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

	ans = expect(s, "{\"command\":\"config-hash-get\"}", 0, NULL);
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
	ans = expect(s, body, 0, NULL);
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

/* ---- leases ---- */

static void test_lease_add_get(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *l;

	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}", 3,
	       "Lease not found.");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.150\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"hostname\":\"Host.Example\","
	       "\"client-id\":\"01:02:03\"}}",
	       0, "Lease for address 192.0.2.150, subnet-id 1 added.");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.150\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\"}}",
	       1, "IPv4 lease already exists.");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"hw-address\":\"1a:1b:1c:1d:1e:1f\"}}",
	       1, "missing parameter 'ip-address'");
	EXPECT(s, "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.151\"}}", 1,
	       "missing parameter 'hw-address'");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"172.16.0.1\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\"}}",
	       1, "subnet-id not specified and failed to find a subnet for address 172.16.0.1");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.152\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:20\",\"subnet-id\":2}}",
	       1, "The address 192.0.2.152 does not belong to subnet 10.0.0.0/16, subnet-id=2");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.173\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"subnet-id\":99}}",
	       1, "Invalid subnet-id: No IPv4 subnet with subnet-id=99 currently configured.");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.153\","
	       "\"hw-address\":\"zz\"}}",
	       1, "'z' is not a valid hexadecimal digit in decoded string 'zz'");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.170\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"state\":7}}",
	       1,
	       "Invalid state value: 7, "
	       "supported values are: 0 (default), 1 (declined) and 2 (expired-reclaimed)");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.171\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"fqdn-fwd\":true}}",
	       1,
	       "No hostname specified "
	       "and either forward or reverse fqdn was set to true.");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.174\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"valid-lft\":\"x\"}}",
	       1, "invalid type specified for parameter 'valid-lft'");
	EXPECT(s, "{\"command\":\"lease4-add\"}", 1, "no parameters specified for the command");
	EXPECT(s,
	       "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"192.0.2.172\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"user-context\":{\"a\":1},\"expire\":"
	       "2000000000,"
	       "\"valid-lft\":100,\"fqdn-rev\":true,\"hostname\":\"x.\"}}",
	       0, "Lease for address 192.0.2.172, subnet-id 1 added.");

	ans = expect(s,
	             "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}",
	             0, "IPv4 lease found.");
	l = json_object_get(ans, "arguments");
	assert_string_equal(json_string_value(json_object_get(l, "ip-address")), "192.0.2.150");
	assert_string_equal(json_string_value(json_object_get(l, "hw-address")),
	                    "1a:1b:1c:1d:1e:1f");
	assert_string_equal(json_string_value(json_object_get(l, "client-id")), "01:02:03");
	assert_string_equal(json_string_value(json_object_get(l, "hostname")), "host.example");
	assert_int_equal(json_integer_value(json_object_get(l, "subnet-id")), 1);
	assert_int_equal(json_integer_value(json_object_get(l, "valid-lft")), 4000);
	assert_int_equal(json_integer_value(json_object_get(l, "state")), 0);
	assert_true(json_is_false(json_object_get(l, "fqdn-fwd")));
	assert_true(json_is_integer(json_object_get(l, "cltt")));
	assert_null(json_object_get(l, "user-context"));
	json_decref(ans);

	ans = expect(s,
	             "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.172\"}}",
	             0, "IPv4 lease found.");
	l = json_object_get(ans, "arguments");
	assert_int_equal(json_integer_value(json_object_get(l, "cltt")), 1999999900);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(l, "user-context"), "a")), 1);
	assert_null(json_object_get(l, "client-id"));
	json_decref(ans);

	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier-type\":\"hw-address\","
	       "\"identifier\":\"1a:1b:1c:1d:1e:1f\",\"subnet-id\":1}}",
	       0, "IPv4 lease found.");
	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier-type\":\"client-id\","
	       "\"identifier\":\"01:02:03\",\"subnet-id\":1}}",
	       0, "IPv4 lease found.");
	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier-type\":\"client-id\","
	       "\"identifier\":\"01:02:03\",\"subnet-id\":2}}",
	       3, "Lease not found.");
	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier-type\":\"hw-address\","
	       "\"identifier\":\"1a:1b:1c:1d:1e:1f\"}}",
	       1, "Mandatory 'subnet-id' parameter missing.");
	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier-type\":\"bogus\","
	       "\"identifier\":\"1a\",\"subnet-id\":1}}",
	       1,
	       "Incorrect identifier type: bogus, the only "
	       "supported values are: address, hw-address, duid");
	EXPECT(s,
	       "{\"command\":\"lease4-get\",\"arguments\":{\"identifier\":\"1a\",\"subnet-id\":1}}",
	       1,
	       "No 'ip-address' provided and 'identifier-type' is either missing or not a string.");
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"bogus\"}}", 1,
	       "Failed to convert string to address 'bogus': Invalid argument");
	EXPECT(s, "{\"command\":\"lease4-get\"}", 1, "Parameters missing or are not a map.");
}

static void add_lease(env_state_t *s, const char *ip, const char *hw, const char *host)
{
	char body[512];

	snprintf(body, sizeof(body),
	         "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"%s\","
	         "\"hw-address\":\"%s\",\"hostname\":\"%s\"}}",
	         ip, hw, host);
	json_decref(expect(s, body, 0, NULL));
}

static void test_lease_lists(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *a;

	EXPECT(s, "{\"command\":\"lease4-get-all\"}", 3, "0 IPv4 lease(s) found.");
	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	add_lease(s, "192.0.2.154", "1a:1b:1c:1d:1e:21", "Two");
	add_lease(s, "10.0.1.5", "1a:1b:1c:1d:1e:1f", "three");

	ans = expect(s, "{\"command\":\"lease4-get-all\"}", 0, "3 IPv4 lease(s) found.");
	a = json_object_get(json_object_get(ans, "arguments"), "leases");
	assert_int_equal(json_array_size(a), 3);
	/* address order */
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "ip-address")),
	                    "10.0.1.5");
	json_decref(ans);
	ans = expect(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[2]}}", 0,
	             "1 IPv4 lease(s) found.");
	json_decref(ans);
	ans = expect(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[77]}}", 3,
	             "0 IPv4 lease(s) found.");
	assert_int_equal(
	        json_array_size(json_object_get(json_object_get(ans, "arguments"), "leases")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":\"x\"}}", 1,
	       "'subnets' parameter must be a list");
	EXPECT(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[\"x\"]}}", 1,
	       "listed subnet identifiers must be numbers");

	/* paging: 2 + 1 + empty */
	ans = expect(
	        s,
	        "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"start\",\"limit\":2}}",
	        0, "2 IPv4 lease(s) found.");
	a = json_object_get(ans, "arguments");
	assert_int_equal(json_integer_value(json_object_get(a, "count")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(a, "leases"), 1), "ip-address")),
	                    "192.0.2.150");
	json_decref(ans);
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"192.0.2.150\",\"limit\":"
	       "2}}",
	       0, "1 IPv4 lease(s) found.");
	ans = expect(s,
	             "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"192.0.2.154\","
	             "\"limit\":2}}",
	             3, "0 IPv4 lease(s) found.");
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(ans, "arguments"), "count")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"lease4-get-page\"}", 1,
	       "no parameters specified for the lease4-get-page command");
	EXPECT(s, "{\"command\":\"lease4-get-page\",\"arguments\":{\"limit\":5}}", 1,
	       "'from' parameter not specified");
	EXPECT(s, "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":5,\"limit\":5}}", 1,
	       "'from' parameter must be a string");
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"bogus\",\"limit\":5}}",
	       1, "'from' parameter value is neither 'start' keyword nor a valid IPv4 address");
	EXPECT(s, "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"start\"}}", 1,
	       "'limit' parameter not specified");
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"start\",\"limit\":\"x\"}"
	       "}",
	       1, "'limit' parameter must be a number");
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"start\",\"limit\":0}}",
	       1, "page size of retrieved leases must not be 0");

	EXPECT(s,
	       "{\"command\":\"lease4-get-by-hw-address\",\"arguments\":{\"hw-address\":"
	       "\"1a:1b:1c:1d:1e:1f\"}}",
	       0, "2 IPv4 lease(s) found.");
	EXPECT(s,
	       "{\"command\":\"lease4-get-by-hw-address\",\"arguments\":{\"hw-address\":"
	       "\"00:00:00:00:00:01\"}}",
	       3, "0 IPv4 lease(s) found.");
	EXPECT(s, "{\"command\":\"lease4-get-by-hw-address\"}", 1,
	       "Command arguments missing or a not a map.");
	EXPECT(s, "{\"command\":\"lease4-get-by-hw-address\",\"arguments\":{\"hw-address\":5}}", 1,
	       "'hw-address' parameter must be a string");
	EXPECT(s, "{\"command\":\"lease4-get-by-client-id\",\"arguments\":{}}", 1,
	       "'client-id' parameter not specified");
	EXPECT(s,
	       "{\"command\":\"lease4-get-by-client-id\",\"arguments\":{\"client-id\":\"09:09\"}}",
	       3, "0 IPv4 lease(s) found.");
	EXPECT(s, "{\"command\":\"lease4-get-by-hostname\",\"arguments\":{\"hostname\":\"TWO\"}}",
	       0, "1 IPv4 lease(s) found.");
	EXPECT(s, "{\"command\":\"lease4-get-by-hostname\",\"arguments\":{\"hostname\":\"\"}}", 1,
	       "'hostname' parameter is empty");
	EXPECT(s, "{\"command\":\"lease4-get-by-hostname\",\"arguments\":{}}", 1,
	       "'hostname' parameter not specified");
}

static void test_lease_update_del_wipe(void **state)
{
	env_state_t *s = *state;
	json_t *ans;

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	EXPECT(s, "{\"command\":\"lease4-update\"}", 1,
	       "no parameters specified for lease4-update command");
	EXPECT(s,
	       "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.150\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"valid-lft\":100}}",
	       0, "IPv4 lease updated.");
	ans = expect(s,
	             "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}",
	             0, NULL);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(ans, "arguments"), "valid-lft")),
	        100);
	json_decref(ans);
	EXPECT(s,
	       "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.160\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\"}}",
	       1,
	       "failed to update the lease with address "
	       "192.0.2.160 either because the lease has been deleted or it has changed in the "
	       "database, in both cases a retry might succeed");
	EXPECT(s,
	       "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.160\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"force-create\":true}}",
	       0, "IPv4 lease added.");

	EXPECT(s, "{\"command\":\"lease4-del\",\"arguments\":{\"ip-address\":\"192.0.2.160\"}}", 0,
	       "IPv4 lease deleted.");
	EXPECT(s, "{\"command\":\"lease4-del\",\"arguments\":{\"ip-address\":\"192.0.2.160\"}}", 3,
	       "IPv4 lease not found.");
	EXPECT(s, "{\"command\":\"lease4-del\",\"arguments\":{\"ip-address\":\"bogus\"}}", 1,
	       "Failed to convert string to address 'bogus': Invalid argument");
	EXPECT(s, "{\"command\":\"lease4-del\"}", 1, "Parameters missing or are not a map.");
	EXPECT(s,
	       "{\"command\":\"lease4-del\",\"arguments\":{\"identifier-type\":\"hw-address\","
	       "\"identifier\":\"1a:1b:1c:1d:1e:1f\",\"subnet-id\":1}}",
	       0, "IPv4 lease deleted.");

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	add_lease(s, "192.0.2.151", "1a:1b:1c:1d:1e:2f", "two");
	add_lease(s, "10.0.1.1", "1a:1b:1c:1d:1e:3f", "three");
	EXPECT(s, "{\"command\":\"lease4-wipe\",\"arguments\":{\"subnet-id\":1}}", 0,
	       "Deleted 2 IPv4 lease(s) from subnet(s) 1");
	EXPECT(s, "{\"command\":\"lease4-wipe\",\"arguments\":{\"subnet-id\":\"x\"}}", 1,
	       "invalid type specified for parameter 'subnet-id'");
	EXPECT(s, "{\"command\":\"lease4-wipe\",\"arguments\":{\"subnet-id\":77}}", 3,
	       "Deleted 0 IPv4 lease(s) from subnet(s) 77");
	EXPECT(s, "{\"command\":\"lease4-wipe\"}", 0, "Deleted 1 IPv4 lease(s) from subnet(s) 1 2");
	EXPECT(s, "{\"command\":\"lease4-wipe\"}", 3, "Deleted 0 IPv4 lease(s) from subnet(s) 1 2");
	EXPECT(s, "{\"command\":\"lease4-get-all\"}", 3, "0 IPv4 lease(s) found.");
}

/* ---- statistics ---- */

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

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	stats_add(&s->stats.shards[1], STAT_PKT4_RECEIVED, 5);
	ans = expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
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
	ans = expect(s,
	             "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-received\"}}",
	             0, NULL);
	a = json_object_get(ans, "arguments");
	assert_int_equal(json_object_size(a), 1);
	assert_int_equal(json_array_size(json_object_get(a, "pkt4-received")),
	                 3); /* 0 at start, 5, 6 */
	assert_int_equal(first_value(a, "pkt4-received"), 6);
	json_decref(ans);
	ans = expect(s, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"nope\"}}", 0,
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
	ans = expect(s,
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
	ans = expect(s,
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
	ans = expect(s,
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
	ans = expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_null(json_object_get(json_object_get(ans, "arguments"), "pkt4-sent"));
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-remove\",\"arguments\":{\"name\":\"pkt4-sent\"}}", 1,
	       "No 'pkt4-sent' statistic found");
	stats_add(&s->stats.shards[0], STAT_PKT4_SENT, 2);
	ans = expect(s, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"pkt4-sent\"}}", 0,
	             NULL);
	assert_int_equal(first_value(json_object_get(ans, "arguments"), "pkt4-sent"), 2);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"statistic-remove-all\"}", 0,
	       "Warning: statistic-remove-all command is deprecated. All statistics removed.");
	ans = expect(s, "{\"command\":\"statistic-get-all\"}", 0, NULL);
	assert_int_equal(json_object_size(json_object_get(ans, "arguments")), 0);
	json_decref(ans);
}

static void test_stat_lease4_get(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *rs, *rows;

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	add_lease(s, "192.0.2.151", "1a:1b:1c:1d:1e:2f", "two");
	ans = expect(s, "{\"command\":\"stat-lease4-get\"}", 0,
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

/* ---- the agent's (HTTP) envelope ---- */

static json_t *http_call(env_state_t *s, const char *body, unsigned want_status)
{
	unsigned status = 0;
	_cleanup_free_ char *text = ctl_handle_http(s->ctl, body, strlen(body), &status);
	json_t *ans;

	assert_non_null(text);
	assert_int_equal(status, want_status);
	ans = json_loads(text, 0, NULL);
	assert_non_null(ans);
	return ans;
}

static void test_http_envelope(void **state)
{
	env_state_t *s = *state;
	json_t *ans;

	ans = http_call(s, "{\"command\":\"statistic-get-all\",\"service\":[\"dhcp4\"]}", 200);
	assert_true(json_is_array(ans));
	assert_int_equal(json_array_size(ans), 1);
	assert_int_equal(result_of(json_array_get(ans, 0)), 0);
	assert_non_null(json_object_get(json_object_get(json_array_get(ans, 0), "arguments"),
	                                "pkt4-received"));
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"version-get\",\"service\":[\"dhcp4\",\"dhcp6\"]}", 200);
	assert_int_equal(json_array_size(ans), 2);
	assert_string_equal(text_of(json_array_get(ans, 1)),
	                    "forwarding socket is not configured for the server type dhcp6");
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"bogus\",\"service\":[\"dhcp4\"]}", 200);
	assert_int_equal(result_of(json_array_get(ans, 0)), 2);
	assert_string_equal(text_of(json_array_get(ans, 0)), "'bogus' command not supported.");
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"version-get\",\"service\":\"dhcp4\"}", 200);
	assert_string_equal(text_of(json_array_get(ans, 0)), "service value must be a list");
	json_decref(ans);

	/* no service: the agent answers itself */
	ans = http_call(s, "{\"command\":\"lease4-get\"}", 200);
	assert_int_equal(result_of(json_array_get(ans, 0)), 2);
	assert_non_null(strstr(text_of(json_array_get(ans, 0)), "You did not include \"service\""));
	json_decref(ans);
	ans = http_call(s, "{\"command\":\"list-commands\"}", 200);
	assert_int_equal(json_array_size(json_object_get(json_array_get(ans, 0), "arguments")), 10);
	json_decref(ans);
	ans = http_call(s, "{\"command\":\"config-get\"}", 200);
	assert_non_null(json_object_get(json_object_get(json_array_get(ans, 0), "arguments"),
	                                "Control-agent"));
	json_decref(ans);

	ans = http_call(s, "{bad", 400);
	assert_int_equal(result_of(ans), 400);
	assert_string_equal(text_of(ans), "Bad Request");
	json_decref(ans);
	ans = http_call(s, "[1,2]", 200);
	assert_string_equal(text_of(json_array_get(ans, 0)),
	                    "Error during command processing: "
	                    "Invalid command Element specified, expected map");
	json_decref(ans);
	ans = http_call(s, "", 200);
	assert_string_equal(text_of(json_array_get(ans, 0)),
	                    "Command processing failed: NULL command parameter");
	json_decref(ans);
}

/* ---- metrics and health ---- */

static void test_metrics_health(void **state)
{
	env_state_t *s = *state;
	const char *why = NULL;

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	stats_add(&s->stats.shards[0], STAT_PKT4_ACK_SENT, 3);
	_cleanup_free_ char *m = ctl_metrics(s->ctl);
	assert_non_null(m);
	assert_non_null(strstr(m, "# TYPE kea_dhcp4_pkt4_ack_sent_total counter\n"
	                          "kea_dhcp4_pkt4_ack_sent_total 3\n"));
	assert_non_null(strstr(m, "# TYPE kea_dhcp4_subnet_assigned_addresses gauge\n"));
	assert_non_null(strstr(m, "kea_dhcp4_subnet_assigned_addresses{subnet_id=\"1\","
	                          "subnet=\"192.0.2.0/24\",shared_network=\"\"} 1\n"));
	assert_non_null(strstr(m, "kea_dhcp4_subnet_total_addresses{subnet_id=\"2\","
	                          "subnet=\"10.0.0.0/16\",shared_network=\"\"} 2560\n"));
	assert_non_null(strstr(m, "# TYPE process_cpu_seconds_total counter\n"));
	/* every TYPE line is unique (one family each) */
	for (char *p = strstr(m, "# TYPE "); p != NULL; p = strstr(p + 1, "# TYPE ")) {
		char name[128];

		assert_int_equal(sscanf(p, "# TYPE %127s", name), 1);
		char needle[160];
		snprintf(needle, sizeof(needle), "# TYPE %s ", name);
		assert_ptr_equal(strstr(m, needle), p);
	}

	assert_int_equal(ctl_health(s->ctl, &why), 0);
	assert_string_equal(why, "ready");
	s->fake.enabled = false;
	assert_true(ctl_health(s->ctl, &why) < 0);
	assert_string_equal(why, "DHCP service disabled");
	s->fake.enabled = true;
	cfg_publish(NULL);
	assert_true(ctl_health(s->ctl, &why) < 0);
	assert_string_equal(why, "no configuration loaded");
}

/* ---- listen configuration ---- */

static void test_listen_cfg(void **state)
{
	ctl_listen_cfg_t c = {0};
	char *err = NULL;
	json_t *root;

	(void)state;
	root = json_load_file(fixture_path("seed/control-agent-config.json"), 0, NULL);
	assert_non_null(root);
	assert_int_equal(ctl_listen_cfg_parse(root, &c, &err), 0);
	assert_string_equal(c.http_host, "0.0.0.0");
	assert_int_equal(c.http_port, 8000);
	assert_string_equal(c.unix_path, "/tmp/dhcp4-socket");
	assert_null(c.auth_realm);
	assert_non_null(json_object_get(c.agent_json, "Control-agent"));
	ctl_listen_cfg_done(&c);
	json_decref(root);

	root = json_loads(
	        "{\"Dhcp4\":{\"control-socket\":{\"socket-type\":\"unix\",\"socket-name\":"
	        "\"/run/x.sock\"}},\"Control-agent\":{\"http-port\":8080,\"authentication\":"
	        "{\"type\":\"basic\",\"clients\":[{\"user\":\"u\",\"password\":\"p\"}]}}}",
	        0, NULL);
	assert_int_equal(ctl_listen_cfg_parse(root, &c, &err), 0);
	assert_string_equal(c.unix_path, "/run/x.sock");
	assert_string_equal(c.http_host, "127.0.0.1");
	assert_int_equal(c.http_port, 8080);
	assert_string_equal(c.auth_realm, "kea-control-agent");
	assert_int_equal(c.n_auth_clients, 1);
	assert_string_equal(c.auth_clients[0].user, "u");
	ctl_listen_cfg_done(&c);
	json_decref(root);

	root = json_loads("{\"Control-agent\":{\"http-port\":99999}}", 0, NULL);
	assert_int_equal(ctl_listen_cfg_parse(root, &c, &err), -EINVAL);
	assert_non_null(err);
	assert_non_null(strstr(err, "http-port"));
	free(err);
	err = NULL;
	ctl_listen_cfg_done(&c);
	json_decref(root);

	root = json_loads("{\"Control-agent\":{\"cert-file\":\"/x\"}}", 0, NULL);
	assert_int_equal(ctl_listen_cfg_parse(root, &c, &err), -EINVAL);
	free(err);
	ctl_listen_cfg_done(&c);
	json_decref(root);
}

/* The daemon reopened the lease store: the ctl follows (and survives none). */
static void test_set_store_and_pause(void **state)
{
	env_state_t *s = *state;
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	lease_store_t *other = NULL;
	char *msg = NULL;

	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ctl_pause(s->ctl); /* recursive: commands may still run on this thread */
	ctl_set_store(s->ctl, NULL);
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}", 1,
	       "lease database is not available");
	const char *why = NULL;
	assert_true(ctl_health(s->ctl, &why) < 0);
	assert_string_equal(why, "no lease store");
	EXPECT(s, "{\"command\":\"statistic-get-all\"}", 0, NULL); /* sampling copes */
	assert_int_equal(lease_store_open(&lcfg, &other, &msg), 0);
	ctl_set_store(s->ctl, other);
	ctl_resume(s->ctl);
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}", 3,
	       "Lease not found.");
	ctl_set_store(s->ctl, s->store);
	lease_store_close(other);
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}", 0,
	       "IPv4 lease found.");
	ctl_pause(NULL); /* NULL-safe */
	ctl_resume(NULL);
	ctl_set_store(NULL, NULL);
}

/* kea-ctrl-agent's own file format, comments included. */
static void test_listen_cfg_load_file(void **state)
{
	char path[] = "/tmp/test-ctl-ca-XXXXXX";
	ctl_listen_cfg_t c = {0};
	char *err = NULL;
	int fd = mkstemp(path);
	static const char text[] =
	        "// kea-ctrl-agent.conf\n"
	        "{ \"Control-agent\": {\n"
	        "    \"http-host\": \"10.1.2.3\", # the deployment's\n"
	        "    \"http-port\": 8001,\n"
	        "    /* sockets */ \"control-sockets\": { \"dhcp4\": { \"socket-type\": \"unix\",\n"
	        "        \"socket-name\": \"/tmp/kea4-ctrl-socket\" } } } }\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(ctl_listen_cfg_load_file(path, &c, &err), 0);
	assert_string_equal(c.http_host, "10.1.2.3");
	assert_int_equal(c.http_port, 8001);
	assert_string_equal(c.unix_path, "/tmp/kea4-ctrl-socket");
	ctl_listen_cfg_done(&c);

	/* a JSON error names file, line and column */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\n \"Control-agent\": {\n  \"http-port\": }\n}\n", 41), 41);
	close(fd);
	assert_int_equal(ctl_listen_cfg_load_file(path, &c, &err), -EINVAL);
	assert_non_null(err);
	assert_non_null(strstr(err, ":3:"));
	free(err);
	err = NULL;
	ctl_listen_cfg_done(&c);
	unlink(path);
	assert_int_equal(ctl_listen_cfg_load_file(path, &c, &err), -ENOENT);
	free(err);
	ctl_listen_cfg_done(&c);
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

/* ---- issue 10: list-commands by hooks, Kea's argument texts, queue statistics ---- */

static bool listed(env_state_t *s, const char *name)
{
	json_t *ans = expect(s, "{\"command\":\"list-commands\"}", 0, NULL);
	json_t *v;
	size_t i;
	bool found = false;

	json_array_foreach(json_object_get(ans, "arguments"), i, v)
	{
		found = found || strcmp(json_string_value(v), name) == 0;
	}
	json_decref(ans);
	return found;
}

static void test_list_commands_follow_hooks(void **state)
{
	env_state_t *s = *state;

	assert_true(listed(s, "lease4-resend-ddns"));
	assert_true(listed(s, "lease6-bulk-apply"));
	assert_true(listed(s, "stat-lease6-get"));
	assert_true(listed(s, "config-backend-pull"));
	assert_true(listed(s, "libreload"));
	EXPECT(s, "{\"command\":\"config-backend-pull\"}", 3, "No config backend.");
	EXPECT(s, "{\"command\":\"libreload\"}", 0, "Hooks libraries successfully reloaded.");
	/* only stat_cmds: the lease commands are neither listed nor known */
	EXPECT(s,
	       "{\"command\":\"config-set\",\"arguments\":{\"Dhcp4\":{\"hooks-libraries\":"
	       "[{\"library\":\"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\"}],"
	       "\"subnet4\":[{\"id\":1,\"subnet\":\"192.0.2.0/24\"}]}}}",
	       0, "Configuration successful.");
	assert_false(listed(s, "lease4-get"));
	assert_false(listed(s, "lease6-get"));
	assert_true(listed(s, "stat-lease4-get"));
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.1\"}}", 2,
	       "'lease4-get' command not supported.");
	EXPECT(s, "{\"command\":\"stat-lease6-get\",\"arguments\":{\"subnet-id\":1}}", 3,
	       "stat-lease6-get[subnet-id=1]: no matching data, subnet-id: 1 does not exist");
}

/* lessor-lease4-batch (lessor HA peers): each item answered as its own
 * command would be, in order; unknown without the HA hook, never listed. */
static void test_lease4_batch(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *res;

	EXPECT(s, "{\"command\":\"lessor-lease4-batch\",\"arguments\":{\"leases\":[]}}", 2,
	       "'lessor-lease4-batch' command not supported.");
	EXPECT(s,
	       "{\"command\":\"config-set\",\"arguments\":{\"Dhcp4\":{\"hooks-libraries\":["
	       "{\"library\":\"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\"},"
	       "{\"library\":\"/usr/lib/kea/hooks/libdhcp_ha.so\",\"parameters\":{"
	       "\"high-availability\":[{\"this-server-name\":\"a\",\"mode\":\"hot-standby\","
	       "\"peers\":[{\"name\":\"a\",\"url\":\"http://127.0.0.1:20598/\",\"role\":\"primary\"},"
	       "{\"name\":\"b\",\"url\":\"http://127.0.0.1:20599/\",\"role\":\"standby\"}]}]}}],"
	       "\"subnet4\":[{\"id\":1,\"subnet\":\"192.0.2.0/24\"}]}}}",
	       0, "Configuration successful.");
	assert_false(listed(s, "lessor-lease4-batch"));
	assert_true(listed(s, "ha-heartbeat"));
	EXPECT(s, "{\"command\":\"lessor-lease4-batch\",\"arguments\":{}}", 1, "'leases' must be a list");
	add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ans = expect(s,
	             "{\"command\":\"lessor-lease4-batch\",\"arguments\":{\"leases\":["
	             "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.151\","
	             "\"hw-address\":\"1a:1b:1c:1d:1e:2f\",\"force-create\":true}},"
	             "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.160\","
	             "\"hw-address\":\"1a:1b:1c:1d:1e:3f\"}},"
	             "{\"command\":\"lease4-del\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}},"
	             "{\"command\":\"lease4-del\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}},"
	             "{\"command\":\"shutdown\"}, 7]}}",
	             0, "6 leases applied");
	res = json_object_get(json_object_get(ans, "arguments"), "results");
	assert_int_equal(json_array_size(res), 6);
	static const int want[] = { 0, 1, 0, 3, 2, 1 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(result_of(json_array_get(res, i)), want[i]);
	}
	assert_string_equal(text_of(json_array_get(res, 0)), "IPv4 lease added.");
	assert_string_equal(text_of(json_array_get(res, 2)), "IPv4 lease deleted.");
	json_decref(ans);
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.151\"}}", 0,
	       "IPv4 lease found.");
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"192.0.2.150\"}}", 3,
	       "Lease not found.");
	assert_int_equal(s->fake.shutdowns, 0);      /* not a batch command */
}

static void test_lease_argument_texts(void **state)
{
	env_state_t *s = *state;

#define ADD(extra) "{\"command\":\"lease4-add\",\"arguments\":{" extra "}}"
#define IPHW "\"ip-address\":\"192.0.2.150\",\"hw-address\":\"1a:1b:1c:1d:1e:1f\""
	EXPECT(s, ADD("\"ip-address\":\"192.168.50.300\",\"hw-address\":\"1a:1b\""), 1,
	       "Failed to convert '192.168.50.300' to address: Failed to convert string to "
	       "address '192.168.50.300': Invalid argument");
	EXPECT(s, ADD("\"ip-address\":\"2001:DB8:0::1\",\"hw-address\":\"1a:1b\""), 1,
	       "Non-IPv4 address specified: 2001:db8::1");
	EXPECT(s, ADD(IPHW ",\"subnet-id\":-1"), 1,
	       "out of range value (-1) specified for parameter 'subnet-id'");
	EXPECT(s, ADD(IPHW ",\"valid-lft\":\"x\""), 1,
	       "invalid type specified for parameter 'valid-lft'");
	EXPECT(s, ADD(IPHW ",\"state\":300"), 1,
	       "out of range value (300) specified for parameter 'state'");
	EXPECT(s, ADD(IPHW ",\"user-context\":[1,\"a\\\"\",{\"b\":null,\"a\":true}]"), 1,
	       "Invalid user context '[ 1, \"a\\\"\", { \"a\": true, \"b\": null } ]' is not a "
	       "JSON map.");
	EXPECT(s, ADD(IPHW ",\"client-id\":\"zz\""), 1,
	       "'zz' is not a valid string of hexadecimal digits");
	EXPECT(s, ADD(IPHW ",\"client-id\":\"0x1\""), 1,
	       "client-id is too short (1), at least 2 is required");
	EXPECT(s, ADD("\"ip-address\":\"192.0.2.150\",\"hw-address\":\"1a::1b\""), 1,
	       "two consecutive separators (':') specified in a decoded string '1a::1b'");
	EXPECT(s, ADD("\"ip-address\":\"192.0.2.150\",\"hw-address\":\"1a1b1c\""), 1,
	       "invalid format of the decoded string '1a1b1c'");
	EXPECT(s, ADD("\"ip-address\":\"192.0.2.150\",\"hw-address\":\"\""), 1,
	       "Lease4: 192.0.2.150, state: default has neither hardware address or client id");
	EXPECT(s, "{\"command\":\"lease4-add\",\"arguments\":[1]}", 1,
	       "get(string) called on a non-map Element in");
#undef ADD
#undef IPHW
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{}}", 1,
	       "Mandatory 'subnet-id' parameter missing.");
	EXPECT(s, "{\"command\":\"lease4-get\",\"arguments\":{\"ip-address\":\"::1\"}}", 1,
	       "Invalid IPv4 address specified: ::1");
	EXPECT(s,
	       "{\"command\":\"lease4-del\",\"arguments\":{\"identifier-type\":\"duid\","
	       "\"identifier\":\"01:02\",\"subnet-id\":1}}",
	       1, "Delete by duid is not allowed in v4.");
	EXPECT(s, "{\"command\":\"lease4-get-all\",\"arguments\":{}}", 1,
	       "'subnets' parameter not specified");
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"start\",\"limit\":-1}}",
	       1, "page size of retrieved leases must not be greater than 4294967295");
	EXPECT(s,
	       "{\"command\":\"lease4-get-page\",\"arguments\":{\"from\":\"::\",\"limit\":1}}", 1,
	       "'from' parameter value :: is not an IPv4 address");
	EXPECT(s, "{\"command\":\"lease4-get-by-client-id\",\"arguments\":{\"client-id\":\"\"}}",
	       1, "Empty DUIDs are not allowed");
	EXPECT(s, "{\"command\":\"lease4-wipe\",\"arguments\":[1]}", 1,
	       "contains(string) called on a non-map Element in");
	EXPECT(s, "{\"command\":\"lease4-resend-ddns\",\"arguments\":{\"ip-address\":\"x\"}}", 1,
	       "'x' is not a valid IP address.");
	EXPECT(s,
	       "{\"command\":\"lease4-resend-ddns\",\"arguments\":{\"ip-address\":\"192.0.2.9\"}}",
	       1, "DDNS updating is not enabled");
	EXPECT(s, "{\"command\":\"lease4-resend-ddns\"}", 1,
	       "get(string) called on a non-map Element in");
	EXPECT(s, "{\"command\":\"stat-lease4-get\",\"arguments\":[1]}", 1,
	       "'arguments' parameter is not a map");
}

static void test_lease6_on_a_v4_server(void **state)
{
	env_state_t *s = *state;
	json_t *ans;

	EXPECT(s, "{\"command\":\"lease6-add\",\"arguments\":{\"ip-address\":\"192.0.2.1\"}}", 1,
	       "Non-IPv6 address specified: 192.0.2.1");
	EXPECT(s,
	       "{\"command\":\"lease6-add\",\"arguments\":{\"ip-address\":\"2001:db8::1\","
	       "\"duid\":\"01:02\",\"subnet-id\":7}}",
	       1, "Invalid subnet-id: No IPv6 subnet with subnet-id=7 currently configured.");
	EXPECT(s,
	       "{\"command\":\"lease6-get\",\"arguments\":{\"subnet-id\":1,"
	       "\"identifier-type\":\"hw-address\",\"identifier\":\"01:02\"}}",
	       1, "Query by hw-address is not allowed in v6.");
	EXPECT(s, "{\"command\":\"lease6-get\",\"arguments\":{\"ip-address\":\"2001:db8::1\"}}", 3,
	       "Lease not found.");
	EXPECT(s, "{\"command\":\"lease6-del\",\"arguments\":{\"ip-address\":\"2001:db8::1\"}}", 3,
	       "IPv6 lease not found.");
	ans = expect(s, "{\"command\":\"lease6-get-page\",\"arguments\":{\"from\":\"start\","
	                "\"limit\":9}}",
	             3, "0 IPv6 lease(s) found.");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ans, "arguments"),
	                                                    "count")),
	                 0);
	json_decref(ans);
	ans = expect(s,
	             "{\"command\":\"lease6-bulk-apply\",\"arguments\":{\"deleted-leases\":"
	             "[{\"ip-address\":\"2001:db8::1\"}]}}",
	             3, "Bulk apply of 0 IPv6 leases completed.");
	json_t *f = json_array_get(
	        json_object_get(json_object_get(ans, "arguments"), "failed-deleted-leases"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "error-message")),
	                    "lease not found");
	assert_string_equal(json_string_value(json_object_get(f, "type")), "IA_NA");
	json_decref(ans);
	EXPECT(s, "{\"command\":\"lease6-wipe\",\"arguments\":{\"subnet-id\":4}}", 3,
	       "Deleted 0 IPv6 lease(s) from subnet(s) 4");
	EXPECT(s, "{\"command\":\"lease6-resend-ddns\",\"arguments\":{\"ip-address\":\"1.2.3.4\"}}",
	       1, "Invalid IPv6 address specified: 1.2.3.4");
}

static void test_status_get_queue_statistics(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *q;

	/* the test configuration has Kea 2.4's default: multi-threading on */
	ans = expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	q = json_object_get(json_object_get(ans, "arguments"), "packet-queue-statistics");
	assert_int_equal(json_array_size(q), 3);
	assert_true(json_real_value(json_array_get(q, 0)) == 0.0);
	json_decref(ans);
	stats_add(&s->stats.shards[0], STAT_PKT4_RECEIVED, 1);
	ans = expect(s, "{\"command\":\"status-get\"}", 0, NULL);
	q = json_object_get(json_object_get(ans, "arguments"), "packet-queue-statistics");
	/* what Kea 2.2 reports after one packet that found its queue empty */
	assert_true(json_real_value(json_array_get(q, 0)) == 0.0951626);
	assert_true(json_real_value(json_array_get(q, 1)) == 0.00995017);
	assert_true(json_real_value(json_array_get(q, 2)) == 0.0009995);
	json_decref(ans);
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
	/* every command is logged at INFO (COMMAND_RECEIVED): keep test output short */
	cfg_logger_t quiet = {.name = (char *)"kea-dhcp4", .severity = LOG_SEV_WARN};
	(void)log_configure(&quiet, 1);

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_dispatch_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_process_commands, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_dhcp_enable_disable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_status_dhcp_state, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_log_get, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unsupported_without_callbacks, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_config_get_test_set, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_hash_write, setup, teardown),
	        cmocka_unit_test(test_sha256),
	        cmocka_unit_test_setup_teardown(test_lease_add_get, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lease_lists, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lease_update_del_wipe, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_statistics, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_stat_lease4_get, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_http_envelope, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_metrics_health, setup, teardown),
	        cmocka_unit_test(test_listen_cfg),
	        cmocka_unit_test(test_listen_cfg_load_file),
	        cmocka_unit_test_setup_teardown(test_set_store_and_pause, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_every_prefix_answers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_commands_follow_hooks, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lease_argument_texts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lease6_on_a_v4_server, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_status_get_queue_statistics, setup, teardown),
	        cmocka_unit_test(test_kea_pretty),
	        cmocka_unit_test_setup_teardown(test_lease4_batch, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

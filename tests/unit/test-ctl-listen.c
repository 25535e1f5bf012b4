/* ctl: the agent's HTTP envelope, /metrics and /health, and the listeners'
 * configuration, against the fake daemon environment (helpers-ctl.c). */
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
	assert_int_equal(ctl_fx_result(json_array_get(ans, 0)), 0);
	assert_non_null(json_object_get(json_object_get(json_array_get(ans, 0), "arguments"),
	                                "pkt4-received"));
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"version-get\",\"service\":[\"dhcp4\",\"dhcp6\"]}", 200);
	assert_int_equal(json_array_size(ans), 2);
	assert_string_equal(ctl_fx_text(json_array_get(ans, 1)),
	                    "forwarding socket is not configured for the server type dhcp6");
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"bogus\",\"service\":[\"dhcp4\"]}", 200);
	assert_int_equal(ctl_fx_result(json_array_get(ans, 0)), 2);
	assert_string_equal(ctl_fx_text(json_array_get(ans, 0)), "'bogus' command not supported.");
	json_decref(ans);

	ans = http_call(s, "{\"command\":\"version-get\",\"service\":\"dhcp4\"}", 200);
	assert_string_equal(ctl_fx_text(json_array_get(ans, 0)), "service value must be a list");
	json_decref(ans);

	/* no service: the agent answers itself */
	ans = http_call(s, "{\"command\":\"lease4-get\"}", 200);
	assert_int_equal(ctl_fx_result(json_array_get(ans, 0)), 2);
	assert_non_null(strstr(ctl_fx_text(json_array_get(ans, 0)), "You did not include \"service\""));
	json_decref(ans);
	ans = http_call(s, "{\"command\":\"list-commands\"}", 200);
	assert_int_equal(json_array_size(json_object_get(json_array_get(ans, 0), "arguments")), 10);
	json_decref(ans);
	ans = http_call(s, "{\"command\":\"config-get\"}", 200);
	assert_non_null(json_object_get(json_object_get(json_array_get(ans, 0), "arguments"),
	                                "Control-agent"));
	json_decref(ans);

	ans = http_call(s, "{bad", 400);
	assert_int_equal(ctl_fx_result(ans), 400);
	assert_string_equal(ctl_fx_text(ans), "Bad Request");
	json_decref(ans);
	ans = http_call(s, "[1,2]", 200);
	assert_string_equal(ctl_fx_text(json_array_get(ans, 0)),
	                    "Error during command processing: "
	                    "Invalid command Element specified, expected map");
	json_decref(ans);
	ans = http_call(s, "", 200);
	assert_string_equal(ctl_fx_text(json_array_get(ans, 0)),
	                    "Command processing failed: NULL command parameter");
	json_decref(ans);
}

static void test_metrics_health(void **state)
{
	env_state_t *s = *state;
	const char *why = NULL;

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
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

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
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

int main(void)
{
	ctl_fx_quiet_logs();

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_http_envelope, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_metrics_health, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test(test_listen_cfg),
	        cmocka_unit_test(test_listen_cfg_load_file),
	        cmocka_unit_test_setup_teardown(test_set_store_and_pause, ctl_fx_setup, ctl_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

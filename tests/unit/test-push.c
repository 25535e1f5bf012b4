/* Unit tests for src/push/ and Dhcp4."lessor-metrics": the metrics taken
 * from statistic-get-all, the EMF records and the PutMetricData requests
 * libcurl signs, without any network. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "push/emf.h"
#include "push/put.h"
#include "push/sample.h"

/* Seven subnets 10.0.N.0/24, N = id, each with a 100-address pool. */
static cfg_t *seven_subnets(const char *metrics)
{
	char text[4096];
	size_t o = (size_t)snprintf(text, sizeof(text), "{\"Dhcp4\": {%s \"subnet4\": [", metrics);
	cfg_t *cfg = NULL;
	cfg_err_t err;

	for (int id = 1; id <= 7; id++) {
		o += (size_t)snprintf(text + o, sizeof(text) - o,
		                      "%s{\"id\": %d, \"subnet\": \"10.0.%d.0/24\", \"pools\": "
		                      "[{\"pool\": \"10.0.%d.1 - 10.0.%d.100\"}]}",
		                      id > 1 ? "," : "", id, id, id, id);
	}
	snprintf(text + o, sizeof(text) - o, "]}}");
	assert_int_equal(cfg_load_text(text, strlen(text), &cfg, &err), 0);
	return cfg;
}

static void put_stat(json_t *o, const char *name, double v)
{
	json_object_set_new(o, name, json_pack("[[f,s]]", v, "2026-12-03 19:00:00.000000"));
}

/* statistic-get-all's arguments: globals and subnets 1..7 with
 * assigned = 10 * id (subnet 3: 95, the fullest; subnet 6 has no gauge). */
static json_t *stats_all(void)
{
	json_t *o = json_object();
	char name[64];

	put_stat(o, "pkt4-ack-sent", 42);
	put_stat(o, "pkt4-received", 99);         /* skipped by the agent */
	put_stat(o, "pkt4-sent", 99);             /* skipped */
	put_stat(o, "total-addresses", 700);      /* skipped */
	put_stat(o, "assigned-addresses", 200);
	put_stat(o, "declined-reclaimed-addresses", 1); /* skipped */
	put_stat(o, "pkt4-discover-received", 50);
	for (int id = 1; id <= 7; id++) {
		snprintf(name, sizeof(name), "subnet[%d].total-addresses", id);
		put_stat(o, name, 100);
		if (id != 6) {
			snprintf(name, sizeof(name), "subnet[%d].assigned-addresses", id);
			put_stat(o, name, id == 3 ? 95 : 10 * id);
		}
	}
	return o;
}

static void test_skipped(void **state)
{
	(void)state;
	assert_true(push_skipped("subnet[1].assigned-addresses"));
	assert_true(push_skipped("pkt4-sent"));
	assert_true(push_skipped("pkt4-inform-received"));
	assert_true(push_skipped("pkt4-parse-failed"));
	assert_true(push_skipped("pkt4-received"));
	assert_true(push_skipped("declined-reclaimed-addresses"));
	assert_true(push_skipped("total-addresses"));
	assert_false(push_skipped("pkt4-ack-sent"));
	assert_false(push_skipped("assigned-addresses"));
	assert_false(push_skipped("metrics-push-put-failed"));
}

static void test_sample(void **state)
{
	(void)state;
	cfg_t *cfg = seven_subnets("");
	json_t *all = stats_all();
	push_sample_t s;

	assert_int_equal(push_sample_build(all, cfg, 5, 1764788400123, &s), 0);
	assert_int_equal(s.n, 3 + 5);
	/* globals by name, the skipped ones left out */
	assert_string_equal(s.m[0].name, "assigned-addresses");
	assert_string_equal(s.m[1].name, "pkt4-ack-sent");
	assert_true(s.m[1].value == 42);
	assert_string_equal(s.m[2].name, "pkt4-discover-received");
	assert_string_equal(s.m[0].subnet, "");
	/* then the five fullest: 3 (95 %), 7 (70), 5 (50), 4 (40), 2 (20) */
	static const char *const want[] = { "10.0.3.0/24", "10.0.7.0/24", "10.0.5.0/24",
		                            "10.0.4.0/24", "10.0.2.0/24" };
	static const double pct[] = { 95, 70, 50, 40, 20 };
	for (int i = 0; i < 5; i++) {
		assert_string_equal(s.m[3 + i].name, "lease-percent-used");
		assert_string_equal(s.m[3 + i].subnet, want[i]);
		assert_true(s.m[3 + i].value == pct[i]);
		assert_true(s.m[3 + i].percent);
	}
	push_sample_done(&s);

	/* no configuration: the id stands in; top 0: no subnet metric */
	assert_int_equal(push_sample_build(all, NULL, 1, 0, &s), 0);
	assert_string_equal(s.m[s.n - 1].subnet, "subnet-3");
	push_sample_done(&s);
	assert_int_equal(push_sample_build(all, cfg, 0, 0, &s), 0);
	assert_int_equal(s.n, 3);
	push_sample_done(&s);
	json_decref(all);
	cfg_free(cfg);
}

static void test_emf(void **state)
{
	(void)state;
	cfg_t *cfg = seven_subnets("");
	json_t *all = stats_all();
	push_sample_t s;
	json_error_t je;

	assert_int_equal(push_sample_build(all, cfg, 2, 1764788400123, &s), 0);
	char *text = push_emf_build(&s, "Kea-DHCP", "dhcp-a");
	assert_non_null(text);
	/* three lines: the globals, then one per subnet */
	char *l2 = strchr(text, '\n');
	assert_non_null(l2);
	*l2++ = '\0';
	char *l3 = strchr(l2, '\n');
	*l3++ = '\0';
	assert_string_equal(strchr(l3, '\n'), "\n");
	*strchr(l3, '\n') = '\0';

	json_t *g = json_loads(text, 0, &je);
	assert_non_null(g);
	json_t *aws = json_object_get(g, "_aws");
	assert_int_equal(json_integer_value(json_object_get(aws, "Timestamp")), 1764788400123);
	json_t *d = json_array_get(json_object_get(aws, "CloudWatchMetrics"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "Namespace")), "Kea-DHCP");
	json_t *dims = json_object_get(d, "Dimensions");
	assert_int_equal(json_array_size(dims), 1);
	assert_int_equal(json_array_size(json_array_get(dims, 0)), 1);
	assert_string_equal(json_string_value(json_array_get(json_array_get(dims, 0), 0)), "Server");
	assert_string_equal(json_string_value(json_object_get(g, "Server")), "dhcp-a");
	json_t *ms = json_object_get(d, "Metrics");
	assert_int_equal(json_array_size(ms), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ms, 1), "Name")),
	                    "pkt4-ack-sent");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ms, 1), "Unit")),
	                    "Count");
	assert_int_equal(json_integer_value(json_object_get(g, "pkt4-ack-sent")), 42);
	assert_null(json_object_get(g, "pkt4-received"));
	json_decref(g);

	json_t *sub = json_loads(l2, 0, &je);
	assert_non_null(sub);
	assert_string_equal(json_string_value(json_object_get(sub, "Subnet")), "10.0.3.0/24");
	assert_string_equal(json_string_value(json_object_get(sub, "Server")), "dhcp-a");
	assert_true(json_number_value(json_object_get(sub, "lease-percent-used")) == 95);
	d = json_array_get(json_object_get(json_object_get(sub, "_aws"), "CloudWatchMetrics"), 0);
	dims = json_array_get(json_object_get(d, "Dimensions"), 0);
	assert_int_equal(json_array_size(dims), 1);     /* the agent's: Subnet alone */
	assert_string_equal(json_string_value(json_array_get(dims, 0)), "Subnet");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(d, "Metrics"), 0), "Unit")),
	                    "Percent");
	json_decref(sub);
	free(text);
	push_sample_done(&s);
	json_decref(all);
	cfg_free(cfg);
}

/* 150 globals: two records (EMF allows 100 metrics per directive). */
static void test_emf_split(void **state)
{
	(void)state;
	json_t *all = json_object();
	char name[32];
	push_sample_t s;

	for (int i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "stat-%03d", i);
		put_stat(all, name, i + 0.5);
	}
	assert_int_equal(push_sample_build(all, NULL, 5, 0, &s), 0);
	char *text = push_emf_build(&s, "N", "S");
	int lines = 0;
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"), lines++) {
		json_t *r = json_loads(line, 0, NULL);
		json_t *d = json_array_get(
		        json_object_get(json_object_get(r, "_aws"), "CloudWatchMetrics"), 0);

		assert_int_equal(json_array_size(json_object_get(d, "Metrics")), lines == 0 ? 100 : 50);
		assert_true(json_real_value(json_object_get(r, lines == 0 ? "stat-000" : "stat-149")) ==
		            (lines == 0 ? 0.5 : 149.5));
		json_decref(r);
	}
	assert_int_equal(lines, 2);
	free(text);
	push_sample_done(&s);
	json_decref(all);
}

static void test_put_request(void **state)
{
	(void)state;
	json_t *all = json_object();
	push_sample_t s;
	push_put_req_t r;
	s3_creds_t creds = { .key_id = "AKID", .secret = "SECRET", .token = NULL };

	put_stat(all, "pkt4-ack-sent", 42);
	put_stat(all, "subnet[1].total-addresses", 8);
	put_stat(all, "subnet[1].assigned-addresses", 1);
	/* 2026-12-03T19:00:00.123Z */
	assert_int_equal(push_sample_build(all, NULL, 5, 1796324400123, &s), 0);
	assert_int_equal(push_put_build(&s, "Kea-DHCP", "dhcp a/b", "eu-west-2", NULL, &creds, &r), 0);
	assert_string_equal(r.url, "https://monitoring.eu-west-2.amazonaws.com/");
	assert_string_equal(r.sigv4, "aws:amz:eu-west-2:monitoring");
	assert_string_equal(r.userpwd, "AKID:SECRET");
	assert_null(r.token_header);
	assert_int_equal(r.n_bodies, 1);
	assert_string_equal(
	        r.bodies[0],
	        "Action=PutMetricData&Version=2010-08-01&Namespace=Kea-DHCP"
	        "&MetricData.member.1.MetricName=pkt4-ack-sent&MetricData.member.1.Value=42"
	        "&MetricData.member.1.Unit=Count"
	        "&MetricData.member.1.Timestamp=2026-12-03T19%3A00%3A00.123Z"
	        "&MetricData.member.1.Dimensions.member.1.Name=Server"
	        "&MetricData.member.1.Dimensions.member.1.Value=dhcp%20a%2Fb"
	        "&MetricData.member.2.MetricName=lease-percent-used&MetricData.member.2.Value=12.5"
	        "&MetricData.member.2.Unit=Percent"
	        "&MetricData.member.2.Timestamp=2026-12-03T19%3A00%3A00.123Z"
	        "&MetricData.member.2.Dimensions.member.1.Name=Subnet"
	        "&MetricData.member.2.Dimensions.member.1.Value=subnet-1");
	push_put_done(&r);
	push_sample_done(&s);

	/* an endpoint and a session token; 45 metrics: requests of 20, 20, 5 */
	for (int i = 0; i < 44; i++) {
		char name[32];

		snprintf(name, sizeof(name), "stat-%02d", i);
		put_stat(all, name, i);
	}
	creds.token = "TOKEN";
	assert_int_equal(push_sample_build(all, NULL, 0, 0, &s), 0);
	assert_int_equal(s.n, 45);
	assert_int_equal(push_put_build(&s, "N", "S", NULL, "http://127.0.0.1:9/", &creds, &r), 0);
	assert_string_equal(r.url, "http://127.0.0.1:9/");
	assert_string_equal(r.token_header, "x-amz-security-token: TOKEN");
	assert_int_equal(r.n_bodies, 3);
	assert_non_null(strstr(r.bodies[0], "MetricData.member.20."));
	assert_null(strstr(r.bodies[0], "MetricData.member.21."));
	assert_non_null(strstr(r.bodies[2], "MetricData.member.5."));
	assert_null(strstr(r.bodies[2], "MetricData.member.6."));
	push_put_done(&r);
	push_sample_done(&s);
	json_decref(all);
}

static void expect_cfg_error(const char *metrics, const char *path, const char *msg)
{
	char text[512];
	cfg_t *cfg = NULL;
	cfg_err_t err;

	snprintf(text, sizeof(text), "{\"Dhcp4\": {\"lessor-metrics\": %s}}", metrics);
	assert_true(cfg_load_text(text, strlen(text), &cfg, &err) < 0);
	assert_string_equal(err.path, path);
	assert_non_null(strstr(err.msg, msg));
}

static void test_config(void **state)
{
	(void)state;
	cfg_t *cfg = seven_subnets("");

	assert_false(cfg->push.enabled);
	cfg_free(cfg);
	cfg = seven_subnets("\"lessor-metrics\": {\"emf\": \"stdout\"},");
	assert_true(cfg->push.enabled);
	assert_int_equal(cfg->push.interval, 10);
	assert_int_equal(cfg->push.top_subnets, 5);
	assert_string_equal(cfg->push.ns, "Kea-DHCP");
	assert_null(cfg->push.server_name);
	assert_false(cfg->push.put);
	cfg_free(cfg);
	cfg = seven_subnets("\"lessor-metrics\": {\"interval\": 30, \"server-name\": \"a\", "
	                    "\"namespace\": \"N\", \"top-subnets\": 3, "
	                    "\"put-metric-data\": {\"region\": \"eu-west-2\", "
	                    "\"endpoint\": \"http://127.0.0.1:1/\"}},");
	assert_int_equal(cfg->push.interval, 30);
	assert_string_equal(cfg->push.server_name, "a");
	assert_true(cfg->push.put);
	assert_null(cfg->push.emf);
	assert_string_equal(cfg->push.region, "eu-west-2");
	assert_string_equal(cfg->push.endpoint, "http://127.0.0.1:1/");
	cfg_free(cfg);

	expect_cfg_error("{}", "Dhcp4.lessor-metrics", "neither emf nor");
	expect_cfg_error("{\"emf\": \"stdout\", \"interval\": 0}", "Dhcp4.lessor-metrics.interval",
	                 "out of range");
	expect_cfg_error("{\"emf\": \"udp://127.0.0.1\"}", "Dhcp4.lessor-metrics.emf", "udp://HOST:PORT");
	expect_cfg_error("{\"emf\": \"stdout\", \"colour\": 1}", "Dhcp4.lessor-metrics.colour", "");
	expect_cfg_error("{\"put-metric-data\": {\"endpoint\": \"ftp://x/\"}}",
	                 "Dhcp4.lessor-metrics.put-metric-data.endpoint", "not an http(s)");
	expect_cfg_error("[]", "Dhcp4.lessor-metrics", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skipped),   cmocka_unit_test(test_sample),
		cmocka_unit_test(test_emf),       cmocka_unit_test(test_emf_split),
		cmocka_unit_test(test_put_request), cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

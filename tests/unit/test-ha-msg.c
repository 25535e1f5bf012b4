/* ha-msg: heartbeat messages as Kea 2.2 writes and reads them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ha/ha-msg.h"

static const char *const names[2] = { "primary", NULL };

/* Kea 2.2's own answer (kea-dhcp4 + libdhcp_ha.so, `ha-heartbeat` on its control socket,
 * wrapped in the list its control agent adds) */
static const char kea_answer[] =
	"[{ \"arguments\": { \"date-time\": \"Thu, 03 Dec 2026 12:10:28 GMT\", \"scopes\": [ ],"
	" \"state\": \"waiting\", \"unsent-update-count\": 0 }, \"result\": 0,"
	" \"text\": \"HA peer status returned.\" }]";

static int parse(const char *text, ha_heartbeat_t *hb, char *err)
{
	json_t *j = json_loads(text, 0, NULL);
	int r = ha_msg_parse_heartbeat(j, names, hb, err, 256);

	json_decref(j);
	return r;
}

static void test_rfc1123(void **state)
{
	(void)state;
	char buf[64];
	time_t t;

	ha_msg_rfc1123(1573116577, buf, sizeof(buf));
	assert_string_equal(buf, "Thu, 07 Nov 2019 08:49:37 GMT");
	assert_int_equal(ha_msg_parse_rfc1123(buf, &t), 0);
	assert_int_equal(t, 1573116577);
	assert_int_equal(ha_msg_parse_rfc1123("Thu, 07 Nov 2019 08:49:37 UTC", &t), -EINVAL);
	assert_int_equal(ha_msg_parse_rfc1123("Thu, 07 Xyz 2019 08:49:37 GMT", &t), -EINVAL);
	assert_int_equal(ha_msg_parse_rfc1123("Thu, 07 Nov 2019 25:49:37 GMT", &t), -EINVAL);
	assert_int_equal(ha_msg_parse_rfc1123("Thu, 07 Nov 2019 08:49:37 GMT x", &t), -EINVAL);
	assert_int_equal(ha_msg_parse_rfc1123("", &t), -EINVAL);
	assert_int_equal(ha_msg_skew(1000, 1030), HA_SKEW_OK);
	assert_int_equal(ha_msg_skew(1031, 1000), HA_SKEW_WARN);
	assert_int_equal(ha_msg_skew(1000, 1061), HA_SKEW_TERMINATE);
}

static void test_parse_kea(void **state)
{
	(void)state;
	ha_heartbeat_t hb;
	char err[256];
	time_t t;

	assert_int_equal(parse(kea_answer, &hb, err), 0);
	assert_int_equal(hb.state, CFG_HA_ST_WAITING);
	assert_int_equal(ha_msg_parse_rfc1123("Thu, 03 Dec 2026 12:10:28 GMT", &t), 0);
	assert_int_equal(hb.date_time, t);
	assert_false(hb.scope[0]);
	assert_int_equal(hb.unsent_update_count, 0);
}

static void test_roundtrip(void **state)
{
	(void)state;
	const char *const sc[] = { "primary", NULL };
	json_t *a = ha_msg_heartbeat_answer(CFG_HA_ST_HOT_STANDBY, sc, 7, 1573116577);
	ha_heartbeat_t hb;
	char err[256];

	assert_non_null(a);
	json_t *m = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(m, "text")), "HA peer status returned.");
	assert_int_equal(ha_msg_parse_heartbeat(a, names, &hb, err, sizeof(err)), 0);
	assert_int_equal(hb.state, CFG_HA_ST_HOT_STANDBY);
	assert_int_equal(hb.date_time, 1573116577);
	assert_true(hb.scope[0]);
	assert_int_equal(hb.unsent_update_count, 7);
	json_decref(a);

	json_t *c = ha_msg_command("ha-heartbeat", NULL);
	char *s = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"command\":\"ha-heartbeat\",\"service\":[\"dhcp4\"]}");
	free(s);
	json_decref(c);
}

/* a partner's answer is hostile input: every malformation is -EPROTO, never a crash */
static void test_hostile(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"result\": 0}",                       /* a bare map: Kea treats it as an error */
		"[]", "[1]", "[{\"result\": 1, \"text\": \"nope\"}]", "[{\"result\": \"0\"}]",
		"[{\"result\": 0}]", "[{\"result\": 0, \"arguments\": []}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"bogus\"}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": 5}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"ready\"}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"ready\", \"date-time\": \"yesterday\"}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"ready\", \"date-time\": \"Thu, 07 Nov 2019 08:49:37 GMT\"}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"ready\", \"date-time\": \"Thu, 07 Nov 2019 08:49:37 GMT\", \"scopes\": {}}}]",
		"[{\"result\": 0, \"arguments\": {\"state\": \"ready\", \"date-time\": \"Thu, 07 Nov 2019 08:49:37 GMT\", \"scopes\": [], \"unsent-update-count\": -1}}]",
	};
	ha_heartbeat_t hb;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &hb, err), -EPROTO);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(parse("[{\"result\": 1, \"text\": \"nope\"}]", &hb, err), -EPROTO);
	assert_string_equal(err, "nope");
	assert_int_equal(ha_msg_parse_heartbeat(NULL, names, &hb, err, sizeof(err)), -EPROTO);
	/* scopes that are not strings are ignored */
	assert_int_equal(parse("[{\"result\": 0, \"arguments\": {\"state\": \"partner-down\", \"date-time\": "
	                       "\"Thu, 07 Nov 2019 08:49:37 GMT\", \"scopes\": [1, \"primary\"]}}]", &hb, err), 0);
	assert_true(hb.scope[0]);
	assert_int_equal(hb.state, CFG_HA_ST_PARTNER_DOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1123),
		cmocka_unit_test(test_parse_kea),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

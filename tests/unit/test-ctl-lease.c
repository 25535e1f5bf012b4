/* ctl: the lease4-* commands (lease_cmds) against the fake daemon environment
 * (helpers-ctl.c); texts and result codes are Kea 2.2's. */
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

	ans = ctl_fx_expect(s,
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

	ans = ctl_fx_expect(s,
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

static void test_lease_lists(void **state)
{
	env_state_t *s = *state;
	json_t *ans, *a;

	EXPECT(s, "{\"command\":\"lease4-get-all\"}", 3, "0 IPv4 lease(s) found.");
	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ctl_fx_add_lease(s, "192.0.2.154", "1a:1b:1c:1d:1e:21", "Two");
	ctl_fx_add_lease(s, "10.0.1.5", "1a:1b:1c:1d:1e:1f", "three");

	ans = ctl_fx_expect(s, "{\"command\":\"lease4-get-all\"}", 0, "3 IPv4 lease(s) found.");
	a = json_object_get(json_object_get(ans, "arguments"), "leases");
	assert_int_equal(json_array_size(a), 3);
	/* address order */
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "ip-address")),
	                    "10.0.1.5");
	json_decref(ans);
	ans = ctl_fx_expect(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[2]}}", 0,
	             "1 IPv4 lease(s) found.");
	json_decref(ans);
	ans = ctl_fx_expect(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[77]}}", 3,
	             "0 IPv4 lease(s) found.");
	assert_int_equal(
	        json_array_size(json_object_get(json_object_get(ans, "arguments"), "leases")), 0);
	json_decref(ans);
	EXPECT(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":\"x\"}}", 1,
	       "'subnets' parameter must be a list");
	EXPECT(s, "{\"command\":\"lease4-get-all\",\"arguments\":{\"subnets\":[\"x\"]}}", 1,
	       "listed subnet identifiers must be numbers");

	/* paging: 2 + 1 + empty */
	ans = ctl_fx_expect(
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
	ans = ctl_fx_expect(s,
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

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	EXPECT(s, "{\"command\":\"lease4-update\"}", 1,
	       "no parameters specified for lease4-update command");
	EXPECT(s,
	       "{\"command\":\"lease4-update\",\"arguments\":{\"ip-address\":\"192.0.2.150\","
	       "\"hw-address\":\"1a:1b:1c:1d:1e:1f\",\"valid-lft\":100}}",
	       0, "IPv4 lease updated.");
	ans = ctl_fx_expect(s,
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

	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ctl_fx_add_lease(s, "192.0.2.151", "1a:1b:1c:1d:1e:2f", "two");
	ctl_fx_add_lease(s, "10.0.1.1", "1a:1b:1c:1d:1e:3f", "three");
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
	assert_false(ctl_fx_listed(s, "lessor-lease4-batch"));
	assert_true(ctl_fx_listed(s, "ha-heartbeat"));
	EXPECT(s, "{\"command\":\"lessor-lease4-batch\",\"arguments\":{}}", 1, "'leases' must be a list");
	ctl_fx_add_lease(s, "192.0.2.150", "1a:1b:1c:1d:1e:1f", "one");
	ans = ctl_fx_expect(s,
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
		assert_int_equal(ctl_fx_result(json_array_get(res, i)), want[i]);
	}
	assert_string_equal(ctl_fx_text(json_array_get(res, 0)), "IPv4 lease added.");
	assert_string_equal(ctl_fx_text(json_array_get(res, 2)), "IPv4 lease deleted.");
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
	ans = ctl_fx_expect(s, "{\"command\":\"lease6-get-page\",\"arguments\":{\"from\":\"start\","
	                "\"limit\":9}}",
	             3, "0 IPv6 lease(s) found.");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ans, "arguments"),
	                                                    "count")),
	                 0);
	json_decref(ans);
	ans = ctl_fx_expect(s,
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

int main(void)
{
	ctl_fx_quiet_logs();

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_lease_add_get, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lease_lists, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lease_update_del_wipe, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lease_argument_texts, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lease6_on_a_v4_server, ctl_fx_setup, ctl_fx_teardown),
	        cmocka_unit_test_setup_teardown(test_lease4_batch, ctl_fx_setup, ctl_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* config-get's view (cfg/cfg-dump.c): Kea 2.2's defaults and inherited values,
 * checked against what kea-dhcp4 2.2 answers for the same input (the
 * differential system test test_differential_ctl.py compares whole answers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg-dump.h"

static const char text[] =
        "{ \"Dhcp4\": { \"valid-lifetime\": 3000, \"renew-timer\": 1000,\n"
        "  \"min-valid-lifetime\": 1000,\n"
        "  \"loggers\": [ { \"name\": \"kea-dhcp4\", \"output_options\": [\n"
        "      { \"output\": \"stdout\" }, { \"output\": \"/tmp/x.log\" } ] } ],\n"
        "  \"option-data\": [ { \"code\": 6, \"data\": \"192.0.2.53\" } ],\n"
        "  \"shared-networks\": [ { \"name\": \"sn\", \"valid-lifetime\": 1200,\n"
        "    \"relay\": { \"ip-addresses\": [ \"10.0.0.2\" ] },\n"
        "    \"subnet4\": [ { \"id\": 2, \"subnet\": \"10.2.0.0/24\",\n"
        "      \"pools\": [ { \"pool\": \"10.2.0.10 - 10.2.0.20\" } ],\n"
        "      \"reservations\": [ { \"client-id\": \"01:aa:bb\", \"ip-address\": \"10.2.0.5\" } ]\n"
        "    } ] } ],\n"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.1.0.0/24\", \"valid-lifetime\": 2000 } ]\n"
        "} }\n";

static void test_defaults_and_inheritance(void **state)
{
	cfg_t *cfg = NULL;
	cfg_err_t err;
	(void)state;

	assert_int_equal(cfg_load_text(text, strlen(text), &cfg, &err), 0);
	json_t *root = cfg_dump(cfg);
	assert_non_null(root);
	json_t *d4 = json_object_get(root, "Dhcp4");
	assert_false(json_is_true(json_object_get(d4, "authoritative")));
	assert_string_equal(json_string_value(json_object_get(d4, "hostname-char-set")),
	                    "[^A-Za-z0-9.-]");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_object_get(d4, "expired-leases-processing"), "max-reclaim-time")),
	                 250);
	json_t *od = json_array_get(json_object_get(d4, "option-data"), 0);
	assert_string_equal(json_string_value(json_object_get(od, "name")), "domain-name-servers");
	assert_string_equal(json_string_value(json_object_get(od, "space")), "dhcp4");
	assert_true(json_is_true(json_object_get(od, "csv-format")));
	/* rotation keys for files only */
	json_t *oo = json_object_get(json_array_get(json_object_get(d4, "loggers"), 0),
	                             "output_options");
	assert_null(json_object_get(json_array_get(oo, 0), "maxsize"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(oo, 1), "maxver")), 1);
	/* top-level subnet: own valid, inherited explicit min, max = own valid */
	json_t *s1 = json_array_get(json_object_get(d4, "subnet4"), 0);
	assert_int_equal(json_integer_value(json_object_get(s1, "min-valid-lifetime")), 1000);
	assert_int_equal(json_integer_value(json_object_get(s1, "max-valid-lifetime")), 2000);
	assert_int_equal(json_integer_value(json_object_get(s1, "renew-timer")), 1000);
	assert_string_equal(json_string_value(json_object_get(s1, "4o6-interface")), "");
	assert_int_equal(json_array_size(json_object_get(json_object_get(s1, "relay"),
	                                                 "ip-addresses")),
	                 0);
	/* shared network's subnet: its valid, relay and pools as Kea prints them */
	json_t *sn = json_array_get(json_object_get(d4, "shared-networks"), 0);
	json_t *s2 = json_array_get(json_object_get(sn, "subnet4"), 0);
	assert_int_equal(json_integer_value(json_object_get(s2, "valid-lifetime")), 1200);
	assert_int_equal(json_integer_value(json_object_get(s2, "max-valid-lifetime")), 1200);
	assert_string_equal(json_string_value(json_array_get(
	                            json_object_get(json_object_get(s2, "relay"), "ip-addresses"), 0)),
	                    "10.0.0.2");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(s2, "pools"), 0), "pool")),
	                    "10.2.0.10-10.2.0.20");
	json_t *r = json_array_get(json_object_get(s2, "reservations"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "client-id")), "01AABB");
	assert_string_equal(json_string_value(json_object_get(r, "next-server")), "0.0.0.0");
	/* the dump loads back */
	cfg_t *again = NULL;
	assert_int_equal(cfg_load_json(root, &again, &err), 0);
	cfg_free(again);
	json_decref(root);
	cfg_free(cfg);
	assert_null(cfg_dump(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults_and_inheritance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

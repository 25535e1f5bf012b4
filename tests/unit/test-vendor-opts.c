/* vendor-<enterprise> option spaces through dhcp4_process(): option 125
 * (RFC 3925) built as Kea 2.2's appendRequestedVendorOptions() builds it
 * (bytes checked against kea-dhcp4 2.2, test_differential.py group vendor). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cfg/cfg.h"
#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "util/macro.h"

static const uint8_t MAC1[6] = { 0x02, 0x7e, 0, 0, 0, 1 };

static const char *CFG =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"option-def\": [{\"name\": \"acme-url\", \"code\": 1, \"space\": \"vendor-1234\","
        "                   \"type\": \"string\"}],"
        " \"option-data\": ["
        "  {\"name\": \"tftp-servers\", \"space\": \"vendor-4491\", \"data\": \"10.0.0.69, 10.0.0.70\"},"
        "  {\"code\": 5, \"space\": \"vendor-4491\", \"csv-format\": false, \"data\": \"0102\"},"
        "  {\"name\": \"acme-url\", \"space\": \"vendor-1234\", \"data\": \"http://acme\","
        "   \"always-send\": true}],"
        " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}]"
        "}}";

/* DISCOVER with option 125 @vivso; the reply's option 125 into @out. */
static size_t offer_125(eng_env_t *e, const uint8_t *vivso, size_t len, uint8_t *out)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_VIVSO_SUBOPTIONS, vivso, len);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	const opt_view_t *o = pkt4_opt(&e->reply, DHO_VIVSO_SUBOPTIONS);
	if (o == NULL) {
		return 0;
	}
	memcpy(out, o->data, o->len);
	return o->len;
}

static void test_docsis_oro(void **state)
{
	(void)state;
	eng_env_t *e = eng_env_new(CFG);
	/* enterprise 4491, ORO asking for 2 and 5: both, in code order */
	static const uint8_t q[] = { 0, 0, 0x11, 0x8b, 4, 1, 2, 5, 2 };
	static const uint8_t want[] = { 0, 0, 0x11, 0x8b, 14, 2, 8, 10, 0, 0, 69, 10, 0, 0, 70,
		                        5, 2, 1, 2 };
	uint8_t got[255];

	assert_int_equal(offer_125(e, q, sizeof(q), got), sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	eng_env_free(e);
}

static void test_always_send_and_unknown(void **state)
{
	(void)state;
	eng_env_t *e = eng_env_new(CFG);
	static const uint8_t q1234[] = { 0, 0, 0x04, 0xd2, 0 };
	static const uint8_t q999[] = { 0, 0, 0x03, 0xe7, 0 };
	static const uint8_t bad[] = { 0, 0, 0x04, 0xd2, 9, 1 };
	uint8_t got[255];

	assert_int_equal(offer_125(e, q1234, sizeof(q1234), got), 18);
	assert_memory_equal(got, "\x00\x00\x04\xd2\x0d\x01\x0bhttp://acme", 18);
	/* an enterprise nothing is configured for; a data-len past the option */
	assert_int_equal(offer_125(e, q999, sizeof(q999), got), 0);
	assert_int_equal(offer_125(e, bad, sizeof(bad), got), 0);
	eng_env_free(e);
}

static void test_config(void **state)
{
	(void)state;
	static const char text[] = "{\"Dhcp4\": {\"subnet4\": [], \"option-data\": ["
	                           "{\"name\": \"nope\", \"space\": \"vendor-1234\", \"data\": \"1\"}]}}";
	cfg_err_t err;
	cfg_t *cfg = NULL;

	assert_true(cfg_load_text(text, strlen(text), &cfg, &err) < 0);
	assert_null(cfg);
	assert_string_equal(err.path, "Dhcp4.option-data[0].name");
	assert_non_null(strstr(err.msg, "vendor-1234.nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docsis_oro),
		cmocka_unit_test(test_always_send_and_unknown),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

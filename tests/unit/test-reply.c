/* Reply assembly: option precedence (reservation > pool > subnet > shared
 * network > classes in join order > global), always-send / never-send, basic
 * options, T1/T2, lease time hints, fixed fields, option order. Driven through
 * dhcp4_process() so the classes and scopes are the ones the pipeline picks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp/proto.h"
#include "engine/reply.h"
#include "helpers-engine.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const uint8_t MAC1[6] = {0x02, 0, 0, 0, 0, 1};
static const uint8_t MAC2[6] = {0x02, 0, 0, 0, 0, 2};

#define OPT(name, val) "{\"name\": \"" name "\", \"data\": \"" val "\"}"

static const char
        *CFG_PREC =
                "{\"Dhcp4\": {"
                " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
                " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
                " \"option-data\": [" OPT("time-servers", "1.0.0.6") "," OPT(
                        "name-servers",
                        "1.0.0.6") ","
                                   "   " OPT("log-servers", "1.0.0.6") "," OPT(
                                           "cookie-servers",
                                           "1.0.0.6") ","
                                                      "   " OPT("lpr-servers", "1.0.0.6") "," OPT(
                                                              "impress-servers",
                                                              "1.0.0.6") ","
                                                                         "   {\"name\": "
                                                                         "\"tftp-server-name\", "
                                                                         "\"data\": "
                                                                         "\"global.tftp\", "
                                                                         "\"always-send\": true}],"
                                                                         " \"client-classes\": ["
                                                                         "   {\"name\": \"c1\", "
                                                                         "\"test\": "
                                                                         "\"member('ALL')\", "
                                                                         "\"option-data\": ["
                                                                         "     " OPT("time-servers", "1.0.0.5") "," OPT(
                                                                                 "name-servers",
                                                                                 "1.0.0.5") ","
                                                                                            "    "
                                                                                            " " OPT("log-servers", "1.0.0.5") "," OPT(
                                                                                                    "cookie-servers", "1.0.0.5") ","
                                                                                                                                 "     " OPT("lpr-servers",
                                                                                                                                             "1.0.0.5") "," OPT("resource-location-servers", "1.0.0.51") "],"
                                                                                                                                                                                                         "    \"next-server\": \"192.0.2.51\", \"boot-file-name\": \"class.boot\"},"
                                                                                                                                                                                                         "   {\"name\": \"c2\", \"test\": \"member('c1')\", \"option-data\": ["
                                                                                                                                                                                                         "     " OPT("resource-location-servers", "1.0.0.52") "," OPT("swap-server", "1.0.0.52") "]},"
                                                                                                                                                                                                                                                                                                 "   {\"name\": \"req\", \"test\": \"member('ALL')\", \"only-if-required\": true, \"option-data\": ["
                                                                                                                                                                                                                                                                                                 "     " OPT(
                                                                                                                                                                                                                                                                                                         "resource-location-servers",
                                                                                                                                                                                                                                                                                                         "1.0.0.53") "," OPT("swap-server", "1.0.0.53") ","
                                                                                                                                                                                                                                                                                                                                                        "     " OPT("root-path",
                                                                                                                                                                                                                                                                                                                                                                    "req") "]},"
                                                                                                                                                                                                                                                                                                                                                                           "   {\"name\": \"notreq\", \"test\": \"member('ALL')\", \"only-if-required\": true, \"option-data\": ["
                                                                                                                                                                                                                                                                                                                                                                           "     " OPT("extensions-path",
                                                                                                                                                                                                                                                                                                                                                                                       "notreq") "]}"
                                                                                                                                                                                                                                                                                                                                                                                                 " ],"
                                                                                                                                                                                                                                                                                                                                                                                                 " \"shared-networks\": [{\"name\": \"net\","
                                                                                                                                                                                                                                                                                                                                                                                                 "   \"option-data\": [" OPT("time-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                             "1.0.0.4") "," OPT("name-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                "1.0.0.4") ","
                                                                                                                                                                                                                                                                                                                                                                                                                                                           "     " OPT(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "log-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "1.0.0.4") "," OPT("cookie-servers", "1.0.0.4") ","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "     {\"name\": \"domain-name-servers\", \"data\": \"1.0.0.4\", \"never-send\": true}],"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "   \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "     \"require-client-classes\": [\"req\"],"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "     \"next-server\": \"192.0.2.50\", \"server-hostname\": \"subnet-srv\", \"boot-file-name\": \"subnet.boot\","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "     \"option-data\": [" OPT("time-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "1.0.0.3") "," OPT("name-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                    "1.0.0.3") ","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               "       " OPT(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "log-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "1.0.0.3") "," OPT("domain-name-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          "1.0.0.3") ","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     "       " OPT(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                             "tftp-server-name", "subnet.tftp") "," OPT("routers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        "192.0.2.1") "],"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     "     \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     "       \"option-data\": [" OPT("time-servers", "1.0.0.2") "," OPT(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                             "name-servers",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                             "1.0.0.2") "]}],"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        "     \"reservations\": [{\"hw-address\": \"02:00:00:00:00:02\", \"ip-address\": \"192.0.2.12\","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        "       \"next-server\": \"192.0.2.52\","
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        "       \"option-data\": [" OPT(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                "time-servers", "1.0.0.1") "]}]"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           "   }]"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           " }]"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           "}}";

static int setup_prec(void **state)
{
	*state = eng_env_new(CFG_PREC);
	return 0;
}

static int teardown(void **state)
{
	eng_env_free(*state);
	return 0;
}

static void discover_prl(eng_env_t *e, const uint8_t *mac)
{
	static const uint8_t prl[] = {4, 5, 7, 8, 9, 10, 11, 16, 17, 18, 6};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
}

static void assert_opt_str(const eng_env_t *e, uint8_t code, const char *s)
{
	const opt_view_t *o = pkt4_opt(&e->reply, code);

	assert_non_null(o);
	assert_int_equal(o->len, strlen(s));
	assert_memory_equal(o->data, s, o->len);
}

static void test_precedence(void **state)
{
	eng_env_t *e = *state;

	discover_prl(e, MAC2); /* has a reservation */
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 12));
	assert_int_equal(eng_reply_u32(e, 4), A(1, 0, 0, 1));  /* reservation */
	assert_int_equal(eng_reply_u32(e, 5), A(1, 0, 0, 2));  /* pool */
	assert_int_equal(eng_reply_u32(e, 7), A(1, 0, 0, 3));  /* subnet */
	assert_int_equal(eng_reply_u32(e, 8), A(1, 0, 0, 4));  /* shared network */
	assert_int_equal(eng_reply_u32(e, 9), A(1, 0, 0, 5));  /* class */
	assert_int_equal(eng_reply_u32(e, 10), A(1, 0, 0, 6)); /* global */
	/* Classes in join order: c1 before c2 before the required class. */
	assert_int_equal(eng_reply_u32(e, 11), A(1, 0, 0, 51));
	assert_int_equal(eng_reply_u32(e, 16), A(1, 0, 0, 52));
	/* Required class evaluated after allocation; the unrequired one not. */
	assert_opt_str(e, 17, "req");
	assert_false(eng_reply_has(e, 18));
	/* Fixed fields: reservation > class > subnet, per field. */
	assert_int_equal(e->reply.siaddr, A(192, 0, 2, 52));
	assert_string_equal((const char *)e->reply.file, "class.boot");
	assert_string_equal((const char *)e->reply.sname, "subnet-srv");
}

static void test_precedence_no_host(void **state)
{
	eng_env_t *e = *state;

	discover_prl(e, MAC1);
	assert_int_equal(e->reply.yiaddr, A(192, 0, 2, 10));
	assert_int_equal(eng_reply_u32(e, 4), A(1, 0, 0, 2)); /* pool */
	assert_int_equal(e->reply.siaddr, A(192, 0, 2, 51));  /* class */
}

static void test_always_never_send(void **state)
{
	eng_env_t *e = *state;

	discover_prl(e, MAC1);
	/* never-send at the network beats the subnet's value and the PRL. */
	assert_false(eng_reply_has(e, DHO_DOMAIN_NAME_SERVERS));
	/* always-send at global: sent unrequested, value from the subnet. */
	assert_opt_str(e, 66, "subnet.tftp");
	/* routers: a basic option, sent unrequested. */
	assert_int_equal(eng_reply_u32(e, DHO_ROUTERS), A(192, 0, 2, 1));
}

static void test_option_order(void **state)
{
	eng_env_t *e = *state;
	uint8_t codes[64];
	size_t n;

	discover_prl(e, MAC1);
	n = eng_reply_codes(e, codes, sizeof(codes));
	assert_true(n > 5);
	assert_int_equal(codes[0], DHO_DHCP_MESSAGE_TYPE);
	for (size_t i = 2; i < n; i++) {
		assert_true(codes[i - 1] < codes[i]);
	}
}

/* ---- lifetimes ---- */

static const char *CFG_LFT =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"client-classes\": [{\"name\": \"short\", \"test\": \"option[60].text == 'short'\","
        "   \"valid-lifetime\": 600, \"min-valid-lifetime\": 300, \"max-valid-lifetime\": 900}],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"pools\": [{\"pool\": \"192.0.2.10 - "
        "192.0.2.20\"}],"
        "   \"valid-lifetime\": 3000, \"min-valid-lifetime\": 1000, \"max-valid-lifetime\": 5000,"
        "   \"renew-timer\": 1000, \"rebind-timer\": 2000},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\", \"pools\": [{\"pool\": \"10.0.1.1 - "
        "10.0.1.9\"}],"
        "   \"valid-lifetime\": 4000, \"calculate-tee-times\": true},"
        "  {\"id\": 3, \"subnet\": \"10.1.0.0/16\", \"pools\": [{\"pool\": \"10.1.1.1 - "
        "10.1.1.9\"}],"
        "   \"valid-lifetime\": 1500, \"renew-timer\": 1000, \"rebind-timer\": 2000}"
        " ]"
        "}}";

static int setup_lft(void **state)
{
	*state = eng_env_new(CFG_LFT);
	return 0;
}

static void discover_lft(eng_env_t *e, uint32_t giaddr, const uint32_t *hint, const char *vendor)
{
	eng_pkt_t p;
	uint8_t b[4];

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	if (hint != NULL) {
		b[0] = (uint8_t)(*hint >> 24);
		b[1] = (uint8_t)(*hint >> 16);
		b[2] = (uint8_t)(*hint >> 8);
		b[3] = (uint8_t)*hint;
		eng_pkt_opt(&p, DHO_DHCP_LEASE_TIME, b, 4);
	}
	if (vendor != NULL) {
		eng_pkt_opt(&p, DHO_VENDOR_CLASS_IDENTIFIER, vendor, strlen(vendor));
	}
	if (giaddr != 0) {
		eng_pkt_relay(&p, giaddr, 67);
	}
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
}

static void test_tee_times(void **state)
{
	eng_env_t *e = *state;

	discover_lft(e, 0, NULL, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 3000);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_RENEWAL_TIME), 1000);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_REBINDING_TIME), 2000);

	/* calculate-tee-times: round(.5 * 4000), round(.875 * 4000). */
	discover_lft(e, A(10, 0, 0, 1), NULL, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 4000);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_RENEWAL_TIME), 2000);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_REBINDING_TIME), 3500);

	/* T2 >= valid: not sent; T1 still < valid: sent. */
	discover_lft(e, A(10, 1, 0, 1), NULL, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 1500);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_RENEWAL_TIME), 1000);
	assert_false(eng_reply_has(e, DHO_DHCP_REBINDING_TIME));
}

static void test_lease_time_hint(void **state)
{
	eng_env_t *e = *state;
	uint32_t h;

	h = 100;
	discover_lft(e, 0, &h, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 1000);
	h = 99999;
	discover_lft(e, 0, &h, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 5000);
	h = 2500;
	discover_lft(e, 0, &h, NULL);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 2500);
	/* A class valid-lifetime wins over the subnet's, with its own bounds. */
	discover_lft(e, 0, NULL, "short");
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 600);
	h = 5000;
	discover_lft(e, 0, &h, "short");
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_LEASE_TIME), 900);
}

/* ---- reply_tee_times() directly ---- */

static void test_tee_times_unit(void **state)
{
	cfg_subnet4_t s;
	uint32_t t1, t2;

	(void)state;
	memset(&s, 0, sizeof(s));
	reply_tee_times(&s, 3600, &t1, &t2);
	assert_int_equal(t1, 0);
	assert_int_equal(t2, 0);
	s.lft.has_renew = true;
	s.lft.renew = 3600;
	reply_tee_times(&s, 3600, &t1, &t2);
	assert_int_equal(t1, 0); /* T1 == valid: not sent */
	s.lft.renew = 1800;
	s.lft.has_rebind = true;
	s.lft.rebind = 1000;
	reply_tee_times(&s, 3600, &t1, &t2);
	assert_int_equal(t2, 1000);
	assert_int_equal(t1, 0); /* T1 >= T2: not sent */
	reply_tee_times(&s, LEASE_LFT_INFINITE, &t1, &t2);
	assert_int_equal(t1, 0);
	assert_int_equal(t2, 0);
}

/* ---- NAK content ---- */

static void test_nak_content(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 9};
	static const uint8_t rai[] = {1, 2, 'x', 'y'};
	static const uint8_t prl[] = {1, 3, 6, 12};
	uint8_t codes[16];
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, MAC1);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, A(192, 0, 2, 12)); /* MAC2's */
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, ENG_SERVER_ADDR);
	eng_pkt_opt(&p, DHO_DHCP_CLIENT_IDENTIFIER, cid, sizeof(cid));
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_opt(&p, DHO_HOST_NAME, "foo", 3);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, sizeof(rai));
	eng_pkt_relay(&p, A(192, 0, 2, 254), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPNAK);
	assert_int_equal(eng_reply_codes(e, codes, sizeof(codes)), 4);
	assert_int_equal(codes[0], 53);
	assert_int_equal(codes[1], 54);
	assert_int_equal(codes[2], 61);
	assert_int_equal(codes[3], 82);
	assert_int_equal(e->reply.yiaddr, 0);
	assert_int_equal(e->reply.siaddr, 0);
	assert_int_equal(e->tx.dst_addr, A(192, 0, 2, 254));
}

/* Option 43 / a private option built from sub-options at config load:
 * the reply copies the scope's payload, and only when requested (Kea 2.2,
 * tests/system/test_differential.py group "optspace"). */
static const char *CFG_ENCAP =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"option-def\": ["
        "  {\"name\": \"v1\", \"code\": 1, \"space\": \"vendor-encapsulated-options-space\","
        "   \"type\": \"string\"}],"
        " \"option-data\": [{\"name\": \"vendor-encapsulated-options\"},"
        "  {\"name\": \"v1\", \"space\": \"vendor-encapsulated-options-space\", \"data\": \"g\"}],"
        " \"client-classes\": [{\"name\": \"c\", \"test\": \"option[77].hex == 'C'\","
        "  \"option-def\": [{\"name\": \"p\", \"code\": 230, \"type\": \"empty\","
        "                    \"encapsulate\": \"s\"}],"
        "  \"option-data\": [{\"name\": \"vendor-encapsulated-options\"},"
        "   {\"code\": 2, \"space\": \"vendor-encapsulated-options-space\", \"data\": \"0102\","
        "    \"csv-format\": false},"
        "   {\"name\": \"p\"}, {\"code\": 7, \"space\": \"s\", \"data\": \"ff\", \"csv-format\": false}]}],"
        " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}]"
        "}}";

static int setup_encap(void **state)
{
	*state = eng_env_new(CFG_ENCAP);
	return 0;
}

static void discover_encap(eng_env_t *e, const uint8_t *prl, size_t n, const char *uc)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, n);
	if (uc != NULL) {
		eng_pkt_opt(&p, 77, uc, strlen(uc));
	}
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_type(e), DHCPOFFER);
}

static void test_encapsulated(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t prl43[] = {43, 230}, prl3[] = {3};

	discover_encap(e, prl43, sizeof(prl43), NULL);
	assert_opt_str(e, 43, "\x01\x01g");
	assert_false(eng_reply_has(e, 230));
	/* the class's 43 carries the class's sub-options only */
	discover_encap(e, prl43, sizeof(prl43), "C");
	assert_opt_str(e, 43, "\x02\x02\x01\x02");
	assert_opt_str(e, 230, "\x07\x01\xff");
	/* not requested: not sent */
	discover_encap(e, prl3, sizeof(prl3), "C");
	assert_false(eng_reply_has(e, 43));
	assert_false(eng_reply_has(e, 230));
}

/* ---- configured 50 / 52 / 118, split option 55, option 82 echo ---- */

static const char *CFG_PKTOPTS =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"option-data\": [" OPT("dhcp-requested-address", "10.0.0.99") ","
        "   " OPT("dhcp-option-overload", "3") "," OPT("subnet-selection", "10.9.0.0") ","
        "   " OPT("ntp-servers", "10.0.0.123") "," OPT("log-servers", "10.0.0.7") "],"
        " \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\", \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.9\"}]}]"
        "}}";

static int setup_pktopts(void **state)
{
	*state = eng_env_new(CFG_PKTOPTS);
	return 0;
}

/* Kea 2.2 sends configured 50, 52 and 118 when asked, like any option. */
static void test_requested_50_52_118(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t prl[] = {DHO_DHCP_REQUESTED_ADDRESS, DHO_DHCP_OPTION_OVERLOAD,
	                              DHO_SUBNET_SELECTION};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, prl, sizeof(prl));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_REQUESTED_ADDRESS), A(10, 0, 0, 99));
	assert_int_equal(eng_reply_u32(e, DHO_SUBNET_SELECTION), A(10, 9, 0, 0));
	assert_true(eng_reply_has(e, DHO_DHCP_OPTION_OVERLOAD));

	/* not asked: not sent */
	eng_pkt_init(&p, DHCPDISCOVER, MAC2);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_false(eng_reply_has(e, DHO_DHCP_REQUESTED_ADDRESS));
	assert_false(eng_reply_has(e, DHO_DHCP_OPTION_OVERLOAD));
	assert_false(eng_reply_has(e, DHO_SUBNET_SELECTION));
}

/* A split option 55 asks for nothing (Kea 2.2). */
static void test_split_prl_ignored(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t a[] = {42}, b[] = {7};
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, a, sizeof(a));
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, b, sizeof(b));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_false(eng_reply_has(e, 42));
	assert_false(eng_reply_has(e, 7));
	assert_true(eng_reply_has(e, DHO_SUBNET_MASK));

	eng_pkt_init(&p, DHCPDISCOVER, MAC2);
	eng_pkt_opt(&p, DHO_DHCP_PARAMETER_REQUEST_LIST, a, sizeof(a));
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	assert_true(eng_reply_has(e, 42));
}

/* Option 82 goes back sorted by sub-option code. */
static void test_rai_echo_sorted(void **state)
{
	eng_env_t *e = *state;
	static const uint8_t rai[] = {2, 0, 1, 0};
	uint8_t codes[64];
	size_t n;
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, MAC1);
	eng_pkt_opt(&p, DHO_DHCP_AGENT_OPTIONS, rai, sizeof(rai));
	eng_pkt_relay(&p, A(10, 0, 0, 2), 67);
	eng_pkt_end(&p);
	assert_int_equal(eng_send(e, &p), VERDICT_REPLY);
	n = eng_reply_codes(e, codes, sizeof(codes));
	assert_int_equal(codes[n - 1], DHO_DHCP_AGENT_OPTIONS);
	assert_int_equal(eng_reply_u32(e, DHO_DHCP_AGENT_OPTIONS), 0x01000200u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_precedence, setup_prec, teardown),
	        cmocka_unit_test_setup_teardown(test_precedence_no_host, setup_prec, teardown),
	        cmocka_unit_test_setup_teardown(test_always_never_send, setup_prec, teardown),
	        cmocka_unit_test_setup_teardown(test_option_order, setup_prec, teardown),
	        cmocka_unit_test_setup_teardown(test_tee_times, setup_lft, teardown),
	        cmocka_unit_test_setup_teardown(test_lease_time_hint, setup_lft, teardown),
	        cmocka_unit_test(test_tee_times_unit),
	        cmocka_unit_test_setup_teardown(test_nak_content, setup_prec, teardown),
	        cmocka_unit_test_setup_teardown(test_encapsulated, setup_encap, teardown),
	        cmocka_unit_test_setup_teardown(test_requested_50_52_118, setup_pktopts, teardown),
	        cmocka_unit_test_setup_teardown(test_split_prl_ignored, setup_pktopts, teardown),
	        cmocka_unit_test_setup_teardown(test_rai_echo_sorted, setup_pktopts, teardown),
	};

	(void)MAC2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for engine/names.c (option 81 / option 12 answers and the lease
 * hostname, Kea 2.2 with DDNS off) and the client-name parameters of
 * cfg/cfg-load-names.c. Expected bytes are Kea 2.2's replies to the same
 * inputs (tests/system/test_differential.py group "names"). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "dhcp/proto.h"
#include "engine/names.h"
#include "util/arena.h"

#define BASE "\"interfaces-config\": {\"interfaces\": []}, " \
	     "\"lease-database\": {\"type\": \"memfile\", \"name\": \"/tmp/x.csv\"}"

#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static cfg_t *load(const char *extra)
{
	char text[2048];
	cfg_t *cfg = NULL;
	cfg_err_t err;

	snprintf(text, sizeof(text), "{\"Dhcp4\": {" BASE ", %s}}", extra);
	if (cfg_load_text(text, strlen(text), &cfg, &err) < 0) {
		char buf[1200];
		fail_msg("load failed: %s", cfg_err_format(&err, buf, sizeof(buf)));
	}
	return cfg;
}

static void load_bad(const char *extra, const char *want_path, const char *want_msg)
{
	char text[2048];
	cfg_t *cfg = NULL;
	cfg_err_t err;

	snprintf(text, sizeof(text), "{\"Dhcp4\": {" BASE ", %s}}", extra);
	assert_true(cfg_load_text(text, strlen(text), &cfg, &err) < 0);
	assert_null(cfg);
	assert_string_equal(err.path, want_path);
	assert_non_null(strstr(err.msg, want_msg));
}

/* A query with option 81 and/or 12 (NULL = absent). */
static int query(const uint8_t *o81, size_t l81, const char *o12, size_t l12,
                 names_query_t *q)
{
	static pkt4_t pkt;
	const char *what = NULL;

	memset(&pkt, 0, sizeof(pkt));
	if (o81 != NULL) {
		pkt.opts[DHO_FQDN] = (opt_view_t){ .data = o81, .len = (uint16_t)l81, .count = 1 };
	}
	if (o12 != NULL) {
		pkt.opts[DHO_HOST_NAME] = (opt_view_t){ .data = (const uint8_t *)o12,
		                                        .len = (uint16_t)l12, .count = 1 };
	}
	return names_query_parse(&pkt, q, &what);
}

static void fq(const cfg_subnet4_t *s, const cfg_host_t *h, const char *in, size_t len,
               uint32_t addr, const char *want_hex, const char *want_lease)
{
	names_query_t q;
	names_t n;
	char hex[2 * NAMES_FQDN_MAX + 1];

	assert_int_equal(query((const uint8_t *)in, len, NULL, 0, &q), 0);
	names_decide(&q, &s->names, h, addr, &n);
	if (want_hex == NULL) {
		assert_int_equal(n.kind, NAMES_NONE);
		return;
	}
	assert_int_equal(n.kind, NAMES_FQDN);
	for (size_t i = 0; i < n.fqdn_len; i++) {
		sprintf(hex + 2 * i, "%02x", n.fqdn[i]);
	}
	hex[2 * n.fqdn_len] = '\0';
	assert_string_equal(hex, want_hex);
	assert_string_equal(n.lease, want_lease);
}

static void hn(const cfg_subnet4_t *s, const cfg_host_t *h, const char *in, size_t len,
               uint32_t addr, const char *want)
{
	names_query_t q;
	names_t n;

	assert_int_equal(query(NULL, 0, in, len, &q), 0);
	names_decide(&q, &s->names, h, addr, &n);
	if (want == NULL) {
		assert_int_equal(n.kind, NAMES_NONE);
		assert_string_equal(n.lease, "");
		return;
	}
	assert_int_equal(n.kind, NAMES_HOSTNAME);
	assert_int_equal(n.hostname_len, strlen(want));
	assert_memory_equal(n.hostname, want, strlen(want));
	assert_string_equal(n.lease, want);
}

#define FQ(s, h, lit, addr, hex, lease) fq(s, h, lit, sizeof(lit) - 1, addr, hex, lease)
#define HN(s, h, lit, addr, want) hn(s, h, lit, sizeof(lit) - 1, addr, want)

static void test_fqdn_defaults(void **state)
{
	cfg_t *cfg = load("\"ddns-generated-prefix\": \"gpfx\", \"subnet4\": "
	                  "[{\"id\": 1, \"subnet\": \"10.0.0.0/16\"}]");
	const cfg_subnet4_t *s = &cfg->subnets[0];
	uint32_t a = ADDR(10, 0, 1, 8);

	(void)state;
	/* flags: N set, S cleared (O when the client asked S), E carried */
	FQ(s, NULL, "\x00\x00\x00myhost", a, "0800006d79686f73742e", "myhost.");
	FQ(s, NULL, "\x01\x00\x00myhost", a, "0a00006d79686f73742e", "myhost.");
	FQ(s, NULL, "\xf2\x00\x00mbz", a, "0800006d627a2e", "mbz.");
	FQ(s, NULL, "\x00\xff\xffrc", a, "08ffff72632e", "rc.");
	FQ(s, NULL, "\x05\x00\x00\x04Host\x07" "Example\x03" "com\x00", a,
	   "0e000004686f7374076578616d706c6503636f6d00", "host.example.com.");
	FQ(s, NULL, "\x04\x00\x00\x04host", a, "0c000004686f737400", "host.");
	/* empty name: generated from the address, trailing dot */
	FQ(s, NULL, "\x00\x00\x00", a, "080000677066782d31302d302d312d382e", "gpfx-10-0-1-8.");
	FQ(s, NULL, "\x05\x00\x00", a, "0e00000d677066782d31302d302d312d3800", "gpfx-10-0-1-8.");
	/* sanitised label by label: "__" scrubs to the root; "a.__.b" fails */
	FQ(s, NULL, "\x00\x00\x00__", a, "0800002e", ".");
	FQ(s, NULL, "\x00\x00\x00" "a.__.b", a, NULL, "");
	FQ(s, NULL, "\x00\x00\x00my host", a, "0800006d79686f73742e", "myhost.");
	FQ(s, NULL, "\x04\x00\x00\x03" "a.b\x00", a, "0c00000161016200", "a.b.");
	cfg_free(cfg);
}

static void test_fqdn_params(void **state)
{
	cfg_t *cfg = load(
	        "\"ddns-generated-prefix\": \"gpfx\", \"subnet4\": ["
	        "{\"id\": 1, \"subnet\": \"10.1.0.0/24\", \"hostname-char-set\": \"[^A-Za-z0-9.-]\","
	        " \"hostname-char-replacement\": \"x\"},"
	        "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", \"hostname-char-set\": \"\"},"
	        "{\"id\": 3, \"subnet\": \"10.3.0.0/24\", \"ddns-replace-client-name\": \"Always\","
	        " \"ddns-generated-prefix\": \"sub4\"},"
	        "{\"id\": 4, \"subnet\": \"10.6.0.0/24\", \"ddns-qualifying-suffix\": \"sub.example.\","
	        " \"hostname-char-set\": \"[^a-z.]\", \"hostname-char-replacement\": \"-\"}],"
	        "\"shared-networks\": [{\"name\": \"n\", \"ddns-qualifying-suffix\": \"net.example\","
	        " \"ddns-replace-client-name\": \"when-present\", \"subnet4\": ["
	        "{\"id\": 6, \"subnet\": \"10.5.0.0/24\", \"reservations\": ["
	        "{\"hw-address\": \"02:f1:00:00:00:06\", \"hostname\": \"resnet\"}]}]}]");
	const cfg_subnet4_t *s1 = cfg_subnet_by_id(cfg, 1), *s2 = cfg_subnet_by_id(cfg, 2);
	const cfg_subnet4_t *s3 = cfg_subnet_by_id(cfg, 3), *s4 = cfg_subnet_by_id(cfg, 4);
	const cfg_subnet4_t *s6 = cfg_subnet_by_id(cfg, 6);
	const cfg_host_t res = { .hostname = "resnet" };

	(void)state;
	/* the same (set, replacement) compiles once */
	assert_ptr_not_equal(s1->names.sanitizer, s4->names.sanitizer);
	assert_null(s2->names.sanitizer);
	assert_ptr_equal(s3->names.sanitizer, s6->names.sanitizer);
	FQ(s1, NULL, "\x00\x00\x00My_Host.ex_ample.", ADDR(10, 1, 0, 10),
	   "0800006d7978686f73742e657878616d706c652e", "myxhost.exxample.");
	FQ(s2, NULL, "\x00\x00\x00My_Host", ADDR(10, 2, 0, 10), "0800006d795f686f73742e", "my_host.");
	FQ(s2, NULL, "\x00\x00\x00my host", ADDR(10, 2, 0, 10), "0800006d795c303332686f73742e",
	   "my\\032host.");
	FQ(s3, NULL, "\x00\x00\x00mine", ADDR(10, 3, 0, 10), "080000737562342d31302d332d302d31302e",
	   "sub4-10-3-0-10.");
	/* the suffix is added unless the name already ends with it, label-aligned */
	FQ(s4, NULL, "\x00\x00\x00Part_2", ADDR(10, 6, 0, 10),
	   "080000706172742d2d2e7375622e6578616d706c652e", "part--.sub.example.");
	FQ(s4, NULL, "\x00\x00\x00x.sub.example", ADDR(10, 6, 0, 10),
	   "080000782e7375622e6578616d706c652e", "x.sub.example.");
	FQ(s4, NULL, "\x00\x00\x00xsub.example", ADDR(10, 6, 0, 10),
	   "080000787375622e6578616d706c652e7375622e6578616d706c652e", "xsub.example.sub.example.");
	FQ(s6, NULL, "\x00\x00\x00part", ADDR(10, 5, 0, 10),
	   "080000677066782d31302d352d302d31302e6e65742e6578616d706c652e",
	   "gpfx-10-5-0-10.net.example.");
	/* a reserved hostname wins over replacement, qualified */
	FQ(s6, &res, "\x01\x00\x00" "client", ADDR(10, 5, 0, 14),
	   "0a00007265736e65742e6e65742e6578616d706c652e", "resnet.net.example.");
	/* option 12 in the same subnets */
	HN(s1, NULL, "My_Host", ADDR(10, 1, 0, 11), "myxhost");
	HN(s2, NULL, "My_Host", ADDR(10, 2, 0, 11), "my_host");
	HN(s3, NULL, "mine", ADDR(10, 3, 0, 11), "sub4-10-3-0-11");
	HN(s4, NULL, "Part_2", ADDR(10, 6, 0, 16), "-art--.sub.example");
	HN(s4, NULL, "a.", ADDR(10, 6, 0, 16), "a.sub.example");
	HN(s4, NULL, "x.y", ADDR(10, 6, 0, 16), "x.y");
	HN(s6, NULL, "given", ADDR(10, 5, 0, 13), "gpfx-10-5-0-13.net.example");
	HN(s6, &res, "given", ADDR(10, 5, 0, 15), "resnet.net.example");
	cfg_free(cfg);
}

static void test_hostname(void **state)
{
	cfg_t *cfg = load("\"ddns-generated-prefix\": \"gpfx\", \"subnet4\": ["
	                  "{\"id\": 1, \"subnet\": \"10.0.0.0/16\"},"
	                  "{\"id\": 5, \"subnet\": \"10.4.0.0/24\","
	                  " \"ddns-replace-client-name\": \"when-not-present\"}]");
	const cfg_subnet4_t *s = cfg_subnet_by_id(cfg, 1), *s5 = cfg_subnet_by_id(cfg, 5);
	const cfg_host_t res = { .hostname = "res2.Example.COM." };
	uint32_t a = ADDR(10, 0, 1, 17);
	names_query_t q;
	names_t n;

	(void)state;
	HN(s, NULL, "Plain_Host", a, "plainhost");
	HN(s, NULL, "a.b.c.", a, "a.b.c.");  /* several labels: kept as sent */
	HN(s, NULL, ".", a, "gpfx-10-0-1-17"); /* root only: generated */
	HN(s, NULL, " sp ", a, "sp");
	HN(s, NULL, "host\0", a, "host");
	HN(s, NULL, "a\0b", a, "ab");
	HN(s, NULL, "a\\046b", a, "a046b");
	HN(s, NULL, "__", a, NULL);           /* scrubbed to nothing: no option */
	HN(s, NULL, "   ", a, NULL);
	HN(s, NULL, "a..b", a, NULL);         /* malformed: ignored */
	HN(s, &res, NULL, a, "res2.example.com");
	HN(s, &res, "client", a, "res2.example.com");
	/* when-not-present: absent, empty or NUL-only options generate */
	assert_int_equal(query(NULL, 0, NULL, 0, &q), 0);
	names_decide(&q, &s5->names, NULL, ADDR(10, 4, 0, 11), &n);
	assert_int_equal(n.kind, NAMES_HOSTNAME);
	assert_string_equal(n.lease, "gpfx-10-4-0-11");
	HN(s5, NULL, "\0\0", ADDR(10, 4, 0, 14), "gpfx-10-4-0-14");
	HN(s5, NULL, "given", ADDR(10, 4, 0, 12), "given");
	HN(s5, NULL, "  ", ADDR(10, 4, 0, 15), NULL);
	/* never (the default): no option without a name */
	assert_int_equal(query(NULL, 0, NULL, 0, &q), 0);
	names_decide(&q, &s->names, NULL, a, &n);
	assert_int_equal(n.kind, NAMES_NONE);
	cfg_free(cfg);
}

static void test_fqdn_malformed(void **state)
{
	names_query_t q;

	(void)state;
	/* Kea's Option4ClientFqdn refuses these: the packet is dropped */
	assert_int_equal(query((const uint8_t *)"\x00\x00", 2, NULL, 0, &q), -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x09\x00\x00x", 4, NULL, 0, &q), -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x00\x00\x00" "a..b", 7, NULL, 0, &q), -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x00\x00\x00" "ab\\", 6, NULL, 0, &q), -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x04\x00\x00\x04host\xc0\x00", 10, NULL, 0, &q),
	                 -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x04\x00\x00myhost", 9, NULL, 0, &q), -EBADMSG);
	assert_int_equal(query((const uint8_t *)"\x04\x00\x00\x05host", 8, NULL, 0, &q), -EBADMSG);
	/* and accept these */
	assert_int_equal(query((const uint8_t *)"\x04\x00\x00\x00", 4, NULL, 0, &q), 0);
	assert_true(q.fqdn_full && q.fqdn_has_name);
	assert_int_equal(query((const uint8_t *)"\x04\x00\x00", 3, NULL, 0, &q), 0);
	assert_false(q.fqdn_has_name);
}

/* A whole packet, so that split options go through pkt4_parse()'s join. */
static int parse_packet(const uint8_t *opts, size_t n, names_query_t *q)
{
	uint8_t buf[600] = { 1, 1, 6 };
	arena_t arena;
	pkt4_t pkt;
	const char *what = NULL;
	int r;

	buf[236] = 0x63, buf[237] = 0x82, buf[238] = 0x53, buf[239] = 0x63;
	memcpy(buf + 240, opts, n);
	buf[240 + n] = DHO_END;
	assert_int_equal(arena_init(&arena, 64 * 1024), 0);
	assert_int_equal(pkt4_parse(&pkt, &arena, buf, 241 + n), 0);
	r = names_query_parse(&pkt, q, &what);
	arena_done(&arena);
	return r;
}

static void test_split(void **state)
{
	static const uint8_t split81[] = { 81, 4, 0, 0, 0, 'a', 81, 3, 0, 0, 0 };
	static const uint8_t split81_bad[] = { 81, 4, 0, 0, 0, 'a', 81, 2, 'b', 'c' };
	static const uint8_t split12[] = { 12, 2, 'a', 'b', 12, 1, 'c' };
	static const uint8_t one81[] = { 81, 5, 1, 0, 0, 'a', 'b' };
	names_query_t q;

	(void)state;
	/* Kea 2.2 checks each instance, then fuses them into an untyped option
	 * its name processing ignores: absent, or the packet is dropped. */
	assert_int_equal(parse_packet(split81, sizeof(split81), &q), 0);
	assert_false(q.has_fqdn);
	assert_int_equal(parse_packet(split81_bad, sizeof(split81_bad), &q), -EBADMSG);
	assert_int_equal(parse_packet(split12, sizeof(split12), &q), 0);
	assert_null(q.hostname);
	assert_int_equal(parse_packet(one81, sizeof(one81), &q), 0);
	assert_true(q.has_fqdn && !q.fqdn_full && q.fqdn_has_name);
	assert_int_equal(q.flags, NAMES_FQDN_S);
}

static void test_cfg_errors(void **state)
{
	(void)state;
	load_bad("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"hostname-char-set\": \"[\"}]",
	         "Dhcp4.subnet4[0].hostname-char-set", "is not a valid regular expression");
	load_bad("\"shared-networks\": [{\"name\": \"n\", \"hostname-char-set\": \"(\", \"subnet4\": []}]",
	         "Dhcp4.shared-networks[0].hostname-char-set", "is not a valid regular expression");
	load_bad("\"hostname-char-set\": \"[\"", "Dhcp4.hostname-char-set",
	         "is not a valid regular expression");
	load_bad("\"ddns-replace-client-name\": true", "Dhcp4.ddns-replace-client-name",
	         "boolean values for the replace-client-name are no longer supported");
	load_bad("\"ddns-replace-client-name\": \"sometimes\"", "Dhcp4.ddns-replace-client-name",
	         "unsupported ddns-replace-client-name value");
	load_bad("\"ddns-generated-prefix\": 5", "Dhcp4.ddns-generated-prefix", "parameter is not a string");
	load_bad("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"hostname-char-replacement\": 5}]",
	         "Dhcp4.subnet4[0].hostname-char-replacement", "parameter is not a string");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fqdn_defaults), cmocka_unit_test(test_fqdn_params),
		cmocka_unit_test(test_hostname),      cmocka_unit_test(test_fqdn_malformed),
		cmocka_unit_test(test_split),         cmocka_unit_test(test_cfg_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

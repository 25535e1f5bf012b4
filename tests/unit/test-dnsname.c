/* Unit tests for dhcp/dnsname.c (isc::dns::Name text and wire parsing and
 * printing as Kea 2.2 does it) and util/sanitize.c (StringSanitizer). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/dnsname.h"
#include "util/sanitize.h"

static int text_labels(const char *s)
{
	uint8_t w[DNSNAME_WIRE_MAX];
	size_t wl;

	return dnsname_from_text(s, strlen(s), w, &wl);
}

static const char *round_trip(const char *s, bool omit, char *out)
{
	uint8_t w[DNSNAME_WIRE_MAX];
	size_t wl;

	assert_true(dnsname_from_text(s, strlen(s), w, &wl) > 0);
	dnsname_to_text(w, omit, out);
	return out;
}

static void test_text_labels(void **state)
{
	(void)state;
	/* getLabelCount(): the root counts, so "a" has 2 and "." has 1. */
	assert_int_equal(text_labels("."), 1);
	assert_int_equal(text_labels("a"), 2);
	assert_int_equal(text_labels("a."), 2);
	assert_int_equal(text_labels("a.b"), 3);
	assert_int_equal(text_labels("a.b.c."), 4);
	assert_int_equal(text_labels("a\\.b"), 2); /* escaped dot inside a label */
	assert_int_equal(text_labels("a\\046b"), 2);
}

static void test_text_refused(void **state)
{
	char l63[64], l64[65], n300[301];

	(void)state;
	assert_int_equal(text_labels(""), -EBADMSG);
	assert_int_equal(text_labels("a..b"), -EBADMSG);
	assert_int_equal(text_labels(".a"), -EBADMSG);
	assert_int_equal(text_labels(".."), -EBADMSG);
	assert_int_equal(text_labels("a\\256"), -EBADMSG);  /* escape over 255 */
	assert_int_equal(text_labels("a\\25x"), -EBADMSG);  /* digits then not */
	assert_int_equal(text_labels("ab\\"), -EBADMSG);    /* ends in an escape */
	assert_int_equal(text_labels("\\[x]"), -EBADMSG);   /* bitstring label */
	memset(l63, 'b', 63), l63[63] = '\0';
	memset(l64, 'a', 64), l64[64] = '\0';
	assert_int_equal(text_labels(l63), 2);
	assert_int_equal(text_labels(l64), -EBADMSG);
	/* 5 labels of 59 + dots: 300 wire bytes, over 255 */
	for (int i = 0; i < 300; i++) {
		n300[i] = i % 60 == 59 ? '.' : 'c';
	}
	n300[300] = '\0';
	assert_int_equal(text_labels(n300), -EBADMSG);
}

static void test_text_print(void **state)
{
	char out[DNSNAME_TEXT_MAX];

	(void)state;
	/* lower-cased on parse; \DDD for bytes outside 0x21..0x7e; specials
	 * escaped; the final dot printed unless omitted; root alone is ".". */
	assert_string_equal(round_trip("My_Host.Example.", false, out), "my_host.example.");
	assert_string_equal(round_trip("host", true, out), "host");
	assert_string_equal(round_trip("my host", false, out), "my\\032host.");
	assert_string_equal(round_trip("a\\.b\\065", true, out), "a\\.ba");
	assert_string_equal(round_trip(".", true, out), ".");
	assert_string_equal(round_trip("x;y@z$", true, out), "x\\;y\\@z\\$");
}

static void test_wire(void **state)
{
	static const uint8_t full[] = { 4, 'H', 'o', 's', 't', 3, 'c', 'o', 'm', 0 };
	static const uint8_t trailing[] = { 4, 'h', 'o', 's', 't', 0, 3, 'a', 'b', 'c', 0 };
	static const uint8_t ptr[] = { 4, 'h', 'o', 's', 't', 0xc0, 0 };
	static const uint8_t overrun[] = { 5, 'h', 'o', 's', 't' };
	static const uint8_t ascii[] = { 'm', 'y', 'h', 'o', 's', 't' };
	static const uint8_t dot[] = { 3, 'a', '.', 'b', 0 };
	uint8_t w[DNSNAME_WIRE_MAX], big[300];
	char out[DNSNAME_TEXT_MAX], raw[DNSNAME_WIRE_MAX + 1];
	size_t wl;

	(void)state;
	assert_int_equal(dnsname_from_wire(full, sizeof(full), w, &wl), 3);
	assert_int_equal(wl, sizeof(full));
	dnsname_to_text(w, false, out);
	assert_string_equal(out, "host.com.");
	/* stops at the first zero label */
	assert_int_equal(dnsname_from_wire(trailing, sizeof(trailing), w, &wl), 2);
	assert_int_equal(wl, 6);
	assert_int_equal(dnsname_from_wire(ptr, sizeof(ptr), w, &wl), -EBADMSG);
	assert_int_equal(dnsname_from_wire(overrun, sizeof(overrun), w, &wl), -EBADMSG);
	assert_int_equal(dnsname_from_wire(ascii, sizeof(ascii), w, &wl), -EBADMSG);
	assert_int_equal(dnsname_from_wire(full, 3, w, &wl), -EBADMSG);
	assert_int_equal(dnsname_from_wire(dot, sizeof(dot), w, &wl), 2);
	dnsname_to_text(w, false, out);
	assert_string_equal(out, "a\\.b.");
	assert_int_equal(dnsname_to_raw(w, false, raw), 4);
	assert_string_equal(raw, "a.b.");
	/* 4 labels of 63: 257 bytes, over 255 */
	for (size_t i = 0; i < 4 * 64; i += 64) {
		big[i] = 63;
		memset(big + i + 1, 'x', 63);
	}
	big[256] = 0;
	assert_int_equal(dnsname_from_wire(big, 257, w, &wl), -EBADMSG);
}

static void test_sanitize_default(void **state)
{
	sanitize_t s;
	char out[64];

	(void)state;
	assert_int_equal(sanitize_init(&s, "[^A-Za-z0-9.-]", ""), 0);
	assert_int_equal(sanitize_scrub(&s, "My_Host.x", 9, out, sizeof(out)), 8);
	assert_string_equal(out, "MyHost.x");
	assert_int_equal(sanitize_scrub(&s, "a\0b", 3, out, sizeof(out)), 2); /* NUL is a byte */
	assert_string_equal(out, "ab");
	sanitize_done(&s);
	assert_int_equal(sanitize_init(&s, "[^A-Za-z0-9.-]", "x"), 0);
	assert_int_equal(sanitize_scrub(&s, "a_b", 3, out, sizeof(out)), 3);
	assert_string_equal(out, "axb");
	assert_int_equal(sanitize_scrub(&s, "____", 4, out, 4), -ENOSPC);
	sanitize_done(&s);
}

static void test_sanitize_regex(void **state)
{
	sanitize_t s;
	char out[64];

	(void)state;
	assert_int_equal(sanitize_init(&s, "[^a-z.]", "-"), 0);
	assert_int_equal(sanitize_scrub(&s, "Part_2", 6, out, sizeof(out)), 6);
	assert_string_equal(out, "-art--");
	assert_int_equal(sanitize_scrub(&s, "a\0b", 3, out, sizeof(out)), 3);
	assert_string_equal(out, "a-b");
	sanitize_done(&s);
	/* multi-byte matches are replaced once each */
	assert_int_equal(sanitize_init(&s, "ab+", "X"), 0);
	assert_int_equal(sanitize_scrub(&s, "cabbbdab", 8, out, sizeof(out)), 4);
	assert_string_equal(out, "cXdX");
	sanitize_done(&s);
	/* an expression that matches empty strings still terminates */
	assert_int_equal(sanitize_init(&s, "x*", "-"), 0);
	assert_true(sanitize_scrub(&s, "ab", 2, out, sizeof(out)) > 0);
	sanitize_done(&s);
	assert_int_equal(sanitize_init(&s, "[", ""), -EINVAL);
	assert_int_equal(sanitize_init(&s, "(", ""), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_labels),     cmocka_unit_test(test_text_refused),
		cmocka_unit_test(test_text_print),      cmocka_unit_test(test_wire),
		cmocka_unit_test(test_sanitize_default), cmocka_unit_test(test_sanitize_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

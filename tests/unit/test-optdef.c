/* Option definition table and csv-format encoding (dhcp/optdef.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/optdef.h"

static int enc(const char *name, const char *data, uint8_t *out)
{
	char err[256];
	const optdef_t *d = optdef_std_by_name(name);

	assert_non_null(d);
	return optdef_encode_csv(d, data, out, 1024, err, sizeof(err));
}

static void test_std_lookup(void **state)
{
	(void)state;
	const optdef_t *d = optdef_std_by_name("routers");
	assert_non_null(d);
	assert_int_equal(d->code, 3);
	assert_int_equal(d->type, OPTDEF_IPV4);
	assert_true(d->array);
	d = optdef_std_by_code(15);
	assert_non_null(d);
	assert_string_equal(d->name, "domain-name");
	/* Kea types 15 as a string: it goes out as plain text. */
	assert_int_equal(d->type, OPTDEF_STRING);
	assert_int_equal(optdef_std_by_name("user-class")->type, OPTDEF_BINARY);
	assert_int_equal(optdef_std_by_name("domain-search")->type, OPTDEF_FQDN);
	assert_int_equal(optdef_std_by_name("v6-only-preferred")->code, 108);
	assert_int_equal(optdef_std_by_name("dhcp-server-identifier")->code, 54);
	assert_int_equal(optdef_std_by_name("vivso-suboptions")->code, 125);
	assert_null(optdef_std_by_code(234));
	assert_null(optdef_std_by_name("rooters"));
	assert_true(optdef_is_server_controlled(53));
	assert_true(optdef_is_server_controlled(82));
	assert_false(optdef_is_server_controlled(3));
}

static void test_types(void **state)
{
	(void)state;
	assert_int_equal(optdef_type_from_string("ipv4-address"), OPTDEF_IPV4);
	assert_int_equal(optdef_type_from_string("record"), OPTDEF_RECORD);
	assert_int_equal(optdef_type_from_string("uint64"), _OPTDEF_TYPE_INVALID);
	assert_string_equal(optdef_type_to_string(OPTDEF_PSID), "psid");
}

static void test_encode_scalars(void **state)
{
	uint8_t b[1024];
	(void)state;

	assert_int_equal(enc("routers", "192.0.2.1, 192.0.2.2", b), 8);
	assert_memory_equal(b, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	assert_int_equal(enc("domain-name", "example.com", b), 11);
	assert_memory_equal(b, "example.com", 11);
	/* Kea writes only the first field of a scalar string ("a,b" -> "a") */
	assert_int_equal(enc("domain-name", "a,b", b), 1);
	/* "\\," is a literal comma */
	assert_int_equal(enc("domain-name", "a\\,b", b), 3);
	assert_memory_equal(b, "a,b", 3);
	assert_int_equal(enc("domain-name", "", b), -EINVAL);
	assert_int_equal(enc("default-ip-ttl", "0x10", b), 1);
	assert_int_equal(b[0], 0x10);
	assert_int_equal(enc("default-ip-ttl", "256", b), -EINVAL);
	assert_int_equal(enc("interface-mtu", "1500", b), 2);
	assert_memory_equal(b, "\x05\xdc", 2);
	assert_int_equal(enc("time-offset", "-5", b), 4);
	assert_memory_equal(b, "\xff\xff\xff\xfb", 4);
	assert_int_equal(enc("ip-forwarding", "true", b), 1);
	assert_int_equal(b[0], 1);
	assert_int_equal(enc("ip-forwarding", "yes", b), -EINVAL);
	/* Kea 2.2 takes true/false in any case, and 1/0, nothing else */
	assert_int_equal(enc("ip-forwarding", "True", b), 1);
	assert_int_equal(b[0], 1);
	assert_int_equal(enc("ip-forwarding", "FALSE", b), 1);
	assert_int_equal(b[0], 0);
	assert_int_equal(enc("ip-forwarding", "tRuE", b), 1);
	assert_int_equal(b[0], 1);
	assert_int_equal(enc("ip-forwarding", "2", b), -EINVAL);
	assert_int_equal(enc("routers", "192.0.2.300", b), -EINVAL);
	/* an empty array is accepted by Kea 2.2 */
	assert_int_equal(enc("routers", "", b), 0);
	assert_int_equal(enc("user-class", "57:31:30", b), 3);
	assert_memory_equal(b, "W10", 3);
	assert_int_equal(enc("user-class", "xyz", b), -EINVAL);
	assert_int_equal(enc("v6-only-preferred", "1800", b), 4);
	assert_memory_equal(b, "\x00\x00\x07\x08", 4);
}

static void test_encode_fqdn_records(void **state)
{
	uint8_t b[1024];
	(void)state;

	assert_int_equal(enc("domain-search", "a.com, b.org.", b), 14);
	assert_memory_equal(b, "\x01" "a\x03" "com\x00\x01" "b\x03" "org\x00", 14);
	assert_int_equal(enc("domain-search", "a..com", b), -EINVAL);
	assert_int_equal(enc("client-ndi", "1, 2, 3", b), 3);
	assert_memory_equal(b, "\x01\x02\x03", 3);
	assert_int_equal(enc("client-ndi", "1, 2", b), -EINVAL);
	/* extra values of a non-array record are ignored, as in Kea */
	assert_int_equal(enc("client-ndi", "1, 2, 3, 4", b), 3);
	/* empty tokens are dropped, as by Kea's str::tokens() */
	assert_int_equal(enc("routers", "192.0.2.1,,192.0.2.2", b), 8);
	assert_int_equal(enc("routers", " , 192.0.2.2", b), -EINVAL);
	assert_int_equal(enc("default-ip-ttl", "", b), -EINVAL);
	/* record arrays repeat only the last field */
	assert_int_equal(enc("slp-directory-agent", "true, 192.0.2.1, 192.0.2.2", b), 9);
	assert_memory_equal(b, "\x01\xc0\x00\x02\x01\xc0\x00\x02\x02", 9);
	assert_int_equal(enc("fqdn", "1, 2, 3, foo.com", b), 12);
	assert_memory_equal(b, "\x01\x02\x03\x03" "foo\x03" "com\x00", 12);
	/* 43 is empty + encapsulated: csv data is refused as by Kea, no data
	 * is fine (the payload is its sub-options) */
	assert_int_equal(enc("vendor-encapsulated-options", "01", b), -EINVAL);
	assert_int_equal(enc("vendor-encapsulated-options", "", b), 0);
}

/* Definitions in other option spaces: a code or name in a user space never
 * shadows the dhcp4 one, and duplicates are per space. */
static void test_spaces(void **state)
{
	(void)state;
	optdef_set_t set = { 0 };
	optdef_t d1 = { .name = "vsub1", .code = 1, .type = OPTDEF_STRING,
	                .space = "vendor-encapsulated-options-space" };
	optdef_t d2 = { .name = "acme", .code = 224, .type = OPTDEF_EMPTY, .encapsulate = "acme-space" };
	optdef_t d3 = { .name = "vsub1", .code = 1, .type = OPTDEF_UINT8, .space = "acme-space" };

	assert_int_equal(optdef_set_add(&set, &d1), 0);
	assert_int_equal(optdef_set_add(&set, &d2), 0);
	assert_int_equal(optdef_set_add(&set, &d3), 0);
	assert_int_equal(optdef_set_add(&set, &d1), -EEXIST);
	assert_true(optdef_space_is_dhcp4("dhcp4"));
	assert_true(optdef_space_is_dhcp4(""));
	assert_false(optdef_space_is_dhcp4("acme-space"));
	/* dhcp4 lookups ignore other spaces: code 1 is still subnet-mask */
	assert_string_equal(optdef_find_code(&set, 1)->name, "subnet-mask");
	assert_null(optdef_find_name(&set, "vsub1"));
	assert_ptr_equal(optdef_find_space_name(&set, "dhcp4", "acme"), &set.v[1]);
	assert_ptr_equal(optdef_find_space_code(&set, "dhcp4", 224), &set.v[1]);
	assert_ptr_equal(optdef_find_space_code(&set, "dhcp4", 3), optdef_std_by_code(3));
	assert_ptr_equal(optdef_find_space_name(&set, "vendor-encapsulated-options-space", "vsub1"),
	                 &set.v[0]);
	assert_ptr_equal(optdef_find_space_code(&set, "acme-space", 1), &set.v[2]);
	/* no standard definitions outside dhcp4 */
	assert_null(optdef_find_space_name(&set, "acme-space", "routers"));
	assert_null(optdef_find_space_code(&set, "acme-space", 3));
	assert_null(optdef_find_space_code(NULL, "acme-space", 1));
	optdef_set_done(&set);
}

static void test_encode_custom(void **state)
{
	uint8_t b[1024];
	char err[256];
	optdef_set_t set = { 0 };
	optdef_t d = { .name = "delivery-optimisation", .code = 234, .type = OPTDEF_STRING };
	(void)state;

	assert_int_equal(optdef_set_add(&set, &d), 0);
	assert_int_equal(optdef_set_add(&set, &d), -EEXIST);
	const optdef_t *f = optdef_find_name(&set, "delivery-optimisation");
	assert_non_null(f);
	assert_ptr_equal(optdef_find_code(&set, 234), f);
	assert_ptr_equal(optdef_find_code(&set, 3), optdef_std_by_code(3));
	assert_int_equal(optdef_encode_csv(f, "a2f68131-2b7b", b, sizeof(b), err, sizeof(err)), 13);

	optdef_t psid = { .name = "p", .code = 240, .type = OPTDEF_PSID };
	assert_int_equal(optdef_encode_csv(&psid, "12/4", b, sizeof(b), err, sizeof(err)), 3);
	assert_memory_equal(b, "\x04\xc0\x00", 3);
	assert_int_equal(optdef_encode_csv(&psid, "16/4", b, sizeof(b), err, sizeof(err)), -EINVAL);
	optdef_t pfx = { .name = "q", .code = 241, .type = OPTDEF_IPV6_PREFIX };
	assert_int_equal(optdef_encode_csv(&pfx, "2001:db8::/32", b, sizeof(b), err, sizeof(err)), 5);
	assert_memory_equal(b, "\x20\x20\x01\x0d\xb8", 5);
	optdef_t tup = { .name = "t", .code = 242, .type = OPTDEF_TUPLE, .array = true };
	assert_int_equal(optdef_encode_csv(&tup, "ab, c", b, sizeof(b), err, sizeof(err)), 5);
	assert_memory_equal(b, "\x02" "ab\x01" "c", 5);
	optdef_t rec = { .name = "r", .code = 243, .type = OPTDEF_RECORD, .n_fields = 2,
	                 .fields = { OPTDEF_UINT16, OPTDEF_STRING } };
	assert_int_equal(optdef_encode_csv(&rec, "258, hello", b, sizeof(b), err, sizeof(err)), 7);
	assert_memory_equal(b, "\x01\x02hello", 7);
	/* output capacity is honoured */
	assert_true(optdef_encode_csv(f, "0123456789", b, 4, err, sizeof(err)) < 0);
	optdef_set_done(&set);
}

static void test_encode_hex(void **state)
{
	uint8_t b[16];
	(void)state;

	assert_int_equal(optdef_encode_hex("0a:00:00:01", b, sizeof(b)), 4);
	assert_memory_equal(b, "\x0a\x00\x00\x01", 4);
	assert_int_equal(optdef_encode_hex("0x0102", b, sizeof(b)), 2);
	assert_int_equal(optdef_encode_hex("", b, sizeof(b)), 0);
	assert_int_equal(optdef_encode_hex("zz", b, sizeof(b)), -EINVAL);
	assert_true(optdef_encode_hex("00112233445566778899aabbccddeeff00", b, sizeof(b)) < 0);
	assert_int_equal(optdef_encode_fqdn(".", b, sizeof(b)), 1);
	assert_int_equal(b[0], 0);
	assert_int_equal(optdef_encode_fqdn("", b, sizeof(b)), -EINVAL);
}

/* Kea 2.2's verdicts and words for hex option data (read off kea-dhcp4 -t). */
static int chk(uint8_t code, const char *hex, char *err)
{
	uint8_t b[64];
	int n = optdef_encode_hex(hex, b, sizeof(b));

	assert_true(n >= 0);
	err[0] = '\0';
	return optdef_check_wire(optdef_std_by_code(code), b, (size_t)n, err, 128);
}

static void test_check_wire(void **state)
{
	char e[128];
	(void)state;

	assert_int_equal(chk(3, "010203", e), -EINVAL);
	assert_string_equal(e, "DHCPv4 Option4AddrLst 3 has invalid length=3, must be divisible by 4.");
	assert_int_equal(chk(3, "", e), 0);
	assert_int_equal(chk(1, "ffffff", e), -EINVAL);
	assert_string_equal(e, "option buffer truncated");
	assert_int_equal(chk(1, "ffffff0000", e), 0); /* trailing bytes ignored */
	assert_int_equal(chk(26, "05", e), -EINVAL);
	assert_string_equal(e, "OptionInt 26 truncated");
	assert_int_equal(chk(25, "", e), -EINVAL);
	assert_string_equal(e, "option 25 empty");
	assert_int_equal(chk(25, "05dc05", e), -EINVAL);
	assert_string_equal(e, "OptionIntArray 25 truncated");
	assert_int_equal(chk(15, "0000", e), -EINVAL);
	assert_string_equal(e, "failed to parse an option '15' holding string value' was empty or contained only nuls");
	assert_int_equal(chk(19, "05", e), 0);
	/* FQDNs: a list may point back, a single name may not; root takes 2 bytes */
	assert_int_equal(chk(119, "0361626300c000", e), 0);
	assert_int_equal(chk(119, "c000", e), -EINVAL);
	assert_string_equal(e, "bad compression pointer (out of range): 0");
	assert_int_equal(chk(119, "4000", e), -EINVAL);
	assert_string_equal(e, "unknown label character: 64");
	assert_int_equal(chk(137, "00", e), -EINVAL);
	assert_string_equal(e, "option buffer truncated");
	assert_int_equal(chk(137, "03616263", e), -EINVAL);
	assert_string_equal(e, "incomplete wire-format name");
	/* records, and the options with a class of their own */
	assert_int_equal(chk(78, "0101020304", e), 0);
	assert_int_equal(chk(78, "010203", e), -EINVAL);
	assert_int_equal(chk(146, "010203040506070800", e), -EINVAL);
	assert_string_equal(e, "unable to read FQDN from a buffer. The buffer is empty.");
	assert_int_equal(chk(81, "0000", e), -EINVAL);
	assert_string_equal(e, "DHCPv4 Client FQDN Option (81) is truncated");
	assert_int_equal(chk(81, "04000003616263", e), 0); /* partial name */
	assert_int_equal(chk(81, "04000040", e), -EINVAL);
	assert_string_equal(e, "failed to parse the domain-name in DHCPv4 Client FQDN Option: unknown label character: 64");
	assert_int_equal(chk(124, "000000010561", e), -EINVAL);
	assert_string_equal(e, "unable to parse the opaque data tuple, the buffer length is 1, but the tuple length is 5");
	assert_int_equal(chk(125, "00000001020101", e), -EINVAL);
	assert_string_equal(e, "Option parse failed. Tried to parse 4 bytes from 3-byte long buffer.");
	assert_int_equal(chk(125, "000000010001", e), 0); /* only the first block is read */
	assert_int_equal(chk(79, "03", e), -EINVAL);
	assert_string_equal(e, "unable to read the buffer as boolean value. Invalid value 3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_std_lookup),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_encode_scalars),
		cmocka_unit_test(test_encode_fqdn_records),
		cmocka_unit_test(test_encode_custom),
		cmocka_unit_test(test_encode_hex),
		cmocka_unit_test(test_check_wire),
		cmocka_unit_test(test_spaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/class/lexer.c: every token of Kea 2.2's lexer.ll, flex's
 * longest-match rule selection, literal decoding and error columns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "class/class-int.h"
#include "util/macro.h"

#define MAXTOK 32

/* Scan @s completely; returns the token count (END included) or the error. */
static int lex_all(const char *s, class_tok_t *out, class_err_t *err)
{
	class_lexer_t lx = { .src = s, .len = strlen(s) };

	for (int n = 0; n < MAXTOK; n++) {
		int r = class_lex_next(&lx, &out[n], err);
		if (r < 0) {
			return r;
		}
		if (out[n].type == CLASS_TOK_END) {
			return n + 1;
		}
	}
	fail_msg("too many tokens in '%s'", s);
	return -1;
}

static void expect_types(const char *s, const class_tok_type_t *types, int n)
{
	class_tok_t t[MAXTOK];
	class_err_t err;
	int got = lex_all(s, t, &err);

	if (got < 0) {
		fail_msg("'%s': lex error at %d: %s", s, err.column, err.msg);
	}
	if (got != n) {
		fail_msg("'%s': %d tokens, want %d", s, got, n);
	}
	for (int i = 0; i < n; i++) {
		if (t[i].type != types[i]) {
			fail_msg("'%s': token %d is %s, want %s", s, i, class_tok_name(t[i].type),
			         class_tok_name(types[i]));
		}
	}
}

#define EXPECT(s, ...)                                                                     \
	do {                                                                                \
		static const class_tok_type_t ty_[] = { __VA_ARGS__, CLASS_TOK_END };       \
		expect_types((s), ty_, (int)ARRAY_SIZE(ty_));                               \
	} while (0)

static void expect_error(const char *s, int column, const char *msg)
{
	class_tok_t t[MAXTOK];
	class_err_t err = { 0 };
	int r = lex_all(s, t, &err);

	assert_int_equal(r, -EINVAL);
	assert_int_equal(err.column, column);
	assert_string_equal(err.msg, msg);
}

static void test_every_keyword(void **state)
{
	static const struct {
		const char *s;
		class_tok_type_t t;
	} kw[] = {
		{ "option", CLASS_TOK_OPTION },
		{ "relay4", CLASS_TOK_RELAY4 },
		{ "relay6", CLASS_TOK_RELAY6 },
		{ "peeraddr", CLASS_TOK_PEERADDR },
		{ "linkaddr", CLASS_TOK_LINKADDR },
		{ "text", CLASS_TOK_TEXT },
		{ "hex", CLASS_TOK_HEX },
		{ "exists", CLASS_TOK_EXISTS },
		{ "pkt", CLASS_TOK_PKT },
		{ "iface", CLASS_TOK_IFACE },
		{ "src", CLASS_TOK_SRC },
		{ "dst", CLASS_TOK_DST },
		{ "len", CLASS_TOK_LEN },
		{ "pkt4", CLASS_TOK_PKT4 },
		{ "mac", CLASS_TOK_MAC },
		{ "hlen", CLASS_TOK_HLEN },
		{ "htype", CLASS_TOK_HTYPE },
		{ "ciaddr", CLASS_TOK_CIADDR },
		{ "giaddr", CLASS_TOK_GIADDR },
		{ "yiaddr", CLASS_TOK_YIADDR },
		{ "siaddr", CLASS_TOK_SIADDR },
		{ "pkt6", CLASS_TOK_PKT6 },
		{ "msgtype", CLASS_TOK_MSGTYPE },
		{ "transid", CLASS_TOK_TRANSID },
		{ "vendor", CLASS_TOK_VENDOR },
		{ "vendor-class", CLASS_TOK_VENDOR_CLASS },
		{ "data", CLASS_TOK_DATA },
		{ "enterprise", CLASS_TOK_ENTERPRISE },
		{ "substring", CLASS_TOK_SUBSTRING },
		{ "split", CLASS_TOK_SPLIT },
		{ "all", CLASS_TOK_ALL },
		{ "concat", CLASS_TOK_CONCAT },
		{ "ifelse", CLASS_TOK_IFELSE },
		{ "hexstring", CLASS_TOK_TOHEXSTRING },
		{ "addrtotext", CLASS_TOK_ADDRTOTEXT },
		{ "int8totext", CLASS_TOK_INT8TOTEXT },
		{ "int16totext", CLASS_TOK_INT16TOTEXT },
		{ "int32totext", CLASS_TOK_INT32TOTEXT },
		{ "uint8totext", CLASS_TOK_UINT8TOTEXT },
		{ "uint16totext", CLASS_TOK_UINT16TOTEXT },
		{ "uint32totext", CLASS_TOK_UINT32TOTEXT },
		{ "not", CLASS_TOK_NOT },
		{ "and", CLASS_TOK_AND },
		{ "or", CLASS_TOK_OR },
		{ "member", CLASS_TOK_MEMBER },
		{ "known", CLASS_TOK_KNOWN },
		{ "unknown", CLASS_TOK_UNKNOWN },
		{ "lcase", CLASS_TOK_LCASE },
		{ "ucase", CLASS_TOK_UCASE },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kw); i++) {
		class_tok_type_t want[] = { kw[i].t, CLASS_TOK_END };
		expect_types(kw[i].s, want, 2);
		assert_string_equal(class_tok_name(kw[i].t), kw[i].s);
	}
}

static void test_punctuation(void **state)
{
	(void)state;
	EXPECT("( ) [ ] . , * + ==", CLASS_TOK_LPAREN, CLASS_TOK_RPAREN, CLASS_TOK_LBRACKET,
	       CLASS_TOK_RBRACKET, CLASS_TOK_DOT, CLASS_TOK_COMMA, CLASS_TOK_ANY, CLASS_TOK_PLUS,
	       CLASS_TOK_EQUAL);
	EXPECT("\t\n option\n[77]", CLASS_TOK_OPTION, CLASS_TOK_LBRACKET, CLASS_TOK_INTEGER,
	       CLASS_TOK_RBRACKET);
	expect_types("", (const class_tok_type_t[]){ CLASS_TOK_END }, 1);
	expect_types(" \t\n", (const class_tok_type_t[]){ CLASS_TOK_END }, 1);
}

static void test_literals(void **state)
{
	class_tok_t t[MAXTOK];
	class_err_t err;

	(void)state;
	/* Strings keep everything between the quotes, no escapes. */
	assert_int_equal(lex_all("'a b\\c'", t, &err), 2);
	assert_int_equal(t[0].type, CLASS_TOK_STRING);
	assert_int_equal(t[0].val_len, 5);
	assert_memory_equal(t[0].val, "a b\\c", 5);
	assert_int_equal(lex_all("''", t, &err), 2);
	assert_int_equal(t[0].type, CLASS_TOK_STRING);
	assert_int_equal(t[0].val_len, 0);

	assert_int_equal(lex_all("0x1aF", t, &err), 2);
	assert_int_equal(t[0].type, CLASS_TOK_HEXSTRING);
	assert_int_equal(t[0].val_len, 3);
	assert_memory_equal(t[0].val, "1aF", 3);
	assert_int_equal(lex_all("0X00", t, &err), 2);
	assert_int_equal(t[0].type, CLASS_TOK_HEXSTRING);

	assert_int_equal(lex_all("-42 9223372036854775807 -9223372036854775808", t, &err), 4);
	assert_int_equal(t[0].type, CLASS_TOK_INTEGER);
	assert_true(t[0].ival == -42);
	assert_true(t[1].ival == INT64_MAX);
	assert_true(t[2].ival == INT64_MIN);

	assert_int_equal(lex_all("10.0.0.1", t, &err), 2);
	assert_int_equal(t[0].type, CLASS_TOK_IP_ADDRESS);
	assert_int_equal(t[0].ip_len, 4);
	assert_memory_equal(t[0].ip, "\x0a\x00\x00\x01", 4);

	assert_int_equal(lex_all("fe80::1 ::", t, &err), 3);
	assert_int_equal(t[0].type, CLASS_TOK_IP_ADDRESS);
	assert_int_equal(t[0].ip_len, 16);
	assert_int_equal(t[0].ip[0], 0xfe);
	assert_int_equal(t[0].ip[15], 1);
	assert_int_equal(t[1].type, CLASS_TOK_IP_ADDRESS);
	assert_int_equal(t[1].ip_len, 16);

	/* Option names: identifier + optional blanks + ']' (the ']' is context). */
	assert_int_equal(lex_all("[host-name ]", t, &err), 4);
	assert_int_equal(t[1].type, CLASS_TOK_OPTION_NAME);
	assert_int_equal(t[1].val_len, 9);
	assert_memory_equal(t[1].val, "host-name", 9);
	assert_int_equal(t[2].type, CLASS_TOK_RBRACKET);
	assert_int_equal(t[2].pos, 11);
}

/* flex picks the longest match, ties to the earlier rule. */
static void test_longest_match(void **state)
{
	(void)state;
	/* Kea accepts notmember('X'): NOT then MEMBER. */
	EXPECT("notmember('X')", CLASS_TOK_NOT, CLASS_TOK_MEMBER, CLASS_TOK_LPAREN, CLASS_TOK_STRING,
	       CLASS_TOK_RPAREN);
	/* A keyword followed by ']' is an option name. */
	EXPECT("option[all]", CLASS_TOK_OPTION, CLASS_TOK_LBRACKET, CLASS_TOK_OPTION_NAME,
	       CLASS_TOK_RBRACKET);
	EXPECT("vendor-class[4491]", CLASS_TOK_VENDOR_CLASS, CLASS_TOK_LBRACKET, CLASS_TOK_INTEGER,
	       CLASS_TOK_RBRACKET);
	EXPECT("vendor[*]", CLASS_TOK_VENDOR, CLASS_TOK_LBRACKET, CLASS_TOK_ANY, CLASS_TOK_RBRACKET);
	EXPECT("vendor.enterprise", CLASS_TOK_VENDOR, CLASS_TOK_DOT, CLASS_TOK_ENTERPRISE);
	EXPECT("pkt4.mac", CLASS_TOK_PKT4, CLASS_TOK_DOT, CLASS_TOK_MAC);
	EXPECT("pkt.len", CLASS_TOK_PKT, CLASS_TOK_DOT, CLASS_TOK_LEN);
	/* Hex beats integer, address beats integer. */
	EXPECT("0x01 0 1.2.3.4", CLASS_TOK_HEXSTRING, CLASS_TOK_INTEGER, CLASS_TOK_IP_ADDRESS);
	/* An address followed by more dots: address, dot, integer. */
	EXPECT("1.2.3.4.5", CLASS_TOK_IP_ADDRESS, CLASS_TOK_DOT, CLASS_TOK_INTEGER);
	/* Negative numbers for substring. */
	EXPECT("substring('abc',-1,all)", CLASS_TOK_SUBSTRING, CLASS_TOK_LPAREN, CLASS_TOK_STRING,
	       CLASS_TOK_COMMA, CLASS_TOK_INTEGER, CLASS_TOK_COMMA, CLASS_TOK_ALL, CLASS_TOK_RPAREN);
	EXPECT("'a'=='b'", CLASS_TOK_STRING, CLASS_TOK_EQUAL, CLASS_TOK_STRING);
	EXPECT("'a'+'b'", CLASS_TOK_STRING, CLASS_TOK_PLUS, CLASS_TOK_STRING);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a == 'b'", 1, "Invalid character: a");
	expect_error("option[77].foo", 12, "Invalid character: f");
	expect_error("'abc", 1, "Invalid character: '");
	expect_error("'ab\nc'", 1, "Invalid character: '");
	expect_error("1 = 2", 3, "Invalid character: =");
	expect_error("- 1", 1, "Invalid character: -");
	expect_error("0x", 2, "Invalid character: x");
	expect_error("99999999999999999999 == 'a'", 1,
	             "Failed to convert 99999999999999999999 to an integer.");
	expect_error("  1.2.3.400", 3, "Failed to convert 1.2.3.400 to an IP address.");
	expect_error("1:2:3:4:5:6:7:8:9", 1, "Failed to convert 1:2:3:4:5:6:7:8:9 to an IP address.");
	expect_error("'x' \x01", 5, "Invalid character: \x01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_keyword), cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_literals),      cmocka_unit_test(test_longest_match),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

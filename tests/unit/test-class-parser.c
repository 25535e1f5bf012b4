/* Unit tests for src/class/parser.c and compile.c: every grammar rule of Kea
 * 2.2's parser.yy compiles, precedence (NOT > AND > OR, + tighter than ==),
 * typing, error messages and columns (each checked against kea-dhcp4 -t),
 * known/unknown dependency tracking and the anti-DoS limits. */
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
#include "class/class.h"
#include "util/macro.h"

enum { IDX_ALL, IDX_KNOWN, IDX_UNKNOWN, IDX_FOO, IDX_DEPK };

static int res_class(void *ud, const char *name)
{
	static const char *const names[] = { "ALL", "KNOWN", "UNKNOWN", "FOO", "DEPK" };

	(void)ud;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(names[i], name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static bool res_depends(void *ud, int idx)
{
	(void)ud;
	return idx == IDX_DEPK;
}

static int res_option(void *ud, const char *name)
{
	(void)ud;
	if (strcmp(name, "host-name") == 0) {
		return 12;
	}
	if (strcmp(name, "user-class") == 0) {
		return 77;
	}
	if (strcmp(name, "my-opt") == 0) {
		return 222;
	}
	return -1;
}

static const class_resolver_t resolver = {
	.class_index = res_class,
	.class_depends_on_known = res_depends,
	.option_code = res_option,
	.known_idx = IDX_KNOWN,
	.unknown_idx = IDX_UNKNOWN,
};

static class_expr_t *compile_ok(const char *s)
{
	class_expr_t *e = NULL;
	class_err_t err = { 0 };
	int r = class_expr_compile(s, &resolver, &e, &err);

	if (r < 0) {
		fail_msg("'%s' failed: %d at column %d: %s", s, r, err.column, err.msg);
	}
	assert_non_null(e);
	return e;
}

static void expect_ok(const char *s)
{
	class_expr_free(compile_ok(s));
}

static void expect_err(const char *s, int column, const char *msg)
{
	class_expr_t *e = NULL;
	class_err_t err = { 0 };
	int r = class_expr_compile(s, &resolver, &e, &err);

	if (r != -EINVAL) {
		class_expr_free(e);
		fail_msg("'%s': expected -EINVAL, got %d", s, r);
	}
	assert_null(e);
	if (err.column != column || strcmp(err.msg, msg) != 0) {
		fail_msg("'%s': got 1.%d '%s', want 1.%d '%s'", s, err.column, err.msg, column, msg);
	}
}

/* Evaluate a packet-independent expression against an empty packet. */
static bool eval_const(const char *s)
{
	static uint8_t scratch[CLASS_EVAL_SCRATCH];
	pkt4_t pkt = { 0 };
	class_eval_ctx_t ctx = { .pkt = &pkt, .scratch = scratch, .scratch_size = sizeof(scratch) };
	class_expr_t *e = compile_ok(s);
	bool r = class_expr_eval(e, &ctx);

	class_expr_free(e);
	return r;
}

static void test_every_rule_compiles(void **state)
{
	static const char *const ok[] = {
		/* the deployment's expressions */
		"option[77].hex == 'W10TEST'",
		"member('ALL')",
		"substring(option[61].hex,0,3) == 0x010203",
		"relay4[1].hex == 'port1'",
		"pkt4.msgtype == 1",
		"vendor-class[4491].exists",
		"vendor-class[4491].data == 'docsis3.0'",
		/* bool_expr */
		"(member('ALL'))",
		"not member('ALL')",
		"member('ALL') and member('FOO')",
		"member('ALL') or member('FOO')",
		"option[12].exists",
		"option[host-name].exists",
		"option[ host-name ].text == 'x'",
		"option[82].option[1].exists",
		"relay4[1].exists",
		"vendor-class[*].exists",
		"vendor[4491].exists",
		"vendor[*].exists",
		"vendor[4491].option[1].exists",
		/* string_expr */
		"'' == 0x00",
		"0xabc == 10.0.0.1",
		"::1 == fe80::1",
		"4294967295 == 0",
		"option[my-opt].hex == option[222].text",
		"option[82].option[1].hex == option[82].option[2].text",
		"relay4[2].text == 'x'",
		"pkt.iface == 'eth0'",
		"pkt.src == pkt.dst",
		"pkt.len == 300",
		"pkt4.mac == 0x001122334455",
		"pkt4.hlen == 6 and pkt4.htype == 1",
		"pkt4.ciaddr == pkt4.giaddr or pkt4.yiaddr == pkt4.siaddr",
		"pkt4.transid == 0x01020304",
		"substring('abc', -1, all) == 'c'",
		"substring('abc', 0, -2) == ''",
		"split('a.b', '.', 2) == 'b'",
		"concat('a', 'b') == 'ab'",
		"'a' + 'b' + 'c' == 'abc'",
		"ifelse(member('FOO'), 'y', 'n') == 'y'",
		"hexstring(pkt4.mac, ':') == '00:11'",
		"addrtotext(pkt4.giaddr) == '10.0.0.1'",
		"int8totext(0xff) == '-1'",
		"int16totext(0xffff) == '-1'",
		"int32totext(0xffffffff) == '-1'",
		"uint8totext(0xff) == '255'",
		"uint16totext(0xffff) == '65535'",
		"uint32totext(0xffffffff) == '4294967295'",
		"vendor.enterprise == 4491",
		"vendor[4491].option[2].hex == 'x'",
		"vendor[4491].option[2].text == 'x'",
		"vendor-class.enterprise == 4491",
		"vendor-class[4491].data[1] == 'x'",
		"('a') == ('a' + '')",
		"((('a')) == 'a')",
		"lcase('ABC') == ucase('abc')",
		"known",
		"unknown and not known",
		"notmember('FOO')",
		"substring('x', 0, 99999999999) == ''",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		expect_ok(ok[i]);
	}
}

/* Every message and column below is what kea-dhcp4 2.2 -t prints for the
 * same class test (`<string>:1.COL: MSG`). */
static void test_errors_match_kea(void **state)
{
	(void)state;
	expect_err("", 1, "syntax error, unexpected end of file");
	expect_err("option[77].hex", 15, "syntax error, unexpected end of file, expecting == or +");
	expect_err("member('NOPE')", 8, "Not defined client class 'NOPE'");
	expect_err("option[foo].hex == 'x'", 8, "option 'foo' is not defined");
	expect_err("option[256].hex == 'x'", 8,
	           "Option code has invalid value in 256. Allowed range: 0..255");
	expect_err("(option[1].exists", 18,
	           "syntax error, unexpected end of file, expecting ) or and or or");
	expect_err("option[1].exists)", 17, "syntax error, unexpected ), expecting end of file");
	expect_err("'a' == 'b' == 'c'", 12, "syntax error, unexpected ==, expecting end of file");
	expect_err("'a' and member('ALL')", 5, "syntax error, unexpected and, expecting == or +");
	expect_err("not 'a'", 8, "syntax error, unexpected end of file, expecting == or +");
	expect_err("pkt4.msgtype == -1", 17, "Invalid value in -1. Allowed range: 0..4294967295");
	expect_err("relay6[0].peeraddr == ::", 8, "Nest level invalid for DHCPv4 packets");
	expect_err("pkt6.msgtype == 1", 1, "pkt6 can only be used in DHCPv6.");
	expect_err("a == 'b'", 1, "Invalid character: a");
	expect_err("substring('abc', 0) == 'a'", 19, "syntax error, unexpected ), expecting \",\"");
	expect_err("ifelse('a', 'b', 'c') == 'b'", 11,
	           "syntax error, unexpected \",\", expecting == or +");
	expect_err("option[77].foo == 'x'", 12, "Invalid character: f");
	expect_err("vendor-class[4491].data[256] == 'x'", 25,
	           "Invalid value in 256. Allowed range: 0..255");
	expect_err("option[all].hex == 'x'", 8, "option 'all' is not defined");
	expect_err("'a' == member('FOO')", 8, "syntax error, unexpected member");
	expect_err("99999999999999999999 == 'a'", 1,
	           "Failed to convert 99999999999999999999 to an integer.");
	expect_err("1.2.3.400 == 'a'", 1, "Failed to convert 1.2.3.400 to an IP address.");
}

/* Also checked against kea-dhcp4 2.2 -t. */
static void test_errors_more(void **state)
{
	(void)state;
	expect_err("member('ALL') and", 18, "syntax error, unexpected end of file");
	expect_err("member('ALL') member('ALL')", 15,
	           "syntax error, unexpected member, expecting end of file");
	expect_err("option[-1].exists", 8,
	           "Option code has invalid value in -1. Allowed range: 0..255");
	expect_err("option[1].option[host-name].exists", 18,
	           "syntax error, unexpected option name, expecting integer");
	expect_err("relay4[256].exists", 8,
	           "Option code has invalid value in 256. Allowed range: 0..255");
	expect_err("vendor[-1].exists", 8, "Invalid value in -1. Allowed range: 0..4294967295");
	expect_err("vendor[4294967296].exists", 8,
	           "Invalid value in 4294967296. Allowed range: 0..4294967295");
	expect_err("pkt4.foo == 'x'", 6, "Invalid character: f");
	expect_err("pkt4.len == 'x'", 6, "syntax error, unexpected len");
	expect_err("pkt.mac == 'x'", 5,
	           "syntax error, unexpected mac, expecting iface or src or dst or len");
	expect_err("member(FOO)", 8, "Invalid character: F");
	expect_err("member('FOO'", 13, "syntax error, unexpected end of file, expecting )");
	expect_err("'a' == option[1].exists", 18,
	           "syntax error, unexpected exists, expecting option or text or hex");
	expect_err("member('ALL') + 'a' == 'a'", 15, "syntax error, unexpected +, expecting end of file");
	expect_err("'a' + member('ALL')", 7, "syntax error, unexpected member");
	expect_err("ifelse(member('ALL'), member('ALL'), 'n') == 'y'", 23,
	           "syntax error, unexpected member");
	expect_err("split('a', 'b', 'c') == 'a'", 17,
	           "syntax error, unexpected constant string, expecting integer");
	expect_err("substring('a', all, 1) == 'a'", 16,
	           "syntax error, unexpected all, expecting integer");
	expect_err("')' == ')' )", 12, "syntax error, unexpected ), expecting end of file");
	expect_err("vendor[1].data == 'x'", 11,
	           "syntax error, unexpected data, expecting option or exists");
}

/* NOT > AND > OR; + binds tighter than ==; and/or are left associative. */
static void test_precedence(void **state)
{
	(void)state;
	/* true or (false and false) = true; (true or false) and false = false */
	assert_true(eval_const("'a' == 'a' or 'a' == 'b' and 'a' == 'b'"));
	/* (false and false) or true */
	assert_true(eval_const("'a' == 'b' and 'a' == 'b' or 'a' == 'a'"));
	/* (not false) and false = false; not (false and false) would be true */
	assert_false(eval_const("not 'a' == 'b' and 'a' == 'b'"));
	/* (not true) or true = true */
	assert_true(eval_const("not 'a' == 'a' or 'a' == 'a'"));
	assert_true(eval_const("not not 'a' == 'a'"));
	/* parentheses override */
	assert_false(eval_const("('a' == 'a' or 'a' == 'b') and 'a' == 'b'"));
	assert_true(eval_const("not ('a' == 'b' and 'a' == 'a')"));
	/* + on both sides of == */
	assert_true(eval_const("'a' + 'b' == 'ab'"));
	assert_true(eval_const("'ab' == 'a' + 'b'"));
	assert_true(eval_const("'a' + 'b' + 'c' == concat(concat('a', 'b'), 'c')"));
	assert_true(eval_const("('a' + 'b') + 'c' == 'a' + ('b' + 'c')"));
	/* comparison is exact bytes */
	assert_false(eval_const("'a' == 'A'"));
	assert_false(eval_const("'a' == 'a '"));
}

static void test_program_shape(void **state)
{
	class_expr_t *e;

	(void)state;
	/* option, literal, == : three instructions in postfix order. */
	e = compile_ok("option[77].hex == 'W10TEST'");
	assert_int_equal(e->n_insn, 3);
	assert_int_equal(e->insn[0].op, CLASS_OP_OPTION);
	assert_int_equal(e->insn[0].code, 77);
	assert_int_equal(e->insn[0].rep, CLASS_REP_HEX);
	assert_int_equal(e->insn[1].op, CLASS_OP_LIT);
	assert_int_equal(e->insn[1].b, 7);
	assert_memory_equal(e->pool + e->insn[1].a, "W10TEST", 7);
	assert_int_equal(e->insn[2].op, CLASS_OP_EQUAL);
	assert_int_equal(e->max_depth, 2);
	class_expr_free(e);

	/* Literals are decoded at compile time. */
	e = compile_ok("0x123 == 258");
	assert_int_equal(e->insn[0].b, 2);
	assert_memory_equal(e->pool + e->insn[0].a, "\x01\x23", 2);
	assert_int_equal(e->insn[1].b, 4);
	assert_memory_equal(e->pool + e->insn[1].a, "\x00\x00\x01\x02", 4);
	class_expr_free(e);

	e = compile_ok("ifelse(member('ALL'), 'a', substring('abc', 1, 2)) == 'b'");
	assert_int_equal(e->max_depth, 3);
	class_expr_free(e);

	/* A long left-associative chain keeps the stack shallow. */
	char buf[2048] = "'x'";
	for (int i = 0; i < 200; i++) {
		strcat(buf, "+'x'");
	}
	strcat(buf, " == ''");
	e = compile_ok(buf);
	assert_int_equal(e->max_depth, 2);
	class_expr_free(e);
}

static void test_depends_on_known(void **state)
{
	static const struct {
		const char *s;
		bool dep;
	} cases[] = {
		{ "member('ALL')", false },
		{ "member('FOO') or option[1].exists", false },
		{ "member('KNOWN')", true },
		{ "not member('UNKNOWN')", true },
		{ "member('DEPK') and member('ALL')", true },
		{ "known", true },
		{ "unknown", true },
		{ "ifelse(known, 'a', 'b') == 'a'", true },
		{ "option[77].hex == 'W10TEST'", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		class_expr_t *e = compile_ok(cases[i].s);
		if (class_expr_depends_on_known(e) != cases[i].dep) {
			fail_msg("'%s': depends_on_known should be %d", cases[i].s, cases[i].dep);
		}
		class_expr_free(e);
	}
	assert_false(class_expr_depends_on_known(NULL));
	class_expr_free(NULL);
}

static void test_limits(void **state)
{
	char *buf = malloc(100000);
	class_expr_t *e = NULL;
	class_err_t err;
	size_t k = 0;

	(void)state;
	assert_non_null(buf);

	/* Deep parentheses are refused, not a stack overflow. */
	for (int i = 0; i < 1000; i++) {
		buf[k++] = '(';
	}
	strcpy(buf + k, "member('ALL')");
	k += strlen("member('ALL')");
	for (int i = 0; i < 1000; i++) {
		buf[k++] = ')';
	}
	buf[k] = '\0';
	assert_int_equal(class_expr_compile(buf, &resolver, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "expression nested too deeply");
	assert_int_equal(err.column, CLASS_PARSE_DEPTH_MAX + 1);

	k = 0;
	for (int i = 0; i < 1000; i++) {
		memcpy(buf + k, "not ", 4);
		k += 4;
	}
	strcpy(buf + k, "member('ALL')");
	assert_int_equal(class_expr_compile(buf, &resolver, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "expression nested too deeply");

	/* Too many instructions. */
	k = 0;
	strcpy(buf, "member('ALL')");
	k = strlen(buf);
	for (int i = 0; i < 5000; i++) {
		memcpy(buf + k, " or known", 9);
		k += 9;
	}
	buf[k] = '\0';
	assert_int_equal(class_expr_compile(buf, &resolver, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "expression too complex");
	assert_null(e);

	/* Just under the nesting limit is fine. */
	k = 0;
	for (int i = 0; i < CLASS_PARSE_DEPTH_MAX - 1; i++) {
		buf[k++] = '(';
	}
	strcpy(buf + k, "member('ALL')");
	k += strlen("member('ALL')");
	for (int i = 0; i < CLASS_PARSE_DEPTH_MAX - 1; i++) {
		buf[k++] = ')';
	}
	buf[k] = '\0';
	e = compile_ok(buf);
	class_expr_free(e);
	free(buf);
}

static void test_null_resolver(void **state)
{
	class_expr_t *e = NULL;
	class_err_t err;

	(void)state;
	assert_int_equal(class_expr_compile("option[1].exists", NULL, &e, &err), 0);
	class_expr_free(e);
	e = NULL;
	assert_int_equal(class_expr_compile("member('ALL')", NULL, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "Not defined client class 'ALL'");
	assert_int_equal(class_expr_compile("option[host-name].exists", NULL, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "option 'host-name' is not defined");
	assert_int_equal(class_expr_compile(NULL, NULL, &e, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_compiles),
		cmocka_unit_test(test_errors_match_kea),
		cmocka_unit_test(test_errors_more),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_program_shape),
		cmocka_unit_test(test_depends_on_known),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_null_resolver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

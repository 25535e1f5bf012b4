/* Kea's JSON dialect (cfg/cfg-json.c): comments stripped in place, a JSON
 * path located to its line for error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <jansson.h>

#include "cfg/cfg-json.h"

static void test_comments_and_locate(void **state)
{
	(void)state;
	char text[] = "{ // c1 \"x\n"
	              "  \"a\": \"http://x#y /* z */\", # c2\n"
	              "  /* multi\n"
	              "     line */ \"b\": [ 1,\n"
	              "    { \"c\":\n"
	              "      \"v\" } ]\n"
	              "}\n";
	size_t len = strlen(text);

	cfg_json_strip_comments(text, len);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "\"http://x#y /* z */\""));
	assert_null(strstr(text, "c1"));
	assert_null(strstr(text, "c2"));
	assert_null(strstr(text, "multi"));
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	json_decref(j);
	assert_int_equal(cfg_json_locate(text, len, "a"), 2);
	assert_int_equal(cfg_json_locate(text, len, "b"), 4);
	assert_int_equal(cfg_json_locate(text, len, "b[0]"), 4);
	assert_int_equal(cfg_json_locate(text, len, "b[1]"), 5);
	assert_int_equal(cfg_json_locate(text, len, "b[1].c"), 6);
	/* missing components: deepest found */
	assert_int_equal(cfg_json_locate(text, len, "b[7]"), 4);
	assert_int_equal(cfg_json_locate(text, len, "b[1].nope"), 5);
	assert_int_equal(cfg_json_locate("", 0, "a"), 0);
	/* a scalar value on the line after its key: the value's line */
	const char *t2 = "{\"a\":\n 5, \"b\":\n {\n}}";
	assert_int_equal(cfg_json_locate(t2, strlen(t2), "a"), 2);
	/* an object value opened below its key: the key's line */
	assert_int_equal(cfg_json_locate(t2, strlen(t2), "b"), 2);
	assert_int_equal(cfg_json_locate("{\"a\": [1, {", 11, "a[1].b"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments_and_locate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

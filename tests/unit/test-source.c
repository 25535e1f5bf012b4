/* Unit tests for src/source/: placeholder filling (template.c) and the S3
 * request that libcurl signs (s3.c), without any network. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "source/s3.h"
#include "source/source.h"
#include "source/template.h"

/* A fake environment: "NAME=value" pairs. */
static const char *const *fake_env;

static const char *lookup(const char *name, void *ud)
{
	(void)ud;
	size_t n = strlen(name);

	for (size_t i = 0; fake_env[i] != NULL; i++) {
		if (strncmp(fake_env[i], name, n) == 0 && fake_env[i][n] == '=') {
			return fake_env[i] + n + 1;
		}
	}
	return NULL;
}

static int fill(const char *in, char **out, char *err, size_t errlen)
{
	size_t len = 0;

	return tmpl_fill(in, strlen(in), lookup, NULL, out, &len, err, errlen);
}

static void expect_fill(const char *in, const char *want)
{
	char *out = NULL;
	char err[256] = "";

	assert_int_equal(fill(in, &out, err, sizeof(err)), 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_fills_both_styles(void **state)
{
	static const char *const env[] = { "DB_HOST=db.internal", "x_y1=v", "EMPTY=", NULL };

	(void)state;
	fake_env = env;
	expect_fill("{\"host\": \"<DB_HOST>\"}", "{\"host\": \"db.internal\"}");
	expect_fill("${DB_HOST}:${x_y1}", "db.internal:v");
	expect_fill("[<EMPTY>]", "[]");                 /* empty is a value */
	expect_fill("<DB_HOST><DB_HOST>", "db.internal" "db.internal");
}

static void test_leaves_other_text_alone(void **state)
{
	static const char *const env[] = { "A=1", NULL };

	(void)state;
	fake_env = env;
	/* not placeholders: lower case, spaces, operators, Kea's include, lone $ */
	const char *same[] = {
		"<lower>", "<A B>", "a < b && c > d", "<?include \"x\"?>", "<>", "<1A>", "$A", "${}", "${1A}",
		"${A", "<A", "cost: $5", "substring(option[60].hex,0,3) == '<b>'",
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		expect_fill(same[i], same[i]);
	}
	expect_fill("$${A} ${A}", "${A} 1");            /* $${ escapes */
}

static void test_missing_names_it(void **state)
{
	static const char *const env[] = { "A=1", NULL };
	char *out = NULL;
	char err[256] = "";

	(void)state;
	fake_env = env;
	assert_int_equal(fill("{\n\"a\": \"<A>\",\n\"b\": \"<DB_PASS>\"}", &out, err, sizeof(err)), -ENOENT);
	assert_null(out);
	assert_non_null(strstr(err, "<DB_PASS>"));
	assert_non_null(strstr(err, "line 3"));
	assert_int_equal(fill("${NOPE}", &out, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "${NOPE}"));
}

static void test_s3_parse(void **state)
{
	char *b = NULL, *k = NULL;

	(void)state;
	assert_int_equal(s3_parse("s3://bucket/dir/key.json", &b, &k), 0);
	assert_string_equal(b, "bucket");
	assert_string_equal(k, "dir/key.json");
	free(b);
	free(k);
	assert_int_equal(s3_parse("s3://bucket", &b, &k), -EINVAL);
	assert_int_equal(s3_parse("s3:///key", &b, &k), -EINVAL);
	assert_int_equal(s3_parse("s3://bucket/", &b, &k), -EINVAL);
	assert_int_equal(s3_parse("http://bucket/key", &b, &k), -EINVAL);
}

static void test_s3_request(void **state)
{
	static const char *const aws[] = { "AWS_DEFAULT_REGION=eu-west-1", NULL };
	static const char *const compat[] = { "AWS_REGION=us-west-2", "AWS_DEFAULT_REGION=eu-west-1",
		                              "AWS_ENDPOINT_URL_S3=http://127.0.0.1:4569/", NULL };
	static const char *const none[] = { NULL };
	s3_creds_t c = { .key_id = "AKID", .secret = "SECRET", .token = NULL };
	s3_req_t r = { 0 };

	(void)state;
	fake_env = aws;
	assert_int_equal(s3_request_build("s3://cfg/dhcp/primary.json", &c, lookup, NULL, &r), 0);
	assert_string_equal(r.url, "https://cfg.s3.eu-west-1.amazonaws.com/dhcp/primary.json");
	assert_string_equal(r.sigv4, "aws:amz:eu-west-1:s3");
	assert_string_equal(r.userpwd, "AKID:SECRET");
	assert_null(r.token_header);
	assert_string_equal(r.sha_header, "x-amz-content-sha256: "
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	s3_request_done(&r);

	fake_env = compat;              /* AWS_REGION wins; path-style on the endpoint */
	c.token = "TOK";
	assert_int_equal(s3_request_build("s3://cfg/k", &c, lookup, NULL, &r), 0);
	assert_string_equal(r.url, "http://127.0.0.1:4569/cfg/k");
	assert_string_equal(r.sigv4, "aws:amz:us-west-2:s3");
	assert_string_equal(r.token_header, "x-amz-security-token: TOK");
	s3_request_done(&r);

	fake_env = none;
	assert_int_equal(s3_request_build("s3://cfg/k", &c, lookup, NULL, &r), 0);
	assert_string_equal(r.sigv4, "aws:amz:us-east-1:s3");
	s3_request_done(&r);
}

static void test_s3_creds_from_env(void **state)
{
	static const char *const env[] = { "AWS_ACCESS_KEY_ID=AK", "AWS_SECRET_ACCESS_KEY=SK",
		                           "AWS_SESSION_TOKEN=ST", NULL };
	static const char *const nothing[] = { "AWS_EC2_METADATA_DISABLED=true", NULL };
	s3_creds_t c = { 0 };
	char err[256] = "";

	(void)state;
	fake_env = env;
	assert_int_equal(s3_creds_get(lookup, NULL, 1, &c, err, sizeof(err)), 0);
	assert_string_equal(c.key_id, "AK");
	assert_string_equal(c.secret, "SK");
	assert_string_equal(c.token, "ST");
	s3_creds_done(&c);
	/* nothing configured, metadata disabled: no network, a clear error */
	fake_env = nothing;
	assert_int_equal(s3_creds_get(lookup, NULL, 1, &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no AWS credentials"));
}

static void test_source_kind_and_poll(void **state)
{
	source_t *s = NULL;

	(void)state;
	assert_int_equal(source_new("s3://b/k", 300, &s), 0);
	assert_int_equal(source_kind(s), SOURCE_S3);
	assert_true(source_poll_due(s, 0));
	s = source_free(s);
	assert_int_equal(source_new("https://h/c.json", 0, &s), 0);
	assert_int_equal(source_kind(s), SOURCE_HTTP);
	assert_false(source_poll_due(s, 1000));
	s = source_free(s);
	assert_int_equal(source_new("/etc/kea/kea-dhcp4.conf", 0, &s), 0);
	assert_int_equal(source_kind(s), SOURCE_FILE);
	s = source_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_both_styles),
		cmocka_unit_test(test_leaves_other_text_alone),
		cmocka_unit_test(test_missing_names_it),
		cmocka_unit_test(test_s3_parse),
		cmocka_unit_test(test_s3_request),
		cmocka_unit_test(test_s3_creds_from_env),
		cmocka_unit_test(test_source_kind_and_poll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

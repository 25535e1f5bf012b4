/* Lease file: CSV rows, loading tolerance, torn writes, group commit (LFC: test-lfile-lfc.c). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "helpers-lfile.h"
#include "lease/lfile.h"
#include "lease/store-mem.h"

/* ---- escaping and rows ----------------------------------------------- */

static void test_escape(void **state)
{
	char buf[256];
	(void)state;

	assert_int_equal(lfile_escape("a,b&c", buf, sizeof(buf)), 13);
	assert_string_equal(buf, "a&#x2cb&#x26c");
	assert_int_equal(lfile_escape("new\nline", buf, sizeof(buf)), 12);
	assert_string_equal(buf, "new&#x0aline");
	assert_int_equal(lfile_escape("plain.host-1", buf, sizeof(buf)), 12);
	assert_string_equal(buf, "plain.host-1");
	assert_int_equal(lfile_escape(",,,", buf, 10), -ENOSPC);

	const char *in = "a&#x2cb&#x26c&#xZZ&#x";
	assert_true(lfile_unescape(in, strlen(in), buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "a,b&c&#xZZ&#x");
	assert_int_equal(lfile_unescape("&#x41&#x4a", 10, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "AJ");
}

static void test_row_roundtrip(void **state)
{
	char buf[LFILE_ROW_MAX];
	lease4_t l, p;
	const char *why = NULL;
	int n;
	(void)state;

	lf_mk_lease(&l, BASE + 10, 7);
	l.client_id_len = 7;
	memcpy(l.client_id, "\x01\xaa\xbb\xcc\xdd\xee\x01", 7);
	strcpy(l.hostname, "host,with&comma");
	strcpy(l.user_context, "{ \"a\": \"x,y\", \"b\": 1 }");
	l.fqdn_fwd = true;
	l.pool_id = 9;

	n = lfile_row_format(&l, false, LFILE_COLS_KEA22, buf, sizeof(buf));
	assert_true(n > 0);
	assert_string_equal(buf, "192.0.2.10,aa:00:00:00:02:0a,01:aa:bb:cc:dd:ee:01,3600,2000003607,"
	                         "1,1,0,host&#x2cwith&#x26comma,0,{ \"a\": \"x&#x2cy\"&#x2c \"b\": 1 }\n");
	assert_int_equal(lfile_row_parse(buf, (size_t)n - 1, 11, &p, &why), 0);
	l.pool_id = 0;                  /* not in an 11-column row */
	lf_assert_lease_eq(&l, &p);
	assert_int_equal(p.pool_id, 0);

	l.pool_id = 9;
	n = lfile_row_format(&l, false, LFILE_COLS_KEA24, buf, sizeof(buf));
	assert_int_equal(lfile_row_parse(buf, (size_t)n - 1, 12, &p, &why), 0);
	assert_int_equal(p.pool_id, 9);

	/* Delete marker: valid_lifetime 0, expire = cltt (Memfile_LeaseMgr::deleteLease). */
	n = lfile_row_format(&l, true, LFILE_COLS_KEA22, buf, sizeof(buf));
	assert_non_null(strstr(buf, ",0,2000000007,1,"));
	assert_int_equal(lfile_row_parse(buf, (size_t)n - 1, 11, &p, &why), 0);
	assert_int_equal(p.valid_lft, 0);

	/* Infinite lifetime: expire beyond 32 bits. */
	l.valid_lft = LEASE_LFT_INFINITE;
	n = lfile_row_format(&l, false, LFILE_COLS_KEA22, buf, sizeof(buf));
	assert_int_equal(lfile_row_parse(buf, (size_t)n - 1, 11, &p, &why), 0);
	assert_int_equal(p.valid_lft, LEASE_LFT_INFINITE);
	assert_int_equal(p.cltt, l.cltt);
}

static void test_row_reject(void **state)
{
	static const char *bad[] = {
		"192.0.2.1,aa:bb,,3600,2000003600,1,0",                  /* < hostname */
		"192.0.2.256,aa:bb,,3600,2000003600,1,0,0,,0,",          /* address */
		"192.0.2.1,zz:bb,,3600,2000003600,1,0,0,,0,",            /* hwaddr */
		"192.0.2.1,aa:bb,,-1,2000003600,1,0,0,,0,",              /* lifetime */
		"192.0.2.1,aa:bb,,4294967296,2000003600,1,0,0,,0,",      /* > u32 */
		"192.0.2.1,aa:bb,,3600,100,1,0,0,,0,",                   /* expire < valid */
		"192.0.2.1,aa:bb,,3600,2000003600,1,2,0,,0,",            /* bool */
		"192.0.2.1,aa:bb,,3600,2000003600,1,0,0,,3,",            /* state */
		"192.0.2.1,,,3600,2000003600,1,0,0,,0,",                 /* blank hw, not declined */
		"192.0.2.1,aa:bb,,3600,2000003600,1,0,0,,0,x,1,2",       /* too many */
		"192.0.2.1,aa:bb,,3600,2000003600,1,0,0,,0,[1]",         /* uctx not a map */
		"",
	};
	lease4_t l;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(lfile_row_parse(bad[i], strlen(bad[i]), 11, &l, &why), -EBADMSG);
		assert_non_null(why);
	}
	/* A declined lease may have a blank hwaddr; a 9-column (old) row is fine
	 * in a 9-column file. */
	const char *ok = "192.0.2.1,,,3600,2000003600,1,0,0,,1,";
	assert_int_equal(lfile_row_parse(ok, strlen(ok), 11, &l, &why), 0);
	assert_int_equal(l.state, LEASE_STATE_DECLINED);
	const char *old = "192.0.2.1,aa:bb,,3600,2000003600,1,0,0,x";
	assert_int_equal(lfile_row_parse(old, strlen(old), 9, &l, &why), 0);
	assert_int_equal(lfile_row_parse(old, strlen(old), 11, &l, &why), -EBADMSG);
}

/* Random bytes and mutated rows must never crash the parser. */
static void test_row_garbage(void **state)
{
	char good[] = "192.0.2.10,aa:bb:cc:dd:ee:01,01:02,3600,2000003600,1,0,0,h&#x2c,0,{}";
	char buf[sizeof(good) + 64];
	lease4_t l;
	const char *why;
	unsigned seed = 1;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand_r(&seed) % sizeof(buf);
		if (i % 2 == 0) {
			for (size_t j = 0; j < len; j++) {
				buf[j] = (char)rand_r(&seed);
			}
		} else {
			len = sizeof(good) - 1;
			memcpy(buf, good, len);
			for (int k = 0; k < 3; k++) {
				buf[(size_t)rand_r(&seed) % len] = (char)rand_r(&seed);
			}
		}
		(void)lfile_row_parse(buf, len, (unsigned)(i % 14), &l, &why);
	}
}

/* ---- fixtures --------------------------------------------------------- */

static void test_fixture_kea22(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	(void)state;

	assert_int_equal(lf_load_one(fixture_path("leases/kea22.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(st.hdr_cols, 11);
	assert_int_equal(st.rows, 5);
	assert_int_equal(st.errors, 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), 0);
	assert_string_equal(l.hostname, "host-b.example.org");
	assert_true(l.fqdn_fwd && l.fqdn_rev);
	assert_int_equal(l.cltt, 2000000000);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_DECLINED);
	assert_int_equal(l.hwaddr_len, 0);
	assert_int_equal(mem_store_get_by_addr(ms, 0x0a010005, &l), 0);
	assert_int_equal(l.valid_lft, LEASE_LFT_INFINITE);
	assert_int_equal(l.client_id_len, 17);
	assert_non_null(strstr(l.user_context, "relay-agent-info"));
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 13, &l), 0);
	assert_int_equal(l.state, LEASE_STATE_EXPIRED_RECLAIMED);
	mem_store_free(ms);
}

static void test_fixture_kea24(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	(void)state;

	assert_int_equal(lf_load_one(fixture_path("leases/kea24.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(st.hdr_cols, 12);
	assert_int_equal(st.rows, 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 20, &l), 0);
	assert_int_equal(l.pool_id, 7);
	mem_store_free(ms);
}

static void test_fixture_truncated(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	(void)state;

	assert_int_equal(lf_load_one(fixture_path("leases/truncated.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.errors, 1);
	assert_true(st.torn_tail);
	assert_int_equal(st.last_err_line, 4);
	assert_non_null(strstr(st.last_err, "line 4"));
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), -ENOENT);
	mem_store_free(ms);
}

static void test_fixture_duplicates_deleted(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	(void)state;

	assert_int_equal(lf_load_one(fixture_path("leases/duplicates.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "third");
	assert_int_equal(l.hwaddr[5], 0x09);
	assert_int_equal(l.valid_lft, 1800);
	mem_store_free(ms);

	assert_int_equal(lf_load_one(fixture_path("leases/deleted.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), -ENOENT);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
	assert_string_equal(l.hostname, "back");
	mem_store_free(ms);
}

static void test_fixture_escaped_crlf(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	(void)state;

	assert_int_equal(lf_load_one(fixture_path("leases/escaped.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "a,b&c");
	assert_string_equal(l.user_context, "{ \"k\": \"x,y\", \"n\": 1 }");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), 0);
	assert_string_equal(l.hostname, "lit&#xZZ");
	mem_store_free(ms);

	/* Kea 2.2 rejects CRLF files outright; lessor reads them. */
	assert_int_equal(lf_load_one(fixture_path("leases/crlf.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.errors, 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "crlf");
	mem_store_free(ms);
}

static void test_fixture_badrow(void **state)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	char *err = NULL;
	(void)state;

	/* Unlimited errors: bad rows skipped, the good ones around them kept. */
	assert_int_equal(lf_load_one(fixture_path("leases/badrow.csv"), 0, &ms, &st, &err), 0);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.last_err_line, 4);
	assert_int_equal(mem_store_size(ms), 2);
	mem_store_free(ms);

	/* max-row-errors 1: the second bad row (line 4) fails the load. */
	assert_int_equal(lf_load_one(fixture_path("leases/badrow.csv"), 1, &ms, &st, &err), -EBADMSG);
	assert_non_null(err);
	assert_non_null(strstr(err, "badrow.csv line 4"));
	free(err);
	mem_store_free(ms);

	/* A non-lease file. */
	char *dir = fixture_tmpdir("lessor-lfile");
	char *p = fixture_path_in(dir, "x.csv");
	lf_write_file(p, "name,value\nfoo,1\n", 17);
	err = NULL;
	assert_int_equal(lf_load_one(p, 0, &ms, &st, &err), -EBADMSG);
	assert_non_null(strstr(err, "line 1"));
	free(err);
	mem_store_free(ms);
	free(p);
	fixture_rmtree(dir);
}

/* ---- journal ---------------------------------------------------------- */

/* Cut the file at every byte offset of its last row and reload: the result
 * is the state before that row or the state with it, never anything else;
 * appending after the cut then works and the new row is loaded. */
static void test_cut_every_offset(void **state)
{
	char *dir = fixture_tmpdir("lessor-lfile");
	char *name = fixture_path_in(dir, "leases.csv");
	char *cut = fixture_path_in(dir, "cut.csv");
	lfile_t *f = NULL;
	lease4_t a, b, a2, c, l;
	uint64_t seq;
	size_t full_len, before_len;
	char *full, *tmp;
	(void)state;

	lf_mk_lease(&a, BASE + 10, 1);
	lf_mk_lease(&b, BASE + 11, 2);
	lf_mk_lease(&a2, BASE + 10, 3);
	strcpy(a2.hostname, "after,with&comma");
	strcpy(a2.user_context, "{\"a\":1,\"b\":\"z\"}");
	a2.client_id_len = 3;
	memcpy(a2.client_id, "\x01\x02\x03", 3);
	lf_mk_lease(&c, BASE + 12, 4);

	assert_int_equal(lfile_open(name, &f), 0);
	assert_int_equal(lfile_append(f, &a, false, &seq), 0);
	assert_int_equal(lfile_append(f, &b, false, &seq), 0);
	assert_int_equal(lfile_sync(f, seq), 0);
	tmp = lf_read_file(name, &before_len);
	free(tmp);
	assert_int_equal(lfile_append(f, &a2, false, &seq), 0);
	assert_int_equal(lfile_sync(f, seq), 0);
	f = lfile_close(f);
	full = lf_read_file(name, &full_len);
	assert_true(full_len > before_len + 40);

	for (size_t n = before_len; n <= full_len; n++) {
		mem_store_t *ms;
		lfile_load_stats_t st;

		lf_write_file(cut, full, n);
		assert_int_equal(lf_load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), 0);
		lf_assert_lease_eq(&l, &b);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
		lf_assert_lease_eq(&l, n == full_len ? &a2 : &a);
		assert_int_equal(st.errors, n == before_len || n == full_len ? 0 : 1);
		mem_store_free(ms);

		/* Reopen for append: the torn part goes, the new row lands. */
		assert_int_equal(lfile_open(cut, &f), 0);
		assert_int_equal(lfile_append(f, &c, false, &seq), 0);
		assert_int_equal(lfile_sync(f, seq), 0);
		f = lfile_close(f);
		assert_int_equal(lf_load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(st.errors, 0);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
		lf_assert_lease_eq(&l, n == full_len ? &a2 : &a);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
		lf_assert_lease_eq(&l, &c);
		assert_int_equal(mem_store_size(ms), 3);
		mem_store_free(ms);
	}

	/* A torn header (crash while creating a file) loads as empty and is
	 * rewritten on open. */
	lf_write_file(cut, "address,hwaddr,cli", 18);
	{
		mem_store_t *ms;
		lfile_load_stats_t st;
		assert_int_equal(lf_load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(mem_store_size(ms), 0);
		mem_store_free(ms);
		assert_int_equal(lfile_open(cut, &f), 0);
		f = lfile_close(f);
		tmp = lf_read_file(cut, &full_len);
		assert_string_equal(tmp, "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
		                         "fqdn_fwd,fqdn_rev,hostname,state,user_context\n");
		free(tmp);
	}
	free(full);
	free(name);
	free(cut);
	fixture_rmtree(dir);
}

typedef struct mt_arg {
	lfile_t *f;
	unsigned id;
	unsigned n;
	int err;
} mt_arg_t;

static void *mt_appender(void *p)
{
	mt_arg_t *a = p;

	for (unsigned i = 0; i < a->n && a->err == 0; i++) {
		lease4_t l;
		uint64_t seq;
		lf_mk_lease(&l, 0x0a000000u + a->id * 0x10000u + i, i);
		a->err = lfile_append(a->f, &l, false, &seq);
		if (a->err == 0) {
			a->err = lfile_sync(a->f, seq);
		}
	}
	return NULL;
}

static void test_mt_append_sync(void **state)
{
	char *dir = fixture_tmpdir("lessor-lfile");
	char *name = fixture_path_in(dir, "leases.csv");
	lfile_t *f = NULL;
	pthread_t th[4];
	mt_arg_t args[4];
	mem_store_t *ms;
	lfile_load_stats_t st;
	const unsigned per = 300;
	(void)state;

	assert_int_equal(lfile_open(name, &f), 0);
	for (unsigned i = 0; i < 4; i++) {
		args[i] = (mt_arg_t){ .f = f, .id = i, .n = per };
		assert_int_equal(pthread_create(&th[i], NULL, mt_appender, &args[i]), 0);
	}
	for (unsigned i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].err, 0);
	}
	assert_int_equal(lfile_seq(f), 4 * per);
	/* Group commit: never more fsyncs than rows (usually far fewer). */
	assert_true(lfile_fsyncs(f) <= 4 * per);
	print_message("4 threads x %u rows: %llu fdatasync\n", per,
	              (unsigned long long)lfile_fsyncs(f));
	f = lfile_close(f);

	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(st.errors, 0);
	assert_int_equal(mem_store_size(ms), 4 * per);
	for (unsigned t = 0; t < 4; t++) {
		for (unsigned i = 0; i < per; i++) {
			lease4_t l, want;
			lf_mk_lease(&want, 0x0a000000u + t * 0x10000u + i, i);
			assert_int_equal(mem_store_get_by_addr(ms, want.addr, &l), 0);
			lf_assert_lease_eq(&l, &want);
		}
	}
	mem_store_free(ms);
	free(name);
	fixture_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_row_roundtrip),
		cmocka_unit_test(test_row_reject),
		cmocka_unit_test(test_row_garbage),
		cmocka_unit_test(test_fixture_kea22),
		cmocka_unit_test(test_fixture_kea24),
		cmocka_unit_test(test_fixture_truncated),
		cmocka_unit_test(test_fixture_duplicates_deleted),
		cmocka_unit_test(test_fixture_escaped_crlf),
		cmocka_unit_test(test_fixture_badrow),
		cmocka_unit_test(test_cut_every_offset),
		cmocka_unit_test(test_mt_append_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Lease file: CSV rows, loading tolerance, torn writes, group commit, LFC. */
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
#include "lease/lfile.h"
#include "lease/store-mem.h"

#define BASE 0xc0000200u                /* 192.0.2.0 */

/* ---- helpers ---------------------------------------------------------- */

static void mk_lease(lease4_t *l, uint32_t addr, uint32_t i)
{
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->subnet_id = 1;
	l->hwaddr_len = 6;
	l->htype = 1;
	l->hwaddr[0] = 0xaa;
	l->hwaddr[4] = (uint8_t)(addr >> 8);
	l->hwaddr[5] = (uint8_t)addr;
	l->valid_lft = 3600;
	l->cltt = 2000000000 + i;
	snprintf(l->hostname, sizeof(l->hostname), "h%u", i);
}

static void assert_lease_eq(const lease4_t *a, const lease4_t *b)
{
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->subnet_id, b->subnet_id);
	assert_int_equal(a->hwaddr_len, b->hwaddr_len);
	assert_memory_equal(a->hwaddr, b->hwaddr, a->hwaddr_len);
	assert_int_equal(a->client_id_len, b->client_id_len);
	assert_memory_equal(a->client_id, b->client_id, a->client_id_len);
	assert_int_equal(a->valid_lft, b->valid_lft);
	assert_int_equal(a->cltt, b->cltt);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->fqdn_fwd, b->fqdn_fwd);
	assert_int_equal(a->fqdn_rev, b->fqdn_rev);
	assert_string_equal(a->hostname, b->hostname);
	assert_string_equal(a->user_context, b->user_context);
}

static int load_into_mem(void *userdata, const lease4_t *l)
{
	return mem_store_load(userdata, l);
}

/* Load a whole file set into a fresh store. */
static int load_set(const char *name, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
                    char **err)
{
	mem_store_t *ms = NULL;
	int r;

	assert_int_equal(mem_store_new(8, NULL, NULL, &ms), 0);
	memset(st, 0, sizeof(*st));
	r = lfile_load_set(name, max_err, load_into_mem, ms, st, err);
	*ret = ms;
	return r;
}

static int load_one(const char *path, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
                    char **err)
{
	mem_store_t *ms = NULL;
	int r;

	assert_int_equal(mem_store_new(8, NULL, NULL, &ms), 0);
	memset(st, 0, sizeof(*st));
	r = lfile_load(path, max_err, load_into_mem, ms, st, err);
	*ret = ms;
	return r;
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static char *read_file(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*ret_len = (size_t)n;
	return buf;
}

static bool exists(const char *dir, const char *file)
{
	char *p = fixture_path_in(dir, file);
	struct stat st;
	bool r = stat(p, &st) == 0;

	free(p);
	return r;
}

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

	mk_lease(&l, BASE + 10, 7);
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
	assert_lease_eq(&l, &p);
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

	assert_int_equal(load_one(fixture_path("leases/kea22.csv"), 0, &ms, &st, NULL), 0);
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

	assert_int_equal(load_one(fixture_path("leases/kea24.csv"), 0, &ms, &st, NULL), 0);
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

	assert_int_equal(load_one(fixture_path("leases/truncated.csv"), 0, &ms, &st, NULL), 0);
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

	assert_int_equal(load_one(fixture_path("leases/duplicates.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "third");
	assert_int_equal(l.hwaddr[5], 0x09);
	assert_int_equal(l.valid_lft, 1800);
	mem_store_free(ms);

	assert_int_equal(load_one(fixture_path("leases/deleted.csv"), 0, &ms, &st, NULL), 0);
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

	assert_int_equal(load_one(fixture_path("leases/escaped.csv"), 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "a,b&c");
	assert_string_equal(l.user_context, "{ \"k\": \"x,y\", \"n\": 1 }");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), 0);
	assert_string_equal(l.hostname, "lit&#xZZ");
	mem_store_free(ms);

	/* Kea 2.2 rejects CRLF files outright; lessor reads them. */
	assert_int_equal(load_one(fixture_path("leases/crlf.csv"), 0, &ms, &st, NULL), 0);
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
	assert_int_equal(load_one(fixture_path("leases/badrow.csv"), 0, &ms, &st, &err), 0);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.last_err_line, 4);
	assert_int_equal(mem_store_size(ms), 2);
	mem_store_free(ms);

	/* max-row-errors 1: the second bad row (line 4) fails the load. */
	assert_int_equal(load_one(fixture_path("leases/badrow.csv"), 1, &ms, &st, &err), -EBADMSG);
	assert_non_null(err);
	assert_non_null(strstr(err, "badrow.csv line 4"));
	free(err);
	mem_store_free(ms);

	/* A non-lease file. */
	char *dir = fixture_tmpdir("lessor-lfile");
	char *p = fixture_path_in(dir, "x.csv");
	write_file(p, "name,value\nfoo,1\n", 17);
	err = NULL;
	assert_int_equal(load_one(p, 0, &ms, &st, &err), -EBADMSG);
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

	mk_lease(&a, BASE + 10, 1);
	mk_lease(&b, BASE + 11, 2);
	mk_lease(&a2, BASE + 10, 3);
	strcpy(a2.hostname, "after,with&comma");
	strcpy(a2.user_context, "{\"a\":1,\"b\":\"z\"}");
	a2.client_id_len = 3;
	memcpy(a2.client_id, "\x01\x02\x03", 3);
	mk_lease(&c, BASE + 12, 4);

	assert_int_equal(lfile_open(name, &f), 0);
	assert_int_equal(lfile_append(f, &a, false, &seq), 0);
	assert_int_equal(lfile_append(f, &b, false, &seq), 0);
	assert_int_equal(lfile_sync(f, seq), 0);
	tmp = read_file(name, &before_len);
	free(tmp);
	assert_int_equal(lfile_append(f, &a2, false, &seq), 0);
	assert_int_equal(lfile_sync(f, seq), 0);
	f = lfile_close(f);
	full = read_file(name, &full_len);
	assert_true(full_len > before_len + 40);

	for (size_t n = before_len; n <= full_len; n++) {
		mem_store_t *ms;
		lfile_load_stats_t st;

		write_file(cut, full, n);
		assert_int_equal(load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), 0);
		assert_lease_eq(&l, &b);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
		assert_lease_eq(&l, n == full_len ? &a2 : &a);
		assert_int_equal(st.errors, n == before_len || n == full_len ? 0 : 1);
		mem_store_free(ms);

		/* Reopen for append: the torn part goes, the new row lands. */
		assert_int_equal(lfile_open(cut, &f), 0);
		assert_int_equal(lfile_append(f, &c, false, &seq), 0);
		assert_int_equal(lfile_sync(f, seq), 0);
		f = lfile_close(f);
		assert_int_equal(load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(st.errors, 0);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
		assert_lease_eq(&l, n == full_len ? &a2 : &a);
		assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
		assert_lease_eq(&l, &c);
		assert_int_equal(mem_store_size(ms), 3);
		mem_store_free(ms);
	}

	/* A torn header (crash while creating a file) loads as empty and is
	 * rewritten on open. */
	write_file(cut, "address,hwaddr,cli", 18);
	{
		mem_store_t *ms;
		lfile_load_stats_t st;
		assert_int_equal(load_set(cut, 0, &ms, &st, NULL), 0);
		assert_int_equal(mem_store_size(ms), 0);
		mem_store_free(ms);
		assert_int_equal(lfile_open(cut, &f), 0);
		f = lfile_close(f);
		tmp = read_file(cut, &full_len);
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
		mk_lease(&l, 0x0a000000u + a->id * 0x10000u + i, i);
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

	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(st.errors, 0);
	assert_int_equal(mem_store_size(ms), 4 * per);
	for (unsigned t = 0; t < 4; t++) {
		for (unsigned i = 0; i < per; i++) {
			lease4_t l, want;
			mk_lease(&want, 0x0a000000u + t * 0x10000u + i, i);
			assert_int_equal(mem_store_get_by_addr(ms, want.addr, &l), 0);
			assert_lease_eq(&l, &want);
		}
	}
	mem_store_free(ms);
	free(name);
	fixture_rmtree(dir);
}

/* ---- LFC -------------------------------------------------------------- */

#define LFC_N 400

typedef struct lfc_arg {
	lfile_t *f;
	lease4_t *expect;               /* [LFC_N]; valid_lft 0 = deleted */
	_Atomic bool stop;
	_Atomic unsigned rounds;
	_Atomic int err;
} lfc_arg_t;

static void *lfc_writer(void *p)
{
	lfc_arg_t *a = p;
	unsigned seed = 7;

	while (!a->stop && a->err == 0) {
		for (unsigned k = 0; k < 10 && a->err == 0; k++) {
			unsigned i = (unsigned)rand_r(&seed) % LFC_N;
			lease4_t l;
			uint64_t seq;
			bool del = rand_r(&seed) % 5 == 0;
			mk_lease(&l, BASE + i, a->rounds * 100 + k);
			a->err = lfile_append(a->f, &l, del, &seq);
			if (a->err == 0) {
				a->expect[i] = l;
				if (del) {
					a->expect[i].valid_lft = 0;
				}
				a->err = lfile_sync(a->f, seq);
			}
		}
		a->rounds++;
	}
	return NULL;
}

static void verify_state(const char *name, const lease4_t *expect)
{
	mem_store_t *ms;
	lfile_load_stats_t st;
	size_t live = 0;

	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(st.errors, 0);
	for (unsigned i = 0; i < LFC_N; i++) {
		lease4_t l;
		if (expect[i].valid_lft == 0) {
			assert_int_equal(mem_store_get_by_addr(ms, BASE + i, &l), -ENOENT);
		} else {
			assert_int_equal(mem_store_get_by_addr(ms, BASE + i, &l), 0);
			assert_lease_eq(&l, &expect[i]);
			live++;
		}
	}
	assert_int_equal(mem_store_size(ms), live);
	mem_store_free(ms);
}

static void test_lfc_while_appending(void **state)
{
	char *dir = fixture_tmpdir("lessor-lfile");
	char *name = fixture_path_in(dir, "leases.csv");
	lease4_t *expect = calloc(LFC_N, sizeof(*expect));
	lfc_arg_t a = { .expect = expect };
	pthread_t th;
	int started = 0;
	(void)state;

	assert_int_equal(lfile_open(name, &a.f), 0);
	assert_int_equal(pthread_create(&th, NULL, lfc_writer, &a), 0);
	for (int i = 0; i < 6; i++) {
		/* Let the writer make progress between compactions, however
		 * slow this disk's fsync is. */
		unsigned seen = a.rounds;
		while (a.rounds < seen + 2 && a.err == 0) {
			usleep(1000);
		}
		int r = lfile_lfc_start(a.f);
		assert_true(r == 0 || r == -EBUSY);
		started += r == 0;
		if (i % 2 == 1) {
			assert_int_equal(lfile_lfc_wait(a.f), 0);
		}
	}
	assert_int_equal(lfile_lfc_wait(a.f), 0);
	unsigned seen = a.rounds;
	while (a.rounds < seen + 2 && a.err == 0) {
		usleep(1000);           /* appends after the last compaction too */
	}
	a.stop = true;
	pthread_join(th, NULL);
	assert_int_equal(a.err, 0);
	assert_true(started >= 3);
	assert_true(a.rounds > 12);
	a.f = lfile_close(a.f);

	assert_true(exists(dir, "leases.csv.2"));
	assert_false(exists(dir, "leases.csv.1"));
	assert_false(exists(dir, "leases.csv.completed"));
	assert_false(exists(dir, "leases.csv.output"));
	verify_state(name, expect);

	/* One more full LFC cycle offline gives the same state. */
	assert_int_equal(lfile_open(name, &a.f), 0);
	assert_int_equal(lfile_lfc_start(a.f), 0);
	assert_int_equal(lfile_lfc_wait(a.f), 0);
	a.f = lfile_close(a.f);
	verify_state(name, expect);
	free(expect);
	free(name);
	fixture_rmtree(dir);
}

static const char hdr22[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,"
                            "fqdn_rev,hostname,state,user_context\n";

static void put(const char *dir, const char *file, const char *rows)
{
	char *p = fixture_path_in(dir, file);
	char *text = NULL;

	assert_true(asprintf(&text, "%s%s", hdr22, rows) > 0);
	write_file(p, text, strlen(text));
	free(text);
	free(p);
}

#define ROW(a, h, host) "192.0.2." #a ",aa:bb:cc:dd:ee:" #h ",,3600,2000003600,1,0,0," host ",0,\n"

static void test_restart_sets(void **state)
{
	char *dir = fixture_tmpdir("lessor-lfile");
	char *name = fixture_path_in(dir, "l.csv");
	mem_store_t *ms;
	lfile_load_stats_t st;
	lease4_t l;
	char *err = NULL;
	(void)state;

	/* .2 then .1 then the main file. */
	put(dir, "l.csv.2", ROW(10, 01, "v1") ROW(11, 02, "b"));
	put(dir, "l.csv.1", ROW(10, 01, "v2") "192.0.2.11,aa:bb:cc:dd:ee:02,,0,2000000000,1,0,0,,0,\n");
	put(dir, "l.csv", ROW(12, 03, "c"));
	put(dir, "l.csv.output", ROW(13, 04, "junk"));
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v2");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), -ENOENT);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 13, &l), -ENOENT);
	mem_store_free(ms);
	assert_false(exists(dir, "l.csv.output"));

	/* Interrupted LFC after .completed: it replaces .2 + .1. */
	put(dir, "l.csv.completed", ROW(10, 01, "v3"));
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v3");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
	mem_store_free(ms);
	assert_false(exists(dir, "l.csv.completed"));
	assert_false(exists(dir, "l.csv.1"));
	assert_true(exists(dir, "l.csv.2"));
	/* ... and the finished set loads the same. */
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v3");
	mem_store_free(ms);

	/* A live kea-lfc pid file: refuse. A stale one: ignore. */
	char *pid = fixture_path_in(dir, "l.csv.pid");
	char buf[32];
	snprintf(buf, sizeof(buf), "%d\n", (int)getppid());
	write_file(pid, buf, strlen(buf));
	assert_int_equal(load_set(name, 0, &ms, &st, &err), -EBUSY);
	assert_non_null(strstr(err, "lease file cleanup is in progress"));
	free(err);
	mem_store_free(ms);
	write_file(pid, "999999999\n", 10);
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	mem_store_free(ms);
	free(pid);

	/* Only .1 (crash right after the rotate) and no main file. */
	char *p = fixture_path_in(dir, "l.csv");
	unlink(p);
	free(p);
	put(dir, "l.csv.1", ROW(14, 05, "only1"));
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 14, &l), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	mem_store_free(ms);

	free(name);
	fixture_rmtree(dir);
}

/* Every intermediate file set of an LFC (as a crash would leave it) loads to
 * the same state as before the LFC. */
static void copy_path(const char *from, const char *to)
{
	size_t len;
	char *data = read_file(from, &len);

	write_file(to, data, len);
	free(data);
}

static void assert_same_state(const char *name, const char *expect_name)
{
	mem_store_t *a, *b;
	lfile_load_stats_t st;
	lease4_t page_a[64], page_b[64];

	assert_int_equal(load_set(name, 0, &a, &st, NULL), 0);
	assert_int_equal(load_set(expect_name, 0, &b, &st, NULL), 0);
	int na = mem_store_get_page(a, 0, page_a, 64);
	int nb = mem_store_get_page(b, 0, page_b, 64);
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		assert_lease_eq(&page_a[i], &page_b[i]);
	}
	mem_store_free(a);
	mem_store_free(b);
}

static void test_lfc_crash_points(void **state)
{
	char *ref = fixture_tmpdir("lessor-lfile");
	char *dir = fixture_tmpdir("lessor-lfile");
	char *rname = fixture_path_in(ref, "l.csv");
	char *name = fixture_path_in(dir, "l.csv");
	char *p1 = fixture_path_in(dir, "l.csv.1"), *p2 = fixture_path_in(dir, "l.csv.2");
	char *pc = fixture_path_in(dir, "l.csv.completed"), *po = fixture_path_in(dir, "l.csv.output");
	char *r1 = fixture_path_in(ref, "l.csv.1"), *r2 = fixture_path_in(ref, "l.csv.2");
	char *merged = fixture_path_in(ref, "merged");
	(void)state;

	/* Reference set: .2, .1 and main with overlapping rows. */
	put(ref, "l.csv.2", ROW(10, 01, "v1") ROW(11, 02, "b") ROW(12, 03, "c"));
	put(ref, "l.csv.1", ROW(10, 01, "v2") "192.0.2.11,aa:bb:cc:dd:ee:02,,0,2000000000,1,0,0,,0,\n"
	                    ROW(13, 04, "d"));
	put(ref, "l.csv", ROW(12, 03, "c2") ROW(14, 05, "e"));

	/* The merge result, computed on a copy. */
	copy_path(r1, p1);
	copy_path(r2, p2);
	assert_int_equal(lfile_merge(name, LFILE_COLS_KEA22), 0);
	copy_path(p2, merged);
	assert_false(exists(dir, "l.csv.1"));
	unlink(p2);

	/* Crash points, in kea-lfc's order: writing .output; .output renamed
	 * to .completed; .2 unlinked; .1 unlinked; .completed renamed to .2. */
	static const bool stages[5][4] = {
		/* .2     .1     .completed .output */
		{ true, true, false, true },
		{ true, true, true, false },
		{ false, true, true, false },
		{ false, false, true, false },
		{ false, false, false, false },
	};
	for (size_t i = 0; i < 5; i++) {
		unlink(p1);
		unlink(p2);
		unlink(pc);
		unlink(po);
		copy_path(rname, name);
		if (stages[i][0]) {
			copy_path(r2, p2);
		}
		if (stages[i][1]) {
			copy_path(r1, p1);
		}
		if (stages[i][2]) {
			copy_path(merged, pc);
		}
		if (stages[i][3]) {
			write_file(po, "address,hwaddr,cl", 17);
		}
		if (i == 4) {
			copy_path(merged, p2);
		}
		assert_same_state(name, rname);
	}

	free(rname);
	free(name);
	free(p1);
	free(p2);
	free(pc);
	free(po);
	free(r1);
	free(r2);
	free(merged);
	fixture_rmtree(ref);
	fixture_rmtree(dir);
}

/* A Kea 2.4 file keeps 12-column rows; merge output follows the journal. */
static void test_kea24_append(void **state)
{
	char *dir = fixture_tmpdir("lessor-lfile");
	char *name = fixture_path_in(dir, "l.csv");
	fixture_t *fx = fixture_load("leases/kea24.csv");
	lfile_t *f;
	lease4_t l;
	uint64_t seq;
	size_t len;
	char *text;
	(void)state;

	write_file(name, fx->data, fx->len);
	fixture_free(fx);
	assert_int_equal(lfile_open(name, &f), 0);
	mk_lease(&l, BASE + 30, 1);
	l.pool_id = 5;
	assert_int_equal(lfile_append(f, &l, false, &seq), 0);
	f = lfile_close(f);
	text = read_file(name, &len);
	assert_non_null(strstr(text, "192.0.2.30,aa:00:00:00:02:1e,,3600,2000003601,1,0,0,h1,0,,5\n"));
	free(text);

	mem_store_t *ms;
	lfile_load_stats_t st;
	assert_int_equal(load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 30, &l), 0);
	assert_int_equal(l.pool_id, 5);
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
		cmocka_unit_test(test_lfc_while_appending),
		cmocka_unit_test(test_restart_sets),
		cmocka_unit_test(test_lfc_crash_points),
		cmocka_unit_test(test_kea24_append),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

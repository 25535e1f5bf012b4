/* Lease file compaction (LFC): while appending, restart from every file set an
 * LFC leaves, every crash point, a Kea 2.4 file. Rows and journal: test-lfile.c. */
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
			lf_mk_lease(&l, BASE + i, a->rounds * 100 + k);
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

	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(st.errors, 0);
	for (unsigned i = 0; i < LFC_N; i++) {
		lease4_t l;
		if (expect[i].valid_lft == 0) {
			assert_int_equal(mem_store_get_by_addr(ms, BASE + i, &l), -ENOENT);
		} else {
			assert_int_equal(mem_store_get_by_addr(ms, BASE + i, &l), 0);
			lf_assert_lease_eq(&l, &expect[i]);
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

	assert_true(lf_exists(dir, "leases.csv.2"));
	assert_false(lf_exists(dir, "leases.csv.1"));
	assert_false(lf_exists(dir, "leases.csv.completed"));
	assert_false(lf_exists(dir, "leases.csv.output"));
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
	lf_write_file(p, text, strlen(text));
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
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v2");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 11, &l), -ENOENT);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 13, &l), -ENOENT);
	mem_store_free(ms);
	assert_false(lf_exists(dir, "l.csv.output"));

	/* Interrupted LFC after .completed: it replaces .2 + .1. */
	put(dir, "l.csv.completed", ROW(10, 01, "v3"));
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_size(ms), 2);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v3");
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 12, &l), 0);
	mem_store_free(ms);
	assert_false(lf_exists(dir, "l.csv.completed"));
	assert_false(lf_exists(dir, "l.csv.1"));
	assert_true(lf_exists(dir, "l.csv.2"));
	/* ... and the finished set loads the same. */
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 10, &l), 0);
	assert_string_equal(l.hostname, "v3");
	mem_store_free(ms);

	/* A live kea-lfc pid file: refuse. A stale one: ignore. */
	char *pid = fixture_path_in(dir, "l.csv.pid");
	char buf[32];
	snprintf(buf, sizeof(buf), "%d\n", (int)getppid());
	lf_write_file(pid, buf, strlen(buf));
	assert_int_equal(lf_load_set(name, 0, &ms, &st, &err), -EBUSY);
	assert_non_null(strstr(err, "lease file cleanup is in progress"));
	free(err);
	mem_store_free(ms);
	lf_write_file(pid, "999999999\n", 10);
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	mem_store_free(ms);
	free(pid);

	/* Only .1 (crash right after the rotate) and no main file. */
	char *p = fixture_path_in(dir, "l.csv");
	unlink(p);
	free(p);
	put(dir, "l.csv.1", ROW(14, 05, "only1"));
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
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
	char *data = lf_read_file(from, &len);

	lf_write_file(to, data, len);
	free(data);
}

static void assert_same_state(const char *name, const char *expect_name)
{
	mem_store_t *a, *b;
	lfile_load_stats_t st;
	lease4_t page_a[64], page_b[64];

	assert_int_equal(lf_load_set(name, 0, &a, &st, NULL), 0);
	assert_int_equal(lf_load_set(expect_name, 0, &b, &st, NULL), 0);
	int na = mem_store_get_page(a, 0, page_a, 64);
	int nb = mem_store_get_page(b, 0, page_b, 64);
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		lf_assert_lease_eq(&page_a[i], &page_b[i]);
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
	assert_false(lf_exists(dir, "l.csv.1"));
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
			lf_write_file(po, "address,hwaddr,cl", 17);
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

	lf_write_file(name, fx->data, fx->len);
	fixture_free(fx);
	assert_int_equal(lfile_open(name, &f), 0);
	lf_mk_lease(&l, BASE + 30, 1);
	l.pool_id = 5;
	assert_int_equal(lfile_append(f, &l, false, &seq), 0);
	f = lfile_close(f);
	text = lf_read_file(name, &len);
	assert_non_null(strstr(text, "192.0.2.30,aa:00:00:00:02:1e,,3600,2000003601,1,0,0,h1,0,,5\n"));
	free(text);

	mem_store_t *ms;
	lfile_load_stats_t st;
	assert_int_equal(lf_load_set(name, 0, &ms, &st, NULL), 0);
	assert_int_equal(mem_store_get_by_addr(ms, BASE + 30, &l), 0);
	assert_int_equal(l.pool_id, 5);
	mem_store_free(ms);
	free(name);
	fixture_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lfc_while_appending),
		cmocka_unit_test(test_restart_sets),
		cmocka_unit_test(test_lfc_crash_points),
		cmocka_unit_test(test_kea24_append),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

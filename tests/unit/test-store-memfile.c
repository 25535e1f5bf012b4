/* The "memfile" backend through the store.h API: persistence across reopen,
 * load errors, LFC under load, concurrency, persist false. */
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
#include "lease/store-memfile.h"
#include "lease/store.h"

#define BASE 0xc0000200u                /* 192.0.2.0 */

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void mk_lease(lease4_t *l, uint32_t addr, int64_t cltt)
{
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->subnet_id = 1;
	l->hwaddr_len = 6;
	l->htype = 1;
	l->hwaddr[0] = 0xaa;
	l->hwaddr[3] = (uint8_t)(addr >> 16);
	l->hwaddr[4] = (uint8_t)(addr >> 8);
	l->hwaddr[5] = (uint8_t)addr;
	l->valid_lft = 3600;
	l->cltt = cltt;
}

static lease_store_t *open_store(const char *name, bool persist, uint32_t max_err, char **err)
{
	lease_store_cfg_t cfg = {
		.type = "memfile",
		.name = name,
		.persist = persist,
		.lfc_interval = 3600,
		.max_row_errors = max_err,
	};
	lease_store_t *ls = NULL;
	char *e = NULL;
	int r = lease_store_open(&cfg, &ls, &e);

	if (err != NULL) {
		*err = e;
	} else {
		if (r < 0) {
			print_message("open failed: %d %s\n", r, e != NULL ? e : "");
		}
		free(e);
		assert_int_equal(r, 0);
	}
	return r < 0 ? NULL : ls;
}

static void test_factory(void **state)
{
	lease_store_cfg_t cfg = { .type = "mysql-later" };
	lease_store_t *ls = NULL;
	char *err = NULL;
	(void)state;

	assert_int_equal(lease_store_open(&cfg, &ls, &err), -EOPNOTSUPP);
	assert_null(ls);
	lease_store_close(NULL);
}

static void test_persist_reopen(void **state)
{
	char *dir = fixture_tmpdir("lessor-memfile");
	char *name = fixture_path_in(dir, "kea-leases4.csv");
	lease_store_t *ls = open_store(name, true, 0, NULL);
	lease_conn_t *c = NULL;
	lease4_t l, g, nl;
	(void)state;

	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_conn_sync(c), 0);        /* nothing written: no-op */
	for (uint32_t i = 0; i < 50; i++) {
		mk_lease(&l, BASE + i, 1000 + i);
		snprintf(l.hostname, sizeof(l.hostname), "h,%u", i);
		assert_int_equal(lease_add(c, &l), 0);
	}
	mk_lease(&l, BASE + 3, 0);
	assert_int_equal(lease_add(c, &l), -EEXIST);
	assert_int_equal(lease_get_by_addr(c, BASE + 5, &g), 0);
	nl = g;
	nl.cltt = 9000;
	strcpy(nl.user_context, "{\"x\":[1,2]}");
	assert_int_equal(lease_update(c, &g, &nl), 0);
	assert_int_equal(lease_update(c, &g, &nl), -ESTALE);
	assert_int_equal(lease_get_by_addr(c, BASE + 7, &g), 0);
	assert_int_equal(lease_del(c, &g), 0);
	assert_int_equal(c->store->ops->wipe(c, 99), 0);
	assert_int_equal(lease_conn_sync(c), 0);
	lease_conn_close(c);
	lease_store_close(ls);

	/* A Kea-readable file with the Kea 2.2 header. */
	FILE *fp = fopen(name, "r");
	char line[256];
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                          "fqdn_fwd,fqdn_rev,hostname,state,user_context\n");
	fclose(fp);

	ls = open_store(name, true, 0, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 5, &g), 0);
	assert_int_equal(g.cltt, 9000);
	assert_string_equal(g.user_context, "{\"x\":[1,2]}");
	assert_string_equal(g.hostname, "h,5");
	assert_int_equal(lease_get_by_addr(c, BASE + 7, &g), -ENOENT);
	assert_int_equal(lease_get_by_hwaddr(c, 1, nl.hwaddr, 6, &g), 0);
	assert_int_equal(g.addr, BASE + 5);
	lease_count_t *cnt = NULL;
	assert_int_equal(c->store->ops->count(c, &cnt), 1);
	assert_int_equal(cnt[0].assigned, 49);
	free(cnt);
	lease_conn_close(c);
	lease_store_close(ls);
	free(name);
	fixture_rmtree(dir);
}

static void test_no_persist(void **state)
{
	char *dir = fixture_tmpdir("lessor-memfile");
	char *name = fixture_path_in(dir, "leases.csv");
	lease_store_t *ls = open_store(name, false, 0, NULL);
	lease_conn_t *c = NULL;
	lease4_t l;
	(void)state;

	assert_int_equal(lease_conn_open(ls, &c), 0);
	mk_lease(&l, BASE + 1, 0);
	assert_int_equal(lease_add(c, &l), 0);
	assert_int_equal(lease_conn_sync(c), 0);
	assert_int_equal(ls->ops->compact(ls), 0);
	assert_int_equal(store_memfile_lfc_now(ls, true), -EOPNOTSUPP);
	lease_conn_close(c);
	lease_store_close(ls);
	assert_false(exists(name));
	free(name);
	fixture_rmtree(dir);
}

static void copy_fixture(const char *rel, const char *to)
{
	fixture_t *fx = fixture_load(rel);
	int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, fx->data, fx->len), (ssize_t)fx->len);
	close(fd);
	fixture_free(fx);
}

static void test_load_errors(void **state)
{
	char *dir = fixture_tmpdir("lessor-memfile");
	char *name = fixture_path_in(dir, "leases.csv");
	lease_store_t *ls;
	lease_conn_t *c = NULL;
	lease4_t g;
	char *err = NULL;
	(void)state;

	copy_fixture("leases/badrow.csv", name);
	ls = open_store(name, true, 1, &err);
	assert_null(ls);
	assert_non_null(err);
	assert_non_null(strstr(err, "line 4"));
	free(err);

	/* Unlimited: loads the good rows, then appends after them. */
	ls = open_store(name, true, 0, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 13, &g), 0);
	lease_conn_close(c);
	lease_store_close(ls);

	/* A kea-lfc running on the files: refuse to load. */
	char *pid = fixture_path_in(dir, "leases.csv.pid");
	FILE *fp = fopen(pid, "w");
	fprintf(fp, "%d\n", (int)getppid());
	fclose(fp);
	ls = open_store(name, true, 0, &err);
	assert_null(ls);
	assert_non_null(strstr(err, "lease file cleanup is in progress"));
	free(err);
	unlink(pid);
	free(pid);

	/* Truncated last row: loads, and the next append is not glued to it. */
	copy_fixture("leases/truncated.csv", name);
	ls = open_store(name, true, 0, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	mk_lease(&g, BASE + 40, 5);
	assert_int_equal(lease_add(c, &g), 0);
	assert_int_equal(lease_conn_sync(c), 0);
	lease_conn_close(c);
	lease_store_close(ls);
	ls = open_store(name, true, 1, NULL);   /* would fail on any bad row left */
	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 40, &g), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 11, &g), 0);
	lease_conn_close(c);
	lease_store_close(ls);
	free(name);
	fixture_rmtree(dir);
}

typedef struct worker {
	lease_store_t *ls;
	unsigned id;
	unsigned n;
	int err;
} worker_t;

/* A packet worker: own connection, add or renew, sync before "replying". */
static void *worker_main(void *p)
{
	worker_t *w = p;
	lease_conn_t *c = NULL;

	w->err = lease_conn_open(w->ls, &c);
	for (unsigned i = 0; i < w->n && w->err == 0; i++) {
		lease4_t l, g;
		uint32_t addr = 0x0a000000u + w->id * 0x10000u + i % 200;
		mk_lease(&l, addr, 1000 + i);
		if (lease_get_by_addr(c, addr, &g) == 0) {
			w->err = lease_update(c, &g, &l);
		} else {
			w->err = lease_add(c, &l);
		}
		if (w->err == 0) {
			w->err = lease_conn_sync(c);
		}
	}
	lease_conn_close(c);
	return NULL;
}

static void test_mt_with_lfc(void **state)
{
	char *dir = fixture_tmpdir("lessor-memfile");
	char *name = fixture_path_in(dir, "leases.csv");
	char *name1 = fixture_path_in(dir, "leases.csv.1");
	char *name2 = fixture_path_in(dir, "leases.csv.2");
	lease_store_t *ls = open_store(name, true, 0, NULL);
	pthread_t th[4];
	worker_t w[4];
	const unsigned per = 600;
	lease_conn_t *c = NULL;
	(void)state;

	for (unsigned i = 0; i < 4; i++) {
		w[i] = (worker_t){ .ls = ls, .id = i, .n = per };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int k = 0; k < 3; k++) {
		usleep(30000);
		int r = store_memfile_lfc_now(ls, true);
		assert_true(r == 0 || r == -EBUSY);
	}
	for (unsigned i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].err, 0);
	}
	assert_true(exists(name2));
	assert_false(exists(name1));
	assert_int_equal(ls->ops->compact(ls), 0);      /* interval not elapsed: no-op */
	lease_store_close(ls);

	ls = open_store(name, true, 1, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	for (unsigned t = 0; t < 4; t++) {
		for (unsigned i = 0; i < 200; i++) {
			lease4_t g;
			/* The last write to slot i was iteration i + 400 (per = 600). */
			assert_int_equal(lease_get_by_addr(c, 0x0a000000u + t * 0x10000u + i, &g), 0);
			assert_int_equal(g.cltt, 1000 + i + 400);
		}
	}
	lease4_t page[16];
	assert_int_equal(c->store->ops->get_page(c, 0x0a000000u + 3 * 0x10000u + 195, page, 16), 4);
	lease_conn_close(c);
	lease_store_close(ls);
	free(name);
	free(name1);
	free(name2);
	fixture_rmtree(dir);
}

/* A file written by Kea 2.4 keeps its 12-column format and pool_id. */
static void test_kea24_file(void **state)
{
	char *dir = fixture_tmpdir("lessor-memfile");
	char *name = fixture_path_in(dir, "leases.csv");
	lease_store_t *ls;
	lease_conn_t *c = NULL;
	lease4_t g, nl;
	(void)state;

	copy_fixture("leases/kea24.csv", name);
	ls = open_store(name, true, 0, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 20, &g), 0);
	assert_int_equal(g.pool_id, 7);
	nl = g;
	nl.cltt += 60;
	assert_int_equal(lease_update(c, &g, &nl), 0);
	assert_int_equal(lease_conn_sync(c), 0);
	lease_conn_close(c);
	assert_int_equal(store_memfile_lfc_now(ls, true), 0);
	lease_store_close(ls);

	ls = open_store(name, true, 1, NULL);
	assert_int_equal(lease_conn_open(ls, &c), 0);
	assert_int_equal(lease_get_by_addr(c, BASE + 20, &g), 0);
	assert_int_equal(g.pool_id, 7);
	assert_int_equal(g.cltt, nl.cltt);
	lease_conn_close(c);
	lease_store_close(ls);
	free(name);
	fixture_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factory),
		cmocka_unit_test(test_persist_reopen),
		cmocka_unit_test(test_no_persist),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_mt_with_lfc),
		cmocka_unit_test(test_kea24_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

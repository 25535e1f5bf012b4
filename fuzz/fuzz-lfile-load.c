/* Fuzz the memfile lease-file loader: arbitrary bytes as one lease file,
 * read by the real lfile_load() (from a memfd through /proc/self/fd, so no
 * disk I/O) into the in-memory store exactly as the memfile backend does at
 * startup (mem_store_load per row). Seeds: tests/fixtures/leases. Properties
 * checked (a violation traps):
 *   - lfile_load returns 0, -EBADMSG (with a message) or -ENOMEM; its stats
 *     agree with what the row callback saw;
 *   - every accepted row survives format -> parse -> format unchanged, in
 *     both Kea 2.2 (11 columns) and Kea 2.4 (12 columns) layouts;
 *   - after loading, the store holds exactly "last row per address wins,
 *     valid_lifetime 0 deletes": same count, same lease per address, and
 *     the hwaddr / client-id indexes, the expiry queues and the per-subnet
 *     counts are consistent with it; a wipe empties the store. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lease/lfile.h"
#include "lease/store-mem.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond)) {            \
			__builtin_trap(); \
		}                         \
	} while (0)

#define INPUT_MAX (256 * 1024)
#define MODEL_MAX 4096                  /* distinct addresses tracked; more rows are fine */
#define NOW 2000000000                  /* fixed clock, inside the seeds' expiry range */

typedef struct model_ent {
	uint32_t addr;
	bool live;
	lease4_t l;
} model_ent_t;

typedef struct load_ctx {
	mem_store_t *ms;
	model_ent_t *ents;
	size_t n;
	bool overflow;
	uint64_t rows;
} load_ctx_t;

static int memfd = -1;
static char memfd_path[64];
static model_ent_t model[MODEL_MAX];
static char row1[LFILE_ROW_MAX], row2[LFILE_ROW_MAX];
static lease4_t page[256];

/* format -> parse -> format must be a fixed point. */
static void check_roundtrip(const lease4_t *l, unsigned ncols)
{
	const char *why = NULL;
	lease4_t back;

	int n1 = lfile_row_format(l, false, ncols, row1, sizeof(row1));
	CHECK(n1 > 0 && row1[n1 - 1] == '\n');
	CHECK(lfile_row_parse(row1, (size_t)n1 - 1, ncols, &back, &why) == 0);
	int n2 = lfile_row_format(&back, false, ncols, row2, sizeof(row2));
	CHECK(n2 == n1 && memcmp(row1, row2, (size_t)n1) == 0);
	CHECK(back.addr == l->addr && back.valid_lft == l->valid_lft && back.cltt == l->cltt &&
	      back.subnet_id == l->subnet_id && back.state == l->state);
	CHECK(ncols == LFILE_COLS_KEA22 || back.pool_id == l->pool_id);
}

static bool same_lease(const lease4_t *a, const lease4_t *b)
{
	int n1 = lfile_row_format(a, false, LFILE_COLS_KEA24, row1, sizeof(row1));
	int n2 = lfile_row_format(b, false, LFILE_COLS_KEA24, row2, sizeof(row2));

	return n1 > 0 && n1 == n2 && memcmp(row1, row2, (size_t)n1) == 0;
}

static model_ent_t *model_find(load_ctx_t *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->ents[i].addr == addr) {
			return &c->ents[i];
		}
	}
	return NULL;
}

static int on_row(void *userdata, const lease4_t *l)
{
	load_ctx_t *c = userdata;

	c->rows++;
	CHECK(l->state < _LEASE_STATE_MAX);
	CHECK(l->hwaddr_len <= DHCP_HWADDR_MAX);
	CHECK(l->hwaddr_len > 0 || l->state == LEASE_STATE_DECLINED);
	CHECK(memchr(l->hostname, '\0', sizeof(l->hostname)) != NULL);
	CHECK(memchr(l->user_context, '\0', sizeof(l->user_context)) != NULL);
	check_roundtrip(l, LFILE_COLS_KEA22);
	check_roundtrip(l, LFILE_COLS_KEA24);

	int r = mem_store_load(c->ms, l);
	if (r < 0) {
		return r;
	}

	model_ent_t *e = model_find(c, l->addr);
	if (e == NULL) {
		if (c->n == MODEL_MAX) {
			c->overflow = true;
			return 0;
		}
		e = &c->ents[c->n++];
		e->addr = l->addr;
	}
	e->live = l->valid_lft != 0;
	e->l = *l;
	return 0;
}

static void check_store(load_ctx_t *c)
{
	mem_store_t *ms = c->ms;
	size_t live = 0;
	lease4_t got;

	for (size_t i = 0; i < c->n; i++) {
		const model_ent_t *e = &c->ents[i];
		int r = mem_store_get_by_addr(ms, e->addr, &got);

		if (!e->live) {
			CHECK(r == -ENOENT);
			continue;
		}
		live++;
		CHECK(r == 0 && same_lease(&got, &e->l));
		if (e->l.hwaddr_len > 0) {
			CHECK(mem_store_get_by_hwaddr(ms, e->l.subnet_id, e->l.hwaddr, e->l.hwaddr_len,
			                              &got) == 0);
			CHECK(got.subnet_id == e->l.subnet_id && got.hwaddr_len == e->l.hwaddr_len &&
			      memcmp(got.hwaddr, e->l.hwaddr, got.hwaddr_len) == 0);
		}
		if (e->l.client_id_len > 0) {
			CHECK(mem_store_get_by_client_id(ms, e->l.subnet_id, e->l.client_id,
			                                 e->l.client_id_len, &got) == 0);
			CHECK(got.subnet_id == e->l.subnet_id &&
			      got.client_id_len == e->l.client_id_len &&
			      memcmp(got.client_id, e->l.client_id, got.client_id_len) == 0);
		}
	}
	size_t size = mem_store_size(ms);
	CHECK(size == live);

	/* Paging visits every lease once, in ascending address order. */
	size_t seen = 0;
	uint32_t after = 0;
	for (;;) {
		int n = mem_store_get_page(ms, after, page, 256);
		CHECK(n >= 0 && n <= 256);
		if (n == 0) {
			break;
		}
		for (int i = 0; i < n; i++) {
			CHECK(page[i].addr > after);
			CHECK(i == 0 || page[i].addr > page[i - 1].addr);
		}
		seen += (size_t)n;
		after = page[n - 1].addr;
		if (after == UINT32_MAX) {
			break;
		}
	}
	/* get_page is "address > after": a lease at 0.0.0.0 is never paged. */
	lease4_t zero;
	CHECK(seen + (mem_store_get_by_addr(ms, 0, &zero) == 0 ? 1 : 0) == size);

	int n = mem_store_get_expired(ms, NOW, page, 256);
	CHECK(n >= 0 && (size_t)n <= size);
	for (int i = 0; i < n; i++) {
		CHECK(page[i].state == LEASE_STATE_DEFAULT || page[i].state == LEASE_STATE_DECLINED);
		CHECK(page[i].valid_lft != LEASE_LFT_INFINITE && lease4_expire(&page[i]) < NOW);
		CHECK(i == 0 || lease4_expire(&page[i - 1]) <= lease4_expire(&page[i]));
	}
	n = mem_store_get_reclaimed(ms, NOW, page, 256);
	CHECK(n >= 0 && (size_t)n <= size);
	for (int i = 0; i < n; i++) {
		CHECK(page[i].state == LEASE_STATE_EXPIRED_RECLAIMED);
		CHECK(lease4_expire(&page[i]) < NOW);
		CHECK(i == 0 || lease4_expire(&page[i - 1]) <= lease4_expire(&page[i]));
	}

	lease_count_t *counts = NULL;
	n = mem_store_count(ms, &counts);
	if (n >= 0) {
		uint64_t sum = 0;
		for (int i = 0; i < n; i++) {
			CHECK(i == 0 || counts[i - 1].subnet_id < counts[i].subnet_id);
			sum += counts[i].assigned + counts[i].declined;
		}
		CHECK(sum <= size);
	}
	free(counts);

	CHECK(mem_store_wipe(ms, 0, NULL) == (int)size);
	CHECK(mem_store_size(ms) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("fuzz-lfile", MFD_CLOEXEC);
	if (memfd < 0) {
		abort();
	}
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load_ctx_t c = { .ents = model };
	lfile_load_stats_t st = { 0 };
	char *err = NULL;

	if (size > INPUT_MAX) {
		return 0;
	}
	if (ftruncate(memfd, 0) < 0 || (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size)) {
		abort();
	}
	if (mem_store_new(4, NULL, NULL, &c.ms) < 0) {
		return 0;
	}

	/* Exercise the "max-row-errors" limit too (0 = unlimited). */
	uint32_t max_errors = (uint32_t)(size % 4);
	int r = lfile_load(memfd_path, max_errors, on_row, &c, &st, &err);
	CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM);
	CHECK(r != -EBADMSG || err != NULL);
	CHECK(st.rows == c.rows);
	CHECK(st.hdr_cols == 0 || (st.hdr_cols >= LFILE_COLS_MIN));
	CHECK(memchr(st.last_err, '\0', sizeof(st.last_err)) != NULL);
	CHECK(!st.torn_tail || (size > 0 && data[size - 1] != '\n'));
	if (r == 0) {
		CHECK(max_errors == 0 || st.errors <= max_errors);
		if (st.errors > 0) {
			CHECK(st.last_err_line > 0 && st.last_err[0] != '\0');
		}
	}
	free(err);

	if (!c.overflow) {
		check_store(&c);
	}
	mem_store_free(c.ms);
	return 0;
}

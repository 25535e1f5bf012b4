/* The lease file merge (kea-lfc): previous files into one, later rows win. */
#include "lease/lfile-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/hash.h"

typedef struct merge_slot {
	uint32_t addr;
	bool used;
	char *row;                      /* formatted row, NULL = deleted */
} merge_slot_t;

typedef struct merge {
	merge_slot_t *slots;
	size_t cap;                     /* power of two */
	size_t used;
	unsigned ncols;
} merge_t;

static merge_slot_t *merge_find(merge_t *m, uint32_t addr)
{
	size_t i = hash_u32(addr) & (m->cap - 1);

	while (m->slots[i].used && m->slots[i].addr != addr) {
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static int merge_grow(merge_t *m)
{
	merge_t n = { .cap = m->cap == 0 ? 1024 : m->cap * 2, .used = m->used, .ncols = m->ncols };

	n.slots = calloc(n.cap, sizeof(*n.slots));
	if (n.slots == NULL) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].used) {
			*merge_find(&n, m->slots[i].addr) = m->slots[i];
		}
	}
	free(m->slots);
	*m = n;
	return 0;
}

static int merge_row(void *userdata, const lease4_t *l)
{
	merge_t *m = userdata;
	char buf[LFILE_ROW_MAX];
	char *row = NULL;
	int r;

	if ((m->used + 1) * 4 > m->cap * 3) {
		r = merge_grow(m);
		if (r < 0) {
			return r;
		}
	}
	if (l->valid_lft != 0) {
		r = lfile_row_format(l, false, m->ncols, buf, sizeof(buf));
		if (r < 0) {
			return r;
		}
		row = strdup(buf);
		if (row == NULL) {
			return -ENOMEM;
		}
	}
	merge_slot_t *s = merge_find(m, l->addr);
	if (!s->used) {
		s->used = true;
		s->addr = l->addr;
		m->used++;
	}
	free(s->row);
	s->row = row;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const merge_slot_t *x = a, *y = b;

	if (x->used != y->used) {
		return x->used ? -1 : 1;
	}
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int merge_write(merge_t *m, const char *path)
{
	_cleanup_close_ int fd = -1;
	char *buf;
	size_t cap = 1 << 16, n = 0;
	int r = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -errno;
	}
	buf = malloc(cap);
	if (buf == NULL) {
		return -ENOMEM;
	}
	n = strlen(lfile_header(m->ncols));
	memcpy(buf, lfile_header(m->ncols), n);
	buf[n++] = '\n';
	for (size_t i = 0; i < m->cap && r == 0; i++) {
		const char *row = m->slots[i].row;
		if (!m->slots[i].used) {
			break;          /* sorted: used slots first */
		}
		if (row == NULL) {
			continue;
		}
		size_t len = strlen(row);
		if (n + len > cap) {
			r = lfile_write_all(fd, buf, n);
			n = 0;
		}
		memcpy(buf + n, row, len);
		n += len;
	}
	if (r == 0 && n > 0) {
		r = lfile_write_all(fd, buf, n);
	}
	free(buf);
	if (r == 0 && fsync(fd) < 0) {
		r = -errno;
	}
	return r;
}

int lfile_merge(const char *name, unsigned ncols)
{
	_cleanup_free_ char *p1 = lfile_suffixed(name, ".1");
	_cleanup_free_ char *p2 = lfile_suffixed(name, ".2");
	_cleanup_free_ char *pc = lfile_suffixed(name, ".completed");
	_cleanup_free_ char *po = lfile_suffixed(name, ".output");
	merge_t m = { .ncols = ncols };
	lfile_load_stats_t st = { 0 };
	int r;

	if (p1 == NULL || p2 == NULL || pc == NULL || po == NULL) {
		return -ENOMEM;
	}
	assert_return(ncols == LFILE_COLS_KEA22 || ncols == LFILE_COLS_KEA24, -EINVAL);
	r = merge_grow(&m);
	if (r < 0) {
		return r;
	}
	/* Like kea-lfc: bad rows are skipped, never fatal. */
	r = lfile_load(p2, 0, merge_row, &m, &st, NULL);
	if (r == 0 || r == -ENOENT) {
		r = lfile_load(p1, 0, merge_row, &m, &st, NULL);
		if (r == -ENOENT) {
			r = 0;
		}
	}
	if (r == 0) {
		qsort(m.slots, m.cap, sizeof(*m.slots), cmp_slot);
		r = merge_write(&m, po);
	}
	for (size_t i = 0; i < m.cap; i++) {
		free(m.slots[i].row);
	}
	free(m.slots);
	if (r < 0) {
		(void)unlink(po);
		return r;
	}

	/* kea-lfc's finish: each step leaves a set lfile_load_set() reads to
	 * the same state (.completed wins over .2 + .1). */
	if (rename(po, pc) < 0) {
		return -errno;
	}
	r = lfile_fsync_dir(name);
	if (r < 0) {
		return r;
	}
	if ((unlink(p2) < 0 && errno != ENOENT) || (unlink(p1) < 0 && errno != ENOENT)) {
		return -errno;
	}
	if (rename(pc, p2) < 0) {
		return -errno;
	}
	return lfile_fsync_dir(name);
}

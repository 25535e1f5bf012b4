/* Test helpers for the lease file tests (test-lfile, test-lfile-lfc): lease
 * values, loading a file (set) into a fresh in-memory store, small file I/O.
 * Failures abort the test through cmocka. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lease/lfile.h"
#include "lease/store-mem.h"

#define BASE 0xc0000200u                /* 192.0.2.0 */

/** A lease for @addr in subnet 1, hwaddr aa:00:00:00:<addr low 16 bits>, cltt 2e9 + @i, hostname "h<i>". */
void lf_mk_lease(lease4_t *l, uint32_t addr, uint32_t i);
/** Every persisted field of @a equals @b's. */
void lf_assert_lease_eq(const lease4_t *a, const lease4_t *b);
/** lfile_load_set() / lfile_load() of @name into a fresh store returned in @ret. */
int lf_load_set(const char *name, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
                char **err);
int lf_load_one(const char *path, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
                char **err);
void lf_write_file(const char *path, const void *data, size_t len);
/** The whole file, NUL-terminated, malloc'd. */
char *lf_read_file(const char *path, size_t *ret_len);
bool lf_exists(const char *dir, const char *file);

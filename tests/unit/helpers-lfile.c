/* Helpers shared by the lease file tests: see helpers-lfile.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "helpers-lfile.h"

void lf_mk_lease(lease4_t *l, uint32_t addr, uint32_t i)
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

void lf_assert_lease_eq(const lease4_t *a, const lease4_t *b)
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
int lf_load_set(const char *name, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
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

int lf_load_one(const char *path, uint32_t max_err, mem_store_t **ret, lfile_load_stats_t *st,
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

void lf_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

char *lf_read_file(const char *path, size_t *ret_len)
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

bool lf_exists(const char *dir, const char *file)
{
	char *p = fixture_path_in(dir, file);
	struct stat st;
	bool r = stat(p, &st) == 0;

	free(p);
	return r;
}

#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "util/hex.h"

const char *fixture_path(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("LESSOR_FIXTURE_DIR");

	if (dir == NULL) {
		dir = LESSOR_FIXTURE_DIR;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return path;
}

static uint8_t *read_all(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0;
	size_t cap = 0;

	if (f == NULL) {
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		if (n == 0) {
			break;
		}
		len += n;
	}
	fclose(f);
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}

/* Decode commented hex: strip comments and whitespace, then parse digit pairs. */
static void decode_hex(fixture_t *fx)
{
	uint8_t *out = malloc(fx->len / 2 + 1);
	size_t o = 0;
	int nib = -1;

	assert_non_null(out);
	for (size_t i = 0; i < fx->len; i++) {
		char c = (char)fx->data[i];
		if (c == '#') {
			while (i < fx->len && fx->data[i] != '\n') {
				i++;
			}
			continue;
		}
		int v = -1;
		if (c >= '0' && c <= '9') {
			v = c - '0';
		} else if (c >= 'a' && c <= 'f') {
			v = c - 'a' + 10;
		} else if (c >= 'A' && c <= 'F') {
			v = c - 'A' + 10;
		}
		if (v < 0) {
			continue;
		}
		if (nib < 0) {
			nib = v;
		} else {
			out[o++] = (uint8_t)(nib * 16 + v);
			nib = -1;
		}
	}
	free(fx->data);
	fx->data = out;
	fx->len = o;
}

fixture_t *fixture_load(const char *rel)
{
	fixture_t *fx = calloc(1, sizeof(*fx));
	const char *path = fixture_path(rel);

	assert_non_null(fx);
	fx->data = read_all(path, &fx->len);
	if (fx->data == NULL) {
		fail_msg("fixture missing: %s", path);
	}
	size_t n = strlen(rel);
	if (n > 4 && strcmp(rel + n - 4, ".hex") == 0) {
		decode_hex(fx);
	}
	return fx;
}

void fixture_free(fixture_t *f)
{
	if (f != NULL) {
		free(f->data);
		free(f);
	}
}

char *fixture_tmpdir(const char *prefix)
{
	char *d = NULL;

	assert_true(asprintf(&d, "/tmp/%s-XXXXXX", prefix) > 0);
	assert_non_null(mkdtemp(d));
	return d;
}

void fixture_rmtree(char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

char *fixture_path_in(const char *dir, const char *file)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s", dir, file) > 0);
	return p;
}

struct cfg *fixture_cfg_load(const char *text)
{
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char buf[1200];

	if (cfg_load_text(text, strlen(text), &cfg, &err) < 0) {
		fail_msg("load failed: %s", cfg_err_format(&err, buf, sizeof(buf)));
	}
	return cfg;
}

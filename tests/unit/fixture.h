/* Load files from tests/fixtures: raw bytes, or commented hex (.hex: '#' to end
 * of line is a comment, whitespace ignored). A missing fixture fails the test. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct fixture {
	uint8_t *data;
	size_t len;
} fixture_t;

/** Load tests/fixtures/@rel. Aborts the test run (cmocka fail) if missing. */
fixture_t *fixture_load(const char *rel);
/** Absolute path of a fixture (static buffer, not thread-safe). */
const char *fixture_path(const char *rel);
void fixture_free(fixture_t *f);

struct cfg;
/** cfg_load_text() that must succeed (fails the test with the error otherwise). */
struct cfg *fixture_cfg_load(const char *text);

/** A fresh directory /tmp/<prefix>-XXXXXX (malloc'd path); fails the test on error. */
char *fixture_tmpdir(const char *prefix);
/** Remove @dir and everything below it, then free the path. */
void fixture_rmtree(char *dir);
/** "@dir/@file", malloc'd. */
char *fixture_path_in(const char *dir, const char *file);

static inline void fixture_freep(fixture_t **f)
{
	fixture_free(*f);
}

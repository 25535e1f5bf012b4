#include "util/arena.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int arena_init(arena_t *a, size_t size)
{
	*a = (arena_t){ 0 };
	a->buf = malloc(size);
	if (a->buf == NULL) {
		return -ENOMEM;
	}
	a->size = size;
	return 0;
}

void arena_done(arena_t *a)
{
	free(a->buf);
	*a = (arena_t){ 0 };
}

void *arena_alloc(arena_t *a, size_t n)
{
	size_t start = (a->used + 15) & ~(size_t)15;

	if (start > a->size || n > a->size - start) {
		return NULL;
	}
	a->used = start + n;
	return a->buf + start;
}

void *arena_zalloc(arena_t *a, size_t n)
{
	void *p = arena_alloc(a, n);

	if (p != NULL) {
		memset(p, 0, n);
	}
	return p;
}

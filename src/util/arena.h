/* Per-worker bump allocator. Everything a packet allocates comes from the
 * worker's arena and dies at arena_reset(), once per packet: no malloc/free on
 * the hot path. Not thread-safe: one arena, one owner. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct arena {
	uint8_t *buf;
	size_t size;
	size_t used;
} arena_t;

/** Allocate @size bytes of backing store. Returns 0 or -ENOMEM. */
int arena_init(arena_t *a, size_t size);
/** Release the backing store. NULL-safe on a zeroed arena. */
void arena_done(arena_t *a);
/** 16-byte aligned, uninitialised bytes, or NULL when the arena is full. */
void *arena_alloc(arena_t *a, size_t n);
/** Zeroed bytes, or NULL when the arena is full. */
void *arena_zalloc(arena_t *a, size_t n);

static inline void arena_reset(arena_t *a)
{
	a->used = 0;
}

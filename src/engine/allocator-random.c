/* Random allocator (Kea's "random"): candidates in a pseudo-random order that
 * still covers the whole pool in at most pool-size steps, with no state
 * between packets except the worker's PRNG word. */
#include "engine/allocator.h"

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s != 0 ? *s : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

void allocator_walk_init(allocator_walk_t *w, const cfg_pool_t *pool, uint32_t *rand_state)
{
	w->first = pool->first;
	w->size = (uint64_t)pool->last - pool->first + 1;
	w->pos = xorshift32(rand_state) % w->size;
	w->stride = 1;
	if (w->size > 2) {
		w->stride = 1 + xorshift32(rand_state) % (w->size - 1);
		while (gcd64(w->stride, w->size) != 1) {
			w->stride++;
		}
	}
}

uint32_t allocator_walk_next(allocator_walk_t *w)
{
	uint32_t a = w->first + (uint32_t)w->pos;

	w->pos = (w->pos + w->stride) % w->size;
	return a;
}

/* The published configuration snapshot. A mutex guards the pointer (held for
 * a few instructions, once per worker batch); the refcount is atomic so a
 * release never needs the lock. acquire() bumps the count while holding the
 * mutex, so a publish() that swaps the pointer cannot free the snapshot
 * between a reader loading the pointer and taking its reference. */
#include "cfg/cfg-current.h"

#include <pthread.h>

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static cfg_t *current;

const cfg_t *cfg_acquire(void)
{
	cfg_t *c;

	pthread_mutex_lock(&current_lock);
	c = current;
	if (c != NULL) {
		__atomic_add_fetch(&c->refcount, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&current_lock);
	return c;
}

void cfg_release(const cfg_t *cfg)
{
	cfg_t *c = (cfg_t *)cfg;

	if (c == NULL) {
		return;
	}
	/* acq_rel: the last releaser must see every other reader's accesses
	 * as finished before it frees. */
	if (__atomic_sub_fetch(&c->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		cfg_free(c);
	}
}

void cfg_publish(cfg_t *cfg)
{
	cfg_t *old;

	pthread_mutex_lock(&current_lock);
	old = current;
	current = cfg;
	pthread_mutex_unlock(&current_lock);
	cfg_release(old);
}

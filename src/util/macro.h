/* Small language helpers used everywhere: scoped cleanup, ownership hand-off,
 * branch hints and argument guards. No DHCP knowledge here. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* Run fn(&var) when var goes out of scope. fn must accept a pointer to the
 * variable and must do nothing when the variable holds NULL / -1. */
#define _cleanup_(fn) __attribute__((cleanup(fn)))

/* Return the value of p and reset p, so the scope's cleanup no longer frees it.
 * Use at every ownership hand-off: return, store into a struct, pass to a taker. */
#define TAKE_PTR(p) ({                  \
	__typeof__(p) take_ptr_ = (p);  \
	(p) = NULL;                     \
	take_ptr_;                      \
})

#define TAKE_FD(fd) ({                  \
	int take_fd_ = (fd);            \
	(fd) = -1;                      \
	take_fd_;                       \
})

/* DEFINE_FREEP(lease_store_t, lease_store_free) generates lease_store_freep(). */
#define DEFINE_FREEP(type, func)                        \
	static inline void func##p(type **p)            \
	{                                               \
		if (*p != NULL) {                       \
			func(*p);                       \
		}                                       \
	}

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
	}
}
#define _cleanup_close_ _cleanup_(closep)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define UNUSED __attribute__((unused))

/* Guard a module entry point that ctl or config input can reach. */
#define assert_return(cond, r)          \
	do {                            \
		if (!(cond)) {          \
			return (r);     \
		}                       \
	} while (0)

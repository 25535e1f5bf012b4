/* -u USER: run as USER once the sockets are bound, keeping only the
 * capabilities serving needs: CAP_NET_BIND_SERVICE (a reload that starts more
 * workers or serves another interface binds new port-67 sockets) and, when
 * dhcp-socket-type is raw, CAP_NET_RAW (packet sockets for direct clients).
 *
 * Capabilities are per thread and the workers already run when the drop
 * happens, so: privdrop_prepare() (before any thread exists) sets
 * PR_SET_KEEPCAPS, which every thread inherits; privdrop_apply() switches
 * groups, gid and uid (glibc applies these to every thread), then has every
 * thread of the process install the reduced capability sets itself (a
 * real-time signal, as libpsx does), and waits until all have. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

typedef struct privdrop {
	uid_t uid;
	gid_t gid;
	char name[64];
} privdrop_t;

/** Look USER up (name or numeric uid) and set PR_SET_KEEPCAPS. Main thread,
 *  before any other thread exists. 0, -ENOENT (no such user) or -EPERM (not root). */
int privdrop_prepare(const char *user, privdrop_t *ret);

/** Become @p's user with only CAP_NET_BIND_SERVICE (+ CAP_NET_RAW if @raw) in
 *  every thread. 0 or a negative errno (the process should then stop). */
int privdrop_apply(const privdrop_t *p, bool raw);

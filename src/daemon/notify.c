/* sd_notify without libsystemd; see daemon/notify.h. */
#include "daemon/notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@')) {
		return 0;
	}
	n = strlen(path);
	if (n >= sizeof(sun.sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@') {
		sun.sun_path[0] = '\0';         /* abstract namespace */
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	ssize_t r = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun,
	                   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
	int e = r < 0 ? -errno : 0;
	close(fd);
	return e;
}

uint64_t notify_watchdog_usec(void)
{
	const char *us = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	char *end;

	if (us == NULL || (pid != NULL && strtol(pid, NULL, 10) != getpid())) {
		return 0;
	}
	unsigned long long v = strtoull(us, &end, 10);
	return *end == '\0' ? v : 0;
}

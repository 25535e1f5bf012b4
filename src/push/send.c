/* EMF delivery (push/send.h). */
#include "push/send.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/macro.h"

#define SEND_TIMEOUT_MS 2000

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, SEND_TIMEOUT_MS) <= 0) {
				return -ETIMEDOUT;
			}
			continue;
		}
		if (n <= 0) {
			return n < 0 ? -errno : -EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* "udp://host:port" -> a connected non-blocking socket of @type. */
static int sock_open(const char *dest, int type, char *err, size_t errlen)
{
	char host[256];
	const char *hp = dest + 6, *colon = strrchr(hp, ':');
	struct addrinfo hints = { .ai_socktype = type }, *ai = NULL;

	if (colon == NULL || (size_t)(colon - hp) >= sizeof(host)) {
		snprintf(err, errlen, "%s: not HOST:PORT", dest);
		return -EINVAL;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - hp), hp);
	int e = getaddrinfo(host, colon + 1, &hints, &ai);
	if (e != 0) {
		snprintf(err, errlen, "%s: %s", dest, gai_strerror(e));
		return -EHOSTUNREACH;
	}
	int fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int r = fd < 0 ? -errno : 0;
	if (r == 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		r = -errno;
		if (r == -EINPROGRESS) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			int soerr = 0;
			socklen_t sl = sizeof(soerr);

			r = poll(&pfd, 1, SEND_TIMEOUT_MS) <= 0 ? -ETIMEDOUT : 0;
			if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr != 0) {
				r = -soerr;
			}
		}
	}
	freeaddrinfo(ai);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", dest, strerror(-r));
		if (fd >= 0) {
			close(fd);
		}
		return r;
	}
	return fd;
}

static int send_udp(int fd, const char *text, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl != NULL ? (size_t)(nl - text) + 1 : len;

		if (send(fd, text, n, 0) < 0) {
			return -errno;
		}
		text += n;
		len -= n;
	}
	return 0;
}

int push_send_emf(const char *dest, const char *text, size_t len, char *err, size_t errlen)
{
	int r;

	if (strcmp(dest, "stdout") == 0) {
		r = write_all(STDOUT_FILENO, text, len);
	} else if (strncmp(dest, "udp://", 6) == 0 || strncmp(dest, "tcp://", 6) == 0) {
		bool udp = dest[0] == 'u';
		int fd = sock_open(dest, udp ? SOCK_DGRAM : SOCK_STREAM, err, errlen);

		if (fd < 0) {
			return fd;
		}
		r = udp ? send_udp(fd, text, len) : write_all(fd, text, len);
		close(fd);
	} else {
		_cleanup_close_ int fd = open(dest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

		r = fd < 0 ? -errno : write_all(fd, text, len);
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", dest, strerror(-r));
	}
	return r;
}

/* The plain-HTTP listener's acceptor: lessor accepts, peeks at the request's
 * first bytes and hands the connection to one of two libmicrohttpd daemons.
 *
 * Why: libmicrohttpd 0.9.75 zeroes a connection's whole memory pool before
 * every request after the first and when the connection ends (MHD_pool_reset):
 * with the 64 MiB pool that lets a 20 MB Authorization header reach the
 * handler (Kea's JSON 401, not MHD's HTML 431), that is 64 MiB of memset per
 * request, 4-10 ms of CPU (perf: 90 % of the listener thread) and 64 MiB
 * resident per kept-alive connection. Every HA lease update paid it. So a
 * connection whose headers end within its first HTTP_ACC_PEEK bytes goes to
 * a daemon with a small pool; anything else (huge or slow headers) to the
 * big one. A kept-alive connection that later sends headers larger than the
 * small pool gets libmicrohttpd's 431 (docs/differences.md). TLS is not
 * peeked at (the bytes are ciphertext): with TLS, MHD listens itself with the
 * big pool, as before. */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl/ctl-int.h"
#include "util/log.h"

#define HTTP_ACC_PEEK 16384      /* headers that end within this go to the small pool */
#define HTTP_ACC_PENDING 64      /* connections whose headers are still coming */
#define HTTP_ACC_WAIT_MS 2000    /* then the big pool takes it (and MHD's timeouts) */
#define HTTP_ACC_REPEEK_MS 10    /* partial headers: look again (POLLIN stays set) */

typedef struct pending {
	int fd;
	int64_t since_ms;
	size_t seen;            /* bytes the last peek saw */
	struct sockaddr_storage sa;
	socklen_t len;
} pending_t;

struct ctl_http_acc {
	int fd;
	int wake[2];
	pthread_t thread;
	struct MHD_Daemon *small, *big;
	pending_t pend[HTTP_ACC_PENDING];
	size_t n;
	char peek[HTTP_ACC_PEEK];
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* MHD owns the socket from here (it closes it also when it refuses it). */
static void hand(struct MHD_Daemon *d, pending_t *p)
{
	if (MHD_add_connection(d, p->fd, (const struct sockaddr *)&p->sa, p->len) != MHD_YES) {
		log_debug(CTL_LOGGER, LOG_DBG_DETAIL, "LESSOR_HTTP_DIAG",
		          "HTTP control listener: connection refused by the daemon: %s", strerror(errno));
	}
}

static void drop(ctl_http_acc_t *a, size_t i)
{
	a->pend[i] = a->pend[--a->n];
}

/* Where pending connection @i goes, if its first bytes tell; true when it left. */
static bool judge(ctl_http_acc_t *a, size_t i, int64_t now)
{
	pending_t *p = &a->pend[i];
	ssize_t n = recv(p->fd, a->peek, sizeof(a->peek), MSG_PEEK | MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(p->fd);           /* gone before it said anything */
	} else if (n > 0 && memmem(a->peek, (size_t)n, "\r\n\r\n", 4) != NULL) {
		hand(a->small, p);
	} else if (n == (ssize_t)sizeof(a->peek) || now - p->since_ms > HTTP_ACC_WAIT_MS) {
		hand(a->big, p);
	} else {
		p->seen = n > 0 ? (size_t)n : 0;
		return false;
	}
	drop(a, i);
	return true;
}

static void accept_all(ctl_http_acc_t *a, int64_t now)
{
	while (a->n < HTTP_ACC_PENDING) {
		pending_t *p = &a->pend[a->n];

		p->len = sizeof(p->sa);
		p->fd = accept4(a->fd, (struct sockaddr *)&p->sa, &p->len, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (p->fd < 0) {
			return;
		}
		p->since_ms = now;
		p->seen = 0;
		a->n++;
	}
}

static void *acc_main(void *arg)
{
	ctl_http_acc_t *a = arg;

	for (;;) {
		struct pollfd pfd[2 + HTTP_ACC_PENDING];
		size_t np = 0;
		int timeout = 1000;

		pfd[np++] = (struct pollfd){ .fd = a->wake[0], .events = POLLIN };
		if (a->n < HTTP_ACC_PENDING) {
			pfd[np++] = (struct pollfd){ .fd = a->fd, .events = POLLIN };
		}
		for (size_t i = 0; i < a->n; i++) {
			if (a->pend[i].seen > 0) {
				timeout = HTTP_ACC_REPEEK_MS;   /* its POLLIN is already set */
				continue;
			}
			pfd[np++] = (struct pollfd){ .fd = a->pend[i].fd, .events = POLLIN };
		}
		if (poll(pfd, np, timeout) < 0 && errno != EINTR) {
			break;
		}
		if (pfd[0].revents != 0) {
			break;
		}
		int64_t now = now_ms();
		/* newest first, so drop() (which moves the last one) never skips one */
		for (size_t i = a->n; i-- > 0;) {
			(void)judge(a, i, now);
		}
		if (np > 1 && pfd[1].fd == a->fd && pfd[1].revents != 0) {
			accept_all(a, now);
		}
	}
	for (size_t i = 0; i < a->n; i++) {
		close(a->pend[i].fd);
	}
	a->n = 0;
	return NULL;
}

int ctl_http_acc_start(ctl_http_acc_t **ret, int listen_fd, struct MHD_Daemon *small,
                       struct MHD_Daemon *big)
{
	ctl_http_acc_t *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		return -ENOMEM;
	}
	a->fd = listen_fd;
	a->small = small;
	a->big = big;
	if (pipe2(a->wake, O_CLOEXEC) < 0) {
		free(a);
		return -errno;
	}
	int r = pthread_create(&a->thread, NULL, acc_main, a);
	if (r != 0) {
		close(a->wake[0]);
		close(a->wake[1]);
		free(a);
		return -r;
	}
	(void)pthread_setname_np(a->thread, "lessor-http-acc");
	*ret = a;
	return 0;
}

void ctl_http_acc_stop(ctl_http_acc_t *a)
{
	if (a == NULL) {
		return;
	}
	char c = 'q';

	(void)!write(a->wake[1], &c, 1);
	pthread_join(a->thread, NULL);
	close(a->wake[0]);
	close(a->wake[1]);
	close(a->fd);
	free(a);
}

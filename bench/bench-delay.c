/* bench-delay: a stream relay that holds every byte for a fixed time in each
 * direction, so that a database on this machine answers like one a network
 * hop away (this kernel has no netem). The SQL benchmark puts it between the
 * DHCP servers and MariaDB/PostgreSQL.
 *
 *     bench-delay LISTEN TARGET DELAY_US
 *
 * LISTEN and TARGET are unix:/path or tcp:127.0.0.1:PORT (loopback only: the
 * relay refuses any other address). Each accepted connection gets a new one
 * to TARGET and two threads, one per direction: a thread reads what arrives,
 * stamps it with now + DELAY_US and writes each chunk when its time has come,
 * in order. A chunk's delay does not add up behind earlier ones (a pipe with
 * latency, not a slow link). Stops on SIGINT/SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_MAX 65536

typedef struct chunk {
	struct chunk *next;
	int64_t due_ns;
	size_t len;
	uint8_t data[];
} chunk_t;

typedef struct dir {
	int from, to;
	int64_t delay_ns;
	struct dir *peer;               /* the other direction of the connection */
	pthread_mutex_t *mu;            /* guards the shared close count */
	int *alive;
} dir_t;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Parse unix:/path or tcp:127.0.0.1:PORT. Returns the address length, 0 on error. */
static socklen_t parse_addr(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strncmp(s, "unix:", 5) == 0) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;

		if (strlen(s + 5) >= sizeof(un->sun_path)) {
			return 0;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, s + 5);
		return sizeof(*un);
	}
	if (strncmp(s, "tcp:", 4) == 0) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		char host[64];
		const char *colon = strrchr(s + 4, ':');

		if (colon == NULL || (size_t)(colon - (s + 4)) >= sizeof(host)) {
			return 0;
		}
		memcpy(host, s + 4, (size_t)(colon - (s + 4)));
		host[colon - (s + 4)] = '\0';
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &in->sin_addr) != 1 ||
		    (ntohl(in->sin_addr.s_addr) >> 24) != 127) {
			return 0;       /* loopback only */
		}
		return sizeof(*in);
	}
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One direction: read into a FIFO of stamped chunks, write each when due. */
static void *dir_main(void *arg)
{
	dir_t *d = arg;
	chunk_t *head = NULL, **tail = &head;
	bool eof = false;

	for (;;) {
		int64_t now = now_ns();

		while (head != NULL && head->due_ns <= now) {
			chunk_t *c = head;

			if (write_all(d->to, c->data, c->len) < 0) {
				eof = true;     /* the far side is gone: drop the rest */
				while (head != NULL) {
					c = head;
					head = head->next;
					free(c);
				}
				break;
			}
			head = c->next;
			free(c);
		}
		if (head == NULL) {
			tail = &head;
			if (eof) {
				break;
			}
		}
		struct pollfd pfd = { .fd = d->from, .events = eof ? 0 : POLLIN };
		struct timespec left, *tp = NULL;
		if (head != NULL) {
			int64_t ns = head->due_ns - now_ns();

			ns = ns < 0 ? 0 : ns;
			left = (struct timespec){ .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
			tp = &left;
		}
		int r = ppoll(&pfd, 1, tp, NULL);
		if (r < 0 && errno != EINTR) {
			break;
		}
		if (r <= 0 || eof || (pfd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
			continue;
		}
		chunk_t *c = malloc(sizeof(*c) + CHUNK_MAX);
		if (c == NULL) {
			break;
		}
		ssize_t n = read(d->from, c->data, CHUNK_MAX);
		if (n <= 0) {
			free(c);
			eof = true;
			continue;
		}
		c->next = NULL;
		c->len = (size_t)n;
		c->due_ns = now_ns() + d->delay_ns;
		*tail = c;
		tail = &c->next;
	}
	shutdown(d->to, SHUT_WR);
	shutdown(d->from, SHUT_RD);
	pthread_mutex_lock(d->mu);
	int left = --*d->alive;
	pthread_mutex_unlock(d->mu);
	if (left == 0) {
		/* the last direction out closes the pair and frees it */
		close(d->from);
		close(d->to);
		pthread_mutex_destroy(d->mu);
		free(d->mu);
		free(d->alive);
		free(d->peer < d ? d->peer : d);
	}
	return NULL;
}

static void nodelay(int fd, const struct sockaddr_storage *ss)
{
	int one = 1;

	if (ss->ss_family == AF_INET) {
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
}

static int relay_one(int cfd, const struct sockaddr_storage *lss, const struct sockaddr_storage *tss,
                     socklen_t tlen, int64_t delay_ns)
{
	int tfd = socket(tss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (tfd < 0 || connect(tfd, (const struct sockaddr *)tss, tlen) < 0) {
		perror("bench-delay: connect to target");
		if (tfd >= 0) {
			close(tfd);
		}
		return -1;
	}
	nodelay(cfd, lss);
	nodelay(tfd, tss);
	dir_t *pair = calloc(2, sizeof(*pair));
	pthread_mutex_t *mu = malloc(sizeof(*mu));
	int *alive = malloc(sizeof(*alive));
	if (pair == NULL || mu == NULL || alive == NULL) {
		free(pair);
		free(mu);
		free(alive);
		close(tfd);
		return -1;
	}
	pthread_mutex_init(mu, NULL);
	*alive = 2;
	pair[0] = (dir_t){ .from = cfd, .to = tfd, .delay_ns = delay_ns, .peer = &pair[1], .mu = mu, .alive = alive };
	pair[1] = (dir_t){ .from = tfd, .to = cfd, .delay_ns = delay_ns, .peer = &pair[0], .mu = mu, .alive = alive };
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_attr_t a;

		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&a, 256 * 1024);
		if (pthread_create(&t, &a, dir_main, &pair[i]) != 0) {
			abort();        /* a half-started pair cannot be unwound cleanly */
		}
		pthread_attr_destroy(&a);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage lss, tss;
	socklen_t llen, tlen;

	if (argc != 4 || (llen = parse_addr(argv[1], &lss)) == 0 ||
	    (tlen = parse_addr(argv[2], &tss)) == 0) {
		fprintf(stderr, "usage: bench-delay unix:/path|tcp:127.x.x.x:PORT TARGET DELAY_US\n");
		return 2;
	}
	int64_t delay_ns = atoll(argv[3]) * 1000LL;
	(void)prctl(PR_SET_TIMERSLACK, 1UL);    /* wake on time, not 50 us late */
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int lfd = socket(lss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (lss.ss_family == AF_UNIX) {
		unlink(((struct sockaddr_un *)&lss)->sun_path);
	}
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&lss, llen) < 0 || listen(lfd, 128) < 0) {
		perror("bench-delay: listen");
		return 1;
	}
	if (lss.ss_family == AF_UNIX) {
		chmod(((struct sockaddr_un *)&lss)->sun_path, 0777);
	}
	fprintf(stderr, "bench-delay: %s -> %s, %lld us each way\n", argv[1], argv[2],
	        (long long)(delay_ns / 1000));
	while (!stop) {
		int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno == EINTR) {
				continue;
			}
			perror("bench-delay: accept");
			break;
		}
		if (relay_one(cfd, &lss, &tss, tlen, delay_ns) < 0) {
			close(cfd);
		}
	}
	if (lss.ss_family == AF_UNIX) {
		unlink(((struct sockaddr_un *)&lss)->sun_path);
	}
	return 0;
}

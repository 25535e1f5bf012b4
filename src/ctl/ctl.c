/* ctl lifecycle: the UNIX control socket and the ctl thread (UNIX socket +
 * statistics sampler), start/stop. Listen configuration: ctl-listen.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/log.h"

#define UNIX_TIMEOUT_MS 10000 /* Kea's TIMEOUT_DHCP_SERVER_RECEIVE_COMMAND */
#define SAMPLE_INTERVAL_MS 1000

/* ---- lifecycle ---- */

int ctl_new(const ctl_env_t *env, ctl_t **ret)
{
	ctl_t *ctl;

	assert_return(env != NULL && ret != NULL, -EINVAL);
	ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL) {
		return -ENOMEM;
	}
	ctl->env = *env;
	ctl->unix_fd = -1;
	ctl->wake[0] = ctl->wake[1] = -1;
	ctl->lcfg.max_body = CTL_MAX_BODY_DEFAULT;
	/* Recursive: env callbacks run under the lock and may call back
	 * (ctl_set_store() from the daemon's reload). */
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&ctl->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_mutex_init(&ctl->peer_lock, NULL);
	pthread_rwlock_init(&ctl->store_rw, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ctl->started);
	ctl->reloaded = ctl->started;
	if (stat_history_new(&ctl->hist) < 0) {
		pthread_mutex_destroy(&ctl->lock);
		free(ctl);
		return -ENOMEM;
	}
	ctl_sample(ctl);
	*ret = ctl;
	return 0;
}

/* UNIX control connections, multiplexed on the ctl thread: each reads one
 * JSON command (answered as soon as it parses, at EOF, or after Kea's 10 s
 * timeout), gets one answer and is closed. A slow client holds only its own
 * slot. */
typedef struct unix_client {
	int fd; /* -1: free slot */
	char *buf;
	size_t len, cap;
	char *out; /* answer being written, NULL while reading */
	size_t out_len, out_off;
	struct timespec deadline; /* CLOCK_MONOTONIC */
} unix_client_t;

#define UNIX_MAX_CLIENTS 16

static void client_close(unix_client_t *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	free(c->buf);
	free(c->out);
	*c = (unix_client_t){.fd = -1};
}

static int64_t ms_until(const struct timespec *t, const struct timespec *now)
{
	return (int64_t)(t->tv_sec - now->tv_sec) * 1000 + (t->tv_nsec - now->tv_nsec) / 1000000;
}

static void client_write(unix_client_t *c);

/* The command is complete (or will never be): compute the answer and start
 * sending it at once (a shutdown command's answer must leave before the
 * daemon stops this thread). */
static void client_answer(ctl_t *ctl, unix_client_t *c, bool timed_out, bool too_big)
{
	char *ans = NULL;

	if (too_big) {
		ans = strdup("{\"result\":1,\"text\":\"Command too large.\"}");
	} else if (timed_out) {
		/* Kea's answer to a command that never completed. */
		if (asprintf(&ans,
		             "{\"result\":1,\"text\":\"Connection over control channel timed "
		             "out, discarded partial command of %zu bytes\"}",
		             c->len) < 0) {
			ans = NULL;
		}
	} else {
		ans = ctl_handle(ctl, c->buf != NULL ? c->buf : "", c->len);
	}
	if (ans == NULL) {
		client_close(c);
		return;
	}
	c->out = ans;
	c->out_len = strlen(ans);
	c->out_off = 0;
	client_write(c);
}

static void client_read(ctl_t *ctl, unix_client_t *c)
{
	if (c->len + 4096 + 1 > c->cap) {
		size_t ncap = MAX(c->cap * 2, (size_t)8192);
		char *nb = realloc(c->buf, ncap);

		if (nb == NULL) {
			client_close(c);
			return;
		}
		c->buf = nb;
		c->cap = ncap;
	}
	ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
	if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
		return;
	}
	if (n <= 0) {
		/* EOF: answer what came, if anything */
		if (c->len == 0) {
			client_close(c);
		} else {
			client_answer(ctl, c, false, false);
		}
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (c->len > ctl->lcfg.max_body) {
		client_answer(ctl, c, false, true);
		return;
	}
	/* Kea's streaming parser answers as soon as a complete value arrived. */
	json_error_t jerr;
	json_t *probe = json_loadb(c->buf, c->len, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &jerr);
	if (probe != NULL) {
		json_decref(probe);
		client_answer(ctl, c, false, false);
	}
}

static void client_write(unix_client_t *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
	                 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
		return;
	}
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len) {
		client_close(c); /* one command per connection, as Kea */
	}
}

static int unix_listen(const char *path, int *ret_fd, char **reterr);

/* Kea closes its control socket and opens the new one when a reconfiguration
 * (config-set, config-reload, SIGHUP) moves Dhcp4.control-socket, and closes
 * it when the section goes. Polled from the ctl thread, the only user of
 * unix_fd; a path that cannot be bound is logged once and the old socket
 * stays. */
static void unix_follow_cfg(ctl_t *ctl, char **failed)
{
	const cfg_t *cfg;
	const char *want, *have = ctl->lcfg.unix_path;
	int fd = -1;

	if (!ctl->lcfg.unix_follows_cfg || (cfg = cfg_acquire()) == NULL) {
		return;
	}
	want = cfg->control_socket.socket_type != NULL ? cfg->control_socket.socket_name : NULL;
	if ((want == NULL && have == NULL) ||
	    (want != NULL && have != NULL && strcmp(want, have) == 0) ||
	    (want != NULL && *failed != NULL && strcmp(want, *failed) == 0)) {
		cfg_release(cfg);
		return;
	}
	_cleanup_free_ char *path = want != NULL ? strdup(want) : NULL;
	if (want != NULL) {
		_cleanup_free_ char *err = NULL;

		if (path == NULL || unix_listen(want, &fd, &err) < 0) {
			log_error(CTL_LOGGER, "LESSOR_CTL_SOCKET_MOVE_FAIL",
			          "control socket not moved to %s: %s", want,
			          err != NULL ? err : "out of memory");
			free(*failed);
			*failed = TAKE_PTR(path);
			cfg_release(cfg);
			return;
		}
	}
	cfg_release(cfg);
	if (ctl->unix_fd >= 0) {
		close(ctl->unix_fd);
		log_info(CTL_LOGGER, "LESSOR_CTL_SOCKET_CLOSED",
		         "stopped accepting commands on unix domain socket %s",
		         have != NULL ? have : "");
		if (have != NULL) {
			(void)unlink(have);
		}
	}
	free(ctl->lcfg.unix_path);
	ctl->lcfg.unix_path = TAKE_PTR(path);
	ctl->unix_fd = fd;
	if (fd >= 0) {
		log_info(CTL_LOGGER, "COMMAND_ACCEPTOR_START",
		         "Starting to accept connections via unix domain socket bound to %s",
		         ctl->lcfg.unix_path);
	}
}

/* HA's dedicated listener after a reconfiguration; a failure is logged once
 * (per text) and retried every round, so a port freed later is taken. */
static void peer_follow(ctl_t *ctl, char **failed)
{
	char *err = NULL;
	int r = ctl_peer_follow_cfg(ctl, &err);

	if (r < 0 && (*failed == NULL || err == NULL || strcmp(*failed, err) != 0)) {
		log_error(CTL_LOGGER, "LESSOR_HA_LISTENER_FAIL", "HA dedicated listener: %s",
		          err != NULL ? err : strerror(-r));
	}
	if (r < 0) {
		free(*failed);
		*failed = err != NULL ? err : strdup("");
		return;
	}
	free(err);
	free(*failed);
	*failed = NULL;
}

static void *ctl_thread(void *arg)
{
	ctl_t *ctl = arg;
	unix_client_t cl[UNIX_MAX_CLIENTS];
	struct timespec last, now;
	_cleanup_free_ char *failed_path = NULL;
	_cleanup_free_ char *peer_failed = NULL;

	for (size_t i = 0; i < UNIX_MAX_CLIENTS; i++) {
		cl[i] = (unix_client_t){.fd = -1};
	}
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (;;) {
		unix_follow_cfg(ctl, &failed_path);
		peer_follow(ctl, &peer_failed);
		struct pollfd p[2 + UNIX_MAX_CLIENTS];
		size_t map[2 + UNIX_MAX_CLIENTS];
		size_t np = 0, nclients = 0;
		int64_t timeout = SAMPLE_INTERVAL_MS;

		clock_gettime(CLOCK_MONOTONIC, &now);
		p[np++] = (struct pollfd){.fd = ctl->wake[0], .events = POLLIN};
		for (size_t i = 0; i < UNIX_MAX_CLIENTS; i++) {
			if (cl[i].fd < 0) {
				continue;
			}
			nclients++;
			map[np] = i;
			p[np++] = (struct pollfd){.fd = cl[i].fd,
			                          .events = cl[i].out != NULL ? POLLOUT : POLLIN};
			timeout = MIN(timeout, MAX(ms_until(&cl[i].deadline, &now), 0));
		}
		size_t listen_ix = np;
		if (ctl->unix_fd >= 0 && nclients < UNIX_MAX_CLIENTS) {
			p[np++] = (struct pollfd){.fd = ctl->unix_fd, .events = POLLIN};
		}

		int r = poll(p, np, (int)timeout);
		if (r > 0 && (p[0].revents & POLLIN)) {
			break;
		}
		for (size_t k = 1; r > 0 && k < listen_ix; k++) {
			unix_client_t *c = &cl[map[k]];

			if (p[k].revents == 0 || c->fd < 0) {
				continue;
			}
			if (c->out != NULL) {
				client_write(c);
			} else if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				client_read(ctl, c);
			}
		}
		if (r > 0 && listen_ix < np && (p[listen_ix].revents & POLLIN)) {
			int fd = accept4(ctl->unix_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

			for (size_t i = 0; fd >= 0 && i < UNIX_MAX_CLIENTS; i++) {
				if (cl[i].fd < 0) {
					cl[i] = (unix_client_t){.fd = TAKE_FD(fd)};
					clock_gettime(CLOCK_MONOTONIC, &cl[i].deadline);
					cl[i].deadline.tv_sec += UNIX_TIMEOUT_MS / 1000;
				}
			}
			if (fd >= 0) {
				close(fd);
			}
		}
		/* deadlines: a command still incomplete gets Kea's timeout answer;
		 * an answer the client never reads is dropped */
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (size_t i = 0; i < UNIX_MAX_CLIENTS; i++) {
			if (cl[i].fd >= 0 && ms_until(&cl[i].deadline, &now) <= 0) {
				if (cl[i].out == NULL) {
					client_answer(ctl, &cl[i], true, false);
					cl[i].deadline.tv_sec = now.tv_sec + UNIX_TIMEOUT_MS / 1000;
				} else {
					client_close(&cl[i]);
				}
			}
		}
		if (ms_until(&now, &last) >= SAMPLE_INTERVAL_MS) {
			ctl_sample(ctl);
			last = now;
		}
	}
	for (size_t i = 0; i < UNIX_MAX_CLIENTS; i++) {
		if (cl[i].fd >= 0 && cl[i].out != NULL) {
			client_write(&cl[i]); /* last chance for a pending answer */
		}
		client_close(&cl[i]);
	}
	return NULL;
}

static int unix_listen(const char *path, int *ret_fd, char **reterr)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		if (reterr != NULL && asprintf(reterr, "control socket path too long: %s", path) < 0) {
			*reterr = NULL;
		}
		return -EINVAL;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	/* Kea removes a stale socket file before binding. */
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		int r = -errno;

		if (reterr != NULL &&
		    asprintf(reterr, "cannot bind control socket %s: %s", path, strerror(-r)) < 0) {
			*reterr = NULL;
		}
		return r;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int ctl_start(const ctl_env_t *env, const ctl_listen_cfg_t *cfg, ctl_t **ret, char **reterr)
{
	ctl_t *ctl = NULL;
	int r;

	assert_return(env != NULL && cfg != NULL && ret != NULL, -EINVAL);
	r = ctl_new(env, &ctl);
	if (r < 0) {
		return r;
	}
	r = ctl_listen_cfg_copy(cfg, &ctl->lcfg);
	if (r < 0) {
		goto fail;
	}
	if (pipe2(ctl->wake, O_CLOEXEC) < 0) {
		r = -errno;
		goto fail;
	}
	if (ctl->lcfg.unix_path != NULL) {
		r = unix_listen(ctl->lcfg.unix_path, &ctl->unix_fd, reterr);
		if (r < 0) {
			goto fail;
		}
		log_info(CTL_LOGGER, "COMMAND_ACCEPTOR_START",
		         "Starting to accept connections via "
		         "unix domain socket bound to %s",
		         ctl->lcfg.unix_path);
	}
	if (ctl->lcfg.http_host != NULL) {
		r = ctl_http_start(ctl, &ctl->lcfg, false, false, 0, &ctl->http, reterr);
		if (r < 0) {
			goto fail;
		}
	}
	/* HA's dedicated listener is up before DHCP4_STARTED; later the ctl
	 * thread follows the configuration */
	r = ctl_peer_follow_cfg(ctl, reterr);
	if (r < 0) {
		goto fail;
	}
	r = -pthread_create(&ctl->thread, NULL, ctl_thread, ctl);
	if (r < 0) {
		goto fail;
	}
	ctl->thread_running = true;
	*ret = ctl;
	return 0;
fail:
	ctl_stop(ctl);
	return r;
}

void ctl_pause(ctl_t *ctl)
{
	if (ctl != NULL) {
		pthread_mutex_lock(&ctl->lock);
	}
}

void ctl_resume(ctl_t *ctl)
{
	if (ctl != NULL) {
		pthread_mutex_unlock(&ctl->lock);
	}
}

void ctl_set_store(ctl_t *ctl, lease_store_t *store)
{
	if (ctl == NULL) {
		return;
	}
	pthread_mutex_lock(&ctl->lock);
	/* no listener thread still syncs on the old store */
	pthread_rwlock_wrlock(&ctl->store_rw);
	ctl->env.store = store;
	pthread_rwlock_unlock(&ctl->store_rw);
	pthread_mutex_unlock(&ctl->lock);
}

ctl_t *ctl_stop(ctl_t *ctl)
{
	if (ctl == NULL) {
		return NULL;
	}
	ctl_http_stop(ctl->http);
	ctl->http = NULL;
	if (ctl->thread_running) {
		char c = 'q';

		(void)!write(ctl->wake[1], &c, 1);
		pthread_join(ctl->thread, NULL);
	}
	ctl_http_stop(ctl->peer);       /* the ctl thread's, which has ended */
	ctl->peer = NULL;
	if (ctl->unix_fd >= 0) {
		close(ctl->unix_fd);
		if (ctl->lcfg.unix_path != NULL) {
			(void)unlink(ctl->lcfg.unix_path);
		}
	}
	for (int i = 0; i < 2; i++) {
		if (ctl->wake[i] >= 0) {
			close(ctl->wake[i]);
		}
	}
	stat_history_free(ctl->hist);
	ctl_listen_cfg_done(&ctl->lcfg);
	pthread_mutex_destroy(&ctl->peer_lock);
	pthread_rwlock_destroy(&ctl->store_rw);
	pthread_mutex_destroy(&ctl->lock);
	free(ctl);
	return NULL;
}

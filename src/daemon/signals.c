/* signalfd-based signal handling. See daemon/signals.h. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon/signals.h"
#include "util/macro.h"

static void signals_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

int signals_open(void)
{
	sigset_t set;
	int fd;

	signals_set(&set);
	/* A peer closing a socket must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		return -errno;
	}
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	return fd;
}

int signals_read(int fd, signals_event_t *ret_event, int *ret_signo)
{
	struct signalfd_siginfo si;
	ssize_t n;

	do {
		n = read(fd, &si, sizeof(si));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN) {
			*ret_event = SIGNALS_NONE;
			*ret_signo = 0;
			return 0;
		}
		return -errno;
	}
	if ((size_t)n != sizeof(si)) {
		return -EIO;
	}
	*ret_signo = (int)si.ssi_signo;
	switch (si.ssi_signo) {
	case SIGHUP:
		*ret_event = SIGNALS_RELOAD;
		break;
	case SIGTERM:
	case SIGINT:
		*ret_event = SIGNALS_STOP;
		break;
	default:
		*ret_event = SIGNALS_NONE;
		break;
	}
	return 0;
}

void signals_close(int fd)
{
	sigset_t set;

	if (fd >= 0) {
		close(fd);
	}
	signals_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Dropping root after the sockets are bound; see daemon/privdrop.h. */
#include "daemon/privdrop.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

int privdrop_prepare(const char *user, privdrop_t *ret)
{
	struct passwd *pw = getpwnam(user);
	char *end;

	if (pw == NULL) {
		unsigned long id = strtoul(user, &end, 10);
		if (*user != '\0' && *end == '\0') {
			pw = getpwuid((uid_t)id);
		}
	}
	if (pw == NULL) {
		return -ENOENT;
	}
	if (geteuid() != 0) {
		return -EPERM;
	}
	ret->uid = pw->pw_uid;
	ret->gid = pw->pw_gid;
	snprintf(ret->name, sizeof(ret->name), "%s", pw->pw_name);
	/* inherited by every thread created from now on */
	return prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ? -errno : 0;
}

/* What every thread installs (set before the broadcast, read by the handler). */
static struct __user_cap_data_struct caps[2];
static atomic_int caps_done;
static atomic_int caps_failed;

static int caps_install(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

	if (syscall(SYS_capset, &hdr, caps) < 0) {
		return -1;
	}
	/* nothing this thread runs later may gain privileges back */
	(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}

static void on_caps_signal(int sig)
{
	int e = errno;

	(void)sig;
	if (caps_install() < 0) {
		atomic_fetch_add(&caps_failed, 1);
	}
	atomic_fetch_add(&caps_done, 1);
	errno = e;
}

/* Signal every other thread of the process; returns how many were signalled. */
static int broadcast(int sig)
{
	pid_t pid = getpid();
	pid_t self = (pid_t)syscall(SYS_gettid);
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (d == NULL) {
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid > 0 && tid != self && syscall(SYS_tgkill, pid, tid, sig) == 0) {
			n++;
		}
	}
	closedir(d);
	return n;
}

int privdrop_apply(const privdrop_t *p, bool raw)
{
	uint32_t keep = 1u << CAP_NET_BIND_SERVICE | (raw ? 1u << CAP_NET_RAW : 0);
	struct sigaction sa = { .sa_handler = on_caps_signal, .sa_flags = SA_RESTART };
	int sig = SIGRTMIN + 4;

	if (setgroups(1, &p->gid) < 0 || setgid(p->gid) < 0 || setuid(p->uid) < 0) {
		return -errno;
	}
	if (setuid(0) == 0) {
		return -EPERM;          /* must be impossible now */
	}
	memset(caps, 0, sizeof(caps));
	caps[0].effective = caps[0].permitted = keep;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0) {
		return -errno;
	}
	atomic_store(&caps_done, 0);
	atomic_store(&caps_failed, 0);
	if (caps_install() < 0) {
		return -errno;
	}
	int n = broadcast(sig);
	if (n < 0) {
		return n;
	}
	struct timespec ms = { 0, 1000000 };
	for (int i = 0; i < 5000 && atomic_load(&caps_done) < n; i++) {
		nanosleep(&ms, NULL);
	}
	if (atomic_load(&caps_done) < n || atomic_load(&caps_failed) > 0) {
		return -EAGAIN;
	}
	log_info(LOGGER_DHCP4, "LESSOR_PRIVILEGES_DROPPED",
	         "running as user %s (uid %u), capabilities kept: %s", p->name, (unsigned)p->uid,
	         raw ? "CAP_NET_BIND_SERVICE CAP_NET_RAW" : "CAP_NET_BIND_SERVICE");
	return 0;
}

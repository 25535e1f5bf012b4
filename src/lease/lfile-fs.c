/* File helpers shared by the journal, loading and the merge. */
#include "lease/lfile-int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *lfile_suffixed(const char *name, const char *suffix)
{
	char *p = NULL;

	if (asprintf(&p, "%s%s", name, suffix) < 0) {
		return NULL;
	}
	return p;
}

/* kea-lfc's pid file names a live process other than us. */
bool lfile_pid_live(const char *pidpath)
{
	FILE *fp = fopen(pidpath, "re");
	long pid = 0;

	if (fp == NULL) {
		return false;
	}
	if (fscanf(fp, "%ld", &pid) != 1) {
		pid = 0;
	}
	fclose(fp);
	if (pid <= 0 || pid > INT_MAX || pid == (long)getpid()) {
		return false;
	}
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int lfile_fsync_dir(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash;
	int fd, r = 0;

	if (dir == NULL) {
		return -ENOMEM;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == dir) {
		slash[1] = '\0';
	} else {
		*slash = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	if (fsync(fd) < 0) {
		r = -errno;
	}
	close(fd);
	return r;
}

bool lfile_exists(const char *path)
{
	struct stat stbuf;

	return stat(path, &stbuf) == 0;
}

int lfile_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return -ENOSPC;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

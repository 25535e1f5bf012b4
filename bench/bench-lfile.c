/* Lease-file journal throughput on this disk.
 *
 *   bench-lfile [DIR] [SECONDS]
 *
 * 1. raw fdatasync/s: one thread, write one row + fdatasync, repeat.
 * 2. group commit: 1, 2, 4 threads, each appending one row and calling
 *    lfile_sync() for it before the next (a worker acking one packet at a time).
 * 3. the same with batches of 16 rows per sync (a worker's recvmmsg batch).
 * Prints durable appends/s, fdatasync/s and rows per fdatasync. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lease/lfile.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void mk_lease(lease4_t *l, uint32_t addr)
{
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->subnet_id = 1;
	l->hwaddr_len = 6;
	l->htype = 1;
	l->hwaddr[0] = 0xaa;
	l->hwaddr[4] = (uint8_t)(addr >> 8);
	l->hwaddr[5] = (uint8_t)addr;
	l->client_id_len = 7;
	l->client_id[0] = 1;
	memcpy(l->client_id + 1, l->hwaddr, 6);
	l->valid_lft = 86400;
	l->cltt = 2000000000;
	strcpy(l->hostname, "client-host");
}

typedef struct targ {
	lfile_t *f;
	unsigned id;
	unsigned batch;
	double until;
	uint64_t rows;
	int err;
} targ_t;

static void *appender(void *p)
{
	targ_t *a = p;
	lease4_t l;
	uint32_t i = 0;

	while (a->err == 0 && now_s() < a->until) {
		uint64_t seq = 0;
		for (unsigned k = 0; k < a->batch && a->err == 0; k++) {
			mk_lease(&l, 0x0a000000u + (a->id << 20) + (i++ & 0xfffff));
			a->err = lfile_append(a->f, &l, false, &seq);
		}
		if (a->err == 0) {
			a->err = lfile_sync(a->f, seq);
		}
		a->rows += a->batch;
	}
	return NULL;
}

static int run(const char *dir, unsigned threads, unsigned batch, double secs)
{
	char name[4096];
	lfile_t *f = NULL;
	pthread_t th[16];
	targ_t args[16];
	uint64_t rows = 0;
	int r;

	snprintf(name, sizeof(name), "%s/bench-%u-%u.csv", dir, threads, batch);
	unlink(name);
	r = lfile_open(name, &f);
	if (r < 0) {
		fprintf(stderr, "lfile_open %s: %s\n", name, strerror(-r));
		return r;
	}
	uint64_t fs0 = lfile_fsyncs(f);
	double t0 = now_s();
	for (unsigned i = 0; i < threads; i++) {
		args[i] = (targ_t){ .f = f, .id = i, .batch = batch, .until = t0 + secs };
		pthread_create(&th[i], NULL, appender, &args[i]);
	}
	for (unsigned i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		rows += args[i].rows;
		if (args[i].err < 0) {
			fprintf(stderr, "thread %u: %s\n", i, strerror(-args[i].err));
		}
	}
	double dt = now_s() - t0;
	uint64_t fs = lfile_fsyncs(f) - fs0;
	printf("group commit  threads=%u batch=%-2u  %9.0f durable appends/s  %7.0f fdatasync/s  "
	       "%5.1f rows/fdatasync\n", threads, batch, (double)rows / dt, (double)fs / dt,
	       fs > 0 ? (double)rows / (double)fs : 0.0);
	lfile_close(f);
	unlink(name);
	return 0;
}

static void raw_fsync(const char *dir, double secs)
{
	char name[4096];
	char row[LFILE_ROW_MAX];
	lease4_t l;
	uint64_t n = 0;
	int fd;

	snprintf(name, sizeof(name), "%s/bench-raw.csv", dir);
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0) {
		perror(name);
		return;
	}
	mk_lease(&l, 0x0a000001u);
	int len = lfile_row_format(&l, false, LFILE_COLS_KEA22, row, sizeof(row));
	double t0 = now_s();
	while (now_s() - t0 < secs) {
		if (write(fd, row, (size_t)len) != len || fdatasync(fd) < 0) {
			perror("write/fdatasync");
			break;
		}
		n++;
	}
	double dt = now_s() - t0;
	printf("raw           write+fdatasync, 1 thread      %9.0f fdatasync/s (%.0f us each)\n",
	       (double)n / dt, dt * 1e6 / (double)(n ? n : 1));
	close(fd);
	unlink(name);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	double secs = argc > 2 ? atof(argv[2]) : 2.0;
	static const unsigned threads[] = { 1, 2, 4 };

	raw_fsync(dir, secs);
	for (size_t i = 0; i < 3; i++) {
		run(dir, threads[i], 1, secs);
	}
	for (size_t i = 0; i < 3; i++) {
		run(dir, threads[i], 16, secs);
	}
	return 0;
}

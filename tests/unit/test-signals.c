/* daemon/signals.c: SIGHUP -> reload, SIGTERM/SIGINT -> stop, via signalfd. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/signals.h"

static void test_events(void **state)
{
	signals_event_t ev;
	int signo = -1;
	int fd;

	(void)state;
	fd = signals_open();
	assert_true(fd >= 0);

	assert_int_equal(signals_read(fd, &ev, &signo), 0);
	assert_int_equal(ev, SIGNALS_NONE);

	/* blocked, so they stay pending for the signalfd instead of killing us */
	assert_int_equal(kill(getpid(), SIGHUP), 0);
	assert_int_equal(signals_read(fd, &ev, &signo), 0);
	assert_int_equal(ev, SIGNALS_RELOAD);
	assert_int_equal(signo, SIGHUP);

	assert_int_equal(kill(getpid(), SIGTERM), 0);
	assert_int_equal(signals_read(fd, &ev, &signo), 0);
	assert_int_equal(ev, SIGNALS_STOP);
	assert_int_equal(signo, SIGTERM);

	assert_int_equal(kill(getpid(), SIGINT), 0);
	assert_int_equal(signals_read(fd, &ev, &signo), 0);
	assert_int_equal(ev, SIGNALS_STOP);
	assert_int_equal(signo, SIGINT);

	/* SIGPIPE is ignored: writing to a closed pipe returns EPIPE */
	int p[2];
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(write(p[1], "x", 1), -1);
	close(p[1]);

	assert_int_equal(signals_read(fd, &ev, &signo), 0);
	assert_int_equal(ev, SIGNALS_NONE);
	signals_close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

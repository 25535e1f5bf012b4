/* util/log.c: Kea line format, logger hierarchy, severities and debug levels,
 * patterns, rotation, JSON lines and one-write-per-line under threads. */
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

struct cfg;
#include "cfg/cfg.h"
#include "util/log.h"

static char dir[64];

static const char *tpath(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL) {
		return strdup("");
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		n += *s == '\n';
	}
	return n;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/lessor-test-log-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	log_set_debug_override(false);
	log_configure(NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* One logger writing to one file. */
static void cfg1(const char *name, int sev, int dbg, const char *file, const char *pattern)
{
	static cfg_log_output_t out;
	static cfg_logger_t lg;

	out = (cfg_log_output_t){ .output = (char *)file, .flush = true, .pattern = (char *)pattern };
	lg = (cfg_logger_t){ .name = (char *)name, .severity = sev, .debuglevel = dbg,
		             .outputs = &out, .n_outputs = 1 };
	assert_int_equal(log_configure(&lg, 1), 0);
}

static void test_sev_parse(void **state)
{
	(void)state;
	assert_int_equal(log_sev_from_string("debug"), LOG_SEV_DEBUG);
	assert_int_equal(log_sev_from_string("INFO"), LOG_SEV_INFO);
	assert_int_equal(log_sev_from_string("Warn"), LOG_SEV_WARN);
	assert_int_equal(log_sev_from_string("ERROR"), LOG_SEV_ERROR);
	assert_int_equal(log_sev_from_string("FATAL"), LOG_SEV_FATAL);
	assert_int_equal(log_sev_from_string("NONE"), LOG_SEV_NONE);
	assert_int_equal(log_sev_from_string("LOUD"), _LOG_SEV_INVALID);
	assert_int_equal(log_sev_from_string(NULL), _LOG_SEV_INVALID);
}

/* The exact Kea 2.2 layout, checked against a line captured from kea-dhcp4:
 * 2026-11-29 06:13:10.917 INFO  [kea-dhcp4.dhcp4/9054.140043484393984] DHCP4_STARTED Kea ... */
static void test_line_format(void **state)
{
	char want[512];
	regex_t re;

	(void)state;
	cfg1("kea-dhcp4", LOG_SEV_INFO, 0, tpath("a.log"), NULL);
	log_info(LOGGER_DHCP4, "DHCP4_STARTED", "Kea DHCPv4 server version %s started", "x.y");
	log_warn(LOGGER_DHCPSRV, "DHCPSRV_NO_SOCKETS_OPEN", "no interface configured to listen to DHCP traffic");
	log_error(LOGGER_PACKETS, "DHCP4_PACKET_SEND_FAIL", "%s: failed", "lbl");

	char *s = slurp(tpath("a.log"));
	snprintf(want, sizeof(want),
	         "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} INFO  "
	         "\\[kea-dhcp4\\.dhcp4/%ld\\.%lu\\] DHCP4_STARTED Kea DHCPv4 server version x\\.y started\n"
	         "[-0-9: .]{23} WARN  \\[kea-dhcp4\\.dhcpsrv/%ld\\.[0-9]+\\] DHCPSRV_NO_SOCKETS_OPEN no interface "
	         "configured to listen to DHCP traffic\n"
	         "[-0-9: .]{23} ERROR \\[kea-dhcp4\\.packets/[0-9]+\\.[0-9]+\\] DHCP4_PACKET_SEND_FAIL lbl: failed\n$",
	         (long)getpid(), (unsigned long)pthread_self(), (long)getpid());
	assert_int_equal(regcomp(&re, want, REG_EXTENDED), 0);
	if (regexec(&re, s, 0, NULL, 0) != 0) {
		fail_msg("line format mismatch:\n%s", s);
	}
	regfree(&re);
	free(s);
}

static void test_levels(void **state)
{
	(void)state;
	cfg1("kea-dhcp4", LOG_SEV_DEBUG, 45, tpath("b.log"), "%p %m%n");
	assert_true(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 45));
	assert_false(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 50));
	log_debug(LOGGER_PACKETS, 40, "D40", "forty");
	log_debug(LOGGER_PACKETS, 45, "D45", "fortyfive");
	log_debug(LOGGER_PACKETS, 50, "D50", "fifty");
	log_info(LOGGER_PACKETS, "I", "info");
	char *s = slurp(tpath("b.log"));
	assert_string_equal(s, "DEBUG D40 forty\nDEBUG D45 fortyfive\nINFO I info\n");
	free(s);

	cfg1("kea-dhcp4", LOG_SEV_WARN, 0, tpath("c.log"), "%p %m%n");
	assert_false(log_enabled(LOGGER_DHCP4, LOG_SEV_INFO, 0));
	assert_false(log_enabled(LOGGER_DHCP4, LOG_SEV_DEBUG, 0));
	log_info(LOGGER_DHCP4, "I", "dropped");
	log_warn(LOGGER_DHCP4, "W", "kept");
	log_fatal(LOGGER_DHCP4, "F", "kept too");
	s = slurp(tpath("c.log"));
	assert_string_equal(s, "WARN W kept\nFATAL F kept too\n");
	free(s);

	cfg1("kea-dhcp4", LOG_SEV_NONE, 0, tpath("d.log"), "%p %m%n");
	log_fatal(LOGGER_DHCP4, "F", "silenced");
	s = slurp(tpath("d.log"));
	assert_string_equal(s, "");
	free(s);
}

/* "kea-dhcp4" applies to every child unless the child has its own entry. */
static void test_hierarchy(void **state)
{
	cfg_log_output_t root_out = { .output = (char *)tpath("root.log"), .pattern = "%c %p %m%n" };
	char pk[256];
	strcpy(pk, tpath("pk.log"));
	cfg_log_output_t pk_out = { .output = pk, .pattern = "%c %p %m%n" };
	cfg_logger_t lg[2] = {
		{ .name = "kea-dhcp4", .severity = LOG_SEV_WARN, .outputs = &root_out, .n_outputs = 1 },
		{ .name = "kea-dhcp4.packets", .severity = LOG_SEV_DEBUG, .debuglevel = 99,
		  .outputs = &pk_out, .n_outputs = 1 },
	};

	(void)state;
	root_out.output = strdup(tpath("root.log"));
	assert_int_equal(log_configure(lg, 2), 0);
	log_info(LOGGER_DHCP4, "A", "not written (root is WARN)");
	log_warn(LOGGER_DHCP4, "B", "root");
	log_warn(LOGGER_LEASES, "C", "child inherits root");
	log_debug(LOGGER_PACKETS, 55, "D", "packets has its own entry");
	log_debug("kea-dhcp4.packetsX", 10, "E", "not a child of packets");
	log_debug("kea-dhcp4.packets.sub", 10, "F", "grandchild of packets");
	assert_true(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 99));
	assert_false(log_enabled(LOGGER_DHCP4, LOG_SEV_DEBUG, 0));

	char *r = slurp(root_out.output);
	char *p = slurp(pk);
	assert_string_equal(r, "kea-dhcp4.dhcp4 WARN B root\nkea-dhcp4.leases WARN C child inherits root\n");
	assert_string_equal(p, "kea-dhcp4.packets DEBUG D packets has its own entry\n"
	                       "kea-dhcp4.packets.sub DEBUG F grandchild of packets\n");
	free(r);
	free(p);
	free(root_out.output);
}

static void test_debug_override(void **state)
{
	(void)state;
	cfg1("kea-dhcp4", LOG_SEV_ERROR, 0, tpath("e.log"), NULL);
	assert_false(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 99));
	log_set_debug_override(true);
	assert_true(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 99));
	assert_true(log_enabled(LOGGER_DHCP4, LOG_SEV_INFO, 0));
	log_set_debug_override(false);
	assert_false(log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, 99));
}

static void test_pattern(void **state)
{
	(void)state;
	cfg1("kea-dhcp4", LOG_SEV_INFO, 0, tpath("f.log"),
	     "<%-7p|%7p|%.5c|%i|%d{%Y}|100%%|%x|%m>%n");
	log_info(LOGGER_DHCP4, "ID1", "hello %d", 42);
	char *s = slurp(tpath("f.log"));
	char want[256];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(want, sizeof(want), "<INFO   |   INFO|dhcp4|%ld|%d|100%%|%%x|ID1 hello 42>\n",
	         (long)getpid(), tm.tm_year + 1900);
	assert_string_equal(s, want);
	free(s);
}

static void test_rotation(void **state)
{
	static cfg_log_output_t out;
	static cfg_logger_t lg;
	char p1[300], p2[300], p3[300];

	(void)state;
	out = (cfg_log_output_t){ .output = strdup(tpath("rot.log")), .maxsize = 100, .maxver = 2,
		                  .pattern = "%m%n" };
	lg = (cfg_logger_t){ .name = "kea-dhcp4", .severity = LOG_SEV_INFO, .outputs = &out, .n_outputs = 1 };
	assert_int_equal(log_configure(&lg, 1), 0);
	for (int i = 0; i < 10; i++) {
		/* 40 bytes a line: 2 lines fit in 100 */
		log_info(LOGGER_DHCP4, "ROT", "line %02d xxxxxxxxxxxxxxxxxxxxxxxxxx", i);
	}
	snprintf(p1, sizeof(p1), "%s", out.output);
	snprintf(p2, sizeof(p2), "%s.1", out.output);
	snprintf(p3, sizeof(p3), "%s.2", out.output);
	char *a = slurp(p1), *b = slurp(p2), *c = slurp(p3);
	assert_int_equal(count_lines(a), 2);
	assert_non_null(strstr(a, "line 09"));
	assert_non_null(strstr(b, "line 07"));
	assert_non_null(strstr(c, "line 05"));
	assert_true(access(tpath("rot.log.3"), F_OK) != 0);
	free(a);
	free(b);
	free(c);
	free(out.output);
}

static void test_json(void **state)
{
	(void)state;
	setenv("LESSOR_LOG_JSON", "1", 1);
	cfg1("kea-dhcp4", LOG_SEV_DEBUG, 10, tpath("j.log"), NULL);
	unsetenv("LESSOR_LOG_JSON");
	log_info(LOGGER_DHCP4, "DHCP4_X", "quote \" backslash \\ tab \t end");
	log_debug(LOGGER_DHCP4, 10, "DHCP4_Y", "dbg");
	char *s = slurp(tpath("j.log"));
	json_error_t err;
	char *nl = strchr(s, '\n');
	assert_non_null(nl);
	json_t *j = json_loadb(s, (size_t)(nl - s), 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "INFO");
	assert_string_equal(json_string_value(json_object_get(j, "logger")), "kea-dhcp4.dhcp4");
	assert_string_equal(json_string_value(json_object_get(j, "id")), "DHCP4_X");
	assert_string_equal(json_string_value(json_object_get(j, "msg")), "quote \" backslash \\ tab \t end");
	assert_int_equal(json_integer_value(json_object_get(j, "pid")), getpid());
	json_decref(j);
	j = json_loads(nl + 1, 0, &err);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "debuglevel")), 10);
	json_decref(j);
	free(s);
}

static void test_unwritable(void **state)
{
	(void)state;
	cfg_log_output_t out = { .output = "/nonexistent-dir/x.log" };
	cfg_logger_t lg = { .name = "kea-dhcp4", .severity = LOG_SEV_INFO, .outputs = &out, .n_outputs = 1 };
	assert_true(log_configure(&lg, 1) < 0);
}

/* The ring of recent warnings and errors keeps what an output wrote, WARN and above,
 * newest first, the oldest overwritten, text as valid UTF-8. */
static void test_recent_ring(void **state)
{
	static log_entry_t es[LOG_RING_SIZE + 8];

	(void)state;
	log_recent_clear();
	cfg1("kea-dhcp4", LOG_SEV_INFO, 0, tpath("r.log"), "%p %m%n");
	log_info(LOGGER_DHCP4, "I1", "not kept");
	log_warn(LOGGER_DHCP4, "W1", "first %d", 1);
	log_error(LOGGER_LEASES, "E1", "second");
	assert_int_equal(log_recent(es, 10), 2);
	assert_int_equal(es[0].sev, LOG_SEV_ERROR);
	assert_string_equal(es[0].logger, LOGGER_LEASES);
	assert_string_equal(es[0].msgid, "E1");
	assert_string_equal(es[0].text, "second");
	assert_int_equal(es[0].seq, 2);
	assert_string_equal(es[1].text, "first 1");
	assert_true(es[1].tv.tv_sec > 0);
	assert_int_equal(log_recent(es, 1), 1);
	assert_string_equal(es[0].msgid, "E1");

	/* a logger configured above WARN writes nothing, so keeps nothing */
	cfg1("kea-dhcp4", LOG_SEV_ERROR, 0, tpath("r2.log"), "%p %m%n");
	log_warn(LOGGER_DHCP4, "W2", "suppressed");
	assert_int_equal(log_recent(es, 10), 2);
	assert_string_equal(es[0].msgid, "E1");

	/* hostile bytes: invalid UTF-8, an overlong '/', a surrogate, controls; valid é kept */
	log_error(LOGGER_DHCP4, "E2", "host \xff\xc0\xaf\xed\xa0\x80 a\tb\x01 caf\xc3\xa9");
	assert_int_equal(log_recent(es, 1), 1);
	assert_string_equal(es[0].text, "host ?????? a b  caf\xc3\xa9");

	/* a long line is cut on a character boundary */
	char big[2000];
	memset(big, 'x', sizeof(big));
	memcpy(big + 510, "\xc3\xa9", 2); /* would end at byte 512 */
	big[sizeof(big) - 1] = '\0';
	log_error(LOGGER_DHCP4, "E3", "%s", big);
	assert_int_equal(log_recent(es, 1), 1);
	assert_int_equal(strlen(es[0].text), 510);

	/* wrap: only the newest LOG_RING_SIZE remain, in order */
	for (int i = 0; i < LOG_RING_SIZE + 5; i++) {
		log_error(LOGGER_DHCP4, "EW", "n%d", i);
	}
	size_t n = log_recent(es, LOG_RING_SIZE + 8);
	assert_int_equal(n, LOG_RING_SIZE);
	char want[32];
	snprintf(want, sizeof(want), "n%d", LOG_RING_SIZE + 4);
	assert_string_equal(es[0].text, want);
	assert_string_equal(es[n - 1].text, "n5");
	for (size_t i = 1; i < n; i++) {
		assert_int_equal(es[i].seq + 1, es[i - 1].seq);
	}
	log_recent_clear();
	assert_int_equal(log_recent(es, 10), 0);
}

static void *thr(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		log_info(LOGGER_PACKETS, "T", "%s", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
	}
	return NULL;
}

/* Four threads, 2000 lines: no line is torn or lost. */
static void test_threads(void **state)
{
	pthread_t t[4];

	(void)state;
	cfg1("kea-dhcp4", LOG_SEV_INFO, 0, tpath("t.log"), NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, thr, NULL), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
	}
	char *s = slurp(tpath("t.log"));
	assert_int_equal(count_lines(s), 2000);
	size_t ok = 0;
	for (char *l = s; *l != '\0';) {
		char *e = strchr(l, '\n');
		*e = '\0';
		ok += strstr(l, "] T abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz") != NULL &&
		      l[e - l - 1] == 'z';
		l = e + 1;
	}
	assert_int_equal(ok, 2000);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sev_parse),
		cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recent_ring, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

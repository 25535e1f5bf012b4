/* Micro-benchmark of class expression evaluation (ns/op): the deployment's
 * `option[77].hex == 'W10TEST'`, a member() test, and a complex expression
 * that exercises computed values in the scratch. Speed is measured, not
 * asserted; each result is also checked so the loop cannot be optimised into
 * nothing and a broken evaluator does not report a fast time. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "class/class.h"
#include "dhcp/pkt4.h"
#include "util/arena.h"
#include "util/macro.h"

static int b_class(void *ud, const char *name)
{
	(void)ud;
	return strcmp(name, "ALL") == 0 ? 0 : strcmp(name, "KNOWN") == 0 ? 1 : -1;
}

static int b_option(void *ud, const char *name)
{
	(void)ud;
	return strcmp(name, "user-class") == 0 ? 77 : -1;
}

static const class_resolver_t b_res = {
	.class_index = b_class,
	.option_code = b_option,
	.known_idx = 1,
	.unknown_idx = 2,
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run(const char *text, const class_eval_ctx_t *ctx, long iters)
{
	class_expr_t *e = NULL;
	class_err_t err;
	long hits = 0;

	if (class_expr_compile(text, &b_res, &e, &err) < 0) {
		fprintf(stderr, "compile failed: %s at %d: %s\n", text, err.column, err.msg);
		return -1;
	}
	/* warm up */
	for (long i = 0; i < iters / 10; i++) {
		hits += class_expr_eval(e, ctx);
	}
	hits = 0;
	double t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		hits += class_expr_eval(e, ctx);
	}
	double t1 = now_ns();
	class_expr_free(e);
	if (hits != iters) {
		fprintf(stderr, "unexpected result for: %s (%ld/%ld true)\n", text, hits, iters);
		return -1;
	}
	printf("%8.1f ns/op  %s\n", (t1 - t0) / (double)iters, text);
	return 0;
}

int main(int argc, char **argv)
{
	static const uint8_t opts[] = {
		53, 1, 1,
		61, 7, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
		77, 7, 'W', '1', '0', 'T', 'E', 'S', 'T',
		60, 9, 'd', 'o', 'c', 's', 'i', 's', '3', '.', '0',
		82, 12, 1, 5, 'p', 'o', 'r', 't', '1', 2, 3, 'a', 'b', 'c',
		124, 10, 0, 0, 0x11, 0x8b, 5, 'h', 'e', 'l', 'l', 'o',
		255,
	};
	static const char *const exprs[] = {
		"option[77].hex == 'W10TEST'",
		"member('ALL')",
		"relay4[1].hex == 'port1'",
		"substring(option[61].hex,0,3) == 0x010011",
		"vendor-class[4491].data == 'hello'",
		"(option[77].hex == 'W10TEST' or relay4[2].hex == 'xyz') and not member('KNOWN') and "
		"hexstring(pkt4.mac, ':') + '/' + split(option[60].text, '.', 1) == "
		"'00:11:22:33:44:55/docsis3' and uint32totext(pkt4.transid) == '305419896'",
	};
	long iters = argc > 1 ? atol(argv[1]) : 2000000;
	uint8_t buf[512] = { 1, 1, 6, 0, 0x12, 0x34, 0x56, 0x78 };
	arena_t arena;
	pkt4_t pkt;
	class_set_t classes = { 0 };
	size_t n = 236;

	memcpy(buf + 28, "\x00\x11\x22\x33\x44\x55", 6);
	memcpy(buf + n, "\x63\x82\x53\x63", 4);
	n += 4;
	memcpy(buf + n, opts, sizeof(opts));
	n += sizeof(opts);
	if (arena_init(&arena, 4096) < 0 || pkt4_parse(&pkt, &arena, buf, n) < 0) {
		fprintf(stderr, "packet setup failed\n");
		return 1;
	}
	class_set_add(&classes, 0);

	uint8_t *scratch = malloc(CLASS_EVAL_SCRATCH);
	if (scratch == NULL) {
		return 1;
	}
	class_eval_ctx_t ctx = {
		.pkt = &pkt,
		.classes = &classes,
		.ifname = "eth0",
		.scratch = scratch,
		.scratch_size = CLASS_EVAL_SCRATCH,
	};

	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(exprs); i++) {
		if (run(exprs[i], &ctx, iters) < 0) {
			rc = 1;
		}
	}
	free(scratch);
	arena_done(&arena);
	return rc;
}

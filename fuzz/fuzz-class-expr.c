/* Fuzz the class expression compiler and evaluator: compile arbitrary text
 * with a fixed resolver and, when it compiles, evaluate it against a fixed
 * packet that carries every option the language can look at. Any crash,
 * sanitizer report or leak is a bug; a compile error or false is fine. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "class/class.h"
#include "dhcp/pkt4.h"
#include "util/arena.h"
#include "util/macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_class(void *ud, const char *name)
{
	static const char *const names[] = { "ALL", "KNOWN", "UNKNOWN", "FOO", "VENDOR_CLASS_x" };

	(void)ud;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(names[i], name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static bool fz_depends(void *ud, int idx)
{
	(void)ud;
	return idx == 3;
}

static int fz_option(void *ud, const char *name)
{
	(void)ud;
	if (strcmp(name, "host-name") == 0) {
		return 12;
	}
	if (strcmp(name, "user-class") == 0) {
		return 77;
	}
	if (strcmp(name, "big") == 0) {
		return 255;
	}
	return -1;
}

static const class_resolver_t fz_resolver = {
	.class_index = fz_class,
	.class_depends_on_known = fz_depends,
	.option_code = fz_option,
	.known_idx = 1,
	.unknown_idx = 2,
};

/* BOOTREQUEST header, cookie, and options 53, 12, 60, 61, 77, 82 (with 0
 * and 255 sub-options and a truncated tail), 124 (two tuples), 125, typed
 * 55/51/3/19, and a 300-byte option 43 split in two instances (joined by
 * pkt4_parse). */
static const uint8_t fz_opts[] = {
	53, 1, 1,
	12, 5, 'h', 'o', 's', 't', 0,
	60, 4, 'a', '.', 'b', 'c',
	61, 7, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
	77, 7, 'W', '1', '0', 'T', 'E', 'S', 'T',
	82, 12, 1, 3, 'p', '1', 0, 2, 2, 'r', 'x', 255, 9, 9,
	124, 17, 0, 0, 0x11, 0x8b, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0x11, 0x8b, 2, 'a', 'b',
	125, 13, 0, 0, 0x11, 0x8b, 8, 1, 2, 'h', 'i', 2, 2, 'x', 'y',
	/* typed options for .text: uint8 array, uint32, ipv4 array, boolean */
	55, 3, 1, 3, 6,
	51, 4, 0, 0, 1, 0,
	3, 4, 10, 0, 0, 1,
	19, 1, 1,
};

static uint8_t fz_buf[DHCP_PKT_MAX];
static arena_t fz_arena;
static pkt4_t fz_pkt;
static uint8_t *fz_scratch;
static bool fz_ready;

static void fz_init(void)
{
	size_t n = 0;

	memset(fz_buf, 0, sizeof(fz_buf));
	fz_buf[0] = 1;
	fz_buf[1] = 1;
	fz_buf[2] = 6;
	memcpy(fz_buf + 4, "\x12\x34\x56\x78", 4);
	memcpy(fz_buf + 24, "\x0a\x00\x00\x01", 4);
	memcpy(fz_buf + 28, "\x00\x11\x22\x33\x44\x55", 6);
	n = 236;
	memcpy(fz_buf + n, "\x63\x82\x53\x63", 4);
	n += 4;
	memcpy(fz_buf + n, fz_opts, sizeof(fz_opts));
	n += sizeof(fz_opts);
	for (int part = 0; part < 2; part++) {
		fz_buf[n++] = 43;
		fz_buf[n++] = 150;
		for (int i = 0; i < 150; i++) {
			fz_buf[n++] = (uint8_t)(i * 7 + part);
		}
	}
	fz_buf[n++] = 255;

	if (arena_init(&fz_arena, 65536) < 0 || pkt4_parse(&fz_pkt, &fz_arena, fz_buf, n) < 0) {
		abort();
	}
	fz_scratch = malloc(CLASS_EVAL_SCRATCH);
	if (fz_scratch == NULL) {
		abort();
	}
	fz_ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	class_expr_t *e = NULL;
	class_err_t err;
	class_set_t classes = { 0 };
	char *text;

	if (!fz_ready) {
		fz_init();
	}
	if (size > 8192) {
		return 0;
	}
	text = malloc(size + 1);
	if (text == NULL) {
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';

	if (class_expr_compile(text, &fz_resolver, &e, &err) == 0) {
		class_eval_ctx_t ctx = {
			.pkt = &fz_pkt,
			.classes = &classes,
			.ifname = "eth0",
			.src_addr = 0x0a000001,
			.dst_addr = 0x0a000002,
			.scratch = fz_scratch,
			.scratch_size = CLASS_EVAL_SCRATCH,
		};

		(void)class_expr_eval(e, &ctx);
		(void)class_expr_depends_on_known(e);
		class_set_add(&classes, 0);
		class_set_add(&classes, 3);
		(void)class_expr_eval(e, &ctx);
		/* A short scratch must fail cleanly, never overrun. */
		ctx.scratch_size = size % 128;
		(void)class_expr_eval(e, &ctx);
		class_expr_free(e);
	} else if (err.column < 1 || (size_t)err.column > size + 1 ||
	           memchr(err.msg, '\0', sizeof(err.msg)) == NULL || err.msg[0] == '\0') {
		abort();        /* every compile error names a column inside the text */
	}
	free(text);
	return 0;
}

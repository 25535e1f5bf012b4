/* Helpers shared by the packet tests: see helpers-pkt4.h. */
#include <stdlib.h>
#include <string.h>

#include "helpers-pkt4.h"

arena_t pkt_arena;

const char *const pkt_fixtures[PKT_N_FIXTURES] = {
	"pkt/discover-minimal.hex",
	"pkt/discover-relayed-82.hex",
	"pkt/request-selecting.hex",
	"pkt/request-init-reboot.hex",
	"pkt/request-renewing.hex",
	"pkt/release.hex",
	"pkt/decline.hex",
	"pkt/inform.hex",
	"pkt/discover-overload.hex",
	"pkt/discover-long-option.hex",
	"pkt/bootp-no-53.hex",
	"pkt/truncated-option.hex",
	"pkt/discover-hlen17.hex",
	"pkt/request-relayed-82-override.hex",
};

uint8_t *pkt_memdup_exact(const void *p, size_t n)
{
	/* malloc(0) may return NULL; keep a valid pointer with no readable byte. */
	uint8_t *q = malloc(n > 0 ? n : 1);

	assert_non_null(q);
	if (n > 0) {
		memcpy(q, p, n);
	}
	return q;
}

int pkt_setup(void **state)
{
	(void)state;
	return arena_init(&pkt_arena, 64 * 1024);
}

int pkt_teardown(void **state)
{
	(void)state;
	arena_done(&pkt_arena);
	return 0;
}

void pkt_reset(void)
{
	arena_reset(&pkt_arena);
}


void pkt_assert_opt(const pkt4_t *pkt, uint8_t code, const void *data, size_t len)
{
	const opt_view_t *v = pkt4_opt(pkt, code);

	assert_non_null(v);
	assert_int_equal(v->len, len);
	if (len > 0) {
		assert_memory_equal(v->data, data, len);
	}
}

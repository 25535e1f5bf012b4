/* Unit tests for util/wire.h: the bounded, sticky-error read cursor and the
 * big-endian load/store helpers that every packet parser relies on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/macro.h"
#include "util/wire.h"

static const uint8_t sample[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

static void test_reads_host_order(void **state)
{
	wire_t w = wire_init(sample, sizeof(sample));

	(void)state;
	assert_int_equal(wire_left(&w), 9);
	assert_int_equal(wire_read_u8(&w), 0x01);
	assert_int_equal(wire_read_u16(&w), 0x0203);
	assert_int_equal(wire_read_u32(&w), 0x04050607u);
	assert_int_equal(wire_left(&w), 2);
	assert_int_equal(w.err, 0);

	const uint8_t *v = wire_view(&w, 2);
	assert_ptr_equal(v, sample + 7);
	assert_int_equal(wire_left(&w), 0);
	assert_int_equal(w.err, 0);

	/* A zero-length view at the very end is fine. */
	assert_ptr_equal(wire_view(&w, 0), sample + 9);
	assert_int_equal(w.err, 0);
}

static void test_sticky_error(void **state)
{
	/* Exact-size heap copy so ASan sees any over-read. */
	_cleanup_free_ uint8_t *buf = malloc(3);
	uint8_t dst[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	(void)state;
	assert_non_null(buf);
	memcpy(buf, sample, 3);
	wire_t w = wire_init(buf, 3);

	assert_int_equal(wire_read_u16(&w), 0x0102);
	/* Four bytes wanted, one left: error, zeroes, and the cursor stays. */
	assert_int_equal(wire_read_u32(&w), 0);
	assert_int_equal(w.err, -EBADMSG);
	assert_int_equal(wire_left(&w), 0);

	/* Later reads that would have fit still fail: the error is sticky. */
	assert_int_equal(wire_read_u8(&w), 0);
	wire_read(&w, dst, sizeof(dst));
	assert_int_equal(dst[0], 0);
	assert_int_equal(dst[3], 0);
	assert_null(wire_view(&w, 1));
	assert_null(wire_view(&w, 0));
	assert_int_equal(w.err, -EBADMSG);
	assert_ptr_equal(w.pos, buf + 2);
}

static void test_empty_buffer(void **state)
{
	wire_t w = wire_init(NULL, 0);

	(void)state;
	assert_int_equal(wire_left(&w), 0);
	assert_int_equal(wire_read_u8(&w), 0);
	assert_int_equal(w.err, -EBADMSG);
}

static void test_huge_request(void **state)
{
	wire_t w = wire_init(sample, sizeof(sample));

	(void)state;
	/* A length near SIZE_MAX must not wrap the bounds check. */
	assert_null(wire_view(&w, SIZE_MAX));
	assert_int_equal(w.err, -EBADMSG);
}

static void test_be_helpers(void **state)
{
	uint8_t b[4];

	(void)state;
	be32_store(b, 0xc0000201u);
	assert_int_equal(b[0], 192);
	assert_int_equal(b[3], 1);
	assert_int_equal(be32_load(b), 0xc0000201u);
	be16_store(b, 0x05dc);
	assert_int_equal(b[0], 0x05);
	assert_int_equal(b[1], 0xdc);
	assert_int_equal(be16_load(b), 1500);
	assert_int_equal(be32_load(sample + 1), 0x02030405u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_host_order),
		cmocka_unit_test(test_sticky_error),
		cmocka_unit_test(test_empty_buffer),
		cmocka_unit_test(test_huge_request),
		cmocka_unit_test(test_be_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

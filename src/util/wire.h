/* Bounded read cursor with a sticky error (Knot's wire_ctx idea): after the
 * first short read every later read returns zeroes and w->err stays set, so a
 * parser checks once at the end of a fixed block. Values are returned in host
 * byte order; this file and util/inaddr.c are where byte order is converted. */
#pragma once

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct wire {
	const uint8_t *pos;
	const uint8_t *end;
	int err;                /* first error wins; later reads are zero-filling no-ops */
} wire_t;

static inline wire_t wire_init(const uint8_t *buf, size_t len)
{
	return (wire_t){ .pos = buf, .end = buf + len, .err = 0 };
}

static inline size_t wire_left(const wire_t *w)
{
	return w->err != 0 ? 0 : (size_t)(w->end - w->pos);
}

static inline void wire_read(wire_t *w, void *dst, size_t n)
{
	if (w->err == 0 && (size_t)(w->end - w->pos) < n) {
		w->err = -EBADMSG;
	}
	if (w->err != 0) {
		memset(dst, 0, n);      /* never hand back uninitialised bytes */
		return;
	}
	memcpy(dst, w->pos, n);
	w->pos += n;
}

/* A view of the next n bytes, or NULL (and err set) when fewer remain. */
static inline const uint8_t *wire_view(wire_t *w, size_t n)
{
	if (w->err == 0 && (size_t)(w->end - w->pos) < n) {
		w->err = -EBADMSG;
	}
	if (w->err != 0) {
		return NULL;
	}
	const uint8_t *p = w->pos;
	w->pos += n;
	return p;
}

static inline uint8_t wire_read_u8(wire_t *w)
{
	uint8_t v;

	wire_read(w, &v, 1);
	return v;
}

static inline uint16_t wire_read_u16(wire_t *w)
{
	uint8_t b[2];

	wire_read(w, b, 2);
	return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t wire_read_u32(wire_t *w)
{
	uint8_t b[4];

	wire_read(w, b, 4);
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* Unaligned big-endian load/store helpers for already bounds-checked memory. */
static inline uint32_t be32_load(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint16_t be16_load(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline void be32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void be16_store(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

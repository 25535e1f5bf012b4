/* Internals of the expression evaluator (eval.c): the value stack shared by the
 * instruction handlers in eval.c, eval-option.c and eval-string.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "class/class-int.h"

typedef struct val {
	const uint8_t *p;
	uint32_t len;
} val_t;

typedef struct ev {
	const class_eval_ctx_t *ctx;
	val_t *st;
	uint32_t sp;
	uint32_t cap;
	uint8_t *heap;                  /* computed values live in [heap, top) */
	uint8_t *top;
	uint8_t *end;
} ev_t;

static const uint8_t s_true[] = "true";
static const uint8_t s_false[] = "false";
static const uint8_t s_empty[1] = { 0 };
static const char hexdig[] = "0123456789abcdef";

/* ---- value stack (inline: every instruction uses it) ---- */

static inline bool in_heap(const ev_t *ev, const uint8_t *p)
{
	return p >= ev->heap && p < ev->end;
}

static inline size_t heap_left(const ev_t *ev)
{
	return (size_t)(ev->end - ev->top);
}

static inline bool push_view(ev_t *ev, const uint8_t *p, size_t len)
{
	if (ev->sp >= ev->cap || len > UINT32_MAX) {
		return false;
	}
	ev->st[ev->sp++] = (val_t){ .p = len > 0 ? p : s_empty, .len = (uint32_t)len };
	return true;
}

static inline bool push_bool(ev_t *ev, bool b)
{
	return b ? push_view(ev, s_true, 4) : push_view(ev, s_false, 5);
}

/* Push the @len bytes just written at ev->top. */
static inline bool push_new(ev_t *ev, size_t len)
{
	uint8_t *p = ev->top;

	if (len > heap_left(ev) || !push_view(ev, p, len)) {
		return false;
	}
	ev->top += len;
	return true;
}

/* Pop @k values into out[0..k) (bottom first). Returns the lowest scratch
 * address any of them occupies (ev->top if none): everything from there up is
 * garbage once the result is pushed, because scratch values sit in stack order. */
static inline uint8_t *pop(ev_t *ev, uint32_t k, val_t *out)
{
	uint8_t *mark = ev->top;

	ev->sp -= k;
	for (uint32_t i = 0; i < k; i++) {
		out[i] = ev->st[ev->sp + i];
		if (in_heap(ev, out[i].p) && out[i].len > 0 && out[i].p < mark) {
			mark = (uint8_t *)(uintptr_t)out[i].p;
		}
	}
	return mark;
}

/* Push a result after pop(): a result in scratch (a computed value at the old
 * top, or a view into a popped operand) is moved down to @mark. */
static inline bool push_result(ev_t *ev, uint8_t *mark, const uint8_t *p, size_t len)
{
	if (in_heap(ev, p) && len > 0) {
		memmove(mark, p, len);
		ev->top = mark + len;
		return push_view(ev, mark, len);
	}
	ev->top = mark;
	return push_view(ev, p, len);
}

static inline bool to_bool(const val_t *v, bool *ret)
{
	if (v->len == 4 && memcmp(v->p, "true", 4) == 0) {
		*ret = true;
		return true;
	}
	if (v->len == 5 && memcmp(v->p, "false", 5) == 0) {
		*ret = false;
		return true;
	}
	return false;                   /* EvalTypeError */
}

/* ---- option access and Kea's text rendering (eval-option.c) ---- */

/** Option @code's data in @pkt as Kea unpacks it (string options lose trailing NULs). */
bool ev_opt_get(const pkt4_t *pkt, uint8_t code, const uint8_t **ret_p, size_t *ret_n);
/** Sub-option @code in a TLV list, as Kea 2.2 parses encapsulated spaces. */
bool ev_tlv_find(const uint8_t *p, size_t n, uint8_t code, const uint8_t **ret_p, size_t *ret_n);
/** TokenOption::evaluate: push an option's value (hex, text or exists). */
bool ev_push_option(ev_t *ev, uint8_t rep, bool found, uint8_t code, bool is_string,
                    bool typed, const uint8_t *p, size_t n);
/** Option 125's first enterprise block. */
bool ev_vendor_get(const pkt4_t *pkt, uint32_t *ret_ent, const uint8_t **ret_sub,
                   size_t *ret_subn);
/** Option 124's tuple @idx. */
bool ev_vclass_get(const pkt4_t *pkt, uint32_t *ret_ent, uint32_t idx, const uint8_t **ret_p,
                   size_t *ret_n, bool *ret_found);
/** Decimal text of @v into @o (at most 20 bytes); returns its length. */
size_t ev_fmt_i64(uint8_t *o, int64_t v);

/* ---- string operators (eval-string.c) ---- */

bool ev_op_int_to_text(ev_t *ev, class_op_t op);
bool ev_op_addr_to_text(ev_t *ev);
bool ev_op_substring(ev_t *ev, const class_insn_t *in);
bool ev_op_split(ev_t *ev, const class_insn_t *in);
bool ev_op_tohex(ev_t *ev);
bool ev_op_concat(ev_t *ev);
bool ev_op_case(ev_t *ev, bool upper);

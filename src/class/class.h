/* Kea's client-classification expression language: compile a `test` string
 * into a compact program once (config load), evaluate it per packet with no
 * allocation. Depends only on the wire layer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/pkt4.h"

#define CLASS_SET_MAX 64

/* The classes a packet belongs to, in the order it joined them (the order
 * matters for option precedence). Values are indexes into cfg_t.classes[]. */
typedef struct class_set {
	uint16_t n;
	uint16_t idx[CLASS_SET_MAX];
} class_set_t;

static inline bool class_set_has(const class_set_t *s, int idx)
{
	for (uint16_t i = 0; i < s->n; i++) {
		if (s->idx[i] == idx) {
			return true;
		}
	}
	return false;
}

static inline void class_set_add(class_set_t *s, int idx)
{
	if (idx >= 0 && !class_set_has(s, idx) && s->n < CLASS_SET_MAX) {
		s->idx[s->n++] = (uint16_t)idx;
	}
}

typedef struct class_expr class_expr_t;

/* Name resolution at compile time, supplied by the config loader. */
typedef struct class_resolver {
	void *userdata;
	/* Index of an already-defined (or built-in) class, or -1: member('X'). */
	int (*class_index)(void *userdata, const char *name);
	/* Whether class @idx itself depends on known/unknown (may be NULL). */
	bool (*class_depends_on_known)(void *userdata, int idx);
	/* Option code of a standard or option-def'd option name, or -1: option[name]. */
	int (*option_code)(void *userdata, const char *name);
	/* Index of the built-in KNOWN and UNKNOWN classes (known / unknown keywords). */
	int known_idx;
	int unknown_idx;
} class_resolver_t;

typedef struct class_err {
	int column;                     /* 1-based column in the expression text */
	char msg[256];
} class_err_t;

/* What evaluation may look at besides the packet. */
typedef struct class_eval_ctx {
	const pkt4_t *pkt;
	const class_set_t *classes;     /* classes joined so far, for member() */
	const char *ifname;             /* pkt.iface, may be NULL */
	uint32_t src_addr;              /* pkt.src, host order */
	uint32_t dst_addr;              /* pkt.dst */
	uint8_t *scratch;               /* evaluation stack memory (worker arena) */
	size_t scratch_size;            /* CLASS_EVAL_SCRATCH is always enough */
} class_eval_ctx_t;

#define CLASS_EVAL_SCRATCH 65536

/** Compile @text (a boolean expression) using @res to resolve names.
 *  Returns 0, or -EINVAL with @reterr filled (column and message). */
int class_expr_compile(const char *text, const class_resolver_t *res, class_expr_t **ret_expr,
                       class_err_t *reterr);
void class_expr_free(class_expr_t *e);

/** Evaluate; an evaluation error (e.g. bad argument length) counts as false,
 *  as in Kea. Any thread; the program is immutable. */
bool class_expr_eval(const class_expr_t *e, const class_eval_ctx_t *ctx);

/** Whether the expression refers to known/unknown, directly or via member()
 *  of a class that does (so it is evaluated after host lookup). */
bool class_expr_depends_on_known(const class_expr_t *e);

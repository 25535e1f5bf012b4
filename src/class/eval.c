/* Evaluate a compiled expression against a parsed packet (Kea 2.2's
 * src/lib/eval/token.cc semantics). Values are byte strings; booleans are the
 * strings "true"/"false". A value is a view: into the packet, the program's
 * literal pool, or the caller's scratch, where computed values are bump
 * allocated in stack order so popping reclaims them. No allocation, every
 * length bounded by the scratch; any evaluation error makes the whole
 * expression false (Kea logs EVAL_RESULT errors and treats them as no match).
 *
 * Like Kea 2.2, every instruction runs (no short-circuit): an error in the
 * untaken side of `or`/`and`/ifelse still makes the expression false. */
#include <stdalign.h>
#include <string.h>

#include "class/eval-int.h"
#include "dhcp/proto.h"
#include "util/macro.h"
#include "util/wire.h"

/* Kea's DHCPV4_PKT_HDR_LEN, used by Pkt4::len() (pkt.len). */
#define KEA_PKT4_HDR_LEN 236

/* Standard DHCPv4 options Kea 2.2 defines as OPT_STRING_TYPE (OptionString). */
bool class_opt_is_string(uint8_t code)
{
	switch (code) {
	case 12:  /* host-name */
	case 14:  /* merit-dump */
	case 15:  /* domain-name */
	case 17:  /* root-path */
	case 18:  /* extensions-path */
	case 40:  /* nis-domain */
	case 47:  /* netbios-scope */
	case 56:  /* dhcp-message */
	case 60:  /* vendor-class-identifier */
	case 62:  /* nwip-domain-name */
	case 64:  /* nisplus-domain-name */
	case 66:  /* tftp-server-name */
	case 67:  /* boot-file-name */
	case 86:  /* nds-tree-name */
	case 87:  /* nds-context */
	case 98:  /* uap-servers */
	case 100: /* pcode */
	case 101: /* tcode */
	case 113: /* netinfo-server-tag */
	case 114: /* v4-captive-portal */
		return true;
	default:
		return false;
	}
}

/* ---- packet fields ---- */

static bool push_u32(ev_t *ev, uint32_t x)
{
	if (heap_left(ev) < 4) {
		return false;
	}
	be32_store(ev->top, x);
	return push_new(ev, 4);
}

/* Length of option @code as Kea re-packs it (Option::len()): a string
 * option after trimming NULs, option 82 as the sum of the sub-options it
 * parsed (a truncated tail dropped), anything else as received. Checked
 * against kea-dhcp4 2.2's pkt.len. */
static uint32_t opt_packed_len(const pkt4_t *pkt, uint8_t code)
{
	const opt_view_t *v = &pkt->opts[code];
	const uint8_t *p;
	size_t n;

	if (code == DHO_DHCP_AGENT_OPTIONS && ev_opt_get(pkt, code, &p, &n)) {
		uint32_t len = 2;
		size_t i = 0;
		while (i < n) {
			if (n - i < 2 || p[i + 1] > n - i - 2) {
				break;
			}
			len += 2u + p[i + 1];
			i += 2 + (size_t)p[i + 1];
		}
		return len;
	}
	if (class_opt_is_string(code) && ev_opt_get(pkt, code, &p, &n)) {
		return 2u + (uint32_t)n;
	}
	return 2u * v->count + v->len;
}

static bool op_pkt(ev_t *ev, uint8_t mode)
{
	const class_eval_ctx_t *ctx = ev->ctx;
	const pkt4_t *pkt = ctx->pkt;

	switch (mode) {
	case CLASS_PKT_IFACE:
		if (ctx->ifname == NULL) {
			return push_view(ev, s_empty, 0);
		}
		return push_view(ev, (const uint8_t *)ctx->ifname, strnlen(ctx->ifname, 256));
	case CLASS_PKT_SRC:
		return push_u32(ev, ctx->src_addr);
	case CLASS_PKT_DST:
		return push_u32(ev, ctx->dst_addr);
	case CLASS_PKT_LEN: {
		/* Pkt4::len(): the 236-byte header plus each option's packed
		 * length (no cookie, no PAD/END), not the datagram size. */
		uint32_t len = KEA_PKT4_HDR_LEN;
		for (unsigned c = 1; c < DHO_END; c++) {
			if (pkt->opts[c].count > 0) {
				len += opt_packed_len(pkt, (uint8_t)c);
			}
		}
		return push_u32(ev, len);
	}
	default:
		return false;
	}
}

static bool op_pkt4(ev_t *ev, uint8_t mode)
{
	const pkt4_t *pkt = ev->ctx->pkt;

	switch (mode) {
	case CLASS_PKT4_MAC:
		return push_view(ev, pkt->chaddr, MIN(pkt->hlen, (size_t)DHCP_CHADDR_LEN));
	case CLASS_PKT4_HLEN:
		return push_u32(ev, pkt->hlen);
	case CLASS_PKT4_HTYPE:
		return push_u32(ev, pkt->htype);
	case CLASS_PKT4_CIADDR:
		return push_u32(ev, pkt->ciaddr);
	case CLASS_PKT4_GIADDR:
		return push_u32(ev, pkt->giaddr);
	case CLASS_PKT4_YIADDR:
		return push_u32(ev, pkt->yiaddr);
	case CLASS_PKT4_SIADDR:
		return push_u32(ev, pkt->siaddr);
	case CLASS_PKT4_MSGTYPE:
		/* Pkt4::getType(): 0 (DHCP_NOTYPE) without option 53. */
		return push_u32(ev, (uint32_t)pkt4_msg_type(pkt));
	case CLASS_PKT4_TRANSID:
		return push_u32(ev, pkt->xid);
	default:
		return false;
	}
}

static bool op_vendor(ev_t *ev, const class_insn_t *in)
{
	uint32_t ent = 0;
	const uint8_t *sub = NULL, *p = NULL;
	size_t subn = 0, n = 0;

	if (!ev_vendor_get(ev->ctx->pkt, &ent, &sub, &subn) || (in->a != 0 && in->a != ent)) {
		/* TokenOption::pushFailure */
		return ev_push_option(ev, in->rep, false, 0, false, false, NULL, 0);
	}
	switch (in->mode) {
	case CLASS_VF_ENTERPRISE:
		return push_u32(ev, ent);
	case CLASS_VF_EXISTS:
		return push_bool(ev, true);
	case CLASS_VF_SUBOPTION: {
		bool found = ev_tlv_find(sub, subn, (uint8_t)in->sub, &p, &n);
		return ev_push_option(ev, in->rep, found, (uint8_t)in->sub, false, false, p, found ? n : 0);
	}
	default:
		return false;
	}
}

static bool op_vclass(ev_t *ev, const class_insn_t *in)
{
	uint32_t ent = 0;
	const uint8_t *p = NULL;
	size_t n = 0;
	bool found = false;

	if (!ev_vclass_get(ev->ctx->pkt, &ent, in->b, &p, &n, &found) || (in->a != 0 && in->a != ent)) {
		return ev_push_option(ev, in->rep, false, 0, false, false, NULL, 0);
	}
	switch (in->mode) {
	case CLASS_VF_ENTERPRISE:
		return push_u32(ev, ent);
	case CLASS_VF_EXISTS:
		return push_bool(ev, true);
	case CLASS_VF_DATA:
		return found ? push_view(ev, p, n) : push_view(ev, s_empty, 0);
	default:
		return false;
	}
}

static bool step(ev_t *ev, const class_expr_t *e, const class_insn_t *in)
{
	const pkt4_t *pkt = ev->ctx->pkt;
	const uint8_t *p = NULL;
	size_t n = 0;
	val_t v[3];
	uint8_t *mark;
	bool b1, b2;

	switch ((class_op_t)in->op) {
	case CLASS_OP_LIT:
		return push_view(ev, e->pool + in->a, in->b);
	case CLASS_OP_TRUE:
		return push_bool(ev, true);
	case CLASS_OP_OPTION: {
		bool found = ev_opt_get(pkt, (uint8_t)in->code, &p, &n);
		return ev_push_option(ev, in->rep, found, (uint8_t)in->code,
		                      class_opt_is_string((uint8_t)in->code), true, p, n);
	}
	case CLASS_OP_SUBOPTION:
	case CLASS_OP_RELAY4: {
		uint8_t code = in->op == CLASS_OP_RELAY4 ? DHO_DHCP_AGENT_OPTIONS : (uint8_t)in->code;
		const uint8_t *sp = NULL;
		size_t sn = 0;
		bool found = ev_opt_get(pkt, code, &p, &n) &&
		             ev_tlv_find(p, n, (uint8_t)in->sub, &sp, &sn);
		/* RFC 3046 §2.0 sub-option 6 (subscriber-id) is a string in
		 * Kea's dhcp-agent-options-space. */
		bool is_string = code == DHO_DHCP_AGENT_OPTIONS && in->sub == 6;
		if (found && is_string) {
			while (sn > 0 && sp[sn - 1] == 0) {
				sn--;
			}
		}
		return ev_push_option(ev, in->rep, found, (uint8_t)in->sub, is_string, false,
		                      found ? sp : NULL, found ? sn : 0);
	}
	case CLASS_OP_PKT:
		return op_pkt(ev, in->mode);
	case CLASS_OP_PKT4:
		return op_pkt4(ev, in->mode);
	case CLASS_OP_VENDOR:
		return op_vendor(ev, in);
	case CLASS_OP_VCLASS:
		return op_vclass(ev, in);
	case CLASS_OP_MEMBER:
		return push_bool(ev, ev->ctx->classes != NULL &&
		                             class_set_has(ev->ctx->classes, (int)(int32_t)in->a));
	case CLASS_OP_EQUAL:
		mark = pop(ev, 2, v);
		ev->top = mark;
		return push_bool(ev, v[0].len == v[1].len && memcmp(v[0].p, v[1].p, v[0].len) == 0);
	case CLASS_OP_AND:
	case CLASS_OP_OR:
		mark = pop(ev, 2, v);
		ev->top = mark;
		if (!to_bool(&v[0], &b1) || !to_bool(&v[1], &b2)) {
			return false;
		}
		return push_bool(ev, in->op == CLASS_OP_AND ? (b1 && b2) : (b1 || b2));
	case CLASS_OP_NOT:
		mark = pop(ev, 1, v);
		ev->top = mark;
		if (!to_bool(&v[0], &b1)) {
			return false;
		}
		return push_bool(ev, !b1);
	case CLASS_OP_CONCAT:
		return ev_op_concat(ev);
	case CLASS_OP_IFELSE:
		mark = pop(ev, 3, v);
		if (!to_bool(&v[0], &b1)) {
			return false;
		}
		return b1 ? push_result(ev, mark, v[1].p, v[1].len)
		          : push_result(ev, mark, v[2].p, v[2].len);
	case CLASS_OP_TOHEX:
		return ev_op_tohex(ev);
	case CLASS_OP_SUBSTRING:
		return ev_op_substring(ev, in);
	case CLASS_OP_SPLIT:
		return ev_op_split(ev, in);
	case CLASS_OP_ADDRTOTEXT:
		return ev_op_addr_to_text(ev);
	case CLASS_OP_INT8TOTEXT:
	case CLASS_OP_INT16TOTEXT:
	case CLASS_OP_INT32TOTEXT:
	case CLASS_OP_UINT8TOTEXT:
	case CLASS_OP_UINT16TOTEXT:
	case CLASS_OP_UINT32TOTEXT:
		return ev_op_int_to_text(ev, (class_op_t)in->op);
	case CLASS_OP_LCASE:
		return ev_op_case(ev, false);
	case CLASS_OP_UCASE:
		return ev_op_case(ev, true);
	default:
		return false;
	}
}

bool class_expr_eval(const class_expr_t *e, const class_eval_ctx_t *ctx)
{
	if (e == NULL || ctx == NULL || ctx->pkt == NULL || ctx->scratch == NULL) {
		return false;
	}

	/* Value descriptors first (aligned), computed bytes after them. */
	uintptr_t base = (uintptr_t)ctx->scratch;
	uintptr_t aligned = (base + alignof(val_t) - 1) & ~(uintptr_t)(alignof(val_t) - 1);
	size_t stack_bytes = (size_t)e->max_depth * sizeof(val_t);

	if (aligned - base + stack_bytes > ctx->scratch_size) {
		return false;
	}

	ev_t ev = {
		.ctx = ctx,
		.st = (val_t *)(void *)aligned,
		.cap = e->max_depth,
		.heap = (uint8_t *)(aligned + stack_bytes),
		.end = ctx->scratch + ctx->scratch_size,
	};
	ev.top = ev.heap;

	for (uint32_t i = 0; i < e->n_insn; i++) {
		const class_insn_t *in = &e->insn[i];

		/* No underflow check: class_expr_compile() proved every
		 * instruction finds its operands and the program ends with one
		 * value; push_view() still bounds the stack by max_depth. */
		if (!step(&ev, e, in)) {
			return false;
		}
	}

	bool result = false;
	return ev.sp == 1 && to_bool(&ev.st[0], &result) && result;
}

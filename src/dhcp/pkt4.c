/* DHCPv4 wire codec: BOOTP header, option index (zero-copy views, RFC 3396
 * joining in the arena, RFC 2132 §9.3 overload) and the reply builder. */
#include "dhcp/pkt4.h"

#include <errno.h>
#include <string.h>

#include "dhcp/proto.h"
#include "util/macro.h"
#include "util/wire.h"

/* Offsets in the fixed BOOTP header (RFC 2131 §2, figure 1). */
enum {
	OFF_OP = 0,
	OFF_HTYPE = 1,
	OFF_HLEN = 2,
	OFF_HOPS = 3,
	OFF_XID = 4,
	OFF_SECS = 8,
	OFF_FLAGS = 10,
	OFF_CIADDR = 12,
	OFF_YIADDR = 16,
	OFF_SIADDR = 20,
	OFF_GIADDR = 24,
	OFF_CHADDR = 28,
	OFF_SNAME = 44,
	OFF_FILE = 108,
	OFF_COOKIE = 236,
	OFF_OPTIONS = 240,
};

/* Kea's splitOptions4() cuts long option data into chunks of 255 minus the
 * 2-byte header, so anything over 253 bytes becomes 253 + 253 + ... + rest
 * (kea-dhcp4 2.2 sends a 254-byte boot-file-name as 253 + 1). */
#define PKT4_SPLIT_CHUNK 253

typedef struct opt_area {
	const uint8_t *p;
	size_t len;
} opt_area_t;

/* Codes seen more than once, in first-repeat order: pass 2 visits only these. */
typedef struct opt_repeats {
	uint8_t code[256];
	unsigned n;
} opt_repeats_t;

/* Pass 1 over one option area: record the first instance of each code as a
 * view and add the lengths of later instances, which pass 2 joins; codes seen
 * twice are listed in @rep. Returns 0, or -EBADMSG if a joined length would
 * not fit the index.
 *
 * A truncated option (a code without its length byte, or a length running past
 * the area) ends the area and keeps everything before it. That is Kea 2.2's
 * LibDHCP::unpackOptions4(), which backs off to the last complete option, and
 * Pkt4::unpack() does not reject the partial parse (checked against
 * kea-dhcp4 2.2: a DISCOVER ending in a cut option 61, or in a lone code byte,
 * is answered). A missing END is accepted for the same reason. */
static int index_area(pkt4_t *pkt, opt_repeats_t *rep, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t code = p[i];

		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (code == DHO_END) {
			break;
		}
		if (n - i < 2 || p[i + 1] > n - i - 2) {
			break;
		}

		uint8_t len = p[i + 1];
		opt_view_t *v = &pkt->opts[code];

		if (v->count == 0) {
			*v = (opt_view_t){ .data = p + i + 2, .len = len, .count = 1 };
		} else {
			if ((size_t)v->len + len > UINT16_MAX) {
				return -EBADMSG;
			}
			v->len = (uint16_t)(v->len + len);
			if (v->count == 1) {
				rep->code[rep->n++] = code;
			}
			if (v->count < UINT8_MAX) {
				v->count++;
			}
		}
		i += 2 + (size_t)len;
	}
	return 0;
}

/* Pass 2, only when some code came more than once: RFC 3396 §7, the
 * instances of an option are concatenated in the order they appear, options
 * field first, then file, then sname (RFC 2131 §4.1). All joined values share
 * one arena block, so a packet costs at most one allocation however hostile. */
static int join_repeated(pkt4_t *pkt, const opt_repeats_t *rep, const opt_area_t *areas,
			 size_t n_areas)
{
	uint16_t fill[256];
	size_t total = 0;

	/* Offsets are 16-bit, as is every option's length: no UDP datagram
	 * carries more, so a larger sum can only come from a malformed input. */
	for (unsigned k = 0; k < rep->n; k++) {
		total += pkt->opts[rep->code[k]].len;
	}
	if (total > UINT16_MAX) {
		return -EBADMSG;
	}

	uint8_t *blk = arena_alloc(pkt->arena, total > 0 ? total : 1);
	if (blk == NULL) {
		return -ENOMEM;
	}
	total = 0;
	for (unsigned k = 0; k < rep->n; k++) {
		uint8_t c = rep->code[k];

		fill[c] = (uint16_t)total;
		pkt->opts[c].data = blk + total;
		total += pkt->opts[c].len;
	}

	/* The same walk as pass 1, which already proved every step in bounds. */
	for (size_t a = 0; a < n_areas; a++) {
		const uint8_t *p = areas[a].p;
		size_t n = areas[a].len;
		size_t i = 0;

		while (i < n) {
			uint8_t code = p[i];

			if (code == DHO_PAD) {
				i++;
				continue;
			}
			if (code == DHO_END || n - i < 2 || p[i + 1] > n - i - 2) {
				break;
			}

			uint8_t len = p[i + 1];
			if (pkt->opts[code].count > 1 && len > 0) {
				memcpy(blk + fill[code], p + i + 2, len);
				fill[code] = (uint16_t)(fill[code] + len);
			}
			i += 2 + (size_t)len;
		}
	}
	return 0;
}

/* RFC 2132 §9.3: option 52 in the options field says whether file and/or
 * sname carry options too. A value other than 1..3, or a malformed option,
 * is ignored and the fields keep their BOOTP meaning. */
static uint8_t overload_value(const pkt4_t *pkt)
{
	const opt_view_t *v = &pkt->opts[DHO_DHCP_OPTION_OVERLOAD];

	if (v->count != 1 || v->len != 1) {
		return 0;
	}
	if (v->data[0] < OVERLOAD_FILE || v->data[0] > OVERLOAD_BOTH) {
		return 0;
	}
	return v->data[0];
}

/* The same areas and the same TLV walk as pkt4_parse(), which already proved
 * every step in bounds (a truncated tail ends an area there, too). */
int pkt4_opt_each(const pkt4_t *pkt, uint8_t code, pkt4_opt_fn fn, void *userdata)
{
	opt_area_t areas[3];
	size_t n_areas = 0;

	if (pkt->raw_len > OFF_OPTIONS) {
		areas[n_areas++] = (opt_area_t){ .p = pkt->raw + OFF_OPTIONS,
		                                 .len = pkt->raw_len - OFF_OPTIONS };
	}
	if (pkt->overload & OVERLOAD_FILE) {
		areas[n_areas++] = (opt_area_t){ .p = pkt->file, .len = DHCP_FILE_LEN };
	}
	if (pkt->overload & OVERLOAD_SNAME) {
		areas[n_areas++] = (opt_area_t){ .p = pkt->sname, .len = DHCP_SNAME_LEN };
	}
	for (size_t a = 0; a < n_areas; a++) {
		const uint8_t *p = areas[a].p;
		size_t n = areas[a].len, i = 0;

		while (i < n && p[i] != DHO_END) {
			if (p[i] == DHO_PAD) {
				i++;
				continue;
			}
			if (n - i < 2 || p[i + 1] > n - i - 2) {
				break;
			}
			if (p[i] == code) {
				int r = fn(p + i + 2, p[i + 1], userdata);
				if (r < 0) {
					return r;
				}
			}
			i += 2 + (size_t)p[i + 1];
		}
	}
	return 0;
}

int pkt4_parse(pkt4_t *pkt, arena_t *arena, const uint8_t *buf, size_t len)
{
	wire_t w = wire_init(buf, len);
	opt_area_t areas[3];
	size_t n_areas = 0;
	opt_repeats_t rep;
	int r;

	memset(pkt, 0, sizeof(*pkt));
	pkt->arena = arena;
	pkt->raw = buf;
	pkt->raw_len = len;

	pkt->op = wire_read_u8(&w);
	pkt->htype = wire_read_u8(&w);
	pkt->hlen = wire_read_u8(&w);
	pkt->hops = wire_read_u8(&w);
	pkt->xid = wire_read_u32(&w);
	pkt->secs = wire_read_u16(&w);
	pkt->flags = wire_read_u16(&w);
	pkt->ciaddr = wire_read_u32(&w); /* host byte order from here on */
	pkt->yiaddr = wire_read_u32(&w);
	pkt->siaddr = wire_read_u32(&w);
	pkt->giaddr = wire_read_u32(&w);
	wire_read(&w, pkt->chaddr, sizeof(pkt->chaddr));
	pkt->sname = wire_view(&w, DHCP_SNAME_LEN);
	pkt->file = wire_view(&w, DHCP_FILE_LEN);
	uint32_t cookie = wire_read_u32(&w);

	/* One check for the whole fixed part. Kea 2.2 drops a packet shorter
	 * than the header plus cookie ("Received BOOTP packet without vendor
	 * information extensions", "Truncated or no DHCP packet") and one
	 * whose cookie is wrong (RFC 2131 §3). hlen > 16 is not checked here:
	 * Kea keeps such a packet and the reply builder answers it with hlen
	 * 16 and a zero chaddr. */
	if (w.err != 0) {
		return w.err;
	}
	if (cookie != DHCP_MAGIC_COOKIE) {
		return -EBADMSG;
	}

	rep.n = 0;
	areas[n_areas++] = (opt_area_t){ .p = w.pos, .len = wire_left(&w) };
	r = index_area(pkt, &rep, w.pos, wire_left(&w));
	if (r < 0) {
		return r;
	}

	/* RFC 2131 §4.1 / RFC 2132 §9.3: after the options field, interpret
	 * 'file' and then 'sname' if option 52 says they hold options.
	 * Deliberate difference: kea-dhcp4 2.2 ignores option 52 on input (a
	 * DISCOVER with option 53 only in 'file' gets no answer from it). */
	pkt->overload = overload_value(pkt);
	if (pkt->overload & OVERLOAD_FILE) {
		areas[n_areas++] = (opt_area_t){ .p = pkt->file, .len = DHCP_FILE_LEN };
		r = index_area(pkt, &rep, pkt->file, DHCP_FILE_LEN);
		if (r < 0) {
			return r;
		}
	}
	if (pkt->overload & OVERLOAD_SNAME) {
		areas[n_areas++] = (opt_area_t){ .p = pkt->sname, .len = DHCP_SNAME_LEN };
		r = index_area(pkt, &rep, pkt->sname, DHCP_SNAME_LEN);
		if (r < 0) {
			return r;
		}
	}

	if (rep.n > 0) {
		r = join_repeated(pkt, &rep, areas, n_areas);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

int pkt4_msg_type(const pkt4_t *pkt)
{
	const opt_view_t *v = &pkt->opts[DHO_DHCP_MESSAGE_TYPE];

	/* Kea drops a packet with option 53 twice, even with the same value;
	 * bytes past the first are ignored (Kea 2.2 answers "53 02 01 01"). */
	if (v->count != 1 || v->len == 0) {
		return 0;
	}
	return v->data[0];
}

/* ---- building replies ---- */

static bool out_room(pkt4_out_t *o, size_t n)
{
	if (o->err != 0) {
		return false;
	}
	if (n > o->cap - o->len) {
		o->err = -EMSGSIZE;
		return false;
	}
	return true;
}

void pkt4_out_init(pkt4_out_t *o, uint8_t *buf, size_t cap, const pkt4_t *query)
{
	*o = (pkt4_out_t){ .buf = buf, .cap = cap, .len = 0, .err = 0 };

	if (cap < OFF_OPTIONS) {
		o->err = -EMSGSIZE;
		return;
	}
	memset(buf, 0, OFF_OPTIONS);

	buf[OFF_OP] = BOOTREPLY;
	buf[OFF_HTYPE] = query->htype;
	buf[OFF_HOPS] = query->hops;
	be32_store(buf + OFF_XID, query->xid);
	be16_store(buf + OFF_FLAGS, query->flags);
	be32_store(buf + OFF_GIADDR, query->giaddr);

	/* Kea keeps hlen bytes of chaddr and zero-fills the rest of the field;
	 * an hlen over 16 cannot be represented and goes out as hlen 16 with
	 * an all-zero chaddr (Pkt4::pack). */
	if (query->hlen <= DHCP_CHADDR_LEN) {
		buf[OFF_HLEN] = query->hlen;
		memcpy(buf + OFF_CHADDR, query->chaddr, query->hlen);
	} else {
		buf[OFF_HLEN] = DHCP_CHADDR_LEN;
	}

	be32_store(buf + OFF_COOKIE, DHCP_MAGIC_COOKIE);
	o->len = OFF_OPTIONS;
}

static void out_set_addr(pkt4_out_t *o, size_t off, uint32_t addr)
{
	if (o->err == 0) {
		be32_store(o->buf + off, addr);
	}
}

void pkt4_out_set_ciaddr(pkt4_out_t *o, uint32_t addr)
{
	out_set_addr(o, OFF_CIADDR, addr);
}

void pkt4_out_set_yiaddr(pkt4_out_t *o, uint32_t addr)
{
	out_set_addr(o, OFF_YIADDR, addr);
}

void pkt4_out_set_siaddr(pkt4_out_t *o, uint32_t addr)
{
	out_set_addr(o, OFF_SIADDR, addr);
}

static void out_set_field(pkt4_out_t *o, size_t off, size_t field_len, const char *s, size_t len)
{
	if (o->err != 0) {
		return;
	}
	if (len > field_len) {
		len = field_len;
	}
	if (len > 0) {
		memcpy(o->buf + off, s, len);
	}
	memset(o->buf + off + len, 0, field_len - len);
}

void pkt4_out_set_sname(pkt4_out_t *o, const char *s, size_t len)
{
	out_set_field(o, OFF_SNAME, DHCP_SNAME_LEN, s, len);
}

void pkt4_out_set_file(pkt4_out_t *o, const char *s, size_t len)
{
	out_set_field(o, OFF_FILE, DHCP_FILE_LEN, s, len);
}

void pkt4_out_opt(pkt4_out_t *o, uint8_t code, const void *data, size_t len)
{
	const uint8_t *src = data;

	/* PAD and END are one byte with no length (RFC 2132 §3.1, §3.2). */
	if (code == DHO_PAD || code == DHO_END) {
		if (out_room(o, 1)) {
			o->buf[o->len++] = code;
		}
		return;
	}

	/* RFC 3396 §7: an option too long for one instance is sent as several
	 * instances of the same code, in order. Kea cuts at 253 data bytes. */
	if (len <= PKT4_SPLIT_CHUNK) {
		if (!out_room(o, 2 + len)) {
			return;
		}
		o->buf[o->len] = code;
		o->buf[o->len + 1] = (uint8_t)len;
		if (len > 0) {
			memcpy(o->buf + o->len + 2, src, len);
		}
		o->len += 2 + len;
		return;
	}

	size_t chunks = (len + PKT4_SPLIT_CHUNK - 1) / PKT4_SPLIT_CHUNK;
	if (!out_room(o, len + 2 * chunks)) {
		return;
	}
	for (size_t off = 0; off < len; off += PKT4_SPLIT_CHUNK) {
		size_t n = MIN(len - off, (size_t)PKT4_SPLIT_CHUNK);

		o->buf[o->len] = code;
		o->buf[o->len + 1] = (uint8_t)n;
		memcpy(o->buf + o->len + 2, src + off, n);
		o->len += 2 + n;
	}
}

int pkt4_out_finish(pkt4_out_t *o)
{
	if (out_room(o, 1)) {
		o->buf[o->len++] = DHO_END;
	}
	if (o->err != 0) {
		return o->err;
	}
	return (int)o->len;
}

/* Domain names, read and printed as Kea 2.2's isc::dns::Name does (its
 * stringParse state machine and LabelSequence::toText), because option 81
 * and option 12 answers must match Kea's byte for byte. Every input byte is
 * hostile: each write into @wire is bounded by DNSNAME_WIRE_MAX. */
#include <errno.h>

#include "dhcp/dnsname.h"

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

typedef struct text_parse {
	uint8_t *wire;
	size_t n;   /* wire bytes written */
	size_t lab; /* offset of the current label's length byte */
	unsigned chars;
	int labels; /* complete labels, root excluded */
} text_parse_t;

/* One label byte; the name must leave room for the terminating zero. */
static int put_char(text_parse_t *t, uint8_t c)
{
	if (++t->chars > DNSNAME_LABEL_MAX || t->n >= DNSNAME_WIRE_MAX - 1) {
		return -EBADMSG;
	}
	t->wire[t->n++] = lower(c);
	return 0;
}

static int end_label(text_parse_t *t)
{
	t->wire[t->lab] = (uint8_t)t->chars;
	t->labels++;
	return 0;
}

int dnsname_from_text(const char *s, size_t len, uint8_t wire[DNSNAME_WIRE_MAX], size_t *ret_len)
{
	enum { ST_START, ST_ORD, ST_ESC, ST_DEC } st = ST_START;
	text_parse_t t = {.wire = wire};
	unsigned digits = 0, value = 0;

	if (len == 0) {
		return -EBADMSG; /* Kea: IncompleteName */
	}
	if (s[0] == '.') {
		if (len != 1) {
			return -EBADMSG; /* EmptyLabel */
		}
		wire[0] = 0;
		*ret_len = 1;
		return 1;
	}
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];

		switch (st) {
		case ST_START:
			if (c == '.' || t.n >= DNSNAME_WIRE_MAX - 1) {
				return -EBADMSG;
			}
			t.lab = t.n++;
			t.chars = 0;
			if (c == '\\') {
				/* "\[" opened an RFC 2673 bitstring label: refused. */
				if (i + 1 < len && s[i + 1] == '[') {
					return -EBADMSG;
				}
				st = ST_ESC;
				break;
			}
			st = ST_ORD;
			if (put_char(&t, c) < 0) {
				return -EBADMSG;
			}
			break;
		case ST_ORD:
			if (c == '.') {
				end_label(&t);
				if (i + 1 == len) {
					wire[t.n++] = 0;
					*ret_len = t.n;
					return t.labels + 1;
				}
				st = ST_START;
			} else if (c == '\\') {
				st = ST_ESC;
			} else if (put_char(&t, c) < 0) {
				return -EBADMSG;
			}
			break;
		case ST_ESC:
			if (!is_digit(c)) {
				if (put_char(&t, c) < 0) {
					return -EBADMSG;
				}
				st = ST_ORD;
				break;
			}
			digits = 1;
			value = c - '0';
			st = ST_DEC;
			break;
		case ST_DEC:
			if (!is_digit(c)) {
				return -EBADMSG; /* BadEscape */
			}
			value = value * 10 + (c - '0');
			if (++digits == 3) {
				if (value > 255 || put_char(&t, (uint8_t)value) < 0) {
					return -EBADMSG;
				}
				st = ST_ORD;
			}
			break;
		}
	}
	if (st != ST_ORD) {
		return -EBADMSG; /* IncompleteName: ends inside an escape */
	}
	end_label(&t);
	wire[t.n++] = 0;
	*ret_len = t.n;
	return t.labels + 1;
}

int dnsname_from_wire(const uint8_t *p, size_t len, uint8_t wire[DNSNAME_WIRE_MAX], size_t *ret_len)
{
	size_t i = 0, n = 0;
	int labels = 0;

	for (;;) {
		if (i >= len) {
			return -EBADMSG; /* InvalidBufferPosition */
		}
		uint8_t c = p[i++];

		if (c == 0) {
			wire[n++] = 0;
			*ret_len = n;
			return labels + 1;
		}
		/* Kea: a compression pointer must point before the name, which
		 * here starts the buffer; 0x40 / 0x80 are unknown label types. */
		if (c > DNSNAME_LABEL_MAX || len - i < c || n + 1 + c + 1 > DNSNAME_WIRE_MAX) {
			return -EBADMSG;
		}
		wire[n++] = c;
		for (unsigned k = 0; k < c; k++) {
			wire[n++] = lower(p[i++]);
		}
		labels++;
	}
}

static bool is_special(uint8_t c)
{
	return c == '"' || c == '(' || c == ')' || c == '.' || c == ';' || c == '\\' || c == '@' ||
	       c == '$';
}

/* Both printers: walk the labels, '.' between them and (unless omitted) after
 * the last; the root name alone prints as ".". */
static size_t print(const uint8_t *wire, bool omit_final_dot, bool escape, char *out)
{
	size_t o = 0, i = 0;

	for (;;) {
		uint8_t count = wire[i++];

		if (count == 0) {
			if (!omit_final_dot || o == 0) {
				out[o++] = '.';
			}
			break;
		}
		if (o > 0) {
			out[o++] = '.';
		}
		for (unsigned k = 0; k < count; k++) {
			uint8_t c = wire[i++];

			if (!escape) {
				out[o++] = (char)c;
			} else if (is_special(c)) {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c > 0x20 && c < 0x7f) {
				out[o++] = (char)c;
			} else {
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + c / 10 % 10);
				out[o++] = (char)('0' + c % 10);
			}
		}
	}
	out[o] = '\0';
	return o;
}

size_t dnsname_to_text(const uint8_t *wire, bool omit_final_dot, char *out)
{
	return print(wire, omit_final_dot, true, out);
}

size_t dnsname_to_raw(const uint8_t *wire, bool omit_final_dot, char *out)
{
	return print(wire, omit_final_dot, false, out);
}

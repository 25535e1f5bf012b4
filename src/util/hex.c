#include "util/hex.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

char *hex_fmt(const uint8_t *data, size_t len, char sep, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	char *p = buf;

	for (size_t i = 0; i < len; i++) {
		if (i > 0 && sep != 0) {
			*p++ = sep;
		}
		*p++ = digits[data[i] >> 4];
		*p++ = digits[data[i] & 0xf];
	}
	*p = '\0';
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

/* Separated form: groups of one or two digits between separators. */
static int parse_separated(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s != '\0') {
		int hi = hexval(s[0]);
		if (hi < 0) {
			return -EINVAL;
		}
		int v = hi;
		s++;
		if (*s != '\0' && hexval(*s) >= 0) {
			v = hi * 16 + hexval(*s);
			s++;
		}
		if (n >= cap) {
			return -ENOSPC;
		}
		out[n++] = (uint8_t)v;
		if (*s == '\0') {
			break;
		}
		if (*s != ':' && *s != ' ' && *s != '-') {
			return -EINVAL;
		}
		s++;
		if (*s == '\0') {
			return -EINVAL;
		}
	}
	return (int)n;
}

int hex_parse(const char *s, uint8_t *out, size_t cap)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	if (strpbrk(s, ": -") != NULL) {
		return parse_separated(s, out, cap);
	}

	size_t len = strlen(s);
	size_t n = (len + 1) / 2;
	if (n > cap) {
		return -ENOSPC;
	}
	/* An odd run gets a leading zero nibble, as Kea does. */
	size_t i = 0;
	size_t o = 0;
	if (len % 2 == 1) {
		int v = hexval(s[0]);
		if (v < 0) {
			return -EINVAL;
		}
		out[o++] = (uint8_t)v;
		i = 1;
	}
	for (; i < len; i += 2) {
		int hi = hexval(s[i]);
		int lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0) {
			return -EINVAL;
		}
		out[o++] = (uint8_t)(hi * 16 + lo);
	}
	return (int)o;
}

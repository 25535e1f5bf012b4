#include "util/inaddr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int inaddr_parse(const char *s, uint32_t *ret)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9') {
			return -EINVAL;
		}
		unsigned part = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9') {
			part = part * 10 + (unsigned)(*s - '0');
			s++;
			if (++digits > 3 || part > 255) {
				return -EINVAL;
			}
		}
		v = (v << 8) | part;
		if (i < 3) {
			if (*s != '.') {
				return -EINVAL;
			}
			s++;
		}
	}
	if (*s != '\0') {
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

int inaddr_prefix_parse(const char *s, uint32_t *ret_net, uint8_t *ret_plen)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	uint32_t addr;
	char *end;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf)) {
		return -EINVAL;
	}
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (inaddr_parse(buf, &addr) < 0) {
		return -EINVAL;
	}
	if (slash[1] < '0' || slash[1] > '9') {
		return -EINVAL;
	}
	long plen = strtol(slash + 1, &end, 10);
	if (*end != '\0' || plen < 0 || plen > 32) {
		return -EINVAL;
	}
	/* Kea accepts host bits in "subnet" (e.g. 127.0.0.1/24) and masks them. */
	*ret_net = addr & inaddr_mask((uint8_t)plen);
	*ret_plen = (uint8_t)plen;
	return 0;
}

const char *inaddr_fmt(uint32_t a, char *buf)
{
	snprintf(buf, INADDR_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* Kea-compatible lease file rows: header, escaping, formatting and parsing
 * of one CSV row (csv_lease_file4.cc). */
#include "lease/lfile-int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/hex.h"
#include "util/inaddr.h"

#define HDR_COLS_MAX 64                 /* a longer header is not a lease file */
#define HTYPE_ETHER 1

static const char header24[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
                               "fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id";
static const char *const col_names[LFILE_COLS_KEA24] = {
	"address", "hwaddr", "client_id", "valid_lifetime", "expire", "subnet_id",
	"fqdn_fwd", "fqdn_rev", "hostname", "state", "user_context", "pool_id",
};
_Static_assert(sizeof(header24) - 1 <= LFILE_HEADER_MAX, "LFILE_HEADER_MAX too small");

const char *lfile_header(unsigned ncols)
{
	/* Every shorter header is a prefix of the longest one. */
	static const char h9[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                         "fqdn_fwd,fqdn_rev,hostname";
	static const char h10[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                          "fqdn_fwd,fqdn_rev,hostname,state";
	static const char h11[] = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	                          "fqdn_fwd,fqdn_rev,hostname,state,user_context";

	switch (ncols) {
	case 9:
		return h9;
	case 10:
		return h10;
	case 11:
		return h11;
	default:
		return header24;
	}
}

/* ---- escaping -------------------------------------------------------- */

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == ',' || c == '&';
}

int lfile_escape(const char *s, char *buf, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (needs_escape(c)) {
			if (n + 5 >= cap) {
				return -ENOSPC;
			}
			memcpy(buf + n, "&#x", 3);
			buf[n + 3] = digits[c >> 4];
			buf[n + 4] = digits[c & 0xf];
			n += 5;
		} else {
			if (n + 1 >= cap) {
				return -ENOSPC;
			}
			buf[n++] = (char)c;
		}
	}
	if (cap == 0) {
		return -ENOSPC;
	}
	buf[n] = '\0';
	return (int)n;
}

static int hexdig(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int lfile_unescape(const char *s, size_t len, char *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		char c = s[i];

		/* CSVRow::unescapeCharacters: "&#x" + two hex digits is one byte. */
		if (c == '&' && i + 5 <= len && s[i + 1] == '#' && s[i + 2] == 'x' &&
		    hexdig(s[i + 3]) >= 0 && hexdig(s[i + 4]) >= 0) {
			c = (char)(hexdig(s[i + 3]) * 16 + hexdig(s[i + 4]));
			i += 5;
		} else {
			i++;
		}
		if (n + 1 >= cap) {
			return -ENOSPC;
		}
		buf[n++] = c;
	}
	if (cap == 0) {
		return -ENOSPC;
	}
	buf[n] = '\0';
	return (int)n;
}

/* ---- rows ------------------------------------------------------------ */

int lfile_row_format(const lease4_t *l, bool deleted, unsigned ncols, char *buf, size_t cap)
{
	char addr[INADDR_STRLEN];
	char hw[3 * DHCP_HWADDR_MAX + 1];
	char cid[3 * DHCP_OPT_LEN_MAX + 1];
	char host[5 * DHCP_HOSTNAME_MAX + 1];
	char uctx[5 * LEASE_UCTX_MAX + 1];
	uint32_t valid = deleted ? 0 : l->valid_lft;
	int r;

	assert_return(ncols == LFILE_COLS_KEA22 || ncols == LFILE_COLS_KEA24, -EINVAL);
	hex_fmt(l->hwaddr, MIN(l->hwaddr_len, DHCP_HWADDR_MAX), ':', hw);
	hex_fmt(l->client_id, l->client_id_len, ':', cid);
	r = lfile_escape(l->hostname, host, sizeof(host));
	if (r < 0) {
		return r;
	}
	r = lfile_escape(l->user_context, uctx, sizeof(uctx));
	if (r < 0) {
		return r;
	}

	/* Kea writes expire = cltt + valid_lft (the delete marker: cltt + 0). */
	r = snprintf(buf, cap, "%s,%s,%s,%" PRIu32 ",%" PRId64 ",%" PRIu32 ",%d,%d,%s,%d,%s",
	             inaddr_fmt(l->addr, addr), hw, cid, valid, l->cltt + (int64_t)valid,
	             l->subnet_id, l->fqdn_fwd ? 1 : 0, l->fqdn_rev ? 1 : 0, host,
	             (int)l->state, uctx);
	if (r < 0 || (size_t)r >= cap) {
		return -ENOSPC;
	}
	size_t n = (size_t)r;
	if (ncols == LFILE_COLS_KEA24) {
		r = snprintf(buf + n, cap - n, ",%" PRIu32, l->pool_id);
		if (r < 0 || (size_t)r >= cap - n) {
			return -ENOSPC;
		}
		n += (size_t)r;
	}
	if (n + 2 > cap) {
		return -ENOSPC;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return (int)n;
}

typedef struct field {
	const char *p;
	size_t len;
} field_t;

static int parse_u64(const field_t *f, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (f->len == 0 || f->len > 20) {
		return -EINVAL;
	}
	for (size_t i = 0; i < f->len; i++) {
		char c = f->p[i];
		if (c < '0' || c > '9') {
			return -EINVAL;
		}
		unsigned d = (unsigned)(c - '0');
		if (v > (UINT64_MAX - d) / 10) {
			return -ERANGE;
		}
		v = v * 10 + d;
	}
	if (v > max) {
		return -ERANGE;
	}
	*ret = v;
	return 0;
}

/* Copy a field into a NUL-terminated buffer; -ENOSPC if it does not fit. */
static int field_str(const field_t *f, char *buf, size_t cap)
{
	if (f->len >= cap || memchr(f->p, '\0', f->len) != NULL) {
		return -ENOSPC;
	}
	memcpy(buf, f->p, f->len);
	buf[f->len] = '\0';
	return 0;
}

int lfile_row_parse(const char *line, size_t len, unsigned hdr_cols, lease4_t *ret,
                    const char **reterr_why)
{
	field_t f[LFILE_COLS_KEA24] = { 0 };
	unsigned lo = MIN(hdr_cols, (unsigned)LFILE_COLS_KEA24);
	unsigned hi = MAX(hdr_cols, (unsigned)LFILE_COLS_KEA24);
	unsigned n = 0;
	size_t start = 0;
	char tmp[3 * DHCP_OPT_LEN_MAX + 2];
	uint64_t v;
	lease4_t l;

	lo = MAX(lo, (unsigned)LFILE_COLS_MIN);
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ',') {
			if (n < LFILE_COLS_KEA24) {
				f[n] = (field_t){ .p = line + start, .len = i - start };
			}
			n++;
			start = i + 1;
			if (n > hi) {
				break;
			}
		}
	}
	if (n < lo) {
		*reterr_why = "too few columns";
		return -EBADMSG;
	}
	if (n > hi) {
		*reterr_why = "too many columns";
		return -EBADMSG;
	}

	memset(&l, 0, sizeof(l));
	if (field_str(&f[0], tmp, sizeof(tmp)) < 0 || inaddr_parse(tmp, &l.addr) < 0) {
		*reterr_why = "invalid address";
		return -EBADMSG;
	}
	if (f[1].len > 0) {
		int r = field_str(&f[1], tmp, sizeof(tmp)) < 0 ? -EINVAL
		                                                : hex_parse(tmp, l.hwaddr, DHCP_HWADDR_MAX);
		if (r < 0) {
			*reterr_why = "invalid hwaddr";
			return -EBADMSG;
		}
		l.hwaddr_len = (uint8_t)r;
	}
	l.htype = HTYPE_ETHER;
	if (f[2].len > 0) {
		int r = field_str(&f[2], tmp, sizeof(tmp)) < 0 ? -EINVAL
		                                                : hex_parse(tmp, l.client_id, DHCP_OPT_LEN_MAX);
		if (r <= 0) {
			*reterr_why = "invalid client_id";
			return -EBADMSG;
		}
		l.client_id_len = (uint8_t)r;
	}
	if (parse_u64(&f[3], UINT32_MAX, &v) < 0) {
		*reterr_why = "invalid valid_lifetime";
		return -EBADMSG;
	}
	l.valid_lft = (uint32_t)v;
	if (parse_u64(&f[4], INT64_MAX, &v) < 0 || v < l.valid_lft) {
		*reterr_why = "invalid expire";
		return -EBADMSG;
	}
	l.cltt = (int64_t)(v - l.valid_lft);
	if (parse_u64(&f[5], UINT32_MAX, &v) < 0) {
		*reterr_why = "invalid subnet_id";
		return -EBADMSG;
	}
	l.subnet_id = (uint32_t)v;
	if (parse_u64(&f[6], 1, &v) < 0) {
		*reterr_why = "invalid fqdn_fwd";
		return -EBADMSG;
	}
	l.fqdn_fwd = v != 0;
	if (parse_u64(&f[7], 1, &v) < 0) {
		*reterr_why = "invalid fqdn_rev";
		return -EBADMSG;
	}
	l.fqdn_rev = v != 0;
	if (lfile_unescape(f[8].p, f[8].len, l.hostname, sizeof(l.hostname)) < 0) {
		*reterr_why = "hostname too long";
		return -EBADMSG;
	}
	l.state = LEASE_STATE_DEFAULT;
	if (n > 9) {
		if (parse_u64(&f[9], _LEASE_STATE_MAX - 1, &v) < 0) {
			*reterr_why = "invalid state";
			return -EBADMSG;
		}
		l.state = (lease_state_t)v;
	}
	if (n > 10 && f[10].len > 0) {
		if (lfile_unescape(f[10].p, f[10].len, l.user_context, sizeof(l.user_context)) < 0) {
			*reterr_why = "user_context too long";
			return -EBADMSG;
		}
		/* Kea requires a JSON map here (Element::fromJSON + map check). */
		const char *p = l.user_context;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (*p != '{') {
			*reterr_why = "user_context is not a JSON map";
			return -EBADMSG;
		}
	}
	if (n > 11) {
		if (parse_u64(&f[11], UINT32_MAX, &v) < 0) {
			*reterr_why = "invalid pool_id";
			return -EBADMSG;
		}
		l.pool_id = (uint32_t)v;
	}
	/* CSVLeaseFile4::next: "A blank hardware address is only valid for
	 * declined leases". */
	if (l.hwaddr_len == 0 && l.state != LEASE_STATE_DECLINED) {
		*reterr_why = "blank hwaddr in a lease that is not declined";
		return -EBADMSG;
	}
	*ret = l;
	return 0;
}

/* Count header columns and check the names Kea would check
 * (VersionedCSVFile::validateHeader). Returns the count or -EBADMSG. */
int lfile_header_cols(const char *line, size_t len)
{
	unsigned n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ',') {
			if (n < LFILE_COLS_KEA24) {
				const char *want = col_names[n];
				if (strlen(want) != i - start || memcmp(want, line + start, i - start) != 0) {
					return -EBADMSG;
				}
			}
			n++;
			start = i + 1;
			if (n > HDR_COLS_MAX) {
				return -EBADMSG;
			}
		}
	}
	if (n < LFILE_COLS_MIN) {
		return -EBADMSG;
	}
	return (int)n;
}

/* A first line cut short while the header was being written. */
bool lfile_header_torn(const char *line, size_t len)
{
	return len < sizeof(header24) - 1 && memcmp(line, header24, len) == 0;
}

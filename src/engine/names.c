/* Client names as Kea 2.2 answers them with DDNS disabled. Each step names
 * the Kea function it mirrors; the observed replies are pinned by
 * tests/system/test_differential.py group "names" (run against Kea 2.2). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/names.h"
#include "dhcp/proto.h"

#define TEXT_MAX DNSNAME_TEXT_MAX

/* isc::util::str::trim() whitespace. */
static bool is_space(char c)
{
	return c == ' ' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t';
}

static void trim(const char **p, size_t *len)
{
	while (*len > 0 && is_space((*p)[0])) {
		(*p)++, (*len)--;
	}
	while (*len > 0 && is_space((*p)[*len - 1])) {
		(*len)--;
	}
}

static void lower(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z') {
			s[i] = (char)(s[i] - 'A' + 'a');
		}
	}
}

static bool append(char *out, size_t *o, const char *p, size_t n)
{
	if (TEXT_MAX - 1 - *o < n) {
		return false;
	}
	memcpy(out + *o, p, n);
	*o += n;
	out[*o] = '\0';
	return true;
}

/* qualifyName() skips a suffix the name already ends with, label-aligned
 * ("x.sub.example" keeps its "sub.example", "xsub.example" does not). */
static bool suffix_present(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	if (m > 0 && suf[m - 1] == '.') {
		m--;
	}
	if (n == 0) {
		return false;
	}
	if (s[n - 1] == '.') {
		n--;
	}
	if (m > n || memcmp(s + n - m, suf, m) != 0) {
		return false;
	}
	return n == m || s[n - m - 1] == '.';
}

/* D2ClientMgr::qualifyName(): append the qualifying suffix unless present,
 * then add or drop one trailing dot. Length into @out, or -1 if too long. */
static int qualify(const char *in, size_t n, const cfg_names_t *cfg, bool trailing_dot, char *out)
{
	size_t o = 0;

	if (!append(out, &o, in, n)) {
		return -1;
	}
	if (cfg->suffix[0] != '\0' && !suffix_present(out, o, cfg->suffix)) {
		if ((o > 0 && out[o - 1] != '.' && !append(out, &o, ".", 1)) ||
		    !append(out, &o, cfg->suffix, strlen(cfg->suffix))) {
			return -1;
		}
	}
	if (trailing_dot && o > 0 && out[o - 1] != '.') {
		if (!append(out, &o, ".", 1)) {
			return -1;
		}
	} else if (!trailing_dot && o > 0 && out[o - 1] == '.') {
		out[--o] = '\0';
	}
	return (int)o;
}

/* D2ClientMgr::generateFqdn(): prefix "-" address with dots as dashes. */
static int generate(const cfg_names_t *cfg, uint32_t addr, bool trailing_dot, char *out)
{
	char gen[TEXT_MAX];
	size_t o = 0;
	char a[32];
	int n = snprintf(a, sizeof(a), "-%u-%u-%u-%u", addr >> 24, (addr >> 16) & 0xff,
	                 (addr >> 8) & 0xff, addr & 0xff);

	if (!append(gen, &o, cfg->prefix, strlen(cfg->prefix)) || !append(gen, &o, a, (size_t)n)) {
		return -1;
	}
	return qualify(gen, o, cfg, trailing_dot, out);
}

/* Option4ClientFqdn::setDomainName(name, FULL): trimmed, not empty, a valid
 * name (lower-cased). */
static bool parse_full(const char *text, size_t len, uint8_t *wire)
{
	size_t wl;

	trim(&text, &len);
	return len > 0 && dnsname_from_text(text, len, wire, &wl) > 0;
}

/* One option 81 instance, as Option4ClientFqdn's constructor reads it. */
static int fqdn_parse(const uint8_t *d, size_t len, names_query_t *ret, const char **reterr_what)
{
	size_t nlen = len >= 3 ? len - 3 : 0, wl;
	int r = 0;

	if (len < 3) {
		*reterr_what = "DHCPv4 Client FQDN Option (81) is truncated";
		return -EBADMSG;
	}
	/* RFC 4702 §2.1: N and S both set is invalid; Kea refuses the option
	 * (MBZ bits are ignored on receipt). */
	if ((d[0] & NAMES_FQDN_N) && (d[0] & NAMES_FQDN_S)) {
		*reterr_what = "both N and S flag of the DHCPv4 Client FQDN Option are set";
		return -EBADMSG;
	}
	ret->has_fqdn = true;
	ret->flags = d[0], ret->rcode1 = d[1], ret->rcode2 = d[2];
	ret->fqdn_full = true;
	if (nlen > 0 && (d[0] & NAMES_FQDN_E)) {
		/* RFC 4702 §2.3.1: a partial name lacks the final zero. */
		uint8_t tmp[DHCP_OPT_LEN_MAX + 1];

		memcpy(tmp, d + 3, nlen);
		ret->fqdn_full = tmp[nlen - 1] == 0;
		tmp[nlen] = 0;
		r = dnsname_from_wire(tmp, ret->fqdn_full ? nlen : nlen + 1, ret->wire, &wl);
	} else if (nlen > 0) {
		/* RFC 4702 §2.3.1 (deprecated ASCII form): a trailing dot makes
		 * the name fully qualified. */
		ret->fqdn_full = d[len - 1] == '.';
		r = dnsname_from_text((const char *)d + 3, nlen, ret->wire, &wl);
	}
	if (r < 0) {
		*reterr_what = "failed to parse the domain-name in DHCPv4 Client FQDN Option";
		return -EBADMSG;
	}
	ret->fqdn_has_name = nlen > 0;
	return 0;
}

typedef struct instance_check {
	names_query_t scratch;
	const char *what;
} instance_check_t;

static int check_instance(const uint8_t *data, uint8_t len, void *userdata)
{
	instance_check_t *c = userdata;

	return fqdn_parse(data, len, &c->scratch, &c->what);
}

int names_query_parse(const pkt4_t *pkt, names_query_t *ret, const char **reterr_what)
{
	const opt_view_t *o = pkt4_opt(pkt, DHO_FQDN);

	*ret = (names_query_t){0};
	if (o != NULL && o->count > 1) {
		/* Kea 2.2 parses every instance (a bad one fails the packet),
		 * then fuses them (RFC 3396) into an untyped option that its
		 * name processing does not see: as if absent (checked:
		 * test_differential fq-split*, fq-long-name). */
		instance_check_t c;

		if (pkt4_opt_each(pkt, DHO_FQDN, check_instance, &c) < 0) {
			*reterr_what = c.what;
			return -EBADMSG;
		}
	} else if (o != NULL && fqdn_parse(o->data, o->len, ret, reterr_what) < 0) {
		return -EBADMSG;
	}
	o = pkt4_opt(pkt, DHO_HOST_NAME);
	/* A split option 12 is fused and ignored the same way. */
	if (o != NULL && o->count == 1) {
		size_t len = o->len;

		/* OptionString::unpack() cuts trailing NULs and skips an option
		 * left empty (not a drop: the client is treated as sending none). */
		while (len > 0 && o->data[len - 1] == 0) {
			len--;
		}
		if (len > 0) {
			ret->hostname = o->data;
			ret->hostname_len = len;
		}
	}
	return 0;
}

/* adjustDomainName() sanitising: the raw name split at dots, each piece
 * scrubbed, joined again ("a.__.b" becomes "a..b", which then fails). */
static int scrub_labels(const sanitize_t *san, const uint8_t *wire, char *out)
{
	char raw[DNSNAME_WIRE_MAX + 1];
	size_t rl = dnsname_to_raw(wire, false, raw), o = 0, start = 0;

	for (size_t i = 0; i <= rl; i++) {
		if (i < rl && raw[i] != '.') {
			continue;
		}
		if (start > 0 && !append(out, &o, ".", 1)) {
			return -1;
		}
		int n = sanitize_scrub(san, raw + start, i - start, out + o, TEXT_MAX - o);
		if (n < 0) {
			return -1;
		}
		o += (size_t)n;
		start = i + 1;
	}
	return (int)o;
}

static bool has_reserved_name(const cfg_host_t *host)
{
	return host != NULL && host->hostname != NULL && host->hostname[0] != '\0';
}

static bool replaces_given(const cfg_names_t *cfg)
{
	return cfg->replace == CFG_REPLACE_ALWAYS || cfg->replace == CFG_REPLACE_WHEN_PRESENT;
}

static bool replaces_absent(const cfg_names_t *cfg)
{
	return cfg->replace == CFG_REPLACE_ALWAYS || cfg->replace == CFG_REPLACE_WHEN_NOT_PRESENT;
}

static void set_lease(names_t *ret, const char *name, size_t len)
{
	/* lease4_t holds 255 bytes; a longer (escaped) name is not stored. */
	if (len > DHCP_HOSTNAME_MAX) {
		len = 0;
	}
	memcpy(ret->lease, name, len);
	ret->lease[len] = '\0';
}

/* processClientFqdnOption() + postAllocateNameUpdate(). The name to send:
 * the reservation's, else the client's (sanitised, qualified when partial),
 * else (replaced or empty) one generated from the address. */
static void decide_fqdn(const names_query_t *q, const cfg_names_t *cfg, const cfg_host_t *host,
                        uint32_t addr, names_t *ret)
{
	char text[TEXT_MAX], buf[TEXT_MAX];
	uint8_t wire[DNSNAME_WIRE_MAX];
	bool has = false;
	int n;

	if (has_reserved_name(host)) {
		n = qualify(host->hostname, strlen(host->hostname), cfg, true, text);
		if (n < 0 || !parse_full(text, (size_t)n, wire)) {
			return;
		}
		has = true;
	} else if (!replaces_given(cfg) && q->fqdn_has_name) {
		n = cfg->sanitizer != NULL ? scrub_labels(cfg->sanitizer, q->wire, text)
		                           : (int)dnsname_to_text(q->wire, !q->fqdn_full, text);
		if (n >= 0 && !q->fqdn_full) {
			n = qualify(text, (size_t)n, cfg, true, buf);
			memcpy(text, buf, n >= 0 ? (size_t)n + 1 : 0);
		}
		if (n < 0 || !parse_full(text, (size_t)n, wire)) {
			return;
		}
		has = true;
	}
	if (has) {
		n = (int)dnsname_to_text(wire, false, text);
		set_lease(ret, text, (size_t)n);
	} else {
		/* The lease keeps the generated name as generated; the option
		 * carries it lower-cased (Name(text, true)). */
		n = generate(cfg, addr, true, text);
		if (n >= 0) {
			set_lease(ret, text, (size_t)n);
			has = parse_full(text, (size_t)n, wire);
		}
	}

	/* adjustFqdnFlags() with updates disabled: S = 0, N = 1, O when that
	 * overrides the client's S; E carried over; RCODEs copied. */
	uint8_t *f = ret->fqdn;
	f[0] = NAMES_FQDN_N | (q->flags & NAMES_FQDN_E) |
	       (q->flags & NAMES_FQDN_S ? NAMES_FQDN_O : 0);
	f[1] = q->rcode1, f[2] = q->rcode2;
	ret->fqdn_len = 3;
	if (has && (q->flags & NAMES_FQDN_E)) {
		size_t wl = 0;

		while (wire[wl] != 0) {
			wl += 1 + wire[wl];
		}
		memcpy(f + 3, wire, wl + 1);
		ret->fqdn_len += wl + 1;
	} else if (has) {
		ret->fqdn_len += dnsname_to_text(wire, false, (char *)f + 3);
	}
	/* Kea 2.2 sends no option 81 whose name makes it longer than 255
	 * bytes (checked: a 252-byte partial name qualified to 253). */
	if (ret->fqdn_len > DHCP_OPT_LEN_MAX) {
		ret->lease[0] = '\0';
		return;
	}
	ret->kind = NAMES_FQDN;
}

/* processHostnameOption(): the reservation's name, else the client's unless
 * replaced (sanitised, lower-cased, qualified when it is one label), "."
 * standing for a name generated from the address after allocation. */
static void decide_hostname(const names_query_t *q, const cfg_names_t *cfg, const cfg_host_t *host,
                            uint32_t addr, names_t *ret)
{
	char val[TEXT_MAX], buf[TEXT_MAX];
	int n;

	if (has_reserved_name(host)) {
		n = qualify(host->hostname, strlen(host->hostname), cfg, false, val);
		if (n > 0) {
			lower(val, (size_t)n);
		}
	} else if (q->hostname == NULL) {
		if (!replaces_absent(cfg)) {
			return;
		}
		n = (int)strlen(strcpy(val, "."));
	} else {
		const char *h = (const char *)q->hostname;
		size_t hl = q->hostname_len, wl;
		uint8_t wire[DNSNAME_WIRE_MAX];

		trim(&h, &hl);
		/* getLabelCount(): 0 for an empty name, a malformed one throws. */
		int labels = hl > 0 ? dnsname_from_text(h, hl, wire, &wl) : 0;
		if (labels <= 0) {
			return;
		}
		if (replaces_given(cfg) || labels < 2) {
			n = (int)strlen(strcpy(val, "."));
		} else {
			n = cfg->sanitizer != NULL
			            ? sanitize_scrub(cfg->sanitizer, h, hl, buf, sizeof(buf))
			            : (int)hl;
			if (cfg->sanitizer == NULL) {
				memcpy(buf, h, hl);
			}
			if (n >= 0) {
				lower(buf, (size_t)n);
				n = labels == 2 ? qualify(buf, (size_t)n, cfg, false, val) : n;
				if (labels != 2) {
					memcpy(val, buf, (size_t)n);
				}
			}
		}
	}
	/* OptionString refuses an empty value; an option over 255 bytes is
	 * not sent either (Kea would split it; no client sends such names). */
	if (n <= 0 || n > DHCP_OPT_LEN_MAX) {
		return;
	}
	if (n == 1 && val[0] == '.') {
		n = generate(cfg, addr, false, val);
		if (n <= 0 || n > DHCP_OPT_LEN_MAX) {
			return;
		}
	}
	memcpy(ret->hostname, val, (size_t)n);
	ret->hostname[n] = '\0';
	ret->hostname_len = (size_t)n;
	set_lease(ret, val, strnlen(val, (size_t)n));
	ret->kind = NAMES_HOSTNAME;
}

void names_decide(const names_query_t *q, const cfg_names_t *cfg, const cfg_host_t *host,
                  uint32_t addr, names_t *ret)
{
	ret->kind = NAMES_NONE;
	ret->fqdn_len = ret->hostname_len = 0;
	ret->lease[0] = '\0';
	if (q->has_fqdn) {
		decide_fqdn(q, cfg, host, addr, ret);
	} else {
		decide_hostname(q, cfg, host, addr, ret);
	}
}

/* Reply assembly; see reply.h. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dhcp/agent.h"
#include "dhcp/proto.h"
#include "engine/reply.h"
#include "util/wire.h"

/* One outgoing option: a view into the config, the query, or the slot's own
 * small buffer for generated values. */
typedef struct out_opt {
	const uint8_t *data;
	size_t len;
	uint8_t own[4];
} out_opt_t;

/* The reply's options by code; only slots whose bit is set are initialised
 * (no 8 KiB memset per reply). */
typedef struct out_tab {
	uint64_t set[4];
	out_opt_t slot[256];
	uint8_t rai[DHCP_PKT_MAX]; /* option 82 as echoed (agent_canonical) */
	uint8_t vivso[255];        /* option 125 built from vendor-<enterprise> sub-options */
} out_tab_t;

static bool tab_has(const out_tab_t *t, uint8_t code)
{
	return (t->set[code >> 6] >> (code & 63)) & 1;
}

static out_opt_t *tab_slot(out_tab_t *t, uint8_t code)
{
	t->set[code >> 6] |= UINT64_C(1) << (code & 63);
	return &t->slot[code];
}

typedef struct scope_list {
	const cfg_optset_t *v[CLASS_SET_MAX + 8];
	size_t n;
} scope_list_t;

static void scope_add(scope_list_t *sl, const cfg_optset_t *set)
{
	if (set != NULL && (set->n > 0 || set->n_vend > 0) && sl->n < sizeof(sl->v) / sizeof(sl->v[0])) {
		sl->v[sl->n++] = set;
	}
}

/* Kea buildCfgOptionList(): host > pool > subnet > shared network > classes
 * (join order) > global. */
static void scopes_build(const reply_in_t *in, scope_list_t *sl)
{
	const cfg_t *cfg = in->cfg;

	sl->n = 0;
	if (in->host != NULL) {
		scope_add(sl, &in->host->opts);
	}
	if (in->pool != NULL) {
		scope_add(sl, &in->pool->opts);
	}
	if (in->subnet != NULL) {
		scope_add(sl, &in->subnet->opts);
		if (in->subnet->network != NULL) {
			scope_add(sl, &in->subnet->network->opts);
		}
	}
	for (uint16_t i = 0; in->classes != NULL && i < in->classes->n; i++) {
		if (in->classes->idx[i] < cfg->n_classes) {
			scope_add(sl, &cfg->classes[in->classes->idx[i]].opts);
		}
	}
	scope_add(sl, &cfg->opts);
}

static const cfg_option_t *scopes_find(const scope_list_t *sl, uint8_t code)
{
	for (size_t i = 0; i < sl->n; i++) {
		const cfg_option_t *o = cfg_optset_find(sl->v[i], code);

		if (o != NULL) {
			return o;
		}
	}
	return NULL;
}

/* never-send anywhere in the chain wins (ARM "sticky" flags). */
static bool scopes_never(const scope_list_t *sl, uint8_t code)
{
	for (size_t i = 0; i < sl->n; i++) {
		const cfg_option_t *o = cfg_optset_find(sl->v[i], code);

		if (o != NULL && o->never_send) {
			return true;
		}
	}
	return false;
}

uint32_t reply_server_id(const cfg_t *cfg, const cfg_subnet4_t *subnet, const class_set_t *classes,
                         uint32_t socket_addr)
{
	const cfg_option_t *o;

	if (subnet != NULL) {
		o = cfg_optset_find(&subnet->opts, DHO_DHCP_SERVER_IDENTIFIER);
		if (o == NULL && subnet->network != NULL) {
			o = cfg_optset_find(&subnet->network->opts, DHO_DHCP_SERVER_IDENTIFIER);
		}
		if (o != NULL && o->len == 4) {
			return be32_load(o->data);
		}
	}
	for (uint16_t i = 0; classes != NULL && i < classes->n; i++) {
		const cfg_class_t *cl =
		        classes->idx[i] < cfg->n_classes ? &cfg->classes[classes->idx[i]] : NULL;

		if (cl == NULL || cl->only_if_required) {
			continue;
		}
		o = cfg_optset_find(&cl->opts, DHO_DHCP_SERVER_IDENTIFIER);
		if (o != NULL && o->len == 4) {
			return be32_load(o->data);
		}
	}
	o = cfg_optset_find(&cfg->opts, DHO_DHCP_SERVER_IDENTIFIER);
	if (o != NULL && o->len == 4) {
		return be32_load(o->data);
	}
	if (subnet != NULL && subnet->has_server_id) {
		return subnet->server_id;
	}
	if (cfg->has_server_id) {
		return cfg->server_id;
	}
	return socket_addr;
}

void reply_tee_times(const cfg_subnet4_t *s, uint32_t valid, uint32_t *ret_t1, uint32_t *ret_t2)
{
	uint32_t t1 = 0, t2 = 0, ceiling = valid;

	*ret_t1 = 0;
	*ret_t2 = 0;
	if (valid == LEASE_LFT_INFINITE) {
		return;
	}
	if (s->lft.has_rebind) {
		t2 = s->lft.rebind;
	} else if (s->lft.calculate_tee_times) {
		t2 = (uint32_t)round(s->lft.t2_percent * valid);
	}
	if (t2 > 0 && t2 < ceiling) {
		*ret_t2 = t2;
		ceiling = t2;
	}
	if (s->lft.has_renew) {
		t1 = s->lft.renew;
	} else if (s->lft.calculate_tee_times) {
		t1 = (uint32_t)round(s->lft.t1_percent * valid);
	}
	if (t1 > 0 && t1 < ceiling) {
		*ret_t1 = t1;
	}
}

static void put_u32(out_tab_t *t, uint8_t code, uint32_t v)
{
	out_opt_t *slot = tab_slot(t, code);

	be32_store(slot->own, v);
	slot->data = slot->own;
	slot->len = 4;
}

static void put_view(out_tab_t *t, uint8_t code, const uint8_t *data, size_t len)
{
	out_opt_t *slot = tab_slot(t, code);

	slot->data = data;
	slot->len = len;
}

/* Codes the server controls: never taken from option-data. Kea 2.2 sends a
 * configured 50, 52 or 118 like any other option when the client asks for it
 * (a 118 the client sent is echoed instead), so those are not listed. */
static bool server_controlled(uint8_t code)
{
	switch (code) {
	case DHO_PAD:
	case DHO_DHCP_LEASE_TIME:
	case DHO_DHCP_MESSAGE_TYPE:
	case DHO_DHCP_SERVER_IDENTIFIER:
	case DHO_DHCP_PARAMETER_REQUEST_LIST:
	case DHO_DHCP_CLIENT_IDENTIFIER:
	case DHO_DHCP_AGENT_OPTIONS:
	case DHO_END:
		return true;
	default:
		return false;
	}
}

static void add_configured(out_tab_t *t, const scope_list_t *sl, uint8_t code)
{
	const cfg_option_t *o;

	if (tab_has(t, code) || server_controlled(code) || scopes_never(sl, code)) {
		return;
	}
	o = scopes_find(sl, code);
	if (o != NULL) {
		put_view(t, code, o->data, o->len);
	}
}

/* The first enterprise number of the client's option 125 and its data
 * (RFC 3925 §4: enterprise(4), data-len(1), data); false when absent or
 * malformed. */
static bool query_vivso(const pkt4_t *q, uint32_t *ret_vendor, const uint8_t **ret_data,
                        size_t *ret_len)
{
	const opt_view_t *o = pkt4_opt(q, DHO_VIVSO_SUBOPTIONS);

	if (o == NULL || o->len < 5 || (size_t)o->data[4] + 5 > o->len) {
		return false;
	}
	*ret_vendor = (uint32_t)o->data[0] << 24 | (uint32_t)o->data[1] << 16 |
	              (uint32_t)o->data[2] << 8 | o->data[3];
	*ret_data = o->data + 5;
	*ret_len = o->data[4];
	return true;
}

/* Kea 2.2 appendRequestedVendorOptions(): for the enterprise the client's
 * option 125 names, the sub-options of space vendor-<enterprise> that are
 * always-send anywhere in the chain and, for CableLabs (4491), the codes
 * its sub-option 1 (DOCSIS ORO) lists; each from the most specific scope,
 * in code order, in one option 125. */
static void add_vendor_options(const reply_in_t *in, const scope_list_t *sl, out_tab_t *t)
{
	uint64_t want[4] = { 0 };
	const uint8_t *data;
	size_t len, n = 5;
	uint32_t vendor;

	if (in->subnet == NULL || !query_vivso(in->query, &vendor, &data, &len)) {
		return;
	}
	for (size_t off = 0; vendor == 4491 && off + 2 <= len; off += 2 + (size_t)data[off + 1]) {
		if (off + 2 + data[off + 1] > len) {
			break;
		}
		for (size_t i = 0; data[off] == 1 && i < data[off + 1]; i++) {
			uint8_t c = data[off + 2 + i];
			want[c >> 6] |= UINT64_C(1) << (c & 63);
		}
	}
	for (size_t i = 0; i < sl->n; i++) {
		for (size_t j = 0; j < sl->v[i]->n_vend; j++) {
			const cfg_option_t *o = &sl->v[i]->vend[j];
			if (o->vendor == vendor && o->always_send) {
				want[o->code >> 6] |= UINT64_C(1) << (o->code & 63);
			}
		}
	}
	for (unsigned c = 0; c < 256; c++) {
		const cfg_option_t *o = NULL;

		if (!((want[c >> 6] >> (c & 63)) & 1)) {
			continue;
		}
		for (size_t i = 0; i < sl->n && o == NULL; i++) {
			o = cfg_optset_find_vendor(sl->v[i], vendor, (uint8_t)c);
		}
		if (o == NULL || n + 2 + o->len > sizeof(t->vivso)) {
			continue;
		}
		t->vivso[n] = (uint8_t)c;
		t->vivso[n + 1] = (uint8_t)o->len;
		memcpy(t->vivso + n + 2, o->data, o->len);
		n += 2 + o->len;
	}
	if (n == 5) {
		return;
	}
	be32_store(t->vivso, vendor);
	t->vivso[4] = (uint8_t)(n - 5);
	put_view(t, DHO_VIVSO_SUBOPTIONS, t->vivso, n);
}

/* Kea appendRequestedOptions() + appendBasicOptions(). */
static void add_option_data(const reply_in_t *in, out_tab_t *t)
{
	static const uint8_t basic[] = {DHO_SUBNET_MASK, DHO_ROUTERS, DHO_DOMAIN_NAME_SERVERS,
	                                DHO_DOMAIN_NAME};
	const opt_view_t *prl = pkt4_opt(in->query, DHO_DHCP_PARAMETER_REQUEST_LIST);
	scope_list_t sl;

	/* Kea 2.2 fuses a split option 55 (RFC 3396) into an untyped option
	 * that its PRL lookup does not recognise: nothing counts as requested
	 * (checked against Kea 2.2: neither instance is answered). */
	if (prl != NULL && prl->count > 1) {
		prl = NULL;
	}

	scopes_build(in, &sl);
	for (size_t i = 0; prl != NULL && i < prl->len; i++) {
		add_configured(t, &sl, prl->data[i]);
	}
	/* always-send anywhere in the chain makes the code requested; the value
	 * still comes from the most specific scope. */
	for (size_t i = 0; i < sl.n; i++) {
		for (size_t j = 0; j < sl.v[i]->n; j++) {
			if (sl.v[i]->v[j].always_send) {
				add_configured(t, &sl, sl.v[i]->v[j].code);
			}
		}
	}
	for (size_t i = 0; i < sizeof(basic); i++) {
		add_configured(t, &sl, basic[i]);
	}
	add_vendor_options(in, &sl, t);
}

/* Dhcpv4Exchange::copyDefaultOptions(): 61 (echo-client-id), 82 (non-empty), 118. */
static void add_echoes(const reply_in_t *in, out_tab_t *t)
{
	const opt_view_t *o;

	o = pkt4_opt(in->query, DHO_DHCP_CLIENT_IDENTIFIER);
	if (o != NULL && in->cfg->echo_client_id) {
		put_view(t, DHO_DHCP_CLIENT_IDENTIFIER, o->data, o->len);
	}
	o = pkt4_opt(in->query, DHO_DHCP_AGENT_OPTIONS);
	if (o != NULL && o->len > 0 && !in->drop_rai) {
		/* Echoed as Kea repacks it: sub-options by code, repeats fused. */
		int n = agent_canonical(o, t->rai, sizeof(t->rai));

		if (n > 0) {
			put_view(t, DHO_DHCP_AGENT_OPTIONS, t->rai, (size_t)n);
		}
	}
	o = pkt4_opt(in->query, DHO_SUBNET_SELECTION);
	if (o != NULL) {
		put_view(t, DHO_SUBNET_SELECTION, o->data, o->len);
	}
}

/* Kea setFixedFields(): subnet, then classes (first value per field in join
 * order), then the reservation. */
static void set_fixed_fields(const reply_in_t *in, pkt4_out_t *o)
{
	const cfg_t *cfg = in->cfg;
	uint32_t siaddr = 0;
	const char *sname = NULL, *file = NULL;

	if (in->subnet != NULL) {
		if (in->subnet->has_next_server && in->subnet->next_server != 0) {
			siaddr = in->subnet->next_server;
		}
		if (in->subnet->server_hostname != NULL && in->subnet->server_hostname[0] != '\0') {
			sname = in->subnet->server_hostname;
		}
		if (in->subnet->boot_file_name != NULL && in->subnet->boot_file_name[0] != '\0') {
			file = in->subnet->boot_file_name;
		}
	}
	uint32_t c_siaddr = 0;
	const char *c_sname = NULL, *c_file = NULL;
	for (uint16_t i = 0; in->classes != NULL && i < in->classes->n; i++) {
		const cfg_class_t *cl;

		if (in->classes->idx[i] >= cfg->n_classes) {
			continue;
		}
		cl = &cfg->classes[in->classes->idx[i]];
		if (c_siaddr == 0 && cl->has_next_server) {
			c_siaddr = cl->next_server;
		}
		if (c_sname == NULL && cl->server_hostname != NULL &&
		    cl->server_hostname[0] != '\0') {
			c_sname = cl->server_hostname;
		}
		if (c_file == NULL && cl->boot_file_name != NULL && cl->boot_file_name[0] != '\0') {
			c_file = cl->boot_file_name;
		}
	}
	if (c_siaddr != 0) {
		siaddr = c_siaddr;
	}
	sname = c_sname != NULL ? c_sname : sname;
	file = c_file != NULL ? c_file : file;
	if (in->host != NULL) {
		if (in->host->has_next_server && in->host->next_server != 0) {
			siaddr = in->host->next_server;
		}
		if (in->host->server_hostname != NULL && in->host->server_hostname[0] != '\0') {
			sname = in->host->server_hostname;
		}
		if (in->host->boot_file_name != NULL && in->host->boot_file_name[0] != '\0') {
			file = in->host->boot_file_name;
		}
	}
	if (siaddr != 0) {
		pkt4_out_set_siaddr(o, siaddr);
	}
	if (sname != NULL) {
		pkt4_out_set_sname(o, sname, strnlen(sname, DHCP_SNAME_LEN));
	}
	if (file != NULL) {
		pkt4_out_set_file(o, file, strnlen(file, DHCP_FILE_LEN));
	}
}

static void emit(pkt4_out_t *o, const out_tab_t *t, uint8_t code)
{
	if (tab_has(t, code)) {
		pkt4_out_opt(o, code, t->slot[code].data, t->slot[code].len);
	}
}

int reply_build(const reply_in_t *in, uint8_t *buf, size_t cap)
{
	out_tab_t t;
	pkt4_out_t o;
	uint8_t mt = in->msg_type;

	memset(t.set, 0, sizeof(t.set));
	pkt4_out_init(&o, buf, cap, in->query);
	pkt4_out_set_ciaddr(&o, in->ciaddr);

	tab_slot(&t, DHO_DHCP_MESSAGE_TYPE)->own[0] = mt;
	put_view(&t, DHO_DHCP_MESSAGE_TYPE, t.slot[DHO_DHCP_MESSAGE_TYPE].own, 1);
	put_u32(&t, DHO_DHCP_SERVER_IDENTIFIER, in->server_id);
	add_echoes(in, &t);

	if (mt != DHCPNAK) {
		if (in->lease != NULL) {
			uint32_t t1, t2;
			/* a lease reused from the cache: what it has left, and T1/T2
			 * within that (checked against Kea 2.2) */
			uint32_t lft = in->reuse_lft != 0 ? in->reuse_lft : in->lease->valid_lft;

			pkt4_out_set_yiaddr(&o, in->lease->addr);
			put_u32(&t, DHO_DHCP_LEASE_TIME, lft);
			if (in->subnet != NULL) {
				put_u32(&t, DHO_SUBNET_MASK, in->subnet->mask);
				reply_tee_times(in->subnet, lft, &t1, &t2);
				if (t1 != 0) {
					put_u32(&t, DHO_DHCP_RENEWAL_TIME, t1);
				}
				if (t2 != 0) {
					put_u32(&t, DHO_DHCP_REBINDING_TIME, t2);
				}
			}
		}
		/* Kea processClientName(): the answer to options 81 / 12 is in
		 * the reply before configured options are added. */
		if (in->hostname != NULL && in->hostname_len > 0) {
			put_view(&t, DHO_HOST_NAME, (const uint8_t *)in->hostname,
			         MIN(in->hostname_len, (size_t)DHCP_OPT_LEN_MAX));
		}
		if (in->fqdn != NULL) {
			put_view(&t, DHO_FQDN, in->fqdn, MIN(in->fqdn_len, (size_t)DHCP_OPT_LEN_MAX));
		}
		add_option_data(in, &t);
		set_fixed_fields(in, &o);
	}

	/* Kea's LibDHCP::packOptions4(): message type first, then by code, RAI last. */
	emit(&o, &t, DHO_DHCP_MESSAGE_TYPE);
	for (unsigned w = 0; w < 4; w++) {
		uint64_t bits = t.set[w];

		while (bits != 0) {
			unsigned c = w * 64 + (unsigned)__builtin_ctzll(bits);

			bits &= bits - 1;
			if (c != DHO_DHCP_MESSAGE_TYPE && c != DHO_DHCP_AGENT_OPTIONS) {
				emit(&o, &t, (uint8_t)c);
			}
		}
	}
	emit(&o, &t, DHO_DHCP_AGENT_OPTIONS);
	return pkt4_out_finish(&o);
}

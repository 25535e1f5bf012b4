/* Configuration loader: host reservations and
 * host-reservation-identifiers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "cfg/host.h"
#include "util/hex.h"
#include "util/inaddr.h"

/* ---- reservations ---- */

static const char *const host_keys[] = {
	"hw-address", "client-id", "circuit-id", "duid", "flex-id", "ip-address", "hostname",
	"option-data", "client-classes", "next-server", "server-hostname", "boot-file-name",
	"user-context", "comment", NULL,
};

const char *const load_id_names[_CFG_HOST_ID_MAX] = {
	[CFG_HOST_ID_HWADDR] = "hw-address",
	[CFG_HOST_ID_DUID] = "duid",
	[CFG_HOST_ID_CIRCUIT_ID] = "circuit-id",
	[CFG_HOST_ID_CLIENT_ID] = "client-id",
	[CFG_HOST_ID_FLEX_ID] = "flex-id",
};

/* Identifier text: hex ("01:02:ab", "0102ab") or a quoted string ('text'). */
static int parse_identifier(const char *s, cfg_host_id_type_t t, uint8_t *out, size_t cap)
{
	size_t l = strlen(s);

	if (l >= 2 && s[0] == '\'' && s[l - 1] == '\'' && t != CFG_HOST_ID_HWADDR) {
		if (l - 2 > cap || l == 2) {
			return -EINVAL;
		}
		memcpy(out, s + 1, l - 2);
		return (int)(l - 2);
	}
	int r = hex_parse(s, out, cap);
	return r <= 0 ? -EINVAL : r;
}

static int parse_host(ld_t *ld, json_t *o, const cfg_subnet4_t *s, cfg_host_t *h)
{
	const char *hn = NULL, *sname = NULL, *file = NULL;
	int r, found = 0;

	*h = (cfg_host_t){ .subnet_id = s != NULL ? s->id : 0 };
	if ((r = load_check_keys(ld, o, "reservations", host_keys, NULL)) < 0) {
		return r;
	}
	for (int t = 0; t < _CFG_HOST_ID_MAX; t++) {
		json_t *v = json_object_get(o, load_id_names[t]);
		if (v == NULL) {
			continue;
		}
		if (found++ > 0) {
			return load_fail(ld, load_id_names[t], "the '%s' and '%s' are mutually exclusive",
			                      load_id_names[h->id_type], load_id_names[t]);
		}
		h->id_type = (cfg_host_id_type_t)t;
		size_t cap = t == CFG_HOST_ID_HWADDR ? 20 : sizeof(h->id);
		r = json_is_string(v)
		            ? parse_identifier(json_string_value(v), h->id_type, h->id, cap)
		            : -EINVAL;
		if (r < 0) {
			return load_fail(ld, load_id_names[t], "invalid %s '%s'", load_id_names[t],
			                           json_is_string(v) ? json_string_value(v) : "(not a string)");
		}
		h->id_len = (uint8_t)r;
	}
	if (found == 0) {
		return load_fail(ld, NULL, "one of the supported identifiers must be specified for host reservation: circuit-id, client-id, duid, flex-id, hw-address");
	}
	bool has_addr = false;
	if ((r = load_get_addr(ld, o, "ip-address", &h->addr, &has_addr)) < 0 ||
	         (r = load_get_str(ld, o, "hostname", &hn)) < 0 ||
	         (r = load_get_str(ld, o, "server-hostname", &sname)) < 0 ||
	         (r = load_get_str(ld, o, "boot-file-name", &file)) < 0 ||
	         (r = load_get_addr(ld, o, "next-server", &h->next_server, &h->has_next_server)) < 0) {
		return r;
	}
	if (has_addr && h->addr != 0 && s != NULL && !cfg_subnet4_contains(s, h->addr)) {
		char a[INADDR_STRLEN], n[INADDR_STRLEN];
		return load_fail(ld, "ip-address", "specified reservation '%s' is not within the IPv4 subnet '%s/%u'",
		                 inaddr_fmt(h->addr, a), inaddr_fmt(s->net, n), s->plen);
	}
	if (sname != NULL && strlen(sname) > 63) {
		return load_fail(ld, "server-hostname", "server-hostname must be at most 63 bytes long");
	}
	if (file != NULL && strlen(file) > 127) {
		return load_fail(ld, "boot-file-name", "boot-file-name must be at most 127 bytes long");
	}
	h->hostname = load_dup_nonempty(hn);
	h->server_hostname = load_dup_nonempty(sname);
	h->boot_file_name = load_dup_nonempty(file);
	if ((r = load_parse_class_list(ld, o, "client-classes", &h->classes)) < 0 ||
	         (r = load_parse_options(ld, o, &h->opts)) < 0) {
		return r;
	}
	return 0;
}

typedef struct host_src {
	char *path;
} host_src_t;

int load_parse_reservations(ld_t *ld, json_t *obj, const cfg_subnet4_t *s, char ***paths,
                            size_t *cap)
{
	json_t *arr;
	cfg_t *cfg = ld->cfg;
	int r = load_get_array(ld, obj, "reservations", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t n = json_array_size(arr);
	if (cfg->n_hosts + n > *cap) {
		size_t nc = MAX(*cap * 2, cfg->n_hosts + n);
		cfg_host_t *v = realloc(cfg->hosts, nc * sizeof(*v));
		if (v == NULL) {
			return load_oom(ld);
		}
		cfg->hosts = v;
		char **pv = realloc(*paths, nc * sizeof(*pv));
		if (pv == NULL) {
			return load_oom(ld);
		}
		*paths = pv;
		*cap = nc;
	}
	size_t mark = load_push_key(ld, "reservations");
	for (size_t i = 0; i < n; i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		if ((r = load_need_object(ld, o, NULL)) < 0) {
			return r;
		}
		r = parse_host(ld, o, s, &cfg->hosts[cfg->n_hosts]);
		(*paths)[cfg->n_hosts] = strdup(ld->path);
		cfg->n_hosts++;
		if (r < 0) {
			return r;
		}
		if ((*paths)[cfg->n_hosts - 1] == NULL) {
			return load_oom(ld);
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

int load_parse_host_ids(ld_t *ld, json_t *d4)
{
	static const cfg_host_id_type_t dflt[] = {
		CFG_HOST_ID_HWADDR, CFG_HOST_ID_DUID, CFG_HOST_ID_CIRCUIT_ID, CFG_HOST_ID_CLIENT_ID,
	};
	cfg_t *cfg = ld->cfg;
	json_t *arr;
	int r = load_get_array(ld, d4, "host-reservation-identifiers", &arr);

	if (r < 0) {
		return r;
	}
	if (arr == NULL) {
		memcpy(cfg->host_ids, dflt, sizeof(dflt));
		cfg->n_host_ids = ARRAY_SIZE(dflt);
		return 0;
	}
	size_t mark = load_push_key(ld, "host-reservation-identifiers");
	if (json_array_size(arr) == 0) {
		return load_fail(ld, NULL, "syntax error, unexpected ], expecting hw-address or duid or circuit-id or client-id or flex-id");
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		int t = -1;
		for (int k = 0; k < _CFG_HOST_ID_MAX && json_is_string(v); k++) {
			if (strcmp(json_string_value(v), load_id_names[k]) == 0) {
				t = k;
			}
		}
		size_t m2 = load_push_idx(ld, i);
		if (t < 0) {
			return load_fail(ld, NULL, "unsupported host reservation identifier");
		}
		for (size_t j = 0; j < cfg->n_host_ids; j++) {
			if (cfg->host_ids[j] == (cfg_host_id_type_t)t) {
				return load_fail(ld, NULL, "duplicate host reservation identifier '%s'", load_id_names[t]);
			}
		}
		cfg->host_ids[cfg->n_host_ids++] = (cfg_host_id_type_t)t;
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

/* ---- reservations from a hosts database (lease/hostdb.c) ---- */

/* Hand the recorded error to @skip and clear it for the next reservation. */
static void db_host_skipped(ld_t *ld, cfg_host_skip_fn skip, void *ud, int64_t host_id)
{
	char buf[1200];

	if (skip != NULL) {
		skip(ud, host_id, cfg_err_format(ld->err, buf, sizeof(buf)));
	}
	memset(ld->err, 0, sizeof(*ld->err));
}

/* Parse one database item into @h: 0 = parsed, 1 = its subnet is not
 * configured (Kea keeps such a host, but no packet can select it), or the
 * error load_fail() recorded in @ld. */
static int db_host_parse(ld_t *ld, json_t *item, cfg_host_t *h)
{
	int64_t host_id = json_integer_value(json_object_get(item, "host-id"));
	uint32_t sid = (uint32_t)json_integer_value(json_object_get(item, "subnet-id"));
	const cfg_subnet4_t *s = NULL;

	*h = (cfg_host_t){ 0 };
	if (sid != 0 && (s = cfg_subnet_by_id(ld->cfg, sid)) == NULL) {
		return 1;
	}
	ld->plen = (size_t)snprintf(ld->path, sizeof(ld->path), "hosts-database host_id %lld",
	                            (long long)host_id);
	json_t *res = json_object_get(item, "reservation");
	json_int_t type = json_integer_value(json_object_get(item, "identifier-type"));
	if (type < 0 || type >= _CFG_HOST_ID_MAX || !json_is_object(res)) {
		return load_fail(ld, NULL, "invalid dhcp_identifier_type %lld", (long long)type);
	}
	json_object_set(res, load_id_names[type], json_object_get(item, "identifier"));
	return parse_host(ld, res, s, h);
}

/* Parse one database reservation into the free slot after cfg->hosts.
 * 1 = added, 0 = left out, -ENOMEM. */
static int db_host_add(ld_t *ld, json_t *item, cfg_host_skip_fn skip, void *ud)
{
	cfg_t *cfg = ld->cfg;
	int64_t host_id = json_integer_value(json_object_get(item, "host-id"));
	cfg_host_t *h = &cfg->hosts[cfg->n_hosts];
	int r = db_host_parse(ld, item, h);

	if (r == 1) {
		return 0;
	}
	if (r == 0 && cfg_host_find(cfg, h->subnet_id, h->id_type, h->id, h->id_len) != NULL) {
		cfg_host_done(h);       /* the configuration file's reservation wins */
		return 0;
	}
	if (r == 0 && cfg->ip_res_unique && h->addr != 0 &&
	    cfg_host_find_by_addr(cfg, h->subnet_id, h->addr) != NULL) {
		char a[INADDR_STRLEN];
		r = load_fail(ld, "ip-address", "there's already a reservation for address %s in subnet id %u",
		              inaddr_fmt(h->addr, a), h->subnet_id);
	}
	if (r < 0) {
		cfg_host_done(h);
		if (r == -ENOMEM) {
			return r;
		}
		db_host_skipped(ld, skip, ud, host_id);
		return 0;
	}
	cfg->n_hosts++;
	return 1;
}

/* Rebuild the index over config + database hosts. A database host that
 * repeats an earlier database host (same identifier in the subnet, or its
 * address when unique) is dropped: the first database wins, as in Kea. */
static int db_index_rebuild(ld_t *ld, size_t base, int added, cfg_host_skip_fn skip, void *ud,
                            int64_t *ids)
{
	cfg_t *cfg = ld->cfg;

	for (;;) {
		size_t dup = 0;
		bool by_addr = false;

		host_index_free(cfg);
		int r = host_index_build(cfg, cfg->ip_res_unique, &dup, &by_addr);
		if (r != -EEXIST || dup < base) {
			return r < 0 ? r : added;
		}
		cfg_host_t *h = &cfg->hosts[dup];
		char a[INADDR_STRLEN];
		ld->plen = (size_t)snprintf(ld->path, sizeof(ld->path), "hosts-database host_id %lld",
		                            (long long)ids[dup - base]);
		if (by_addr) {
			load_fail(ld, "ip-address", "there's already a reservation for address %s in subnet id %u",
			          inaddr_fmt(h->addr, a), h->subnet_id);
		} else {
			load_fail(ld, load_id_names[h->id_type], "a host with this %s has already been added to subnet id %u",
			          load_id_names[h->id_type], h->subnet_id);
		}
		db_host_skipped(ld, skip, ud, ids[dup - base]);
		cfg_host_done(h);
		size_t tail = cfg->n_hosts - dup - 1;
		memmove(h, h + 1, tail * sizeof(*h));
		memmove(&ids[dup - base], &ids[dup - base + 1], tail * sizeof(*ids));
		cfg->n_hosts--;
		added--;
	}
}

int cfg_hosts_add_json(cfg_t *cfg, json_t *arr, cfg_host_skip_fn skip, void *ud)
{
	cfg_err_t err = { 0 };
	ld_t ld = { .cfg = cfg, .err = &err, .classes_cap = cfg->n_classes };
	size_t n = json_array_size(arr), base = cfg->n_hosts;
	int added = 0, r = 0;

	cfg_host_t *v = realloc(cfg->hosts, (base + n + 1) * sizeof(*v));
	if (v != NULL) {
		cfg->hosts = v;
	}
	int64_t *ids = malloc((n + 1) * sizeof(*ids));
	ld.scratch = malloc(OPT_SCRATCH);
	/* the option-defs were checked when @cfg loaded; options need them again */
	if (v == NULL || ids == NULL || ld.scratch == NULL || load_parse_optdefs(&ld, cfg->json) < 0) {
		r = -ENOMEM;
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		json_t *item = json_array_get(arr, i);
		r = db_host_add(&ld, item, skip, ud);
		if (r > 0) {
			ids[added++] = json_integer_value(json_object_get(item, "host-id"));
		}
	}
	if (r >= 0) {
		r = db_index_rebuild(&ld, base, added, skip, ud, ids);
	}
	free(ids);
	free(ld.scratch);
	optdef_set_done(&ld.defs);
	return r == -ENOMEM || r >= 0 ? r : -ENOMEM;
}

/* ---- per-packet hosts-database lookups ---- */

int cfg_hosts_db_prepare(cfg_t *cfg)
{
	cfg_err_t err = { 0 };
	ld_t ld = { .cfg = cfg, .err = &err, .classes_cap = cfg->n_classes };
	optdef_set_t *defs = calloc(1, sizeof(*defs));

	if (defs == NULL || load_parse_optdefs(&ld, cfg->json) < 0) {
		free(defs);
		optdef_set_done(&ld.defs);
		return -ENOMEM;
	}
	*defs = ld.defs;
	cfg->hosts_db_defs = defs;
	cfg->hosts_db_lookup = true;
	return 0;
}

void cfg_hosts_db_done(cfg_t *cfg)
{
	if (cfg->hosts_db_defs != NULL) {
		optdef_set_done(cfg->hosts_db_defs);
		free(cfg->hosts_db_defs);
		cfg->hosts_db_defs = NULL;
	}
}

int cfg_host_parse_json(const cfg_t *cfg, json_t *item, cfg_host_t *h, cfg_host_skip_fn skip,
                        void *ud)
{
	cfg_err_t err = { 0 };
	/* frozen: the parser only reads @cfg, so workers may share it */
	ld_t ld = { .cfg = (cfg_t *)cfg, .err = &err, .frozen = true };

	assert_return(cfg->hosts_db_defs != NULL, -EINVAL);
	ld.defs = *cfg->hosts_db_defs;  /* borrowed: never freed or grown here */
	ld.scratch = malloc(OPT_SCRATCH);
	if (ld.scratch == NULL) {
		return -ENOMEM;
	}
	int r = db_host_parse(&ld, item, h);
	free(ld.scratch);
	if (r == 0) {
		return 1;
	}
	cfg_host_done(h);
	if (r == -ENOMEM) {
		return r;
	}
	if (r < 0) {
		db_host_skipped(&ld, skip, ud, json_integer_value(json_object_get(item, "host-id")));
	}
	return 0;
}

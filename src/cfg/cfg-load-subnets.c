/* Configuration loader: subnet4, pools and shared-networks, with the
 * inheritable parameters (cfg-load-lvl.c) resolved global -> shared network -> subnet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "util/inaddr.h"

/* ---- pools ---- */

static const char *const pool_keys[] = {
	"pool", "pool-id", "option-data", "client-class", "require-client-classes",
	"user-context", "comment", NULL,
};

static int parse_range(const char *s, uint32_t *ret_first, uint32_t *ret_last)
{
	char buf[64];
	size_t n = 0;

	/* Kea strips all whitespace before looking for '-' or '/'. */
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			continue;
		}
		if (n + 1 >= sizeof(buf)) {
			return -EINVAL;
		}
		buf[n++] = *p;
	}
	buf[n] = '\0';
	char *dash = strchr(buf, '-');
	if (dash != NULL) {
		*dash = '\0';
		if (inaddr_parse(buf, ret_first) < 0 || inaddr_parse(dash + 1, ret_last) < 0) {
			return -EINVAL;
		}
		return *ret_first <= *ret_last ? 0 : -ERANGE;
	}
	uint32_t net;
	uint8_t plen;
	if (strchr(buf, '/') == NULL || inaddr_prefix_parse(buf, &net, &plen) < 0) {
		return -EINVAL;
	}
	*ret_first = net;
	*ret_last = net | ~inaddr_mask(plen);
	return 0;
}

static int parse_pool(ld_t *ld, json_t *o, cfg_subnet4_t *s, cfg_pool_t *p)
{
	const char *range = NULL, *cls = NULL;
	int r;

	*p = (cfg_pool_t){ .client_class = CFG_CLASS_NONE };
	if ((r = load_check_keys(ld, o, "pools", pool_keys, NULL)) < 0 ||
	         (r = load_get_str(ld, o, "pool", &range)) < 0 || (r = load_get_str(ld, o, "client-class", &cls)) < 0 ||
	         (r = load_get_u32(ld, o, "pool-id", &p->pool_id, NULL)) < 0) {
		return r;
	}
	if (range == NULL) {
		return load_fail(ld, NULL, "missing parameter 'pool'");
	}
	/* Kea 2.2's words (Pool4Parser, Subnet::addPool()), which tools grep for */
	r = parse_range(range, &p->first, &p->last);
	if (r < 0 && strpbrk(range, "-/") == NULL) {
		return load_fail(ld, "pool", "invalid pool definition: %s. There are two acceptable formats <min address-max address> or <prefix/len>",
		                 range);
	}
	if (r < 0) {
		return load_fail(ld, "pool", "Failed to create pool defined by: %s%s", range,
		                 r == -ERANGE ? " (the first address is greater than the last)" : "");
	}
	if (!cfg_subnet4_contains(s, p->first) || !cfg_subnet4_contains(s, p->last)) {
		char nb[INADDR_STRLEN], fb[INADDR_STRLEN], lb[INADDR_STRLEN];
		return load_fail(ld, "pool", "subnet configuration failed: a pool of type V4, with the following address range: %s-%s does not match the prefix of a subnet: %s/%u to which it is being added",
		                 inaddr_fmt(p->first, fb), inaddr_fmt(p->last, lb), inaddr_fmt(s->net, nb), s->plen);
	}
	if (cls != NULL && cls[0] != '\0') {
		p->client_class = load_class_ref(ld, cls);
		if (p->client_class < 0) {
			return p->client_class;
		}
	}
	if ((r = load_parse_class_list(ld, o, "require-client-classes", &p->require)) < 0 ||
	         (r = load_parse_options(ld, o, &p->opts)) < 0) {
		return r;
	}
	return 0;
}

/* ---- subnets ---- */

static const char *const subnet_keys[] = {
	"id", "subnet", "pools", "option-data", "interface", "client-class",
	"require-client-classes", "reservations", "relay", "valid-lifetime", "min-valid-lifetime",
	"max-valid-lifetime", "renew-timer", "rebind-timer", "calculate-tee-times", "t1-percent",
	"t2-percent", "match-client-id", "authoritative", "next-server", "server-hostname",
	"boot-file-name", "reservation-mode", "reservations-global", "reservations-in-subnet",
	"reservations-out-of-pool", "user-context", "comment", "allocator", "store-extended-info",
	"offer-lifetime", "ddns-send-updates", "ddns-override-no-update",
	"ddns-override-client-update", "ddns-replace-client-name", "ddns-generated-prefix",
	"ddns-qualifying-suffix", "ddns-update-on-renew", "ddns-use-conflict-resolution",
	"ddns-conflict-resolution-mode", "ddns-ttl-percent", "hostname-char-set",
	"hostname-char-replacement", "cache-threshold", "cache-max-age", NULL,
};
static const char *const subnet_unsup[] = {
	"4o6-interface", "4o6-interface-id", "4o6-subnet", "interface-id", NULL,
};
static const char *const network_keys[] = {
	"name", "subnet4", "interface", "client-class", "require-client-classes", "option-data",
	"relay", "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer",
	"rebind-timer", "calculate-tee-times", "t1-percent", "t2-percent", "match-client-id",
	"authoritative", "next-server", "server-hostname", "boot-file-name", "reservation-mode",
	"reservations-global", "reservations-in-subnet", "reservations-out-of-pool",
	"user-context", "comment", "allocator", "store-extended-info", "offer-lifetime",
	"ddns-send-updates", "ddns-override-no-update", "ddns-override-client-update",
	"ddns-replace-client-name", "ddns-generated-prefix", "ddns-qualifying-suffix",
	"ddns-update-on-renew", "ddns-use-conflict-resolution", "ddns-conflict-resolution-mode",
	"ddns-ttl-percent", "hostname-char-set", "hostname-char-replacement", "cache-threshold",
	"cache-max-age", NULL,
};
static const char *const network_unsup[] = { NULL };

/* Per-subnet load-time bookkeeping (dropped after the load). */
typedef struct sub_src {
	json_t *json;
	char *path;
	int network;                    /* index in cfg->networks or -1 */
	bool has_id;
} sub_src_t;

#define PICK(field, has)                                                        \
	(sl->has ? sl->field : nl != NULL && nl->has ? nl->field : gl->has ? gl->field : dflt.field)
#define PICKB(field, has) (sl->has || (nl != NULL && nl->has) || gl->has)

static int resolve_subnet(ld_t *ld, cfg_subnet4_t *s, const lvl_t *gl, const lvl_t *nl,
                          const lvl_t *sl)
{
	static const lvl_t dflt = {
		.valid = 7200, .calc = false, .t1 = 0.5, .t2 = 0.875, .auth = false, .mcid = true,
		.alloc = CFG_ALLOC_ITERATIVE, .rg = false, .ris = true, .roop = false,
	};
	cfg_lifetimes_t *l = &s->lft;
	bool has_valid = PICKB(valid, has_valid), has_min = PICKB(min, has_min),
	     has_max = PICKB(max, has_max);

	l->valid = PICK(valid, has_valid);
	l->min_valid = has_min ? PICK(min, has_min) : 0;
	l->max_valid = has_max ? PICK(max, has_max) : 0;
	if (!has_valid && has_min) {
		l->valid = l->min_valid;
	}
	if (!has_min) {
		l->min_valid = l->valid;
	}
	if (!has_max) {
		l->max_valid = l->valid;
	}
	if (l->min_valid > l->valid) {
		return load_fail(ld, "valid-lifetime", "the value of min-valid-lifetime (%u) is greater than valid-lifetime (%u)",
		                 l->min_valid, l->valid);
	}
	if (l->valid > l->max_valid) {
		return load_fail(ld, "valid-lifetime", "the value of valid-lifetime (%u) is greater than max-valid-lifetime (%u)",
		                 l->valid, l->max_valid);
	}
	l->has_renew = PICKB(renew, has_renew);
	l->renew = l->has_renew ? PICK(renew, has_renew) : 0;
	l->has_rebind = PICKB(rebind, has_rebind);
	l->rebind = l->has_rebind ? PICK(rebind, has_rebind) : 0;
	l->calculate_tee_times = PICK(calc, has_calc);
	l->t1_percent = PICK(t1, has_t1);
	l->t2_percent = PICK(t2, has_t2);
	s->authoritative = PICK(auth, has_auth);
	s->match_client_id = PICK(mcid, has_mcid);
	s->allocator = PICK(alloc, has_alloc);
	s->reservations_global = PICK(rg, has_rg);
	s->reservations_in_subnet = PICK(ris, has_ris);
	s->reservations_out_of_pool = PICK(roop, has_roop);
	s->store_extended_info = PICK(sei, has_sei);
	s->has_cache_threshold = PICKB(cthr, has_cthr);
	s->cache_threshold = s->has_cache_threshold ? PICK(cthr, has_cthr) : 0.0;
	s->has_cache_max_age = PICKB(cmax, has_cmax);
	s->cache_max_age = s->has_cache_max_age ? PICK(cmax, has_cmax) : 0;
	s->has_next_server = PICKB(ns, has_ns);
	s->next_server = s->has_next_server ? PICK(ns, has_ns) : 0;

	const char *sname = sl->sname != NULL                 ? sl->sname
	                    : nl != NULL && nl->sname != NULL ? nl->sname
	                                                      : gl->sname;
	const char *file = sl->file != NULL                 ? sl->file
	                   : nl != NULL && nl->file != NULL ? nl->file
	                                                    : gl->file;
	const char *iface = sl->iface != NULL ? sl->iface : nl != NULL ? nl->iface : NULL;
	if (sl->iface != NULL && nl != NULL && nl->iface != NULL &&
	    strcmp(sl->iface, nl->iface) != 0) {
		return load_fail(ld, "interface", "subnet interface '%s' does not match shared network interface '%s'",
		                 sl->iface, nl->iface);
	}
	s->server_hostname = load_dup_nonempty(sname);
	s->boot_file_name = load_dup_nonempty(file);
	s->interface = load_dup_nonempty(iface);
	if ((sname != NULL && sname[0] != '\0' && s->server_hostname == NULL) ||
	    (file != NULL && file[0] != '\0' && s->boot_file_name == NULL) ||
	    (iface != NULL && iface[0] != '\0' && s->interface == NULL)) {
		return load_oom(ld);
	}
	/* The subnet's own guard; a shared network's guard applies when the
	 * subnet has none. Kea requires both when both are set; this model has
	 * one guard per subnet, so two different ones are refused. */
	if (sl->client_class != CFG_CLASS_NONE && nl != NULL &&
	    nl->client_class != CFG_CLASS_NONE && sl->client_class != nl->client_class) {
		return load_fail(ld, "client-class", "different client-class guards on a subnet and its shared network are not supported yet");
	}
	s->client_class = sl->client_class != CFG_CLASS_NONE ? sl->client_class
	                  : nl != NULL ? nl->client_class : CFG_CLASS_NONE;

	/* Kea matches giaddr against the subnet's and its network's relays. */
	size_t nr = sl->n_relays + (nl != NULL ? nl->n_relays : 0);
	if (nr > 0) {
		s->relay_addrs = calloc(nr, sizeof(uint32_t));
		if (s->relay_addrs == NULL) {
			return load_oom(ld);
		}
		for (size_t i = 0; i < sl->n_relays; i++) {
			s->relay_addrs[s->n_relay_addrs++] = sl->relays[i];
		}
		for (size_t i = 0; nl != NULL && i < nl->n_relays; i++) {
			s->relay_addrs[s->n_relay_addrs++] = nl->relays[i];
		}
	}
	int r = load_resolve_names(ld, s, gl, nl, sl);
	if (r < 0) {
		return r;
	}
	if (sl->has_sid) {
		s->has_server_id = true, s->server_id = sl->sid;
	} else if (nl != NULL && nl->has_sid) {
		s->has_server_id = true, s->server_id = nl->sid;
	} else if (gl->has_sid) {
		s->has_server_id = true, s->server_id = gl->sid;
	}
	return 0;
}

static int pool_cmp(const void *a, const void *b)
{
	const cfg_pool_t *x = *(const cfg_pool_t *const *)a, *y = *(const cfg_pool_t *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int parse_subnet(ld_t *ld, json_t *o, cfg_subnet4_t *s, sub_src_t *src, const lvl_t *gl,
                        const lvl_t *nl)
{
	const char *prefix = NULL;
	lvl_t sl = { .client_class = CFG_CLASS_NONE };
	int r;

	*s = (cfg_subnet4_t){ .client_class = CFG_CLASS_NONE };
	if ((r = load_check_keys(ld, o, "subnet4", subnet_keys, subnet_unsup)) < 0 ||
	         (r = load_get_str(ld, o, "subnet", &prefix)) < 0 ||
	         (r = load_get_u32(ld, o, "id", &s->id, &src->has_id)) < 0) {
		return r;
	}
	if (src->has_id && s->id == 0) {
		src->has_id = false;    /* 0 = auto, as in Kea */
	}
	if (prefix == NULL) {
		return load_fail(ld, NULL, "missing parameter 'subnet'");
	}
	if (src->has_id && s->id == UINT32_MAX) {
		return load_fail(ld, "id", "subnet configuration failed: The 'id' value (%u) is not within expected range: (0 - 4294967294)",
		                 s->id);
	}
	if (inaddr_prefix_parse(prefix, &s->net, &s->plen) < 0) {
		const char *slash = strchr(prefix, '/');
		if (slash == NULL) {
			return load_fail(ld, "subnet", "subnet configuration failed: Invalid subnet syntax (prefix/len expected):%s", prefix);
		}
		if (slash[1] == '\0' || strspn(slash + 1, "0123456789") != strlen(slash + 1)) {
			return load_fail(ld, "subnet", "subnet configuration failed: prefix length: '%s' is not an integer", slash + 1);
		}
		if (atoi(slash + 1) > 32) {
			return load_fail(ld, "subnet", "subnet configuration failed: Invalid prefix length specified for subnet: %s", slash + 1);
		}
		return load_fail(ld, "subnet", "subnet configuration failed: Failed to convert string to address '%.*s': Invalid argument",
		                 (int)(slash - prefix), prefix);
	}
	s->mask = inaddr_mask(s->plen);
	s->user_context = json_object_get(o, "user-context");

	r = load_parse_lvl(ld, o, &sl);
	if (r >= 0) {
		r = load_parse_class_list(ld, o, "require-client-classes", &s->require);
	}
	if (r >= 0) {
		r = load_parse_options(ld, o, &s->opts);
	}
	if (r >= 0) {
		sl.has_sid = load_optset_server_id(&s->opts, &sl.sid);
		r = resolve_subnet(ld, s, gl, nl, &sl);
	}
	free(sl.relays);
	if (r < 0) {
		return r;
	}

	json_t *pools;
	if ((r = load_get_array(ld, o, "pools", &pools)) < 0) {
		return r;
	}
	size_t np = pools != NULL ? json_array_size(pools) : 0;
	if (np > 0) {
		s->pools = calloc(np, sizeof(*s->pools));
		if (s->pools == NULL) {
			return load_oom(ld);
		}
		size_t mark = load_push_key(ld, "pools");
		for (size_t i = 0; i < np; i++) {
			size_t m2 = load_push_idx(ld, i);
			json_t *po = json_array_get(pools, i);
			if ((r = load_need_object(ld, po, NULL)) < 0) {
				return r;
			}
			r = parse_pool(ld, po, s, &s->pools[i]);
			s->n_pools = i + 1;
			if (r < 0) {
				return r;
			}
			load_pop(ld, m2);
		}
		/* Overlapping pools in one subnet are an error in Kea. */
		cfg_pool_t **sorted = calloc(np, sizeof(*sorted));
		if (sorted == NULL) {
			return load_oom(ld);
		}
		for (size_t i = 0; i < np; i++) {
			sorted[i] = &s->pools[i];
		}
		qsort(sorted, np, sizeof(*sorted), pool_cmp);
		for (size_t i = 1; i < np; i++) {
			if (sorted[i]->first <= sorted[i - 1]->last) {
				size_t bad = (size_t)(MAX(sorted[i], sorted[i - 1]) - s->pools);
				char a[INADDR_STRLEN], b[INADDR_STRLEN], nb[INADDR_STRLEN];
				free(sorted);
				load_push_idx(ld, bad);
				return load_fail(ld, "pool",
				                 "subnet configuration failed: a pool of type V4, with the following address range: %s-%s overlaps with an existing pool in the subnet: %s/%u to which it is being added",
				                 inaddr_fmt(s->pools[bad].first, a),
				                 inaddr_fmt(s->pools[bad].last, b), inaddr_fmt(s->net, nb), s->plen);
			}
		}
		free(sorted);
		load_pop(ld, mark);
	}
	return 0;
}

static int sub_id_cmp(const void *a, const void *b)
{
	const cfg_subnet4_t *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct sort_ref {
	uint32_t key1, key2;
	size_t idx;
} sort_ref_t;

static int ref_cmp(const void *a, const void *b)
{
	const sort_ref_t *x = a, *y = b;

	if (x->key1 != y->key1) {
		return x->key1 < y->key1 ? -1 : 1;
	}
	if (x->key2 != y->key2) {
		return x->key2 < y->key2 ? -1 : 1;
	}
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Subnets from subnet4 and from every shared network, then ids, sorting,
 * duplicate checks and the reservations (which need final ids). */
int load_parse_subnets(ld_t *ld, json_t *d4, const lvl_t *gl, char ***host_paths,
                       size_t *host_cap)
{
	cfg_t *cfg = ld->cfg;
	json_t *top, *nets;
	int r;

	if ((r = load_get_array(ld, d4, "subnet4", &top)) < 0 ||
	         (r = load_get_array(ld, d4, "shared-networks", &nets)) < 0) {
		return r;
	}
	size_t total = top != NULL ? json_array_size(top) : 0;
	size_t nn = nets != NULL ? json_array_size(nets) : 0;
	for (size_t i = 0; i < nn; i++) {
		json_t *sub = json_object_get(json_array_get(nets, i), "subnet4");
		total += json_is_array(sub) ? json_array_size(sub) : 0;
	}
	cfg->subnets = calloc(total > 0 ? total : 1, sizeof(*cfg->subnets));
	sub_src_t *src = calloc(total > 0 ? total : 1, sizeof(*src));
	lvl_t *nl = calloc(nn > 0 ? nn : 1, sizeof(*nl));
	cfg->networks = calloc(nn > 0 ? nn : 1, sizeof(*cfg->networks));
	sort_ref_t *refs = calloc(total > 0 ? total : 1, sizeof(*refs));
	if (cfg->subnets == NULL || src == NULL || nl == NULL || cfg->networks == NULL ||
	    refs == NULL) {
		free(src);
		free(nl);
		free(refs);
		return load_oom(ld);
	}

	/* shared networks first: they hold parameters their subnets inherit */
	size_t mark = load_push_key(ld, "shared-networks");
	for (size_t i = 0; i < nn && r >= 0; i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(nets, i);
		cfg_shared_network_t *net = &cfg->networks[i];
		const char *name = NULL;
		cfg->n_networks = i + 1;
		*net = (cfg_shared_network_t){ .client_class = CFG_CLASS_NONE };
		if ((r = load_need_object(ld, o, NULL)) < 0 ||
		         (r = load_check_keys(ld, o, "shared-networks", network_keys, network_unsup)) < 0 ||
		         (r = load_get_str(ld, o, "name", &name)) < 0) {
			break;
		}
		if (name == NULL) {
			r = load_fail(ld, NULL, "missing parameter 'name'");
			break;
		}
		if (name[0] == '\0') {
			/* Kea 2.2's text, its empty list of subnets included */
			r = load_fail(ld, "name", "Shared-network with subnets  is missing mandatory 'name' parameter");
			break;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->networks[j].name, name) == 0) {
				r = load_fail(ld, "name", "duplicate network '%s' found in the configuration", name);
				break;
			}
		}
		if (r < 0) {
			break;
		}
		net->name = strdup(name);
		if (net->name == NULL) {
			r = load_oom(ld);
			break;
		}
		if ((r = load_parse_lvl(ld, o, &nl[i])) < 0 ||
		         (r = load_parse_class_list(ld, o, "require-client-classes", &net->require)) < 0 ||
		         (r = load_parse_options(ld, o, &net->opts)) < 0) {
			break;
		}
		nl[i].has_sid = load_optset_server_id(&net->opts, &nl[i].sid);
		net->client_class = nl[i].client_class;
		load_pop(ld, m2);
	}
	if (r >= 0) {
		load_pop(ld, mark);
	}

	/* subnets: networks' members first, then top-level subnet4 */
	size_t k = 0;
	for (size_t i = 0; i < nn && r >= 0; i++) {
		json_t *sub;
		mark = load_push_key(ld, "shared-networks");
		load_push_idx(ld, i);
		if ((r = load_get_array(ld, json_array_get(nets, i), "subnet4", &sub)) < 0) {
			break;
		}
		load_push_key(ld, "subnet4");
		for (size_t j = 0; sub != NULL && j < json_array_size(sub); j++) {
			size_t m2 = load_push_idx(ld, j);
			json_t *o = json_array_get(sub, j);
			src[k].network = (int)i;
			src[k].json = o;
			src[k].path = strdup(ld->path);
			cfg->n_subnets = k + 1;
			if (src[k].path == NULL) {
				r = load_oom(ld);
				break;
			}
			if ((r = load_need_object(ld, o, NULL)) < 0 ||
			         (r = parse_subnet(ld, o, &cfg->subnets[k], &src[k], gl, &nl[i])) < 0) {
				break;
			}
			k++;
			load_pop(ld, m2);
		}
		if (r >= 0) {
			load_pop(ld, mark);
		}
	}
	if (r >= 0 && top != NULL) {
		mark = load_push_key(ld, "subnet4");
		for (size_t j = 0; j < json_array_size(top); j++) {
			size_t m2 = load_push_idx(ld, j);
			json_t *o = json_array_get(top, j);
			src[k].network = -1;
			src[k].json = o;
			src[k].path = strdup(ld->path);
			cfg->n_subnets = k + 1;
			if (src[k].path == NULL) {
				r = load_oom(ld);
				break;
			}
			if ((r = load_need_object(ld, o, NULL)) < 0 ||
			         (r = parse_subnet(ld, o, &cfg->subnets[k], &src[k], gl, NULL)) < 0) {
				break;
			}
			k++;
			load_pop(ld, m2);
		}
		if (r >= 0) {
			load_pop(ld, mark);
		}
	}
	for (size_t i = 0; i < nn; i++) {
		free(nl[i].relays);
	}
	free(nl);

	if (r >= 0) {
		/* Auto ids (absent or 0), as Kea 2.2 assigns them (checked with
		 * config-get): a counter from 1, one step per id-less subnet, in
		 * parse order (shared networks' subnets first: Kea walks the Dhcp4
		 * map alphabetically), without skipping explicit ids; a clash with
		 * an explicit id is the duplicate-id error below. */
		uint32_t next_id = 0;
		for (size_t i = 0; i < k; i++) {
			if (!src[i].has_id) {
				cfg->subnets[i].id = ++next_id;
			}
		}
	}
	if (r >= 0 && k > 0) {
		/* duplicate ids and prefixes: sort references, compare neighbours */
		for (int pass = 0; pass < 2 && r >= 0; pass++) {
			for (size_t i = 0; i < k; i++) {
				refs[i] = (sort_ref_t){
				        .key1 = pass == 0 ? cfg->subnets[i].id
				                          : cfg->subnets[i].net,
				        .key2 = pass == 0 ? 0 : cfg->subnets[i].plen,
				        .idx = i,
				};
			}
			qsort(refs, k, sizeof(*refs), ref_cmp);
			for (size_t i = 1; i < k; i++) {
				if (refs[i].key1 != refs[i - 1].key1 ||
				    refs[i].key2 != refs[i - 1].key2) {
					continue;
				}
				const cfg_subnet4_t *s = &cfg->subnets[refs[i].idx];
				char nb[INADDR_STRLEN];
				snprintf(ld->path, sizeof(ld->path), "%s", src[refs[i].idx].path);
				ld->plen = strlen(ld->path);
				if (pass == 0) {
					r = load_fail(ld, "id", "ID of the new IPv4 subnet '%u' is already in use", s->id);
				} else {
					r = load_fail(ld, "subnet", "subnet with the prefix of '%s/%u' already exists",
					              inaddr_fmt(s->net, nb), s->plen);
				}
				break;
			}
		}
	}
	if (r >= 0) {
		/* Sort by id (Kea's selection order) carrying the sources along;
		 * members of a network keep their configuration order, which is
		 * the original index order (networks were parsed first). */
		for (size_t i = 0; i < k; i++) {
			refs[i] = (sort_ref_t){ .key1 = cfg->subnets[i].id, .idx = i };
		}
		qsort(refs, k, sizeof(*refs), ref_cmp);
		sub_src_t *src2 = calloc(k > 0 ? k : 1, sizeof(*src2));
		size_t *newpos = calloc(k > 0 ? k : 1, sizeof(*newpos));
		int *orig_net = calloc(k > 0 ? k : 1, sizeof(*orig_net));
		if (src2 == NULL || newpos == NULL || orig_net == NULL) {
			r = load_oom(ld);
		} else {
			for (size_t i = 0; i < k; i++) {
				src2[i] = src[refs[i].idx];
				newpos[refs[i].idx] = i;
				orig_net[i] = src[i].network;
			}
			memcpy(src, src2, k * sizeof(*src));
			qsort(cfg->subnets, k, sizeof(*cfg->subnets), sub_id_cmp);
			for (size_t i = 0; i < nn && r >= 0; i++) {
				size_t cnt = 0;
				for (size_t j = 0; j < k; j++) {
					cnt += orig_net[j] == (int)i;
				}
				cfg->networks[i].subnets =
				        calloc(cnt > 0 ? cnt : 1, sizeof(cfg_subnet4_t *));
				if (cfg->networks[i].subnets == NULL) {
					r = load_oom(ld);
				}
			}
			for (size_t j = 0; j < k && r >= 0; j++) {
				if (orig_net[j] >= 0) {
					cfg_shared_network_t *net = &cfg->networks[orig_net[j]];
					net->subnets[net->n_subnets++] = &cfg->subnets[newpos[j]];
					cfg->subnets[newpos[j]].network = net;
				}
			}
		}
		free(src2);
		free(newpos);
		free(orig_net);
	}
	for (size_t i = 0; i < k && r >= 0; i++) {
		snprintf(ld->path, sizeof(ld->path), "%s", src[i].path);
		ld->plen = strlen(ld->path);
		r = load_parse_reservations(ld, src[i].json, &cfg->subnets[i], host_paths, host_cap);
	}
	if (r >= 0) {
		ld->path[0] = '\0';
		ld->plen = 0;
		load_push_key(ld, "Dhcp4");
	}
	for (size_t i = 0; i < total; i++) {
		free(src[i].path);
	}
	free(src);
	free(refs);
	return r;
}

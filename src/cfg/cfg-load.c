/* Kea's Dhcp4 JSON -> cfg_t. Every value is validated here, every inherited
 * parameter resolved (global -> shared network -> subnet), so the packet path
 * only reads. Errors carry the JSON path of the offending member; for text
 * input cfg_load_text() adds the line via cfg_json_locate().
 *
 * Keys follow Kea 2.4's dhcp4_parser.yy: an unknown key is an error; a key
 * lessor knows but does not implement is refused with "not supported yet";
 * a key whose value is a no-op for lessor (ddns-* without dhcp-ddns, re-detect,
 * sanity-checks, ...) is accepted and stays in cfg->json for config-get.
 *
 * This file holds the entry points and the Dhcp4 map itself; each section's
 * parser lives in cfg-load-<section>.c, sharing cfg-load-int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-json.h"
#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "cfg/host.h"
#include "cfg/subnet.h"
#include "dhcp/optdef.h"
#include "util/inaddr.h"

/* Accept a map whose flags are all off (no-op for lessor); refuse one on. */
static int check_off_flags(ld_t *ld, json_t *d4, const char *key, const char *const *flags,
                           const char *const *other_keys)
{
	json_t *o = json_object_get(d4, key);
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, key)) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, key);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (load_in_list(flags, k)) {
			if (!json_is_boolean(v)) {
				return load_fail(ld, k, "'%s' must be a boolean", k);
			}
			if (json_is_true(v)) {
				return load_fail(ld, k, "'%s' enabled is not supported yet", k);
			}
		} else if (!load_in_list(other_keys, k)) {
			return load_fail(ld, k, "got unexpected keyword \"%s\" in %s map.", k, key);
		}
	}
	load_pop(ld, mark);
	return 0;
}

/* ---- the Dhcp4 map ---- */

static const char *const global_keys[] = {
	"valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer",
	"rebind-timer", "calculate-tee-times", "t1-percent", "t2-percent",
	"decline-probation-period", "subnet4", "shared-networks", "interfaces-config",
	"lease-database", "host-reservation-identifiers", "client-classes", "option-def",
	"option-data", "expired-leases-processing", "dhcp4o6-port", "control-socket",
	"dhcp-queue-control", "echo-client-id", "match-client-id", "authoritative", "next-server",
	"server-hostname", "boot-file-name", "user-context", "comment", "sanity-checks",
	"reservations", "server-tag", "reservation-mode", "reservations-global",
	"reservations-in-subnet", "reservations-out-of-pool", "loggers", "hooks-libraries",
	"hosts-database", "hosts-databases",
	"multi-threading", "allocator", "statistic-default-sample-count",
	"statistic-default-sample-age", "store-extended-info", "offer-lifetime",
	"early-global-reservations-lookup", "ip-reservations-unique", "reservations-lookup-first",
	"parked-packet-limit", "compatibility", "dhcp-ddns", "ddns-send-updates",
	"ddns-override-no-update", "ddns-override-client-update", "ddns-replace-client-name",
	"ddns-generated-prefix", "ddns-qualifying-suffix", "ddns-update-on-renew",
	"ddns-use-conflict-resolution", "ddns-conflict-resolution-mode", "ddns-ttl-percent",
	"hostname-char-set", "hostname-char-replacement", "interface", "client-class", "relay",
	"cache-threshold", "cache-max-age",
	"lessor-metrics", /* lessor's own (cfg/cfg-push.h) */
	NULL,
};
static const char *const global_unsup[] = {
	"config-control",
	NULL,
};

static int parse_globals(ld_t *ld, json_t *d4, lvl_t *gl)
{
	cfg_t *cfg = ld->cfg;
	const char *tag = NULL;
	uint32_t u = 0;
	bool b = false;
	int r;

	/* "interface", "client-class" and "relay" are subnet/network-only in
	 * Kea's grammar; listed above only so their error is precise. */
	for (const char *const *k = (const char *const[]){ "interface", "client-class", "relay", NULL }; *k; k++) {
		if (json_object_get(d4, *k) != NULL) {
			return load_fail(ld, *k, "got unexpected keyword \"%s\" in Dhcp4 map.", *k);
		}
	}
	cfg->decline_probation_period = 86400;
	cfg->echo_client_id = true;
	if ((r = load_get_u32(ld, d4, "decline-probation-period", &cfg->decline_probation_period, NULL)) < 0 ||
	         (r = load_get_bool(ld, d4, "echo-client-id", &cfg->echo_client_id, NULL)) < 0 ||
	         (r = load_get_str(ld, d4, "server-tag", &tag)) < 0 ||
	         (r = load_get_u32(ld, d4, "dhcp4o6-port", &u, NULL)) < 0) {
		return r;
	}
	if (u != 0) {
		return load_fail(ld, "dhcp4o6-port", "DHCPv4-over-DHCPv6 is not supported yet");
	}
	cfg->server_tag = load_dup_nonempty(tag);
	ld->ip_res_unique = true;
	if ((r = load_get_bool(ld, d4, "ip-reservations-unique", &ld->ip_res_unique, NULL)) < 0 ||
	         (r = load_get_bool(ld, d4, "early-global-reservations-lookup",
	                            &cfg->early_global_reservations_lookup, NULL)) < 0) {
		return r;
	}
	if ((r = load_get_bool(ld, d4, "reservations-lookup-first", &b, NULL)) < 0 ||
	         (r = load_get_u32(ld, d4, "parked-packet-limit", &cfg->parked_packet_limit,
	                            &cfg->parked_packet_limit_set)) < 0 ||
	         (r = load_get_u32(ld, d4, "statistic-default-sample-count", &u, NULL)) < 0 ||
	         (r = load_get_u32(ld, d4, "statistic-default-sample-age", &u, NULL)) < 0) {
		return r;
	}
	if ((r = check_off_flags(ld, d4, "compatibility",
	                         (const char *const[]){ "lenient-option-parsing", "ignore-dhcp-server-identifier",
	                                                "ignore-rai-link-selection", "exclude-first-last-24", NULL },
	                         NULL)) < 0 ||
	    (r = check_off_flags(ld, d4, "dhcp-queue-control", (const char *const[]){ "enable-queue", NULL },
	                         (const char *const[]){ "queue-type", "capacity", "user-context", "comment", NULL })) < 0 ||
	    (r = check_off_flags(ld, d4, "dhcp-ddns", (const char *const[]){ "enable-updates", NULL },
	                         (const char *const[]){ "server-ip", "server-port", "sender-ip", "sender-port",
	                                                "max-queue-size", "ncr-protocol", "ncr-format",
	                                                "user-context", "comment", "qualifying-suffix",
	                                                "override-no-update", "override-client-update",
	                                                "replace-client-name", "generated-prefix",
	                                                "hostname-char-set", "hostname-char-replacement", NULL })) < 0) {
		return r;
	}
	json_t *sc = json_object_get(d4, "sanity-checks");
	if (sc != NULL) {
		static const char *const sk[] = { "lease-checks", "extended-info-checks", NULL };
		if ((r = load_need_object(ld, sc, "sanity-checks")) < 0) {
			return r;
		}
		size_t mark = load_push_key(ld, "sanity-checks");
		const char *lc = NULL;
		if ((r = load_check_keys(ld, sc, "sanity-checks", sk, NULL)) < 0 ||
		         (r = load_get_str(ld, sc, "lease-checks", &lc)) < 0) {
			return r;
		}
		if (lc != NULL && !load_in_list((const char *const[]){ "none", "warn", "fix", "fix-del", "del", NULL }, lc)) {
			return load_fail(ld, "lease-checks", "unsupported lease-checks value '%s'", lc);
		}
		load_pop(ld, mark);
	}
	if ((r = load_parse_lvl(ld, d4, gl)) < 0 || (r = load_parse_options(ld, d4, &cfg->opts)) < 0) {
		return r;
	}
	gl->has_sid = load_optset_server_id(&cfg->opts, &gl->sid);
	cfg->has_server_id = gl->has_sid;
	cfg->server_id = gl->sid;
	return 0;
}

int load_parse_optdefs(ld_t *ld, json_t *d4)
{
	json_t *defs;
	int r = load_get_array(ld, d4, "option-def", &defs);

	if (r < 0 || defs == NULL) {
		return r;
	}
	size_t mark = load_push_key(ld, "option-def");
	for (size_t i = 0; i < json_array_size(defs); i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(defs, i);
		if ((r = load_need_object(ld, o, NULL)) < 0 ||
		    (r = load_parse_optdef(ld, o, &ld->defs, false)) < 0) {
			return r;
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

static int load(json_t *root, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	ld_t ld = { .err = reterr };
	cfg_t *cfg;
	lvl_t gl = { .client_class = CFG_CLASS_NONE };
	char **host_paths = NULL;
	size_t host_cap = 0;
	int r = 0;

	if (!json_is_object(root)) {
		return load_fail(&ld, NULL, "the configuration must be a map");
	}
	json_t *d4 = json_object_get(root, "Dhcp4");
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		if (strcmp(key, "Dhcp4") != 0 && strcmp(key, "Dhcp6") != 0 && strcmp(key, "DhcpDdns") != 0 &&
		    strcmp(key, "Control-agent") != 0 && strcmp(key, "Netconf") != 0) {
			return load_fail(&ld, key, "got unexpected keyword \"%s\" in toplevel map.", key);
		}
	}
	if (d4 == NULL) {
		return load_fail(&ld, NULL, "missing mandatory 'Dhcp4' map");
	}
	load_push_key(&ld, "Dhcp4");
	if (!json_is_object(d4)) {
		return load_fail(&ld, NULL, "'Dhcp4' must be a map");
	}
	cfg = calloc(1, sizeof(*cfg));
	ld.scratch = malloc(OPT_SCRATCH);
	if (cfg == NULL || ld.scratch == NULL) {
		free(cfg);
		free(ld.scratch);
		return load_oom(&ld);
	}
	ld.cfg = cfg;
	cfg->refcount = 1;
	cfg->json = json_incref(d4);

	/* builtins at fixed indexes */
	static const char *const builtins[] = { "ALL", "KNOWN", "UNKNOWN", "DROP" };
	for (size_t i = 0; i < ARRAY_SIZE(builtins) && r >= 0; i++) {
		r = load_class_append(&ld, builtins[i], true);
	}

	if (r >= 0) {
		r = load_check_keys(&ld, d4, "Dhcp4", global_keys, global_unsup);
	}
	if (r >= 0) {
		r = load_parse_optdefs(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_classes(&ld, d4);
	}
	if (r >= 0) {
		r = parse_globals(&ld, d4, &gl);
	}
	if (r >= 0) {
		r = load_parse_interfaces(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_lease_db(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_hosts_dbs(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_expired(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_mt(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_loggers(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_control_socket(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_hooks(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_push(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_host_ids(&ld, d4);
	}
	if (r >= 0) {
		r = load_parse_subnets(&ld, d4, &gl, &host_paths, &host_cap);
	}
	if (r >= 0) {
		r = load_parse_reservations(&ld, d4, NULL, &host_paths, &host_cap);
	}
	if (r >= 0) {
		size_t dup = 0;
		bool by_addr = false;
		cfg->ip_res_unique = ld.ip_res_unique;
		r = host_index_build(cfg, ld.ip_res_unique, &dup, &by_addr);
		if (r == -EEXIST) {
			const cfg_host_t *h = &cfg->hosts[dup];
			char a[INADDR_STRLEN];
			snprintf(ld.path, sizeof(ld.path), "%s", host_paths[dup]);
			ld.plen = strlen(ld.path);
			if (by_addr) {
				r = load_fail(&ld, "ip-address", "there's already a reservation for address %s in subnet id %u",
				              inaddr_fmt(h->addr, a), h->subnet_id);
			} else {
				r = load_fail(&ld, load_id_names[h->id_type], "a host with this %s has already been added to subnet id %u",
				                   load_id_names[h->id_type], h->subnet_id);
			}
		} else if (r < 0) {
			r = load_oom(&ld);
		}
	}
	if (r >= 0) {
		r = subnet_index_build(cfg);
		if (r < 0) {
			r = load_oom(&ld);
		}
	}
	if (r >= 0) {
		load_ha_bind_classes(cfg);
	}
	for (size_t i = 0; i < cfg->n_hosts; i++) {
		free(host_paths[i]);
	}
	free(host_paths);
	free(gl.relays);
	free(ld.scratch);
	optdef_set_done(&ld.defs);
	if (r < 0) {
		cfg_free(cfg);
		return r;
	}
	*ret_cfg = cfg;
	return 0;
}

static cfg_err_t *err_or_dummy(cfg_err_t *e, cfg_err_t *dummy)
{
	cfg_err_t *x = e != NULL ? e : dummy;

	memset(x, 0, sizeof(*x));
	return x;
}

int cfg_load_json(json_t *root, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);

	assert_return(ret_cfg != NULL, -EINVAL);
	/* A private copy: borrowed pointers into cfg->json must not change
	 * under a published config when the caller reuses @root. */
	json_t *copy = json_deep_copy(root);
	if (copy == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	int r = load(copy, ret_cfg, err);
	json_decref(copy);
	return r;
}

int cfg_load_text(const char *text, size_t len, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);
	json_error_t je;

	assert_return(text != NULL && ret_cfg != NULL, -EINVAL);
	char *buf = malloc(len + 1);
	if (buf == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	cfg_json_strip_comments(buf, len);

	/* Kea's <?include "file"?> directive, at the start of a line. */
	for (const char *p = strstr(buf, "<?include"); p != NULL; p = strstr(p + 1, "<?include")) {
		const char *b = p;
		while (b > buf && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (b == buf || b[-1] == '\n') {
			int line = 1;
			for (const char *q = buf; q < p; q++) {
				line += *q == '\n';
			}
			err->line = line;
			snprintf(err->msg, sizeof(err->msg), "'<?include ...?>' is not supported yet");
			free(buf);
			return -EINVAL;
		}
	}

	/* Kea rejects duplicate keys ("duplicate X entries in Y map"). */
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		err->line = je.line > 0 ? je.line : 0;
		snprintf(err->path, sizeof(err->path), "%s", "");
		snprintf(err->msg, sizeof(err->msg), "syntax error: %s", je.text);
		free(buf);
		return -EBADMSG;
	}
	int r = load(root, ret_cfg, err);
	json_decref(root);
	if (r < 0 && err->path[0] != '\0') {
		err->line = cfg_json_locate(buf, len, err->path);
	}
	free(buf);
	return r;
}

int cfg_load_file(const char *path, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);
	FILE *f = fopen(path, "re");
	int r;

	assert_return(path != NULL && ret_cfg != NULL, -EINVAL);
	if (f == NULL) {
		r = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open '%s': %s", path, strerror(-r));
		return r;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 65536 > cap) {
			cap = cap == 0 ? 262144 : cap * 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				snprintf(err->msg, sizeof(err->msg), "out of memory");
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			break;
		}
	}
	if (ferror(f)) {
		r = -EIO;
		snprintf(err->msg, sizeof(err->msg), "cannot read '%s'", path);
		free(buf);
		fclose(f);
		return r;
	}
	fclose(f);
	r = cfg_load_text(buf, len, ret_cfg, err);
	free(buf);
	return r;
}

const char *cfg_err_format(const cfg_err_t *err, char *buf, size_t size)
{
	if (err->path[0] != '\0' && err->line > 0) {
		snprintf(buf, size, "%s (line %d): %s", err->path, err->line, err->msg);
	} else if (err->path[0] != '\0') {
		snprintf(buf, size, "%s: %s", err->path, err->msg);
	} else if (err->line > 0) {
		snprintf(buf, size, "line %d: %s", err->line, err->msg);
	} else {
		snprintf(buf, size, "%s", err->msg);
	}
	return buf;
}

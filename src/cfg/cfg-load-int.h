/* Private to the configuration loader (src/cfg/cfg-load*.c): the loader
 * context, the inheritable-parameter scope and the helpers shared between the
 * per-section files. Not for use outside src/cfg/cfg-load*.c. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "dhcp/optdef.h"

#define OPT_SCRATCH 65535

typedef struct ld {
	cfg_t *cfg;
	cfg_err_t *err;
	char path[512];
	size_t plen;
	optdef_set_t defs;
	const optdef_set_t *cdefs;      /* class-level option-def while parsing a class */
	uint8_t *scratch;
	bool ip_res_unique;
	size_t classes_cap;
	bool frozen;                    /* @cfg is published: never append a class */
} ld_t;

/* Parameters that may appear at global, shared-network and subnet level. */
typedef struct lvl {
	bool has_valid, has_min, has_max, has_renew, has_rebind, has_calc, has_t1, has_t2;
	uint32_t valid, min, max, renew, rebind;
	bool calc;
	double t1, t2;
	bool has_auth, auth, has_mcid, mcid, has_alloc;
	cfg_allocator_t alloc;
	bool has_rg, rg, has_ris, ris, has_roop, roop;
	bool has_sei, sei;              /* store-extended-info */
	bool has_cthr, has_cmax;        /* cache-threshold, cache-max-age */
	double cthr;
	uint32_t cmax;
	bool has_ns;
	uint32_t ns;
	const char *sname, *file;       /* borrowed from json; NULL = not set */
	const char *iface;
	int client_class;
	uint32_t *relays;
	size_t n_relays;
	bool has_sid;
	uint32_t sid;
	/* client names (cfg-load-names.c); borrowed from json, NULL = not set */
	const char *prefix, *suffix, *char_set, *char_repl;
	bool has_replace;
	cfg_replace_name_t replace;
} lvl_t;

/* ---- paths, errors and typed getters (cfg-load-util.c) ---- */

/** Append ".@key" to the error path; returns the mark to restore with load_pop(). */
size_t load_push_key(ld_t *ld, const char *key);

/** Append "[@i]" to the error path; returns the mark to restore with load_pop(). */
size_t load_push_idx(ld_t *ld, size_t i);

/** Truncate the error path back to @mark (from load_push_key()/load_push_idx()). */
void load_pop(ld_t *ld, size_t mark);

/** Record the error at the current path (+ ".@key"); the first error wins. Returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int load_fail(ld_t *ld, const char *key, const char *fmt, ...);

/** Record "out of memory" at the current path; returns -ENOMEM. */
int load_oom(ld_t *ld);

/** True if @key is in the NULL-terminated @list (NULL list = empty). */
bool load_in_list(const char *const *list, const char *key);

/** Every key of @obj must be in @ok; keys in @unsup are refused as not supported. 0 or <0. */
int load_check_keys(ld_t *ld, json_t *obj, const char *map, const char *const *ok,
                    const char *const *unsup);

/** Fail unless @v (member @key) is a JSON object. 0 or -EINVAL. */
int load_need_object(ld_t *ld, json_t *v, const char *key);

/** Optional uint32 member @key into *@ret, *@ret_has = true if present. 0 or negative. */
int load_get_u32(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has);

/** Optional boolean member @key into *@ret, *@ret_has = true if present. 0 or negative. */
int load_get_bool(ld_t *ld, json_t *obj, const char *key, bool *ret, bool *ret_has);

/** Optional string member @key into *@ret, borrowed (absent: untouched). 0 or negative. */
int load_get_str(ld_t *ld, json_t *obj, const char *key, const char **ret);

/** Optional number member @key into *@ret, *@ret_has = true if present. 0 or negative. */
int load_get_double(ld_t *ld, json_t *obj, const char *key, double *ret, bool *ret_has);

/** Optional array member @key into *@ret, borrowed (absent: NULL). 0 or negative. */
int load_get_array(ld_t *ld, json_t *obj, const char *key, json_t **ret);

/** Optional IPv4 member @key into *@ret (host order), *@ret_has = true if present. 0 or <0. */
int load_get_addr(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has);

/** strdup() of @s, or NULL when @s is NULL or empty. */
char *load_dup_nonempty(const char *s);

/* ---- client classes (cfg-load-classes.c) ---- */

/** Append a client-class entry named @name to ld->cfg; returns its index or a negative code. */
int load_class_append(ld_t *ld, const char *name, bool builtin);

/** Index of class @name; an unknown name is appended (builtin or placeholder). Index or <0. */
int load_class_ref(ld_t *ld, const char *name);

/** Parse the optional class-name list @key of @obj into *@ret (dups dropped). 0 or <0. */
int load_parse_class_list(ld_t *ld, json_t *obj, const char *key, cfg_class_list_t *ret);

/** Parse Dhcp4.client-classes into ld->cfg->classes. 0 or negative. */
int load_parse_classes(ld_t *ld, json_t *d4);

/* ---- options and option-def (cfg-load-options.c) ---- */

/** Parse option-data of @obj into @set (defs resolved, encapsulated, sorted). 0 or <0. */
int load_parse_options(ld_t *ld, json_t *obj, cfg_optset_t *set);

/** True and *@ret set (host order) if @set carries a dhcp-server-identifier option. */
bool load_optset_server_id(const cfg_optset_t *set, uint32_t *ret);

/** Parse one option-def entry @o into @set (@class_level: inside a client class). 0 or negative. */
int load_parse_optdef(ld_t *ld, json_t *o, optdef_set_t *set, bool class_level);

/* ---- inheritable parameters, subnets, pools, shared networks (cfg-load-subnets.c) ---- */

/** Parse the inheritable parameters of scope @o (global/network/subnet) into @l. 0 or <0. */
int load_parse_lvl(ld_t *ld, json_t *o, lvl_t *l);

/** Parse subnet4 + shared-networks under @gl, ids, then their reservations. 0 or <0. */
int load_parse_subnets(ld_t *ld, json_t *d4, const lvl_t *gl, char ***host_paths,
                       size_t *host_cap);

/* ---- client names: ddns-* and hostname-char-* (cfg-load-names.c) ---- */

/** Parse the client-name parameters of scope @o into @l. 0 or <0. */
int load_parse_names(ld_t *ld, json_t *o, lvl_t *l);

/** Resolve @s->names from subnet @sl, network @nl (may be NULL) and global @gl. 0 or <0. */
int load_resolve_names(ld_t *ld, cfg_subnet4_t *s, const lvl_t *gl, const lvl_t *nl,
                       const lvl_t *sl);

/* ---- reservations and host identifiers (cfg-load-hosts.c) ---- */

/** Kea names of the host identifier types, indexed by cfg_host_id_type_t. */
extern const char *const load_id_names[_CFG_HOST_ID_MAX];

/** Parse reservations of @obj (@s NULL: global) into ld->cfg, JSON paths in *@paths. 0 or <0. */
int load_parse_reservations(ld_t *ld, json_t *obj, const cfg_subnet4_t *s, char ***paths,
                            size_t *cap);

/** Parse Dhcp4.host-reservation-identifiers (absent: Kea default order). 0 or negative. */
int load_parse_host_ids(ld_t *ld, json_t *d4);

/* ---- process-level sections (cfg-load-misc.c) ---- */

/** Parse Dhcp4.interfaces-config. 0 or negative. */
int load_parse_interfaces(ld_t *ld, json_t *d4);

/* ---- database access maps (cfg-load-db.c) ---- */

/** Parse Dhcp4.lease-database. 0 or negative. */
int load_parse_lease_db(ld_t *ld, json_t *d4);

/** Parse Dhcp4.option-def into ld->defs. 0 or negative. */
int load_parse_optdefs(ld_t *ld, json_t *d4);

/** Parse Dhcp4.hosts-database / hosts-databases into cfg->hosts_dbs. 0 or negative. */
int load_parse_hosts_dbs(ld_t *ld, json_t *d4);

/** Parse Dhcp4.expired-leases-processing. 0 or negative. */
int load_parse_expired(ld_t *ld, json_t *d4);

/** Parse Dhcp4.multi-threading. 0 or negative. */
int load_parse_mt(ld_t *ld, json_t *d4);

/** Parse Dhcp4.loggers. 0 or negative. */
int load_parse_loggers(ld_t *ld, json_t *d4);

/** Parse Dhcp4.control-socket. 0 or negative. */
int load_parse_control_socket(ld_t *ld, json_t *d4);

/** Parse Dhcp4.hooks-libraries. 0 or negative. */
int load_parse_hooks(ld_t *ld, json_t *d4);

/* ---- lessor's own sections (cfg-load-push.c) ---- */

/** Parse Dhcp4."lessor-metrics" into ld->cfg->push. 0 or negative. */
int load_parse_push(ld_t *ld, json_t *d4);

/* ---- libdhcp_ha.so parameters (cfg-load-ha.c) ---- */

/** Parse the hook's @params (may be NULL) into ld->cfg->ha; path at the hooks entry. 0 or <0. */
int load_parse_ha(ld_t *ld, json_t *params);
/** After every class reference is known: cfg->ha->scope_class[]. */
void load_ha_bind_classes(cfg_t *cfg);

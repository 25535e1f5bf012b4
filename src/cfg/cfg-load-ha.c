/* libdhcp_ha.so parameters (hooks-libraries[].parameters): Kea 2.2/2.4's
 * ha_config_parser.cc rules and error texts, with our JSON path and line.
 * As Kea, keys it does not know are ignored; unlike Kea, a map where the
 * list belongs is refused (docs/differences.md). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg-load-int.h"

static const char *const state_names[_CFG_HA_ST_MAX + 1] = {  /* NULL-terminated */
	[CFG_HA_ST_BACKUP] = "backup",
	[CFG_HA_ST_COMMUNICATION_RECOVERY] = "communication-recovery",
	[CFG_HA_ST_HOT_STANDBY] = "hot-standby",
	[CFG_HA_ST_LOAD_BALANCING] = "load-balancing",
	[CFG_HA_ST_IN_MAINTENANCE] = "in-maintenance",
	[CFG_HA_ST_PARTNER_DOWN] = "partner-down",
	[CFG_HA_ST_PARTNER_IN_MAINTENANCE] = "partner-in-maintenance",
	[CFG_HA_ST_PASSIVE_BACKUP] = "passive-backup",
	[CFG_HA_ST_READY] = "ready",
	[CFG_HA_ST_SYNCING] = "syncing",
	[CFG_HA_ST_TERMINATED] = "terminated",
	[CFG_HA_ST_WAITING] = "waiting",
};
static const char *const mode_names[] = { "load-balancing", "hot-standby", "passive-backup", NULL };
static const char *const role_names[] = { "primary", "secondary", "standby", "backup", NULL };
static const char *const pause_names[] = { "never", "once", "always", NULL };

const char *cfg_ha_state_name(cfg_ha_state_t st)
{
	return (unsigned)st < _CFG_HA_ST_MAX ? state_names[st] : "unknown";
}

const char *cfg_ha_mode_name(cfg_ha_mode_t m)
{
	return (unsigned)m <= CFG_HA_PASSIVE_BACKUP ? mode_names[m] : "unknown";
}

const char *cfg_ha_role_name(cfg_ha_role_t r)
{
	return (unsigned)r <= CFG_HA_BACKUP ? role_names[r] : "unknown";
}

static void tls_free(cfg_ha_tls_t *t)
{
	free(t->trust_anchor);
	free(t->cert_file);
	free(t->key_file);
}

void cfg_ha_free(cfg_ha_t *ha)
{
	if (ha == NULL) {
		return;
	}
	for (size_t i = 0; i < ha->n_peers; i++) {
		cfg_ha_peer_t *p = &ha->peers[i];
		free(p->name);
		free(p->url);
		free(p->host);
		free(p->basic_auth_user);
		free(p->basic_auth_password);
		tls_free(&p->tls);
	}
	free(ha->peers);
	tls_free(&ha->tls);
	free(ha->this_server_name);
	free(ha);
}

/* ---- typed getters with Kea's wording (SimpleParser) ---- */

static int bad_type(ld_t *ld, const char *key)
{
	return load_fail(ld, key, "invalid type specified for parameter '%s'", key);
}

static int get_int(ld_t *ld, json_t *o, const char *key, uint32_t max, uint32_t *ret)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_integer(v)) {
		return bad_type(ld, key);
	}
	json_int_t n = json_integer_value(v);
	if (n < 0) {
		return load_fail(ld, key, "'%s' must not be negative", key);
	}
	if (n > (json_int_t)max) {
		return load_fail(ld, key, "'%s' must not be greater than %u", key, max);
	}
	*ret = (uint32_t)n;
	return 0;
}

static int get_bool(ld_t *ld, json_t *o, const char *key, bool *ret)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_boolean(v)) {
		return bad_type(ld, key);
	}
	*ret = json_is_true(v);
	return 0;
}

/* Optional string, borrowed; absent leaves *ret alone. */
static int get_str(ld_t *ld, json_t *o, const char *key, const char **ret)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_string(v)) {
		return bad_type(ld, key);
	}
	*ret = json_string_value(v);
	return 0;
}

static int need_str(ld_t *ld, json_t *o, const char *key, const char **ret)
{
	*ret = NULL;
	int r = get_str(ld, o, key, ret);
	if (r == 0 && *ret == NULL) {
		return load_fail(ld, NULL, "missing parameter '%s'", key);
	}
	return r;
}

/* Index of @s in the NULL-terminated @names or -1. */
static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], s) == 0) {
			return i;
		}
	}
	return -1;
}

/* ---- TLS, URL, basic auth ---- */

static int tls_get(ld_t *ld, json_t *o, cfg_ha_tls_t *t)
{
	static const char *const keys[] = { "trust-anchor", "cert-file", "key-file" };
	char **dst[] = { &t->trust_anchor, &t->cert_file, &t->key_file };

	for (size_t i = 0; i < 3; i++) {
		const char *s = NULL;
		int r = get_str(ld, o, keys[i], &s);
		if (r < 0) {
			return r;
		}
		if (s != NULL) {
			free(*dst[i]);
			*dst[i] = load_dup_nonempty(s);
		}
	}
	return 0;
}

static int tls_copy(ld_t *ld, const cfg_ha_tls_t *src, cfg_ha_tls_t *dst)
{
	const char *in[] = { src->trust_anchor, src->cert_file, src->key_file };
	char **out[] = { &dst->trust_anchor, &dst->cert_file, &dst->key_file };

	for (size_t i = 0; i < 3; i++) {
		if (in[i] != NULL && (*out[i] = strdup(in[i])) == NULL) {
			return load_oom(ld);
		}
	}
	return 0;
}

/* Kea's TlsContext checks: all or none, then each file must load. */
static int tls_check(ld_t *ld, const cfg_ha_peer_t *p)
{
	static const char *const keys[] = { "trust-anchor", "cert-file", "key-file" };
	static const char *const what[] = { "CA file", "cert file", "private key file" };
	const char *v[] = { p->tls.trust_anchor, p->tls.cert_file, p->tls.key_file };
	int set = (v[0] != NULL) + (v[1] != NULL) + (v[2] != NULL);

	if (set == 0) {
		return 0;
	}
	for (size_t i = 0; i < 3; i++) {
		if (set != 3 && v[i] == NULL) {
			return load_fail(ld, NULL, "bad TLS config for server %s: %s parameter is missing or empty: all or none of TLS parameters must be set",
			                 p->name, keys[i]);
		}
	}
	for (size_t i = 0; i < 3; i++) {
		if (access(v[i], R_OK) < 0) {
			return load_fail(ld, keys[i], "bad TLS config for server %s: load of %s '%s' failed: %s",
			                 p->name, what[i], v[i], strerror(errno));
		}
	}
	return 0;
}

/* http(s)://ADDRESS[:PORT][/path] with an IP literal, as Kea's Url + HA check. */
static int url_parse(ld_t *ld, cfg_ha_peer_t *p)
{
	const char *u = p->url, *h;
	char host[INET6_ADDRSTRLEN + 2];

	if (strncmp(u, "http://", 7) == 0) {
		h = u + 7;
	} else if (strncmp(u, "https://", 8) == 0) {
		h = u + 8;
		p->https = true;
	} else {
		return load_fail(ld, "url", "invalid URL: url %s lacks http or https scheme for server %s", u, p->name);
	}
	const char *end;
	if (*h == '[') {
		end = strchr(h, ']');
		if (end == NULL) {
			return load_fail(ld, "url", "invalid URL: url %s lacks closing bracket for server %s", u, p->name);
		}
		h++;
	} else {
		end = h + strcspn(h, ":/");
	}
	size_t n = (size_t)(end - h);
	if (n >= sizeof(host)) {
		n = sizeof(host) - 1;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	unsigned char buf[16];
	if (inet_pton(AF_INET, host, buf) != 1 && inet_pton(AF_INET6, host, buf) != 1) {
		return load_fail(ld, "url", "bad url '%s': Failed to convert string to address '%s': Invalid argument for server %s",
		                 u, host, p->name);
	}
	const char *rest = end + (*end == ']');
	unsigned long port = p->https ? 443 : 80;
	if (*rest == ':') {
		char *e;
		port = strtoul(rest + 1, &e, 10);
		if (e == rest + 1 || port == 0 || port > 65535 || (*e != '\0' && *e != '/')) {
			return load_fail(ld, "url", "invalid URL: url %s has invalid port for server %s", u, p->name);
		}
	}
	p->port = (uint16_t)port;
	if ((p->host = strdup(host)) == NULL) {
		return load_oom(ld);
	}
	if (p->https && p->tls.trust_anchor == NULL) {
		return load_fail(ld, "url", "bad url '%s': https scheme is not supported for server %s where TLS is disabled",
		                 u, p->name);
	}
	return 0;
}

/* First line of @path, without its newline: Kea's basic-auth-password-file. */
static int read_password_file(ld_t *ld, cfg_ha_peer_t *p, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (f == NULL) {
		return load_fail(ld, "basic-auth-password-file", "bad password file in peer '%s': can't open file '%s': %s",
		                 p->name, path, strerror(errno));
	}
	ssize_t n = getline(&line, &cap, f);
	fclose(f);
	if (n < 0) {
		free(line);
		line = strdup("");
		if (line == NULL) {
			return load_oom(ld);
		}
	} else if (n > 0 && line[n - 1] == '\n') {
		line[n - 1] = '\0';
	}
	p->basic_auth_password = line;
	return 0;
}

static int basic_auth(ld_t *ld, json_t *o, cfg_ha_peer_t *p)
{
	const char *user = NULL, *pw = NULL, *pwf = NULL;
	int r;

	if ((r = get_str(ld, o, "basic-auth-user", &user)) < 0 ||
	    (r = get_str(ld, o, "basic-auth-password", &pw)) < 0 ||
	    (r = get_str(ld, o, "basic-auth-password-file", &pwf)) < 0) {
		return r;
	}
	if (user != NULL && strchr(user, ':') != NULL) {
		return load_fail(ld, "basic-auth-user", "user '%s' must not contain a ':' in peer '%s'", user, p->name);
	}
	if (pw != NULL && pwf != NULL) {
		return load_fail(ld, NULL, "only one of basic-auth-password and basic-auth-password-file parameter can be configured in peer '%s'",
		                 p->name);
	}
	/* Kea reads the file even when no user makes use of it */
	if (pwf != NULL) {
		if ((r = read_password_file(ld, p, pwf)) < 0) {
			return r;
		}
	} else if ((p->basic_auth_password = strdup(pw != NULL ? pw : "")) == NULL) {
		return load_oom(ld);
	}
	if (user == NULL || user[0] == '\0') {
		free(p->basic_auth_password);   /* Kea sends no Authorization without a user */
		p->basic_auth_password = NULL;
		return 0;
	}
	if ((p->basic_auth_user = strdup(user)) == NULL) {
		return load_oom(ld);
	}
	return 0;
}

/* ---- peers ---- */

static int parse_peer(ld_t *ld, json_t *o, cfg_ha_t *ha, cfg_ha_peer_t *p)
{
	const char *name, *url, *role;
	int r;

	if (!json_is_object(o)) {
		return load_fail(ld, NULL, "peer configuration must be a map");
	}
	if ((r = need_str(ld, o, "name", &name)) < 0 || (r = need_str(ld, o, "url", &url)) < 0 ||
	    (r = need_str(ld, o, "role", &role)) < 0) {
		return r;
	}
	if (name[0] == '\0') {
		return load_fail(ld, "name", "peer name must not be empty");
	}
	for (size_t i = 0; i < ha->n_peers; i++) {
		if (strcmp(ha->peers[i].name, name) == 0) {
			return load_fail(ld, "name", "peer with name '%s' already specified", name);
		}
	}
	int ri = name_index(role_names, role);
	if (ri < 0) {
		return load_fail(ld, "role", "unsupported value '%s' for role parameter", role);
	}
	p->role = (cfg_ha_role_t)ri;
	p->auto_failover = true;
	if ((p->name = strdup(name)) == NULL || (p->url = strdup(url)) == NULL) {
		return load_oom(ld);
	}
	if ((r = get_bool(ld, o, "auto-failover", &p->auto_failover)) < 0 ||
	    (r = tls_copy(ld, &ha->tls, &p->tls)) < 0 || (r = tls_get(ld, o, &p->tls)) < 0 ||
	    (r = url_parse(ld, p)) < 0 || (r = tls_check(ld, p)) < 0) {
		return r;
	}
	return basic_auth(ld, o, p);
}

static int parse_peers(ld_t *ld, json_t *o, cfg_ha_t *ha)
{
	json_t *arr = json_object_get(o, "peers");
	int r;

	if (arr == NULL) {
		return load_fail(ld, NULL, "'peers' parameter missing in HA configuration");
	}
	if (!json_is_array(arr)) {
		return load_fail(ld, "peers", "'peers' parameter must be a list");
	}
	size_t n = json_array_size(arr);
	if (n > 0 && (ha->peers = calloc(n, sizeof(*ha->peers))) == NULL) {
		return load_oom(ld);
	}
	size_t mark = load_push_key(ld, "peers");
	for (size_t i = 0; i < n; i++) {
		size_t m2 = load_push_idx(ld, i);
		r = parse_peer(ld, json_array_get(arr, i), ha, &ha->peers[ha->n_peers]);
		ha->n_peers++;          /* counted even half-built, so cfg_ha_free() frees it */
		if (r < 0) {
			return r;
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

/* HAConfig::validate(): this server among the peers, then roles per mode. */
static int check_roles(ld_t *ld, cfg_ha_t *ha)
{
	static const char *const plural[] = { "primary", "secondary", "standby", "backup" };
	static const char *const mode_text[] = { "load balancing", "hot standby", "passive backup" };
	size_t count[4] = { 0 };
	bool self = false;

	for (size_t i = 0; i < ha->n_peers; i++) {
		if (strcmp(ha->peers[i].name, ha->this_server_name) == 0) {
			ha->self = i;
			self = true;
		}
	}
	if (!self) {
		return load_fail(ld, "this-server-name", "no peer configuration specified for the '%s'",
		                 ha->this_server_name);
	}
	for (size_t i = 0; i < ha->n_peers; i++) {
		cfg_ha_role_t role = ha->peers[i].role;
		if (role != CFG_HA_BACKUP && ++count[role] > 1) {
			return load_fail(ld, "peers", "multiple %s servers specified", plural[role]);
		}
	}
	/* roles a mode forbids, then roles a mode requires */
	static const bool allowed[3][3] = {
		[CFG_HA_LOAD_BALANCING] = { true, true, false },
		[CFG_HA_HOT_STANDBY] = { true, false, true },
		[CFG_HA_PASSIVE_BACKUP] = { true, false, false },
	};
	for (int role = CFG_HA_SECONDARY; role <= CFG_HA_STANDBY; role++) {
		if (count[role] > 0 && !allowed[ha->mode][role]) {
			return load_fail(ld, "peers", "%s servers not allowed in the %s configuration",
			                 plural[role], mode_text[ha->mode]);
		}
	}
	for (int role = CFG_HA_PRIMARY; role <= CFG_HA_STANDBY; role++) {
		bool need = role == CFG_HA_PRIMARY || allowed[ha->mode][role];
		if (need && count[role] == 0) {
			return load_fail(ld, "peers", "%s server required in the %s configuration",
			                 plural[role], mode_text[ha->mode]);
		}
	}
	return 0;
}

/* ---- state-machine, multi-threading ---- */

static int parse_state_machine(ld_t *ld, json_t *o, cfg_ha_t *ha)
{
	json_t *sm = json_object_get(o, "state-machine");
	bool seen[_CFG_HA_ST_MAX] = { false };

	if (sm == NULL) {
		return 0;
	}
	if (!json_is_object(sm)) {
		return load_fail(ld, "state-machine", "'state-machine' parameter must be a map");
	}
	size_t mark = load_push_key(ld, "state-machine");
	json_t *arr = json_object_get(sm, "states");
	if (arr != NULL && !json_is_array(arr)) {
		return load_fail(ld, "states", "'states' parameter must be a list");
	}
	size_t m1 = load_push_key(ld, "states");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *e = json_array_get(arr, i);
		const char *st, *pause = "never";
		int r;
		if (!json_is_object(e)) {
			return load_fail(ld, NULL, "state configuration must be a map");
		}
		if ((r = need_str(ld, e, "state", &st)) < 0 || (r = get_str(ld, e, "pause", &pause)) < 0) {
			return r;
		}
		int si = name_index(state_names, st);
		if (si < 0) {
			return load_fail(ld, "state", "unknown state %s", st);
		}
		if (seen[si]) {
			return load_fail(ld, "state", "duplicated configuration for the '%s' state", st);
		}
		seen[si] = true;
		int pi = name_index(pause_names, pause);
		if (pi < 0) {
			return load_fail(ld, "pause", "unsupported value %s of 'pause' parameter", pause);
		}
		ha->pause[si] = (cfg_ha_pause_t)pi;
		load_pop(ld, m2);
	}
	load_pop(ld, m1);
	load_pop(ld, mark);
	return 0;
}

static int parse_mt(ld_t *ld, json_t *o, cfg_ha_t *ha)
{
	json_t *mt = json_object_get(o, "multi-threading");
	int r;

	if (mt == NULL) {
		return 0;
	}
	if (!json_is_object(mt)) {
		return load_fail(ld, "multi-threading", "multi-threading configuration must be a map");
	}
	size_t mark = load_push_key(ld, "multi-threading");
	if ((r = get_bool(ld, mt, "enable-multi-threading", &ha->mt_enabled)) < 0 ||
	    (r = get_bool(ld, mt, "http-dedicated-listener", &ha->mt_dedicated_listener)) < 0 ||
	    (r = get_int(ld, mt, "http-listener-threads", UINT32_MAX, &ha->mt_listener_threads)) < 0 ||
	    (r = get_int(ld, mt, "http-client-threads", UINT32_MAX, &ha->mt_client_threads)) < 0) {
		return r;
	}
	load_pop(ld, mark);
	return 0;
}

/* ---- the relationship ---- */

/* Kea 2.2's defaults (2.4 turns multi-threading on and delayed-updates-limit
 * to 100 for load-balancing; a 2.4 config states them when it relies on them). */
static void set_defaults(cfg_ha_t *ha)
{
	ha->heartbeat_delay = 10000;
	ha->max_response_delay = 60000;
	ha->max_ack_delay = 10000;
	ha->max_unacked_clients = 10;
	ha->max_rejected_lease_updates = 10;
	ha->sync_timeout = 60000;
	ha->sync_page_limit = 10000;
	ha->send_lease_updates = true;
	ha->sync_leases = true;
	ha->require_client_certs = true;
}

static int parse_scalars(ld_t *ld, json_t *o, cfg_ha_t *ha)
{
	static const struct {
		const char *key;
		uint32_t max;
		size_t off;
	} ints[] = {
		{ "heartbeat-delay", UINT16_MAX, offsetof(cfg_ha_t, heartbeat_delay) },
		{ "max-response-delay", UINT16_MAX, offsetof(cfg_ha_t, max_response_delay) },
		{ "max-ack-delay", UINT16_MAX, offsetof(cfg_ha_t, max_ack_delay) },
		{ "max-unacked-clients", UINT32_MAX, offsetof(cfg_ha_t, max_unacked_clients) },
		{ "max-rejected-lease-updates", UINT32_MAX, offsetof(cfg_ha_t, max_rejected_lease_updates) },
		{ "delayed-updates-limit", UINT32_MAX, offsetof(cfg_ha_t, delayed_updates_limit) },
		{ "sync-timeout", UINT32_MAX, offsetof(cfg_ha_t, sync_timeout) },
		{ "sync-page-limit", UINT32_MAX, offsetof(cfg_ha_t, sync_page_limit) },
	};
	static const struct {
		const char *key;
		size_t off;
	} bools[] = {
		{ "send-lease-updates", offsetof(cfg_ha_t, send_lease_updates) },
		{ "sync-leases", offsetof(cfg_ha_t, sync_leases) },
		{ "wait-backup-ack", offsetof(cfg_ha_t, wait_backup_ack) },
		{ "require-client-certs", offsetof(cfg_ha_t, require_client_certs) },
		{ "restrict-commands", offsetof(cfg_ha_t, restrict_commands) },
	};
	int r;

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		/* offsetof() of a uint32_t member: aligned */
		uint32_t *dst = (uint32_t *)(void *)((char *)ha + ints[i].off);
		if ((r = get_int(ld, o, ints[i].key, ints[i].max, dst)) < 0) {
			return r;
		}
	}
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		bool *dst = (bool *)((char *)ha + bools[i].off);
		if ((r = get_bool(ld, o, bools[i].key, dst)) < 0) {
			return r;
		}
	}
	return tls_get(ld, o, &ha->tls);
}

static int parse_relationship(ld_t *ld, json_t *o, cfg_ha_t *ha)
{
	const char *name, *mode;
	int r;

	if (!json_is_object(o)) {
		return load_fail(ld, NULL, "expected a map");
	}
	if ((r = need_str(ld, o, "this-server-name", &name)) < 0 ||
	    (r = need_str(ld, o, "mode", &mode)) < 0) {
		return r;
	}
	if (name[0] == '\0') {
		return load_fail(ld, "this-server-name", "'this-server-name' value must not be empty");
	}
	int mi = name_index(mode_names, mode);
	if (mi < 0) {
		return load_fail(ld, "mode", "unsupported value '%s' for mode parameter", mode);
	}
	ha->mode = (cfg_ha_mode_t)mi;
	if ((ha->this_server_name = strdup(name)) == NULL) {
		return load_oom(ld);
	}
	if ((r = parse_scalars(ld, o, ha)) < 0 || (r = parse_mt(ld, o, ha)) < 0 ||
	    (r = parse_state_machine(ld, o, ha)) < 0 || (r = parse_peers(ld, o, ha)) < 0) {
		return r;
	}
	return check_roles(ld, ha);
}

int load_parse_ha(ld_t *ld, json_t *params)
{
	json_t *list = params != NULL ? json_object_get(params, "high-availability") : NULL;
	int r;

	if (ld->cfg->ha != NULL) {
		return load_fail(ld, NULL, "libdhcp_ha.so is listed more than once");
	}
	size_t mark = load_push_key(ld, "parameters");
	if (list != NULL && !json_is_array(list)) {
		return load_fail(ld, "high-availability", "'high-availability' parameter must be a list");
	}
	if (json_array_size(list) != 1) {
		return load_fail(ld, list != NULL ? "high-availability" : NULL,
		                 "invalid number of configurations in the HA configuration list. Expected exactly one configuration");
	}
	cfg_ha_t *ha = calloc(1, sizeof(*ha));
	if (ha == NULL) {
		return load_oom(ld);
	}
	ld->cfg->ha = ha;               /* owned by the cfg from here: freed with it on failure */
	set_defaults(ha);
	size_t m1 = load_push_key(ld, "high-availability");
	size_t m2 = load_push_idx(ld, 0);
	if ((r = parse_relationship(ld, json_array_get(list, 0), ha)) < 0) {
		return r;
	}
	load_pop(ld, m2);
	load_pop(ld, m1);
	load_pop(ld, mark);
	return 0;
}

void load_ha_bind_classes(cfg_t *cfg)
{
	cfg_ha_t *ha = cfg->ha;
	char name[256];

	if (ha == NULL) {
		return;
	}
	for (int k = 0; k < 2; k++) {
		ha->scope_class[k] = CFG_CLASS_NONE;
	}
	for (size_t i = 0; i < ha->n_peers; i++) {
		int k = ha->peers[i].role == CFG_HA_PRIMARY ? 0 : ha->peers[i].role == CFG_HA_SECONDARY ? 1 : -1;

		if (k >= 0 && snprintf(name, sizeof(name), "HA_%s", ha->peers[i].name) < (int)sizeof(name)) {
			ha->scope_class[k] = cfg_class_find(cfg, name);
		}
	}
}

/* Configuration loader: the process-level sections (interfaces-config,
 * expired-leases-processing, multi-threading, loggers,
 * control-socket, hooks-libraries). */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "util/inaddr.h"
#include "util/log.h"

/* ---- process-level sections ---- */

int load_parse_interfaces(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"interfaces", "dhcp-socket-type", "outbound-interface", "re-detect",
		"service-sockets-require-all", "service-sockets-max-retries",
		"service-sockets-retry-wait-time", "user-context", "comment", NULL,
	};
	json_t *o = json_object_get(d4, "interfaces-config");
	cfg_interfaces_t *ic = &ld->cfg->interfaces;
	const char *st = NULL, *out = NULL;
	json_t *arr;
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "interfaces-config")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "interfaces-config");
	bool b;
	uint32_t u;
	if ((r = load_check_keys(ld, o, "interfaces-config", keys, NULL)) < 0 ||
	         (r = load_get_str(ld, o, "dhcp-socket-type", &st)) < 0 ||
	         (r = load_get_str(ld, o, "outbound-interface", &out)) < 0 ||
	         (r = load_get_bool(ld, o, "re-detect", &b, NULL)) < 0 ||
	         (r = load_get_bool(ld, o, "service-sockets-require-all", &b, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "service-sockets-max-retries", &u, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "service-sockets-retry-wait-time", &u, NULL)) < 0 ||
	         (r = load_get_array(ld, o, "interfaces", &arr)) < 0) {
		return r;
	}
	if (st != NULL) {
		if (strcmp(st, "raw") == 0) {
			ic->socket_type = CFG_SOCKET_RAW;
		} else if (strcmp(st, "udp") == 0) {
			ic->socket_type = CFG_SOCKET_UDP;
		} else {
			return load_fail(ld, "dhcp-socket-type", "unsupported socket type '%s' (expected raw or udp)", st);
		}
	}
	if (out != NULL) {
		if (strcmp(out, "same-as-inbound") == 0) {
			ic->outbound_use_routing = false;
		} else if (strcmp(out, "use-routing") == 0) {
			ic->outbound_use_routing = true;
		} else {
			return load_fail(ld, "outbound-interface", "unsupported outbound-interface '%s' (expected same-as-inbound or use-routing)", out);
		}
	}
	size_t n = arr != NULL ? json_array_size(arr) : 0;
	ic->names = calloc(n > 0 ? n : 1, sizeof(char *));
	if (ic->names == NULL) {
		return load_oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		size_t m2 = load_push_key(ld, "interfaces");
		load_push_idx(ld, i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			return load_fail(ld, NULL, "an interface name must be a non-empty string");
		}
		const char *name = json_string_value(v);
		const char *slash = strchr(name, '/');
		uint32_t a;
		if (slash != NULL && (slash == name || inaddr_parse(slash + 1, &a) < 0)) {
			return load_fail(ld, NULL, "'%s' is not an interface name or name/IPv4-address", name);
		}
		if (strlen(name) > 15 + (slash != NULL ? 16 : 0)) {
			return load_fail(ld, NULL, "interface name '%s' is too long", name);
		}
		ic->names[ic->n_names] = strdup(name);
		if (ic->names[ic->n_names] == NULL) {
			return load_oom(ld);
		}
		ic->n_names++;
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

int load_parse_expired(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"reclaim-timer-wait-time", "flush-reclaimed-timer-wait-time", "hold-reclaimed-time",
		"max-reclaim-leases", "max-reclaim-time", "unwarned-reclaim-cycles", "user-context",
		"comment", NULL,
	};
	cfg_expired_t *e = &ld->cfg->expired;
	json_t *o = json_object_get(d4, "expired-leases-processing");
	int r;

	*e = (cfg_expired_t){ 10, 25, 3600, 100, 250, 5 };
	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "expired-leases-processing")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "expired-leases-processing");
	if ((r = load_check_keys(ld, o, "expired-leases-processing", keys, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "reclaim-timer-wait-time", &e->reclaim_timer_wait_time, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "flush-reclaimed-timer-wait-time", &e->flush_reclaimed_timer_wait_time, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "hold-reclaimed-time", &e->hold_reclaimed_time, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "max-reclaim-leases", &e->max_reclaim_leases, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "max-reclaim-time", &e->max_reclaim_time, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "unwarned-reclaim-cycles", &e->unwarned_reclaim_cycles, NULL)) < 0) {
		return r;
	}
	load_pop(ld, mark);
	return 0;
}

int load_parse_mt(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"enable-multi-threading", "thread-pool-size", "packet-queue-size", "user-context",
		"comment", NULL,
	};
	json_t *o = json_object_get(d4, "multi-threading");
	cfg_mt_t *mt = &ld->cfg->mt;
	int r;

	*mt = (cfg_mt_t){ .enabled = true, .thread_pool_size = 0, .packet_queue_size = 64 };
	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "multi-threading")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "multi-threading");
	if ((r = load_check_keys(ld, o, "multi-threading", keys, NULL)) < 0 ||
	         (r = load_get_bool(ld, o, "enable-multi-threading", &mt->enabled, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "thread-pool-size", &mt->thread_pool_size, NULL)) < 0 ||
	         (r = load_get_u32(ld, o, "packet-queue-size", &mt->packet_queue_size, NULL)) < 0) {
		return r;
	}
	if (mt->thread_pool_size > 65535) {
		return load_fail(ld, "thread-pool-size", "thread-pool-size %u is out of range", mt->thread_pool_size);
	}
	load_pop(ld, mark);
	return 0;
}

int load_parse_loggers(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"name", "output_options", "output-options", "severity", "debuglevel", "user-context",
		"comment", NULL,
	};
	static const char *const okeys[] = { "output", "flush", "maxsize", "maxver", "pattern", NULL };
	cfg_t *cfg = ld->cfg;
	json_t *arr;
	int r = load_get_array(ld, d4, "loggers", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t n = json_array_size(arr);
	cfg->loggers = calloc(n > 0 ? n : 1, sizeof(*cfg->loggers));
	if (cfg->loggers == NULL) {
		return load_oom(ld);
	}
	size_t mark = load_push_key(ld, "loggers");
	for (size_t i = 0; i < n; i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		cfg_logger_t *lg = &cfg->loggers[cfg->n_loggers++];
		const char *name = NULL, *sev = "INFO";
		uint32_t dbg = 0;
		json_t *outs = NULL;

		*lg = (cfg_logger_t){ .severity = LOG_SEV_INFO };
		if ((r = load_need_object(ld, o, NULL)) < 0 ||
		         (r = load_check_keys(ld, o, "loggers", keys, NULL)) < 0 ||
		         (r = load_get_str(ld, o, "name", &name)) < 0 || (r = load_get_str(ld, o, "severity", &sev)) < 0 ||
		         (r = load_get_u32(ld, o, "debuglevel", &dbg, NULL)) < 0 ||
		         (r = load_get_array(ld, o, "output_options", &outs)) < 0) {
			return r;
		}
		if (outs == NULL && (r = load_get_array(ld, o, "output-options", &outs)) < 0) {
			return r;
		}
		if (name == NULL) {
			return load_fail(ld, NULL, "missing parameter 'name'");
		}
		lg->name = strdup(name);
		if (lg->name == NULL) {
			return load_oom(ld);
		}
		log_sev_t s = log_sev_from_string(sev);
		if (s == _LOG_SEV_INVALID) {
			return load_fail(ld, "severity", "unsupported severity '%s'", sev);
		}
		lg->severity = s;
		if (dbg > 99) {
			return load_fail(ld, "debuglevel", "debuglevel must be between 0 and 99");
		}
		lg->debuglevel = (int)dbg;
		size_t no = outs != NULL ? json_array_size(outs) : 0;
		lg->outputs = calloc(no > 0 ? no : 1, sizeof(*lg->outputs));
		if (lg->outputs == NULL) {
			return load_oom(ld);
		}
		size_t m3 = load_push_key(ld, json_object_get(o, "output_options") != NULL ? "output_options" : "output-options");
		for (size_t j = 0; j < no; j++) {
			size_t m4 = load_push_idx(ld, j);
			json_t *oo = json_array_get(outs, j);
			cfg_log_output_t *out = &lg->outputs[lg->n_outputs++];
			const char *output = NULL, *pattern = NULL;
			uint32_t maxsize = 10240000;

			*out = (cfg_log_output_t){.flush = true, .maxsize = 10240000, .maxver = 1};
			if ((r = load_need_object(ld, oo, NULL)) < 0 ||
			         (r = load_check_keys(ld, oo, "output_options", okeys, NULL)) < 0 ||
			         (r = load_get_str(ld, oo, "output", &output)) < 0 ||
			         (r = load_get_str(ld, oo, "pattern", &pattern)) < 0 ||
			         (r = load_get_bool(ld, oo, "flush", &out->flush, NULL)) < 0 ||
			         (r = load_get_u32(ld, oo, "maxsize", &maxsize, NULL)) < 0 ||
			         (r = load_get_u32(ld, oo, "maxver", &out->maxver, NULL)) < 0) {
				return r;
			}
			if (output == NULL || output[0] == '\0') {
				return load_fail(ld, NULL, "missing parameter 'output'");
			}
			out->maxsize = maxsize;
			out->output = strdup(output);
			out->pattern = load_dup_nonempty(pattern);
			if (out->output == NULL) {
				return load_oom(ld);
			}
			load_pop(ld, m4);
		}
		load_pop(ld, m3);
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

int load_parse_control_socket(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = { "socket-type", "socket-name", "user-context", "comment", NULL };
	json_t *o = json_object_get(d4, "control-socket");
	const char *type = NULL, *name = NULL;
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "control-socket")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "control-socket");
	if ((r = load_check_keys(ld, o, "control-socket", keys, NULL)) < 0 ||
	         (r = load_get_str(ld, o, "socket-type", &type)) < 0 ||
	         (r = load_get_str(ld, o, "socket-name", &name)) < 0) {
		return r;
	}
	if (type == NULL) {
		return load_fail(ld, NULL, "missing parameter 'socket-type'");
	}
	if (strcmp(type, "unix") != 0) {
		return load_fail(ld, "socket-type", "unsupported socket-type '%s' (expected unix)", type);
	}
	if (name == NULL || name[0] == '\0') {
		return load_fail(ld, NULL, "missing parameter 'socket-name'");
	}
	ld->cfg->control_socket.socket_type = strdup(type);
	ld->cfg->control_socket.socket_name = strdup(name);
	if (ld->cfg->control_socket.socket_type == NULL ||
	    ld->cfg->control_socket.socket_name == NULL) {
		return load_oom(ld);
	}
	load_pop(ld, mark);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0 && (a == b || s[a - b - 1] == '/');
}

int load_parse_hooks(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = { "library", "parameters", "user-context", "comment", NULL };
	cfg_hooks_t *hk = &ld->cfg->hooks;
	json_t *arr;
	int r = load_get_array(ld, d4, "hooks-libraries", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = load_push_key(ld, "hooks-libraries");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		const char *lib = NULL;
		if ((r = load_need_object(ld, o, NULL)) < 0 ||
		         (r = load_check_keys(ld, o, "hooks-libraries", keys, NULL)) < 0 ||
		         (r = load_get_str(ld, o, "library", &lib)) < 0) {
			return r;
		}
		if (lib == NULL) {
			return load_fail(ld, NULL, "missing parameter 'library'");
		}
		json_t *params = json_object_get(o, "parameters");
		if (params != NULL && !json_is_object(params)) {
			return load_fail(ld, "parameters", "'parameters' must be a map");
		}
		if (ends_with(lib, "libdhcp_lease_cmds.so")) {
			hk->lease_cmds = true;
		} else if (ends_with(lib, "libdhcp_stat_cmds.so")) {
			hk->stat_cmds = true;
		} else if (ends_with(lib, "libdhcp_ha.so")) {
			hk->ha = true;
			hk->ha_params = params;
			if ((r = load_parse_ha(ld, params)) < 0) {
				return r;
			}
		} else {
			return load_fail(ld, "library", "hook library '%s' is not supported: lessor implements only libdhcp_lease_cmds.so, libdhcp_stat_cmds.so and libdhcp_ha.so (natively)", lib);
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}

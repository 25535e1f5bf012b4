/* Command table, dispatch and the process-level commands (list-commands,
 * version-get, status-get, shutdown, leases-reclaim, ...; dhcp-enable/-disable
 * are in cmd-origin.c). Every outcome
 * is an answer map; nothing here fails except for lack of memory. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/log.h"

#define CTL_KEA_VERSION "2.2.0" /* the Kea release whose control API lessor answers as */
#ifndef LESSOR_VERSION
#define LESSOR_VERSION "0.0.0"
#endif

json_t *ctl_answer(int result, json_t *args, const char *fmt, ...)
{
	json_t *ans = json_object();

	if (ans == NULL) {
		json_decref(args);
		return NULL;
	}
	if (json_object_set_new(ans, "result", json_integer(result)) < 0) {
		goto fail;
	}
	if (fmt != NULL) {
		_cleanup_free_ char *text = NULL;
		va_list ap;

		va_start(ap, fmt);
		int n = vasprintf(&text, fmt, ap);
		va_end(ap);
		if (n < 0) {
			text = NULL;
			goto fail;
		}
		json_t *jt = json_stringn(text, (size_t)n);
		if (jt == NULL) {
			/* Not UTF-8 (client bytes echoed in a parse error, say): every
			 * answer must be valid JSON, so mask non-ASCII bytes. */
			for (int i = 0; i < n; i++) {
				if ((unsigned char)text[i] >= 0x80 || text[i] == '\0') {
					text[i] = '?';
				}
			}
			jt = json_stringn(text, (size_t)n);
		}
		if (json_object_set_new(ans, "text", jt) < 0) {
			goto fail;
		}
	}
	if (args != NULL) {
		json_t *a = args;

		args = NULL;
		if (json_object_set_new(ans, "arguments", a) < 0) {
			goto fail;
		}
	}
	return ans;
fail:
	json_decref(args);
	json_decref(ans);
	return NULL;
}

/* ---- process-level commands ---- */

static json_t *cmd_list_commands(ctl_t *ctl, json_t *args)
{
	const cfg_t *cfg = cfg_acquire();
	json_t *names = ctl_cmd_names(cfg);

	(void)ctl;
	(void)args;
	cfg_release(cfg);
	return ctl_answer(CTL_RESULT_SUCCESS, names, NULL);
}

/* Kea 2.2 without a config backend configured (lessor has none). */
static json_t *cmd_config_backend_pull(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	(void)args;
	return ctl_answer(CTL_RESULT_EMPTY, NULL, "No config backend.");
}

/* lessor's "hooks" are built in: there is nothing to reload, and Kea answers
 * success when its libraries reload. */
static json_t *cmd_libreload(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	(void)args;
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Hooks libraries successfully reloaded.");
}

static const char *version_of(const ctl_t *ctl)
{
	return ctl->env.version != NULL ? ctl->env.version : CTL_KEA_VERSION;
}

static json_t *cmd_version_get(ctl_t *ctl, json_t *args)
{
	(void)args;
	return ctl_answer(CTL_RESULT_SUCCESS,
	                  json_pack("{s:s++}", "extended", version_of(ctl),
	                            "\nlessor " LESSOR_VERSION
	                            "\nlinked with:\njansson " JANSSON_VERSION
	                            "\nlibmicrohttpd\ndatabase:\n",
	                            "Memfile backend 2.1"),
	                  "%s", version_of(ctl));
}

static json_t *cmd_build_report(ctl_t *ctl, json_t *args)
{
	(void)args;
	return ctl_answer(CTL_RESULT_SUCCESS, NULL,
	                  " \n        lessor source configure results:\n"
	                  "     -=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-\n \n Package:\n"
	                  "   Name:              lessor\n   Version:           %s\n"
	                  "   Kea compatibility: %s\n",
	                  LESSOR_VERSION, version_of(ctl));
}

/* Kea's packet-queue-statistics: exponential moving averages, over 10, 100
 * and 1000 packets, of its queue's depth as each packet was pushed (1 when it
 * waited behind none). lessor's workers take packets straight from their
 * sockets, so each received packet counts with depth 1: after m packets each
 * average is 1 - e^(-m/N), what Kea reports for packets that never queue.
 * Rounded to the 6 digits Kea prints. */
static json_t *queue_statistics(const ctl_t *ctl)
{
	static const double spans[] = {10.0, 100.0, 1000.0};
	double m = ctl->env.stats != NULL ? (double)stats_sum(ctl->env.stats, STAT_PKT4_RECEIVED)
	                                  : 0.0;
	json_t *l = json_array();

	for (size_t i = 0; l != NULL && i < ARRAY_SIZE(spans); i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.6g", 1.0 - exp(-m / spans[i]));
		json_array_append_new(l, json_real(strtod(buf, NULL)));
	}
	return l;
}

/* lessor's additions to status-get: the DHCP service state (for the console)
 * and the daemon's status_extra. */
static void status_add_extra(ctl_t *ctl, json_t *a)
{
	if (a != NULL) {
		json_object_set_new(a, "dhcp-state", ctl_dhcp_state(ctl));
	}
	if (a != NULL && ctl->env.status_extra != NULL) {
		json_t *x = ctl->env.status_extra(ctl->env.ud);

		if (x != NULL) {
			json_object_update(a, x);
			json_decref(x);
		}
	}
}

static json_t *cmd_status_get(ctl_t *ctl, json_t *args)
{
	const cfg_t *cfg = cfg_acquire();
	bool mt = cfg != NULL && cfg->mt.enabled;
	json_t *a;

	(void)args;
	/* Kea 2.2 with multi-threading off reports exactly these keys; with it on,
	 * thread-pool-size, packet-queue-size and packet-queue-statistics too. */
	a = json_pack("{s:I, s:I, s:I, s:b, s:{s:s}}", "pid", (json_int_t)getpid(), "uptime",
	              (json_int_t)ctl_elapsed(&ctl->started), "reload",
	              (json_int_t)ctl_elapsed(&ctl->reloaded), "multi-threading-enabled", mt,
	              "sockets", "status", "ready");
	if (a != NULL && mt) {
		/* the pool's real size (Kea: MultiThreadingMgr::getThreadPoolSize()),
		 * not the configured 0 = auto */
		long workers = cfg->mt.thread_pool_size;

		if (ctl->env.worker_count != NULL) {
			workers = ctl->env.worker_count(ctl->env.ud);
		} else if (workers == 0) {
			workers = sysconf(_SC_NPROCESSORS_ONLN);
		}
		json_object_set_new(a, "thread-pool-size", json_integer(MAX(workers, 1L)));
		json_object_set_new(a, "packet-queue-size",
		                    json_integer(cfg->mt.packet_queue_size));
		json_object_set_new(a, "packet-queue-statistics", queue_statistics(ctl));
	}
	if (a != NULL && ctl->env.ha_status != NULL) {
		json_t *ha = ctl->env.ha_status(ctl->env.ud);

		if (ha != NULL) {
			json_object_set_new(a, "high-availability", ha);
		}
	}
	status_add_extra(ctl, a);
	cfg_release(cfg);
	return ctl_answer(CTL_RESULT_SUCCESS, a, NULL);
}

static json_t *cmd_server_tag_get(ctl_t *ctl, json_t *args)
{
	const cfg_t *cfg = cfg_acquire();
	json_t *a;

	(void)ctl;
	(void)args;
	a = json_pack("{s:s}", "server-tag",
	              cfg != NULL && cfg->server_tag != NULL ? cfg->server_tag : "");
	cfg_release(cfg);
	return ctl_answer(CTL_RESULT_SUCCESS, a, NULL);
}

static json_t *cmd_shutdown(ctl_t *ctl, json_t *args)
{
	int exit_value = 0;

	if (json_is_object(args)) {
		json_t *ev = json_object_get(args, "exit-value");

		if (ev != NULL) {
			if (!json_is_integer(ev)) {
				return ctl_answer(CTL_RESULT_ERROR, NULL,
				                  "parameter 'exit-value' is not an integer");
			}
			exit_value = (int)json_integer_value(ev);
		}
	}
	if (ctl->env.shutdown == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL,
		                  "'shutdown' command not supported.");
	}
	ctl->env.shutdown(ctl->env.ud, exit_value);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Shutting down.");
}

static json_t *cmd_leases_reclaim(ctl_t *ctl, json_t *args)
{
	json_t *rm = json_is_object(args) ? json_object_get(args, "remove") : NULL;

	if (rm == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Missing mandatory 'remove' parameter.");
	}
	if (!json_is_boolean(rm)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'remove' parameter expected to be a boolean.");
	}
	if (ctl->env.leases_reclaim == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL,
		                  "'leases-reclaim' command not supported.");
	}
	int r = ctl->env.leases_reclaim(ctl->env.ud, json_is_true(rm));
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Reclamation of expired leases failed: %s", strerror(-r));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Reclamation of expired leases is complete.");
}

/* ---- the table (kept sorted: list-commands returns it in this order) ---- */

/* Which hook library (Dhcp4.hooks-libraries) brings a command: without it Kea
 * neither lists nor knows the command. HOOK_LESSOR_HA: lessor's own command
 * between HA peers (lease_cmds and ha loaded), never listed, so list-commands
 * stays Kea's. */
enum { HOOK_NONE, HOOK_LEASE, HOOK_STAT, HOOK_HA, HOOK_LESSOR_HA };

static const struct ctl_cmd_entry {
	const char *name;
	ctl_cmd_fn fn;
	int hook;
} ctl_cmds[] = {
        {"build-report", cmd_build_report, HOOK_NONE},
        {"config-backend-pull", cmd_config_backend_pull, HOOK_NONE},
        {"config-get", ctl_cmd_config_get, HOOK_NONE},
        {"config-hash-get", ctl_cmd_config_hash_get, HOOK_NONE},
        {"config-reload", ctl_cmd_config_reload, HOOK_NONE},
        {"config-set", ctl_cmd_config_set, HOOK_NONE},
        {"config-test", ctl_cmd_config_test, HOOK_NONE},
        {"config-write", ctl_cmd_config_write, HOOK_NONE},
        {"dhcp-disable", ctl_cmd_dhcp_disable, HOOK_NONE},
        {"dhcp-enable", ctl_cmd_dhcp_enable, HOOK_NONE},
        {"ha-continue", ctl_cmd_ha_continue, HOOK_HA},
        {"ha-heartbeat", ctl_cmd_ha_heartbeat, HOOK_HA},
        {"ha-maintenance-cancel", ctl_cmd_ha_maintenance_cancel, HOOK_HA},
        {"ha-maintenance-notify", ctl_cmd_ha_maintenance_notify, HOOK_HA},
        {"ha-maintenance-start", ctl_cmd_ha_maintenance_start, HOOK_HA},
        {"ha-reset", ctl_cmd_ha_reset, HOOK_HA},
        {"ha-scopes", ctl_cmd_ha_scopes, HOOK_HA},
        {"ha-sync", ctl_cmd_ha_sync, HOOK_HA},
        {"ha-sync-complete-notify", ctl_cmd_ha_sync_complete_notify, HOOK_HA},
        {"lease4-add", ctl_cmd_lease4_add, HOOK_LEASE},
        {"lease4-del", ctl_cmd_lease4_del, HOOK_LEASE},
        {"lease4-get", ctl_cmd_lease4_get, HOOK_LEASE},
        {"lease4-get-all", ctl_cmd_lease4_get_all, HOOK_LEASE},
        {"lease4-get-by-client-id", ctl_cmd_lease4_get_by_client_id, HOOK_LEASE},
        {"lease4-get-by-hostname", ctl_cmd_lease4_get_by_hostname, HOOK_LEASE},
        {"lease4-get-by-hw-address", ctl_cmd_lease4_get_by_hw_address, HOOK_LEASE},
        {"lease4-get-page", ctl_cmd_lease4_get_page, HOOK_LEASE},
        {"lease4-resend-ddns", ctl_cmd_lease4_resend_ddns, HOOK_LEASE},
        {"lease4-update", ctl_cmd_lease4_update, HOOK_LEASE},
        {"lease4-wipe", ctl_cmd_lease4_wipe, HOOK_LEASE},
        {"lease6-add", ctl_cmd_lease6_add, HOOK_LEASE},
        {"lease6-bulk-apply", ctl_cmd_lease6_bulk_apply, HOOK_LEASE},
        {"lease6-del", ctl_cmd_lease6_del, HOOK_LEASE},
        {"lease6-get", ctl_cmd_lease6_get, HOOK_LEASE},
        {"lease6-get-all", ctl_cmd_lease6_get_all, HOOK_LEASE},
        {"lease6-get-by-duid", ctl_cmd_lease6_get_by_duid, HOOK_LEASE},
        {"lease6-get-by-hostname", ctl_cmd_lease6_get_by_hostname, HOOK_LEASE},
        {"lease6-get-page", ctl_cmd_lease6_get_page, HOOK_LEASE},
        {"lease6-resend-ddns", ctl_cmd_lease6_resend_ddns, HOOK_LEASE},
        {"lease6-update", ctl_cmd_lease6_update, HOOK_LEASE},
        {"lease6-wipe", ctl_cmd_lease6_wipe, HOOK_LEASE},
        {"leases-reclaim", cmd_leases_reclaim, HOOK_NONE},
        {"lessor-lease4-batch", ctl_cmd_lessor_lease4_batch, HOOK_LESSOR_HA},
        {"libreload", cmd_libreload, HOOK_NONE},
        {"list-commands", cmd_list_commands, HOOK_NONE},
        {"log-get", ctl_cmd_log_get, HOOK_NONE},
        {"server-tag-get", cmd_server_tag_get, HOOK_NONE},
        {"shutdown", cmd_shutdown, HOOK_NONE},
        {"stat-lease4-get", ctl_cmd_stat_lease4_get, HOOK_STAT},
        {"stat-lease6-get", ctl_cmd_stat_lease6_get, HOOK_STAT},
        {"stat-pool4-get", ctl_cmd_stat_pool4_get, HOOK_STAT},
        {"statistic-get", ctl_cmd_statistic_get, HOOK_NONE},
        {"statistic-get-all", ctl_cmd_statistic_get_all, HOOK_NONE},
        {"statistic-remove", ctl_cmd_statistic_remove, HOOK_NONE},
        {"statistic-remove-all", ctl_cmd_statistic_remove_all, HOOK_NONE},
        {"statistic-reset", ctl_cmd_statistic_reset, HOOK_NONE},
        {"statistic-reset-all", ctl_cmd_statistic_reset_all, HOOK_NONE},
        {"statistic-sample-age-set", ctl_cmd_statistic_sample_age_set, HOOK_NONE},
        {"statistic-sample-age-set-all", ctl_cmd_statistic_sample_age_set_all, HOOK_NONE},
        {"statistic-sample-count-set", ctl_cmd_statistic_sample_count_set, HOOK_NONE},
        {"statistic-sample-count-set-all", ctl_cmd_statistic_sample_count_set_all, HOOK_NONE},
        {"status-get", cmd_status_get, HOOK_NONE},
        {"version-get", cmd_version_get, HOOK_NONE},
};

static int cmd_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ctl_cmd_entry *)elem)->name);
}

static bool hook_loaded(const cfg_t *cfg, int hook)
{
	switch (hook) {
	case HOOK_LEASE: return cfg != NULL && cfg->hooks.lease_cmds;
	case HOOK_STAT: return cfg != NULL && cfg->hooks.stat_cmds;
	case HOOK_HA: return cfg != NULL && cfg->hooks.ha;
	case HOOK_LESSOR_HA: return cfg != NULL && cfg->hooks.ha && cfg->hooks.lease_cmds;
	default: return true;
	}
}

/* The command @name as the running configuration has it, or NULL. */
static const struct ctl_cmd_entry *ctl_cmd_find(const char *name)
{
	const struct ctl_cmd_entry *e =
	        bsearch(name, ctl_cmds, ARRAY_SIZE(ctl_cmds), sizeof(ctl_cmds[0]), cmd_cmp);
	const cfg_t *cfg = cfg_acquire();
	bool ok = e != NULL && hook_loaded(cfg, e->hook);

	cfg_release(cfg);
	return ok ? e : NULL;
}

json_t *ctl_cmd_names(const cfg_t *cfg)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < ARRAY_SIZE(ctl_cmds); i++) {
		if (!hook_loaded(cfg, ctl_cmds[i].hook) || ctl_cmds[i].hook == HOOK_LESSOR_HA) {
			continue;
		}
		if (json_array_append_new(list, json_string(ctl_cmds[i].name)) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* Kea's parseCommand(): a map with a string "command", optional "arguments"
 * and "service" and nothing else. @logged: COMMAND_RECEIVED, for commands
 * from outside (the daemon's own calls, one lease4-get per HA lease update,
 * would log thousands of lines a second; Kea's HA logs none either). */
static json_t *dispatch(ctl_t *ctl, json_t *req, bool logged)
{
	const char *key;
	json_t *v;

	if (!json_is_object(req)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during command processing: "
		                  "Invalid command Element specified, expected map");
	}
	json_t *jcmd = json_object_get(req, "command");
	if (jcmd == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during command processing: "
		                  "Invalid answer specified, does not contain mandatory 'command'");
	}
	if (!json_is_string(jcmd)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during command processing: "
		                  "'command' element in command message is not a string");
	}
	json_object_foreach(req, key, v)
	{
		if (strcmp(key, "command") != 0 && strcmp(key, "arguments") != 0 &&
		    strcmp(key, "service") != 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "Error during command processing: "
			                  "Received command contains unsupported parameter '%s'",
			                  key);
		}
	}
	const char *name = json_string_value(jcmd);
	char shown[80];
	size_t k;
	for (k = 0; name[k] != '\0' && k + 1 < sizeof(shown); k++) {
		/* the name is client input: keep the log line one printable line */
		shown[k] = name[k] >= 0x20 && name[k] < 0x7f ? name[k] : '?';
	}
	shown[k] = '\0';
	if (logged) {
		log_info(CTL_LOGGER, "COMMAND_RECEIVED", "Received command '%s'", shown);
	}
	const struct ctl_cmd_entry *cmd = ctl_cmd_find(name);
	if (cmd == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL, "'%s' command not supported.",
		                  name);
	}
	return cmd->fn(ctl, json_object_get(req, "arguments"));
}

json_t *ctl_dispatch_locked(ctl_t *ctl, json_t *req)
{
	return dispatch(ctl, req, true);
}

/* Kea accepts comments in commands (since 1.9.7): blank out //, # and C
 * comments outside strings, keeping the length (and so the offsets). */
void ctl_strip_comments(char *s, size_t len)
{
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\' && i + 1 < len) {
				i++;
			} else if (s[i] == '"') {
				in_str = false;
			}
			continue;
		}
		if (s[i] == '"') {
			in_str = true;
		} else if (s[i] == '#' || (s[i] == '/' && i + 1 < len && s[i + 1] == '/')) {
			while (i < len && s[i] != '\n') {
				s[i++] = ' ';
			}
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			s[i] = s[i + 1] = ' ';
			for (i += 2; i < len; i++) {
				if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
					s[i] = s[i + 1] = ' ';
					i++;
					break;
				}
				if (s[i] != '\n') {
					s[i] = ' ';
				}
			}
		}
	}
}

/* Parse a body; NULL + @jerr on failure. */
static json_t *parse_body(const char *body, size_t len, json_error_t *jerr)
{
	_cleanup_free_ char *copy = malloc(len + 1);

	if (copy == NULL) {
		snprintf(jerr->text, sizeof(jerr->text), "out of memory");
		return NULL;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	ctl_strip_comments(copy, len);
	return json_loadb(copy, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, jerr);
}

static char *dump(json_t *ans)
{
	if (ans == NULL) {
		return NULL;
	}
	char *s = json_dumps(ans, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(ans);
	return s;
}

char *ctl_handle(ctl_t *ctl, const char *body, size_t len)
{
	_cleanup_(json_decrefp) json_t *req = NULL;
	json_error_t jerr;
	json_t *ans;

	req = parse_body(body, len, &jerr);
	pthread_mutex_lock(&ctl->lock);
	if (req == NULL) {
		/* Kea waits for the rest of a partial command and then says so; a
		 * complete but malformed body is answered at once. */
		ans = ctl_answer(CTL_RESULT_ERROR, NULL, "invalid JSON: %s (<wire>:%d:%d)",
		                 jerr.text, jerr.line, jerr.column);
	} else {
		ans = ctl_dispatch_locked(ctl, req);
	}
	pthread_mutex_unlock(&ctl->lock);
	return dump(ans);
}

json_t *ctl_call(ctl_t *ctl, json_t *req)
{
	pthread_mutex_lock(&ctl->lock);
	json_t *ans = dispatch(ctl, req, false);
	pthread_mutex_unlock(&ctl->lock);
	return ans;
}

/* ---- the agent's side of HTTP (kea-ctrl-agent) ---- */

static json_t *agent_unsupported(const char *name)
{
	return ctl_answer(
	        CTL_RESULT_UNSUPPORTED, NULL,
	        "'%s' command not supported. You did not include \"service\" parameter in the "
	        "command, which indicates that Kea Control Agent should process this command "
	        "rather than forward it to one or more Kea servers. If you aimed to send this "
	        "command to one of the Kea servers you should include the \"service\" "
	        "parameter in your request, e.g. \"service\": [ \"dhcp4\" ] to forward the "
	        "command to the DHCPv4 server, or \"service\": [ \"dhcp4\", \"dhcp6\", \"d2\" "
	        "] to forward it to DHCPv4, DHCPv6 and D2 servers etc.",
	        name);
}

json_t *ctl_agent_dispatch_locked(ctl_t *ctl, json_t *req)
{
	static const char *const agent_cmds[] = {
	        "build-report", "config-get",    "config-reload", "config-set", "config-test",
	        "config-write", "list-commands", "shutdown",      "status-get", "version-get"};
	const char *name = json_string_value(json_object_get(req, "command"));

	if (name == NULL) {
		return ctl_dispatch_locked(ctl, req); /* same errors as the server */
	}
	if (strcmp(name, "list-commands") == 0) {
		json_t *l = json_array();

		for (size_t i = 0; l != NULL && i < ARRAY_SIZE(agent_cmds); i++) {
			json_array_append_new(l, json_string(agent_cmds[i]));
		}
		return ctl_answer(CTL_RESULT_SUCCESS, l, NULL);
	}
	if (strcmp(name, "version-get") == 0) {
		return ctl_answer(CTL_RESULT_SUCCESS,
		                  json_pack("{s:s+}", "extended", version_of(ctl),
		                            "\nlessor " LESSOR_VERSION "\n"),
		                  "%s", version_of(ctl));
	}
	if (strcmp(name, "build-report") == 0) {
		return cmd_build_report(ctl, NULL);
	}
	if (strcmp(name, "status-get") == 0) {
		return ctl_answer(CTL_RESULT_SUCCESS,
		                  json_pack("{s:I, s:I, s:I}", "pid", (json_int_t)getpid(),
		                            "reload", (json_int_t)ctl_elapsed(&ctl->started),
		                            "uptime", (json_int_t)ctl_elapsed(&ctl->started)),
		                  NULL);
	}
	if (strcmp(name, "config-get") == 0) {
		json_t *a = ctl->lcfg.agent_json != NULL ? json_deep_copy(ctl->lcfg.agent_json)
		                                         : json_pack("{s:{}}", "Control-agent");
		return ctl_answer(CTL_RESULT_SUCCESS, a, NULL);
	}
	/* The agent's config-set/-test/-reload/-write and shutdown would act on
	 * the agent, which here is the daemon itself: refuse rather than guess. */
	for (size_t i = 0; i < ARRAY_SIZE(agent_cmds); i++) {
		if (strcmp(name, agent_cmds[i]) == 0) {
			return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL,
			                  "'%s' command not supported.", name);
		}
	}
	return agent_unsupported(name);
}

char *ctl_handle_http(ctl_t *ctl, const char *body, size_t len, unsigned *ret_status)
{
	_cleanup_(json_decrefp) json_t *req = NULL;
	_cleanup_(json_decrefp) json_t *out = NULL;
	json_error_t jerr;

	*ret_status = 200;
	if (len == 0) {
		/* What kea-ctrl-agent 2.2 answers to an empty body. */
		out = json_pack("[{s:i, s:s}]", "result", CTL_RESULT_ERROR, "text",
		                "Command processing failed: NULL command parameter");
		return dump(TAKE_PTR(out));
	}
	req = parse_body(body, len, &jerr);
	if (req == NULL) {
		*ret_status = 400;
		return dump(json_pack("{s:i, s:s}", "result", 400, "text", "Bad Request"));
	}
	out = json_array();
	if (out == NULL) {
		return NULL;
	}
	json_t *svc = json_object_get(req, "service");
	pthread_mutex_lock(&ctl->lock);
	if (!json_is_object(req)) {
		/* valid JSON but not a map: the agent's own parse error, in an array */
		json_array_append_new(out, ctl_dispatch_locked(ctl, req));
	} else if (svc != NULL && !json_is_array(svc)) {
		json_array_append_new(
		        out, ctl_answer(CTL_RESULT_ERROR, NULL, "service value must be a list"));
	} else if (svc == NULL || json_array_size(svc) == 0) {
		json_array_append_new(out, ctl_agent_dispatch_locked(ctl, req));
	} else {
		size_t i;
		json_t *s;

		json_array_foreach(svc, i, s)
		{
			const char *sname = json_string_value(s);
			json_t *ans;

			if (sname != NULL && strcmp(sname, "dhcp4") == 0) {
				ans = ctl_dispatch_locked(ctl, req);
			} else if (sname == NULL) {
				ans = ctl_answer(CTL_RESULT_ERROR, NULL,
				                 "service value must be a string");
			} else {
				ans = ctl_answer(CTL_RESULT_ERROR, NULL,
				                 "forwarding socket is not configured for the "
				                 "server type %s",
				                 sname);
			}
			if (ans == NULL || json_array_append_new(out, ans) < 0) {
				break;
			}
		}
	}
	pthread_mutex_unlock(&ctl->lock);
	return dump(TAKE_PTR(out));
}

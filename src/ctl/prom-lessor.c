/* GET /metrics, lessor's own series: the lease database, HA (from the
 * daemon's ha_status, what status-get shows under "high-availability") and the
 * configuration source (status_extra's "config-source"). Each family is
 * written only when there is something to describe (no HA block: no lessor_ha_*),
 * so the exposition never carries empty families. Lock held. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl-int.h"

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{k1="v1"[,k2="v2"]} value */
static void sample(FILE *f, const char *name, const char *k1, const char *v1, const char *k2,
                   const char *v2, double value)
{
	fputs(name, f);
	if (k1 != NULL) {
		fprintf(f, "{%s=\"", k1);
		ctl_prom_label(f, v1);
		if (k2 != NULL) {
			fprintf(f, "\",%s=\"", k2);
			ctl_prom_label(f, v2);
		}
		fputs("\"}", f);
	}
	fprintf(f, " %.17g\n", value);
}

static void gauge(FILE *f, const char *name, const char *help, double value)
{
	head(f, name, "gauge", help);
	sample(f, name, NULL, NULL, NULL, NULL, value);
}

static void emit_db(FILE *f, ctl_t *ctl)
{
	bool up = false;

	if (ctl->env.store != NULL) {
		_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;

		up = lease_conn_open(ctl->env.store, &c) == 0;
	}
	head(f, "lessor_lease_database_up", "gauge",
	     "Whether the lease database accepts a connection (1) or not (0).");
	sample(f, "lessor_lease_database_up", "type",
	       ctl->env.store != NULL ? ctl->env.store->ops->type : "none", NULL, NULL, up);
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_boolean(v) ? (json_is_true(v) ? 1 : 0) : json_is_number(v) ? json_number_value(v) : 0;
}

static const char *str(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && s[0] != '\0' ? s : dflt;
}

static void emit_ha(FILE *f, ctl_t *ctl)
{
	json_t *ha = ctl->env.ha_status != NULL ? ctl->env.ha_status(ctl->env.ud) : NULL;
	json_t *srv = json_object_get(json_array_get(ha, 0), "ha-servers");
	json_t *local = json_object_get(srv, "local"), *remote = json_object_get(srv, "remote");

	if (local != NULL) {
		head(f, "lessor_ha_state", "gauge",
		     "This server's HA state (the label; value always 1) and role.");
		sample(f, "lessor_ha_state", "state", str(local, "state", "unknown"), "role",
		       str(local, "role", "unknown"), 1);
	}
	if (remote != NULL) {
		head(f, "lessor_ha_partner_state", "gauge",
		     "The partner's last reported HA state (the label; value always 1).");
		sample(f, "lessor_ha_partner_state", "state", str(remote, "last-state", "unknown"),
		       "role", str(remote, "role", "unknown"), 1);
		gauge(f, "lessor_ha_partner_in_touch", "Whether the partner answered heartbeats.",
		      num(remote, "in-touch"));
		gauge(f, "lessor_ha_communication_interrupted",
		      "Whether the partner has not answered within max-response-delay.",
		      num(remote, "communication-interrupted"));
		gauge(f, "lessor_ha_partner_heartbeat_age_seconds",
		      "Seconds since the partner's last heartbeat answer.", num(remote, "age"));
		gauge(f, "lessor_ha_unacked_clients",
		      "Clients the partner left unanswered while communication is interrupted.",
		      num(remote, "unacked-clients"));
		gauge(f, "lessor_ha_connecting_clients",
		      "Clients trying to get a lease while communication is interrupted.",
		      num(remote, "connecting-clients"));
	}
	json_decref(ha);
}

static void emit_source(FILE *f, ctl_t *ctl)
{
	json_t *x = ctl->env.status_extra != NULL ? ctl->env.status_extra(ctl->env.ud) : NULL;
	json_t *src = json_object_get(x, "config-source");
	struct tm tm = { 0 };
	const char *when = str(src, "last-fetch", NULL);

	if (src != NULL) {
		head(f, "lessor_config_source_info", "gauge",
		     "Where the configuration comes from (labels; value always 1).");
		sample(f, "lessor_config_source_info", "kind", str(src, "kind", "file"), "location",
		       str(src, "location", ""), 1);
		head(f, "lessor_config_source_last_result", "gauge",
		     "The result of the last fetch (the label; value always 1).");
		sample(f, "lessor_config_source_last_result", "result", str(src, "last-result", "none"),
		       NULL, NULL, 1);
		gauge(f, "lessor_config_source_error",
		      "Whether the last fetch or the configuration it brought failed.",
		      json_is_string(json_object_get(src, "last-error")) ? 1 : 0);
		gauge(f, "lessor_config_source_poll_interval_seconds",
		      "Seconds between polls of the source (0: not polled).",
		      num(src, "poll-interval"));
		gauge(f, "lessor_config_source_last_fetch_timestamp_seconds",
		      "When the source was last fetched (0: never), seconds since the epoch.",
		      when != NULL && strptime(when, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL
		              ? (double)timegm(&tm)
		              : 0);
	}
	json_decref(x);
}

void ctl_prom_lessor(FILE *f, ctl_t *ctl)
{
	emit_db(f, ctl);
	emit_ha(f, ctl);
	emit_source(f, ctl);
}

/* EMF records (push/emf.h). */
#include "push/emf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/macro.h"

/* Counters stay integers in the JSON (CloudWatch takes either). */
static json_t *number(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		return json_integer((json_int_t)v);
	}
	return json_real(v);
}

/* {"_aws": {"Timestamp", "CloudWatchMetrics": [{"Namespace", "Dimensions",
 * "Metrics": []}]}, "Server": ...} with the Metrics array returned borrowed. "Server" stays a
 * property of the subnet records too (searchable in the log group, not a dimension). */
static json_t *record_new(const push_sample_t *s, const char *ns, const char *server,
                          const char *subnet, json_t **ret_metrics)
{
	/* lease-percent-used by Subnet alone, as the deployment's agent published it and its
	 * dashboards query it (CloudWatch matches the whole dimension set) */
	json_t *dims = json_pack("[[s]]", subnet != NULL ? "Subnet" : "Server");
	json_t *metrics = json_array();
	json_t *r = json_pack("{s:{s:I,s:[{s:s,s:o,s:o}]},s:s}", "_aws", "Timestamp",
	                      (json_int_t)s->ts_ms, "CloudWatchMetrics", "Namespace", ns,
	                      "Dimensions", dims, "Metrics", metrics, "Server", server);

	if (r != NULL && subnet != NULL) {
		json_object_set_new(r, "Subnet", json_string(subnet));
	}
	*ret_metrics = metrics;
	return r;
}

static int record_add(json_t *rec, json_t *metrics, const push_metric_t *m)
{
	json_t *d = json_pack("{s:s,s:s}", "Name", m->name, "Unit", m->percent ? "Percent" : "Count");

	if (d == NULL || json_array_append_new(metrics, d) < 0 ||
	    json_object_set_new(rec, m->name, number(m->value)) < 0) {
		return -1;
	}
	return 0;
}

static int record_emit(FILE *f, json_t *rec)
{
	char *text = rec != NULL ? json_dumps(rec, JSON_COMPACT) : NULL;
	int r = text != NULL && fprintf(f, "%s\n", text) > 0 ? 0 : -1;

	free(text);
	json_decref(rec);
	return r;
}

char *push_emf_build(const push_sample_t *s, const char *ns, const char *server)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	json_t *rec = NULL, *metrics = NULL;
	size_t in_rec = 0;
	int r = f != NULL ? 0 : -1;

	for (size_t i = 0; r == 0 && i < s->n && s->m[i].subnet[0] == '\0'; i++) {
		if (rec == NULL) {
			rec = record_new(s, ns, server, NULL, &metrics);
			in_rec = 0;
		}
		r = rec != NULL ? record_add(rec, metrics, &s->m[i]) : -1;
		if (r == 0 && ++in_rec == PUSH_EMF_MAX_METRICS) {
			r = record_emit(f, TAKE_PTR(rec));
		}
	}
	if (r == 0 && rec != NULL) {
		r = record_emit(f, TAKE_PTR(rec));
	}
	for (size_t i = 0; r == 0 && i < s->n; i++) {
		if (s->m[i].subnet[0] != '\0') {
			rec = record_new(s, ns, server, s->m[i].subnet, &metrics);
			r = rec != NULL ? record_add(rec, metrics, &s->m[i]) : -1;
			r = r == 0 ? record_emit(f, TAKE_PTR(rec)) : r;
		}
	}
	json_decref(rec);
	if (f == NULL || fclose(f) != 0 || r < 0) {
		free(out);
		return NULL;
	}
	return out;
}

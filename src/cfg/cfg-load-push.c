/* Dhcp4."lessor-metrics" (cfg/cfg-push.h). */
#include <string.h>

#include "cfg/cfg-load-int.h"

static int parse_put(ld_t *ld, json_t *o, cfg_push_t *p)
{
	static const char *const keys[] = { "region", "endpoint", "comment", NULL };
	json_t *put = json_object_get(o, "put-metric-data");
	int r;

	if (put == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, put, "put-metric-data")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "put-metric-data");
	if ((r = load_check_keys(ld, put, "put-metric-data", keys, NULL)) < 0 ||
	    (r = load_get_str(ld, put, "region", &p->region)) < 0 ||
	    (r = load_get_str(ld, put, "endpoint", &p->endpoint)) < 0) {
		return r;
	}
	if (p->endpoint != NULL && strncmp(p->endpoint, "http://", 7) != 0 &&
	    strncmp(p->endpoint, "https://", 8) != 0) {
		return load_fail(ld, "endpoint", "endpoint '%s' is not an http(s):// URL", p->endpoint);
	}
	load_pop(ld, mark);
	p->put = true;
	return 0;
}

static bool emf_dest_ok(const char *d)
{
	if (strncmp(d, "udp://", 6) == 0 || strncmp(d, "tcp://", 6) == 0) {
		const char *colon = strrchr(d + 6, ':');

		return colon != NULL && colon > d + 6 && colon[1] != '\0' &&
		       strspn(colon + 1, "0123456789") == strlen(colon + 1);
	}
	return d[0] != '\0';
}

int load_parse_push(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"interval", "server-name", "namespace", "top-subnets", "emf", "put-metric-data",
		"comment", NULL,
	};
	json_t *o = json_object_get(d4, "lessor-metrics");
	cfg_push_t *p = &ld->cfg->push;
	int r;

	*p = (cfg_push_t){ .interval = CFG_PUSH_INTERVAL_DEFAULT,
		           .ns = CFG_PUSH_NAMESPACE_DEFAULT,
		           .top_subnets = CFG_PUSH_TOP_SUBNETS_DEFAULT };
	if (o == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, o, "lessor-metrics")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "lessor-metrics");
	if ((r = load_check_keys(ld, o, "lessor-metrics", keys, NULL)) < 0 ||
	    (r = load_get_u32(ld, o, "interval", &p->interval, NULL)) < 0 ||
	    (r = load_get_str(ld, o, "server-name", &p->server_name)) < 0 ||
	    (r = load_get_str(ld, o, "namespace", &p->ns)) < 0 ||
	    (r = load_get_u32(ld, o, "top-subnets", &p->top_subnets, NULL)) < 0 ||
	    (r = load_get_str(ld, o, "emf", &p->emf)) < 0 || (r = parse_put(ld, o, p)) < 0) {
		return r;
	}
	if (p->interval == 0 || p->interval > 86400) {
		return load_fail(ld, "interval", "interval %u is out of range (1..86400)", p->interval);
	}
	if (p->top_subnets > 100) {
		return load_fail(ld, "top-subnets", "top-subnets %u is out of range (0..100)",
		                 p->top_subnets);
	}
	if (p->ns[0] == '\0') {
		return load_fail(ld, "namespace", "namespace must not be empty");
	}
	if (p->emf != NULL && !emf_dest_ok(p->emf)) {
		return load_fail(ld, "emf", "emf '%s' is not stdout, udp://HOST:PORT, tcp://HOST:PORT or a file path", p->emf);
	}
	load_pop(ld, mark);
	if (p->emf == NULL && !p->put) {
		return load_fail(ld, "lessor-metrics", "neither emf nor put-metric-data is given");
	}
	p->enabled = true;
	return 0;
}

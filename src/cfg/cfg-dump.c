/* config-get's view of a configuration: the Dhcp4 object as given, with the
 * defaults Kea 2.2 fills in (SimpleParser4's global, subnet, pool, option,
 * class and reservation defaults, the values subnets and shared networks
 * inherit, pools as "first-last"), so that tools reading config-get see what
 * Kea's shows. Values lessor actually runs with differently (multi-threading)
 * come from the cfg_t. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cfg/cfg-dump.h"
#include "dhcp/optdef.h"

/* Set @key of @o to @v (a new reference, taken) unless it is there. */
static void put(json_t *o, const char *key, json_t *v)
{
	if (json_object_get(o, key) == NULL && v != NULL) {
		json_object_set_new(o, key, v);
	} else {
		json_decref(v);
	}
}

/* Fill every key of @defaults (a JSON text of a map) missing from @o. */
static void put_all(json_t *o, const char *defaults)
{
	json_t *d = json_loads(defaults, 0, NULL);
	const char *key;
	json_t *v;

	json_object_foreach(d, key, v)
	{
		put(o, key, json_incref(v));
	}
	json_decref(d);
}

/* A map member, created empty when missing; NULL when it is not a map. */
static json_t *member_map(json_t *o, const char *key)
{
	put(o, key, json_object());
	json_t *m = json_object_get(o, key);
	return json_is_object(m) ? m : NULL;
}

static const char GLOBAL_DEFAULTS[] =
        "{\"authoritative\": false, \"boot-file-name\": \"\", \"calculate-tee-times\": false,"
        " \"ddns-generated-prefix\": \"myhost\", \"ddns-override-client-update\": false,"
        " \"ddns-override-no-update\": false, \"ddns-qualifying-suffix\": \"\","
        " \"ddns-replace-client-name\": \"never\", \"ddns-send-updates\": true,"
        " \"ddns-update-on-renew\": false, \"ddns-use-conflict-resolution\": true,"
        " \"decline-probation-period\": 86400, \"dhcp4o6-port\": 0,"
        " \"early-global-reservations-lookup\": false, \"echo-client-id\": true,"
        " \"host-reservation-identifiers\": [\"hw-address\", \"duid\", \"circuit-id\","
        " \"client-id\"], \"hostname-char-replacement\": \"\","
        " \"hostname-char-set\": \"[^A-Za-z0-9.-]\", \"ip-reservations-unique\": true,"
        " \"match-client-id\": true, \"next-server\": \"0.0.0.0\", \"option-data\": [],"
        " \"option-def\": [], \"parked-packet-limit\": 256, \"reservations-global\": false,"
        " \"reservations-in-subnet\": true, \"reservations-lookup-first\": false,"
        " \"reservations-out-of-pool\": false, \"server-hostname\": \"\", \"server-tag\": \"\","
        " \"shared-networks\": [], \"statistic-default-sample-age\": 0,"
        " \"statistic-default-sample-count\": 20, \"store-extended-info\": false,"
        " \"subnet4\": [], \"t1-percent\": 0.5, \"t2-percent\": 0.875,"
        " \"valid-lifetime\": 7200}";

static const char DDNS_DEFAULTS[] =
        "{\"enable-updates\": false, \"max-queue-size\": 1024, \"ncr-format\": \"JSON\","
        " \"ncr-protocol\": \"UDP\", \"sender-ip\": \"0.0.0.0\", \"sender-port\": 0,"
        " \"server-ip\": \"127.0.0.1\", \"server-port\": 53001}";
static const char QUEUE_DEFAULTS[] =
        "{\"capacity\": 64, \"enable-queue\": false, \"queue-type\": \"kea-ring4\"}";
static const char EXPIRED_DEFAULTS[] =
        "{\"flush-reclaimed-timer-wait-time\": 25, \"hold-reclaimed-time\": 3600,"
        " \"max-reclaim-leases\": 100, \"max-reclaim-time\": 250,"
        " \"reclaim-timer-wait-time\": 10, \"unwarned-reclaim-cycles\": 5}";
static const char BOOT_DEFAULTS[] =
        "{\"boot-file-name\": \"\", \"next-server\": \"0.0.0.0\", \"server-hostname\": \"\","
        " \"option-data\": []}";
/* what a subnet or shared network shows of its parent's values */
static const char *const INHERITED[] = {
        "calculate-tee-times", "store-extended-info", "t1-percent",  "t2-percent",
        "valid-lifetime",      "renew-timer",         "rebind-timer", "relay"};

/* The option's definition, custom (Dhcp4.option-def of the same space) first. */
static void option_fill(json_t *od, json_t *defs)
{
	const char *space = json_string_value(json_object_get(od, "space"));
	const char *name = json_string_value(json_object_get(od, "name"));
	json_t *jcode = json_object_get(od, "code");
	json_t *d;
	size_t i;

	space = space != NULL ? space : "dhcp4";
	put_all(od, "{\"always-send\": false, \"csv-format\": true}");
	put(od, "space", json_string(space));
	json_array_foreach(defs, i, d)
	{
		const char *ds = json_string_value(json_object_get(d, "space"));

		if (strcmp(ds != NULL ? ds : "dhcp4", space) != 0) {
			continue;
		}
		const char *dn = json_string_value(json_object_get(d, "name"));
		json_t *dc = json_object_get(d, "code");
		if ((name != NULL && dn != NULL && strcmp(name, dn) == 0) ||
		    (json_is_integer(jcode) && json_is_integer(dc) &&
		     json_integer_value(jcode) == json_integer_value(dc))) {
			put(od, "code", json_incref(dc));
			put(od, "name", dn != NULL ? json_string(dn) : NULL);
			return;
		}
	}
	if (!optdef_space_is_dhcp4(space)) {
		return;
	}
	const optdef_t *def = name != NULL ? optdef_std_by_name(name)
	                      : json_is_integer(jcode) && json_integer_value(jcode) >= 0 &&
	                                      json_integer_value(jcode) <= 255
	                              ? optdef_std_by_code((uint8_t)json_integer_value(jcode))
	                              : NULL;
	if (def != NULL) {
		put(od, "code", json_integer(def->code));
		put(od, "name", json_string(def->name));
	}
}

static void options_fill(json_t *o, json_t *defs)
{
	json_t *list, *od;
	size_t i;

	put(o, "option-data", json_array());
	list = json_object_get(o, "option-data");
	json_array_foreach(list, i, od)
	{
		if (json_is_object(od)) {
			option_fill(od, defs);
		}
	}
}

static void defs_fill(json_t *o)
{
	json_t *list, *d;
	size_t i;

	put(o, "option-def", json_array());
	list = json_object_get(o, "option-def");
	json_array_foreach(list, i, d)
	{
		if (json_is_object(d)) {
			put_all(d, "{\"array\": false, \"encapsulate\": \"\", \"record-types\": \"\","
			           " \"space\": \"dhcp4\"}");
		}
	}
}

/* Kea prints a reservation's client-id / duid as upper-case hex digits
 * without separators ("01:aa:bb" -> "01AABB"). */
static void hex_id_text(json_t *r, const char *key)
{
	const char *t = json_string_value(json_object_get(r, key));
	char buf[600];
	size_t n = 0;

	if (t == NULL || strlen(t) >= sizeof(buf)) {
		return;
	}
	for (; *t != '\0'; t++) {
		if (isxdigit((unsigned char)*t)) {
			buf[n++] = (char)toupper((unsigned char)*t);
		} else if (*t != ':' && *t != ' ' && *t != '-') {
			return; /* not hex (a quoted text identifier): as given */
		}
	}
	buf[n] = '\0';
	json_object_set_new(r, key, json_string(buf));
}

static void reservations_fill(json_t *o, json_t *defs, bool always)
{
	json_t *list, *r;
	size_t i;

	if (always) {
		put(o, "reservations", json_array());
	}
	list = json_object_get(o, "reservations");
	json_array_foreach(list, i, r)
	{
		if (json_is_object(r)) {
			put_all(r, BOOT_DEFAULTS);
			put(r, "client-classes", json_array());
			put(r, "hostname", json_string(""));
			hex_id_text(r, "client-id");
			hex_id_text(r, "duid");
			options_fill(r, defs);
		}
	}
}

/* "10.0.0.1 - 10.0.0.9" -> "10.0.0.1-10.0.0.9", as Kea prints a range */
static void pool_text(json_t *pool)
{
	const char *t = json_string_value(json_object_get(pool, "pool"));
	char buf[128];
	size_t n = 0;

	if (t == NULL || strchr(t, '-') == NULL || strlen(t) >= sizeof(buf)) {
		return;
	}
	for (; *t != '\0'; t++) {
		if (*t != ' ' && *t != '\t') {
			buf[n++] = *t;
		}
	}
	buf[n] = '\0';
	json_object_set_new(pool, "pool", json_string(buf));
}

/* @o's values of INHERITED, its own or else @parent's (a map of the same keys). */
static json_t *effective(json_t *o, json_t *parent)
{
	json_t *eff = json_object();

	for (size_t i = 0; eff != NULL && i < ARRAY_SIZE(INHERITED); i++) {
		json_t *v = json_object_get(o, INHERITED[i]);

		if (v == NULL) {
			v = json_object_get(parent, INHERITED[i]);
		}
		if (v != NULL) {
			json_object_set(eff, INHERITED[i], v);
		}
	}
	/* min/max-valid-lifetime: set here or above, else this level's
	 * valid-lifetime (kept apart: an inherited bound stays explicit) */
	for (size_t i = 0; eff != NULL && i < 2; i++) {
		static const char *const bound[] = {"min-valid-lifetime", "max-valid-lifetime"};
		char key[48];

		snprintf(key, sizeof(key), "explicit-%s", bound[i]);
		json_t *x = json_object_get(o, bound[i]);
		if (x == NULL) {
			x = json_object_get(parent, key);
		}
		if (x != NULL) {
			json_object_set(eff, key, x);
			json_object_set(eff, bound[i], x);
		} else if (json_object_get(eff, "valid-lifetime") != NULL) {
			json_object_set(eff, bound[i], json_object_get(eff, "valid-lifetime"));
		}
	}
	return eff;
}

static void network_fill(json_t *o, json_t *eff)
{
	const char *key;
	json_t *v;

	json_object_foreach(eff, key, v)
	{
		if (strncmp(key, "explicit-", 9) != 0) {
			put(o, key, json_incref(v));
		}
	}
	json_t *relay = member_map(o, "relay");
	if (relay != NULL) {
		put(relay, "ip-addresses", json_array());
	}
}

static void subnet_fill(json_t *sn, json_t *parent_eff, json_t *defs)
{
	_cleanup_(json_decrefp) json_t *eff = effective(sn, parent_eff);
	json_t *pools = json_object_get(sn, "pools"), *p;
	size_t i;

	put_all(sn, "{\"4o6-interface\": \"\", \"4o6-interface-id\": \"\", \"4o6-subnet\": \"\"}");
	network_fill(sn, eff);
	options_fill(sn, defs);
	reservations_fill(sn, defs, true);
	json_array_foreach(pools, i, p)
	{
		if (json_is_object(p)) {
			pool_text(p);
			options_fill(p, defs);
		}
	}
}

static void subnets_fill(json_t *parent, json_t *parent_eff, json_t *defs)
{
	json_t *list = json_object_get(parent, "subnet4"), *sn;
	size_t i;

	json_array_foreach(list, i, sn)
	{
		if (json_is_object(sn)) {
			subnet_fill(sn, parent_eff, defs);
		}
	}
}

static void loggers_fill(json_t *d4)
{
	json_t *loggers = json_object_get(d4, "loggers"), *l, *oo;
	size_t i, j;

	json_array_foreach(loggers, i, l)
	{
		if (!json_is_object(l)) {
			continue;
		}
		put(l, "debuglevel", json_integer(0));
		json_array_foreach(json_object_get(l, "output_options"), j, oo)
		{
			const char *out = json_string_value(json_object_get(oo, "output"));

			if (!json_is_object(oo)) {
				continue;
			}
			put_all(oo, "{\"flush\": true, \"pattern\": \"\"}");
			/* rotation applies to files only */
			if (out != NULL && strcmp(out, "stdout") != 0 && strcmp(out, "stderr") != 0 &&
			    strncmp(out, "syslog", 6) != 0) {
				put_all(oo, "{\"maxsize\": 10240000, \"maxver\": 1}");
			}
		}
	}
}

static void classes_fill(json_t *d4, json_t *defs)
{
	json_t *classes = json_object_get(d4, "client-classes"), *c;
	size_t i;

	json_array_foreach(classes, i, c)
	{
		if (json_is_object(c)) {
			put_all(c, BOOT_DEFAULTS);
			defs_fill(c);
			options_fill(c, defs);
		}
	}
}

json_t *cfg_dump(const cfg_t *cfg)
{
	json_t *d4, *m, *sn;
	size_t i;

	if (cfg == NULL || cfg->json == NULL || (d4 = json_deep_copy(cfg->json)) == NULL) {
		return NULL;
	}
	put_all(d4, GLOBAL_DEFAULTS);
	if ((m = member_map(d4, "dhcp-ddns")) != NULL) {
		put_all(m, DDNS_DEFAULTS);
	}
	if ((m = member_map(d4, "dhcp-queue-control")) != NULL) {
		put_all(m, QUEUE_DEFAULTS);
	}
	if ((m = member_map(d4, "expired-leases-processing")) != NULL) {
		put_all(m, EXPIRED_DEFAULTS);
	}
	if ((m = member_map(d4, "sanity-checks")) != NULL) {
		put(m, "lease-checks", json_string("warn"));
	}
	if ((m = member_map(d4, "interfaces-config")) != NULL) {
		put(m, "re-detect", json_true());
	}
	if ((m = member_map(d4, "multi-threading")) != NULL) {
		/* what lessor runs with (its default is Kea 2.4's: enabled) */
		put(m, "enable-multi-threading", json_boolean(cfg->mt.enabled));
		put(m, "thread-pool-size", json_integer(cfg->mt.thread_pool_size));
		put(m, "packet-queue-size", json_integer(cfg->mt.packet_queue_size));
	}
	loggers_fill(d4);
	defs_fill(d4);
	json_t *defs = json_object_get(d4, "option-def");
	options_fill(d4, defs);
	classes_fill(d4, defs);
	reservations_fill(d4, defs, false);

	_cleanup_(json_decrefp) json_t *global_eff = effective(d4, NULL);
	json_array_foreach(json_object_get(d4, "shared-networks"), i, sn)
	{
		if (!json_is_object(sn)) {
			continue;
		}
		_cleanup_(json_decrefp) json_t *eff = effective(sn, global_eff);
		network_fill(sn, eff);
		options_fill(sn, defs);
		put(sn, "subnet4", json_array());
		subnets_fill(sn, eff, defs);
	}
	subnets_fill(d4, global_eff, defs);
	json_t *root = json_pack("{s:o}", "Dhcp4", d4);
	return root;
}

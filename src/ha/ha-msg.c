/* HA peer messages (heartbeats) as Kea writes and reads them; see ha-msg.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ha/ha-msg.h"

json_t *ha_msg_command(const char *cmd, json_t *args)
{
	json_t *o = json_pack("{s:s, s:[s]}", "command", cmd, "service", "dhcp4");

	if (o != NULL && args != NULL && json_object_set_new(o, "arguments", args) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o == NULL) {
		json_decref(args);
	}
	return o;
}

void ha_msg_rfc1123(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	/* the C locale's names, whatever the process locale */
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tm.tm_wday], tm.tm_mday,
	         mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int ha_msg_parse_rfc1123(const char *s, time_t *ret)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wd[4], mon[4], tz[4];
	int day, year, h, m, sec, n = 0;

	/* the strict form: "Www, DD Mmm YYYY HH:MM:SS GMT" */
	if (sscanf(s, "%3[A-Za-z], %d %3[A-Za-z] %d %d:%d:%d %3[A-Z]%n", wd, &day, mon, &year, &h, &m,
	           &sec, tz, &n) != 8 || s[n] != '\0' || strcmp(tz, "GMT") != 0) {
		return -EINVAL;
	}
	const char *mp = strstr(months, mon);
	if (strlen(mon) != 3 || mp == NULL || (mp - months) % 3 != 0 || day < 1 || day > 31 ||
	    year < 1970 || year > 9999 || h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0) {
		return -EINVAL;
	}
	struct tm tm = { .tm_year = year - 1900, .tm_mon = (int)(mp - months) / 3, .tm_mday = day,
	                 .tm_hour = h, .tm_min = m, .tm_sec = sec };
	*ret = timegm(&tm);
	return 0;
}

ha_skew_t ha_msg_skew(time_t mine, time_t partner)
{
	double d = difftime(mine, partner);

	if (d < 0) {
		d = -d;
	}
	return d > 60 ? HA_SKEW_TERMINATE : d > 30 ? HA_SKEW_WARN : HA_SKEW_OK;
}

json_t *ha_msg_heartbeat_answer(cfg_ha_state_t state, const char *const *scopes,
                                uint64_t unsent, time_t now)
{
	char date[64];
	json_t *sc = json_array();

	for (size_t i = 0; sc != NULL && scopes != NULL && scopes[i] != NULL; i++) {
		if (json_array_append_new(sc, json_string(scopes[i])) < 0) {
			json_decref(sc);
			sc = NULL;
		}
	}
	if (sc == NULL) {
		return NULL;
	}
	ha_msg_rfc1123(now, date, sizeof(date));
	return json_pack("[{s:i, s:s, s:{s:s, s:s, s:o, s:I}}]", "result", 0, "text",
	                 "HA peer status returned.", "arguments", "state", cfg_ha_state_name(state),
	                 "date-time", date, "scopes", sc, "unsent-update-count", (json_int_t)unsent);
}

static int proto(char *err, size_t len, const char *msg)
{
	snprintf(err, len, "%s", msg);
	return -EPROTO;
}

int ha_msg_parse_heartbeat(json_t *answer, const char *const scope_names[2], ha_heartbeat_t *ret,
                           char *err, size_t errlen)
{
	json_t *a = json_is_array(answer) ? json_array_get(answer, 0) : NULL;

	memset(ret, 0, sizeof(*ret));
	if (!json_is_object(a)) {
		return proto(err, errlen, "unexpected response from the partner: not a list holding a map");
	}
	json_t *res = json_object_get(a, "result");
	if (!json_is_integer(res) || json_integer_value(res) != 0) {
		json_t *text = json_object_get(a, "text");
		snprintf(err, errlen, "%s", json_is_string(text) ? json_string_value(text) : "no result");
		return -EPROTO;
	}
	json_t *args = json_object_get(a, "arguments");
	if (!json_is_object(args)) {
		return proto(err, errlen, "arguments in the heartbeat response must be a map");
	}
	json_t *st = json_object_get(args, "state");
	int si = -1;
	for (int i = 0; json_is_string(st) && i < _CFG_HA_ST_MAX; i++) {
		if (strcmp(json_string_value(st), cfg_ha_state_name((cfg_ha_state_t)i)) == 0) {
			si = i;
		}
	}
	if (si < 0) {
		return proto(err, errlen, "server state not returned in response to a heartbeat or it is not a string");
	}
	ret->state = (cfg_ha_state_t)si;
	json_t *dt = json_object_get(args, "date-time");
	if (!json_is_string(dt) || ha_msg_parse_rfc1123(json_string_value(dt), &ret->date_time) < 0) {
		return proto(err, errlen, "date-time not returned in response to a heartbeat or it is not a string");
	}
	json_t *sc = json_object_get(args, "scopes"), *v;
	size_t i;
	if (!json_is_array(sc)) {
		return proto(err, errlen, "scopes not returned in response to a heartbeat or it is not a list");
	}
	json_array_foreach(sc, i, v) {
		for (int k = 0; k < 2 && json_is_string(v); k++) {
			if (scope_names[k] != NULL && strcmp(json_string_value(v), scope_names[k]) == 0) {
				ret->scope[k] = true;
			}
		}
	}
	json_t *u = json_object_get(args, "unsent-update-count");
	if (u != NULL) {
		if (!json_is_integer(u) || json_integer_value(u) < 0) {
			return proto(err, errlen, "unsent-update-count returned in the ha-heartbeat response is not a positive integer");
		}
		ret->unsent_update_count = (uint64_t)json_integer_value(u);
	}
	return 0;
}

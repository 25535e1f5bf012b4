/* dhcp-disable / dhcp-enable per origin, as Kea 2.2's NetworkState, and the
 * state they leave (status-get's "dhcp-state", shown by the console). */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl-int.h"

/* Kea 2.2's origin values for dhcp-disable/-enable (NetworkState). */
static json_t *parse_origin(json_t *args, const char **ret)
{
	json_t *o = json_object_get(args, "origin");

	*ret = "user";
	if (o == NULL) {
		return NULL;
	}
	if (!json_is_string(o)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'origin' argument must be a string");
	}
	const char *s = json_string_value(o);
	if (strcmp(s, "user") != 0 && strcmp(s, "ha-partner") != 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid value used for 'origin' parameter: %s", s);
	}
	*ret = s;
	return NULL;
}

static int64_t mono_now_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec;
}

static unsigned origin_index(const char *origin)
{
	return strcmp(origin, "ha-partner") == 0 ? 1 : 0;
}

/* Kea's NetworkState: each origin disables on its own; an origin's max-period
 * timer re-enables only that origin; DHCP is served again only when no origin
 * disables it. The daemon keeps a single switch and timer, so hand it the
 * aggregate: disabled while any origin is, until the last timer if every
 * disabling origin has one, else indefinitely. Timers that already ran out
 * (the daemon has re-enabled service by itself) are dropped first. */
static int origins_apply(ctl_t *ctl, const char *origin)
{
	int64_t now = mono_now_s(), last = 0;
	bool any = false, forever = false;

	for (size_t i = 0; i < ARRAY_SIZE(ctl->disabled_by); i++) {
		if (!ctl->disabled_by[i].on) {
			continue;
		}
		any = true;
		if (ctl->disabled_by[i].until_s == 0) {
			forever = true;
		} else if (ctl->disabled_by[i].until_s > last) {
			last = ctl->disabled_by[i].until_s;
		}
	}
	if (!any) {
		return ctl->env.dhcp_enable(ctl->env.ud, origin);
	}
	return ctl->env.dhcp_disable(ctl->env.ud, forever ? 0 : (uint32_t)MAX(last - now, 1), origin);
}

static void origins_expire(ctl_t *ctl)
{
	int64_t now = mono_now_s();

	for (size_t i = 0; i < ARRAY_SIZE(ctl->disabled_by); i++) {
		if (ctl->disabled_by[i].on && ctl->disabled_by[i].until_s != 0 &&
		    ctl->disabled_by[i].until_s <= now) {
			ctl->disabled_by[i].on = false;
			ctl->disabled_by[i].until_s = 0;
		}
	}
}

json_t *ctl_cmd_dhcp_disable(ctl_t *ctl, json_t *args)
{
	const char *origin = "user";
	json_int_t period = 0;
	json_t *err;

	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "arguments for the 'dhcp-disable' command must be a map");
	}
	if (args != NULL) {
		json_t *mp = json_object_get(args, "max-period");

		if (mp != NULL) {
			if (!json_is_integer(mp)) {
				return ctl_answer(CTL_RESULT_ERROR, NULL,
				                  "'max-period' argument must be a number");
			}
			period = json_integer_value(mp);
			if (period <= 0 || period > UINT32_MAX) {
				return ctl_answer(CTL_RESULT_ERROR, NULL,
				                  "'max-period' must be positive integer");
			}
		}
		err = parse_origin(args, &origin);
		if (err != NULL) {
			return err;
		}
	}
	/* Both switches are needed: each command can undo the other's timer. */
	if (ctl->env.dhcp_disable == NULL || ctl->env.dhcp_enable == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL,
		                  "'dhcp-disable' command not supported.");
	}
	/* Kea: a disable without max-period leaves the origin's running timer */
	origins_expire(ctl);
	unsigned oi = origin_index(origin);
	bool was_on = ctl->disabled_by[oi].on;
	int64_t was_until = ctl->disabled_by[oi].until_s;

	ctl->disabled_by[oi].on = true;
	if (period > 0) {
		ctl->disabled_by[oi].until_s = mono_now_s() + period;
	} else if (!was_on) {
		ctl->disabled_by[oi].until_s = 0;
	}
	int r = origins_apply(ctl, origin);
	if (r < 0) {
		ctl->disabled_by[oi].on = was_on;
		ctl->disabled_by[oi].until_s = was_until;
		return ctl_answer(CTL_RESULT_ERROR, NULL, "unable to disable DHCP service: %s",
		                  strerror(-r));
	}
	if (period > 0) {
		return ctl_answer(CTL_RESULT_SUCCESS, NULL,
		                  "DHCPv4 service disabled for %lld seconds", (long long)period);
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "DHCPv4 service disabled");
}

json_t *ctl_cmd_dhcp_enable(ctl_t *ctl, json_t *args)
{
	const char *origin = "user";

	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "arguments for the 'dhcp-enable' command must be a map");
	}
	if (args != NULL) {
		json_t *err = parse_origin(args, &origin);

		if (err != NULL) {
			return err;
		}
	}
	/* Both switches are needed: each command can undo the other's timer. */
	if (ctl->env.dhcp_disable == NULL || ctl->env.dhcp_enable == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL,
		                  "'dhcp-enable' command not supported.");
	}
	/* Kea answers success even while another origin keeps DHCP disabled */
	origins_expire(ctl);
	unsigned oi = origin_index(origin);
	bool was_on = ctl->disabled_by[oi].on;
	int64_t was_until = ctl->disabled_by[oi].until_s;

	ctl->disabled_by[oi].on = false;
	ctl->disabled_by[oi].until_s = 0;
	int r = origins_apply(ctl, origin);
	if (r < 0) {
		ctl->disabled_by[oi].on = was_on;
		ctl->disabled_by[oi].until_s = was_until;
		return ctl_answer(CTL_RESULT_ERROR, NULL, "unable to enable DHCP service: %s",
		                  strerror(-r));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "DHCP service successfully enabled");
}

/* Whether DHCP is served and which origins (Kea's NetworkState: "user",
 * "ha-partner") disable it: {"enabled": B, "disabled-by": [...]}. */
json_t *ctl_dhcp_state(ctl_t *ctl)
{
	static const char *const names[] = {"user", "ha-partner"};
	json_t *by = json_array();

	origins_expire(ctl);
	for (size_t i = 0; by != NULL && i < ARRAY_SIZE(ctl->disabled_by); i++) {
		if (ctl->disabled_by[i].on) {
			json_array_append_new(by, json_string(names[i]));
		}
	}
	bool enabled = ctl->env.dhcp_is_enabled == NULL || ctl->env.dhcp_is_enabled(ctl->env.ud);
	return json_pack("{s:b, s:o*}", "enabled", enabled, "disabled-by", by);
}


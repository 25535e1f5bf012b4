/* Configuration loader: the inheritable parameters (lifetimes, timers, flags,
 * boot fields, allocator, relay, ...) of one level: global, shared network or
 * subnet. Resolution across levels: cfg-load-subnets.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "util/inaddr.h"

static int parse_relay(ld_t *ld, json_t *obj, lvl_t *l)
{
	json_t *rel = json_object_get(obj, "relay");
	static const char *const relay_keys[] = { "ip-addresses", "ip-address", NULL };
	int r;

	if (rel == NULL) {
		return 0;
	}
	if ((r = load_need_object(ld, rel, "relay")) < 0) {
		return r;
	}
	size_t mark = load_push_key(ld, "relay");
	json_t *arr = json_object_get(rel, "ip-addresses");
	json_t *one = json_object_get(rel, "ip-address");
	if ((r = load_check_keys(ld, rel, "relay", relay_keys, NULL)) < 0) {
		return r;
	}
	if (arr != NULL && one != NULL) {
		return load_fail(ld, NULL, "specify either ip-address or ip-addresses, not both");
	}
	if (arr != NULL && !json_is_array(arr)) {
		return load_fail(ld, "ip-addresses", "'ip-addresses' must be a list");
	}
	size_t n = arr != NULL ? json_array_size(arr) : one != NULL ? 1 : 0;
	l->relays = calloc(n > 0 ? n : 1, sizeof(uint32_t));
	if (l->relays == NULL) {
		return load_oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = arr != NULL ? json_array_get(arr, i) : one;
		uint32_t a;
		if (!json_is_string(v) || inaddr_parse(json_string_value(v), &a) < 0) {
			if (arr != NULL) {
				load_push_key(ld, "ip-addresses");
				load_push_idx(ld, i);
				return load_fail(ld, NULL, "relay address is not a valid IPv4 address");
			}
			return load_fail(ld, "ip-address", "relay address is not a valid IPv4 address");
		}
		l->relays[l->n_relays++] = a;
	}
	load_pop(ld, mark);
	return 0;
}

/* Kea 2.2 takes any integer for cache-max-age and keeps it as a uint32_t:
 * -1 is 4294967295 s, 2^32 is 0 (no reuse); checked with kea-dhcp4 -t. */
static int get_cache_max_age(ld_t *ld, json_t *o, lvl_t *l)
{
	json_t *v = json_object_get(o, "cache-max-age");

	if (v == NULL) {
		return 0;
	}
	if (!json_is_integer(v)) {
		return load_fail(ld, "cache-max-age", "'cache-max-age' must be an integer");
	}
	l->cmax = (uint32_t)json_integer_value(v);
	l->has_cmax = true;
	return 0;
}

int load_parse_lvl(ld_t *ld, json_t *o, lvl_t *l)
{
	const char *alloc = NULL, *mode = NULL, *cls = NULL;
	int r;

	*l = (lvl_t){ .client_class = CFG_CLASS_NONE };
	if ((r = load_get_u32(ld, o, "valid-lifetime", &l->valid, &l->has_valid)) < 0 ||
	         (r = load_get_u32(ld, o, "min-valid-lifetime", &l->min, &l->has_min)) < 0 ||
	         (r = load_get_u32(ld, o, "max-valid-lifetime", &l->max, &l->has_max)) < 0 ||
	         (r = load_get_u32(ld, o, "renew-timer", &l->renew, &l->has_renew)) < 0 ||
	         (r = load_get_u32(ld, o, "rebind-timer", &l->rebind, &l->has_rebind)) < 0 ||
	         (r = load_get_bool(ld, o, "calculate-tee-times", &l->calc, &l->has_calc)) < 0 ||
	         (r = load_get_double(ld, o, "t1-percent", &l->t1, &l->has_t1)) < 0 ||
	         (r = load_get_double(ld, o, "t2-percent", &l->t2, &l->has_t2)) < 0 ||
	         (r = load_get_bool(ld, o, "authoritative", &l->auth, &l->has_auth)) < 0 ||
	         (r = load_get_bool(ld, o, "match-client-id", &l->mcid, &l->has_mcid)) < 0 ||
	         (r = load_get_bool(ld, o, "reservations-global", &l->rg, &l->has_rg)) < 0 ||
	         (r = load_get_bool(ld, o, "reservations-in-subnet", &l->ris, &l->has_ris)) < 0 ||
	         (r = load_get_bool(ld, o, "reservations-out-of-pool", &l->roop, &l->has_roop)) < 0 ||
	         (r = load_get_addr(ld, o, "next-server", &l->ns, &l->has_ns)) < 0 ||
	         (r = load_get_str(ld, o, "server-hostname", &l->sname)) < 0 ||
	         (r = load_get_str(ld, o, "boot-file-name", &l->file)) < 0 ||
	         (r = load_get_str(ld, o, "interface", &l->iface)) < 0 ||
	         (r = load_get_str(ld, o, "allocator", &alloc)) < 0 ||
	         (r = load_get_str(ld, o, "reservation-mode", &mode)) < 0 ||
	         (r = load_get_str(ld, o, "client-class", &cls)) < 0) {
		return r;
	}
	if (l->has_t1 && (l->t1 <= 0.0 || l->t1 >= 1.0)) {
		return load_fail(ld, "t1-percent", "t1-percent: %g is invalid, it must be greater than 0.0 and less than 1.0", l->t1);
	}
	if (l->has_t2 && (l->t2 <= 0.0 || l->t2 >= 1.0)) {
		return load_fail(ld, "t2-percent", "t2-percent: %g is invalid, it must be greater than 0.0 and less than 1.0", l->t2);
	}
	if (l->has_t1 && l->has_t2 && l->t1 >= l->t2) {
		return load_fail(ld, "t1-percent", "t1-percent: %g is invalid, it must be less than t2-percent: %g", l->t1, l->t2);
	}
	if (l->sname != NULL && strlen(l->sname) > 63) {
		return load_fail(ld, "server-hostname", "server-hostname must be at most 63 bytes long, it is %zu", strlen(l->sname));
	}
	if (l->file != NULL && strlen(l->file) > 127) {
		return load_fail(ld, "boot-file-name", "boot-file-name must be at most 127 bytes long, it is %zu", strlen(l->file));
	}
	if (alloc != NULL) {
		l->has_alloc = true;
		if (strcmp(alloc, "iterative") == 0) {
			l->alloc = CFG_ALLOC_ITERATIVE;
		} else if (strcmp(alloc, "random") == 0) {
			l->alloc = CFG_ALLOC_RANDOM;
		} else if (strcmp(alloc, "flq") == 0) {
			l->alloc = CFG_ALLOC_FLQ;
		} else {
			return load_fail(ld, "allocator", "supported allocators are: iterative, random and flq");
		}
	}
	if (mode != NULL) {
		/* Deprecated reservation-mode maps onto the three flags. */
		if (l->has_rg || l->has_ris || l->has_roop) {
			return load_fail(ld, "reservation-mode", "invalid use of both 'reservation-mode' and one of 'reservations-global', 'reservations-in-subnet' or 'reservations-out-of-pool' parameters");
		}
		l->has_rg = l->has_ris = l->has_roop = true;
		if (strcmp(mode, "all") == 0) {
			l->rg = false, l->ris = true, l->roop = false;
		} else if (strcmp(mode, "out-of-pool") == 0) {
			l->rg = false, l->ris = true, l->roop = true;
		} else if (strcmp(mode, "global") == 0) {
			l->rg = true, l->ris = false, l->roop = false;
		} else if (strcmp(mode, "disabled") == 0) {
			l->rg = false, l->ris = false, l->roop = false;
		} else {
			return load_fail(ld, "reservation-mode", "invalid reservation-mode parameter: '%s'", mode);
		}
	}
	if (cls != NULL && cls[0] != '\0') {
		l->client_class = load_class_ref(ld, cls);
		if (l->client_class < 0) {
			return l->client_class;
		}
	}
	uint32_t offer = 0;
	if ((r = load_get_bool(ld, o, "store-extended-info", &l->sei, &l->has_sei)) < 0 ||
	         (r = load_get_u32(ld, o, "offer-lifetime", &offer, NULL)) < 0 ||
	         (r = load_get_double(ld, o, "cache-threshold", &l->cthr, &l->has_cthr)) < 0 ||
	         (r = get_cache_max_age(ld, o, l)) < 0) {
		return r;
	}
	if (l->has_cthr && (l->cthr <= 0.0 || l->cthr >= 1.0)) {
		return load_fail(ld, "cache-threshold", "cache-threshold: %g is invalid, it must be greater than 0.0 and less than 1.0",
		                 l->cthr);
	}
	if (offer != 0) {
		return load_fail(ld, "offer-lifetime", "'offer-lifetime' is not supported yet");
	}
	if ((r = load_parse_names(ld, o, l)) < 0) {
		return r;
	}
	return parse_relay(ld, o, l);
}

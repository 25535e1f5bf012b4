/* lease4-* commands of Kea's lease_cmds hook (2.2 texts and result codes).
 * Each command opens its own lease connection for its duration, so no
 * connection is ever shared between the two ctl threads. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/hex.h"
#include "util/inaddr.h"

#include <arpa/inet.h>

#define PAGE_BATCH 1024

DEFINE_FREEP(const cfg_t, cfg_release)

/* Kea's Lease4::toElement() (2.2: no pool-id). */
json_t *ctl_lease4_json(const lease4_t *l)
{
	char addr[INADDR_STRLEN];
	char hw[3 * DHCP_HWADDR_MAX + 1];
	json_t *o;

	hex_fmt(l->hwaddr, l->hwaddr_len, ':', hw);
	o = json_pack("{s:s, s:I, s:s, s:I, s:I, s:b, s:b, s:s, s:i}", "ip-address",
	              inaddr_fmt(l->addr, addr), "subnet-id", (json_int_t)l->subnet_id,
	              "hw-address", hw, "cltt", (json_int_t)l->cltt, "valid-lft",
	              (json_int_t)l->valid_lft, "fqdn-fwd", l->fqdn_fwd, "fqdn-rev", l->fqdn_rev,
	              "hostname", l->hostname, "state", (int)l->state);
	if (o == NULL) {
		return NULL;
	}
	if (l->client_id_len > 0) {
		char cid[3 * DHCP_OPT_LEN_MAX + 1];

		hex_fmt(l->client_id, l->client_id_len, ':', cid);
		json_object_set_new(o, "client-id", json_string(cid));
	}
	if (l->user_context[0] != '\0') {
		json_t *uc = json_loads(l->user_context, 0, NULL);

		if (uc != NULL) {
			json_object_set_new(o, "user-context", uc);
		}
	}
	return o;
}

static json_t *conn_open(ctl_t *ctl, lease_conn_t **ret)
{
	if (ctl->env.store == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "lease database is not available");
	}
	int r = lease_conn_open(ctl->env.store, ret);
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "unable to open lease database: %s",
		                  strerror(-r));
	}
	return NULL;
}

static const char *state_name(lease_state_t st)
{
	switch (st) {
	case LEASE_STATE_DECLINED: return "declined";
	case LEASE_STATE_EXPIRED_RECLAIMED: return "expired-reclaimed";
	default: return "default";
	}
}

/* Kea's Lease4Parser::parse(): @args -> *ret. @cfg gives subnet checks and
 * the default valid lifetime. Returns NULL (ok) or an error answer. */
static json_t *lease_parse(const cfg_t *cfg, json_t *args, lease4_t *ret, bool *ret_force)
{
	lease4_t l;
	json_t *v;
	const cfg_subnet4_t *sn = NULL;

	memset(&l, 0, sizeof(l));
	v = json_object_get(args, "ip-address");
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "missing parameter 'ip-address'");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid type specified for parameter 'ip-address'");
	}
	char v6[INET6_ADDRSTRLEN];
	const char *as = json_string_value(v);
	int fam = ctl_addr_parse(as, &l.addr, v6);
	if (fam == 6) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Non-IPv4 address specified: %s", v6);
	}
	if (fam != 4) {
		/* SimpleParser::getAddress() wrapping IOAddress's text */
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Failed to convert '%s' to address: Failed to convert string "
		                  "to address '%s': Invalid argument",
		                  as, as);
	}

	json_int_t sid = 0;
	json_t *err;
	if (json_object_get(args, "subnet-id") != NULL &&
	    (err = ctl_arg_uint(args, "subnet-id", UINT32_MAX, &sid)) != NULL) {
		return err;
	}
	char abuf[INADDR_STRLEN], nbuf[INADDR_STRLEN];
	if (sid == 0) {
		for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
			if (cfg_subnet4_contains(&cfg->subnets[i], l.addr)) {
				sn = &cfg->subnets[i];
				break;
			}
		}
		if (sn == NULL) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "subnet-id not specified and failed to "
			                  "find a subnet for address %s",
			                  inaddr_fmt(l.addr, abuf));
		}
	} else {
		sn = sid <= UINT32_MAX && cfg != NULL ? cfg_subnet_by_id(cfg, (uint32_t)sid) : NULL;
		if (sn == NULL) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "Invalid subnet-id: No IPv4 subnet with "
			                  "subnet-id=%lld currently configured.",
			                  (long long)sid);
		}
		if (!cfg_subnet4_contains(sn, l.addr)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "The address %s does not belong to subnet "
			                  "%s/%u, subnet-id=%u",
			                  inaddr_fmt(l.addr, abuf), inaddr_fmt(sn->net, nbuf),
			                  sn->plen, sn->id);
		}
	}
	l.subnet_id = sn->id;
	const cfg_pool_t *pool = cfg_subnet_pool_of(sn, l.addr);
	l.pool_id = pool != NULL ? pool->pool_id : 0;

	v = json_object_get(args, "hw-address");
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "missing parameter 'hw-address'");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid type specified for parameter 'hw-address'");
	}
	size_t n = 0;
	err = ctl_hwaddr_parse(json_string_value(v), l.hwaddr, sizeof(l.hwaddr), &n);
	if (err != NULL) {
		return err;
	}
	l.hwaddr_len = (uint8_t)n;
	l.htype = 1;

	v = json_object_get(args, "client-id");
	if (v != NULL) {
		if (!json_is_string(v)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "invalid type specified for parameter 'client-id'");
		}
		n = 0;
		if (json_string_length(v) > 0) {
			err = ctl_client_id_parse(json_string_value(v), l.client_id,
			                          sizeof(l.client_id), &n);
			if (err != NULL) {
				return err;
			}
		}
		l.client_id_len = (uint8_t)n;
	}

	l.valid_lft = sn->lft.valid;
	if (json_object_get(args, "valid-lft") != NULL) {
		json_int_t lft;

		err = ctl_arg_uint(args, "valid-lft", UINT32_MAX, &lft);
		if (err != NULL) {
			return err;
		}
		l.valid_lft = (uint32_t)lft;
	}
	l.cltt = (int64_t)time(NULL);
	v = json_object_get(args, "expire");
	if (v != NULL) {
		if (!json_is_integer(v)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "invalid type specified for parameter 'expire'");
		}
		if (json_integer_value(v) <= 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "expiration time must be positive for address %s",
			                  inaddr_fmt(l.addr, abuf));
		}
		if (json_integer_value(v) < (json_int_t)l.valid_lft) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "expiration time must be greater than valid lifetime for "
			                  "address %s",
			                  inaddr_fmt(l.addr, abuf));
		}
		l.cltt = (int64_t)json_integer_value(v) - (int64_t)l.valid_lft;
	}

	static const char *const bools[] = {"fqdn-fwd", "fqdn-rev", "force-create"};
	bool bv[3] = {false, false, false};
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		v = json_object_get(args, bools[i]);
		if (v != NULL) {
			if (!json_is_boolean(v)) {
				return ctl_answer(CTL_RESULT_ERROR, NULL,
				                  "invalid type specified for parameter '%s'",
				                  bools[i]);
			}
			bv[i] = json_is_true(v);
		}
	}
	l.fqdn_fwd = bv[0];
	l.fqdn_rev = bv[1];

	v = json_object_get(args, "hostname");
	if (v != NULL) {
		if (!json_is_string(v) || json_string_length(v) > DHCP_HOSTNAME_MAX) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "invalid type specified for parameter 'hostname'");
		}
		const char *h = json_string_value(v);
		for (size_t i = 0; h[i] != '\0'; i++) {
			l.hostname[i] = (char)tolower((unsigned char)h[i]); /* Kea lower-cases */
		}
	}
	if ((l.fqdn_fwd || l.fqdn_rev) && l.hostname[0] == '\0') {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "No hostname specified and either forward or "
		                  "reverse fqdn was set to true.");
	}

	if (json_object_get(args, "state") != NULL) {
		json_int_t st;

		err = ctl_arg_uint(args, "state", UINT8_MAX, &st);
		if (err != NULL) {
			return err;
		}
		if (st >= _LEASE_STATE_MAX) {
			return ctl_answer(
			        CTL_RESULT_ERROR, NULL,
			        "Invalid state value: %lld, supported "
			        "values are: 0 (default), 1 (declined) and 2 (expired-reclaimed)",
			        (long long)st);
		}
		l.state = (lease_state_t)st;
	}

	v = json_object_get(args, "user-context");
	if (v != NULL) {
		if (!json_is_object(v)) {
			_cleanup_free_ char *shown = cfg_json_kea_str(v);

			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "Invalid user context '%s' is not a JSON map.",
			                  shown != NULL ? shown : "?");
		}
		_cleanup_free_ char *uc = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		if (uc == NULL || strlen(uc) >= sizeof(l.user_context)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "user-context is too large");
		}
		if (json_object_size(v) > 0) {
			strcpy(l.user_context, uc);
		}
	}
	if (l.hwaddr_len == 0 && l.client_id_len == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Lease4: %s, state: %s has neither hardware address or client id",
		                  inaddr_fmt(l.addr, abuf), state_name(l.state));
	}
	*ret = l;
	if (ret_force != NULL) {
		*ret_force = bv[2];
	}
	return NULL;
}

_Thread_local lease_conn_t **ctl_sync_later;

/* Make the change durable: nothing on a batch's @shared connection (the batch
 * syncs once); on the dedicated listener (ctl_sync_later set) the command's
 * own connection is handed over unsynced, to be synced after the ctl lock is
 * released; else sync *@own now. */
static int sync_own(lease_conn_t **own, const lease_conn_t *shared)
{
	if (shared != NULL) {
		return 0;
	}
	if (ctl_sync_later != NULL && *ctl_sync_later == NULL) {
		*ctl_sync_later = TAKE_PTR(*own);
		return 0;
	}
	return lease_conn_sync(*own);
}

/* lease4-add / lease4-update on @shared (a batch's, not synced here) or on a
 * connection of its own (synced before the answer). */
static json_t *add_or_update(ctl_t *ctl, lease_conn_t *shared, json_t *args, bool update)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = NULL;
	_cleanup_(lease_conn_closep) lease_conn_t *own = NULL;
	lease_conn_t *c = shared;
	char abuf[INADDR_STRLEN];
	lease4_t l, old;
	bool force = false;
	json_t *err;
	int r;

	if (args == NULL || json_is_null(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  update ? "no parameters specified for "
		                           "lease4-update command"
		                         : "no parameters specified for the command");
	}
	if (!json_is_object(args)) {
		/* Kea's Element exception, as it escapes the parser */
		return ctl_answer(CTL_RESULT_ERROR, NULL, "get(string) called on a non-map Element in");
	}
	cfg = cfg_acquire();
	err = lease_parse(cfg, args, &l, &force);
	if (err != NULL) {
		return err;
	}
	if (c == NULL) {
		err = conn_open(ctl, &own);
		if (err != NULL) {
			return err;
		}
		c = own;
	}
	inaddr_fmt(l.addr, abuf);
	if (!update) {
		r = lease_add(c, &l);
		if (r == -EEXIST) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "IPv4 lease already exists.");
		}
		if (r == 0) {
			r = sync_own(&own, shared);
		}
		if (r < 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
		}
		return ctl_answer(CTL_RESULT_SUCCESS, NULL,
		                  "Lease for address %s, subnet-id %u added.", abuf, l.subnet_id);
	}
	r = lease_get_by_addr(c, l.addr, &old);
	if (r == -ENOENT && force) {
		r = lease_add(c, &l);
		if (r == 0) {
			r = sync_own(&own, shared);
		}
		if (r < 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
		}
		return ctl_answer(CTL_RESULT_SUCCESS, NULL, "IPv4 lease added.");
	}
	if (r == 0) {
		r = lease_update(c, &old, &l);
	}
	if (r == -ENOENT || r == -ESTALE) {
		return ctl_answer(
		        CTL_RESULT_ERROR, NULL,
		        "failed to update the lease with address %s "
		        "either because the lease has been deleted or it has changed in the "
		        "database, in both cases a retry might succeed",
		        abuf);
	}
	if (r == 0) {
		r = sync_own(&own, shared);
	}
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "IPv4 lease updated.");
}

json_t *ctl_cmd_lease4_add(ctl_t *ctl, json_t *args)
{
	return add_or_update(ctl, NULL, args, false);
}

json_t *ctl_cmd_lease4_update(ctl_t *ctl, json_t *args)
{
	return add_or_update(ctl, NULL, args, true);
}

json_t *ctl_lease4_update_on(ctl_t *ctl, lease_conn_t *c, json_t *args)
{
	return add_or_update(ctl, c, args, true);
}

/* The shared start of lease4-get and lease4-del (@verb "Query" / "Delete"):
 * check the arguments, open a connection into *ret_conn and look the lease up
 * (unless *ret_conn is one already) and look the lease up
 * by address or by (identifier-type, identifier, subnet-id). NULL (with
 * *ret_found and *ret set), or the error answer. */
static json_t *open_and_lookup(ctl_t *ctl, json_t *args, const char *verb,
                               lease_conn_t **ret_conn, lease4_t *ret, bool *ret_found)
{
	ctl_lease_key_t key;
	json_t *err;
	int r = -ENOENT;

	*ret_found = false;
	err = ctl_lease_key_parse(args, 4, verb, &key);
	if (err != NULL) {
		return err;
	}
	err = *ret_conn == NULL ? conn_open(ctl, ret_conn) : NULL;
	if (err != NULL) {
		return err;
	}
	if (key.type == CTL_KEY_ADDR) {
		r = lease_get_by_addr(*ret_conn, key.addr, ret);
	} else if (key.subnet_ok && key.type == CTL_KEY_HWADDR) {
		r = lease_get_by_hwaddr(*ret_conn, key.subnet_id, key.id, key.id_len, ret);
	} else if (key.subnet_ok) {
		r = lease_get_by_client_id(*ret_conn, key.subnet_id, key.id, key.id_len, ret);
	}
	if (r == 0) {
		*ret_found = true;
	} else if (r != -ENOENT) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
	}
	return NULL;
}

json_t *ctl_cmd_lease4_get(ctl_t *ctl, json_t *args)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	lease4_t l;
	bool found;
	json_t *err;

	err = open_and_lookup(ctl, args, "Query", &c, &l, &found);
	if (err != NULL) {
		return err;
	}
	if (!found) {
		return ctl_answer(CTL_RESULT_EMPTY, NULL, "Lease not found.");
	}
	return ctl_answer(CTL_RESULT_SUCCESS, ctl_lease4_json(&l), "IPv4 lease found.");
}

/* lease4-del on @shared (a batch's, not synced here) or on its own connection. */
static json_t *del_on(ctl_t *ctl, lease_conn_t *shared, json_t *args)
{
	_cleanup_(lease_conn_closep) lease_conn_t *own = NULL;
	lease_conn_t *c = shared;
	lease4_t l;
	bool found;
	json_t *err;

	err = open_and_lookup(ctl, args, "Delete", shared != NULL ? &c : &own, &l, &found);
	if (err != NULL) {
		return err;
	}
	c = shared != NULL ? shared : own;
	int r = found ? lease_del(c, &l) : -ENOENT;
	if (r == -ENOENT || r == -ESTALE) {
		return ctl_answer(CTL_RESULT_EMPTY, NULL, "IPv4 lease not found.");
	}
	if (r == 0) {
		r = sync_own(&own, shared);
	}
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "IPv4 lease deleted.");
}

json_t *ctl_cmd_lease4_del(ctl_t *ctl, json_t *args)
{
	return del_on(ctl, NULL, args);
}

json_t *ctl_lease4_del_on(ctl_t *ctl, lease_conn_t *c, json_t *args)
{
	return del_on(ctl, c, args);
}

/* Visit leases in address order after @after, at most @limit (0 = all) that
 * pass @keep; append them to @list. Returns the count or a negative code. */
typedef bool (*lease_filter_fn)(const lease4_t *l, const void *ud);

static int scan(lease_conn_t *c, uint32_t after, size_t limit, lease_filter_fn keep, const void *ud,
                json_t *list)
{
	_cleanup_free_ lease4_t *page = calloc(PAGE_BATCH, sizeof(*page));
	size_t found = 0;

	if (page == NULL) {
		return -ENOMEM;
	}
	for (;;) {
		/* get_page returns addresses strictly above @after; "start" (0) asks
		 * for everything but 0.0.0.0, which no lease can hold anyway. */
		int n = c->store->ops->get_page(c, after, page, PAGE_BATCH);

		if (n < 0) {
			return n;
		}
		for (int i = 0; i < n; i++) {
			if (keep != NULL && !keep(&page[i], ud)) {
				continue;
			}
			json_t *j = ctl_lease4_json(&page[i]);
			if (j == NULL || json_array_append_new(list, j) < 0) {
				return -ENOMEM;
			}
			if (++found == limit) {
				return (int)found;
			}
		}
		if (n < PAGE_BATCH || page[n - 1].addr == UINT32_MAX) {
			return (int)found;
		}
		after = page[n - 1].addr;
	}
}

static json_t *leases_answer(json_t *list, int n, bool with_count)
{
	json_t *a;

	if (with_count) {
		a = json_pack("{s:o, s:i}", "leases", list, "count", n);
	} else {
		a = json_pack("{s:o}", "leases", list);
	}
	return ctl_answer(n > 0 ? CTL_RESULT_SUCCESS : CTL_RESULT_EMPTY, a,
	                  "%d IPv4 lease(s) found.", n);
}

typedef struct subnet_set {
	uint32_t *ids;
	size_t n;
} subnet_set_t;

static bool in_subnets(const lease4_t *l, const void *ud)
{
	const subnet_set_t *s = ud;

	for (size_t i = 0; i < s->n; i++) {
		if (s->ids[i] == l->subnet_id) {
			return true;
		}
	}
	return false;
}

json_t *ctl_cmd_lease4_get_all(ctl_t *ctl, json_t *args)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	_cleanup_free_ uint32_t *ids = NULL;
	subnet_set_t set = {0};
	json_t *err = ctl_subnets_arg(args, &ids, &set.n);

	if (err != NULL) {
		return err;
	}
	set.ids = ids;
	err = conn_open(ctl, &c);
	if (err != NULL) {
		return err;
	}
	json_t *list = json_array();
	if (list == NULL) {
		return NULL;
	}
	int n = scan(c, 0, 0, ids != NULL ? in_subnets : NULL, &set, list);
	if (n < 0) {
		json_decref(list);
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-n));
	}
	return leases_answer(list, n, false);
}

json_t *ctl_cmd_lease4_get_page(ctl_t *ctl, json_t *args)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	uint32_t after = 0, limit = 0;
	json_t *err = ctl_page_args(args, 4, &after, &limit);

	if (err != NULL) {
		return err;
	}
	err = conn_open(ctl, &c);
	if (err != NULL) {
		return err;
	}
	json_t *list = json_array();
	if (list == NULL) {
		return NULL;
	}
	int n = scan(c, after, (size_t)limit, NULL, NULL, list);
	if (n < 0) {
		json_decref(list);
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-n));
	}
	return leases_answer(list, n, true);
}

typedef struct id_match {
	uint8_t id[DHCP_OPT_LEN_MAX];
	size_t len;
	int kind; /* 0 hw-address, 1 client-id, 2 hostname */
	const char *hostname;
} id_match_t;

static bool id_matches(const lease4_t *l, const void *ud)
{
	const id_match_t *m = ud;

	switch (m->kind) {
	case 0:
		return l->hwaddr_len == m->len && memcmp(l->hwaddr, m->id, m->len) == 0;
	case 1:
		return l->client_id_len == m->len && memcmp(l->client_id, m->id, m->len) == 0;
	default:
		return strcasecmp(l->hostname, m->hostname) == 0;
	}
}

static json_t *get_by(ctl_t *ctl, json_t *args, const char *key, int kind)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	id_match_t m = {.kind = kind};
	json_t *err;

	const char *s = NULL;

	err = ctl_get_by_arg(args, key, &s);
	if (err != NULL) {
		return err;
	}
	if (kind == 2) {
		m.hostname = s;
	} else {
		err = kind == 0 ? ctl_hwaddr_parse(s, m.id, DHCP_HWADDR_MAX, &m.len)
		                : ctl_client_id_parse(s, m.id, sizeof(m.id), &m.len);
		if (err != NULL) {
			return err;
		}
	}
	err = conn_open(ctl, &c);
	if (err != NULL) {
		return err;
	}
	json_t *list = json_array();
	if (list == NULL) {
		return NULL;
	}
	int n = scan(c, 0, 0, id_matches, &m, list);
	if (n < 0) {
		json_decref(list);
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-n));
	}
	return leases_answer(list, n, false);
}

json_t *ctl_cmd_lease4_get_by_hw_address(ctl_t *ctl, json_t *args)
{
	return get_by(ctl, args, "hw-address", 0);
}

json_t *ctl_cmd_lease4_get_by_client_id(ctl_t *ctl, json_t *args)
{
	return get_by(ctl, args, "client-id", 1);
}

json_t *ctl_cmd_lease4_get_by_hostname(ctl_t *ctl, json_t *args)
{
	return get_by(ctl, args, "hostname", 2);
}

json_t *ctl_cmd_lease4_resend_ddns(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	return ctl_resend_ddns(args, 4);
}

json_t *ctl_cmd_lease4_wipe(ctl_t *ctl, json_t *args)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	_cleanup_(cfg_releasep) const cfg_t *cfg = NULL;
	_cleanup_free_ char *ids = NULL;
	size_t ids_len = 0;
	FILE *f;
	long long total = 0;
	json_t *err;

	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "contains(string) called on a non-map Element in");
	}
	json_t *sid = args != NULL ? json_object_get(args, "subnet-id") : NULL;
	json_int_t sv = 0;
	if (sid != NULL && (err = ctl_arg_uint(args, "subnet-id", UINT32_MAX, &sv)) != NULL) {
		return err;
	}
	err = conn_open(ctl, &c);
	if (err != NULL) {
		return err;
	}
	f = open_memstream(&ids, &ids_len);
	if (f == NULL) {
		return NULL;
	}
	if (sid != NULL && json_integer_value(sid) > 0) {
		int n = c->store->ops->wipe(c, (uint32_t)json_integer_value(sid));

		if (n < 0) {
			fclose(f);
			return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-n));
		}
		total = n;
		fprintf(f, "%lld", (long long)json_integer_value(sid));
	} else {
		/* Kea wipes subnet by subnet over the configured subnets. */
		cfg = cfg_acquire();
		for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
			int n = c->store->ops->wipe(c, cfg->subnets[i].id);

			if (n < 0) {
				fclose(f);
				return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-n));
			}
			total += n;
			fprintf(f, "%s%u", i > 0 ? " " : "", cfg->subnets[i].id);
		}
	}
	fclose(f);
	int r = lease_conn_sync(c);
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
	}
	return ctl_answer(total > 0 ? CTL_RESULT_SUCCESS : CTL_RESULT_EMPTY, NULL,
	                  "Deleted %lld IPv4 lease(s) from subnet(s) %s", total,
	                  ids != NULL ? ids : "");
}

/* HA's dedicated listener (libdhcp_ha.so "multi-threading":
 * {"enable-multi-threading": true, "http-dedicated-listener": true}), as Kea
 * 2.2's CmdHttpListener inside kea-dhcp4: it listens on the host and port of
 * this server's own peer URL with http-listener-threads threads, this
 * server's TLS settings (trust-anchor, cert-file, key-file;
 * require-client-certs) and, where this server's peer entry has
 * basic-auth-user, Basic authentication with those credentials (Kea 2.2
 * checks none: docs/differences.md). Every command goes to this server; with
 * restrict-commands only the ones a partner sends are run, others get Kea's
 * 403.
 *
 * The ctl thread owns it and follows the published configuration (as it
 * does for the UNIX socket): settings unchanged by a reload keep the
 * listener and its kept-alive connections; changed ones restart it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/log.h"

DEFINE_FREEP(const cfg_t, cfg_release)

/* Kea's HAService ha_commands4_ (restrict-commands), plus lessor's own batch
 * of lease4-update / lease4-del, which a lessor partner sends instead. Sorted. */
static const char *const peer_cmds[] = {
	"dhcp-disable",   "dhcp-enable",        "ha-heartbeat",        "ha-maintenance-notify",
	"ha-reset",       "ha-sync-complete-notify", "lease4-del",     "lease4-get-all",
	"lease4-get-page", "lease4-update",     "lessor-lease4-batch", "list-commands",
	"status-get",
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

bool ctl_peer_allowed(const char *name)
{
	return name != NULL &&
	       bsearch(name, peer_cmds, ARRAY_SIZE(peer_cmds), sizeof(peer_cmds[0]), str_cmp) != NULL;
}

char *ctl_handle_peer(ctl_t *ctl, const char *body, size_t len, bool restrict_cmds,
                      unsigned *ret_status)
{
	json_error_t jerr;
	_cleanup_(json_decrefp) json_t *req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);

	*ret_status = 200;
	if (req == NULL) {
		*ret_status = 400;
		return strdup("{ \"result\": 400, \"text\": \"Bad Request\" }");
	}
	if (restrict_cmds &&
	    !ctl_peer_allowed(json_string_value(json_object_get(req, "command")))) {
		*ret_status = 403;
		return strdup("{ \"result\": 403, \"text\": \"Forbidden\" }");
	}
	lease_conn_t *later = NULL;

	pthread_mutex_lock(&ctl->lock);
	ctl_sync_later = &later;
	json_t *ans = ctl_dispatch_locked(ctl, req);
	ctl_sync_later = NULL;
	if (later != NULL) {
		pthread_rwlock_rdlock(&ctl->store_rw);
	}
	pthread_mutex_unlock(&ctl->lock);
	if (later != NULL) {
		/* durable before the answer leaves, but outside the lock: the other
		 * listener threads' changes join this fdatasync */
		int r = lease_conn_sync(later);

		lease_conn_close(later);
		pthread_rwlock_unlock(&ctl->store_rw);
		if (r < 0) {
			json_decref(ans);
			ans = ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
		}
	}
	/* emulateAgentResponse(): the answer in a list, as the agent's */
	json_t *out = ans != NULL ? json_pack("[o]", ans) : NULL;
	char *text = out != NULL ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	return text;
}

/* ---- following the configuration ---- */

typedef struct peer_want {
	ctl_listen_cfg_t lc;
	bool restrict_cmds;
	unsigned threads;
} peer_want_t;

static char *dup_or_null(const char *s, int *r)
{
	char *d = s != NULL ? strdup(s) : NULL;

	if (s != NULL && d == NULL) {
		*r = -ENOMEM;
	}
	return d;
}

/* The listener @cfg asks for: 1 and @w filled (ctl_listen_cfg_done() it), 0
 * for none (Kea: HA multi-threading needs Dhcp4's; HA_CONFIG_DHCP_MT_DISABLED),
 * -ENOMEM. */
static int peer_want(const cfg_t *cfg, peer_want_t *w)
{
	const cfg_ha_t *ha = cfg != NULL && cfg->hooks.ha ? cfg->ha : NULL;
	int r = 0;

	*w = (peer_want_t){ 0 };
	if (ha == NULL || !cfg->mt.enabled || !ha->mt_enabled || !ha->mt_dedicated_listener ||
	    ha->self >= ha->n_peers) {
		return 0;
	}
	const cfg_ha_peer_t *me = &ha->peers[ha->self];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	w->restrict_cmds = ha->restrict_commands;
	/* 0: Kea's auto-detection, one per core */
	w->threads = ha->mt_listener_threads > 0 ? ha->mt_listener_threads : ncpu > 0 ? (unsigned)ncpu : 1;
	w->lc.http_host = dup_or_null(me->host, &r);
	w->lc.http_port = me->port;
	w->lc.max_body = CTL_MAX_BODY_DEFAULT;
	if (me->tls.cert_file != NULL) {
		w->lc.tls_ca = dup_or_null(me->tls.trust_anchor, &r);
		w->lc.tls_cert = dup_or_null(me->tls.cert_file, &r);
		w->lc.tls_key = dup_or_null(me->tls.key_file, &r);
		w->lc.tls_cert_required = ha->require_client_certs && me->tls.trust_anchor != NULL;
	}
	if (me->basic_auth_user != NULL) {
		w->lc.auth_realm = dup_or_null(ha->this_server_name, &r);
		w->lc.auth_clients = calloc(1, sizeof(*w->lc.auth_clients));
		if (w->lc.auth_clients == NULL) {
			r = -ENOMEM;
		} else {
			w->lc.n_auth_clients = 1;
			w->lc.auth_clients[0].user = dup_or_null(me->basic_auth_user, &r);
			w->lc.auth_clients[0].password =
			        dup_or_null(me->basic_auth_password != NULL ? me->basic_auth_password : "", &r);
		}
	}
	if (r < 0) {
		ctl_listen_cfg_done(&w->lc);
		return r;
	}
	return 1;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether running listener @h is what @w asks for. */
static bool peer_same(const ctl_http_t *h, const peer_want_t *w)
{
	const ctl_listen_cfg_t *a = &h->lcfg, *b = &w->lc;

	if (h->restrict_cmds != w->restrict_cmds || h->threads != w->threads ||
	    a->http_port != b->http_port || !str_eq(a->http_host, b->http_host) ||
	    !str_eq(a->tls_ca, b->tls_ca) || !str_eq(a->tls_cert, b->tls_cert) ||
	    !str_eq(a->tls_key, b->tls_key) || a->tls_cert_required != b->tls_cert_required ||
	    a->n_auth_clients != b->n_auth_clients) {
		return false;
	}
	return a->n_auth_clients == 0 ||
	       (str_eq(a->auth_clients[0].user, b->auth_clients[0].user) &&
	        str_eq(a->auth_clients[0].password, b->auth_clients[0].password));
}

static bool wildcard(const char *host)
{
	return strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
}

const ctl_listen_cfg_t *ctl_control_listen(const ctl_t *ctl)
{
	return ctl != NULL && ctl->http != NULL ? &ctl->http->lcfg : NULL;
}

int ctl_peer_check(const ctl_listen_cfg_t *c, const cfg_t *cfg, char **reterr)
{
	peer_want_t w;
	int r = peer_want(cfg, &w);

	*reterr = NULL;
	if (r <= 0) {
		return r;
	}
	if (c != NULL && c->http_host != NULL && c->http_port == w.lc.http_port &&
	    (str_eq(c->http_host, w.lc.http_host) || wildcard(c->http_host) ||
	     wildcard(w.lc.http_host))) {
		/* what Kea logs when its agent holds the port first */
		if (asprintf(reterr, "unable to setup TCP acceptor for listening to the incoming "
		                     "HTTP requests: bind: Address already in use (the control "
		                     "listener, Control-agent %s port %u)",
		             c->http_host, c->http_port) < 0) {
			*reterr = NULL;
		}
		r = -EADDRINUSE;
	}
	ctl_listen_cfg_done(&w.lc);
	return r < 0 ? r : 0;
}

uint16_t ctl_peer_port(ctl_t *ctl)
{
	if (ctl == NULL) {
		return 0;
	}
	pthread_mutex_lock(&ctl->peer_lock);
	uint16_t p = ctl->peer != NULL ? ctl->peer->port : 0;
	pthread_mutex_unlock(&ctl->peer_lock);
	return p;
}

static void set_peer(ctl_t *ctl, ctl_http_t *h)
{
	pthread_mutex_lock(&ctl->peer_lock);
	ctl->peer = h;
	pthread_mutex_unlock(&ctl->peer_lock);
}

int ctl_peer_follow_cfg(ctl_t *ctl, char **reterr)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();
	peer_want_t w;
	int r = peer_want(cfg, &w);

	*reterr = NULL;
	if (r < 0) {
		return r;
	}
	if (r > 0 && ctl->peer != NULL && peer_same(ctl->peer, &w)) {
		ctl_listen_cfg_done(&w.lc);
		return 0;
	}
	if (r == 0 && ctl->peer == NULL) {
		return 0;
	}
	/* the old one first: the new one may want its port */
	ctl_http_t *old = ctl->peer;
	if (old != NULL) {
		set_peer(ctl, NULL);
		log_info(CTL_LOGGER, "LESSOR_HA_LISTENER_STOP",
		         "stopped the HA dedicated listener on %s port %u", old->lcfg.http_host,
		         old->port);
		ctl_http_stop(old);
	}
	if (r == 0) {
		return 0;
	}
	ctl_http_t *h = NULL;
	r = ctl_http_start(ctl, &w.lc, true, w.restrict_cmds, w.threads, &h, reterr);
	if (r == 0) {
		set_peer(ctl, h);
		log_info(CTL_LOGGER, "LESSOR_HA_LISTENER_START",
		         "HA dedicated listener on %s port %u: %u threads, %s%s%s", h->lcfg.http_host,
		         h->port, h->threads, h->lcfg.tls_cert != NULL ? "TLS" : "plain HTTP",
		         h->lcfg.auth_realm != NULL ? ", Basic authentication" : "",
		         h->restrict_cmds ? ", restrict-commands" : "");
	}
	ctl_listen_cfg_done(&w.lc);
	return r;
}

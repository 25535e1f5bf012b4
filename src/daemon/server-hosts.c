/* hosts-database reservations in the daemon, two modes:
 * - per packet (default, --hosts-poll 0, as Kea): each new cfg_t is readied
 *   with cfg_hosts_db_prepare() after one connection check, and every worker
 *   asks the databases for each packet through its own hostdb_conn_t
 *   (lease/hostdb.h), so a reservation written by SQL counts from the next
 *   packet;
 * - cached (--hosts-poll N > 0): the tables are read whole at every
 *   (re)configuration and merged into the new cfg_t before it is published,
 *   then re-read every N seconds on the main thread; a change reconfigures
 *   with the running configuration (no worker or socket is restarted when
 *   nothing else changed). Workers then never wait for the database; the
 *   price is a staleness of at most N seconds plus one read
 *   (docs/differences.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/server-int.h"
#include "lease/hostdb.h"
#include "util/log.h"

static void host_skipped(void *ud, int64_t host_id, const char *why)
{
	(void)ud;
	log_warn(LOGGER_HOSTS, "LESSOR_HOSTS_DB_ROW_SKIPPED",
	         "hosts database reservation host_id %lld left out: %s", (long long)host_id, why);
}

/* Every hosts database of @cfg, in order, into one array (the first one's
 * reservation wins over a later one's, as in Kea's HostMgr). */
static int fetch_all(const cfg_t *cfg, json_t **ret, char *err, size_t errlen)
{
	json_t *arr = json_array();

	if (arr == NULL) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n_hosts_dbs; i++) {
		char desc[512], *msg = NULL;
		int r = hostdb_fetch(&cfg->hosts_dbs[i], arr, &msg);

		if (r < 0) {
			snprintf(err, errlen, "hosts database %s: %s",
			         lease_store_cfg_describe(&cfg->hosts_dbs[i], desc, sizeof(desc)),
			         msg != NULL ? msg : strerror(-r));
			free(msg);
			json_decref(arr);
			return r;
		}
	}
	*ret = arr;
	return 0;
}

/* Per-packet mode: every hosts database must answer now (Kea opens its host
 * data sources at configuration and refuses one it cannot reach), unless it
 * has retry-on-startup (Kea 2.4+): then it counts as lost, and the reconnect
 * loop of server-db.c takes over (workers answer no packet that needs it). */
static int per_packet(server_t *s, cfg_t *ncfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < ncfg->n_hosts_dbs; i++) {
		char desc[512], *msg = NULL;
		int r = hostdb_check(&ncfg->hosts_dbs[i], &msg);

		if (r < 0 && ncfg->hosts_dbs[i].retry_on_startup) {
			log_info(LOGGER_HOSTS, "DHCPSRV_HOST_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED",
			         "Failed to connect to database: %s with error: %s",
			         lease_store_cfg_describe(&ncfg->hosts_dbs[i], desc, sizeof(desc)),
			         msg != NULL ? msg : strerror(-r));
			free(msg);
			atomic_store(&s->hosts_lost, true);
			continue;
		}
		if (r < 0) {
			snprintf(err, errlen, "hosts database %s: %s",
			         lease_store_cfg_describe(&ncfg->hosts_dbs[i], desc, sizeof(desc)),
			         msg != NULL ? msg : strerror(-r));
			free(msg);
			return r;
		}
	}
	int r = cfg_hosts_db_prepare(ncfg);
	if (r < 0) {
		snprintf(err, errlen, "hosts database reservations: %s", strerror(-r));
		return r;
	}
	log_info(LOGGER_HOSTS, "LESSOR_HOSTS_DB_PER_PACKET",
	         "reservations are looked up in %zu hosts database(s) for every packet",
	         ncfg->n_hosts_dbs);
	return 0;
}

int server_hosts_merge(server_t *s, cfg_t *ncfg, char *err, size_t errlen)
{
	json_t *arr = NULL;
	int r;

	free(s->hosts_text_new);
	s->hosts_text_new = NULL;
	if (ncfg->n_hosts_dbs == 0) {
		return 0;
	}
	if (s->opts.hosts_poll_s <= 0) {
		return per_packet(s, ncfg, err, errlen);
	}
	if (s->hosts_prefetched != NULL) {
		arr = json_incref(s->hosts_prefetched);
	} else if ((r = fetch_all(ncfg, &arr, err, errlen)) < 0) {
		return r;
	}
	/* taken before cfg_hosts_add_json() adds the identifier keys */
	s->hosts_text_new = json_dumps(arr, JSON_COMPACT);
	size_t n_read = json_array_size(arr);
	r = cfg_hosts_add_json(ncfg, arr, host_skipped, NULL);
	json_decref(arr);
	if (r < 0 || s->hosts_text_new == NULL) {
		snprintf(err, errlen, "hosts database reservations: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	log_info(LOGGER_HOSTS, "LESSOR_HOSTS_DB_LOADED",
	         "%d of %zu IPv4 reservations read from %zu hosts database(s) are in use", r, n_read,
	         ncfg->n_hosts_dbs);
	return 0;
}

void server_hosts_applied(server_t *s)
{
	free(s->hosts_text);
	s->hosts_text = s->hosts_text_new;
	s->hosts_text_new = NULL;
	s->hosts_last_poll = mono_s();
}

void server_hosts_poll(server_t *s, const cfg_t *cfg, int64_t mono)
{
	char err[1024] = "";
	json_t *arr;

	if (cfg->n_hosts_dbs == 0 || s->opts.hosts_poll_s <= 0 ||
	    mono - s->hosts_last_poll < s->opts.hosts_poll_s) {
		return;
	}
	s->hosts_last_poll = mono;
	if (fetch_all(cfg, &arr, err, sizeof(err)) < 0) {
		if (!s->hosts_fail_logged) {
			log_warn(LOGGER_HOSTS, "LESSOR_HOSTS_DB_READ_FAIL",
			         "%s; serving with the reservations read before", err);
		}
		s->hosts_fail_logged = true;
		return;
	}
	s->hosts_fail_logged = false;
	char *text = json_dumps(arr, JSON_COMPACT);
	bool same = text != NULL && s->hosts_text != NULL && strcmp(text, s->hosts_text) == 0;
	free(text);
	if (same || text == NULL) {
		json_decref(arr);
		return;
	}
	log_info(LOGGER_HOSTS, "LESSOR_HOSTS_DB_CHANGED",
	         "the reservations in the hosts database changed: reconfiguring with them");
	json_t *root = json_pack("{s:O}", "Dhcp4", cfg->json);
	if (root != NULL) {
		s->hosts_prefetched = arr;
		ctl_pause(s->ctl);
		(void)server_reload_from(s, root, false, &s->stats.shards[0], err, sizeof(err));
		ctl_resume(s->ctl);
		s->hosts_prefetched = NULL;
		json_decref(root);
	}
	json_decref(arr);
}

void server_hosts_free(server_t *s)
{
	free(s->hosts_text);
	free(s->hosts_text_new);
	s->hosts_text = s->hosts_text_new = NULL;
}

/* The server's control channel: the callbacks ctl/ calls (ctl thread, ctl
 * lock held) and its start. See daemon/server.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "cfg/cfg-json.h"
#include "daemon/server-int.h"
#include "ha/ha.h"
#include "lease/reclaim.h"
#include "util/log.h"
#include "util/macro.h"

/* ---- control channel callbacks (ctl thread, ctl lock held) ---- */

static int ctl_cb_reload(void *ud, json_t *new_cfg, char **reterr)
{
	char err[1024] = "";
	server_t *s = ud;
	/* the ctl thread's own shard */
	int r = server_reload_from(s, new_cfg, false, &s->stats.shards[s->stats.n_shards - 1], err,
	                           sizeof(err));

	if (r < 0) {
		*reterr = strdup(err);
	}
	return r;
}

static void ctl_cb_shutdown(void *ud, int exit_value)
{
	(void)ud;
	(void)exit_value;
	/* the main loop's signalfd turns this into an orderly stop */
	kill(getpid(), SIGTERM);
}

static int ctl_cb_disable(void *ud, uint32_t max_period, const char *origin)
{
	server_t *s = ud;

	(void)origin;
	atomic_store(&s->dhcp_enable_at, max_period > 0 ? mono_s() + max_period : 0);
	atomic_store(&s->dhcp_disabled, true);
	return 0;
}

static int ctl_cb_enable(void *ud, const char *origin)
{
	server_t *s = ud;

	(void)origin;
	atomic_store(&s->dhcp_enable_at, 0);
	atomic_store(&s->dhcp_disabled, false);
	return 0;
}

static bool ctl_cb_is_enabled(void *ud)
{
	return !atomic_load(&((server_t *)ud)->dhcp_disabled);
}

static bool ctl_cb_db_down(void *ud, char *buf, size_t size)
{
	return server_db_down(ud, buf, size);
}

/* Commands run under the ctl lock, which a SIGHUP reload also holds
 * (ctl_pause), so n_workers cannot change under this read. */
static unsigned ctl_cb_worker_count(void *ud)
{
	return ((server_t *)ud)->n_workers;
}

/* ctl subnet_counter: the per-subnet counters kept in the stats shards. */
static int ctl_cb_subnet_counter(void *ud, uint32_t subnet_id, const char *name, uint64_t *ret)
{
	server_t *s = ud;
	stat_subnet_id_t id = stats_subnet_from_name(name);

	if ((int)id < 0) {
		return -ENOENT;
	}
	*ret = stats_subnet_sum(&s->stats, subnet_id, id);
	return 0;
}

static int ctl_cb_reclaim(void *ud, bool remove)
{
	server_t *s = ud;
	const cfg_t *cfg = cfg_acquire();
	lease_conn_t *c = NULL;
	uint64_t n = 0, nd = 0;
	int r;

	if (cfg == NULL || s->store == NULL) {
		cfg_release(cfg);
		return -ENOENT;
	}
	r = lease_conn_open(s->store, &c);
	if (r == 0) {
		cfg_expired_t exp = cfg->expired;

		exp.max_reclaim_leases = 0;     /* all of them */
		exp.max_reclaim_time = 0;
		/* leases-reclaim "remove": delete instead of keeping them reclaimed. */
		if (remove) {
			exp.hold_reclaimed_time = 0;
		} else {
			exp.hold_reclaimed_time = MAX(exp.hold_reclaimed_time, 1u);
			exp.flush_reclaimed_timer_wait_time =
			        MAX(exp.flush_reclaimed_timer_wait_time, 1u);
		}
		/* the ctl thread's own shard: housekeeping writes shard 0 */
		stats_shard_t *sh = &s->stats.shards[s->stats.n_shards - 1];

		r = lease_reclaim_each(c, &exp, (int64_t)time(NULL), server_count_reclaimed, sh, &n, &nd);
		stats_add(sh, STAT_RECLAIMED_LEASES, n);
		stats_add(sh, STAT_RECLAIMED_DECLINED_ADDRESSES, nd);
		lease_conn_close(c);
	}
	cfg_release(cfg);
	return r;
}

static json_t *ctl_cb_status_extra(void *ud)
{
	server_t *s = ud;
	json_t *o = json_object();

	if (o != NULL && s->src != NULL) {
		json_object_set_new(o, "config-source", source_status(s->src));
	}
	json_t *db = server_db_status(s);
	if (o != NULL && db != NULL) {
		json_object_update(o, db);
	}
	json_decref(db);
	return o;
}

static json_t *ctl_cb_ha_command(void *ud, const char *name, json_t *args)
{
	return ha_command(((server_t *)ud)->ha, name, args);
}

static json_t *ctl_cb_ha_status(void *ud)
{
	return ha_status(((server_t *)ud)->ha);
}

/* The control channel's settings from the filled text in force. */
static int listen_cfg_from_source(const source_t *src, ctl_listen_cfg_t *lc, char **err)
{
	_cleanup_free_ char *text = strdup(source_text(src));
	json_error_t jerr;

	if (text == NULL) {
		return -ENOMEM;
	}
	cfg_json_strip_comments(text, strlen(text));
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		return -EINVAL;         /* the loader accepted it: cannot happen */
	}
	int r = ctl_listen_cfg_parse(root, lc, err);
	json_decref(root);
	return r;
}

/* The JSON path of this server's own peer url in @cfg (where the dedicated
 * listener's address comes from). */
static void peer_url_path(const cfg_t *cfg, char *buf, size_t len)
{
	json_t *libs = json_object_get(cfg->json, "hooks-libraries");
	size_t i, lib = 0;
	json_t *o;

	json_array_foreach(libs, i, o)
	{
		if (json_object_get(o, "parameters") == cfg->hooks.ha_params) {
			lib = i;
		}
	}
	snprintf(buf, len, "Dhcp4.hooks-libraries[%zu].parameters.high-availability[0].peers[%zu].url",
	         lib, cfg->ha != NULL ? cfg->ha->self : 0);
}

int server_peer_check(const cfg_t *cfg, const ctl_listen_cfg_t *control, char *err, size_t errlen)
{
	_cleanup_free_ char *msg = NULL;
	int r = ctl_peer_check(control, cfg, &msg);

	if (r < 0) {
		char path[160];

		peer_url_path(cfg, path, sizeof(path));
		snprintf(err, errlen, "%s: %s", path, msg != NULL ? msg : strerror(-r));
	}
	return r;
}

int server_ctl_start(server_t *s)
{
	ctl_listen_cfg_t lc = { 0 };
	char *err = NULL;
	int r;

	r = listen_cfg_from_source(s->src, &lc, &err);
	/* -a: kea-ctrl-agent's own file adds (merges) the HTTP listener it describes. */
	if (r == 0 && s->opts.agent_config_path != NULL) {
		r = ctl_listen_cfg_load_file(s->opts.agent_config_path, &lc, &err);
	}
	/* Started even without a control channel or metrics push: a reload that
	 * adds Dhcp4.control-socket opens it, as in Kea (the ctl thread follows
	 * the published configuration). */
	if (r == 0) {
		const cfg_t *cfg = cfg_acquire();
		char perr[512];

		r = server_peer_check(cfg, &lc, perr, sizeof(perr));
		cfg_release(cfg);
		if (r < 0 && (err = strdup(perr)) == NULL) {
			r = -ENOMEM;
		}
	}
	if (r == 0) {
		ctl_env_t env = {
			.ud = s,
			.version = LESSOR_VERSION_STRING,
			.store = s->store,
			.stats = &s->stats,
			/* config-write writes next to a file only */
			.config_path = source_kind(s->src) == SOURCE_FILE ? s->opts.config_path : NULL,
			.status_extra = ctl_cb_status_extra,
			.reload = ctl_cb_reload,
			.shutdown = ctl_cb_shutdown,
			.dhcp_disable = ctl_cb_disable,
			.dhcp_enable = ctl_cb_enable,
			.dhcp_is_enabled = ctl_cb_is_enabled,
			.db_down = ctl_cb_db_down,
			.leases_reclaim = ctl_cb_reclaim,
			.subnet_counter = ctl_cb_subnet_counter,
			.worker_count = ctl_cb_worker_count,
			.ha_command = ctl_cb_ha_command,
			.ha_status = ctl_cb_ha_status,
		};
		r = ctl_start(&env, &lc, &s->ctl, &err);
	}
	if (r == 0) {
		r = push_start(s->ctl, &s->stats.shards[s->stats.n_shards - 2], &s->push);
	}
	if (r < 0) {
		log_error(LOGGER_DHCP4, "DHCP4_INIT_FAIL", "failed to initialize Kea server: control channel: %s",
		          err != NULL ? err : strerror(-r));
	}
	free(err);
	ctl_listen_cfg_done(&lc);
	return r;
}

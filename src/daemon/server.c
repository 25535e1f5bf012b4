/* The server: start, reload, housekeeping, stop. See daemon/server.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon/server.h"
#include "cfg/cfg-current.h"
#include "cfg/cfg-json.h"
#include "ctl/ctl.h"
#include <signal.h>
#include <stdatomic.h>
#include "daemon/notify.h"
#include "daemon/signals.h"
#include "daemon/sock.h"
#include "daemon/worker.h"
#include "lease/reclaim.h"
#include "lease/store.h"
#include "source/source.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/macro.h"

#include "daemon/server-int.h"

int64_t mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* A random place in every pool for this server's cursors, drawn once per
 * process (kept across reloads). Falls back to the pid and the clock where
 * getrandom() is unavailable: it only needs to differ between servers. */
static uint32_t server_spread(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = hash_u32((uint32_t)getpid() ^ (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec);
	}
	return v;
}

int server_new(const server_opts_t *opts, server_t **ret)
{
	server_t *s;

	assert_return(opts != NULL && ret != NULL, -EINVAL);
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		return -ENOMEM;
	}
	s->opts = *opts;
	if (s->opts.server_port == 0) {
		s->opts.server_port = 67;
	}
	if (s->opts.client_port == 0) {
		s->opts.client_port = 68;
	}
	s->sig_fd = -1;
	s->timer_fd = -1;
	/* Kea's address order whatever the number of workers: one cursor per
	 * pool shared by all of them (engine/allocator.h) */
	if (!s->opts.alloc_per_worker && allocator_shared_new(&s->alloc_shared) < 0) {
		free(s);
		return -ENOMEM;
	}
	s->alloc_spread = opts->alloc_spread >= 0 ? (uint32_t)opts->alloc_spread : server_spread();
	*ret = s;
	return 0;
}

static bool store_is_sql(const lease_store_cfg_t *db)
{
	return db->type != NULL && strcmp(db->type, "memfile") != 0;
}

unsigned server_worker_count(const cfg_t *cfg)
{
	long n;

	if (cfg == NULL || !cfg->mt.enabled) {
		return 1;
	}
	if (cfg->mt.thread_pool_size > 0) {
		return cfg->mt.thread_pool_size;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	n = n > 0 ? n : 1;
	/* A SQL worker mostly waits for the database: more of them than
	 * cores keep the cores busy (each has its own connection). */
	if (store_is_sql(&cfg->lease_db)) {
		n *= SERVER_SQL_WORKERS_PER_CORE;
	}
	return (unsigned)n;
}

int server_check_system(const cfg_t *cfg, char *err, size_t errlen)
{
	sock_ifaces_t t = { 0 };
	int r;

	if (cfg->interfaces.n_names == 0) {
		return 0;
	}
	r = sock_ifaces_load(&t);
	if (r < 0) {
		snprintf(err, errlen, "failed to list network interfaces: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < cfg->interfaces.n_names; i++) {
		const char *spec = cfg->interfaces.names[i];
		char name[IF_NAMESIZE + 1];
		const char *slash = strchr(spec, '/');
		size_t n = slash != NULL ? (size_t)(slash - spec) : strlen(spec);

		if (strcmp(spec, "*") == 0) {
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)MIN(n, sizeof(name) - 1), spec);
		const sock_iface_t *ifc = sock_ifaces_by_name(&t, name);
		if (ifc == NULL || n >= sizeof(name)) {
			/* Kea: IfaceMgr "interface ... doesn't exist in the system" */
			snprintf(err, errlen, "Dhcp4.interfaces-config.interfaces[%zu]: Failed to select "
			         "interface: interface '%s' doesn't exist in the system", i, name);
			sock_ifaces_done(&t);
			return -ENODEV;
		}
		uint32_t pinned;
		if (slash != NULL && (!sock_iface_spec_match(spec, ifc, &pinned) || pinned == 0)) {
			snprintf(err, errlen, "Dhcp4.interfaces-config.interfaces[%zu]: Failed to select "
			         "interface: interface '%s' doesn't have address '%s' assigned", i, name, slash + 1);
			sock_ifaces_done(&t);
			return -EADDRNOTAVAIL;
		}
	}
	sock_ifaces_done(&t);
	return 0;
}

const stats_t *server_stats(const server_t *s)
{
	return &s->stats;
}

/* ---- configuration application ---- */

static bool str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL) {
		return a == b;
	}
	return strcmp(a, b) == 0;
}

/* Does switching from @o to @n need a different lease store? Kea reopens the
 * lease database on every reconfiguration; lessor does so only when it would
 * open a different one (type, file or server), so a reload never stalls on
 * re-reading a large lease file. Parameters such as lfc-interval take effect at
 * the next start. */
static bool store_differs(const lease_store_cfg_t *o, const lease_store_cfg_t *n)
{
	return !str_eq(o->type, n->type) || !str_eq(o->name, n->name) || o->persist != n->persist ||
	       !str_eq(o->host, n->host) || !str_eq(o->user, n->user) ||
	       !str_eq(o->password, n->password) || o->port != n->port ||
	       o->connect_timeout != n->connect_timeout || o->read_timeout != n->read_timeout ||
	       o->write_timeout != n->write_timeout || o->tcp_user_timeout != n->tcp_user_timeout ||
	       !str_eq(o->trust_anchor, n->trust_anchor) || !str_eq(o->cert_file, n->cert_file) ||
	       !str_eq(o->key_file, n->key_file) || !str_eq(o->cipher_list, n->cipher_list);
}

static bool ifaces_differ(const cfg_interfaces_t *o, const cfg_interfaces_t *n)
{
	if (o->n_names != n->n_names || o->socket_type != n->socket_type) {
		return true;
	}
	for (size_t i = 0; i < o->n_names; i++) {
		if (!str_eq(o->names[i], n->names[i])) {
			return true;
		}
	}
	return false;
}

static void log_interfaces(const cfg_t *cfg)
{
	if (cfg->interfaces.n_names == 0) {
		log_warn(LOGGER_DHCPSRV, "DHCPSRV_NO_SOCKETS_OPEN", "no interface configured to listen to DHCP traffic");
	}
	for (size_t i = 0; i < cfg->interfaces.n_names; i++) {
		if (strcmp(cfg->interfaces.names[i], "*") == 0) {
			log_info(LOGGER_DHCPSRV, "DHCPSRV_CFGMGR_ALL_IFACES_ACTIVE", "enabling listening on all interfaces");
		} else {
			log_info(LOGGER_DHCPSRV, "DHCPSRV_CFGMGR_ADD_IFACE", "listening on interface %s",
			         cfg->interfaces.names[i]);
		}
	}
}

static void workers_free(worker_t **v, unsigned n)
{
	if (v == NULL) {
		return;
	}
	/* ask all first so they wind down in parallel, then join one by one */
	for (unsigned i = 0; i < n; i++) {
		worker_request_stop(v[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		worker_free(v[i]);
	}
	free(v);
}

/* Make @ncfg the running configuration. @ocfg is the running one (NULL at
 * start). Everything that can fail is done before anything running is torn
 * down, so a failure leaves the old state untouched. On success the caller's
 * reference to @ncfg has been handed to cfg_publish(). */
static int server_apply(server_t *s, cfg_t *ncfg, const cfg_t *ocfg, char *err, size_t errlen)
{
	lease_store_t *nstore = NULL;
	worker_t **nworkers = NULL;
	unsigned n = server_worker_count(ncfg);
	bool store_change = ocfg == NULL || store_differs(&ocfg->lease_db, &ncfg->lease_db);
	bool sock_change = ocfg == NULL || ifaces_differ(&ocfg->interfaces, &ncfg->interfaces) ||
	                   n != s->n_workers;
	int r;

	r = server_check_system(ncfg, err, errlen);
	if (r < 0) {
		return r;
	}
	if (s->ctl != NULL && (r = server_peer_check(ncfg, ctl_control_listen(s->ctl), err, errlen)) < 0) {
		return r;
	}
	r = server_hosts_merge(s, ncfg, err, errlen);
	if (r < 0) {
		return r;
	}
	if (n > SERVER_WORKER_SHARDS(s)) {
		log_warn(LOGGER_DHCP4, "LESSOR_THREADS_CAPPED",
		         "thread-pool-size %u exceeds the %u workers this process was started for; using %u",
		         n, SERVER_WORKER_SHARDS(s), SERVER_WORKER_SHARDS(s));
		n = SERVER_WORKER_SHARDS(s);
		sock_change = ocfg == NULL || ifaces_differ(&ocfg->interfaces, &ncfg->interfaces) ||
		              n != s->n_workers;
	}

	if (s->n_workers == 0) {
		/* Nothing of ours holds the port yet: make sure nobody else does, since
		 * SO_REUSEPORT would let a second server share it without a word. */
		char dev[IF_NAMESIZE];
		const char *bind_dev = worker_bind_dev(&ncfg->interfaces, dev, sizeof(dev));

		r = sock_udp_probe(s->opts.server_port, bind_dev);
		if (r < 0) {
			snprintf(err, errlen, "cannot use UDP port %u%s%s: %s", s->opts.server_port,
			         bind_dev != NULL ? " on " : "", bind_dev != NULL ? bind_dev : "",
			         r == -EADDRINUSE ? "another process is already listening on it" : strerror(-r));
			return r;
		}
	}

	if (store_change) {
		char *msg = NULL;

		r = lease_store_open(&ncfg->lease_db, &nstore, &msg);
		if (r < 0 && msg != NULL && store_is_sql(&ncfg->lease_db)) {
			/* Kea's text alone ("Unable to open database: ..."),
			 * so DHCP4_INIT_FAIL reads as Kea's */
			snprintf(err, errlen, "%s", msg);
		} else if (r < 0) {
			snprintf(err, errlen, "failed to open lease database (type %s): %s",
			         ncfg->lease_db.type != NULL ? ncfg->lease_db.type : "memfile",
			         msg != NULL ? msg : strerror(-r));
		}
		if (r < 0) {
			free(msg);
			return r;
		}
	}

	if (store_change || sock_change) {
		log_debug(LOGGER_DHCP4, LOG_DBG_START_SHUT, "DHCP4_OPEN_SOCKET", "opening service sockets on port %u",
		          s->opts.server_port);
		nworkers = calloc(n, sizeof(*nworkers));
		if (nworkers == NULL) {
			lease_store_close(nstore);
			return -ENOMEM;
		}
		for (unsigned i = 0; i < n; i++) {
			worker_cfg_t wc = {
				.id = i + 1,
				.n_workers = n,
				.server_port = s->opts.server_port,
				.client_port = s->opts.client_port,
				.ifaces = &ncfg->interfaces,
				.store = nstore != NULL ? nstore : s->store,
				.stats = &s->stats.shards[i + 1],
				.batch = WORKER_BATCH_MAX,
				.dhcp_disabled = &s->dhcp_disabled,
				.hosts_lost = &s->hosts_lost,
				.ha = s->ha,
				.commit_window_us = s->opts.commit_window_us,
				.max_age_ms = s->opts.query_max_age_ms,
				.steer_by_chaddr = store_is_sql(&ncfg->lease_db),
				/* SQL stores: workers' batch transactions that insert
				 * neighbouring addresses deadlock (InnoDB gap locks) and
				 * a deadlocked batch is dropped whole, so there the
				 * workers keep their own cursors, k/n apart, for now */
				.alloc_shared = store_is_sql(&ncfg->lease_db) ? NULL : s->alloc_shared,
				/* several servers may share an SQL database: each
				 * starts its cursors at its own place in the pool,
				 * so they do not all race for the same next address */
				.alloc_spread = store_is_sql(&ncfg->lease_db) ? s->alloc_spread : 0,
			};

			r = worker_new(&wc, &nworkers[i], err, errlen);
			if (r < 0) {
				workers_free(nworkers, i);
				lease_store_close(nstore);
				return r;
			}
		}

		/* Point of no return. Old workers sync and close their connections as
		 * they stop; the new ones' sockets are already bound (SO_REUSEPORT), so
		 * datagrams arriving meanwhile wait in their queues. */
		workers_free(s->workers, s->n_workers);
		s->workers = NULL;
		s->n_workers = 0;
		if (nstore != NULL) {
			ctl_set_store(s->ctl, NULL);
			lease_conn_close(s->hk_conn);
			s->hk_conn = NULL;
			if (s->store != NULL) {
				log_debug(LOGGER_DHCPSRV, LOG_DBG_START_SHUT, "DHCPSRV_CLOSE_DB",
				          "closing currently open %s database", s->store->ops->type);
				lease_store_close(s->store);
			}
			s->store = TAKE_PTR(nstore);
			server_db_reset(s);     /* the old store's outage ended with it */
			ctl_set_store(s->ctl, s->store);
			r = lease_conn_open(s->store, &s->hk_conn);
			if (r < 0) {
				s->hk_conn = NULL;      /* housekeeping skips without it */
				log_error(LOGGER_DHCPSRV, "LESSOR_HOUSEKEEPING_CONN_FAIL",
				          "failed to open the housekeeping lease database connection: %s", strerror(-r));
			}
		}
	}

	if (ocfg == NULL || ifaces_differ(&ocfg->interfaces, &ncfg->interfaces)) {
		log_interfaces(ncfg);
	}
	cfg_publish(ncfg);
	server_hosts_applied(s);

	if (nworkers != NULL) {
		unsigned started = 0;

		for (unsigned i = 0; i < n; i++) {
			if (worker_start(nworkers[i]) == 0) {
				nworkers[started++] = nworkers[i];
			} else {
				/* the configuration is already published: run with the
				 * workers that did start rather than undo */
				log_error(LOGGER_DHCP4, "LESSOR_WORKER_START_FAIL",
				          "failed to start packet worker %u of %u", i + 1, n);
				worker_free(nworkers[i]);
			}
		}
		s->workers = nworkers;
		s->n_workers = started;
	}
	return 0;
}

/* -c: a path, an http(s):// URL or s3://bucket/key; remote sources are polled
 * every 300 s unless --config-poll / LESSOR_CONFIG_POLL says otherwise. */
static int server_source_open(server_t *s)
{
	int poll_s = s->opts.config_poll_s;

	if (poll_s < 0) {
		bool remote = strstr(s->opts.config_path, "://") != NULL;
		poll_s = remote ? SERVER_CONFIG_POLL_DEFAULT_S : 0;
	}
	return source_new(s->opts.config_path, (unsigned)poll_s, &s->src);
}

static void log_config_complete(const cfg_t *cfg)
{
	log_info(LOGGER_DHCP4, "DHCP4_CONFIG_COMPLETE",
	         "DHCPv4 server has completed configuration: added IPv4 subnets: %zu; DDNS: disabled",
	         cfg->n_subnets);
}

/* A configuration refused at start-up: Kea 2.2 logs the parser's reason, then
 * DHCP4_INIT_FAIL with the file in quotes (tools and harnesses grep for it). */
static void start_config_failed(const server_t *s, const char *reason)
{
	log_error(LOGGER_DHCP4, "DHCP4_CONFIG_LOAD_FAIL", "configuration error using file: %s, reason: %s",
	          s->opts.config_path, reason);
	log_error(LOGGER_DHCP4, "DHCP4_INIT_FAIL",
	          "failed to initialize Kea server: configuration error using file '%s': %s",
	          s->opts.config_path, reason);
}

int server_start(server_t *s)
{
	_cleanup_(cfg_freep) cfg_t *cfg = NULL;
	cfg_err_t cerr = { 0 };
	char err[1024] = "";
	char ebuf[1200];
	int r;

	assert_return(s != NULL && s->opts.config_path != NULL, -EINVAL);
	log_set_debug_override(s->opts.debug);
	log_info(LOGGER_DHCP4, "DHCP4_STARTING", "Kea DHCPv4 server version %s (%s) starting",
	         LESSOR_VERSION_STRING, "lessor");

	/* Signals first: every thread created later inherits the blocked mask. */
	r = signals_open();
	if (r < 0) {
		log_error(LOGGER_DHCP4, "DHCP4_INIT_FAIL", "failed to initialize Kea server: signalfd: %s",
		          strerror(-r));
		return r;
	}
	s->sig_fd = r;

	char hash[65];
	r = server_source_open(s);
	if (r == 0) {
		r = source_load(s->src, false, mono_s(), NULL, &cfg, hash, &cerr);
	}
	if (r < 0) {
		start_config_failed(s, cfg_err_format(&cerr, ebuf, sizeof(ebuf)));
		return r;
	}
	r = log_configure(cfg->loggers, cfg->n_loggers);
	if (r < 0) {
		start_config_failed(s, "Dhcp4.loggers: cannot open an output");
		return r;
	}

	unsigned n = server_worker_count(cfg);
	r = stats_init(&s->stats, MAX(n + 3, (unsigned)SERVER_MIN_SHARDS));
	if (r < 0) {
		return r;
	}
	source_count_start(s->src, &s->stats.shards[0]);  /* the fetch above */

	r = ha_new(&s->ha);
	if (r < 0) {
		return r;
	}
	r = server_apply(s, cfg, NULL, err, sizeof(err));
	if (r < 0) {
		/* Kea opens the lease database and sockets while configuring, so
		 * their failures are configuration errors too */
		start_config_failed(s, err[0] != '\0' ? err : strerror(-r));
		return r;
	}
	const cfg_t *cur = TAKE_PTR(cfg);     /* published: the snapshot owns it now */
	log_config_complete(cur);
	source_note_applied(s->src, &s->stats.shards[0], hash);

	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->timer_fd < 0) {
		r = -errno;
		log_error(LOGGER_DHCP4, "DHCP4_INIT_FAIL", "failed to initialize Kea server: timerfd: %s",
		          strerror(-r));
		return r;
	}
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	timerfd_settime(s->timer_fd, 0, &its, NULL);
	s->last_reclaim = s->last_flush = mono_s();
	s->watchdog_usec = notify_watchdog_usec();

	const cfg_t *c = cfg_acquire();
	log_info(LOGGER_DHCP4, "DHCP4_MULTI_THREADING_INFO", "enabled: %s, number of threads: %u, queue size: %u",
	         c->mt.enabled ? "yes" : "no", s->n_workers, c->mt.packet_queue_size);
	cfg_release(c);
	r = server_ctl_start(s);
	if (r < 0) {
		return r;
	}
	/* the HA service runs its lease commands through the control channel */
	r = ha_start(s->ha, s->ctl);
	if (r < 0) {
		log_error(LOGGER_DHCP4, "DHCP4_INIT_FAIL", "failed to initialize Kea server: HA thread: %s",
		          strerror(-r));
		return r;
	}
	log_info(LOGGER_DHCP4, "DHCP4_STARTED", "Kea DHCPv4 server version %s started", LESSOR_VERSION_STRING);
	s->started = true;
	/* a database that was down at open (retry-on-startup): on-fail applies
	 * now, not at the first tick (stop-retry-exit serves nothing meanwhile) */
	c = cfg_acquire();
	server_db_watch(s, c);
	cfg_release(c);
	return 0;
}

/* Reload from the source (@root NULL; @poll: a conditional fetch that does
 * nothing when the text is unchanged) or from a parsed {"Dhcp4": ...}
 * (config-set). Counts into @sh, the calling thread's shard. On failure @err
 * holds the reason with the JSON path and line. */
int server_reload_from(server_t *s, json_t *root, bool poll, stats_shard_t *sh, char *err,
                       size_t errlen)
{
	char hash[65] = "";

	_cleanup_(cfg_freep) cfg_t *cfg = NULL;
	cfg_err_t cerr = { 0 };
	const cfg_t *old;
	int r;

	if (root == NULL) {
		r = source_load(s->src, poll, mono_s(), sh, &cfg, hash, &cerr);
		if (r == SOURCE_UNCHANGED) {
			return 0;
		}
	}
	log_info(LOGGER_DHCP4, "DHCP4_DYNAMIC_RECONFIGURATION",
	         "initiate server reconfiguration using file: %s, after receiving SIGHUP signal or "
	         "config-reload command", s->opts.config_path);

	if (root != NULL) {
		r = cfg_load_json(root, &cfg, &cerr);
	}
	if (r < 0) {
		cfg_err_format(&cerr, err, errlen);
		log_error(LOGGER_DHCP4, "DHCP4_CONFIG_LOAD_FAIL", "configuration error using file: %s, reason: %s",
		          s->opts.config_path, err);
		log_error(LOGGER_DHCP4, "DHCP4_DYNAMIC_RECONFIGURATION_FAIL",
		          "dynamic server reconfiguration failed with file: %s", s->opts.config_path);
		return r;
	}

	old = cfg_acquire();
	r = log_configure(cfg->loggers, cfg->n_loggers);
	if (r < 0) {
		snprintf(err, errlen, "Dhcp4.loggers: cannot open an output: %s", strerror(-r));
	} else {
		r = server_apply(s, cfg, old, err, errlen);
		if (r < 0) {
			(void)log_configure(old->loggers, old->n_loggers);
		}
	}
	if (r < 0) {
		if (err[0] == '\0') {
			snprintf(err, errlen, "%s", strerror(-r));
		}
		log_error(LOGGER_DHCP4, "DHCP4_CONFIG_LOAD_FAIL", "configuration error using file: %s, reason: %s",
		          s->opts.config_path, err);
		log_error(LOGGER_DHCP4, "DHCP4_DYNAMIC_RECONFIGURATION_FAIL",
		          "dynamic server reconfiguration failed with file: %s", s->opts.config_path);
		if (root == NULL) {
			source_note_rejected(s->src, sh, err);
		}
		cfg_release(old);
		return r;
	}
	cfg_release(old);
	const cfg_t *cur = TAKE_PTR(cfg);     /* published */
	log_config_complete(cur);
	if (root == NULL) {
		source_note_applied(s->src, sh, hash);
	}
	log_info(LOGGER_DHCP4, "DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS",
	         "dynamic server reconfiguration succeeded with file: %s", s->opts.config_path);
	return 0;
}

int server_reload(server_t *s)
{
	char err[1024] = "";

	/* serialised with config-set/config-reload, which run inside the ctl lock */
	ctl_pause(s->ctl);
	int r = server_reload_from(s, NULL, false, &s->stats.shards[0], err, sizeof(err));
	ctl_resume(s->ctl);
	return r;
}

/* lease_reclaim_each() callback: Kea's per-subnet reclaimed-leases and
 * reclaimed-declined-addresses (AllocEngine::reclaimExpiredLease4,
 * reclaimDeclined), into the calling thread's shard @ud. */
void server_count_reclaimed(void *ud, const lease4_t *l)
{
	stats_shard_t *sh = ud;

	stats_subnet_inc(sh, l->subnet_id, STAT_SUBNET_RECLAIMED_LEASES);
	if (l->state == LEASE_STATE_DECLINED) {
		stats_subnet_inc(sh, l->subnet_id, STAT_SUBNET_RECLAIMED_DECLINED_ADDRESSES);
	}
}

/* ---- housekeeping ----
 *
 * housekeeping() runs on the main thread once a second (timerfd) and is the
 * only periodic work outside the packet path. Everything it does:
 *
 *   - Expired lease reclamation, every expired-leases-processing
 *     .reclaim-timer-wait-time seconds (default 10; 0 = never): lease_reclaim()
 *     moves leases past their expiry to expired-reclaimed (or deletes them,
 *     declined ones always), bounded by max-reclaim-leases / max-reclaim-time,
 *     and adds to reclaimed-leases / reclaimed-declined-addresses (shard 0).
 *   - Flushing reclaimed leases, every flush-reclaimed-timer-wait-time seconds
 *     (default 25; 0 = never): lease_reclaim_flush() deletes expired-reclaimed
 *     leases whose expiry is more than hold-reclaimed-time seconds old.
 *   - Lease file compaction (memfile LFC): the store's compact() is offered the
 *     chance every tick and starts Kea's lease file cleanup once lfc-interval
 *     seconds have passed since the last one (0 = never). It returns at once;
 *     the merge runs off the main thread.
 *
 * Not here, by design: worker interface tables refresh themselves (every 30 s
 * or on an unknown ifindex); signals are handled by the same poll loop but
 * outside this function; statistics need no aggregation (readers sum shards).
 * A tick that falls behind (a slow reclaim) simply runs late: timers do not
 * queue up, each task runs at most once per tick. */
static void housekeeping(server_t *s)
{
	const cfg_t *cfg = cfg_acquire();
	int64_t mono = mono_s();
	int64_t now = (int64_t)time(NULL);
	int r;

	if (cfg == NULL) {
		return;
	}
	server_db_watch(s, cfg);
	int64_t until = atomic_load(&s->dhcp_enable_at);
	if (until != 0 && mono >= until) {
		atomic_store(&s->dhcp_enable_at, 0);
		atomic_store(&s->dhcp_disabled, false);
	}
	const cfg_expired_t *exp = &cfg->expired;

	/* while the lease database is lost only the reconnect loop touches it */
	if (s->hk_conn != NULL && !s->db.lost && exp->reclaim_timer_wait_time > 0 &&
	    mono - s->last_reclaim >= exp->reclaim_timer_wait_time) {
		uint64_t n = 0, nd = 0;

		s->last_reclaim = mono;
		log_debug(LOGGER_DHCPSRV, LOG_DBG_TRACE, "DHCPSRV_TIMERMGR_RUN_TIMER_OPERATION",
		          "running operation for timer: %s", "reclaim-expired-leases");
		r = lease_reclaim_each(s->hk_conn, exp, now, server_count_reclaimed, &s->stats.shards[0], &n,
		                       &nd);
		stats_add(&s->stats.shards[0], STAT_RECLAIMED_LEASES, n);
		stats_add(&s->stats.shards[0], STAT_RECLAIMED_DECLINED_ADDRESSES, nd);
		if (r < 0) {
			log_error(LOGGER_DHCP4, "DHCP4_RECLAIM_EXPIRED_LEASES_FAIL", "failed to reclaim expired leases: %s",
			          strerror(-r));
		}
	}

	if (s->hk_conn != NULL && !s->db.lost && exp->flush_reclaimed_timer_wait_time > 0 &&
	    mono - s->last_flush >= exp->flush_reclaimed_timer_wait_time) {
		s->last_flush = mono;
		log_debug(LOGGER_DHCPSRV, LOG_DBG_TRACE, "DHCPSRV_TIMERMGR_RUN_TIMER_OPERATION",
		          "running operation for timer: %s", "flush-reclaimed-leases");
		r = lease_reclaim_flush(s->hk_conn, exp->hold_reclaimed_time, now);
		if (r < 0) {
			log_error(LOGGER_ALLOC, "ALLOC_ENGINE_V4_RECLAIMED_LEASES_DELETE_FAILED",
			          "deletion of expired-reclaimed leases failed: %s", strerror(-r));
		}
	}

	server_watchdog_tick(s);        /* once a second; WATCHDOG_USEC >= 2 s */

	server_hosts_poll(s, cfg, mono);

	if (s->src != NULL && source_poll_due(s->src, mono)) {
		char err[1024] = "";

		ctl_pause(s->ctl);
		(void)server_reload_from(s, NULL, true, &s->stats.shards[0], err, sizeof(err));
		ctl_resume(s->ctl);
	}

	if (s->store != NULL && s->store->ops->compact != NULL) {
		r = s->store->ops->compact(s->store);
		if (r < 0) {
			log_error(LOGGER_DHCPSRV, "LESSOR_LFC_FAIL", "lease file cleanup failed: %s", strerror(-r));
		}
	}
	cfg_release(cfg);
}

int server_run(server_t *s)
{
	assert_return(s != NULL && s->started, -EINVAL);

	while (!s->stop) {
		struct pollfd p[2] = {
			{ .fd = s->sig_fd, .events = POLLIN },
			{ .fd = s->timer_fd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			log_error(LOGGER_DHCP4, "DHCP4_SERVER_FAILED", "server failed: poll: %s", strerror(errno));
			return -errno;
		}
		if (p[0].revents & POLLIN) {
			signals_event_t ev;
			int signo;

			while (signals_read(s->sig_fd, &ev, &signo) == 0 && ev != SIGNALS_NONE) {
				if (ev == SIGNALS_STOP) {
					log_info(LOGGER_DHCP4, "DHCP4_SHUTDOWN_REQUEST", "shutdown of server requested");
					s->stop = true;
					break;
				}
				(void)server_reload(s);
			}
		}
		if (!s->stop && (p[1].revents & POLLIN)) {
			uint64_t ticks;

			(void)!read(s->timer_fd, &ticks, sizeof(ticks));
			housekeeping(s);
		}
	}
	return s->exit_r;
}

server_t *server_free(server_t *s)
{
	if (s == NULL) {
		return NULL;
	}
	s->push = push_stop(s->push);   /* it reads through the ctl */
	ha_stop(s->ha);                 /* it calls into ctl */
	s->ctl = ctl_stop(s->ctl);      /* before the store it borrows closes */
	/* Workers stop after their current batch; each syncs its connection, so
	 * every lease that was acknowledged is on disk before the store closes. */
	workers_free(s->workers, s->n_workers);
	s->workers = NULL;
	s->n_workers = 0;
	server_watchdog_done(s);
	s->alloc_shared = allocator_shared_free(s->alloc_shared);
	s->ha = ha_free(s->ha);         /* after the workers that park into it */
	if (s->hk_conn != NULL) {
		(void)lease_conn_sync(s->hk_conn);
		lease_conn_close(s->hk_conn);
	}
	if (s->store != NULL) {
		log_debug(LOGGER_DHCPSRV, LOG_DBG_START_SHUT, "DHCPSRV_CLOSE_DB", "closing currently open %s database",
		          s->store->ops->type);
		lease_store_close(s->store);
	}
	if (s->started) {
		log_info(LOGGER_DHCP4, "DHCP4_SHUTDOWN", "server shutdown");
	}
	/* drop the published snapshot so its memory is released */
	cfg_publish(NULL);
	if (s->timer_fd >= 0) {
		close(s->timer_fd);
	}
	if (s->sig_fd >= 0) {
		signals_close(s->sig_fd);
	}
	stats_done(&s->stats);
	source_free(s->src);
	server_hosts_free(s);
	free(s);
	return NULL;
}

/* lessor: a drop-in replacement for kea-dhcp4. Command line as Kea's:
 *   lessor -c FILE [-d] [-p PORT] [-P PORT]      run in the foreground
 *   lessor -t FILE | -T FILE                     check the configuration and exit
 *   lessor -v | -V | -W                          version / extended version
 * Exit codes as Kea: 0 success (including a clean SIGTERM/SIGINT stop),
 * 1 for a usage error, an invalid configuration or a start failure.
 * See man/lessor.8. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-current.h"
#include "daemon/notify.h"
#include "daemon/privdrop.h"
#include "daemon/server.h"
#include "daemon/worker.h"
#include "source/source.h"
#include "util/log.h"
#include "util/macro.h"

#define EXIT_OK 0
#define EXIT_FAIL 1

static void usage(FILE *f)
{
	fprintf(f,
	        "lessor DHCPv4 server, version %s (Kea %s compatible)\n"
	        "\n"
	        "Usage: lessor -[v|V|W] [-d] [-{c|t|T} cfgfile] [-p number] [-P number] [-a agentfile]\n"
	        "  -v: print version number and exit\n"
	        "  -V: print extended version and exit\n"
	        "  -W: display the configuration report and exit\n"
	        "  -d: debug mode with extra verbosity (former -v)\n"
	        "  -c file: specify configuration file: a path, an http(s):// URL or s3://bucket/key;\n"
	        "     <NAME> and ${NAME} placeholders are filled from the environment\n"
	        "  --config-poll seconds: fetch the configuration again this often and reload it\n"
	        "     when it changed (default: 300 for a URL, never for a file; 0 = never;\n"
	        "     also LESSOR_CONFIG_POLL)\n"
	        "  --hosts-poll seconds: cache the hosts-database reservations in memory and\n"
	        "     read them again this often (a change made by SQL shows after at most\n"
	        "     that long); default 0 = look them up for every packet, as Kea does;\n"
	        "     also LESSOR_HOSTS_POLL)\n"
	        "  --query-max-age ms: drop a query that waited longer than this in the\n"
	        "     receive queue, so that an overloaded server keeps answering fresh ones\n"
	        "     (default %d; 0 = never)\n"
	        "  -t file: check the configuration file syntax and exit\n"
	        "  -T file: check the configuration file doing extra checks and exit\n"
	        "  -p number: specify non-standard server port number 1-65535 (useful for testing only)\n"
	        "  -P number: specify non-standard client port number 1-65535 (useful for testing only)\n"
	        "  -a file, --control-agent file: also serve the HTTP control channel that this\n"
	        "     kea-ctrl-agent configuration file describes (no separate agent needed)\n"
	        "  -u user, --user user: run as this user once the sockets are bound, keeping only\n"
	        "     CAP_NET_BIND_SERVICE and (dhcp-socket-type raw) CAP_NET_RAW\n"
	        "  -h, --help: print this help and exit\n",
	        LESSOR_VERSION_STRING, LESSOR_KEA_COMPAT, SERVER_QUERY_MAX_AGE_MS);
}

static void version_extended(void)
{
	printf("%s\n", LESSOR_VERSION_STRING);
	printf("lessor %s, a DHCPv4 server compatible with kea-dhcp4 %s\n", LESSOR_VERSION, LESSOR_KEA_COMPAT);
#ifdef __VERSION__
	printf("compiler: %s\n", __VERSION__);
#endif
	printf("linked with:\n");
	printf("jansson %s\n", jansson_version_str());
	printf("database:\n");
	printf("Memfile backend 2.1\n");
}

/* A whole decimal number in [@lo, @hi]. 0 or -EINVAL. */
static int parse_long(const char *s, long lo, long hi, long *ret)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int parse_port(const char *s, uint16_t *ret)
{
	long v;
	int r = parse_long(s, 1, 65535, &v);

	if (r == 0) {
		*ret = (uint16_t)v;
	}
	return r;
}

/* -t / -T: load, validate, check the system (interfaces exist), as
 * `kea-dhcp4 -t`. Does not open the lease database or any socket. */
static int check_config(const char *path)
{
	_cleanup_(cfg_freep) cfg_t *cfg = NULL;
	cfg_err_t err = { 0 };
	source_t *src = NULL;
	char buf[1200];
	char hash[65];
	int r;

	r = source_new(path, 0, &src);
	if (r < 0) {
		return EXIT_FAIL;
	}
	r = source_load(src, false, 0, NULL, &cfg, hash, &err);
	src = source_free(src);
	if (r < 0) {
		fprintf(stderr, "Syntax check failed with: %s\n", cfg_err_format(&err, buf, sizeof(buf)));
		return EXIT_FAIL;
	}
	r = server_check_system(cfg, buf, sizeof(buf));
	if (r < 0) {
		fprintf(stderr, "Syntax check failed with: %s\n", buf);
		return EXIT_FAIL;
	}
	printf("Syntax check OK\n");
	return EXIT_OK;
}

/* --config-poll / LESSOR_CONFIG_POLL: 0..86400 s; -1 = the default. */
static int parse_poll(const char *v, int *ret)
{
	long n;
	int r = parse_long(v, 0, 86400, &n);

	if (r == 0) {
		*ret = (int)n;
	}
	return r;
}

/* LESSOR_COMMIT_WINDOW_US overrides the group commit window (0..100000 µs). */
static unsigned commit_window_from_env(void)
{
	const char *v = getenv("LESSOR_COMMIT_WINDOW_US");
	char *end;

	if (v == NULL || *v == '\0') {
		return WORKER_COMMIT_WINDOW_US;
	}
	unsigned long us = strtoul(v, &end, 10);
	if (*end != '\0' || us > 100000) {
		return WORKER_COMMIT_WINDOW_US;
	}
	return (unsigned)us;
}

/* LESSOR_ALLOC_SPREAD=I/M: server I of M servers sharing one SQL lease
 * database starts its cursors I/M of the way into each worker's share of a
 * pool (servers interleave exactly); 0/1: every worker k of n at k/n, every
 * server at the same places; unset or "random": a random place drawn at
 * start (two servers, 300 clients, test_sql_lease's round: 0-45 NAKed at
 * random places, 2-142 at the same places, MariaDB and PostgreSQL). */
static int alloc_spread_from_env(int64_t *ret)
{
	const char *v = getenv("LESSOR_ALLOC_SPREAD");
	unsigned long i, m;
	char *end;

	*ret = -1;
	if (v == NULL || *v == '\0' || strcmp(v, "random") == 0) {
		return 0;
	}
	errno = 0;
	i = strtoul(v, &end, 10);
	if (errno != 0 || end == v || *end != '/') {
		return -EINVAL;
	}
	const char *ms = end + 1;
	m = strtoul(ms, &end, 10);
	if (errno != 0 || end == ms || *end != '\0' || m == 0 || m > 4096 || i >= m) {
		return -EINVAL;
	}
	*ret = (int64_t)(((uint64_t)i << 32) / m);
	return 0;
}

/* -u: after server_start(), every socket is bound. */
static int drop_privileges(const privdrop_t *drop)
{
	const cfg_t *cfg = cfg_acquire();
	bool raw = cfg != NULL && cfg->interfaces.socket_type == CFG_SOCKET_RAW;

	cfg_release(cfg);
	int r = privdrop_apply(drop, raw);
	if (r < 0) {
		log_error(LOGGER_DHCP4, "LESSOR_PRIVILEGES_DROP_FAIL", "cannot run as user %s: %s", drop->name,
		          strerror(-r));
	}
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "control-agent", required_argument, NULL, 'a' },
		{ "config-poll", required_argument, NULL, 'C' },
		{ "hosts-poll", required_argument, NULL, 'H' },
		{ "query-max-age", required_argument, NULL, 'Q' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	server_opts_t opts = {
		.server_port = 67,
		.client_port = 68,
		.commit_window_us = commit_window_from_env(),
		.config_poll_s = -1,
		.hosts_poll_s = -1,
		.query_max_age_ms = SERVER_QUERY_MAX_AGE_MS,
		/* per-worker iterative cursors: no shared cache line, but the
		 * address order depends on which worker read a packet */
		.alloc_per_worker = getenv("LESSOR_ALLOC_PER_WORKER") != NULL &&
		                    strcmp(getenv("LESSOR_ALLOC_PER_WORKER"), "1") == 0,
	};
	_cleanup_(server_freep) server_t *s = NULL;
	const char *check_path = NULL;
	const char *user = NULL;
	privdrop_t drop = { 0 };
	int c;
	int r;

	if (alloc_spread_from_env(&opts.alloc_spread) < 0) {
		fprintf(stderr,
		        "lessor: LESSOR_ALLOC_SPREAD='%s' is not I/M (server I of M, 0 <= I < M <= 4096) or random\n",
		        getenv("LESSOR_ALLOC_SPREAD"));
		return 1;
	}
	while ((c = getopt_long(argc, argv, "c:t:T:p:P:a:u:dvVWh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opts.config_path = optarg;
			break;
		case 't':
		case 'T':
			check_path = optarg;
			break;
		case 'p':
			if (parse_port(optarg, &opts.server_port) < 0) {
				fprintf(stderr, "port specified must be an integer in range 1-65535: %s\n", optarg);
				usage(stderr);
				return EXIT_FAIL;
			}
			break;
		case 'P':
			if (parse_port(optarg, &opts.client_port) < 0) {
				fprintf(stderr, "client port specified must be an integer in range 1-65535: %s\n",
				        optarg);
				usage(stderr);
				return EXIT_FAIL;
			}
			break;
		case 'a':
			opts.agent_config_path = optarg;
			break;
		case 'C':
			if (parse_poll(optarg, &opts.config_poll_s) < 0) {
				fprintf(stderr, "--config-poll must be 0-86400 seconds: %s\n", optarg);
				return EXIT_FAIL;
			}
			break;
		case 'H':
			if (parse_poll(optarg, &opts.hosts_poll_s) < 0) {
				fprintf(stderr, "--hosts-poll must be 0-86400 seconds: %s\n", optarg);
				return EXIT_FAIL;
			}
			break;
		case 'Q': {
			long ms;
			if (parse_long(optarg, 0, SERVER_QUERY_MAX_AGE_MAX_MS, &ms) < 0) {
				fprintf(stderr, "--query-max-age must be 0-%d milliseconds: %s\n",
				        SERVER_QUERY_MAX_AGE_MAX_MS, optarg);
				return EXIT_FAIL;
			}
			opts.query_max_age_ms = (unsigned)ms;
			break;
		}
		case 'd':
			opts.debug = true;
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			printf("%s\n", LESSOR_VERSION_STRING);
			return EXIT_OK;
		case 'V':
		case 'W':
			version_extended();
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_FAIL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "extraneous command line information: %s\n", argv[optind]);
		usage(stderr);
		return EXIT_FAIL;
	}

	const char *poll_env = getenv("LESSOR_CONFIG_POLL");
	if (opts.config_poll_s < 0 && poll_env != NULL && poll_env[0] != '\0' &&
	    parse_poll(poll_env, &opts.config_poll_s) < 0) {
		fprintf(stderr, "LESSOR_CONFIG_POLL must be 0-86400 seconds: %s\n", poll_env);
		return EXIT_FAIL;
	}
	const char *hpoll_env = getenv("LESSOR_HOSTS_POLL");
	if (opts.hosts_poll_s < 0 && hpoll_env != NULL && hpoll_env[0] != '\0' &&
	    parse_poll(hpoll_env, &opts.hosts_poll_s) < 0) {
		fprintf(stderr, "LESSOR_HOSTS_POLL must be 0-86400 seconds: %s\n", hpoll_env);
		return EXIT_FAIL;
	}
	if (opts.hosts_poll_s < 0) {
		opts.hosts_poll_s = SERVER_HOSTS_POLL_DEFAULT_S;
	}
	if (opts.debug) {
		log_set_debug_override(true);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);   /* before any thread exists */
	if (check_path != NULL) {
		return check_config(check_path);
	}
	if (opts.config_path == NULL) {
		fprintf(stderr, "Configuration file not specified.\n");
		usage(stderr);
		return EXIT_FAIL;
	}

	if (user != NULL) {
		r = privdrop_prepare(user, &drop);
		if (r < 0) {
			fprintf(stderr, "lessor: -u %s: %s\n", user,
			        r == -ENOENT ? "no such user" : strerror(-r));
			return EXIT_FAIL;
		}
	}
	r = server_new(&opts, &s);
	if (r < 0) {
		fprintf(stderr, "lessor: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	r = server_start(s);
	if (r < 0) {
		return EXIT_FAIL;
	}
	if (user != NULL && drop_privileges(&drop) < 0) {
		return EXIT_FAIL;
	}
	(void)notify_send("READY=1\nSTATUS=serving");
	r = server_run(s);
	(void)notify_send("STOPPING=1");
	s = server_free(s);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

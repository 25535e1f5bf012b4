/* lessor-admin: the verbs. Command line as kea-admin 2.2's:
 *   lessor-admin COMMAND BACKEND [-h HOST] [-P PORT] [-u USER] [-p PASSWORD] [-n NAME]
 *                [-4|-6] [-o FILE] [-y]
 * Never prompts. Exit codes as kea-admin's for the failures a deployment script sees (its
 * mysql path exits 1 for every failure; its pgsql path passes psql's status on: 2 for a
 * connection failure or a non-empty database at db-init, 3 when schema_version is missing).
 * Errors go to stderr as "ERROR/lessor-admin: ..."; db-version's stdout carries only the
 * version, or on failure kea-admin's "Failed to get schema version, ... status N" line. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin/admin.h"
#include "util/macro.h"

#define EXIT_OK 0
#define EXIT_FAIL 1

typedef enum admin_cmd {
	ADMIN_CMD_INIT,
	ADMIN_CMD_VERSION,
	ADMIN_CMD_UPGRADE,
	ADMIN_CMD_DUMP,
	_ADMIN_CMD_MAX,
} admin_cmd_t;

static const char *const cmd_names[_ADMIN_CMD_MAX] = {
	[ADMIN_CMD_INIT] = "db-init",
	[ADMIN_CMD_VERSION] = "db-version",
	[ADMIN_CMD_UPGRADE] = "db-upgrade",
	[ADMIN_CMD_DUMP] = "lease-dump",
};

static void usage(FILE *f)
{
	fprintf(f,
	        "lessor-admin %s: kea-admin's database commands for lessor (Kea 2.4 schemas built in)\n"
	        "\n"
	        "Usage: lessor-admin COMMAND BACKEND [parameters]\n"
	        "\n"
	        "COMMAND:\n"
	        " - db-init: creates Kea 2.4's schema (MySQL %d.%d, PostgreSQL %d.%d) in an empty database\n"
	        " - db-version: prints the database's schema version\n"
	        " - db-upgrade: upgrades a Kea 2.2 schema (MySQL %d.%d, PostgreSQL %d.%d) to Kea 2.4's\n"
	        " - lease-dump: dumps the leases to a memfile-ready CSV file\n"
	        "\n"
	        "BACKEND: mysql | pgsql\n"
	        "\n"
	        "PARAMETERS:\n"
	        " -h or --host hostname - the database server (default: localhost)\n"
	        " -P or --port port - its TCP port; used by every connection\n"
	        " -u or --user name - the database user (default: keatest)\n"
	        " -p or --password password - its password (never prompted for; also\n"
	        "                             KEA_ADMIN_DB_PASSWORD)\n"
	        " -n or --name database - the database name (default: keatest)\n"
	        " -4 / -6 - lease-dump: the lease family\n"
	        " -o or --output file - lease-dump: the output file\n"
	        " -y or --yes - lease-dump: overwrite the output file if it exists\n"
	        " -v or --version - print the version and exit\n"
	        " --help - print this help and exit\n",
	        LESSOR_VERSION, ADMIN_MYSQL_MAJOR, ADMIN_MYSQL_MINOR, ADMIN_PGSQL_MAJOR,
	        ADMIN_PGSQL_MINOR, 14, 0, 13, 0);
}

__attribute__((format(printf, 1, 2))) static void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ERROR/lessor-admin: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

__attribute__((format(printf, 1, 2))) static void log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("WARNING/lessor-admin: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("ERROR/lessor-admin: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return EXIT_FAIL;
}

static void db_closep(admin_db_t **db)
{
	if (*db != NULL) {
		(*db)->backend->close(*db);
		*db = NULL;
	}
}

static int db_open(const admin_backend_t *b, const admin_opts_t *o, admin_db_t **ret)
{
	char err[ADMIN_ERR_MAX] = "";
	int r;

	r = b->open(o, ret, err, sizeof(err));
	if (r < 0) {
		log_error("cannot connect to %s database %s on %s: %s", b->name, o->name, o->host, err);
		return b->exit_connect;
	}
	return EXIT_OK;
}

/* Reads schema_version; on failure logs why and returns kea-admin's exit code for it. */
static int db_read_version(const admin_backend_t *b, const admin_opts_t *o, admin_db_t *db,
                           int *ret_major, int *ret_minor)
{
	char err[ADMIN_ERR_MAX] = "";
	int r;

	r = b->version(db, ret_major, ret_minor, err, sizeof(err));
	if (r == -ENOENT) {
		log_error("database %s has no schema_version table (no Kea schema): %s", o->name, err);
		return b->exit_no_schema;
	}
	if (r < 0) {
		log_error("cannot read the schema version of database %s: %s", o->name, err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Runs the scripts @names in order. A transactional backend gets them as one text, so that
 * a failure anywhere leaves the database as it was. */
static int run_scripts(const admin_backend_t *b, admin_db_t *db, const char *const *names)
{
	_cleanup_free_ char *all = NULL;
	char err[ADMIN_ERR_MAX] = "";
	size_t len = 0;

	for (const char *const *n = names; *n != NULL; n++) {
		const admin_script_t *s = admin_script_find(*n);
		char *grown;
		int r;

		assert_return(s != NULL, EXIT_FAIL);
		if (!b->transactional) {
			r = b->run_script(db, s->name, s->text, s->len, err, sizeof(err));
			if (r < 0) {
				log_error("%s", err);
				return EXIT_FAIL;
			}
			continue;
		}
		grown = realloc(all, len + s->len + 2);
		if (grown == NULL) {
			log_error("out of memory");
			return EXIT_FAIL;
		}
		all = grown;
		memcpy(all + len, s->text, s->len);
		len += s->len;
		all[len++] = '\n';
		all[len] = '\0';
	}
	if (all != NULL && b->run_script(db, names[0], all, len, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* kea-admin's db-version prints "Failed to get schema version, <backend> status N" on stdout
 * when it cannot; a script may look for it, so it is kept (the reason is on stderr). */
static int cmd_version(const admin_backend_t *b, const admin_opts_t *o)
{
	_cleanup_(db_closep) admin_db_t *db = NULL;
	int major, minor, r;

	r = db_open(b, o, &db);
	if (r == EXIT_OK) {
		r = db_read_version(b, o, db, &major, &minor);
	}
	if (r != EXIT_OK) {
		printf("Failed to get schema version, %s status%s %d\n", b->name,
		       strcmp(b->name, "mysql") == 0 ? " " : "", r);
		return r;
	}
	printf("%d.%d\n", major, minor);
	return EXIT_OK;
}

static int cmd_init(const admin_backend_t *b, const admin_opts_t *o)
{
	_cleanup_(db_closep) admin_db_t *db = NULL;
	char tables[4096] = "", err[ADMIN_ERR_MAX] = "";
	int n, r;

	r = db_open(b, o, &db);
	if (r != EXIT_OK) {
		return r;
	}
	printf("Checking if there is a database initialized already...\n");
	n = b->list_tables(db, tables, sizeof(tables), err, sizeof(err));
	if (n < 0) {
		log_error("cannot list the tables of database %s: %s", o->name, err);
		return EXIT_FAIL;
	}
	if (n > 0) {
		log_error("Expected empty database %s. Aborting, the following tables are present:\n%s",
		          o->name, tables);
		return b->exit_not_empty;
	}
	printf("Initializing database with lessor-admin's built-in %s schema %d.%d\n", b->name,
	       b->major, b->minor);
	r = run_scripts(b, db, b->create);
	if (r != EXIT_OK) {
		return r;
	}
	printf("Database version reported after initialization: %d.%d\n", b->major, b->minor);
	return EXIT_OK;
}

static int version_cmp(int amaj, int amin, int bmaj, int bmin)
{
	return amaj != bmaj ? (amaj > bmaj ? 1 : -1) : (amin > bmin) - (amin < bmin);
}

static int cmd_upgrade(const admin_backend_t *b, const admin_opts_t *o)
{
	_cleanup_(db_closep) admin_db_t *db = NULL;
	int major, minor, r;

	r = db_open(b, o, &db);
	if (r == EXIT_OK) {
		r = db_read_version(b, o, db, &major, &minor);
	}
	if (r != EXIT_OK) {
		return r;
	}
	printf("Database version reported before upgrade: %d.%d\n", major, minor);
	if (version_cmp(major, minor, b->major, b->minor) > 0) {
		log_error("database %s has schema version %d.%d, newer than %d.%d, the newest this "
		          "lessor-admin knows: refusing to touch it (use the newer Kea's kea-admin)",
		          o->name, major, minor, b->major, b->minor);
		return EXIT_FAIL;
	}
	if (version_cmp(major, minor, b->major, b->minor) < 0) {
		if (version_cmp(major, minor, b->upgrade_from_major, b->upgrade_from_minor) != 0) {
			log_error("database %s has schema version %d.%d: lessor-admin upgrades only "
			          "%d.%d (Kea 2.2) to %d.%d; upgrade it to %d.%d with Kea's kea-admin first",
			          o->name, major, minor, b->upgrade_from_major, b->upgrade_from_minor,
			          b->major, b->minor, b->upgrade_from_major, b->upgrade_from_minor);
			return EXIT_FAIL;
		}
		printf("Upgrading schema %d.%d to %d.%d\n", major, minor, b->major, b->minor);
		r = run_scripts(b, db, b->upgrade);
		if (r != EXIT_OK) {
			return r;
		}
		r = db_read_version(b, o, db, &major, &minor);
		if (r != EXIT_OK) {
			return r;
		}
	}
	printf("Database version reported after upgrade: %d.%d\n", major, minor);
	return EXIT_OK;
}

static int cmd_dump(const admin_backend_t *b, const admin_opts_t *o)
{
	_cleanup_(db_closep) admin_db_t *db = NULL;
	_cleanup_free_ char *tmp = NULL;
	char err[ADMIN_ERR_MAX] = "";
	struct stat st;
	FILE *f;
	int r;

	if (o->lease_family == 0) {
		return usage_error("lease-dump: lease type ( -4 or -6 ) needs to be specified%s", "");
	}
	if (o->output == NULL) {
		return usage_error("you must specify an output file for lease-dump%s", "");
	}
	/* kea-admin asks before overwriting and, without a terminal, answers no. */
	if (!o->assume_yes && stat(o->output, &st) == 0) {
		log_error("output file %s exists; lease-dump aborted (-y overwrites it)", o->output);
		return EXIT_FAIL;
	}
	r = db_open(b, o, &db);
	if (r != EXIT_OK) {
		return r;
	}
	/* Written beside the target and renamed, so a failed dump leaves no half file. */
	if (asprintf(&tmp, "%s.tmp", o->output) < 0) {
		return EXIT_FAIL;
	}
	f = fopen(tmp, "w");
	if (f == NULL) {
		log_error("cannot create %s: %s", tmp, strerror(errno));
		return EXIT_FAIL;
	}
	r = b->dump(db, o->lease_family, f, err, sizeof(err));
	if (fclose(f) != 0 && r >= 0) {
		r = -errno;
		snprintf(err, sizeof(err), "writing %s: %s", tmp, strerror(errno));
	}
	if (r >= 0 && rename(tmp, o->output) < 0) {
		r = -errno;
		snprintf(err, sizeof(err), "renaming %s: %s", tmp, strerror(errno));
	}
	if (r < 0) {
		unlink(tmp);
		log_error("lease-dump failed: %s", err);
		return EXIT_FAIL;
	}
	printf("lease%d successfully dumped to %s\n", o->lease_family, o->output);
	return EXIT_OK;
}

static int parse_port(const char *s, unsigned *ret)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 65535) {
		return -EINVAL;
	}
	*ret = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'P' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "directory", required_argument, NULL, 'd' },
		{ "extra", required_argument, NULL, 'x' },
		{ "yes", no_argument, NULL, 'y' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'H' },
		{ 0 },
	};
	admin_opts_t o = {
		.host = "localhost", .user = "keatest", .password = "keatest", .name = "keatest",
	};
	const admin_backend_t *b = NULL;
	bool password_given = false;
	int cmd = -1, c;

	if (argc < 2) {
		return usage_error("missing command%s", "");
	}
	if (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("%s\n", LESSOR_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (int i = 0; i < _ADMIN_CMD_MAX; i++) {
		if (strcmp(argv[1], cmd_names[i]) == 0) {
			cmd = i;
		}
	}
	if (cmd < 0) {
		return usage_error("invalid command: %s", argv[1]);
	}
	if (argc < 3) {
		return usage_error("missing backend%s", "");
	}
	if (strcmp(argv[2], "mysql") == 0) {
		b = &admin_backend_mysql;
	} else if (strcmp(argv[2], "pgsql") == 0) {
		b = &admin_backend_pgsql;
	} else {
		return usage_error("invalid backend: %s (lessor-admin knows mysql and pgsql)", argv[2]);
	}

	/* kea-admin's "-p" with nothing after it prompts; we never do, it means empty. */
	if (argc > 3 && (strcmp(argv[argc - 1], "-p") == 0 || strcmp(argv[argc - 1], "--password") == 0)) {
		log_warning("-p without a value: using an empty password (lessor-admin never prompts)");
		o.password = "";
		password_given = true;
		argc--;
	}
	optind = 3;
	while ((c = getopt_long(argc, argv, "h:P:u:p:n:o:d:x:46yv", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o.host = optarg;
			break;
		case 'P':
			if (parse_port(optarg, &o.port) < 0) {
				return usage_error("-P or --port: invalid port %s", optarg);
			}
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'p':
			o.password = optarg;
			password_given = true;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'o':
			o.output = optarg;
			break;
		case '4':
		case '6':
			if (o.lease_family != 0 && o.lease_family != c - '0') {
				return usage_error("you may not specify both -4 and -6%s", "");
			}
			o.lease_family = c - '0';
			break;
		case 'y':
			o.assume_yes = true;
			break;
		case 'd':
			log_warning("-d %s ignored: lessor-admin's scripts are built in", optarg);
			break;
		case 'x':
			log_warning("-x %s ignored: lessor-admin runs no database client", optarg);
			break;
		case 'v':
			printf("%s\n", LESSOR_VERSION);
			return EXIT_OK;
		case 'H':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_FAIL;
		}
	}
	if (optind < argc) {
		return usage_error("invalid option: %s", argv[optind]);
	}
	if (!password_given && getenv("KEA_ADMIN_DB_PASSWORD") != NULL) {
		o.password = getenv("KEA_ADMIN_DB_PASSWORD");
	}

	switch ((admin_cmd_t)cmd) {
	case ADMIN_CMD_INIT:
		return cmd_init(b, &o);
	case ADMIN_CMD_VERSION:
		return cmd_version(b, &o);
	case ADMIN_CMD_UPGRADE:
		return cmd_upgrade(b, &o);
	case ADMIN_CMD_DUMP:
		return cmd_dump(b, &o);
	case _ADMIN_CMD_MAX:
		break;
	}
	return EXIT_FAIL;
}

/* lessor-admin's PostgreSQL backend (libpq). PostgreSQL's DDL is transactional, so every
 * script runs in one transaction: a failed db-init or db-upgrade changes nothing. */
#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "util/macro.h"

typedef struct admin_pgsql {
	admin_db_t base;
	PGconn *conn;
} admin_pgsql_t;

static void pg_close(admin_db_t *db)
{
	admin_pgsql_t *p = (admin_pgsql_t *)db;

	PQfinish(p->conn);
	free(p);
}

static void pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs ("... does not exist, skipping") are not errors */
}

static void chomp_into(char *err, size_t errlen, const char *msg)
{
	size_t n;

	snprintf(err, errlen, "%s", msg);
	n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' ')) {
		err[--n] = '\0';
	}
}

static int pg_open(const admin_opts_t *o, admin_db_t **ret, char *err, size_t errlen)
{
	admin_pgsql_t *p = calloc(1, sizeof(*p));
	char port[12];
	const char *keys[] = { "host", "port", "user", "password", "dbname", "connect_timeout",
		               "application_name", NULL };
	const char *vals[] = { o->host, NULL, o->user, o->password, o->name, "10", "lessor-admin",
		               NULL };

	if (p == NULL) {
		return -ENOMEM;
	}
	p->base.backend = &admin_backend_pgsql;
	if (o->port != 0) {
		snprintf(port, sizeof(port), "%u", o->port);
		vals[1] = port;
	} else {
		vals[1] = "";
	}
	p->conn = PQconnectdbParams(keys, vals, 0);
	if (p->conn == NULL) {
		free(p);
		return -ENOMEM;
	}
	if (PQstatus(p->conn) != CONNECTION_OK) {
		chomp_into(err, errlen, PQerrorMessage(p->conn));
		pg_close(&p->base);
		return -ECONNREFUSED;
	}
	PQsetNoticeProcessor(p->conn, pg_quiet, NULL);
	*ret = &p->base;
	return 0;
}

static void resp(PGresult **r)
{
	PQclear(*r);
}

/* Runs @q (one or more statements); the last result stays in *ret. */
static int exec(admin_pgsql_t *p, const char *q, PGresult **ret, char *err, size_t errlen)
{
	ExecStatusType st;

	*ret = PQexec(p->conn, q);
	st = PQresultStatus(*ret);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		chomp_into(err, errlen, PQerrorMessage(p->conn));
		return -EIO;
	}
	return 0;
}

static int pg_list_tables(admin_db_t *db, char *buf, size_t len, char *err, size_t errlen)
{
	admin_pgsql_t *p = (admin_pgsql_t *)db;
	_cleanup_(resp) PGresult *res = NULL;
	size_t used = 0;
	int r;

	/* What kea-admin's "\d" lists: tables, views, sequences, foreign tables. */
	r = exec(p, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	            "WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m','S','f') "
	            "ORDER BY 1", &res, err, errlen);
	if (r < 0) {
		return r;
	}
	buf[0] = '\0';
	for (int i = 0; i < PQntuples(res); i++) {
		int w = snprintf(buf + used, len - used, "%s\n", PQgetvalue(res, i, 0));

		if (w > 0 && (size_t)w < len - used) {
			used += (size_t)w;
		}
	}
	return PQntuples(res);
}

static int pg_version(admin_db_t *db, int *ret_major, int *ret_minor, char *err, size_t errlen)
{
	admin_pgsql_t *p = (admin_pgsql_t *)db;
	_cleanup_(resp) PGresult *res = NULL;
	const char *state;
	int r;

	r = exec(p, "SELECT version, minor FROM schema_version", &res, err, errlen);
	if (r < 0) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		return state != NULL && strcmp(state, "42P01") == 0 ? -ENOENT : r; /* undefined_table */
	}
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		snprintf(err, errlen, "schema_version is empty");
		return -ENOENT;
	}
	*ret_major = atoi(PQgetvalue(res, 0, 0));
	*ret_minor = PQgetisnull(res, 0, 1) ? 0 : atoi(PQgetvalue(res, 0, 1));
	return 0;
}

static int pg_run_script(admin_db_t *db, const char *name, const char *sql, size_t len, char *err,
                         size_t errlen)
{
	admin_pgsql_t *p = (admin_pgsql_t *)db;
	_cleanup_(resp) PGresult *res = NULL;
	_cleanup_free_ char *q = NULL;
	char why[ADMIN_ERR_MAX / 2];
	int r;

	/* One transaction: libpq runs a multi-statement string as one unless it says otherwise. */
	if (asprintf(&q, "BEGIN;\n%.*s\n;COMMIT;", (int)len, sql) < 0) {
		return -ENOMEM;
	}
	r = exec(p, q, &res, why, sizeof(why));
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", name, why);
		PQclear(PQexec(p->conn, "ROLLBACK"));
	}
	return r;
}

/* Writes a result as `psql -t -A -F ','` does (kea-admin's pgsql lease-dump): fields joined
 * by commas, NULL as empty, no quoting. */
static int pg_dump(admin_db_t *db, int family, FILE *out, char *err, size_t errlen)
{
	admin_pgsql_t *p = (admin_pgsql_t *)db;
	static const char *const procs[] = { "DumpHeader", "DumpData" };

	for (size_t i = 0; i < ARRAY_SIZE(procs); i++) {
		_cleanup_(resp) PGresult *res = NULL;
		char q[64];
		int r;

		snprintf(q, sizeof(q), "SELECT * FROM lease%d%s()", family, procs[i]);
		r = exec(p, q, &res, err, errlen);
		if (r < 0) {
			return r;
		}
		for (int row = 0; row < PQntuples(res); row++) {
			for (int f = 0; f < PQnfields(res); f++) {
				if (f > 0) {
					fputc(',', out);
				}
				fputs(PQgetvalue(res, row, f), out);
			}
			fputc('\n', out);
		}
	}
	return 0;
}

static const char *const pgsql_create[] = { "pgsql-tables.sql", "pgsql-routines.sql",
	                                    "pgsql-rows.sql", NULL };
static const char *const pgsql_upgrade[] = { "pgsql-upgrade-13.0.sql", "pgsql-routines.sql",
	                                     "pgsql-upgrade-13.0-end.sql", NULL };

const admin_backend_t admin_backend_pgsql = {
	.name = "pgsql",
	.major = ADMIN_PGSQL_MAJOR,
	.minor = ADMIN_PGSQL_MINOR,
	.upgrade_from_major = 13,
	.upgrade_from_minor = 0,
	.create = pgsql_create,
	.upgrade = pgsql_upgrade,
	.transactional = true,
	.exit_connect = 2,   /* psql's status for a connection failure */
	.exit_no_schema = 3, /* psql's status for a failed statement under ON_ERROR_STOP */
	.exit_not_empty = 2,
	.open = pg_open,
	.close = pg_close,
	.list_tables = pg_list_tables,
	.version = pg_version,
	.run_script = pg_run_script,
	.dump = pg_dump,
};

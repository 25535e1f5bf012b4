/* lessor-admin's MySQL/MariaDB backend (libmariadb). */
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "util/macro.h"

typedef struct admin_mysql {
	admin_db_t base;
	MYSQL *conn;
} admin_mysql_t;

static int fail(admin_mysql_t *m, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s (error %u)", mysql_error(m->conn), mysql_errno(m->conn));
	return -EIO;
}

static void my_close(admin_db_t *db)
{
	admin_mysql_t *m = (admin_mysql_t *)db;

	mysql_close(m->conn);
	free(m);
}

static int my_open(const admin_opts_t *o, admin_db_t **ret, char *err, size_t errlen)
{
	admin_mysql_t *m = calloc(1, sizeof(*m));
	unsigned timeout = 10;

	if (m == NULL) {
		return -ENOMEM;
	}
	m->base.backend = &admin_backend_mysql;
	m->conn = mysql_init(NULL);
	if (m->conn == NULL) {
		free(m);
		return -ENOMEM;
	}
	mysql_options(m->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* Like the mysql client, libmariadb takes "localhost" to mean the UNIX socket and then
	 * ignores the port; a port given on the command line is honoured: TCP. */
	if (o->port != 0) {
		unsigned proto = MYSQL_PROTOCOL_TCP;

		mysql_options(m->conn, MYSQL_OPT_PROTOCOL, &proto);
	}
	if (mysql_real_connect(m->conn, o->host, o->user, o->password, o->name, o->port, NULL,
	                       CLIENT_MULTI_RESULTS) == NULL) {
		fail(m, err, errlen);
		my_close(&m->base);
		return -ECONNREFUSED;
	}
	/* Kea's sessions store TIMESTAMPs in the server's zone; so do we, by not touching it. */
	*ret = &m->base;
	return 0;
}

/* Runs @q and returns its result rows (NULL result for statements without rows). */
static int query(admin_mysql_t *m, const char *q, size_t len, MYSQL_RES **ret, char *err,
                 size_t errlen)
{
	if (mysql_real_query(m->conn, q, len) != 0) {
		return fail(m, err, errlen);
	}
	*ret = mysql_store_result(m->conn);
	if (*ret == NULL && mysql_field_count(m->conn) != 0) {
		return fail(m, err, errlen);
	}
	/* A CALL also returns a status result: drain everything after the first. */
	while (mysql_more_results(m->conn)) {
		MYSQL_RES *extra;

		if (mysql_next_result(m->conn) > 0) {
			mysql_free_result(*ret);
			return fail(m, err, errlen);
		}
		extra = mysql_store_result(m->conn);
		mysql_free_result(extra);
	}
	return 0;
}

static void resp(MYSQL_RES **r)
{
	if (*r != NULL) {
		mysql_free_result(*r);
	}
}

static int my_list_tables(admin_db_t *db, char *buf, size_t len, char *err, size_t errlen)
{
	admin_mysql_t *m = (admin_mysql_t *)db;
	_cleanup_(resp) MYSQL_RES *res = NULL;
	const char *q = "SHOW TABLES";
	size_t used = 0;
	MYSQL_ROW row;
	int n = 0, r;

	r = query(m, q, strlen(q), &res, err, errlen);
	if (r < 0) {
		return r;
	}
	buf[0] = '\0';
	while ((row = mysql_fetch_row(res)) != NULL) {
		int w = snprintf(buf + used, len - used, "%s\n", row[0]);

		if (w > 0 && (size_t)w < len - used) {
			used += (size_t)w;
		}
		n++;
	}
	return n;
}

static int my_version(admin_db_t *db, int *ret_major, int *ret_minor, char *err, size_t errlen)
{
	admin_mysql_t *m = (admin_mysql_t *)db;
	_cleanup_(resp) MYSQL_RES *res = NULL;
	const char *q = "SELECT version, minor FROM schema_version";
	MYSQL_ROW row;
	int r;

	r = query(m, q, strlen(q), &res, err, errlen);
	if (r < 0) {
		return mysql_errno(m->conn) == ER_NO_SUCH_TABLE ? -ENOENT : r;
	}
	row = mysql_fetch_row(res);
	if (row == NULL || row[0] == NULL) {
		snprintf(err, errlen, "schema_version is empty");
		return -ENOENT;
	}
	*ret_major = atoi(row[0]);
	*ret_minor = row[1] != NULL ? atoi(row[1]) : 0;
	return 0;
}

static int my_run_script(admin_db_t *db, const char *name, const char *sql, size_t len, char *err,
                         size_t errlen)
{
	admin_mysql_t *m = (admin_mysql_t *)db;
	char delim[16] = ";";
	const char *stmt;
	size_t pos = 0, n;

	while (admin_sql_next(sql, len, &pos, delim, &stmt, &n) > 0) {
		_cleanup_(resp) MYSQL_RES *res = NULL;
		char why[ADMIN_ERR_MAX / 2];
		const char *eol;
		int r;

		r = query(m, stmt, n, &res, why, sizeof(why));
		if (r < 0) {
			while (n > 0 && (*stmt == '\n' || *stmt == ' ' || *stmt == '\t')) {
				stmt++;
				n--;
			}
			eol = memchr(stmt, '\n', n);
			snprintf(err, errlen, "%s: %s, in: %.*s", name, why,
			         (int)(eol != NULL ? (size_t)(eol - stmt) : MIN(n, 120)), stmt);
			return r;
		}
	}
	return 0;
}

/* Writes one row as `mysql -N -B` prints it and kea-admin's `tr '\t' ','` turns it: fields
 * joined by commas, NULL as "NULL", and mysql's batch escapes for \0, TAB, LF and backslash. */
static void dump_row(FILE *out, MYSQL_ROW row, const unsigned long *lens, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i > 0) {
			fputc(',', out);
		}
		if (row[i] == NULL) {
			fputs("NULL", out);
			continue;
		}
		for (unsigned long j = 0; j < lens[i]; j++) {
			char ch = row[i][j];

			switch (ch) {
			case '\0':
				fputs("\\0", out);
				break;
			case '\t':
				fputs("\\t", out);
				break;
			case '\n':
				fputs("\\n", out);
				break;
			case '\\':
				fputs("\\\\", out);
				break;
			default:
				fputc(ch, out);
			}
		}
	}
	fputc('\n', out);
}

static int my_dump(admin_db_t *db, int family, FILE *out, char *err, size_t errlen)
{
	admin_mysql_t *m = (admin_mysql_t *)db;
	static const char *const procs[] = { "DumpHeader", "DumpData" };

	for (size_t p = 0; p < ARRAY_SIZE(procs); p++) {
		_cleanup_(resp) MYSQL_RES *res = NULL;
		char q[64];
		MYSQL_ROW row;
		int r;

		snprintf(q, sizeof(q), "CALL lease%d%s()", family, procs[p]);
		r = query(m, q, strlen(q), &res, err, errlen);
		if (r < 0) {
			return r;
		}
		while (res != NULL && (row = mysql_fetch_row(res)) != NULL) {
			dump_row(out, row, mysql_fetch_lengths(res), mysql_num_fields(res));
		}
	}
	return 0;
}

static const char *const mysql_create[] = { "mysql-tables.sql", "mysql-routines.sql",
	                                    "mysql-rows.sql", NULL };
static const char *const mysql_upgrade[] = { "mysql-upgrade-14.0.sql", "mysql-routines.sql",
	                                     "mysql-upgrade-14.0-end.sql", NULL };

const admin_backend_t admin_backend_mysql = {
	.name = "mysql",
	.major = ADMIN_MYSQL_MAJOR,
	.minor = ADMIN_MYSQL_MINOR,
	.upgrade_from_major = 14,
	.upgrade_from_minor = 0,
	.create = mysql_create,
	.upgrade = mysql_upgrade,
	.exit_connect = 1,
	.exit_no_schema = 1,
	.exit_not_empty = 1,
	.open = my_open,
	.close = my_close,
	.list_tables = my_list_tables,
	.version = my_version,
	.run_script = my_run_script,
	.dump = my_dump,
};

/* lessor-admin: kea-admin's db-init / db-version / db-upgrade / lease-dump for MySQL/MariaDB
 * and PostgreSQL, with the DDL built into the binary (see sql/ and cmake/embed.cmake). One
 * backend module per engine implements admin_backend_t; admin-main.c holds the verbs' logic,
 * which is the same for both. See man/lessor-admin.8. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Schema versions this tool creates: Kea 2.4's. */
#define ADMIN_MYSQL_MAJOR 19
#define ADMIN_MYSQL_MINOR 0
#define ADMIN_PGSQL_MAJOR 18
#define ADMIN_PGSQL_MINOR 0

/* Error detail from a backend: the server's own message. */
#define ADMIN_ERR_MAX 1024

typedef struct admin_opts {
	const char *host;
	const char *user;
	const char *password;
	const char *name;
	unsigned port;          /* 0 = the engine's default (TCP only when given) */
	int lease_family;       /* lease-dump: 4 or 6, 0 = not given */
	const char *output;     /* lease-dump -o */
	bool assume_yes;        /* -y: overwrite the output file */
} admin_opts_t;

/* Why a backend call failed; the verbs map these to kea-admin's exit codes. */
typedef enum admin_fail {
	ADMIN_FAIL_CONNECT = 1, /* server unreachable, authentication, unknown database */
	ADMIN_FAIL_NO_SCHEMA,   /* no schema_version table (empty or foreign database) */
	ADMIN_FAIL_SQL,         /* a statement failed */
} admin_fail_t;

typedef struct admin_db admin_db_t;
typedef struct admin_backend admin_backend_t;

/* Every backend's connection struct starts with this. */
struct admin_db {
	const admin_backend_t *backend;
};

struct admin_backend {
	const char *name;               /* kea-admin's backend word: "mysql", "pgsql" */
	int major, minor;               /* the schema version this tool creates */
	int upgrade_from_major;         /* the one older version db-upgrade knows (Kea 2.2's) */
	int upgrade_from_minor;
	const char *const *create;      /* script names, NULL-terminated, run by db-init */
	const char *const *upgrade;     /* scripts run by db-upgrade from upgrade_from_* */
	bool transactional;            /* DDL in transactions: the scripts run as one */
	/* kea-admin's exit code when the version cannot be read, per admin_fail_t
	 * (its mysql path always exits 1; its pgsql path exits with psql's status). */
	int exit_connect, exit_no_schema, exit_not_empty;

	/** Connect. On failure returns a negative code and fills @err. */
	int (*open)(const admin_opts_t *o, admin_db_t **ret, char *err, size_t errlen);
	void (*close)(admin_db_t *db);
	/** Names of the relations in the database, one per line, into @buf (truncated). Returns
	 *  their count or a negative code. */
	int (*list_tables)(admin_db_t *db, char *buf, size_t len, char *err, size_t errlen);
	/** schema_version's row. -ENOENT: no such table (ADMIN_FAIL_NO_SCHEMA). */
	int (*version)(admin_db_t *db, int *ret_major, int *ret_minor, char *err, size_t errlen);
	/** Run SQL text (one embedded script, or several joined); @name is for messages. */
	int (*run_script)(admin_db_t *db, const char *name, const char *sql, size_t len, char *err,
	                  size_t errlen);
	/** Run the database's own lease<N>DumpHeader() and lease<N>DumpData() and write their rows
	 *  as kea-admin's lease-dump does for this engine. */
	int (*dump)(admin_db_t *db, int family, FILE *out, char *err, size_t errlen);
};

extern const admin_backend_t admin_backend_mysql;
extern const admin_backend_t admin_backend_pgsql;

/** One SQL file from src/admin/sql, embedded at build time (admin-scripts.c is generated). */
typedef struct admin_script {
	const char *name;
	const char *text;
	size_t len;
} admin_script_t;

/** The embedded script called @name, or NULL. */
const admin_script_t *admin_script_find(const char *name);

/** MySQL statement splitter honouring the mysql client's `DELIMITER x` lines, so that the
 *  .sql files also run through the mysql CLI. Returns 1 with the next statement in
 *  [*ret_start, *ret_start + *ret_len) (delimiter removed), 0 at the end. @pos is the cursor,
 *  start it at 0; @delim is caller storage of at least 16 bytes, start it at ";". */
int admin_sql_next(const char *sql, size_t len, size_t *pos, char *delim, const char **ret_start,
                   size_t *ret_len);

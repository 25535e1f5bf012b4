/* The SQL store's rows and statements: a lease as Kea's lease4 row, the
 * statements rendered for a dialect, the parameters of a row. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease/store-sql-int.h"
#include "util/inaddr.h"
#include "util/log.h"

/* ---- row mapping ---- */

int64_t sql_lease_expire(const lease4_t *l)
{
	/* Kea: an infinite lease stores expire = cltt (MySqlLeaseMgr,
	 * PgSqlLeaseMgr: "infinite lifetime" -> no addition). */
	return l->valid_lft == LEASE_LFT_INFINITE ? l->cltt : lease4_expire(l);
}

void sql_row_from_lease(const lease4_t *l, sql_row_t *ret)
{
	*ret = (sql_row_t){
		.address = l->addr,
		.hwaddr_len = l->hwaddr_len,
		.client_id_len = l->client_id_len,
		.valid_lifetime = l->valid_lft,
		.expire = sql_lease_expire(l),
		.subnet_id = l->subnet_id,
		.fqdn_fwd = l->fqdn_fwd,
		.fqdn_rev = l->fqdn_rev,
		.state = (uint32_t)l->state,
		.pool_id = l->pool_id,
	};
	memcpy(ret->hwaddr, l->hwaddr, MIN((size_t)l->hwaddr_len, sizeof(ret->hwaddr)));
	memcpy(ret->client_id, l->client_id, MIN((size_t)l->client_id_len, sizeof(ret->client_id)));
	snprintf(ret->hostname, sizeof(ret->hostname), "%s", l->hostname);
	snprintf(ret->user_context, sizeof(ret->user_context), "%s", l->user_context);
}

int sql_row_to_lease(const sql_row_t *row, lease4_t *ret, char *why, size_t why_len)
{
	if (row->truncated) {
		snprintf(why, why_len, "a column is longer than lessor holds (hwaddr %u, client-id "
		         "%u, hostname %u, user-context %u bytes)", DHCP_HWADDR_MAX,
		         DHCP_OPT_LEN_MAX, DHCP_HOSTNAME_MAX, LEASE_UCTX_MAX - 1);
		return -EBADMSG;
	}
	if (row->state >= _LEASE_STATE_MAX) {
		snprintf(why, why_len, "invalid state %" PRIu32, row->state);
		return -EBADMSG;
	}
	if (row->hwaddr_len > DHCP_HWADDR_MAX || row->client_id_len > DHCP_OPT_LEN_MAX) {
		snprintf(why, why_len, "hwaddr or client-id too long");
		return -EBADMSG;
	}
	*ret = (lease4_t){
		.addr = row->address,
		.subnet_id = row->subnet_id,
		.pool_id = row->pool_id,
		.hwaddr_len = (uint8_t)row->hwaddr_len,
		.htype = 1,             /* Kea's lease4 has no htype column: Ethernet */
		.client_id_len = (uint8_t)row->client_id_len,
		.valid_lft = row->valid_lifetime,
		.state = (lease_state_t)row->state,
		.fqdn_fwd = row->fqdn_fwd,
		.fqdn_rev = row->fqdn_rev,
	};
	ret->cltt = row->valid_lifetime == LEASE_LFT_INFINITE
	                    ? row->expire
	                    : row->expire - (int64_t)row->valid_lifetime;
	memcpy(ret->hwaddr, row->hwaddr, row->hwaddr_len);
	memcpy(ret->client_id, row->client_id, row->client_id_len);
	snprintf(ret->hostname, sizeof(ret->hostname), "%s", row->hostname);
	snprintf(ret->user_context, sizeof(ret->user_context), "%s", row->user_context);
	return 0;
}

/* ---- statements ---- */

#define SQL_SELECT                                                                    \
	"SELECT address, hwaddr, client_id, valid_lifetime, %E, subnet_id, fqdn_fwd, " \
	"fqdn_rev, hostname, state, user_context, %P FROM lease4"

/* The subnet condition of a lookup by client identifier, %N the dialect's
 * subnet_col. With statistics taken while lease4 was nearly empty (a new
 * database, or before autovacuum's next ANALYZE), PostgreSQL 15 planned
 * "client_id = $1 AND subnet_id = $2" as a scan of lease4_by_subnet_id
 * filtering every lease of the subnet (0.2 ms with 1,500 leases, growing with
 * the table), not as a lookup in Kea's (client_id, subnet_id) index: its
 * subnet_col "subnet_id + 0" leaves only the identifier's index, whose
 * leading column is the identifier (a client's few rows). */
#define SQL_IN_SUBNET "%N = ?"

/* The client-id's and the hwaddr's newest lease in one statement */
#define SQL_BY_CLIENT                                                                     \
	"(" SQL_SELECT " WHERE client_id = ? AND " SQL_IN_SUBNET " ORDER BY expire DESC LIMIT 1) " \
	"UNION ALL (" SQL_SELECT " WHERE hwaddr = ? AND " SQL_IN_SUBNET                            \
	" ORDER BY expire DESC LIMIT 1)"

/* Tokens: ? parameter, %T time parameter, %E expire as epoch seconds, %P the
 * pool_id column (or 0), %N the subnet column of identifier lookups, %C
 * ", pool_id", %V ", ?" and %Q ", pool_id = ?" when the schema has pool_id,
 * %X the dialect's insert suffix; with the dialect's address guard (one more
 * parameter, the address again): %S "SELECT " (else
 * "VALUES ("), %R " WHERE guard" (else ")"), %G " AND guard" (else nothing). */
static const char *const templates[_SQL_STMT_MAX] = {
	[SQL_GET_ADDR] = SQL_SELECT " WHERE address = ?",
	[SQL_GET_HWADDR] = SQL_SELECT " WHERE hwaddr = ? AND " SQL_IN_SUBNET " ORDER BY expire DESC LIMIT 1",
	[SQL_GET_CLIENT_ID] = SQL_SELECT " WHERE client_id = ? AND " SQL_IN_SUBNET " ORDER BY expire DESC LIMIT 1",
	[SQL_GET_CLIENT] = SQL_BY_CLIENT,
	[SQL_GET_CLIENT_ADDR] = SQL_BY_CLIENT " UNION ALL (" SQL_SELECT " WHERE address = ?)",
	[SQL_INSERT] = "INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, expire, "
	               "subnet_id, fqdn_fwd, fqdn_rev, hostname, state, user_context%C) "
	               "%S?, ?, ?, ?, %T, ?, ?, ?, ?, ?, ?%V%R%X",
	[SQL_UPDATE] = "UPDATE lease4 SET hwaddr = ?, client_id = ?, valid_lifetime = ?, "
	               "expire = %T, subnet_id = ?, fqdn_fwd = ?, fqdn_rev = ?, hostname = ?, "
	               "state = ?, user_context = ?%Q WHERE address = ? AND expire = %T AND state = ?%G",
	[SQL_DELETE] = "DELETE FROM lease4 WHERE address = ? AND expire = %T%G",
	/* Kea's GET_LEASE4_EXPIRE */
	[SQL_GET_EXPIRED] = SQL_SELECT " WHERE state != 2 AND valid_lifetime != 4294967295 AND "
	                    "expire < %T ORDER BY expire ASC LIMIT ?",
	[SQL_GET_RECLAIMED] = SQL_SELECT " WHERE state = 2 AND expire < %T ORDER BY expire ASC LIMIT ?",
	[SQL_GET_PAGE] = SQL_SELECT " WHERE address > ? ORDER BY address LIMIT ?",
	[SQL_WIPE_SUBNET] = "DELETE FROM lease4 WHERE subnet_id = ?",
	[SQL_WIPE_ALL] = "DELETE FROM lease4",
};

const char *sql_stmt_template(sql_stmt_t st)
{
	return (unsigned)st < _SQL_STMT_MAX ? templates[st] : "?";
}

static int emit(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n >= size) {
		return -ENOBUFS;
	}
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return 0;
}

/* The @k-th parameter's placeholder. */
static void placeholder(const sql_dialect_t *d, int k, char *ph, size_t size)
{
	if (d->dollar_params) {
		snprintf(ph, size, "$%d", k);
	} else {
		snprintf(ph, size, "?");
	}
}

static int emit_param(const sql_dialect_t *d, char *buf, size_t size, size_t *pos, int *k,
                      bool time)
{
	char ph[16], t[96];

	placeholder(d, ++*k, ph, sizeof(ph));
	if (!time) {
		return emit(buf, size, pos, ph);
	}
	snprintf(t, sizeof(t), d->time_in, ph);
	return emit(buf, size, pos, t);
}

/* The dialect's address guard behind @lead, on a parameter of its own. */
static int emit_guard(const sql_dialect_t *d, char *buf, size_t size, size_t *pos, int *k,
                      const char *lead)
{
	char ph[16], t[160];

	if (d->addr_guard == NULL) {
		return 0;
	}
	placeholder(d, ++*k, ph, sizeof(ph));
	snprintf(t, sizeof(t), d->addr_guard, ph);
	int r = emit(buf, size, pos, lead);
	return r < 0 ? r : emit(buf, size, pos, t);
}

int sql_render(sql_stmt_t st, const sql_dialect_t *d, bool has_pool, char *buf, size_t size)
{
	size_t pos = 0;
	int k = 0, r = 0;

	assert_return(st >= 0 && st < _SQL_STMT_MAX && size > 0, -EINVAL);
	buf[0] = '\0';
	for (const char *p = templates[st]; *p != '\0' && r == 0; p++) {
		char one[2] = { *p, '\0' };

		if (*p == '?') {
			r = emit_param(d, buf, size, &pos, &k, false);
			continue;
		}
		if (*p != '%') {
			r = emit(buf, size, &pos, one);
			continue;
		}
		switch (*++p) {
		case 'T':
			r = emit_param(d, buf, size, &pos, &k, true);
			break;
		case 'E':
			r = emit(buf, size, &pos, d->time_out);
			break;
		case 'P':
			r = emit(buf, size, &pos, has_pool ? "pool_id" : "0");
			break;
		case 'N':
			r = emit(buf, size, &pos, d->subnet_col != NULL ? d->subnet_col : "subnet_id");
			break;
		case 'C':
			r = has_pool ? emit(buf, size, &pos, ", pool_id") : 0;
			break;
		case 'V':
			if (has_pool) {
				r = emit(buf, size, &pos, ", ");
				r = r < 0 ? r : emit_param(d, buf, size, &pos, &k, false);
			}
			break;
		case 'Q':
			if (has_pool) {
				r = emit(buf, size, &pos, ", pool_id = ");
				r = r < 0 ? r : emit_param(d, buf, size, &pos, &k, false);
			}
			break;
		case 'X':
			r = emit(buf, size, &pos, d->insert_suffix);
			break;
		case 'S':
			r = emit(buf, size, &pos, d->addr_guard != NULL ? "SELECT " : "VALUES (");
			break;
		case 'R':
		case 'G':
			r = emit_guard(d, buf, size, &pos, &k, *p == 'R' ? " WHERE " : " AND ");
			if (r == 0 && d->addr_guard == NULL && *p == 'R') {
				r = emit(buf, size, &pos, ")");
			}
			break;
		default:
			return -EINVAL;
		}
	}
	return r < 0 ? r : k;
}

sql_val_t sql_v_int(int64_t i)
{
	return (sql_val_t){ .type = SQL_V_INT, .i = i };
}

sql_val_t sql_v_time(int64_t t)
{
	return (sql_val_t){ .type = SQL_V_TIME, .i = t };
}

sql_val_t sql_v_bytes(const void *p, size_t len)
{
	return (sql_val_t){ .type = SQL_V_BYTES, .p = p, .len = len };
}

static sql_val_t v_text_or_null(const char *s)
{
	if (s[0] == '\0') {
		return (sql_val_t){ .type = SQL_V_NULL };
	}
	return (sql_val_t){ .type = SQL_V_TEXT, .p = s, .len = strlen(s) };
}

/* The row's values in the order of INSERT (with_addr) or UPDATE's SET list. */
size_t sql_row_params(const sql_row_t *r, bool with_addr, bool has_pool, sql_val_t *v)
{
	size_t n = 0;

	if (with_addr) {
		v[n++] = sql_v_int(r->address);
	}
	v[n++] = sql_v_bytes(r->hwaddr, r->hwaddr_len);
	v[n++] = r->client_id_len > 0 ? sql_v_bytes(r->client_id, r->client_id_len)
	                              : (sql_val_t){ .type = SQL_V_NULL };
	v[n++] = sql_v_int(r->valid_lifetime);
	v[n++] = sql_v_time(r->expire);
	v[n++] = sql_v_int(r->subnet_id);
	v[n++] = (sql_val_t){ .type = SQL_V_BOOL, .i = r->fqdn_fwd };
	v[n++] = (sql_val_t){ .type = SQL_V_BOOL, .i = r->fqdn_rev };
	/* Kea binds the hostname as a string even when empty */
	v[n++] = (sql_val_t){ .type = SQL_V_TEXT, .p = r->hostname, .len = strlen(r->hostname) };
	v[n++] = sql_v_int(r->state);
	v[n++] = v_text_or_null(r->user_context);
	if (has_pool) {
		v[n++] = sql_v_int(r->pool_id);
	}
	return n;
}

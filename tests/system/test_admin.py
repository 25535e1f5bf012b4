"""lessor-admin against real MariaDB and PostgreSQL servers, compared with Kea 2.2's kea-admin.

The schema check reads the database catalogue (information_schema / pg_catalog) into the line
format of the reference files in data/kea-schema/ (a copy of the team's reference, see its
README; $LESSOR_SCHEMA_REF overrides): one line per table, column, index, constraint or foreign
key, trigger, routine, sequence, enumeration row and the schema_version. The reader is first shown to reproduce the
Kea 2.2 files exactly on databases that kea-admin 2.2 created, then:
  (a) lessor-admin db-init reads back as Kea 2.4's schema (MySQL 19.0, PostgreSQL 18.0);
  (b) kea-admin 2.2 db-init + lessor-admin db-upgrade reads back the same, rows kept;
  (c) kea-admin 2.2's db-version reads a database lessor-admin made;
  (d) the lease4 triggers count lease4_stat / lease4_pool_stat as Kea's do;
  (e) lease-dump writes what kea-admin writes for the same rows;
  (f) the failures and exit codes a deployment script sees match kea-admin's;
  (g) the deployment's entry-point sequence (db-version, then db-init or db-upgrade) works;
and a dropped index or trigger is detected (the comparison can fail).
One server per engine for the whole file; every test uses fresh databases.
"""

import contextlib
import difflib
import itertools
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import SRC, missing, server_binary
import dbserver

REF = os.environ.get("LESSOR_SCHEMA_REF") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "data", "kea-schema")
ADMIN = os.environ.get("LESSOR_ADMIN_BIN") or os.path.join(
    os.path.dirname(server_binary("lessor")), "lessor-admin")
KEA_ADMIN = shutil.which("kea-admin") or "/usr/sbin/kea-admin"
REFS = {"mysql": {"2.2": "kea-2.2-mysql-14.0.txt", "2.4": "kea-2.4-mysql-19.0.txt"},
        "pgsql": {"2.2": "kea-2.2-pgsql-13.0.txt", "2.4": "kea-2.4-pgsql-18.0.txt"}}
CURRENT = {"mysql": "19.0", "pgsql": "18.0"}
OLD = {"mysql": "14.0", "pgsql": "13.0"}
_names = itertools.count(1)

# ---------------------------------------------------------------------------------------------
# catalogue readers: the reference files' line format

# The enumeration tables whose rows the reference lists (MySQL); timestamps are left out.
MY_ENUM_TABLES = ("dhcp4_server", "dhcp6_server", "dhcp_option_scope", "host_identifier_type",
                  "lease6_types", "lease_hwaddr_source", "lease_state", "modification",
                  "parameter_data_type")
PG_ENUM_TABLES = MY_ENUM_TABLES + ("ddns_replace_client_name_types",)


def _my_type(t):
    # Display widths are not part of the type (MySQL 8 drops them), except BOOL's tinyint(1).
    if t.startswith("tinyint(1)"):
        return t
    return re.sub(r"^(tinyint|smallint|mediumint|int|bigint)\(\d+\)", r"\1", t)


def enum_rows(db, name, tables):
    """'row TABLE[col=value ...]\\txN' lines for the enumeration TABLES (timestamps omitted)."""
    out = []
    is_my = isinstance(db, dbserver.MariaDB)
    schema = "DATABASE()" if is_my else "'public'"
    present = {r[0] for r in db.sql(name, "SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = " + schema)}
    for t in tables:
        if t not in present:
            continue
        cols = [r[0] for r in db.sql(name, "SELECT column_name FROM information_schema.columns "
                                     "WHERE table_schema = %s AND table_name = '%s' AND "
                                     "data_type NOT LIKE 'timestamp%%' ORDER BY column_name"
                                     % (schema, t))]
        counts = {}
        for row in db.sql(name, "SELECT %s FROM %s" % (", ".join(cols), t)):
            key = " ".join("%s=%s" % kv for kv in zip(cols, row))
            counts[key] = counts.get(key, 0) + 1
        out += ["row %s[%s]\tx%d" % (t, k, n) for k, n in counts.items()]
    return out


def mysql_catalog(db, name):
    q = lambda s: db.sql(name, s)
    s = "table_schema = DATABASE()"
    out = []
    for t, ty, eng in q("SELECT table_name, table_type, engine FROM information_schema.tables "
                        "WHERE " + s):
        out.append("table %s\t%s engine=%s" % (t, ty, eng.lower()))
    for t, c, ty, nl, dflt, extra in q(
            "SELECT table_name, column_name, column_type, is_nullable, "
            "IFNULL(column_default, '<none>'), extra FROM information_schema.columns WHERE " + s):
        out.append("column %s.%s\t%s null=%s default=%s extra=%s"
                   % (t, c, _my_type(ty), nl, dflt, extra.lower()))
    idx = {}
    for t, n, nu, ty, col in q(
            "SELECT table_name, index_name, non_unique, index_type, column_name FROM "
            "information_schema.statistics WHERE " + s + " ORDER BY table_name, index_name, "
            "seq_in_index"):
        idx.setdefault((t, n.lower(), nu, ty.lower()), []).append(col)
    for (t, n, nu, ty), cols in idx.items():
        out.append("index %s.%s\t%s %s (%s)" % (t, n, "unique" if nu == "0" else "non-unique",
                                                 ty, ",".join(cols)))
    fks = {}
    for t, n, col, rt, rc, upd, dele in q(
            "SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, "
            "k.referenced_column_name, r.update_rule, r.delete_rule "
            "FROM information_schema.key_column_usage k JOIN "
            "information_schema.referential_constraints r ON r.constraint_schema = "
            "k.constraint_schema AND r.constraint_name = k.constraint_name AND "
            "r.table_name = k.table_name WHERE k.table_schema = DATABASE() AND "
            "k.referenced_table_name IS NOT NULL ORDER BY k.table_name, k.constraint_name, "
            "k.ordinal_position"):
        f = fks.setdefault((t, n.lower(), rt, upd, dele), ([], []))
        f[0].append(col)
        f[1].append(rc)
    for (t, n, rt, upd, dele), (cols, rcols) in fks.items():
        out.append("fk %s.%s\t(%s) -> %s(%s) on update %s on delete %s"
                   % (t, n, ",".join(cols), rt, ",".join(rcols), upd, dele))
    for n, t, tim, ev in q("SELECT trigger_name, event_object_table, action_timing, "
                           "event_manipulation FROM information_schema.triggers WHERE "
                           "trigger_schema = DATABASE()"):
        out.append("trigger %s\ton %s %s %s" % (n, t, tim, ev))
    routines = {(n, k): [] for n, k in q("SELECT routine_name, routine_type FROM "
                                         "information_schema.routines WHERE "
                                         "routine_schema = DATABASE()")}
    for n, k, ty in q("SELECT specific_name, routine_type, data_type FROM "
                      "information_schema.parameters WHERE specific_schema = DATABASE() AND "
                      "ordinal_position > 0 ORDER BY specific_name, ordinal_position"):
        routines[(n, k)].append(ty)
    for (n, k), args in routines.items():
        out.append("routine %s\t%s(%s)" % (n.lower(), k, ",".join(args)))
    out += enum_rows(db, name, MY_ENUM_TABLES)
    if q("SHOW TABLES LIKE 'schema_version'"):
        out += ["version\t%s.%s" % r for r in q("SELECT version, minor FROM schema_version")]
    return sorted(out)


def pgsql_catalog(db, name):
    q = lambda s: db.sql(name, s)
    ns = "n.nspname = 'public'"
    out = []
    for t, ty in q("SELECT table_name, table_type FROM information_schema.tables WHERE "
                   "table_schema = 'public'"):
        out.append("table %s\t%s" % (t, ty))
    for t, c, ty, nn, dflt in q(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END, "
            "COALESCE(pg_get_expr(d.adbin, d.adrelid), '<none>') FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE " + ns + " AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"):
        out.append("column %s.%s\t%s null=%s default=%s" % (t, c, ty, nn, dflt))
    for t, n, ty, d in q("SELECT c.relname, o.conname, o.contype, pg_get_constraintdef(o.oid) "
                         "FROM pg_constraint o JOIN pg_class c ON c.oid = o.conrelid "
                         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + ns):
        out.append("constraint %s.%s\t%s %s" % (t, n, ty, d))
    for t, n, d in q("SELECT tablename, indexname, indexdef FROM pg_indexes "
                     "WHERE schemaname = 'public'"):
        out.append("index %s.%s\t%s" % (t, n, re.sub(r"^CREATE (UNIQUE )?INDEX \S+ ON \S+ ",
                                                      r"\1", d)))
    for n, args, k, res in q("SELECT p.proname, oidvectortypes(p.proargtypes), p.prokind, "
                             "pg_get_function_result(p.oid) FROM pg_proc p "
                             "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + ns):
        out.append("routine %s(%s)\tkind=%s returns %s" % (n, args, k, res))
    for n, ty in q("SELECT sequence_name, data_type FROM information_schema.sequences "
                   "WHERE sequence_schema = 'public'"):
        out.append("sequence %s\t%s" % (n, ty))
    for t, n, d in q("SELECT c.relname, g.tgname, pg_get_triggerdef(g.oid) FROM pg_trigger g "
                     "JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON "
                     "n.oid = c.relnamespace WHERE " + ns + " AND NOT g.tgisinternal"):
        m = re.match(r"CREATE TRIGGER \S+ (.*) ON \S+ FOR EACH (ROW|STATEMENT) EXECUTE "
                     r"FUNCTION (.*)$", d)
        out.append("trigger %s.%s\t%s %s execute function %s" % (t, n, m[1], m[2], m[3]))
    if q("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'schema_version'"):
        out += ["version\t%s.%s" % r for r in q("SELECT version, minor FROM schema_version")]
    return sorted(out)


def reference(backend, version):
    path = os.path.join(REF, REFS[backend][version])
    if not os.path.exists(path):
        missing("schema reference %s is absent (LESSOR_SCHEMA_REF)" % path)
    with open(path) as f:
        return f.read().splitlines()


def assert_same(got, want, what):
    diff = list(difflib.unified_diff(want, got, "reference", "database", lineterm="", n=0))
    assert not diff, "%s differs from the reference (%d lines):\n%s" % (
        what, len(diff), "\n".join(diff[:60]))


# ---------------------------------------------------------------------------------------------
# one server per engine, fresh databases per test


class Engine:
    def __init__(self, backend, server, tmpdir):
        self.backend, self.db, self.tmpdir = backend, server, str(tmpdir)
        self.home = os.path.join(self.tmpdir, "empty-home")  # no ~/.my.cnf: -P must do it
        os.makedirs(self.home, exist_ok=True)

    def new_db(self):
        name = "t%d" % next(_names)
        self.db.create_database(name, user=name, password=name)
        return name

    def args(self, name, password=None, port=None, host="127.0.0.1"):
        return ["-u", name, "-p", password or name, "-n", name, "-h", host,
                "-P", str(port or self.db.port)]

    def lessor_admin(self, cmd, name, *extra, password=None, port=None, host="127.0.0.1"):
        env = dict(os.environ, HOME=self.home)
        env.pop("PGPASSWORD", None)
        env.pop("PGPORT", None)
        return subprocess.run([ADMIN, cmd, self.backend] + self.args(name, password, port, host)
                              + list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=env)

    def kea_admin(self, cmd, name, *extra, password=None, port=None):
        env = self.db.kea_admin_env()
        if self.backend == "pgsql":
            env["PGPORT"] = str(port or self.db.port)  # its lease-dump ignores -P
        return subprocess.run([KEA_ADMIN, cmd, self.backend] + self.args(name, password, port)
                              + list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=env)

    def catalog(self, name):
        if self.backend == "mysql":
            return mysql_catalog(self.db, name)
        return pgsql_catalog(self.db, name)

    def sql(self, name, stmt):
        return self.db.sql(name, stmt)

    def kea22_db(self):
        name = self.new_db()
        r = self.kea_admin("db-init", name)
        assert r.returncode == 0, r.stdout + r.stderr
        return name

    def kea22_shared(self):
        """One kea-admin 2.2 database per server for the tests that only read it (kea-admin's
        db-init is the slowest step here)."""
        if getattr(self, "_kea22", None) is None:
            self._kea22 = self.kea22_db()
        return self._kea22

    def lessor_db(self):
        name = self.new_db()
        r = self.lessor_admin("db-init", name)
        assert r.returncode == 0, r.stdout + r.stderr
        return name


@contextlib.contextmanager
def _server(kind):
    """A server of KIND in a fresh directory under /tmp that the mysql/postgres users can
    reach (pytest's tmp_path is private to root), removed afterwards."""
    for tool in (ADMIN, KEA_ADMIN):
        if not os.path.exists(tool):
            missing(tool + " is not built/installed")
    top = tempfile.mkdtemp(prefix="lessor-admin-test-")
    os.chmod(top, 0o755)
    cls = dbserver.MariaDB if kind == "mysql" else dbserver.PostgreSQL
    try:
        try:
            srv = cls(top)
            srv.__enter__()
        except FileNotFoundError as e:
            missing(str(e))
        try:
            yield Engine(kind, srv, top)
        finally:
            srv.__exit__(None, None, None)
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def mysql_engine():
    with _server("mysql") as e:
        yield e


@pytest.fixture(scope="module")
def pgsql_engine():
    with _server("pgsql") as e:
        yield e


@pytest.fixture(params=["mysql", "pgsql"])
def eng(request):
    return request.getfixturevalue(request.param + "_engine")


def insert_leases(e, name, rows):
    """rows: (address int, hwaddr hex, subnet, state, user_context or None[, pool_id])."""
    for r in rows:
        addr, hw, subnet, state, ctx = r[:5]
        cols = "address, hwaddr, client_id, valid_lifetime, expire, subnet_id, fqdn_fwd, " \
               "fqdn_rev, hostname, state, user_context"
        vals_ctx = "NULL" if ctx is None else "'%s'" % ctx
        if e.backend == "mysql":
            vals = "%d, UNHEX('%s'), UNHEX('01%s'), 3600, '2030-01-01 00:00:00', %d, 1, 0, " \
                   "'h-%d', %d, %s" % (addr, hw, hw, subnet, addr, state, vals_ctx)
        else:
            vals = "%d, '\\x%s', '\\x01%s', 3600, '2030-01-01 00:00:00+00', %d, true, false, " \
                   "'h-%d', %d, %s" % (addr, hw, hw, subnet, addr, state, vals_ctx)
        if len(r) > 5:
            cols += ", pool_id"
            vals += ", %d" % r[5]
        e.sql(name, "INSERT INTO lease4 (%s) VALUES (%s)" % (cols, vals))


def stat(e, name, table="lease4_stat"):
    key = "subnet_id, pool_id, state" if table == "lease4_pool_stat" else "subnet_id, state"
    return sorted(tuple(int(x) for x in r) for r in
                  e.sql(name, "SELECT %s, leases FROM %s" % (key, table)))


# ---------------------------------------------------------------------------------------------
# the reader, and the schemas


def test_reader_reproduces_kea22_reference(eng):
    """The reader is right: a database kea-admin 2.2 created reads back as Kea 2.2's file."""
    name = eng.kea22_shared()
    assert_same(eng.catalog(name), reference(eng.backend, "2.2"), "kea-admin 2.2's schema")


def test_db_init_is_kea24_schema(eng):
    """(a) db-init on an empty database: Kea 2.4's whole schema, as the catalogue says."""
    name = eng.new_db()
    r = eng.lessor_admin("db-init", name)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == \
        "Database version reported after initialization: " + CURRENT[eng.backend]
    assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "lessor-admin db-init")
    if eng.backend == "pgsql":
        # The PostgreSQL reference lists no rows: the enumerations must equal Kea 2.2's (Kea
        # 2.4 added none).
        assert sorted(enum_rows(eng.db, name, PG_ENUM_TABLES)) == \
            sorted(enum_rows(eng.db, eng.kea22_shared(), PG_ENUM_TABLES))


def test_catalogue_comparison_detects_drift(eng):
    """The comparison can fail: one dropped index, one dropped trigger are reported."""
    name = eng.lessor_db()
    if eng.backend == "mysql":
        eng.sql(name, "DROP INDEX lease4_by_hostname ON lease4; DROP TRIGGER lease4_AUPD")
    else:
        eng.sql(name, "DROP INDEX lease4_by_hostname; DROP TRIGGER lease4_aupd ON lease4")
    with pytest.raises(AssertionError) as err:
        assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "damaged schema")
    assert "lease4_by_hostname" in str(err.value) and "lease4_a" in str(err.value).lower()


def _snapshot(e, name):
    """The rows a db-upgrade must keep, in a form both schema versions print alike."""
    if e.backend == "mysql":
        leases = e.sql(name, "SELECT INET_NTOA(address), HEX(hwaddr), HEX(client_id), "
                       "valid_lifetime, UNIX_TIMESTAMP(expire), subnet_id, fqdn_fwd, hostname, "
                       "state, IFNULL(user_context, '') FROM lease4 ORDER BY address")
        # 14.0 keeps IPv6 addresses as text, 19.0 as 16 bytes.
        text = e.sql(name, "SELECT data_type FROM information_schema.columns WHERE "
                     "table_schema = DATABASE() AND table_name = 'lease6' AND "
                     "column_name = 'address'")[0][0] == "varchar"
        a6 = "address" if text else "INET6_NTOA(address)"
        l6 = e.sql(name, "SELECT %s, HEX(duid), iaid, lease_type FROM lease6" % a6)
        res6 = e.sql(name, "SELECT %s, prefix_len, host_id FROM ipv6_reservations" % a6)
        hosts = e.sql(name, "SELECT host_id, HEX(dhcp_identifier), dhcp_identifier_type, "
                      "dhcp4_subnet_id, INET_NTOA(ipv4_address), hostname, "
                      "dhcp4_client_classes FROM hosts ORDER BY host_id")
        opts = e.sql(name, "SELECT code, HEX(value), formatted_value, space, persistent, "
                     "host_id, scope_id FROM dhcp4_options ORDER BY option_id")
    else:
        leases = e.sql(name, "SELECT address, encode(hwaddr, 'hex'), encode(client_id, 'hex'), "
                       "valid_lifetime, extract(epoch FROM expire)::bigint, subnet_id, "
                       "fqdn_fwd, hostname, state, COALESCE(user_context, '') FROM lease4 "
                       "ORDER BY address")
        l6 = e.sql(name, "SELECT host(address::inet), encode(duid, 'hex'), iaid, lease_type "
                   "FROM lease6")
        res6 = e.sql(name, "SELECT host(address::inet), prefix_len, host_id FROM "
                     "ipv6_reservations")
        hosts = e.sql(name, "SELECT host_id, encode(dhcp_identifier, 'hex'), "
                      "dhcp_identifier_type, dhcp4_subnet_id, ipv4_address, hostname, "
                      "dhcp4_client_classes FROM hosts ORDER BY host_id")
        opts = e.sql(name, "SELECT code, encode(value, 'hex'), formatted_value, space, "
                     "persistent, host_id, scope_id FROM dhcp4_options ORDER BY option_id")
    return {"lease4": leases, "lease6": l6, "ipv6_reservations": res6, "hosts": hosts,
            "dhcp4_options": opts, "lease4_stat": stat(e, name)}


def _fill_kea22(e, name):
    insert_leases(e, name, [(0x0a000005, "aabbccddeeff", 1, 0, None),
                            (0x0a000006, "aabbccddee06", 1, 1, '{"ISC": {"x": 1}}'),
                            (0x0a000007, "aabbccddee07", 2, 2, None),
                            (0x0a010008, "aabbccddee08", 2, 0, None)])
    if e.backend == "mysql":
        e.sql(name, "INSERT INTO lease6 (address, duid, valid_lifetime, expire, subnet_id, "
              "pref_lifetime, lease_type, iaid, prefix_len, state) VALUES ('2001:db8::5', "
              "UNHEX('000102'), 3600, '2030-01-01 00:00:00', 1, 1800, 0, 7, 128, 0)")
        e.sql(name, "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, "
              "ipv4_address, hostname, dhcp4_client_classes) VALUES (UNHEX('aabbccddeeff'), 0, "
              "1, INET_ATON('10.0.0.9'), 'res1', 'gold,silver'), (UNHEX('0102'), 2, 0, NULL, "
              "'res2', NULL)")
        e.sql(name, "INSERT INTO ipv6_reservations (address, prefix_len, type, host_id) VALUES "
              "('2001:db8::9', 128, 0, 1)")
        e.sql(name, "INSERT INTO dhcp4_options (code, value, formatted_value, space, persistent, "
              "host_id, scope_id) VALUES (6, NULL, '10.0.0.53', 'dhcp4', 0, 1, 3), "
              "(15, UNHEX('6578'), NULL, 'dhcp4', 1, 2, 3)")
    else:
        e.sql(name, "INSERT INTO lease6 (address, duid, valid_lifetime, expire, subnet_id, "
              "pref_lifetime, lease_type, iaid, prefix_len, state) VALUES ('2001:db8::5', "
              "'\\x000102', 3600, '2030-01-01 00:00:00+00', 1, 1800, 0, 7, 128, 0)")
        e.sql(name, "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, "
              "ipv4_address, hostname, dhcp4_client_classes) VALUES ('\\xaabbccddeeff', 0, 1, "
              "167772169, 'res1', 'gold,silver'), ('\\x0102', 2, 0, NULL, 'res2', NULL)")
        e.sql(name, "INSERT INTO ipv6_reservations (address, prefix_len, type, host_id) VALUES "
              "('2001:db8::9', 128, 0, 1)")
        e.sql(name, "INSERT INTO dhcp4_options (code, value, formatted_value, space, persistent, "
              "host_id, scope_id) VALUES (6, NULL, '10.0.0.53', 'dhcp4', false, 1, 3), "
              "(15, '\\x6578', NULL, 'dhcp4', true, 2, 3)")


def test_db_upgrade_from_kea22_keeps_rows(eng):
    """(b) kea-admin 2.2 db-init, rows, lessor-admin db-upgrade: Kea 2.4's schema, rows kept,
    the new pool statistics derived; a second db-upgrade is a no-op."""
    name = eng.kea22_db()
    _fill_kea22(eng, name)
    before = _snapshot(eng, name)
    assert before["lease4_stat"] == [(1, 0, 1), (1, 1, 1), (2, 0, 1)]
    r = eng.lessor_admin("db-upgrade", name)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Database version reported before upgrade: " + OLD[eng.backend] in r.stdout
    assert r.stdout.splitlines()[-1] == \
        "Database version reported after upgrade: " + CURRENT[eng.backend]
    assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "upgraded schema")
    assert _snapshot(eng, name) == before
    assert stat(eng, name, "lease4_pool_stat") == [(1, 0, 0, 1), (1, 0, 1, 1), (2, 0, 0, 1)]
    again = eng.lessor_admin("db-upgrade", name)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Upgrading" not in again.stdout
    assert _snapshot(eng, name) == before
    assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "schema after a second upgrade")


def test_kea_admin_reads_lessor_database(eng):
    """(c) Kea 2.2's kea-admin db-version reads a database that lessor-admin created, and
    lessor-admin reads one that kea-admin created."""
    r = eng.kea_admin("db-version", eng.lessor_db())
    assert r.returncode == 0, r.stdout + r.stderr
    assert [l for l in r.stdout.splitlines() if l.strip()][-1] == CURRENT[eng.backend]
    r = eng.lessor_admin("db-version", eng.kea22_shared())
    assert r.returncode == 0, r.stderr
    assert r.stdout == OLD[eng.backend] + "\n"


# ---------------------------------------------------------------------------------------------
# what the lease paths rely on


def test_lease4_stat_triggers_count(eng):
    """(d) kea-storage.md: only states 0 and 1 count; insert +1, delete -1 (clamped at 0),
    an update moves a count when the subnet, pool or state changes; pool and client-class
    counters alike."""
    name = eng.lessor_db()
    ctx = '{"ISC": {"client-classes": ["gold", "silver"]}}'
    insert_leases(eng, name, [(0x0a000001, "000000000001", 1, 0, ctx, 3),
                              (0x0a000002, "000000000002", 1, 0, None, 3),
                              (0x0a000003, "000000000003", 1, 1, None, 4),
                              (0x0a000004, "000000000004", 1, 2, None, 4),
                              (0x0a000005, "000000000005", 2, 0, ctx, 0)])
    assert stat(eng, name) == [(1, 0, 2), (1, 1, 1), (2, 0, 1)]
    assert stat(eng, name, "lease4_pool_stat") == [(1, 3, 0, 2), (1, 4, 1, 1), (2, 0, 0, 1)]
    classes = lambda: sorted((c, int(n)) for c, n in eng.sql(
        name, "SELECT client_class, leases FROM lease4_stat_by_client_class"))
    assert classes() == [("gold", 2), ("silver", 2)]
    # Renewal (same subnet and state): nothing moves.
    eng.sql(name, "UPDATE lease4 SET valid_lifetime = 7200 WHERE address = %d" % 0x0a000002)
    assert stat(eng, name) == [(1, 0, 2), (1, 1, 1), (2, 0, 1)]
    # Declined; reclaimed; back to default; moved to another subnet.
    eng.sql(name, "UPDATE lease4 SET state = 1 WHERE address = %d" % 0x0a000001)
    assert stat(eng, name) == [(1, 0, 1), (1, 1, 2), (2, 0, 1)]
    assert classes() == [("gold", 1), ("silver", 1)]
    eng.sql(name, "UPDATE lease4 SET state = 2 WHERE address = %d" % 0x0a000003)
    eng.sql(name, "UPDATE lease4 SET state = 0 WHERE address = %d" % 0x0a000004)
    assert stat(eng, name) == [(1, 0, 2), (1, 1, 1), (2, 0, 1)]
    eng.sql(name, "UPDATE lease4 SET subnet_id = 2, pool_id = 0 WHERE address = %d" % 0x0a000002)
    assert stat(eng, name) == [(1, 0, 1), (1, 1, 1), (2, 0, 2)]
    assert stat(eng, name, "lease4_pool_stat") == [(1, 3, 0, 0), (1, 3, 1, 1), (1, 4, 0, 1),
                                                   (1, 4, 1, 0), (2, 0, 0, 2)]
    # Deletes, and a counter that is already 0 stays 0.
    eng.sql(name, "DELETE FROM lease4 WHERE address = %d" % 0x0a000005)
    eng.sql(name, "DELETE FROM lease4 WHERE address = %d" % 0x0a000003)  # state 2: not counted
    assert stat(eng, name) == [(1, 0, 1), (1, 1, 1), (2, 0, 1)]
    assert classes() == [("gold", 0), ("silver", 0)]
    eng.sql(name, "UPDATE lease4_stat SET leases = 0 WHERE subnet_id = 1 AND state = 1")
    eng.sql(name, "DELETE FROM lease4 WHERE address = %d" % 0x0a000001)
    assert stat(eng, name) == [(1, 0, 1), (1, 1, 0), (2, 0, 1)]
    eng.sql(name, "DELETE FROM lease4")
    assert stat(eng, name) == [(1, 0, 0), (1, 1, 0), (2, 0, 0)]


DUMP_ROWS = [(0x0a000005, "aabbccddeeff", 1, 0, '{"ISC": {"a": 1, "b": 2}}'),
             (0x0a000006, "aabbccddee06", 1, 1, None),
             (0x0a000007, "aabbccddee07", 2, 2, "")]


def test_lease_dump_matches_kea_admin(eng, tmp_path):
    """(e) lease-dump -4 on a Kea 2.2 database writes byte for byte what kea-admin writes; on
    a 2.4 database the same rows with 2.4's pool_id column; an existing file is not
    overwritten without -y."""
    name = eng.kea22_db()
    insert_leases(eng, name, DUMP_ROWS)
    eng.sql(name, "UPDATE lease4 SET hostname = 'with,comma' WHERE address = %d" % 0x0a000006)
    kea_out, ours = tmp_path / "kea.csv", tmp_path / "lessor.csv"
    r = eng.kea_admin("lease-dump", name, "-4", "-o", str(kea_out))
    assert r.returncode == 0 and kea_out.exists(), r.stdout + r.stderr
    r = eng.lessor_admin("lease-dump", name, "-4", "-o", str(ours))
    assert r.returncode == 0, r.stdout + r.stderr
    assert ours.read_text() == kea_out.read_text()
    lines = kea_out.read_text().splitlines()
    assert len(lines) == 1 + len(DUMP_ROWS) and "&#x2c" in lines[2]

    r = eng.lessor_admin("lease-dump", name, "-4", "-o", str(ours))
    assert r.returncode == 1 and "exists" in r.stderr
    r = eng.lessor_admin("lease-dump", name, "-4", "-o", str(ours), "-y")
    assert r.returncode == 0, r.stderr

    new = eng.lessor_db()
    insert_leases(eng, new, DUMP_ROWS)
    eng.sql(new, "UPDATE lease4 SET hostname = 'with,comma' WHERE address = %d" % 0x0a000006)
    out24 = tmp_path / "lessor24.csv"
    r = eng.lessor_admin("lease-dump", new, "-4", "-o", str(out24))
    assert r.returncode == 0, r.stdout + r.stderr
    assert out24.read_text().splitlines() == [lines[0] + ",pool_id"] + \
        [l + ",0" for l in lines[1:]]
    r = eng.lessor_admin("lease-dump", new, "-o", str(tmp_path / "x.csv"))
    assert r.returncode == 1 and "-4 or -6" in r.stderr


# ---------------------------------------------------------------------------------------------
# failures, as a deployment script sees them


def _last(out):
    lines = [l for l in out.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def test_errors_and_exit_codes_match_kea_admin(eng):
    """(f) no schema, already initialised, wrong password, unreachable server: the exit code
    kea-admin 2.2 gives, and db-version's stdout ends as kea-admin's does."""
    empty, done = eng.new_db(), eng.kea22_shared()
    dead = dbserver.free_port()
    cases = [("db-version", empty, {}), ("db-upgrade", empty, {}), ("db-init", done, {}),
             ("db-version", done, {"password": "wrong"}), ("db-version", done, {"port": dead})]
    for cmd, name, kw in cases:
        kea = eng.kea_admin(cmd, name, **kw)
        ours = eng.lessor_admin(cmd, name, **kw)
        what = "%s %s %s" % (cmd, eng.backend, kw)
        assert ours.returncode == kea.returncode != 0, "%s: kea-admin %d, lessor-admin %d: %s" % (
            what, kea.returncode, ours.returncode, ours.stderr)
        assert ours.stderr.startswith("ERROR/lessor-admin: "), what
        if cmd == "db-version":
            assert _last(ours.stdout) == _last(kea.stdout) and \
                _last(ours.stdout).startswith("Failed to get schema version"), what
    # Nothing was created in the empty database by the failed upgrade, nor changed in the other.
    assert eng.catalog(empty) == []
    assert_same(eng.catalog(done), reference(eng.backend, "2.2"), "kea-admin's database")


def test_refuses_newer_schema_and_other_versions(eng):
    name = eng.lessor_db()
    eng.sql(name, "UPDATE schema_version SET version = 99, minor = 1")
    r = eng.lessor_admin("db-upgrade", name)
    assert r.returncode == 1
    assert "99.1" in r.stderr and CURRENT[eng.backend] in r.stderr and "newer" in r.stderr
    eng.sql(name, "UPDATE schema_version SET version = 12, minor = 0")
    r = eng.lessor_admin("db-upgrade", name)
    assert r.returncode == 1 and "12.0" in r.stderr and OLD[eng.backend] in r.stderr
    eng.sql(name, "UPDATE schema_version SET version = %s, minor = 0"
            % CURRENT[eng.backend].split(".")[0])
    assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "refused database")


def test_port_honoured_and_never_prompts(eng):
    """-P is used even with -h localhost (where the mysql client would take its default
    socket), and a bare -p means an empty password instead of a prompt."""
    name = eng.lessor_db()
    r = eng.lessor_admin("db-version", name, host="localhost")
    assert r.returncode == 0 and r.stdout == CURRENT[eng.backend] + "\n", r.stderr
    env = dict(os.environ, HOME=eng.home)
    env.pop("PGPASSWORD", None)
    r = subprocess.run([ADMIN, "db-version", eng.backend, "-u", name, "-n", name, "-h",
                        "127.0.0.1", "-P", str(eng.db.port), "-p"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30,
                       env=env)
    assert r.returncode != 0 and "empty password" in r.stderr
    r = subprocess.run([ADMIN, "db-version", eng.backend, "-u", name, "-n", name, "-h",
                        "127.0.0.1", "-P", str(eng.db.port)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30,
                       env=dict(env, KEA_ADMIN_DB_PASSWORD=name))
    assert r.returncode == 0 and r.stdout == CURRENT[eng.backend] + "\n", r.stderr


ENTRYPOINT = r"""
set -u
args="-u $DB_USER -p $DB_PASS -n $DB_NAME -h 127.0.0.1 -P $DB_PORT"
version=$(lessor-admin db-version $BACKEND $args | tail -n 1)
case "$version" in
"$CURRENT") echo "schema current: $version" ;;
[0-9]*.[0-9]*) lessor-admin db-upgrade $BACKEND $args || exit 1 ;;
*) lessor-admin db-init $BACKEND $args || exit 1 ;;
esac
echo "final: $(lessor-admin db-version $BACKEND $args)"
"""


def test_deployment_entrypoint_sequence(eng, tmp_path):
    """(g) The entry point's sequence, as sh runs it: empty -> db-init, Kea 2.2's -> db-upgrade,
    current -> untouched; run twice, the second run changes nothing."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(ADMIN, bindir / "lessor-admin")
    for name, expect in ((eng.new_db(), "Initializing"), (eng.kea22_db(), "Upgrading"),
                         (eng.lessor_db(), "schema current")):
        for run in range(2):
            env = dict(os.environ, PATH="%s:%s" % (bindir, os.environ["PATH"]), HOME=eng.home,
                       BACKEND=eng.backend, CURRENT=CURRENT[eng.backend], DB_USER=name,
                       DB_PASS=name, DB_NAME=name, DB_PORT=str(eng.db.port))
            r = subprocess.run(["sh", "-c", ENTRYPOINT], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=120, env=env)
            assert r.returncode == 0, r.stdout + r.stderr
            assert r.stdout.splitlines()[-1] == "final: " + CURRENT[eng.backend], r.stdout
            assert (expect if run == 0 else "schema current") in r.stdout, r.stdout
        assert_same(eng.catalog(name), reference(eng.backend, "2.4"), "after the entry point")

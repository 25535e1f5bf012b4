"""Leases in a real MariaDB and PostgreSQL (tests/system/dbserver.py), on the schema Kea 2.2's
own `kea-admin db-init` created (MySQL 14.0, PostgreSQL 13.0).

- perfdhcp with N clients -> exactly N rows in lease4, lease4_stat agrees, and the server's
  stat-lease4-get / lease4-get-all report them;
- a restart keeps every lease (the server remembers them from the database alone);
- Kea 2.2 and lessor on one database: a client that got its lease from Kea renews at lessor
  and keeps its address (and the other way round), and `lease4-get-all` on each sees the
  other's leases;
- a database with the wrong schema version is refused with both versions named.

The database server listens on a free loopback port of the root namespace; the DHCP server runs
in the test's namespace, so it reaches the database over its UNIX socket (MariaDB: host
"localhost" + MYSQL_UNIX_PORT; PostgreSQL: host = the socket directory).
With LESSOR_TEST_SERVER=kea both servers are Kea, which checks the test itself.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

import dbserver
from conftest import PERF_BASE_MAC, SERVER_KIND, base_config, mac_seq, missing, need_tools, perfdhcp

N = 100
NEW_MAC = "00:0c:0e:00:00:00"
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"


@pytest.fixture(scope="module", params=["mysql", "postgresql"])
def dbsrv(request):
    """One database server per backend for the module (starting one costs seconds)."""
    cls = dbserver.MariaDB if request.param == "mysql" else dbserver.PostgreSQL
    # pytest's tmp_path is 0700 root: the database's own user could not enter it
    d = tempfile.mkdtemp(prefix="lessor-db-")
    os.chmod(d, 0o755)
    try:
        srv = cls(d)
        try:
            srv.__enter__()
        except FileNotFoundError as e:
            missing(str(e))
        try:
            srv.create_database("kea", user="kea", password="keapass")
            kea_admin_init(srv)
            srv.version = srv.sql("kea", "SELECT version, minor FROM schema_version")[0]
            yield srv
        finally:
            srv.stop()
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def db(dbsrv):
    """The module's database, emptied of leases, at the version kea-admin created."""
    dbsrv.sql("kea", "DELETE FROM lease4")
    dbsrv.sql("kea", "UPDATE schema_version SET version = %s, minor = %s" % dbsrv.version)
    return dbsrv


def kea_admin_init(dbs, name="kea"):
    (ka,) = need_tools("kea-admin")
    r = subprocess.run([ka, "db-init", dbs.admin_type, "-u", "kea", "-p", "keapass", "-n", name,
                        "-h", "127.0.0.1", "-P", str(dbs.port)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=120, env=dbs.kea_admin_env())
    assert r.returncode == 0, r.stdout


def lease_db(dbs, name="kea"):
    """lease-database map reaching DBS from inside the server's namespace."""
    host = "localhost" if dbs.lease_type == "mysql" else dbs.socket_dir
    return {"type": dbs.lease_type, "name": name, "host": host, "port": dbs.port,
            "user": "kea", "password": "keapass"}


def sql_config(srv, dbs, **extra):
    cfg = base_config(srv.dir, **extra)
    d4 = cfg["Dhcp4"]
    d4["lease-database"] = lease_db(dbs)
    d4["control-socket"] = {"socket-type": "unix", "socket-name": os.path.join(srv.dir, "ctl.sock")}
    # both servers answer lease and stat commands only with Kea's hook libraries loaded
    d4["hooks-libraries"] = [{"library": os.path.join(HOOKS, "libdhcp_lease_cmds.so")},
                             {"library": os.path.join(HOOKS, "libdhcp_stat_cmds.so")}]
    return cfg


def attach_db(srv, dbs):
    """Make SRV reach DBS's socket and read its leases from the database."""
    if dbs.lease_type == "mysql":
        base_env = srv.env
        srv.env = lambda: dict(base_env(), MYSQL_UNIX_PORT=dbs.socket)
    srv.leases = lambda: db_leases(dbs)
    return srv


def db_rows(dbs):
    """Every lease4 row as (address, hwaddr, state, expire epoch)."""
    if dbs.lease_type == "mysql":
        q = ("SELECT INET_NTOA(address), LOWER(HEX(hwaddr)), state, UNIX_TIMESTAMP(expire) "
             "FROM lease4 ORDER BY address")
    else:
        q = ("SELECT ((address >> 24) & 255) || '.' || ((address >> 16) & 255) || '.' || "
             "((address >> 8) & 255) || '.' || (address & 255), encode(hwaddr, 'hex'), state, "
             "EXTRACT(EPOCH FROM expire)::bigint FROM lease4 ORDER BY address")
    return [(a, ":".join(h[i:i + 2] for i in range(0, len(h), 2)), int(s), int(e))
            for a, h, s, e in dbs.sql("kea", q)]


def db_leases(dbs):
    """{address: {"hwaddr": ...}} of active leases, like conftest.active_leases()."""
    now = time.time()
    return {a: {"hwaddr": h} for a, h, s, e in db_rows(dbs) if s == 0 and e >= now}


def by_hw(dbs):
    out = {}
    for a, r in db_leases(dbs).items():
        assert r["hwaddr"] not in out, "hwaddr %s holds two leases" % r["hwaddr"]
        out[r["hwaddr"]] = a
    return out


def serve(srv, dbs, n, base_mac):
    r = perfdhcp(srv.net, n=n, rate=200, base_mac=base_mac)
    assert r.all_acked(n), "%s ACKed %d of %d (%d DISCOVERs)\n%r" % (
        srv.kind, r.acks, n, r.discovers, r)
    want = set(mac_seq(base_mac, n))
    got = {hw: a for hw, a in by_hw(dbs).items() if hw in want}
    assert len(got) == n, "%d of %d clients in lease4" % (len(got), n)
    return got


def command(srv, cmd, **args):
    body = {"command": cmd}
    if args:
        body["arguments"] = args
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(os.path.join(srv.dir, "ctl.sock"))
    s.sendall(json.dumps(body).encode())
    out = b""
    while True:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        out += d
        try:
            ans = json.loads(out.decode())
            break
        except ValueError:
            continue
    s.close()
    return json.loads(out.decode())


def all_leases_via(srv):
    ans = command(srv, "lease4-get-all")
    assert ans["result"] in (0, 3), ans
    return {l["ip-address"]: l["hw-address"] for l in ans.get("arguments", {}).get("leases", [])}


def test_n_clients_n_rows_and_restart(make_server, db):
    srv = attach_db(make_server(), db)
    srv.start(sql_config(srv, db))
    old = serve(srv, db, N, PERF_BASE_MAC)
    rows = db_rows(db)
    assert len(rows) == N, "%d rows in lease4 for %d clients" % (len(rows), N)
    stat = db.sql("kea", "SELECT subnet_id, leases FROM lease4_stat WHERE state = 0")
    assert [(int(a), int(b)) for a, b in stat] == [(1, N)], stat
    ans = command(srv, "stat-lease4-get", **{"subnet-id": 1})
    assert ans["result"] == 0, ans
    cols = ans["arguments"]["result-set"]["columns"]
    row = dict(zip(cols, ans["arguments"]["result-set"]["rows"][0]))
    assert row["assigned-addresses"] == N, ans
    assert set(all_leases_via(srv)) == set(old.values())

    srv.stop_clean()
    srv.start()
    fresh = serve(srv, db, 20, NEW_MAC)
    assert not set(fresh.values()) & set(old.values()), "new clients got leased addresses"
    back = serve(srv, db, N, PERF_BASE_MAC)
    assert {k: back[k] for k in old} == old, "clients moved after the restart"
    assert len(db_rows(db)) == N + 20
    srv.stop_clean()
    log = srv.log()
    assert "ERROR" not in log, log
    assert "keapass" not in log, "the database password is in the log"
    if srv.kind == "lessor":
        assert "password=*****" in log, log


def test_kea_and_lessor_share_the_database(make_server, db):
    need_tools("kea-dhcp4")
    kea = attach_db(make_server("kea", name="kea"), db)
    kea.start(sql_config(kea, db))
    from_kea = serve(kea, db, N, PERF_BASE_MAC)
    kea.stop_clean()

    lessor = attach_db(make_server(name="lessor"), db)
    lessor.start(sql_config(lessor, db))
    assert set(all_leases_via(lessor)) == set(from_kea.values()), "lessor does not see Kea's leases"
    again = serve(lessor, db, N, PERF_BASE_MAC)
    assert again == from_kea, "clients of Kea moved when they renewed at %s" % lessor.kind
    from_lessor = serve(lessor, db, 30, NEW_MAC)
    assert not set(from_lessor.values()) & set(from_kea.values())
    lessor.stop_clean()

    kea.start()
    seen = all_leases_via(kea)
    assert set(seen) == set(from_kea.values()) | set(from_lessor.values()), \
        "Kea does not see lessor's leases"
    back = serve(kea, db, 30, NEW_MAC)
    assert back == from_lessor, "clients of lessor moved when they renewed at Kea"
    kea.stop_clean()


def test_wrong_schema_version_refused(make_server, db):
    if SERVER_KIND == "kea":
        pytest.skip("lessor's message")
    db.sql("kea", "UPDATE schema_version SET version = 9, minor = 1")
    srv = attach_db(make_server(), db)
    srv.write_config(sql_config(srv, db))
    r = srv.net.run(srv.net.srv, [srv.bin, "-c", srv.cfg_path], env=srv.env(), timeout=30)
    out = (r.stdout or "") + (r.stderr or "")
    assert r.returncode != 0, out
    want = "14.0 or 19.0" if db.lease_type == "mysql" else "13.0 or 18.0"
    assert "schema version mismatch" in out and want in out and "9.1" in out, out
    assert "keapass" not in out, out


def test_bad_password_refused_without_echo(make_server, db):
    srv = attach_db(make_server(), db)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"]["password"] = "wrong-secret"
    srv.write_config(cfg)
    r = srv.net.run(srv.net.srv, [srv.bin, "-c", srv.cfg_path], env=srv.env(), timeout=60)
    assert r.returncode != 0, r.stdout
    assert "Unable to open database" in r.stdout, r.stdout
    assert "wrong-secret" not in r.stdout, r.stdout

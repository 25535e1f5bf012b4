"""TLS to the lease database (issue 11, item 8), on real MariaDB and PostgreSQL servers that
require it (tests/system/dbserver.py `tls=`), with a CA, server and client certificates the
test makes with openssl (tests/system/tlscerts.py):

- `trust-anchor` (+ user/password): the server serves, its rows are in lease4, and the
  database server itself reports the DHCP server's sessions as TLS (MariaDB
  performance_schema Ssl_cipher per thread; PostgreSQL pg_stat_ssl);
- client-certificate authentication (`cert-file`/`key-file`): a MariaDB user REQUIRE X509 and a
  PostgreSQL `hostssl ... cert` user are served, the session carries the client certificate;
  the same user without the certificate is refused;
- a trust anchor of another CA or of a missing file, and a server certificate for another host
  name, are refused before serving (certificate chain and host name verified), with the
  connector's reason;
- a plain connection to the TLS-only server is refused with the server's reason;
- hosts-database connections use the same TLS parameters (a reservation read over TLS is
  served; another CA refuses the start); a trust anchor that is a directory is a CA path on
  MySQL (Kea's ca_dir), refused by libpq;
- a database server offering no TLS to a client configured for it is refused (no downgrade);
- the password appears in no log line or error, and config-get returns the TLS paths as given;
- lessor-admin reaches the TLS-only PostgreSQL through libpq's environment (PGSSLMODE,
  PGSSLROOTCERT), a wrong CA failing it (kea-admin has no TLS options of its own).

The database server runs inside the test's `srv` namespace (TLS needs TCP; the UNIX socket the
other SQL tests use is plain) on that namespace's loopback, port 20400 + n (SLOT 4's range).

With LESSOR_TEST_SERVER=kea the same runs against Kea 2.2: on MySQL it connects with TLS and
refuses a wrong CA and a plain connection as lessor does, but does not check the host name
(Kea never sets MYSQL_OPT_SSL_VERIFY_SERVER_CERT); on PostgreSQL Kea 2.2 refuses every TLS
parameter ("Attempt to configure TLS for PostgreSQL backend (built with this feature
disabled)"). Both differences are in docs/differences.md.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile

import pytest

import dbserver
import tlscerts
from conftest import NetPair, Server, missing, need_root, need_tools, perfdhcp, server_binary
from difflib4 import ACK, Client, msgtype
from test_sql_lease import by_hw, command, sql_config, warm_stats

PASSWORD = "tls-secret-pw"
CERT_USER = "kea_cert"
PORTS = {"mysql": 20400, "postgresql": 20401}


@pytest.fixture(scope="module", params=["mysql", "postgresql"])
def tlsdb(request):
    """(NetPair, database server requiring TLS in its srv namespace, Pki) for the module."""
    need_root()
    need_tools("ip", "openssl", "kea-admin")
    kind = request.param
    d = tempfile.mkdtemp(prefix="lessor-tls-")
    os.chmod(d, 0o755)  # the database runs as its own user
    net = None
    try:
        pki = tlscerts.Pki(os.path.join(d, "pki"))
        pki.ca("ca")
        pki.ca("other-ca")
        pki.issue("server", "ca", cn="db", ips=["127.0.0.1"], dns=["localhost"])
        pki.issue("misnamed", "ca", cn="elsewhere.test", dns=["elsewhere.test"])
        pki.issue("client", "ca", cn=CERT_USER)
        net = NetPair()
        cls = dbserver.MariaDB if kind == "mysql" else dbserver.PostgreSQL
        srv = cls(d, port=PORTS[kind], netns=net.srv,
                  tls={"ca": pki.crt("ca"), "cert": pki.crt("server"), "key": pki.key("server")})
        try:
            srv.__enter__()
        except FileNotFoundError as e:
            missing(str(e))
        try:
            _init(srv)
            yield net, srv, pki
        finally:
            srv.stop()
    finally:
        if net is not None:
            net.close()
        shutil.rmtree(d, ignore_errors=True)


def _init(db):
    """Database kea (password user kea, certificate user kea_cert), Kea 2.2's schema made by
    kea-admin over the UNIX socket (plain there: the server requires TLS on TCP only)."""
    db.create_database("kea", user="kea", password=PASSWORD)
    if db.lease_type == "mysql":
        db.sql("kea", "CREATE USER '%s'@'%%' IDENTIFIED BY '%s' REQUIRE X509; "
                      "GRANT ALL ON kea.* TO '%s'@'%%'"
               % (CERT_USER, PASSWORD, CERT_USER))
        argv = ["-h", "localhost"]
        env = db.kea_admin_env()
        with open(os.path.join(env["HOME"], ".my.cnf"), "a") as f:
            f.write("socket=%s\n" % db.socket)
    else:
        db.sql("kea", 'CREATE USER "%s" SUPERUSER' % CERT_USER)
        db.allow_cert(CERT_USER)
        argv = ["-h", db.socket_dir, "-P", str(db.port)]
        env = db.kea_admin_env()
    r = subprocess.run(["kea-admin", "db-init", db.admin_type, "-u", "kea", "-p", PASSWORD,
                        "-n", "kea"] + argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stdout
    warm_stats(db, "kea")  # PostgreSQL: two batches creating one lease4_stat row race


def _lease_db(db, **tls):
    ld = {"type": db.lease_type, "name": "kea", "host": "127.0.0.1", "port": db.port,
          "user": "kea", "password": PASSWORD}
    ld.update(tls)
    return {k: v for k, v in ld.items() if v is not None}


def _server(net, tmp_path, db, **tls):
    srv = Server(net, tmp_path)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"] = _lease_db(db, **tls)
    srv.write_config(cfg)
    return srv


def _refused(srv, env=None):
    """Start the configured server; it must exit non-zero without serving. Its output."""
    e = srv.env()
    e.update(env or {})
    r = srv.net.run(srv.net.srv, [srv.bin, "-c", srv.cfg_path], env=e, timeout=90)
    assert r.returncode != 0, "%s started:\n%s" % (srv.kind, r.stdout[-3000:])
    assert "DHCP4_STARTED" not in r.stdout, r.stdout[-3000:]
    assert PASSWORD not in r.stdout, "the password is in the output:\n" + r.stdout
    for line in r.stdout.splitlines():
        if "nable to open" in line or "TLS" in line:
            print("refused:", line[-300:])
    return r.stdout


def _kea_pg_refuses_tls(srv):
    """Kea 2.2 has no TLS for PostgreSQL: any TLS parameter fails the start."""
    out = _refused(srv)
    assert "Attempt to configure TLS for PostgreSQL" in out, out[-3000:]


def _sessions(db, user):
    """[(tls in use, cipher, client certificate DN or '')] of USER's sessions, as the database
    server sees them."""
    if db.lease_type == "mysql":
        rows = db.sql("kea", "SELECT s.VARIABLE_VALUE FROM performance_schema.status_by_thread s "
                             "JOIN performance_schema.threads t USING (THREAD_ID) "
                             "WHERE s.VARIABLE_NAME = 'Ssl_cipher' "
                             "AND t.PROCESSLIST_USER = '%s'" % user)
        return [(r[0] != "", r[0], "") for r in rows]
    rows = db.sql("kea", "SELECT s.ssl, COALESCE(s.cipher, ''), COALESCE(s.client_dn, '') "
                         "FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                         "WHERE a.usename = '%s'" % user)
    return [(r[0] == "t", r[1], r[2]) for r in rows]


def _serve_and_check(srv, db, base_mac, user):
    srv.start()
    r = perfdhcp(srv.net, n=20, rate=50, base_mac=base_mac, wait_s=2)
    assert r.all_acked(20), r
    leased = by_hw(db)
    got = [m for m in leased if m.startswith(base_mac[:8])]
    assert len(got) >= 20, (len(got), leased)
    sessions = _sessions(db, user)
    assert sessions, "no session of %s on the database server" % user
    for tls, cipher, _ in sessions:
        assert tls and cipher, "a %s session is not TLS: %r" % (user, sessions)
    return sessions


def test_tls_serves(tlsdb, tmp_path):
    net, db, pki = tlsdb
    srv = _server(net, tmp_path, db, **{"trust-anchor": pki.crt("ca")})
    cfg = srv.config
    # the connection's cipher is logged at Kea's DHCPSRV_DBG_TRACE_DETAIL (50)
    cfg["Dhcp4"]["loggers"].append({"name": "kea-dhcp4.dhcpsrv", "severity": "DEBUG",
                                    "debuglevel": 50, "output_options": [{"output": "stdout"}]})
    srv.write_config(cfg)
    try:
        if srv.kind == "kea" and db.lease_type == "postgresql":
            return _kea_pg_refuses_tls(srv)
        _serve_and_check(srv, db, "00:0d:01:00:00:00", "kea")
        ans = command(srv, "config-get")
        got = ans["arguments"]["Dhcp4"]["lease-database"]
        assert got["trust-anchor"] == pki.crt("ca"), got
        # Kea 2.2's config-get returns the password as configured (checked with
        # LESSOR_TEST_SERVER=kea); lessor answers the same, so config-set takes it back
        assert (PASSWORD in json.dumps(ans)) == (got.get("password") == PASSWORD), got
        srv.stop_clean()
        log = srv.log()
        assert PASSWORD not in log, "the password is in the log"
        assert "ERROR" not in log, log[-3000:]
        assert "trust-anchor=%s" % pki.crt("ca") in log, log[-3000:]
        cipher_id = ("DHCPSRV_MYSQL_TLS_CIPHER" if db.lease_type == "mysql"
                     else "LESSOR_PGSQL_TLS_CIPHER")
        assert re.search(cipher_id + r" TLS cipher: \S+", log), log[-3000:]
    finally:
        srv.cleanup()


def test_client_certificate(tlsdb, tmp_path):
    net, db, pki = tlsdb
    tls = {"trust-anchor": pki.crt("ca"), "cert-file": pki.crt("client"),
           "key-file": pki.key("client")}
    srv = _server(net, tmp_path, db, **tls)
    cfg = srv.config
    cfg["Dhcp4"]["lease-database"]["user"] = CERT_USER
    if db.lease_type == "postgresql":
        del cfg["Dhcp4"]["lease-database"]["password"]  # pg_hba `cert`: the certificate alone
    srv.write_config(cfg)
    try:
        if srv.kind == "kea" and db.lease_type == "postgresql":
            return _kea_pg_refuses_tls(srv)
        sessions = _serve_and_check(srv, db, "00:0d:02:00:00:00", CERT_USER)
        if db.lease_type == "postgresql":
            assert all(dn == "/CN=" + CERT_USER for _, _, dn in sessions), sessions
        srv.stop_clean()
        # the same user without its certificate is refused by the database server
        del cfg["Dhcp4"]["lease-database"]["cert-file"]
        del cfg["Dhcp4"]["lease-database"]["key-file"]
        srv.write_config(cfg)
        out = _refused(srv)
        want = "Access denied" if db.lease_type == "mysql" else "certificate"
        assert want in out, out[-3000:]
    finally:
        srv.cleanup()


@pytest.mark.parametrize("anchor", ["other-ca", "missing"])
def test_wrong_ca_refused(tlsdb, tmp_path, anchor):
    """A trust anchor of another CA, or one that does not exist (never: TLS unchecked)."""
    net, db, pki = tlsdb
    path = pki.crt("other-ca") if anchor == "other-ca" else str(tmp_path / "no-such-ca.crt")
    srv = _server(net, tmp_path, db, **{"trust-anchor": path})
    if srv.kind == "kea" and db.lease_type == "postgresql":
        return _kea_pg_refuses_tls(srv)
    out = _refused(srv)
    assert "Unable to open database" in out or "unable to open database" in out, out[-3000:]
    low = out.lower()
    assert "certificate" in low or "verif" in low or "no such file" in low, out[-3000:]


def test_hosts_database_tls(tlsdb, tmp_path):
    """hosts-database connections are TLS with the same parameters: a reservation read over
    TLS is served, and a hosts-database trusting another CA refuses the start."""
    net, db, pki = tlsdb
    srv = _server(net, tmp_path, db, **{"trust-anchor": pki.crt("ca")})
    cfg = srv.config
    hdb = dict(cfg["Dhcp4"]["lease-database"])
    cfg["Dhcp4"]["hosts-database"] = hdb
    srv.write_config(cfg)
    if srv.kind == "kea" and db.lease_type == "postgresql":
        return _kea_pg_refuses_tls(srv)
    mac = "00:0d:05:00:00:01"
    if db.lease_type == "mysql":
        db.sql("kea", "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, "
                      "dhcp4_subnet_id, ipv4_address) VALUES (UNHEX('000d05000001'), 0, 1, "
                      "INET_ATON('10.0.77.7'))")
    else:
        db.sql("kea", "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, "
                      "dhcp4_subnet_id, ipv4_address) VALUES (DECODE('000d05000001', 'hex'), "
                      "0, 1, (10 << 24) + (77 << 8) + 7)")
    try:
        srv.start()
        c = Client(srv.net.cli, ["10.0.0.2"], direct=None)
        try:
            offer, ack = c.exchange(mac, "dora", relay="10.0.0.2")
        finally:
            c.close()
        assert ack is not None and msgtype(ack) == ACK, (offer, ack)
        assert ack["yiaddr"] == "10.0.77.7", ack
        assert by_hw(db).get(mac) == "10.0.77.7", by_hw(db)
        srv.stop_clean()
        hdb["trust-anchor"] = pki.crt("other-ca")
        srv.write_config(cfg)
        _refused(srv)
    finally:
        srv.cleanup()
        db.sql("kea", "DELETE FROM hosts")


def test_trust_anchor_directory(tlsdb, tmp_path):
    """MySQL: a trust anchor that is a directory is a CA path (Kea's ca_dir), of hashed
    names (openssl rehash). libpq has only a root certificate file: refused there."""
    net, db, pki = tlsdb
    d = tmp_path / "cadir"
    d.mkdir()
    shutil.copyfile(pki.crt("ca"), str(d / "ca.pem"))
    r = subprocess.run(["openssl", "rehash", str(d)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=30)
    assert r.returncode == 0, r.stdout
    srv = _server(net, tmp_path, db, **{"trust-anchor": str(d)})
    if srv.kind == "kea" and db.lease_type == "postgresql":
        return _kea_pg_refuses_tls(srv)
    if db.lease_type == "postgresql":
        _refused(srv)
        return
    try:
        _serve_and_check(srv, db, "00:0d:06:00:00:00", "kea")
        srv.stop_clean()
    finally:
        srv.cleanup()


def test_wrong_host_name_refused(tlsdb, tmp_path):
    """The server presents a certificate of the right CA for another name."""
    net, db, pki = tlsdb
    srv = _server(net, tmp_path, db, **{"trust-anchor": pki.crt("ca")})
    if srv.kind == "kea" and db.lease_type == "postgresql":
        return _kea_pg_refuses_tls(srv)
    db.reload_tls(pki.crt("misnamed"), pki.key("misnamed"))
    try:
        if srv.kind == "kea":
            # Kea 2.2 does not check the name (docs/differences.md): it serves
            srv.start()
            srv.stop_clean()
            return
        out = _refused(srv)
        assert "Unable to open database" in out, out[-3000:]
        low = out.lower()
        assert "127.0.0.1" in out or "host" in low or "name" in low, out[-3000:]
    finally:
        db.reload_tls(pki.crt("server"), pki.key("server"))


def test_plain_refused(tlsdb, tmp_path):
    """No TLS parameter: a plain connection, which the TLS-only server refuses. (libpq's
    default sslmode=prefer would quietly use TLS without checking anything; PGSSLMODE=disable
    makes the connection plain, as Kea's would be with it.)"""
    net, db, pki = tlsdb
    srv = _server(net, tmp_path, db)
    out = _refused(srv, env={"PGSSLMODE": "disable"})
    if db.lease_type == "mysql":
        # MariaDB says "Access denied" (as for a wrong password); lessor adds why
        assert "Access denied" in out, out[-3000:]
        if srv.kind == "lessor":
            assert "the connection was not TLS" in out, out[-3000:]
    else:
        assert "no encryption" in out, out[-3000:]


def test_server_without_tls_refused(tlsdb, tmp_path):
    """TLS configured, but the database server offers none (what a downgrading man in the
    middle looks like): refused, never carried on in the clear. Even without a trust anchor
    (TLS unchecked), the connection must be TLS; with one the connector itself refuses."""
    net, db, pki = tlsdb
    d = tempfile.mkdtemp(prefix="lessor-tls-plain-")
    os.chmod(d, 0o755)
    try:
        with type(db)(d, port=PORTS[db.lease_type] + 10, netns=net.srv) as plain:
            plain.create_database("kea", user="kea", password=PASSWORD)
            srv = _server(net, tmp_path, plain,
                          **{"cert-file": pki.crt("client"), "key-file": pki.key("client")})
            if srv.kind == "kea" and db.lease_type == "postgresql":
                return _kea_pg_refuses_tls(srv)
            out = _refused(srv)
            if srv.kind == "kea":
                # Kea logs DHCPSRV_MYSQL_NO_TLS, goes on in the clear and fails later
                # (no schema here): docs/differences.md
                return
            want = ("TLS was required but is not used" if db.lease_type == "mysql"
                    else "server does not support SSL")
            assert want in out, out[-3000:]
            cfg = srv.config
            cfg["Dhcp4"]["lease-database"]["trust-anchor"] = pki.crt("ca")
            srv.write_config(cfg)
            out = _refused(srv)
            assert "Unable to open database" in out, out[-3000:]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_reload_changes_tls(tlsdb, tmp_path):
    """A reload (SIGHUP) that changes only TLS parameters reconnects with them: another CA
    fails the reload and the old connections keep serving (Kea 2.2: nobody is served until
    the next good reload); the client certificate and its user then take over every
    session."""
    net, db, pki = tlsdb
    srv = _server(net, tmp_path, db, **{"trust-anchor": pki.crt("ca")})
    if srv.kind == "kea" and db.lease_type == "postgresql":
        return _kea_pg_refuses_tls(srv)
    cfg = srv.config
    ld = cfg["Dhcp4"]["lease-database"]
    try:
        _serve_and_check(srv, db, "00:0d:07:00:00:00", "kea")
        ld["trust-anchor"] = pki.crt("other-ca")
        srv.write_config(cfg)
        at = srv.log_offset()
        srv.signal(signal.SIGHUP)
        srv.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_FAIL", timeout=60, since=at)
        r = perfdhcp(srv.net, n=5, rate=20, base_mac="00:0d:08:00:00:00", wait_s=2)
        if srv.kind == "kea":
            # Kea 2.2 serves nobody after a failed reload (docs/differences.md, control
            # channel: "After a failed config-reload / config-set")
            assert r.acks == 0, r
        else:
            assert r.all_acked(5), r
        ld.update({"trust-anchor": pki.crt("ca"), "cert-file": pki.crt("client"),
                   "key-file": pki.key("client"), "user": CERT_USER})
        if db.lease_type == "postgresql":
            del ld["password"]
        srv.write_config(cfg)
        at = srv.log_offset()
        srv.signal(signal.SIGHUP)
        srv.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS", timeout=60, since=at)
        r = perfdhcp(srv.net, n=5, rate=20, base_mac="00:0d:09:00:00:00", wait_s=2)
        assert r.all_acked(5), r
        sessions = _sessions(db, CERT_USER)
        assert sessions and all(tls for tls, _, _ in sessions), sessions
        if srv.kind == "lessor":
            # the old store's connections are closed with it
            assert _sessions(db, "kea") == [], _sessions(db, "kea")
        srv.stop_clean()
        assert PASSWORD not in srv.log(), "the password is in the log"
    finally:
        srv.cleanup()


def test_admin_over_tls(tlsdb):
    """kea-admin has no TLS options (only -x for its mysql/psql client), nor has lessor-admin;
    on PostgreSQL libpq's environment (PGSSLMODE, PGSSLROOTCERT) takes lessor-admin over TLS to
    the TLS-only server, and a wrong CA there fails it. MySQL: not supported (man page)."""
    net, db, pki = tlsdb
    if db.lease_type != "postgresql":
        pytest.skip("lessor-admin has no TLS to MySQL (kea-admin neither; man/lessor-admin.8)")
    admin = os.environ.get("LESSOR_ADMIN_BIN") or os.path.join(
        os.path.dirname(server_binary("lessor")), "lessor-admin")
    if not os.access(admin, os.X_OK):
        missing("lessor-admin is not built: " + admin)
    argv = [admin, "db-version", "pgsql", "-u", "kea", "-p", PASSWORD, "-n", "kea",
            "-h", "127.0.0.1", "-P", str(db.port)]
    for ca, ok in ((pki.crt("ca"), True), (pki.crt("other-ca"), False)):
        env = dict(os.environ, PGSSLMODE="verify-full", PGSSLROOTCERT=ca)
        r = net.run(net.srv, argv, env=env, timeout=60)
        assert (r.returncode == 0) == ok, r.stdout
        assert PASSWORD not in r.stdout, r.stdout
        if ok:  # the server takes TCP only over TLS (hostssl: test_plain_refused)
            assert r.stdout.strip().splitlines()[-1] == "13.0", r.stdout
        else:
            assert "certificate verify failed" in r.stdout, r.stdout

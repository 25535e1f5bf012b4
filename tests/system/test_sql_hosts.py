"""Host reservations from `hosts-database` (MariaDB and PostgreSQL, dbserver.py) on the schema
Kea 2.2's own `kea-admin db-init` created, inserted with plain SQL the way Kea's host data
source writes them (hosts + dhcp4_options with scope_id 3).

- Kea 2.2 and then lessor serve the same clients with the same configuration and database:
  reservations by hw-address, client-id and circuit-id, in subnet 1 and global (subnet id 0),
  with hostname, client classes (whose option-data then applies), next-server, server-hostname,
  boot-file-name and host options given as formatted_value (csv) and as value (wire bytes). The
  DORA replies must be identical field by field and option by option, and carry what the rows
  say (checked on Kea's replies too, which proves the rows mean what the test says).
- Per packet (lessor's default, as Kea): a reservation inserted with plain SQL while the server
  runs is honoured by the client's very next DORA, and a deleted one is gone from the next DORA.
  With the opt-in cache (--hosts-poll 1) the same happens within the poll interval.
- reservations-in-subnet / -global / -out-of-pool and early-global-reservations-lookup on
  database reservations (per packet): Kea 2.2 and lessor give the same replies for each.
- The database stopped under the server: Kea's reconnect logic (exit 1 by default; with
  retries the reservation is served again once it is back), on both servers.
- A bad row (an address outside its subnet) is logged with its host_id and left out; the other
  reservations still work.
- The hosts database down at start: lessor refuses to start with Kea's "Unable to open
  database" words, password masked.
"""

import os
import time

import pytest

from conftest import SERVER_KIND, need_tools
from difflib4 import ACK, OFFER, Client, diff, msgtype, opt, option, project
from test_sql_lease import HOOKS, attach_db, dbsrv, lease_db  # noqa: F401 (dbsrv: fixture)

RELAY = "10.0.0.2"
PRL = (55, bytes([1, 3, 6, 12, 15, 42, 44, 66, 67]))
SUBNETS = [{"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.10.255"}]},
           {"id": 2, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}]}]

# (name, identifier type, identifier hex, subnet id, address, hostname, classes, next-server,
#  server-hostname, boot-file-name, [(code, formatted_value, value hex, persistent)])
HOSTS = [
    ("hw", 0, "02aa00000001", 1, "10.0.50.5", "db-host-one", "dbclass", "10.0.0.9",
     "boot.example", "pxe.0",
     [(6, "10.0.0.53, 10.0.0.54", None, False), (15, "db.example", None, False),
      (42, "", "0a00007b", False)]),
    ("cid", 3, "0102aa00000002", 1, "10.0.50.6", "db-host-two", None, None, None, None, []),
    ("glob", 0, "02aa00000003", 0, "10.0.50.7", "global-one", None, None, None, None,
     [(15, "global.example", None, True)]),
    ("circ", 2, "706f72742d37", 1, "10.0.50.8", None, None, None, None, None, []),
    # outside subnet 1: Kea 2.2 hands 192.0.2.77 out in subnet 1 (it does not check database
    # rows); lessor logs the row and leaves it out (docs/differences.md)
    ("bad", 0, "02aa000000ee", 1, "192.0.2.77", None, None, None, None, None, []),
]
MAC = {"hw": "02:aa:00:00:00:01", "cid": "02:aa:00:00:00:02", "glob": "02:aa:00:00:00:03",
       "circ": "02:aa:00:00:00:04", "bad": "02:aa:00:00:00:ee", "late": "02:aa:00:00:00:05"}
OPTS = {"cid": [opt(61, bytes.fromhex("0102aa00000002"))],
        "circ": [opt(82, b"\x01\x06port-7")]}


def ip2int(a):
    p = [int(x) for x in a.split(".")]
    return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]


def blob(dbs, hexstr):
    if hexstr is None:
        return "NULL"
    return "UNHEX('%s')" % hexstr if dbs.lease_type == "mysql" else "decode('%s', 'hex')" % hexstr


def q(v):
    return "NULL" if v is None else "'%s'" % v.replace("'", "''")


def insert_host(dbs, h):
    name, t, ident, sid, addr, hn, classes, ns, sname, bfile, opts = h
    dbs.sql("kea", "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, "
                   "ipv4_address, hostname, dhcp4_client_classes, dhcp4_next_server, "
                   "dhcp4_server_hostname, dhcp4_boot_file_name) VALUES (%s, %d, %d, %d, %s, %s, "
                   "%s, %s, %s)" % (blob(dbs, ident), t, sid, ip2int(addr), q(hn), q(classes),
                                    "NULL" if ns is None else ip2int(ns), q(sname), q(bfile)))
    hid = dbs.sql("kea", "SELECT host_id FROM hosts WHERE dhcp_identifier = %s AND "
                         "dhcp4_subnet_id = %d" % (blob(dbs, ident), sid))[0][0]
    for code, fv, val, pers in opts:
        dbs.sql("kea", "INSERT INTO dhcp4_options (code, value, formatted_value, space, "
                       "persistent, host_id, scope_id) VALUES (%d, %s, %s, 'dhcp4', %s, %s, 3)"
                % (code, blob(dbs, val), q(fv), "TRUE" if pers else "FALSE", hid))


@pytest.fixture
def hdb(dbsrv):  # noqa: F811
    dbsrv.sql("kea", "DELETE FROM dhcp4_options WHERE scope_id = 3")
    dbsrv.sql("kea", "DELETE FROM hosts")
    for h in HOSTS:
        insert_host(dbsrv, h)
    yield dbsrv
    dbsrv.sql("kea", "DELETE FROM dhcp4_options WHERE scope_id = 3")
    dbsrv.sql("kea", "DELETE FROM hosts")


def hosts_config(srv, dbs):
    from conftest import base_config
    cfg = base_config(srv.dir, subnets=SUBNETS, **{
        "reservations-global": True, "reservations-in-subnet": True,
        "hosts-database": lease_db(dbs),
        "client-classes": [{"name": "dbclass", "option-data": [
            {"name": "netbios-name-servers", "data": "10.0.0.44"}]}],
        "multi-threading": {"enable-multi-threading": False}})
    return cfg


def dora(client, name):
    return client.exchange(MAC[name], "dora", relay=RELAY, opts=OPTS.get(name, []) + [PRL])


def run_all(srv, names):
    c = Client(srv.net.cli, [RELAY], direct=None)
    try:
        return {n: dora(c, n) for n in names}
    finally:
        c.close()


def check_rows_mean_it(got, kind):
    """What the rows say, on a server's replies."""
    offer, ack = got["hw"]
    assert msgtype(offer) == OFFER and msgtype(ack) == ACK, got["hw"]
    assert ack["yiaddr"] == "10.0.50.5" and ack["siaddr"] == "10.0.0.9", ack
    assert ack["sname"] == "boot.example" and ack["file"] == "pxe.0", ack
    assert option(ack, 12) == b"db-host-one"
    assert option(ack, 6) == bytes([10, 0, 0, 53, 10, 0, 0, 54])
    assert option(ack, 15) == b"db.example"
    assert option(ack, 42) == bytes.fromhex("0a00007b")
    assert option(ack, 44) == bytes([10, 0, 0, 44]), "class from the row not applied"
    assert got["cid"][1]["yiaddr"] == "10.0.50.6" and option(got["cid"][1], 12) == b"db-host-two"
    assert got["glob"][1]["yiaddr"] == "10.0.50.7" and option(got["glob"][1], 15) == b"global.example"
    assert got["circ"][1]["yiaddr"] == "10.0.50.8", got["circ"]
    bad = got["bad"][1]
    if kind == "kea":
        assert msgtype(bad) == ACK and bad["yiaddr"] == "192.0.2.77", bad
    else:
        assert msgtype(bad) == ACK and bad["yiaddr"].startswith("10.0."), bad


# lessor's two ways of reading the hosts database: per packet (default) and the opt-in cache
MODES = {"packet": [], "cache": ["--hosts-poll", "1"]}


def test_dora_gets_db_reservations_like_kea(make_server, hdb):
    names = ["hw", "cid", "glob", "circ", "bad"]
    results = {}
    runs = [("kea", None)] + ([("lessor", m) for m in MODES] if SERVER_KIND == "lessor" else [])
    for kind, mode in runs:
        if kind == "kea":
            need_tools("kea-dhcp4")
        srv = attach_db(make_server(kind, name="%s-%s" % (kind, mode)), hdb)
        if mode:
            srv.extra_args = MODES[mode]
        srv.start(hosts_config(srv, hdb))
        results[(kind, mode)] = got = run_all(srv, names)
        srv.stop_clean()
        check_rows_mean_it(got, kind)
        if kind == "lessor":
            log = srv.log()
            assert ("LESSOR_HOSTS_DB_PER_PACKET" if mode == "packet"
                    else "LESSOR_HOSTS_DB_LOADED") in log, log
            assert "LESSOR_HOSTS_DB_ROW_SKIPPED" in log and "192.0.2.77" in log, log
            assert "keapass" not in log
    for kind, mode in runs[1:]:
        for n in names[:-1]:    # not "bad": the deliberate difference checked above
            a = [project(r) for r in results[("kea", None)][n]]
            b = [project(r) for r in results[(kind, mode)][n]]
            assert a == b, "%s (%s):\n%s" % (n, mode, diff(a, b))


def next_dora_until(c, name, done, what, per_packet):
    """DORA as NAME until DONE(ack): per packet the very first one must do (no retry), with the
    cache within its poll interval."""
    deadline = time.monotonic() + (0 if per_packet else 10)
    while True:
        ack = dora(c, name)[1]
        if ack and done(ack):
            return ack
        assert time.monotonic() < deadline, "%s: %r" % (what, ack)
        time.sleep(0.5)


@pytest.mark.parametrize("mode", list(MODES))
def test_reservation_added_and_removed_while_running(make_server, hdb, mode):
    srv = attach_db(make_server(), hdb)
    if srv.kind == "lessor":
        srv.extra_args = MODES[mode]
    elif mode != "packet":
        pytest.skip("Kea has no hosts cache")
    per_packet = mode == "packet"
    srv.start(hosts_config(srv, hdb))
    c = Client(srv.net.cli, [RELAY], direct=None)
    try:
        first = dora(c, "late")[1]
        assert msgtype(first) == ACK and first["yiaddr"] != "10.0.60.1", first
        # release nothing: the reservation must move the client off its dynamic lease
        insert_host(hdb, ("late", 0, "02aa00000005", 1, "10.0.60.1", "late-one", None, None,
                          None, None, [(15, "late.example", None, False)]))
        # (two INSERTs: a cache poll may fall between them, so wait for both)
        ack = next_dora_until(c, "late", lambda a: a["yiaddr"] == "10.0.60.1" and
                              option(a, 15) == b"late.example",
                              "reservation added by SQL not honoured", per_packet)
        assert option(ack, 12) == b"late-one" and option(ack, 15) == b"late.example", ack

        hdb.sql("kea", "DELETE FROM dhcp4_options WHERE scope_id = 3 AND host_id = (SELECT "
                       "host_id FROM hosts WHERE hostname = 'global-one')")
        hdb.sql("kea", "DELETE FROM hosts WHERE hostname = 'global-one'")
        ack = next_dora_until(c, "glob", lambda a: option(a, 15) != b"global.example",
                              "deleted reservation still served", per_packet)
        assert ack["yiaddr"] != "10.0.50.7", ack
        # a changed row (plain UPDATE) counts from the next packet too
        hdb.sql("kea", "UPDATE hosts SET hostname = 'renamed' WHERE hostname = 'late-one'")
        ack = next_dora_until(c, "late", lambda a: option(a, 12) == b"renamed",
                              "updated reservation not honoured", per_packet)
    finally:
        c.close()
    srv.stop_clean()
    if srv.kind == "lessor":
        assert ("LESSOR_HOSTS_DB_CHANGED" not in srv.log()) == per_packet


def test_hosts_db_unreachable_at_start(make_server, hdb):
    srv = attach_db(make_server(), hdb)
    cfg = hosts_config(srv, hdb)
    cfg["Dhcp4"]["hosts-database"]["password"] = "wrong-secret"
    srv.write_config(cfg)
    r = srv.net.run(srv.net.srv, [srv.bin, "-c", srv.cfg_path], env=srv.env(), timeout=60)
    assert r.returncode != 0, r.stdout
    assert "Unable to open database" in r.stdout or "unable to open database" in r.stdout.lower()
    assert "wrong-secret" not in r.stdout, r.stdout


def _wait_reservation(srv, c):
    """Within 20 s the "hw" client gets its database reservation (10.0.50.5) again."""
    deadline = time.monotonic() + 20
    while True:
        got = dora(c, "hw")
        if got[-1] is not None and got[-1]["yiaddr"] == "10.0.50.5":
            return
        assert time.monotonic() < deadline, "not serving the reservation: %r\n%s" % (
            got, srv.log_since_start()[-3000:])
        time.sleep(0.5)


def test_hosts_db_retry_on_startup(make_server, hdb):
    """retry-on-startup on the hosts database (Kea 2.4+; Kea 2.2 refuses the keyword), per
    packet: down at start, the server starts anyway (DHCPSRV_HOST_MGR_DB_OPEN_CONNECTION_
    WITH_RETRY_FAILED, password masked), answers nobody (stop-retry-exit), and serves the
    reservation once the database comes up 3 s later."""
    if SERVER_KIND != "lessor":
        pytest.skip("Kea 2.2 has no retry-on-startup")
    srv = attach_db(make_server(), hdb)
    cfg = hosts_config(srv, hdb)
    cfg["Dhcp4"]["hosts-database"].update({"retry-on-startup": True, "max-reconnect-tries": 60,
                                           "reconnect-wait-time": 500})
    hdb.stop()
    c = None
    try:
        t0 = time.monotonic()
        srv.start(cfg, wait=False)
        srv.wait_log(r"DHCP4_STARTED", timeout=30)
        srv.wait_log(r"DHCPSRV_HOST_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED Failed to connect "
                     r"to database: .*password=\*{5}", timeout=1)
        srv.wait_log(r"DHCP4_DB_RECONNECT_LOST_CONNECTION", timeout=5)
        c = Client(srv.net.cli, [RELAY], direct=None)
        assert dora(c, "hw") == [None], "answered without its hosts database"
        time.sleep(max(0.0, 3.0 - (time.monotonic() - t0)))
        up = srv.log_offset()
        hdb.restart()
        srv.wait_log(r"DHCP4_DB_RECONNECT_SUCCEEDED", timeout=40, since=up)
        _wait_reservation(srv, c)
        assert "keapass" not in srv.log_since_start()
    finally:
        if c is not None:
            c.close()
        if hdb.proc is None or hdb.proc.poll() is not None:
            hdb.restart()
    srv.stop_clean()


@pytest.mark.parametrize("extra", [{}, {"max-reconnect-tries": 60, "reconnect-wait-time": 500}],
                         ids=["reconnect-disabled", "reconnect"])
def test_hosts_db_lost_while_serving(make_server, hdb, extra):
    """Per packet, the hosts database stopped under the server, as Kea 2.2 does it: the lookup
    fails (DATABASE_*_FATAL_ERROR, DHCP4_DB_RECONNECT_LOST_CONNECTION) and the client gets no
    reply. With Kea's default (max-reconnect-tries 0) the server stops (exit 1); with retries
    (stop-retry-exit disables DHCP meanwhile) it serves the reservation again by itself once
    the database is back."""
    srv = attach_db(make_server(), hdb)
    cfg = hosts_config(srv, hdb)
    cfg["Dhcp4"]["hosts-database"].update(extra)
    srv.start(cfg)
    c = Client(srv.net.cli, [RELAY], direct=None)
    try:
        assert dora(c, "hw")[1]["yiaddr"] == "10.0.50.5"
        down = srv.log_offset()
        hdb.stop()
        assert dora(c, "hw") == [None], "answered without its hosts database"
        srv.wait_log(r"DHCP4_DB_RECONNECT_LOST_CONNECTION", timeout=20, since=down)
        srv.wait_log(r"DATABASE_(MYSQL|PGSQL)_FATAL_ERROR", timeout=1, since=down)
        if not extra:
            srv.wait_log(r"DHCP4_DB_RECONNECT_DISABLED", timeout=20, since=down)
            deadline = time.monotonic() + 20
            while srv.alive() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not srv.alive(), srv.log_since_start()[-3000:]
            if srv.kind == "lessor":
                assert srv.proc.returncode == 1, srv.proc.returncode
            return
        srv.wait_log(r"DHCPSRV_(MYSQL|PGSQL)_HOST_DB_RECONNECT_ATTEMPT_FAILED", timeout=20,
                     since=down)
        hdb.restart()
        srv.wait_log(r"DHCP4_DB_RECONNECT_SUCCEEDED", timeout=40, since=down)
        _wait_reservation(srv, c)
        assert srv.alive()
    finally:
        c.close()
        if hdb.proc is None or hdb.proc.poll() is not None:
            hdb.restart()
    srv.stop_clean()


# reservations-* switches and early-global-reservations-lookup on database reservations, per
# packet: (id, Dhcp4 keys, subnet 1 guarded by client class "dbclass")
SWITCHES = [
    ("global-only", {"reservations-in-subnet": False, "reservations-global": True}, False),
    ("subnet-only", {"reservations-in-subnet": True, "reservations-global": False}, False),
    ("out-of-pool", {"reservations-in-subnet": True, "reservations-out-of-pool": True}, False),
    ("in-pool-checked", {"reservations-in-subnet": True, "reservations-out-of-pool": False}, False),
    ("early-global", {"reservations-global": True, "early-global-reservations-lookup": True}, True),
    ("late-global", {"reservations-global": True, "early-global-reservations-lookup": False}, True),
]
EXTRA_HOSTS = [
    # in the pool: another client asking for 10.0.1.50 gets it only when out-of-pool is set
    ("inpool", 0, "02aa00000010", 1, "10.0.1.50", "in-pool", None, None, None, None, []),
    # global, with the class that opens the guarded subnet (only when looked up early)
    ("eglob", 0, "02aa00000012", 0, "10.0.50.12", "early-one", "dbclass", None, None, None, []),
]
SWITCH_CLIENTS = {"hw": "dora", "glob": "dora", "inpool": "dora", "thief": "discover",
                  "eglob": "dora"}


@pytest.mark.parametrize("sw", SWITCHES, ids=[s[0] for s in SWITCHES])
def test_reservation_switches_like_kea(make_server, hdb, sw):
    _, keys, guarded = sw
    for h in EXTRA_HOSTS:
        insert_host(hdb, h)
    mac = dict(MAC, inpool="02:aa:00:00:00:10", thief="02:aa:00:00:00:11",
               eglob="02:aa:00:00:00:12")
    opts = dict(OPTS, thief=[opt(50, bytes([10, 0, 1, 50]))])
    results = {}
    kinds = ["kea", "lessor"] if SERVER_KIND == "lessor" else ["kea"]
    for kind in kinds:
        if kind == "kea":
            need_tools("kea-dhcp4")
        srv = attach_db(make_server(kind, name=kind), hdb)
        cfg = hosts_config(srv, hdb)
        d4 = cfg["Dhcp4"]
        d4.update(keys)
        if guarded:     # a copy: SUBNETS is shared by every test of the module
            d4["subnet4"] = [dict(SUBNETS[0], **{"client-class": "dbclass"})] + SUBNETS[1:]
        # the guarded subnet is not probed at start (no class yet): start without waiting
        srv.start(cfg, wait=not guarded)
        if guarded:
            srv.wait_log(r"DHCP4_STARTED", timeout=30)
        c = Client(srv.net.cli, [RELAY], direct=None)
        try:
            results[kind] = {n: c.exchange(mac[n], k, relay=RELAY, opts=opts.get(n, []) + [PRL])
                             for n, k in SWITCH_CLIENTS.items()}
        finally:
            c.close()
        srv.stop_clean()
    got = results[kinds[-1]]
    # what the switches mean, on either server
    if sw[0] == "global-only":
        assert got["hw"][-1]["yiaddr"] != "10.0.50.5" and got["glob"][-1]["yiaddr"] == "10.0.50.7"
    if sw[0] == "subnet-only":
        assert got["hw"][-1]["yiaddr"] == "10.0.50.5" and got["glob"][-1]["yiaddr"] != "10.0.50.7"
    if sw[0] == "out-of-pool":
        assert got["thief"][0]["yiaddr"] == "10.0.1.50", got["thief"]
    if sw[0] == "in-pool-checked":
        assert got["thief"][0]["yiaddr"] != "10.0.1.50", got["thief"]
        assert got["inpool"][-1]["yiaddr"] == "10.0.1.50"
    if sw[0] == "early-global":
        assert got["eglob"][-1]["yiaddr"] == "10.0.50.12" and got["hw"] == [None]
    if sw[0] == "late-global":
        assert got["eglob"] == [None] and got["hw"] == [None]
    if "lessor" in results:
        for n in SWITCH_CLIENTS:
            a = [project(r) for r in results["kea"][n]]
            b = [project(r) for r in results["lessor"][n]]
            assert a == b, "%s (%s):\n%s" % (n, sw[0], diff(a, b))

"""The lease database lost while serving (tests/system/dbserver.py stops and restarts the real
MariaDB / PostgreSQL server under the running DHCP server):

- with reconnection configured (max-reconnect-tries, reconnect-wait-time, on-fail
  serve-retry-continue), no ACK leaves while the database is down, the loss and the reconnect
  attempts are logged with Kea's message IDs, and once the database is back the server serves
  again by itself: every client ACKed afterwards, and every ACK ever seen on the wire, has its
  committed row;
- with Kea's defaults (max-reconnect-tries 0: reconnection disabled) the server logs
  DHCP4_DB_RECONNECT_DISABLED and stops (Kea exits), so an orchestrator restarts it;
- the database down at start: Kea 2.2 has no retry at start (retry-on-startup came after
  2.4): DHCP4_CONFIG_LOAD_FAIL and DHCP4_INIT_FAIL with the driver's "Unable to open
  database" text, exit 1, even with max-reconnect-tries set; started again once the
  database is up, it serves;
- with retry-on-startup (Kea 2.4+, lessor only) the server starts without the database,
  says why in status-get, serves nobody, and serves once the database comes up 3 s later;
  with the retries used up it exits 1.

- every session of the server killed server-side mid-load: every ACK on the wire has its row,
  the loss is logged, the server reconnects and serves;
- an unreadable lease4 row is skipped, logged with its address and counted.

With LESSOR_TEST_SERVER=kea the same test runs against Kea 2.2, which checks the test itself.
"""

import threading
import time

import pytest

from conftest import SERVER_KIND, Capture, CLI_IF, mac_seq, need_tools, perfdhcp
from test_sql_lease import attach_db, by_hw, command, db, dbsrv, sql_config, wire  # noqa: F401

RECONNECT = {"max-reconnect-tries": 100, "reconnect-wait-time": 300,
             "on-fail": "serve-retry-continue"}


def _wire_acks(cap):
    return wire(cap)[1]


def _start(make_server, db, **lease_db_extra):
    srv = attach_db(make_server(), db)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"].update(lease_db_extra)
    srv.start(cfg)
    return srv


def test_database_lost_and_back(make_server, db, tmp_path):
    need_tools("perfdhcp", "tshark")
    srv = _start(make_server, db, **RECONNECT)
    with Capture(srv.net, srv.net.cli, CLI_IF, "udp port 67", tmp_path / "c.pcap") as cap:
        r = perfdhcp(srv.net, n=20, rate=50, base_mac="00:0e:01:00:00:00", wait_s=2)
        assert r.all_acked(20), r
        db.stop()
        try:
            down = srv.log_offset()
            r = perfdhcp(srv.net, n=10, rate=20, base_mac="00:0e:02:00:00:00", wait_s=1)
            assert r.acks == 0, "ACKs while the database was down: %r" % r
            srv.wait_log(r"DHCP4_DB_RECONNECT_LOST_CONNECTION|RECONNECT_ATTEMPT_SCHEDULE",
                         timeout=20, since=down)
            assert srv.alive(), srv.log_since_start()[-3000:]
        finally:
            db.restart()
        # back by itself: within a few reconnect intervals every new client is served
        deadline = time.monotonic() + 30
        while True:
            r = perfdhcp(srv.net, n=5, rate=10, base_mac="00:0e:03:00:00:00", wait_s=1)
            if r.acks > 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert r.acks > 0, "not serving again 30 s after the database came back:\n%s" % (
            srv.log_since_start()[-3000:])
        # the reconnect opens the database as the start did (Kea's LeaseMgrFactory), masked
        srv.wait_log(r"DHCPSRV_(MYSQL|PGSQL)_DB opening (MySQL|PostgreSQL) lease database: "
                     r".*password=\*{5}", timeout=1, since=down)
        r = perfdhcp(srv.net, n=20, rate=20 if srv.kind == "kea" else 50,
                     base_mac="00:0e:04:00:00:00", wait_s=2)
        assert r.all_acked(20), r
    leased = by_hw(db)
    for mac, ip in _wire_acks(cap):
        assert leased.get(mac) == ip, "%s was ACKed %s but lease4 says %s" % (
            mac, ip, leased.get(mac))
    for mac in mac_seq("00:0e:04:00:00:00", 20):
        assert mac in leased, "%s ACKed after the outage has no row" % mac
    srv.stop_clean()


@pytest.mark.parametrize("lease_db_extra, why", [
    ({}, r"DHCP4_DB_RECONNECT_DISABLED"),
    ({"max-reconnect-tries": 2, "reconnect-wait-time": 200, "on-fail": "stop-retry-exit"},
     r"DHCP4_DB_RECONNECT_FAILED"),
], ids=["reconnect-disabled", "retries-exhausted"])
def test_database_lost_for_good_stops_the_server(make_server, db, lease_db_extra, why):
    """Kea's default (max-reconnect-tries 0), and stop-retry-exit once its retries are used up:
    the server logs why and exits, so that its orchestrator restarts it."""
    need_tools("perfdhcp")
    srv = _start(make_server, db, **lease_db_extra)
    try:
        db.stop()
        down = srv.log_offset()
        perfdhcp(srv.net, n=3, rate=10, base_mac="00:0e:05:00:00:00", wait_s=1)
        srv.wait_log(r"DHCP4_DB_RECONNECT_LOST_CONNECTION", timeout=20, since=down)
        deadline = time.monotonic() + 20
        while srv.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not srv.alive(), "still running 20 s after the database was lost:\n" + \
            srv.log_since_start()[-3000:]
        srv.wait_log(why, timeout=1, since=down)
        if SERVER_KIND == "lessor":
            assert srv.proc.returncode == 1, srv.proc.returncode
        print("%s exited with %s" % (srv.kind, srv.proc.returncode))
    finally:
        db.restart()
        srv.cleanup()


def _start_and_exit(srv, cfg):
    """Start SRV on CFG with the database down; it must exit 1 within 30 s. Its log."""
    srv.start(cfg, wait=False)
    try:
        srv.proc.wait(30)
    except Exception:
        raise AssertionError("still running 30 s after a start with the database down:\n"
                             + srv.log_since_start()[-3000:])
    log = srv.log_since_start()
    assert srv.proc.returncode == 1, (srv.proc.returncode, log)
    return log


def test_database_down_at_start(make_server, db):
    """Kea 2.2 refuses to start on an unreachable lease database, reconnect settings or not
    (checked here against Kea 2.2: the same IDs and text), and its orchestrator starts it
    again; once the database is up the start succeeds and clients are served."""
    need_tools("perfdhcp")
    srv = attach_db(make_server(), db)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"].update(RECONNECT)
    db.stop()
    try:
        log = _start_and_exit(srv, cfg)
        srv.wait_log(r"DHCP4_CONFIG_LOAD_FAIL configuration error using file: .*, reason: "
                     r"Unable to open database: ", timeout=1)
        srv.wait_log(r"DHCP4_INIT_FAIL failed to initialize Kea server: configuration error "
                     r"using file '.*': Unable to open database: ", timeout=1)
        assert "keapass" not in log, log
    finally:
        db.restart()
    srv.start()
    r = perfdhcp(srv.net, n=10, rate=50, base_mac="00:0e:06:00:00:00", wait_s=2)
    assert r.all_acked(10), r
    srv.stop_clean()


def _skipped(srv):
    ans = command(srv, "statistic-get", name="v4-lease-rows-skipped")
    samples = ans.get("arguments", {}).get("v4-lease-rows-skipped", [])
    return samples[0][0] if samples else 0


def test_bad_row_skipped_and_logged(make_server, db):
    """A lease4 row lessor cannot hold (here a 2000-byte user_context: lessor keeps 1023) is
    skipped where it is read, with its address in LESSOR_SQL_BAD_ROW, and the address is not
    handed out over it: the allocation's INSERT finds the row and moves on. Lessor's own
    behaviour (Kea 2.2 holds such a row; max-row-errors is Kea's memfile loader's)."""
    if SERVER_KIND != "lessor":
        pytest.skip("lessor's limit and message")
    need_tools("perfdhcp")
    ctx = '{"x": "%s"}' % ("y" * 2000)
    if db.lease_type == "mysql":
        db.sql("kea", "INSERT INTO lease4 (address, hwaddr, valid_lifetime, expire, subnet_id, "
                      "state, user_context) VALUES (167772416, UNHEX('0a0b0c0d0e0f'), 4000, "
                      "NOW() + INTERVAL 1 HOUR, 1, 0, '%s')" % ctx)
    else:
        db.sql("kea", "INSERT INTO lease4 (address, hwaddr, valid_lifetime, expire, subnet_id, "
                      "state, user_context) VALUES (167772416, '\\x0a0b0c0d0e0f', 4000, "
                      "CURRENT_TIMESTAMP + INTERVAL '1 hour', 1, 0, '%s')" % ctx)
    srv = attach_db(make_server(), db)
    srv.env_extra["LESSOR_ALLOC_SPREAD"] = "0/1"    # worker 1's cursor starts on 10.0.1.0
    srv.start(sql_config(srv, db))
    ans = command(srv, "lease4-get-all")
    assert ans["result"] in (0, 3), ans
    got = {l["ip-address"] for l in ans.get("arguments", {}).get("leases", [])}
    assert "10.0.1.0" not in got, ans
    srv.wait_log(r"LESSOR_SQL_BAD_ROW skipping unreadable lease4 row for address 10\.0\.1\.0: ",
                 timeout=5)
    # counted in lessor's v4-lease-rows-skipped (the main thread's tick copies the store's
    # count: within a second or two)
    deadline = time.monotonic() + 10
    while _skipped(srv) < 1:
        assert time.monotonic() < deadline, command(srv, "statistic-get-all")
        time.sleep(0.2)
    r = perfdhcp(srv.net, n=20, rate=50, base_mac="00:0e:07:00:00:00", wait_s=2)
    assert r.all_acked(20), r
    leased = by_hw(db)
    assert "10.0.1.0" not in [leased.get(m) for m in mac_seq("00:0e:07:00:00:00", 20)]
    assert len(db.sql("kea", "SELECT address FROM lease4 WHERE address = 167772416")) == 1
    # each read of the row counts: more skips for more reads
    before = _skipped(srv)
    command(srv, "lease4-get-all")
    deadline = time.monotonic() + 10
    while _skipped(srv) <= before:
        assert time.monotonic() < deadline, (before, _skipped(srv))
        time.sleep(0.2)
    srv.stop_clean()


HEALTH_PORT = 20550     # inside the test's own namespace (slot 5's range)


def _status(srv):
    return command(srv, "status-get")["arguments"]


def _health(srv):
    """GET /health from inside the server's namespace: (HTTP code, body)."""
    (curl,) = need_tools("curl")
    r = srv.net.run(srv.net.srv, [curl, "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time",
                                  "10", "http://127.0.0.1:%d/health" % HEALTH_PORT], timeout=20)
    text, _, code = r.stdout.rpartition("\n")
    return int(code or 0), text


@pytest.mark.parametrize("on_fail", ["stop-retry-exit", "serve-retry-continue"])
def test_retry_on_startup(make_server, db, on_fail):
    """retry-on-startup (Kea 2.4+; Kea 2.2 refuses the keyword, so lessor only): the database
    down at start is not fatal. The server starts, logs Kea's
    DHCPSRV_LEASE_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED (password masked), says why it is
    not serving in status-get and GET /health (503), answers no client (stop-retry-exit
    disables the service, serve-* have no database to lease from), and once the database
    comes up 3 s after the server it connects, checks the schema and serves."""
    if SERVER_KIND != "lessor":
        pytest.skip("Kea 2.2 has no retry-on-startup")
    need_tools("perfdhcp")
    srv = attach_db(make_server(), db)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"].update({"retry-on-startup": True, "max-reconnect-tries": 60,
                                           "reconnect-wait-time": 500, "on-fail": on_fail})
    cfg["Control-agent"] = {"http-host": "127.0.0.1", "http-port": HEALTH_PORT}
    db.stop()
    try:
        t0 = time.monotonic()
        srv.start(cfg, wait=False)      # wait=True probes for an OFFER
        srv.wait_log(r"DHCP4_STARTED", timeout=30)
        srv.wait_log(r"DHCPSRV_LEASE_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED Failed to connect "
                     r"to database: .*password=\*{5}.* with error: ", timeout=5)
        srv.wait_log(r"DHCP4_DB_RECONNECT_LOST_CONNECTION", timeout=5)
        st = _status(srv)
        ldb = st["lease-database"]
        assert ldb["connected"] is False and "lease database connection lost" in ldb["reason"], st
        assert st["dhcp-state"]["enabled"] is (on_fail != "stop-retry-exit"), st
        code, text = _health(srv)
        assert code == 503 and "lease database connection lost" in text, (code, text)
        r = perfdhcp(srv.net, n=3, rate=10, base_mac="00:0e:07:00:00:00", wait_s=1)
        assert r.acks == 0 and (on_fail != "stop-retry-exit" or r.offers == 0), r
        assert srv.alive(), srv.log_since_start()[-3000:]
        time.sleep(max(0.0, 3.0 - (time.monotonic() - t0)))
    finally:
        # before the restart: the server may connect before db.restart() sees it ready
        up = srv.log_offset()
        db.restart()
    srv.wait_log(r"DHCP4_DB_RECONNECT_SUCCEEDED database connection recovered", timeout=30,
                 since=up)
    srv.wait_log(r"LESSOR_SQL_SCHEMA", timeout=1, since=up)
    st = _status(srv)
    assert st["lease-database"]["connected"] is True and st["dhcp-state"]["enabled"], st
    code, text = _health(srv)
    assert code == 200, (code, text)
    r = perfdhcp(srv.net, n=10, rate=50, base_mac="00:0e:08:00:00:00", wait_s=2)
    assert r.all_acked(10), r
    leased = by_hw(db)
    for mac in mac_seq("00:0e:08:00:00:00", 10):
        assert mac in leased, "%s was ACKed but has no row" % mac
    assert "keapass" not in srv.log_since_start()
    srv.stop_clean()


def test_retry_on_startup_exhausted(make_server, db):
    """retry-on-startup with the database never coming up: once max-reconnect-tries are used
    up, stop-retry-exit stops the server (DHCP4_DB_RECONNECT_FAILED, exit 1), as Kea 2.4+."""
    if SERVER_KIND != "lessor":
        pytest.skip("Kea 2.2 has no retry-on-startup")
    srv = attach_db(make_server(), db)
    cfg = sql_config(srv, db)
    cfg["Dhcp4"]["lease-database"].update({"retry-on-startup": True, "max-reconnect-tries": 3,
                                           "reconnect-wait-time": 200,
                                           "on-fail": "stop-retry-exit"})
    db.stop()
    try:
        log = _start_and_exit(srv, cfg)
        srv.wait_log(r"DHCPSRV_(MYSQL|PGSQL)_LEASE_DB_RECONNECT_ATTEMPT_SCHEDULE scheduling "
                     r"attempt 3 of 3", timeout=1)
        srv.wait_log(r"DHCP4_DB_RECONNECT_FAILED maximum number of database reconnect attempts: "
                     r"3, has been exhausted without success", timeout=1)
        assert "DHCP4_SHUTDOWN" in log, log
    finally:
        db.restart()
        srv.cleanup()


def _kill_sessions(db):
    """Kill every session of the kea user server-side (MariaDB KILL CONNECTION, PostgreSQL
    pg_terminate_backend), as a DBA or a failover would. Returns how many were killed."""
    if db.lease_type == "mysql":
        ids = [r[0] for r in db.sql("kea", "SELECT id FROM information_schema.processlist "
                                           "WHERE user = 'kea'")]
        for i in ids:
            try:
                db.sql("kea", "KILL CONNECTION %s" % i)
            except Exception:
                pass                        # gone meanwhile
        return len(ids)
    return int(db.sql("kea", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE usename = 'kea'")[0][0])


def test_connection_killed_under_load(make_server, db, tmp_path):
    """The database kills the server's connections in the middle of a perfdhcp run (three
    times, 0.7 s apart). A statement that finds its connection gone: a read is retried once
    on a new connection; a write is not (whether it committed is unknown, and running it
    again could give a second lease), so its packet is dropped unanswered, as Kea drops it,
    and the client's retransmission is served from whatever committed. Every ACK seen on the
    wire has its committed row, the loss is logged with Kea's IDs, the server reconnects by
    itself and serves the next clients."""
    need_tools("perfdhcp", "tshark")
    srv = _start(make_server, db, **RECONNECT)
    killed = []
    with Capture(srv.net, srv.net.cli, CLI_IF, "udp port 67", tmp_path / "c.pcap") as cap:
        res = {}
        t = threading.Thread(target=lambda: res.update(r=perfdhcp(
            srv.net, n=300, rate=100, base_mac="00:0e:09:00:00:00", wait_s=2)))
        t.start()
        try:
            time.sleep(0.8)
            for _ in range(3):
                killed.append(_kill_sessions(db))
                time.sleep(0.7)
        finally:
            t.join(120)
        during = res.get("r")
        assert during is not None, "perfdhcp did not finish"
        deadline = time.monotonic() + 30
        while True:
            r = perfdhcp(srv.net, n=10, rate=20, base_mac="00:0e:0a:00:00:00", wait_s=2)
            if r.all_acked(10) or time.monotonic() > deadline:
                break
        assert r.all_acked(10), "not serving again after the kills: %r\n%s" % (
            r, srv.log_since_start()[-3000:])
    assert sum(killed) > 0, killed
    srv.wait_log(r"DATABASE_(MYSQL|PGSQL)_FATAL_ERROR Unrecoverable ", timeout=1)
    leased = by_hw(db)
    wire = _wire_acks(cap)
    for mac, ip in wire:
        assert leased.get(mac) == ip, "%s was ACKed %s but lease4 says %s" % (
            mac, ip, leased.get(mac))
    print("%s: sessions killed %s; during the kills %d DISCOVERs, %d OFFERs, %d REQUESTs, "
          "%d ACKs; %d ACKs on the wire in all, each with its row" % (
              srv.kind, killed, during.discovers, during.offers, during.requests, during.acks,
              len(wire)))
    srv.stop_clean()

"""Restarts and kills on a real MariaDB and PostgreSQL lease database (Kea 2.2's schema; the
fixtures are test_sql_lease's).

- test_sql_lease's N-clients / restart check (there at the default, random places) again with
  LESSOR_ALLOC_SPREAD=1/2 and 0/1: after the restart the cursors start on addresses the
  first round leased; that phase once "ACKed 5 of 20 clients" with 1/2 or random, which was
  the harness (test_harness.py), not the server;
- kill -9 of the server under perfdhcp load: every ACK tshark saw on the wire has its row in
  lease4, with the client's hwaddr (the batch's COMMIT comes before its ACKs leave). Kea 2.2
  commits each lease before its ACK too, so the test runs against it as well. The memfile
  case is test_restart.py's.
"""

import subprocess
import time

import pytest

from conftest import (CLI_IF, RELAY_ADDR, SERVER_KIND, SRV_ADDR, Capture, lessor_only,
                      need_tools)
from test_sql_lease import (attach_db, db, db_rows, dbsrv, n_rows_and_restart, wire,  # noqa: F401
                            sql_config)


@pytest.mark.parametrize("spread", ["1/2", "0/1"])
def test_restart_with_spread(make_server, db, spread):  # noqa: F811
    if SERVER_KIND != "lessor":
        lessor_only("LESSOR_ALLOC_SPREAD is lessor's")
    n_rows_and_restart(make_server, db, spread)


def test_kill9_under_load_loses_no_acked_row(make_server, db, tmp_path):  # noqa: F811
    (pd,) = need_tools("perfdhcp")
    srv = attach_db(make_server(), db)
    srv.start(sql_config(srv, db))
    net = srv.net
    # Kea 2.2 on SQL answers a few hundred DORA/s here: a rate it keeps up with
    clients, rate = 3000, 150 if srv.kind == "kea" else 400
    with Capture(net, net.cli, CLI_IF, "udp port 67", tmp_path / "acks.pcap") as cap:
        perf = net.popen(net.cli, [pd, "-4", "-l", RELAY_ADDR, "-r", str(rate), "-R",
                                   str(clients), "-n", str(clients), "-d", "1", "-W", "500000",
                                   SRV_ADDR],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(3.0)
            assert srv.alive(), "server died before kill -9:\n" + srv.log_since_start()
            srv.kill9()
        finally:
            out, _ = perf.communicate(timeout=clients / rate + 30)

    acked = wire(cap)[1]
    assert len(acked) > 50, "too few ACKs captured before kill -9 (%d):\n%s" % (len(acked), out)
    assert len(acked) < clients, "kill -9 came after the run ended:\n" + out
    rows = {(hw, a) for a, hw, state, _ in db_rows(db) if state == 0}
    lost = acked - rows
    assert not lost, "%d of %d ACKed leases have no row in lease4: %s" % (
        len(lost), len(acked), sorted(lost)[:10])
    print("kill -9 after %d ACKs on the wire: every one has its row (%d rows)" % (
        len(acked), len(rows)))

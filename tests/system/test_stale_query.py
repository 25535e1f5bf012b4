"""A query that waited in the receive queue longer than its client waits (1 s) is dropped
unanswered and counted in pkt4-receive-drop; fresh queries are answered (issue 11 item 5:
under overload the queue otherwise fills with queries whose clients have given up and the
server answers no one). The wait is made with SIGSTOP: the DISCOVER arrives while the server
is stopped and is 1-3 s old when it runs again. Lessor only: Kea answers the stale copy."""
import os
import signal
import threading
import time

from conftest import base_config, lessor_only, probe_offer
from test_sql_lease import command


def drops(srv):
    ans = command(srv, "statistic-get", name="pkt4-receive-drop")
    assert ans["result"] == 0, ans
    return ans["arguments"]["pkt4-receive-drop"][0][0]


def test_stale_query_dropped(server, netpair):
    lessor_only("the age limit on queued queries is lessor's (Kea answers them late)")
    cfg = base_config(server.dir)
    cfg["Dhcp4"]["control-socket"] = {"socket-type": "unix",
                                      "socket-name": os.path.join(server.dir, "ctl.sock")}
    server.start(cfg)
    assert probe_offer(netpair, timeout=5), "a fresh DISCOVER must be answered"
    before = drops(server)

    got = []
    server.signal(signal.SIGSTOP)
    try:
        probe = threading.Thread(target=lambda: got.append(probe_offer(netpair, timeout=5)))
        probe.start()
        time.sleep(3)   # the DISCOVER (sent once python has started) waits in the queue
    finally:
        server.signal(signal.SIGCONT)
    probe.join(20)
    assert got == [False], "a DISCOVER queued over 1 s must not be answered"
    assert drops(server) >= before + 1, "the stale DISCOVER must be counted"
    assert probe_offer(netpair, timeout=5), "fresh DISCOVERs are answered again"

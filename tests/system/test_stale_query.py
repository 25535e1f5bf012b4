"""A query that waited in the receive queue longer than --query-max-age (default 2000 ms) is
dropped unanswered and counted in pkt4-receive-drop; fresh queries are answered (issue 11
item 5: under overload the queue otherwise fills with queries whose clients have given up and
the server answers no one). The wait is made with SIGSTOP: the DISCOVER arrives while the
server is stopped and is about STALL s old when it runs again (the probe client waits 5 s
longer for its OFFER). Lessor only: Kea answers the stale copy.

- test_stale_query_dropped: the default limit, a 3-4 s wait: dropped and counted.
- test_query_max_age_option: --query-max-age 0 never drops (the stale DISCOVER is answered);
  --query-max-age 5000 keeps a 3 s old one; an out-of-range value is refused."""
import os
import signal
import subprocess
import threading
import time

from conftest import base_config, lessor_only, probe_offer
from test_sql_lease import command


DEFAULT_S = 2     # lessor --help says so: test_query_max_age_option


def drops(srv):
    ans = command(srv, "statistic-get", name="pkt4-receive-drop")
    assert ans["result"] == 0, ans
    return ans["arguments"]["pkt4-receive-drop"][0][0]


def start(server, args=()):
    cfg = base_config(server.dir)
    cfg["Dhcp4"]["control-socket"] = {"socket-type": "unix",
                                      "socket-name": os.path.join(server.dir, "ctl.sock")}
    server.extra_args = list(args)
    server.start(cfg)
    assert probe_offer(server.net, timeout=5), "a fresh DISCOVER must be answered"


def stalled_discover(server, stall_s):
    """Whether a DISCOVER sent while the server is stopped for STALL_S s is answered."""
    got = []
    server.signal(signal.SIGSTOP)
    try:
        probe = threading.Thread(target=lambda: got.append(probe_offer(server.net,
                                                                       timeout=stall_s + 5)))
        probe.start()
        time.sleep(stall_s)   # the DISCOVER (sent once python has started) waits in the queue
    finally:
        server.signal(signal.SIGCONT)
    probe.join(stall_s + 20)
    return got == [True]


def test_stale_query_dropped(server, netpair):
    lessor_only("the age limit on queued queries is lessor's (Kea answers them late)")
    start(server)
    before = drops(server)
    assert not stalled_discover(server, DEFAULT_S + 2), \
        "a DISCOVER queued over %d s must not be answered" % DEFAULT_S
    assert drops(server) >= before + 1, "the stale DISCOVER must be counted"
    assert probe_offer(netpair, timeout=5), "fresh DISCOVERs are answered again"


def test_query_max_age_option(server, netpair):
    lessor_only("--query-max-age is lessor's")
    start(server, ["--query-max-age", "0"])
    assert stalled_discover(server, 3), "--query-max-age 0 must answer however late"
    server.stop()
    start(server, ["--query-max-age", "5000"])
    assert stalled_discover(server, 3), "a 3 s old DISCOVER is within 5000 ms"
    server.stop()
    r = subprocess.run([server.bin, "--query-max-age", "30001", "-c", server.cfg_path],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1 and "--query-max-age must be 0-30000" in r.stderr, r
    r = subprocess.run([server.bin, "--help"], capture_output=True, text=True, timeout=20)
    assert "(default %d; 0 = never)" % (DEFAULT_S * 1000) in r.stdout, r.stdout

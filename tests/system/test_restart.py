"""Leases survive the server: a clean restart, and kill -9 in the middle of a perfdhcp run.

kill -9: every ACK that reached the wire (captured by tshark in the cli namespace) must be in
the lease file the restarted server loads, and the restarted server must not give any of those
addresses to someone else. lessor writes and fsyncs a lease before its ACK leaves; Kea's memfile
does not fsync, so that guarantee is lessor's only (LESSOR_TEST_FORCE=1 runs it against Kea
anyway: a kill -9 without a power cut does not lose Kea's flushed writes, which checks the test).
"""

import os
import subprocess
import time

from conftest import (CLI_IF, PERF_BASE_MAC, RELAY_ADDR, SRV_ADDR, Capture, active_leases,
                      assert_remembers, base_config, lessor_only, need_tools, serve_clients)

N = 100


def test_restart_keeps_leases(server, tmp_path):
    server.start(base_config(tmp_path))
    before = serve_clients(server, N, PERF_BASE_MAC)
    assert server.stop() == 0
    server.start()
    assert server.leases().keys() >= set(before.values())
    assert_remembers(server, before)
    assert server.stop() == 0


def _acks(cap):
    """(chaddr, yiaddr) of every DHCPACK in the capture."""
    acks = set()
    out = cap.read("dhcp.option.dhcp == 5", "-n", "-T", "fields", "-E", "occurrence=f",
                   "-e", "dhcp.hw.mac_addr", "-e", "dhcp.ip.your")
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) == 2 and f[0] and f[1]:
            acks.add((f[0].lower(), f[1]))
    return acks


def test_kill9_loses_no_acked_lease(server, tmp_path):
    if os.environ.get("LESSOR_TEST_FORCE") != "1":
        lessor_only("Kea's memfile does not fsync before the ACK")
    (perfdhcp_bin,) = need_tools("perfdhcp")
    net = server.net
    server.start(base_config(tmp_path))

    with Capture(net, net.cli, CLI_IF, "udp port 67", tmp_path / "acks.pcap") as cap:
        clients, rate = 3000, 600
        perf = net.popen(net.cli, [perfdhcp_bin, "-4", "-l", RELAY_ADDR, "-r", str(rate),
                                   "-R", str(clients), "-n", str(clients), "-d", "1",
                                   "-W", "500000", SRV_ADDR],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(2.0)
        assert server.alive(), "server died before kill -9:\n" + server.log_since_start()
        server.kill9()
        out, _ = perf.communicate(timeout=clients / rate + 30)

    acked = _acks(cap)
    assert len(acked) > 100, "too few ACKs captured before kill -9 (%d):\n%s" % (len(acked), out)
    assert len(acked) < clients, "kill -9 came after the run ended:\n" + out

    on_disk = {(r["hwaddr"].lower(), a) for a, r in active_leases(server.lease_path).items()}
    lost = acked - on_disk
    assert not lost, "%d of %d ACKed leases missing from the lease file: %s" % (
        len(lost), len(acked), sorted(lost)[:10])

    # The restarted server loads them: no ACKed address goes to a client that never had it.
    server.start()
    old = dict(acked)
    assert len(old) == len(acked), "one client ACKed with two addresses"
    loaded = server.leases()
    assert {(loaded[a]["hwaddr"].lower(), a) for a in old.values() if a in loaded} == acked
    fresh = serve_clients(server, 50, "00:0c:0e:00:00:00")
    assert not set(fresh.values()) & set(old.values()), "ACKed address given to another client"
    assert server.stop() == 0

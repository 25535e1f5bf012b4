"""lessor-probe: one real DORA against a server, relayed (binds GIADDR:67 as perfdhcp does) or
as a directly connected client (packet socket on vcli). Runs unchanged against Kea 2.2
(LESSOR_TEST_SERVER=kea): the probe must work against both.

- relayed: exit 0, "result: ACK" with an address of the relayed subnet, the lease in the
  memfile for the probe's MAC, each step timed; with --release the lease is released.
- direct: exit 0 with an address of the directly connected subnet (dhcp-socket-type raw).
- no answer (server stopped), no free address (pool of one, taken), NAK (INIT-REBOOT for an
  address outside the subnet, authoritative): exit 1 with the reason.
"""

import os
import re
import time

import pytest

from conftest import (CLI_IF, RELAY_ADDR, SERVER_KIND, SRV_ADDR, base_config, missing,
                      server_binary)

MAC = "02:0b:0b:00:00:01"


def probe_bin():
    p = os.environ.get("LESSOR_PROBE") or os.path.join(
        os.path.dirname(server_binary("lessor")), "lessor-probe")
    if not os.access(p, os.X_OK):
        missing("lessor-probe is not built: %s" % p)
    return p


def probe(net, *args, timeout=20):
    r = net.run(net.cli, [probe_bin(), "-4"] + list(args), timeout=timeout)
    return r.returncode, r.stdout


def test_relayed_ack_and_release(server, tmp_path):
    server.start(base_config(tmp_path))
    rc, out = probe(server.net, "-l", RELAY_ADDR, "-b", "mac=" + MAC, "-W", "2000000", SRV_ADDR)
    assert rc == 0, out
    m = re.search(r"result: ACK (10\.0\.\d+\.\d+) \(DISCOVER-OFFER [\d.]+ ms, REQUEST-ACK [\d.]+ ms",
                  out)
    assert m, out
    assert re.search(r"OFFER %s from server %s in [\d.]+ ms" % (re.escape(m.group(1)), SRV_ADDR),
                     out), out
    assert "lease %s: lifetime 4000 s" % m.group(1) in out
    assert server.leases().get(m.group(1), {}).get("hwaddr") == MAC, server.leases()
    rc, out = probe(server.net, "-l", RELAY_ADDR, "-b", "mac=" + MAC, "--release", SRV_ADDR)
    assert rc == 0 and "RELEASE %s sent" % m.group(1) in out, out
    deadline = time.monotonic() + 5
    while m.group(1) in server.leases() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert m.group(1) not in server.leases(), "the lease was not released"
    server.stop_clean()


def test_direct_client(server, tmp_path):
    server.start(base_config(tmp_path, socket_type="raw"))
    rc, out = probe(server.net, "-l", CLI_IF, "-b", "mac=" + MAC)
    assert rc == 0, out
    assert re.search(r"result: ACK 192\.0\.2\.(1\d\d|200) ", out), out
    server.stop_clean()


def test_no_answer(netpair):
    rc, out = probe(netpair, "-l", RELAY_ADDR, "-W", "500000", SRV_ADDR)
    assert rc == 1 and "result: FAIL no OFFER within 0.5 s" in out, out


def test_no_free_address(server, tmp_path):
    subnets = [{"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.1 - 10.0.1.1"}]}]
    server.start(base_config(tmp_path, subnets=subnets))
    rc, out = probe(server.net, "-l", RELAY_ADDR, "-b", "mac=02:0b:0b:00:00:02", SRV_ADDR)
    assert rc == 0 and "result: ACK 10.0.1.1 " in out, out
    rc, out = probe(server.net, "-l", RELAY_ADDR, "-b", "mac=" + MAC, "-W", "1000000", SRV_ADDR)
    assert rc == 1 and "no free address" in out, out
    server.stop_clean()


def test_nak(server, tmp_path):
    server.start(base_config(tmp_path, authoritative=True))
    rc, out = probe(server.net, "-l", RELAY_ADDR, "-b", "mac=" + MAC, "--request", "172.16.0.9",
                    SRV_ADDR)
    assert rc == 1 and "result: FAIL NAK for 172.16.0.9" in out, out
    server.stop_clean()

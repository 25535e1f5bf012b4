"""The deployment's own acceptance tests ("Their tests", seed-system/README.md), on its own
configuration (data/deployment/local_development_config.json, verbatim from the deployment).

The deployment runs them against MySQL with an HA partner; here the same configuration runs with
the lease database swapped for a memfile in tmp, the host database dropped (its reservations are
in the file), the HA hook dropped (no partner), the other hook paths pointed at Debian's, and the
DEBUG-99 logger turned down to INFO. The server sits at 172.1.0.10 as in their compose file, and
perfdhcp relays from 172.1.0.2 (a unicast server address makes perfdhcp a relay). The namespaces
are private: nothing is sent beyond the veth pair.

For each scenario a fresh server on an empty lease file, tshark captures OFFERs
(`ip src 172.1.0.10 and udp port 67`), and the first OFFER's options, as `tshark -V` prints
them, must contain the expected block verbatim.
"""

import json
import os
import re

import pytest

from conftest import (CLI_IF, Capture, NetPair, Server, active_leases, need_root, need_tools,
                      perfdhcp)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "deployment")
SRV = "172.1.0.10"
RELAY = "172.1.0.2"
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"


@pytest.fixture
def depnet():
    need_root()
    net = NetPair(srv_addrs=(SRV + "/24",), cli_addrs=(RELAY + "/24",), routes=())
    try:
        yield net
    finally:
        net.close()


def deployment_config(tmpdir):
    with open(os.path.join(DATA, "local_development_config.json")) as f:
        cfg = json.load(f)
    d4 = cfg["Dhcp4"]
    d4["lease-database"] = {"type": "memfile", "persist": True, "lfc-interval": 0,
                            "name": os.path.join(str(tmpdir), "leases4.csv")}
    del d4["hosts-database"]
    d4["control-socket"]["socket-name"] = os.path.join(str(tmpdir), "dhcp4-socket")
    d4["hooks-libraries"] = [
        {"library": os.path.join(HOOKS, os.path.basename(h["library"]))}
        for h in d4["hooks-libraries"] if "libdhcp_ha" not in h["library"]]
    d4["loggers"][0]["severity"] = "INFO"
    d4["loggers"][0].pop("debuglevel", None)
    text = json.dumps(cfg)
    assert "<" not in text, "placeholder left in the configuration"
    return cfg


def _first_offer_options(cap):
    out = cap.read("dhcp.option.dhcp == 2", "-V", "-N", "m")
    frames = re.split(r"(?m)^Frame \d+:", out)
    assert len(frames) > 1, "no OFFER captured:\n" + out
    return frames[1]


def _expected(name):
    with open(os.path.join(DATA, "expected_lease_options_%s.txt" % name)) as f:
        return f.read().rstrip("\n")


def _run(depnet, tmp_path, name, perf_args, n):
    need_tools("perfdhcp", "tshark")
    d = tmp_path / name
    d.mkdir()
    server = Server(depnet, d)
    try:
        server.start(deployment_config(d))
        with Capture(depnet, depnet.cli, CLI_IF, "ip src %s and udp port 67" % SRV,
                     d / "offers.pcap") as cap:
            r = perfdhcp(depnet, n=n, relay=RELAY, server_addr=SRV, wait_s=2, **perf_args)
        assert r.acks == n, r
        offer = _first_offer_options(cap)
        server.stop_clean()
        return offer, active_leases(server.lease_path)
    finally:
        server.cleanup()


def test_ordinary_clients(depnet, tmp_path):
    """perfdhcp -r 2 -n 10 -R 10 -d 2 -4 -W ... 172.1.0.10 -> 10 leases; global domain name and
    DNS servers, the subnet's routers from its required class, no option 234."""
    offer, leases = _run(depnet, tmp_path, "ordinary", dict(rate=2, clients=10), 10)
    assert len(leases) == 10, leases
    assert all(a.startswith("172.1.0.") for a in leases), leases
    assert _expected("ordinary") in offer, offer
    assert "(234)" not in offer, offer


def test_windows_client_class(depnet, tmp_path):
    """A Windows 10 client in class "Test Client Class" (option 77 = W10TEST): the class's
    domain-name overrides the global one."""
    offer, _ = _run(depnet, tmp_path, "client_class",
                    dict(rate=2, clients=1, base_mac="00:0c:01:02:03:04",
                         extra=("-o", "77,57313054455354")), 3)
    assert _expected("client_class") in offer, offer
    assert "(234)" not in offer, offer


def test_delivery_optimisation(depnet, tmp_path):
    """The client asks for option 234 (-o 55,00EA): the OFFER also carries it, with the
    class's string."""
    offer, _ = _run(depnet, tmp_path, "delivery_optimised",
                    dict(rate=2, clients=1, base_mac="00:0c:01:02:03:04",
                         extra=("-o", "55,00EA")), 3)
    assert _expected("delivery_optimised") in offer, offer

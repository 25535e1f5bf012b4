"""The production-scale configuration (tools/gen-prod-config.py: 829 subnets in 142 shared
networks, 14,404 reservations, two classes per subnet) loads (`-t`) and serves DORA through a
relay in three of its subnets, on Kea 2.2 first and then on lessor, with the same file.

Per chosen subnet: the OFFER and ACK carry the subnet's routers and option 234 from the
subnet's only-if-required class, a relay circuit-id 'staff-<id>' adds the site's staff class
domain-name, a reserved hw-address gets its reserved address and hostname; and Kea's and lessor's
replies are identical, yiaddr of dynamic clients included (the configuration enables
multi-threading; both servers share one iterative cursor per pool among their threads).
"""

import importlib.util
import os
import time

import pytest

from conftest import SERVER_KIND, NetPair, Server, need_root, need_tools
from difflib4 import ACK, OFFER, Client, diff, msgtype, option

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "tools", "gen-prod-config.py")
KIND_B = "kea" if SERVER_KIND == "kea" else "lessor"
PICK = [0, 414, 828]  # subnet indexes: first, middle, last
PRL = (55, bytes([1, 3, 6, 12, 15, 51, 54, 234]))


def _gen():
    spec = importlib.util.spec_from_file_location("gen_prod_config", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _config(d):
    g = _gen()
    cfg = g.generate(seed=1, interface="vsrv", lease_file=os.path.join(d, "leases4.csv"))
    subnets = [s for n in cfg["Dhcp4"]["shared-networks"] for s in n["subnet4"]]
    assert len(subnets) == 829
    assert sum(len(s["reservations"]) for s in subnets) == 14404
    assert len(cfg["Dhcp4"]["shared-networks"]) == 142
    return cfg, subnets, g


@pytest.fixture(scope="module")
def prodnet():
    need_root()
    need_tools("kea-dhcp4")
    g = _gen()
    relays = ["%s.2" % g.subnet_prefix(k) for k in PICK]
    net = NetPair(srv_addrs=("192.0.2.1/24",),
                  cli_addrs=["192.0.2.2/24"] + [r + "/24" for r in relays],
                  routes=(("10.64.0.0/10", "192.0.2.2"),))
    try:
        yield net, relays
    finally:
        net.close()


def _classes(cfg):
    return {c["name"]: c for c in cfg["Dhcp4"]["client-classes"]}


def _expect(cfg, subnets, k):
    s = subnets[k]
    cls = _classes(cfg)[s["require-client-classes"][0]]
    od = {o["name"]: o["data"] for o in cls["option-data"]}
    return s, od["routers"], od["delivery-optimisation"].encode()


_results = {}


def _serve(net, relays, tmp_path, kind):
    d = str(tmp_path / kind)
    os.makedirs(d, exist_ok=True)
    cfg, subnets, g = _config(d)
    srv = Server(net, d, kind=kind)
    srv.write_config(cfg)
    r = net.run(net.srv, [srv.bin, "-t", srv.cfg_path], timeout=120, env=srv.env())
    assert r.returncode == 0, "%s -t rejected the production-scale configuration:\n%s" % (
        kind, r.stdout[-3000:])
    client = Client(net.cli, relays, direct=None)
    out = {}
    try:
        t0 = time.monotonic()
        srv.start(wait=False)
        srv.wait_log(r"DHCP4_STARTED", 120)
        while True:
            rep = client.exchange("02:99:99:99:99:99", "discover", relay=relays[0])
            if rep[0] is not None:
                break
            assert srv.alive(), srv.log_since_start()[-3000:]
            assert time.monotonic() - t0 < 120, "no OFFER within 120 s"
        for i, k in enumerate(PICK):
            s, _, _ = _expect(cfg, subnets, k)
            relay = relays[i]
            out[(k, "dynamic")] = client.exchange("02:dd:ee:00:%02x:01" % i, "dora", relay=relay,
                                                  opts=[PRL])
            out[(k, "staff")] = client.exchange(
                "02:dd:ee:00:%02x:02" % i, "dora", relay=relay,
                opts=[PRL, (82, bytes([1, len("staff-%d" % s["id"])]) +
                            ("staff-%d" % s["id"]).encode())])
            hw = [h for h in s["reservations"] if "hw-address" in h][0]
            out[(k, "reserved")] = client.exchange(hw["hw-address"], "dora", relay=relay,
                                                   opts=[PRL])
        assert srv.alive()
    finally:
        client.close()
        srv.stop(timeout=30)
        srv.cleanup()
    return cfg, subnets, out


@pytest.mark.parametrize("kind", ["kea", KIND_B], ids=["first-kea", "then-" + KIND_B])
def test_prod_scale_serves(prodnet, tmp_path, kind):
    net, relays = prodnet
    cfg, subnets, out = _serve(net, relays, tmp_path, kind)
    _results[kind if kind not in _results else "b"] = out
    names = []
    for i, k in enumerate(PICK):
        s, routers, o234 = _expect(cfg, subnets, k)
        prefix = s["subnet"].rsplit(".", 1)[0] + "."
        for what in ("dynamic", "staff", "reserved"):
            rep = out[(k, what)]
            assert len(rep) == 2 and rep[0] and rep[1], "%s: %s/%s: no reply: %r" % (
                kind, s["subnet"], what, rep)
            assert [msgtype(x) for x in rep] == [OFFER, ACK], (kind, s["subnet"], what, rep)
            for x in rep:
                assert x["yiaddr"].startswith(prefix), (kind, s["subnet"], what, x["yiaddr"])
                assert option(x, 3) == bytes(int(b) for b in routers.split(".")), \
                    (kind, s["subnet"], what, x)
                assert option(x, 234) == o234, (kind, s["subnet"], what, x)
            dn = option(rep[0], 15)
            if what == "staff":
                assert dn.startswith(b"staff."), (kind, s["subnet"], dn)
            else:
                assert dn == b"test_default.example.com", (kind, s["subnet"], dn)
        hw = [h for h in s["reservations"] if "hw-address" in h][0]
        got = out[(k, "reserved")][1]
        assert got["yiaddr"] == hw["ip-address"], (kind, hw, got["yiaddr"])
        if option(got, 12) != hw["hostname"].encode():
            names.append((s["subnet"], hw["hostname"], option(got, 12)))
    # checked last, so that a wrong name does not hide the rest
    assert not names, "%s: reserved hostnames not sent verbatim: %s" % (kind, names)


def test_prod_scale_same_replies():
    """Kea and lessor send the same replies, yiaddr included (one shared cursor per pool)."""
    if len(_results) < 2:
        pytest.skip("both runs are needed")
    a, b = _results["kea"], _results.get("b") or _results[KIND_B]
    for key in a:
        ra, rb = a[key], b[key]
        assert ra == rb, "%s differs from Kea for %s:\n%s" % (KIND_B, key, diff(ra, rb))

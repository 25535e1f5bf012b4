"""Reloading the production-scale configuration under load (issue #4).

The configuration is tools/gen-prod-config.py's (829 subnets in 142 shared networks, 14,404
reservations, 1,659 classes, multi-threading on), post-processed only to add the control
channel (Dhcp4.control-socket, the lease_cmds/stat_cmds hooks Kea needs, and lessor's
"Control-agent" object for the HTTP listener on port 8000, see test_ctl.py).

Topology: conftest's namespace pair, with the relay addresses 10.64.0.2 (perfdhcp's giaddr, in
the generated subnet 10.64.0.0/24, first site's shared network) and 10.64.1.2 (this file's own
relay socket for single exchanges, subnet 10.64.1.0/24) in netns cli.

- test_reload_under_load: perfdhcp runs relayed DORA at RATE/s for PERIOD s while the same file
  is reloaded every RELOAD_EVERY s, alternating `config-reload` over HTTP and SIGHUP. Prints
  the measured drop count (1 - ACKs/DISCOVERs) and asserts it is within MAX_DROP_FRACTION
  (0.1 %, reasons there). A warm-up round without reloads gives every client its lease first.
  Kea is measured too (printed) but not held to the bound: it stops serving while it reloads.
  Knobs: LESSOR_RELOAD_RATE (400), LESSOR_RELOAD_PERIOD (20), LESSOR_RELOAD_EVERY (1.0 s;
  0 = the same traffic without reloads, a baseline).
- test_option_change_next_packet: a reload that changes only an option value is visible in
  the very next OFFER (HTTP) / the first OFFER after the success log line (SIGHUP).
- test_leases_and_statistics_survive: leases and cumulative statistics are the same before and
  after a reload, and known clients get their addresses back. (Kea 2.2 resets
  subnet[N].cumulative-assigned-addresses to 0 on every reload; lessor keeps it.)
- test_failing_reload_keeps_config: a broken file (HTTP and SIGHUP) is refused with its JSON
  path and line, the old configuration stays (config-get, option values, DHCP service).

Run with LESSOR_TEST_SERVER=kea to try the same against kea-dhcp4 + kea-ctrl-agent.
"""

import importlib.util
import json
import os
import re
import signal
import threading
import time

import pytest

from conftest import SERVER_KIND, NetPair, Server, need_root, need_tools, perfdhcp
from difflib4 import OFFER, Client, msgtype, option
from test_ctl import HOOKS, HTTP_PORT, start_ctl

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "tools", "gen-prod-config.py")

PERF_RELAY = "10.64.0.2"    # perfdhcp's giaddr: subnet 10.64.0.0/24 (k = 0)
PROBE_RELAY = "10.64.1.2"   # single exchanges: subnet 10.64.1.0/24 (k = 1), same shared network
RATE = int(os.environ.get("LESSOR_RELOAD_RATE", "400"))        # DORA exchanges offered per s
PERIOD = int(os.environ.get("LESSOR_RELOAD_PERIOD", "20"))     # seconds of traffic
RELOAD_EVERY = float(os.environ.get("LESSOR_RELOAD_EVERY", "1.0"))  # s between reloads; 0 = none
CLIENTS = 1000              # < the shared network's 1,266 dynamic addresses: the pool never dries
# The bound: 0.1 % (8 of the 8,000 exchanges at RATE = 400/s for 20 s). perfdhcp talks to the
# server through a veth pair that loses nothing, and a reload builds the new configuration
# beside the old one and publishes it with one pointer swap (workers never stop; the lease
# store is kept when lease-database is unchanged), so a correct server drops 0 -- measured 0 in
# every run of the -O2 build. The allowance is for the ASan+UBSan Debug build that ctest runs,
# on 2 cores shared by 12 packet workers, perfdhcp, the reloading thread (0.7 s of CPU per
# reload under ASan) and whatever else runs on the machine: measured 0-6 drops per 8,000 there.
# A server that stops serving while it reconfigures loses hundreds per reload at this rate
# (Kea 2.2: ~50 %).
MAX_DROP_FRACTION = 0.001


def _gen():
    spec = importlib.util.spec_from_file_location("gen_prod_config", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def prod_ctl_config(d):
    """The production-scale configuration with the control channel added; returns
    (cfg, agent, sock)."""
    cfg = _gen().generate(seed=1, interface="vsrv", lease_file=os.path.join(d, "leases4.csv"))
    d4 = cfg["Dhcp4"]
    sock = os.path.join(d, "dhcp4.sock")
    d4["control-socket"] = {"socket-type": "unix", "socket-name": sock}
    d4["hooks-libraries"] = [{"library": HOOKS + "/libdhcp_lease_cmds.so"},
                             {"library": HOOKS + "/libdhcp_stat_cmds.so"}]
    # the memfile is append-only during the test (no LFC rewriting it under us)
    d4["lease-database"]["lfc-interval"] = 0
    agent = {"Control-agent": {"http-host": "127.0.0.1", "http-port": HTTP_PORT,
                               "control-sockets": {"dhcp4": {"socket-type": "unix",
                                                             "socket-name": sock}}}}
    return cfg, agent, sock


def subnet_of(cfg, prefix):
    for n in cfg["Dhcp4"]["shared-networks"]:
        for s in n["subnet4"]:
            if s["subnet"] == prefix:
                return s
    raise KeyError(prefix)


class Rig:
    """Server + control channel + a relay client, on the production-scale configuration."""

    def __init__(self, net, d, kind=SERVER_KIND):
        self.net, self.dir = net, d
        self.cfg, self.agent, self.sock = prod_ctl_config(d)
        self.server = Server(net, d, kind=kind)
        self.ctl = None
        self.client = None

    def start(self):
        t0 = time.monotonic()
        self.ctl = start_ctl(self.server, self.dir, cfg=self.cfg, agent=self.agent,
                             sock=self.sock)
        self.client = Client(self.net.cli, [PROBE_RELAY], direct=None, wait=1.0)
        deadline = time.monotonic() + 60
        while self.offer("02:aa:00:00:00:01") is None:
            assert self.server.alive(), self.server.log_since_start()[-3000:]
            assert time.monotonic() < deadline, "no OFFER within 60 s of start"
        self.start_s = time.monotonic() - t0
        return self

    def offer(self, mac):
        rep = self.client.exchange(mac, "discover", relay=PROBE_RELAY,
                                   opts=[(55, bytes([1, 3, 6, 15, 54, 234]))])
        r = rep[0]
        return r if r is not None and msgtype(r) == OFFER else None

    def write(self, cfg):
        """Write CFG (+ Control-agent for lessor) to the server's file."""
        both = dict(cfg)
        if self.server.kind != "kea":
            both.update(self.agent)
        return self.server.write_config(both)

    def reload_http(self):
        ans = self.ctl.http("config-reload")
        assert len(ans) == 1, ans
        return ans[0]

    def reload_sighup(self, timeout=30):
        """SIGHUP; waits for the success or failure log line; returns (ok, log text)."""
        off = self.server.log_offset()
        self.server.signal(signal.SIGHUP)
        m = self.server.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_(SUCCESS|FAIL)|"
                                 r"DHCP4_CONFIG_LOAD_FAIL[^\n]*\n", timeout, since=off)
        time.sleep(0.05)
        with open(self.server.log_path, "rb") as f:
            f.seek(off)
            text = f.read().decode(errors="replace")
        return "SUCCESS" in m.group(0) and "FAIL" not in text, text

    def stat(self, name):
        ans = self.ctl.http("statistic-get", name=name)[0]
        assert ans["result"] == 0, ans
        v = ans["arguments"].get(name)
        return v[0][0] if v else None

    def close(self):
        if self.client is not None:
            self.client.close()
        if self.ctl is not None:
            self.ctl.stop()
        self.server.cleanup()


@pytest.fixture
def rig(tmp_path):
    need_root()
    need_tools("perfdhcp", "curl")
    net = NetPair(cli_addrs=("192.0.2.2/24", PERF_RELAY + "/24", PROBE_RELAY + "/24"),
                  routes=(("10.64.0.0/10", "192.0.2.2"),))
    r = Rig(net, str(tmp_path))
    try:
        r.start()
        yield r
    finally:
        r.close()
        net.close()


# ---------------------------------------------------------------------------------------------


def test_reload_under_load(rig):
    """perfdhcp at RATE/s for PERIOD s; the production-scale file is reloaded every second
    meanwhile, alternating config-reload over HTTP and SIGHUP. Drops must stay <= the bound."""
    stop = threading.Event()
    done = {"http": 0, "sighup": 0, "fail": [], "times": []}

    def reloader():
        time.sleep(2.0)  # let perfdhcp reach its rate first
        if RELOAD_EVERY <= 0:
            return  # baseline: the same traffic without reloads
        i = 0
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                if i % 2 == 0:
                    ans = rig.reload_http()
                    if ans.get("result") != 0:
                        done["fail"].append(ans)
                    done["http"] += 1
                else:
                    ok, text = rig.reload_sighup()
                    if not ok:
                        done["fail"].append(text[-2000:])
                    done["sighup"] += 1
            except Exception as e:  # reported by the main thread
                done["fail"].append(repr(e))
            done["times"].append(time.monotonic() - t0)
            i += 1
            stop.wait(RELOAD_EVERY)

    # Warm-up without reloads: every client gets its lease first, so that the measured run is
    # the steady state of known clients. First-time allocations are not what this test is
    # about: a client NAKed there (two concurrent OFFERs of one free address) simply gets its
    # lease in the next round.
    for rnd in range(3):
        nak0 = rig.stat("pkt4-nak-sent") or 0
        w = perfdhcp(rig.net, n=CLIENTS, clients=CLIENTS, rate=RATE, wait_s=2, relay=PERF_RELAY)
        naks = (rig.stat("pkt4-nak-sent") or 0) - nak0
        print("\nwarm-up round %d (no reloads): %d DISCOVERs, %d ACKs, %d NAKs" % (
            rnd + 1, w.discovers, w.acks, naks))
        if w.acks == w.discovers == CLIENTS:
            break
    nak_before = rig.stat("pkt4-nak-sent") or 0

    th = threading.Thread(target=reloader, daemon=True)
    th.start()
    try:
        r = perfdhcp(rig.net, n=RATE * PERIOD, clients=CLIENTS, rate=RATE, period=PERIOD,
                     wait_s=2, relay=PERF_RELAY, timeout=PERIOD + 60)
    finally:
        stop.set()
        th.join(60)
    assert not th.is_alive(), "a reload hung"
    st = rig.ctl.http("statistic-get-all")[0]["arguments"]
    print("\nserver counters: %s" % {k: v[0][0] for k, v in sorted(st.items())
                                      if k.startswith("pkt4-") and v and v[0][0]})
    sent = r.discovers
    drops = sent - r.acks
    frac = drops / sent if sent else 1.0
    times = sorted(done["times"])
    print("\nreload under load: %d DISCOVERs at %d/s for %d s, %d OFFERs, %d ACKs: "
          "%d drops (%.4f %%); %d reloads (%d HTTP, %d SIGHUP), reload time median %.3f s, "
          "max %.3f s" % (sent, RATE, PERIOD, r.offers, r.acks, drops, 100 * frac,
                          len(times), done["http"], done["sighup"],
                          times[len(times) // 2] if times else 0, times[-1] if times else 0))
    assert not done["fail"], "reloads failed: %s" % done["fail"][:3]
    if SERVER_KIND == "kea":
        pytest.skip("lessor only: Kea 2.2 stops serving DHCP while it reconfigures; measured "
                    "%d drops of %d (%.2f %%)" % (drops, sent, 100 * frac))
    if RELOAD_EVERY > 0:
        assert done["http"] >= 3 and done["sighup"] >= 3, done
    assert sent >= RATE * PERIOD * 0.9, "perfdhcp sent only %d DISCOVERs\n%r" % (sent, r)
    naks = (rig.stat("pkt4-nak-sent") or 0) - nak_before
    assert frac <= MAX_DROP_FRACTION, \
        "%d drops of %d (%.3f %% > %.3f %%), of which %d NAKs\n%r" % (
            drops, sent, 100 * frac, 100 * MAX_DROP_FRACTION, naks, r)
    assert rig.server.alive()


def _domain(rep):
    return option(rep, 15)


def test_option_change_next_packet(rig):
    """A reload that changes only an option value is in effect for the next packet: the global
    domain-name and the subnet's class option 234, via HTTP and then via SIGHUP."""
    cfg = json.loads(json.dumps(rig.cfg))
    d4 = cfg["Dhcp4"]
    s = subnet_of(cfg, "10.64.1.0/24")
    cls = {c["name"]: c for c in d4["client-classes"]}[s["require-client-classes"][0]]
    o234 = [o for o in cls["option-data"] if o["name"] == "delivery-optimisation"][0]

    before = rig.offer("02:aa:00:00:01:01")
    assert before is not None
    assert _domain(before) == b"test_default.example.com", before
    assert option(before, 234) == o234["data"].encode()

    for i, how in enumerate(("http", "sighup")):
        name = "reloaded-%d.example.com" % i
        [o for o in d4["option-data"] if o["name"] == "domain-name"][0]["data"] = name
        o234["data"] = "reload-%d" % i
        rig.write(cfg)
        if how == "http":
            ans = rig.reload_http()
            assert ans["result"] == 0, ans
        else:
            ok, text = rig.reload_sighup()
            assert ok, text
        after = rig.offer("02:aa:00:00:01:%02x" % (2 + i))  # the very next packet
        assert after is not None, "no OFFER after the %s reload" % how
        assert _domain(after) == name.encode(), (how, after)
        assert option(after, 234) == ("reload-%d" % i).encode(), (how, after)
        cg = rig.ctl.http("config-get")[0]["arguments"]["Dhcp4"]
        assert [o["data"] for o in cg["option-data"] if o["name"] == "domain-name"] == [name]


def test_leases_and_statistics_survive(rig):
    """Leases and cumulative statistics are the same after a reload (HTTP and SIGHUP), and the
    clients that held leases get the same addresses back."""
    n = 40
    base = "00:0c:01:00:30:00"
    r = perfdhcp(rig.net, n=n, rate=200, base_mac=base, relay=PERF_RELAY)
    assert r.all_acked(n), r

    def all_leases():
        ans = rig.ctl.http("lease4-get-all")[0]
        assert ans["result"] == 0, ans
        return {x["hw-address"]: (x["ip-address"], x["subnet-id"])
                for x in ans["arguments"]["leases"]}

    # the clients may land in any subnet of the relay's shared network: follow them
    sids = sorted({sid for _, sid in all_leases().values()})
    names = ["pkt4-received", "pkt4-discover-received", "pkt4-request-received",
             "pkt4-offer-sent", "pkt4-ack-sent"]
    for sid in sids:
        names += ["subnet[%d].%s" % (sid, x) for x in
                  ("assigned-addresses", "cumulative-assigned-addresses", "total-addresses")]

    def snapshot():
        return {k: rig.stat(k) for k in names}, all_leases()

    deadline = time.monotonic() + 5
    st0, ls0 = snapshot()
    while st0["pkt4-ack-sent"] < n and time.monotonic() < deadline:
        time.sleep(0.2)
        st0, ls0 = snapshot()
    assert len(ls0) == n, ls0
    assert sum(st0["subnet[%d].assigned-addresses" % sid] for sid in sids) == n, st0
    assert sum(st0["subnet[%d].cumulative-assigned-addresses" % sid] for sid in sids) == n, st0
    for how in ("http", "sighup"):
        if how == "http":
            ans = rig.reload_http()
            assert ans["result"] == 0, ans
        else:
            ok, text = rig.reload_sighup()
            assert ok, text
        st1, ls1 = snapshot()
        print("\n%s reload: statistics before %s after %s" % (how, st0, st1))
        assert ls1 == ls0, "leases changed across the %s reload" % how
        for k in names:
            if SERVER_KIND == "kea" and "cumulative" in k:
                continue  # Kea 2.2 recounts subnet statistics and drops cumulative ones
            assert st1[k] == st0[k], "%s: %s before, %s after the %s reload" % (
                k, st0[k], st1[k], how)
    # the same clients come back to the same addresses, and the counters keep counting
    r = perfdhcp(rig.net, n=n, rate=200, base_mac=base, relay=PERF_RELAY)
    assert r.all_acked(n), r
    assert all_leases() == ls0
    # perfdhcp may resend a REQUEST on a loaded machine: every REQUEST received is ACKed
    acks = rig.stat("pkt4-ack-sent") - st0["pkt4-ack-sent"]
    reqs = rig.stat("pkt4-request-received") - st0["pkt4-request-received"]
    assert acks == reqs and acks >= n, (acks, reqs, n)


def _line_of(text, needle):
    i = text.index(needle)
    return text.count("\n", 0, i) + 1


def test_failing_reload_keeps_config(rig):
    """A broken file deep inside the production-scale configuration: config-reload answers
    result 1 with the JSON path and line; SIGHUP logs the same; the old configuration keeps
    serving (config-get, option values in OFFERs), and a fixed file reloads again."""
    cfg = json.loads(json.dumps(rig.cfg))
    d4 = cfg["Dhcp4"]
    net = d4["shared-networks"][100]
    bad_pool = "10.255.255.1 - 10.255.255.9"   # outside its subnet
    net["subnet4"][3]["pools"][0]["pool"] = bad_pool
    [o for o in d4["option-data"] if o["name"] == "domain-name"][0]["data"] = "never.example"
    path = rig.write(cfg)
    line = _line_of(open(path).read(), bad_pool)

    ans = rig.reload_http()
    assert ans["result"] == 1, ans
    if rig.server.kind != "kea":
        want = "shared-networks[100].subnet4[3].pools[0]"
        assert want in ans["text"], ans
        assert re.search(r"\(line %d\)|line %d\b|:%d:" % (line, line, line), ans["text"]), \
            "no line %d in %r" % (line, ans["text"])
    ok, text = rig.reload_sighup()
    assert not ok, text
    assert "DHCP4_DYNAMIC_RECONFIGURATION_FAIL" in text or "DHCP4_CONFIG_LOAD_FAIL" in text
    if rig.server.kind != "kea":
        assert "shared-networks[100].subnet4[3].pools[0]" in text, text

    # old configuration, still serving
    cg = rig.ctl.http("config-get")[0]["arguments"]["Dhcp4"]
    assert [o["data"] for o in cg["option-data"] if o["name"] == "domain-name"] == \
        ["test_default.example.com"]
    if rig.server.kind == "kea":
        return  # Kea 2.2 stops serving DHCP after a failed reload (test_ctl.py)
    rep = rig.offer("02:aa:00:00:02:01")
    assert rep is not None and _domain(rep) == b"test_default.example.com", rep

    # fixed: reloads again
    rig.write(rig.cfg)
    assert rig.reload_http()["result"] == 0
    ok, text = rig.reload_sighup()
    assert ok, text

"""Differential tests: lessor against ISC Kea 2.2, same configuration, same packets (issue #3).

A table of cases (CASES, in differential_cases.py). Each case names a configuration GROUP (CONFIGS, in differential_configs.py), an exchange
(discover / dora / reboot / inform / renew / ...), the client's MAC, the relay it comes through
and the options it sends. For every group, Kea runs first and then lessor, each on a fresh
server with an empty (or the same preloaded) lease file, and the cases of the group run in table
order against each; the decoded replies (every BOOTP field and the options, in wire order) must
be identical. `want` checks the reply against what the case is about (on Kea's reply too, which
proves the case tests what it says); `ignore` names fields that may legitimately differ.

Adding a case is one entry in CASES: C(name, group, kind, mac=..., relay=..., opts=[(code,
bytes)], want={"opt15": b"...", "yiaddr": "...", "type": ACK, "0:opt5": None}, ignore={...},
plus build() fields such as hops/flags/ciaddr/hlen/raw_opts). Without an option 55 of its own a
case sends DEFAULT_PRL. Deliberate differences are listed in DIFFERENCES (name -> reason) and
are xfail(strict) with that reason (only when comparing with lessor).

Every configuration sets "multi-threading": {"enable-multi-threading": false} (Kea 2.2's
default, spelled out) unless it says otherwise; group "mt" runs the deployment's MT settings (12
threads) and compares every field, yiaddr included (one shared iterative cursor per pool, as
Kea's). CONFIGS_B holds a
lessor-side variant of a group where Kea 2.2 cannot take the syntax (never-send: lessor with
never-send must answer exactly as Kea without those options). test_differential_config.py compares
`kea-dhcp4 -t` with `lessor -t` on every group and on a few invalid files.

Topology: conftest.NetPair with several relay addresses in netns cli (10.N.0.2) and a route for
10.0.0.0/8 to it from netns srv; the test process enters netns cli (setns) to open its sockets,
so it is the relay agent itself. Subnet 10.99.0.0/24 (relay 10.99.0.2) exists in every
configuration only for the readiness probe.

Environment: LESSOR_TEST_SERVER=kea compares Kea with Kea (proves determinism and the cases).
"""

import collections
import json
import os
import re
import subprocess
import time

import pytest

from conftest import NetPair, Server, need_root, need_tools
from difflib4 import DISCOVER, Client, build, decode, diff, msgtype, option, project
from differential_configs import (CONFIGS, KIND_B, LEASE_GROUPS, PRELOAD, PROBE_RELAY, RELAYS,
                                  config_for)
from differential_cases import CASES, DEFAULT_PRL, DIFFERENCES

# ---------------------------------------------------------------------------------------------
# the runner

PRELOAD_ROWS = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev," \
               "hostname,state,user_context\n"



def _preload(group, path, now):
    rows = PRELOAD.get(group)
    if not rows:
        return
    with open(path, "w") as f:
        f.write(PRELOAD_ROWS)
        for addr, hw, sid, *more in rows:
            ctx = more[0] if more else ""
            age = more[1] if len(more) > 1 else 0
            f.write("%s,%s,,4000,%d,%d,0,0,,0,%s\n" % (addr, hw, now + 4000 - age, sid, ctx))


_topology = {}


def _net():
    if "net" not in _topology:
        need_root()
        need_tools("ip", "kea-dhcp4")
        _topology["net"] = NetPair(
            srv_addrs=("192.0.2.1/24",),
            cli_addrs=["192.0.2.2/24", "10.0.0.2/16"] + ["%s/24" % r for r in RELAYS[1:]],
            routes=(("10.0.0.0/8", "192.0.2.2"),))
    return _topology["net"]


@pytest.fixture(scope="module", autouse=True)
def _teardown_topology():
    yield
    net = _topology.pop("net", None)
    if net:
        net.close()


def _mac_for(group_idx, case_idx):
    return "02:dd:%02x:00:%02x:%02x" % (group_idx, case_idx >> 8, case_idx & 0xff)


def _run_group(kind, group, tmp_root, tag):
    """Start a server of KIND on group GROUP's configuration, run its cases in table order;
    returns ({case name: [decoded replies]}, server log)."""
    net = _net()
    d = os.path.join(tmp_root, "%s-%s-%s" % (group, tag, kind))
    os.makedirs(d, exist_ok=True)
    srv = Server(net, d, kind=kind)
    cfg = config_for(group, d, "b" if (tag == "b" and kind != "kea") else "a")
    _preload(group, os.path.join(d, "leases4.csv"), int(time.time()))
    client = Client(net.cli, RELAYS)
    out = {}
    try:
        srv.start(cfg, wait=False)
        srv.wait_log(r"DHCP4_STARTED", 30)
        deadline = time.monotonic() + 10
        while True:
            r = client.exchange("02:99:99:99:99:99", "discover", relay=PROBE_RELAY)
            if r[0] is not None:
                break
            assert srv.alive(), "%s died:\n%s" % (kind, srv.log_since_start()[-3000:])
            assert time.monotonic() < deadline, "%s never answered the probe:\n%s" % (
                kind, srv.log_since_start()[-3000:])
        gidx = list(CONFIGS).index(group)
        for i, c in enumerate(x for x in CASES if x.group == group):
            mac = c.mac or _mac_for(gidx, i)
            kw = dict(c.kw)
            giaddr_override = kw.pop("giaddr_override", None)
            if giaddr_override:
                # a relay address the server has no subnet for: expect silence from both
                raw = client.send(build(mac, DISCOVER, xid=client.next_xid(),
                                        giaddr=giaddr_override, opts=c.opts), c.relay)
                out[c.name] = [decode(raw)]
                continue
            client.drain()
            opts = c.opts
            if not kw.pop("noprl", False) and not any(o[0] == 55 for o in opts):
                opts = [DEFAULT_PRL] + opts
            out[c.name] = client.exchange(mac, c.kind, relay=c.relay, opts=opts, **kw)
        assert srv.alive(), "%s died during the cases:\n%s" % (
            kind, srv.log_since_start()[-3000:])
        log = srv.log_since_start()
    finally:
        client.close()
        srv.stop()
        srv.cleanup()
    return out, log


_results = {}


def _results_for(group, tmp_root):
    """Both runs of GROUP, done once; a failed run fails every case of the group at once."""
    if group not in _results:
        try:
            a, la = _run_group("kea", group, tmp_root, "a")
            b, lb = _run_group(KIND_B, group, tmp_root, "b")
            _results[group] = (a, b, la, lb)
        except (AssertionError, OSError, subprocess.SubprocessError) as e:
            _results[group] = "group %s could not run: %s" % (group, e)
    if isinstance(_results[group], str):
        pytest.fail(_results[group], pytrace=False)
    return _results[group]


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("differential"))


def _check_want(c, replies, who):
    for key, val in c.want.items():
        idx, _, field = key.rpartition(":")
        idx = int(idx) if idx else -1
        r = replies[idx] if replies and -len(replies) <= idx < len(replies) else None
        if field == "type":
            got = msgtype(r) if r else None
        elif field.startswith("opt") and field[3:].isdigit():
            got = option(r, int(field[3:])) if r else None
        elif field.startswith("opt"):
            continue  # annotation only
        else:
            got = r.get(field) if r else None
        if callable(val):
            assert val(got), "%s: %s: %s = %r out of range\n%s" % (
                who, c.name, key, got, json.dumps(replies, indent=1))
            continue
        assert got == val, "%s: %s: want %s = %r, got %r\n%s" % (
            who, c.name, key, val, got, json.dumps(replies, indent=1))


def _params():
    out = []
    for c in CASES:
        marks = []
        if c.name in DIFFERENCES and KIND_B != "kea":
            marks.append(pytest.mark.xfail(reason=DIFFERENCES[c.name], strict=True))
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_case(case, tmp_root):
    a, b, la, lb = _results_for(case.group, tmp_root)
    ra = [project(r, case.ignore) for r in a[case.name]]
    rb = [project(r, case.ignore) for r in b[case.name]]
    _check_want(case, a[case.name], "kea")
    assert ra == rb, "%s differs from Kea in %s (group %s):\n%s" % (
        KIND_B, case.name, case.group, diff(ra, rb, "kea", KIND_B))
    _check_want(case, b[case.name], KIND_B)



# ---------------------------------------------------------------------------------------------
# log lines: the packet path logs the same messages (severity, logger, id, text) as Kea 2.2

_LOG_RE = re.compile(r"^\S+ \S+ +(\w+) +\[([\w.-]+)/[\d.]+\] (\w+) ?(.*)$")


def _packet_log(text, only=None, skip=()):
    """Counter of (severity, logger, message id, text) between DHCP4_STARTED and shutdown,
    for the ids in ONLY (None: all) except those in SKIP."""
    out = collections.Counter()
    on = False
    for ln in text.splitlines():
        m = _LOG_RE.match(ln)
        if not m:
            continue
        sev, logger, mid, msg = m.groups()
        if mid == "DHCP4_STARTED":
            on = True
            continue
        if mid.startswith("DHCP4_SHUTDOWN"):
            break
        if on and (only is None or mid in only) and mid not in skip:
            if mid == "DHCP4_LEASE_REUSE":
                # the lifetime left depends on the second the packet came in
                msg = re.sub(r"reused for \d+ seconds", "reused for N seconds", msg)
            out[(sev, logger, mid, msg.strip())] += 1
    return out


def _log_params():
    out = []
    for g in CONFIGS:
        marks = []
        if "log:" + g in DIFFERENCES and KIND_B != "kea":
            marks.append(pytest.mark.xfail(reason=DIFFERENCES["log:" + g], strict=True))
        out.append(pytest.param(g, id=g, marks=marks))
    return out


@pytest.mark.parametrize("what", ["messages", "eval-result"])
@pytest.mark.parametrize("group", _log_params())
def test_log_lines(group, what, tmp_root):
    """The INFO-and-above lines logged while serving a group's cases are the same lines (the
    probe's included), apart from order and timestamps/pids. 'eval-result' compares Kea 2.2's
    INFO EVAL_RESULT lines (one per class whose test is true), 'messages' all others."""
    _, _, la, lb = _results_for(group, tmp_root)
    if what == "messages":
        ka, kb = _packet_log(la, skip={"EVAL_RESULT"}), _packet_log(lb, skip={"EVAL_RESULT"})
        assert ka, "no packet-path log lines from Kea:\n" + la[-2000:]
    else:
        ka, kb = _packet_log(la, only={"EVAL_RESULT"}), _packet_log(lb, only={"EVAL_RESULT"})
    only_a = sorted((ka - kb).items())
    only_b = sorted((kb - ka).items())
    assert not only_a and not only_b, "log lines differ (%s):\n%s" % (group, "\n".join(
        ["  - kea x%d: %s" % (n, " ".join(k)) for k, n in only_a[:25]] +
        ["  + %s x%d: %s" % (KIND_B, n, " ".join(k)) for k, n in only_b[:25]]))


LEASE_COLS = ("address", "hwaddr", "client_id", "valid_lifetime", "subnet_id", "hostname",
              "state", "user_context")


def _lease_rows(path):
    from conftest import read_lease_rows
    return [tuple(r.get(k) for k in LEASE_COLS) for r in read_lease_rows(path)]


@pytest.mark.parametrize("group", ["names"])
def test_lease_hostnames(group, tmp_root):
    """Each lease's hostname as the server last wrote it is Kea's (Kea 2.2 writes a generated
    name's lease twice, first without the name; lessor writes the final name once)."""
    from conftest import read_lease_rows
    _results_for(group, tmp_root)
    ka, kb = [{r["address"]: r["hostname"] for r in read_lease_rows(
        os.path.join(tmp_root, "%s-%s" % (group, side), "leases4.csv"))}
        for side in ("a-kea", "b-" + KIND_B)]
    assert any(ka.values()), "Kea stored no hostname: the group tests nothing"
    assert ka == kb, "lease hostnames differ:\n" + "\n".join(
        "  %s: kea %r, %s %r" % (a, ka.get(a), KIND_B, kb.get(a))
        for a in sorted(set(ka) | set(kb)) if ka.get(a) != kb.get(a))


@pytest.mark.parametrize("group", LEASE_GROUPS)
def test_lease_rows(group, tmp_root):
    """After a group's cases, the lease file holds the same rows in the same order as Kea's
    (every column but the clock's expire and lessor's pool_id)."""
    _results_for(group, tmp_root)
    ra = _lease_rows(os.path.join(tmp_root, "%s-a-kea" % group, "leases4.csv"))
    rb = _lease_rows(os.path.join(tmp_root, "%s-b-%s" % (group, KIND_B), "leases4.csv"))
    assert ra, "Kea wrote no lease rows in group %s" % group
    assert ra == rb, "lease rows differ (group %s):\nkea:\n%s\n%s:\n%s" % (
        group, "\n".join(map(str, ra)), KIND_B, "\n".join(map(str, rb)))

"""Kea's other HA modes (issue 7 items 2 and 5), each pairing also against real Kea 2.2:

- load-balancing: the relay sends every DISCOVER to both servers; each client is answered by
  exactly one of them, the same one whichever kind each server is (the RFC 3074 hash over the
  client-id, or the chaddr without one), about half each; each pool is guarded by the scope's
  class (HA_server1 / HA_server2, set as Kea sets it); every lease reaches the partner; after
  SIGKILL of server1 server2 serves both scopes (partner-down), and server1 started again
  syncs and both return to load-balancing.
- passive-backup: the primary serves every client and sends each lease to the backup, holding
  the reply for the backup's answer only with wait-backup-ack.
- backup servers beside a hot-standby or load-balancing pair: three servers, the backup
  receives the leases of the active servers and, after server1 died, of server2.
- communication-recovery (load-balancing, delayed-updates-limit): the partner stopped but
  not judged down, the missed updates are replayed, or ha-reset when too many.
"""

import os
import signal
import time

import pytest

from conftest import NEW_MAC, by_hwaddr, ip2int, mac_seq, need_tools
from ha_pair import (ADDRS, FAST, PORTS, PRIMARY_ADDR, STANDBY_ADDR, command, ha_state, pair_config, seats,
                     wait_states)
from ha_relay import relay_dora
import conftest

BOTH = [PRIMARY_ADDR, STANDBY_ADDR]
SEAT_ADDR = {"primary": PRIMARY_ADDR, "standby": STANDBY_ADDR}
# load-balancing: each scope's pool is guarded by the scope's class
POOL = {"server1": ("10.0.1.0", "10.0.1.255"), "server2": ("10.0.2.0", "10.0.2.255")}
LB_MAC = "02:1b:00:00:00:00"
KINDS = [("lessor", "lessor"), ("lessor", "kea"), ("kea", "lessor")]


def url(seat):
    return "http://%s:%d/" % (ADDRS[seat], PORTS[seat])


def peer(name, seat, role):
    return {"name": name, "url": url(seat), "role": role, "auto-failover": True}


def ha(me, mode, peers, **over):
    p = {"this-server-name": me, "mode": mode, "peers": peers}
    p.update(FAST)
    p.update(over)
    return p


def start(tmp_path, net, seat, kind, made, params, pools=None):
    d = tmp_path / seat
    d.mkdir(exist_ok=True)
    s = conftest.Server(net, d, kind=kind)
    made.append(s)
    cfg = pair_config(s.dir, seat, kind, ha=params)
    if pools is not None:
        cfg["Dhcp4"]["subnet4"][0]["pools"] = pools
    s.start(cfg, wait=False)
    s.wait_log(r"DHCP4_STARTED", 30)
    return s


def ha_block(net, seat):
    """status-get's high-availability block of SEAT (the local server's part, the remote's
    keys)."""
    b = command(net, seat, "status-get")["arguments"]["high-availability"][0]
    return b["ha-mode"], b["ha-servers"]["local"], sorted(b["ha-servers"].get("remote", {}))


REMOTE_KEYS = ["age", "analyzed-packets", "communication-interrupted", "connecting-clients",
               "in-touch", "last-scopes", "last-state", "role", "unacked-clients",
               "unacked-clients-left"]


def heartbeat(net, seat):
    a = command(net, seat, "ha-heartbeat")["arguments"]
    return a["scopes"], a["state"]


def need(kinds):
    need_tools("curl")
    if "kea" in kinds:
        need_tools("kea-dhcp4")


def in_pool(addr, name):
    lo, hi = POOL[name]
    return ip2int(lo) <= ip2int(addr) <= ip2int(hi)


def wait_leases(servers, want, timeout=10):
    """Wait until every server's memfile holds exactly WANT {hwaddr: address} (for those
    hwaddrs); returns what each had last."""
    deadline = time.monotonic() + timeout
    while True:
        got = [{hw: a for hw, a in by_hwaddr(s.leases()).items() if hw in want} for s in servers]
        if all(g == want for g in got) or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


# ---- load-balancing ---------------------------------------------------------------------

def lb_params(me, **over):
    return ha(me, "load-balancing", [peer("server1", "primary", "primary"),
                                     peer("server2", "standby", "secondary")], **over)


LB_POOLS = [{"pool": "%s - %s" % POOL["server1"], "client-class": "HA_server1"},
            {"pool": "%s - %s" % POOL["server2"], "client-class": "HA_server2"}]


def split(res):
    """{mac: seat that answered}; fails on a client offered by both servers or by none."""
    by = {}
    for mac, r in res.items():
        assert len(r["offered_by"]) == 1, "%s offered by %r" % (mac, r["offered_by"])
        assert r["acked_by"] == r["offered_by"][0] and r["addr"], (mac, r)
        by[mac] = "primary" if r["acked_by"] == PRIMARY_ADDR else "standby"
    return by


@pytest.mark.parametrize("kind1,kind2", KINDS)
def test_load_balancing(netpair, tmp_path, kind1, kind2):
    need((kind1, kind2))
    with seats(netpair) as (sb, made):
        run_lb(netpair, sb, tmp_path, kind1, kind2, made)


def run_lb(net, sb, tmp_path, kind1, kind2, made):
    # delayed-updates-limit 0: a lost partner means partner-down, not communication-recovery;
    # max-response-delay 2 s: a heartbeat late by 1 s under load must not split the pair
    over = {"delayed-updates-limit": 0, "max-response-delay": 2000}
    s2 = start(tmp_path, sb, "standby", kind2, made, lb_params("server2", **over), LB_POOLS)
    s1 = start(tmp_path, net, "primary", kind1, made, lb_params("server1", **over), LB_POOLS)
    wait_states(net, {"primary": "load-balancing", "standby": "load-balancing"})

    # the split: every client answered by exactly one server, the same whatever the kinds
    # (a hash that differed would leave clients answered twice or never), about half each
    macs = mac_seq(LB_MAC, 40)
    res = relay_dora(net, BOTH, macs)
    by = split(res)
    n1 = sum(1 for s in by.values() if s == "primary")
    print("LB SPLIT %s+%s: server1 %d, server2 %d of %d" % (kind1, kind2, n1, len(by) - n1, len(by)))
    assert 10 <= n1 <= 30, by
    # the scope's class guards the pools: server1's clients from server1's pool
    for mac, seat in by.items():
        assert in_pool(res[mac]["addr"], "server1" if seat == "primary" else "server2"), (mac, res[mac])
    # lease updates both ways: each server has the other's leases too
    want = {mac: r["addr"] for mac, r in res.items()}
    got = wait_leases([s1, s2], want)
    assert got == [want, want]

    # ha-scopes: server1 serves both scopes until told otherwise (server2 still its own)
    probe = mac_seq("02:1c:00:00:00:00", 12)
    assert command(net, "primary", "ha-scopes", {"scopes": ["server1", "server2"]})["result"] == 0
    both = relay_dora(net, BOTH, probe, request=False)
    assert all(PRIMARY_ADDR in r["offered_by"] for r in both.values()), both
    assert any(len(r["offered_by"]) == 2 for r in both.values()), both
    assert command(net, "primary", "ha-scopes", {"scopes": ["server1"]})["result"] == 0
    one = relay_dora(net, BOTH, probe, request=False)
    assert all(len(r["offered_by"]) == 1 for r in one.values()), one

    # takeover: server1 dies, server2 goes partner-down and serves both scopes
    scope1 = [m for m, s in by.items() if s == "primary"]
    t0 = time.monotonic()
    s1.kill9()
    took = None
    while took is None and time.monotonic() - t0 < 20:
        r = relay_dora(net, [STANDBY_ADDR], scope1[:1], wait=0.5)
        if r[scope1[0]]["addr"]:
            took = time.monotonic() - t0
    print("LB TAKEOVER %s server1 killed -> %s server2 serves its scope: %s s" % (
        kind1, kind2, "%.2f" % took if took else "never"))
    assert took is not None
    assert ha_state(net, "standby") == "partner-down"
    # as Kea 2.2 reports it in either seat
    assert ha_block(net, "standby") == ("load-balancing", {"role": "secondary", "scopes": [
        "server1", "server2"], "state": "partner-down"}, REMOTE_KEYS)
    assert heartbeat(net, "standby") == (["server1", "server2"], "partner-down")
    again = relay_dora(net, [STANDBY_ADDR], scope1)
    assert {m: r["addr"] for m, r in again.items()} == {m: want[m] for m in scope1}
    # new clients of both scopes, all from server2; scope 1's still from HA_server1's pool
    fresh = mac_seq(NEW_MAC, 16)
    res2 = relay_dora(net, [STANDBY_ADDR], fresh)
    assert all(r["acked_by"] == STANDBY_ADDR for r in res2.values()), res2
    pools = {"server1" if in_pool(r["addr"], "server1") else "server2" for r in res2.values()}
    assert pools == {"server1", "server2"}, res2

    # failback: server1 syncs server2's new leases, both load-balance again
    s1.start(wait=False)
    wait_states(net, {"primary": "load-balancing", "standby": "load-balancing"}, timeout=30)
    want2 = {m: r["addr"] for m, r in res2.items()}
    assert wait_leases([s1], want2)[0] == want2
    res3 = relay_dora(net, BOTH, fresh)
    by3 = split(res3)
    assert {m: r["addr"] for m, r in res3.items()} == want2
    assert len(set(by3.values())) == 2, by3


# ---- passive-backup ---------------------------------------------------------------------

def pb_params(me, **over):
    return ha(me, "passive-backup", [peer("server1", "primary", "primary"),
                                     peer("server2", "standby", "backup")], **over)


@pytest.mark.parametrize("wait_ack", [False, True], ids=["no-wait", "wait-backup-ack"])
@pytest.mark.parametrize("kind1,kind2", KINDS)
def test_passive_backup(netpair, tmp_path, kind1, kind2, wait_ack):
    """server1 serves everyone and sends each lease to server2 (role backup, serving nobody).
    With the backup dead, the primary keeps answering unless wait-backup-ack holds each reply
    for the backup's answer (then the reply is dropped, as Kea drops it)."""
    need((kind1, kind2))
    over = {"wait-backup-ack": wait_ack}
    with seats(netpair) as (sb, made):
        bk = start(tmp_path, sb, "standby", kind2, made, pb_params("server2", **over))
        s1 = start(tmp_path, netpair, "primary", kind1, made, pb_params("server1", **over))
        wait_states(netpair, {"primary": "passive-backup", "standby": "backup"})
        # status-get and ha-heartbeat as Kea 2.2 answers them in each seat (no remote part)
        assert ha_block(netpair, "primary") == (
            "passive-backup", {"role": "primary", "scopes": ["server1"], "state": "passive-backup"}, [])
        assert ha_block(netpair, "standby") == (
            "passive-backup", {"role": "backup", "scopes": [], "state": "backup"}, [])
        assert heartbeat(netpair, "primary") == (["server1"], "passive-backup")
        assert heartbeat(netpair, "standby") == ([], "backup")
        macs = mac_seq(LB_MAC, 20)
        # the backup serves nobody
        assert all(r["addr"] is None for r in relay_dora(netpair, [STANDBY_ADDR], macs[:4], wait=1).values())
        res = relay_dora(netpair, BOTH, macs)
        assert all(r["offered_by"] == [PRIMARY_ADDR] and r["addr"] for r in res.values()), res
        want = {m: r["addr"] for m, r in res.items()}
        assert wait_leases([s1, bk], want) == [want, want]

        bk.kill9()
        fresh = mac_seq(NEW_MAC, 6)
        res2 = relay_dora(netpair, [PRIMARY_ADDR], fresh, wait=3)
        acked = sum(1 for r in res2.values() if r["addr"])
        print("PASSIVE-BACKUP %s primary, %s backup dead, wait-backup-ack %s: %d of %d acked" % (
            kind1, kind2, wait_ack, acked, len(fresh)))
        assert acked == (0 if wait_ack else len(fresh)), res2
        assert ha_state(netpair, "primary") == "passive-backup"


# ---- backup servers beside a hot-standby pair -------------------------------------------

def three_params(me, mode):
    return ha(me, mode, [peer("server1", "primary", "primary"),
                         peer("server2", "standby", "standby" if mode == "hot-standby" else "secondary"),
                         peer("server3", "backup", "backup")])


@pytest.mark.parametrize("mode,kinds", [
    ("hot-standby", ("lessor", "lessor", "lessor")), ("hot-standby", ("lessor", "lessor", "kea")),
    ("hot-standby", ("kea", "kea", "lessor")), ("load-balancing", ("lessor", "lessor", "lessor")),
    ("load-balancing", ("kea", "lessor", "kea"))], ids=lambda v: "-".join(v) if isinstance(v, tuple) else v)
def test_backup_server(netpair, tmp_path, mode, kinds):
    """Three servers: the leases of the active pair (the primary's in hot-standby, both
    servers' in load-balancing) reach the partner and the backup; after SIGKILL of server1
    server2 serves (partner-down) and its leases still reach the backup."""
    need(kinds)
    pools = LB_POOLS if mode == "load-balancing" else None
    with seats(netpair, backup=True) as (sb, bkn, made):
        bk = start(tmp_path, bkn, "backup", kinds[2], made, three_params("server3", mode), pools)
        s2 = start(tmp_path, sb, "standby", kinds[1], made, three_params("server2", mode), pools)
        s1 = start(tmp_path, netpair, "primary", kinds[0], made, three_params("server1", mode), pools)
        wait_states(netpair, {"primary": mode, "standby": mode, "backup": "backup"})
        res = relay_dora(netpair, BOTH, mac_seq(LB_MAC, 20))
        if mode == "hot-standby":
            assert all(r["offered_by"] == [PRIMARY_ADDR] and r["addr"] for r in res.values()), res
        else:
            assert len(set(split(res).values())) == 2, res
        want = {m: r["addr"] for m, r in res.items()}
        assert wait_leases([s1, s2, bk], want) == [want, want, want]

        s1.kill9()
        wait_states(netpair, {"standby": "partner-down"}, timeout=20)
        res2 = relay_dora(netpair, [STANDBY_ADDR], mac_seq(NEW_MAC, 10))
        assert all(r["addr"] for r in res2.values()), res2
        want2 = {m: r["addr"] for m, r in res2.items()}
        assert wait_leases([s2, bk], want2) == [want2, want2]
        assert ha_state(netpair, "backup") == "backup"


# ---- communication-recovery -------------------------------------------------------------

def partner_stopped(net, s2, then):
    """SIGSTOP server2 until server1 is in communication-recovery, run THEN(), SIGCONT."""
    s2.proc.send_signal(signal.SIGSTOP)
    try:
        wait_states(net, {"primary": "communication-recovery"}, timeout=20)
        return then()
    finally:
        s2.proc.send_signal(signal.SIGCONT)


@pytest.mark.parametrize("kind1,kind2", KINDS)
def test_communication_recovery(netpair, tmp_path, kind1, kind2):
    """load-balancing with delayed-updates-limit 4: server2 stopped (SIGSTOP) but not judged
    down (max-unacked-clients 10), server1 goes communication-recovery, serves its own scope
    at once and keeps the updates; server2 back, they are replayed (3 leases) and both
    load-balance again. Six changes overflow the backlog: server1 sends ha-reset, both go
    through waiting and resync, and server2 ends with the six leases all the same."""
    need((kind1, kind2))
    over = {"delayed-updates-limit": 4, "max-unacked-clients": 10}
    with seats(netpair) as (sb, made):
        s2 = start(tmp_path, sb, "standby", kind2, made, lb_params("server2", **over), LB_POOLS)
        s1 = start(tmp_path, netpair, "primary", kind1, made, lb_params("server1", **over), LB_POOLS)
        wait_states(netpair, {"primary": "load-balancing", "standby": "load-balancing"})
        # which clients are server1's (offers only: nobody has a lease yet)
        offers = relay_dora(netpair, BOTH, mac_seq(LB_MAC, 30), request=False)
        mine = [m for m, r in offers.items() if r["offered_by"] == [PRIMARY_ADDR]]
        assert len(mine) >= 9, offers

        t0 = time.monotonic()
        res = partner_stopped(netpair, s2, lambda: relay_dora(netpair, [PRIMARY_ADDR], mine[:3]))
        assert all(r["addr"] for r in res.values()), res
        wait_states(netpair, {"primary": "load-balancing", "standby": "load-balancing"}, timeout=20)
        print("COMM-RECOVERY %s server1, %s server2: 3 delayed updates replayed, load-balancing "
              "again %.1f s after SIGSTOP" % (kind1, kind2, time.monotonic() - t0))
        want = {m: r["addr"] for m, r in res.items()}
        assert wait_leases([s2], want)[0] == want

        mark = os.path.getsize(s2.log_path)
        res = partner_stopped(netpair, s2, lambda: relay_dora(netpair, [PRIMARY_ADDR], mine[3:9]))
        assert all(r["addr"] for r in res.values()), res
        s2.wait_log(r"LOAD-BALANCING to WAITING", timeout=20, since=mark)
        wait_states(netpair, {"primary": "load-balancing", "standby": "load-balancing"}, timeout=30)
        want = {m: r["addr"] for m, r in res.items()}
        assert wait_leases([s1, s2], want) == [want, want]

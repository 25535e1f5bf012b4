"""Hot-standby pairs speaking Kea's HA protocol (issue 7): lessor + lessor, lessor primary +
Kea 2.2 standby, Kea 2.2 primary + lessor standby. Leases ACKed by the primary appear on the
standby (lease4-update before the ACK leaves); killing the primary makes the standby serve (the
time from the SIGKILL to the standby's first ACK is measured and printed); the primary started
again syncs the leases the standby gave meanwhile (lease4-get-page) and both return to
hot-standby (failback)."""

import time

import pytest

from conftest import NEW_MAC, PERF_BASE_MAC, by_hwaddr, mac_seq, need_tools, perfdhcp
from ha_pair import PRIMARY_ADDR, STANDBY_ADDR, StandbyNet, dora, ha_state, start_half, wait_states


def failover(net, primary, standby_kind):
    """Kill the primary; returns seconds from SIGKILL to the standby's first ACK."""
    t0 = time.monotonic()
    primary.kill9()
    while time.monotonic() - t0 < 20:
        if dora(net, STANDBY_ADDR, mac="02feedbeef%02x" % 7, timeout=0.1):
            return time.monotonic() - t0
    raise AssertionError("the %s standby never served after the primary died" % standby_kind)


@pytest.mark.parametrize("primary_kind,standby_kind",
                         [("lessor", "lessor"), ("lessor", "kea"), ("kea", "lessor")])
def test_hot_standby_pair(netpair, tmp_path, primary_kind, standby_kind):
    need_tools("curl", "perfdhcp")
    if "kea" in (primary_kind, standby_kind):
        need_tools("kea-dhcp4")
    sb = StandbyNet(netpair)
    made = []
    try:
        run_pair(netpair, sb, tmp_path, primary_kind, standby_kind, made)
    finally:
        for s in made:
            s.cleanup()
        sb.close()


def run_pair(netpair, sb, tmp_path, primary_kind, standby_kind, made):
    standby = start_half(tmp_path, sb, "standby", standby_kind, made)
    primary = start_half(tmp_path, netpair, "primary", primary_kind, made)
    wait_states(netpair, {"primary": "hot-standby", "standby": "hot-standby"})

    # the standby serves nobody while the primary is alive
    assert dora(netpair, STANDBY_ADDR, timeout=0.5) is None

    # every ACK of the primary is on the standby before the client has it
    n = 40
    # each ACK waits for the partner's answer: on these shared cores that can take ~1 s
    r = perfdhcp(netpair, n=n, rate=50, base_mac=PERF_BASE_MAC, server_addr=PRIMARY_ADDR, wait_s=3)
    assert r.all_acked(n), r
    want = set(mac_seq(PERF_BASE_MAC, n))
    on_primary = {hw: a for hw, a in by_hwaddr(primary.leases()).items() if hw in want}
    assert len(on_primary) == n
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        on_standby = {hw: a for hw, a in by_hwaddr(standby.leases()).items() if hw in want}
        if on_standby == on_primary:
            break
        time.sleep(0.1)
    assert on_standby == on_primary
    # a lessor primary batches its updates to a lessor standby (negotiated by version-get),
    # and sends Kea's one command per lease to Kea
    if primary_kind == "lessor":
        assert ("go in batches" if standby_kind == "lessor" else "one lease per command") in primary.log()
    if (primary_kind, standby_kind) == ("lessor", "lessor"):
        assert "Received command 'lessor-lease4-batch'" in standby.log()

    took = failover(netpair, primary, standby_kind)
    print("FAILOVER %s primary -> %s standby: %.3f s (heartbeat-delay 200 ms, "
          "max-response-delay 1000 ms)" % (primary_kind, standby_kind, took))
    assert ha_state(netpair, "standby") == "partner-down"
    # Kea's standby in partner-down serves every client; the old leases keep their addresses
    mac0 = mac_seq(PERF_BASE_MAC, 1)[0].replace(":", "")
    assert dora(netpair, STANDBY_ADDR, mac=mac0, timeout=1) == on_primary[mac_seq(PERF_BASE_MAC, 1)[0]]
    assert took < 5

    # failback: the standby's new leases reach the primary by its sync, then hot-standby again
    # (perfdhcp sends out of its relay address's interface: only the primary's link)
    n2 = 10
    want2 = mac_seq(NEW_MAC, n2)
    acked = {hw: dora(netpair, STANDBY_ADDR, mac=hw.replace(":", ""), timeout=1) for hw in want2}
    given = {hw: a for hw, a in by_hwaddr(standby.leases()).items() if hw in want2}
    assert len(given) == n2 and given == acked
    primary.start(wait=False)
    wait_states(netpair, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=30)
    synced = {hw: a for hw, a in by_hwaddr(primary.leases()).items() if hw in want2}
    assert synced == given
    assert dora(netpair, PRIMARY_ADDR, mac=mac0, timeout=1) == on_primary[mac_seq(PERF_BASE_MAC, 1)[0]]


@pytest.mark.parametrize("standby_kind", ["lessor", "kea"])
def test_unacked_clients_secs_zero(netpair, tmp_path, standby_kind):
    """max-unacked-clients 2 (Kea's default is 10): the primary dies, three clients that send
    secs 0 keep asking the standby. Kea 2.2 counts a client as unacked only by its secs, so it
    stays in hot-standby for ever (checked here for 8 s); lessor also counts a client that keeps
    asking for longer than max-ack-delay, and takes over."""
    need_tools("curl")
    if standby_kind == "kea":
        need_tools("kea-dhcp4")
    sb = StandbyNet(netpair)
    made = []
    over = {"max-unacked-clients": 2}
    try:
        standby = start_half(tmp_path, sb, "standby", standby_kind, made, **over)
        primary = start_half(tmp_path, netpair, "primary", "lessor", made, **over)
        wait_states(netpair, {"primary": "hot-standby", "standby": "hot-standby"})
        t0 = time.monotonic()
        primary.kill9()
        took = None
        while took is None and time.monotonic() - t0 < 8:
            for k in range(3):
                dora(netpair, STANDBY_ADDR, mac="02feedbee0%02x" % k, timeout=0.1)
            if ha_state(netpair, "standby") == "partner-down":
                took = time.monotonic() - t0
        print("UNACKED %s standby, secs 0, max-unacked-clients 2: %s" % (
            standby_kind, "partner-down after %.2f s" % took if took else "still hot-standby after 8 s"))
        if standby_kind == "kea":
            assert took is None, "Kea 2.2 took over: the premise of this test is wrong"
            assert ha_state(netpair, "standby") == "hot-standby"
        else:
            assert took is not None and took < 6
            assert dora(netpair, STANDBY_ADDR, mac="02feedbee000", timeout=1)
        assert standby.alive()
    finally:
        for s in made:
            s.cleanup()
        sb.close()

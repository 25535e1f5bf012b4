"""dhcp-disable / dhcp-enable keep their state per origin, as Kea 2.2's NetworkState does (issue
#4): "user" and "ha-partner" each disable on their own, a max-period timer re-enables only its
own origin, and DHCP is served only while no origin disables it. status-get reports the packet
thread pool's real size (Kea: MultiThreadingMgr::getThreadPoolSize(), so "thread-pool-size": 0
reads as the number of CPUs).

Checked on the wire (a relayed DISCOVER gets an OFFER or not) and against Kea 2.2 with
LESSOR_TEST_SERVER=kea.
"""

import os
import time

import pytest

from conftest import SERVER_KIND, probe_offer
from test_ctl import ctl_config, start_ctl


def serving(ctl, want, timeout=3.0):
    """Whether a relayed DISCOVER is answered, waiting up to TIMEOUT for the state WANT."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe_offer(ctl.net, timeout=0.5)
        if got == want or time.monotonic() > deadline:
            return got


def ok(ans):
    assert len(ans) == 1 and ans[0]["result"] == 0, ans
    return ans[0]


def test_disable_per_origin(server, tmp_path):
    c = start_ctl(server, tmp_path)
    try:
        assert serving(c, True)
        ok(c.http("dhcp-disable", origin="user"))
        ok(c.http("dhcp-disable", origin="ha-partner"))
        assert not serving(c, False)
        # the user's enable does not lift the HA partner's disable
        assert ok(c.http("dhcp-enable"))["text"] == "DHCP service successfully enabled"
        assert not serving(c, False), "served while origin ha-partner still disables DHCP"
        ok(c.http("dhcp-enable", origin="ha-partner"))
        assert serving(c, True)

        # a timer re-enables only its own origin
        ok(c.http("dhcp-disable", **{"origin": "user", "max-period": 1}))
        ok(c.http("dhcp-disable", origin="ha-partner"))
        time.sleep(2.5)
        assert not serving(c, False), "the user's timer lifted the HA partner's disable"
        ok(c.http("dhcp-enable", origin="ha-partner"))
        assert serving(c, True), "still disabled although the user's timer ran out"

        # both timed: served again once the later one runs out
        # (ha-partner's 6 s leave room for slow calls on a loaded machine: the check at 2 s
        # must fall between the two timers' ends)
        t0 = time.monotonic()
        ok(c.http("dhcp-disable", **{"origin": "user", "max-period": 1}))
        ok(c.http("dhcp-disable", **{"origin": "ha-partner", "max-period": 6}))
        time.sleep(max(0.0, t0 + 2.0 - time.monotonic()))
        assert not serving(c, False, timeout=0.5)
        assert time.monotonic() - t0 < 5.5, "too slow to check between the two timers"
        assert serving(c, True, timeout=8.0)
    finally:
        c.stop()


def _status_threads(server, tmp_path, size):
    cfg, agent, sock = ctl_config(tmp_path)
    cfg["Dhcp4"]["multi-threading"] = {"enable-multi-threading": True,
                                       "thread-pool-size": size, "packet-queue-size": 16}
    c = start_ctl(server, tmp_path, cfg=cfg, agent=agent, sock=sock)
    try:
        st = ok(c.http("status-get"))["arguments"]
        assert st["multi-threading-enabled"] is True, st
        return st["thread-pool-size"], st["packet-queue-size"]
    finally:
        c.stop()


def test_status_get_thread_pool_size_auto(server, tmp_path):
    assert _status_threads(server, tmp_path, 0) == (os.cpu_count(), 16)


def test_status_get_thread_pool_size_explicit(server, tmp_path):
    assert _status_threads(server, tmp_path, 3) == (3, 16)


@pytest.mark.parametrize("hold", [3600, 0], ids=["config-keeps", "config-deletes"])
def test_leases_reclaim_remove(server, tmp_path, hold):
    """leases-reclaim {"remove": false} keeps an expired lease as expired-reclaimed (state 2);
    {"remove": true} deletes it (Kea: AllocEngine::reclaimExpiredLeases4(0, 0, remove)),
    whatever expired-leases-processing would do on its own timer."""
    cfg, agent, sock = ctl_config(tmp_path)
    cfg["Dhcp4"]["expired-leases-processing"] = {"hold-reclaimed-time": hold,
                                                 "reclaim-timer-wait-time": 0}
    c = start_ctl(server, tmp_path, cfg=cfg, agent=agent, sock=sock)
    try:
        past = int(time.time()) - 50
        for i, ip in enumerate(("10.0.99.10", "10.0.99.11")):
            ok(c.http("lease4-add", **{"ip-address": ip, "hw-address": "1a:1b:1c:1d:1e:%02x" % i,
                                       "valid-lft": 10, "expire": past}))
        ok(c.http("leases-reclaim", remove=False))
        got = c.http("lease4-get", **{"ip-address": "10.0.99.10"})[0]
        assert got["result"] == 0 and got["arguments"]["state"] == 2, got
        ok(c.http("leases-reclaim", remove=True))
        # an expired-reclaimed lease is not reclaimed twice: it stays
        got = c.http("lease4-get", **{"ip-address": "10.0.99.10"})[0]
        assert got["result"] == 0 and got["arguments"]["state"] == 2, got
        ok(c.http("lease4-add", **{"ip-address": "10.0.99.12", "hw-address": "1a:1b:1c:1d:1e:22",
                                   "valid-lft": 10, "expire": past}))
        ok(c.http("leases-reclaim", remove=True))
        got = c.http("lease4-get", **{"ip-address": "10.0.99.12"})[0]
        assert got["result"] == 3, "leases-reclaim remove=true kept the lease: %s" % got
    finally:
        c.stop()

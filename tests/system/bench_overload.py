"""Overload: ACKs while offered more DORA/s than the server can serve, lessor with
--query-max-age 1000 / 2000 / 3000 ms (and 0: no limit) and Kea 2.2 in one run. Not a ctest
(the name does not start with test_): run by hand, release build,

    cd build/dev && LESSOR_BIN=$PWD/../release/lessor LESSOR_TEST_TIMEOUT=900 \\
        nice /usr/bin/python3 -m pytest -q -s ../../tests/system/bench_overload.py

Each server runs in a cpu cgroup (v1, /sys/fs/cgroup/cpu) capped at BENCH_CPU_PCT % of one
core, so that it is overloaded at a modest offered rate while perfdhcp (uncapped) is not the
limit. perfdhcp plays CLIENTS clients through a relay at each rate of BENCH_RATES for
BENCH_PERIOD s (default 4; longer shows the steady state rather than a burst); a
reply later than BENCH_PATIENCE seconds counts as lost (perfdhcp -d: 4 s is RFC 2131 4.1's
first retransmission, a real client still takes the OFFER until then; perfdhcp's own default
in these tests is 2 s). Prints ACKs, ACKs/s over the period, the drop ratio and the server's
CPU per ACK (user+system from /proc). Measures, never asserts."""
import os
import time

import pytest

from bench_ha_pair import cpu_s
from conftest import PERF_BASE_MAC, base_config, need_root, perfdhcp

CLIENTS = 2000
PERIOD_S = int(os.environ.get("BENCH_PERIOD", "4"))
RATES = [int(r) for r in os.environ.get("BENCH_RATES", "3000,6000").split(",")]
CPU_PCT = float(os.environ.get("BENCH_CPU_PCT", "8"))
PATIENCE = [float(p) for p in os.environ.get("BENCH_PATIENCE", "4,2").split(",")]
RUNS = [("kea", None)] + [("lessor", ms) for ms in
                          [int(m) for m in os.environ.get("BENCH_AGES", "1000,2000,3000,0").split(",")]]
CPU_ROOT = "/sys/fs/cgroup/cpu"


class CpuCap:
    """A cpu cgroup of our own (name with this process's pid) capping PID at PCT % of a core."""

    def __init__(self, pid, pct):
        self.path = os.path.join(CPU_ROOT, "tidy-bench-%d-%d" % (os.getpid(), pid))
        os.mkdir(self.path)
        period = 100000
        with open(os.path.join(self.path, "cpu.cfs_period_us"), "w") as f:
            f.write(str(period))
        with open(os.path.join(self.path, "cpu.cfs_quota_us"), "w") as f:
            f.write(str(int(period * pct / 100)))
        with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
            f.write(str(pid))   # every thread of the process, and those it starts later

    def close(self):
        try:
            with open(os.path.join(self.path, "cgroup.procs")) as f:
                pids = f.read().split()
            for p in pids:
                with open(os.path.join(CPU_ROOT, "cgroup.procs"), "w") as f:
                    f.write(p)
        except OSError:
            pass
        try:
            os.rmdir(self.path)
        except OSError:
            pass


@pytest.mark.parametrize("patience", PATIENCE, ids=["patience%gs" % p for p in PATIENCE])
@pytest.mark.parametrize("run", RUNS, ids=["%s-%s" % (k, "kea" if a is None else a) for k, a in RUNS])
def test_bench(make_server, run, patience):
    need_root()
    if not os.path.isdir(CPU_ROOT):
        pytest.skip("no cgroup v1 cpu controller at " + CPU_ROOT)
    kind, age = run
    srv = make_server(kind, name="%s-%s-%g" % (kind, age, patience))
    if age is not None:
        srv.extra_args = ["--query-max-age", str(age)]
    srv.start(base_config(srv.dir), timeout=60)
    cap = CpuCap(srv.proc.pid, CPU_PCT)
    out = []
    try:
        for r in RATES:
            time.sleep(2 * patience + 2)     # the previous rate's queue drains or ages out
            c0 = cpu_s([srv])
            res = perfdhcp(srv.net, n=r * PERIOD_S, clients=CLIENTS, rate=r,
                           base_mac=PERF_BASE_MAC, wait_s=patience + 1, drop_s=patience,
                           timeout=3 * PERIOD_S + 60)   # perfdhcp lags at high load
            cpu = cpu_s([srv]) - c0
            out.append((r, res.acks, res.acks / PERIOD_S, 1 - res.acks / max(res.discovers, 1),
                        cpu * 1e6 / max(res.acks, 1), res.discovers))
    finally:
        cap.close()
        died = not srv.alive()
        srv.stop()
    assert not died, srv.log_since_start()[-1500:]
    print("\nBENCH cap %g%% patience %gs %s-%s " % (CPU_PCT, patience, kind,
                                                     "kea" if age is None else age) +
          " ".join("%d: %d ACKs %.0f/s (%.1f%% drop, %.0fus/ACK, %d DISCOVERs)" % (o[0], o[1], o[2], 100 * o[3], o[4], o[5]) for o in out),
          "load %.1f" % os.getloadavg()[0])

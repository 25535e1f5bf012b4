"""DORA/s with 14,400 reservations in a hosts database (MariaDB and PostgreSQL, Kea 2.2's
schema), lessor per packet (its default), lessor with the --hosts-poll cache, and Kea 2.2, in
one run (issue 11 item 5). Not a ctest (the name does not start with test_): run by hand,
release build,

    cd build/dev && LESSOR_BIN=$PWD/../release/lessor LESSOR_TEST_TIMEOUT=600 \
        /usr/bin/python3 -m pytest -q -s ../../tests/system/bench_sql_hosts.py

Each of the 14,400 rows reserves an address outside the pool for one MAC and carries one
host option (15); perfdhcp plays 2,000 of those clients through a relay at each rate of RATES
for 4 s (memfile leases, so the hosts lookups are what differs). Prints ACKs/s, the drop ratio
and the server's CPU per ACK (user+system from /proc; the database's own CPU is not in it)
per rate. Measures, never asserts."""
import os
import time

import pytest

from bench_ha_pair import cpu_s
from conftest import PERF_BASE_MAC, base_config, ip2int, mac_seq, perfdhcp
from test_sql_lease import attach_db, dbsrv, lease_db  # noqa: F401 (dbsrv: fixture)

N_HOSTS = 14400
CLIENTS = 2000
RATES = [int(r) for r in os.environ.get("BENCH_RATES", "500,1000,2000,3000").split(",")]
RUNS = [("kea", None), ("lessor", "packet"), ("lessor", "cache")]


def fill(dbs):
    dbs.sql("kea", "DELETE FROM dhcp4_options WHERE scope_id = 3")
    dbs.sql("kea", "DELETE FROM hosts")
    unhex = "UNHEX('%s')" if dbs.lease_type == "mysql" else "decode('%s', 'hex')"
    base = ip2int("10.0.100.0")
    rows = ["(%s, 0, 1, %d, 'h%d')" % (unhex % m.replace(":", ""), base + i, i)
            for i, m in enumerate(mac_seq(PERF_BASE_MAC, N_HOSTS))]
    for k in range(0, N_HOSTS, 1000):   # one argument of the client stays under 128 KiB
        dbs.sql("kea", "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, "
                       "dhcp4_subnet_id, ipv4_address, hostname) VALUES " +
                ", ".join(rows[k:k + 1000]))
    dbs.sql("kea", "INSERT INTO dhcp4_options (code, formatted_value, space, persistent, "
                   "host_id, scope_id) SELECT 15, 'bench.example', 'dhcp4', %s, host_id, 3 "
                   "FROM hosts" % ("0" if dbs.lease_type == "mysql" else "FALSE"))


@pytest.mark.parametrize("run", RUNS, ids=["%s-%s" % (k, m or "kea") for k, m in RUNS])
def test_bench(make_server, dbsrv, run):  # noqa: F811
    kind, mode = run
    if not getattr(dbsrv, "bench_filled", False):
        fill(dbsrv)
        dbsrv.bench_filled = True
    srv = attach_db(make_server(kind, name="%s-%s" % (kind, mode)), dbsrv)
    if mode == "cache":
        srv.extra_args = ["--hosts-poll", "60"]
    cfg = base_config(srv.dir, **{"hosts-database": lease_db(dbsrv)})
    t0 = time.monotonic()
    srv.start(cfg, timeout=120)
    start_s = time.monotonic() - t0
    out = []
    try:
        for r in RATES:
            c0, t1 = cpu_s([srv]), time.monotonic()
            res = perfdhcp(srv.net, n=r * 4, clients=CLIENTS, rate=r, base_mac=PERF_BASE_MAC,
                           wait_s=1)
            took = max(time.monotonic() - t1 - 1, 4.0)
            cpu = cpu_s([srv]) - c0
            out.append((r, res.acks / took, 1 - res.acks / max(res.discovers, 1),
                        cpu * 1e6 / max(res.acks, 1), res.acks, res.discovers))
    finally:
        died = not srv.alive()
        srv.stop()
    if died:
        print("BENCH %s %s-%s DIED:\n%s" % (dbsrv.lease_type, kind, mode or "kea",
                                           srv.log_since_start()[-1500:]))
    print("BENCH %s %s-%s start %.1fs " % (dbsrv.lease_type, kind, mode or "kea", start_s) +
          " ".join("%d:%.0f/s(%.1f%% drop,%.0fus/ACK,%d/%d)" % o for o in out),
          "load %.1f" % os.getloadavg()[0])

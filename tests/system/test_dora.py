"""Relayed DORA: perfdhcp in the cli namespace acts as relay 10.0.0.2 for N distinct clients.

Every exchange must complete (ACKs counted from perfdhcp's report, not its Rate: line), and
afterwards the memfile holds exactly N leases: distinct addresses, inside the pool, one per
client MAC, with the subnet id and lifetime of the configuration.
"""

import ipaddress

from conftest import (PERF_BASE_MAC, active_leases, base_config, by_hwaddr, ip2int, mac_seq,
                      perfdhcp, read_lease_rows)

N = 200
POOL_LO, POOL_HI = ip2int("10.0.1.0"), ip2int("10.0.10.255")


def test_relayed_dora_n_clients(server, tmp_path):
    server.start(base_config(tmp_path, valid_lifetime=4000))
    r = perfdhcp(server.net, n=N, rate=200)
    assert r.rc == 0, r
    assert r.discovers == N, r
    assert r.offers == N, "OFFERs %d of %d\n%r" % (r.offers, N, r)
    assert r.requests == N, r
    assert r.all_acked(N), "ACKs %d of %d\n%r" % (r.acks, N, r)
    assert server.alive()

    leases = active_leases(server.lease_path)
    assert len(leases) == N, "%d leases in %s, want %d" % (len(leases), server.lease_path, N)
    macs = by_hwaddr(leases)
    assert sorted(macs) == sorted(mac_seq(PERF_BASE_MAC, N)), "lease hwaddrs != perfdhcp MACs"
    assert len(set(macs.values())) == N
    for addr, row in leases.items():
        ipaddress.IPv4Address(addr)
        assert POOL_LO <= ip2int(addr) <= POOL_HI, "%s outside the pool" % addr
        assert row["subnet_id"] == "1", row
        assert int(row["valid_lifetime"]) == 4000, row
        assert row["state"] == "0", row

    # No stray rows: every row belongs to one of the N clients (offers are not persisted).
    rows = read_lease_rows(server.lease_path)
    assert {r["hwaddr"].lower() for r in rows} <= set(macs), "rows for unknown clients"

    # The same clients again: a second DORA renews, it does not allocate new addresses.
    r2 = perfdhcp(server.net, n=N, rate=200)
    assert r2.acks == N, r2
    again = by_hwaddr(active_leases(server.lease_path))
    assert again == macs, "second DORA moved clients to other addresses"
    server.stop_clean()

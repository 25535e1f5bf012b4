"""A directly connected client: ISC dhclient in the cli namespace, no relay.

The server has a subnet on 192.0.2.0/24 and listens on the srv veth only (Kea's default raw
sockets: a broadcast DISCOVER from 0.0.0.0 must be answered). dhclient obtains a lease, renews
it at T1 (unicast REQUEST), and releases it (`dhclient -r`); the memfile records each step.
Nothing touches the host: dhclient's configuration, script, lease and pid files are in tmp.
"""

import re
import subprocess
import time

from conftest import CLI_IF, active_leases, base_config, ip2int, need_tools, read_lease_rows

SCRIPT = """#!/bin/sh
echo "$reason ${new_ip_address:-} ${old_ip_address:-}" >> %(events)s
case "$reason" in
BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/24" dev "$interface" ;;
RELEASE|EXPIRE|STOP) [ -n "$old_ip_address" ] && ip addr del "$old_ip_address/24" dev "$interface" ;;
esac
exit 0
"""


def _wait_event(path, reason, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                for line in f:
                    w = line.split()
                    if w and w[0] == reason:
                        return w[1:]
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    raise AssertionError("dhclient never ran its script with reason %s" % reason)


def _rows_for(path, addr):
    return [r for r in read_lease_rows(path) if r["address"] == addr]


def test_dhclient_bind_renew_release(server, tmp_path):
    (dhclient,) = need_tools("dhclient")
    net = server.net
    cfg = base_config(tmp_path, valid_lifetime=10,
                      subnets=[{"id": 2, "subnet": "192.0.2.0/24",
                                "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}]}],
                      **{"renew-timer": 3, "rebind-timer": 7})
    server.start(cfg)

    link = net.run(net.cli, ["ip", "-o", "link", "show", CLI_IF]).stdout
    mac = re.search(r"link/ether ([0-9a-f:]{17})", link).group(1)
    events = tmp_path / "events"
    script = tmp_path / "dhclient-script"
    script.write_text(SCRIPT % {"events": events})
    script.chmod(0o755)
    conf = tmp_path / "dhclient.conf"
    conf.write_text("request subnet-mask, routers;\n")
    leasefile = tmp_path / "dhclient.leases"
    leasefile.touch()
    args = ["-cf", str(conf), "-lf", str(leasefile), "-pf", str(tmp_path / "dhclient.pid"),
            "-sf", str(script)]
    log = open(tmp_path / "dhclient.log", "w")
    dh = net.popen(net.cli, [dhclient, "-d", "-1", "-v"] + args + [CLI_IF],
                   stdout=log, stderr=subprocess.STDOUT)
    try:
        # 1. bind: DISCOVER/OFFER/REQUEST/ACK, broadcast, no relay
        (addr,) = _wait_event(events, "BOUND", 20)[:1]
        assert ip2int("192.0.2.100") <= ip2int(addr) <= ip2int("192.0.2.200"), addr
        lease = active_leases(server.lease_path).get(addr)
        assert lease, "bound to %s but the lease file has no such lease" % addr
        assert lease["hwaddr"].lower() == mac and lease["subnet_id"] == "2", lease
        first_expire = int(lease["expire"])

        # 2. renew at T1 = 3 s: a unicast REQUEST, the lease is extended
        renewed = _wait_event(events, "RENEW", 15)
        assert renewed[0] == addr, renewed
        time.sleep(0.5)
        rows = _rows_for(server.lease_path, addr)
        assert len(rows) >= 2, rows
        assert int(rows[-1]["expire"]) > first_expire, rows
        assert int(rows[-1]["valid_lifetime"]) == 10 and rows[-1]["hwaddr"].lower() == mac
    finally:
        dh.terminate()
        try:
            dh.wait(10)
        except subprocess.TimeoutExpired:
            dh.kill()
        log.close()
    assert dh.returncode is not None

    # 3. release: dhclient -r sends DHCPRELEASE for the lease it recorded
    r = net.run(net.cli, [dhclient, "-r", "-v"] + args + [CLI_IF], timeout=30)
    assert r.returncode == 0, r.stdout
    assert "DHCPRELEASE" in r.stdout, r.stdout
    deadline = time.monotonic() + 10
    while addr in active_leases(server.lease_path):
        assert time.monotonic() < deadline, "released lease still active:\n%s" % \
            _rows_for(server.lease_path, addr)
        time.sleep(0.1)
    assert server.alive()
    assert server.stop() == 0

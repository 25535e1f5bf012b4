"""Directly connected clients: ISC dhclient in the cli namespace, no relay.

The server has a subnet on 192.0.2.0/24 and listens on the srv veth only (Kea's default raw
sockets: a broadcast DISCOVER from 0.0.0.0 must be answered). dhclient obtains a lease, renews
it at T1 (unicast REQUEST), and releases it (`dhclient -r`); the memfile records each step.
Nothing touches the host: dhclient's configuration, script, lease and pid files are in tmp.
"""

import os
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
    server.stop_clean()


def test_other_interface_is_not_served(server, tmp_path):
    """interfaces-config restricts the server to vsrv: a client on a second link of the server's
    namespace (vsrv2, with a configured subnet) gets nothing, while vsrv's client is served."""
    (dhclient,) = need_tools("dhclient")
    net = server.net
    tag = "%x" % (os.getpid() & 0xffffff)  # link names are host-wide until moved
    for c in (["ip", "link", "add", "l2s" + tag, "type", "veth", "peer", "name", "l2c" + tag],
              ["ip", "link", "set", "l2s" + tag, "netns", net.srv],
              ["ip", "link", "set", "l2c" + tag, "netns", net.cli],
              ["ip", "-n", net.srv, "link", "set", "l2s" + tag, "name", "vsrv2"],
              ["ip", "-n", net.cli, "link", "set", "l2c" + tag, "name", "vcli2"],
              ["ip", "-n", net.srv, "addr", "add", "198.51.100.1/24", "dev", "vsrv2"],
              ["ip", "-n", net.srv, "link", "set", "vsrv2", "up"],
              ["ip", "-n", net.cli, "link", "set", "vcli2", "up"]):
        subprocess.run(c, check=True, timeout=10)
    cfg = base_config(tmp_path, subnets=[
        {"id": 2, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}]},
        {"id": 3, "subnet": "198.51.100.0/24",
         "pools": [{"pool": "198.51.100.100 - 198.51.100.200"}]}])
    server.start(cfg)

    def try_lease(iface, name):
        """dhclient -1 on IFACE: the address it bound to, or None once it gave up (~6 s)."""
        conf = tmp_path / (name + ".conf")
        conf.write_text("timeout 6;\nretry 1;\n")
        lf = tmp_path / (name + ".leases")
        lf.touch()
        out = tmp_path / (name + ".log")
        with open(out, "w") as logf:
            p = net.popen(net.cli, [dhclient, "-1", "-d", "-v", "-cf", str(conf), "-lf", str(lf),
                                    "-pf", str(tmp_path / (name + ".pid")), "-sf", "/bin/true",
                                    iface], stdout=logf, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    m = re.search(r"bound to (\S+)", out.read_text())
                    if m:
                        return m.group(1)
                    if p.poll() is not None:
                        return None  # -1: gave up after the timeout
                    time.sleep(0.1)
                raise AssertionError("dhclient neither bound nor gave up:\n" + out.read_text())
            finally:
                p.kill()
                p.wait(5)

    assert try_lease("vcli2", "other") is None, "served a client on an interface not configured"
    assert not [a for a in active_leases(server.lease_path) if a.startswith("198.51.100.")]
    got = try_lease(CLI_IF, "mine")
    assert got and got.startswith("192.0.2."), "no lease on the configured interface"
    server.stop_clean()

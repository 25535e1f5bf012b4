"""Local development in one command (issue 8, item 6): contrib/container/compose.yaml brought up
by podman-compose (Debian 12's 1.0.3) with MariaDB, primary, standby and api, and the
deployment's three scenarios ("Their tests", test_seed_scenarios.py) run against the primary.

Network safety: podman itself runs inside a network namespace this test creates
(`ip netns exec compose-PID podman-compose ...`), so the compose network's bridge, its
firewall and masquerade rules and every container's veth live in that namespace; nothing is
added to the host's network. The deployment's 172.1.0.0/24 is public address space, so the
test puts the network on the private 10.172.8.0/24 and gives primary and standby the
deployment's local development configuration with 172.1.0. replaced by 10.172.8. (the
fixtures' router and server identifier likewise); everything else is the file as it is.

The namespace is the developers' machine: perfdhcp relays from the bridge's address
(10.172.8.1, giaddr in the configuration's subnet 1001) to the primary at 10.172.8.10, tshark
captures the first OFFER on the bridge. Checked:
- start order gives db, primary, standby, api the addresses .9 .. .12 the file relies on;
- each server's entry point prepared the schema (db-init by one, db-upgrade no-op by the
  others) before serving; the pair reaches hot-standby/hot-standby;
- per scenario (lease4 emptied first, as their test does): every exchange ACKed, exactly the
  expected number of leases in lease4, the first OFFER's options exactly the fixture's;
- the api role answers lease4-get-all over HTTP with those leases (its purpose);
- contrib/container/dev-test.sh (the developers' command for their test) passes, and fails
  when perfdhcp relays from an address of no subnet;
- `stop` stops every container with exit 0 (SIGTERM) well inside the grace period; then
  `down` and the network, volume and CNI state of the project are removed, pass or fail.
"""

import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import (SRC, Capture, NsRun, _live_netns, _netns_delete, missing, need_root,
                      need_tools, perfdhcp)
from ha_pair import http_command, local_ha_state
from podman import Podman
from test_seed_scenarios import SCENARIOS, SEED, expected_lines, option_lines, stable, _udiff

COMPOSE = os.path.join(SRC, "contrib", "container", "compose.yaml")
PREFIX = "10.172.8."
SUBNET, RANGE = PREFIX + "0/24", PREFIX + "8/29"
GW = PREFIX + "1"                   # the bridge, in the test's namespace: perfdhcp's giaddr
ADDRS = {"db": PREFIX + "9", "primary": PREFIX + "10", "standby": PREFIX + "11",
         "api": PREFIX + "12"}
NO_SUBNET = "10.250.0.1"            # on the namespace's lo: a giaddr the configuration lacks
HA_TIMEOUT = 120                    # heartbeat-delay 10 s in the file; shared, loaded cores


def private(text):
    return text.replace("172.1.0.", PREFIX)


class Host(NsRun):
    """The test's namespace as the developers' machine; `cli` for conftest's perfdhcp."""

    def __init__(self, name):
        self.cli = name
        subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
        _live_netns.add(name)
        self.run(name, ["ip", "link", "set", "lo", "up"], check=True)


class Deployment:
    def __init__(self, pod, host, tmp, lessor_image, db_image):
        self.pod, self.host = pod, host
        # unique per run: CNI keeps a network's last address in /var/lib/cni/networks/NAME
        # (removed by down()), and the start-order addresses need a fresh one
        self.project = "compose%d%s" % (os.getpid(), os.urandom(3).hex())
        self.network = self.project + "_default"
        cfg = tmp / "local_development_config.json"
        with open(os.path.join(SEED, "local_development_config.json")) as f:
            cfg.write_text(private(f.read()))
        os.chmod(cfg, 0o644)
        self.env = dict(pod.env, LESSOR_IMAGE=lessor_image, LESSOR_DB_IMAGE=db_image,
                        LESSOR_DEV_CONFIG=str(cfg), LESSOR_DEV_SUBNET=SUBNET,
                        LESSOR_DEV_RANGE=RANGE, LESSOR_PRIMARY_IP=ADDRS["primary"],
                        LESSOR_STANDBY_IP=ADDRS["standby"])

    def _in_netns(self, argv, timeout, **env):
        # nsenter, not `ip netns exec`: that one also remounts /sys, hiding the cgroup
        # mounts runc needs; podman only has to see the namespace's network.
        return subprocess.run(["nsenter", "--net=/run/netns/" + self.host.cli] + argv,
                              timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=dict(self.env, **env))

    def podman(self, *args, timeout=60, check=True):
        r = self._in_netns(["podman"] + list(args), timeout)
        assert not check or r.returncode == 0, "podman %s: %s" % (args, r.stdout[-3000:])
        return r

    def compose(self, *args, timeout=120, check=True):
        r = self._in_netns(["podman-compose", "-p", self.project, "-f", COMPOSE] + list(args),
                           timeout)
        assert not check or r.returncode == 0, "podman-compose %s: %s" % (args, r.stdout[-3000:])
        return r

    def name(self, service):
        return "%s_%s_1" % (self.project, service)

    def up(self):
        # podman-compose 1.0.3 ignores the file's ipam block: the network is made first, as
        # the file's header tells developers to.
        self.podman("network", "create", "--subnet", SUBNET, "--ip-range", RANGE, self.network)
        self.compose("up", "-d", "--no-build")

    def logs(self, service):
        return self.podman("logs", self.name(service), check=False).stdout

    def inspect(self, service, fmt):
        return self.podman("inspect", "--format", fmt, self.name(service)).stdout.strip()

    def command(self, service, cmd, args=None, timeout=10):
        return http_command(self.host, self.host.cli, "http://%s:8000/" % ADDRS[service], cmd,
                            args, timeout)

    def ha_state(self, service):
        return local_ha_state(self.command(service, "status-get"))

    def sql(self, query):
        r = self.podman("exec", self.name("db"), "mariadb", "-uroot", "-proot", "-N", "-B",
                        "kea", "-e", query)
        return [ln.split("\t") for ln in r.stdout.splitlines() if ln]

    def bridge(self):
        r = self.host.run(self.host.cli, ["ip", "-o", "addr", "show", "to", GW + "/32"],
                          check=True)
        return r.stdout.split()[1]

    def down(self):
        self.compose("down", timeout=180, check=False)
        for s in ADDRS:
            self.podman("rm", "-f", "-t", "0", self.name(s), check=False)
        self.podman("volume", "rm", "-f", self.project + "_db-socket", check=False)
        self.podman("network", "rm", "-f", self.network, check=False)
        shutil.rmtree(os.path.join("/var/lib/cni/networks", self.network), ignore_errors=True)


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """The lessor image (the repository's Containerfile; podman.Podman.lessor_image) and the
    dev MariaDB image (contrib/container/mariadb, removed afterwards), from the cached bases."""
    need_root()
    need_tools("podman-compose", "perfdhcp", "tshark", "curl", "nsenter")
    if not os.path.exists(os.path.join(SEED, "local_development_config.json")):
        missing("no seed-system configuration at %s" % SEED)
    pod = Podman(tmp_path_factory.mktemp("podman"))
    lessor = os.environ.get("LESSOR_CONTAINER_IMAGE")
    if not lessor:
        lessor, secs = pod.lessor_image()
        print("lessor image %s (%.0f s building)" % (lessor, secs))
    db = "localhost/compose-test-mariadb:%d" % os.getpid()
    try:
        print("mariadb image built in %.0f s" % pod.build_dev_mariadb(db))
        yield pod, lessor, db
    finally:
        pod.remove_image(db)


@pytest.fixture(scope="module")
def deployment(images, tmp_path_factory):
    pod, lessor, db = images
    host = Host("compose-%d" % os.getpid())
    dep = Deployment(pod, host, tmp_path_factory.mktemp("compose"), lessor, db)
    try:
        t0 = time.monotonic()
        dep.up()
        deadline = time.monotonic() + HA_TIMEOUT
        states = {}
        while time.monotonic() < deadline:
            states = {s: dep.ha_state(s) for s in ("primary", "standby")}
            if set(states.values()) == {"hot-standby"}:
                break
            time.sleep(1)
        else:
            raise AssertionError("HA states %r after %d s\nprimary:\n%s\nstandby:\n%s" % (
                states, HA_TIMEOUT, dep.logs("primary")[-4000:], dep.logs("standby")[-4000:]))
        print("compose up to hot-standby in %.0f s" % (time.monotonic() - t0))
        yield dep
    finally:
        try:
            dep.down()
        finally:
            _netns_delete(host.cli)


def test_addresses_and_schema(deployment):
    """The file's start order gives every service the address the configuration relies on;
    the schema was made once (db-init) and found current by the other servers, each before
    it served."""
    for s, a in ADDRS.items():
        got = deployment.inspect(s, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
        assert got == a, "%s at %s, the file wants %s" % (s, got, a)
    inits = 0
    for s in ("primary", "standby", "api"):
        logs = deployment.logs(s)
        assert "DHCP4_STARTED" in logs, logs[-3000:]
        m = re.search(r"lease database schema (created \(db-init\)|\S+: db-upgrade)", logs)
        assert m and logs.index(m.group(0)) < logs.index("DHCP4_STARTED"), logs[-3000:]
        inits += m.group(1).startswith("created")
    assert inits == 1, "db-init ran %d times" % inits
    assert deployment.sql("SELECT version, minor FROM schema_version") == [["19", "0"]]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(deployment, tmp_path, name):
    """Their test against the primary: lease4 emptied, perfdhcp, the first OFFER's options."""
    perf_args, n, nleases = SCENARIOS[name]
    deployment.sql("DELETE FROM lease4")
    with Capture(deployment.host, deployment.host.cli, deployment.bridge(),
                 "ip src %s and udp port 67" % ADDRS["primary"], tmp_path / "offers.pcap") as cap:
        r = perfdhcp(deployment.host, n=n, relay=GW, server_addr=ADDRS["primary"], wait_s=5,
                     **perf_args)
    assert r.all_acked(n), "%d ACKs of %d\n%r\n%s" % (r.acks, n, r,
                                                     deployment.logs("primary")[-3000:])
    rows = deployment.sql("SELECT INET_NTOA(address), HEX(hwaddr) FROM lease4 WHERE state = 0")
    assert len(rows) == nleases, rows
    assert all(a.startswith(PREFIX) for a, _ in rows), rows
    out = cap.read("dhcp.option.dhcp == 2", "-V", "-N", "m")
    frames = re.split(r"(?m)^Frame \d+:", out)
    assert len(frames) > 1, "no OFFER captured:\n" + out
    got = option_lines(frames[1])
    want = stable([private(ln) for ln in expected_lines(name)])
    assert stable(got) == want, "the first OFFER's options differ from the fixture:\n" + \
        "\n".join(_udiff(want, got))
    if name != "delivery_optimised":
        assert not any("(234)" in ln for ln in got)
    # the api role is there to answer lease queries: it sees the primary's leases
    ans = deployment.command("api", "lease4-get-all")
    assert ans and ans.get("result") == 0, ans
    assert sorted(x["ip-address"] for x in ans["arguments"]["leases"]) == \
        sorted(a for a, _ in rows), ans


def test_dev_script(deployment):
    """contrib/container/dev-test.sh, the developers' command for their test, passes here."""
    r = deployment._in_netns([os.path.join(SRC, "contrib", "container", "dev-test.sh"),
                              deployment.project], 120,
                             LESSOR_PRIMARY_IP=ADDRS["primary"], LESSOR_DEV_RELAY=GW)
    assert r.returncode == 0 and "dev-test: 10 leases in lease4" in r.stdout, r.stdout
    # and it fails when the leases are not there: a relay address of no subnet gets nothing
    deployment.host.run(deployment.host.cli, ["ip", "addr", "add", NO_SUBNET + "/32", "dev",
                                              "lo"], check=True)
    r = deployment._in_netns([os.path.join(SRC, "contrib", "container", "dev-test.sh"),
                              deployment.project], 120, LESSOR_PRIMARY_IP=ADDRS["primary"],
                             LESSOR_DEV_RELAY=NO_SUBNET, N="3", PERFDHCP_WAIT_US="2000000")
    assert r.returncode == 1 and "dev-test: 0 leases in lease4, want 3" in r.stdout, r.stdout


def test_down_stops_cleanly(deployment):
    """podman-compose stop: SIGTERM, every service exits 0 well inside the grace period."""
    t0 = time.monotonic()
    deployment.compose("stop", timeout=180)
    took = time.monotonic() - t0
    codes = {s: deployment.inspect(s, "{{.State.ExitCode}}") for s in ADDRS}
    assert codes == {s: "0" for s in ADDRS}, codes
    for s in ("primary", "standby", "api"):
        assert "DHCP4_SHUTDOWN" in deployment.logs(s), s
    print("compose stop %.1f s" % took)

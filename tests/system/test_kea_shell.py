"""kea-shell (Debian package python3-kea-connector, Kea 2.2's own REST client) talks to lessor's
HTTP control listener exactly as it talks to kea-ctrl-agent (issue #4): list-commands,
config-get and statistic-get-all, each with `--service dhcp4`, plus list-commands addressed to
the agent itself (no --service) and arguments read from stdin (statistic-get).

kea-shell prints the answer body verbatim; with --service the answer is a one-element array.
Run with LESSOR_TEST_SERVER=kea to check the test against kea-dhcp4 + kea-ctrl-agent.
"""

import json

import pytest

from conftest import need_tools, perfdhcp
from test_ctl import HTTP_PORT, start_ctl


@pytest.fixture
def ctl(server, tmp_path):
    c = start_ctl(server, tmp_path)
    try:
        yield c
    finally:
        c.stop()


def kea_shell(ctl, command, service="dhcp4", args=""):
    """Run kea-shell in the server's namespace; returns the parsed JSON answer."""
    (ks,) = need_tools("kea-shell")
    argv = ["/usr/bin/python3", ks, "--host", "127.0.0.1", "--port", str(HTTP_PORT),
            "--timeout", "20"]
    if service:
        argv += ["--service", service]
    argv.append(command)
    r = ctl.net.run(ctl.net.srv, argv, input=args, timeout=60)
    assert r.returncode == 0, "kea-shell %s failed (rc %d):\n%s" % (command, r.returncode,
                                                                     r.stdout)
    try:
        return json.loads(r.stdout)
    except ValueError:
        raise AssertionError("kea-shell %s printed no JSON:\n%s" % (command, r.stdout))


def one(ans):
    assert isinstance(ans, list) and len(ans) == 1, ans
    return ans[0]


def test_kea_shell_list_commands(ctl):
    ans = one(kea_shell(ctl, "list-commands"))
    assert ans["result"] == 0, ans
    cmds = ans["arguments"]
    for c in ("list-commands", "config-get", "config-reload", "statistic-get-all",
              "statistic-get", "dhcp-disable", "dhcp-enable", "version-get", "status-get",
              "lease4-get", "leases-reclaim"):
        assert c in cmds, "%s missing from list-commands: %s" % (c, cmds)
    # without --service the command goes to the agent itself
    agent = kea_shell(ctl, "list-commands", service=None)
    agent = agent[0] if isinstance(agent, list) else agent
    assert agent["result"] == 0, agent
    assert "list-commands" in agent["arguments"]


def test_kea_shell_config_get(ctl):
    ans = one(kea_shell(ctl, "config-get"))
    assert ans["result"] == 0, ans
    d4 = ans["arguments"]["Dhcp4"]
    assert {s["id"]: s["subnet"] for s in d4["subnet4"]} == {1: "10.0.0.0/16",
                                                            2: "192.0.2.0/24"}
    assert d4["valid-lifetime"] == 4000


def test_kea_shell_statistics(ctl):
    r = perfdhcp(ctl.net, n=10, rate=100, base_mac="00:0c:01:00:20:00")
    assert r.all_acked(10), r
    ans = one(kea_shell(ctl, "statistic-get-all"))
    assert ans["result"] == 0, ans
    st = ans["arguments"]
    assert st["pkt4-ack-sent"][0][0] >= 10, st["pkt4-ack-sent"]
    assert st["subnet[1].assigned-addresses"][0][0] == 10
    assert st["subnet[1].total-addresses"][0][0] == 2560
    # arguments from stdin, as kea-shell documents
    one_stat = one(kea_shell(ctl, "statistic-get", args='"name": "pkt4-discover-received"'))
    assert one_stat["result"] == 0, one_stat
    assert one_stat["arguments"]["pkt4-discover-received"][0][0] >= 10

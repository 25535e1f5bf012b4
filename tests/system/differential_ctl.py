"""Helpers of the differential control-channel tests (test_differential_ctl*.py): lessor and
Kea 2.2 (kea-dhcp4 with libdhcp_lease_cmds.so and libdhcp_stat_cmds.so over its UNIX socket,
kea-ctrl-agent for HTTP), each on the same configuration in its own pair of namespaces, and
answers compared without Kea's "(<wire>:L:C)" positions."""

import contextlib
import json
import re

from conftest import NetPair, Server, need_tools
from test_ctl import HOOKS, ctl_config, start_ctl

LEASE_HOOK = {"library": HOOKS + "/libdhcp_lease_cmds.so"}
STAT_HOOK = {"library": HOOKS + "/libdhcp_stat_cmds.so"}
POS = re.compile(r" ?\(<(wire|string)>:\d+:\d+\)$")
# Kea 2.4's command, which lessor has too (config source checks use it); Kea 2.2 lacks it.
# log-get and stat-pool4-get are lessor's own (the console's latest warnings and errors, its
# per-pool utilisation).
LESSOR_EXTRA_COMMANDS = {"config-hash-get", "log-get", "stat-pool4-get"}
# lessor's own status-get blocks (where the configuration came from; ops; whether DHCP is
# served and which origins disable it: the console)
LESSOR_STATUS_EXTRA = {"config-source", "dhcp-state"}


def norm(ans):
    """An answer without Kea's positions in its text."""
    out = dict(ans)
    if "text" in out:
        out["text"] = POS.sub("", out["text"])
    return out


@contextlib.contextmanager
def both(server, tmp_path, edit=None, agent_extra=None, user=None):
    """lessor (SERVER, in the test's namespaces) and Kea (its own namespaces) on the same
    configuration: ctl_config() changed by EDIT(cfg, tmpdir), the agent's by AGENT_EXTRA, HTTP
    as USER. Yields (lessor Ctl, Kea Ctl)."""
    need_tools("kea-dhcp4", "kea-ctrl-agent")
    kea_net = NetPair()
    kdir = tmp_path / "kea"
    kdir.mkdir()
    kea_srv = Server(kea_net, kdir, kind="kea")
    started = []
    try:
        for srv, d in ((server, tmp_path), (kea_srv, kdir)):
            cfg, agent, sock = ctl_config(d, agent_extra=agent_extra)
            if edit is not None:
                edit(cfg, str(d))
            started.append(start_ctl(srv, d, cfg=cfg, agent=agent, sock=sock, user=user))
        yield started[0], started[1]
    finally:
        for c in started:
            c.stop()
        kea_srv.cleanup()
        kea_net.close()


def compare(ours, kea, what, whole=True):
    """Same answer (WHOLE) or at least the same result code and the same argument keys."""
    o, k = norm(ours), norm(kea)
    if whole:
        assert o == k, "%s\nours: %s\nkea:  %s" % (what, o, k)
    else:
        assert o.get("result") == k.get("result"), "%s\nours: %s\nkea:  %s" % (what, o, k)
        assert ("arguments" in o) == ("arguments" in k), (what, o, k)


def send(c, cmd, args):
    body = {"command": cmd}
    if args is not None:
        body["arguments"] = args
    return json.loads(c.unix_raw(json.dumps(body)))

"""DORA/s of a single server and of a hot-standby pair, lessor and Kea 2.2, in one run (issue 7
item 7). Not a ctest (the name does not start with test_): run by hand, release build,

    cd build/dev && LESSOR_BIN=../release/lessor LESSOR_TEST_TIMEOUT=400 \
        /usr/bin/python3 -m pytest -q -s ../../tests/system/bench_ha_pair.py

perfdhcp at each rate of RATES for 4 s (new clients each step, a pool big enough for all);
prints ACKs/s, perfdhcp's drop ratio, the primary's pkt4-receive-drop (replies it dropped:
parked-packet-limit), replies lost at perfdhcp's own full socket (RcvbufErrors in the clients'
namespace: perfdhcp starved of CPU), and the servers' CPU per ACK (user+system from /proc, primary+standby)
per rate; after a pair's run, how many of the primary's leases the standby lacks, and the failover
time: SIGKILL of the primary to the standby's first ACK (heartbeat-delay 1000 ms,
max-response-delay 5000 ms, max-unacked-clients 0, as set here). Measures, never asserts.
`-k lessor-lessor` (ids: single server, primary-standby) picks one run, BENCH_RATES=3000 the
rates. BENCH_DEDICATED=N puts lessor on HA's dedicated listener with N threads (else its
control listener serves the peer URL), BENCH_CLIENT_THREADS=M gives the servers M HA client
threads (Kea's http-client-threads: how many lease updates a Kea primary has in flight)."""
import json, os, subprocess, time, pytest
from conftest import PERF_BASE_MAC, perfdhcp, need_tools
from ha_pair import ADDRS, PORTS, PRIMARY_ADDR, StandbyNet, command, start_half, wait_states, pair_config
import conftest
from test_ha_pair import failover

RATES = [int(r) for r in os.environ.get("BENCH_RATES", "500,1000,2000,3000").split(",")]

def widen(s):
    import json
    c = json.load(open(s.cfg_path))
    c["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "10.0.16.0 - 10.0.255.255"}]
    s.write_config(c)

def cpu_s(servers):
    """User+system CPU seconds of the server processes so far."""
    t = 0
    for s in servers:
        try:
            with open("/proc/%d/stat" % s.proc.pid) as f:
                v = f.read().rsplit(")", 1)[1].split()
            t += int(v[11]) + int(v[12])
        except (OSError, AttributeError, IndexError, ValueError):
            pass
    return t / os.sysconf("SC_CLK_TCK")

def stat(net, me, name):
    """A statistic of MY server through its peer URL (None where there is none: a single Kea)."""
    ans = command(net, me, "statistic-get", {"name": name}) or {}
    v = (ans.get("arguments") or {}).get(name) or [[None]]
    return v[0][0]

def rcvbuf_errors(net):
    """UDP datagrams the kernel dropped at a full socket in the clients' namespace: replies
    that reached perfdhcp's socket while perfdhcp had no CPU to read them (the load
    generator's limit, not the server's)."""
    rows = [l.split() for l in net.run(net.cli, ["cat", "/proc/net/snmp"]).stdout.splitlines()
            if l.startswith("Udp:")]
    try:
        return int(rows[1][rows[0].index("RcvbufErrors")])
    except (IndexError, ValueError):
        return 0

def measure(net, tag, servers):
    out = []
    for i, r in enumerate(RATES):
        c0, t0, d0 = [cpu_s([s]) for s in servers], time.monotonic(), stat(net, "primary", "pkt4-receive-drop")
        q0 = rcvbuf_errors(net)
        res = perfdhcp(net, n=r * 4, rate=r, base_mac="00:0%d:00:00:00:00" % (i + 1), period=None, wait_s=1)
        # perfdhcp may take longer than 4 s to start its exchanges (its own CPU share)
        took = max(time.monotonic() - t0 - 1, 4.0)
        cpu = [cpu_s([s]) - c for s, c in zip(servers, c0)]   # the standby first
        d1 = stat(net, "primary", "pkt4-receive-drop")
        # the server's own count: perfdhcp's figure misses replies the server dropped
        drops = "%d" % (d1 - d0) if d0 is not None and d1 is not None else "?"
        if os.environ.get("BENCH_VERBOSE"):
            print("PERFDHCP %d/s: %r" % (r, res.sections))
        out.append((r, res.acks / took, 100 * (1 - res.acks / max(res.discovers, 1)), drops,
                    rcvbuf_errors(net) - q0,
                    "+".join("%.0f" % (c * 1e6 / max(res.acks, 1)) for c in reversed(cpu)), res.discovers))
    print("BENCH", tag, " ".join("%d:%.0f/s(perfdhcp %.1f%%,server drops %s,perfdhcp socket "
                                 "overflows %d,cpu %sus,%d sent)" % o
                                 for o in out), "load %.1f" % os.getloadavg()[0])

def check_pair(net, made):
    """Leases the primary ACKed that the standby lacks: only those whose reply was dropped."""
    time.sleep(2)
    st, pr = [set(s.leases()) for s in made]     # start order: the standby first
    print("CHECK addresses: primary %d, standby %d, primary's missing on the standby %d "
          "(primary pkt4-receive-drop %s)" % (len(pr), len(st), len(pr - st),
                                              stat(net, "primary", "pkt4-receive-drop")))

# How a Kea standby serves its peer: "dedicated" (HA's http-dedicated-listener inside kea-dhcp4,
# multi-threading on, as ha_pair.py configures it) or "agent" (kea-ctrl-agent on the peer URL,
# forwarding to kea-dhcp4's UNIX control socket, no HA multi-threading: the deployment's way)
KEA_LISTENER = os.environ.get("BENCH_HA_KEA_LISTENER", "dedicated")
HA_BENCH = {"heartbeat-delay": 1000, "max-response-delay": 5000, "pool": "10.0.16.0 - 10.0.255.255",
            "client_threads": int(os.environ.get("BENCH_CLIENT_THREADS", "1"))}
if os.environ.get("BENCH_DEDICATED"):
    HA_BENCH["dedicated"] = int(os.environ["BENCH_DEDICATED"])

def start_kea_agent_half(tmp_path, net, me, made, agents):
    """MY Kea half behind kea-ctrl-agent: kea-dhcp4 with a UNIX control socket, the agent on
    my peer URL in my namespace."""
    (ca_bin,) = need_tools("kea-ctrl-agent")
    d = tmp_path / me; d.mkdir(exist_ok=True)
    s = conftest.Server(net, d, kind="kea"); made.append(s)
    cfg = pair_config(s.dir, me, "kea", **dict(HA_BENCH))
    sock = os.path.join(s.dir, "dhcp4.sock")
    d4 = cfg["Dhcp4"]
    d4["control-socket"] = {"socket-type": "unix", "socket-name": sock}
    for lib in d4["hooks-libraries"]:
        for ha in (lib.get("parameters") or {}).get("high-availability", []):
            ha.pop("multi-threading", None)
    s.start(cfg, wait=False); s.wait_log(r"DHCP4_STARTED", 30)
    ca_path = os.path.join(s.dir, "kea-ctrl-agent.json")
    with open(ca_path, "w") as f:
        json.dump({"Control-agent": {"http-host": ADDRS[me], "http-port": PORTS[me],
                                     "control-sockets": {"dhcp4": {"socket-type": "unix",
                                                                   "socket-name": sock}}}}, f)
    logf = open(os.path.join(s.dir, "kea-ctrl-agent.log"), "ab")
    agents.append(net.popen(net.srv, [ca_bin, "-c", ca_path], stdout=logf, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=s.env(), cwd=s.dir))
    return s

KINDS = [("lessor", None), ("lessor", "lessor"), ("kea", None), ("kea", "kea"), ("lessor", "kea"),
         ("kea", "lessor")]

@pytest.mark.parametrize("kinds", KINDS, ids=["%s-%s" % (p, s or "single") for p, s in KINDS])
def test_bench(netpair, tmp_path, kinds):
    pk, sk = kinds
    sb = StandbyNet(netpair)
    made, agents = [], []
    try:
        if sk is None:
            d = tmp_path / "single"; d.mkdir()
            s = conftest.Server(netpair, d, kind=pk); made.append(s)
            cfg = pair_config(s.dir, "primary", pk)
            cfg["Dhcp4"].pop("hooks-libraries")
            cfg["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "10.0.16.0 - 10.0.255.255"}]
            s.start(cfg, wait=False); s.wait_log("DHCP4_STARTED"); time.sleep(1)
        else:
            if sk == "kea" and KEA_LISTENER == "agent":
                start_kea_agent_half(tmp_path, sb, "standby", made, agents)
            else:
                start_half(tmp_path, sb, "standby", sk, made, **dict(HA_BENCH))
            if pk == "kea" and KEA_LISTENER == "agent":
                p = start_kea_agent_half(tmp_path, netpair, "primary", made, agents)
            else:
                p = start_half(tmp_path, netpair, "primary", pk, made, **dict(HA_BENCH))
            wait_states(netpair, {"primary": "hot-standby", "standby": "hot-standby"})
        measure(netpair, "%s+%s%s" % (pk, sk, " (Kea via kea-ctrl-agent)" if KEA_LISTENER == "agent"
                                       and "kea" in kinds else ""), made)
        if sk is not None:
            check_pair(netpair, made)
            try:
                took = "%.2f s" % failover(netpair, p, sk)
            except AssertionError:
                took = "none within 20 s"
            print("FAILOVER %s primary -> %s standby: %s (heartbeat-delay 1000 ms, max-response-delay "
                  "5000 ms)" % (pk, sk, took))
    finally:
        for a in agents:
            a.kill(); a.wait(5)
        for s in made: s.cleanup()
        sb.close()

"""GET /metrics (src/ctl/prom.c, prom-lessor.c) and what ships to read it: the Grafana
dashboard (contrib/grafana/lessor-dhcp.json) and the example alert rules
(contrib/prometheus/lessor-alerts.yml).

- test_metrics_promtool_and_dashboard: lessor with an HA block (hot-standby primary whose
  partner never answers, so it waits and serves no DHCP): `promtool check metrics` accepts
  /metrics; it carries the lease database, HA and configuration-source series with the
  values status-get reports; `promtool check rules` accepts the rules; the dashboard parses,
  has the deployment's four sections (Alarms, Service, Network metrics, Subnet metrics), and
  every series its panels and the rules name is a family /metrics exposes.
lessor only: Kea 2.2 has no /metrics (Stork's exporter reads statistic-get-all instead).
"""

import json
import os
import re
import subprocess
import time

from conftest import base_config, lessor_only, need_tools
from test_metrics_push import command

lessor_only("GET /metrics is lessor's own")

HTTP_PORT = 20610      # slot 6
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"
SRC = os.environ.get("LESSOR_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
DASHBOARD = os.path.join(SRC, "contrib", "grafana", "lessor-dhcp.json")
RULES = os.path.join(SRC, "contrib", "prometheus", "lessor-alerts.yml")
SERIES = re.compile(r"\b((?:kea_dhcp4|lessor|process)_[a-zA-Z0-9_]+)\b")


def config(tmp):
    cfg = base_config(tmp)
    d4 = cfg["Dhcp4"]
    d4["control-socket"] = {"socket-type": "unix", "socket-name": os.path.join(str(tmp), "ctl.sock")}
    ha = {"this-server-name": "primary", "mode": "hot-standby", "heartbeat-delay": 1000,
          "max-response-delay": 3000, "max-ack-delay": 1000, "max-unacked-clients": 0,
          "peers": [{"name": "primary", "url": "http://127.0.0.1:%d/" % HTTP_PORT,
                     "role": "primary", "auto-failover": True},
                    {"name": "standby", "url": "http://127.0.0.1:%d/" % (HTTP_PORT + 1),
                     "role": "standby"}]}
    d4["hooks-libraries"] = [{"library": HOOKS + "/libdhcp_lease_cmds.so"},
                             {"library": HOOKS + "/libdhcp_ha.so",
                              "parameters": {"high-availability": [ha]}}]
    cfg["Control-agent"] = {"http-host": "127.0.0.1", "http-port": HTTP_PORT}
    return cfg


def scrape(srv):
    r = srv.net.run(srv.net.srv, ["curl", "-sS", "--max-time", "5",
                                  "http://127.0.0.1:%d/metrics" % HTTP_PORT], timeout=10)
    assert r.returncode == 0, r.stdout
    return r.stdout


def families(text):
    return set(re.findall(r"^# TYPE (\S+) ", text, re.M))


def value(text, series):
    m = re.search(r"^%s (\S+)$" % re.escape(series), text, re.M)
    assert m, "no sample %s in /metrics" % series
    return float(m.group(1))


def test_metrics_promtool_and_dashboard(server, tmp_path):
    srv = server
    (promtool,) = need_tools("promtool")
    need_tools("curl")
    srv.start(config(srv.dir), wait=False)
    srv.wait_log(r"DHCP4_STARTED")
    status = wait_status(srv)
    text = scrape(srv)
    path = os.path.join(str(tmp_path), "metrics.txt")
    with open(path, "w") as f:
        f.write(text)
    chk = subprocess.run([promtool, "check", "metrics"], input=text, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    assert chk.returncode == 0, chk.stdout

    # the lessor series say what status-get says
    assert value(text, 'lessor_lease_database_up{type="memfile"}') == 1
    ha = status["high-availability"][0]["ha-servers"]
    assert value(text, 'lessor_ha_state{state="%s",role="primary"}'
                 % ha["local"]["state"]) == 1
    assert 'lessor_ha_partner_state{state="' in text
    assert value(text, "lessor_ha_partner_in_touch") == 0      # the standby never answers
    src = status["config-source"]
    assert value(text, 'lessor_config_source_info{kind="%s",location="%s"}'
                 % (src["kind"], src["location"])) == 1
    assert value(text, "lessor_config_source_error") == 0
    assert value(text, "kea_dhcp4_pkt4_received_total") >= 0

    exposed = families(text)
    chk = subprocess.run([promtool, "check", "rules", RULES], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=30)
    assert chk.returncode == 0, chk.stdout
    with open(RULES) as f:
        rule_series = set(SERIES.findall(f.read()))
    assert rule_series and rule_series <= exposed, rule_series - exposed

    with open(DASHBOARD) as f:
        dash = json.load(f)
    rows = [p["title"] for p in dash["panels"] if p["type"] == "row"]
    assert rows == ["Alarms", "Service", "Network metrics", "Subnet metrics"], rows
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 20
    used = set(s for e in exprs for s in SERIES.findall(e))
    assert used <= exposed, "the dashboard names series /metrics lacks: %s" % (used - exposed)
    assert {"lessor_ha_state", "lessor_lease_database_up", "lessor_config_source_info",
            "kea_dhcp4_subnet_assigned_addresses"} <= used
    srv.stop_clean()


def wait_status(srv):
    deadline = time.monotonic() + 10
    while True:
        try:
            a = command(srv, "status-get")
            if "high-availability" in a.get("arguments", {}):
                return a["arguments"]
        except (OSError, ValueError):
            pass
        assert time.monotonic() < deadline, "no status-get with high-availability"
        time.sleep(0.2)

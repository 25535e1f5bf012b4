"""lessor -a FILE: the deployment's own kea-ctrl-agent file (tests/fixtures/seed/
control-agent-config.json, verbatim but for the socket path) gives lessor its HTTP control
listener on port 8000 and its UNIX socket, with no separate agent process."""
import json
import os

from conftest import base_config, lessor_only, need_tools

SEED_AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "seed",
                          "control-agent-config.json")


def test_agent_file_serves_http_and_unix(server, tmp_path):
    lessor_only("-a is lessor's option; Kea runs kea-ctrl-agent for this")
    curl, socat = need_tools("curl", "socat")
    with open(SEED_AGENT) as f:
        agent = json.load(f)
    sock = str(tmp_path / "dhcp4-socket")
    agent["Control-agent"]["control-sockets"]["dhcp4"]["socket-name"] = sock
    agent_path = tmp_path / "kea-ctrl-agent.conf"
    agent_path.write_text(json.dumps(agent))
    server.extra_args = ["-a", str(agent_path)]
    server.start(base_config(tmp_path))

    body = json.dumps({"command": "version-get", "service": ["dhcp4"]})
    r = server.net.run(server.net.srv, [curl, "-s", "-S", "--max-time", "10", "-H",
                                        "Content-Type: application/json", "-d", body,
                                        "http://127.0.0.1:8000/"], timeout=20)
    answer = json.loads(r.stdout)
    assert isinstance(answer, list) and answer[0]["result"] == 0, r.stdout

    r = server.net.run(server.net.srv, [socat, "-t", "5", "-", "UNIX-CONNECT:" + sock],
                       input=json.dumps({"command": "list-commands"}), timeout=20)
    answer = json.loads(r.stdout)
    assert answer["result"] == 0 and "config-reload" in answer["arguments"], r.stdout
    server.stop_clean()

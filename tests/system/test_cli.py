"""Command line and signals, as kea-dhcp4 has them: -t, -v, -V, --help, SIGHUP, SIGTERM.

-t on an invalid file exits 1 and locates the error: lessor names the JSON path of the element
and its line (`Dhcp4.subnet4[0].subnet (line 5)`), Kea the file, line and column
(`FILE:5:26`, `FILE:3.21-27`).
"""

import re
import signal
import subprocess
import time

import pytest

from conftest import SERVER_KIND, base_config, perfdhcp, probe_offer


def _check(server, path, timeout=30):
    """`BIN -t PATH` inside the srv namespace (Kea checks that interfaces exist)."""
    return server.net.run(server.net.srv, [server.bin, "-t", path], timeout=timeout,
                          env=server.env())


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def _line_of_error(out, path, jpath):
    """The line an error message points at: Kea writes FILE:LINE:COL or FILE:LINE.COL-COL,
    lessor writes the JSON path of the offending element and `(line N)`."""
    m = re.search(re.escape(path) + r":(\d+)[.:]\d+", out)
    if m:
        return int(m.group(1))
    m = re.search(r"(\S+) \(line (\d+)\)", out) if jpath else re.search(r"\bline (\d+)\b", out)
    assert m, "output does not locate the error (%s:N:COL, or %s (line N)):\n%s" % (
        path, jpath or "line N", out)
    if jpath:
        assert m.group(1) == jpath, "error names %s, want %s:\n%s" % (m.group(1), jpath, out)
        return int(m.group(2))
    return int(m.group(1))


def test_check_valid_config(server, tmp_path):
    path = server.write_config(base_config(tmp_path))
    r = _check(server, path)
    assert r.returncode == 0, r.stdout


BAD_TYPE = """{
"Dhcp4": {
  "valid-lifetime": "forty",
  "subnet4": []
}
}
"""

BAD_PREFIX = """{
"Dhcp4": {
  "valid-lifetime": 4000,
  "subnet4": [
    { "id": 1, "subnet": "10.0.0.0/33" }
  ]
}
}
"""

BAD_SYNTAX = """{
"Dhcp4": {
  "valid-lifetime": 4000,
  "subnet4": [ { "id": 1, "subnet": "10.0.0.0/8" } ]
  "renew-timer": 100
}
}
"""


@pytest.mark.parametrize("text,jpath,line", [(BAD_TYPE, "Dhcp4.valid-lifetime", 3),
                                            (BAD_PREFIX, "Dhcp4.subnet4[0].subnet", 5),
                                            (BAD_SYNTAX, None, 5)],
                         ids=["type", "prefix", "syntax"])
def test_check_invalid_config_names_path_and_line(server, tmp_path, text, jpath, line):
    path = _write(tmp_path, "bad.json", text)
    r = _check(server, path)
    assert r.returncode == 1, "exit %d, want 1:\n%s" % (r.returncode, r.stdout)
    assert _line_of_error(r.stdout, path, jpath) == line, r.stdout


def test_check_missing_file(server, tmp_path):
    r = _check(server, str(tmp_path / "does-not-exist.json"))
    assert r.returncode == 1, r.stdout


def _simple(server, args):
    return subprocess.run([server.bin] + args, timeout=30, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=server.env())


def test_version_flags(server):
    v = _simple(server, ["-v"])
    assert v.returncode == 0, v.stdout
    first = v.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", first), v.stdout
    big = _simple(server, ["-V"])
    assert big.returncode == 0, big.stdout
    assert big.stdout.splitlines()[0].strip() == first, big.stdout
    assert len(big.stdout.strip().splitlines()) > 1, "-V is not extended: " + big.stdout


@pytest.mark.parametrize("value", ["2/2", "1", "a/3", "0/0", "1/2x", "-1/2"])
def test_bad_alloc_spread_refused(server, tmp_path, value):
    """LESSOR_ALLOC_SPREAD must be I/M with 0 <= I < M: anything else stops the server with a
    message naming the variable and the value, before it serves anything."""
    if SERVER_KIND != "lessor":
        pytest.skip("lessor's own environment variable")
    path = server.write_config(base_config(tmp_path))
    server.env_extra["LESSOR_ALLOC_SPREAD"] = value
    r = _check(server, path)
    assert r.returncode == 1, r.stdout
    assert "LESSOR_ALLOC_SPREAD='%s'" % value in r.stdout, r.stdout
    for good in ("1/2", "random"):
        server.env_extra["LESSOR_ALLOC_SPREAD"] = good
        assert _check(server, path).returncode == 0, good


def test_help(server):
    h = _simple(server, ["--help"])
    assert "Usage" in h.stdout or "usage" in h.stdout, h.stdout
    assert "-c" in h.stdout and "-t" in h.stdout, h.stdout
    # Kea 2.2 has no --help (it prints usage for the "invalid option" and exits 1).
    assert h.returncode == (1 if SERVER_KIND == "kea" else 0), h.stdout


def test_sighup_reload_and_broken_reload_keeps_serving(server, tmp_path):
    cfg = base_config(tmp_path)
    server.start(cfg)
    r = perfdhcp(server.net, n=10, rate=100)
    assert r.all_acked(10), r

    # A valid new configuration is applied: new clients come from the new pool.
    cfg["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "10.0.200.0 - 10.0.200.255"}]
    server.write_config(cfg)
    off = server.log_offset()
    server.signal(signal.SIGHUP)
    server.wait_log(r"DHCP4_CONFIG_COMPLETE|DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS", 20, off)
    r = perfdhcp(server.net, n=10, rate=100, base_mac="00:0c:02:00:00:00")
    assert r.all_acked(10), r
    new = [a for a, row in server.leases().items() if row["hwaddr"].startswith("00:0c:02")]
    assert len(new) == 10 and all(a.startswith("10.0.200.") for a in new), new

    # A broken one is refused: the server logs it, keeps the old configuration and serves.
    with open(server.cfg_path, "w") as f:
        f.write('{ "Dhcp4": { "valid-lifetime": "broken", ')
    off = server.log_offset()
    server.signal(signal.SIGHUP)
    server.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_FAIL|ERROR", 20, off)
    time.sleep(0.5)
    assert server.alive(), "server exited on a broken reload:\n" + server.log_since_start()
    r = perfdhcp(server.net, n=10, rate=100, base_mac="00:0c:03:00:00:00")
    assert r.all_acked(10), r
    new = [a for a, row in server.leases().items() if row["hwaddr"].startswith("00:0c:03")]
    assert len(new) == 10 and all(a.startswith("10.0.200.") for a in new), new
    server.stop_clean()


def test_sigterm_exits_zero(server, tmp_path):
    server.start(base_config(tmp_path))
    assert probe_offer(server.net)
    t0 = time.monotonic()
    server.stop_clean()
    assert time.monotonic() - t0 < 10
    assert re.search(r"INFO +\[kea-dhcp4\.dhcp4/\d+\.\d+\] DHCP4_SHUTDOWN ",
                     server.log_since_start()), server.log_since_start()[-2000:]
    # Nothing of the server is left in the namespace.
    left = subprocess.run(["ip", "netns", "pids", server.net.srv], stdout=subprocess.PIPE,
                          text=True, timeout=5).stdout.split()
    assert not left, "processes left in the srv namespace: %s" % left

"""Lease-file compatibility with ISC Kea 2.2, both ways, on the same configuration.

- lessor -> Kea: lessor serves N clients and stops; kea-lfc compacts lessor's file (every row
  must survive Kea's parser); Kea starts on lessor's file, and gives the old clients their old
  addresses and new clients other ones.
- Kea -> lessor: Kea serves N clients and stops; lessor starts on Kea's file, same checks.

With LESSOR_TEST_SERVER=kea both sides are Kea, which checks the test itself.
"""

import os
import re
import shutil
import subprocess

from conftest import (PERF_BASE_MAC, active_leases, assert_remembers, base_config, by_hwaddr,
                      need_tools, serve_clients)

N = 100


def _start_on(srv, tmp_path, lease_src):
    """Start SRV with the standard configuration on a copy of the lease file LEASE_SRC."""
    cfg = base_config(srv.dir)
    shutil.copyfile(lease_src, cfg["Dhcp4"]["lease-database"]["name"])
    srv.start(cfg)
    bad = [ln for ln in srv.log_since_start().splitlines()
           if "MEMFILE" in ln and ("ERROR" in ln or "WARN" in ln)]
    assert not bad, "%s complained about the lease file:\n%s" % (srv.kind, "\n".join(bad))


def _kea_lfc(tmp_path, lease_file):
    """Run Kea's lease file cleanup on a copy of LEASE_FILE; returns the compacted file."""
    (lfc,) = need_tools("kea-lfc")
    d = tmp_path / "lfc"
    d.mkdir()
    prev, inp, out, fin = (str(d / x) for x in ("prev.csv", "in.csv", "out.csv", "fin.csv"))
    shutil.copyfile(lease_file, prev)
    cfg = d / "lfc.json"
    cfg.write_text("{}")
    r = subprocess.run([lfc, "-4", "-x", prev, "-i", inp, "-o", out, "-f", fin,
                        "-p", str(d / "lfc.pid"), "-c", str(cfg), "-d"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60,
                       env=dict(os.environ, KEA_LOCKFILE_DIR=str(d), KEA_PIDFILE_DIR=str(d)))
    assert r.returncode == 0, "kea-lfc failed on the lease file:\n" + r.stdout
    m = re.search(r"LFC_READ_STATS Leases: (\d+), attempts: \d+, errors: (\d+)", r.stdout)
    assert m, "kea-lfc did not report its read statistics:\n" + r.stdout
    assert m.group(2) == "0" and "ERROR" not in r.stdout, \
        "kea-lfc rejected rows of the lease file:\n" + r.stdout
    assert os.path.exists(prev), r.stdout
    return prev, r.stdout


def test_kea_loads_lessor_leases(make_server, tmp_path):
    need_tools("kea-dhcp4")
    lessor = make_server(name="first")
    lessor.start(base_config(lessor.dir))
    old = serve_clients(lessor, N, PERF_BASE_MAC)
    lessor.stop_clean()

    compacted, log = _kea_lfc(tmp_path, lessor.lease_path)
    assert by_hwaddr(active_leases(compacted)) == old, \
        "kea-lfc did not keep lessor's leases:\n" + log

    kea = make_server("kea", name="kea")
    _start_on(kea, tmp_path, lessor.lease_path)
    assert_remembers(kea, old)
    kea.stop_clean()


def test_lessor_loads_kea_leases(make_server, tmp_path):
    need_tools("kea-dhcp4")
    kea = make_server("kea", name="kea")
    kea.start(base_config(kea.dir))
    old = serve_clients(kea, N, PERF_BASE_MAC)
    kea.stop_clean()

    lessor = make_server(name="second")
    _start_on(lessor, tmp_path, kea.lease_path)
    assert by_hwaddr(lessor.leases()) == old
    assert_remembers(lessor, old)
    lessor.stop_clean()

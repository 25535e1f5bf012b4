"""The README's run command, tools/demo.sh: on a fresh Debian 12 machine it must install what
the build needs before CMake runs, then get a demo lease and remove its namespaces.

- Its install step names every package the build needs: tools/demo.sh is run with stub
  dpkg-query (reports nothing installed) and apt-get (records its arguments, then fails), and
  the packages it asked for must own every pkg-config module CMakeLists.txt checks and every
  build tool (cmake, ninja, gcc, pkg-config).
- The demo itself (DEMO_ONCE=1, on the binary under test, no install) gets a lease from a
  relayed perfdhcp and a direct dhclient, and leaves no namespace or process behind.
"""

import os
import re
import shutil
import subprocess

import pytest

from conftest import SRC, need_root, need_tools, server_binary, lessor_only

DEMO = os.path.join(SRC, "tools", "demo.sh")


def _owner(path):
    """The Debian package that owns PATH (dpkg -S), following symlinks."""
    real = os.path.realpath(path)
    for p in (path, real):
        out = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.split(":", 1)[0].strip()
    raise AssertionError("no Debian package owns %s" % path)


def _with_depends(packages):
    """PACKAGES and their direct dependencies (Debian 12's pkg-config is pkgconf's alias)."""
    out = subprocess.run(["apt-cache", "depends", "--no-recommends", "--no-suggests",
                          "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"]
                         + sorted(packages), capture_output=True, text=True, check=True).stdout
    deps = re.findall(r"^\s+\|?(?:Pre)?Depends: (\S+)", out, flags=re.M)
    return set(packages) | {d.split(":")[0] for d in deps}


def _build_requirements():
    """{what: package} for every pkg-config module and build tool the build uses."""
    text = open(os.path.join(SRC, "CMakeLists.txt")).read()
    needs = {}
    for m in re.finditer(r"pkg_check_modules\(\s*\w+\s+([^)]*)\)", text):
        mods = [w for w in m.group(1).split() if w not in ("REQUIRED", "QUIET", "IMPORTED_TARGET",
                                                           "GLOBAL", "NO_CMAKE_PATH")]
        for mod in mods:
            mod = re.split(r"[<>=]", mod)[0]
            pcdir = subprocess.run(["pkg-config", "--variable=pcfiledir", mod],
                                   capture_output=True, text=True, check=True).stdout.strip()
            needs[mod + ".pc"] = _owner(os.path.join(pcdir, mod + ".pc"))
    for tool in ("cmake", "ninja", "gcc", "pkg-config"):
        needs[tool] = _owner(shutil.which(tool))
    needs["<stdio.h>"] = _owner("/usr/include/stdio.h")
    return needs


def test_install_step_names_every_build_package(tmp_path):
    need_root()
    need_tools("dpkg", "pkg-config")
    lessor_only("checks lessor's own demo script")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "apt.log"
    (stubs / "dpkg-query").write_text("#!/bin/sh\necho not-installed\n")
    (stubs / "apt-get").write_text('#!/bin/sh\necho "$@" >> %s\n'
                                   '[ "$1" = update ] && exit 0\nexit 100\n' % log)
    for s in stubs.iterdir():
        s.chmod(0o755)
    env = dict(os.environ, PATH="%s:%s" % (stubs, os.environ["PATH"]))
    env.pop("DEMO_INSTALL", None)
    r = subprocess.run([DEMO], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "installing the build's packages failed" in r.stderr, r.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("update"), calls
    installed = set(calls[-1].split()[1:]) - {"-y", "-q", "--no-install-recommends"}
    provided = _with_depends(installed)
    for what, pkg in _build_requirements().items():
        assert pkg in provided, "demo.sh does not install %s (needed for %s)" % (pkg, what)
    # and every name it asks for is a real Debian package
    for pkg in installed:
        assert subprocess.run(["apt-cache", "show", pkg], capture_output=True).returncode == 0, pkg


def _netns():
    return subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout


def test_demo_gets_a_lease_and_cleans_up():
    need_root()
    need_tools("ip", "dhclient", "perfdhcp")
    lessor_only("runs lessor's demo script on the binary under test")
    assert "lessor-demo" not in _netns(), "a demo is already running"
    env = dict(os.environ, DEMO_ONCE="1", DEMO_INSTALL="0", DEMO_BIN=server_binary())
    try:
        r = subprocess.run([DEMO], env=env, capture_output=True, text=True, timeout=90)
    finally:
        left = _netns()
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert re.search(r"ACKs received: 10\b", out), out
    m = re.search(r"the direct client got: (\S+)", out)
    assert m and m.group(1).startswith("192.0.2."), out
    assert "lessor-demo" not in left, left
    ps = subprocess.run(["pgrep", "-f", "lessor-demo-client|veth-demo"], capture_output=True)
    assert ps.returncode == 1, ps.stdout

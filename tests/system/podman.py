"""podman for the container tests (test_container.py): settings this machine needs, base images
made from Debian packages, the lessor image built from this repository, and cleanup.

No container registry is reachable here, so every image starts from a root filesystem that
mmdebstrap makes from Debian packages (/work/shared/NOTES.md, "Containers"). The two bases (a
build base with the toolchain, a runtime base with the libraries) are cached as tarballs in
$LESSOR_CONTAINER_CACHE (default /var/cache/lessor-test) and as podman images named by a hash of
their package lists, so only the first run pays for mmdebstrap (about a minute each). The
lessor image is built with --layers=false, so a build leaves no intermediate images behind, and
the image is removed by the test that built it.
"""

import hashlib
import os
import subprocess
import time

from conftest import SRC, missing, need_tools

CACHE = os.environ.get("LESSOR_CONTAINER_CACHE", "/var/cache/lessor-test")

# What the Containerfile's two stages install, so that their apt-get install finds it done.
BUILD_PACKAGES = ["cmake", "ninja-build", "gcc", "libc6-dev", "pkg-config", "libjansson-dev",
                  "libmicrohttpd-dev", "libcurl4-openssl-dev", "libmariadb-dev", "libpq-dev"]
RUNTIME_PACKAGES = ["libjansson4", "libmicrohttpd12", "libcurl4", "libmariadb3", "libpq5",
                    "ca-certificates", "libcap2-bin"]
DB_PACKAGES = ["mariadb-server"]        # contrib/container/mariadb (test_compose.py)

# crun 1.8.1 fails on this machine's hybrid cgroups; podman's default ulimits exceed the hard
# limits; no systemd: cgroupfs and a file events log.
CONTAINERS_CONF = """[containers]
default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
"""


LESSOR_REPO = "localhost/lessor-test"
# what .containerignore leaves out of the build context
_IGNORED_TOP = {"build", "out", ".cache", ".git"}


def _context_hash(root):
    """SHA-256 over the names and contents of the files a build of ROOT copies."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__" and
                         not (d == root and x in _IGNORED_TOP))
        for f in sorted(files):
            path = os.path.join(d, f)
            h.update(os.path.relpath(path, root).encode() + b"\0")
            if os.path.isfile(path):
                with open(path, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


class Podman:
    """podman with this machine's containers.conf; every call bounded in time."""

    def __init__(self, tmpdir):
        need_tools("podman", "runc", "mmdebstrap")
        self.conf = os.path.join(str(tmpdir), "containers.conf")
        with open(self.conf, "w") as f:
            f.write(CONTAINERS_CONF)
        self.env = dict(os.environ, CONTAINERS_CONF=self.conf)

    def run(self, *args, timeout=60, check=True, **kw):
        r = subprocess.run(["podman"] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=timeout, env=self.env,
                           **kw)
        if check and r.returncode != 0:
            raise AssertionError("podman %s exited %d:\n%s" % (" ".join(args), r.returncode,
                                                                r.stdout[-4000:]))
        return r

    def exists(self, image):
        return self.run("image", "exists", image, check=False).returncode == 0

    def base(self, kind, packages):
        """A Debian 12 minbase image with PACKAGES: podman's cached copy, else imported from
        the cached tarball, else made with mmdebstrap (and cached)."""
        tag = hashlib.sha256(" ".join(sorted(packages)).encode()).hexdigest()[:12]
        image = "localhost/lessor-test-%s:bookworm-%s" % (kind, tag)
        if self.exists(image):
            return image
        os.makedirs(CACHE, exist_ok=True)
        tar = os.path.join(CACHE, "%s-bookworm-%s.tar" % (kind, tag))
        if not os.path.exists(tar):
            part = tar + ".part"
            r = subprocess.run(["mmdebstrap", "--variant=minbase", "--format=tar",
                                "--include=" + ",".join(packages), "bookworm", part],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=600)
            if r.returncode != 0:
                missing("mmdebstrap could not make a Debian base (no Debian mirror?): " +
                        r.stdout[-2000:])
            os.rename(part, tar)
        self.run("import", tar, image, timeout=300)
        return image

    def lessor_image(self):
        """The repository's image, tagged by a hash of its build context: built by the first
        container test that needs it (test_container, test_compose), then shared; an older
        one is removed when it is no longer used. Returns (tag, seconds spent building)."""
        tag = "%s:src-%s" % (LESSOR_REPO, _context_hash(SRC)[:16])
        if self.exists(tag):
            return tag, 0.0
        old = self.run("images", "--format", "{{.Repository}}:{{.Tag}}", LESSOR_REPO,
                       check=False).stdout.split()
        for t in old:
            self.run("rmi", t, check=False)     # not -f: it may be another run's, in use
        return tag, self.build_lessor(tag)

    def build_lessor(self, tag):
        """Build the repository's Containerfile from the two cached bases; returns seconds."""
        build_base = self.base("build", BUILD_PACKAGES)
        run_base = self.base("runtime", RUNTIME_PACKAGES)
        return self.build(tag, os.path.join(SRC, "Containerfile"), SRC,
                          BUILD_BASE=build_base, BASE=run_base)

    def build_dev_mariadb(self, tag):
        """contrib/container/mariadb's image on a cached base holding mariadb-server; seconds."""
        ctx = os.path.join(SRC, "contrib", "container")
        return self.build(tag, os.path.join(ctx, "mariadb", "Containerfile"), ctx,
                          BASE=self.base("db", DB_PACKAGES))

    def build(self, tag, containerfile, context, **build_args):
        t0 = time.monotonic()
        # The bases hold every package the Containerfiles install (apt-install skips them), so
        # a build needs no network: none, rather than podman's default bridge on the host.
        args = ["build", "--format", "docker", "--layers=false", "--network=none", "-t", tag,
                "-f", containerfile]
        for k, v in build_args.items():
            args += ["--build-arg", "%s=%s" % (k, v)]
        # docker format: OCI image configs have no HEALTHCHECK.
        self.run(*(args + [context]), timeout=900)
        return time.monotonic() - t0

    def remove_image(self, tag):
        self.run("rmi", "-f", tag, check=False, timeout=120)

    def remove_container(self, name):
        self.run("rm", "-f", "-t", "0", name, check=False, timeout=60)

    def inspect(self, name, fmt):
        return self.run("inspect", "--format", fmt, name).stdout.strip()

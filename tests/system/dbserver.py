"""Real MariaDB and PostgreSQL servers for system tests, each in a temporary directory.

    with MariaDB(tmpdir) as db:          # or PostgreSQL(tmpdir)
        db.create_database("kea", user="kea", password="kea")
        db.sql("kea", "SELECT COUNT(*) FROM lease4")   -> list of rows (tuples of strings)
        db.params("kea")                 -> dict for a Kea lease-database map (type, name, host,
                                            port, user, password)

The server listens on 127.0.0.1 on a free port (never on another address) and on a UNIX socket
in the temporary directory. `netns=NAME` runs it (and every TCP client here) inside a network
namespace of the test's, so a server there reaches it over TCP on that namespace's loopback.
`tls={"ca": F, "cert": F, "key": F}` gives it that certificate and requires TLS on TCP
(MariaDB: require_secure_transport; PostgreSQL: every `host` line of pg_hba.conf becomes
`hostssl`); the UNIX socket stays plain. reload_tls() swaps the certificate while it runs. It is started as the system user `mysql` / `postgres` and stopped
(SIGTERM, then SIGKILL) on exit, pass or fail. Nothing here touches /var/lib or /etc.

Both come from Debian packages (mariadb-server, postgresql; .ci/install-deps.sh installs them).
A missing binary is reported through conftest.missing() (skip, or failure in CI).
"""

import contextlib
import os
import re
import shutil
import tempfile
import signal
import socket
import subprocess
import time

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    """A free loopback TCP port: the kernel's choice, or one of LESSOR_TEST_TCP_PORTS
    ("LOW-HIGH") when set, so that parallel runs can each keep to their own range."""
    span = os.environ.get("LESSOR_TEST_TCP_PORTS", "")
    lo, _, hi = span.partition("-")
    candidates = range(int(lo), int(hi) + 1) if lo.isdigit() and hi.isdigit() else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free loopback port in LESSOR_TEST_TCP_PORTS=%s" % span)


def _chown_tree(path, user):
    subprocess.run(["chown", "-R", "%s:%s" % (user, user), path], check=True, timeout=30)


class _DbServer:
    kind = None

    def __init__(self, tmpdir, port=None, netns=None, tls=None):
        self.dir = os.path.join(str(tmpdir), self.kind)
        self.port = port or free_port()
        self.proc = None
        self.log = os.path.join(self.dir, "server.log")
        self.netns = netns
        self.tls = tls

    def _in_ns(self, argv):
        return (["ip", "netns", "exec", self.netns] if self.netns else []) + list(argv)

    def _tls_files(self, cert=None, key=None):
        """Copy the TLS files where the server's own user can read them; their paths."""
        d = os.path.join(self.dir, "tls")
        os.makedirs(d, exist_ok=True)
        out = {}
        for what, src in (("ca", self.tls["ca"]), ("cert", cert or self.tls["cert"]),
                          ("key", key or self.tls["key"])):
            out[what] = os.path.join(d, what + ".pem")
            shutil.copyfile(src, out[what])
            os.chmod(out[what], 0o600)
        _chown_tree(d, "mysql" if self.kind == "mariadb" else "postgres")
        return out

    def __enter__(self):
        try:
            self.start()
        except Exception:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_ready(self, probe, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                break
            if probe():
                return
            time.sleep(0.2)
        with open(self.log, errors="replace") as f:
            tail = f.read()[-2000:]
        raise RuntimeError("%s did not start: %s" % (self.kind, tail))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self):
        """Start the stopped server again on its data and port (a database outage ending)."""
        assert self.proc is None or self.proc.poll() is not None, "still running"
        self._launch()

    def params(self, name, user=None, password=None):
        return {"type": self.lease_type, "name": name, "host": "127.0.0.1",
                "port": self.port, "user": user or name, "password": password or name}


class MariaDB(_DbServer):
    kind = "mariadb"
    lease_type = "mysql"
    admin_type = "mysql"  # kea-admin's backend word

    def start(self):
        for b in ("mariadbd", "mariadb-install-db", "mariadb"):
            if not (shutil.which(b) or os.path.exists("/usr/sbin/" + b)):
                raise FileNotFoundError(b + " is not installed (mariadb-server)")
        os.makedirs(self.dir, exist_ok=True)
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        # a temporary directory of its own: bootstraps running at once in the shared /tmp
        # failed now and then ("Could not remove temporary table '/tmp/#sql-temptable-...'",
        # "Unknown table 'mysql.tmp_user_sys'": 1 of 3 started together here, 0 of 4 with this)
        self.tmpdir = os.path.join(self.dir, "tmp")
        os.makedirs(self.tmpdir, exist_ok=True)
        _chown_tree(self.dir, "mysql")
        subprocess.run(["mariadb-install-db", "--no-defaults", "--user=mysql",
                        "--datadir=" + self.datadir, "--tmpdir=" + self.tmpdir,
                        "--auth-root-authentication-method=normal"],
                       check=True, timeout=120, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        self._launch()

    def _launch(self):
        logf = open(self.log, "a")
        argv = ["/usr/sbin/mariadbd", "--no-defaults", "--user=mysql", "--datadir=" + self.datadir,
                "--tmpdir=" + self.tmpdir,
                "--socket=" + self.socket, "--port=%d" % self.port, "--bind-address=127.0.0.1",
                "--pid-file=" + os.path.join(self.dir, "mysqld.pid"),
                "--innodb-flush-log-at-trx-commit=1", "--skip-name-resolve",
                "--log-error=" + self.log]
        if self.tls:
            f = self._tls_files()
            argv += ["--ssl-ca=" + f["ca"], "--ssl-cert=" + f["cert"], "--ssl-key=" + f["key"],
                     "--require-secure-transport=ON",
                     # per-session Ssl_cipher (performance_schema.status_by_thread)
                     "--performance-schema=ON"]
        self.proc = subprocess.Popen(self._in_ns(argv), stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        logf.close()
        self._wait_ready(lambda: self._root("SELECT 1", check=False).returncode == 0)

    def _root(self, sql, db=None, check=True):
        argv = ["mariadb", "--no-defaults", "-uroot", "--socket=" + self.socket, "-N", "-B",
                "-e", sql]
        if db:
            argv.append(db)
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=60, check=check)

    def create_database(self, name, user=None, password=None):
        user, password = user or name, password or name
        self._root("CREATE DATABASE `%s`; "
                   "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s'; "
                   "CREATE USER IF NOT EXISTS '%s'@'localhost' IDENTIFIED BY '%s'; "
                   "GRANT ALL ON `%s`.* TO '%s'@'%%'; GRANT ALL ON `%s`.* TO '%s'@'localhost'; "
                   "GRANT SUPER ON *.* TO '%s'@'%%'; FLUSH PRIVILEGES;"
                   % (name, user, password, user, password, name, user, name, user, user))

    def reload_tls(self, cert, key):
        """Serve certificate CERT (key KEY) from now on (FLUSH SSL re-reads the files)."""
        self._tls_files(cert, key)
        self._root("FLUSH SSL")

    def kea_admin_env(self):
        """Environment for `kea-admin ... mysql`: Kea 2.2's kea-admin does not pass -P to every
        mysql call, so the port also goes in a ~/.my.cnf of a private HOME."""
        home = os.path.join(self.dir, "home")
        os.makedirs(home, exist_ok=True)
        with open(os.path.join(home, ".my.cnf"), "w") as f:
            f.write("[client]\nport=%d\n" % self.port)
        return dict(os.environ, HOME=home)

    def sql(self, db, statement):
        """Run STATEMENT as root in DB; rows as tuples of strings (NULL -> 'NULL')."""
        out = self._root(statement, db=db).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]


@contextlib.contextmanager
def kea22_mariadb(kea_admin, names, kea22=()):
    """A MariaDB in its own temporary directory with databases NAMES (user/password kea); those
    also in KEA22 get Kea 2.2's schema by Kea's own kea-admin db-init. Stopped and removed on
    exit. Raises FileNotFoundError when mariadb-server is not installed."""
    d = tempfile.mkdtemp(prefix="lessor-db-")
    os.chmod(d, 0o755)  # the database runs as user mysql
    try:
        with MariaDB(d) as db:
            for name in names:
                db.create_database(name, user="kea", password="kea")
            for name in kea22:
                r = subprocess.run([kea_admin, "db-init", "mysql", "-u", "kea", "-p", "kea",
                                    "-n", name, "-h", "127.0.0.1", "-P", str(db.port)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   timeout=120, env=db.kea_admin_env())
                assert r.returncode == 0, r.stdout
            yield db
    finally:
        shutil.rmtree(d, ignore_errors=True)


class PostgreSQL(_DbServer):
    kind = "postgresql"
    lease_type = "postgresql"
    admin_type = "pgsql"

    def start(self):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            raise FileNotFoundError("initdb is not installed (postgresql)")
        os.makedirs(self.dir, exist_ok=True)
        self.datadir = os.path.join(self.dir, "data")
        self.socket_dir = self.dir
        _chown_tree(self.dir, "postgres")
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write("postgres\n")
        _chown_tree(self.dir, "postgres")
        self._as_pg([os.path.join(PG_BIN, "initdb"), "-D", self.datadir, "-A", "md5",
                     "-U", "postgres", "--no-sync", "--pwfile=" + pwfile])
        if self.tls:
            self._edit_hba(lambda lines: [re.sub(r"^host(\s)", r"hostssl\1", ln)
                                          for ln in lines])
        self._launch()

    def _edit_hba(self, edit):
        path = os.path.join(self.datadir, "pg_hba.conf")
        with open(path) as f:
            lines = f.read().splitlines()
        with open(path, "w") as f:
            f.write("\n".join(edit(lines)) + "\n")

    def allow_cert(self, user, db="all"):
        """Let USER in over TLS by its client certificate alone (pg_hba `cert`: the
        certificate's CN must be USER)."""
        self._edit_hba(lambda lines: ["hostssl %s %s 127.0.0.1/32 cert" % (db, user)] + lines)
        self._psql("postgres", "SELECT pg_reload_conf()")

    def reload_tls(self, cert, key):
        """Serve certificate CERT (key KEY) from now on (a configuration reload re-reads it)."""
        self._tls_files(cert, key)
        self._psql("postgres", "SELECT pg_reload_conf()")

    def _launch(self):
        logf = open(self.log, "a")
        argv = ["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, "postgres"),
                "-D", self.datadir, "-p", str(self.port), "-k", self.socket_dir,
                "-c", "listen_addresses=127.0.0.1", "-c", "synchronous_commit=on",
                "-c", "fsync=on"]
        if self.tls:
            f = self._tls_files()
            argv += ["-c", "ssl=on", "-c", "ssl_ca_file=" + f["ca"],
                     "-c", "ssl_cert_file=" + f["cert"], "-c", "ssl_key_file=" + f["key"]]
        self.proc = subprocess.Popen(self._in_ns(argv), stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        logf.close()
        self._wait_ready(lambda: self._psql("postgres", "SELECT 1", check=False).returncode == 0)

    def _as_pg(self, argv):
        subprocess.run(["runuser", "-u", "postgres", "--"] + argv, text=True,
                       check=True, timeout=120, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def _psql(self, db, sql, user="postgres", password="postgres", check=True):
        env = dict(os.environ, PGPASSWORD=password)
        return subprocess.run(self._in_ns(["psql", "-h", "127.0.0.1", "-p", str(self.port),
                                            "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1",
                                            "-At", "-F", "\t", "-c", sql]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=60, check=check, env=env)

    def create_database(self, name, user=None, password=None):
        user, password = user or name, password or name
        self._psql("postgres", "CREATE USER \"%s\" WITH PASSWORD '%s' SUPERUSER" % (user, password))
        self._psql("postgres", "CREATE DATABASE \"%s\" OWNER \"%s\"" % (name, user))

    def kea_admin_env(self):
        """Environment for `kea-admin ... pgsql` (no exported PGPASSWORD: it breaks kea-admin)."""
        env = dict(os.environ)
        env.pop("PGPASSWORD", None)
        return env

    def sql(self, db, statement):
        out = self._psql(db, statement).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT is PostgreSQL's "fast" shutdown. It goes to the postmaster itself (first
            # line of postmaster.pid): runuser, our child, does not pass it on.
            try:
                with open(os.path.join(self.datadir, "postmaster.pid")) as f:
                    os.kill(int(f.readline()), signal.SIGINT)
            except (OSError, ValueError):
                self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

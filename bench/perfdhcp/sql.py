#!/usr/bin/python3
"""lessor vs Kea 2.2 on one real database server, locally and with network latency.

For each backend (MariaDB with innodb_flush_log_at_trx_commit=1, PostgreSQL with
synchronous_commit=on and fsync=on, both from tests/system/dbserver.py with their data in a
directory under build/, on disk) it creates Kea 2.2's schema with kea-admin db-init and, for
each delay, runs compare.sh with both servers' lease-database on it: reached over the UNIX
socket directly (delay 0) or through bench-delay (build/release/bench/), a relay on a UNIX
socket that holds every byte DELAY microseconds in each direction (this kernel has no netem),
which is what a database one network hop away (a cloud database such as RDS) looks like.
lease4 is emptied before every server start. compare.sh measures DORA/s with < 1 % drops,
server CPU and the database server's own CPU (DB_PID: mariadbd, or the postmaster and its
children) per exchange at a fixed rate both servers keep up with (FIXED_RATE=auto). At the
end it prints one table with the lessor/Kea ratios.

Usage (root): bench/perfdhcp/sql.py [mysql] [postgresql]     (default both)
Env: DELAYS_US ("0 1000"), the database on loopback ports DB_PORT (20200) and DB_PORT+1,
     and compare.sh's knobs (RATES, STEP_S, MT, RAMP_PASSES ...).
Bounded: each compare.sh run stops itself within 5 minutes; the relay and the database are
stopped and their directory removed at the end, pass or fail.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", ".."))
sys.path.insert(0, os.path.join(repo, "tests", "system"))
import dbserver  # noqa: E402

DELAY_BIN = os.environ.get("DELAY_BIN", os.path.join(repo, "build", "release", "bench", "bench-delay"))
RATES = ("10 20 30 40 50 75 100 150 200 250 300 400 500 600 750 1000 1250 1500 2000 2500 3000 4000 5000 "
         "6000 8000 10000")


def postmaster_pid(db):
    with open(os.path.join(db.datadir, "postmaster.pid")) as f:
        return int(f.readline())


class Relay:
    """bench-delay from LISTEN to TARGET (UNIX socket paths), stopped on exit."""

    def __init__(self, listen, target, delay_us, log):
        self.argv = [DELAY_BIN, "unix:" + listen, "unix:" + target, str(delay_us)]
        self.listen, self.log = listen, log

    def __enter__(self):
        with open(self.log, "w") as logf:
            self.proc = subprocess.Popen(self.argv, stdout=logf, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        for _ in range(50):
            if os.path.exists(self.listen):
                return self
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("bench-delay did not start: " + open(self.log).read())

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def run_one(kind, db, delay_us, d):
    """compare.sh on DB, through a relay when DELAY_US > 0. Returns its RESULT fields."""
    env = dict(os.environ)
    env.setdefault("RATES", RATES)
    env.setdefault("FIXED_RATE", "auto")
    env.setdefault("MT", "default")
    env["DB_PID"] = str(db.proc.pid if kind == "mysql" else postmaster_pid(db))
    rdir = os.path.join(d, "relay-%s-%d" % (kind, delay_us))
    os.makedirs(rdir, exist_ok=True)
    os.chmod(rdir, 0o755)
    if kind == "mysql":
        target = db.socket
        sock = os.path.join(rdir, "mysqld.sock") if delay_us else target
        env["MYSQL_UNIX_PORT"] = sock
        host = "localhost"
        env["WIPE_CMD"] = "mariadb --no-defaults -uroot --socket=%s kea -e 'DELETE FROM lease4'" % target
    else:
        name = ".s.PGSQL.%d" % db.port
        target = os.path.join(db.socket_dir, name)
        host = rdir if delay_us else db.socket_dir
        sock = os.path.join(rdir, name)
        env["WIPE_CMD"] = ("PGPASSWORD=postgres psql -q -h 127.0.0.1 -p %d -U postgres -d kea "
                           "-c 'DELETE FROM lease4'" % db.port)
    env["LEASE_DB_JSON"] = ('{ "type": "%s", "name": "kea", "host": "%s", "port": %d, '
                            '"user": "kea", "password": "kea" }' % (db.lease_type, host, db.port))
    print("\n## %s, %d us each way between server and database" % (kind, delay_us), flush=True)

    def go():
        p = subprocess.run([os.path.join(here, "compare.sh")], env=env, stdout=subprocess.PIPE,
                           text=True)
        sys.stdout.write(p.stdout)
        m = re.search(r"^RESULT (.*)$", p.stdout, re.M)
        return m.group(1).split() if m else None

    if delay_us:
        with Relay(sock, target, delay_us, os.path.join(rdir, "relay.log")):
            return go()
    return go()


def main():
    kinds = [a for a in sys.argv[1:] if a in ("mysql", "postgresql")] or ["mysql", "postgresql"]
    delays = [int(x) for x in os.environ.get("DELAYS_US", "0 1000").split()]
    port = int(os.environ.get("DB_PORT", "20200"))
    if any(delays) and not os.access(DELAY_BIN, os.X_OK):
        subprocess.run(["cmake", "--build", "--preset", "release", "--target", "bench-delay"],
                       cwd=repo, check=True, stdout=subprocess.DEVNULL)
    base = os.path.join(repo, "build")
    os.makedirs(base, exist_ok=True)
    d = tempfile.mkdtemp(prefix="bench-db-", dir=base)   # on disk: commits really fsync
    os.chmod(d, 0o755)
    rows = []
    try:
        for i, kind in enumerate(kinds):
            cls = dbserver.MariaDB if kind == "mysql" else dbserver.PostgreSQL
            with cls(d, port=port + i) as db:
                db.create_database("kea", user="kea", password="kea")
                subprocess.run(["kea-admin", "db-init", db.admin_type, "-u", "kea", "-p", "kea",
                                "-n", "kea", "-h", "127.0.0.1", "-P", str(db.port)], check=True,
                               stdout=subprocess.DEVNULL, env=db.kea_admin_env(), timeout=120)
                for delay in delays:
                    rows.append((kind, delay, run_one(kind, db, delay, d)))
    finally:
        shutil.rmtree(d, ignore_errors=True)

    def ratio(a, b):
        return "%.2f" % (float(a) / float(b)) if float(b) > 0 else "n/a"

    print("\n%-11s %8s | %18s %6s | %22s | %22s | %s" % (
        "backend", "delay", "DORA/s lessor/kea", "ratio", "server CPU us/DORA l/k",
        "DB CPU us/DORA l/k", "fixed rate"))
    for kind, delay, r in rows:
        if r is None:
            print("%-11s %6dus | (compare.sh failed)" % (kind, delay))
            continue
        # RESULT dora L K cpu L K db L K fixed R
        print("%-11s %6dus | %8s / %-7s %6s | %9s / %-9s %s | %9s / %-9s %s | %s" % (
            kind, delay, r[1], r[2], ratio(r[1], r[2]), r[4], r[5], ratio(r[4], r[5]),
            r[7], r[8], ratio(r[7], r[8]), r[10]))
    return 0 if all(r is not None for _, _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

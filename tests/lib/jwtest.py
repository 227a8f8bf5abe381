"""jwtest - real parts for jobwatch's integration tests: a throwaway PostgreSQL cluster
(tests/lib/pgcluster.sh), the scripted loopback HTTP server (tests/lib/httpd.py), a syslog
receiver on a unix datagram socket, a runner for jobwatchd, and Env, the fixture a test file
builds once from them all. Python 3 stdlib only.

Each test prints "ok - name" or "not ok - name"; tests/run.sh counts them."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.join(TOP, "tests", "lib")
FIXTURES = os.path.join(TOP, "tests", "fixtures")
JOBWATCHD = os.environ.get("JOBWATCHD", os.path.join(TOP, "build", "jobwatchd"))


def tmpdir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o755)
    return d


class Postgres:
    """A private cluster; env() gives the libpq variables that reach it."""

    def __init__(self):
        self.dir = tmpdir("jobwatch-pg-")
        out = subprocess.run([os.path.join(LIB, "pgcluster.sh"), "start", self.dir],
                             check=True, capture_output=True, text=True).stdout
        self.vars = dict(l.split("=", 1) for l in out.split() if "=" in l)

    def env(self):
        e = dict(os.environ)
        e.update(self.vars)
        return e

    def conninfo(self):
        v = self.vars
        return "host=%s port=%s dbname=%s user=%s" % (v["PGHOST"], v["PGPORT"],
                                                      v["PGDATABASE"], v["PGUSER"])

    def query(self, sql):
        """Rows of sql as lists of strings (psql -At, unit separator between fields)."""
        out = subprocess.run(["psql", "-X", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                              "-c", sql], env=self.env(), check=True, capture_output=True,
                             text=True).stdout
        return [line.split("\x1f") for line in out.splitlines()]

    def value(self, sql):
        rows = self.query(sql)
        return rows[0][0] if rows else None

    def reset(self):
        """An empty public schema, once the sessions of the daemons before have ended: a
        daemon's temp table takes its ids from postings_id_seq, so dropping the sequence
        reaches into every session that still has one, and one still ending (dropping its
        temp tables) can deadlock with the drop."""
        end = time.time() + 5
        while time.time() < end and self.value(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'") != "0":
            time.sleep(0.05)
        for attempt in range(4):
            try:
                self.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                return
            except subprocess.CalledProcessError as e:
                if "deadlock detected" not in (e.stderr or "") or attempt == 3:
                    raise
                time.sleep(0.1)

    def _ctl(self, cmd):
        subprocess.run([os.path.join(LIB, "pgcluster.sh"), cmd, self.dir], check=True,
                       capture_output=True, text=True)

    def restart(self):
        """pg_ctl restart -m fast: every session is cut, the server is back on its port."""
        self._ctl("restart")

    def down(self):
        self._ctl("stop")

    def up(self):
        self._ctl("start")

    def stop(self):
        subprocess.run([os.path.join(LIB, "pgcluster.sh"), "stop", self.dir],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class HttpServer:
    """tests/lib/httpd.py on 127.0.0.1; routes() rewrites its script atomically."""

    def __init__(self):
        self.dir = tmpdir("jobwatch-http-")
        self.script = os.path.join(self.dir, "script.json")
        self.reqlog = os.path.join(self.dir, "requests.jsonl")
        self.routes({})
        self.proc = subprocess.Popen([sys.executable, os.path.join(LIB, "httpd.py"),
                                      self.script, self.reqlog], stdout=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline().split()
        assert line and line[0] == "PORT", "httpd.py did not start"
        self.port = int(line[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def routes(self, routes):
        tmp = self.script + ".tmp"
        with open(tmp, "w") as f:
            json.dump(routes, f)
        os.replace(tmp, self.script)

    def requests(self):
        try:
            with open(self.reqlog) as f:
                return [json.loads(l) for l in f if l.strip()]
        except FileNotFoundError:
            return []

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Syslog:
    """A syslog receiver: a unix datagram socket; lines() are the messages after the
    "ident[pid]: " header."""

    def __init__(self, path=None):
        self.dir = tmpdir("jobwatch-log-")
        self.path = path or os.path.join(self.dir, "log.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o666)
        self.raw = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.running = True
        self.thread.start()

    def _run(self):
        self.sock.settimeout(0.2)
        while self.running:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            with self.lock:
                self.raw.append(data.decode("utf-8", "surrogateescape"))

    def messages(self):
        """(priority number, message) of every datagram received so far."""
        time.sleep(0.3)
        out = []
        with self.lock:
            for d in self.raw:
                pri = int(d[1:d.index(">")])
                msg = d.split("]: ", 1)[1] if "]: " in d else d
                out.append((pri, msg))
        return out

    def alerts(self):
        return [m for _, m in self.messages() if m.startswith("alert ")]

    def clear(self):
        with self.lock:
            self.raw.clear()

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)
        shutil.rmtree(self.dir, ignore_errors=True)


def shipped_ml_rule():
    """The ml-openings rule exactly as config/jobwatch.conf ships it."""
    with open(os.path.join(TOP, "config", "jobwatch.conf")) as f:
        text = f.read()
    m = re.search(r'\{\s*name = "ml-openings";.*?\n\t\}', text, re.S)
    assert m, "ml-openings rule not found in config/jobwatch.conf"
    return m.group(0)


def write_config(path, conninfo, sources, alerts="", poll="", log_socket=None):
    """A jobwatch.conf; sources is a list of (name, type, url)."""
    src = ",\n".join('  { name = "%s"; type = "%s"; url = "%s"; }' % s for s in sources)
    log = 'log: { facility = "local3"; alert_priority = "notice";%s };\n' % (
        ' socket = "%s";' % log_socket if log_socket else "")
    with open(path, "w") as f:
        f.write('database: { conninfo = "%s"; };\n' % conninfo)
        f.write("poll: { %s%s };\n" % ("" if "timeout" in poll else "timeout = 5; ", poll))
        f.write(log)
        f.write("sources = (\n%s\n);\n" % src)
        if alerts:
            f.write("alerts = (\n%s\n);\n" % alerts)


def run_once(config, env=None, timeout=60, args=()):
    p = subprocess.run([JOBWATCHD, "-c", config, "--once", "--log-stderr", *args],
                       capture_output=True, text=True, timeout=timeout, env=env)
    return p.returncode, p.stderr


class Env:
    """What an integration test file shares across its tests: one PostgreSQL cluster (each test
    resets its schema), the loopback HTTP server, a syslog receiver (syslog=False: none), a
    config path, the writer and the --once runner. A file subclasses it for its own queries."""

    def __init__(self, prefix, syslog=True):
        self.pg = Postgres()
        self.http = HttpServer()
        self.log = Syslog() if syslog else None
        self.dir = tmpdir(prefix)
        self.conf = os.path.join(self.dir, "jobwatch.conf")

    def config(self, sources, alerts="", poll="", log_socket=True):
        """Write the config: sources [(name, type, url)], to the syslog receiver if any."""
        write_config(self.conf, self.pg.conninfo(), sources, alerts, poll,
                     log_socket=self.log.path if self.log and log_socket else None)

    def once(self, want_rc=0, env=None):
        """jobwatchd --once on the config; its stderr. Fails unless it exits want_rc."""
        rc, err = run_once(self.conf, env=env)
        if rc != want_rc:
            raise AssertionError("jobwatchd --once exited %d, want %d:\n%s" % (rc, want_rc, err))
        return err

    def open_count(self, source):
        return int(self.pg.value("SELECT count(*) FROM open_postings WHERE source = '%s'"
                                 % source))

    def stop(self):
        if self.log:
            self.log.stop()
        self.http.stop()
        self.pg.stop()


class Suite:
    def __init__(self):
        self.passed = self.failed = 0

    def run(self, name, fn, *args):
        try:
            fn(*args)
        except Exception:
            self.failed += 1
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print("not ok - %s" % name, flush=True)
        else:
            self.passed += 1
            print("ok - %s" % name, flush=True)

    def skip(self, name, why):
        print("ok - %s # skip %s" % (name, why), flush=True)

    def end(self):
        print("# %d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


class Notify:
    """A NOTIFY_SOCKET listener: the messages a daemon sends systemd."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.msgs = []

    def drain(self):
        while True:
            try:
                self.msgs.append(self.sock.recv(4096).decode())
            except socket.timeout:
                return

    def wait(self, what, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            if any(what in m for m in self.msgs):
                return True
            try:
                self.msgs.append(self.sock.recv(4096).decode())
            except socket.timeout:
                pass
        raise AssertionError("no %s from the daemon; got %r" % (what, self.msgs))

    def close(self):
        self.sock.close()
        os.unlink(self.path)


def wait_for(cond, what, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if cond():
                return
        except subprocess.CalledProcessError:
            pass  # the database may be down or the schema not there yet
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)

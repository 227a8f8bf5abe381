#!/usr/bin/env python3
"""jobwatchd as a service: `make install` into a DESTDIR (every file, modes, paths, a config
that is never overwritten, uninstall), the installed unit (systemd-analyze security and
verify, offline), the man pages (no groff warning), the daemon's sd_notify traffic (STATUS=
lines, WATCHDOG=1 that stops while the loop is wedged), and the system calls, socket families
and files of a daemon run checked against what the unit's sandbox allows.

There is no systemd to start the unit here; the sandbox is checked by tracing a real run."""
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import TOP, eq  # noqa: E402

BUILD = os.path.dirname(jwtest.JOBWATCHD)
# The install is tested on the normal build: relinking main.o (SQLDIR is compiled in) for a
# sanitizer build would need that build's flags, and the service runs a normal build.
NORMAL_BUILD = os.path.basename(BUILD) == "build"
PREFIX = "/usr"  # not the default, so that every path the unit and binary carry is rewritten
UNITDIR = subprocess.run(["pkg-config", "--variable=systemdsystemunitdir", "systemd"],
                         capture_output=True, text=True).stdout.strip() or "/lib/systemd/system"
SYSUSERSDIR = subprocess.run(["pkg-config", "--variable=sysusersdir", "systemd"],
                             capture_output=True, text=True).stdout.strip() or "/usr/lib/sysusers.d"
TMPFILESDIR = subprocess.run(["pkg-config", "--variable=tmpfilesdir", "systemd"],
                             capture_output=True, text=True).stdout.strip() or "/usr/lib/tmpfiles.d"
UNIT = UNITDIR + "/jobwatchd.service"
SQL = sorted(f for f in os.listdir(os.path.join(TOP, "sql")) if f.endswith(".sql"))
# path in the installed tree -> mode
TREE = dict([("/usr/sbin/jobwatchd", 0o755), ("/etc/jobwatch/jobwatch.conf", 0o640),
             ("/usr/share/man/man8/jobwatchd.8", 0o644),
             ("/usr/share/man/man5/jobwatch.conf.5", 0o644),
             ("/usr/share/man/man7/jobwatch.7", 0o644), (UNIT, 0o644),
             (SYSUSERSDIR + "/jobwatch.conf", 0o644), (TMPFILESDIR + "/jobwatch.conf", 0o644)] +
            [("/usr/share/jobwatch/sql/" + f, 0o644) for f in SQL])


def make(*args):
    # not the flags of a `make check` this may run under (its jobserver, its variables)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "-s", "-C", TOP, *args], capture_output=True, text=True,
                       env=env)
    if p.returncode != 0:
        raise AssertionError("make %s: %s%s" % (" ".join(args), p.stdout, p.stderr))
    return p.stdout


class Installed:
    """One `make install PREFIX=/usr DESTDIR=…` from a copy of the build (make relinks the copy
    with the new SQLDIR, never the build under test)."""

    def __init__(self):
        self.dir = jwtest.tmpdir("jobwatch-install-")
        self.build = os.path.join(self.dir, "build")
        self.root = os.path.join(self.dir, "root")
        os.mkdir(self.build)
        for f in ("src", "libjobwatch.a", "jobwatchd"):
            src = os.path.join(BUILD, f)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.build, f), symlinks=True)
            else:
                shutil.copy2(src, self.build)
        self.install()

    def install(self):
        return make("install", "BUILD=" + self.build, "PREFIX=" + PREFIX,
                    "DESTDIR=" + self.root)

    def path(self, p):
        return self.root + p

    def files(self):
        out = {}
        for d, _, fs in os.walk(self.root):
            for f in fs:
                full = os.path.join(d, f)
                out[full[len(self.root):]] = stat.S_IMODE(os.lstat(full).st_mode)
        return out

    def unit(self, key):
        with open(self.path(UNIT)) as f:
            return [l.split("=", 1)[1].strip() for l in f if l.startswith(key + "=")]

    def stop(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def install_tree(ins):
    """Every file with its mode, nothing else; the unit runs the installed binary with the
    installed config; the binary runs and knows the installed SQL directory."""
    eq(ins.files(), TREE, "installed files and modes")
    binary = PREFIX + "/sbin/jobwatchd"
    eq(ins.unit("ExecStart"), [binary + " -c /etc/jobwatch/jobwatch.conf"], "ExecStart")
    eq(ins.unit("ExecStartPre"), [binary + " --check-config -c /etc/jobwatch/jobwatch.conf"],
       "ExecStartPre")
    eq(ins.unit("User"), ["jobwatch"], "User")
    with open(ins.path(SYSUSERSDIR + "/jobwatch.conf")) as f:
        assert re.search(r"^u jobwatch ", f.read(), re.M), "sysusers makes the user jobwatch"
    with open(ins.path(TMPFILESDIR + "/jobwatch.conf")) as f:
        tmp = f.read()
    assert re.search(r"^z /etc/jobwatch/jobwatch.conf\s+0640 root\s+jobwatch", tmp, re.M), tmp
    exe = ins.path(binary)
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    eq(out, "jobwatchd 0.1.0\n", "--version")
    p = subprocess.run([exe, "--check-config", "-c", ins.path("/etc/jobwatch/jobwatch.conf")],
                       capture_output=True, text=True)
    eq((p.returncode, p.stdout), (0, "configuration OK\n"), "--check-config of the example")
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
    assert PREFIX + "/share/jobwatch/sql)" in out, "compiled-in SQL dir: " + out


def install_keeps_config(ins):
    """A second install leaves an edited config alone; uninstall removes everything else."""
    conf = ins.path("/etc/jobwatch/jobwatch.conf")
    with open(conf, "a") as f:
        f.write("# edited by the operator\n")
    os.chmod(conf, 0o600)
    ins.install()
    with open(conf) as f:
        assert f.read().endswith("# edited by the operator\n"), "config overwritten"
    eq(stat.S_IMODE(os.stat(conf).st_mode), 0o600, "mode of the edited config")
    make("uninstall", "PREFIX=" + PREFIX, "DESTDIR=" + ins.root)
    eq(sorted(ins.files()), ["/etc/jobwatch/jobwatch.conf"], "left after uninstall")
    os.unlink(conf)
    ins.install()


def unit_security(ins):
    """systemd-analyze security --offline rates the installed unit 2.0 or lower."""
    p = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                        ins.path(UNIT)], capture_output=True, text=True)
    m = re.search(r"Overall exposure level for jobwatchd.service: (\d+\.\d+)", p.stdout)
    assert m, "no exposure level: %s %s" % (p.stdout[-500:], p.stderr)
    level = float(m.group(1))
    print("# exposure level %.1f" % level)
    assert level <= 2.0, "exposure %.1f > 2.0:\n%s" % (
        level, "\n".join(l for l in p.stdout.splitlines() if l.startswith("\u2717")))


def unit_verify(ins):
    """systemd-analyze verify finds nothing in the installed unit: its binary is the DESTDIR
    copy (the only change), and its Documentation= pages are found in the DESTDIR."""
    tmp = os.path.join(ins.dir, "verify")
    os.makedirs(tmp, exist_ok=True)
    with open(ins.path(UNIT)) as f:
        text = f.read().replace(PREFIX + "/sbin/jobwatchd", ins.path(PREFIX + "/sbin/jobwatchd"))
    with open(os.path.join(tmp, "jobwatchd.service"), "w") as f:
        f.write(text)
    p = subprocess.run(["systemd-analyze", "verify", os.path.join(tmp, "jobwatchd.service")],
                       capture_output=True, text=True,
                       env=dict(os.environ, MANPATH=ins.path("/usr/share/man")))
    eq((p.returncode, p.stdout + p.stderr), (0, ""), "systemd-analyze verify")


def man_pages(ins):
    """Both man pages render with no warning from man or groff."""
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    for page in ("/usr/share/man/man8/jobwatchd.8", "/usr/share/man/man5/jobwatch.conf.5",
                 "/usr/share/man/man7/jobwatch.7"):
        path = ins.path(page)
        p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", path],
                           capture_output=True, text=True, env=env)
        eq((p.returncode, p.stderr), (0, ""), "man " + page)
        assert len(p.stdout) > 1000, "man %s rendered %d bytes" % (page, len(p.stdout))
        p = subprocess.run(["groff", "-t", "-ww", "-z", "-man", path], capture_output=True,
                           text=True)
        eq((p.returncode, p.stderr), (0, ""), "groff " + page)


class Notify:
    """A NOTIFY_SOCKET listener that keeps when each message came."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.1)
        self.msgs = []  # (monotonic time, message)

    def pump(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.msgs.append((time.monotonic(), self.sock.recv(4096).decode()))
            except socket.timeout:
                pass

    def wait(self, pred, what, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(pred(m) for _, m in self.msgs):
                return
            self.pump(0.1)
        raise AssertionError("no %s; got %r" % (what, [m for _, m in self.msgs][-20:]))

    def since(self, t, prefix):
        return [(at, m) for at, m in self.msgs if at >= t and m.startswith(prefix)]

    def close(self):
        self.sock.close()
        os.unlink(self.path)


class Env:
    def __init__(self):
        self.pg = jwtest.Postgres()
        self.http = jwtest.HttpServer()
        self.log = jwtest.Syslog()
        self.dir = jwtest.tmpdir("jobwatch-svc-")
        self.conf = os.path.join(self.dir, "jobwatch.conf")

    def config(self, sources, poll="interval = 1; jitter = 0;"):
        jwtest.write_config(self.conf, self.pg.conninfo(), sources, poll=poll,
                            log_socket=self.log.path)

    def stop(self):
        self.log.stop()
        self.http.stop()
        self.pg.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


BOARD = '{"jobs": [{"id": 1, "title": "One", "absolute_url": "https://example.test/1", ' \
        '"location": {"name": "Remote"}, "updated_at": "2026-08-09T23:52:37-04:00"}], ' \
        '"meta": {"total": 1}}'


def start_daemon(env, notify, argv=None, watchdog_usec=None):
    e = dict(os.environ, NOTIFY_SOCKET=notify.path)
    if watchdog_usec:
        e["WATCHDOG_USEC"] = str(watchdog_usec)
    err = open(os.path.join(env.dir, "daemon.err"), "w")
    p = subprocess.Popen(argv or [jwtest.JOBWATCHD, "-c", env.conf], env=e, stderr=err)
    err.close()
    return p


def stop_daemon(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def status_lines(env):
    """STATUS= says how many sources poll, how many fail, and how long the last cycle took;
    a line is sent when it changes and not more often than about once a second."""
    env.pg.reset()
    env.http.routes({"/ok": {"body": BOARD}, "/bad": {"status": 500, "body": "no"}})
    env.config([("ok", "greenhouse", env.http.base + "/ok"),
                ("bad", "greenhouse", env.http.base + "/bad")])
    notify = Notify(os.path.join(env.dir, "notify.sock"))
    p = start_daemon(env, notify)
    try:
        notify.wait(lambda m: m == "READY=1", "READY=1")
        want = re.compile(r"^STATUS=polling \d/2 sources, 1 failing, last cycle \d+ s$")
        notify.wait(lambda m: bool(want.match(m)), "STATUS with 1 failing and a last cycle")
        notify.pump(4)
        st = notify.since(0, "STATUS=")
        for (a, ma), (b, mb) in zip(st, st[1:]):
            assert mb != ma, "the same STATUS twice in a row: %r" % mb
            assert b - a >= 0.9, "STATUS %r then %r %.2f s later" % (ma, mb, b - a)
        for _, m in st:
            assert re.match(r"^STATUS=(polling \d/2 sources, [01] failing, (first cycle|"
                            r"last cycle \d+ s)|waiting for the database \(try \d+\))$", m), m
        print("# %d STATUS lines, e.g. %r" % (len(st), st[-1][1]))
        # the bad source recovers: 0 failing
        env.http.routes({"/ok": {"body": BOARD}, "/bad": {"body": BOARD}})
        notify.wait(lambda m: bool(re.match(r"^STATUS=polling \d/2 sources, 0 failing", m)),
                    "STATUS with 0 failing")
        stop_daemon(p)
        eq(p.returncode, 0, "exit status")
        notify.pump(0.3)
        assert any(m.startswith("STATUS=stopping") for _, m in notify.msgs) or \
            any(m == "STOPPING=1" for _, m in notify.msgs), "no stopping notice"
    finally:
        stop_daemon(p)
        notify.close()


def watchdog_wedge(env):
    """WATCHDOG=1 comes while the loop turns; a loop wedged in the database (its backend
    SIGSTOPped in the middle of the daemon's work) sends none until it turns again."""
    env.pg.reset()
    env.http.routes({"/ok": {"body": BOARD}})
    env.config([("ok", "greenhouse", env.http.base + "/ok")])
    notify = Notify(os.path.join(env.dir, "notify.sock"))
    p = start_daemon(env, notify, watchdog_usec=2000000)  # pings every second
    backend = None
    try:
        notify.wait(lambda m: m == "READY=1", "READY=1")
        t0 = time.monotonic()
        notify.pump(3.5)
        pings = notify.since(t0, "WATCHDOG=1")
        assert 2 <= len(pings) <= 5, "%d pings in 3.5 s with a 2 s watchdog" % len(pings)
        backend = env.pg.value("SELECT pid FROM pg_stat_activity "
                               "WHERE application_name = 'jobwatchd'")
        assert backend, "no backend of jobwatchd"
        os.kill(int(backend), signal.SIGSTOP)
        notify.pump(2.5)  # the next poll (1 s interval) reaches the database and hangs
        t1 = time.monotonic()
        notify.pump(4)
        eq(notify.since(t1, "WATCHDOG=1"), [], "pings while the loop is wedged")
        assert p.poll() is None, "the daemon exited"
        os.kill(int(backend), signal.SIGCONT)
        backend = None
        t2 = time.monotonic()
        notify.pump(3)
        assert notify.since(t2, "WATCHDOG=1"), "no ping after the database answered again"
    finally:
        if backend:
            os.kill(int(backend), signal.SIGCONT)
        stop_daemon(p)
        notify.close()


def filter_groups():
    """systemd-analyze syscall-filter: group -> members (system calls and @groups)."""
    out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                         capture_output=True, text=True, check=True).stdout
    groups, cur = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            cur = groups.setdefault(line.strip(), set())
        elif cur is not None and line.strip() and not line.strip().startswith("#"):
            cur.add(line.strip())
        elif not line.strip():
            cur = None
    return groups


def expand(groups, name, seen=None):
    seen = seen if seen is not None else set()
    out = set()
    for m in groups[name]:
        if m.startswith("@"):
            if m not in seen:
                seen.add(m)
                out |= expand(groups, m, seen)
        else:
            out.add(m)
    return out


def loopback_name():
    """A name other than localhost that /etc/hosts gives 127.0.0.1, or None."""
    try:
        with open("/etc/hosts") as f:
            for line in f:
                w = line.split("#", 1)[0].split()
                if len(w) > 1 and w[0] == "127.0.0.1":
                    for name in w[1:]:
                        if name != "localhost" and not name.endswith(".localhost"):
                            return name
    except OSError:
        pass
    return None


def sandbox_trace(env, ins):
    """The installed daemon under strace through start, polls, a reload and a stop: every
    system call is in the unit's SystemCallFilter, every socket is AF_UNIX/INET/INET6, no file
    is opened for writing, nothing under /home or /root is read, and /dev is only what
    PrivateDevices= leaves. That is what the sandbox allows; systemd is not here to apply it."""
    env.pg.reset()
    env.http.routes({"/ok": {"body": BOARD}, "/bad": {"status": 500, "body": "no"}})
    # a name of /etc/hosts goes through getaddrinfo in curl's resolver thread (curl resolves
    # "localhost" itself)
    host = loopback_name() or "127.0.0.1"
    print("# the second source is on %s" % host)
    env.config([("ok", "greenhouse", env.http.base + "/ok"),
                ("bad", "greenhouse", "http://%s:%d/bad" % (host, env.http.port))])
    os.chmod(env.conf, 0o644)
    trace = os.path.join(env.dir, "strace.txt")
    notify = Notify(os.path.join(env.dir, "notify.sock"))
    exe = ins.path(PREFIX + "/sbin/jobwatchd")
    p = start_daemon(env, notify, ["strace", "-f", "-qq", "-s", "256", "-o", trace, exe,
                                   "-c", env.conf, "--sql-dir",
                                   ins.path(PREFIX + "/share/jobwatch/sql")],
                     watchdog_usec=2000000)
    daemon = None
    try:
        notify.wait(lambda m: m == "READY=1", "READY=1")
        with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
            daemon = int(f.read().split()[0])  # strace's child: signals go to it
        notify.pump(2.5)
        os.kill(daemon, signal.SIGHUP)
        notify.wait(lambda m: m == "RELOADING=1", "RELOADING=1")
        notify.pump(1.5)
        os.kill(daemon, signal.SIGTERM)
        eq(p.wait(timeout=20), 0, "exit status under strace")
    finally:
        if daemon and p.poll() is None:
            os.kill(daemon, signal.SIGKILL)  # strace would detach and leave it running
        stop_daemon(p)
        notify.close()
    eq(env.pg.value("SELECT count(*) > 0 FROM polls"), "t", "polls recorded")
    groups = filter_groups()
    allowed = expand(groups, "@system-service") - expand(groups, "@privileged") - \
        expand(groups, "@resources")
    calls, families, writes, reads, connects = set(), set(), [], set(), set()
    with open(trace) as f:
        for line in f:
            m = re.match(r"^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)[( ]", line)
            if not m:
                continue
            calls.add(m.group(1))
            m = re.search(r"\bsocket\((AF_[A-Z0-9]+)", line)
            if m:
                families.add(m.group(1))
            m = re.search(r'\bopenat\([^,]+, "([^"]*)", ([A-Z_|]+)', line)
            if m:
                if re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", m.group(2)):
                    writes.append(m.group(1))
                reads.add(m.group(1))
            m = re.search(r'\bconnect\(\d+, \{sa_family=AF_UNIX, sun_path="([^"]*)"', line)
            if m:
                connects.add(m.group(1))
    print("# %d system calls: %s" % (len(calls), " ".join(sorted(calls))))
    eq(sorted(calls - allowed), [], "system calls outside the unit's SystemCallFilter")
    eq(sorted(families - {"AF_UNIX", "AF_INET", "AF_INET6"}), [], "socket families")
    eq(writes, [], "files opened for writing")
    dev = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
           "/dev/log"}
    bad = sorted(r for r in reads if r.startswith(("/home/", "/root/")) or
                 (r.startswith("/dev/") and r not in dev) or
                 (r.startswith("/proc/") and not re.match(r"/proc/(self|\d+)/", r)))
    eq(bad, [], "files the sandbox hides (ProtectHome, PrivateDevices, ProcSubset=pid)")
    print("# unix sockets connected: %s" % " ".join(sorted(connects)))


def main():
    s = jwtest.Suite()
    ins = env = None
    try:
        if NORMAL_BUILD:
            ins = Installed()
            s.run("make install: every file, modes, unit paths, binary runs", install_tree, ins)
            s.run("make install keeps an edited config; make uninstall", install_keeps_config,
                  ins)
            s.run("unit: systemd-analyze security --offline <= 2.0", unit_security, ins)
            s.run("unit: systemd-analyze verify", unit_verify, ins)
            s.run("man pages render without warnings", man_pages, ins)
        env = Env()
        s.run("STATUS= lines: sources polling, failing, last cycle", status_lines, env)
        s.run("WATCHDOG=1 stops while the loop is wedged", watchdog_wedge, env)
        if NORMAL_BUILD:
            if shutil.which("strace") and subprocess.run(
                    ["strace", "-qq", "-o", "/dev/null", "true"]).returncode == 0:
                s.run("sandbox: system calls, sockets, files of a traced run",
                      sandbox_trace, env, ins)
            else:
                s.skip("sandbox: system calls, sockets, files of a traced run",
                       "strace missing or ptrace not permitted")
    finally:
        if env:
            env.stop()
        if ins:
            ins.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Memory under valgrind (make check-faults): fifty --once cycles over boards that change
between cycles (new, closed, changed postings, pay, alerts, a failing source), and a daemon
that reloads twenty times, all end with no leak and no memory error. VALGRIND_CYCLES sets
the number of --once cycles (50)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq, wait_for  # noqa: E402

CYCLES = int(os.environ.get("VALGRIND_CYCLES", "50"))
VALGRIND = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
            "--track-fds=no", "--suppressions=" + os.path.join(
                os.path.dirname(os.path.abspath(__file__)), "..", "valgrind.supp")]


def gh(cycle):
    jobs = [{"id": i, "title": "Engineer %d%s" % (i, " II" if cycle % 3 == 0 else ""),
             "location": {"name": "Remote"}, "absolute_url": "https://example.test/%d" % i,
             "content": "&lt;p&gt;Salary: $%d,000 - $%d,000 per year&lt;/p&gt;"
                        % (100 + cycle % 4, 150 + cycle % 4),
             "updated_at": "2026-08-09T23:52:37-04:00"}
            for i in range(1, 6) if (i + cycle) % 5]
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


def lever(cycle):
    return json.dumps([{"id": "p%d" % i, "text": "ML Engineer %d" % i,
                        "hostedUrl": "https://jobs.lever.co/x/p%d" % i,
                        "categories": {"team": "AI", "location": "Paris"},
                        "salaryRange": {"min": 90000 + cycle, "max": 120000, "currency": "EUR",
                                        "interval": "per-year-salary"}}
                       for i in range(1, 4)])


def routes(cycle):
    return {"/gh": {"body": gh(cycle)}, "/lever": {"body": lever(cycle)},
            "/bad": {"status": 500 if cycle % 2 else 200, "body": gh(cycle)}}


def once_cycles(pg, http, log, d):
    conf = os.path.join(d, "once.conf")
    jwtest.write_config(conf, pg.conninfo(), [("gh", "greenhouse", http.base + "/gh"),
                                               ("lever", "lever", http.base + "/lever"),
                                               ("bad", "greenhouse", http.base + "/bad")],
                        alerts='  { name = "all"; }', log_socket=log.path)
    for cycle in range(CYCLES):
        http.routes(routes(cycle))
        p = subprocess.run(VALGRIND + [jwtest.JOBWATCHD, "-c", conf, "--once"],
                           capture_output=True, text=True, timeout=120)
        if p.returncode not in (0, 1):
            raise AssertionError("cycle %d: exit %d\n%s" % (cycle, p.returncode, p.stderr[-4000:]))
    assert int(pg.value("SELECT count(*) FROM events")) > CYCLES, "the cycles changed nothing"
    assert len(log.alerts()) > CYCLES, "the cycles wrote no alert lines"


def reloads(pg, http, log, d):
    conf = os.path.join(d, "daemon.conf")
    srcs = [("gh", "greenhouse", http.base + "/gh"), ("lever", "lever", http.base + "/lever")]

    def write(n):
        jwtest.write_config(conf, pg.conninfo(), srcs[:1 + n % 2],
                            alerts='  { name = "r%d"; match = "Engineer"; }' % n,
                            poll="interval = 1; jitter = 0;", log_socket=log.path)

    write(0)
    notify = jwtest.Notify(os.path.join(d, "notify.sock"))
    env = dict(os.environ, NOTIFY_SOCKET=notify.path)
    p = subprocess.Popen(VALGRIND + [jwtest.JOBWATCHD, "-c", conf], env=env,
                         stderr=subprocess.PIPE, text=True)
    try:
        notify.wait("READY=1", 60)
        for n in range(1, 21):
            http.routes(routes(n))
            write(n)
            p.send_signal(signal.SIGHUP)
            # one at a time: signals of one kind that arrive together are one signal
            wait_for(lambda: (notify.drain() or True) and
                     sum(m.count("READY=1") for m in notify.msgs) >= n + 1,
                     "reload %d" % n, 60)
        notify.drain()
        eq(sum(m.count("RELOADING=1") for m in notify.msgs), 20, "reloads")
        p.send_signal(signal.SIGTERM)
        err = p.communicate(timeout=120)[1]
        eq(p.returncode, 0, "exit status under valgrind:\n" + err[-4000:])
    finally:
        if p.poll() is None:
            p.kill()
        notify.close()


def main():
    s = jwtest.Suite()
    if shutil.which("valgrind") is None:
        s.skip("valgrind: --once cycles and reloads", "valgrind is not installed")
        return s.end()
    if "asan" in jwtest.JOBWATCHD:
        s.skip("valgrind: --once cycles and reloads", "an ASan build does not run under valgrind")
        return s.end()
    pg, http, log = jwtest.Postgres(), jwtest.HttpServer(), jwtest.Syslog()
    d = jwtest.tmpdir("jobwatch-valgrind-")
    try:
        s.run("valgrind: %d --once cycles, no leak, no error" % CYCLES, once_cycles, pg, http,
              log, d)
        s.run("valgrind: a daemon reloaded 20 times, no leak, no error", reloads, pg, http,
              log, d)
    finally:
        log.stop()
        http.stop()
        pg.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

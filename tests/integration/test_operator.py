#!/usr/bin/env python3
"""What an operator sees: a daemon that did its work says so in a few lines, and one that
cannot says why, once. Runs jobwatchd against a real PostgreSQL and loopback boards, and reads
its log lines (stderr and the syslog receiver). Also: a source taken out of the configuration
keeps its history but leaves the views about what is watched."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq  # noqa: E402

GH = "/boards/%s/jobs"


def board(ids, pay=True):
    jobs = []
    for i in ids:
        j = {"id": i, "title": "Engineer %d" % i, "absolute_url": "https://x.test/%d" % i,
             "location": {"name": "Remote"}, "updated_at": "2026-01-01T00:00:00Z",
             "content": "&lt;p&gt;Build things.%s&lt;/p&gt;" % (
                 " The salary range is $100,000 - $150,000 per year." if pay and i % 2 else "")}
        jobs.append(j)
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


class T:
    def __init__(self):
        self.pg = jwtest.Postgres()
        self.http = jwtest.HttpServer()
        self.log = jwtest.Syslog()
        self.dir = jwtest.tmpdir("jobwatch-operator-")
        self.conf = os.path.join(self.dir, "jobwatch.conf")

    def config(self, names):
        jwtest.write_config(self.conf, self.pg.conninfo(),
                            [(n, "greenhouse", self.http.base + GH % n) for n in names],
                            poll="interval = 2; jitter = 0;", log_socket=self.log.path)

    def stop(self):
        self.log.stop()
        self.http.stop()
        self.pg.stop()


def lines_once(t):
    """--once: where to read the history, one line per baseline with how many state pay, one
    line for the failing source, one line for the sweep; no line per poll."""
    t.pg.reset()
    t.http.routes({GH % "good": {"body": board(range(1, 7))},
                   GH % "down": {"status": 503, "body": "busy"}})
    t.config(["good", "down"])
    rc, err = jwtest.run_once(t.conf)
    eq(rc, 1, "exit status with a failed source")
    lines = [l for l in err.splitlines() if not l.startswith("alert ")]
    hist = [l for l in lines if l.startswith("history ")]
    eq(len(hist), 1, "one history line: %r" % lines)
    assert "psql=\"psql -h " in hist[0] and "open_postings" in hist[0], hist[0]
    eq([l for l in lines if l.startswith("baseline ")],
       ["baseline source=good postings=6 with_pay=3"], "the baseline line")
    fails = [l for l in lines if l.startswith("poll ")]
    eq(len(fails), 1, "one poll line, the failure: %r" % lines)
    assert "source=down" in fails[0] and "status=503" in fails[0], fails[0]
    cyc = [l for l in lines if l.startswith("cycle ")]
    eq(len(cyc), 1, "one cycle line: %r" % lines)
    assert cyc[0].startswith("cycle sources=2 polled=1 failed=1 new=0 closed=0 changed=0 "), \
        cyc[0]


def daemon_quiet(t):
    """The daemon: the same failure is told once, not at every poll; each cycle one line,
    with what it found."""
    t.pg.reset()
    t.log.clear()
    t.http.routes({GH % "good": {"body": board(range(1, 4))},
                   GH % "down": {"status": 503, "body": "busy"}})
    t.config(["good", "down"])
    p = subprocess.Popen([jwtest.JOBWATCHD, "-c", t.conf], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        jwtest.wait_for(lambda: int(t.pg.value("SELECT count(*) FROM polls WHERE outcome = "
                                               "'failed'") or 0) >= 3, "three failed polls", 60)
        t.http.routes({GH % "good": {"body": board(range(1, 5))},
                       GH % "down": {"status": 503, "body": "busy"}})
        jwtest.wait_for(lambda: any(m.startswith("cycle ") and " new=1 " in m
                                    for _, m in t.log.messages()), "a cycle with the new one",
                        60)
    finally:
        p.terminate()
        p.wait(20)
    msgs = [m for _, m in t.log.messages()]
    fails = [m for m in msgs if m.startswith("poll ") and "source=down" in m]
    eq(len(fails), 1, "the failure told once: %r" % fails)
    assert not any(m.startswith("poll ") and "source=good" in m for m in msgs), msgs
    assert sum(1 for m in msgs if m.startswith("cycle ")) >= 2, msgs


def removed_source(t):
    """A source no longer configured keeps its history but leaves the views of what is
    watched; named again, it is back."""
    t.pg.reset()
    t.http.routes({GH % "a": {"body": board([1, 2])}, GH % "b": {"body": board([3])}})
    t.config(["a", "b"])
    eq(jwtest.run_once(t.conf)[0], 0, "first run")
    t.config(["a"])
    eq(jwtest.run_once(t.conf)[0], 0, "without b")
    eq(t.pg.query("SELECT name, removed_at IS NOT NULL FROM sources ORDER BY 1"),
       [["a", "f"], ["b", "t"]], "b marked removed")
    eq(t.pg.query("SELECT DISTINCT source FROM open_postings ORDER BY 1"), [["a"]],
       "open_postings")
    eq(t.pg.query("SELECT source FROM open_roles_by_source ORDER BY 1"), [["a"]],
       "open_roles_by_source")
    eq(t.pg.query("SELECT source FROM source_health ORDER BY 1"), [["a"]], "source_health")
    eq(t.pg.value("SELECT count(*) FROM new_postings WHERE source = 'b'"), "1",
       "b's history stays")
    t.config(["a", "b"])
    eq(jwtest.run_once(t.conf)[0], 0, "b again")
    eq(t.pg.value("SELECT count(*) FROM sources WHERE removed_at IS NOT NULL"), "0",
       "b is back")
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE source = 'b'"), "1", "b's posting")


def main():
    s = jwtest.Suite()
    t = T()
    try:
        s.run("--once: a history line, a baseline line, a failure line, a cycle line",
              lines_once, t)
        s.run("daemon: a failure told once; a line a cycle", daemon_quiet, t)
        s.run("a source removed from the config leaves the views, keeps its history",
              removed_source, t)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

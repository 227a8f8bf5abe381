#!/usr/bin/env python3
"""The fault matrix (make check-faults): PostgreSQL restarted mid-cycle and stopped for a
minute, the daemon started while it is down, and servers that misbehave in every way a
careers page can. Each case asserts what an operator would check: the daemon still runs,
polls that could not be stored are retried, no event is written twice or invented, and
nothing is closed because of the fault. FAULT_PG_DOWN sets the outage in seconds (60)."""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq, wait_for  # noqa: E402

PG_DOWN = int(os.environ.get("FAULT_PG_DOWN", "60"))
TIMEOUT = 3


def job(i, title=None):
    return {"id": i, "title": title or "Role %d" % i, "location": {"name": "Remote"},
            "absolute_url": "https://example.test/%d" % i, "content": "",
            "updated_at": "2026-08-09T23:52:37-04:00"}


def board(ids):
    return json.dumps({"jobs": [job(i) for i in ids], "meta": {"total": len(ids)}})


class Rig:
    def __init__(self):
        self.pg = jwtest.Postgres()
        self.http = jwtest.HttpServer()
        self.log = jwtest.Syslog()
        self.dir = jwtest.tmpdir("jobwatch-faults-")
        self.conf = os.path.join(self.dir, "jobwatch.conf")
        self.proc = None
        self.notify = None

    def config(self, sources, poll=""):
        jwtest.write_config(self.conf, self.pg.conninfo(), sources,
                            alerts='  { name = "all"; }',
                            poll="timeout = %d; jitter = 0; page_gap = 0; per_host = 16; %s"
                                 % (TIMEOUT, poll),
                            log_socket=self.log.path)

    def start(self):
        self.notify = jwtest.Notify(os.path.join(self.dir, "notify.sock"))
        env = dict(os.environ, NOTIFY_SOCKET=self.notify.path)
        self.err = open(os.path.join(self.dir, "daemon.err"), "w")
        self.proc = subprocess.Popen([jwtest.JOBWATCHD, "-c", self.conf, "--log-stderr"],
                                     env=env, stderr=self.err)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop_daemon(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            rc = self.proc.wait(timeout=20)
            eq(rc, 0, "exit status after SIGTERM")
        self.proc = None
        if self.notify:
            self.notify.close()
            self.notify = None
        if getattr(self, "err", None):
            self.err.close()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self.stop_daemon()
        self.log.stop()
        self.http.stop()
        self.pg.stop()

    def value(self, sql):
        return self.pg.value(sql)


def no_duplicates(r):
    eq(r.value("SELECT count(*) FROM (SELECT posting_id, kind, new_value FROM events"
               " GROUP BY 1, 2, 3 HAVING count(*) > 1) d"), "0", "duplicate events")


def pg_restart_mid_cycle(r):
    """pg_ctl restart -m fast while polls are in flight: they are retried, nothing doubles."""
    r.pg.reset()
    n = 20
    r.http.routes({"/b/%d" % i: {"body": board([i * 10 + 1, i * 10 + 2]), "delay": 1}
                   for i in range(n)})
    r.config([("b%02d" % i, "greenhouse", "%s/b/%d" % (r.http.base, i)) for i in range(n)],
             poll="interval = 4;")
    r.start()
    r.notify.wait("READY=1")
    # some polls are in flight (their lease is held) when the server goes
    wait_for(lambda: int(r.value("SELECT count(*) FROM sources WHERE lease_expires > now()"
                                 " AND lease_owner IS NOT NULL") or 0) >= 3,
             "polls in flight", 20)
    r.pg.restart()
    wait_for(lambda: r.value("SELECT count(*) FROM sources WHERE last_complete_at IS NOT NULL")
             == str(n), "every source stored after the restart", 40)
    # and it goes on: a new posting on every board is one event each
    r.http.routes({"/b/%d" % i: {"body": board([i * 10 + 1, i * 10 + 2, i * 10 + 3])}
                   for i in range(n)})
    wait_for(lambda: r.value("SELECT count(*) FROM events WHERE kind = 'new' AND NOT baseline")
             == str(n), "a new posting on every board", 40)
    assert r.alive(), "the daemon died when PostgreSQL restarted"
    no_duplicates(r)
    eq(r.value("SELECT count(*) FROM events WHERE kind = 'new'"), str(3 * n), "new events")
    eq(r.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "closures")
    alerts = [a for a in r.log.alerts() if "event=new" in a]
    eq(len(alerts), n, "alert lines")
    eq(len(set(alerts)), n, "distinct alert lines")
    r.stop_daemon()


def pg_down_a_minute(r):
    """PostgreSQL stopped for FAULT_PG_DOWN seconds: the daemon keeps running, says so in
    STATUS, re-connects; what it saw meanwhile is not invented and nothing closes."""
    r.pg.reset()
    r.http.routes({"/a": {"body": board([1, 2, 3])}})
    r.config([("a", "greenhouse", r.http.base + "/a")], poll="interval = 2; close_after = 2;")
    r.start()
    r.notify.wait("READY=1")
    wait_for(lambda: r.value("SELECT count(*) FROM polls WHERE outcome <> 'failed'") not in
             ("0", None), "the baseline", 20)
    r.pg.down()
    down_at = time.time()
    # the board loses a posting while nothing can be stored
    r.http.routes({"/a": {"body": board([1, 2])}})
    while time.time() - down_at < PG_DOWN:
        assert r.alive(), "the daemon died while PostgreSQL was down"
        time.sleep(1)
    r.notify.wait("waiting for the database", 5)
    r.pg.up()
    up_at = float(r.value("SELECT extract(epoch FROM now())"))
    wait_for(lambda: r.value("SELECT count(*) FROM polls WHERE outcome <> 'failed' AND"
                             " started_at > to_timestamp(%f)" % up_at) not in ("0", None),
             "a poll stored after the outage", 60)
    assert r.alive(), "the daemon died"
    # one complete poll has not seen posting 3: one miss, not closed (close_after = 2)
    eq(r.value("SELECT misses || ' ' || (closed_at IS NULL) FROM postings"
               " WHERE external_id = '3'"), "1 true", "posting 3 after one miss")
    eq(r.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "closures")
    eq(r.value("SELECT count(*) FROM events WHERE at < to_timestamp(%f) AND NOT baseline"
               % up_at), "0", "events dated inside the outage")
    no_duplicates(r)
    r.stop_daemon()


def start_while_pg_down(r):
    """Started while PostgreSQL is down: it waits and retries, says so in STATUS, never
    exits, and starts polling once the database is there."""
    r.pg.reset()
    r.http.routes({"/a": {"body": board([1, 2])}})
    r.config([("a", "greenhouse", r.http.base + "/a")], poll="interval = 2;")
    r.pg.down()
    r.start()
    r.notify.wait("waiting for the database", 10)
    time.sleep(5)
    assert r.alive(), "the daemon exited while the database was down"
    r.pg.up()
    wait_for(lambda: r.value("SELECT count(*) FROM postings") == "2", "postings stored", 60)
    assert r.alive(), "the daemon died"
    r.stop_daemon()


def bad_servers(r):
    """Every way a server can misbehave is a failed poll with a reason, within the configured
    timeout, and closes nothing."""
    r.pg.reset()
    cases = {
        "trickle": ({"body": board([1]) + " " * 200, "trickle": 1}, "timeout|Timeout"),
        "hang": ({"body": board([1]), "hang_after_headers": True}, "timeout|Timeout"),
        "reset": ({"body": board([1]) * 50, "close_mid_body": True}, "transfer closed|Partial"),
        "loop": ({"redirect": "/loop"}, "too many redirects"),
        "ratelimit": ({"status": 429, "headers": {"Retry-After": "120"}, "body": "slow down"},
                      "HTTP 429"),
        "unavailable": ({"status": 503, "body": "<html>down</html>"}, "HTTP 503"),
        "captcha": ({"body": "<html><body>Please verify you are a human</body></html>"},
                    "expected"),
    }
    good = {"/%s" % k: {"body": board([1, 2])} for k in cases}
    good["/loop"] = {"body": board([1, 2])}
    r.http.routes(good)
    r.config([(k, "greenhouse", "%s/%s" % (r.http.base, k)) for k in cases])
    rc, err = jwtest.run_once(r.conf)
    eq(rc, 0, "the baseline --once:\n" + err)
    bad = {"/%s" % k: v[0] for k, v in cases.items()}
    r.http.routes(bad)
    for attempt in range(2):
        t0 = time.time()
        rc, err = jwtest.run_once(r.conf, timeout=60)
        took = time.time() - t0
        eq(rc, 1, "--once with failing sources")
        assert took < TIMEOUT + 6, "--once took %.1f s with timeout = %d" % (took, TIMEOUT)
    import re
    for name, (_, want) in cases.items():
        errs = [row[0] for row in r.pg.query(
            "SELECT p.error FROM polls p JOIN sources s ON s.id = p.source_id"
            " WHERE s.name = '%s' AND p.outcome = 'failed' ORDER BY p.id" % name)]
        eq(len(errs), 2, "failed polls of %s" % name)
        assert re.search(want, errs[-1]), "%s: error %r does not say %r" % (name, errs[-1], want)
    eq(r.value("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL"), "0", "closures")
    eq(r.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "closed events")
    eq(r.value("SELECT count(*) FROM postings WHERE misses > 0"), "0", "misses counted")


# A logfmt line as logfmt.c writes it: a bare word, then key=value pairs, one blank apart; a
# value bare (no blank, quote, '=' or backslash, nothing outside printable ASCII) or quoted,
# with only the escapes logfmt.c writes.
LOGFMT_PAIR = re.compile(r'[^\s="\\]+(=([^\s"=\\\x7f-\uffff]+|"([^"\\\x00-\x1f\x7f]|'
                         r'\\["\\nrt]|\\x[0-9a-f]{2})*"))?')


def logfmt_pairs(line):
    """The pairs of a logfmt line as {key: unescaped value}, or an AssertionError."""
    pairs, pos = {}, 0
    while True:
        m = LOGFMT_PAIR.match(line, pos)
        assert m, "not logfmt at byte %d: %r" % (pos, line)
        key, _, value = m.group(0).partition("=")
        if value.startswith('"'):
            value = re.sub(r'\\(x[0-9a-f]{2}|.)', lambda e: {
                "n": "\n", "r": "\r", "t": "\t"}.get(e.group(1), chr(int(e.group(1)[1:], 16))
                if e.group(1).startswith("x") else e.group(1)), value[1:-1])
        pairs[key] = value
        pos = m.end()
        if pos == len(line):
            return pairs
        assert line[pos] == " " and pos + 1 < len(line), "not logfmt at byte %d: %r" % (pos,
                                                                                       line)
        pos += 1


def reload_error_one_line(r):
    """Issue 21.11: a reload whose errors hold a quote (a value) and a newline (the config's
    path) is logged as one logfmt line that carries both, escaped, and nothing else breaks."""
    r.pg.reset()
    r.http.routes({"/b": {"body": board([1]), "headers": {"Content-Type": "application/json"}}})
    d = os.path.join(r.dir, 'odd "dir"\nname')
    os.makedirs(d, exist_ok=True)
    conf = os.path.join(d, "jobwatch.conf")
    jwtest.write_config(conf, r.pg.conninfo(), [("b", "greenhouse", r.http.base + "/b")],
                        poll="timeout = %d; jitter = 0;" % TIMEOUT)
    err_path = os.path.join(r.dir, "reload.err")
    with open(err_path, "w") as err:
        p = subprocess.Popen([jwtest.JOBWATCHD, "-c", conf, "--log-stderr"], stderr=err)
    try:
        wait_for(lambda: r.value("SELECT count(*) FROM polls") != "0", "the first poll", 20)
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            f.write(text.replace('facility = "local3"', 'facility = "lo\\"cal"'))
        p.send_signal(signal.SIGHUP)
        wait_for(lambda: "reload status=rejected" in open(err_path).read(), "the reload line",
                 10)
        eq(p.poll(), None, "the daemon runs on after a rejected reload")
    finally:
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=20)
    eq(rc, 0, "exit status after SIGTERM")
    with open(err_path) as f:
        lines = f.read().splitlines()
    rejected = [line for line in lines if line.startswith("reload status=rejected")]
    eq(len(rejected), 1, "reload lines\n" + "\n".join(lines))
    for line in lines:
        logfmt_pairs(line)
    errors = logfmt_pairs(rejected[0])["errors"]
    assert conf + ":" in errors, "the path is not in %r" % errors
    assert "'lo\"cal'" in errors, "the value is not in %r" % errors


def main():
    s = jwtest.Suite()
    r = Rig()
    try:
        s.run("PostgreSQL restarted mid-cycle", pg_restart_mid_cycle, r)
        s.run("PostgreSQL down for %d s" % PG_DOWN, pg_down_a_minute, r)
        s.run("started while PostgreSQL is down", start_while_pg_down, r)
        s.run("slow, hanging, reset, looping, 429, 503 and captcha servers", bad_servers, r)
        s.run("a reload error with a quote and a newline is one logfmt line",
              reload_error_one_line, r)
    finally:
        r.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

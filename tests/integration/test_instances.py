#!/usr/bin/env python3
"""Many daemons, one database: three jobwatchd processes share one config and one PostgreSQL
and split two hundred loopback boards between them with leases. Asserts what an operator would
check: every source polled, none twice within its interval, every new posting one event and
one alert line, and a daemon killed with SIGKILL mid-poll losing its sources only until its
leases expire."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq  # noqa: E402

N = 200
INTERVAL = 6
LEASE = 3


def board(i, extra=False, jobs=2):
    out = [{"id": i * 100 + k, "title": "Engineer %d-%d" % (i, k),
            "location": {"name": "Remote"}, "absolute_url": "https://example.test/%d/%d" % (i, k),
            "content": "", "updated_at": "2026-08-09T23:52:37-04:00"} for k in range(jobs)]
    if extra:
        out.append({"id": i * 100 + 99, "title": "ML Engineer %d" % i,
                    "location": {"name": "Remote"},
                    "absolute_url": "https://example.test/%d/99" % i, "content": "",
                    "updated_at": "2026-08-09T23:52:37-04:00"})
    return json.dumps({"jobs": out, "meta": {"total": len(out)}})


class Cluster(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-instances-")
        self.procs = []
        sources = [("b%03d" % i, "greenhouse", "%s/b/%d" % (self.http.base, i))
                   for i in range(N)]
        jwtest.write_config(
            self.conf, self.pg.conninfo(), sources,
            alerts='  { name = "ml"; events = [ "new" ]; match = "ML"; }',
            poll="interval = %d; jitter = 0.0; concurrency = 32; per_host = 32; lease = %d;"
                 " page_gap = 0; close_after = 2;" % (INTERVAL, LEASE),
            log_socket=self.log.path)

    def serve(self, extra=False, delay=0):
        routes = {}
        for i in range(N):
            r = {"body": board(i, extra), "headers": {"Content-Type": "application/json"}}
            if delay:
                r["delay"] = delay
            routes["/b/%d" % i] = r
        self.http.routes(routes)

    def start(self, n):
        # the schema first, so that three daemons do not all wait on the migration lock
        rc = subprocess.run([jwtest.JOBWATCHD, "-c", self.conf, "--migrate"],
                            capture_output=True, text=True)
        eq(rc.returncode, 0, "migrate")
        for _ in range(n):
            self.procs.append(subprocess.Popen(
                [jwtest.JOBWATCHD, "-c", self.conf, "--log-stderr"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def wait_for(self, sql, want, timeout):
        end = time.time() + timeout
        got = None
        while time.time() < end:
            got = self.pg.value(sql)
            if got == want:
                return
            time.sleep(0.3)
        raise AssertionError("%s: got %r, want %r after %d s" % (sql, got, want, timeout))

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        super().stop()


def polls_too_close(c):
    """Sources polled twice within their interval (by any daemon)."""
    return c.pg.value(
        "SELECT count(*) FROM (SELECT started_at - lag(started_at) OVER"
        " (PARTITION BY source_id ORDER BY started_at) AS gap FROM polls"
        " WHERE outcome <> 'failed') g"
        " WHERE gap < interval '%f seconds'" % (INTERVAL * 0.9))


def test_share_and_take_over(c):
    c.serve()
    c.start(3)
    # the first cycle: every board's baseline, split between the daemons
    c.wait_for("SELECT count(*) FROM sources WHERE last_complete_at IS NOT NULL", str(N), 60)
    # all three are up and say so (a heartbeat every 10 s; a slow build starts late)
    c.wait_for("SELECT count(*) FROM instance_status WHERE alive", "3", 30)
    status = subprocess.run([jwtest.JOBWATCHD, "-c", c.conf, "--status"],
                            capture_output=True, text=True)
    eq(status.returncode, 0, "--status exit")
    eq(status.stdout.count(" alive "), 3, "--status: three live instances\n" + status.stdout)
    eq("b000" in status.stdout, True, "--status lists sources")

    # every board adds an ML role: one event and one alert line each, whoever polls it
    c.serve(extra=True)
    c.wait_for("SELECT count(*) FROM postings WHERE external_id LIKE '%99'", str(N),
               INTERVAL * 4)
    eq(c.pg.value("SELECT count(*) FROM events WHERE kind = 'new' AND NOT baseline"), str(N),
       "new events")
    eq(c.pg.value("SELECT count(*) FROM (SELECT posting_id FROM events WHERE kind = 'new'"
                  " GROUP BY posting_id HAVING count(*) > 1) d"), "0", "duplicate events")
    time.sleep(1)
    alerts = c.log.alerts()
    ids = [a for a in alerts if "event=new" in a]
    eq(len(ids), N, "alert lines for the new roles")
    eq(len(set(ids)), N, "distinct alert lines")
    eq(polls_too_close(c), "0", "sources polled twice within the interval")

    # slow boards, so that polls are in flight; every daemon takes a share of them (a daemon
    # that never gets one is no help when another dies); kill -9 the one holding the most
    c.serve(extra=True, delay=2)
    end = time.time() + INTERVAL * 3
    victim, holders = None, set()
    while time.time() < end and (victim is None or len(holders) < 2):
        rows = c.pg.query("SELECT split_part(lease_owner, ':', 2), count(*) FROM sources"
                          " WHERE lease_expires > now() GROUP BY 1 ORDER BY 2 DESC")
        holders |= {r[0] for r in rows}
        if rows and int(rows[0][1]) >= 3:
            victim = int(rows[0][0])
        time.sleep(0.2)
    assert victim is not None, "no daemon held leases"
    assert len(holders) >= 2, "only daemon %s ever held a lease" % holders
    held = [r[0] for r in c.pg.query(
        "SELECT id FROM sources WHERE lease_expires > now()"
        " AND split_part(lease_owner, ':', 2) = '%d'" % victim)]
    killed_at = c.pg.value("SELECT now()")
    os.kill(victim, signal.SIGKILL)
    c.serve(extra=True)
    # the others take those sources over once the leases run out
    c.wait_for("SELECT count(*) FROM sources s WHERE s.id IN (%s) AND EXISTS (SELECT 1"
               " FROM polls p WHERE p.source_id = s.id AND p.outcome <> 'failed'"
               " AND p.started_at > '%s')" % (",".join(held), killed_at),
               str(len(held)), LEASE + INTERVAL * 3)
    eq(c.pg.value("SELECT count(*) FROM (SELECT posting_id, kind FROM events"
                  " GROUP BY posting_id, kind HAVING count(*) > 1) d"), "0",
       "duplicate events after the take-over")
    eq(c.pg.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "closed postings")
    eq(polls_too_close(c), "0", "sources polled twice within the interval")


def main():
    s = jwtest.Suite()
    c = Cluster()
    try:
        s.run("three daemons share sources; kill -9 is taken over", test_share_and_take_over, c)
    finally:
        c.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Many daemons, one database: three jobwatchd processes share one config and one PostgreSQL
and split two hundred loopback boards between them with leases. Asserts what an operator would
check: every source polled, none twice within its interval, every new posting one event and
one alert line, and a daemon killed with SIGKILL mid-poll losing its sources only until its
leases expire. Then, in several runs on sixty boards, the figures of issue 21: each daemon's
share of the leases over a 10 s window, how soon the survivors of a SIGKILL poll what the dead
daemon was not polling, and that a daemon stopped past its lease writes nothing when it wakes."""
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


class Cluster:
    def __init__(self, n=N, poll=None):
        self.n = n
        self.pg = jwtest.Postgres()
        self.http = jwtest.HttpServer()
        self.log = jwtest.Syslog()
        self.dir = jwtest.tmpdir("jobwatch-instances-")
        self.conf = os.path.join(self.dir, "jobwatch.conf")
        self.procs = []
        self.logs = []
        sources = [("b%03d" % i, "greenhouse", "%s/b/%d" % (self.http.base, i))
                   for i in range(n)]
        jwtest.write_config(
            self.conf, self.pg.conninfo(), sources,
            alerts='  { name = "ml"; events = [ "new" ]; match = "ML"; }',
            poll=poll or "interval = %d; jitter = 0.0; concurrency = 32; per_host = 32;"
                         " lease = %d; page_gap = 0; close_after = 2;" % (INTERVAL, LEASE),
            log_socket=self.log.path)

    def serve(self, extra=False, delay=0, delays=None):
        routes = {}
        for i in range(self.n):
            r = {"body": board(i, extra), "headers": {"Content-Type": "application/json"}}
            if (delays or {}).get(i, delay):
                r["delay"] = (delays or {}).get(i, delay)
            routes["/b/%d" % i] = r
        self.http.routes(routes)

    def start(self, n, verbose=False):
        # the schema first, so that three daemons do not all wait on the migration lock
        rc = subprocess.run([jwtest.JOBWATCHD, "-c", self.conf, "--migrate"],
                            capture_output=True, text=True)
        eq(rc.returncode, 0, "migrate")
        for _ in range(n):
            self.spawn(verbose)

    def spawn(self, verbose=False):
        """One more daemon; with verbose, its lines (one a poll) go to a file in self.logs."""
        err = subprocess.DEVNULL
        if verbose:
            err = open(os.path.join(self.dir, "d%d.log" % len(self.logs)), "w")
            self.logs.append(err.name)
        p = subprocess.Popen([jwtest.JOBWATCHD, "-c", self.conf, "--log-stderr"] +
                             (["-v"] if verbose else []),
                             stdout=subprocess.DEVNULL, stderr=err)
        if verbose:
            err.close()
        self.procs.append(p)
        return p

    def stop_daemons(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []
        self.logs = []

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
        self.stop_daemons()
        self.log.stop()
        self.http.stop()
        self.pg.stop()


def polls_too_close(c, interval=INTERVAL):
    """Sources polled twice within their interval (by any daemon)."""
    return c.pg.value(
        "SELECT count(*) FROM (SELECT started_at - lag(started_at) OVER"
        " (PARTITION BY source_id ORDER BY started_at) AS gap FROM polls"
        " WHERE outcome <> 'failed') g"
        " WHERE gap < interval '%f seconds'" % (interval * 0.9))


def test_share_and_take_over(c):
    c.serve()
    c.start(3)
    # the first cycle: every board's baseline, split between the daemons
    c.wait_for("SELECT count(*) FROM sources WHERE last_complete_at IS NOT NULL", str(N), 60)
    # all three are up and say so (a heartbeat every second; a slow build starts late)
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


# Issue 21's set-up: sixty boards, interval 4, no jitter. The boards answer after a moment so
# that a poll holds its lease long enough to be seen; the lease is short so that a run waits
# for the leases of a killed daemon in seconds, yet long against the interval.
SPREAD_N = 60
SPREAD_INTERVAL = 4
SPREAD_LEASE = int(os.environ.get("JOBWATCH_SPREAD_LEASE", "20"))
SPREAD_DELAY = float(os.environ.get("JOBWATCH_SPREAD_DELAY", "0.3"))
SPREAD_RUNS = int(os.environ.get("JOBWATCH_SPREAD_RUNS", "3"))
SPREAD_WINDOW = 10.0
SPREAD_POLL = ("interval = %d; jitter = 0.0; lease = %d; concurrency = 32; per_host = 32;"
               " page_gap = 0;" % (SPREAD_INTERVAL, SPREAD_LEASE))
# Loaded machines (two cores, four builds) start a poll late now and then: the bounds allow
# two seconds of it, still far below the lease a survivor used to wait for.
SPREAD_SLACK = 2.0


def lease_samples(c, seconds, every=0.25):
    """{pid: leases seen} over seconds, sampled every `every` s from inside PostgreSQL (one
    psql, so that sampling keeps its pace on a loaded machine), with the number of samples."""
    n = int(seconds / every)
    sql = ("DO $$ DECLARE r record; BEGIN FOR i IN 1.." + str(n) + " LOOP"
           " FOR r IN SELECT split_part(lease_owner, ':', 2) AS pid, count(*) AS n"
           "  FROM sources WHERE lease_expires > clock_timestamp() GROUP BY 1 LOOP"
           "  RAISE NOTICE 'lease % %', r.pid, r.n; END LOOP;"
           " PERFORM pg_sleep(" + str(every) + "); END LOOP; END $$")
    p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       env=c.pg.env(), check=True, capture_output=True, text=True)
    held = {}
    for line in p.stderr.splitlines():
        f = line.split()
        if len(f) == 4 and f[1] == "lease":
            held[int(f[2])] = held.get(int(f[2]), 0) + int(f[3])
    return held, n


def log_polls(path, start=0):
    """Poll lines (-v) in a daemon's log after offset start, and the offset at its end."""
    with open(path) as f:
        f.seek(start)
        text = f.read()
    return text.count("\npoll source=") + text.startswith("poll source="), start + len(text)


def spread_run(c, run, figures):
    c.pg.reset()
    c.start(3, verbose=True)
    pids = [p.pid for p in c.procs]
    c.wait_for("SELECT count(*) FROM sources WHERE last_complete_at IS NOT NULL",
               str(SPREAD_N), 60)
    time.sleep(SPREAD_INTERVAL)  # a cycle in which all three are up
    offsets = [log_polls(path)[1] for path in c.logs]
    held, samples = lease_samples(c, SPREAD_WINDOW)
    polls = [log_polls(path, off)[0] for path, off in zip(c.logs, offsets)]
    total = sum(held.values())
    shares = [held.get(pid, 0) / total if total else 0 for pid in pids]
    poll_shares = [n / sum(polls) if sum(polls) else 0 for n in polls]
    print("# run %d: lease shares %s of %d leases seen in %d samples; poll shares %s of %d"
          " polls" % (run, " ".join("%.2f" % x for x in shares), total, samples,
                      " ".join("%.2f" % x for x in poll_shares), sum(polls)), flush=True)
    figures["shares"].append(shares)

    # kill -9 the daemon with the most leases, while it has a poll in flight
    victim = pids[shares.index(max(shares))]
    end = time.time() + SPREAD_INTERVAL * 3
    while time.time() < end and c.pg.value(
            "SELECT count(*) FROM sources WHERE lease_expires > now()"
            " AND split_part(lease_owner, ':', 2) = '%d'" % victim) == "0":
        time.sleep(0.05)
    killed_at = c.pg.value("SELECT now()")
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.5)  # a claim the dead daemon had sent may still commit
    inflight = c.pg.query("SELECT id, lease_expires FROM sources WHERE lease_expires > now()"
                          " AND split_part(lease_owner, ':', 2) = '%d'" % victim)
    expires = dict((int(r[0]), r[1]) for r in inflight)
    # each source's first poll by a survivor: one that ends after the kill (one in flight
    # then counts from the kill)
    sql = ("SELECT s.id, extract(epoch FROM greatest(min(p.started_at), '%s') - '%s')"
           " FROM sources s LEFT JOIN polls p ON p.source_id = s.id"
           " AND p.finished_at > '%s' GROUP BY s.id" % (killed_at, killed_at, killed_at))
    c.wait_for("SELECT count(*) FROM (%s HAVING min(p.started_at) IS NULL) x" % sql, "0",
               SPREAD_LEASE + SPREAD_INTERVAL * 2)
    first = dict((int(r[0]), float(r[1])) for r in c.pg.query(sql))
    rest = [t for i, t in first.items() if i not in expires]
    catch_up = max(rest)
    late = [float(c.pg.value("SELECT extract(epoch FROM '%s'::timestamptz - '%s')"
                             % (killed_at, expires[i]))) + first[i] for i in expires]
    print("# run %d: killed %d with %d polls in flight; survivors polled the other %d"
          " sources within %.1f s of the kill, those in flight %s s after their leases ran out"
          % (run, victim, len(expires), len(rest), catch_up,
             " ".join("%.1f" % t for t in sorted(late)) or "-"), flush=True)
    figures["catch_up"].append(catch_up)
    figures["late"].extend(late)
    eq(polls_too_close(c, SPREAD_INTERVAL), "0", "sources polled twice within the interval")
    c.stop_daemons()
    return shares, catch_up, late


def test_spread_and_catch_up(c):
    c.serve(delay=SPREAD_DELAY)
    figures = {"shares": [], "catch_up": [], "late": []}
    for run in range(SPREAD_RUNS):
        spread_run(c, run, figures)
    bad = []
    for run, shares in enumerate(figures["shares"]):
        for k, x in enumerate(shares):
            if not 1 / 6 <= x <= 2 / 3:
                bad.append("run %d daemon %d holds %.2f of the leases" % (run, k, x))
    for run, t in enumerate(figures["catch_up"]):
        if t > SPREAD_INTERVAL + SPREAD_SLACK:
            bad.append("run %d: survivors took %.1f s to poll what was not in flight"
                       % (run, t))
    for t in figures["late"]:
        if t < -0.5 or t > SPREAD_SLACK:
            bad.append("a source in flight on the killed daemon was polled %.1f s after"
                       " its lease ran out" % t)
    assert not bad, "; ".join(bad)


def diagnose(c):
    """What a wait that timed out leaves to read: the sessions and what they wait on, the
    sources' leases, the instances, and the end of each verbose daemon's log."""
    for what, sql in [
            ("sessions", "SELECT pid, state, wait_event_type, wait_event,"
             " now() - xact_start, left(query, 120) FROM pg_stat_activity"
             " WHERE datname = current_database() AND pid <> pg_backend_pid()"),
            ("locks waited for", "SELECT pid, locktype, relation::regclass, mode"
             " FROM pg_locks WHERE NOT granted"),
            ("leases", "SELECT name, lease_owner, lease_expires - now(), next_due - now(),"
             " last_poll_at FROM sources WHERE lease_owner IS NOT NULL OR name = 'b000'"),
            ("instances", "SELECT id, status, alive_until - now(), stopped_at FROM instances"),
            ("polls of b000", "SELECT p.started_at, p.outcome, p.error FROM polls p"
             " JOIN sources s ON s.id = p.source_id WHERE s.name = 'b000'")]:
        print("# %s:" % what, flush=True)
        try:
            rows = c.pg.query(sql)
        except Exception as e:  # the failure being diagnosed is what counts
            rows = [["(not read: %s)" % e]]
        for row in rows:
            print("#   " + " | ".join(row), flush=True)
    for p in c.procs:
        print("# daemon %d: %s" % (p.pid, "running" if p.poll() is None
                                    else "exited %d" % p.returncode), flush=True)
    for name in c.logs:
        with open(name) as f:
            lines = f.readlines()
        print("# %s, last %d of %d lines:" % (name, min(40, len(lines)), len(lines)))
        for line in lines[-40:]:
            print("#   " + line.rstrip(), flush=True)


def test_stalled_writes_nothing(c):
    """A daemon stopped (SIGSTOP) past its lease, mid-poll, wakes to a failed transfer: the
    source is another daemon's by then, so it writes no poll, no source_failing event and no
    next_due of its own."""
    c.pg.reset()
    c.serve(delays={0: 30})
    c.start(0)
    a = c.spawn()
    c.wait_for("SELECT count(*) FROM sources WHERE split_part(lease_owner, ':', 2) = '%d'"
               " AND name = 'b000'" % a.pid, "1", 20)
    jwtest.wait_for(lambda: any(r["path"] == "/b/0" for r in c.http.requests()),
                    "the stalled daemon's request", 10)
    os.kill(a.pid, signal.SIGSTOP)
    c.serve()  # answers at once from now on
    c.spawn(verbose=True)
    # the other daemon polls once the lease has run out
    try:
        c.wait_for("SELECT count(*) > 0 FROM polls p JOIN sources s ON s.id = p.source_id"
                   " WHERE s.name = 'b000' AND p.outcome <> 'failed'", "t", SPREAD_LEASE + 15)
    except AssertionError:
        diagnose(c)
        raise
    time.sleep(6)  # past a's transfer timeout (5 s) while stopped
    due = c.pg.value("SELECT next_due FROM sources WHERE name = 'b000'")
    os.kill(a.pid, signal.SIGCONT)
    time.sleep(3)  # a's transfer fails at once; give it time to (not) write
    eq(c.pg.value("SELECT count(*) FROM polls WHERE outcome = 'failed'"), "0",
       "failed polls written by the stalled daemon")
    eq(c.pg.value("SELECT count(*) FROM events WHERE kind = 'source_failing'"), "0",
       "source_failing events")
    eq(c.pg.value("SELECT failures_in_row FROM sources WHERE name = 'b000'"), "0",
       "failures in a row")
    later = c.pg.value("SELECT next_due > '%s'::timestamptz + interval '10 seconds'"
                       " FROM sources WHERE name = 'b000'" % due)
    eq(later, "f", "next_due pushed back by the stalled daemon's failure")
    c.stop_daemons()


# A daemon counts as a peer for LOOP_LIVE_MS (src/loop_int.h) after its last heartbeat.
LIVE = 3.0


def pid_of(p):
    return "split_part(id, ':', 2) = '%d'" % p.pid


def test_alive_agrees(c):
    """instance_status.alive is what the daemons count as a peer (LOOP_LIVE_MS, the window of
    STORE_SQL_CLAIM): a running daemon never stops being alive, one stopped (SIGSTOP) is not
    alive LIVE s after its last heartbeat (the view said 60 s) and is again once it runs."""
    c.pg.reset()
    c.serve()
    c.start(2)
    try:
        alive_agrees(c, *c.procs)
    finally:
        c.stop_daemons()


def alive_agrees(c, a, b):
    c.wait_for("SELECT count(*) FROM instance_status WHERE alive", "2", 30)
    # sampled every 0.2 s for 6 s by a loop inside PostgreSQL that commits after each sample,
    # so that the view's now() moves on: two running daemons, alive throughout
    p = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
         "DO $$ DECLARE n bigint; BEGIN FOR i IN 1..30 LOOP"
         " EXECUTE 'SELECT count(*) FROM instance_status WHERE alive' INTO n;"
         " RAISE NOTICE 'alive %', n; PERFORM pg_sleep(0.2); COMMIT; END LOOP; END $$"],
        env=c.pg.env(), check=True, capture_output=True, text=True)
    seen = [line.split()[-1] for line in p.stderr.splitlines() if "alive" in line]
    eq(len(seen), 30, "samples")
    eq(set(seen), {"2"}, "daemons alive in each sample")

    os.kill(a.pid, signal.SIGSTOP)
    try:
        c.wait_for("SELECT alive FROM instance_status WHERE " + pid_of(a), "f", LIVE + 3)
        age = float(c.pg.value("SELECT extract(epoch FROM now() - heartbeat_at) FROM instances"
                               " WHERE " + pid_of(a)))
        print("# a stopped daemon is not alive %.1f s after its last heartbeat" % age,
              flush=True)
        assert LIVE <= age <= LIVE + 1.5, "not alive %.1f s after its heartbeat" % age
        eq(c.pg.value("SELECT alive FROM instance_status WHERE " + pid_of(b)), "t",
           "the running daemon")
        status = subprocess.run([jwtest.JOBWATCHD, "-c", c.conf, "--status"],
                                capture_output=True, text=True)
        eq((status.stdout.count(" alive "), status.stdout.count(" lost ")), (1, 1),
           "--status: one alive, one lost\n" + status.stdout)
    finally:
        os.kill(a.pid, signal.SIGCONT)
    c.wait_for("SELECT alive FROM instance_status WHERE " + pid_of(a), "t", 5)
    # the window is the daemon's, written by each heartbeat: the view and the claim read it
    eq(c.pg.value("SELECT count(*) FROM instances WHERE stopped_at IS NULL"
                  " AND alive_until - heartbeat_at <> interval '%g seconds'" % LIVE), "0",
       "instances whose heartbeat holds other than LOOP_LIVE_MS")


def test_prune_instances(c):
    """The instances rows of daemons a week without a heartbeat are deleted, by three daemons
    starting at once, each row once; rows younger than a week, or named by a lease still
    running, stay."""
    c.pg.reset()
    c.serve()
    c.start(0)
    c.pg.query("INSERT INTO instances (id, host, pid, started_at, heartbeat_at, stopped_at)"
               " VALUES ('old:1:dead', 'old', 1, now() - interval '9 days',"
               "  now() - interval '8 days', NULL),"
               " ('old:2:stopped', 'old', 2, now() - interval '9 days',"
               "  now() - interval '8 days', now() - interval '8 days'),"
               " ('old:3:week', 'old', 3, now() - interval '9 days',"
               "  now() - interval '6 days 23 hours', NULL),"
               " ('old:4:leased', 'old', 4, now() - interval '9 days',"
               "  now() - interval '8 days', NULL)")
    c.pg.query("INSERT INTO sources (name, type, url, lease_owner, lease_expires)"
               " VALUES ('zz', 'greenhouse', 'http://127.0.0.1:1/', 'old:4:leased',"
               "  now() + interval '1 hour')")
    for _ in range(3):
        c.spawn(verbose=True)
    try:
        prune_instances(c)
    finally:
        c.stop_daemons()
    # a clean stop is not a week old: those rows stay
    eq(c.pg.value("SELECT count(*) FROM instances WHERE host <> 'old'"), "3",
       "stopped daemons' rows")


def prune_instances(c):
    c.wait_for("SELECT count(*) FROM instance_status WHERE alive", "3", 30)
    c.wait_for("SELECT string_agg(id, ' ' ORDER BY id) FROM instances WHERE host = 'old'",
               "old:3:week old:4:leased", 10)
    time.sleep(1)
    deleted, failed = 0, []
    for path in c.logs:
        with open(path) as f:
            for line in f:
                if line.startswith("retention instances_deleted="):
                    deleted += int(line.split()[1].split("=")[1])
                if line.startswith("store:"):
                    failed.append(line.strip())
    eq(failed, [], "store failures")
    eq(deleted, 2, "instances rows deleted, summed over the daemons' lines")
    eq(c.pg.value("SELECT count(*) FROM instances WHERE host <> 'old'"), "3", "live daemons")


BOUND_N = 300
BOUND_POLL = ("interval = 600; jitter = 0.0; concurrency = 4; per_host = 4; lease = 60;"
              " page_gap = 0;")
BOUND_CAP = 64  # LOOP_START_MIN: 4 polls a transfer, 16 here, raised to the floor of 64


def test_in_flight_bound(c):
    """Three hundred boards due at once behind four transfers: the daemon leases no more than
    it can soon poll (a lease held by a poll queued behind hundreds keeps the source from a
    peer that could poll it now), and still polls every board."""
    c.serve(delay=0.05)
    c.start(1)
    # the most leases held at once, sampled inside PostgreSQL every 50 ms
    sql = ("DO $$ DECLARE n int; m int := 0; BEGIN FOR i IN 1..120 LOOP"
           " SELECT count(*) INTO n FROM sources WHERE lease_expires > clock_timestamp();"
           " m := greatest(m, n); PERFORM pg_sleep(0.05); END LOOP;"
           " RAISE NOTICE 'most %', m; END $$")
    p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       env=c.pg.env(), check=True, capture_output=True, text=True)
    most = int(p.stderr.split("most")[1].split()[0])
    c.wait_for("SELECT count(DISTINCT source_id) FROM polls WHERE outcome = 'complete'",
               str(BOUND_N), 120)
    assert 4 <= most <= BOUND_CAP, "leases held at once: %d (want 4..%d)" % (most, BOUND_CAP)
    eq(c.pg.value("SELECT count(*) FROM postings"), str(2 * BOUND_N), "postings stored")


def main():
    s = jwtest.Suite()
    only = sys.argv[1:]  # names of tests to run alone, e.g. test_prune_instances
    c = Cluster(4)
    try:
        for name, fn, what in [
                ("test_alive_agrees", test_alive_agrees,
                 "instance_status.alive is the daemons' own notion of a live peer"),
                ("test_prune_instances", test_prune_instances,
                 "instances rows a week without a heartbeat are deleted, once, by three"
                 " daemons at once")]:
            if not only or name in only:
                s.run(what, fn, c)
    finally:
        c.stop()
    if only:
        return s.end()
    c = Cluster(BOUND_N, BOUND_POLL)
    try:
        s.run("%d boards due at once: at most %d leased at a time, every one polled"
              % (BOUND_N, BOUND_CAP), test_in_flight_bound, c)
    finally:
        c.stop()
    c = Cluster()
    try:
        s.run("three daemons share sources; kill -9 is taken over", test_share_and_take_over, c)
    finally:
        c.stop()
    c = Cluster(SPREAD_N, SPREAD_POLL + " fail_after = 1;")
    try:
        s.run("three daemons hold fair shares of the leases; survivors of kill -9 catch up"
              " within an interval (%d runs)" % SPREAD_RUNS, test_spread_and_catch_up, c)
        s.run("a daemon stopped past its lease writes nothing", test_stalled_writes_nothing, c)
    finally:
        c.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

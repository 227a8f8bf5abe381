#!/usr/bin/env python3
"""Source health, the psql views and polls retention, end to end: jobwatchd --once and the
daemon against a real PostgreSQL cluster, a scripted loopback HTTP server and a syslog
receiver (and, when it can be faked, the journal's socket). Asserts what an operator would
check: the alert lines received, the events rows, the views' rows."""
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq  # noqa: E402
from test_e2e import gh_board, gh_job  # noqa: E402

HEALTH = '"source_failing", "source_recovered", "source_stale"'
# a health rule with a title pattern: it does not apply to source events
RULES = ('{ name = "health"; events = [ %s ]; match = "(?i)engineer"; },\n'
         '{ name = "postings"; }' % HEALTH)


MSGID_FAILING = "e73c74b4b5a54f6196b1c6644ec19de1"
MSGID_NEW = "8cc035b4c72041649243cfdd2f161f4b"
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


class T(jwtest.Env):
    def __init__(self):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        super().__init__("jobwatch-health-")

    def config(self, poll="", alerts=RULES, log_socket=True):
        jwtest.write_config(self.conf, self.pg.conninfo(),
                            [("acme", "greenhouse", self.http.base + "/acme")], alerts, poll,
                            log_socket=self.log.path if log_socket else None)

    def source_events(self):
        return self.pg.query("SELECT kind, coalesce(new_value, ''), posting_id IS NULL FROM "
                             "events WHERE kind LIKE 'source_%' ORDER BY id")


GOOD = gh_board([gh_job(1, "Engineer"), gh_job(2, "Accountant")])
BAD = {"status": 500, "body": "oops"}


def failing_and_recovered(t):
    """Three 500s in a row (each a new process) are one source_failing line and row; a
    fourth adds nothing; the next complete poll is one source_recovered."""
    t.pg.reset()
    t.log.clear()
    t.config()
    t.http.routes({"/acme": {"body": GOOD}})
    t.once()
    t.http.routes({"/acme": BAD})
    for _ in range(2):
        t.once(want_rc=1)
    eq(t.log.alerts(), [], "two failures: no alert")
    eq(t.source_events(), [], "two failures: no event")
    eq(t.pg.value("SELECT failures_in_row FROM source_health"), "2", "count kept across runs")
    err = t.once(want_rc=1)
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one alert line at the third failure")
    assert re.fullmatch(r'alert rule=health event=source_failing source=acme reason="HTTP 500" '
                        r'failures=3 since=' + ISO, alerts[0]), alerts[0]
    eq(t.source_events(), [["source_failing", "HTTP 500", "t"]], "one source_failing row")
    assert re.search(r'source status=failing source=acme failures=3 since=\S+ '
                     r'reason="HTTP 500"', err), err
    t.log.clear()
    err = t.once(want_rc=1)
    eq(t.log.alerts(), [], "a fourth failure: nothing more")
    assert "status=failing" not in err, err
    eq(len(t.source_events()), 1, "still one row")
    eq(t.pg.query("SELECT failures_in_row, failing, stale, last_error FROM source_health"),
       [["4", "t", "f", "HTTP 500"]], "source_health while failing")

    t.http.routes({"/acme": {"body": GOOD}})
    err = t.once()
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one recovery line")
    assert re.fullmatch(r'alert rule=health event=source_recovered source=acme '
                        r'reason="complete poll after 4 failed" failures=4 since=' + ISO,
                        alerts[0]), alerts[0]
    assert "source status=recovered source=acme failures=4" in err, err
    eq([e[0] for e in t.source_events()], ["source_failing", "source_recovered"], "rows")
    eq(t.pg.query("SELECT failures_in_row, failing, stale, failing_since IS NULL "
                  "FROM source_health"), [["0", "f", "f", "t"]], "source_health recovered")
    t.log.clear()
    t.once()
    eq(t.log.alerts(), [], "a second complete poll: nothing")


def stale_once(t):
    """No complete poll for stale_after: one source_stale, not repeated; recovery after."""
    t.pg.reset()
    t.log.clear()
    t.config(poll='fail_after = 100; stale_after = "2s";')
    t.http.routes({"/acme": {"body": GOOD}})
    t.once()
    t.http.routes({"/acme": BAD})
    t.once(want_rc=1)
    eq(t.log.alerts(), [], "not stale yet")
    time.sleep(2.5)
    t.once(want_rc=1)
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one stale line")
    assert re.fullmatch(r'alert rule=health event=source_stale source=acme '
                        r'reason="no complete poll since ' + ISO + '" failures=2 since=' + ISO,
                        alerts[0]), alerts[0]
    t.once(want_rc=1)
    eq(len(t.log.alerts()), 1, "stale is told once")
    eq(t.pg.query("SELECT stale, failing FROM source_health"), [["t", "f"]], "health: stale")
    t.http.routes({"/acme": {"body": GOOD}})
    t.log.clear()
    t.once()
    alerts = t.log.alerts()
    eq(len(alerts), 1, "recovered from stale")
    assert alerts[0].startswith("alert rule=health event=source_recovered source=acme "
                                'reason="complete poll after 3 failed"'), alerts[0]
    eq([e[0] for e in t.source_events()], ["source_stale", "source_recovered"], "rows")


def wait_for(cond, what, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if cond():
                return
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def daemon_restart(t):
    """The daemon fails twice, is restarted, fails on: one source_failing line in all."""
    t.pg.reset()
    t.log.clear()
    t.config(poll='interval = 1; jitter = 0; fail_after = 4; stale_after = "1h";')
    t.http.routes({"/acme": {"body": GOOD}})
    t.once()
    t.http.routes({"/acme": BAD})
    failures = lambda: int(t.pg.value(  # noqa: E731
        "SELECT failures_in_row FROM sources WHERE name = 'acme'"))
    for _ in range(2):
        p = subprocess.Popen([jwtest.JOBWATCHD, "-c", t.conf], stderr=subprocess.DEVNULL)
        try:
            n = failures()
            wait_for(lambda: failures() >= n + 2, "two more failures")
        finally:
            p.send_signal(signal.SIGTERM)
            eq(p.wait(timeout=20), 0, "daemon exit")
    assert failures() >= 4, failures()
    alerts = t.log.alerts()
    eq([a.split()[2] for a in alerts], ["event=source_failing"], "one failing line in all")
    assert "failures=4 " in alerts[0], alerts[0]
    eq(len(t.source_events()), 1, "one source_failing row")


def views(t):
    """Each view on a scripted history: baseline, a new posting with pay, a pay change, a
    closure, a reopening."""
    t.pg.reset()
    t.log.clear()
    t.config()
    j1 = gh_job(1, "Engineer", pay=(100000, 120000))
    j2 = gh_job(2, "Accountant")
    j3 = gh_job(3, "Designer")
    j4 = gh_job(4, "Scientist", pay=(200000, 250000))
    j1b = gh_job(1, "Engineer", pay=(110000, 130000))
    script = [[j1, j2, j3], [j1b, j2, j4], [j1b, j2, j4], [j1b, j2, j3, j4],
              [j1b, j3, j4], [j1b, j3, j4]]
    for jobs in script:
        t.http.routes({"/acme": {"body": gh_board(jobs)}})
        t.once()
    eq(t.pg.query("SELECT source, type, open, with_pay FROM open_roles_by_source"),
       [["acme", "greenhouse", "3", "2"]], "open_roles_by_source")
    eq(t.pg.query("SELECT external_id, title, pay FROM new_postings WHERE first_seen > "
                  "now() - interval '7 days' AND NOT baseline"),
       [["4", "Scientist", "USD 200000-250000/year"]], "new_postings, not baseline")
    eq(t.pg.query("SELECT external_id FROM new_postings WHERE baseline ORDER BY 1"),
       [["1"], ["2"], ["3"]], "new_postings, baseline")
    eq(t.pg.query("SELECT source, external_id, title, old_pay, new_pay FROM pay_changes"),
       [["acme", "1", "Engineer", "USD 100000-120000/year", "USD 110000-130000/year"]],
       "pay_changes")
    eq(t.pg.query("SELECT external_id, open_for > interval '0' AND open_for = "
                  "closed_at - first_seen FROM time_to_close"), [["2", "t"]], "time_to_close")
    eq(t.pg.query("SELECT source, external_id, title, reopened, closed_at IS NULL "
                  "FROM reopened_postings"), [["acme", "3", "Designer", "1", "t"]],
       "reopened_postings")
    eq(t.pg.query("SELECT source, failures_in_row, failing, stale, last_poll_at IS NOT NULL, "
                  "last_complete_at IS NOT NULL, last_error IS NULL FROM source_health"),
       [["acme", "0", "f", "f", "t", "t", "t"]], "source_health")


def retention(t):
    """Polls rows past polls_retention go; events and versions stay, poll_id NULL."""
    views(t)  # a history of six polls
    t.pg.query("UPDATE polls SET started_at = now() - interval '100 days' WHERE id IN "
               "(SELECT id FROM polls ORDER BY id LIMIT 3)")
    before = t.pg.query("SELECT (SELECT count(*) FROM events), "
                        "(SELECT count(*) FROM posting_versions), (SELECT count(*) FROM polls)")
    eq(before[0][2], "6", "polls before")
    t.config(poll='polls_retention = 0;')
    t.once()
    eq(t.pg.value("SELECT count(*) FROM polls"), "7", "0 keeps every poll")
    t.config(poll='polls_retention = "90d";')
    err = t.once()
    assert "retention polls_deleted=3 older_than=7776000s" in err, err
    eq(t.pg.value("SELECT count(*) FROM polls"), "5", "polls after")
    eq(t.pg.value("SELECT count(*) FROM polls WHERE started_at < now() - interval '90 days'"),
       "0", "no old poll left")
    after = t.pg.query("SELECT (SELECT count(*) FROM events), "
                       "(SELECT count(*) FROM posting_versions)")
    eq(after[0], before[0][:2], "events and versions kept")


def retention_events(t):
    """The events of deleted polls keep their rows with poll_id NULL."""
    t.pg.reset()
    t.config()
    t.http.routes({"/acme": {"body": GOOD}})
    t.once()
    t.http.routes({"/acme": {"body": gh_board([gh_job(1, "Engineer"), gh_job(2, "Accountant"),
                                               gh_job(3, "Designer")])}})
    t.once()
    eq(t.pg.value("SELECT count(*) FROM events WHERE poll_id IS NULL"), "0", "linked")
    t.pg.query("UPDATE polls SET started_at = now() - interval '100 days'")
    t.config(poll='polls_retention = "90d";')
    t.once()
    eq(t.pg.value("SELECT count(*) FROM polls"), "1", "only the new poll is left")
    eq(t.pg.query("SELECT kind, baseline FROM events WHERE poll_id IS NULL ORDER BY id"),
       [["new", "t"], ["new", "t"], ["new", "f"]], "events kept, poll_id NULL")
    eq(t.pg.value("SELECT count(*) FILTER (WHERE poll_id IS NULL) || '/' || count(*)"
                  " FROM posting_versions"), "3/3", "versions kept, poll_id NULL")


class FakeJournal:
    """A datagram socket at /run/systemd/journal/socket that decodes the native protocol."""

    PATH = "/run/systemd/journal/socket"

    def __init__(self):
        self.made = [d for d in ("/run/systemd", "/run/systemd/journal")
                     if not os.path.isdir(d)]
        for d in self.made:
            os.mkdir(d)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.PATH)
        self.sock.settimeout(0.2)
        self.entries = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def decode(data):
        fields, i = {}, 0
        while i < len(data):
            nl = data.index(b"\n", i)
            line = data[i:nl]
            if b"=" in line:
                k, v = line.split(b"=", 1)
                i = nl + 1
            else:  # KEY\n, little-endian 64-bit length, value, \n
                k = line
                n = struct.unpack("<Q", data[nl + 1:nl + 9])[0]
                v = data[nl + 9:nl + 9 + n]
                i = nl + 9 + n + 1
            fields[k.decode()] = v.decode()
        return fields

    def _run(self):
        while self.running:
            try:
                self.entries.append(self.decode(self.sock.recv(65536)))
            except socket.timeout:
                continue
            except OSError:
                break

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()
        os.unlink(self.PATH)
        for d in reversed(self.made):
            os.rmdir(d)


def journal(t):
    """Under journald (stderr is the journal stream), alert lines carry MESSAGE_ID and the
    JOBWATCH_* fields; nothing goes to syslog."""
    t.pg.reset()
    t.log.clear()
    t.config(poll="fail_after = 1;", log_socket=False)
    j = FakeJournal()
    try:
        errpath = os.path.join(t.dir, "stderr")
        with open(errpath, "w") as err:
            st = os.fstat(err.fileno())
            env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))

            def run(rc):
                p = subprocess.run([jwtest.JOBWATCHD, "-c", t.conf, "--once", "--log-stderr"],
                                   stderr=err, env=env, timeout=60)
                eq(p.returncode, rc, "exit status")
            t.http.routes({"/acme": {"body": GOOD}})
            run(0)
            t.http.routes({"/acme": {"body": gh_board([gh_job(1, "Engineer"),
                                                       gh_job(2, "Accountant"),
                                                       gh_job(7, "Writer")])}})
            run(0)
            t.http.routes({"/acme": BAD})
            run(1)
        time.sleep(0.5)
        alerts = [e for e in j.entries if e.get("MESSAGE", "").startswith("alert ")]
        new = [e for e in alerts if e.get("MESSAGE_ID") == MSGID_NEW]
        eq(len(new), 1, "one new alert in the journal")
        eq({k: new[0].get(k) for k in ("JOBWATCH_EVENT", "JOBWATCH_SOURCE",
                                       "JOBWATCH_POSTING_ID", "PRIORITY", "SYSLOG_IDENTIFIER",
                                       "SYSLOG_FACILITY")},
           {"JOBWATCH_EVENT": "new", "JOBWATCH_SOURCE": "acme", "JOBWATCH_POSTING_ID": "7",
            "PRIORITY": "5", "SYSLOG_IDENTIFIER": "jobwatchd", "SYSLOG_FACILITY": "19"},
           "fields of a posting alert")
        assert new[0]["MESSAGE"].startswith("alert rule=postings event=new source=acme id=7 "), \
            new[0]
        failing = [e for e in alerts if e.get("MESSAGE_ID") == MSGID_FAILING]
        eq(len(failing), 1, "one source_failing alert in the journal")
        eq((failing[0].get("JOBWATCH_EVENT"), failing[0].get("JOBWATCH_SOURCE"),
            "JOBWATCH_POSTING_ID" in failing[0]), ("source_failing", "acme", False),
           "fields of a source alert")
        assert any(e.get("MESSAGE", "").startswith("start ") and "MESSAGE_ID" not in e
                   for e in j.entries), "operational lines go to the journal too"
        eq(t.log.messages(), [], "nothing to the syslog socket")
        with open(errpath) as f:
            eq(f.read(), "", "stderr (the journal stream) gets no copies")
    finally:
        j.stop()


def main():
    s = jwtest.Suite()
    t = T()
    try:
        s.run("source_failing once at fail_after, source_recovered once", failing_and_recovered, t)
        s.run("source_stale once, then recovered", stale_once, t)
        s.run("daemon restarted between failures: one failing line", daemon_restart, t)
        s.run("views on a scripted history", views, t)
        s.run("retention deletes old polls rows, keeps events and versions", retention, t)
        s.run("retention: events of deleted polls keep their rows", retention_events, t)
        if os.geteuid() == 0 and not os.path.exists(FakeJournal.PATH):
            s.run("journald fields through sd_journal_send", journal, t)
        else:
            s.skip("journald fields through sd_journal_send",
                   "needs root and no journald at " + FakeJournal.PATH)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

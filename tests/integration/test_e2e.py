#!/usr/bin/env python3
"""End to end: jobwatchd --once and the daemon against a real PostgreSQL cluster, a scripted
loopback HTTP server and a syslog receiver. Asserts what an operator would check: rows in
postings/events/polls, views, and the alert lines that reached syslog."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, Notify, eq, wait_for  # noqa: E402

LOCAL3_NOTICE = 19 * 8 + 5
ALL_KINDS = '"new", "closed", "reopened", "title_changed", "location_changed", ' \
            '"department_changed", "pay_changed"'


LUNO = [os.path.join(FIXTURES, "greenhouse", f) for f in (
    "luno_20260808T195722760851Z.json", "luno_20260811T134316967495Z.json",
    "luno_20260821T131103012385Z.json")]


def gh_job(jid, title, loc="Los Gatos, California", dept="Research", pay=None):
    j = {"id": jid, "title": title, "location": {"name": loc},
         "absolute_url": "https://example.test/jobs/%d" % jid,
         "departments": [{"id": 1, "name": dept, "parent_id": None, "child_ids": []}],
         "content": "&lt;p&gt;Build things.&lt;/p&gt;", "updated_at": "2026-08-09T23:52:37-04:00"}
    if pay:
        j["pay_input_ranges"] = [{"min_cents": pay[0] * 100, "max_cents": pay[1] * 100,
                                  "currency_type": "USD", "title": "US Salary Range",
                                  "blurb": ""}]
    return j


def gh_board(jobs):
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


class E2E(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-e2e-")

    def events(self, source, kind=None):
        sql = ("SELECT e.kind, p.external_id, coalesce(e.old_value,''), coalesce(e.new_value,'') "
               "FROM events e JOIN postings p ON p.id = e.posting_id "
               "JOIN sources s ON s.id = e.source_id WHERE s.name = '%s'" % source)
        if kind:
            sql += " AND e.kind = '%s'" % kind
        return self.pg.query(sql + " ORDER BY e.id")


def lifecycle(t):
    """The real luno sequence: baseline, a removal, closure after two misses, reopening
    with a new title, a location change."""
    t.pg.reset()
    t.log.clear()
    t.config([("luno", "greenhouse", t.http.base + "/luno")],
             alerts='{ name = "all"; events = [ %s ]; }' % ALL_KINDS)
    t.http.routes({"/luno": {"body_file": LUNO[0]}})
    t.once()
    eq(t.open_count("luno"), 13, "open after baseline")
    eq(t.pg.value("SELECT count(*) FROM events WHERE kind='new' AND baseline"), "13",
       "baseline new events")
    eq(t.log.alerts(), [], "baseline raises no alert")

    t.http.routes({"/luno": {"body_file": LUNO[1]}})
    t.once()
    eq(t.open_count("luno"), 13, "one miss closes nothing")
    eq(t.events("luno", "closed"), [], "closed after one miss")
    eq(t.pg.value("SELECT misses FROM postings WHERE external_id='8102507'"), "1", "misses")

    t.once()  # the same body again: unchanged, but misses count on
    eq(t.pg.value("SELECT outcome FROM polls ORDER BY id DESC LIMIT 1"), "unchanged", "outcome")
    eq([e[1] for e in t.events("luno", "closed")], ["8102507"], "closed after two misses")
    eq(t.open_count("luno"), 12, "open after closure")
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one alert line for the closure")
    assert alerts[0].startswith("alert rule=all event=closed source=luno id=8102507 "
                                'title="Product Manager - Institutional API'), alerts[0]

    t.log.clear()
    t.http.routes({"/luno": {"body_file": LUNO[2]}})
    t.once()
    eq([e[1] for e in t.events("luno", "reopened")], ["8102507"], "reopened")
    title = t.events("luno", "title_changed")
    eq([e[1] for e in title], ["8102507"], "title_changed")
    assert title[0][3].startswith("Product Manager - Retail Growth"), title
    # 8102507 came back elsewhere too; 8102556 moved
    eq([e[1] for e in t.events("luno", "location_changed")], ["8102507", "8102556"],
       "location_changed")
    eq(t.pg.value("SELECT misses FROM postings WHERE external_id='8102507'"), "0",
       "reopening resets misses")
    eq(t.open_count("luno"), 13, "three removed stay open after one miss")
    kinds = sorted(a.split()[2] for a in t.log.alerts())
    eq(kinds, ["event=location_changed", "event=location_changed", "event=reopened",
               "event=title_changed"], "alerts")

    t.once()
    eq(len(t.events("luno", "closed")), 4, "the three removed close on the second miss")
    eq(t.open_count("luno"), 10, "open at the end")
    eq(t.pg.value("SELECT count(*) FROM posting_versions v JOIN postings p ON p.id = "
                  "v.posting_id WHERE p.external_id = '8102507'"), "2", "versions of 8102507")


def pay_and_alert_lines(t):
    """A new ML opening produces exactly the documented line; a pay change is an event with
    both ranges and a pay_history row."""
    t.pg.reset()
    t.log.clear()
    t.config([("acme", "greenhouse", t.http.base + "/acme")],
             alerts='{ name = "ml-openings"; events = [ "new", "reopened", "pay_changed" ];\n'
                    '  match = "(?i)\\\\b(machine learning|ML|AI|LLM)\\\\b"; }')
    jobs = [gh_job(4012345, "Machine Learning Scientist", pay=(300000, 900000)),
            gh_job(2, "Accountant", loc="London", dept="Finance")]
    t.http.routes({"/acme": {"body": gh_board(jobs)}})
    t.once()
    eq(t.pg.query("SELECT pay_min::bigint, pay_max::bigint, pay_currency, pay_period FROM "
                  "postings WHERE external_id = '4012345'"),
       [["300000", "900000", "USD", "year"]], "structured pay stored")

    jobs.append(gh_job(4012346, "Senior Machine Learning Engineer", pay=(300000, 900000)))
    jobs.append(gh_job(4012347, "Office Manager"))
    t.http.routes({"/acme": {"body": gh_board(jobs)}})
    t.once()
    msgs = [m for m in t.log.messages() if m[1].startswith("alert ")]
    eq(msgs, [(LOCAL3_NOTICE,
               'alert rule=ml-openings event=new source=acme id=4012346 '
               'title="Senior Machine Learning Engineer" location="Los Gatos, California" '
               'pay="USD 300000-900000/year" url=https://example.test/jobs/4012346')],
       "the alert line")

    t.log.clear()
    jobs[0] = gh_job(4012345, "Machine Learning Scientist", pay=(320000, 950000))
    jobs[1] = gh_job(2, "Senior Accountant", loc="London", dept="Finance")
    t.http.routes({"/acme": {"body": gh_board(jobs)}})
    t.once()
    eq(t.events("acme", "pay_changed"),
       [["pay_changed", "4012345", "USD 300000-900000/year", "USD 320000-950000/year"]],
       "pay_changed event")
    eq(t.events("acme", "title_changed"),
       [["title_changed", "2", "Accountant", "Senior Accountant"]], "title_changed event")
    eq(t.pg.value("SELECT count(*) FROM pay_history h JOIN postings p ON p.id = h.posting_id "
                  "WHERE p.external_id = '4012345'"), "2", "pay_history rows")
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one line: the pay change (title changes are not selected)")
    assert 'event=pay_changed' in alerts[0] and 'old="USD 300000-900000/year"' in alerts[0], \
        alerts[0]


def failures_close_nothing(t):
    """500, a captcha page, a truncated body, a timeout and an emptied board close nothing."""
    t.pg.reset()
    jobs = [gh_job(i, "Role %d" % i) for i in range(1, 11)]
    t.config([("acme", "greenhouse", t.http.base + "/acme")], poll="timeout = 2;",
             alerts='{ name = "all"; events = [ %s ]; }' % ALL_KINDS)
    t.http.routes({"/acme": {"body": gh_board(jobs)}})
    t.once()
    t.log.clear()
    bad = [
        ("http 500", {"status": 500, "body": "oops"}, "HTTP 500"),
        ("captcha", {"status": 200, "headers": {"Content-Type": "text/html"},
                     "body": "<!DOCTYPE html><html><body>Please complete the captcha"
                             "</body></html>"}, None),
        ("truncated", {"body": gh_board(jobs), "close_mid_body": True}, None),
        ("timeout", {"body": gh_board(jobs), "delay": 4}, None),
        ("not json", {"body": "{\"jobs\": [ {\"id\": 1, "}, None),
        ("wrong envelope", {"body": "[]"}, None),
    ]
    for name, route, err in bad:
        t.http.routes({"/acme": route})
        t.once(want_rc=1)
        row = t.pg.query("SELECT outcome, coalesce(error, '') FROM polls ORDER BY id DESC "
                         "LIMIT 1")[0]
        eq(row[0], "failed", name + ": outcome")
        assert row[1], name + ": the poll records why it failed"
        if err:
            assert err in row[1], (name, row[1])
    eq(t.open_count("acme"), 10, "nothing closed by failures")
    eq(t.pg.value("SELECT max(misses) FROM postings"), "0", "failures count no miss")
    eq(t.pg.value("SELECT count(*) FROM events WHERE NOT baseline AND posting_id IS NOT NULL"),
       "0", "no posting events")

    t.http.routes({"/acme": {"body": gh_board([])}})
    t.once()
    eq(t.open_count("acme"), 10, "an emptied board is suspect: nothing closes")
    eq(t.pg.value("SELECT suspect FROM sources WHERE name = 'acme'"), "t", "suspect")
    t.http.routes({"/acme": {"body": gh_board(jobs)}})
    t.once()
    eq(t.open_count("acme"), 10, "restored board")
    eq(t.pg.value("SELECT max(misses) FROM postings"), "0", "misses reset when back")
    eq(t.log.alerts(), [], "no alert from any failure")


def conditional_get(t):
    """An ETag is replayed; the 304 is an unchanged poll that still counts misses on."""
    t.pg.reset()
    t.config([("acme", "greenhouse", t.http.base + "/acme")])
    jobs = [gh_job(1, "One"), gh_job(2, "Two")]
    t.http.routes({"/acme": {"body": gh_board(jobs), "etag": "\"v1\""}})
    t.once()
    t.http.routes({"/acme": {"body": gh_board(jobs[:1]), "etag": "\"v2\""}})
    t.once()
    t.http.routes({"/acme": {"body": gh_board(jobs[:1]), "etag": "\"v2\""}})
    t.once()
    reqs = [r for r in t.http.requests() if r["path"] == "/acme"]
    eq([r.get("if_none_match") for r in reqs[-3:]], [None, '"v1"', '"v2"'], "If-None-Match")
    eq(t.pg.query("SELECT outcome, http_status FROM polls ORDER BY id"),
       [["complete", "200"], ["complete", "200"], ["unchanged", "304"]], "polls")
    eq([e[1] for e in t.events("acme", "closed")], ["2"], "closed on the 304 poll")

    # Every run synced the same config: the source kept its row and its validators, and no
    # run drew an id for it, so the next source configured gets the next id.
    t.config([("acme", "greenhouse", t.http.base + "/acme"),
              ("zeta", "greenhouse", t.http.base + "/zeta")])
    t.http.routes({"/acme": {"body": gh_board(jobs[:1]), "etag": "\"v2\""},
                   "/zeta": {"body": gh_board([])}})
    t.once()
    eq(t.pg.query("SELECT name, id, etag FROM sources ORDER BY id"),
       [["acme", "1", '"v2"'], ["zeta", "2", ""]], "ids and validators after four syncs")
    reqs = [r for r in t.http.requests() if r["path"] == "/acme"]
    eq(reqs[-1].get("if_none_match"), '"v2"', "ETag still replayed")
    # a new url is another document: its validators are forgotten
    t.config([("acme", "greenhouse", t.http.base + "/acme?v=2"),
              ("zeta", "greenhouse", t.http.base + "/zeta")])
    t.once()
    reqs = [r for r in t.http.requests() if r["path"].startswith("/acme")]
    eq(reqs[-1].get("if_none_match"), None, "no ETag sent after the url changed")
    eq(t.pg.value("SELECT id FROM sources WHERE name = 'acme'"), "1", "same row, new url")


def sources_rows_stay_put(t):
    """A source's row grows at its first poll (validators, digest, lease); the pages of sources
    keep room for that and for the next versions, so later polls update each row in its page
    (no new index entries, no row moved away: migrations 013 and 017)."""
    t.pg.reset()
    n = 60
    t.config([("board%02d" % i, "greenhouse", t.http.base + "/b%02d" % i) for i in range(n)])
    t.http.routes({"/b%02d" % i: {"body": gh_board([gh_job(i, "Job %d" % i)]),
                                  "etag": "\"e%d\"" % i} for i in range(n)})
    t.once()
    page = "SELECT name, (ctid::text::point)[0]::int FROM sources ORDER BY name"
    before = t.pg.query(page)
    eq(len(before), n, "sources")
    for _ in range(2):
        t.once()
    eq(t.pg.value("SELECT count(*) FROM polls WHERE outcome = 'unchanged'"), str(2 * n),
       "unchanged polls")
    moved = [(a[0], a[1], b[1]) for a, b in zip(before, t.pg.query(page)) if a != b]
    eq(moved, [], "rows that left their page in two unchanged cycles")


def first_polls_together(t):
    """Sources' first polls are written several at a time (store_apply_first): every posting,
    version, event and pay range must land on its own source even where boards share ids, and
    a source that turns out not to be a first poll falls back to the one-poll path."""
    t.pg.reset()
    n = 40  # more than one batch
    names = ["first%02d" % i for i in range(n)]
    t.config([(names[i], "greenhouse", t.http.base + "/f%02d" % i) for i in range(n)])
    # the same three ids on every board; id 3 listed twice; pay on id 1 differs by board
    t.http.routes({"/f%02d" % i: {"body": gh_board([
        gh_job(1, "Engineer %d" % i, pay=(100000 + 1000 * i, 120000 + 1000 * i)),
        gh_job(2, "Scientist %d" % i), gh_job(3, "Analyst %d" % i),
        gh_job(3, "Analyst %d" % i)])} for i in range(n)})
    t.once()
    eq(t.pg.query("SELECT count(DISTINCT source), count(*) FROM open_postings"),
       [[str(n), str(3 * n)]], "sources and postings")
    eq(t.pg.value("SELECT count(*) FROM postings p JOIN sources s ON s.id = p.source_id "
                  "WHERE p.title NOT LIKE '% ' || substr(s.name, 6)::int"), "0",
       "postings whose title is another board's")
    eq(t.pg.query("SELECT count(*), count(*) FILTER (WHERE o.source_id <> p.source_id) "
                  "FROM posting_versions v JOIN postings p ON p.id = v.posting_id "
                  "JOIN polls o ON o.id = v.poll_id"), [[str(3 * n), "0"]],
       "versions, and versions of another source's poll")
    eq(t.pg.query("SELECT count(*), count(*) FILTER (WHERE e.baseline AND e.kind = 'new' "
                  "AND o.source_id = e.source_id AND p.source_id = e.source_id) "
                  "FROM events e JOIN postings p ON p.id = e.posting_id "
                  "JOIN polls o ON o.id = e.poll_id"), [[str(3 * n), str(3 * n)]],
       "events, and baseline new events of the posting's own source and poll")
    eq(t.pg.query("SELECT count(*), count(*) FILTER (WHERE p.external_id = '1' AND "
                  "r.pay_min = 100000 + 1000 * substr(s.name, 6)::int AND "
                  "p.pay_min = r.pay_min) FROM pay_ranges r "
                  "JOIN postings p ON p.id = r.posting_id JOIN sources s ON s.id = p.source_id"),
       [[str(n), str(n)]], "pay ranges, and ranges with their own board's pay")
    # written together: a transaction's now() is every posting's first_seen
    batches = int(t.pg.value("SELECT count(DISTINCT first_seen) FROM postings"))
    if batches > n // 2:
        raise AssertionError("%d boards first seen at %d times: not written together"
                             % (n, batches))
    eq(t.pg.query("SELECT count(*) FROM polls WHERE outcome = 'complete' AND new = 3 "
                  "AND postings = 3 AND finished_at IS NOT NULL"), [[str(n)]],
       "each source's polls row")
    # first00 had its postings, but its row says it was never polled to the end: its poll
    # goes on its own path with the new boards that share its batch
    t.pg.query("UPDATE sources SET last_complete_at = NULL WHERE name = 'first00'")
    t.config([(names[0], "greenhouse", t.http.base + "/f00")] +
             [("next%d" % i, "greenhouse", t.http.base + "/g%d" % i) for i in range(3)])
    t.http.routes({"/f00": {"body": gh_board([gh_job(1, "Engineer 0", pay=(100000, 120000)),
                                              gh_job(2, "Scientist 0"),
                                              gh_job(3, "Analyst 0")])},
                   **{"/g%d" % i: {"body": gh_board([gh_job(7, "Next %d" % i)])}
                      for i in range(3)}})
    t.once()
    eq(t.pg.query("SELECT source, count(*) FROM open_postings WHERE source = 'first00' "
                  "OR source LIKE 'next%' GROUP BY source ORDER BY source"),
       [["first00", "3"], ["next0", "1"], ["next1", "1"], ["next2", "1"]],
       "postings after the fallback")
    eq(t.pg.value("SELECT count(*) FROM postings p JOIN sources s ON s.id = p.source_id "
                  "WHERE s.name = 'first00'"), "3", "first00 postings, none twice")
    eq(t.pg.value("SELECT count(*) FROM polls o JOIN sources s ON s.id = o.source_id "
                  "WHERE s.name = 'first00' AND o.outcome = 'complete'"), "2",
       "first00's polls")


def changed_polls_together(t):
    """Sources' changed polls are written several at a time too (store_apply_changed): each
    change lands on its own source, with its own events. A board the database refuses fails
    the polls written with it: they are read again at once and written alone, so that only
    that board fails, and the others count no failure."""
    t.pg.reset()
    n = 20
    names = ["chg%02d" % i for i in range(n)]
    t.config([(names[i], "greenhouse", t.http.base + "/c%02d" % i) for i in range(n)])

    def boards(version, boom=None):
        t.http.routes({"/c%02d" % i: {"body": gh_board([
            gh_job(1, "Boom" if i == boom else "Engineer %d v%d" % (i, version),
                   pay=(100000 + 1000 * i, 120000 + 1000 * i + version)),
            gh_job(2, "Scientist %d" % i)])} for i in range(n)})

    boards(1)
    t.once()
    boards(2)
    t.once()
    eq(t.pg.value("SELECT count(*) FROM postings p JOIN sources s ON s.id = p.source_id "
                  "WHERE p.external_id = '1' AND p.title = 'Engineer ' "
                  "|| substr(s.name, 4)::int || ' v2'"), str(n), "retitled postings")
    eq(t.pg.query("SELECT count(*), count(*) FILTER (WHERE o.source_id = e.source_id AND "
                  "p.source_id = e.source_id AND NOT e.baseline) FROM events e "
                  "JOIN postings p ON p.id = e.posting_id JOIN polls o ON o.id = e.poll_id "
                  "WHERE e.kind IN ('title_changed', 'pay_changed')"),
       [[str(2 * n), str(2 * n)]], "change events, each of its own source and poll")
    eq(t.pg.query("SELECT count(*) FROM polls WHERE outcome = 'complete' AND changed = 1 "
                  "AND postings = 2"), [[str(n)]], "each source's polls row")
    # written together: a transaction's now() is every event's time
    batches = int(t.pg.value("SELECT count(DISTINCT at) FROM events "
                             "WHERE kind = 'title_changed'"))
    if batches > n // 2:
        raise AssertionError("%d changed boards written at %d times: not together"
                             % (n, batches))

    t.pg.query("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
               " IF NEW.title = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW;"
               " END $$; CREATE TRIGGER boom BEFORE UPDATE ON postings FOR EACH ROW"
               " EXECUTE FUNCTION boom()")
    boards(3, boom=7)
    err = t.once(want_rc=1)
    eq(t.pg.query("SELECT s.name, s.failures_in_row FROM sources s "
                  "WHERE s.failures_in_row > 0"), [["chg07", "1"]], "sources that failed")
    eq(t.pg.value("SELECT count(*) FROM postings p JOIN sources s ON s.id = p.source_id "
                  "WHERE p.external_id = '1' AND p.title = 'Engineer ' "
                  "|| substr(s.name, 4)::int || ' v3'"), str(n - 1), "retitled again")
    eq(t.pg.value("SELECT title FROM postings p JOIN sources s ON s.id = p.source_id "
                  "WHERE s.name = 'chg07' AND p.external_id = '1'"), "Engineer 7 v2",
       "the refused board's posting")
    if "database error in polls written together" not in err:
        raise AssertionError("no line says why the polls were read again:\n" + err)
    t.pg.query("DROP TRIGGER boom ON postings; DROP FUNCTION boom()")


def lever_and_jsonld(t):
    """Lever's salaryRange and a JSON-LD page are stored whole."""
    t.pg.reset()
    t.config([("mama", "lever", t.http.base + "/lever/mamamoney"),
              ("match", "lever", t.http.base + "/lever/match"),
              ("sig", "jsonld", t.http.base + "/careers/sig")])
    t.http.routes({
        "/lever/mamamoney": {"body_file": os.path.join(
            FIXTURES, "lever", "mamamoney_20260808T195722760851Z.json")},
        "/lever/match": {"body_file": os.path.join(
            FIXTURES, "lever", "matchgroup_sample_2postings.json")},
        "/careers/sig": {"headers": {"Content-Type": "text/html"}, "body_file": os.path.join(
            FIXTURES, "schemaorg", "icims_sig_job_jsonld.html")},
    })
    t.once()
    eq(t.open_count("mama"), 13, "mamamoney postings")
    eq(t.pg.value("SELECT count(*) FROM postings WHERE title = '' OR url IS NULL"), "0",
       "every posting has a title and a link")
    eq(t.pg.query("SELECT pay_min::bigint, pay_max::bigint, pay_currency, pay_period FROM "
                  "postings WHERE external_id = '3414ba28-35f7-45d3-8e13-35c883959635'"),
       [["150000", "180000", "USD", "year"]], "lever salaryRange")
    eq(t.pg.query("SELECT title FROM open_postings WHERE source = 'sig'"),
       [["Trading System Engineering Internship: Summer 2027"]], "json-ld posting")


def check_config_and_migrate(t):
    bad = os.path.join(t.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write('poll: { interval = 60; colour = "red"; };\n'
                'sources = ( { name = "x"; type = "greenhouse"; url = "https://a/b"; } );\n')
    p = subprocess.run([jwtest.JOBWATCHD, "-c", bad, "--check-config"], capture_output=True,
                       text=True)
    eq(p.returncode, 1, "--check-config exit")
    assert p.stdout.startswith(bad + ":1: unknown key 'colour' in poll"), p.stdout
    t.config([("x", "greenhouse", t.http.base + "/x")])
    p = subprocess.run([jwtest.JOBWATCHD, "-c", t.conf, "--check-config"], capture_output=True,
                       text=True)
    eq((p.returncode, p.stdout), (0, "configuration OK\n"), "good config")
    t.pg.reset()
    for _ in range(2):
        p = subprocess.run([jwtest.JOBWATCHD, "-c", t.conf, "--migrate", "--log-stderr"],
                           capture_output=True, text=True)
        eq(p.returncode, 0, "--migrate: " + p.stderr)
    assert int(t.pg.value("SELECT count(*) FROM schema_migrations")) >= 1
    # a migration that fails is named in one line, its file escaped: an operator's file name
    # may hold a blank or a newline, which would otherwise start a line of its own
    sqldir = os.path.join(t.dir, "sql with blank")
    os.makedirs(sqldir, exist_ok=True)
    for name in os.listdir(os.path.join(jwtest.TOP, "sql")):
        os.symlink(os.path.join(jwtest.TOP, "sql", name), os.path.join(sqldir, name))
    with open(os.path.join(sqldir, "900_bad\nsqlstate=00000 forged.sql"), "w") as f:
        f.write("SELECT no_such_column FROM sources;\n")
    p = subprocess.run([jwtest.JOBWATCHD, "-c", t.conf, "--migrate", "--log-stderr",
                        "--sql-dir", sqldir], capture_output=True, text=True)
    eq(p.returncode, 2, "--migrate with a failing migration: " + p.stderr)
    lines = [line for line in p.stderr.splitlines() if "migration failed" in line]
    eq(len(lines), 1, "lines naming the failed migration:\n" + p.stderr)
    assert ('file="%s/900_bad\\nsqlstate=00000 forged.sql" sqlstate=42703' % sqldir) in lines[0], \
        lines[0]
    assert not any(line.startswith("sqlstate=") for line in p.stderr.splitlines()), p.stderr
    # a database that cannot be reached is exit 2 for --once
    jwtest.write_config(t.conf, "host=%s port=1 dbname=none" % t.dir,
                        [("x", "greenhouse", t.http.base + "/x")])
    rc, _ = jwtest.run_once(t.conf)
    eq(rc, 2, "--once without a database")


def daemon(t):
    """The daemon: READY, polls on its interval, a bad reload keeps the old config, a good one
    adds a source, a lost database connection is re-made, SIGTERM stops it cleanly."""
    t.pg.reset()
    jobs = [gh_job(i, "Role %d" % i) for i in range(1, 4)]
    t.http.routes({"/a": {"body": gh_board(jobs)}, "/b": {"body": gh_board(jobs[:1])}})
    t.config([("a", "greenhouse", t.http.base + "/a")], poll="interval = 1; jitter = 0;")
    notify = Notify(os.path.join(t.dir, "notify.sock"))
    env = dict(os.environ, NOTIFY_SOCKET=notify.path)
    errpath = os.path.join(t.dir, "daemon.err")
    with open(errpath, "w") as err:
        p = subprocess.Popen([jwtest.JOBWATCHD, "-c", t.conf, "--log-stderr"], env=env,
                             stderr=err)
    try:
        notify.wait("READY=1")
        polls = lambda: int(t.pg.value("SELECT count(*) FROM polls"))  # noqa: E731
        wait_for(lambda: polls() >= 3, "three polls")
        with open(t.conf, "a") as f:
            f.write("this is not libconfig\n")
        p.send_signal(signal.SIGHUP)
        notify.wait("RELOADING=1")
        time.sleep(1.5)
        assert p.poll() is None, "a bad reload stopped the daemon"
        t.config([("a", "greenhouse", t.http.base + "/a"),
                  ("b", "greenhouse", t.http.base + "/b")], poll="interval = 1; jitter = 0;")
        p.send_signal(signal.SIGHUP)
        wait_for(lambda: t.pg.value("SELECT count(*) FROM polls JOIN sources s ON "
                                    "s.id = source_id WHERE s.name = 'b'") not in ("0", None),
                 "a poll of the added source")
        # the database drops the daemon's connection: it reconnects and goes on
        t.pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE application_name = 'jobwatchd'")
        n = polls()
        wait_for(lambda: polls() >= n + 3, "polls after the connection was lost")
        assert p.poll() is None, "the daemon died when its connection was lost"
        p.send_signal(signal.SIGTERM)
        eq(p.wait(timeout=15), 0, "exit status after SIGTERM")
        notify.wait("STOPPING=1")
        eq(t.open_count("a"), 3, "postings of a")
        eq(t.pg.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "no closure")
    finally:
        if p.poll() is None:
            p.kill()
        notify.close()
    with open(errpath) as f:
        log = f.read()
    assert "reload status=rejected" in log, log
    assert "reload status=ok" in log, log


def dev_log(t):
    """Without log.socket, alert lines go through syslog(3) to /dev/log."""
    t.pg.reset()
    recv = jwtest.Syslog(path="/dev/log")
    try:
        jwtest.write_config(t.conf, t.pg.conninfo(), [("acme", "greenhouse",
                                                        t.http.base + "/acme")],
                            alerts='{ name = "all"; }')
        t.http.routes({"/acme": {"body": gh_board([gh_job(1, "One")])}})
        t.once()
        t.http.routes({"/acme": {"body": gh_board([gh_job(1, "One"), gh_job(2, "Two")])}})
        t.once()
        alerts = recv.alerts()
        eq(len(alerts), 1, "one alert through /dev/log")
        assert alerts[0].startswith("alert rule=all event=new source=acme id=2 "), alerts
    finally:
        recv.stop()


def main():
    s = jwtest.Suite()
    t = E2E()
    try:
        s.run("lifecycle: baseline, miss, close after two, reopen, changes", lifecycle, t)
        s.run("pay and alert lines", pay_and_alert_lines, t)
        s.run("500, captcha, truncation, timeout, bad JSON, emptied board close nothing",
              failures_close_nothing, t)
        s.run("conditional GET: ETag replayed, 304 counts as unchanged", conditional_get, t)
        s.run("lever salaryRange and json-ld pages", lever_and_jsonld, t)
        s.run("sources rows stay in their pages across polls", sources_rows_stay_put, t)
        s.run("first polls written together, each on its own source", first_polls_together,
              t)
        s.run("changed polls written together; a refused board fails only itself",
              changed_polls_together, t)
        s.run("--check-config, --migrate, no database", check_config_and_migrate, t)
        s.run("daemon: ready, reload, reconnect, stop", daemon, t)
        if os.geteuid() == 0 and not os.path.exists("/dev/log"):
            s.run("syslog(3) through /dev/log", dev_log, t)
        else:
            s.skip("syslog(3) through /dev/log", "needs root and no syslog daemon on /dev/log")
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

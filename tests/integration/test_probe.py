#!/usr/bin/env python3
"""jobwatchd --probe against a loopback server (a Greenhouse board polled with --type, a
JSON-LD page recognised from its content, a 500, a page with nothing), and type auto through
--once: the page is read, its board polled and remembered in sources.detected_*, not read
again at the next start, read again when the configured url changes."""
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, eq  # noqa: E402

DUOLINGO = os.path.join(FIXTURES, "greenhouse", "duolingo_hunter_2jobs.json")
SIG = os.path.join(FIXTURES, "schemaorg", "icims_sig_job_jsonld.html")
SIG_TITLE = "Trading System Engineering Internship: Summer 2027"
NONE_MSG = ("no job board recognised on page: no JSON-LD JobPosting, no embedded "
            "Greenhouse/Lever/Ashby board")
HTML = {"Content-Type": "text/html; charset=utf-8"}


def probe(*args):
    p = subprocess.run([jwtest.JOBWATCHD, "--probe", *args], capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def table(out):
    """The rows of the postings table, each split on runs of two or more spaces."""
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("ID "))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def probe_greenhouse(http):
    http.routes({"/gh/board": {"body_file": DUOLINGO}})
    url = http.base + "/gh/board"
    rc, out, err = probe(url, "--type", "greenhouse")
    eq(rc, 0, "exit: " + err)
    assert out.startswith("type:     greenhouse (given with --type)\npolls:    %s\n" % url), out
    eq(table(out), [
        ["8455252002", "Business Development Manager", "London, England",
         "GBP 81999-110940/year"],
        ["8576434002", "Corporate Counsel", "Pittsburgh, PA", "USD 153000-207000/year"],
    ], "table")
    assert "\npostings=2 pages=1 dropped=0\n" in out, out
    assert out.endswith('config:\nsources = (\n\t{ name = "source"; type = "greenhouse"; '
                        'url = "%s"; }\n);\n' % url), out
    eq(err, "", "stderr")


def probe_jsonld_page(http):
    http.routes({"/careers/sig": {"headers": HTML, "body_file": SIG}})
    url = http.base + "/careers/sig"
    rc, out, err = probe(url)
    eq(rc, 0, "exit: " + err)
    assert out.startswith("type:     jsonld (found in the page)\npolls:    %s\n" % url), out
    rows = table(out)
    eq(len(rows), 1, "rows")
    # the id is the posting's canonical link (no identifier), cut to the column
    assert rows[0][0].startswith("https://careers-sig.icims.com/jobs/"), rows
    eq(rows[0][1:3], [SIG_TITLE, "Hong Kong, HK"], "title and location")
    assert "\npostings=1 pages=1 dropped=0\n" in out, out
    assert 'type = "jsonld"; url = "%s"; }' % url in out, out
    # the page is read twice: once to recognise it, once by the jsonld adapter
    eq([r["path"] for r in http.requests() if r["path"] == "/careers/sig"],
       ["/careers/sig"] * 2, "requests")


def probe_failures(http):
    http.routes({"/gh/down": {"status": 500, "body": "oops"},
                 "/plain": {"headers": HTML, "body": "<html><p>We are hiring!</p></html>"},
                 "/gh/empty": {"body": '{"jobs": [], "meta": {"total": 0}}'},
                 "/gh/wrong": {"body": '[1, 2]'}})
    rc, out, err = probe(http.base + "/gh/down", "--type", "greenhouse")
    eq(rc, 1, "500 exit")
    eq(err, "jobwatchd: %s/gh/down: HTTP 500\n" % http.base, "500 message")
    rc, out, err = probe(http.base + "/plain")
    eq((rc, out), (1, ""), "nothing recognised")
    eq(err, "jobwatchd: %s/plain: %s\n" % (http.base, NONE_MSG), "nothing message")
    rc, out, err = probe(http.base + "/gh/empty", "--type", "greenhouse")
    eq(rc, 1, "empty board exit")
    assert "postings=0 pages=1 dropped=0" in out and "no postings" in err, (out, err)
    rc, out, err = probe(http.base + "/gh/wrong", "--type", "greenhouse")
    eq(rc, 1, "wrong envelope exit")
    assert "postings=0 pages=0 dropped=0 complete=false" in out, out
    assert err.startswith("jobwatchd: %s/gh/wrong: " % http.base), err
    rc, out, err = probe(http.base + "/gh/board", "--type", "nosuch")
    eq(rc, 1, "unknown type exit")
    assert "no adapter for type nosuch" in err, err
    p = subprocess.run([jwtest.JOBWATCHD, "--type", "greenhouse"], capture_output=True,
                       text=True)
    eq(p.returncode, 2, "--type without --probe")


def probe_partial(http):
    """A paging board served by a server that ignores start (the real FCX Eightfold payload,
    count 3 beside positions of its own): the probe reads two pages, lists what it read, and
    says the walk is partial, as the daemon would store it."""
    http.routes({"/ef/jobs": {"body_file": os.path.join(FIXTURES, "eightfold",
                                                        "fcx_apply_v2_jobs.json")}})
    rc, out, err = probe(http.base + "/ef/jobs", "--type", "eightfold")
    eq(rc, 0, "partial walk exit:\n" + err)
    assert "pages=2 dropped=0 complete=false" in out, out
    assert "partial: the tenant repeats pages" in out, out
    eq(len(table(out)), 3, "postings listed")


def write_auto_config(path, pg, sources):
    """sources: (name, url) without a type: auto is the default."""
    with open(path, "w") as f:
        f.write('database: { conninfo = "%s"; };\npoll: { timeout = 5; };\n' % pg.conninfo())
        f.write("sources = (\n%s\n);\n" % ",\n".join(
            '  { name = "%s"; url = "%s"; }' % s for s in sources))


def auto_once(pg, http, conf):
    pg.reset()
    http.routes({"/careers/sig": {"headers": HTML, "body_file": SIG},
                 "/careers/sig2": {"headers": HTML, "body_file": SIG},
                 "/plain": {"headers": HTML, "body": "<html><p>We are hiring!</p></html>"}})
    write_auto_config(conf, pg, [("sig", http.base + "/careers/sig")])
    before = len(http.requests())
    rc, err = jwtest.run_once(conf)
    eq(rc, 0, "first --once: " + err)
    assert "detect source=sig type=jsonld url=%s/careers/sig" % http.base in err, err
    eq(pg.query("SELECT type, detected_type, detected_url, detected_at IS NOT NULL "
                "FROM sources WHERE name = 'sig'"),
       [["auto", "jsonld", http.base + "/careers/sig", "t"]], "detection stored")
    eq(pg.query("SELECT title, location FROM open_postings WHERE source = 'sig'"),
       [[SIG_TITLE, "Hong Kong, HK"]], "posting stored")
    eq(len(http.requests()) - before, 2, "requests: the page read, then polled")

    before = len(http.requests())
    rc, err = jwtest.run_once(conf)
    eq(rc, 0, "second --once: " + err)
    assert "detect " not in err, err
    eq(len(http.requests()) - before, 1, "requests at the next start: the poll only")
    eq(pg.value("SELECT outcome FROM polls ORDER BY id DESC LIMIT 1"), "unchanged", "outcome")

    # a new url in the config: the page is read again
    write_auto_config(conf, pg, [("sig", http.base + "/careers/sig2")])
    before = len(http.requests())
    rc, err = jwtest.run_once(conf)
    eq(rc, 0, "--once after the url changed: " + err)
    eq(len(http.requests()) - before, 2, "requests after the url changed")
    eq(pg.value("SELECT detected_url FROM sources WHERE name = 'sig'"),
       http.base + "/careers/sig2", "detected again")

    # nothing on the page: the poll fails and says why; nothing is remembered
    write_auto_config(conf, pg, [("plain", http.base + "/plain")])
    rc, err = jwtest.run_once(conf)
    eq(rc, 1, "--once with nothing to find")
    eq(pg.query("SELECT p.outcome, p.error, s.detected_type IS NULL FROM polls p "
                "JOIN sources s ON s.id = p.source_id WHERE s.name = 'plain'"),
       [["failed", NONE_MSG, "t"]], "failed poll")


def probe_escapes(http):
    """Issue 21.12: a server's Location (or anything a server or page says) reaches the
    terminal with its control characters escaped, never as escape sequences."""
    http.routes({"/loc": {"redirect": "ftp://evil.example/\x1b]0;owned\x07\x1b[2J\xc2\x9b"}})
    rc, out, err = probe(http.base + "/loc", "--type", "greenhouse")
    eq(rc, 1, "exit")
    assert "\x1b" not in err and "\x07" not in err and "\x9b" not in err, repr(err)
    assert "refused" in err and "\\x1b" in err, repr(err)
    # a posting id a page made up, in the line about its detail that failed
    rid = "7\x1b]0;owned\x07"
    http.routes({
        "/sr": {"body": json.dumps({"offset": 0, "limit": 100, "totalFound": 1,
                                    "content": [{"id": rid, "name": "Role"}]}),
                "headers": {"Content-Type": "application/json"}},
        "/sr/" + urllib.parse.quote(rid, safe=""): {
            "body": "[]", "headers": {"Content-Type": "application/json"}}})
    rc, out, err = probe(http.base + "/sr", "--type", "smartrecruiters")
    eq(rc, 0, "exit")
    assert "\x1b" not in out + err and "\x07" not in out + err, repr(out + err)
    assert "detail of 7\\x1b]0;owned\\x07: expected" in err, repr(err)


def main():
    s = jwtest.Suite()
    http = jwtest.HttpServer()
    pg = None
    d = jwtest.tmpdir("jobwatch-probe-")
    try:
        s.run("--probe --type greenhouse: table, pay, totals, snippet", probe_greenhouse, http)
        s.run("--probe on a JSON-LD page: recognised from the page", probe_jsonld_page, http)
        s.run("--probe: 500, nothing recognised, empty, wrong envelope, unknown type",
              probe_failures, http)
        s.run("--probe escapes what a server says", probe_escapes, http)
        pg = jwtest.Postgres()
        s.run("--probe of a server that repeats a page: partial, listed", probe_partial, http)
        s.run("type auto --once: detected, stored, remembered, re-detected, failing",
              auto_once, pg, http, os.path.join(d, "jobwatch.conf"))
    finally:
        http.stop()
        if pg:
            pg.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

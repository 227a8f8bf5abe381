#!/usr/bin/env python3
"""The paging adapters end to end: jobwatchd --once walks a Workday tenant (POSTed offsets) and
an Eightfold tenant (start moved by what came back) served on loopback from pages built out of
the real fixtures, against a real PostgreSQL and a syslog receiver. Asserts the rows an operator
would read, the requests that went out, and that a tenant repeating a page fails the poll and
closes nothing."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, eq  # noqa: E402

WD_PATH = "/wday/cxs/acme/Careers/jobs"
EF_PATH = "/api/apply/v2/jobs"
EF_QUERY = "?domain=netflix.com&start=%d&num=10"


def fixture(kind, name):
    with open(os.path.join(FIXTURES, kind, name)) as f:
        return json.load(f)


def wd_rows():
    """Every real row of the three Workday search pages: 10 + 2 + 4."""
    rows = []
    for name in ("nvidia_cxs_jobs_page1_with_facets.json", "salesforce_cxs_jobs_trimmed.json",
                 "cxs_jobs_4postings.json"):
        rows += fixture("workday", name)["jobPostings"]
    return rows


def wd_row(n):
    return {"title": "Role %d" % n, "externalPath": "/job/Boston/Role-%d_R9%03d" % (n, n),
            "locationsText": "Boston", "postedOn": "Posted Today", "bulletFields": ["R9%03d" % n]}


def wd_page(rows, total):
    return json.dumps({"total": total, "jobPostings": rows, "facets": [],
                       "userAuthenticated": False})


def wd_routes(pages):
    """POSTs to the one CXS path, told apart by the offset in their body."""
    return {WD_PATH: {"match_body": [['"offset":%d,' % (20 * i), {"body": body}]
                                     for i, body in enumerate(pages)]}}


def ef_position(n, title, desc=""):
    pid = 790301000000 + n
    return {"id": pid, "name": title, "posting_name": title, "location": "Los Gatos,California",
            "locations": ["Los Gatos,California"], "department": "Data Science and Engineering",
            "job_description": desc, "t_update": 1781711697,
            "canonicalPositionUrl": "https://explore.jobs.netflix.net/careers/job/%d" % pid}


ML_DESC = ("<p>Build recommendation models.</p><p>The overall market range for roles in this "
           "area of Netflix is typically $300,000 - $900,000.</p>")


def ef_routes(pages):
    """pages: (start, body) pairs, one route per exact query."""
    return {EF_PATH + EF_QUERY % start: {"body": body} for start, body in pages}


class T(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-paging-")

    def config(self, sources, alerts="", poll=""):
        # the walks are the subject here; detail reads are test_details.py's
        jwtest.write_config(self.conf, self.pg.conninfo(), sources, alerts,
                            "max_details = 0; " + poll, log_socket=self.log.path)

    def last_poll(self, source):
        return self.pg.query("SELECT p.outcome, coalesce(p.error, ''), coalesce(p.pages, 0) "
                             "FROM polls p JOIN sources s ON s.id = p.source_id WHERE s.name = "
                             "'%s' ORDER BY p.id DESC LIMIT 1" % source)[0]


def workday_walk(t):
    """Two POSTed pages (20 rows, then 3; the second claims total 0) become 23 postings with
    the public job links; the requests carry the JSON body and content type."""
    t.pg.reset()
    rows = wd_rows() + [wd_row(n) for n in range(1, 5)]
    t.http.routes(wd_routes([wd_page(rows, 23), wd_page([wd_row(n) for n in range(5, 8)], 0)]))
    t.config([("acme", "workday", t.http.base + WD_PATH)])
    before = len(t.http.requests())
    t.once()
    reqs = [r for r in t.http.requests()[before:] if r["path"] == WD_PATH]
    eq([(r["method"], r["content_type"]) for r in reqs], [("POST", "application/json")] * 2,
       "two POSTs")
    eq([json.loads(r["body"]) for r in reqs],
       [{"appliedFacets": {}, "limit": 20, "offset": o, "searchText": ""} for o in (0, 20)],
       "POST bodies")
    eq(t.last_poll("acme"), ["complete", "", "2"], "poll")
    eq(t.open_count("acme"), 23, "postings")
    eq(t.pg.query("SELECT title, location, url FROM open_postings WHERE external_id = "
                  "'JR354232'"),
       # "3 Locations" is a count, not a place: the posting's detail names them
       [["Solution Architect / Senior Solution Architect - PubSec - SLED/NGO", "",
         t.http.base + "/Careers/job/Virginia---Washington-DC-Metro---Remote/Solution-Architect"
         "---Senior-Solution-Architect---PubSec---SLED-NGO_JR354232"]], "salesforce row")
    eq(t.pg.query("SELECT title, url FROM open_postings WHERE external_id = 'JR2023203-1'"),
       [["Senior Site Reliability Engineer in Test, SDET", t.http.base + "/Careers/job/China-"
         "Shanghai/Senior-Site-Reliability-Engineer-in-Test--SDET_JR2023203-1"]], "nvidia row")
    eq(t.pg.value("SELECT title FROM open_postings WHERE external_id = 'R1066-5'"),
       "Quantitative Researcher", "a requisition's second posting keeps its own id")
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE source = 'acme' AND "
                  "(url IS NULL OR pay_min IS NOT NULL OR pay_max IS NOT NULL)"), "0", "every row has a link and no pay")


def workday_repeats(t):
    """A tenant that ignores offset answers page 1 again: the walk ends there as partial, says
    why, keeps what page 1 holds, and closes nothing, however many times it happens."""
    rows = wd_rows() + [wd_row(n) for n in range(1, 5)]
    first = wd_page(rows, 23)
    t.http.routes({WD_PATH: {"body": first}})  # every offset gets page 1
    for _ in range(3):  # close_after is 2: a third incomplete walk must still close nothing
        t.once()
        outcome, error, _ = t.last_poll("acme")
        eq(outcome, "partial", "outcome")
        assert "repeats pages" in error, error
    eq(t.open_count("acme"), 23, "nothing closed")
    eq(t.pg.value("SELECT max(misses) FROM postings"), "0", "no misses counted")
    eq(t.pg.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "no closed event")


def eightfold_walk(t):
    """7 of num=10 come back, so the next page starts at 7; count 12 from page 1 ends the walk
    (page 2's count of 999 is ignored). Real positions from two tenants plus Netflix-shaped
    ones; pay in a description is found; the shipped ml-openings rule raises the alert line
    for a new Netflix ML opening."""
    t.pg.reset()
    t.log.clear()
    real = (fixture("eightfold", "fcx_apply_v2_jobs.json")["positions"] +
            fixture("eightfold", "albemarle_apply_v2_jobs_trimmed.json")["positions"])
    page1 = real + [ef_position(1, "Machine Learning Scientist", ML_DESC),
                    ef_position(2, "Content Producer")]
    page2 = [ef_position(n, "Role %d" % n) for n in range(3, 8)]
    t.http.routes(ef_routes([(0, json.dumps({"count": 12, "positions": page1})),
                             (7, json.dumps({"count": 999, "positions": page2}))]))
    t.config([("netflix", "eightfold", t.http.base + EF_PATH + "?domain=netflix.com")],
             alerts=jwtest.shipped_ml_rule())
    before = len(t.http.requests())
    t.once()
    eq([r["path"] for r in t.http.requests()[before:]],
       [EF_PATH + EF_QUERY % 0, EF_PATH + EF_QUERY % 7], "requests")
    eq(t.last_poll("netflix"), ["complete", "", "2"], "poll")
    eq(t.open_count("netflix"), 12, "postings")
    eq(t.pg.query("SELECT title, department, location, url FROM open_postings WHERE "
                  "external_id = '42478672'"),
       [["Manager Engineering - Electrical", "Engineering Services", "New Orleans, LA USA 70112",
         "https://talent.fmjobs.com/careers/job/42478672"]], "fcx position")
    eq(t.pg.value("SELECT location FROM open_postings WHERE external_id = '1099555326551'"),
       "Charlotte, North Carolina, United States of America; Magnolia, Arkansas, United States "
       "of America", "albemarle locations")
    eq(t.pg.query("SELECT title, pay_min::bigint, pay_max::bigint, pay_currency, url FROM "
                  "open_postings WHERE external_id = '790301000001'"),
       [["Machine Learning Scientist", "300000", "900000", "USD",
         "https://explore.jobs.netflix.net/careers/job/790301000001"]], "pay from the text")
    eq(t.log.alerts(), [], "the baseline raises no alert")

    page2.append(ef_position(8, "Senior Machine Learning Engineer, Ads"))
    t.http.routes(ef_routes([(0, json.dumps({"count": 13, "positions": page1})),
                             (7, json.dumps({"count": 13, "positions": page2}))]))
    t.once()
    eq(t.open_count("netflix"), 13, "postings after the new one")
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one alert")
    assert alerts[0].startswith("alert rule=ml-openings event=new source=netflix id=790301000008 "
                                'title="Senior Machine Learning Engineer, Ads"'), alerts[0]


def eightfold_page1_etag(t):
    """Page 1 answers 304 to its ETag while page 2 changed: a 304 for page 1 says nothing of
    the pages after it, so the walk must go on (a new posting on page 2 is seen, a removed one
    is missed)."""
    t.pg.reset()
    page1 = [ef_position(n, "Role %d" % n) for n in range(1, 11)]
    page2 = [ef_position(n, "Role %d" % n) for n in range(11, 14)]
    t.config([("netflix", "eightfold", t.http.base + EF_PATH + "?domain=netflix.com")])
    routes = ef_routes([(0, json.dumps({"count": 13, "positions": page1})),
                        (10, json.dumps({"count": 13, "positions": page2}))])
    routes[EF_PATH + EF_QUERY % 0]["etag"] = '"p1"'
    t.http.routes(routes)
    t.once()
    eq(t.open_count("netflix"), 13, "baseline")
    page2[2] = ef_position(14, "Role 14")
    routes[EF_PATH + EF_QUERY % 10] = {"body": json.dumps({"count": 13, "positions": page2})}
    t.http.routes(routes)
    before = len(t.http.requests())
    t.once()
    eq([r["path"] for r in t.http.requests()[before:]],
       [EF_PATH + EF_QUERY % 0, EF_PATH + EF_QUERY % 10], "both pages fetched")
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE external_id = '790301000014'"), "1",
       "the posting new on page 2")
    eq(t.pg.value("SELECT misses FROM postings WHERE external_id = '790301000013'"), "1",
       "the posting gone from page 2 is missed")


def eightfold_repeats(t):
    """A tenant that ignores start sends page 1 for start=7 too: partial, nothing closed."""
    body = json.dumps({"count": 13, "positions": [ef_position(n, "Role %d" % n)
                                                  for n in range(1, 8)]})
    t.http.routes({EF_PATH: {"body": body}})  # every query gets the same page
    for _ in range(2):
        t.once()
        outcome, error, _ = t.last_poll("netflix")
        eq(outcome, "partial", "outcome")
        assert "repeats pages" in error, error
    eq(t.open_count("netflix"), 13, "nothing closed")
    eq(t.pg.value("SELECT count(*) FROM events WHERE kind = 'closed'"), "0", "no closed event")


def ceiling_and_gap(t):
    """Pages of one board are asked for page_gap apart; a walk longer than max_pages is a
    partial poll whose polls row says it stopped at the ceiling: the pages it read are stored,
    nothing is closed or missed."""
    t.pg.reset()
    pages = [(start, json.dumps({"count": 30, "positions": [
        ef_position(n, "Role %d" % n) for n in range(start + 1, start + 11)]}))
        for start in (0, 10, 20)]
    t.http.routes(ef_routes(pages))
    src = [("netflix", "eightfold", t.http.base + EF_PATH + "?domain=netflix.com")]
    t.config(src, poll="max_pages = 2; page_gap = 400;")
    before = len(t.http.requests())
    t.once()
    eq(t.pg.query("SELECT outcome, stop, pages FROM polls ORDER BY id DESC LIMIT 1")[0],
       ["partial", "ceiling", "2"], "the poll at the ceiling")
    eq(t.open_count("netflix"), 20, "the two pages read are stored")
    eq(len(t.http.requests()[before:]), 2, "requests up to the ceiling")
    t.config(src, poll="max_pages = 5; page_gap = 400;")
    before = len(t.http.requests())
    t.once()
    reqs = t.http.requests()[before:]
    eq(len(reqs), 3, "requests of the whole walk")
    gaps = [b["t"] - a["t"] for a, b in zip(reqs, reqs[1:])]
    assert min(gaps) >= 0.38, "pages %r s apart, page_gap = 400 ms" % gaps
    eq(t.pg.query("SELECT outcome, stop, pages FROM polls ORDER BY id DESC LIMIT 1")[0],
       ["complete", "complete", "3"], "the whole walk")
    eq(t.open_count("netflix"), 30, "postings of the whole walk")


def main():
    s = jwtest.Suite()
    t = T()
    try:
        s.run("workday: POSTed pages, first total, public links", workday_walk, t)
        s.run("workday: a repeating tenant fails the poll and closes nothing", workday_repeats, t)
        s.run("eightfold: start by returned count, count from page 1, ML alert", eightfold_walk,
              t)
        s.run("eightfold: a repeating tenant fails the poll and closes nothing",
              eightfold_repeats, t)
        s.run("a 304 for page 1 does not end a walk of several pages", eightfold_page1_etag, t)
        s.run("page_gap between pages; max_pages stops a walk as 'ceiling'", ceiling_and_gap, t)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

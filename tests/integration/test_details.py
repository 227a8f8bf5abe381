#!/usr/bin/env python3
"""Detail reads end to end: tenants whose list pages carry no description (Eightfold classic and
PCSX, Workday, SmartRecruiters), served on loopback in their real URL forms, whose detail
endpoints answer with the real detail payloads of tests/fixtures/detail (a posting's own copy
changes only its id, title and, where a test says so, its pay sentence). jobwatchd --once runs
against a real PostgreSQL and a syslog receiver. Asserts what an operator checks: every posting
has its pay after the first poll (within the budget), the baseline alerts nothing, an unchanged
board makes no detail request, a new ML posting gives one alert line with its pay, a changed
range one pay_changed with both ranges, and a detail that fails closes nothing and fails no
poll."""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, eq  # noqa: E402

DETAIL = os.path.join(FIXTURES, "detail")


def load(rel):
    with open(os.path.join(DETAIL, rel)) as f:
        return json.load(f)


class System:
    """One detail-reading system: its list and detail routes on the test server.

    A posting is (n, title, variant): variant picks the real payload (and so the pay) its
    detail answers with, or a changed copy of it."""

    def __init__(self, name, ptype, url_path, pays):
        self.name, self.type, self.url_path = name, ptype, url_path
        self.pays = pays  # variant -> the summary pay text the payload states ("" for none)


class Eightfold(System):
    PATH = "/api/apply/v2/jobs"

    def __init__(self):
        super().__init__("netflix", "eightfold", self.PATH + "?domain=netflix.com",
                         {"pay": "USD 600000-1066000/year", "none": "",
                          "raised": "USD 650000-1100000/year"})

    def pid(self, n):
        return 790300000000 + n

    def body(self, n, title, variant):
        if variant == "none":
            d = load("eightfold/netflix_apply_v2_detail_790317336766_trimmed.json")
        else:
            d = load("eightfold/netflix_apply_v2_detail_790298014263.json")
        d = copy.deepcopy(d)
        d["id"], d["name"] = self.pid(n), title
        if variant == "raised":
            d["job_description"] = d["job_description"].replace(
                "$600,000.00 - $1,066,000.00", "$650,000.00 - $1,100,000.00")
            assert "650,000" in d["job_description"]
        return json.dumps(d)

    def row(self, n, title, t_update=1781711697):
        return {"id": self.pid(n), "name": title, "location": "Los Gatos,California",
                "department": "Data Science and Engineering", "job_description": "",
                "t_update": t_update,
                "canonicalPositionUrl": "https://explore.jobs.netflix.net/careers/job/%d"
                % self.pid(n)}

    def routes(self, postings, t_updates=None):
        rows = [self.row(n, title, (t_updates or {}).get(n, 1781711697))
                for n, title, _ in postings]
        r = {}
        for start in range(0, max(len(rows), 1), 10):
            r[self.PATH + "?domain=netflix.com&start=%d&num=10" % start] = {
                "body": json.dumps({"count": len(rows), "positions": rows[start:start + 10]})}
        for n, title, variant in postings:
            r[self.detail_path(n)] = {"body": self.body(n, title, variant)}
        return r

    def detail_path(self, n):
        return self.PATH + "/%d?domain=netflix.com" % self.pid(n)

    def ext_id(self, n):
        return str(self.pid(n))


class Pcsx(Eightfold):
    PATH = "/api/pcsx/search"

    def __init__(self):
        System.__init__(self, "microsoft", "eightfold", self.PATH + "?domain=microsoft.com",
                        {"pay": "GBP 74700-122600/year", "none": "",
                         "raised": "GBP 80000-130000/year"})

    def pid(self, n):
        return 1970393557000000 + n

    def body(self, n, title, variant):
        if variant == "none":
            d = load("eightfold/netflix_apply_v2_detail_790317336766_trimmed.json")
            d = {"status": 200, "error": {}, "data": {
                "id": self.pid(n), "name": title, "jobDescription": d["job_description"]}}
            return json.dumps(d)
        d = copy.deepcopy(load("eightfold/microsoft_pcsx_position_details_1970393557002726.json"))
        d["data"]["id"], d["data"]["name"] = self.pid(n), title
        if variant == "raised":
            desc = d["data"]["jobDescription"]
            d["data"]["jobDescription"] = desc.replace("74,700.00", "80,000.00").replace(
                "122,600.00", "130,000.00")
            assert "80,000.00" in d["data"]["jobDescription"]
        return json.dumps(d)

    def routes(self, postings, t_updates=None):
        rows = [{"id": self.pid(n), "displayJobId": str(n), "name": title,
                 "locations": ["United Kingdom, London, London"],
                 "department": "Electrical Engineering",
                 "postedTs": (t_updates or {}).get(n, 1790238657),
                 "positionUrl": "/careers/job/%d" % self.pid(n)}
                for n, title, _ in postings]
        r = {}
        for start in range(0, max(len(rows), 1), 10):
            r[self.PATH + "?domain=microsoft.com&start=%d" % start] = {"body": json.dumps(
                {"status": 200, "error": {},
                 "data": {"positions": rows[start:start + 10], "count": len(rows)}})}
        for n, title, variant in postings:
            r[self.detail_path(n)] = {"body": self.body(n, title, variant)}
        return r

    def detail_path(self, n):
        return "/api/pcsx/position_details?position_id=%d&domain=microsoft.com" % self.pid(n)


class Workday(System):
    CXS = "/wday/cxs/acme/Careers"

    def __init__(self):
        super().__init__("acme-wd", "workday", self.CXS + "/jobs",
                         {"pay": "USD 52900-108000/year", "none": "",
                          "raised": "USD 60000-120000/year"})

    def path_of(self, n, title):
        return "/job/Boston-MA/Role-%d_R%04d" % (n, n)

    def body(self, n, title, variant):
        name = ("fidelity_myworkdaysite_cxs_detail_2135674.json" if variant == "none"
                else "boozallen_cxs_detail_R0249565.json")
        d = copy.deepcopy(load("workday/" + name))
        d["jobPostingInfo"]["title"] = title
        if variant == "raised":
            desc = d["jobPostingInfo"]["jobDescription"]
            d["jobPostingInfo"]["jobDescription"] = desc.replace("$52,900.00", "$60,000.00") \
                .replace("$108,000.00", "$120,000.00")
            assert "$60,000.00" in d["jobPostingInfo"]["jobDescription"]
        return json.dumps(d)

    def routes(self, postings, t_updates=None):
        rows = [{"title": title, "externalPath": self.path_of(n, title),
                 "locationsText": "2 Locations", "postedOn": "Posted Today",
                 "bulletFields": ["R%04d" % n]} for n, title, _ in postings]
        pages = []
        for off in range(0, max(len(rows), 1), 20):
            pages.append(['"offset":%d,' % off, {"body": json.dumps(
                {"total": len(rows), "jobPostings": rows[off:off + 20], "facets": []})}])
        r = {self.CXS + "/jobs": {"match_body": pages}}
        for n, title, variant in postings:
            r[self.detail_path(n)] = {"body": self.body(n, title, variant)}
        return r

    def detail_path(self, n):
        return self.CXS + self.path_of(n, None)

    def ext_id(self, n):
        return "R%04d" % n


class SmartRecruiters(System):
    PATH = "/v1/companies/acme/postings"

    def __init__(self):
        super().__init__("acme-sr", "smartrecruiters", self.PATH,
                         {"pay": "USD 20-22/hour", "none": "", "raised": "USD 24-27/hour"})

    def pid(self, n):
        return 3743990015500000 + n

    def body(self, n, title, variant):
        name = ("servicenow_posting_detail_744000153504297.json" if variant == "none"
                else "guidehealth_posting_detail_3743990015568355_trimmed.json")
        d = copy.deepcopy(load("smartrecruiters/" + name))
        d["id"], d["name"] = str(self.pid(n)), title
        if variant == "raised":
            sec = d["jobAd"]["sections"]["additionalInformation"]
            sec["text"] = sec["text"].replace("$20 - $22", "$24 - $27")
            assert "$24 - $27" in sec["text"]
        return json.dumps(d)

    def routes(self, postings, t_updates=None):
        rows = [{"id": str(self.pid(n)), "name": title, "refNumber": "REF%d" % n,
                 "company": {"identifier": "acme", "name": "Acme"},
                 "releasedDate": (t_updates or {}).get(n, "2026-09-22T16:21:42.578Z"),
                 "location": {"city": "Dallas", "region": "TX", "country": "us"},
                 "function": {"id": "x", "label": "Health Care Provider"}}
                for n, title, _ in postings]
        r = {self.PATH + "?offset=0&limit=100": {"body": json.dumps(
            {"offset": 0, "limit": 100, "totalFound": len(rows), "content": rows})}}
        for n, title, variant in postings:
            r[self.detail_path(n)] = {"body": self.body(n, title, variant)}
        return r

    def detail_path(self, n):
        return self.PATH + "/%d" % self.pid(n)

    def ext_id(self, n):
        return str(self.pid(n))


class T(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-details-")

    def config(self, sysm, poll="page_gap = 0;", alerts=None):
        jwtest.write_config(self.conf, self.pg.conninfo(),
                            [(sysm.name, sysm.type, self.http.base + sysm.url_path)],
                            jwtest.shipped_ml_rule() if alerts is None else alerts, poll,
                            log_socket=self.log.path)

    def poll(self, sysm, postings, **kw):
        """One --once poll of the board; the detail requests it made."""
        self.http.routes(sysm.routes(postings, kw.get("t_updates")))
        before = len(self.http.requests())
        self.once()
        return [r["path"] for r in self.http.requests()[before:]
                if r["method"] == "GET" and "start=" not in r["path"]
                and "offset=" not in r["path"]]

    def pays(self, sysm):
        return dict(self.pg.query("SELECT external_id, pay FROM open_postings WHERE source = "
                                  "'%s'" % sysm.name))


def board(n_paid, n_none, start=1):
    out = [(start + i, "Role %d" % (start + i), "pay") for i in range(n_paid)]
    out += [(start + n_paid + i, "Role %d" % (start + n_paid + i), "none")
            for i in range(n_none)]
    return out


def lifecycle(t, sysm):
    """Baseline with pay, unchanged board without detail requests, a new ML posting alerted
    once with its pay, a changed range one pay_changed with both ranges."""
    t.pg.reset()
    t.log.clear()
    t.config(sysm)
    postings = board(3, 2)
    got = t.poll(sysm, postings)
    eq(sorted(got), sorted(sysm.detail_path(n) for n, _, _ in postings), "detail requests")
    want = {sysm.ext_id(n): sysm.pays[v] for n, _, v in postings}
    eq(t.pays(sysm), want, "pay of every posting after the first poll")
    eq(t.pg.value("SELECT count(*) FROM postings WHERE NOT pay_known"), "0", "no unknown pay")
    eq(t.log.alerts(), [], "the baseline raises no alert")
    eq(t.pg.value("SELECT outcome FROM polls ORDER BY id DESC LIMIT 1"), "complete", "poll")

    eq(t.poll(sysm, postings), [], "an unchanged board reads no detail")

    ml = (9, "Senior Machine Learning Engineer", "pay")
    postings.append(ml)
    got = t.poll(sysm, postings)
    eq(got, [sysm.detail_path(9)], "only the new posting's detail")
    # what the detail reads wrote (pay, digest, a department the list lacks) is no change of
    # the list's rows: each posting keeps the fingerprint of its list row
    eq(t.pg.value("SELECT count(*) FILTER (WHERE row_fingerprint IS NULL) || '/' || count(*)"
                  " FROM postings"), "0/%d" % len(postings), "postings without a fingerprint")
    alerts = t.log.alerts()
    eq(len(alerts), 1, "one alert line: %r" % alerts)
    assert ("event=new source=%s id=%s " % (sysm.name, sysm.ext_id(9))) in alerts[0], alerts[0]
    assert ('pay="%s"' % sysm.pays["pay"]) in alerts[0], alerts[0]

    # the range of posting 1 is raised; its list row says so (t_update) or, for a list
    # without such a mark, the refresh is due
    t.log.clear()
    postings[0] = (1, "Role 1", "raised")
    if sysm.type == "workday":
        t.pg.query("UPDATE postings SET detail_read_at = now() - interval '9 days' "
                   "WHERE external_id = '%s'" % sysm.ext_id(1))
        got = t.poll(sysm, postings)
    else:
        mark = "2026-10-01T00:00:00.000Z" if sysm.type == "smartrecruiters" else 1790000000
        got = t.poll(sysm, postings, t_updates={1: mark})
    eq(got, [sysm.detail_path(1)], "the changed posting's detail alone")
    ev = t.pg.query("SELECT old_value, new_value FROM events WHERE kind = 'pay_changed'")
    eq(ev, [[sysm.pays["pay"], sysm.pays["raised"]]], "one pay_changed with both ranges")
    eq(t.pg.value("SELECT count(*) FROM events WHERE kind = 'pay_changed' AND NOT baseline"),
       "1", "pay_changed events")


def budget(t, sysm):
    """A board bigger than max_details gets its pay in ceil(n / max_details) polls; new
    postings first."""
    t.pg.reset()
    t.config(sysm, poll="page_gap = 0; max_details = 3;")
    postings = board(7, 0)
    for i, want_known in ((1, 3), (2, 6), (3, 7)):
        got = t.poll(sysm, postings)
        eq(len(got), min(3, 7 - (i - 1) * 3), "detail requests of poll %d" % i)
        eq(t.pg.value("SELECT count(*) FROM postings WHERE pay_known"), str(want_known),
           "postings with pay after poll %d" % i)
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE pay = 'unknown'"), "0", "view")
    eq(t.poll(sysm, postings), [], "then none")


def failures(t, sysm):
    """404, 500, a timeout, an HTML body and a 429: every poll complete, nothing closed, the
    error recorded, and the postings read at a later poll once the tenant answers."""
    t.pg.reset()
    t.log.clear()
    t.config(sysm, poll="page_gap = 0; timeout = 2;")
    postings = board(6, 0)
    routes = sysm.routes(postings)
    routes[sysm.detail_path(1)] = {"status": 404, "body": "{\"message\": \"not found\"}"}
    routes[sysm.detail_path(2)] = {"status": 500, "body": "oops"}
    routes[sysm.detail_path(3)] = {"delay": 4, "body": "{}"}
    routes[sysm.detail_path(4)] = {"body": "<html><body>Please wait</body></html>",
                                   "headers": {"Content-Type": "text/html"}}
    t.http.routes(routes)
    t.once()
    eq(t.pg.value("SELECT count(*) FROM open_postings"), "6", "nothing closed")
    eq(t.pg.value("SELECT string_agg(outcome, ',') FROM polls"), "complete", "the poll")
    errs = dict(t.pg.query("SELECT external_id, detail_error FROM postings WHERE detail_error "
                           "IS NOT NULL"))
    assert errs.get(sysm.ext_id(1), "").startswith("HTTP 404"), errs
    eq(errs.get(sysm.ext_id(2)), "HTTP 500", "500 recorded")
    assert sysm.ext_id(3) in errs and sysm.ext_id(4) in errs, errs
    eq(t.pg.value("SELECT count(*) FROM postings WHERE pay_known"), "2", "two read")

    # the tenant recovers, but answers 429 to the first detail: no more details this poll
    routes = sysm.routes(postings)
    first = sorted([sysm.detail_path(2), sysm.detail_path(3), sysm.detail_path(4)])
    for p in first:
        routes[p] = {"status": 429, "headers": {"Retry-After": "1"}, "body": "slow down"}
    t.http.routes(routes)
    before = len(t.http.requests())
    t.once()
    details = [r for r in t.http.requests()[before:] if r["path"] in first]
    eq(len(details), 1, "one detail request, then the 429 ends them")
    eq(t.pg.value("SELECT count(*) FROM polls WHERE outcome NOT IN ('complete', 'unchanged')"),
       "0", "no poll failed")
    eq(t.pg.value("SELECT count(*) FROM open_postings"), "6", "nothing closed")

    import time
    time.sleep(1.2)  # Retry-After
    got = t.poll(sysm, postings)
    eq(sorted(got), first, "the rest read at the next poll (404 waits for the refresh)")
    eq(t.pg.value("SELECT count(*) FROM postings WHERE pay_known"), "5", "five read")
    eq(t.pg.value("SELECT count(*) FROM events WHERE kind IN ('closed', 'pay_changed')"), "0",
       "no closed or pay_changed event")
    eq(t.log.alerts(), [], "no alert")


def new_waits(t, sysm):
    """A new posting whose detail fails with a 5xx is alerted after alert_wait, without pay;
    one whose detail is gone (404) at once. Exactly one line each."""
    t.pg.reset()
    t.log.clear()
    t.config(sysm, poll="page_gap = 0; alert_wait = 2;")
    postings = board(2, 0)
    t.poll(sysm, postings)
    postings += [(7, "Machine Learning Researcher", "pay"), (8, "ML Platform Engineer", "pay")]
    routes = sysm.routes(postings)
    routes[sysm.detail_path(7)] = {"status": 503, "body": "busy"}
    routes[sysm.detail_path(8)] = {"status": 404, "body": "gone"}
    t.http.routes(routes)
    t.once()
    alerts = t.log.alerts()
    eq(len(alerts), 1, "the 404 one at once: %r" % alerts)
    assert "id=%s " % sysm.ext_id(8) in alerts[0] and "pay=" not in alerts[0], alerts[0]
    import time
    time.sleep(2.2)
    t.log.clear()
    t.http.routes(routes)
    t.once()
    alerts = t.log.alerts()
    eq(len(alerts), 1, "the 503 one after alert_wait: %r" % alerts)
    assert "id=%s " % sysm.ext_id(7) in alerts[0], alerts[0]
    t.log.clear()
    t.once()
    eq(t.log.alerts(), [], "never twice")


def pcsx_refused(t):
    """A tenant configured by its PCSX search URL that answers "PCSX is not enabled" serves the
    classic interface: the poll goes on there, details included, and the next polls ask for
    classic at once (remembered in sources.detected_url)."""
    t.pg.reset()
    sysm = Eightfold()
    postings = board(3, 0)
    routes = sysm.routes(postings)
    routes["/api/pcsx/search"] = {"status": 403,
                                  "body": '{"message": "PCSX is not enabled for this user."}'}
    t.http.routes(routes)
    jwtest.write_config(t.conf, t.pg.conninfo(), [(sysm.name, "eightfold", t.http.base +
                                                   "/api/pcsx/search?domain=netflix.com")],
                        "", "page_gap = 0;", log_socket=t.log.path)
    before = len(t.http.requests())
    t.once()
    paths = [r["path"] for r in t.http.requests()[before:]]
    eq(sum(1 for p in paths if p.startswith("/api/pcsx/")), 1, "one PCSX request: %r" % paths)
    eq(t.pg.value("SELECT outcome FROM polls ORDER BY id DESC LIMIT 1"), "complete", "poll")
    eq(sorted(t.pays(sysm).values()), [sysm.pays["pay"]] * 3, "pay through classic details")
    eq(t.pg.value("SELECT detected_url FROM sources"),
       t.http.base + "/api/apply/v2/jobs?domain=netflix.com", "remembered")
    before = len(t.http.requests())
    t.once()
    paths = [r["path"] for r in t.http.requests()[before:]]
    eq([p for p in paths if p.startswith("/api/pcsx/")], [], "classic at once the next time")


def probe_details(t, sysm):
    """--probe reads --details N postings' details: their pay in the table, the rest
    "unknown", and says how many it read and how many are left unknown."""
    import subprocess
    postings = board(5, 0)
    t.http.routes(sysm.routes(postings))
    before = len(t.http.requests())
    p = subprocess.run([jwtest.JOBWATCHD, "--probe", t.http.base + sysm.url_path, "--type",
                        sysm.type, "--details", "3"], capture_output=True, text=True,
                       timeout=60)
    eq(p.returncode, 0, "exit status (stderr %r)" % p.stderr)
    details = [r for r in t.http.requests()[before:]
               if r["path"] in [sysm.detail_path(n) for n, _, _ in postings]]
    eq(len(details), 3, "detail requests")
    assert "details: read=3 failed=0 pay_unknown=2 (--details 3)" in p.stdout, p.stdout
    ids = tuple(sysm.ext_id(n) + " " for n, _, _ in postings)
    rows = [l for l in p.stdout.splitlines() if l.startswith(ids)]
    eq(len(rows), 5, "table rows")
    eq(sum(1 for r in rows if r.rstrip().endswith(sysm.pays["pay"])), 3, "rows with pay")
    eq(sum(1 for r in rows if r.rstrip().endswith("unknown")), 2, "rows with unknown pay")


def main():
    s = jwtest.Suite()
    t = T()
    try:
        for sysm in (Eightfold(), Pcsx(), Workday(), SmartRecruiters()):
            label = "%s (%s)" % (sysm.type, sysm.url_path.split("?")[0])
            s.run(label + ": pay from details, no detail when unchanged, alert with pay, "
                  "pay_changed", lifecycle, t, sysm)
            s.run(label + ": max_details spreads a board over polls", budget, t, sysm)
            s.run(label + ": 404, 500, timeout, HTML, 429 close nothing", failures, t, sysm)
        s.run("a new posting's alert waits for its detail, alert_wait at most", new_waits, t,
              Eightfold())
        s.run("eightfold: a tenant that says PCSX is not enabled is read as classic, "
              "remembered", pcsx_refused, t)
        for sysm in (Eightfold(), Workday()):
            s.run("--probe --details N on %s" % sysm.type, probe_details, t, sysm)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

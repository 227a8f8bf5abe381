#!/usr/bin/env python3
"""The Ashby, SmartRecruiters and Recruitee adapters through the whole pipeline: each real
fixture is served from the loopback HTTP server (SmartRecruiters in pages, as its API pages),
jobwatchd --once polls it with `type` and `url` set, and the postings table must hold every
posting of the payload with its title, link and pay. Expected pay is read from the payload
here, independently of the adapters."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, eq  # noqa: E402


def fixture(kind, name):
    return os.path.join(FIXTURES, kind, name)


def load(kind, name):
    with open(fixture(kind, name)) as f:
        return json.load(f)


def num(v):
    return None if v in (None, "") else float(v)


class Env(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-payload-pay-", syslog=False)

    def poll(self, sources, poll="", want_rc=0):
        """A fresh database, one --once over sources [(name, type, path)]."""
        self.pg.reset()
        # the walks are the subject here; detail reads are test_details.py's
        self.config([(n, t, self.http.base + p) for n, t, p in sources],
                    poll="max_details = 0; " + poll)
        return self.once(want_rc)

    def postings(self, source):
        """external_id -> [title, url, pay_min, pay_max, currency, period, pay_source]."""
        rows = self.pg.query(
            "SELECT p.external_id, coalesce(p.title, ''), coalesce(p.url, ''), p.pay_min, "
            "p.pay_max, coalesce(p.pay_currency, ''), coalesce(p.pay_period, ''), "
            "coalesce(p.pay_source, '') FROM postings p JOIN sources s ON s.id = p.source_id "
            "WHERE s.name = '%s'" % source)
        return {r[0]: r[1:] for r in rows}

    def last_poll(self, source):
        return self.pg.query(
            "SELECT outcome, coalesce(stop, ''), pages, coalesce(error, '') FROM polls p "
            "JOIN sources s ON s.id = p.source_id WHERE s.name = '%s' ORDER BY p.id DESC "
            "LIMIT 1" % source)[0]


def check_board(t, source, ids):
    """Every id of the payload is stored, nothing else, each with a title and a link."""
    rows = t.postings(source)
    eq(sorted(rows), sorted(ids), source + ": stored ids")
    for pid, r in rows.items():
        assert r[0].strip(), "%s %s has no title" % (source, pid)
        assert r[1].startswith("https://"), "%s %s link %r" % (source, pid, r[1])
    return rows


def check_pay(rows, pid, lo, hi, currency, period, src, what):
    r = rows[pid]
    eq((num(r[2]), num(r[3]), r[4], r[5], r[6]), (lo, hi, currency, period, src), what)


def ashby(t):
    boards = [("highlightta", "highlightta_careerkit_trimmed.json"),
              ("linear", "linear_sample_2jobs.json"),
              ("etched", "etched_no_includeCompensation.json")]
    t.http.routes({"/ashby/" + b: {"body_file": fixture("ashby", f)} for b, f in boards})
    t.poll([(b, "ashby", "/ashby/" + b) for b, _ in boards])
    periods = {"1 YEAR": "year", "1 HOUR": "hour", "1 MONTH": "month"}
    structured = 0
    for board, f in boards:
        jobs = load("ashby", f)["jobs"]
        rows = check_board(t, board, [j["id"] for j in jobs])
        for j in jobs:
            eq(rows[j["id"]][0], j["title"].strip(), "title")
            eq(rows[j["id"]][1], j["jobUrl"], "url")
            salary = [c for tier in (j.get("compensation") or {}).get("compensationTiers", [])
                      for c in tier["components"] if c["compensationType"] == "Salary"]
            if salary:  # the first tier's salary is the posting's pay
                c = salary[0]
                check_pay(rows, j["id"], c["minValue"], c["maxValue"], c["currencyCode"],
                          periods[c["interval"]], "ashby:compensation", j["id"])
                structured += 1
    eq(structured, 1, "postings with structured pay")
    rows = t.postings("etched")
    # no compensation key on this board: "Compensation Range - $150,000 - $275,000" in the
    # text; "Housing subsidy of $2k per month" in every posting is no pay
    check_pay(rows, "61860739-5aa9-4f64-920d-f4c1cca71af8", 150000, 275000, "USD", "year",
              "text", "etched text pay")
    eq(sum(1 for r in rows.values() if r[2] != ""), 1, "etched postings with pay")
    eq(t.postings("linear")["d3bc1ced-3ce4-4086-a050-555055dbb1ff"][2], "", "linear: no pay")


SR_PATH = "/sr/v1/companies/%s/postings"


def sr_route(company, offset):
    return SR_PATH % company + "?offset=%d&limit=100" % offset


def smartrecruiters(t):
    """Western Digital in two pages: the real first page (10 of 359), then a short page of
    the real list's 3 and the real detail capture (the one with compensation). Visa: the real
    2 of 10, then an empty page. Both walks end by themselves."""
    first = load("smartrecruiters", "westerndigital_postings_page1_limit10.json")
    rest = load("smartrecruiters", "westerndigital_postings_list.json")["content"]
    detail = load("smartrecruiters", "westerndigital_posting_detail.json")
    second = {"offset": 10, "limit": 10, "totalFound": 359, "content": rest + [detail]}
    visa = load("smartrecruiters", "visa_postings_limit2.json")
    t.http.routes({
        sr_route("WesternDigital", 0): {"body_file": fixture(
            "smartrecruiters", "westerndigital_postings_page1_limit10.json")},
        sr_route("WesternDigital", 10): {"body": json.dumps(second)},
        sr_route("Visa", 0): {"body_file": fixture("smartrecruiters",
                                                   "visa_postings_limit2.json")},
        sr_route("Visa", 2): {"body": json.dumps(
            {"offset": 2, "limit": 2, "totalFound": 10, "content": []})},
    })
    t.poll([("wd", "smartrecruiters", SR_PATH % "WesternDigital"),
            ("visa", "smartrecruiters", SR_PATH % "Visa")])
    asked = sorted(r["path"] for r in t.http.requests()
                   if r["path"].startswith((SR_PATH % "WesternDigital", SR_PATH % "Visa")))
    eq(asked, sorted([sr_route("WesternDigital", 0), sr_route("WesternDigital", 10),
                      sr_route("Visa", 0), sr_route("Visa", 2)]), "pages asked for")

    posts = first["content"] + second["content"]
    rows = check_board(t, "wd", [p["id"] for p in posts])
    eq(len(rows), 14, "wd postings")
    for p in posts:
        eq(rows[p["id"]][0], " ".join(p["name"].split()), "title")
        want = p.get("postingUrl") or "https://jobs.smartrecruiters.com/%s/%s" % (
            p["company"]["identifier"], p["id"])
        eq(rows[p["id"]][1], want, "url")
    c = detail["compensation"]
    check_pay(rows, detail["id"], c["min"], c["max"], c["currency"], "hour",
              "smartrecruiters:compensation", "wd compensation")
    eq(sum(1 for r in rows.values() if r[2] != ""), 1, "wd postings with pay")
    eq(t.last_poll("wd")[:3], ["complete", "complete", "2"], "wd poll")

    rows = check_board(t, "visa", [p["id"] for p in visa["content"]])
    eq(rows["744000122509268"][1], "https://jobs.smartrecruiters.com/Visa/744000122509268",
       "visa url")
    eq(t.last_poll("visa")[:3], ["complete", "complete", "2"], "visa poll")


def smartrecruiters_ceiling(t):
    """A board that claims more than ever ends: the page ceiling stops the walk, the poll is
    not complete, and nothing is stored as if it were."""
    pages = [{"body": json.dumps({"offset": 2 * i, "limit": 2, "totalFound": 1000,
                                  "content": [{"id": str(2 * i + k), "name": "Job %d" % k}
                                              for k in (1, 2)]})} for i in range(6)]
    t.http.routes({SR_PATH % "Endless": pages})
    t.poll([("endless", "smartrecruiters", SR_PATH % "Endless")], poll="max_pages = 3;")
    eq(len([r for r in t.http.requests() if r["path"].startswith(SR_PATH % "Endless")]), 3,
       "requests")
    poll = t.last_poll("endless")
    eq(poll[0], "partial", "outcome")
    assert "ceiling" in poll[3], poll
    # what the three pages held is stored; an incomplete walk closes nothing
    eq(sorted(t.postings("endless")), sorted(str(n) for n in range(1, 7)),
       "postings of the three pages read")


def recruitee(t):
    boards = [("channable", "channable_offers.json"), ("acme", "offers_careerkit_sanitized.json")]
    t.http.routes({"/%s/api/offers/" % b: {"body_file": fixture("recruitee", f)}
                   for b, f in boards})
    t.poll([(b, "recruitee", "/%s/api/offers/" % b) for b, _ in boards])
    for board, f in boards:
        offers = load("recruitee", f)["offers"]
        rows = check_board(t, board, [str(o["id"]) for o in offers])
        for o in offers:
            r = rows[str(o["id"])]
            eq(r[0], o["title"].strip(), "title")
            eq(r[1], o["careers_url"], "url")
            s = o["salary"]
            check_pay(rows, str(o["id"]), float(s["min"]), float(s["max"]), s["currency"],
                      s["period"], "recruitee:salary", "%s %s" % (board, o["id"]))


def main():
    s = jwtest.Suite()
    t = Env()
    try:
        s.run("ashby: three real boards, tiers and text pay stored", ashby, t)
        s.run("smartrecruiters: paged walks end at a short and at an empty page",
              smartrecruiters, t)
        s.run("smartrecruiters: an endless board stops at the page ceiling, incomplete",
              smartrecruiters_ceiling, t)
        s.run("recruitee: two real boards, salary stored", recruitee, t)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

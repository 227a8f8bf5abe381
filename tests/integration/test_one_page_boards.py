#!/usr/bin/env python3
"""Workable, Teamtailor, Personio and BambooHR end to end: each real fixture is served from the
loopback server, jobwatchd --once polls it with its type, and PostgreSQL must then hold what
the payload holds: as many postings as it has distinct ids, each with the payload's title and
a link, and pay where the payload states some. A wrong body fails the poll with an error that
names what came."""
import json
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES, eq  # noqa: E402


def fixture(typ, name):
    return os.path.join(FIXTURES, typ, name)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# What each payload says, read here independently of the adapters: {id: (title, url)}.
def workable_expect(path, base):
    return {j["shortcode"]: (j["title"], j["url"]) for j in load_json(path)["jobs"]}


def teamtailor_expect(path, base):
    return {i["id"]: (i["title"], i["url"]) for i in load_json(path)["items"]}


def personio_expect(path, base):
    root = ET.parse(path).getroot()
    return {p.findtext("id").strip(): (p.findtext("name").strip(),
                                       base + "/job/" + p.findtext("id").strip())
            for p in root.iter("position")}


def bamboohr_expect(path, base):
    return {j["id"]: (j["jobOpeningName"].strip(), base + "/careers/" + j["id"])
            for j in load_json(path)["result"]}


FEEDS = [
    # (source name, type, fixture, route, expect, content type)
    ("zego", "workable", fixture("workable", "zego_widget.json"),
     "/api/v1/widget/accounts/zego", workable_expect, "application/json"),
    ("zaelab", "workable", fixture("workable", "zaelab_widget_trimmed.json"),
     "/api/v1/widget/accounts/zaelab", workable_expect, "application/json"),
    ("career", "teamtailor", fixture("teamtailor", "career_teamtailor_jobs_json_feed.json"),
     "/career/jobs.json", teamtailor_expect, "application/feed+json"),
    ("1komma5", "teamtailor", fixture("teamtailor", "1komma5_jobs_json_feed.json"),
     "/1komma5/jobs.json", teamtailor_expect, "application/feed+json"),
    ("personio", "personio", fixture("personio", "personio_live.xml"), "/xml",
     personio_expect, "text/xml"),
    ("acme", "personio", fixture("personio", "workzag_jobs_careerkit_sanitized.xml"),
     "/acme/xml", personio_expect, "text/xml"),
    ("bamboo", "bamboohr", fixture("bamboohr", "careers_list_careerkit_trimmed.json"),
     "/careers/list", bamboohr_expect, "application/json"),
]

# Small inline boards for what no real fixture states: structured pay and pay in a text.
PAY_FEEDS = {
    "/pay/jobs.json": ("paytt", "teamtailor", "application/feed+json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "items": [{
            "id": "p1", "title": "Säljare", "url": "https://x.teamtailor.com/jobs/1-saljare",
            "_jobposting": {"@type": "JobPosting", "baseSalary": {
                "@type": "MonetaryAmount", "currency": "SEK", "value": {
                    "@type": "QuantitativeValue", "minValue": 40000, "maxValue": 50000,
                    "unitText": "MONTH"}}}}]})),
    "/pay/xml": ("payio", "personio", "text/xml",
                 "<?xml version='1.0' encoding='UTF-8'?><workzag-jobs><position><id>9</id>"
                 "<office>Berlin</office><name>Data Engineer</name><jobDescriptions>"
                 "<jobDescription><name>Offer</name><value><![CDATA[<p>Salary: 45.000 – "
                 "55.000 € brutto/Jahr</p>]]></value></jobDescription></jobDescriptions>"
                 "</position></workzag-jobs>"),
}


class Sources(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-one-page-", syslog=False)


def real_fixtures(t):
    t.pg.reset()
    routes, sources = {}, []
    for name, typ, path, route, _, ctype in FEEDS:
        routes[route] = {"body_file": path, "headers": {"Content-Type": ctype}}
        sources.append((name, typ, t.http.base + route))
    t.http.routes(routes)
    jwtest.write_config(t.conf, t.pg.conninfo(), sources)
    rc, err = jwtest.run_once(t.conf)
    eq(rc, 0, "jobwatchd --once: " + err[-2000:])
    for name, typ, path, route, expect_fn, _ in FEEDS:
        expect = expect_fn(path, t.http.base)  # links are made on the feed's own host
        rows = t.pg.query("SELECT external_id, title, coalesce(url, ''), "
                          "coalesce(pay_min::text, ''), coalesce(pay_text, '') "
                          "FROM open_postings WHERE source = '%s' ORDER BY external_id" % name)
        eq(len(rows), len(expect), name + ": postings stored = distinct ids in the payload")
        assert len(rows) > 0, name
        for ext, title, url, pay_min, pay_text in rows:
            assert ext in expect, (name, ext)
            eq((title, url), expect[ext], name + " " + ext + ": title and link")
            assert title and url, (name, ext)
            # none of these payloads states pay in a field or a description
            eq((pay_min, pay_text), ("", ""), name + " " + ext + ": no pay invented")
        eq(t.pg.value("SELECT outcome FROM polls p JOIN sources s ON s.id = p.source_id "
                      "WHERE s.name = '%s' ORDER BY p.id DESC LIMIT 1" % name),
           "complete", name + ": poll outcome")
    # places the payloads give, as stored
    eq(t.pg.value("SELECT location FROM postings WHERE external_id = 'DD136DD7E7'"),
       "Spain; Portugal", "zaelab's one job in two countries")
    eq(t.pg.value("SELECT location FROM postings WHERE external_id = '1834171' LIMIT 1"),
       "Munich; Berlin", "personio office and additional office")
    eq(t.pg.query("SELECT department, location FROM postings WHERE external_id = '87'"),
       [["Marketing", "Fort Lauderdale, Florida"]], "bamboohr department and location")
    eq(t.pg.value("SELECT location FROM postings WHERE external_id = "
                  "'a52c9a45-1132-44c9-9696-76974817ae6e'"),
       "Stockholm, SE; København, DK", "teamtailor locations")


def stated_pay(t):
    t.pg.reset()
    t.http.routes({route: {"body": body, "headers": {"Content-Type": ctype}}
                   for route, (_, _, ctype, body) in PAY_FEEDS.items()})
    jwtest.write_config(t.conf, t.pg.conninfo(), [
        (name, typ, t.http.base + route) for route, (name, typ, _, _) in PAY_FEEDS.items()])
    rc, err = jwtest.run_once(t.conf)
    eq(rc, 0, "jobwatchd --once: " + err[-2000:])
    eq(t.pg.query("SELECT o.source, o.title, o.url, o.pay_min::bigint, o.pay_max::bigint, "
                  "o.pay_currency, o.pay_period, p.pay_source FROM open_postings o "
                  "JOIN postings p ON p.id = o.id ORDER BY o.source"),
       [["payio", "Data Engineer", t.http.base + "/job/9", "45000", "55000", "EUR", "year",
         "text"],
        ["paytt", "Säljare", "https://x.teamtailor.com/jobs/1-saljare", "40000", "50000",
         "SEK", "month", "teamtailor:baseSalary"]], "pay stored")


def wrong_bodies(t):
    t.pg.reset()
    cases = [
        ("w", "workable", "[]", "expected a JSON object with \"jobs\", found an array"),
        ("tt", "teamtailor", '{"data": []}', "found a JSON:API document"),
        ("pio", "personio", '{"jobs": []}', "expected a Personio XML feed (<workzag-jobs>), "
                                            "found JSON"),
        ("pio2", "personio", "<?xml version='1.0'?><rss/>", "found <rss>"),
        ("bhr", "bamboohr", "<!DOCTYPE html><html><body>Sign in</body></html>",
         "found HTML"),
    ]
    t.http.routes({"/" + name: {"body": body} for name, _, body, _ in cases})
    jwtest.write_config(t.conf, t.pg.conninfo(),
                        [(name, typ, t.http.base + "/" + name) for name, typ, _, _ in cases])
    rc, err = jwtest.run_once(t.conf)
    eq(rc, 1, "jobwatchd --once with failing sources")
    for name, _, _, want in cases:
        row = t.pg.query("SELECT outcome, coalesce(error, '') FROM polls p JOIN sources s ON "
                         "s.id = p.source_id WHERE s.name = '%s'" % name)
        eq(len(row), 1, name + ": one poll")
        eq(row[0][0], "failed", name + ": outcome")
        assert want in row[0][1], (name, row[0][1])
    eq(t.pg.value("SELECT count(*) FROM postings"), "0", "nothing stored from a wrong body")


def main():
    s = jwtest.Suite()
    t = Sources()
    try:
        s.run("sources-c: real Workable, Teamtailor, Personio, BambooHR payloads stored whole",
              real_fixtures, t)
        s.run("sources-c: structured and text pay reach postings", stated_pay, t)
        s.run("sources-c: wrong bodies fail the poll and say what came", wrong_bodies, t)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

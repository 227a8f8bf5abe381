#!/usr/bin/env python3
"""Every real payload in tests/fixtures, of every source type, served as it is from 127.0.0.1
(each URL answers the same bytes whatever its query or body, as a plain file server does),
with type and url set: jobwatchd --once stores as many postings as the payload holds, each
with a title and a link. Paging sources meet a server that ignores their offset here: the
walk ends as partial at the repeated page, and keeps what it read."""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import FIXTURES as FIX, eq  # noqa: E402


def payloads():
    cases = []
    def add(typ, path, count):
        cases.append((typ, path, count))
    for f in glob.glob(FIX + "/greenhouse/*.json"):
        if f.endswith(".metadata.json"): continue
        d = json.load(open(f))
        if isinstance(d, dict) and "jobs" in d: add("greenhouse", f, len({j["id"] for j in d["jobs"]}))
    for f in glob.glob(FIX + "/lever/*.json"):
        if f.endswith(".metadata.json"): continue
        d = json.load(open(f)); add("lever", f, len({j["id"] for j in d}))
    for f in glob.glob(FIX + "/ashby/*.json"):
        d = json.load(open(f)); add("ashby", f, len([j for j in d["jobs"] if j.get("isListed", True)]))
    for f in glob.glob(FIX + "/smartrecruiters/*list*.json") + glob.glob(FIX + "/smartrecruiters/*limit*.json"):
        d = json.load(open(f)); add("smartrecruiters", f, len({j["id"] for j in d["content"]}))
    for f in glob.glob(FIX + "/recruitee/*.json"):
        d = json.load(open(f)); add("recruitee", f, len(d["offers"]))
    for f in glob.glob(FIX + "/workday/*.json"):
        d = json.load(open(f))
        if "jobPostings" in d: add("workday", f, len({j["externalPath"] for j in d["jobPostings"]}))
    for f in glob.glob(FIX + "/eightfold/*.json"):
        d = json.load(open(f)); add("eightfold", f, len({j["id"] for j in d["positions"]}))
    for f in glob.glob(FIX + "/teamtailor/*.json"):
        d = json.load(open(f)); add("teamtailor", f, len(d["items"]))
    for f in glob.glob(FIX + "/workable/*.json"):
        d = json.load(open(f)); add("workable", f, len({j["shortcode"] for j in d["jobs"]}))
    for f in glob.glob(FIX + "/bamboohr/*.json"):
        d = json.load(open(f)); add("bamboohr", f, len(d["result"]))
    for f in glob.glob(FIX + "/personio/*.xml"):
        add("personio", f, len(set(re.findall(r"<position>\s*<id>(\d+)</id>", open(f).read()))))
    add("jsonld", FIX + "/schemaorg/icims_sig_job_jsonld.html", 1)
    return cases


def stored_whole(pg, http, log, d):
    cases = payloads()
    assert len(cases) >= 35, "fixtures found: %d" % len(cases)
    routes, srcs = {}, []
    for i, (typ, f, _) in enumerate(cases):
        path = "/f%d/%s" % (i, os.path.basename(f))
        routes[path] = {"body_file": f}
        srcs.append(("s%02d" % i, typ, http.base + path))
    http.routes(routes)
    conf = os.path.join(d, "jobwatch.conf")
    jwtest.write_config(conf, pg.conninfo(), srcs, log_socket=log.path,
                        poll="page_gap = 0; max_pages = 5;")
    rc, err = jwtest.run_once(conf, timeout=300)
    eq(rc, 0, "--once over every real payload:\n" + err[-3000:])
    wrong = []
    for i, (typ, f, n) in enumerate(cases):
        got = pg.value("SELECT count(*) FROM postings p JOIN sources s ON s.id = p.source_id"
                       " WHERE s.name = 's%02d' AND p.title <> '' AND p.url LIKE 'http%%'" % i)
        if got != str(n):
            wrong.append("%s %s: %s of %d" % (typ, os.path.basename(f), got, n))
    eq(wrong, [], "payloads not stored whole")
    eq(pg.value("SELECT count(DISTINCT s.type) FROM sources s"), "12", "source types (all but html, which has no payload of its own)")


def main():
    s = jwtest.Suite()
    pg, http, log = jwtest.Postgres(), jwtest.HttpServer(), jwtest.Syslog()
    d = jwtest.tmpdir("jobwatch-real-")
    try:
        s.run("every real payload of every type stored whole from a plain file server",
              stored_whole, pg, http, log, d)
    finally:
        log.stop()
        http.stop()
        pg.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

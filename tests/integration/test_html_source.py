#!/usr/bin/env python3
"""Type html end to end: a careers page on loopback read with configured XPath by
`jobwatchd --once`, the postings in PostgreSQL with their exact titles and absolute links;
then the page changes its layout so that item matches nothing: the poll fails, says why,
and closes nothing, however often it happens. allow_empty makes an empty list a board with
no openings; --check-config names a bad expression with its file and line."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq  # noqa: E402

ALL_KINDS = '"new", "closed", "reopened", "title_changed", "location_changed", ' \
            '"department_changed", "pay_changed"'

# A small company's careers page: relative links with tracking parameters, a location span,
# a team, a pay line on some, one teaser without a link (dropped), a script.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Careers at Northwind</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<main>
  <h1>Open positions</h1>
  <ul class="openings">
    <li class="job">
      <h3><a href="/careers/senior-backend-engineer?utm_source=linkedin&amp;utm_medium=social">
        Senior Backend Engineer</a></h3>
      <span class="location">Berlin, Germany</span> <span class="team">Engineering</span>
      <p class="pay">Salary: &euro;75,000 &ndash; &euro;90,000 per year</p>
    </li>
    <li class="job">
      <h3><a href="product-designer?ref=homepage">Product&nbsp;Designer</a></h3>
      <span class="location">Remote (EU)</span> <span class="team">Design</span>
    </li>
    <li class="job">
      <h3><a href="https://jobs.example.net/northwind/ops-3?gclid=abc&amp;lang=en">
        Site Reliability Engineer</a></h3>
      <span class="location">London, UK</span> <span class="team">Operations</span>
      <p class="pay">&pound;60,000 - &pound;70,000 a year</p>
    </li>
    <li class="job"><h3>Spontaneous application</h3> <span class="location">Anywhere</span></li>
  </ul>
</main>
<footer><a href="/privacy">Privacy</a></footer>
<script>window.dataLayer = [];</script>
</body>
</html>
"""

# The same openings after a redesign: cards instead of a list. The configured item selects
# nothing on it.
REDESIGN = """<!DOCTYPE html>
<html><head><title>Join Northwind</title></head>
<body><div class="careers-grid">
  <article class="position-card"><a class="card-link" href="/careers/senior-backend-engineer">
    <div class="card-title">Senior Backend Engineer</div><div class="card-meta">Berlin</div></a>
  </article>
  <article class="position-card"><a class="card-link" href="/careers/product-designer">
    <div class="card-title">Product Designer</div><div class="card-meta">Remote</div></a>
  </article>
</div></body></html>
"""

EMPTY_LIST = """<!DOCTYPE html><html><head><title>Careers</title></head><body>
<h1>Open positions</h1><ul class="openings"></ul>
<p>No openings right now. Check back soon!</p></body></html>
"""

NORTHWIND = """  {
    name = "northwind";
    type = "html";
    url = "%s/careers/?utm_campaign=autumn";
    item = "//ul[@class='openings']/li[@class='job']";
    title = ".//h3";
    link = ".//h3/a/@href";
    location = ".//span[@class='location']";
    department = ".//span[@class='team']";
    pay = ".//p[@class='pay']";
  }"""

QUIET = """  {
    name = "quiet";
    type = "html";
    url = "%s/quiet/jobs";
    item = "//ul[@class='openings']/li";
    allow_empty = true;
  }"""


class HtmlE2E(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-html-")

    def config(self, sources):
        with open(self.conf, "w") as f:
            f.write('database: { conninfo = "%s"; };\n' % self.pg.conninfo())
            f.write("poll: { timeout = 5; };\n")
            f.write('log: { facility = "local3"; socket = "%s"; };\n' % self.log.path)
            f.write("sources = (\n%s\n);\n" % ",\n".join(sources))
            f.write('alerts = ( { name = "all"; events = [ %s ]; } );\n' % ALL_KINDS)

    def last_poll(self, source):
        return self.pg.query(
            "SELECT p.outcome, coalesce(p.postings::text, ''), coalesce(p.dropped::text, ''), "
            "coalesce(p.error, '') FROM polls p JOIN sources s ON s.id = p.source_id "
            "WHERE s.name = '%s' ORDER BY p.id DESC LIMIT 1" % source)[0]


def page_to_rows_then_redesign(t):
    t.pg.reset()
    t.config([NORTHWIND % t.http.base])
    html = {"headers": {"Content-Type": "text/html; charset=utf-8"}}
    t.http.routes({"/careers/": dict(html, body=PAGE)})
    t.once(0)
    base = t.http.base
    eq(t.pg.query("SELECT external_id, title, url, location, department FROM postings "
                  "ORDER BY title"),
       [[base + "/careers/product-designer", "Product Designer",
         base + "/careers/product-designer", "Remote (EU)", "Design"],
        [base + "/careers/senior-backend-engineer", "Senior Backend Engineer",
         base + "/careers/senior-backend-engineer", "Berlin, Germany", "Engineering"],
        ["https://jobs.example.net/northwind/ops-3?lang=en", "Site Reliability Engineer",
         "https://jobs.example.net/northwind/ops-3?lang=en", "London, UK", "Operations"]],
       "postings: exact titles, absolute links without tracking parameters")
    eq(t.pg.query("SELECT title, pay_min::bigint, pay_max::bigint, pay_currency, pay_period, "
                  "pay_source FROM postings WHERE pay_min IS NOT NULL ORDER BY title"),
       [["Senior Backend Engineer", "75000", "90000", "EUR", "year", "html:pay"],
        ["Site Reliability Engineer", "60000", "70000", "GBP", "year", "html:pay"]],
       "pay from the pay lines")
    eq(t.last_poll("northwind"), ["complete", "3", "1", ""],
       "a complete poll; the teaser without a link dropped and counted")
    eq(t.pg.value("SELECT count(*) FROM postings WHERE length(digest) = 64"), "3", "digests")

    # The redesign: twice, more than close_after (2) polls, and nothing may close.
    t.log.clear()
    t.http.routes({"/careers/": dict(html, body=REDESIGN)})
    for i in range(3):
        err = t.once(1)
        outcome, _, _, error = t.last_poll("northwind")
        eq(outcome, "failed", "redesigned page %d: outcome" % i)
        eq(error, 'item XPath matched nothing (page title "Join Northwind")',
           "redesigned page %d: the recorded error" % i)
    assert "item XPath matched nothing" in err, err
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE source = 'northwind'"), "3",
       "nothing closed by a page that matched nothing")
    eq(t.pg.value("SELECT max(misses) FROM postings"), "0", "failed polls count no miss")
    eq(t.pg.value("SELECT count(*) FROM events WHERE NOT baseline AND posting_id IS NOT NULL"),
       "0", "no posting events")
    # three failures in a row: the source is failing (fail_after = 3), which is one event
    eq(t.pg.value("SELECT string_agg(kind, ',') FROM events WHERE posting_id IS NULL"),
       "source_failing", "the health event")
    eq([a for a in t.log.alerts() if "event=source_" not in a], [], "no posting alert lines")

    # The old layout back with one title changed: an ordinary complete poll.
    t.http.routes({"/careers/": dict(html, body=PAGE.replace("Product&nbsp;Designer",
                                                             "Product Designer II"))})
    t.once(0)
    eq(t.pg.query("SELECT e.kind, e.new_value FROM events e WHERE NOT e.baseline"
                  " AND e.posting_id IS NOT NULL"),
       [["title_changed", "Product Designer II"]], "the title change, nothing else")
    eq(t.pg.value("SELECT count(*) FROM open_postings WHERE source = 'northwind'"), "3",
       "all three open")


def allow_empty_board(t):
    """allow_empty: a list with no items is a complete poll of an empty board."""
    t.pg.reset()
    t.config([NORTHWIND % t.http.base, QUIET % t.http.base])
    t.http.routes({"/careers/": {"body": EMPTY_LIST}, "/quiet/jobs": {"body": EMPTY_LIST}})
    t.once(1)  # northwind failed: its list is empty and it does not allow that
    eq(t.last_poll("northwind"), ["failed", "", "0",
                                  'item XPath matched nothing (page title "Careers")'],
       "without allow_empty")
    eq(t.last_poll("quiet"), ["complete", "0", "0", ""], "with allow_empty")


def check_config_names_expression(t):
    bad = os.path.join(t.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write('sources = (\n'
                '  { name = "a"; type = "html"; url = "https://a.example/jobs"; },\n'
                '  { name = "b"; type = "html"; url = "https://b.example/jobs";\n'
                '    item = "//li"; title = "h3[1"; }\n'
                ');\n')
    p = subprocess.run([jwtest.JOBWATCHD, "-c", bad, "--check-config"], capture_output=True,
                       text=True)
    eq(p.returncode, 1, "--check-config exit")
    lines = p.stdout.splitlines()
    eq(len(lines), 2, "two errors: " + p.stdout)
    assert lines[0].startswith(bad + ":2: source 'a': type html needs item"), lines[0]
    eq(lines[1], bad + ":4: source 'b': title XPath 'h3[1' does not compile: "
                       "a predicate [ ] is malformed", "bad expression")


def main():
    s = jwtest.Suite()
    t = HtmlE2E()
    try:
        s.run("html page to rows; a redesign that matches nothing closes nothing",
              page_to_rows_then_redesign, t)
        s.run("allow_empty: an empty list is an empty board", allow_empty_board, t)
        s.run("--check-config names a missing item and a bad expression",
              check_config_names_expression, t)
    finally:
        t.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""One hostile page must not sink the daemon (issue 21): for each page an attacker who controls
one careers page could serve, `jobwatchd --once` polls it from a loopback server and its peak
RSS and CPU time are measured (wait4). The bars: peak RSS at most 4 x the body + 64 MiB, and
at most 1 s of CPU per MB of body above what polling a small page costs. Every case prints its
figures ("# case: 8.0 MB, 41 MiB peak, 0.21 s CPU"), so a regression shows before it fails.

Sanitizer builds (ASan doubles memory and triples time) check only that each poll ends,
without error of the daemon itself; the figures are the normal build's."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402

MB = 1 << 20
SCALE = float(os.environ.get("HOSTILE_SCALE", "1"))  # body sizes, for a quick try
SANITIZED = "asan" in jwtest.JOBWATCHD
RSS_BASE = 64 * MB
CPU_PER_MB = 1.0


def run_measured(conf, timeout=float(os.environ.get("HOSTILE_TIMEOUT", "300"))):
    """Exit status, stderr, peak RSS in bytes and CPU seconds of jobwatchd --once. A child's
    peak RSS counts what its parent held when it forked (or vforked), so a fresh, small
    interpreter (measure(), below) starts the daemon, not this one with its pages in memory."""
    err_path = conf + ".err"
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--measure", conf, err_path,
                        str(timeout)], capture_output=True, text=True, timeout=timeout + 30)
    rc, rss, cpu = p.stdout.split()
    with open(err_path) as f:
        text = f.read()
    return int(rc), text, int(rss), float(cpu)


def measure(conf, err_path, timeout):
    with open(err_path, "w") as err:
        p = subprocess.Popen([jwtest.JOBWATCHD, "-c", conf, "--once", "--log-stderr", "-v"],
                             stderr=err, stdout=subprocess.DEVNULL)
    end = time.time() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > end:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.05)
    print(os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024, ru.ru_utime + ru.ru_stime)


class Rig:
    def __init__(self):
        self.pg = jwtest.Postgres()
        self.http = jwtest.HttpServer()
        self.dir = jwtest.tmpdir("jobwatch-hostile-")
        self.conf = os.path.join(self.dir, "jobwatch.conf")
        self.base_cpu = None

    def write(self, sources, poll=""):
        """sources: libconfig source groups, without the braces."""
        with open(self.conf, "w") as f:
            f.write('database: { conninfo = "%s"; };\n' % self.pg.conninfo())
            f.write("poll: { timeout = 60; jitter = 0; page_gap = 0; %s };\n" % poll)
            f.write('log: { facility = "local3"; };\n')
            f.write("sources = (\n%s\n);\n" % ",\n".join("  { %s }" % s for s in sources))

    def measure(self, name, body_len, sources, poll=""):
        self.pg.reset()
        self.write(sources, poll)
        rc, err, rss, cpu = run_measured(self.conf)
        mb = body_len / MB
        print("# %s: %.1f MB, %.0f MiB peak, %.2f s CPU (%.2f s/MB over a small page)"
              % (name, mb, rss / MB, cpu, (cpu - (self.base_cpu or 0)) / max(mb, 0.001)),
              flush=True)
        for line in err.splitlines():
            if "outcome=" in line and " poll" in " " + line:
                print("#   " + line[:240], flush=True)
        assert rc in (0, 1), "%s: jobwatchd exited %d:\n%s" % (name, rc, err[-2000:])
        assert "Sanitizer" not in err and "runtime error" not in err, err[-4000:]
        if not SANITIZED:
            assert rss <= 4 * body_len + RSS_BASE, \
                "%s: peak RSS %.0f MiB over the bar %.0f MiB" % (
                    name, rss / MB, (4 * body_len + RSS_BASE) / MB)
            extra = cpu - (self.base_cpu or 0)
            assert extra <= CPU_PER_MB * max(mb, 1), \
                "%s: %.2f s of CPU for %.1f MB" % (name, extra, mb)
        return rc, err

    def stop(self):
        self.http.stop()
        self.pg.stop()


def src(name, type_, url, extra=""):
    t = 'type = "%s"; ' % type_ if type_ else ""
    return 'name = "%s"; %surl = "%s"; %s' % (name, t, url, extra)


def size(mb):
    return int(mb * SCALE * MB)


def baseline(r):
    """A small page: what a poll costs without any hostility."""
    r.http.routes({"/small": {"body": "<html><body><p>nothing</p></body></html>"}})
    r.pg.reset()
    r.write([src("small", "auto", r.http.base + "/small")])
    _, _, rss, cpu = run_measured(r.conf)
    r.base_cpu = cpu
    print("# baseline: %.0f MiB peak, %.2f s CPU" % (rss / MB, cpu), flush=True)


def repeated(r, name, type_, unit, mb, head="", tail="", extra="", path="/p"):
    """A page of head + unit repeated to about mb MB + tail, polled as type_."""
    n = max(1, size(mb) // len(unit))
    r.http.routes({path: {"body": head + unit * n + tail}})
    body_len = len(head) + len(unit) * n + len(tail)
    return r.measure(name, body_len, [src(name, type_, r.http.base + path, extra)])


def jsonld_array_untyped(r):
    """Issue 21.1: JSON-LD of 8 MB of empty objects on a page of no type (detection)."""
    repeated(r, "jsonld-untyped", "auto", "{},", 8,
             '<html><script type="application/ld+json">[', "{}]</script></html>")


def jsonld_array_typed(r):
    """Issue 21.1: the same page polled as type jsonld."""
    repeated(r, "jsonld-typed", "jsonld", "{},", 8,
             '<html><script type="application/ld+json">[', "{}]</script></html>")


def html_paragraphs(r):
    """Issue 21.1: 8 MB of <p> (libxml2's HTML tree), untyped and as type html."""
    repeated(r, "html-p-untyped", "auto", "<p>", 8, "<html><body>", "</body></html>")
    repeated(r, "html-p-typed", "html", "<p>", 8, "<html><body>", "</body></html>",
             'item = "//li";')


def html_attributes(r):
    """Attributes without values cost a node each: 8 MB of them."""
    n = size(8) // 8
    body = "<html><body><p " + " ".join("a%06d" % i for i in range(n)) + "></p></body></html>"
    r.http.routes({"/attrs": {"body": body}})
    r.measure("html-attributes", len(body), [src("attrs", "auto", r.http.base + "/attrs")])


def slashes(r):
    """Issue 21.2: a page of nothing but '/' (every "//" looked like a link)."""
    repeated(r, "slashes", "auto", "/", 4)


def eightfold_many(r):
    """Issue 21.3: 100,000 Eightfold positions in one page."""
    n = int(100000 * SCALE)
    body = json.dumps({"count": n, "positions": [
        {"id": i, "name": "Role %d" % i, "location": "Remote"} for i in range(n)]})
    r.http.routes({"/api/apply/v2/jobs": {"body": body}})
    r.measure("eightfold-100k", len(body),
              [src("ef", "eightfold", r.http.base + "/api/apply/v2/jobs?domain=x.com")])


def personio_many(r):
    """Issue 21.3: 100,000 Personio positions, and one position with 50,000 offices."""
    n = int(100000 * SCALE)
    body = "<workzag-jobs>" + "".join(
        "<position><id>%d</id><name>Role %d</name><office>Berlin</office></position>"
        % (i, i) for i in range(n)) + "</workzag-jobs>"
    r.http.routes({"/xml": {"body": body}})
    r.measure("personio-100k", len(body), [src("pe", "personio", r.http.base + "/xml")])
    n = int(50000 * SCALE)
    body = "<workzag-jobs><position><id>1</id><name>Role</name>" + "".join(
        "<office>City %d</office>" % i for i in range(n)) + "</position></workzag-jobs>"
    r.http.routes({"/xml": {"body": body}})
    r.measure("personio-50k-offices", len(body), [src("pe", "personio", r.http.base + "/xml")])


def workable_one_shortcode(r):
    """Issue 21.3: 40,000 Workable rows with one shortcode (their locations merge)."""
    n = int(40000 * SCALE)
    body = json.dumps({"jobs": [
        {"shortcode": "ABC", "title": "Role", "city": "City %d" % i, "country": "X"}
        for i in range(n)]})
    r.http.routes({"/api/v1/widget/accounts/acme": {"body": body}})
    r.measure("workable-40k-rows", len(body),
              [src("wk", "workable", r.http.base + "/api/v1/widget/accounts/acme")])


def eightfold_long_titles(r):
    """Issue 21.4: a walk of 200 pages, each with a position of a 500 KB title: every page
    is small, but what the walk kept of them grew by the page."""
    pages = int(200 * SCALE)
    routes = {}
    for p in range(pages):
        body = json.dumps({"count": pages * 10, "positions": [
            {"id": p * 10 + i, "name": ("T%d " % i) * (170000 if i == 0 else 1)}
            for i in range(10)]})
        path = os.path.join(r.dir, "page%d.json" % p)
        with open(path, "w") as f:
            f.write(body)
        routes["/api/apply/v2/jobs?domain=x.com&start=%d&num=10" % (p * 10)] = \
            {"body_file": path}
    r.http.routes(routes)
    page_len = len(body)
    r.measure("eightfold-long-titles", page_len,
              [src("ef", "eightfold", r.http.base + "/api/apply/v2/jobs?domain=x.com")],
              poll="max_pages = %d;" % (pages + 5))


def nested_items(r):
    """Issue 21.7: 200 nested items over 16 MB: each item's text is most of the page."""
    depth = 200
    filler = "x" * (size(16) // depth)
    body = "<html><body>" + ("<div class=i><a href=/j>t</a>" + filler) * depth + \
        "</div>" * depth + "</body></html>"
    r.http.routes({"/nested": {"body": body}})
    r.measure("html-nested-items", len(body),
              [src("nest", "html", r.http.base + "/nested", 'item = "//div[@class=\'i\']";')])


CASES = [
    ("JSON-LD of 8 MB of objects, untyped", jsonld_array_untyped),
    ("JSON-LD of 8 MB of objects, type jsonld", jsonld_array_typed),
    ("8 MB of <p>", html_paragraphs),
    ("8 MB of attributes", html_attributes),
    ("4 MB of '/'", slashes),
    ("100,000 Eightfold positions", eightfold_many),
    ("100,000 Personio positions, 50,000 offices", personio_many),
    ("40,000 Workable rows of one shortcode", workable_one_shortcode),
    ("200 Eightfold pages of 500 KB titles", eightfold_long_titles),
    ("200 nested html items in 16 MB", nested_items),
]


def main():
    s = jwtest.Suite()
    r = Rig()
    only = os.environ.get("HOSTILE_ONLY")
    try:
        baseline(r)
        for name, fn in CASES:
            if only and only not in fn.__name__:
                continue
            s.run(name, fn, r)
    finally:
        r.stop()
    return s.end()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3], float(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())

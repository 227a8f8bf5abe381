#!/usr/bin/env python3
"""details.py - what detail reads cost: jobwatchd --once on tenants whose lists carry no
description (python3 stdlib only).

  bench/details.py [--n N] [--postings P] [--jobwatchd build/jobwatchd]

Serves N tenants (half Workday: POSTed list pages of 20, half Eightfold classic: GET pages of
10), P postings each (200 x 50 by default), on loopback from memory (a threaded server of its
own: tests/lib/httpd.py reads its script again at every request, too slow here); each
posting's detail answers with a real detail payload of tests/fixtures/detail (Booz Allen's or
Netflix's, its id and title changed), so every one states pay. Runs, on a throwaway
PostgreSQL (bench/scale.py's):

  first       jobwatchd --once on an empty database, poll.max_details = P: every list page
              and every detail
  unchanged   jobwatchd --once again: every list page, and no detail at all
  new1        one posting added to 10% of the tenants: their lists and the new details

and prints for each: the requests the server saw (list pages, details), wall, jobwatchd's CPU,
PostgreSQL's CPU during the run and after it (scale.py's measure()), peak RSS, and the
postings stored with pay. poll.page_gap = 0 and poll.per_host = 16: one host serves every
tenant here, where each real tenant is its own host. A benchmark, not a test: it exits non-zero
only when a run fails or a figure that must hold (no detail request when unchanged) does not."""
import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "bench"))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import scale  # noqa: E402

DETAIL = os.path.join(TOP, "tests", "fixtures", "detail")


def load(rel):
    with open(os.path.join(DETAIL, rel)) as f:
        return json.load(f)


class Server:
    """Routes from memory (path with query -> body; a POST path -> {offset: body}), served by
    a child process: built in this one, they would count in jobwatchd's peak RSS, which
    getrusage takes over from the fork that runs it."""

    def __init__(self):
        self.conn, child = multiprocessing.Pipe()
        self.proc = multiprocessing.Process(target=Server._serve, args=(child,), daemon=True)
        self.proc.start()
        self.base = self.conn.recv()

    @staticmethod
    def _serve(conn):
        routes, log, lock = {}, [], threading.Lock()

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def answer(self, body):
                if body is None:
                    self.send_response(404)
                    body = b"not found"
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                with lock:
                    log.append(("GET", self.path))
                self.answer(routes.get(self.path))

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                req = json.loads(self.rfile.read(n) or b"{}")
                with lock:
                    log.append(("POST", self.path))
                self.answer((routes.get(self.path) or {}).get(req.get("offset")))

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        conn.send("http://127.0.0.1:%d" % httpd.server_address[1])
        while True:
            cmd = conn.recv()
            if cmd[0] == "routes":
                routes.clear()
                routes.update(build_routes(*cmd[1:]))
                conn.send("ok")
            elif cmd[0] == "log":
                with lock:
                    conn.send(list(log))
            else:
                return

    def set_routes(self, n, postings, extra=()):
        self.conn.send(("routes", n, postings, set(extra)))
        self.conn.recv()

    def requests(self):
        self.conn.send(("log",))
        return self.conn.recv()

    def stop(self):
        self.conn.send(("stop",))
        self.proc.join(5)


def build_routes(n, postings, extra=()):
    """Every list page and detail body. extra: tenants with one posting more."""
    wd = load("workday/boozallen_cxs_detail_R0249565.json")
    ef = load("eightfold/netflix_apply_v2_detail_790298014263.json")
    routes = {}
    for t in range(n):
        count = postings + (1 if t in extra else 0)
        if t % 2 == 0:  # Workday
            cxs = "/wday/cxs/t%d/Site" % t
            rows = [{"title": "Engineer %d" % i, "externalPath": "/job/X/Eng-%d_R%d" % (i, i),
                     "locationsText": "Boston, MA", "postedOn": "Posted Today",
                     "bulletFields": ["R%d" % i]} for i in range(count)]
            routes[cxs + "/jobs"] = {off: json.dumps(
                {"total": count, "jobPostings": rows[off:off + 20], "facets": []}).encode()
                for off in range(0, count, 20)}
            for i in range(count):
                d = dict(wd)
                d["jobPostingInfo"] = dict(wd["jobPostingInfo"], title="Engineer %d" % i)
                routes[cxs + "/job/X/Eng-%d_R%d" % (i, i)] = json.dumps(d).encode()
        else:  # Eightfold classic
            base = "/api/apply/v2/jobs"  # one host: the tenants differ by their domain
            rows = [{"id": 1000 + i, "name": "Engineer %d" % i, "location": "Los Gatos",
                     "department": "Engineering", "job_description": "",
                     "t_update": 1781711697} for i in range(count)]
            for start in range(0, count, 10):
                routes[base + "?domain=t%d.com&start=%d&num=10" % (t, start)] = json.dumps(
                    {"count": count, "positions": rows[start:start + 10]}).encode()
            for i in range(count):
                routes[base + "/%d?domain=t%d.com" % (1000 + i, t)] = json.dumps(
                    dict(ef, id=1000 + i, name="Engineer %d" % i)).encode()
    return routes


def write_config(path, conninfo, base, n, postings, log_socket):
    with open(path, "w") as f:
        f.write('database: { conninfo = "%s"; };\n' % conninfo)
        f.write("poll: { timeout = 120; page_gap = 0; per_host = 16; concurrency = 32; "
                "max_details = %d; };\n" % postings)
        f.write('log: { facility = "local3"; socket = "%s"; };\n' % log_socket)
        f.write("sources = (\n%s\n);\n" % ",\n".join(
            '  { name = "t%d"; type = "%s"; url = "%s%s"; }' % (
                t, "workday" if t % 2 == 0 else "eightfold", base,
                "/wday/cxs/t%d/Site/jobs" % t if t % 2 == 0
                else "/api/apply/v2/jobs?domain=t%d.com" % t)
            for t in range(n)))
        f.write(scale.ALERTS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_DETAIL_N", "200")))
    ap.add_argument("--postings", type=int, default=50)
    ap.add_argument("--jobwatchd", default=os.path.join(TOP, "build", "jobwatchd"))
    a = ap.parse_args()
    if shutil.which("psql") is None:
        sys.exit("bench: psql is not installed (make deps)")
    root = tempfile.mkdtemp(prefix="jobwatch-bench-details-")
    os.chmod(root, 0o755)
    http = pg = None
    failed = False
    try:
        http = Server()
        http.set_routes(a.n, a.postings)
        pg = scale.Postgres(root)
        pg.measure_idle()
        log = scale.LogSink(root)
        conf = os.path.join(root, "jobwatch.conf")
        write_config(conf, pg.conninfo(), http.base, a.n, a.postings, log.path)
        print("# %d tenants (half Workday, half Eightfold) x %d postings, every list without "
              "description, every detail with pay; served from memory on %s (its CPU is not "
              "counted)" % (a.n, a.postings, http.base))
        head = "%-10s %6s %8s %7s %7s %8s %8s %8s %9s %8s" % (
            "scenario", "lists", "details", "wall s", "our CPU", "PG CPU", "PG after",
            "total", "peak MiB", "with pay")
        print(head)
        print("-" * len(head))

        def run(name):
            before = len(http.requests())
            with open(os.path.join(root, name + ".err"), "w") as err:
                r = scale.measure([a.jobwatchd, "-c", conf, "--once"], stderr=err, pg=pg)
            if r[0] != 0:
                with open(os.path.join(root, name + ".err")) as f:
                    sys.stderr.write(f.read()[-3000:])
                raise SystemExit("bench: jobwatchd --once (%s) exited %d" % (name, r[0]))
            reqs = http.requests()[before:]
            details = sum(1 for m, path in reqs if m == "GET" and "start=" not in path)
            lists = len(reqs) - details
            paid = pg.query("SELECT count(*) FROM postings WHERE pay_min IS NOT NULL")
            rc, wall, cpu, rss, pgcpu, after = r
            print("%-10s %6d %8d %7.2f %7.2f %8.2f %8.2f %8.2f %9.1f %8s" % (
                name, lists, details, wall, cpu, pgcpu, after, cpu + pgcpu + after, rss, paid))
            log.take()
            return details

        run("first")
        if run("unchanged") != 0:
            print("# FAILED: an unchanged board made detail requests")
            failed = True
        extra = set(range(0, a.n, 10))
        http.set_routes(a.n, a.postings, extra)
        got = run("new1")
        if got != len(extra):
            print("# FAILED: %d detail requests for %d new postings" % (got, len(extra)))
            failed = True
    finally:
        if http:
            http.stop()
        if pg:
            pg.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""ab.py - two builds of jobwatchd on the same changed boards, alternating (python3 stdlib only).

  bench/ab.py --a OLD/jobwatchd --b NEW/jobwatchd [--n 1000] [--rounds 6]

The machine's speed moves from minute to minute by as much as one change to the code does, so
two runs of scale.py a few minutes apart can disagree on which build is faster. This puts both
builds on one database and interleaves them finely: a cold ingest by A, then each round each
build runs `jobwatchd --once` after 10% of the boards changed (changed10, as in scale.py) and
again after the change is undone (every board rewritten, so all answer 200 and 900 have the
body they had), A first in even rounds and B first in odd ones. It prints each run's CPU
(jobwatchd's own, and the PostgreSQL cluster's during and after it, as scale.py measures them)
and, for each build, the medians of its changed10 runs.

Each build reads the sql/ next to its binary (JOBWATCH_SQLDIR), which must be the same
schema: a copy of a build with its sql/ is what to compare, e.g.
  mkdir -p /tmp/old && cp build/jobwatchd /tmp/old/ && cp -r sql /tmp/old/
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--a", required=True, help="the build to compare against")
    ap.add_argument("--b", required=True, help="the build under test")
    ap.add_argument("--n", type=int, default=1000, help="boards (default 1000)")
    ap.add_argument("--rounds", type=int, default=6, help="rounds (default 6)")
    args = ap.parse_args()
    builds = {"A": os.path.abspath(args.a), "B": os.path.abspath(args.b)}
    for path in builds.values():
        if not os.access(path, os.X_OK):
            sys.exit("ab.py: %s is no executable" % path)

    root = tempfile.mkdtemp(prefix="jobwatch-ab-")
    os.chmod(root, 0o755)  # nginx's and PostgreSQL's users read it
    gen = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen.py"),
           "--n", str(args.n), "--postings", "100", "--out", root]
    subprocess.run(gen, check=True, capture_output=True)
    ng = scale.Nginx(root)
    pg = scale.Postgres(root)
    try:
        pg.measure_idle()
        log = scale.LogSink(root)
        conf = os.path.join(root, "jobwatch.conf")
        scale.write_config(conf, pg.conninfo(), ng.base, args.n, log.path, 0)

        def run(name):
            env = dict(os.environ)
            env["JOBWATCH_SQLDIR"] = os.path.join(os.path.dirname(builds[name]), "sql")
            with open(os.path.join(root, name + ".err"), "a") as err:
                r = scale.measure([builds[name], "-c", conf, "--once"], env=env, stderr=err,
                                  pg=pg)
            if r[0] != 0:
                sys.exit("ab.py: %s exited %d (see %s.err)" % (builds[name], r[0], name))
            return r[2], r[4] + r[5]

        jw, db = run("A")
        print("cold (A)        jobwatchd %.3f  PostgreSQL %.3f" % (jw, db), flush=True)
        changed = {"A": [], "B": []}
        for i in range(args.rounds):
            for name in ("A", "B") if i % 2 == 0 else ("B", "A"):
                subprocess.run(gen + ["--change", "10"], check=True, capture_output=True)
                c = run(name)
                subprocess.run(gen, check=True, capture_output=True)
                back = run(name)
                changed[name].append(c)
                print("round %d %s  changed10 jobwatchd %.3f PostgreSQL %.3f;"
                      "  back jobwatchd %.3f PostgreSQL %.3f" % (i + 1, name, *c, *back),
                      flush=True)
        for name in ("A", "B"):
            runs = changed[name]
            print("%s %s: changed10 medians: jobwatchd %.3f, PostgreSQL %.3f, total %.3f CPU s" % (
                name, builds[name], statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs), statistics.median(sum(r) for r in runs)))
    finally:
        ng.stop()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

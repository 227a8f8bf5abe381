#!/usr/bin/env python3
"""trial.py - builds of jobwatchd on one changed cycle, each from a frozen copy of its own cold
database (python3 stdlib only).

  bench/trial.py DIR [DIR ...] [--n 1000] [--trials 7]

Each DIR holds a jobwatchd and the sql/ it reads (JOBWATCH_SQLDIR), e.g.
  mkdir -p /tmp/new && cp build/jobwatchd /tmp/new/ && cp -r sql /tmp/new/
so that builds of different schemas (the build an issue was filed at, say) compare too.

bench/ab.py puts two builds on one database, which needs one schema and lets each build's
changed runs leave the next run a different database. Here the boards (bench/gen.py) are made
once; each build ingests them cold into an empty cluster, whose data directory is then kept;
10% of the boards change once (changed10, as in scale.py); then every trial restores each
build's copy, starts the cluster, settles it, and runs `jobwatchd --once`: every build applies
the same change to the same database state, trial after trial, the builds' order alternating.
It prints each run's CPU (jobwatchd's own, and the PostgreSQL cluster's during and after it, as
scale.py measures them) and, for each build, the medians.
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

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="directories with a jobwatchd and its sql/")
    ap.add_argument("--n", type=int, default=1000, help="boards (default 1000)")
    ap.add_argument("--trials", type=int, default=7, help="trials (default 7)")
    args = ap.parse_args()
    builds = [os.path.abspath(d) for d in args.dirs]
    for d in builds:
        if not os.access(os.path.join(d, "jobwatchd"), os.X_OK) or \
                not os.path.isdir(os.path.join(d, "sql")):
            sys.exit("trial.py: %s has no jobwatchd and sql/" % d)
    root = tempfile.mkdtemp(prefix="jwtrial-")
    os.chmod(root, 0o755)
    gen = [sys.executable, os.path.join(HERE, "gen.py"), "--n", str(args.n), "--postings", "100",
           "--out", root]
    subprocess.run(gen, check=True, capture_output=True)
    ng = scale.Nginx(root)
    pg = scale.Postgres(root)
    pg.measure_idle()
    log = scale.LogSink(root)
    conf = os.path.join(root, "jobwatch.conf")
    scale.write_config(conf, pg.conninfo(), ng.base, args.n, log.path, 0)
    data = os.path.join(pg.dir, "data")

    def restore(copy):
        subprocess.run(["rm", "-rf", data], check=True)
        subprocess.run(["cp", "-a", copy, data], check=True)
        subprocess.run([scale.PGCLUSTER, "start", pg.dir], check=True, capture_output=True)
        with open(os.path.join(data, "postmaster.pid")) as f:
            pg.pid = int(f.readline())

    def run(d):
        env = dict(os.environ, JOBWATCH_SQLDIR=os.path.join(d, "sql"))
        return scale.measure([os.path.join(d, "jobwatchd"), "-c", conf, "--once"], env=env,
                             stderr=subprocess.DEVNULL, pg=pg)

    try:
        pg.stop()
        subprocess.run(["cp", "-a", data, os.path.join(root, "empty")], check=True)
        for i, d in enumerate(builds):
            restore(os.path.join(root, "empty"))
            r = run(d)
            print("cold    %-40s rc=%d wall=%.2f jobwatchd=%.2f pg=%.2f"
                  % (d, r[0], r[1], r[2], r[4]), flush=True)
            pg.stop()
            subprocess.run(["cp", "-a", data, os.path.join(root, "cold%d" % i)], check=True)
        subprocess.run(gen + ["--change", "10"], check=True, capture_output=True)
        res = {d: [] for d in builds}
        for t in range(args.trials):
            order = list(enumerate(builds))
            if t % 2:
                order.reverse()
            for i, d in order:
                restore(os.path.join(root, "cold%d" % i))
                for _ in range(3):  # what start-up left due
                    if not pg._settle_round()[0]:
                        break
                r = run(d)
                pg.stop()
                total = r[2] + r[4] + r[5]
                res[d].append((total, r[2], r[4], r[5]))
                print("trial %d %-40s rc=%d wall=%.2f jobwatchd=%.3f pg=%.3f after=%.3f "
                      "total=%.3f" % (t, d, r[0], r[1], r[2], r[4], r[5], total), flush=True)
        print("changed10 medians of %d trials (CPU s):" % args.trials)
        for d in builds:
            v = res[d]
            print("  %-40s total %.3f  jobwatchd %.3f  pg %.3f  after %.3f"
                  % (d, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
                     statistics.median(x[2] for x in v), statistics.median(x[3] for x in v)))
    finally:
        ng.stop()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

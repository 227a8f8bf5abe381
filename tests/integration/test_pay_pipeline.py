#!/usr/bin/env python3
"""Pay through the whole pipeline: every labelled window of the real corpora (EN, DE, FR, ES;
synthetic lines left out) becomes the description of one posting on a Greenhouse-style board
on loopback; jobwatchd --once stores them; min, max, period (and currency where the label has
one) are read back from postings. At least 99% must be exactly right (issue 22), and the windows
labelled null must store no pay."""
import html
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402

THRESHOLD = 0.99
# Labels we dispute, and why; they still count against the accuracy above.
DISPUTED_NULL = {
    # "el salario ... suele oscilar entre 100 y 250€ diarios": a stated daily range, labelled
    # null upstream (the pay depends on sales). Issue 4 keeps this open.
    "join:ES:32567296d36ed247",
}


def corpus():
    cases = []
    for lang in ("en", "de", "fr", "es"):
        path = os.path.join(jwtest.FIXTURES, "pay", "salary_corpus_%s.jsonl" % lang)
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                c = json.loads(line)
                if str(c.get("src", "")).startswith("synthetic"):
                    continue
                c["lang"] = lang
                cases.append(c)
    return cases


def board(cases):
    jobs = []
    for i, c in enumerate(cases, 1):
        body = "".join("<p>%s</p>" % html.escape(l) for l in c["text"].split("\n"))
        jobs.append({"id": i, "title": "Role %d" % i, "location": {"name": ""},
                     "absolute_url": "https://example.test/jobs/%d" % i,
                     "departments": [], "content": html.escape(body)})
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


def num(v):
    return None if v in (None, "") else float(v)


def same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 0.005)


def matches(expect, row):
    pmin, pmax, cur, period = num(row[0]), num(row[1]), row[2], row[3]
    if not isinstance(expect, dict):
        return pmin is None and pmax is None
    emin, emax = expect.get("min"), expect.get("max")
    if not same(pmin, emin) or (period or None) != expect.get("interval"):
        return False
    if expect.get("currency") and expect["currency"] != cur:
        return False
    # a single stated amount is stored as min = max; some labels write it as {min, null}
    return same(pmax, emax) or (emax is None and same(pmax, pmin))


def pipeline(t, pg, http, conf):
    cases = corpus()
    http.routes({"/board": {"body": board(cases)}})
    jwtest.write_config(conf, pg.conninfo(), [("corpus", "greenhouse", http.base + "/board")],
                        poll="max_body = 67108864;")
    rc, err = jwtest.run_once(conf)
    jwtest.eq(rc, 0, "jobwatchd --once: " + err[-2000:])
    rows = {int(r[0]): r[1:] for r in pg.query(
        "SELECT external_id, pay_min, pay_max, coalesce(pay_currency, ''), "
        "coalesce(pay_period, '') FROM postings")}
    jwtest.eq(len(rows), len(cases), "postings stored")
    ok = 0
    by_lang = {}
    null_wrong = 0
    for i, c in enumerate(cases, 1):
        good = matches(c["expect"], rows[i])
        ok += good
        n, k = by_lang.get(c["lang"], (0, 0))
        by_lang[c["lang"]] = (n + 1, k + good)
        if not good:
            if not isinstance(c["expect"], dict) and c.get("src") not in DISPUTED_NULL:
                null_wrong += 1
            print("# mismatch %s %s: expected %s, stored %s" % (c["lang"], c.get("src"),
                                                                 c["expect"], rows[i]))
    for lang, (n, k) in sorted(by_lang.items()):
        print("# %s: %d/%d exact (%.1f%%)" % (lang, k, n, 100.0 * k / n))
    rate = ok / len(cases)
    print("# pipeline pay accuracy: %d/%d = %.1f%%" % (ok, len(cases), 100 * rate))
    jwtest.eq(null_wrong, 0, "windows labelled null that stored pay")
    assert rate >= THRESHOLD, "accuracy %.3f below %.2f" % (rate, THRESHOLD)


def main():
    s = jwtest.Suite()
    pg, http = jwtest.Postgres(), jwtest.HttpServer()
    d = jwtest.tmpdir("jobwatch-pay-")
    try:
        s.run("pay corpus through the pipeline >= 99%", pipeline, s, pg, http,
              os.path.join(d, "jobwatch.conf"))
    finally:
        http.stop()
        pg.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Pay through the whole pipeline: every labelled window of the real corpora (EN, DE, FR, ES;
synthetic lines left out) becomes the description of one posting on a Greenhouse-style board
on loopback; jobwatchd --once stores them; min, max, period (and currency where the label has
one) are read back from postings. At least 99% must be exactly right (issue 22), and the windows
labelled null must store no pay. Then sentences of our own in several languages (labels of
several ranges, pay verbs, "kr", thousands in words, periods in words) are read back from
pay_ranges and postings, each range with its label."""
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


# Sentences of our own, in the forms postings use (issue 22's last classes): each is one
# posting's description on the board, with its location; every range stored in pay_ranges
# (label, min, max, currency, period; a label is stored only when there are several ranges),
# then the posting's summary envelope. None: the posting must store no pay.
SENTENCES = [
    ("The typical base pay range for this role across the U.S. is USD $120,000 - $180,000 per "
     "year. There is a different range applicable to specific work locations, within the "
     "Seattle area and Boston metropolitan area, and the base pay range for this role in those "
     "locations is USD $140,000 - $200,000 per year.", "Redmond, WA",
     [("U.S.", 120000, 180000, "USD", "year"),
      ("Seattle area and Boston metropolitan area", 140000, 200000, "USD", "year")]),
    ("In compliance with state pay transparency laws, the base salary range for this role is: "
     "California: $145,000 - $175,000; New York: $140,000 - $170,000; Colorado: $125,000 - "
     "$155,000.", "Remote, US",
     [("California", 145000, 175000, "USD", "year"), ("New York", 140000, 170000, "USD", "year"),
      ("Colorado", 125000, 155000, "USD", "year")]),
    ("Base pay by tier\nTier 1: $52 - $60 per hour\nTier 2: $47 - $55 per hour", "Austin, TX",
     [("Tier 1", 52, 60, "USD", "hour"), ("Tier 2", 47, 55, "USD", "hour")]),
    ("Base Salary Range: $160,000—$200,000 (San Francisco / New York); $140,000—$180,000 "
     "(all other US locations)", "San Francisco, CA",
     [("San Francisco / New York", 160000, 200000, "USD", "year"),
      ("all other US locations", 140000, 180000, "USD", "year")]),
    ("Je verdient tussen €3.200 en €4.100 per maand.", "Amsterdam",
     [(None, 3200, 4100, "EUR", "month")]),
    ("Guadagnerai 1.400 € al mese.", "Roma", [(None, 1400, 1400, "EUR", "month")]),
    ("This role pays $26 - $31 per hour, plus tips.", "Denver, CO",
     [(None, 26, 31, "USD", "hour")]),
    ("As an intern you will earn \u00a3" "2,100 per month.", "London, UK",
     [(None, 2100, 2100, "GBP", "month")]),
    ("Customers pay $49 per month for the Pro plan, and sellers earn $300 per week on it.",
     "Remote", None),
    ("Lön: 45 000 kr/mån. Vi söker dig som vill utvecklas hos oss.", "Stockholm",
     [(None, 45000, 45000, "SEK", "month")]),
    ("Lønn: kr 600.000–700.000 per år. Vi ser etter deg som har erfaring.", "",
     [(None, 600000, 700000, "NOK", "year")]),
    ("Løn: 42.000 kr. om måneden efter aftale.", "Aarhus, Denmark",
     [(None, 42000, 42000, "DKK", "month")]),
    ("Salary: 45 000 kr per month.", "", [(None, 45000, 45000, None, "month")]),
    ("Friskvårdsbidrag på 5 000 kr per år och tjänstepension.", "Malmö", None),
    ("Salario: entre 30 mil y 40 mil euros brutos anuales.", "Madrid",
     [(None, 30000, 40000, "EUR", "year")]),
    ("Sueldo mensual de $ 25 mil MXN.", "Ciudad de México",
     [(None, 25000, 25000, "MXN", "month")]),
    ("Salário: R$ 8 mil a R$ 10 mil por mês.", "São Paulo",
     [(None, 8000, 10000, "BRL", "month")]),
    ("Retribuzione: 30 mila euro lordi annui.", "Milano", [(None, 30000, 30000, "EUR", "year")]),
    ("Wynagrodzenie: 8-12 tys. zł brutto miesięcznie.", "Warszawa",
     [(None, 8000, 12000, "PLN", "month")]),
    ("Salaris: € 3.500 - € 4.200 p.m.", "Utrecht", [(None, 3500, 4200, "EUR", "month")]),
    ("CTC: 12-18 LPA", "Bengaluru", [(None, 1200000, 1800000, "INR", "year")]),
    ("Facturamos 30 mil millones de euros al año y tenemos 30 mil empleados.", "Madrid", None),
]


def sentences_board():
    jobs = []
    for i, (text, loc, _) in enumerate(SENTENCES, 1):
        body = "".join("<p>%s</p>" % html.escape(l) for l in text.split("\n"))
        jobs.append({"id": i, "title": "Role %d" % i, "location": {"name": loc},
                     "absolute_url": "https://example.test/jobs/%d" % i,
                     "departments": [], "content": html.escape(body)})
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


def sentences(t, pg, http, conf):
    pg.reset()
    http.routes({"/board": {"body": sentences_board()}})
    jwtest.write_config(conf, pg.conninfo(), [("sentences", "greenhouse", http.base + "/board")])
    rc, err = jwtest.run_once(conf)
    jwtest.eq(rc, 0, "jobwatchd --once: " + err[-2000:])
    ranges = {}
    for r in pg.query("SELECT p.external_id, r.label, r.pay_min, r.pay_max, r.pay_currency, "
                      "r.pay_period FROM pay_ranges r JOIN postings p ON p.id = r.posting_id "
                      "ORDER BY p.external_id::int, r.ord"):
        ranges.setdefault(int(r[0]), []).append(
            (r[1] or None, num(r[2]), num(r[3]), r[4] or None, r[5] or None))
    summary = {int(r[0]): (num(r[1]), num(r[2]), r[3] or None, r[4] or None) for r in pg.query(
        "SELECT external_id, pay_min, pay_max, pay_currency, pay_period FROM postings")}
    jwtest.eq(len(summary), len(SENTENCES), "postings stored")
    for i, (text, loc, want) in enumerate(SENTENCES, 1):
        want_rows = [(l, float(a), float(b), c, p) for l, a, b, c, p in want] if want else []
        jwtest.eq(ranges.get(i, []), want_rows, "pay_ranges of %r (%s)" % (text[:60], loc))
        if want:
            env = (min(w[1] for w in want_rows if w[3:] == want_rows[0][3:]),
                   max(w[2] for w in want_rows if w[3:] == want_rows[0][3:]),
                   want_rows[0][3], want_rows[0][4])
        else:
            env = (None, None, None, None)
        jwtest.eq(summary[i], env, "summary pay of %r" % text[:60])


def main():
    s = jwtest.Suite()
    pg, http = jwtest.Postgres(), jwtest.HttpServer()
    d = jwtest.tmpdir("jobwatch-pay-")
    try:
        s.run("pay corpus through the pipeline >= 99%", pipeline, s, pg, http,
              os.path.join(d, "jobwatch.conf"))
        s.run("labels, pay verbs, kronor, thousands in words and periods through the pipeline",
              sentences, s, pg, http, os.path.join(d, "jobwatch.conf"))
    finally:
        http.stop()
        pg.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

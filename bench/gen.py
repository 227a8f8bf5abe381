#!/usr/bin/env python3
"""gen.py - deterministic job boards for the scale benchmark (python3 stdlib only).

  gen.py --n N --out DIR [--postings 100] [--seed 1] [--change PCT]

writes DIR/boards/b0000.json … : even boards are Greenhouse-shaped ({"jobs": […], "meta"}),
odd boards Lever-shaped (a bare array), each of --postings postings with a ~3 KB description
(about 350 KB a board of 100). Some postings state their pay in a sentence of the
description, some in structured fields (Greenhouse pay_input_ranges, Lever salaryRange).
About half of the Greenhouse descriptions carry an HTML <br>, as the real ones do.

--change PCT rewrites PCT% of the boards (every board whose index is in the chosen set) as
they would look a poll later: one title changed, one pay raised, one posting removed and one
added. Only those files are written again, with their mtime moved forward, so a static file
server gives them a new ETag and the others still answer 304. The same arguments always give
the same bytes."""
import argparse
import html
import json
import os
import random

TITLES = [
    "Software Engineer", "Senior Software Engineer", "Staff Software Engineer",
    "Machine Learning Engineer", "Senior Machine Learning Engineer", "Data Scientist",
    "Product Manager", "Product Designer", "Site Reliability Engineer", "Security Engineer",
    "Account Executive", "Customer Success Manager", "Recruiter", "Financial Analyst",
    "Research Scientist, LLM", "Backend Engineer (Payments)", "Frontend Engineer",
    "Engineering Manager, AI Platform", "Technical Writer", "Data Engineer",
]
LEVELS = ["", "", "", " II", " III", ", Infrastructure", ", Growth", " - Remote"]
DEPARTMENTS = ["Engineering", "Machine Learning", "Product", "Design", "Sales", "Finance",
               "People", "Security", "Customer Success", "Research"]
LOCATIONS = ["San Francisco, CA", "New York, NY", "Remote - US", "London, UK", "Berlin, Germany",
             "Toronto, Canada", "Austin, TX", "Seattle, WA", "Paris, France", "Dublin, Ireland"]
SENTENCES = [
    "We are looking for an engineer who enjoys owning problems from design to production.",
    "You will work with a small team that ships to millions of customers every week.",
    "Our platform processes billions of events a day and we care about every one of them.",
    "You have experience with distributed systems, databases and the operation of services.",
    "You write clear code, review others' work with care and document what you build.",
    "Experience with machine learning infrastructure, model serving or data pipelines is a plus.",
    "We value curiosity, directness and the habit of measuring before optimising.",
    "You will mentor other engineers and help set the technical direction of the group.",
    "The role involves on-call duty one week in eight, with a generous compensation for it.",
    "We offer health, dental and vision insurance, a learning budget and parental leave.",
    "Our offices are open three days a week; fully remote work is possible for most roles.",
    "You will partner with product, design and research to decide what we build next.",
    "Strong communication skills in English are required; other languages are welcome.",
    "We are an equal opportunity employer and welcome applicants from every background.",
    "Tell us about a system you built that you are proud of, and one you would build again.",
]
HEADINGS = ["About the role", "What you will do", "What we look for", "Benefits", "About us"]
CURRENCY = {"London, UK": "GBP", "Berlin, Germany": "EUR", "Paris, France": "EUR",
            "Dublin, Ireland": "EUR", "Toronto, Canada": "CAD"}


def board_rng(seed, index, salt=0):
    return random.Random(seed * 1000003 + index * 7919 + salt)


def pay_for(rng, location):
    low = rng.randrange(60, 260) * 1000
    return {"min": low, "max": low + rng.randrange(20, 120) * 1000,
            "currency": CURRENCY.get(location, "USD")}


def pay_sentence(pay):
    sym = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$"}[pay["currency"]]
    return ("The base salary range for this position is %s%s - %s%s %s per year, "
            "plus equity and benefits." % (sym, format(pay["min"], ","), sym,
                                           format(pay["max"], ","), pay["currency"]))


def description(rng, pay_line):
    """A list of (heading, [paragraph, …]) of about 2.5 KB of text."""
    sections = []
    for h in HEADINGS:
        paras = [" ".join(rng.choice(SENTENCES) for _ in range(rng.randrange(2, 4)))
                 for _ in range(2)]
        sections.append((h, paras))
    if pay_line:
        sections[-2][1].append(pay_line)
    return sections


def to_html(sections, br=False):
    """br: a line break in each paragraph, as an HTML <br> (not XML's <br/>), which more than
    half of the real Greenhouse descriptions carry (tests/fixtures/greenhouse)."""
    def para(p):
        p = html.escape(p)
        return p.replace(". ", ".<br>", 1) if br else p
    return "".join("<h3>%s</h3>%s" % (html.escape(h), "".join(
        "<p>%s</p>" % para(p) for p in paras)) for h, paras in sections)


def to_plain(sections):
    return "\n\n".join("%s\n%s" % (h, "\n".join(paras)) for h, paras in sections)


def posting(seed, b, k):
    """The k-th posting of board b as a plain dict, independent of the board's shape."""
    rng = board_rng(seed, b, 1 + k)
    loc = rng.choice(LOCATIONS)
    pay = pay_for(rng, loc)
    how = rng.random()  # 35% structured pay, 30% a pay line, 35% no stated pay
    return {"id": 4000000 + b * 10000 + k, "title": rng.choice(TITLES) + rng.choice(LEVELS),
            "department": rng.choice(DEPARTMENTS), "location": loc,
            "pay": pay if how < 0.65 else None, "structured": how < 0.35,
            "desc": description(rng, pay_sentence(pay) if 0.35 <= how < 0.65 else None),
            "updated": "2026-11-%02dT%02d:%02d:00Z" % (1 + k % 27, k % 24, (b + k) % 60),
            "br": rng.random() < 0.55}


def greenhouse(b, posts):
    jobs = []
    for p in posts:
        j = {"id": p["id"], "internal_job_id": p["id"] - 1000000, "title": p["title"],
             "updated_at": p["updated"], "requisition_id": "R%d" % p["id"],
             "location": {"name": p["location"]},
             "absolute_url": "https://job-boards.example.test/b%04d/jobs/%d" % (b, p["id"]),
             "metadata": None, "language": "en",
             "content": html.escape(to_html(p["desc"], p["br"])),
             "departments": [{"id": 100 + len(p["department"]), "name": p["department"],
                              "child_ids": [], "parent_id": None}],
             "offices": [{"id": 200 + len(p["location"]), "name": p["location"],
                          "location": p["location"], "child_ids": [], "parent_id": None}]}
        if p["structured"]:
            j["pay_input_ranges"] = [{
                "min_cents": p["pay"]["min"] * 100, "max_cents": p["pay"]["max"] * 100,
                "currency_type": p["pay"]["currency"], "title": "Annual Salary",
                "blurb": "<p>Final offers depend on location and experience.</p>"}]
        jobs.append(j)
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def lever(b, posts):
    out = []
    for p in posts:
        uid = "%08x-0000-4000-8000-%012x" % (b, p["id"])
        desc, rest = p["desc"][:1], p["desc"][1:]
        j = {"id": uid, "text": p["title"], "createdAt": 1790000000000 + p["id"],
             "categories": {"commitment": "Full-time", "department": p["department"],
                            "location": p["location"], "team": p["department"],
                            "allLocations": [p["location"]]},
             "country": "US", "workplaceType": "hybrid",
             "description": to_html(desc), "descriptionPlain": to_plain(desc),
             "lists": [{"text": h, "content": "".join("<li>%s</li>" % html.escape(x)
                                                       for x in paras)} for h, paras in rest],
             "additional": "<p>Apply with a CV in English.</p>",
             "additionalPlain": "Apply with a CV in English.",
             "hostedUrl": "https://jobs.example.test/b%04d/%s" % (b, uid),
             "applyUrl": "https://jobs.example.test/b%04d/%s/apply" % (b, uid)}
        if p["structured"]:
            j["salaryRange"] = {"min": p["pay"]["min"], "max": p["pay"]["max"],
                                "currency": p["pay"]["currency"],
                                "interval": "per-year-salary"}
        out.append(j)
    return out


def change(seed, b, posts, npostings):
    """A poll later: one title edited, one pay raised, the last removed, one new."""
    rng = board_rng(seed, b, 999983)
    posts = [dict(p) for p in posts]
    i = rng.randrange(len(posts))
    posts[i]["title"] += " (Senior)"
    paid = [p for p in posts if p["pay"] and p["structured"]]
    if paid:
        p = rng.choice(paid)
        p["pay"] = dict(p["pay"], max=p["pay"]["max"] + 10000)
    posts.pop()
    posts.append(posting(seed, b, npostings + 1))
    return posts


def changed_set(n, pct):
    """The boards --change PCT rewrites: a fixed spread over the index range."""
    k = n * pct // 100
    return set(range(0, n, max(1, n // k))[:k]) if k else set()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--postings", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--change", type=int, default=0, metavar="PCT")
    a = ap.parse_args()
    bdir = os.path.join(a.out, "boards")
    os.makedirs(bdir, exist_ok=True)
    which = changed_set(a.n, a.change) if a.change else range(a.n)
    total = 0
    for b in which:
        posts = [posting(a.seed, b, k) for k in range(a.postings)]
        if a.change:
            posts = change(a.seed, b, posts, a.postings)
        doc = greenhouse(b, posts) if b % 2 == 0 else lever(b, posts)
        path = os.path.join(bdir, "b%04d.json" % b)
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        with open(path, "wb") as f:
            f.write(data)
        total += len(data)
        if a.change:  # a new mtime, so the ETag changes even when the size does not
            st = os.stat(path)
            os.utime(path, (st.st_atime + 10, st.st_mtime + 10))
    print("boards=%d bytes=%d" % (len(which), total))


if __name__ == "__main__":
    main()

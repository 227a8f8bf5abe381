#!/usr/bin/python3
"""httpd.py - a loopback HTTP/1.1 server whose answers are scripted, for jobwatch's tests.

    httpd.py SCRIPT.json [REQUESTS.log]

Listens on 127.0.0.1, a free port, and prints "PORT <n>" as its first line. SCRIPT is re-read on
every request, so a test changes behaviour between polls by renaming a new file over it. It maps
a path with its query string (exact), or else the bare path, to one response or to a list of
responses served in turn (the last one repeats). Unknown paths get 404. A response has:

    status (200)   headers {}      body "text"     body_file "/abs/path"   repeat N (body N times)
    gzip           Content-Encoding gzip when the client accepts it (or always, with gzip "force")
    delay S        sleep before answering          trickle B   send B bytes a second
    hang_after_headers   send headers, then nothing until the client leaves
    close_mid_body       announce the whole length, send half, close
    etag "v"       send ETag; If-None-Match "v" gets 304     last_modified "date": same with
                   If-Modified-Since                         redirect "url": 302 (or status) + Location

A route may instead be {"match_body": [[substring, response], …]}: the first response whose
substring is in the request body is served (for POSTed paging such as Workday's), else 404.

Each request is logged as one JSON line to REQUESTS (method, path, if_none_match,
if_modified_since, content_type, accept_encoding, user_agent, body_len, body, active = requests in
flight including this one, max_active = the high-water mark so far, t = arrival time).
"""
import gzip
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"active": 0, "max_active": 0, "turns": {}}
gzip_cache = {}


def pick(path, reqbody=b""):
    """The scripted response for path, advancing its turn when it is a list."""
    with open(sys.argv[1]) as f:
        script = json.load(f)
    key = path if path in script else path.split("?", 1)[0]
    if key not in script:
        return {"status": 404, "body": "not found\n"}
    resp = script[key]
    if isinstance(resp, dict) and "match_body" in resp:
        text = reqbody.decode(errors="replace")
        resp = next((r for sub, r in resp["match_body"] if sub in text),
                    {"status": 404, "body": "no scripted body matches\n"})
    if isinstance(resp, list):
        with lock:
            turn = state["turns"].get(key, 0)
            state["turns"][key] = turn + 1
        resp = resp[min(turn, len(resp) - 1)]
    return resp


def body_of(resp):
    if "body_file" in resp:
        with open(resp["body_file"], "rb") as f:
            body = f.read()
    else:
        body = resp.get("body", "").encode()
    return body * resp.get("repeat", 1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass  # the JSON request log is what tests read

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def do_HEAD(self):
        self.serve()

    def serve(self):
        n = int(self.headers.get("Content-Length") or 0)
        reqbody = self.rfile.read(n) if n else b""
        with lock:
            state["active"] += 1
            state["max_active"] = max(state["max_active"], state["active"])
            self.note(reqbody, state["active"], state["max_active"])
        try:
            self.respond(pick(self.path, reqbody))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with lock:
                state["active"] -= 1

    def note(self, reqbody, active, max_active):
        if len(sys.argv) < 3:
            return
        h = self.headers
        line = {"method": self.command, "path": self.path,
                "if_none_match": h.get("If-None-Match"),
                "if_modified_since": h.get("If-Modified-Since"),
                "content_type": h.get("Content-Type"),
                "accept_encoding": h.get("Accept-Encoding"),
                "user_agent": h.get("User-Agent"), "body_len": len(reqbody),
                "body": reqbody.decode(errors="replace"),
                "active": active, "max_active": max_active, "t": time.time()}
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps(line) + "\n")

    def respond(self, resp):
        time.sleep(resp.get("delay", 0))
        status = resp.get("status", 200)
        headers = dict(resp.get("headers", {}))
        body = body_of(resp)
        if "redirect" in resp:
            status = resp.get("status", 302)
            headers["Location"] = resp["redirect"]
        for field, req in (("etag", "If-None-Match"), ("last_modified", "If-Modified-Since")):
            if field in resp:
                headers["ETag" if field == "etag" else "Last-Modified"] = resp[field]
                if self.headers.get(req) == resp[field]:
                    status, body = 304, b""
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if resp.get("gzip") and body and (accepts or resp["gzip"] == "force"):
            key = (len(body), hash(body))
            if key not in gzip_cache:  # a 50 MB bomb is compressed once
                gzip_cache[key] = gzip.compress(body, 6)
            body = gzip_cache[key]
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if resp.get("hang_after_headers"):
            self.wfile.flush()
            while self.rfile.read(1):  # until the client gives up and closes
                pass
            self.close_connection = True
            return
        if resp.get("close_mid_body"):
            body = body[: len(body) // 2]
            self.close_connection = True
        if self.command == "HEAD" or status == 304:
            return
        self.send_body(body, resp.get("trickle"))

    def send_body(self, body, rate):
        if not rate:
            self.wfile.write(body)
            return
        step = max(1, rate // 10)
        for i in range(0, len(body), step):
            self.wfile.write(body[i : i + step])
            self.wfile.flush()
            time.sleep(step / rate)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients giving up is normal
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

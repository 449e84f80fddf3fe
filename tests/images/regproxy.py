#!/usr/bin/env python3
"""A misbehaving front for the test registry, one mode per instance:

  regproxy.py MODE PORT UPSTREAM
    token    /v2/ needs a bearer token from /token, which needs basic auth
             (user "rl", password "secret")
    flaky    every path fails twice with 503, then is forwarded
    corrupt  blob bodies come back with one byte flipped
    slow     blobs are sent slowly (for kill -9 mid-download tests)
"""
import base64, http.server, socketserver, sys, time, urllib.error, urllib.request

MODE, PORT, UP = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TOKEN = "tok-" + str(PORT)
seen = {}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if MODE == "token" and self.path.startswith("/token"):
            want = "Basic " + base64.b64encode(b"rl:secret").decode()
            if self.headers.get("Authorization") != want:
                return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}')
            return self.reply(200, ('{"token":"%s"}' % TOKEN).encode(), {"Content-Type": "application/json"})
        if MODE == "token" and self.headers.get("Authorization") != "Bearer " + TOKEN:
            realm = 'Bearer realm="http://127.0.0.1:%d/token",service="test",scope="repository:x:pull"' % PORT
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', {"WWW-Authenticate": realm})
        if MODE == "flaky":
            n = seen.get(self.path, 0)
            seen[self.path] = n + 1
            if n < 2:
                return self.reply(503, b"try again")
        req = urllib.request.Request(UP + self.path, method=self.command,
                                     headers={k: v for k, v in self.headers.items() if k.lower() == "accept"})
        try:
            with urllib.request.urlopen(req) as r:
                code, hdrs, body = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            code, hdrs, body = e.code, dict(e.headers), e.read()
        keep = {k: v for k, v in hdrs.items() if k.lower() in ("content-type", "docker-content-digest")}
        if MODE == "corrupt" and "/blobs/" in self.path and code == 200 and len(body) > 4096:
            body = body[:50] + bytes([body[50] ^ 0xff]) + body[51:]
        if MODE == "slow" and "/blobs/" in self.path and code == 200 and len(body) > 100000:
            self.send_response(200)
            for k, v in keep.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(0, len(body), 16384):
                self.wfile.write(body[i:i + 16384])
                self.wfile.flush()
                time.sleep(0.05)
            return
        self.reply(code, body, keep)


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


S(("127.0.0.1", PORT), H).serve_forever()

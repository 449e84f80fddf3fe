#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A misbehaving front for the test registry, one mode per instance:

  regproxy.py MODE PORT UPSTREAM
    token    /v2/ needs a bearer token from /token, which needs basic auth
             (user "rl", password "secret")
    flaky    every path fails twice with 503, then is forwarded
    corrupt  blob bodies come back with one byte flipped
    slow     blobs are sent slowly (for kill -9 mid-download tests)
    count    forwarded; each blob GET is logged to the file named by argv[4]
    fake     serves hostile manifests for /v2/bad/manifests/<case>
    redirect blob GETs answer 307 to the registry itself (as S3 storage does)
    lie      /v2/lie-<case>/...: "small" with lengths that lie (see LIES)
"""
import base64, json, http.server, socketserver, sys, time, urllib.error, urllib.request

MODE, PORT, UP = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TOKEN = "tok-" + str(PORT)
seen = {}
LOG = sys.argv[4] if len(sys.argv) > 4 else None
LAYER = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 1,
         "digest": "sha256:" + "0" * 64}
CONFIG = {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1, "digest": "sha256:" + "1" * 64}
FAKE = {
    "badjson": b'{"schemaVersion": 2, "layers": [',
    "unknownmedia": json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                "config": CONFIG, "layers": [dict(LAYER, mediaType="application/x-evil")]}).encode(),
    "schema1": json.dumps({"schemaVersion": 1, "name": "bad", "tag": "x", "fsLayers": []}).encode(),
    "baddigest": json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                             "config": CONFIG, "layers": [dict(LAYER, digest="sha256:../../etc")]}).encode(),
    "huge": b'{"schemaVersion": 2, "pad": "' + b"x" * (5 << 20) + b'"}',
}


# lie mode: each case is a repository serving "small" with one lie.
LIES = {
    "stallmanifest",  # manifest: Content-Length 100 past the body, then silence
    "endlessmanifest",  # manifest: chunked, never ending
    "stallblob",  # layer: half the body, then silence
    "endlessblob",  # layer: the real bytes, then more, without end
    "endlessconfig",  # config: the real bytes, then more, without end
    "size3",  # manifest: every layer's size says 3
    "sizehuge",  # manifest: every layer's size says 2^62
}


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

    def hold(self):
        self.wfile.flush()
        time.sleep(3600)

    def endless(self, first, ctype):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = first
        while True:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            chunk = b"\0" * 65536

    def lie(self):
        repo, _, rest = self.path[4:].partition("/")
        case = repo[4:]
        if case not in LIES:
            return self.reply(404, b'{"errors":[{"code":"NAME_UNKNOWN"}]}')
        req = urllib.request.Request(UP + "/v2/small/" + rest, headers={
            "Accept": self.headers.get("Accept", "*/*")})
        with urllib.request.urlopen(req) as r:
            body, ctype = r.read(), r.headers.get("Content-Type", "")
        kind = "manifest" if rest.startswith("manifests/") else "blob"
        if kind == "manifest":
            m = json.loads(body)
            if case in ("size3", "sizehuge"):
                for l in m["layers"]:
                    l["size"] = 3 if case == "size3" else 1 << 62
                body = json.dumps(m).encode()
            if case == "stallmanifest":
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) + 100))
                self.end_headers()
                self.wfile.write(body)
                return self.hold()
            if case == "endlessmanifest":
                return self.endless(body, ctype)
            return self.reply(200, body, {"Content-Type": ctype})
        is_config = len(body) < 4096  # small's config; its one layer is larger
        if case == "stallblob" and not is_config:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            return self.hold()
        if (case == "endlessblob" and not is_config) or (case == "endlessconfig" and is_config):
            return self.endless(body, "application/octet-stream")
        return self.reply(200, body)

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
        if MODE == "lie":
            return self.lie()
        if MODE == "fake":
            case = self.path.rsplit("/", 1)[-1]
            if case not in FAKE:
                return self.reply(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            return self.reply(200, FAKE[case], {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if MODE == "count" and "/blobs/" in self.path and self.command == "GET":
            with open(LOG, "a") as f:
                f.write(self.path + "\n")
        if MODE == "redirect" and "/blobs/" in self.path:
            return self.reply(307, b"", {"Location": UP + self.path})
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

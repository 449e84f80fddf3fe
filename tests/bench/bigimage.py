#!/usr/bin/env python3
"""The pull benchmark's image: two gzip layers (~250 MB) cut from this Debian
host's /usr, pushed once to the bench registry.   bigimage.py REGISTRY"""
import hashlib, json, subprocess, sys, urllib.error, urllib.request

REG = sys.argv[1]
NAME = "big"


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as r:
        return r.status, dict(r.headers), r.read()


def exists():
    try:
        http("HEAD", "http://%s/v2/%s/manifests/latest" % (REG, NAME),
             headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
        return True
    except urllib.error.HTTPError:
        return False


def layer(paths):
    raw = subprocess.run(["tar", "-C", "/", "-cf", "-", "--numeric-owner"] + paths, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    gz = subprocess.run(["gzip", "-6", "-n"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw, gz


def push_blob(blob):
    d = "sha256:" + hashlib.sha256(blob).hexdigest()
    _, h, _ = http("POST", "http://%s/v2/%s/blobs/uploads/" % (REG, NAME))
    loc = h["Location"]
    loc = ("http://%s%s" % (REG, loc) if loc.startswith("/") else loc) + ("&" if "?" in loc else "?") + "digest=" + d
    http("PUT", loc, blob, {"Content-Type": "application/octet-stream"})
    return d


if not exists():
    layers, diffs = [], []
    for paths in (["usr/bin"], ["usr/lib/gcc", "usr/lib/python3", "usr/lib/python3.11"]):
        raw, gz = layer(paths)
        diffs.append("sha256:" + hashlib.sha256(raw).hexdigest())
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": push_blob(gz),
                       "size": len(gz)})
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/usr/bin/true"]},
                      "rootfs": {"type": "layers", "diff_ids": diffs}}).encode()
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": push_blob(cfg), "size": len(cfg)}, "layers": layers}).encode()
    http("PUT", "http://%s/v2/%s/manifests/latest" % (REG, NAME), man,
         {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
print(REG + "/" + NAME)

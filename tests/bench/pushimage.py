#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An image for the pull benchmarks, pushed once to the bench registry: one
gzip layer per LAYER, each a tar of the paths it names under ROOT.

    pushimage.py REGISTRY NAME ROOT LAYER...

A LAYER is a space-separated list of paths relative to ROOT, optionally
led by --exclude=PATTERN arguments for tar. Prints REGISTRY/NAME."""
import hashlib, json, shlex, subprocess, sys, urllib.error, urllib.request

REG, NAME, ROOT, LAYERS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]


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


def layer(args):
    raw = subprocess.run(["tar", "-C", ROOT, "-cf", "-", "--numeric-owner"] + args, stdout=subprocess.PIPE,
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
    for spec in LAYERS:
        raw, gz = layer(shlex.split(spec))
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

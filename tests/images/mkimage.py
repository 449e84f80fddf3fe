#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the test images of the system tests and pushes them to a registry
over the Registry HTTP API (monolithic uploads), with no other tool.

  mkimage.py REGISTRY OUTDIR

Images (all busybox-static based):
  multi:gzip, multi:zstd, multi:plain  two layers exercising whiteouts, an
      opaque dir, hardlinks, symlinks, setuid, owners 1000 and 65534, a
      security.capability xattr, a sparse file; OUTDIR/multi.expected is the
      merged view, one line per path: "path uid gid mode type size".
  multiarch:latest  an index with linux/amd64 and linux/arm64 images.
  small:latest      one layer (busybox only).
"""
import gzip, hashlib, io, json, os, subprocess, sys, tarfile, urllib.request

REG, OUT = sys.argv[1], sys.argv[2]
BUSYBOX = open("/bin/busybox", "rb").read()
APPLETS = ["sh", "ls", "cat", "echo", "id", "stat", "find", "sort", "true", "sleep", "awk",
           "wc", "touch", "ps", "test", "[", "env", "pwd", "head", "grep", "mkdir", "rm", "printf",
           "xargs", "sed", "ln", "readlink", "hostname", "mount", "cut", "tr", "false", "nproc"]
CAP = bytes.fromhex("0100000200200000000000000000000000000000")  # v2: cap_net_raw+ep


def ti(name, typ=tarfile.REGTYPE, mode=0o644, uid=0, gid=0, size=0, link="", pax=None):
    t = tarfile.TarInfo(name)
    t.type, t.mode, t.uid, t.gid, t.size, t.linkname = typ, mode, uid, gid, size, link
    t.mtime = 1700000000
    if pax:
        t.pax_headers = pax
    return t


def add(tar, t, data=b""):
    t.size = len(data) if t.type == tarfile.REGTYPE else 0
    tar.addfile(t, io.BytesIO(data) if data else None)


def base_entries(tar, extra_files=()):
    add(tar, ti("./", tarfile.DIRTYPE, 0o755))
    for d in ["bin", "etc", "tmp", "root", "home"]:
        add(tar, ti(d + "/", tarfile.DIRTYPE, 0o1777 if d == "tmp" else 0o755))
    add(tar, ti("bin/busybox", mode=0o755), BUSYBOX)
    for a in APPLETS:
        add(tar, ti("bin/" + a, tarfile.SYMTYPE, 0o777, link="busybox"))
    add(tar, ti("etc/passwd"), b"root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
        b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
    add(tar, ti("etc/group"), b"root:x:0:\nalice:x:1000:\nstaff:x:50:alice\nnogroup:x:65534:\n")
    for name, data in extra_files:
        add(tar, ti(name), data)


def layer1():
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tar:
        base_entries(tar)
        add(tar, ti("data/", tarfile.DIRTYPE, 0o755))
        add(tar, ti("data/owned1000", uid=1000, gid=1000, mode=0o640), b"alice's\n")
        add(tar, ti("data/nobody", uid=65534, gid=65534, mode=0o600), b"nobody's\n")
        add(tar, ti("data/setuid", mode=0o4755), b"#!/bin/sh\necho suid\n")
        add(tar, ti("data/setgid-dir/", tarfile.DIRTYPE, 0o2775, gid=50))
        add(tar, ti("data/hard1"), b"linked content\n")
        add(tar, ti("data/hard2", tarfile.LNKTYPE, link="data/hard1"))
        add(tar, ti("data/symlink", tarfile.SYMTYPE, 0o777, link="hard1"))
        add(tar, ti("data/abslink", tarfile.SYMTYPE, 0o777, link="/etc/passwd"))
        add(tar, ti("data/cap", mode=0o755, pax={"SCHILY.xattr.security.capability": CAP.decode("latin-1")}),
            b"#!/bin/sh\n")
        add(tar, ti("data/gone"), b"deleted in layer 2\n")
        add(tar, ti("data/gonedir/", tarfile.DIRTYPE))
        add(tar, ti("data/gonedir/inner"), b"x\n")
        add(tar, ti("opq/", tarfile.DIRTYPE, 0o755))
        add(tar, ti("opq/old1"), b"hidden\n")
        add(tar, ti("opq/sub/", tarfile.DIRTYPE))
        add(tar, ti("opq/sub/old2"), b"hidden\n")
        # sparse: GNU sparse via pax 1.0 is awkward in Python; a file of zeros
        # with holes is stored dense, and its size is what the test checks.
        add(tar, ti("data/zeros"), b"\0" * 1048576)
    return b.getvalue()


def layer2():
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add(tar, ti("data/", tarfile.DIRTYPE, 0o755))
        add(tar, ti("data/.wh.gone"))
        add(tar, ti("data/.wh.gonedir"))
        add(tar, ti("data/added", uid=1000, gid=50), b"new in layer 2\n")
        add(tar, ti("opq/", tarfile.DIRTYPE, 0o755))
        add(tar, ti("opq/.wh..wh..opq"))
        add(tar, ti("opq/new"), b"visible\n")
    return b.getvalue()


def expected(layers):
    """The merged view of /data and /opq, as `stat -c '%n %u %g %a %F %s'` prints it."""
    view = {}
    for raw in layers:
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            for t in tar.getmembers():
                name = "/" + t.name.lstrip("./").rstrip("/")
                base = os.path.basename(name)
                d = os.path.dirname(name)
                if base == ".wh..wh..opq":
                    for k in list(view):
                        if k.startswith(d + "/"):
                            del view[k]
                    continue
                if base.startswith(".wh."):
                    victim = d + "/" + base[4:]
                    for k in list(view):
                        if k == victim or k.startswith(victim + "/"):
                            del view[k]
                    continue
                if t.islnk():
                    src = view["/" + t.linkname]
                    view[name] = dict(src)
                    continue
                typ = "directory" if t.isdir() else "symbolic link" if t.issym() else "regular file"
                size = t.size if t.isfile() else len(t.linkname) if t.issym() else "-"
                mode = 0o777 if t.issym() else t.mode
                view[name] = dict(uid=t.uid, gid=t.gid, mode="%o" % mode, type=typ, size=size)
    lines = ["%s %d %d %s %s %s" % (k, v["uid"], v["gid"], v["mode"], v["type"], v["size"])
             for k, v in view.items() if k.startswith("/data") or k.startswith("/opq")]
    return "\n".join(sorted(lines)) + "\n"


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as r:
        return r.status, dict(r.headers), r.read()


def push_blob(repo, blob):
    d = sha(blob)
    _, h, _ = http("POST", "http://%s/v2/%s/blobs/uploads/" % (REG, repo))
    loc = h["Location"]
    if loc.startswith("/"):
        loc = "http://%s%s" % (REG, loc)
    loc += ("&" if "?" in loc else "?") + "digest=" + d
    http("PUT", loc, blob, {"Content-Type": "application/octet-stream"})
    return d


def compress(raw, how):
    if how == "gzip":
        return gzip.compress(raw, 6), "application/vnd.oci.image.layer.v1.tar+gzip"
    if how == "zstd":
        z = subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE, check=True).stdout
        return z, "application/vnd.oci.image.layer.v1.tar+zstd"
    return raw, "application/vnd.oci.image.layer.v1.tar"


def push_image(repo, tag, raws, how="gzip", arch="amd64", cfg_extra=None):
    layers = []
    for raw in raws:
        blob, mt = compress(raw, how)
        layers.append({"mediaType": mt, "digest": push_blob(repo, blob), "size": len(blob)})
    config = {"architecture": arch, "os": "linux", "created": "2024-01-02T03:04:05Z",
              "config": {"Env": ["PATH=/bin", "FROM_IMAGE=yes"], "Cmd": ["sh", "-c", "echo default cmd"],
                         "WorkingDir": "/data", "Labels": {"test": "rl"}},
              "rootfs": {"type": "layers", "diff_ids": [sha(r) for r in raws]}}
    config["config"].update(cfg_extra or {})
    cb = json.dumps(config).encode()
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": push_blob(repo, cb),
                      "size": len(cb)}, "layers": layers}
    mb = json.dumps(man).encode()
    if tag:
        http("PUT", "http://%s/v2/%s/manifests/%s" % (REG, repo, tag), mb,
             {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    else:
        http("PUT", "http://%s/v2/%s/manifests/%s" % (REG, repo, sha(mb)), mb,
             {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    return mb


def platform_layer(text):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tar:
        base_entries(tar, [("platform", text.encode())])
    return b.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    l1, l2 = layer1(), layer2()
    for how in ["gzip", "zstd", "plain"]:
        push_image("multi", how, [l1, l2], how)
    open(os.path.join(OUT, "multi.expected"), "w").write(expected([l1, l2]))
    small = platform_layer("small\n")
    push_image("small", "latest", [small], "gzip", cfg_extra={"User": "alice", "Entrypoint": ["/bin/sh", "-c"],
                                                           "Cmd": ["id; pwd"], "StopSignal": "SIGINT",
                                                           "ExposedPorts": {"8080/tcp": {}}})
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}
    for arch in ["amd64", "arm64"]:
        mb = push_image("multiarch", None, [platform_layer(arch + "\n")], "gzip", arch)
        p = {"architecture": arch, "os": "linux"}
        if arch == "arm64":
            p["variant"] = "v8"
        index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                   "digest": sha(mb), "size": len(mb), "platform": p})
    ib = json.dumps(index).encode()
    http("PUT", "http://%s/v2/multiarch/manifests/latest" % REG, ib,
         {"Content-Type": "application/vnd.oci.image.index.v1+json"})
    with open(os.path.join(OUT, "small.tar"), "wb") as f:
        f.write(small)
    # a GNU sparse file: 64 MiB long, 8 KiB of data
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "sparse"), "wb") as f:
            f.seek(32 << 20)
            f.write(b"x" * 4096)
            f.seek((64 << 20) - 4096)
            f.write(b"y" * 4096)
        sp = subprocess.run(["tar", "--sparse", "--format=gnu", "--numeric-owner", "-C", d, "-cf", "-", "sparse"],
                            stdout=subprocess.PIPE, check=True).stdout
    push_image("sparse", "latest", [small, sp], "gzip")
    # 60 layers: overlay's option string must not limit the depth
    deep = [small]
    for i in range(1, 60):
        b = io.BytesIO()
        with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tar:
            add(tar, ti("deep/", tarfile.DIRTYPE, 0o755))
            add(tar, ti("deep/%02d" % i), b"%d\n" % i)
        deep.append(b.getvalue())
    push_image("deep", "latest", deep, "gzip")


main()

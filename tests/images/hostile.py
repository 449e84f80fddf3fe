#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile layer tarballs for the system tests: each must be refused (or,
for devices, skipped) without writing outside the layer.  hostile.py OUTDIR
Escapes aim at /tmp/rl-hostile-escape*; the tests check nothing appears."""
import gzip, io, os, sys, tarfile

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
ESC = "/tmp/rl-hostile-escape"


def entry(name, typ=tarfile.REGTYPE, data=b"", link=""):
    t = tarfile.TarInfo(name)
    t.type, t.linkname, t.mode = typ, link, 0o644
    t.size = len(data) if typ == tarfile.REGTYPE else 0
    return t, (io.BytesIO(data) if data else None)


def write(name, entries, gz=False):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for t, f in entries:
            tar.addfile(t, f)
    data = gzip.compress(b.getvalue()) if gz else b.getvalue()
    open(os.path.join(OUT, name), "wb").write(data)


write("dotdot.tar", [entry("ok", data=b"x"), entry("../../../../../../../.." + ESC + "-dotdot", data=b"pwned")])
write("abs.tar", [entry(ESC + "-abs", data=b"pwned")])
write("symlink.tar", [entry("link", tarfile.SYMTYPE, link="/tmp"),
                      entry("link/rl-hostile-escape-symlink", data=b"pwned")])
write("symlink-dir.tar", [entry("d", tarfile.SYMTYPE, link="../../../../../../../../tmp"),
                          entry("d/rl-hostile-escape-symdir", data=b"pwned")])
# a directory swapped for a symlink once the writer has it open, then written through
write("symlink-swap.tar", [entry("a/", tarfile.DIRTYPE), entry("a/ok", data=b"x"),
                           entry("b/", tarfile.DIRTYPE), entry("b", tarfile.SYMTYPE, link="/tmp"),
                           entry("b/rl-hostile-escape-swap", data=b"pwned")])
# a hardlink whose target lies behind a symlink (to the host's /etc)
write("hardlink-symlink.tar", [entry("l", tarfile.SYMTYPE, link="/etc"),
                               entry("h", tarfile.LNKTYPE, link="l/passwd")])
write("hardlink.tar", [entry("h", tarfile.LNKTYPE, link="../../../../../../../../etc/passwd")])
write("hardlink-abs.tar", [entry("h", tarfile.LNKTYPE, link="/etc/passwd")])
write("whiteout.tar", [entry("dir/", tarfile.DIRTYPE), entry("dir/.wh..."), entry("after", data=b"x")])
write("device.tar", [entry("dev/", tarfile.DIRTYPE), entry("dev/null", tarfile.CHRTYPE),
                     entry("dev/sda", tarfile.BLKTYPE), entry("file", data=b"kept\n")])
# 64 MiB of zeros: tiny compressed, refused under RL_LAYER_SIZE_LIMIT=16000000
big = tarfile.TarInfo("zeros")
big.size = 64 << 20
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as tar:
    tar.addfile(big, io.BytesIO(b"\0" * big.size))
open(os.path.join(OUT, "bomb.tar.gz"), "wb").write(gzip.compress(b.getvalue(), 9))

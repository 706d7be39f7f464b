#!/usr/bin/env python3
"""Writes an uncompressed tar with arbitrary (hostile) members, which dpkg-deb refuses to build.

usage: craft_tar.py SPEC.json OUT.tar
SPEC: {"members": [{"name": "./x", "type": "file|dir|symlink|hardlink|chr|blk|fifo", "mode": 420,
                    "data": "text", "link": "target", "uid": 0, "gid": 0}], "format": "gnu|pax|ustar"}
"""
import io, json, sys, tarfile

spec = json.load(open(sys.argv[1]))
fmt = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}[spec.get("format", "gnu")]
types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
         "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}
with tarfile.open(sys.argv[2], "w", format=fmt) as tar:
    for m in spec["members"]:
        info = tarfile.TarInfo(m["name"])
        info.type = types[m["type"]]
        info.mode = m.get("mode", 0o755 if m["type"] == "dir" else 0o644)
        info.uid = m.get("uid", 0)
        info.gid = m.get("gid", 0)
        info.uname = "root"
        info.gname = "root"
        info.mtime = m.get("mtime", 1700000000)
        if "link" in m:
            info.linkname = m["link"]
        if info.type in (tarfile.CHRTYPE, tarfile.BLKTYPE):
            info.devmajor, info.devminor = 1, 3
        data = None
        if info.type == tarfile.REGTYPE:
            raw = m.get("data", "").encode()
            info.size = len(raw)
            data = io.BytesIO(raw)
        tar.addfile(info, data)

#!/usr/bin/env python3
"""Installs a Go toolchain from the Go module proxy, checked against its
published checksum. The workshop image's Dockerfile runs it (there is no Go yet
at that point; Python is in every Jupyter base image).

  go-toolchain.py -version 1.26.8 -arch amd64 [-sums FILE] [-proxy LIST] DEST

The toolchain is the module golang.org/toolchain@v0.0.1-goVERSION.linux-ARCH,
the one `GOTOOLCHAIN=goVERSION` downloads. It is fetched from the first proxy
of LIST (default $GOPROXY, else https://proxy.golang.org) that has it
("direct" and "off" are skipped; file:// URLs work, e.g. a module cache's
cache/download directory), and its zip must hash to the "h1:" sum of that
module version in FILE (default go-toolchain.sum next to this script): lines
in go.sum format, copied from sum.golang.org
(https://sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64),
the checksum database every `go` command checks modules against. The "h1:"
hash is Go's dirhash.Hash1 over the files in the zip
(golang.org/x/mod/sumdb/dirhash.HashZip).

DEST (e.g. /usr/local/go) becomes a GOROOT, prepared as the go command does
with a downloaded toolchain (cmd/go/internal/toolchain/select.go): execute
bits on bin/, pkg/tool/ and lib/**/go_*_*_exec, and every _go.mod copied to
go.mod (module zips cannot hold nested go.mod files).

Exit status 1, and nothing installed, when the checksum is missing or differs.
"""
import argparse
import base64
import fnmatch
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile

MODULE = "golang.org/toolchain"


def module_version(version, arch):
    return "v0.0.1-go%s.linux-%s" % (version, arch)


def hash1(zip_path):
    """Go's dirhash.HashZip(zip, dirhash.Hash1): "h1:" and the base64 of the
    SHA-256 of the lines "<sha256 hex of file>  <name>\\n", names sorted."""
    summary = hashlib.sha256()
    with zipfile.ZipFile(zip_path) as z:
        for name in sorted(z.namelist()):
            if "\n" in name:
                raise ValueError("file name with a newline in %s" % zip_path)
            h = hashlib.sha256()
            with z.open(name) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            summary.update(("%s  %s\n" % (h.hexdigest(), name)).encode())
    return "h1:" + base64.b64encode(summary.digest()).decode()


def published_sum(sums_file, version):
    """The h1: sum of MODULE@version in a go.sum-format file, or None."""
    with open(sums_file) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and fields[0] == MODULE and fields[1] == version:
                return fields[2]
    return None


def proxies(proxy_list):
    for p in proxy_list.replace("|", ",").split(","):
        p = p.strip().rstrip("/")
        if p and p not in ("direct", "off"):
            yield p


def fetch(proxy_list, version, dest_file):
    """Downloads MODULE@version's zip from the first proxy that has it."""
    tried = []
    for proxy in proxies(proxy_list):
        url = "%s/%s/@v/%s.zip" % (proxy, MODULE, version)
        try:
            with urllib.request.urlopen(url, timeout=120) as r, open(dest_file, "wb") as out:
                shutil.copyfileobj(r, out, 1 << 20)
            print("go-toolchain: fetched %s" % url, flush=True)
            return
        except (urllib.error.URLError, OSError) as e:
            tried.append("%s: %s" % (url, e))
    raise SystemExit("go-toolchain: no proxy has %s@%s:\n  %s" % (MODULE, version, "\n  ".join(tried) or "(no proxy in the list)"))


def install(zip_path, version, dest):
    """Unpacks the zip (files under MODULE@version/) into dest, as a GOROOT."""
    prefix = "%s@%s/" % (MODULE, version)
    tmp = tempfile.mkdtemp(prefix=".go-toolchain-", dir=os.path.dirname(os.path.abspath(dest)) or ".")
    try:
        with zipfile.ZipFile(zip_path) as z:
            for info in z.infolist():
                if not info.filename.startswith(prefix):
                    raise SystemExit("go-toolchain: unexpected file %s in the zip" % info.filename)
                rel = info.filename[len(prefix):]
                if not rel or rel.endswith("/"):
                    continue
                path = os.path.join(tmp, rel)
                if os.path.commonpath([tmp, os.path.abspath(path)]) != tmp:
                    raise SystemExit("go-toolchain: unsafe path %s in the zip" % info.filename)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with z.open(info) as src, open(path, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        # As cmd/go/internal/toolchain/select.go does after downloading.
        for sub, pattern in (("pkg/tool", "*"), ("lib", "go_?*_?*_exec"), ("bin", "*")):
            for root, _, files in os.walk(os.path.join(tmp, sub)):
                for name in files:
                    if fnmatch.fnmatch(name, pattern):
                        p = os.path.join(root, name)
                        os.chmod(p, os.stat(p).st_mode & 0o777 | 0o111)
        for root, _, files in os.walk(tmp):
            if "_go.mod" in files:
                shutil.copyfile(os.path.join(root, "_go.mod"), os.path.join(root, "go.mod"))
        if not os.path.isfile(os.path.join(tmp, "bin", "go")):
            raise SystemExit("go-toolchain: no bin/go in the toolchain")
        os.chmod(tmp, 0o755)  # mkdtemp's is 0700.
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.rename(tmp, dest)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-version", required=True, help="Go version, e.g. 1.26.8")
    ap.add_argument("-arch", required=True, help="GOARCH: amd64, arm64, …")
    ap.add_argument("-sums", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "go-toolchain.sum"))
    ap.add_argument("-proxy", default=os.environ.get("GOPROXY") or "https://proxy.golang.org")
    ap.add_argument("dest")
    a = ap.parse_args(argv)

    version = module_version(a.version, a.arch)
    want = published_sum(a.sums, version)
    if not want:
        raise SystemExit("go-toolchain: no checksum for %s@%s in %s: add the line that "
                         "https://sum.golang.org/lookup/%s@%s publishes" % (MODULE, version, a.sums, MODULE, version))
    with tempfile.TemporaryDirectory() as d:
        z = os.path.join(d, "toolchain.zip")
        fetch(a.proxy, version, z)
        got = hash1(z)
        if got != want:
            raise SystemExit("go-toolchain: checksum mismatch for %s@%s: downloaded %s, published %s"
                             % (MODULE, version, got, want))
        print("go-toolchain: %s@%s %s verified" % (MODULE, version, got), flush=True)
        install(z, version, a.dest)
    print("go-toolchain: Go %s (linux/%s) installed in %s" % (a.version, a.arch, a.dest), flush=True)


if __name__ == "__main__":
    main()

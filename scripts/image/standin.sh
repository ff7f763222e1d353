#!/usr/bin/env bash
# The image test's stand-in for the Jupyter docker-stacks base image
# (quay.io/jupyter/base-notebook), which no registry here can serve: Debian,
# from the mirror this machine's apt uses, with what docker/Dockerfile relies
# on in the real base —
#   - a user jovyan (UID 1000, group users, GID 100, home /home/jovyan) and
#     NB_USER/NB_UID/NB_GID, HOME, the image running as that user;
#   - Python 3 with JupyterLab 4, nbconvert, nbclient, ipykernel and
#     jupyter_client: the pinned set that scripts/setup.sh installs
#     (scripts/requirements/jupyter.txt, pip --require-hashes), from PyPI, into
#     a virtual environment /opt/jupyter first on PATH (as docker-stacks'
#     /opt/conda), owned by jovyan; pip there uses the system's CA bundle
#     (PIP_CERT);
#   - start-notebook.py as the default command, under tini, starting
#     JupyterLab listening on all interfaces on port 8888, with a token
#     (scripts/image/standin/);
#   - wget, ca-certificates, tini, as docker-stacks' foundation image —
# plus the host's own extra CA certificates (/usr/local/share/ca-certificates),
# for hosts whose HTTPS is intercepted.
#
#   scripts/image/standin.sh --tag       the podman tag, keyed by this recipe (prints it)
#   scripts/image/standin.sh --changes   the Dockerfile lines `podman import --change` needs
#   scripts/image/standin.sh OUT.tar     builds the root file system with mmdebstrap (root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=ca-certificates,tini,netbase,wget,bzip2,locales,python3,python3-venv
requirements=$here/../requirements/jupyter.txt

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || codename=bookworm

# The Debian entries of this machine's apt sources, one "deb URI SUITE
# COMPONENTS" line each (one-line and deb822 formats), else deb.debian.org.
mirrors() {
  /usr/bin/python3 - "$codename" <<'PYEOF'
import glob, re, sys
codename = sys.argv[1]
lines = []
def add(uri, suite, comps):
    if re.search(r"/debian(-security)?/?$", uri) and suite.startswith(codename):
        line = "deb %s %s %s" % (uri.rstrip("/"), suite, " ".join(comps))
        if line not in lines:
            lines.append(line)
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        for l in open(path):
            l = re.sub(r"\[[^]]*\]", " ", l.split("#", 1)[0]).split()
            if len(l) >= 4 and l[0] == "deb":
                add(l[1], l[2], l[3:])
    except OSError:
        pass
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        f = {}
        for l in stanza.splitlines():
            if l.startswith("#") or ":" not in l:
                continue
            k, v = l.split(":", 1)
            f[k.strip().lower()] = v.split()
        if "deb" not in f.get("types", []) or f.get("enabled", ["yes"])[0] == "no":
            continue
        for uri in f.get("uris", []):
            for suite in f.get("suites", []):
                add(uri, suite, f.get("components", ["main"]))
if not lines:
    lines = ["deb http://deb.debian.org/debian %s main" % codename,
             "deb http://deb.debian.org/debian %s-updates main" % codename,
             "deb http://deb.debian.org/debian-security %s-security main" % codename]
print("\n".join(lines))
PYEOF
}

host_cas() {
  [ -d /usr/local/share/ca-certificates ] || return 0
  find /usr/local/share/ca-certificates -type f -name '*.crt' | sort
}

changes() {
  cat <<'EOF'
ENV NB_USER=jovyan
ENV NB_UID=1000
ENV NB_GID=100
ENV HOME=/home/jovyan
ENV SHELL=/bin/bash
ENV LANG=C.UTF-8
ENV PATH=/opt/jupyter/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
ENTRYPOINT ["tini", "-g", "--"]
CMD ["start-notebook.py"]
EOF
}

case "${1:-}" in
  --tag)
    key=$( { cat "$0" "$here"/standin/* "$requirements"; mirrors; changes; dpkg --print-architecture
             host_cas | while read -r f; do cat "$f"; done; } | sha256sum | cut -c1-12)
    echo "localhost/regnb-standin:$codename-$key"
    ;;
  --changes)
    changes
    ;;
  ""|-*)
    echo "usage: $0 --tag | --changes | OUT.tar" >&2
    exit 2
    ;;
  *)
    out=$1
    mapfile -t cas < <(host_cas)
    mapfile -t srcs < <(mirrors)
    hooks=(--customize-hook="copy-in $here/standin/start-notebook.py /usr/local/bin/"
           --customize-hook='mkdir -p "$1/etc/jupyter"'
           --customize-hook="copy-in $here/standin/jupyter_server_config.py /etc/jupyter/"
           --customize-hook='chroot "$1" useradd -m -u 1000 -g 100 -s /bin/bash jovyan')
    if [ ${#cas[@]} -gt 0 ]; then
      hooks+=(--customize-hook="copy-in ${cas[*]} /usr/local/share/ca-certificates/"
              --customize-hook='chroot "$1" update-ca-certificates')
    fi
    # JupyterLab from PyPI, pinned and hashed, after the CAs (pip, through the
    # system's bundle, may meet the host's intercepting proxy).
    hooks+=(--customize-hook="copy-in $requirements /tmp/"
            --customize-hook='chroot "$1" python3 -m venv /opt/jupyter'
            --customize-hook='chroot "$1" env PIP_CERT=/etc/ssl/certs/ca-certificates.crt /opt/jupyter/bin/python -m pip install -q --no-cache-dir --require-hashes -r /tmp/jupyter.txt'
            --customize-hook='chroot "$1" /opt/jupyter/bin/jupyter lab --version'
            --customize-hook='rm "$1/tmp/jupyter.txt"'
            --customize-hook='chroot "$1" chown -R 1000:100 /opt/jupyter')
    echo "standin: mmdebstrap $codename from: ${srcs[*]}; extra CAs: ${cas[*]:-none}"
    mmdebstrap --mode=root --variant=apt --format=tar --include="$packages" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      "${hooks[@]}" "$codename" "$out.tmp" "${srcs[@]}" 2>&1 | grep -E '^(E|W):|success|^[0-9]+\.[0-9]+\.[0-9]+$|ERROR' || true
    [ -s "$out.tmp" ] || { echo "standin: mmdebstrap failed" >&2; exit 1; }
    mv "$out.tmp" "$out"
    ;;
esac

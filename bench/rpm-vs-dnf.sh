#!/usr/bin/env bash
# RPM image build, Kolibri vs. dnf + umoci, side by side in one run.
#
# Makes the fixture distribution of the RPM image tests (src/test/resources/rpmimage/fixture.spec: rpmbuild,
# createrepo_c, a throwaway gpg key signing repomd.xml; `hello` is a gcc -static binary), serves it on 127.0.0.1,
# and for the same request (a python-shaped builder image: pyrt pyrt-devel minishell, weak deps on) times
#   kolibri: `kolibri lock` + `kolibri build` (empty cache each round: resolve, fetch, install, rpmdb, layer, SBOMs)
#   dnf:     `dnf --installroot` install (empty cache and root each round) + umoci init/new/unpack/repack
# ROUNDS rounds each (default 3), interleaved; prints every round and the medians. Needs: gcc, rpmbuild,
# createrepo_c, gpg, dnf, umoci, python3; run as root (dnf --installroot, umoci unpack keep owners).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-3}
for t in gcc rpmbuild createrepo_c gpg dnf umoci python3; do
  command -v "$t" >/dev/null || { echo "error: $t is not installed (sudo .ci/install-deps)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/kolibri-bench-rpm.XXXXXX)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# --- fixture repository
mkdir -p "$work/gcc" "$work/repo" "$work/gnupg" "$work/def"
chmod 700 "$work/gnupg"
printf '#include <stdio.h>\n#include <unistd.h>\nint main(void){printf("hello from uid %%d\\n",(int)getuid());return 0;}\n' > "$work/gcc/hello.c"
gcc -static -O2 -o "$work/gcc/hello" "$work/gcc/hello.c"
SOURCE_DATE_EPOCH=1700000000 HOME="$work" rpmbuild --quiet --define "_topdir $work/top" --define "hellobin $work/gcc/hello" \
  --define "_build_id_links none" --define "debug_package %{nil}" --define "__os_install_post %{nil}" \
  --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
  -bb "$root/src/test/resources/rpmimage/fixture.spec"
find "$work/top/RPMS" -name '*.rpm' -exec cp {} "$work/repo/" \;
createrepo_c --quiet --no-database "$work/repo"
g() { GNUPGHOME="$work/gnupg" gpg --batch --yes --no-tty --pinentry-mode loopback --passphrase '' "$@"; }
g --quiet --quick-gen-key "Bench <bench@example.org>" ed25519 sign never 2>/dev/null
g --output "$work/def/key.gpg" --export
g --armor --detach-sign --output "$work/repo/repodata/repomd.xml.asc" "$work/repo/repodata/repomd.xml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/repo" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/repodata/repomd.xml')" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port/"
packages=(pyrt pyrt-devel minishell)
cat > "$work/def/bench.yaml" <<YAML
name: bench
version: "1"
repositories:
  - type: rpm
    url: $base
    keyring: key.gpg
packages: [$(IFS=,; echo "${packages[*]}" | sed 's/,/, /g')]
install-weak-deps: true
archs: [amd64]
user: 0
allow-shell: true
entrypoint: [/usr/bin/hello]
YAML

"$root/kolibri" --help >/dev/null 2>&1 || true   # build the CLI outside the timings
now() { date +%s.%N; }
kolibri_times=()
lock_times=()
dnf_times=()
for i in $(seq "$rounds"); do
  rm -rf "$work/cache" "$work/out" "$work/def/bench.lock.json"
  t0=$(now)
  XDG_CACHE_HOME="$work/cache" "$root/kolibri" lock "$work/def/bench.yaml" >/dev/null 2>&1
  tl=$(now)
  XDG_CACHE_HOME="$work/cache" "$root/kolibri" build "$work/def/bench.yaml" -o "$work/out/bench" >/dev/null 2>&1
  t1=$(now)
  kolibri_times+=("$(awk "BEGIN{print $t1 - $t0}")")
  lock_times+=("$(awk "BEGIN{print $tl - $t0}")")

  rm -rf "$work/dnf"
  mkdir -p "$work/dnf/reposdir" "$work/dnf/log"
  printf '[main]\n' > "$work/dnf/dnf.conf"
  t0=$(now)
  dnf -q -y --config="$work/dnf/dnf.conf" --installroot="$work/dnf/root" --releasever=1 --forcearch=x86_64 --noplugins \
    --setopt=reposdir="$work/dnf/reposdir" --setopt=cachedir="$work/dnf/cache" --setopt=logdir="$work/dnf/log" \
    --setopt=persistdir="$work/dnf/persist" --repofrompath=fix,"$base" --setopt=fix.gpgcheck=0 \
    --setopt=install_weak_deps=True install "${packages[@]}" >/dev/null 2>&1
  umoci init --layout "$work/dnf/layout"
  umoci new --image "$work/dnf/layout:1"
  umoci unpack --image "$work/dnf/layout:1" "$work/dnf/bundle" >/dev/null
  cp -a "$work/dnf/root/." "$work/dnf/bundle/rootfs/"
  umoci repack --image "$work/dnf/layout:1" "$work/dnf/bundle" >/dev/null
  t1=$(now)
  dnf_times+=("$(awk "BEGIN{print $t1 - $t0}")")
  printf 'round %d: kolibri %.2f s (lock %.2f s), dnf+umoci %.2f s\n' "$i" "${kolibri_times[-1]}" "${lock_times[-1]}" "${dnf_times[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
kpk=$(python3 -c "import json; print(len(json.load(open('$work/def/bench.lock.json'))['packages']['amd64']))")
dpk=$(rpm --root "$work/dnf/root" -qa | grep -vc '^gpg-pubkey' || true)
ksize=$(du -sb "$work/out/bench" | cut -f1)
dsize=$(du -sb "$work/dnf/layout" | cut -f1)
printf '\nrequest: %s (weak deps on), %d rounds, cold cache each round\n' "${packages[*]}" "$rounds"
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %10s %10s %12s\n' tool "median s" packages "layout bytes"
printf '%-28s %10.2f %10d %12d\n' "kolibri lock+build" "$(median "${kolibri_times[@]}")" "$kpk" "$ksize"
printf '%-28s %10.2f %10d %12d\n' "dnf --installroot + umoci" "$(median "${dnf_times[@]}")" "$dpk" "$dsize"

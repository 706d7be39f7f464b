#!/usr/bin/env bash
# Benchmark: peak RSS of `kolibri build` for the python image and for a generated image of about 2 GB, in the same
# run (goal: both under 512 MB; docs/parts/limits.md). Peak RSS and wall time come from GNU time (/usr/bin/time -v,
# "Maximum resident set size"): that of the largest single process of the command.
#
#   bench/memory.sh                 # python (warm cache) and the 2 GB image (cold, then warm payload cache)
#   GEN_MB=512 bench/memory.sh      # a smaller generated image
#   SKIP_PYTHON=1 bench/memory.sh   # only the generated image (no mirror needed)
#
# The generated image is made here, in a scratch directory, by the reference tools: PKGS packages (default 8) of
# GEN_MB/PKGS MiB each of base64 text from /dev/urandom (compressible about 4:3, so no limit refuses it), packed by
# dpkg-deb -Znone, indexed by apt-ftparchive, InRelease signed by a throwaway gpg key, read through a file: URL.
# It uses its own cache (scratch) so the python image's cache is untouched. KEEP=1 keeps the scratch directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN_MB=${GEN_MB:-2048}
PKGS=${PKGS:-8}
die() { echo "error: $*" >&2; exit 1; }
for t in /usr/bin/time dpkg-deb apt-ftparchive gpg base64; do
  command -v "$t" >/dev/null || die "$t is missing; run 'sudo bench/install-deps' first."
done

work=$(mktemp -d "${TMPDIR:-/var/tmp}/kolibri-memory.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work"; else trap 'rm -rf "$work"' EXIT; fi

# rss LABEL CMD... : runs CMD under GNU time -v; prints "LABEL peak-RSS-MiB wall-s" and keeps it for the table
rows=()
rss() {
  local label=$1; shift
  /usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time" || { cat "$work/$label.out" "$work/$label.time" >&2; die "$label failed"; }
  local kib wall
  kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$label.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$label.time")
  rows+=("$(printf '%-34s %8d MiB   %s' "$label" $((kib / 1024)) "$wall")")
  echo "${rows[-1]}"
}

"$root/kolibri" --version > /dev/null   # builds the jar first if needed (not measured)

if [ "${SKIP_PYTHON:-0}" != 1 ]; then
  [ -f "$root/images/python-3.11.lock.json" ] || die "images/python-3.11.lock.json is missing; run './kolibri lock images/python-3.11.yaml' first."
  "$root/kolibri" build "$root/images/python-3.11.yaml" --arch amd64 -o "$work/python-warmup" > /dev/null   # warms the caches
  rss "python (warm cache)" "$root/kolibri" build "$root/images/python-3.11.yaml" --arch amd64 -o "$work/python"
  rss "python (--no-build-cache)" "$root/kolibri" build "$root/images/python-3.11.yaml" --arch amd64 --no-build-cache -o "$work/python-nc"
fi

# --- the generated image ---------------------------------------------------------------------------------------
repo="$work/repo"
mkdir -p "$repo/pool" "$repo/dists/stable/main/binary-amd64" "$work/gnupg" "$work/def"
chmod 700 "$work/gnupg"
export GNUPGHOME="$work/gnupg"
gpg --batch --quiet --passphrase '' --quick-gen-key "Kolibri bench <bench@kolibri.invalid>" ed25519 sign never 2> /dev/null
gpg --batch --quiet --export > "$work/def/keys.gpg"
per=$((GEN_MB / PKGS))
names=()
for i in $(seq 1 "$PKGS"); do
  name="big$i"; names+=("$name")
  d="$work/src/$name"
  mkdir -p "$d/DEBIAN" "$d/usr/share/$name"
  printf 'Package: %s\nVersion: 1.0\nArchitecture: amd64\nMaintainer: Bench <bench@kolibri.invalid>\nDescription: %s MiB of text\n' \
    "$name" "$per" > "$d/DEBIAN/control"
  # base64 of random bytes: per MiB of text in 16 files
  for j in $(seq 1 16); do
    head -c $((per * 1024 * 1024 * 3 / 4 / 16)) /dev/urandom | base64 -w 76 > "$d/usr/share/$name/part$j.txt"
  done
  dpkg-deb --root-owner-group -Znone --build "$d" "$repo/pool/${name}_1.0_amd64.deb" > /dev/null
  rm -rf "$d"
done
(cd "$repo" && apt-ftparchive packages pool > dists/stable/main/binary-amd64/Packages)
(cd "$repo/dists/stable" && apt-ftparchive -o APT::FTPArchive::Release::Suite=stable \
  -o APT::FTPArchive::Release::Codename=stable -o APT::FTPArchive::Release::Architectures=amd64 \
  -o APT::FTPArchive::Release::Components=main release . > Release && gpg --batch --quiet --clearsign -o InRelease Release)
cat > "$work/def/big.yaml" <<EOF
name: big
repositories:
  - {type: deb, url: "file://$repo", suite: stable, components: [main], keyring: keys.gpg}
packages: [$(IFS=,; echo "${names[*]}" | sed 's/,/, /g')]
archs: [amd64]
layering: {strategy: package, budget: 16}
EOF
export XDG_CACHE_HOME="$work/cache"
"$root/kolibri" lock "$work/def/big.yaml" > /dev/null
du -sh "$repo/pool" | awk '{print "generated packages: " $1}'
rss "generated $GEN_MB MiB (cold cache)" "$root/kolibri" build "$work/def/big.yaml" -o "$work/big-cold"
rss "generated $GEN_MB MiB (warm payloads)" "$root/kolibri" build "$work/def/big.yaml" -o "$work/big-warm"
rss "generated $GEN_MB MiB (--no-build-cache)" "$root/kolibri" build "$work/def/big.yaml" --no-build-cache -o "$work/big-nc"
du -sh "$work/big-cold" | awk '{print "generated image layout: " $1}'

echo
echo "peak RSS of kolibri build (goal: < 512 MiB each)"
printf '%s\n' "${rows[@]}"

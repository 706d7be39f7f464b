#!/usr/bin/env bash
# Byte-identical rebuild of the catalog from its committed locks: builds images/ with `kolibri catalog build
# --locked` twice, once with the ordinary cache into one scratch directory, once from a copy of the catalog in
# another directory with an empty cache (every package downloaded again, every layer compressed afresh), and
# compares every tag's digest in every layout. Run by hand; prints the tags compared and exits 1 on any difference.
#
#   scripts/catalog-rebuild.sh                     # every image, each definition's arches
#   ARCHS=amd64 IMAGES=python,curl scripts/catalog-rebuild.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v jq >/dev/null || { echo "error: jq is missing (apt-get install jq)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kolibri-rebuild.XXXXXX")
[ "${KEEP:-0}" = 1 ] && echo "scratch: $work" || trap 'rm -rf "$work"' EXIT
opts=(--locked)
[ -n "${ARCHS:-}" ] && opts+=(--arch "$ARCHS")
[ -n "${IMAGES:-}" ] && opts+=(--image "$IMAGES")

mkdir -p "$work/a" "$work/elsewhere/deeper" "$work/empty-cache"
cp -r "$root/images" "$work/a/images"
cp -r "$root/images" "$work/elsewhere/deeper/catalog"
start=$(date +%s)
"$root/kolibri" catalog build "$work/a/images" -o "$work/a/out" "${opts[@]}" -q >/dev/null
mid=$(date +%s)
(cd "$work/elsewhere" && XDG_CACHE_HOME="$work/empty-cache" "$root/kolibri" catalog build deeper/catalog -o "$work/elsewhere/out" "${opts[@]}" -q >/dev/null)
end=$(date +%s)

tags() { for l in "$1"/*/; do jq -r --arg n "$(basename "$l")" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]) |
  "\($n):\(.annotations["org.opencontainers.image.ref.name"]) \(.digest)"' "$l/index.json"; done | sort; }
tags "$work/a/out" >"$work/a.tags"
tags "$work/elsewhere/out" >"$work/b.tags"
n=$(wc -l <"$work/a.tags")
echo "first build (warm cache): $((mid - start)) s; second (other directory, empty cache): $((end - mid)) s"
if diff -u "$work/a.tags" "$work/b.tags" >"$work/diff"; then
  echo "identical: $n tags in $(ls "$work/a/out" | wc -l) layouts have the same digests"
else
  echo "DIFFERENT:"; cat "$work/diff"; exit 1
fi

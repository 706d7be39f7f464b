#!/usr/bin/env bash
# Benchmark: the whole catalog (images/). Builds it with a cold cache (an empty XDG_CACHE_HOME: every package
# downloaded) and again with that cache warm, then, for every runtime image (the base flavour of each stream, amd64):
# its unpacked and compressed size beside the same package set (the lock's exact versions) extracted by
# `mmdebstrap --variant=extract` (the floor for "just these packages", untrimmed), and the catalog's unique layer bytes
# against the sum of its images' sizes (what layer sharing saves a registry and a node). Run by hand, as root, after
# bench/install-deps; CI does not run it.
#
#   bench/catalog.sh                       # every image, each definition's arches
#   ARCHS=amd64 IMAGES=python,nginx bench/catalog.sh
#
# Environment: ARCHS (comma list for --arch; default each definition's), IMAGES (comma list for --image; default
# all), COLD=0 skips the cold build (then the warm one uses the ordinary cache), KEEP=1 keeps the scratch directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/bench"
die() { echo "error: $*" >&2; exit 1; }
for t in mmdebstrap jq /usr/bin/time; do command -v "$t" >/dev/null || die "$t is missing; run 'sudo bench/install-deps' first."; done
[ "$(id -u)" = 0 ] || die "mmdebstrap --variant=extract needs root here; run as root."

work=$(mktemp -d "${TMPDIR:-/tmp}/kolibri-catalog-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work"; else trap 'rm -rf "$work"' EXIT; fi
args=(catalog build "$root/images")
[ -n "${ARCHS:-}" ] && args+=(--arch "$ARCHS")
[ -n "${IMAGES:-}" ] && args+=(--image "$IMAGES")
say() { printf '[%s load %s] %s\n' "$(date +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$*"; }

"$root/kolibri" --version >/dev/null 2>&1 || true   # builds the CLI jar if needed, outside the timings
# the locks are used as committed: copy the catalog so that nothing in the repository changes
cp -r "$root/images" "$work/images"
args[2]="$work/images"

if [ "${COLD:-1}" = 1 ]; then
  say "cold: kolibri ${args[*]} (empty cache)"
  mkdir -p "$work/cold-cache"
  /usr/bin/time -f '%e %M' -o "$work/time.cold" env XDG_CACHE_HOME="$work/cold-cache" \
    "$root/kolibri" "${args[@]}" --locked -o "$work/out-cold" --json >"$work/cold.json" 2>"$work/cold.log" \
    || { tail -n 20 "$work/cold.log" >&2; die "the cold catalog build failed"; }
  cache=(env XDG_CACHE_HOME="$work/cold-cache")
else
  cache=(env)
fi
say "warm: kolibri ${args[*]}"
/usr/bin/time -f '%e %M' -o "$work/time.warm" "${cache[@]}" \
  "$root/kolibri" "${args[@]}" --locked -o "$work/out" --json >"$work/warm.json" 2>"$work/warm.log" \
  || { tail -n 20 "$work/warm.log" >&2; die "the warm catalog build failed"; }

nimages=$(jq '.built | length' "$work/warm.json")
nplatform=$(jq '[.built[].images[]] | length' "$work/warm.json")
echo
echo "## Whole catalog: $nimages images ($nplatform platform images)"
echo
echo "| build | wall s | peak RSS MiB |"
echo "| --- | ---: | ---: |"
[ -f "$work/time.cold" ] && awk '{ printf "| cold cache | %.1f | %.0f |\n", $1, $2 / 1024 }' "$work/time.cold"
awk '{ printf "| warm cache | %.1f | %.0f |\n", $1, $2 / 1024 }' "$work/time.warm"

# --- runtime images against their package floor ------------------------------------------------------------
echo
echo "## Runtime images (amd64) against mmdebstrap --variant=extract of the same packages"
echo
echo "| image | tag | packages | compressed MiB | unpacked MiB | floor MiB | ratio |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
jq -r '.built[] | select(.variant == null) | [.definition, .image, .tags[0], (.images[] | select(.platform == "linux/amd64")
      | "\(.packages) \(.compressedBytes) \(.uncompressedBytes)")] | @tsv' "$work/warm.json" |
while IFS=$'\t' read -r def image tag nums; do
  read -r npk comp unp <<<"$nums"
  lock="${def%.yaml}.lock.json"
  allow=$(grep -E '^allow-shell: *true' "$def" >/dev/null && echo 1 || echo 0)
  [ "$allow" = 1 ] && continue   # a builder-only image (go, rust) is no runtime
  suites=$(jq -r '[.repositories[].suite] | unique | join(" ")' "$lock")
  main=$(jq -r '[.repositories[].suite | select(test("-") | not)] | first' "$lock")
  include=$(jq -r '[.packages.amd64[] | "\(.name)=\(.version)"] | join(",")' "$lock")
  # shellcheck disable=SC2086
  "$here/host-sources.sh" $suites >"$work/sources.$image.list"
  floor_dir="$work/floor-$image-$tag"
  if mmdebstrap --quiet --variant=extract --architectures=amd64 --include="$include" "$main" "$floor_dir" \
       "$work/sources.$image.list" >"$work/mmdeb.$image.log" 2>&1; then
    floor=$(du -sb --exclude=./var/cache/apt --exclude=./var/lib/apt "$floor_dir" | cut -f1)
  else
    floor=0
  fi
  rm -rf "$floor_dir"
  awk -v i="$image" -v t="$tag" -v n="$npk" -v c="$comp" -v u="$unp" -v f="$floor" 'BEGIN {
    printf "| %s | %s | %d | %.1f | %.1f | %s | %s |\n", i, t, n, c / 1048576, u / 1048576,
      (f > 0 ? sprintf("%.1f", f / 1048576) : "failed"), (f > 0 ? sprintf("%.2f", u / f) : "-") }'
done

# --- layer sharing -------------------------------------------------------------------------------------------
sum=0; declare -A unique=()
for layout in "$work"/out/*/; do
  for m in $(jq -r '.manifests[] | select(.mediaType == "application/vnd.oci.image.index.v1+json") | .digest' "$layout/index.json" | sort -u); do
    for pm in $(jq -r '.manifests[].digest' "$layout/blobs/sha256/${m#sha256:}"); do
      while read -r d s; do sum=$((sum + s)); unique[$d]=$s; done < <(jq -r '.layers[]? | "\(.digest) \(.size)"' "$layout/blobs/sha256/${pm#sha256:}")
    done
  done
done
u=0; for s in "${unique[@]}"; do u=$((u + s)); done
echo
awk -v s="$sum" -v u="$u" -v n="${#unique[@]}" 'BEGIN { printf "Layer sharing: %d unique layers, %.1f MiB unique compressed, against %.1f MiB summed over every platform image (%.2fx)\n", n, u / 1048576, s / 1048576, (u > 0 ? s / u : 0) }'

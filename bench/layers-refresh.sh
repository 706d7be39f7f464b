#!/usr/bin/env bash
# Layering benchmark on real data (see README.md, "Layering"):
#  1. the python image from bookworm alone, then refreshed with bookworm-updates and bookworm-security; for the
#     single, package and origin strategies (origin also with --previous) the bytes a client holding the old image
#     pulls for the new one (`kolibri diff --json`), against the floor: the compressed layers of the changed
#     packages alone (from a `package` build with one layer per package);
#  2. the build time of origin against single (same run, warm cache);
#  3. for the whole catalog (images/*.yaml, origin layering): unique layer bytes against the sum of image sizes.
# Usage: bench/layers-refresh.sh [WORKDIR]   (needs jq; amd64 only; writes nothing under images/)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
k="$here/kolibri"
w=${1:-$(mktemp -d /tmp/kolibri-layers-bench.XXXXXX)}
mkdir -p "$w"
echo "work dir: $w" >&2

# a definition: python.yaml with only the given suites and the given layering
def() { # dir suites strategy budget
  local dir=$1 suites=$2 strategy=$3 budget=$4 s
  mkdir -p "$dir"
  {
    echo "name: python"; echo 'version: "3.11"'; echo "repositories:"
    for s in $suites; do
      echo "  - {type: deb, url: system, suite: $s, components: [main], keyring: /usr/share/keyrings/debian-archive-keyring.gpg}"
    done
    sed -n '/^packages:/,$p' "$here/images/python-3.11.yaml" | sed '/^layering:/d'
    echo "layering: {strategy: $strategy, budget: $budget}"
  } > "$dir/python.yaml"
}

secs() { date +%s.%N; }
build() { # dir out [--previous X]
  local dir=$1 out=$2; shift 2
  "$k" build "$dir/python.yaml" --arch amd64 -q -o "$out" "$@" >/dev/null
}

old="bookworm"
new="bookworm bookworm-updates bookworm-security"
declare -A bud=([single]=32 [package]=127 [origin]=32)
for s in single package origin; do
  def "$w/$s-old" "$old" "$s" "${bud[$s]}"
  def "$w/$s-new" "$new" "$s" "${bud[$s]}"
  "$k" lock "$w/$s-old/python.yaml" >/dev/null 2>&1
  "$k" lock "$w/$s-new/python.yaml" >/dev/null 2>&1
  build "$w/$s-old" "$w/out/$s-old"
done
# warm-up build, then timed builds of the refreshed image
build "$w/single-new" "$w/out/warmup"
declare -A took
for s in single package origin; do
  t0=$(secs); build "$w/$s-new" "$w/out/$s-new"; t1=$(secs)
  took[$s]=$(echo "$t1 - $t0" | bc)
done
t0=$(secs); build "$w/origin-new" "$w/out/origin-prev" --previous "$w/out/origin-old"; t1=$(secs)
took[origin-prev]=$(echo "$t1 - $t0" | bc)
build "$w/package-new" "$w/out/package-prev" --previous "$w/out/package-old"

pull() { "$k" diff --json "$1" "$2" | jq '.platforms[0].bytesToPull'; }
newlayers() { "$k" diff --json "$1" "$2" | jq '.platforms[0].newLayers | length'; }
"$k" diff --json "$w/out/package-old" "$w/out/package-new" > "$w/package.diff.json"
changed=$(jq -r '.platforms[0] | (.changed + .added)[] | .name' "$w/package.diff.json" | sort -u)
nchanged=$(echo "$changed" | grep -c . || true)
"$k" inspect --json "$w/out/package-new" > "$w/package-new.inspect.json"
floor=$(jq --arg c "$changed" '($c | split("\n")) as $ch | [.platforms[0].layers[]
          | select(.packages | length == 1) | select(.packages[0] as $p | $ch | index($p)) | .size] | add // 0' \
        "$w/package-new.inspect.json")
size() { "$k" inspect --json "$1" | jq '.platforms[0].compressedSize'; }

echo "### python, bookworm -> bookworm + updates + security (amd64), $nchanged packages changed"
echo
echo "| strategy | layers | image bytes | new layers | bytes to pull | x floor | build s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
row() { # label old new time
  local n l p
  n=$(size "$3"); l=$("$k" inspect --json "$3" | jq '.platforms[0].layers | length')
  p=$(pull "$2" "$3")
  printf '| %s | %s | %s | %s | %s | %.2f | %s |\n' "$1" "$l" "$n" "$(newlayers "$2" "$3")" "$p" \
    "$(echo "$p / $floor" | bc -l)" "$4"
}
row single "$w/out/single-old" "$w/out/single-new" "${took[single]}"
row package "$w/out/package-old" "$w/out/package-new" "${took[package]}"
row "package --previous" "$w/out/package-old" "$w/out/package-prev" "-"
row origin "$w/out/origin-old" "$w/out/origin-new" "${took[origin]}"
row "origin --previous" "$w/out/origin-old" "$w/out/origin-prev" "${took[origin-prev]}"
echo
echo "floor (compressed layers of the changed packages alone, from the package build): $floor bytes"
echo "changed: $(echo $changed | tr '\n' ' ')"
echo

# the catalog, origin layering, amd64; definitions copied so that their locks are written here
mkdir -p "$w/catalog"
cp "$here"/images/*.yaml "$w/catalog/"
cp -r "$here/images/distros" "$w/catalog/"
digests=()
total=0
echo "### catalog (origin, amd64)"
echo
echo "| image | layers | bytes |"
echo "| --- | ---: | ---: |"
for f in "$w"/catalog/*.yaml; do
  n=$(basename "$f" .yaml)
  "$k" build "$f" --arch amd64 -q -o "$w/cat-out/$n" >/dev/null 2>&1
  "$k" inspect --json "$w/cat-out/$n" > "$w/cat-out/$n.json"
  b=$(jq '.platforms[0].compressedSize' "$w/cat-out/$n.json")
  echo "| $n | $(jq '.platforms[0].layers | length' "$w/cat-out/$n.json") | $b |"
  total=$((total + b))
done
unique=$(jq -s '[.[].platforms[0].layers[] | {digest, size}] | unique_by(.digest) | map(.size) | add' "$w"/cat-out/*.json)
echo
printf 'sum of image sizes %s bytes; unique layer bytes %s (%.1f%%)\n' "$total" "$unique" "$(echo "100 * $unique / $total" | bc -l)"

#!/usr/bin/env bash
# Benchmark: what the output rules cost. A warm, offline build of the python image (both arches) into a fresh
# directory, and into the existing layout of the previous run (the update path: refuse-check, stale clean-up,
# hard-linked merge of the old layout, SBOMs inside), side by side in the same run; optionally the same two rows
# for a baseline checkout (BASELINE=/path/to/older/checkout, its ./kolibri), whose update path replaced the layout.
# Run by hand; CI does not run it.
#
#   bench/outputs.sh                         # N=3 rounds, rows interleaved
#   BASELINE=/tmp/kolibri-old N=5 bench/outputs.sh
#
# Kolibri uses its ordinary cache ($XDG_CACHE_HOME/kolibri), which must already hold the python lock's packages.
# Wall time and peak RSS from GNU time (%e, %M).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-3}
SPEC="$root/images/python-3.11.yaml"
work=$(mktemp -d /tmp/kolibri-bench-outputs.XXXXXX)
trap 'rm -rf "$work"' EXIT

declare -A kolibri=([new]="$root/kolibri")
[ -n "${BASELINE:-}" ] && kolibri[baseline]="$BASELINE/kolibri"
results="$work/results.csv"
: > "$results"
for who in "${!kolibri[@]}"; do
  "${kolibri[$who]}" build "$SPEC" --locked --offline -q -o "$work/$who-existing" > /dev/null   # warm-up, and the layout to update
done
for i in $(seq 1 "$N"); do
  for who in "${!kolibri[@]}"; do
    for row in fresh existing; do
      out="$work/$who-$row"; [ "$row" = fresh ] && out="$work/$who-fresh-$i"
      /usr/bin/time -f "$who,$row,%e,%M" -a -o "$results" "${kolibri[$who]}" build "$SPEC" --locked --offline -q -o "$out" > /dev/null
      [ "$row" = fresh ] && rm -rf "$out" "$out.sbom"
    done
  done
done
echo "who,row,median_s,max_rss_mib"
for who in "${!kolibri[@]}"; do
  for row in fresh existing; do
    grep "^$who,$row," "$results" | awk -F, '{print $3, $4}' | sort -n | awk -v w="$who" -v r="$row" '
      { t[NR]=$1; if ($2>m) m=$2 } END { printf "%s,%s,%.2f,%.0f\n", w, r, t[int((NR+1)/2)], m/1024 }'
  done
done
left=$(find "$work" -maxdepth 1 -name '*.tmp-*' -o -maxdepth 1 -name '*.old-*' | wc -l)
echo "staging or .old- directories left in $work: $left"

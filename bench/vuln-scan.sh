#!/usr/bin/env bash
# Vulnerability scanning at scale: 500,000 generated OSV advisories (Debian:12/11) and a 10,000-package CycloneDX
# SBOM (bench/GenAdvisories.java, seeded). Times `kolibri db import` and `kolibri scan SBOM --db INDEX` (whole
# processes, JVM start included), with the baseline of the same scan against the raw OSV zip (no index), and
# prints the index size. Usage: bench/vuln-scan.sh [WORKDIR] (default target/bench-vuln; reused when present).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
kolibri_pick_jdk || exit 1
work=${1:-$root/target/bench-vuln}
mkdir -p "$work"
kolibri="$root/kolibri"
"$kolibri" --version >/dev/null   # build the CLI first, outside the timings

if [ ! -f "$work/advisories.zip" ] || [ ! -f "$work/sbom.cdx.json" ]; then
  echo "generating 500,000 advisories and a 10,000-package SBOM in $work ..."
  "$JAVA_HOME/bin/java" "$root/bench/GenAdvisories.java" "$work"
fi

TIMEFORMAT='%R s wall, %U s user, %S s sys'
echo "== db import (500,000 advisories)"
rm -rf "$work/index"
time "$kolibri" db import "$work/advisories.zip" -o "$work/index"
echo "index size: $(du -sh "$work/index" | cut -f1) ($(du -sb "$work/index" | cut -f1) bytes)"

# One untimed scan first: ./kolibri records its start-up cache for `scan` (JDK >= 25) during the first scan after
# the jar changes and assembles it in the background; wait for it so that the timed runs use it.
"$kolibri" scan "$work/sbom.cdx.json" --db "$work/index" --json > /dev/null
for wait_s in $(seq 1 60); do
  compgen -G "$root/target/kolibri-jdk*-scan.aot.*" >/dev/null || break   # .conf/.tmp: recording or assembling
  sleep 1
done

echo "== scan SBOM (10,000 packages) --db INDEX, ${SCAN_RUNS:-5} runs"
for i in $(seq 1 "${SCAN_RUNS:-5}"); do
  time "$kolibri" scan "$work/sbom.cdx.json" --db "$work/index" --json > "$work/scan-index.json"
done
echo "findings: $(grep -c '"id"' "$work/scan-index.json" || true) id lines"

echo "== baseline: scan SBOM --db advisories.zip (raw OSV, no index), 1 run"
time "$kolibri" scan "$work/sbom.cdx.json" --db "$work/advisories.zip" --json > "$work/scan-raw.json"
if cmp -s "$work/scan-index.json" "$work/scan-raw.json"; then echo "same report with and without the index"; else echo "REPORTS DIFFER"; exit 1; fi

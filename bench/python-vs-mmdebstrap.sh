#!/usr/bin/env bash
# Benchmark: build the python image (amd64) with Kolibri from a warm cache, against the baseline
# "mmdebstrap --variant=extract of the same pinned package set + umoci to pack it into an OCI layout",
# also from a warm apt cache. Run by hand (as root, after bench/install-deps); CI does not run it.
#
#   bench/python-vs-mmdebstrap.sh            # N=5 timed runs of each after one warm-up run
#   N=3 LOCK_RUNS=0 bench/python-vs-mmdebstrap.sh
#
# Environment: N (timed runs, default 5), LOCK_RUNS (cold `kolibri lock` runs, default 1, 0 skips),
# NOCACHE_ROW (1: also time `kolibri build --no-build-cache`, default 1), OFFLINE_ROW (1: also time
# `kolibri build --offline`, default 0), BENCH_CACHE (the baseline's persistent
# apt cache, default $XDG_CACHE_HOME/kolibri-bench), KEEP=1 keeps the scratch directory.
# Kolibri uses its ordinary cache ($XDG_CACHE_HOME/kolibri). Wall time and peak RSS come from GNU time
# (%e, %M); peak RSS is that of the largest single process of the command (not a sum over processes).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/bench"

# --- helper used through /usr/bin/time: pack a root file system into an OCI layout with umoci --------
if [ "${1:-}" = _umoci ]; then
  rootfs=$2 layout=$3 bundle=$4
  umoci init --layout "$layout"
  umoci new --image "$layout:3.11"
  umoci unpack --image "$layout:3.11" "$bundle"
  cp -a "$rootfs/." "$bundle/rootfs/"
  umoci repack --image "$layout:3.11" "$bundle"
  # the same image config Kolibri writes (user, entrypoint, workdir, env), so both images are comparable
  umoci config --image "$layout:3.11" --config.user 65532 --config.entrypoint /usr/bin/python3.11 \
    --config.workingdir /home/nonroot --config.env LANG=C.UTF-8 --config.env PYTHONDONTWRITEBYTECODE=1
  exit 0
fi

N=${N:-5}
LOCK_RUNS=${LOCK_RUNS:-1}
OFFLINE_ROW=${OFFLINE_ROW:-0}
NOCACHE_ROW=${NOCACHE_ROW:-1}
SPEC="$root/images/python-3.11.yaml"
LOCKFILE="$root/images/python-3.11.lock.json"
cache_base=${XDG_CACHE_HOME:-$HOME/.cache}
BENCH_CACHE=${BENCH_CACHE:-$cache_base/kolibri-bench}
SUITES=(bookworm bookworm-updates bookworm-security)

die() { echo "error: $*" >&2; exit 1; }
for t in mmdebstrap umoci jq /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t is missing; run 'sudo bench/install-deps' first."
done
[ "$(id -u)" = 0 ] || die "mmdebstrap's root mode and umoci unpack need root here; run as root."
[ -f "$LOCKFILE" ] || die "$LOCKFILE is missing; run './kolibri lock images/python-3.11.yaml' first."

work=$(mktemp -d "${TMPDIR:-/tmp}/kolibri-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$BENCH_CACHE/archives" "$BENCH_CACHE/lists" "$work/res"

load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { printf '[%s load %s] %s\n' "$(date +%H:%M:%S)" "$(load)" "$*"; }

# measure LABEL CMD... : runs CMD under GNU time, appends "wall-s peak-KiB cpu-s" to res/LABEL
# (cpu = user + system time of the command and the children it waited for: less sensitive to load than wall)
measure() {
  local label=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/log.$label" 2>&1; then
    tail -n 30 "$work/log.$label" >&2; die "$label failed: $*"
  fi
  tail -n 1 "$work/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$work/res/$label"
}

# --- the baseline's inputs: same package set and versions as the lock, this machine's apt sources ----
include=$(jq -r '[.packages.amd64[] | "\(.name)=\(.version)"] | join(",")' "$LOCKFILE")
npkgs=$(jq '.packages.amd64 | length' "$LOCKFILE")
"$here/host-sources.sh" "${SUITES[@]}" >"$work/sources.list"
[ -s "$work/sources.list" ] || die "no apt source for ${SUITES[*]} in /etc/apt; add one (deb822 .sources or sources.list)."

mmdeb() { # TARGET: extract the pinned set with a persistent apt cache (packages and lists) synced in and out
  mmdebstrap --variant=extract --architectures=amd64 --include="$include" \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives "$1"/var/lib/apt/lists' \
    --setup-hook="sync-in $BENCH_CACHE/archives /var/cache/apt/archives/" \
    --setup-hook="sync-in $BENCH_CACHE/lists /var/lib/apt/lists/" \
    --extract-hook="sync-out /var/cache/apt/archives $BENCH_CACHE/archives" \
    --extract-hook="sync-out /var/lib/apt/lists $BENCH_CACHE/lists" \
    bookworm "$1" "$work/sources.list"
}
export -f mmdeb; export include BENCH_CACHE work

kolibri=("$root/kolibri" build "$SPEC" --arch amd64)

jdk=$(. "$root/scripts/jdk.sh"; kolibri_pick_jdk >/dev/null 2>&1 && basename "$JAVA_HOME" || echo "no JDK")
say "machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB; Kolibri runs on $jdk; $(mmdebstrap --version); umoci $(umoci --version | awk '{print $NF}')"
say "package set: $npkgs packages (amd64) from $LOCKFILE"
"$root/kolibri" --version >/dev/null 2>&1 || true   # builds the CLI jar if needed, outside the timings

# --- warm-up -------------------------------------------------------------------------------------------
say "warm-up: kolibri build"
"${kolibri[@]}" -o "$work/k-warm" >"$work/log.k-warm" 2>&1 || { cat "$work/log.k-warm" >&2; die "kolibri build failed"; }
say "warm-up: mmdebstrap"
mmdeb "$work/m-warm" >"$work/log.m-warm" 2>&1 || { cat "$work/log.m-warm" >&2; die "mmdebstrap failed"; }
rm -rf "$work/k-warm" "$work/m-warm"
# ./kolibri assembles its start-up cache (JDK >= 25) in the background after the first build of a new jar: wait
# for it, so that no timed run overlaps that work.
for wait_s in $(seq 1 120); do
  compgen -G "$root/target/kolibri-jdk*-build.aot.*" >/dev/null || break   # .conf/.tmp: recording or assembling
  sleep 1
done

# --- timed runs, interleaved so load changes hit both tools alike ----------------------------------------
for i in $(seq 1 "$N"); do
  say "run $i/$N: kolibri build"
  rm -rf "$work/k-out"; measure kolibri "${kolibri[@]}" -o "$work/k-out"
  if [ "$NOCACHE_ROW" = 1 ]; then
    say "run $i/$N: kolibri build --no-build-cache"
    rm -rf "$work/k-nc"; measure kolibri-nocache "${kolibri[@]}" --no-build-cache -o "$work/k-nc"
  fi
  if [ "$OFFLINE_ROW" = 1 ]; then
    say "run $i/$N: kolibri build --offline"
    rm -rf "$work/k-off"; measure kolibri-offline "${kolibri[@]}" --offline -o "$work/k-off"
  fi
  say "run $i/$N: mmdebstrap"
  rm -rf "$work/m-root" "$work/m-oci" "$work/m-bundle"
  measure mmdebstrap bash -c 'mmdeb "$1"' _ "$work/m-root"
  say "run $i/$N: umoci"
  measure umoci "$here/python-vs-mmdebstrap.sh" _umoci "$work/m-root" "$work/m-oci" "$work/m-bundle"
  paste -d' ' <(tail -n1 "$work/res/mmdebstrap") <(tail -n1 "$work/res/umoci") |
    awk '{ printf "%.2f %d %.2f\n", $1 + $4, ($2 > $5 ? $2 : $5), $3 + $6 }' >>"$work/res/mmdebstrap+umoci"
done

# --- cold metadata: kolibri lock with an empty cache, on a copy of the definition ------------------------
for i in $(seq 1 "$LOCK_RUNS"); do
  say "lock $i/$LOCK_RUNS: kolibri lock (empty cache)"
  rm -rf "$work/lock"; mkdir -p "$work/lock/cache"; cp "$SPEC" "$work/lock/"; cp -r "$root/images/distros" "$work/lock/"
  measure kolibri-lock env XDG_CACHE_HOME="$work/lock/cache" "$root/kolibri" lock "$work/lock/python.yaml"
done

# --- report ----------------------------------------------------------------------------------------------
kib() { du -sk "$1" | cut -f1; }
size_of() {
  case $1 in
    kolibri) echo "$(kib "$work/k-out") KiB OCI layout" ;;
    kolibri-offline) echo "$(kib "$work/k-off") KiB OCI layout" ;;
    kolibri-nocache) echo "$(kib "$work/k-nc") KiB OCI layout" ;;
    mmdebstrap) echo "$(kib "$work/m-root") KiB rootfs dir" ;;
    umoci|mmdebstrap+umoci) echo "$(kib "$work/m-oci") KiB OCI layout" ;;
    kolibri-lock) echo "$(kib "$work/lock/python.lock.json") KiB lockfile (no metadata is cached)" ;;
  esac
}
median() { sort -n | awk '{ t[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'; }
stats() { # file -> "median-wall min-wall peak-RSS-MiB median-cpu"
  printf '%s %s %s %s\n' "$(cut -d' ' -f1 "$1" | median)" "$(cut -d' ' -f1 "$1" | sort -n | head -n1)" \
    "$(awk '$2 > r { r = $2 } END { printf "%.0f", r / 1024 }' "$1")" "$(cut -d' ' -f3 "$1" | median)"
}
echo
say "done"
printf '%-18s %4s %9s %7s %9s %8s  %s\n' tool runs median_s min_s cpu_med_s RSS_MiB output
for label in kolibri kolibri-nocache kolibri-offline mmdebstrap umoci mmdebstrap+umoci kolibri-lock; do
  [ -s "$work/res/$label" ] || continue
  read -r med min rss cpu < <(stats "$work/res/$label")
  printf '%-18s %4s %9s %7s %9s %8s  %s\n' "$label" "$(wc -l <"$work/res/$label")" "$med" "$min" "$cpu" "$rss" "$(size_of "$label")"
done
read -r kw _ _ kc < <(stats "$work/res/kolibri"); read -r bw _ _ bc < <(stats "$work/res/mmdebstrap+umoci")
awk -v kw="$kw" -v bw="$bw" -v kc="$kc" -v bc="$bc" 'BEGIN {
  printf "\nkolibri / (mmdebstrap+umoci), medians: wall %.2f, cpu %.2f  (goal: wall < 0.20) -> %s\n",
    kw / bw, kc / bc, (kw / bw < 0.2 ? "MET" : "NOT met") }'
if [ -s "$work/res/kolibri-nocache" ]; then
  read -r nw _ _ nc < <(stats "$work/res/kolibri-nocache")
  awk -v nw="$nw" -v bw="$bw" -v nc="$nc" -v bc="$bc" 'BEGIN {
    printf "kolibri --no-build-cache / (mmdebstrap+umoci), medians: wall %.2f, cpu %.2f\n", nw / bw, nc / bc }'
fi
say "end"
echo "raw (wall-s peak-KiB cpu-s per run):"; for f in "$work"/res/*; do echo "  $(basename "$f"): $(tr '\n' ';' <"$f")"; done

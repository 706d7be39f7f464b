#!/usr/bin/env bash
# Registry push: `kolibri push` against `skopeo copy --all` of the same OCI layout, in the same run, each push into
# a fresh CNCF distribution registry (docker-registry) on loopback with a fresh repository name, so neither tool
# can skip or mount a blob (skopeo's blob-info cache is keyed by registry address). N runs, median; the order of
# the two tools alternates run to run. Then, in one registry: the same image pushed again (every blob there), a
# sibling image pushed into the same repository, which uploads only the blobs the registry lacks (counted), and the
# sibling into another repository of that registry, mounting what it can (kolibri: --mount-from; skopeo mounts on its
# own from its blob-info cache).
#
#   bench/push-vs-skopeo.sh [N]         (default 5; needs out/python:3.11 and out/nodejs:18: ./kolibri build
#                                        images/python-3.11.yaml and images/nodejs-18.yaml)
#
# Environment: IMAGE (default out/python:3.11), SIBLING (default out/nodejs:18). Prints a Markdown table.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-5}
image=${IMAGE:-out/python:3.11}
sibling=${SIBLING:-out/nodejs:18}
for t in docker-registry skopeo python3; do
  command -v "$t" > /dev/null || { echo "error: $t is not installed (run .ci/install-deps)" >&2; exit 1; }
done
for l in "$image" "$sibling"; do
  [ -f "${l%%:*}/index.json" ] || { echo "error: ${l%%:*} is not a built layout; run ./kolibri build on its definition (images/python-3.11.yaml, images/nodejs-18.yaml)" >&2; exit 1; }
done
./kolibri --version > /dev/null # build the CLI outside the timings

work=$(mktemp -d)
registry=
stop_registry() { if [ -n "$registry" ]; then kill "$registry" 2> /dev/null || true; wait "$registry" 2> /dev/null || true; registry=; fi; }
trap 'stop_registry; rm -rf "$work"' EXIT
# Starts a fresh registry on a free port; sets $host.
start_registry() {
  stop_registry
  local port dir
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  dir=$(mktemp -d "$work/reg.XXXX")
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n  secret: bench\n' \
    "$dir/data" "$port" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  registry=$!
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.1; done
  host=127.0.0.1:$port
}

tag=${image##*:}
stag=${sibling##*:}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(" ".join(str(j[k]) for k in sys.argv[2:]))' "$@"; }

run_kolibri() {
  start_registry
  local t0; t0=$(date +%s%N)
  ./kolibri push "$image" "$host/k$1/img:$tag" --json > "$work/kolibri.json"
  ms "$t0" >> "$work/kolibri.ms"
  kdigest=$(field "$work/kolibri.json" digest)
}
run_skopeo() {
  start_registry
  local t0; t0=$(date +%s%N)
  skopeo copy -q --all --dest-tls-verify=false "oci:$image" "docker://$host/s$1/img:$tag"
  ms "$t0" >> "$work/skopeo.ms"
  sdigest=sha256:$(skopeo inspect --raw --tls-verify=false "docker://$host/s$1/img:$tag" | sha256sum | cut -d' ' -f1)
}

# Warm-up, untimed: one push with each tool (page cache, skopeo's binary, and ./kolibri's start-up cache for
# `push`, recorded during its first push after the jar changes and assembled in the background: wait for it).
run_kolibri warm; run_skopeo warm
: > "$work/kolibri.ms"; : > "$work/skopeo.ms"
for _ in $(seq 1 60); do
  compgen -G "$root/target/kolibri-jdk*-push.aot.*" > /dev/null || break
  sleep 1
done

for i in $(seq "$n"); do
  id="$i$RANDOM"
  if (( i % 2 )); then run_kolibri "$id"; run_skopeo "$id"; else run_skopeo "$id"; run_kolibri "$id"; fi
  [ "$kdigest" = "$sdigest" ] || { echo "error: kolibri pushed $kdigest, skopeo $sdigest" >&2; exit 1; }
done
read -r up bytes < <(field "$work/kolibri.json" uploaded bytesUploaded)

# One registry per tool: the image, the same image again, then the sibling into the same repository.
start_registry
./kolibri push "$image" "$host/kol/img:$tag" --json > /dev/null
t0=$(date +%s%N); ./kolibri push "$image" "$host/kol/img:$tag" --json > "$work/again.json"; k_again=$(ms "$t0")
t0=$(date +%s%N); ./kolibri push "$sibling" "$host/kol/img:$stag" --json > "$work/sibling.json"; k_sib=$(ms "$t0")
t0=$(date +%s%N); ./kolibri push "$sibling" "$host/kol2/img:$stag" --mount-from kol/img --json > "$work/mount.json"; k_mnt=$(ms "$t0")
start_registry
skopeo copy -q --all --dest-tls-verify=false "oci:$image" "docker://$host/sko/img:$tag"
t0=$(date +%s%N); skopeo copy -q --all --dest-tls-verify=false "oci:$image" "docker://$host/sko/img:$tag"; s_again=$(ms "$t0")
t0=$(date +%s%N); skopeo copy -q --all --dest-tls-verify=false "oci:$sibling" "docker://$host/sko/img:$stag"; s_sib=$(ms "$t0")
t0=$(date +%s%N); skopeo copy -q --all --dest-tls-verify=false "oci:$sibling" "docker://$host/sko2/img:$stag"; s_mnt=$(ms "$t0")
read -r a_up a_skip < <(field "$work/again.json" uploaded skipped)
read -r s_up s_skip s_bytes s_man < <(field "$work/sibling.json" uploaded skipped bytesUploaded manifests)
read -r m_up m_skip m_mnt < <(field "$work/mount.json" uploaded skipped mounted)

echo "| push | kolibri push | skopeo copy --all |"
echo "| --- | --- | --- |"
echo "| $image into a fresh registry, median of $n (ms) | $(median < "$work/kolibri.ms") | $(median < "$work/skopeo.ms") |"
echo "| all runs (ms) | $(paste -sd' ' "$work/kolibri.ms") | $(paste -sd' ' "$work/skopeo.ms") |"
echo "| the same image again, one run (ms) | $k_again | $s_again |"
echo "| $sibling into the same repository, one run (ms) | $k_sib | $s_sib |"
echo "| $sibling into another repository, mounting, one run (ms) | $k_mnt | $s_mnt |"
echo
echo "kolibri: first push $up blobs uploaded ($bytes bytes); again: $a_up uploaded, $a_skip already there;"
echo "sibling: $s_up uploaded ($s_bytes bytes), $s_skip already there, $s_man manifests;"
echo "sibling into another repository with --mount-from: $m_up uploaded, $m_mnt mounted, $m_skip already there."

#!/usr/bin/env bash
# Prints this machine's apt sources for the given suites as one-line "deb" entries (main only), read from
# /etc/apt/sources.list and /etc/apt/sources.list.d/*.{list,sources}; so no script names a mirror.
# A suite the machine does not list comes from its source for the same archive, as Kolibri's `url: system`
# takes it: a -security suite from the entry of a listed -security suite, any other from the entry of a listed
# Debian release (bookworm, trixie, ...). So a Debian 12 machine gives trixie entries too.
# Usage: bench/host-sources.sh SUITE...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 SUITE..." >&2; exit 2; }
all_listed() {
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  want=" $( [ ${#files[@]} -gt 0 ] && awk '
      /^[ \t]*deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i !~ /:\/\//) { print $i; break } }
      /^Suites:/ { for (i = 2; i <= NF; i++) print $i }' "${files[@]}" | sort -u | tr "\n" " ") "
}
if [ "${_HOST_SOURCES_LISTED:-}" != 1 ]; then
  listed=$(_HOST_SOURCES_LISTED=1 "$0" --all)
  for suite in "$@"; do
    line=$(printf '%s\n' "$listed" | awk -v s="$suite" '$0 ~ " " s " main$"' | head -n1)
    if [ -z "$line" ]; then
      case $suite in
        *-security) pat='-security main$' ;;
        *) pat=' (buster|bullseye|bookworm|trixie|forky|sid|stable|oldstable|testing|unstable) main$' ;;
      esac
      line=$(printf '%s\n' "$listed" | grep -E -- "$pat" | head -n1 | sed -E "s/ [^ ]+ main$/ $suite main/")
    fi
    [ -n "$line" ] && echo "$line"
  done | sort -u
  exit 0
fi
if [ "${1:-}" = --all ]; then all_listed; else want=" $* "; fi
{
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$want" '
      /^[ \t]*deb[ \t]/ {
        line = $0; opts = ""
        if (match(line, /\[[^]]*\]/)) { opts = substr(line, RSTART, RLENGTH); line = substr(line, 1, RSTART-1) substr(line, RSTART+RLENGTH) }
        n = split(line, F, /[ \t]+/)
        # F[1]=deb (or empty when indented), then uri, suite
        k = (F[1] == "") ? 2 : 1
        if (index(want, " " F[k+2] " ")) print "deb " (opts != "" ? opts " " : "") F[k+1] " " F[k+2] " main"
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$want" '
      function flush(   i, j, n, m, U, S) {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && uris != "") {
          n = split(uris, U, /[ \t]+/); m = split(suites, S, /[ \t]+/)
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
            if (U[i] != "" && index(want, " " S[j] " "))
              print "deb " (signed != "" ? "[signed-by=" signed "] " : "") U[i] " " S[j] " main"
        }
        types = uris = suites = signed = enabled = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[A-Za-z-]+:/ {
        key = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "signed-by") signed = val
        else if (key == "enabled") enabled = val
      }
      END { flush() }' "$f"
  done
} | sort -u

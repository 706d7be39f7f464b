# Sourced by ./kolibri, ./run-tests and .ci/run: picks a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is >= 21, else the newest JDK under /usr/lib/jvm.
kolibri_java_major() {
  # The JDK's release file names its version without starting a JVM; else ask java itself.
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n1)
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  echo "$v"
}
kolibri_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local m; m=$(kolibri_java_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then export JAVA_HOME KOLIBRI_JAVA_MAJOR=$m; return 0; fi
  fi
  local best="" bestm=0 d m
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    m=$(kolibri_java_major "$d"); [ -n "$m" ] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$bestm" ]; then best=$d; bestm=$m; fi
  done
  if [ -z "$best" ]; then
    echo "error: Kolibri needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 21 under /usr/lib/jvm)." >&2
    echo "hint: install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best KOLIBRI_JAVA_MAJOR=$bestm
}

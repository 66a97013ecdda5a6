#!/usr/bin/env bash
# Builds target/dirpipe.jsa, a class data sharing (AppCDS) archive of the classes a `dirpipe extract`
# loads, so every process the launcher starts maps them instead of loading, verifying and parsing
# ~8,500 classes again (directory roles: ~3.2 CPU s instead of ~4.5).
#
# Training: a sandbox with its broker in a process of its own, and one `dirpipe extract` of users and
# directory roles against it that writes the classes it loaded. The archive is then dumped from that
# list. Lambda-proxy lines are left out: Debian's OpenJDK 17 crashes archiving them
# (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary), and a static archive does not
# need them. Signed jars (azure-core, azure-identity) are skipped by the JVM itself.
#
# Never fails the build: without an archive dirpipe runs the same, only starts slower.
# Usage: cds-archive.sh TARGET_DIR JAVA_HOME
set -uo pipefail
target="$1"
java="$2/bin/java"
jar="$target/dirpipe.jar"
archive="$target/dirpipe.jsa"
rm -f "$archive"
work="$(mktemp -d)"
sandbox=""
cleanup() {
  [ -n "$sandbox" ] && kill "$sandbox" 2>/dev/null && wait "$sandbox" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
skip() {
  echo "[cds-archive] no class data sharing archive ($1); dirpipe runs without it, starting slower" >&2
  [ -f "$2" ] && tail -n 20 "$2" >&2
  exit 0
}

"$java" -cp "$jar" io.dirpipe.cli.Main sandbox --kafka --users 2000 >"$work/env" 2>"$work/sandbox.log" &
sandbox=$!
for _ in $(seq 240); do
  grep -q '^sandbox ready' "$work/env" && break
  kill -0 "$sandbox" 2>/dev/null || skip "the training sandbox ended" "$work/sandbox.log"
  sleep 0.5
done
grep -q '^sandbox ready' "$work/env" || skip "the training sandbox did not start in 120 s" "$work/sandbox.log"

(
  set -a
  eval "$(grep '^export ' "$work/env" | sed 's/^export //')"
  set +a
  DIRPIPE_TOPICS_PREFIX=cds-training. "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:DumpLoadedClassList="$work/loaded" -cp "$jar" io.dirpipe.cli.Main \
    extract --collections users,directoryRoles --json >"$work/extract.out" 2>"$work/extract.log"
) || skip "the training extraction failed" "$work/extract.log"

grep -v '^@' "$work/loaded" >"$work/classes"
"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:dump \
  -XX:SharedClassListFile="$work/classes" -XX:SharedArchiveFile="$archive" -cp "$jar" \
  >"$work/dump.log" 2>&1 || { rm -f "$archive"; skip "the dump failed" "$work/dump.log"; }
echo "[cds-archive] $archive: $(wc -l <"$work/classes") classes" >&2

#!/usr/bin/env bash
# Many engines in one JVM next to Nashorn 15.4's (eplua.core.bench.ManyEnginesBench): for two batches of engines
# (1,000 each by default) that each hold a pending timer and no suspended task: live threads, creation time per engine
# (first batch in a fresh JVM, second after it) and heap per engine, on Java 17 and Java 21+, each JVM started with no
# flags, one fresh JVM per row: eplua alone, eplua with eplua-net on the class path (every engine installs its
# modules, as a hub's would), Nashorn. Prints one table. Usage: dev/bench/engines/run.sh [engines]
# (JAVA17=, JAVA25= pick the JVMs; =false skips one). Builds with test-compile only: installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../../.."
n=${1:-1000}
out=${TMPDIR:-/tmp}/eplua-bench-engines
mkdir -p "$out"
: >"$out/stderr.log"   # the JVMs' own messages (fiber-mode notes, Nashorn's deprecation warning)
mvnq() { mvn -q -B "$@" >>"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }; }
: >"$out/build.log"
mvnq -o -pl eplua-core dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test
# eplua-net's runtime dependencies (the last module of the reactor writes the file), less eplua-core (in $cp)
mvnq -o -pl eplua-net -am test-compile dependency:build-classpath -Dmdep.outputFile="$out/net-cp.txt" \
  -Dmdep.includeScope=runtime
# Nashorn 15.4 (and the asm it needs) from Maven Central, only for the baseline
mvnq dependency:copy -Dartifact=org.openjdk.nashorn:nashorn-core:15.4 -DoutputDirectory="$out/nashorn"
for a in asm asm-commons asm-tree asm-util asm-analysis; do
  mvnq dependency:copy -Dartifact=org.ow2.asm:$a:7.3.1 -DoutputDirectory="$out/nashorn"
done
cp="eplua-core/target/classes:eplua-core/target/test-classes:$(cat "$out/cp.txt")"
nashorn_cp="$(ls "$out"/nashorn/*.jar | tr '\n' ':')"
net_cp="eplua-net/target/classes:$(tr ':' '\n' <"$out/net-cp.txt" | grep -v '/eplua-core/' | paste -sd:)"
java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
echo "$n engines a batch, each with one pending timer; threads: live (ThreadMXBean) before the first engine and after"
echo "each batch; ms and MB: per engine, in the first batch (fresh JVM) and the second; $(nproc) cores"
echo
echo "| Java | engine | threads before | after $n | after $((2 * n)) | ms first | ms next | MB first | MB next |"
echo "|---|---|---|---|---|---|---|---|---|"
for java in "$java17" "$java25"; do
  [ "$java" = false ] && continue
  [ -x "$(command -v "$java")" ] || continue
  "$java" -cp "$cp" eplua.core.bench.ManyEnginesBench eplua "$n" 2>>"$out/stderr.log"
  "$java" -cp "$cp:$net_cp" eplua.core.bench.ManyEnginesBench eplua "$n" 2>>"$out/stderr.log"   # + tcp, udp, http...
  "$java" -cp "$cp:$nashorn_cp" eplua.core.bench.ManyEnginesBench nashorn "$n" 2>>"$out/stderr.log"
done

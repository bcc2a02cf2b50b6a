#!/usr/bin/env bash
# TCP benchmarks (never part of the test suite): echo throughput and round trips/s from Lua (task and callback style)
# next to a plain Netty echo pair in the same run, then 1,000 task-style connections held open; on Java 17 and on
# Java 21+ (where fibers are mounted on the engine's loop thread).
# Usage: dev/bench/tcp/run.sh [total_MiB=256] [round_trips=50000]     (JAVA17=false or JAVA25=false skips one)
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B install -DskipTests -pl eplua-core,eplua-net -am >/dev/null
mvn -q -B -pl eplua-net dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="eplua-net/target/classes:eplua-net/target/test-classes:$(cat eplua-net/target/bench.cp)"
java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
opens="--add-opens java.base/java.lang=ALL-UNNAMED"
for java in "$java17" "$java25"; do
  [ "$java" = false ] && continue
  [ -x "$(command -v "$java")" ] || continue
  echo "== $("$java" -version 2>&1 | head -1)"
  "$java" -Xms2g -Xmx2g $opens ${BENCH_OPTS:-} -cp "$cp" eplua.net.tcp.bench.TcpBench "${1:-256}" "${2:-50000}"
done

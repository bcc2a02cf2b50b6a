#!/usr/bin/env bash
# Core benchmarks: timers vs Node 20, invoke round trip, engine start, task costs on Java 17 and Java 21+,
# coroutine round trip vs C Lua 5.4. Usage: dev/bench/core/run.sh [which]   (which: timers|invoke|startup|
# taskcontext|spawn|alive|resume|all). Needs node and lua5.4 (apt-get install -y lua5.4) for the baselines.
set -euo pipefail
cd "$(dirname "$0")/../../.."
which=${1:-all}
mvn -q -B install -DskipTests -pl eplua-core >/dev/null
mvn -q -B -pl eplua-core dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="eplua-core/target/classes:eplua-core/target/test-classes:$(cat eplua-core/target/bench.cp)"
java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
# a fixed heap (-Xms = -Xmx), as benchmarks do: no heap resizing in the middle of a measurement
heap=${HEAP:--Xms4g -Xmx4g}
# Java 21+: lets each engine mount its virtual fibers on its own loop thread (eplua.core.internal.task.Fibers.carried)
opens="--add-opens java.base/java.lang=ALL-UNNAMED"
if [ "$which" = all ] || [ "$which" = timers ]; then
  command -v node >/dev/null && node --input-type=module < dev/bench/core/timers.js || echo "node missing: no baseline"
fi
if [ "$which" = all ] || [ "$which" = resume ]; then
  command -v lua5.4 >/dev/null && lua5.4 dev/bench/core/resume.lua || echo "lua5.4 missing: no baseline"
fi
if [ "$java17" != false ]; then   # JAVA17=false or JAVA25=false skips one
  echo "== Java 17"
  "$java17" $heap $opens -cp "$cp" eplua.core.bench.CoreBench "$which"
fi
if [ "$java25" != false ] && [ -x "$java25" ]; then
  echo "== $("$java25" -version 2>&1 | head -1)"
  "$java25" $heap $opens -cp "$cp" eplua.core.bench.CoreBench "$which"
  if [ -n "${COMPARE_SHARED:-}" ]; then
    echo "== $("$java25" -version 2>&1 | head -1), fibers on the JVM's shared scheduler (-Deplua.carrier=false)"
    "$java25" $heap $opens -Deplua.carrier=false -cp "$cp" eplua.core.bench.CoreBench "$which"
  fi
fi

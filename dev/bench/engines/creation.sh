#!/usr/bin/env bash
# Many engines in one JVM (never part of the test suite): creation time and heap per engine for N engines alive at
# once, each holding one pending timer, with the network modules installed (eplua-net on the class path), on Java 17
# and Java 21+. Builds in the reactor; nothing is installed into ~/.m2. Usage: dev/bench/engines/creation.sh [engines=1000] (ROUNDS=n: rounds of engines in one JVM). dev/bench/engines/run.sh has threads and the Nashorn baseline
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B -pl eplua-net -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
cp="eplua-net/target/classes:$(cat eplua-net/target/bench.cp)"
java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
heap=${HEAP:--Xms2g -Xmx2g}
for java in "$java17" "$java25"; do
  [ "$java" = false ] && continue   # JAVA17=false or JAVA25=false skips one
  [ -x "$(command -v "$java")" ] || continue
  echo "== $("$java" -version 2>&1 | head -1)"
  "$java" $heap -cp "$cp" eplua.core.bench.EnginesBench "${1:-1000}" "${ROUNDS:-1}"
done

#!/usr/bin/env bash
# What the instructions budget costs: Lua CPU work (fib, string building, table sort with and without a Lua
# comparator, gsub) in engines without a budget, with one that never runs out, and without the debug hook, in one run
# (eplua.core.bench.BudgetBench). Usage: dev/bench/budget/run.sh   (JAVA=/path/to/java; WARM_MS, ROUNDS).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B install -DskipTests -pl eplua-core >/dev/null
mvn -q -B -pl eplua-core dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="eplua-core/target/classes:eplua-core/target/test-classes:$(cat eplua-core/target/bench.cp)"
java=${JAVA:-java}
# a fixed heap (-Xms = -Xmx), as benchmarks do: no heap resizing in the middle of a measurement
"$java" -Xms2g -Xmx2g --add-opens java.base/java.lang=ALL-UNNAMED -Dbench.warmMs="${WARM_MS:-8000}" \
  -Dbench.rounds="${ROUNDS:-15}" -cp "$cp" eplua.core.bench.BudgetBench

#!/usr/bin/env bash
# Lifecycle benchmark (never part of the test suite): latency of sleep(0.1) and of a TCP echo round trip with and
# without a task spinning on yield(), in one run, on Java 17 and Java 21+. Builds the all-in-one jar in the reactor
# (nothing is installed into ~/.m2). Usage: dev/bench/lifecycle/run.sh [sleep_samples=300] [round_trips=2000]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B package -DskipTests -pl eplua-cli -am >/dev/null
java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
for java in "$java17" "$java25"; do
  [ "$java" = false ] && continue
  [ -x "$(command -v "$java")" ] || continue
  echo "== $("$java" -version 2>&1 | head -1)"
  "$java" -jar eplua-cli/target/eplua.jar dev/bench/lifecycle/latency.lua "${1:-300}" "${2:-2000}"
done

#!/bin/sh
# TCP benchmarks (never part of the test suite): echo throughput and round trips/s from Lua (task and callback style)
# next to a plain Netty echo pair in the same run, then 1,000 task-style connections held open.
# Usage: dev/bench/tcp/run.sh [total_MiB=256] [round_trips=20000]
set -e
cd "$(dirname "$0")/../../.."
mvn -q -B install -pl eplua-core -DskipTests
mvn -q -B -pl eplua-net test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.classpathScope=test -Dexec.mainClass=eplua.net.tcp.bench.TcpBench -Dexec.args="${1:-256} ${2:-20000}"

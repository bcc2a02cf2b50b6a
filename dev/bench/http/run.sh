#!/bin/bash
# HTTP benchmark: eplua's HTTP server (Lua handler) vs plain Netty (1 and 2 NIO threads) vs Node 20, under
# wrk -t2 -c64 -d10s, all in one run; then eplua's HTTP client requests/s from Lua. Needs wrk (apt-get install wrk)
# and node. Usage: dev/bench/http/run.sh   (from the repository root, after mvn install)
set -e
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=${TMPDIR:-/tmp}/eplua-bench-http
mkdir -p "$OUT"
cd "$ROOT"
mvn -q -B -o -pl eplua-net dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="$ROOT/eplua-net/target/classes:$(cat "$OUT/cp.txt")"
javac -cp "$CP" -d "$OUT" dev/bench/http/NettyHello.java dev/bench/http/RunLua.java
DUR=${DUR:-10s}
# JAVA=/path/to/java picks the JVM (Java 21+: fibers on the loop thread, which needs the --add-opens below)
JAVA="${JAVA:-java} --add-opens java.base/java.lang=ALL-UNNAMED"
echo "# $(${JAVA%% *} -version 2>&1 | head -1)"
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

bench() { # name port
  wrk -t2 -c64 -d2s "http://127.0.0.1:$2/" >/dev/null 2>&1 || true  # warm-up (JIT)
  R=$(wrk -t2 -c64 -d"$DUR" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {print $2}')
  echo "$1 $R" | tee -a "$OUT/results.txt"
}
wait_port() { i=0; while ! (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.1; done; }
: > "$OUT/results.txt"

$JAVA -cp "$OUT:$CP" RunLua dev/bench/http/server.lua 18081 > "$OUT/eplua.log" 2>&1 & P=$!; PIDS="$PIDS $P"
wait_port 18081; bench eplua 18081; kill $P

$JAVA -cp "$OUT:$CP" NettyHello 18082 1 > "$OUT/netty1.log" 2>&1 & P=$!; PIDS="$PIDS $P"
wait_port 18082; bench netty-1thread 18082; kill $P

$JAVA -cp "$OUT:$CP" NettyHello 18083 2 > "$OUT/netty2.log" 2>&1 & P=$!; PIDS="$PIDS $P"
wait_port 18083; bench netty-2threads 18083; kill $P

node dev/bench/http/node_hello.js 18084 > "$OUT/node.log" 2>&1 & P=$!; PIDS="$PIDS $P"
wait_port 18084; bench node 18084; kill $P

awk '{v[$1]=$2} END {
  printf "eplua / netty-1thread  = %.2f\n", v["eplua"]/v["netty-1thread"];
  printf "eplua / netty-2threads = %.2f\n", v["eplua"]/v["netty-2threads"];
  printf "eplua / node           = %.2f\n", v["eplua"]/v["node"] }' "$OUT/results.txt"

# client: requests/s from Lua against the plain Netty server (sequential, then 16 concurrent tasks)
$JAVA -cp "$OUT:$CP" NettyHello 18085 1 > "$OUT/netty-client.log" 2>&1 & P=$!; PIDS="$PIDS $P"
wait_port 18085
$JAVA -cp "$OUT:$CP" RunLua dev/bench/http/client.lua http://127.0.0.1:18085/ 20000 1
$JAVA -cp "$OUT:$CP" RunLua dev/bench/http/client.lua http://127.0.0.1:18085/ 40000 16
kill $P

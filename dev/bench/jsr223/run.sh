#!/bin/bash
# javax.script invoke benchmark: eplua's invokeFunction vs its core Engine.invoke vs Nashorn 15.4's invokeFunction,
# one JVM per configuration: Java 17, and Java 21+ both with and without --add-opens (a plain host's JVM).
# Usage: dev/bench/jsr223/run.sh [calls]   (from anywhere; builds what it needs; JAVA17=, JAVA21= pick the JVMs)
set -e
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=${TMPDIR:-/tmp}/eplua-bench-jsr223
mkdir -p "$OUT"
cd "$ROOT"
mvn -q -B -o package -DskipTests -pl eplua-jsr223 -am >/dev/null
mvn -q -B -o -pl eplua-jsr223 dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
# Nashorn 15.4 (and its asm) from Maven Central, only for the baseline
mvn -q -B dependency:copy -Dartifact=org.openjdk.nashorn:nashorn-core:15.4 -DoutputDirectory="$OUT/nashorn" >/dev/null
for a in asm asm-commons asm-tree asm-util asm-analysis; do
  mvn -q -B dependency:copy -Dartifact=org.ow2.asm:$a:7.3.1 -DoutputDirectory="$OUT/nashorn" >/dev/null
done
CP="$ROOT/eplua-jsr223/target/classes:$(cat "$OUT/cp.txt"):$(ls "$OUT"/nashorn/*.jar | tr '\n' ':')"
javac -cp "$CP" -d "$OUT" dev/bench/jsr223/InvokeBench.java
J17=${JAVA17:-java}
J21=${JAVA21:-$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | tail -1)/bin/java}
HEAP="-Xms1g -Xmx1g"
echo "== Java 17, no flags";                 "$J17" $HEAP -cp "$OUT:$CP" InvokeBench "$@"
if [ -x "$J21" ]; then
  echo "== Java 21+, no flags";              "$J21" $HEAP -cp "$OUT:$CP" InvokeBench "$@"
  echo "== Java 21+, --add-opens";           "$J21" $HEAP --add-opens java.base/java.lang=ALL-UNNAMED -cp "$OUT:$CP" InvokeBench "$@"
fi

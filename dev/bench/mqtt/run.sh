#!/usr/bin/env bash
# MQTT throughput: Lua publisher -> mosquitto -> Lua subscriber (dev/bench/mqtt/pubsub.lua) vs mosquitto_pub -l ->
# mosquitto_sub, QoS 0 and 1, on one private broker. Usage: dev/bench/mqtt/run.sh [N=50000] [rounds=3].
# Needs Debian's mosquitto and mosquitto-clients (apt-get install -y mosquitto mosquitto-clients).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -q -B install -DskipTests -pl eplua-core >/dev/null
mvn -q -B -pl eplua-net test-compile >/dev/null
mvn -q -B -pl eplua-net dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="eplua-net/target/classes:eplua-net/target/test-classes:$(cat eplua-net/target/bench.cp)"
${JAVA:-java} --add-opens java.base/java.lang=ALL-UNNAMED ${HEAP:--Xmx2g} -cp "$cp" eplua.net.mqtt.MqttBench "${1:-50000}" "${2:-3}"

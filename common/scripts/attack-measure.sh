#!/usr/bin/env bash
# Before/after figures for the attacks of issue 10 (heap, file descriptors, a bystander's p50 round trip):
#   common/scripts/attack-measure.sh [ghosts] [flood] [attachments] [headers] [slowloris]
# Each attack runs against a fresh server in its own JVM, on loopback; about 2 minutes for all five.
# Source: common/src/test/java/relaylab/realtime/AttackMeasure.java
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q test-compile -pl common
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q dependency:build-classpath -pl common -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec java -Xmx2g -cp "common/target/test-classes:common/target/classes:$(cat "$cp_file")" relaylab.realtime.AttackMeasure "$@"

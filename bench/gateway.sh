#!/usr/bin/env bash
# Runs the gateway bench: one broker, a processor and a gateway (each in its own JVM), thousands of
# WebSocket connections from this JVM; writes bench/results/<date>-gateway.md. Never part of the
# tests. Takes under ten minutes on two cores; options: bench/gateway.sh --help.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Each connection is a descriptor here and one in the gateway JVM, which inherits the limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mvn -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package
# Absolute classpath: child JVMs (the broker runs in its data directory) inherit it.
exec java -Xms1g -Xmx1g -cp "$root/bench/target/docstream-bench.jar:$root/bench/target/lib/*" \
  io.docstream.bench.GatewayBenchMain "$@"

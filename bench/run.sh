#!/usr/bin/env bash
# Runs the docstream bench: one broker, the exactly_once_v2 pass-through (the ceiling), then the
# processor at each document size; writes bench/results/<date>.md. Never part of the tests.
# Takes under ten minutes on two cores; options: bench/run.sh --help.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package
# Absolute classpath: child JVMs (the broker runs in its data directory) inherit it.
exec java -Xms1g -Xmx1g -cp "$root/bench/target/docstream-bench.jar:$root/bench/target/lib/*" \
  io.docstream.bench.BenchMain "$@"

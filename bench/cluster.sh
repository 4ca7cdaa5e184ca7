#!/usr/bin/env bash
# Throughput with one and two processor instances on three brokers (issue 10 item 6), alternating
# in one session; writes bench/results/<date>-cluster.md.
# Usage: bench/cluster.sh [pairs of phases (2)] [window s (15)]
# Never part of the tests; about five minutes for two pairs on two cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pairs="${1:-2}"
window="${2:-15}"
mvn -q -B -ntp -o -DskipTests -Dspotless.check.skip=true -pl bench -am package
work="$(mktemp -d /tmp/cluster-bench.XXXXXX)"
trap '[ "${keep:-}" ] || rm -rf "$work"' EXIT
timeout $(( 300 * pairs + 300 )) java -Xms512m -Xmx512m \
  -cp "$root/bench/target/docstream-bench.jar:$root/bench/target/lib/*" \
  io.docstream.bench.ClusterMain "$work" "bench/results/$(date -u +%F)-cluster.md" "$pairs" "$window"

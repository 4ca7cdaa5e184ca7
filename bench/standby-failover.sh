#!/usr/bin/env bash
# Failover time of a partition with ~100 MB of state, num.standby.replicas 0 and 1: one broker,
# two processor JVMs, kill -9 of the owner; writes bench/results/<date>-standby-failover.md.
# Usage: bench/standby-failover.sh [runs (default 1)] [documents of 100 KiB (default 500: ~100 MB of changelog)]
#        [setting ...]  (default: standby=0 standby=1; a setting is
#        standby=N[,session=MS][,txn=MS][,broker.<broker key>=v][,<processor key>=v]; each gets its own broker)
# RESULTS=<file> writes there instead. Never part of the tests; about a minute per run on two cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-1}"
docs="${2:-500}"
shift $(( $# > 2 ? 2 : $# ))
settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(standby=0 standby=1)
mvn -q -B -ntp -o -DskipTests -Dspotless.check.skip=true -pl bench -am package
work="$(mktemp -d /tmp/standby-failover.XXXXXX)"
trap '[ "${keep:-}" ] || rm -rf "$work"' EXIT
exec_timeout=$(( 300 * runs * ${#settings[@]} + 120 ))
timeout "$exec_timeout" java -Xms1g -Xmx1g \
  -cp "$root/bench/target/docstream-bench.jar:$root/bench/target/lib/*" \
  io.docstream.bench.StandbyFailoverMain "$work" \
  "${RESULTS:-bench/results/$(date -u +%F)-standby-failover.md}" "$runs" "$docs" "${settings[@]}"

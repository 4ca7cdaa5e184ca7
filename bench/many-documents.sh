#!/usr/bin/env bash
# Many documents on one processor (issue 10 item 5): throughput with 24 hot documents and with
# 100,000 documents of 1 KiB updated uniformly at random, live heap after GC and RSS, then restore
# time after a wiped state directory; writes bench/results/<date>-many-documents.md.
# Usage: bench/many-documents.sh [runs (1)] [documents (100000)] [window s (15)] [setting ...]
#   a setting is label=NAME[,cp=<checkout with bench packaged>][,restore=true][,<processor key>=v]
#   default: label=default,restore=true  label=cache-8MiB,cache.bytes=8388608
# Never part of the tests; about four minutes per setting and run on two cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-1}"
docs="${2:-100000}"
window="${3:-15}"
shift $(( $# > 3 ? 3 : $# ))
settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(label=default,restore=true label=cache-8MiB,cache.bytes=8388608)
mvn -q -B -ntp -o -DskipTests -Dspotless.check.skip=true -pl bench -am package
work="$(mktemp -d /tmp/many-documents.XXXXXX)"
echo "work directory: $work (kept with keep=1; profile=true writes its files under it)"
trap '[ "${keep:-}" ] || rm -rf "$work"' EXIT
timeout $(( 600 * runs * ${#settings[@]} + 120 )) java -Xms1g -Xmx1g \
  -cp "$root/bench/target/docstream-bench.jar:$root/bench/target/lib/*" \
  io.docstream.bench.ManyDocumentsMain "$work" \
  "bench/results/$(date -u +%F)-many-documents.md" "$runs" "$docs" "$window" "${settings[@]}"

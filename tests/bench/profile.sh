#!/usr/bin/env bash
# Profile one implementation on one scenario, in-process:
#   ./profile.sh S1b            # brisk
#   ./profile.sh S3 brisk-next
# Writes $RESULTS/prof/<scenario>-<impl>.{cpu,mem} and prints pprof -top of
# both (CPU time; allocation sites, counted exactly with -memprofilerate=1).
set -euo pipefail
cd "$(dirname "$0")"
SC=${1:?usage: profile.sh SCENARIO [IMPL]}
IMPL=${2:-brisk}
BENCHTIME=${BENCHTIME:-3s}
RESULTS=${RESULTS:-results}
OUT="$RESULTS/prof"
mkdir -p "$OUT"
base="$OUT/$SC-$IMPL"
go test -c -o "$OUT/bench.test" .
"$OUT/bench.test" -test.run '^$' -test.bench "^Benchmark$SC\$/^fw=$IMPL\$" -test.benchmem \
  -test.benchtime "$BENCHTIME" -test.cpuprofile "$base.cpu" >/dev/null
"$OUT/bench.test" -test.run '^$' -test.bench "^Benchmark$SC\$/^fw=$IMPL\$" -test.benchmem \
  -test.benchtime 200000x -test.memprofile "$base.mem" -test.memprofilerate 1 | grep Benchmark
echo "== CPU ($base.cpu)"
go tool pprof -top -nodecount "${NODES:-35}" "$OUT/bench.test" "$base.cpu" 2>/dev/null | sed -n '1,45p'
echo "== allocations ($base.mem, alloc_objects)"
go tool pprof -top -sample_index=alloc_objects -nodecount 25 "$OUT/bench.test" "$base.mem" 2>/dev/null | sed -n '1,35p'

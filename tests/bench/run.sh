#!/usr/bin/env bash
# Brisk's side-by-side benchmark, all of it: parity first, then the
# in-process benchmarks (COUNT interleaved rounds) with benchstat and the ratio
# table, then the loopback comparison for S1, S2 and S3. Results go to
# $RESULTS (default tests/bench/results/); docs/performance.md is written from
# them by hand.
#
# Knobs (environment): COUNT (6), BENCHTIME (500ms), BENCH (.), LOOP_DURATION
# (5s), LOOP_ROUNDS (2), LOOP_CONNS (64), LOOP_SCENARIOS (S1,S2,S3),
# SKIP_LOOPBACK=1.
# About 6 minutes on an idle 2-core machine with the defaults (more when
# other work shares it: then trust cpu-ns/op and server CPU per request over
# wall time and req/s).
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-6}
BENCHTIME=${BENCHTIME:-500ms}
BENCH=${BENCH:-.}
LOOP_DURATION=${LOOP_DURATION:-5s}
LOOP_ROUNDS=${LOOP_ROUNDS:-2}
LOOP_CONNS=${LOOP_CONNS:-64}
LOOP_SCENARIOS=${LOOP_SCENARIOS:-S1,S2,S3}
RESULTS=${RESULTS:-results}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da # @latest on the day of docs/performance.md
mkdir -p "$RESULTS"

{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "go:      $(go version)"
  echo "cores:   $(nproc)"
  echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the run)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- ../.. 2>/dev/null || echo ' (work tree changed)')"
  echo "peers:"
  go list -m github.com/go-chi/chi/v5 github.com/gin-gonic/gin github.com/labstack/echo/v4 \
    github.com/danielgtaylor/huma/v2 github.com/go-fuego/fuego github.com/klauspost/compress \
    github.com/gin-contrib/gzip github.com/go-playground/validator/v10 | sed 's/^/  /'
} | tee "$RESULTS/machine.txt"

echo "== parity"
go test -count=1 -run 'TestParity|TestBigSize' .
go test -count=1 -v -run 'TestInvalidBodies' . | grep -E '^\s+parity_test' | sed 's/^ *parity_test.go:[0-9]*: //' | tee "$RESULTS/invalid-bodies.txt"

# Interleaved rounds: go test's -count N runs each sub-benchmark N times in a
# row (all of chi, then all of Brisk, ...), so a burst of load from elsewhere
# lands on one implementation. Instead the test binary runs COUNT times with
# -count 1: each round runs every implementation of every scenario once, in
# turn, and a burst spreads over all of them.
echo "== benchmarks: $COUNT rounds of bench.test -test.bench '$BENCH' -test.benchmem -test.count 1 -test.benchtime $BENCHTIME"
go test -c -o "$RESULTS/bench.test" .
: > "$RESULTS/bench.txt"
for round in $(seq "$COUNT"); do
  echo "-- round $round/$COUNT, load $(cut -d' ' -f1 /proc/loadavg)"
  "$RESULTS/bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem -test.count 1 \
    -test.benchtime "$BENCHTIME" | tee -a "$RESULTS/bench.txt"
done
rm -f "$RESULTS/bench.test"

echo "== benchstat (columns: implementations, chi the baseline)"
go run "$BENCHSTAT" -col /fw "$RESULTS/bench.txt" > "$RESULTS/benchstat-all.txt"
go run "$BENCHSTAT" -col /fw -filter '/fw:(chi OR brisk OR brisk-next OR brisk-add)' "$RESULTS/bench.txt" | tee "$RESULTS/benchstat.txt"
echo "(all implementations: $RESULTS/benchstat-all.txt)"

echo "== ratio table"
go run ./cmd/benchtable "$RESULTS/bench.txt" | tee "$RESULTS/table.md"

echo "load after the benchmarks: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt"

if [ "${SKIP_LOOPBACK:-}" != 1 ]; then
  echo "== loopback"
  go build -o "$RESULTS/loadgen" ./cmd/loadgen
  "$RESULTS/loadgen" -scenarios "$LOOP_SCENARIOS" -duration "$LOOP_DURATION" -rounds "$LOOP_ROUNDS" -conns "$LOOP_CONNS" | tee "$RESULTS/loopback.md"
  rm -f "$RESULTS/loadgen"
  echo "load after the loopback runs: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt"
fi

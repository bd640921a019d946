#!/usr/bin/env bash
# Runs every fuzz target in the module briefly (FUZZTIME each, default
# 20000 executions), one target per go test invocation, as go test requires.
# The default budget is a count, not a duration: Go 1.26's fuzz coordinator
# can report a spurious "context deadline exceeded" when a wall-clock
# -fuzztime expires while a worker is mid-call (golang/go#75804, fixed in
# Go 1.27). A count has no deadline to race. If a duration is asked for and
# that race is hit, the run is retried once; a failure that writes an input
# under testdata/fuzz/ always fails the step. The targets are
# found by name (func FuzzX in *_test.go), so a new one is picked up without
# editing this script. Failing inputs are written to the package's
# testdata/fuzz/ by go test; the script stops at the first failure.
#
#   bash .ci/steps/fuzz.sh                     # CI: 20000 execs per target
#   FUZZTIME=10m bash .ci/steps/fuzz.sh        # the long local run
#   FUZZ_ONLY='FuzzScalarInt|FuzzSlice' bash .ci/steps/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZTIME="${FUZZTIME:-20000x}"
FUZZ_ONLY="${FUZZ_ONLY:-Fuzz[A-Za-z0-9_]*}"
# One worker: the machines this runs on are shared.
PARALLEL="${FUZZ_PARALLEL:-1}"

# Nested modules (tests/bench) are not this module's packages.
nested="$(find . -mindepth 2 -name go.mod -not -path '*/.*' -printf '%h\n' | sed 's#^\./##' | paste -sd'|' -)"
mapfile -t targets < <(
  grep -rE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' . \
    | grep -v '/\.' \
    | { if [ -n "$nested" ]; then grep -vE "^\./($nested)/"; else cat; fi; } \
    | sed -E 's#^\./(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+).*#\1 \2#; s#^\./[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+).*#. \1#' \
    | grep -E " (${FUZZ_ONLY})$" | sort -u
)
if [ "${#targets[@]}" -eq 0 ]; then
  echo "no fuzz targets found"; exit 1
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# files counts the inputs in a corpus folder; a target without one has 0
# (ls on a missing folder fails, and pipefail would end the script).
files() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
for entry in "${targets[@]}"; do
  pkg="${entry% *}"; name="${entry#* }"
  echo "-- fuzz $name in ./$pkg for $FUZZTIME"
  corpus="./$pkg/testdata/fuzz/$name"
  before="$(files "$corpus")"
  ok=0
  for attempt in 1 2; do
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel "$PARALLEL" "./$pkg/" >"$log" 2>&1; then
      ok=1; break
    fi
    after="$(files "$corpus")"
    # Only the coordinator's deadline race, with no input written, is retried.
    if [ "$after" -ne "$before" ] || ! grep -q 'context deadline exceeded' "$log" || [ "$attempt" -eq 2 ]; then
      break
    fi
    echo "-- $name: fuzz coordinator deadline race (golang/go#75804), no input written; retrying once"
  done
  if [ "$ok" -ne 1 ]; then
    cat "$log"
    echo "-- $name FAILED (a failing input, if one was found, is under $corpus/)"
    exit 1
  fi
  # The last progress line carries the exec count.
  grep '^fuzz: elapsed' "$log" | tail -n 1 || true
done
echo "-- ${#targets[@]} fuzz targets passed"

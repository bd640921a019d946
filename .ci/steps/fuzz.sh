#!/usr/bin/env bash
# Runs every fuzz target in the module briefly (FUZZTIME each, default 10s),
# one target per go test invocation, as go test requires. The targets are
# found by name (func FuzzX in *_test.go), so a new one is picked up without
# editing this script. Failing inputs are written to the package's
# testdata/fuzz/ by go test; the script stops at the first failure.
#
#   bash .ci/steps/fuzz.sh                     # CI: ~10s per target
#   FUZZTIME=10m bash .ci/steps/fuzz.sh        # the long local run
#   FUZZ_ONLY='FuzzScalarInt|FuzzSlice' bash .ci/steps/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZTIME="${FUZZTIME:-10s}"
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
for entry in "${targets[@]}"; do
  pkg="${entry% *}"; name="${entry#* }"
  echo "-- fuzz $name in ./$pkg for $FUZZTIME"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel "$PARALLEL" "./$pkg/" >"$log" 2>&1; then
    cat "$log"
    echo "-- $name FAILED (the failing input is under ./$pkg/testdata/fuzz/$name/)"
    exit 1
  fi
  # The last progress line carries the exec count.
  grep '^fuzz: elapsed' "$log" | tail -n 1 || true
done
echo "-- ${#targets[@]} fuzz targets passed"

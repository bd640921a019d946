#!/usr/bin/env bash
# The short soak, with the race detector on in the driver and in the server
# (the same binary, re-executed with -serve): steady load, SIGTERM mid-load,
# and a task that outlives the shutdown deadline. About a minute in all,
# most of it the race build. The long run is in docs/reliability.md:
#   go run ./tests/soak -duration 60s -conns 256
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="$(mktemp -d)/soak"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -race -o "$bin" ./tests/soak

echo "-- soak (race)"
"$bin" -duration "${SOAK_DURATION:-5s}" -conns "${SOAK_CONNS:-32}"
echo "-- SIGTERM mid-load (race)"
"$bin" -sigterm -duration 6s -conns "${SOAK_CONNS:-32}"
echo "-- a task that outlives the shutdown deadline (race)"
"$bin" -abandon

#!/usr/bin/env bash
# Build (never run) the side-by-side benchmark module tests/bench: vet it and
# compile its tests and benchmarks. The peers (chi, Gin, Echo, Huma, Fuego)
# come through the module proxy into that module only, never Brisk's go.mod.
set -euo pipefail
cd "$(dirname "$0")/../../tests/bench"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
go mod download
go vet ./...
go test -run '^$' -bench '^$' ./...

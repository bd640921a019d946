#!/usr/bin/env bash
# The module docsui (embedded Swagger UI and ReDoc builds, its own go.mod):
# vet, staticcheck and its tests with the race detector. .ci/run's own
# go commands stop at its go.mod.
set -euo pipefail
cd "$(dirname "$0")/../../docsui"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
go mod download
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go test -race -count=1 ./...

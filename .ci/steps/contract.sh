#!/usr/bin/env bash
# Live-response contract check (tests/contract/live.mjs): every example
# program is built and started, and every answer it gives to requests built
# from its own OpenAPI document must validate against that document (Ajv,
# JSON Schema 2020-12). Needs Go, node and npm (ajv from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
command -v npm >/dev/null 2>&1 || { echo "node/npm not found: cannot run the contract check" >&2; exit 1; }

. .ci/lib.sh
npm_env
(cd tests/contract && npm ci --silent)

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for dir in examples/*/; do
  [ -e "$dir/main.go" ] || continue
  # An example with a go.mod of its own is built inside its module.
  name=$(basename "$dir")
  if [ -e "$dir/go.mod" ]; then
    (cd "$dir" && go build -o "$bin/$name" .)
  else
    go build -o "$bin/$name" "./$dir"
  fi
done
node tests/contract/live.mjs "$bin"

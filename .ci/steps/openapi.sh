#!/usr/bin/env bash
# Lints the OpenAPI document of every example program (and the package's own
# example document) with Redocly CLI, then proves one is usable by a real
# code generator (openapi-typescript + tsc). Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v npx >/dev/null 2>&1; then
  echo "node/npm not found: cannot lint OpenAPI documents" >&2
  exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
BRISK_OPENAPI_OUT_DIR="$out" go test -count=1 ./examples/... >/dev/null
docs=("$out"/*.json)
[ -e "${docs[0]}" ] || { echo "no example wrote an OpenAPI document" >&2; exit 1; }

bash .ci/openapi-lint.sh   # the package's example document, and the docs pages' SRI hashes
for doc in "${docs[@]}"; do
  echo "== lint $(basename "$doc")"
  bash .ci/openapi-lint.sh "$doc"
done
bash .ci/openapi-ts.sh      # openapi-typescript + tsc on the package's example document

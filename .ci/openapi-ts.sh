#!/usr/bin/env bash
# Proves the generated OpenAPI document is usable from TypeScript: generates
# types with openapi-typescript and compiles a small typed client against them
# with tsc --noEmit.
#
#   .ci/openapi-ts.sh [openapi.json]
#
# Without an argument it uses the example document that package
# internal/openapi builds in TestExampleDocument; the client,
# internal/openapi/testdata/ts/client.ts, is written against that document
# (a document given as argument must describe the same API). Its
# @ts-expect-error lines must stay errors, so the check fails both when the
# types are unusable and when they are too loose.
#
# Needs Go, node and npm. npm's cache goes to $BRISK_NPM_CACHE (default
# $HOME/.cache/brisk-npm); generated files go to a temporary directory, never
# into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

OPENAPI_TYPESCRIPT_VERSION=7.13.0
TYPESCRIPT_VERSION=5.9.3 # openapi-typescript 7 wants typescript ^5

. .ci/lib.sh
npm_env

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openapi_doc "${1:-}"

cp internal/openapi/testdata/ts/client.ts internal/openapi/testdata/ts/tsconfig.json "$tmp/"

echo "openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION $doc"
(cd "$tmp" && npx --yes -p "openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION" -p "typescript@$TYPESCRIPT_VERSION" \
  openapi-typescript "$doc" -o "$tmp/schema.d.ts")

echo "tsc@$TYPESCRIPT_VERSION --noEmit (testdata/ts/client.ts)"
(cd "$tmp" && npx --yes -p "typescript@$TYPESCRIPT_VERSION" tsc --noEmit -p "$tmp/tsconfig.json")
echo "tsc: ok"

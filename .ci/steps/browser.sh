#!/usr/bin/env bash
# Browser checks in headless Chromium (tests/browser, see its README.md):
# Debian's chromium driven by playwright-core from the npm registry; nothing
# is downloaded at run time. Installs chromium only when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../../tests/browser"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v npm >/dev/null 2>&1 || { echo "node/npm not found: cannot run the browser checks" >&2; exit 1; }

. ../../.ci/lib.sh
npm_env
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --silent

# The checks' Go server is a module of its own.
go mod download
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
BRISK_BROWSER_OUT="$out" node run.mjs

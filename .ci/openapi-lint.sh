#!/usr/bin/env bash
# Lints an OpenAPI document with Redocly CLI and checks the docs pages'
# pinned asset hashes.
#
#   .ci/openapi-lint.sh [openapi.json]
#
# Without an argument it lints the example document that package
# internal/openapi builds in TestExampleDocument. Fails on any lint error
# (warnings are printed, not fatal).
#
# Ruleset: Redocly's "recommended", except rules that do not fit what Brisk
# generates (see docs/openapi.md):
#   security-defined  on for a document with security schemes (every route
#                          must require one, or be brisk.Public: "security":
#                          []); off for one with none (an API with no
#                          security has nothing to declare).
#   no-empty-servers  off  an absent "servers" means "/" (OpenAPI 3.1 §4.8.1),
#                          which is what an app serving its own document wants.
#   operation-summary warn anonymous handlers have no summary, as in FastAPI.
#
# Then it downloads the pinned swagger-ui-dist and redoc packages from the npm
# registry and checks the sha384 subresource-integrity hashes in
# internal/openapi/docs.go against the files the docs pages load, and the
# embedded OAuth2 redirect script against the package's.
#
# Needs Go, node and npm. npm's cache goes to $BRISK_NPM_CACHE (default
# $HOME/.cache/brisk-npm), never into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_CLI_VERSION=2.77.0

. .ci/lib.sh
npm_env
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openapi_doc "${1:-}"

security_defined=off
if grep -q '"securitySchemes"' "$doc"; then
  security_defined=error
fi
cat >"$tmp/redocly.yaml" <<EOF
extends:
  - recommended
rules:
  security-defined: $security_defined
  no-empty-servers: off
  operation-summary: warn
EOF

# Streamed responses carry "itemSchema" (JSON Lines, Server-Sent Events),
# OpenAPI 3.2's keyword, which FastAPI writes into its 3.1 documents too:
# such a document is linted as 3.2, where the keyword is defined.
if grep -q '"itemSchema"' "$doc"; then
  sed 's/"openapi":"3\.1\.0"/"openapi":"3.2.0"/' "$doc" >"$tmp/openapi-3.2.json"
  doc="$tmp/openapi-3.2.json"
fi

echo "redocly lint $doc (@redocly/cli@$REDOCLY_CLI_VERSION, security-defined $security_defined)"
(cd "$tmp" && npx --yes "@redocly/cli@$REDOCLY_CLI_VERSION" lint --config "$tmp/redocly.yaml" --format=stylish "$doc")

# --- subresource integrity of the docs pages' pinned assets -----------------
version() { sed -n "s/^[[:space:]]*$1[[:space:]]*= \"\([^\"]*\)\".*/\1/p" internal/openapi/docs.go; }
sri() { sed -n "s/^[[:space:]]*$1[[:space:]]*= \"\(sha384-[^\"]*\)\".*/\1/p" internal/openapi/docs.go; }
swagger=$(version SwaggerUIVersion)
redoc=$(version RedocVersion)
[ -n "$swagger" ] && [ -n "$redoc" ] || { echo "cannot read the pinned versions from docs.go"; exit 1; }

(cd "$tmp" && npm pack --silent "swagger-ui-dist@$swagger" "redoc@$redoc" >/dev/null)
mkdir -p "$tmp/swagger" "$tmp/redoc"
tar xzf "$tmp/swagger-ui-dist-$swagger.tgz" -C "$tmp/swagger"
tar xzf "$tmp/redoc-$redoc.tgz" -C "$tmp/redoc"

fail=0
check() { # name file
  local want got
  want=$(sri "$1")
  got="sha384-$(openssl dgst -sha384 -binary "$2" | openssl base64 -A)"
  if [ "$want" = "$got" ]; then
    echo "ok   $1 $(basename "$2")"
  else
    echo "FAIL $1 $(basename "$2"): docs.go has $want, the package has $got"
    fail=1
  fi
}
check swaggerUIBundleSRI "$tmp/swagger/package/swagger-ui-bundle.js"
check swaggerUICSSSRI "$tmp/swagger/package/swagger-ui.css"
check redocStandaloneSRI "$tmp/redoc/package/bundles/redoc.standalone.js"
# The OAuth2 redirect page's script is embedded, not loaded: it must be the
# pinned package's file (docsui/refresh.sh copies it).
if cmp -s internal/openapi/oauth2-redirect.js "$tmp/swagger/package/oauth2-redirect.js"; then
  echo "ok   internal/openapi/oauth2-redirect.js"
else
  echo "FAIL internal/openapi/oauth2-redirect.js differs from swagger-ui-dist@$swagger's (run docsui/refresh.sh)"
  fail=1
fi
exit $fail

#!/usr/bin/env bash
# Refreshes the embedded docs assets from the npm registry:
#
#   docsui/refresh.sh [swagger-ui-dist version] [redoc version]
#
# Without arguments it takes the versions the core pins (SwaggerUIVersion and
# RedocVersion in internal/openapi/docs.go), so the local copies and the CDN
# copies are the same builds. It copies only what the docs pages load, with
# the packages' licenses, and one change to ReDoc's bundle: the sidebar
# footer's logo is fetched from ReDoc's CDN, so its URL becomes an empty data:
# URL (the image hides itself when it fails to load) and nothing leaves the
# machine. It also writes internal/openapi/oauth2-redirect.js, the script of
# Swagger UI's OAuth2 redirect page that the core serves inline.
#
# Needs npm, tar and sed; npm's cache goes to $BRISK_NPM_CACHE (default
# $HOME/.cache/brisk-npm), never into the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
version() { sed -n "s/^[[:space:]]*$1[[:space:]]*= \"\([^\"]*\)\".*/\1/p" "$root/internal/openapi/docs.go"; }
swagger=${1:-$(version SwaggerUIVersion)}
redoc=${2:-$(version RedocVersion)}
[ -n "$swagger" ] && [ -n "$redoc" ] || { echo "cannot read the pinned versions from internal/openapi/docs.go" >&2; exit 1; }

export npm_config_cache="${BRISK_NPM_CACHE:-$HOME/.cache/brisk-npm}"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
mkdir -p "$npm_config_cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "swagger-ui-dist@$swagger" "redoc@$redoc" >/dev/null)
mkdir -p "$tmp/swagger" "$tmp/redoc"
tar xzf "$tmp/swagger-ui-dist-$swagger.tgz" -C "$tmp/swagger"
tar xzf "$tmp/redoc-$redoc.tgz" -C "$tmp/redoc"
s="$tmp/swagger/package" r="$tmp/redoc/package"

out="$here/assets"
rm -rf "$out"
mkdir -p "$out"
cp "$s/swagger-ui-bundle.js" "$s/swagger-ui.css" "$out/"
cp "$s/LICENSE" "$out/swagger-ui-dist.LICENSE"
cp "$s/NOTICE" "$out/swagger-ui-dist.NOTICE"
cp "$s/swagger-ui-bundle.js.LICENSE.txt" "$out/"
cp "$r/LICENSE" "$out/redoc.LICENSE"
cp "$r/bundles/redoc.standalone.js.LICENSE.txt" "$out/"

logo='https://cdn.redoc.ly/redoc/logo-mini.svg'
n=$(grep -o "$logo" "$r/bundles/redoc.standalone.js" | wc -l)
[ "$n" = 1 ] || { echo "redoc $redoc: expected the logo URL once in redoc.standalone.js, found it $n times" >&2; exit 1; }
sed "s#$logo#data:,#" "$r/bundles/redoc.standalone.js" >"$out/redoc.standalone.js"
# Any other fetched CDN URL would make the page go online: refuse the refresh.
if grep -o 'https://cdn\.[a-z0-9.-]*/[^"]*' "$out"/*.js "$out"/*.css; then
  echo "the bundles above load something from a CDN; docsui must serve it too" >&2; exit 1
fi

cp "$s/oauth2-redirect.js" "$root/internal/openapi/oauth2-redirect.js"

cat >"$out/VERSIONS" <<V
swagger-ui-dist $swagger
redoc $redoc (redoc.standalone.js: sidebar logo URL replaced by data:,)
V
echo "docsui assets: swagger-ui-dist $swagger, redoc $redoc"
ls -l "$out"

# Shared setup for the CI scripts that use npm; sourced, not run.
#
# npm_env: npm's cache in $BRISK_NPM_CACHE (default ~/.cache/brisk-npm,
# never the repository) and no notices, funding or audit chatter.
npm_env() {
  export npm_config_cache="${BRISK_NPM_CACHE:-$HOME/.cache/brisk-npm}"
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  mkdir -p "$npm_config_cache"
}

# openapi_doc sets $doc to the absolute path of the document named by its
# argument, or, without one, to the example document that package
# internal/openapi builds in TestExampleDocument, written into $tmp.
openapi_doc() {
  doc="${1:-}"
  if [ -z "$doc" ]; then
    doc="$tmp/openapi.json"
    BRISK_OPENAPI_OUT="$doc" go test -count=1 -run '^TestExampleDocument$' ./internal/openapi/ >/dev/null
  fi
  doc=$(cd "$(dirname "$doc")" && pwd)/$(basename "$doc")
}

#!/usr/bin/env bash
# The durable module (River on SQLite and PostgreSQL) and its example, each a
# module of its own: vet, staticcheck, and their tests under -race, including
# the crash and scale-out tests. The PostgreSQL tests need the server at
# 127.0.0.1:5432 (database "test", trust auth; BRISK_TEST_POSTGRES overrides):
# it is started here when it is installed but stopped, and with CI=true a
# PostgreSQL that does not answer fails the tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi

for mod in durable examples/durable-tasks; do
  echo "-- $mod"
  (
    cd "$mod"
    go mod download
    go vet ./...
    go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
    go test -race -count=1 ./...
  )
done

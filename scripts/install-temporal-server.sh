#!/usr/bin/env bash
# Builds the full Temporal server (the deployment's topology: PostgreSQL persistence, several history shards) and
# its SQL schema tool into .cache/temporal-server, from the Go module proxy, with the schema files beside them.
# Optional: only `npm run bench:academie -- --serveur postgres` uses it. A few minutes of compilation, once.
set -euo pipefail

TEMPORAL_SERVER_VERSION=1.32.0

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/temporal-server"
bin="$cache/bin"
mkdir -p "$bin"

if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && [ -d "$cache/schema/postgresql" ] \
  && [ "$(cat "$cache/version" 2>/dev/null)" = "$TEMPORAL_SERVER_VERSION" ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-temporal-server: Go is needed (go.temporal.io/server from the module proxy)" >&2; exit 1; }

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
GOBIN="$build" go install "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION"
# Named as the benchmarks' CPU readings recognise the server (bench/cpu.ts: a process whose name starts with temporal).
mv "$build/server" "$bin/temporal-server"
mv "$build/sql" "$bin/temporal-sql-tool"
sources="$(go env GOMODCACHE)/go.temporal.io/server@v$TEMPORAL_SERVER_VERSION"
rm -rf "$cache/schema"
mkdir -p "$cache/schema"
cp -r "$sources/schema/postgresql" "$cache/schema/"
chmod -R u+w "$cache/schema"
echo "$TEMPORAL_SERVER_VERSION" > "$cache/version"
echo "install-temporal-server: $bin/temporal-server v$TEMPORAL_SERVER_VERSION"

#!/usr/bin/env bash
# Installs PostgreSQL from Debian if needed and starts a throwaway server on 127.0.0.1:$PORT (trust auth),
# for the database tests. `stop` stops it. Prints the URL to use as TEST_DATABASE_URL.
set -euo pipefail
PORT="${PASSPRO_TEST_PG_PORT:-55432}"
DIR="${PASSPRO_TEST_PG_DIR:-/tmp/passpro-test-pg}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

case "${1:-start}" in
  start)
    if [ -z "$(find_bin)" ]; then
      echo "installing PostgreSQL from Debian…" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >/dev/null
    fi
    bin="$(find_bin)"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_postgres "'$bin/initdb' -D '$DIR/data' -A trust -U postgres" >/dev/null
    fi
    as_postgres "'$bin/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2 \
      || as_postgres "'$bin/pg_ctl' -D '$DIR/data' status" >&2
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    bin="$(find_bin)"
    [ -n "$bin" ] && [ -f "$DIR/data/PG_VERSION" ] && as_postgres "'$bin/pg_ctl' -D '$DIR/data' -m fast stop" >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (test/support/browser.ts) when it is missing, as
# scripts/postgres-test-server.sh installs PostgreSQL. Silent when it is there; apt's output is shown only
# if the install fails.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0

echo "installing Chromium from Debian…" >&2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi

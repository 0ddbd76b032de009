#!/usr/bin/env bash
# Runs jest with the flags PGlite needs; on a green run, checks that nothing the tests printed names a pupil
# (scripts/verifier-journaux.js); then prints the plain verdict line last (scripts/jest-summary.js).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
results=.cache/jest-results.json
sortie=.cache/jest-output.log
rm -f "$results"
NODE_OPTIONS=--experimental-vm-modules npx jest --json --outputFile="$results" "$@" 2>&1 | tee "$sortie"
code=${PIPESTATUS[0]}
if [ "$code" -eq 0 ]; then node scripts/verifier-journaux.js "$sortie" || code=1; fi
if [ -f "$results" ]; then node scripts/jest-summary.js "$results"; else echo "jest: 0 passed, 1 failed"; fi
exit $code

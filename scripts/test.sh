#!/usr/bin/env bash
# Runs every test in the solution and prints one summary line "N passed, M failed"
# read from the TRX results. Exits non-zero if a test failed or none ran.
# Usage: scripts/test.sh [extra dotnet test args]
set -uo pipefail
cd "$(dirname "$0")/.."

# The real programs some tests run against (redis-server, promtool, unbound, ...):
# each file in scripts/test-deps installs its group's packages.
. scripts/lib/apt.sh
for deps in scripts/test-deps/*.sh; do
  [ -f "$deps" ] || continue
  # shellcheck source=/dev/null
  . "$deps" || { echo "test dependencies failed: $deps" >&2; exit 1; }
done
export RESOLVER_REQUIRE_TOOLS=1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test Resolver.sln -c Release --logger "trx" --results-directory "$results" "$@"
test_exit=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$test_exit" -ne 0 ]; then
  exit 1
fi

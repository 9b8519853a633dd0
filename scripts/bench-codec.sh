#!/usr/bin/env bash
# Runs the codec micro-benchmarks in tests/Resolver.Benchmarks (BenchmarkDotNet, Release).
# Arguments go to BenchmarkDotNet; without --filter every codec benchmark runs (the upstream
# client's need a server: scripts/bench-client.sh).
#   scripts/bench-codec.sh                          # full runs, out of process
#   scripts/bench-codec.sh --job short --inProcess  # quick look (about a minute)
#   scripts/bench-codec.sh --filter '*QueryRead*'   # one class
# Build output goes to $BENCH_ARTIFACTS (default artifacts/bench) so it never collides with
# other builds; results land in BenchmarkDotNet.Artifacts/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
has_filter=false
for arg in "${args[@]}"; do
  [[ $arg == --filter ]] && has_filter=true
done
$has_filter || args=(--filter '*QueryRead*' '*ResponseParse*' '*ResponseWrite*' '*CacheHit*' "${args[@]}")

exec dotnet run -c Release --project tests/Resolver.Benchmarks \
  --artifacts-path "${BENCH_ARTIFACTS:-artifacts/bench}" -- "${args[@]}"

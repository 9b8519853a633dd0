#!/usr/bin/env bash
# Runs the upstream-client benchmarks (tests/Resolver.Benchmarks, *UpstreamExchange*) against a
# real authoritative server out of process, so the server's allocations are not counted:
# knotd serves tests/zones/capture-test.zone on a free loopback port, the port goes to the
# benchmark in RESOLVER_BENCH_UPSTREAM_PORT, and knotd is stopped by PID on exit.
# Arguments go to BenchmarkDotNet (default filter: '*UpstreamExchange*').
#   scripts/bench-client.sh --job short           # what tests/Resolver.Benchmarks/README.md reports
#   scripts/bench-client.sh --job short --filter '*UpstreamExchange*Sync*'
# Only loopback traffic; needs knotd (package knot) and dig.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
zone="$repo/tests/zones/capture-test.zone"
server=127.0.0.1

. scripts/lib/knot.sh

work=$(mktemp -d /tmp/bench-client.XXXXXX)
cleanup() {
  stop_knot
  rm -rf "$work"
}
trap cleanup EXIT

port=$(pick_port)
start_knot "$work" "$zone" "$server" "$port"
echo "knotd (pid $knot_pid) serving capture.test. on $server port $port"

args=("$@")
has_filter=false
for arg in "${args[@]}"; do
  [[ $arg == --filter ]] && has_filter=true
done
$has_filter || args=(--filter '*UpstreamExchange*' "${args[@]}")

export RESOLVER_BENCH_UPSTREAM_PORT=$port
dotnet run -c Release --project tests/Resolver.Benchmarks \
  --artifacts-path "${BENCH_ARTIFACTS:-artifacts/bench}" -- "${args[@]}"

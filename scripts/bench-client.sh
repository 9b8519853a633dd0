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

# A port with neither a UDP nor a TCP listener, from 5399 upwards (bounded).
pick_port() {
  local p
  for p in $(seq 5399 5499); do
    if [ -z "$(ss -Hlnu "sport = :$p")" ] && [ -z "$(ss -Hlnt "sport = :$p")" ]; then
      echo "$p"; return 0
    fi
  done
  echo "no free port in 5399-5499" >&2; return 1
}

work=$(mktemp -d /tmp/bench-client.XXXXXX)
knot_pid=""
cleanup() {
  if [ -n "$knot_pid" ]; then
    kill "$knot_pid" 2>/dev/null || true
    wait "$knot_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(pick_port)
mkdir -p "$work/run" "$work/storage"
cp "$zone" "$work/storage/capture.test.zone"
# One UDP worker: the benchmark sends one query at a time, and a single worker keeps the
# server's share of the 2 cores small and steady.
cat >"$work/knot.conf" <<EOF
server:
  rundir: "$work/run"
  listen: $server@$port
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
log:
  - target: stderr
    any: warning
database:
  storage: "$work/storage"
template:
  - id: default
    storage: "$work/storage"
    semantic-checks: off
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: capture.test.
    file: "$work/storage/capture.test.zone"
EOF
knotd -c "$work/knot.conf" 2>"$work/knotd.log" &
knot_pid=$!
ready=false
for _ in $(seq 1 50); do
  if dig @"$server" -p "$port" www.capture.test. A +short +tries=1 +time=1 2>/dev/null | grep -q 192.0.2; then
    ready=true; break
  fi
  kill -0 "$knot_pid" 2>/dev/null || break
  sleep 0.2
done
if ! $ready; then
  cat "$work/knotd.log" >&2
  echo "knotd did not serve capture.test." >&2
  exit 1
fi
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

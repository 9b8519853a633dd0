#!/usr/bin/env bash
# Encrypted DNS, side by side: Resolver and Unbound (1.17, one thread each, pinned to CPU 0) in one
# run, taking turns (the one not measured is paused with SIGSTOP), with dnsperf on CPU 1.
#
#   rows  dot-hit   cache hits from clients over DNS over TLS (dnsperf -m dot, connections kept)
#         doh-hit   cache hits from clients over DNS over HTTPS (dnsperf -m doh: HTTP/2, GET)
#         dot-miss  misses forwarded over TLS: dnsperf sends unique names over UDP and each server
#                   forwards them over TLS to a third process, an Unbound serving DoT on CPU 1 in
#                   front of knotd (Resolver: --upstream tls://…#name; Unbound: forward-tls-upstream)
#
#   scripts/bench-encrypted.sh                       # 3 runs of 10 s per row and server
#   scripts/bench-encrypted.sh --runs 1 --seconds 3  # a quick look
#   scripts/bench-encrypted.sh --rows "dot-miss"
#
# Every figure is continuous load on a warm process (the cache warmed over UDP, a warm-up pass of each
# row first, unmeasured); each row prints queries/s, lost, SERVFAIL and average/p99/slowest latency.
# Certificates are made at run time with openssl in a temporary folder. Loopback only; every process
# it starts is stopped by PID on exit. Installs what is missing (dnsperf, unbound, knot, openssl).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=3
seconds=10
rows="dot-hit doh-hit dot-miss"
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench-encrypted.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done

# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh
ensure_packages dnsperf unbound knot dnsutils openssl util-linux
[ "$(nproc)" -ge 2 ] || { echo "bench-encrypted.sh needs 2 CPUs" >&2; exit 69; }

export BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1 BENCH_CACHE_ENTRIES=200000
artifacts=$repo/artifacts/bench-service
publish_dir=$artifacts/resolver
echo "building Resolver (Release) into $publish_dir"
dotnet publish src/Resolver.Server -c Release -o "$publish_dir" --artifacts-path "$publish_dir.build" -v quiet -nologo >/dev/null
resolver_cmd="dotnet $publish_dir/resolver.dll"

# shellcheck source=lib/knot.sh
. scripts/lib/knot.sh
# shellcheck source=lib/unbound.sh
. scripts/lib/unbound.sh
# shellcheck source=lib/bench-data.sh
. scripts/lib/bench-data.sh
# shellcheck source=lib/bench-measure.sh
. scripts/lib/bench-measure.sh
# shellcheck source=lib/bench-encrypted-servers.sh
. scripts/lib/bench-encrypted-servers.sh

declare -A pids=() result=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_knot
  rm -rf "$work"
}
work=$(mktemp -d /tmp/resolver-bench-encrypted.XXXXXX)
commands_log=$work/commands.txt
trap cleanup EXIT
trap 'exit 130' INT TERM

make_certificates "$work/tls"
write_bench_zone "$work/bench.test.zone" 20000
write_hit_queries "$work/hits.txt" 10000

knot_port=$(pick_port 5400)
KNOT_ZONE=bench.test. start_knot "$work/knot" "$work/bench.test.zone" 127.0.0.1 "$knot_port"
taskset -a -p -c "$BENCH_CLIENT_CPU" "$knot_pid" >/dev/null
start_dot_upstream "$work/upstream" "$(pick_port $((knot_port + 1)))" "$knot_port"
pids[upstream]=$dot_upstream_pid
echo "knotd (pid $knot_pid) on :$knot_port; DoT upstream Unbound (pid $dot_upstream_pid) on :$dot_upstream_port, both on CPU $BENCH_CLIENT_CPU"

next=$((dot_upstream_port + 1))
for server in resolver unbound; do
  udp=$(pick_port "$next"); tls=$(pick_port $((udp + 1))); https=$(pick_port $((tls + 1))); next=$((https + 1))
  "start_encrypted_$server" "$work/$server" "$udp" "$tls" "$https"
  pids[$server]=$started_pid
  result[$server,udp]=$udp result[$server,tls]=$tls result[$server,https]=$https
  echo "$server (pid $started_pid): udp :$udp, tls :$tls, https :$https"
  server_port=$udp
  perf_run "$work/warm.out" -d "$work/hits.txt" -n 1 -q 100
done

# only_running NAME: the other server is paused, so nothing it does in the background takes CPU 0.
only_running() {
  local name
  for name in resolver unbound; do
    if [ "$name" = "$1" ]; then kill -CONT "${pids[$name]}"; else kill -STOP "${pids[$name]}"; fi
  done
  sleep 0.2
}

# measure SERVER ROW TAG: one continuous run of ROW against SERVER, results appended to its pools.
measure() {
  local server=$1 row=$2 tag=$3 out=$work/$2-$1.out
  case $row in
    dot-hit) server_port=${result[$server,tls]}
      perf_run "$out" -m dot -d "$work/hits.txt" -l "$seconds" -c 4 -q 200 -v ;;
    doh-hit) server_port=${result[$server,https]}
      perf_run "$out" -m doh -O "doh-uri=https://127.0.0.1:$server_port/dns-query" -d "$work/hits.txt" -l "$seconds" -c 4 -q 200 -v ;;
    dot-miss) server_port=${result[$server,udp]}
      # More names than the run can ask: every query is a miss, none asked before.
      write_miss_queries "$work/miss.txt" 400000 "$tag$server"
      perf_run "$out" -d "$work/miss.txt" -n 1 -l "$seconds" -c 4 -q 500 -b 4096 -v ;;
  esac
  awk '/^> / { print $NF }' "$out" >>"$work/latency-$row-$server.txt"
  result[$server,$row,qps]="${result[$server,$row,qps]:-} $(qps_of "$out")"
  result[$server,$row,lost]=$((${result[$server,$row,lost]:-0} + $(lost_of "$out")))
  result[$server,$row,servfail]=$((${result[$server,$row,servfail]:-0} + $(grep -c '^> SERVFAIL' "$out" || true)))
}

for row in $rows; do
  for server in resolver unbound; do only_running "$server"; measure "$server" "$row" warm; done
  for server in resolver unbound; do : >"$work/latency-$row-$server.txt"; unset "result[$server,$row,qps]" "result[$server,$row,lost]" "result[$server,$row,servfail]"; done
  for run in $(seq 1 "$runs"); do
    for server in resolver unbound; do
      only_running "$server"
      measure "$server" "$row" "run$run"
      echo "  $row run $run $server: $(qps_of "$work/$row-$server.out") q/s, lost $(lost_of "$work/$row-$server.out")"
    done
  done
done

# Allocation per hit over TLS and HTTPS (Resolver only): dotnet-counters beside a hit load, as bench.sh's alloc row.
counters_tool=$artifacts/tools/dotnet-counters
[ -x "$counters_tool" ] || dotnet tool install --tool-path "$artifacts/tools" dotnet-counters >/dev/null 2>&1 || true
declare -A alloc=()
if [ -x "$counters_tool" ]; then
  only_running resolver
  server_pid=${pids[resolver]}
  for mode in dot doh; do
    case $mode in
      dot) server_port=${result[resolver,tls]}; extra=(-m dot) ;;
      doh) server_port=${result[resolver,https]}; extra=(-m doh -O "doh-uri=https://127.0.0.1:$server_port/dns-query") ;;
    esac
    read -r bytes queries gen0 <<<"$(allocation_during_hits "$seconds" "${extra[@]}")"
    alloc[$mode]=$(awk -v b="$bytes" -v q="$queries" -v g="$gen0" 'BEGIN { if (b == "-" || q + 0 == 0) print "-"; else printf "%.0f bytes per hit (%d gen0 GCs)", b / q, g }')
  done
fi

echo
echo "Resolver's allocation during $seconds s of hits: over TLS ${alloc[dot]:--}, over HTTPS ${alloc[doh]:--}"
echo
echo "| row | server | queries/s (median of $runs × ${seconds} s) | ratio | lost | SERVFAIL | avg / p99 / slowest ms |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for row in $rows; do
  unbound_qps=$(median ${result[unbound,$row,qps]})
  for server in resolver unbound; do
    qps=$(median ${result[$server,$row,qps]})
    read -r avg _ p99 <<<"$(latency_summary "$work/latency-$row-$server.txt")"
    slowest=$(sort -g "$work/latency-$row-$server.txt" | tail -1 | awk '{ printf "%.1f", $1 * 1000 }')
    echo "| $row | $server | $qps | $(ratio "$qps" "$unbound_qps") | ${result[$server,$row,lost]} | ${result[$server,$row,servfail]} | $avg / $p99 / ${slowest:--} |"
  done
done
echo
echo "commands:"
awk '!seen[$0]++' "$commands_log"

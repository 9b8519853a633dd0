#!/usr/bin/env bash
# DNSSEC validation, side by side in one run: Resolver with and without Resolver:Dnssec:Validate, and
# Unbound 1.17 with module-config "validator iterator" and with "iterator" alone, all four forwarding to
# the same signed tree (scripts/make-signed-tree.sh with extra ECDSA zones, served by knotd) with its
# root DS as the trust anchor. One worker thread each, pinned to CPU 0, taking turns (the others are
# paused with SIGSTOP); knotd and dnsperf on CPU 1. Every query sets DO (dnsperf -D).
#
#   rows  hit    cache hits of validated names (www and wildcard names of every zone), continuous
#         miss   unique names under the zones' wildcards (each answer and its NSEC proof verified,
#                the zones' keys already validated), continuous; with the server's CPU per answer
#         cold   the cache flushed (Resolver: control flush; Unbound: unbound-control flush_zone .,
#                which drops its key cache too), then one query at a time to www of every zone:
#                each pays the chain (DS + DNSKEY fetched and verified) on top of the miss
#
#   scripts/bench-dnssec.sh                        # 3 runs of 10 s, 100 zones
#   scripts/bench-dnssec.sh --runs 1 --seconds 3   # a quick look
#
# Loopback only; keys and zones are made at run time; every process it starts is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=3
seconds=10
zones=100
rows="hit miss cold"
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --zones) zones=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-dnssec.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done

# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh
ensure_packages dnsperf unbound knot bind9-utils dnsutils util-linux
[ "$(nproc)" -ge 2 ] || { echo "bench-dnssec.sh needs 2 CPUs" >&2; exit 69; }

export BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1
publish_dir=$repo/artifacts/bench-service/resolver
echo "building Resolver (Release) into $publish_dir"
dotnet publish src/Resolver.Server -c Release -o "$publish_dir" --artifacts-path "$publish_dir.build" -v quiet -nologo >/dev/null
resolver_cmd="dotnet $publish_dir/resolver.dll"

# shellcheck source=lib/wait.sh
. scripts/lib/wait.sh
# shellcheck source=lib/knot.sh
. scripts/lib/knot.sh
# shellcheck source=lib/unbound.sh
. scripts/lib/unbound.sh
# shellcheck source=lib/bench-measure.sh
. scripts/lib/bench-measure.sh
# shellcheck source=lib/bench-dnssec-servers.sh
. scripts/lib/bench-dnssec-servers.sh

servers="resolver-validating resolver-plain unbound-validating unbound-plain"
declare -A pids=() ports=() result=()
tree_pid=""
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -n "$tree_pid" ] && { kill "$tree_pid" 2>/dev/null || true; wait "$tree_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
work=$(mktemp -d /tmp/resolver-bench-dnssec.XXXXXX)
commands_log=$work/commands.txt
trap cleanup EXIT
trap 'exit 130' INT TERM

tree_port=$(pick_port 5400)
echo "signing a tree of $((zones + 10)) zones (keys made now)"
SIGNED_TREE_EXTRA_ZONES=$zones bash scripts/make-signed-tree.sh "$work/tree" "$tree_port" >/dev/null
taskset -c "$BENCH_CLIENT_CPU" knotd -c "$work/tree/knot.conf" 2>"$work/knotd.log" &
tree_pid=$!
wait_for_answer "$tree_pid" "$work/knotd.log" "knotd serving the signed tree" '^10\.\|^192\.' 0.2 50 @127.0.0.1 -p "$tree_port" www.z1.test. A
anchor=$work/tree/root.anchor
echo "knotd (pid $tree_pid) serves the signed tree on 127.0.0.1:$tree_port, CPU $BENCH_CLIENT_CPU; anchor $(awk '{ print $4, $5 }' "$anchor")"

# The query files: hits (www and 20 wildcard names of every zone), one cold pass (www of every zone, in order).
awk -v z="$zones" 'BEGIN { for (i = 1; i <= z; i++) { printf "www.z%d.test A\n", i; for (j = 0; j < 20; j++) printf "h%d.w.z%d.test A\n", j, i } }' >"$work/hits.txt"
awk -v z="$zones" 'BEGIN { for (i = 1; i <= z; i++) printf "www.z%d.test A\n", i }' >"$work/cold.txt"
write_dnssec_misses() { awk -v z="$zones" -v tag="$2" 'BEGIN { for (i = 0; i < 400000; i++) printf "m%d%s.w.z%d.test A\n", i, tag, i % z + 1 }' >"$1"; }

next=$((tree_port + 1))
for server in $servers; do
  server_port=$(pick_port "$next"); next=$((server_port + 1))
  "start_${server%-*}" "$work/$server" "$server_port" "${server#*-}"
  pids[$server]=$started_pid ports[$server]=$server_port
  echo "$server (pid $started_pid) on :$server_port"
  perf_run "$work/warm.out" -D -d "$work/hits.txt" -n 1 -q 50
done

only_running() {
  local name
  for name in $servers; do
    if [ "$name" = "$1" ]; then kill -CONT "${pids[$name]}"; else kill -STOP "${pids[$name]}"; fi
  done
  sleep 0.2
}

# measure SERVER ROW TAG: one run of ROW; appends its figures to the server's pools.
measure() {
  local server=$1 row=$2 tag=$3 out=$work/$2-$1.out cpu_before
  server_port=${ports[$server]}
  case $row in
    hit) cpu_before=$(process_cpu_ns "${pids[$server]}")
      perf_run "$out" -D -d "$work/hits.txt" -l "$seconds" -c 4 -q 200 -v ;;
    miss) write_dnssec_misses "$work/miss.txt" "$tag${server//-/}"
      cpu_before=$(process_cpu_ns "${pids[$server]}")
      perf_run "$out" -D -d "$work/miss.txt" -n 1 -l "$seconds" -c 4 -q 500 -b 4096 -v ;;
    cold) flush_cache "$server"
      cpu_before=$(process_cpu_ns "${pids[$server]}")
      perf_run "$out" -D -d "$work/cold.txt" -n 1 -c 1 -q 1 -v ;;
  esac
  local answered
  answered=$(completed_of "$out")
  awk '/^> / { print $NF }' "$out" >>"$work/latency-$row-$server.txt"
  result[$server,$row,qps]="${result[$server,$row,qps]:-} $(qps_of "$out")"
  result[$server,$row,cpu_us]="${result[$server,$row,cpu_us]:-} $(awk -v d="$(($(process_cpu_ns "${pids[$server]}") - cpu_before))" -v n="$answered" 'BEGIN { if (n > 0) printf "%.1f", d / n / 1000; else print "-" }')"
  result[$server,$row,lost]=$((${result[$server,$row,lost]:-0} + $(lost_of "$out")))
  result[$server,$row,servfail]=$((${result[$server,$row,servfail]:-0} + $(grep -c '^> SERVFAIL' "$out" || true)))
  result[$server,$row,ad]=$(grep -c '^> NOERROR' "$out" || true)
}

for row in $rows; do
  for server in $servers; do only_running "$server"; measure "$server" "$row" warm; done
  for server in $servers; do
    : >"$work/latency-$row-$server.txt"
    unset "result[$server,$row,qps]" "result[$server,$row,cpu_us]" "result[$server,$row,lost]" "result[$server,$row,servfail]"
  done
  for run in $(seq 1 "$runs"); do
    for server in $servers; do
      only_running "$server"
      measure "$server" "$row" "r$run"
      echo "  $row run $run $server: $(qps_of "$work/$row-$server.out") q/s, lost $(lost_of "$work/$row-$server.out"), SERVFAIL $(grep -c '^> SERVFAIL' "$work/$row-$server.out" || true)"
    done
  done
done

echo
echo "| row | server | queries/s (median of $runs) | vs unbound-validating | validating vs plain | CPU µs per answer (median) | lost | SERVFAIL | avg / p99 / slowest ms |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for row in $rows; do
  anchor_qps=$(median ${result[unbound-validating,$row,qps]})
  for server in $servers; do
    qps=$(median ${result[$server,$row,qps]})
    read -r avg _ p99 <<<"$(latency_summary "$work/latency-$row-$server.txt")"
    slowest=$(sort -g "$work/latency-$row-$server.txt" | tail -1 | awk '{ printf "%.1f", $1 * 1000 }')
    own=-
    [ "${server#*-}" = validating ] && own=$(ratio "$qps" "$(median ${result[${server%-*}-plain,$row,qps]})")
    echo "| $row | $server | $qps | $(ratio "$qps" "$anchor_qps") | $own | $(median ${result[$server,$row,cpu_us]}) | ${result[$server,$row,lost]} | ${result[$server,$row,servfail]} | $avg / $p99 / ${slowest:--} |"
  done
done
echo
echo "commands:"
awk '!seen[$0]++' "$commands_log"

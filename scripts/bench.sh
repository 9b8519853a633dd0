#!/usr/bin/env bash
# Side-by-side benchmark: Resolver, Unbound and dnsmasq as caching forwarders in front of the
# same knotd on loopback, measured with dnsperf in one run, taking turns round by round (the
# fixed-rate latency row in one-second slices). Each server gets one worker thread with all its
# threads pinned to CPU 0; dnsperf and knotd run on CPU 1. Prints one table with each server's figures and Resolver's ratio to Unbound, and the
# command lines used.
#
#   scripts/bench.sh            # 3 runs of 10 s per row and server, medians (about 15 minutes)
#   scripts/bench.sh --quick    # 1 run of 3 s each (about 4 minutes)
#   scripts/bench.sh --servers "resolver unbound" --runs 5 --seconds 5
#   scripts/bench.sh --servers "resolver unbound" --rows latency --runs 5   # rows: hit tcp latency steady neighbour sustained miss memory alloc
#   scripts/bench.sh --servers "resolver unbound" --rows sustained --soak 60 # a 60 s continuous miss soak per server
#   BENCH_RESOLVER_ENV="DOTNET_gcServer=1" scripts/bench.sh --quick --servers resolver   # a runtime knob
#   BENCH_PUBLISH_ARGS="-p:PublishReadyToRun=true" scripts/bench.sh --quick               # a build knob
#
# Everything goes to 127.0.0.1 only; every process it starts is stopped by PID on exit.
# Installs what is missing (dnsperf, unbound, dnsmasq, knot, dig) with apt-get.
# Codec micro-benchmarks: scripts/bench-codec.sh. Upstream client: scripts/bench-client.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=3
seconds=10
servers="resolver unbound dnsmasq"
latency_rate=20000
rows="hit tcp latency steady neighbour sustained miss memory alloc"
soak_seconds=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) runs=1; seconds=3; shift ;;
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    --rate) latency_rate=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --soak) soak_seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done

export BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1
export BENCH_CACHE_ENTRIES=${BENCH_CACHE_ENTRIES:-200000} # each server's cache size; experiments may raise it
zone_names=60000
hit_names=10000
memory_names=100000
warm_seconds=$((seconds < 5 ? 3 : 5))

# --- what it needs -------------------------------------------------------------------------
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need dnsperf dnsperf
need unbound unbound
need dnsmasq dnsmasq-base
need knotd knot
need dig dnsutils
need taskset util-linux
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "bench.sh needs 2 CPUs (server on CPU 0, dnsperf on CPU 1); this machine has $(nproc)" >&2
  exit 69
fi

artifacts=${BENCH_ARTIFACTS:-$repo/artifacts/bench-service}
# BENCH_PUBLISH_ARGS: extra publish properties for experiments (e.g. -p:PublishReadyToRun=true),
# built into their own folder.
publish_dir=$artifacts/resolver${BENCH_PUBLISH_ARGS:+-$(echo "$BENCH_PUBLISH_ARGS" | tr -c 'A-Za-z0-9' '_')}
echo "building Resolver (Release${BENCH_PUBLISH_ARGS:+ $BENCH_PUBLISH_ARGS}) into $publish_dir"
# shellcheck disable=SC2086
dotnet publish src/Resolver.Server -c Release -o "$publish_dir" --artifacts-path "$publish_dir.build" ${BENCH_PUBLISH_ARGS:-} -v quiet -nologo >/dev/null
# A native AOT publish (-p:PublishAot=true) has no resolver.dll: run its executable directly.
if [ -f "$publish_dir/resolver.dll" ]; then
  export RESOLVER_CMD="dotnet $publish_dir/resolver.dll"
else
  export RESOLVER_CMD=$publish_dir/resolver
fi
counters_tool=$artifacts/tools/dotnet-counters
if [ ! -x "$counters_tool" ]; then
  dotnet tool install --tool-path "$artifacts/tools" dotnet-counters >/dev/null 2>&1 \
    || echo "dotnet-counters could not be installed: the allocation row is skipped" >&2
fi

# shellcheck source=lib/knot.sh
. scripts/lib/knot.sh
# shellcheck source=lib/unbound.sh
. scripts/lib/unbound.sh
# shellcheck source=lib/bench-data.sh
. scripts/lib/bench-data.sh
# shellcheck source=lib/bench-servers.sh
. scripts/lib/bench-servers.sh
# shellcheck source=lib/bench-measure.sh
. scripts/lib/bench-measure.sh
# shellcheck source=lib/bench-sustained.sh
. scripts/lib/bench-sustained.sh
# shellcheck source=lib/bench-steady.sh
. scripts/lib/bench-steady.sh

has_server() { [[ " $servers " == *" $1 "* ]]; }
has_row() { [[ " $rows " == *" $1 "* ]]; }
declare -A result=() pids=() ports=()
# select_server NAME: what perf_run, server_memory_kib and stop_server act on.
select_server() { server_pid=${pids[$1]} server_port=${ports[$1]}; }
stop_all_servers() {
  local name
  for name in "${!pids[@]}"; do
    kill -CONT "${pids[$name]}" 2>/dev/null || true
    select_server "$name"
    stop_server
  done
}
# only_running NAME: the other servers are paused (SIGSTOP) while NAME is measured, so nothing
# they do in the background (retries, timers, a collector) takes CPU 0 from it.
only_running() {
  local name
  for name in "${!pids[@]}"; do
    if [ "$name" = "$1" ]; then
      kill -CONT "${pids[$name]}" 2>/dev/null || true
    else
      kill -STOP "${pids[$name]}" 2>/dev/null || true
    fi
  done
}
neighbour_pid="" # the latency_turns neighbour's, while it spins
cleanup() { [ -n "$neighbour_pid" ] && kill "$neighbour_pid" 2>/dev/null; stop_all_servers; stop_knot; rm -rf "$work"; }

work=$(mktemp -d /tmp/resolver-bench.XXXXXX)
commands_log=$work/commands.txt
trap 'cleanup' EXIT
trap 'exit 130' INT TERM

echo "generating data: $zone_names names, $hit_names hit queries, $memory_names memory queries"
write_bench_zone "$work/bench.test.zone" "$zone_names"
write_hit_queries "$work/hits.txt" "$hit_names"

upstream_port=$(pick_port 5400)
KNOT_ZONE=bench.test. start_knot "$work/knot" "$work/bench.test.zone" 127.0.0.1 "$upstream_port"
taskset -a -p -c "$BENCH_CLIENT_CPU" "$knot_pid" >/dev/null
echo "knotd (pid $knot_pid) serves bench.test. on 127.0.0.1:$upstream_port, pinned to CPU $BENCH_CLIENT_CPU"

# Every server runs from here to the end, each on its own port (paused while another is measured),
# so the rounds below can take turns: noise from the machine then falls on all of them alike
# instead of on whichever server happened to be measured during a noisy minute.
next_port=$((upstream_port + 1))
for server in $servers; do
  server_port=$(pick_port "$next_port")
  next_port=$((server_port + 1))
  "start_$server" "$work" "$server_port"
  pids[$server]=$server_pid ports[$server]=$server_port
  result[$server,startup]=$startup_ms
  echo "$server:" >>"$commands_log"
  echo "  $server_cmd" >>"$commands_log"
  echo "== $server (pid $server_pid) on 127.0.0.1:$server_port, first answer after $startup_ms ms"

  # Warm-up, the same for every server: fill the hit set, a few thousand misses, then load
  # (the JIT's tiering for Resolver; nothing measured).
  perf_run "$work/warm.out" -d "$work/hits.txt" -n 1 -q 100
  write_miss_queries "$work/miss.txt" 5000 "warm$server"
  perf_run "$work/warm.out" -d "$work/miss.txt" -n 1 -q 100
  perf_run "$work/warm.out" -d "$work/hits.txt" -l "$warm_seconds" -c 4 -q 200
  result[$server,rss_warm]=$(server_memory_kib VmHWM)

  # Memory: cache $memory_names distinct names, then the peak resident size again.
  if has_row memory; then
    write_miss_queries "$work/miss.txt" "$memory_names" "mem$server"
    perf_run "$work/memory.out" -d "$work/miss.txt" -n 1 -q 200 -l 120
    result[$server,rss_full]=$(server_memory_kib VmHWM)
  fi
done

# rewarm: the previous round's misses filled the cache past its size, and eviction may have taken
# some of the hit set (least recently used first): ask each name once more, so hits are hits.
rewarm() { perf_run "$work/rewarm.out" -d "$work/hits.txt" -n 1 -q 100; }

# latency_turns RUN [neighbour]: the latency row. The servers take turns in one-second slices
# ($seconds of them each, the order rotated every slice), so a noisy moment on this shared machine
# falls on all of them alike instead of on whichever server had the whole row then. Each server's
# answers are appended to latency[-neighbour]-all-SERVER.txt (the table pools every run's) and its
# losses added to result[SERVER,[neighbour_]lost]; the run's own figures are printed.
# With "neighbour", a CPU-bound process spins on the servers' core throughout (bounded by timeout,
# stopped by PID): how each server keeps its latency when it has to share its core.
latency_turns() {
  local run=$1 tag=${2:-} slice i server names cpu_before started
  local suffix=${tag:+-$tag} key=${tag:+${tag}_}
  read -r -a names <<<"$servers"
  declare -A lost_in_run=()
  for server in $servers; do
    : >"$work/latency$suffix-$server.txt"
    lost_in_run[$server]=0
    select_server "$server"
    only_running "$server"
    rewarm
  done
  if [ -n "$tag" ]; then
    timeout $((seconds * ${#names[@]} * 2 + 30)) taskset -c "$BENCH_SERVER_CPU" sh -c 'while :; do :; done' &
    neighbour_pid=$!
  fi
  for slice in $(seq 1 "$seconds"); do
    for i in "${!names[@]}"; do
      server=${names[$(((slice + i) % ${#names[@]}))]}
      select_server "$server"
      only_running "$server"
      sleep 0.2 # timers that came due while it was paused fire now, not in the slice
      cpu_before=$(process_cpu_ticks "$server_pid") started=$(date +%s%N)
      # -b 4096: dnsperf's own socket buffers of 4 MiB, like the servers'. With the default 208 KB a
      # stall of dnsperf's thread overflowed its receive queue, and those answers were counted lost
      # for whichever server was measured (ss -m showed the drops on dnsperf's socket, none on a server's).
      perf_run "$work/slice.out" -d "$work/hits.txt" -l 1 -Q "$latency_rate" -q 500 -b 4096 -v
      if [ -z "$tag" ]; then
        result[$server,cpu_ticks]=$((${result[$server,cpu_ticks]:-0} + $(process_cpu_ticks "$server_pid") - cpu_before))
        result[$server,cpu_ns]=$((${result[$server,cpu_ns]:-0} + $(date +%s%N) - started))
      fi
      awk '/^> / { print $NF }' "$work/slice.out" >>"$work/latency$suffix-$server.txt"
      lost_in_run[$server]=$((${lost_in_run[$server]} + $(lost_of "$work/slice.out")))
    done
  done
  if [ -n "$neighbour_pid" ]; then
    kill "$neighbour_pid" 2>/dev/null || true
    wait "$neighbour_pid" 2>/dev/null || true
    neighbour_pid=""
  fi
  for server in $servers; do
    cat "$work/latency$suffix-$server.txt" >>"$work/latency$suffix-all-$server.txt"
    read -r a b c <<<"$(latency_summary "$work/latency$suffix-$server.txt")"
    result[$server,${key}lost]=$((${result[$server,${key}lost]:-0} + ${lost_in_run[$server]}))
    echo "  run $run, $server${tag:+ beside a CPU-bound neighbour}: latency avg/p50/p99 $a/$b/$c ms, lost ${lost_in_run[$server]} of $(wc -l <"$work/latency$suffix-$server.txt") answered"
    # BENCH_KEEP_LATENCY=DIR keeps each run's per-query latencies (seconds, slice by slice).
    if [ -n "${BENCH_KEEP_LATENCY:-}" ]; then
      mkdir -p "$BENCH_KEEP_LATENCY"
      cp "$work/latency$suffix-$server.txt" "$BENCH_KEEP_LATENCY/$server$suffix-$run.txt"
    fi
  done
}

# miss_turns RUN: the cache-miss row, in turns like the latency row: $seconds one-second slices per
# server, the servers alternating (order rotated every slice, the others paused), each slice with
# 100,000 names of its own under the wildcard (more than any of them forwards in a second), so
# every query is forwarded. Measured ten seconds at a time, one server's run swung 19,000-25,000/s
# with the machine. The run's figure is the mean of its slices. dnsperf waits at most 1 s (-t 1)
# for a slice's last answers, so a slow forwarder (dnsmasq) cannot stretch a slice to 6 s.
miss_turns() {
  local run=$1 slice i server names
  read -r -a names <<<"$servers"
  declare -A slices_sum=()
  for slice in $(seq 1 "$seconds"); do
    for i in "${!names[@]}"; do
      server=${names[$(((slice + i) % ${#names[@]}))]}
      select_server "$server"
      only_running "$server"
      sleep 0.2 # as in latency_turns
      write_miss_queries "$work/miss.txt" 100000 "$server-$run-$slice"
      perf_run "$work/slice.out" -d "$work/miss.txt" -n 1 -l 1 -q 500 -t 1
      slices_sum[$server]=$((${slices_sum[$server]:-0} + $(qps_of "$work/slice.out")))
    done
  done
  for server in $servers; do
    result[$server,miss]+=" $((${slices_sum[$server]} / seconds))"
    echo "  run $run, $server: miss $((${slices_sum[$server]} / seconds))/s (mean of $seconds one-second turns)"
  done
}

for run in $(seq 1 "$runs"); do
  for server in $servers; do
    has_row hit || has_row tcp || continue
    select_server "$server"
    only_running "$server"
    rewarm
    rm -f "$work/hit.out" "$work/tcp.out"
    has_row hit && perf_run "$work/hit.out" -d "$work/hits.txt" -l "$seconds" -c 4 -q 200
    has_row tcp && perf_run "$work/tcp.out" -m tcp -d "$work/hits.txt" -l "$seconds" -c 4 -q 200
    line="  run $run, $server:"
    for key in hit tcp; do
      [ -f "$work/$key.out" ] || continue
      result[$server,$key]+=" $(qps_of "$work/$key.out")"
      line+=" $key $(qps_of "$work/$key.out")/s,"
    done
    echo "${line%,}"
  done
  if has_row sustained; then
    for server in $servers; do
      select_server "$server"
      only_running "$server"
      sustained_misses "$server" "$seconds" sustained
    done
  fi
  has_row miss && miss_turns "$run"
  has_row latency && latency_turns "$run"
  if has_row steady; then
    for server in $servers; do
      select_server "$server"
      only_running "$server"
      rewarm
      steady_hits "$server"
    done
  fi
  has_row neighbour && latency_turns "$run" neighbour
done
if [ "$soak_seconds" -gt 0 ]; then
  for server in $servers; do
    select_server "$server"
    only_running "$server"
    sustained_misses "$server" "$soak_seconds" soak
  done
fi
for server in $servers; do
  for key in hit tcp miss sustained soak sustained_cpu soak_cpu; do
    [ -n "${result[$server,$key]:-}" ] || continue # a row not run
    # shellcheck disable=SC2086
    result[$server,$key]=$(median ${result[$server,$key]})
  done
  # Latency: every answer of every run pooled (not the median of the runs' percentiles), and the
  # queries lost in all runs together.
  if [ -f "$work/latency-all-$server.txt" ]; then
    read -r a b c <<<"$(latency_summary "$work/latency-all-$server.txt")"
    result[$server,avg]=$a result[$server,p50]=$b result[$server,p99]=$c
    # The server's CPU time over the wall time of its latency slices: what the latency costs.
    result[$server,cpu]=$(awk -v t="${result[$server,cpu_ticks]}" -v hz="$(getconf CLK_TCK)" -v ns="${result[$server,cpu_ns]}" \
      'BEGIN { printf "%d", 100 * t / hz / (ns / 1e9) }')
  fi
  if [ -f "$work/latency-neighbour-all-$server.txt" ]; then
    read -r a b c <<<"$(latency_summary "$work/latency-neighbour-all-$server.txt")"
    result[$server,neighbour_p50]=$b result[$server,neighbour_p99]=$c
  fi
done

if has_server resolver && has_row alloc && [ -x "$counters_tool" ]; then
  select_server resolver
  only_running resolver
  rewarm
  read -r bytes queries gen0 <<<"$(allocation_during_hits "$seconds")"
  result[resolver,alloc]="$bytes B in ${seconds}+5 s for $queries hits ($(awk -v b="$bytes" -v q="$queries" 'BEGIN { if (q > 0 && b != "-") printf "%.3f", b / q; else print "-" }') B/query), gen0 GCs: $gen0"
fi
stop_all_servers
rm -f "$work/miss.txt"

# --- the table ---------------------------------------------------------------------------------
get() { echo "${result[$1,$2]:--}"; }
growth() { # bytes of peak RSS per cached name
  local warm full
  warm=$(get "$1" rss_warm) full=$(get "$1" rss_full)
  [ "$warm" = - ] || [ "$full" = - ] && { echo -; return; }
  awk -v w="$warm" -v f="$full" -v n="$memory_names" 'BEGIN { printf "%d", (f - w) * 1024 / n }'
}
mib() { local v; v=$(get "$1" "$2"); [ "$v" = - ] && echo - || awk -v k="$v" 'BEGIN { printf "%.1f", k / 1024 }'; }
row() { # row LABEL KEY TARGET [func]
  local label=$1 key=$2 target=$3 fn=${4:-get} r u d
  r=$(has_server resolver && $fn resolver "$key" || echo -)
  u=$(has_server unbound && $fn unbound "$key" || echo -)
  d=$(has_server dnsmasq && $fn dnsmasq "$key" || echo -)
  local versus
  # A ratio of lost-query counts means nothing (2 against 295 is not "0.01 times as good").
  case $key in *lost | *servfail | *slowest | *drops) versus=- ;; *) versus=$(ratio "$r" "$u") ;; esac
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$r" "$u" "$d" "$versus" "$target"
}
growth_of() { growth "$1"; }

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $runs run(s) of $seconds s, medians (latency: all runs' answers pooled, losses summed)"
  echo
  echo "| row | Resolver | Unbound $(unbound -V 2>/dev/null | awk '/^Version/ { print $2 }') | dnsmasq $(dnsmasq --version | awk 'NR == 1 { print $3 }') | Resolver / Unbound | target |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  row "cache hits, UDP (queries/s)" hit ">= 1.0"
  row "cache misses, UDP, $seconds s continuous after ${sustained_warm_seconds} s of misses (queries/s)" sustained ">= 1.0"
  row "  the same: server CPU per miss (microseconds)" sustained_cpu "<= 1.0"
  row "  the same: SERVFAIL answers (worst run)" sustained_servfail "0"
  row "  the same: queries lost (worst run)" sustained_lost "0"
  row "  the same: slowest answer (ms, worst run)" sustained_slowest "< 1000"
  row "  the same: UDP drops, server's sockets / knotd's / whole machine" sustained_drops "0"
  if [ "$soak_seconds" -gt 0 ]; then
    row "cache misses, UDP, $soak_seconds s soak (queries/s)" soak ">= 1.0"
    row "  the soak: server CPU per miss (microseconds)" soak_cpu "<= 1.0"
    row "  the soak: SERVFAIL answers" soak_servfail "0"
    row "  the soak: queries lost" soak_lost "0"
    row "  the soak: slowest answer (ms)" soak_slowest "< 1000"
    row "  the soak: UDP drops, server's sockets / knotd's / whole machine" soak_drops "0"
  fi
  row "cache misses, UDP, one-second slices with pauses (queries/s; not the figure that counts)" miss "-"
  row "cache hits, TCP, 4 connections (queries/s)" tcp ">= 0.8"
  row "latency at $latency_rate/s: average (ms)" avg "-"
  row "latency at $latency_rate/s: p50 (ms)" p50 "-"
  row "latency at $latency_rate/s: p99 (ms)" p99 "<= 1.0"
  row "latency at $latency_rate/s: queries lost" lost "0"
  row "latency at $latency_rate/s: server CPU (% of its core)" cpu "-"
  row "steady $latency_rate/s for 20 s, no pause, worst run: average (ms)" steady_avg "-"
  row "  the same: p99 (ms)" steady_p99 "<= 1.0"
  row "  the same: slowest answer (ms)" steady_slowest "-"
  row "  the same: queries lost (all runs)" steady_lost "0"
  row "  the same: server CPU (% of its core)" steady_cpu "-"
  row "latency at $latency_rate/s beside a CPU-bound process on its core: p50 (ms)" neighbour_p50 "-"
  row "latency at $latency_rate/s beside a CPU-bound process on its core: p99 (ms)" neighbour_p99 "-"
  row "latency at $latency_rate/s beside a CPU-bound process on its core: queries lost" neighbour_lost "-"
  row "peak RSS after warm-up (MiB)" rss_warm "-" mib
  row "peak RSS after $memory_names more names (MiB)" rss_full "-" mib
  row "RSS growth per cached name (bytes)" - "<= 1.5" growth_of
  row "start-up to first answer (ms)" startup "-"
  echo
  [ -n "${BENCH_RESOLVER_ENV:-}${BENCH_PUBLISH_ARGS:-}" ] && echo "Resolver ran with: ${BENCH_RESOLVER_ENV:-} ${BENCH_PUBLISH_ARGS:-}" && echo
  echo "Resolver allocation during a hit run (dotnet-counters, whole process): $(get resolver alloc)"
  echo
  echo "Commands:"
  sed 's/^/    /' "$commands_log" | awk '!seen[$0]++'
} | tee "$work/results.md"
mkdir -p "$artifacts" && cp "$work/results.md" "$artifacts/results.md"

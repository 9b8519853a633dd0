#!/usr/bin/env bash
# The shared cache's bench row (issue 18): two Resolver instances, A and B, with
# Resolver:SharedCache on one redis-server, in front of one knotd; all on loopback.
# A is warmed with N names (its answers are written behind to Redis); then B, which never
# saw them, is measured with dnsperf on those names (each a local miss answered from Redis)
# beside the same number of fresh names (plain upstream misses). One row each: queries/s,
# average / p99 / slowest latency, SERVFAIL and lost, and B's shared-cache hits, misses and
# reads past the budget ("late": those went upstream), from its metrics endpoint.
# Every process is started and stopped by PID; every run is
# bounded (dnsperf -l, timeouts).
#   scripts/bench-shared-cache.sh                 # 20,000 names, runs of at most 10 s
#   scripts/bench-shared-cache.sh --seconds 2     # a quick check that it works
#   scripts/bench-shared-cache.sh --names 5000 --budget 00:00:00.005
# Needs 2 CPUs: the two instances on CPU 0, dnsperf, knotd and redis-server on CPU 1.
# Installs what is missing (dnsperf, knot, dnsutils, redis-server) with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

seconds=10
names=20000
budget=00:00:00.005
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --names) names=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench-shared-cache.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done

# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh
ensure_packages dnsperf knot dnsutils redis-server redis-tools util-linux curl
if [ "$(nproc)" -lt 2 ]; then
  echo "bench-shared-cache.sh needs 2 CPUs; this machine has $(nproc)" >&2
  exit 69
fi
export BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1
export BENCH_CACHE_ENTRIES=$((names * 4))

artifacts=${BENCH_ARTIFACTS:-$repo/artifacts/bench-shared-cache}
publish_dir=$artifacts/resolver
echo "building Resolver (Release) into $publish_dir"
dotnet publish src/Resolver.Server -c Release -o "$publish_dir" --artifacts-path "$publish_dir.build" -v quiet -nologo >/dev/null
export RESOLVER_CMD="dotnet $publish_dir/resolver.dll"

# shellcheck source=lib/knot.sh
. scripts/lib/knot.sh
# shellcheck source=lib/bench-data.sh
. scripts/lib/bench-data.sh
# shellcheck source=lib/bench-servers.sh
. scripts/lib/bench-servers.sh
# shellcheck source=lib/bench-measure.sh
. scripts/lib/bench-measure.sh
# shellcheck source=lib/bench-sustained.sh
. scripts/lib/bench-sustained.sh

work=$(mktemp -d /tmp/bench-shared-cache.XXXXXX)
commands_log=$work/commands.txt
redis_pid="" a_pid="" b_pid=""
cleanup() {
  local pid
  for pid in "$a_pid" "$b_pid" "$redis_pid"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  done
  stop_knot
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

write_bench_zone "$work/bench.test.zone" "$names"
write_hit_queries "$work/shared.txt" "$names"
write_miss_queries "$work/fresh.txt" "$names" "fresh$$"

upstream_port=$(pick_port 5400)
KNOT_ZONE=bench.test. start_knot "$work/knot" "$work/bench.test.zone" 127.0.0.1 "$upstream_port"
taskset -a -p -c "$BENCH_CLIENT_CPU" "$knot_pid" >/dev/null
echo "knotd (pid $knot_pid) serves bench.test. ($names names) on 127.0.0.1:$upstream_port"

redis_port=$(pick_port $((upstream_port + 1)))
taskset -c "$BENCH_CLIENT_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do
  [ "$(timeout 2 redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
echo "redis-server (pid $redis_pid) on 127.0.0.1:$redis_port"

# start_instance NAME PORT METRICS_PORT: one Resolver with the shared cache (bench-servers.sh's start_resolver).
start_instance() {
  mkdir -p "$work/$1"
  BENCH_RESOLVER_ENV="Resolver__SharedCache__Enabled=true Resolver__SharedCache__Redis=127.0.0.1:$redis_port Resolver__SharedCache__ReadBudget=$budget Resolver__Metrics__Listen=127.0.0.1:$3" \
    start_resolver "$work/$1" "$2"
  echo "$1: $server_cmd (pid $server_pid) on 127.0.0.1:$2, first answer after $startup_ms ms" | tee -a "$commands_log"
}
a_port=$(pick_port $((redis_port + 1)))
start_instance a "$a_port" $((a_port + 1000))
a_pid=$server_pid
b_port=$(pick_port $((a_port + 1)))
b_metrics=$((b_port + 1000))
start_instance b "$b_port" "$b_metrics"
b_pid=$server_pid

# Warm A with every name, then wait (bounded) until its write-behind loop has put them in Redis.
server_port=$a_port
perf_run "$work/warm.out" -d "$work/shared.txt" -n 1 -q 100 -l 120
for _ in $(seq 300); do
  keys=$(redis-cli -p "$redis_port" dbsize)
  [ "$keys" -ge "$names" ] && break
  sleep 0.1
done
echo "A warmed: $(completed_of "$work/warm.out") answers, $keys keys in Redis"

metric() { curl -s "http://127.0.0.1:$b_metrics/metrics" | awk -v m="$1" 'index($1, m) == 1 { sum += $2 } END { printf "%d", sum }'; }

# measure KEY LABEL FILE: B asked each name of FILE once (dnsperf -n 1, at most $seconds s, 100 outstanding).
server_port=$b_port
printf '\n%-28s %9s %9s %8s %8s %9s %9s %6s %8s %8s %8s\n' row answered "q/s" "avg ms" "p99 ms" "max ms" SERVFAIL lost "B hits" "B miss" "B late"
measure() {
  local key=$1 label=$2 file=$3 hits_before misses_before late_before a b c
  hits_before=$(metric resolver_shared_cache_hits)
  misses_before=$(metric resolver_shared_cache_misses)
  late_before=$(metric resolver_shared_cache_timeouts)
  perf_run "$work/$key.out" -d "$file" -n 1 -q 100 -l "$seconds" -t 2 -v
  awk '/^> / { print $NF }' "$work/$key.out" >"$work/$key.lat"
  read -r a b c <<<"$(latency_summary "$work/$key.lat")"
  printf '%-28s %9s %9s %8s %8s %9s %9s %6s %8s %8s %8s\n' "$label" "$(completed_of "$work/$key.out")" "$(qps_of "$work/$key.out")" \
    "$a" "$c" "$(slowest_ms_of "$work/$key.out")" "$(servfail_of "$work/$key.out")" "$(lost_of "$work/$key.out")" \
    $(($(metric resolver_shared_cache_hits) - hits_before)) $(($(metric resolver_shared_cache_misses) - misses_before)) \
    $(($(metric resolver_shared_cache_timeouts) - late_before))
}
measure shared "B: A's names (from Redis)" "$work/shared.txt"
measure fresh "B: fresh names (upstream)" "$work/fresh.txt"

echo
echo "commands:"
cat "$commands_log"
echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"

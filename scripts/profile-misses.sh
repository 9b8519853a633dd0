#!/usr/bin/env bash
# Profile of Resolver under sustained cache misses, the load of scripts/bench.sh's sustained row:
# knotd (the bench zone, its wildcard) and dnsperf on CPU 1, Resolver pinned to CPU 0 with one
# receive loop, 10 s of misses to warm it, then SECONDS more while dotnet-counters reads the
# allocation and GC counters, then SECONDS more while perf samples the CPU. Prints misses/s with the errors
# beside it, bytes allocated per miss, GCs and GC pause per second, and the top frames by
# self CPU time, and where the allocated bytes go (by type, by the first frame in Resolver's code);
# keeps perf's samples and the allocation trace in artifacts/profile-misses/.
#
#   scripts/profile-misses.sh              # 10 s measured
#   scripts/profile-misses.sh --seconds 20
#   BENCH_RESOLVER_ENV="DOTNET_gcServer=1" scripts/profile-misses.sh
#
# Everything on 127.0.0.1; every process it starts is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
seconds=10
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "profile-misses.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh
ensure_packages dnsperf knot dnsutils linux-perf
export BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1 BENCH_CACHE_ENTRIES=200000
artifacts=$repo/artifacts/profile-misses
tools=$repo/artifacts/bench-service/tools
mkdir -p "$artifacts" "$tools"
for tool in dotnet-counters dotnet-trace; do
  [ -x "$tools/$tool" ] || dotnet tool install --tool-path "$tools" "$tool" >/dev/null
done
dotnet publish src/Resolver.Server -c Release -o "$artifacts/resolver" --artifacts-path "$artifacts/build" -v quiet -nologo >/dev/null
export RESOLVER_CMD="dotnet $artifacts/resolver/resolver.dll"
# The runtime writes /tmp/perf-PID.map, so perf can name JIT-compiled frames (W^X off: with it
# the code runs from a double mapping the map does not name).
export BENCH_RESOLVER_ENV="DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${BENCH_RESOLVER_ENV:-}"

. scripts/lib/knot.sh
. scripts/lib/unbound.sh
. scripts/lib/bench-data.sh
. scripts/lib/bench-servers.sh
. scripts/lib/bench-measure.sh
. scripts/lib/bench-sustained.sh
declare -A result=()
work=$(mktemp -d /tmp/resolver-profile.XXXXXX)
commands_log=$work/commands.txt
trap 'stop_server; stop_knot; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

write_bench_zone "$work/bench.test.zone" 1000
upstream_port=$(pick_port 5450)
KNOT_ZONE=bench.test. start_knot "$work/knot" "$work/bench.test.zone" 127.0.0.1 "$upstream_port"
taskset -a -p -c "$BENCH_CLIENT_CPU" "$knot_pid" >/dev/null
server_port=$(pick_port $((upstream_port + 1)))
start_resolver "$work" "$server_port"
echo "Resolver (pid $server_pid) on 127.0.0.1:$server_port, knotd (pid $knot_pid) on $upstream_port"

continuous_misses "$work/warm.out" "$sustained_warm_seconds" "warm"
echo "warm-up: $(qps_of "$work/warm.out")/s"

# Counters over the measured window (not the warm-up).
csv=$work/counters.csv
timeout $((seconds + 40)) "$tools/dotnet-counters" collect -p "$server_pid" \
  --counters 'System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.collections,dotnet.gc.pause.time,dotnet.exceptions]' \
  --refresh-interval 1 --format csv -o "$csv" --duration "00:00:00:$(printf '%02d' $((seconds + 2)))" >"$work/counters.log" 2>&1 &
counters_pid=$!
sleep 1
continuous_misses "$work/measured.out" "$seconds" "measured"
wait "$counters_pid" 2>/dev/null || true
answered=$(completed_of "$work/measured.out")
awk -F, -v q="$answered" -v s="$seconds" '
  /total_allocated/ { bytes += $5 }
  /gc.collections/ { gcs += $5 }
  /pause.time/ { pause += $5 }
  END { printf "allocated %d B for %d misses: %.0f B/miss; GCs %.1f/s; GC pause %.1f ms/s\n", bytes, q, (q ? bytes / q : 0), gcs / s, pause * 1000 / s }' "$csv"
cp "$csv" "$artifacts/counters-$(date +%Y%m%d-%H%M%S).csv"
# Exceptions thrown per second by type (the counter's error.type tag): a timeout past the adaptive RTO is routine
# under load, so a type that scales with the miss rate is a throw on the hot path.
awk -F, -v s="$seconds" '
  /dotnet.exceptions/ { type = $3; sub(/.*error.type=/, "", type); sub(/[];].*/, "", type); n[type] += $5 }
  END { for (t in n) printf "exceptions: %s %.0f/s\n", t, n[t] / s }' "$csv" | sort
echo "misses: $(qps_of "$work/measured.out")/s, SERVFAIL $(servfail_of "$work/measured.out"), lost $(lost_of "$work/measured.out"), slowest $(slowest_ms_of "$work/measured.out") ms"

# CPU samples (perf, with the runtime's perf map for JIT-compiled frames) over a second window of the same load.
perf_data=$artifacts/misses-$(date +%Y%m%d-%H%M%S).perf.data
timeout $((seconds + 30)) perf record -F 999 -g -p "$server_pid" -o "$perf_data" -- sleep "$seconds" >"$work/perf.log" 2>&1 &
perf_pid=$!
continuous_misses "$work/traced.out" "$seconds" "traced"
wait "$perf_pid" 2>/dev/null || true
echo "misses while sampled: $(qps_of "$work/traced.out")/s; samples in $perf_data"
echo "top frames by CPU time spent in them (self):"
perf report -i "$perf_data" --no-children -g none --sort dso,symbol --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -40 || true
echo "by shared object:"
perf report -i "$perf_data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -12 || true

# Where the bytes go: the runtime's AllocationTick events (one per ~100 KB, with the type and the
# stack) over a third window, summed by type and by the first frame in Resolver's code.
alloc_trace=$artifacts/misses-alloc-$(date +%Y%m%d-%H%M%S).nettrace
"$tools/dotnet-trace" collect -p "$server_pid" --providers 'Microsoft-Windows-DotNETRuntime:0x1:5' -o "$alloc_trace" \
  --duration "00:00:00:$(printf '%02d' "$seconds")" >"$work/alloc-trace.log" 2>&1 &
alloc_pid=$!
sleep 1
continuous_misses "$work/alloc.out" "$seconds" "alloc"
wait "$alloc_pid" 2>/dev/null || true
dotnet run -c Release --project scripts/tools/alloc-report -- "$alloc_trace" "$(completed_of "$work/alloc.out")" 2>&1 | head -60 || true

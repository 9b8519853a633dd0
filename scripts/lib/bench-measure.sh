# Measuring one server with dnsperf for scripts/bench.sh. Source it; it defines the functions
# below. dnsperf runs pinned to $BENCH_CLIENT_CPU and every run is bounded by its own -l limit
# plus a timeout, so nothing can hang the benchmark.

# perf_run OUTFILE DNSPERF-ARGS...: one dnsperf run against 127.0.0.1:$server_port.
perf_run() {
  local out=$1 limit=60 arg previous=""
  shift
  for arg in "$@"; do
    [ "$previous" = -l ] && limit=$arg
    previous=$arg
  done
  echo "  dnsperf -s 127.0.0.1 -p $server_port $*" >>"$commands_log"
  timeout $((limit + 30)) taskset -c "$BENCH_CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$server_port" "$@" >"$out" 2>&1 || true
}

# Queries per second, queries completed and queries lost of a dnsperf output (0 when absent).
qps_of() { awk '/Queries per second:/ { printf "%d", $4; found = 1 } END { if (!found) print 0 }' "$1"; }
completed_of() { awk '/Queries completed:/ { print $3; found = 1 } END { if (!found) print 0 }' "$1"; }
lost_of() { awk '/Queries lost:/ { print $3; found = 1 } END { if (!found) print 0 }' "$1"; }

# latency_summary FILE: "avg p50 p99" in milliseconds of a file of latencies in seconds, one per
# line (the last field of dnsperf -v's "> NOERROR name A 0.000123" lines).
latency_summary() {
  sort -g "$1" | awk '
    { v[NR] = $1; sum += $1 }
    END {
      if (NR == 0) { print "- - -"; exit }
      p50 = int(NR * 0.50); if (p50 < NR * 0.50) p50++
      p99 = int(NR * 0.99); if (p99 < NR * 0.99) p99++
      printf "%.3f %.3f %.3f\n", sum / NR * 1000, v[p50] * 1000, v[p99] * 1000
    }'
}

# process_cpu_ticks PID: user + system time of every thread of the process so far, in clock ticks
# (fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces).
process_cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# median VALUES...: the middle value (the lower middle of an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratio A B: A / B to two decimals, or - when either is missing.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}

# allocation_during_hits SECONDS [DNSPERF-ARGS...]: runs a hit load (over UDP, or as the extra dnsperf
# arguments say, e.g. -m dot) while dotnet-counters reads the Resolver's System.Runtime counters; prints
# "bytes queries gen0" (bytes allocated by the whole process during the window, queries answered, gen0 collections).
allocation_during_hits() {
  local seconds=$1 csv="$work/counters.csv"
  shift
  rm -f "$csv"
  timeout $((seconds + 40)) "$counters_tool" collect -p "$server_pid" \
    --counters 'System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.collections]' \
    --refresh-interval 1 --format csv -o "$csv" --duration "00:00:00:$(printf '%02d' $((seconds + 3)))" >"$work/counters.log" 2>&1 &
  local counters_pid=$!
  sleep 2 # the session attaches before the load starts
  perf_run "$work/alloc.out" "$@" -d "$work/hits.txt" -l "$seconds" -c 4 -q 200
  wait "$counters_pid" 2>/dev/null || true
  local bytes gen0
  # No reading at all (the session attached too late for a short run) is "-", not 0 bytes.
  bytes=$(awk -F, '/total_allocated/ { sum += $5; n++ } END { if (n) printf "%d", sum; else print "-" }' "$csv" 2>/dev/null || echo -)
  gen0=$(awk -F, '/gen0/ { sum += $5 } END { printf "%d", sum }' "$csv" 2>/dev/null || echo 0)
  echo "${bytes:-0} $(completed_of "$work/alloc.out") ${gen0:-0}"
}

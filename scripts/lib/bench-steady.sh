# The steady-latency row of scripts/bench.sh: cache hits at a fixed rate ($latency_rate/s), without a
# pause, for 20 s or $seconds, whichever is longer, on a warm server. The latency row's one-second
# slices rest the server between slices; a resolver in front of a machine never rests, and a loop that
# polls, sleeps or gives way behaves differently after seconds of steady traffic (a stall of 1-2 ms
# average was seen only this way). Reports average, p99 and slowest answer, losses and the server's CPU.
# Source it after bench-measure.sh; it uses $work, $server_pid, $seconds, $latency_rate and result[].

# worse OLD NEW: the larger of two figures ("-" or empty counts as none).
worse() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || a == "-") print b; else if (b == "-" || a + 0 >= b + 0) print a; else print b }'; }

# steady_hits SERVER: the measured run for one server (already selected and the only one running).
steady_hits() {
  local server=$1 secs=$((seconds > 20 ? seconds : 20)) cpu_before a b c
  perf_run "$work/steady-warm.out" -d "$work/hits.txt" -l 5 -Q "$latency_rate" -q 500 -b 4096
  cpu_before=$(process_cpu_ticks "$server_pid")
  perf_run "$work/steady.out" -d "$work/hits.txt" -l "$secs" -Q "$latency_rate" -q 500 -b 4096 -v
  # CPU: the run's own (the last run's in the table).
  result[$server,steady_cpu]=$(awk -v t="$(($(process_cpu_ticks "$server_pid") - cpu_before))" -v hz="$(getconf CLK_TCK)" -v s="$secs" \
    'BEGIN { printf "%d", 100 * t / hz / s }')
  awk '/^> / { print $NF }' "$work/steady.out" >"$work/steady-latency.txt"
  read -r a b c <<<"$(latency_summary "$work/steady-latency.txt")"
  local slowest lost
  slowest=$(slowest_ms_of "$work/steady.out") lost=$(lost_of "$work/steady.out")
  # Over several runs the table keeps the worst run's figures (latency is judged by its bad moments), losses summed.
  result[$server,steady_avg]=$(worse "${result[$server,steady_avg]:-}" "$a")
  result[$server,steady_p99]=$(worse "${result[$server,steady_p99]:-}" "$c")
  result[$server,steady_slowest]=$(worse "${result[$server,steady_slowest]:-}" "$slowest")
  result[$server,steady_lost]=$((${result[$server,steady_lost]:-0} + lost))
  echo "  $server, $secs s steady at $latency_rate/s: latency avg/p50/p99 $a/$b/$c ms, slowest $slowest ms, lost $lost, CPU ${result[$server,steady_cpu]}%"
}

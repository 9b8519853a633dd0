# The sustained miss row and the soak of scripts/bench.sh: continuous cache misses with no pause,
# on a server that has already forwarded $sustained_warm_seconds s of misses, as a resolver in
# front of a busy site sees them. Each figure comes with the errors beside it: SERVFAIL answers,
# queries dnsperf never got an answer for, the slowest answer, and the datagrams the kernel dropped
# on the server's own sockets (listening and upstream alike), on knotd's, and on the whole machine.
# Source it after bench-measure.sh and bench-data.sh; it uses $work, $server_pid and result[].

sustained_warm_seconds=10

# socket_drops PID: datagrams the kernel dropped on the process's UDP sockets (the drops column
# of /proc/net/udp and udp6, for the socket inodes the process holds open now).
socket_drops() {
  local inodes
  inodes=$(find "/proc/$1/fd" -maxdepth 1 -type l -printf '%l\n' 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
  cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v list="$inodes" '
    BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
    ($10 in want) { sum += $NF }
    END { printf "%d\n", sum }'
}

# udp_receive_errors: the machine's UDP RcvbufErrors so far (every socket, dnsperf's and knotd's too).
udp_receive_errors() {
  awk '$1 == "Udp:" && !names { for (i = 2; i <= NF; i++) col[$i] = i; names = 1; next }
       $1 == "Udp:" && names { print $(col["RcvbufErrors"]); exit }' /proc/net/snmp
}

# The SERVFAIL count and the slowest answer (ms) of a dnsperf output.
servfail_of() { awk '/Response codes:/ { for (i = 1; i <= NF; i++) if ($i == "SERVFAIL") { print $(i + 1) + 0; found = 1 } } END { if (!found) print 0 }' "$1"; }
slowest_ms_of() { awk '/Average Latency/ { for (i = 1; i <= NF; i++) if ($i == "max") { v = $(i + 1); gsub(/[^0-9.]/, "", v); printf "%d", v * 1000; found = 1 } } END { if (!found) print "-" }' "$1"; }

# continuous_misses OUT SECONDS TAG: one dnsperf run of SECONDS with unique names under the
# wildcard (more than any server answers in that time, so every query is a miss), the load the
# issue describes: 4 clients, 500 outstanding, one dnsperf thread.
continuous_misses() {
  local out=$1 secs=$2 tag=$3
  write_miss_queries "$work/sustained.txt" $((secs * 40000)) "$tag"
  perf_run "$out" -d "$work/sustained.txt" -n 1 -l "$secs" -c 4 -q 500 -T 1 -t 2
}

# sustained_misses SERVER SECONDS KEY: warm-up of continuous misses, then the measured run; records
# result[SERVER,KEY] (queries/s, appended: one per run), KEY_cpu (server CPU microseconds per answered miss,
# appended) and KEY_servfail, KEY_lost, KEY_slowest (ms),
# KEY_drops ("server's sockets / knotd's / whole machine"), the worst of the runs for each error figure.
sustained_misses() {
  local server=$1 secs=$2 key=$3 tag drops_before knot_before system_before cpu_before qps servfail lost slowest drops knot system cpu_us
  tag="$server-$key-$(date +%s%N)"
  continuous_misses "$work/sustained-warm.out" "$sustained_warm_seconds" "warm-$tag"
  drops_before=$(socket_drops "$server_pid") knot_before=$(socket_drops "$knot_pid") system_before=$(udp_receive_errors)
  cpu_before=$(process_cpu_ticks "$server_pid")
  continuous_misses "$work/sustained.out" "$secs" "$tag"
  # CPU time the server spent per answered miss: steadier than the rate on a noisy machine.
  cpu_us=$(awk -v t=$(($(process_cpu_ticks "$server_pid") - cpu_before)) -v hz="$(getconf CLK_TCK)" -v q="$(completed_of "$work/sustained.out")" \
    'BEGIN { if (q > 0) printf "%d", t / hz * 1e6 / q; else print "-" }')
  drops=$(($(socket_drops "$server_pid") - drops_before)) knot=$(($(socket_drops "$knot_pid") - knot_before))
  system=$(($(udp_receive_errors) - system_before))
  qps=$(qps_of "$work/sustained.out") servfail=$(servfail_of "$work/sustained.out")
  lost=$(lost_of "$work/sustained.out") slowest=$(slowest_ms_of "$work/sustained.out")
  result[$server,$key]+=" $qps"
  result[$server,${key}_cpu]+=" $cpu_us"
  worst "$server" "${key}_servfail" "$servfail"
  worst "$server" "${key}_lost" "$lost"
  worst "$server" "${key}_slowest" "$slowest"
  worst "$server" "${key}_sockdrops" "$drops"
  worst "$server" "${key}_knotdrops" "$knot"
  worst "$server" "${key}_sysdrops" "$system"
  result[$server,${key}_drops]="${result[$server,${key}_sockdrops]} / ${result[$server,${key}_knotdrops]} / ${result[$server,${key}_sysdrops]}"
  echo "  $server: $secs s of continuous misses after ${sustained_warm_seconds} s of them: $qps/s, SERVFAIL $servfail, lost $lost, slowest ${slowest} ms, CPU ${cpu_us} us/miss, UDP drops $drops (server's sockets) / $knot (knotd's) / $system (machine)"
}

# worst SERVER KEY VALUE: keeps the larger of result[SERVER,KEY] and VALUE.
worst() {
  local current=${result[$1,$2]:-}
  if [ -z "$current" ] || [ "$current" = - ] || { [ "$3" != - ] && [ "$3" -gt "$current" ]; }; then
    result[$1,$2]=$3
  fi
}

# The three caching forwarders scripts/bench.sh compares, each started the same way: one
# worker thread, every thread of the process pinned to $BENCH_SERVER_CPU with taskset, the
# same cache size ($BENCH_CACHE_ENTRIES), logging off, forwarding everything to the
# authoritative server on 127.0.0.1:$upstream_port. Source it after knot.sh and unbound.sh.
#
# start_<server> WORKDIR PORT   starts it, waits until it answers, sets server_pid
# stop_server                   stops it by PID
# server_memory_kib FIELD       VmHWM or VmRSS of the running server, in KiB

server_pid=""
server_cmd=""
startup_ms=""

start_resolver() {
  local work=$1 port=$2
  mkdir -p "$work/zones" # empty: no local zone answers in front of the cache
  server_cmd="taskset -c $BENCH_SERVER_CPU $RESOLVER_CMD --listen 127.0.0.1:$port --upstream 127.0.0.1:$upstream_port --zones $work/zones"
  # One receive loop = one worker thread (misses still finish on the pinned thread pool).
  # BENCH_RESOLVER_ENV: extra variables for experiments, e.g. "DOTNET_gcServer=1 DOTNET_TieredPGO=0".
  # shellcheck disable=SC2086
  # DOTNET_TC_DelaySingleProcMultiplier=1: as the shipped unit and Dockerfile run it (pinned to one CPU the JIT
  # would otherwise wait ten times longer to optimise hot code; docs/performance.md).
  env DOTNET_TC_DelaySingleProcMultiplier=1 ${BENCH_RESOLVER_ENV:-} \
  Logging__LogLevel__Default=Warning \
  Resolver__Udp__ReceiveLoopsPerAddress=1 \
  Resolver__Cache__MaxEntries="$BENCH_CACHE_ENTRIES" \
  Resolver__Cache__MaxBytes=$((BENCH_CACHE_ENTRIES * 2048)) \
  Resolver__Tcp__MaxOutstandingPerConnection=256 \
    $server_cmd >"$work/resolver.log" 2>&1 &
  server_pid=$!
  wait_until_answering "$port" "$work/resolver.log"
}

start_unbound() {
  local work=$1 port=$2
  # Its cache is sized in bytes: generous enough that $BENCH_CACHE_ENTRIES names fit.
  {
    unbound_forwarder_conf "$work" 127.0.0.1 "$port"
    cat <<EOF
  num-threads: 1
  # The same 4 MiB socket receive buffer Resolver asks for by default (Resolver:Udp:ReceiveBufferBytes);
  # as root both get it past net.core.rmem_max. dnsmasq has no such setting and keeps the system's.
  so-rcvbuf: 4m
  msg-cache-size: 128m
  rrset-cache-size: 256m
  num-queries-per-thread: 4096
  outgoing-range: 8192
  incoming-num-tcp: 100
remote-control:
  control-enable: no
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@$upstream_port
EOF
  } >"$work/unbound.conf"
  server_cmd="taskset -c $BENCH_SERVER_CPU unbound -d -c $work/unbound.conf"
  $server_cmd >"$work/unbound.log" 2>&1 &
  server_pid=$!
  wait_until_answering "$port" "$work/unbound.log"
}

start_dnsmasq() {
  local work=$1 port=$2
  # dns-forward-max: its default (150 forwarded at once) would drop the cache-miss load.
  server_cmd="taskset -c $BENCH_SERVER_CPU dnsmasq --keep-in-foreground --no-resolv --no-hosts --port=$port --listen-address=127.0.0.1 --bind-interfaces --server=127.0.0.1#$upstream_port --cache-size=$BENCH_CACHE_ENTRIES --dns-forward-max=1000 --user=root --pid-file= --log-facility=$work/dnsmasq.log"
  $server_cmd >"$work/dnsmasq.out" 2>&1 &
  server_pid=$!
  wait_until_answering "$port" "$work/dnsmasq.out"
}

# wait_until_answering PORT LOG: up to 30 s for an answer from the zone through the server;
# sets startup_ms, the time from the start to that first answer (one dig more or less).
wait_until_answering() {
  local port=$1 log=$2 started
  started=$(date +%s%N)
  wait_for_answer "$server_pid" "$log" "the server ($server_cmd) on port $port" '^10\.' 0.05 600 \
    @127.0.0.1 -p "$port" h000000.bench.test. A || return 1
  startup_ms=$((($(date +%s%N) - started) / 1000000))
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

server_memory_kib() {
  awk -v field="$1:" '$1 == field { print $2 }' "/proc/$server_pid/status"
}

# The servers of scripts/bench-dnssec.sh. Source it after unbound.sh; it uses $resolver_cmd,
# $tree_port (knotd with the signed tree), $anchor (its root DS), $work, $commands_log and
# $BENCH_SERVER_CPU.
#
# start_resolver DIR PORT validating|plain   sets started_pid
# start_unbound DIR PORT validating|plain    sets started_pid
# flush_cache SERVER                         empties SERVER's cache (and its validated keys)
# process_cpu_ns PID                         CPU time of every thread of PID so far, in ns

start_resolver() {
  local dir=$1 port=$2 mode=$3 validate=false
  [ "$mode" = validating ] && validate=true
  mkdir -p "$dir/zones"
  echo "resolver ($mode): Resolver__Dnssec__Validate=$validate Resolver__Dnssec__TrustAnchorFile=root.anchor taskset -c $BENCH_SERVER_CPU $resolver_cmd --listen 127.0.0.1:PORT --upstream 127.0.0.1:$tree_port" >>"$commands_log"
  env DOTNET_TC_DelaySingleProcMultiplier=1 Logging__LogLevel__Default=Warning \
    Resolver__Udp__ReceiveLoopsPerAddress=1 Resolver__Cache__MaxEntries=200000 Resolver__Cache__MaxBytes=$((200000 * 2048)) \
    Resolver__Dnssec__Validate=$validate Resolver__Dnssec__TrustAnchorFile="$anchor" \
    Resolver__Control__Socket="$dir/control.sock" \
    taskset -c "$BENCH_SERVER_CPU" $resolver_cmd --listen "127.0.0.1:$port" --upstream "127.0.0.1:$tree_port" \
    --zones "$dir/zones" >"$dir.log" 2>&1 &
  started_pid=$!
  wait_for_answer "$started_pid" "$dir.log" "resolver ($mode) on $port" '^192\.' 0.05 600 @127.0.0.1 -p "$port" www.z1.test. A
}

start_unbound() {
  local dir=$1 port=$2 mode=$3 modules=iterator
  mkdir -p "$dir"
  {
    unbound_forwarder_conf "$dir" 127.0.0.1 "$port" | sed '/module-config/d'
    if [ "$mode" = validating ]; then
      modules="validator iterator"
      printf '  %s\n' "trust-anchor-file: \"$anchor\""
    fi
    printf '  %s\n' "module-config: \"$modules\"" "num-threads: 1" "so-rcvbuf: 4m" "msg-cache-size: 128m" \
      "rrset-cache-size: 256m" "key-cache-size: 32m" "num-queries-per-thread: 4096" "outgoing-range: 8192"
    printf 'remote-control:\n  control-enable: yes\n  control-interface: "%s"\n  control-use-cert: no\n' "$dir/control.sock"
    printf 'forward-zone:\n  name: "."\n  forward-addr: 127.0.0.1@%s\n' "$tree_port"
  } >"$dir/unbound.conf"
  echo "unbound ($mode): module-config \"$modules\", unbound -d -c unbound.conf" >>"$commands_log"
  taskset -c "$BENCH_SERVER_CPU" unbound -d -c "$dir/unbound.conf" >"$dir.log" 2>&1 &
  started_pid=$!
  wait_for_answer "$started_pid" "$dir.log" "unbound ($mode) on $port" '^192\.' 0.05 600 @127.0.0.1 -p "$port" www.z1.test. A
}

flush_cache() {
  case $1 in
    resolver-*) $resolver_cmd control --socket "$work/$1/control.sock" flush >/dev/null ;;
    # flush_zone removes rrsets, messages and key entries at or below the name.
    unbound-*) unbound-control -c "$work/$1/unbound.conf" flush_zone . >/dev/null
      unbound-control -c "$work/$1/unbound.conf" flush_bogus >/dev/null ;;
  esac
}

process_cpu_ns() {
  local total=0 task ns
  for task in /proc/"$1"/task/*/schedstat; do
    read -r ns _ <"$task" 2>/dev/null || continue
    total=$((total + ns))
  done
  echo "$total"
}

# The servers of scripts/bench-encrypted.sh. Source it after knot.sh, unbound.sh and bench-measure.sh;
# it uses $knot_port (the authoritative server), $resolver_cmd, $BENCH_SERVER_CPU/$BENCH_CLIENT_CPU
# and $BENCH_CACHE_ENTRIES.
#
# make_certificates DIR            a throw-away CA and a server certificate for dns.bench.test and
#                                  127.0.0.1 (ca.pem, server.pem, server.key), made now, never kept
# start_dot_upstream DIR PORT AUTH  an Unbound serving DoT on PORT (CPU 1) in front of knotd; sets
#                                  dot_upstream_pid and dot_upstream_port
# start_encrypted_resolver DIR UDP TLS HTTPS   Resolver on CPU 0: UDP, DoT and DoH listeners,
#                                  forwarding over TLS to the DoT upstream; sets started_pid
# start_encrypted_unbound DIR UDP TLS HTTPS    the same for Unbound (tls-port, https-port,
#                                  forward-tls-upstream); sets started_pid

tls_name=dns.bench.test

make_certificates() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$tls_name" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$tls_name" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  tls_dir=$dir
}

# unbound_tls_lines: the server: lines that make an Unbound serve DoT/DoH with the bench certificate.
unbound_tls_lines() {
  printf '  %s\n' "tls-service-key: \"$tls_dir/server.key\"" "tls-service-pem: \"$tls_dir/server.pem\"" \
    "http-endpoint: \"/dns-query\"" "incoming-num-tcp: 100"
}

start_dot_upstream() {
  local dir=$1 port=$2 upstream=$3
  mkdir -p "$dir"
  {
    unbound_forwarder_conf "$dir" 127.0.0.1 "$port"
    unbound_tls_lines
    printf '  %s\n' "tls-port: $port" "num-threads: 1" \
      "msg-cache-size: 4m" "rrset-cache-size: 4m" "num-queries-per-thread: 4096" "outgoing-range: 8192"
    printf 'remote-control:\n  control-enable: no\nforward-zone:\n  name: "."\n  forward-addr: 127.0.0.1@%s\n' "$upstream"
  } >"$dir/unbound.conf"
  # The listening line unbound_forwarder_conf wrote is plain DNS on the same port; tls-port makes it TLS.
  taskset -c "$BENCH_CLIENT_CPU" unbound -d -c "$dir/unbound.conf" >"$dir/unbound.log" 2>&1 &
  dot_upstream_pid=$! dot_upstream_port=$port
  local i
  for i in $(seq 1 100); do
    [ -n "$(ss -Hlnt "sport = :$port")" ] && return 0
    kill -0 "$dot_upstream_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$dir/unbound.log" >&2; echo "the DoT upstream did not start" >&2; return 1
}

# wait_for_udp_answer PID LOG PORT: up to 30 s for a bench answer through the server's UDP port.
wait_for_udp_answer() {
  wait_for_answer "$1" "$2" "the server on port $3" '^10\.' 0.05 600 @127.0.0.1 -p "$3" h000000.bench.test. A
}

start_encrypted_resolver() {
  local dir=$1 udp=$2 tls=$3 https=$4
  mkdir -p "$dir/zones"
  echo "resolver: taskset -c $BENCH_SERVER_CPU $resolver_cmd --listen 127.0.0.1:$udp --listen-tls 127.0.0.1:$tls --listen-https 127.0.0.1:$https --upstream tls://127.0.0.1:$dot_upstream_port#$tls_name --tls-ca $tls_dir/ca.pem" >>"$commands_log"
  # The same knobs as scripts/lib/bench-servers.sh's start_resolver (one receive loop, its cache size).
  env DOTNET_TC_DelaySingleProcMultiplier=1 Logging__LogLevel__Default=Warning \
    Resolver__Udp__ReceiveLoopsPerAddress=1 \
    Resolver__Cache__MaxEntries="$BENCH_CACHE_ENTRIES" Resolver__Cache__MaxBytes=$((BENCH_CACHE_ENTRIES * 2048)) \
    Resolver__Tls__CertificateFile="$tls_dir/server.pem" Resolver__Tls__KeyFile="$tls_dir/server.key" \
    taskset -c "$BENCH_SERVER_CPU" $resolver_cmd --listen "127.0.0.1:$udp" --listen-tls "127.0.0.1:$tls" \
    --listen-https "127.0.0.1:$https" --upstream "tls://127.0.0.1:$dot_upstream_port#$tls_name" \
    --tls-ca "$tls_dir/ca.pem" --zones "$dir/zones" >"$dir/resolver.log" 2>&1 &
  started_pid=$!
  wait_for_udp_answer "$started_pid" "$dir/resolver.log" "$udp"
}

start_encrypted_unbound() {
  local dir=$1 udp=$2 tls=$3 https=$4
  mkdir -p "$dir"
  {
    unbound_forwarder_conf "$dir" 127.0.0.1 "$udp"
    unbound_tls_lines
    printf '  %s\n' "interface: 127.0.0.1@$tls" "interface: 127.0.0.1@$https" "tls-port: $tls" "https-port: $https" \
      "tls-cert-bundle: \"$tls_dir/ca.pem\"" "num-threads: 1" "so-rcvbuf: 4m" "msg-cache-size: 128m" \
      "rrset-cache-size: 256m" "num-queries-per-thread: 4096" "outgoing-range: 8192"
    printf 'remote-control:\n  control-enable: no\nforward-zone:\n  name: "."\n  forward-tls-upstream: yes\n  forward-addr: 127.0.0.1@%s#%s\n' \
      "$dot_upstream_port" "$tls_name"
  } >"$dir/unbound.conf"
  echo "unbound: taskset -c $BENCH_SERVER_CPU unbound -d -c unbound.conf:" >>"$commands_log"
  sed 's/^/    /' "$dir/unbound.conf" >>"$commands_log"
  taskset -c "$BENCH_SERVER_CPU" unbound -d -c "$dir/unbound.conf" >"$dir/unbound.log" 2>&1 &
  started_pid=$!
  wait_for_udp_answer "$started_pid" "$dir/unbound.log" "$udp"
}

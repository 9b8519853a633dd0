# Shared by the scripts that need a real authoritative server on loopback
# (capture-packets.sh, bench-client.sh, bench.sh): a free port, and knotd serving
# one zone (by default tests/zones/capture-test.zone as capture.test.) from a
# private config and rundir. Set KNOT_ZONE to serve another zone's name.
# Source it; it defines pick_port, start_knot and stop_knot, and sets knot_pid.

# shellcheck source=wait.sh
. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

knot_pid=""

# pick_port [FIRST]: a port with neither a UDP nor a TCP listener, from FIRST (5399) up to 5499.
pick_port() {
  local p
  for p in $(seq "${1:-5399}" 5499); do
    if [ -z "$(ss -Hlnu "sport = :$p")" ] && [ -z "$(ss -Hlnt "sport = :$p")" ]; then
      echo "$p"; return 0
    fi
  done
  echo "no free port in ${1:-5399}-5499" >&2; return 1
}

# start_knot WORKDIR ZONEFILE ADDRESS PORT [allow-transfer]: serves $KNOT_ZONE
# (default capture.test.) and waits until it answers. One worker per protocol keeps the server's share of 2 cores small.
start_knot() {
  local work=$1 zone=$2 address=$3 port=$4 transfer=${5:-}
  local acl="" zone_acl="" domain=${KNOT_ZONE:-capture.test.}
  if [ "$transfer" = allow-transfer ]; then
    acl=$(printf 'acl:\n  - id: loopback_transfer\n    address: %s\n    action: transfer\n' "$address")
    zone_acl="    acl: loopback_transfer"
  fi
  mkdir -p "$work/run" "$work/storage"
  cp "$zone" "$work/storage/${domain}zone"
  cat >"$work/knot.conf" <<EOF
server:
  rundir: "$work/run"
  listen: $address@$port
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
log:
  - target: stderr
    any: warning
database:
  storage: "$work/storage"
$acl
template:
  - id: default
    storage: "$work/storage"
    # DNSSEC-type records are plain data in an unsigned zone.
    semantic-checks: off
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: $domain
    file: "$work/storage/${domain}zone"
$zone_acl
EOF
  knotd -c "$work/knot.conf" 2>"$work/knotd.log" &
  knot_pid=$!
  wait_for_answer "$knot_pid" "$work/knotd.log" "knotd serving $domain" . 0.2 50 @"$address" -p "$port" "$domain" SOA
}

stop_knot() {
  if [ -n "$knot_pid" ]; then
    kill "$knot_pid" 2>/dev/null || true
    wait "$knot_pid" 2>/dev/null || true
    knot_pid=""
  fi
}

#!/usr/bin/env bash
# Records real DNS traffic for the codec's round-trip tests.
#
# Serves tests/zones/capture-test.zone with knotd on 127.0.0.1 (a free high
# port), captures loopback traffic with tcpdump as classic pcap, and queries it
# with dig, kdig and nslookup over UDP and TCP, with and without EDNS, with the
# DO bit, for every type in the zone. Writes tests/captures/*.pcap and, beside
# each, a <name>.queries file: one line per query a client sent on purpose
# (transport, name, type, client and flags) so tests know what to expect.
#
# Usage: scripts/capture-packets.sh [CAPTURE...]   (re-run after changing the zone;
#        CAPTURE is one of dig_udp dig_tcp kdig nslookup truncation mixed_case axfr replay)
# Needs root (tcpdump on lo). Only loopback traffic; knotd and tcpdump are
# started here and stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
zone="$repo/tests/zones/capture-test.zone"
out="$repo/tests/captures"
server=127.0.0.1

ensure_tools() {
  local missing=0
  for cmd in knotd kdig dig nslookup tcpdump unbound; do
    command -v "$cmd" >/dev/null 2>&1 || missing=1
  done
  if [ "$missing" -eq 1 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y knot knot-dnsutils dnsutils tcpdump unbound
  fi
}

. scripts/lib/knot.sh
. scripts/lib/unbound.sh

work=$(mktemp -d /tmp/capture-packets.XXXXXX)
dump_pid=""
unbound_pid=""

stop_capture() {
  if [ -n "$dump_pid" ]; then
    # Let the last replies reach the capture before stopping it.
    sleep 0.5
    kill -INT "$dump_pid" 2>/dev/null || true
    wait "$dump_pid" 2>/dev/null || true
    dump_pid=""
    grep -q " packets captured" "$work/tcpdump.log" || { echo "tcpdump did not stop cleanly" >&2; return 1; }
  fi
}

cleanup() {
  stop_capture
  if [ -n "$unbound_pid" ]; then
    kill "$unbound_pid" 2>/dev/null || true
    wait "$unbound_pid" 2>/dev/null || true
  fi
  stop_knot
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# start_capture NAME: capture the queried port ($query_port) on lo into tests/captures/NAME.pcap.
start_capture() {
  capture_name=$1
  : >"$work/tcpdump.log"
  : >"$work/$capture_name.queries"
  # -U and --immediate-mode: hand each packet over and write it as it arrives
  # (else packets still in the kernel ring are lost on exit); -Z root: keep the right to write the
  # file; -w writes classic pcap (not pcapng).
  tcpdump -i lo -n -U --immediate-mode -Z root -s 65535 -w "$work/$capture_name.pcap" "port $query_port" 2>"$work/tcpdump.log" &
  dump_pid=$!
  local i
  for i in $(seq 1 50); do
    grep -q "listening on" "$work/tcpdump.log" && return 0
    sleep 0.1
  done
  cat "$work/tcpdump.log" >&2
  echo "tcpdump did not start" >&2
  return 1
}

finish_capture() {
  stop_capture
  cp "$work/$capture_name.pcap" "$out/$capture_name.pcap"
  cp "$work/$capture_name.queries" "$out/$capture_name.queries"
  grep " packets" "$work/tcpdump.log" | tr '\n' ' '; echo
  echo "$capture_name.pcap: $(wc -l <"$out/$capture_name.queries") queries, $(stat -c %s "$out/$capture_name.pcap") bytes"
}

# note TRANSPORT NAME TYPE CLIENT FLAGS...: one line in the .queries manifest.
note() { echo "$*" >>"$work/$capture_name.queries"; }

# run_dig TRANSPORT NAME TYPE FLAGS...
run_dig() {
  local transport=$1 name=$2 type=$3; shift 3
  note "$transport $name $type dig $*"
  dig @"$server" -p "$query_port" "$name" "$type" +tries=1 +time=2 "$@" >/dev/null
}

run_kdig() {
  local transport=$1 name=$2 type=$3; shift 3
  note "$transport $name $type kdig $*"
  kdig @"$server" -p "$query_port" "$name" "$type" +retry=0 +timeout=2 "$@" >/dev/null
}

run_nslookup() {
  local transport=$1 name=$2 type=$3; shift 3
  note "$transport $name $type nslookup $*"
  # nslookup exits 1 on NXDOMAIN/NODATA; the packets are what we want.
  nslookup -port="$query_port" -type="$type" -timeout=2 -retry=1 "$@" "$name" "$server" >/dev/null || true
}

# Every name/type pair the zone holds, plus a CNAME chase, DNAME synthesis, a
# referral with DS, a wildcard, NXDOMAIN and NODATA.
queries=(
  "capture.test. SOA" "capture.test. NS" "capture.test. A" "capture.test. AAAA"
  "capture.test. MX" "capture.test. TXT" "capture.test. CAA" "capture.test. DNSKEY"
  "capture.test. NSEC" "capture.test. NSEC3PARAM"
  "www.capture.test. A" "www.capture.test. AAAA" "www.capture.test. SSHFP"
  "www.capture.test. RRSIG" "www.capture.test. HTTPS"
  "_443._tcp.www.capture.test. TLSA"
  "alias.capture.test. CNAME" "alias.capture.test. A"
  "legacy.capture.test. DNAME" "host.legacy.capture.test. A"
  "10.ptr.capture.test. PTR" "txt.capture.test. TXT"
  "_sip._udp.capture.test. SRV" "_xmpp._tcp.capture.test. SRV"
  "naptr.capture.test. NAPTR" "_dns.capture.test. SVCB" "svc.capture.test. SVCB"
  "child.capture.test. DS" "host.child.capture.test. A"
  # knotd keeps NSEC3 apart from the namespace (RFC 5155 7.2.8), so this one
  # is NXDOMAIN; the NSEC3 record itself is in axfr.pcap.
  "ufijkaad20q9cgco5p7g33u45q29isgi.capture.test. NSEC3"
  "unknown.capture.test. TYPE65400" "unknown.capture.test. TYPE65401"
  "upper.capture.test. A" "mixedcase.capture.test. AAAA"
  "x.wild.capture.test. A" "nx.capture.test. A" "www.capture.test. TXT"
)

capture_dig_udp() {
  start_capture dig-udp
  local q
  for q in "${queries[@]}"; do
    set -- $q
    run_dig udp "$1" "$2"
    run_dig udp "$1" "$2" +noedns
    run_dig udp "$1" "$2" +dnssec
  done
  finish_capture
}

capture_dig_tcp() {
  start_capture dig-tcp
  local q
  for q in "${queries[@]}"; do
    set -- $q
    run_dig tcp "$1" "$2" +tcp
  done
  run_dig tcp capture.test. SOA +tcp +noedns
  run_dig tcp www.capture.test. A +tcp +dnssec
  run_dig tcp big.capture.test. TXT +tcp
  # Three queries on one connection: several messages in one TCP stream.
  note "tcp capture.test. MX dig +tcp +keepopen (1 of 3 on one connection)"
  note "tcp www.capture.test. HTTPS dig +tcp +keepopen (2 of 3)"
  note "tcp txt.capture.test. TXT dig +tcp +keepopen (3 of 3)"
  dig @"$server" -p "$query_port" +tries=1 +time=2 +tcp +keepopen \
    capture.test. MX www.capture.test. HTTPS txt.capture.test. TXT >/dev/null
  finish_capture
}

capture_kdig() {
  start_capture kdig
  local q
  for q in "${queries[@]}"; do
    set -- $q
    run_kdig udp "$1" "$2"
    run_kdig tcp "$1" "$2" +tcp
  done
  run_kdig udp www.capture.test. A +edns
  run_kdig udp www.capture.test. A +dnssec +nsid
  run_kdig tcp www.capture.test. HTTPS +tcp +dnssec
  finish_capture
}

capture_nslookup() {
  start_capture nslookup
  local t
  for t in A AAAA MX TXT NS SOA CAA; do
    run_nslookup udp capture.test. "$t"
  done
  run_nslookup udp txt.capture.test. TXT
  run_nslookup udp _sip._udp.capture.test. SRV
  run_nslookup udp naptr.capture.test. NAPTR
  run_nslookup udp 10.ptr.capture.test. PTR
  run_nslookup udp alias.capture.test. A
  run_nslookup udp nx.capture.test. A
  run_nslookup tcp www.capture.test. A -vc
  run_nslookup tcp capture.test. MX -vc
  finish_capture
}

# Answers too big for UDP: TC=1 over UDP, then the client retries over TCP
# (RFC 1035 4.2.1, RFC 7766 section 5).
capture_truncation() {
  start_capture truncation
  run_dig udp big.capture.test. TXT
  run_dig udp big.capture.test. TXT +noedns
  run_dig udp big.capture.test. TXT +dnssec
  run_kdig udp big.capture.test. TXT +edns
  finish_capture
}

# Query names in mixed case: servers echo the question's case (RFC 4343,
# and the 0x20 technique relies on it).
capture_mixed_case() {
  start_capture mixed-case
  run_dig udp WwW.CaPtUrE.TeSt. A
  run_dig udp UPPER.CAPTURE.TEST. A
  run_dig udp upper.capture.test. A
  run_dig udp MiXeDcAsE.capture.test. AAAA
  run_dig udp ALIAS.Capture.Test. A
  run_dig udp Host.LEGACY.capture.test. A +noedns
  run_dig tcp MIXEDCASE.CAPTURE.TEST. TXT +tcp
  run_kdig udp wWw.cApTuRe.tEsT. HTTPS
  finish_capture
}

# unbound on its own port, forwarding capture.test. to knotd: the recursive
# answers a real resolver gives, for the replay test of the forwarder.
start_unbound() {
  unbound_port=$(pick_port $((port + 1)))
  {
    unbound_forwarder_conf "$work" "$server" "$unbound_port"
    cat <<EOF
  do-ip6: no
  domain-insecure: "capture.test."
remote-control:
  control-enable: no
forward-zone:
  name: "capture.test."
  forward-addr: $server@$port
EOF
  } >"$work/unbound.conf"
  unbound -d -c "$work/unbound.conf" 2>"$work/unbound.log" &
  unbound_pid=$!
  wait_for_answer "$unbound_pid" "$work/unbound.log" "unbound (for capture.test.)" hostmaster 0.2 50 \
    @"$server" -p "$unbound_port" capture.test. SOA
}

# Client queries to unbound and its recursive answers (replay-unbound.pcap).
# Left out: names whose answers need DNSSEC processing, and the delegation,
# which unbound would follow to non-loopback glue (only loopback traffic here).
capture_replay() {
  start_unbound
  query_port=$unbound_port
  start_capture replay-unbound
  local q
  for q in "${queries[@]}"; do
    set -- $q
    case "$1" in
      *child*|ufijkaad*) continue ;;
    esac
    case "$2" in
      RRSIG|NSEC|NSEC3|DNSKEY|DS) continue ;;
    esac
    run_dig udp "$1" "$2"
    run_kdig tcp "$1" "$2" +tcp
  done
  run_dig udp WwW.CaPtUrE.TeSt. A
  run_dig udp nx.capture.test. AAAA +noedns
  finish_capture
  query_port=$port
}

# Zone transfers over TCP (RFC 5936): every record of the zone, NSEC3 included,
# in one or more messages on one connection.
capture_axfr() {
  start_capture axfr
  run_dig tcp capture.test. AXFR
  run_kdig tcp capture.test. AXFR
  finish_capture
}

ensure_tools
port=$(pick_port)
query_port=$port
mkdir -p "$out"
start_knot "$work" "$zone" "$server" "$port" allow-transfer
# With arguments, only those captures are recorded again (e.g. "replay truncation").
captures=("$@")
[ ${#captures[@]} -gt 0 ] || captures=(dig_udp dig_tcp kdig nslookup truncation mixed_case axfr replay)
for c in "${captures[@]}"; do
  "capture_$c"
done

#!/usr/bin/env bash
# Compares Resolver's getaddrinfo layer with glibc's: `resolver ahosts|ahostsv4|ahostsv6|hosts`
# against `getent` for the same keys, and `resolver nameinfo` against glibc's getnameinfo
# (through python3's socket module), byte for byte.
#
# Everything runs in a private network and mount namespace: only loopback exists there, a
# Resolver instance serves a test zone on 127.0.0.1:53 of that namespace, and a private
# /etc/resolv.conf points glibc at it. So DNS-backed names are compared too, and no query can
# reach the machine's own nameserver. Skipped (exit 0 with a message) where unshare is refused.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
  if ! unshare -n -m true 2>/dev/null; then
    echo "interop-getent: skipped: unshare of network and mount namespaces is not allowed here"
    exit 0
  fi
  work=$(mktemp -d /tmp/interop-getent.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  dotnet build src/Resolver.Server -c Release -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  exec unshare -n -m bash "$0" --inside "$work"
fi

work=$2
ip link set lo up
# Global addresses on lo so AI_ADDRCONFIG sees IPv4 and IPv6 configured, as on a real host.
ip addr add 192.0.2.10/24 dev lo
ip -6 addr add 2001:db8::10/128 dev lo

mkdir -p "$work/zones"
cat >"$work/zones/interop.test.zone" <<'EOF'
$ORIGIN interop.test.
$TTL 300
@      IN SOA ns.interop.test. hostmaster.interop.test. 1 3600 600 86400 60
@      IN NS  ns
ns     IN A   192.0.2.53
www    IN A   192.0.2.80
www    IN A   192.0.2.81
www    IN AAAA 2001:db8::80
v6only IN AAAA 2001:db8::66
alias  IN CNAME www
EOF
cat >"$work/zones/2.0.192.in-addr.arpa.zone" <<'EOF'
$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@      IN SOA ns.interop.test. hostmaster.interop.test. 1 3600 600 86400 60
@      IN NS  ns.interop.test.
80     IN PTR www.interop.test.
EOF
printf 'nameserver 127.0.0.1\nsearch interop.test\noptions timeout:1 attempts:1\n' >"$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

dotnet "$work/bin/resolver.dll" --listen 127.0.0.1:53 --zones "$work/zones" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  getent hosts www.interop.test >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "service exited" >&2; exit 1; }
  sleep 0.1
done

resolver=(dotnet "$work/bin/resolver.dll")
failures=0
same() {
  local what=$1; shift
  local ours theirs
  ours=$("${resolver[@]}" "$@" 2>&1; echo "exit=$?")
  theirs=$(getent "$@" 2>&1; echo "exit=$?")
  if [ "$ours" == "$theirs" ]; then
    echo "ok   $what: $*"
  else
    echo "FAIL $what: $*"; diff <(echo "$theirs") <(echo "$ours") | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

for db in ahosts ahostsv4 ahostsv6 hosts; do
  same "hosts file"   "$db" localhost
  same "numeric IPv4" "$db" 127.0.0.1
  same "numeric IPv6" "$db" ::1
  same "DNS, two A and an AAAA" "$db" www.interop.test
  same "DNS, CNAME"   "$db" alias.interop.test
  same "DNS, search list" "$db" www
  same "DNS, IPv6 only" "$db" v6only.interop.test
  same "DNS, NXDOMAIN" "$db" nx.interop.test
done
same "several keys" hosts localhost www.interop.test nx.interop.test

for target in "127.0.0.1 53" "127.0.0.1 80" "192.0.2.80 443" "::1 53" "192.0.2.99 9"; do
  set -- $target
  ours=$("${resolver[@]}" nameinfo "$1" "$2" 2>&1 || true)
  theirs=$(python3 -c '
import socket, sys
try:
    print(*socket.getnameinfo((sys.argv[1], int(sys.argv[2])), 0))
except socket.gaierror as e:
    print(f"{sys.argv[1]}: {e.strerror}")' "$1" "$2" 2>&1 || true)
  if [ "$ours" == "$theirs" ]; then echo "ok   nameinfo $target"; else echo "FAIL nameinfo $target: glibc '$theirs', ours '$ours'"; failures=$((failures + 1)); fi
done

if [ "$failures" -gt 0 ]; then echo "interop-getent: $failures difference(s)"; exit 1; fi
echo "interop-getent: Resolver's getaddrinfo layer printed what glibc printed"

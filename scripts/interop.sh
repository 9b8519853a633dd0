#!/usr/bin/env bash
# Interoperability check: starts the service on a loopback port with the shipped zones
# and asks it with dig, kdig and nslookup, the clients people will point at it.
# The upstream is a loopback port where nothing listens: no query leaves the machine.
# Exits non-zero on the first answer that is not what the zone says.
set -euo pipefail
cd "$(dirname "$0")/.."

for cmd in dig kdig nslookup; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y dnsutils knot-dnsutils >/dev/null
    break
  fi
done

port=${INTEROP_PORT:-$(( 20000 + RANDOM % 20000 ))}
dead_upstream=127.0.0.1:$(( port + 1 ))
work=$(mktemp -d /tmp/interop.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Resolver.Server -c Release -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
# A throw-away CA and server certificate for the DoT and DoH listeners (never committed).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=interop CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=dns.test" \
  -keyout "$work/server.key" -out "$work/server.csr" >/dev/null 2>&1
printf 'subjectAltName=DNS:dns.test,IP:127.0.0.1\n' >"$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/server.pem" >/dev/null 2>&1
tls_port=$(( port + 2 ))
https_port=$(( port + 3 ))
Resolver__Tls__CertificateFile="$work/server.pem" Resolver__Tls__KeyFile="$work/server.key" \
dotnet "$work/bin/resolver.dll" --listen "127.0.0.1:$port" --listen-tls "127.0.0.1:$tls_port" --listen-https "127.0.0.1:$https_port" \
  --upstream "$dead_upstream" --zones zones >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  dig @127.0.0.1 -p "$port" localhost. SOA +tries=1 +time=1 >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "service exited" >&2; exit 1; }
  sleep 0.1
done

failures=0
# expect DESCRIPTION PATTERN COMMAND...: the command's output must match the extended regex.
expect() {
  local what=$1 pattern=$2; shift 2
  local output
  output=$("$@" 2>&1 || true)
  if grep -Eq -- "$pattern" <<<"$output"; then
    echo "ok   $what"
  else
    echo "FAIL $what: expected /$pattern/ from: $*"; echo "$output" | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

d=(dig @127.0.0.1 -p "$port" +tries=1 +time=2)
k=(kdig @127.0.0.1 -p "$port" +retry=0 +timeout=2)
expect "dig localhost A is 127.0.0.1"               '^localhost\.\s+[0-9]+\s+IN\s+A\s+127\.0\.0\.1$' "${d[@]}" localhost. A +noall +answer
expect "dig localhost answer is authoritative"      'flags: qr aa rd ra'                              "${d[@]}" localhost. A
expect "dig over TCP answers the same"              '127\.0\.0\.1'                                    "${d[@]}" localhost. A +tcp +short
expect "dig without EDNS answers"                   '127\.0\.0\.1'                                    "${d[@]}" localhost. A +noedns +short
expect "dig echoes the question's letter case"      '^;LocalHost\.\s+IN\s+AAAA'                       "${d[@]}" LocalHost. AAAA +noall +question
expect "dig reverse of 127.0.0.1 is localhost"      'localhost\.'                                     "${d[@]}" -x 127.0.0.1 +short
expect "dig reverse of ::1 is localhost"            'localhost\.'                                     "${d[@]}" -x ::1 +short
expect "dig RFC 1918 reverse is NXDOMAIN"           'status: NXDOMAIN'                                "${d[@]}" -x 10.1.2.3
expect "dig RFC 1918 NXDOMAIN carries the SOA"      '^10\.in-addr\.arpa\.\s+[0-9]+\s+IN\s+SOA'       "${d[@]}" -x 10.1.2.3 +noall +authority
expect "dig .invalid is NXDOMAIN"                   'status: NXDOMAIN'                                "${d[@]}" foo.invalid. A
expect "dig .onion is NXDOMAIN"                     'status: NXDOMAIN'                                "${d[@]}" duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion. A
expect "dig NODATA carries the SOA"                 'localhost\.\s+[0-9]+\s+IN\s+SOA'                 "${d[@]}" localhost. MX +noall +authority
expect "dig opcode STATUS gets NOTIMP"              'status: NOTIMP'                                  "${d[@]}" localhost. A +opcode=2
expect "dig EDNS version 1 gets BADVERS"            'status: BADVERS'                                 "${d[@]}" localhost. A +edns=1 +noednsneg
expect "kdig localhost AAAA is ::1"                 '^::1$'                                           "${k[@]}" localhost. AAAA +short
expect "kdig over TCP"                              '^127\.0\.0\.1$'                                  "${k[@]}" localhost. A +tcp +short
expect "kdig with DNSSEC OK keeps DO"               'Version: 0; flags: do; UDP size: 1232'           "${k[@]}" localhost. A +dnssec
kt=(kdig @127.0.0.1 +retry=0 +timeout=3 "+tls-ca=$work/ca.pem" +tls-hostname=dns.test)
expect "kdig over TLS (DoT)"                        '^127\.0\.0\.1$'                                  "${kt[@]}" -p "$tls_port" +tls localhost. A +short
expect "kdig over HTTPS (DoH POST)"                 '^127\.0\.0\.1$'                                  "${kt[@]}" -p "$https_port" +https=/dns-query localhost. A +short
expect "kdig over HTTPS (DoH GET)"                  '^127\.0\.0\.1$'                                  "${kt[@]}" -p "$https_port" +https=/dns-query +https-get localhost. A +short
if dig -h 2>&1 | grep -q '+https'; then
  expect "dig over HTTPS"                           '^127\.0\.0\.1$'                                  dig @127.0.0.1 -p "$https_port" +https +tls-ca="$work/ca.pem" +tls-hostname=dns.test localhost. A +short
fi
expect "unreachable upstream: SERVFAIL, not silence" 'status: SERVFAIL'                                "${d[@]}" +time=5 example.com. A
expect "resolver query prints like dig"             '^localhost\.\s+[0-9]+\s+IN\s+A\s+127\.0\.0\.1$' dotnet "$work/bin/resolver.dll" query localhost. A "@127.0.0.1:$port"
expect "nslookup localhost"                         'Address: 127\.0\.0\.1'                           nslookup -port="$port" localhost. 127.0.0.1
expect "nslookup reverse of 127.0.0.1"              'name = localhost\.'                              nslookup -port="$port" 127.0.0.1 127.0.0.1

if [ "$failures" -gt 0 ]; then
  echo "interop: $failures check(s) failed; service log:"; tail -n 30 "$work/server.log"
  exit 1
fi
echo "interop: all checks passed"

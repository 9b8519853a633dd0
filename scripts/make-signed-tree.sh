#!/usr/bin/env bash
# Builds, at test run time, a small signed DNS tree for the DNSSEC integration tests
# (tests/Resolver.Integration.Tests/Dnssec) and a knotd configuration that serves all of it on
# one loopback port. Nothing here is committed: keys and signed zones are made fresh each run.
#
#   scripts/make-signed-tree.sh DIR PORT
#
# Writes DIR/knot.conf (start with: knotd -c DIR/knot.conf) and DIR/root.anchor (the root DS:
# the run's trust anchor). Zones:
#   .                 RSASHA256 (8), NSEC        test.          RSASHA256, NSEC
#   secure.test.      RSASHA256: A, AAAA, wildcard, CNAME; forged. (changed A byte), nosig. (RRSIG removed)
#   ecdsa.test.       ECDSAP256SHA256 (13)       ed.test.       ED25519 (15)
#   nsec3.test.       ECDSAP256SHA256, NSEC3 (SHA-1, 0 iterations, no salt: RFC 9276)
#   insecure.test.    unsigned, delegated without DS
#   expired.test.     signatures that ended yesterday     future.test.   signatures that start tomorrow
#   wrongds.test.     the DS in test. names a key the zone does not have
#   nonsec.test.      NSEC records stripped after signing
#   z1.test. ...      only with SIGNED_TREE_EXTRA_ZONES=N (the bench): ECDSAP256SHA256, www and *.w
# Needs dnssec-keygen, dnssec-signzone, dnssec-dsfromkey (bind9-utils) and knotd (knot).
set -euo pipefail
dir=${1:?usage: make-signed-tree.sh DIR PORT}
port=${2:?usage: make-signed-tree.sh DIR PORT}
mkdir -p "$dir/keys" "$dir/db"
cd "$dir"

soa() { # zone
    printf '$TTL 300\n%s IN SOA ns.%s hostmaster.%s 1 3600 600 86400 300\n%s IN NS ns.%s\nns.%s IN A 127.0.0.1\n' \
        "$1" "${1#.}" "${1#.}" "$1" "${1#.}" "${1#.}" | sed 's/\.\././g; s/ns\.\s/ns. /'
}

keygen() { # zone algorithm -> prints key base name
    dnssec-keygen -q -K keys -a "$2" $( [ "$2" = RSASHA256 ] && echo -b 2048 ) -f KSK -n ZONE "$1"
}

sign() { # zone file algorithm [extra signzone args...]
    local zone=$1 file=$2 alg=$3; shift 3
    local key; key=$(keygen "$zone" "$alg")
    cat "keys/$key.key" >> "$file"
    dnssec-signzone -q -P -K keys -o "$zone" -z -f "$file.signed" "$@" "$file" "$key" >/dev/null
    local name=${zone%.}
    dnssec-dsfromkey -2 "keys/$key.key" > "${name:-root}.ds"
}

leaf() { # zone -> the common records of a leaf zone
    local z=$1
    printf '$TTL 300\n@ IN SOA ns.%s hostmaster.%s 1 3600 600 86400 300\n@ IN NS ns.%s\nns IN A 127.0.0.1\nwww IN A 192.0.2.1\nwww IN AAAA 2001:db8::1\n' "$z" "$z" "$z"
}

# Leaves first: their DS go into test.
leaf secure.test. > secure.test.zone
cat >> secure.test.zone <<'Z'
*.wild IN A 192.0.2.7
alias IN CNAME www
forged IN A 192.0.2.66
nosig IN A 192.0.2.77
Z
sign secure.test. secure.test.zone RSASHA256
# A changed RDATA byte: 192.0.2.66 becomes 192.0.2.67 after signing.
sed -i 's/^\(forged\.secure\.test\.[[:space:]].*[[:space:]]A[[:space:]]*\)192\.0\.2\.66/\1192.0.2.67/' secure.test.zone.signed
# A missing RRSIG: drop the RRSIG A of nosig.secure.test. (the line and its continuation block).
awk 'BEGIN{skip=0} /^nosig\.secure\.test\./{owner=1} /^[^[:space:];]/{ if ($1!="nosig.secure.test.") owner=0 }
     { if (owner && $0 ~ /RRSIG[[:space:]]+A[[:space:]]/) skip=1 }
     { if (!skip) print; if (skip && $0 ~ /\)/) skip=0 }' secure.test.zone.signed > t && mv t secure.test.zone.signed

leaf ecdsa.test. > ecdsa.test.zone; sign ecdsa.test. ecdsa.test.zone ECDSAP256SHA256
leaf ed.test. > ed.test.zone; sign ed.test. ed.test.zone ED25519
leaf nsec3.test. > nsec3.test.zone; sign nsec3.test. nsec3.test.zone ECDSAP256SHA256 -3 - -H 0
leaf insecure.test. > insecure.test.zone; cp insecure.test.zone insecure.test.zone.signed
leaf expired.test. > expired.test.zone; sign expired.test. expired.test.zone ECDSAP256SHA256 -s now-172800 -e now-86400
leaf future.test. > future.test.zone; sign future.test. future.test.zone ECDSAP256SHA256 -s now+86400 -e now+172800
leaf wrongds.test. > wrongds.test.zone; sign wrongds.test. wrongds.test.zone ECDSAP256SHA256
# The DS published for wrongds.test. names another key.
other=$(keygen wrongds.test. ECDSAP256SHA256); dnssec-dsfromkey -2 "keys/$other.key" > wrongds.test.ds
leaf nonsec.test. > nonsec.test.zone; sign nonsec.test. nonsec.test.zone ECDSAP256SHA256
awk 'BEGIN{skip=0} { if ($0 ~ /[[:space:]]NSEC[[:space:]]/ || $0 ~ /RRSIG[[:space:]]+NSEC[[:space:]]/) { skip = ($0 ~ /\($/) ? 1 : 0; next } }
     { if (skip) { if ($0 ~ /\)/) skip=0; next } print }' nonsec.test.zone.signed > t && mv t nonsec.test.zone.signed

# Bench zones (scripts/bench-dnssec.sh): SIGNED_TREE_EXTRA_ZONES=N adds z1.test. ... zN.test.
# (ECDSAP256SHA256, NSEC), each with www and a wildcard *.w, so a run can ask fresh zones and fresh names.
extra_zones=()
for i in $(seq 1 "${SIGNED_TREE_EXTRA_ZONES:-0}"); do
    leaf "z$i.test." > "z$i.test.zone"
    echo '*.w IN A 192.0.2.9' >> "z$i.test.zone"
    sign "z$i.test." "z$i.test.zone" ECDSAP256SHA256
    extra_zones+=("z$i")
done

# test.: delegations, with DS for the signed children and none for insecure.test.
{
    printf '$TTL 300\n@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n@ IN NS ns.test.\nns IN A 127.0.0.1\n'
    for child in secure ecdsa ed nsec3 insecure expired future wrongds nonsec "${extra_zones[@]}"; do
        printf '%s IN NS ns.%s.test.\nns.%s IN A 127.0.0.1\n' "$child" "$child" "$child"
        [ -f "$child.test.ds" ] && cat "$child.test.ds"
    done
} > test.zone
sign test. test.zone RSASHA256

{
    printf '$TTL 300\n. IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n. IN NS ns.test.\n'
    printf 'test. IN NS ns.test.\nns.test. IN A 127.0.0.1\n'
    cat test.ds
} > root.zone
sign . root.zone RSASHA256
cp root.ds root.anchor

{
    printf 'server:\n    listen: 127.0.0.1@%s\n    rundir: %s\n' "$port" "$PWD"
    printf 'database:\n    storage: %s/db\n' "$PWD"
    printf 'log:\n  - target: stderr\n    any: warning\n'
    printf 'template:\n  - id: default\n    storage: %s\n    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n    semantic-checks: off\n' "$PWD"
    printf 'zone:\n  - domain: .\n    file: root.zone.signed\n  - domain: test.\n    file: test.zone.signed\n'
    for child in secure ecdsa ed nsec3 insecure expired future wrongds nonsec "${extra_zones[@]}"; do
        printf '  - domain: %s.test.\n    file: %s.test.zone.signed\n' "$child" "$child"
    done
} > knot.conf

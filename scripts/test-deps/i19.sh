# DNSSEC tests (tests/Resolver.Integration.Tests/Dnssec): scripts/make-signed-tree.sh signs a small tree at run time
# with dnssec-keygen/dnssec-signzone/dnssec-dsfromkey (bind9-utils) and serves it with knotd (knot);
# delv (bind9-dnsutils) cross-checks the same names.
ensure_packages knot bind9-utils bind9-dnsutils

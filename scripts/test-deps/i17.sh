# Issue 17 (DNS over TLS and HTTPS): Unbound as a real DoT/DoH upstream, kdig as a DoT/DoH client.
ensure_packages unbound knot-dnsutils

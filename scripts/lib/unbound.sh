# Shared by the scripts that run Unbound on loopback as a forwarder to a local
# authoritative server (capture-packets.sh, bench.sh). Source it.

# unbound_forwarder_conf WORKDIR ADDRESS PORT: the server: lines every such Unbound
# needs (foreground, no privileges dropped, loopback clients, forwarding to
# localhost allowed, no validation, and test. let through). Callers add their own
# server: lines after it, then remote-control: and forward-zone:.
unbound_forwarder_conf() {
  local work=$1 address=$2 port=$3
  printf '%s\n' \
    "server:" \
    "  interface: $address@$port" \
    "  port: $port" \
    "  do-daemonize: no" \
    "  username: \"\"" \
    "  chroot: \"\"" \
    "  directory: \"$work\"" \
    "  pidfile: \"\"" \
    "  use-syslog: no" \
    "  logfile: \"\"" \
    "  verbosity: 0" \
    "  access-control: 127.0.0.0/8 allow" \
    "  do-not-query-localhost: no" \
    "  module-config: \"iterator\"" \
    "  qname-minimisation: no" \
    "  # test. is one of Unbound's built-in RFC 6761 local zones (NXDOMAIN); let it through." \
    "  local-zone: \"test.\" nodefault"
}

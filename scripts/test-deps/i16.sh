# Operations tests: `systemd-analyze verify` on the shipped unit (tests/Resolver.Integration.Tests/Service/SystemdUnitTests)
# and `promtool check metrics` on a scrape of the metrics endpoint (MetricsEndpointTests).
ensure_packages systemd prometheus

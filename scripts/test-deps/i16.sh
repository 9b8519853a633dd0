# Operations tests: `systemd-analyze verify` on the shipped unit (tests/Resolver.Integration.Tests/Service/SystemdUnitTests).
ensure_packages systemd

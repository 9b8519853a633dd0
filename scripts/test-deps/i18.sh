# Shared-cache tests (tests/Resolver.Integration.Tests/SharedCache) start a real redis-server
# on a free loopback port, without persistence.
ensure_packages redis-server

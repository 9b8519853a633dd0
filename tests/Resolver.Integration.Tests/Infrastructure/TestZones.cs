namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>The zones the tests serve: one local zone for the resolver under test, one for the fake upstream.</summary>
public static class TestZones
{
    /// <summary>
    /// Twelve 200-octet TXT records at big.: about 2.5 KB, more than any UDP answer may carry
    /// (512 without EDNS, 1232 with), so the answer is truncated over UDP and whole over TCP.
    /// </summary>
    private static readonly string BigTxt = string.Join("\n", Enumerable.Range(1, 12).Select(i =>
        $"big 300 IN TXT \"big-{i:D2}-{string.Concat(Enumerable.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 6))[..185]}\""));

    /// <summary>local.test.: served by the resolver itself (AA=1). Negative TTL min(300, 60) = 60 (RFC 2308 §5).</summary>
    public const string LocalFileName = "local.test.zone";

    public static readonly string Local = $$"""
        $ORIGIN local.test.
        $TTL 300
        @            IN SOA  ns.local.test. hostmaster.local.test. 2024010101 3600 600 86400 60
        @            IN NS   ns.local.test.
        ns           IN A    192.0.2.53
        www          IN A    192.0.2.10
        www          IN AAAA 2001:db8::10
        alias        IN CNAME www.local.test.
        outside      IN CNAME www.fwd.test.
        *.wild       IN A    192.0.2.99
        txtonly      IN TXT  "only text here"
        deep.ent     IN A    192.0.2.12
        {{BigTxt}}
        """;

    /// <summary>fwd.test.: what the fake upstream serves (as a recursive resolver would answer: RA=1, AA=0).</summary>
    public static readonly string Upstream = $$"""
        $ORIGIN fwd.test.
        $TTL 300
        @            IN SOA  ns.fwd.test. hostmaster.fwd.test. 1 3600 600 86400 60
        @            IN NS   ns.fwd.test.
        ns           IN A    192.0.2.153
        www          IN A    192.0.2.1
        www          IN AAAA 2001:db8::1
        alias        IN CNAME www.fwd.test.
        txtonly      IN TXT  "no address here"
        short    2   IN A    192.0.2.2
        {{BigTxt}}
        """;
}

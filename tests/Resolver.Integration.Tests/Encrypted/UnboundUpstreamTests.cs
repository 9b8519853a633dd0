using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Encrypted;

/// <summary>Forwarding to a real Unbound over DNS over TLS (RFC 7858) and DNS over HTTPS (RFC 8484, POST and GET).</summary>
public class UnboundUpstreamTests : ResolverFixture
{
    private TestCertificates _certificates = null!;
    private UnboundServer _unbound = null!;

    [SetUp]
    public async Task StartUnbound()
    {
        _certificates = new TestCertificates();
        _unbound = await UnboundServer.StartAsync(_certificates.Issue(), "www.unbound.test. 300 IN A 192.0.2.80",
            "big.unbound.test. 300 IN TXT \"" + new string('x', 200) + "\"");
    }

    [TearDown]
    public void StopUnbound()
    {
        _unbound?.Dispose();
        _certificates?.Dispose();
    }

    [TestCase("tls://127.0.0.1:{0}#dns.test", "tls")]
    [TestCase("https://dns.test:{1}/dns-query?bootstrap=127.0.0.1", "https POST")]
    [TestCase("https://127.0.0.1:{1}/dns-query?method=get", "https GET")]
    public async Task Query_is_forwarded_to_unbound_and_answered(string upstream, string what)
    {
        string address = string.Format(System.Globalization.CultureInfo.InvariantCulture, upstream, _unbound.Tls.Port, _unbound.Https.Port);
        await using var resolver = await ResolverUnderTest.StartAsync(Zones.Path, [address], ("Tls:CaFile", _certificates.CaFile));

        var first = await resolver.AskUdpAsync("www.unbound.test", RecordType.A, edns: true);
        var second = await resolver.AskTcpAsync(RawDns.Query("big.unbound.test", RecordType.TXT, edns: true));

        Assert.That(first.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), what + ": " + RawDns.Describe(first));
        Assert.That(first.Answers.Single().Data.ToString(), Is.EqualTo("192.0.2.80"), what);
        Assert.That(second.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), what + ": " + RawDns.Describe(second));
        Assert.That(second.Answers, Has.Count.EqualTo(1), what);
    }

    [Test]
    public async Task Unbound_with_a_certificate_from_an_untrusted_ca_is_refused()
    {
        // No Tls:CaFile: the throw-away CA is not in the system store.
        await using var resolver = await ResolverUnderTest.StartAsync(Zones.Path, [$"tls://127.0.0.1:{_unbound.Tls.Port}#dns.test"]);

        var answer = await resolver.AskUdpAsync("www.unbound.test", RecordType.A);

        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(answer));
        Assert.That(resolver.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "not trusted"), Is.True, resolver.Logs.ToString());
    }
}

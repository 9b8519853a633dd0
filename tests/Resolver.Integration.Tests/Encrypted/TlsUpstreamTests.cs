using System.Net;
using Microsoft.Extensions.Logging;
using Resolver.Client.Upstreams;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Encrypted;

/// <summary>
/// Forwarding over DNS over TLS (RFC 7858) to the tests' own TLS upstream, which relays to the fake zone over UDP:
/// the certificate rules (each refusal a failure, never clear text), one pipelined connection with answers out of
/// order, and queries retried on a new connection when theirs closes.
/// </summary>
public class TlsUpstreamTests : ResolverFixture
{
    private TestCertificates _certificates = null!;

    [SetUp]
    public void CreateCertificates() => _certificates = new TestCertificates();

    [TearDown]
    public void DeleteCertificates() => _certificates.Dispose();

    private Task<ResolverUnderTest> StartOverTlsAsync(string upstream, params (string Key, string Value)[] settings) =>
        ResolverUnderTest.StartAsync(Zones.Path, [upstream], [("Tls:CaFile", _certificates.CaFile), .. settings]);

    private TlsUpstream StartTlsUpstream(ServerCertificateFiles? certificate = null) =>
        new((certificate ?? _certificates.Issue()).Certificate, Upstream.Server.EndPoint);

    [Test]
    public async Task Query_is_forwarded_over_tls_and_answered()
    {
        using var tls = StartTlsUpstream();
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test");

        var answer = await resolver.AskUdpAsync("www.fwd.test", RecordType.A);

        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
        Assert.That(answer.Answers, Has.Count.EqualTo(1));
        Assert.That(tls.Connections, Is.EqualTo(1));
    }

    [Test]
    public async Task Reconnection_resumes_the_tls_session_instead_of_a_full_handshake()
    {
        // The first connection is closed after its first query; the retry opens a second one, which should resume.
        using var tls = StartTlsUpstream();
        tls.CloseFirstConnectionAfter = 1;
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test");

        var answer = await resolver.AskUdpAsync("www.fwd.test", RecordType.A);

        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
        var sizes = tls.HandshakeBytes;
        Assert.That(sizes, Has.Count.GreaterThanOrEqualTo(2), "a second connection");
        // A full TLS 1.3 server flight carries the certificate chain (~1 KB here); a resumed one does not.
        Assert.That(sizes[1], Is.LessThan(sizes[0] / 2), $"server handshake octets: {string.Join(", ", sizes)}");
    }

    [Test]
    public async Task Certificate_for_another_name_is_a_failure_and_nothing_goes_in_clear_text()
    {
        using var tls = StartTlsUpstream(_certificates.Issue("other.test"));
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test");

        var answer = await resolver.AskUdpAsync("www.fwd.test", RecordType.A);

        AssertRefused(answer, resolver, "does not carry the name dns.test");
    }

    [Test]
    public async Task Expired_certificate_is_a_failure()
    {
        var expired = _certificates.Issue(notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var tls = StartTlsUpstream(expired);
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test");

        var answer = await resolver.AskUdpAsync("www.fwd.test", RecordType.A);

        AssertRefused(answer, resolver, "NotTimeValid");
    }

    [Test]
    public async Task Certificate_outside_the_pin_set_is_a_failure_and_inside_it_is_answered()
    {
        var certificate = _certificates.Issue();
        using var tls = StartTlsUpstream(certificate);
        string wrongPin = Convert.ToBase64String(new byte[32]);
        await using (var pinnedElsewhere = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}?pin-sha256={wrongPin}#dns.test"))
        {
            var refused = await pinnedElsewhere.AskUdpAsync("www.fwd.test", RecordType.A);
            AssertRefused(refused, pinnedElsewhere, "pin-sha256");
        }

        string pin = Uri.EscapeDataString(TlsTrust.PinOf(certificate.Certificate));
        await using var pinned = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}?pin-sha256={pin}#dns.test");
        var answer = await pinned.AskUdpAsync("www.fwd.test", RecordType.A);
        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
    }

    [Test]
    public async Task Five_hundred_queries_in_flight_share_one_connection_and_are_matched_out_of_order()
    {
        const int Count = 500;
        using var tls = StartTlsUpstream();
        tls.HoldAnswersUntil = Count;
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test",
            ("Forwarder:InitialAttemptTimeout", "00:00:02"), ("Forwarder:MaxAttemptTimeout", "00:00:02"),
            ("Forwarder:OverallDeadline", "00:00:08"), ("Forwarder:Hedging", "false"));
        // Half the names exist (one A each, its own address), half do not: a mixed-up match would show.
        for (int i = 0; i < Count / 2; i++)
            Upstream.Add($"p{i} IN A 10.0.{i / 250}.{i % 250}");

        var asked = new List<Task<DnsMessage>>();
        for (int i = 0; i < Count; i++)
            asked.Add(resolver.AskUdpAsync(RawDns.Query($"p{i}.fwd.test", RecordType.A), TimeSpan.FromSeconds(10)));
        var answers = await Task.WhenAll(asked);

        for (int i = 0; i < Count; i++)
        {
            var answer = answers[i];
            if (i < Count / 2)
            {
                Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
                Assert.That(answer.Answers.Single().Data.ToString(), Is.EqualTo($"10.0.{i / 250}.{i % 250}"), RawDns.Describe(answer));
            }
            else
            {
                Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(answer));
            }
        }
        Assert.That(tls.Connections, Is.EqualTo(1), "one pipelined connection");
        Assert.That(tls.MostInFlight, Is.GreaterThanOrEqualTo(Count), "all in flight at once before any answer");
    }

    [Test]
    public async Task Queries_on_a_connection_closed_mid_pipeline_are_sent_again_on_a_new_one()
    {
        using var tls = StartTlsUpstream();
        tls.CloseFirstConnectionAfter = 5;
        await using var resolver = await StartOverTlsAsync($"tls://127.0.0.1:{tls.EndPoint.Port}#dns.test",
            ("Forwarder:MaxAttempts", "1"), ("Forwarder:Hedging", "false"));

        // Five queries on the first connection: the upstream closes it after the fifth arrives, answering none.
        var asked = new List<Task<DnsMessage>>();
        foreach (string name in new[] { "www", "alias", "txtonly", "ns", "short" })
            asked.Add(resolver.AskUdpAsync(RawDns.Query(name + ".fwd.test", RecordType.A)));
        var answers = await Task.WhenAll(asked);

        foreach (var answer in answers)
            Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
        Assert.That(tls.Connections, Is.GreaterThanOrEqualTo(2), "a new connection after the close");
    }

    private void AssertRefused(DnsMessage answer, ResolverUnderTest resolver, string reason)
    {
        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(answer));
        Assert.That(Upstream.TotalQueries, Is.Zero, "no query reached the zone behind the TLS upstream");
        Assert.That(resolver.Logs.Contains(LogLevel.Warning, reason), Is.True, resolver.Logs.ToString());
    }
}

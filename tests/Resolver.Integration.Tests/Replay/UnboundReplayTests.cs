using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Captures;

namespace Resolver.Integration.Tests.Replay;

/// <summary>
/// Replays the client queries of <c>tests/captures/replay-unbound.pcap</c> (dig over UDP, kdig over
/// TCP, asking unbound 1.17 that forwards capture.test. to knotd) against our resolver forwarding to
/// the same data: a second in-process resolver serving only <c>tests/zones/capture-test.zone</c> plays
/// knotd. Each answer must match unbound's in RCODE, QR/RA/TC and the answer RRsets (TTL and order
/// ignored, owner case-insensitive).
/// </summary>
[NonParallelizable]
public sealed class UnboundReplayTests
{
    private const string Capture = "replay-unbound.pcap";

    /// <summary>Where our answer legitimately differs from unbound's, and why.</summary>
    /// <remarks>Empty since local zones synthesize DNAME (RFC 6672 §3); key "udp|tcp NAME TYPE", value the reason.</remarks>
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.OrdinalIgnoreCase);

    private ZoneFolder _authoritativeZones = null!;
    private ZoneFolder _noZones = null!;
    private ResolverUnderTest _authoritative = null!;
    private ResolverUnderTest _resolver = null!;

    public static IEnumerable<TestCaseData> Exchanges() =>
        CapturedExchange.Read(Path.Combine(AppContext.BaseDirectory, "captures", Capture))
            .Select(exchange => new TestCaseData(exchange).SetName("Replayed " + exchange.Key));

    [OneTimeSetUp]
    public async Task StartResolvers()
    {
        _authoritativeZones = ZoneFolder.Create();
        File.Copy(Path.Combine(RepositoryPaths.TestZones, "capture-test.zone"), Path.Combine(_authoritativeZones.Path, "capture-test.zone"));
        _noZones = ZoneFolder.Create();
        // The stand-in for knotd: local zones only, no upstream (anything else is REFUSED).
        _authoritative = await ResolverUnderTest.StartAsync(_authoritativeZones.Path, []);
        _resolver = await ResolverUnderTest.StartAsync(_noZones.Path, [_authoritative.Udp.ToString()]);
    }

    [OneTimeTearDown]
    public async Task StopResolvers()
    {
        await _resolver.DisposeAsync();
        await _authoritative.DisposeAsync();
        _authoritativeZones.Dispose();
        _noZones.Dispose();
    }

    [Test]
    public void Capture_holds_every_listed_query_with_its_answer()
    {
        var exchanges = CapturedExchange.Read(Path.Combine(AppContext.BaseDirectory, "captures", Capture));
        int listed = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "captures", "replay-unbound.queries"))
            .Count(line => !string.IsNullOrWhiteSpace(line));

        Assert.That(exchanges, Has.Count.EqualTo(listed), string.Join(Environment.NewLine, exchanges));
    }

    [TestCaseSource(nameof(Exchanges))]
    public async Task Answer_matches_unbound(CapturedExchange exchange)
    {
        if (Exceptions.TryGetValue(exchange.Key, out string? reason))
            Assert.Ignore("differs from unbound on purpose: " + reason);
        var expected = DnsMessage.Parse(exchange.Response.Payload);

        byte[] reply = exchange.Query.Transport == CapturedTransport.Udp
            ? await RawDns.ExchangeUdpAsync(_resolver.Udp, exchange.Query.Payload) ?? throw new AssertionException("no UDP reply")
            : await AskTcpAsync(exchange.Query.Payload);
        var actual = RawDns.Parse(reply);

        string both = Environment.NewLine + "unbound: " + RawDns.Describe(expected) + Environment.NewLine + "ours:    " + RawDns.Describe(actual);
        Assert.Multiple(() =>
        {
            Assert.That(actual.Id, Is.EqualTo(expected.Id), "ID" + both);
            Assert.That(actual.ResponseCode, Is.EqualTo(expected.ResponseCode), "RCODE" + both);
            Assert.That(actual.IsResponse, Is.EqualTo(expected.IsResponse), "QR" + both);
            Assert.That(actual.RecursionAvailable, Is.EqualTo(expected.RecursionAvailable), "RA" + both);
            Assert.That(actual.Truncated, Is.EqualTo(expected.Truncated), "TC" + both);
            Assert.That(actual.Questions.Single().Name.EqualsExactly(expected.Questions.Single().Name), Is.True, "question case" + both);
            Assert.That(RecordSet(actual.Answers), Is.EquivalentTo(RecordSet(expected.Answers)), "answer RRsets" + both);
            Assert.That(actual.Edns is null, Is.EqualTo(expected.Edns is null), "OPT present as in unbound's answer" + both);
            if (expected.Answers.Count == 0)
                Assert.That(Types(actual.Authorities, RecordType.SOA), Is.EqualTo(Types(expected.Authorities, RecordType.SOA)), "negative answer's SOA" + both);
        });
    }

    private async Task<byte[]> AskTcpAsync(byte[] query)
    {
        using var connection = await TcpDnsConnection.OpenAsync(_resolver.Tcp);
        await connection.SendAsync(query);
        return await connection.ReceiveAsync(RawDns.DefaultWait) ?? throw new AssertionException("no TCP reply");
    }

    /// <summary>Each record as text without its TTL, owner lower-cased (RFC 4343); RDATA as written.</summary>
    private static List<string> RecordSet(IEnumerable<DnsRecord> records) =>
        records.Select(r => r.Name.ToString().ToLowerInvariant() + " " + r.Class + " " + r.Type.ToText() + " " + r.Data.ToText()).ToList();

    private static List<string> Types(IEnumerable<DnsRecord> records, RecordType type) =>
        records.Where(r => r.Type == type).Select(r => r.Name.ToString().ToLowerInvariant()).ToList();
}

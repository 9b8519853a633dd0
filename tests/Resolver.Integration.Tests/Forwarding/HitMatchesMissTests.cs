using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.TestKit.Fakes;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>
/// The reply rules are written once for an answer from upstream and once for the same answer from the cache; the
/// client must not be able to tell them apart. On a clock that does not move (so TTLs are equal), a hit gives exactly
/// the bytes of the miss that filled it, apart from the ID: header bits, OPT, truncation. A cached failure says it is cached (EDE 13).
/// </summary>
public sealed class HitMatchesMissTests : ResolverFixture
{
    private static IEnumerable<TestCaseData> Answers()
    {
        yield return new TestCaseData("www.fwd.test.", RecordType.A, false, false).SetName("Hit_matches_miss_without_edns");
        yield return new TestCaseData("www.fwd.test.", RecordType.AAAA, true, false).SetName("Hit_matches_miss_with_edns");
        yield return new TestCaseData("alias.fwd.test.", RecordType.A, true, true).SetName("Hit_matches_miss_for_a_cname_chain_with_do");
        yield return new TestCaseData("big.fwd.test.", RecordType.TXT, false, false).SetName("Hit_matches_miss_truncated_to_512_without_edns");
        yield return new TestCaseData("big.fwd.test.", RecordType.TXT, true, false).SetName("Hit_matches_miss_truncated_to_the_edns_size");
        yield return new TestCaseData("nothere.fwd.test.", RecordType.A, true, false).SetName("Hit_matches_miss_for_nxdomain");
        yield return new TestCaseData("txtonly.fwd.test.", RecordType.A, false, false).SetName("Hit_matches_miss_for_nodata");
    }

    [TestCaseSource(nameof(Answers))]
    public async Task Cache_hit_gives_the_bytes_of_the_miss_that_filled_it(string name, RecordType type, bool edns, bool dnssecOk)
    {
        await using var resolver = await StartResolverAsync(new ManualClock());
        await AssertHitMatchesMissAsync(resolver, name, type, edns, dnssecOk);
    }

    [Test]
    public async Task Cached_failure_differs_from_the_failure_only_by_saying_it_is_cached()
    {
        Upstream.On("broken.fwd.test.", new NameBehaviour { Rcode = DnsResponseCode.ServFail });
        await using var resolver = await StartResolverAsync(new ManualClock(), ("Forwarder:MaxAttempts", "1"));
        var miss = DnsMessage.Parse(await AskAsync(resolver, "broken.fwd.test.", RecordType.A, edns: true, dnssecOk: false));
        int upstreamQueries = Upstream.QueriesFor("broken.fwd.test.");
        var hit = DnsMessage.Parse(await AskAsync(resolver, "broken.fwd.test.", RecordType.A, edns: true, dnssecOk: false));

        Assert.Multiple(() =>
        {
            Assert.That(Upstream.QueriesFor("broken.fwd.test."), Is.EqualTo(upstreamQueries), "RFC 2308 §7: the failure is cached");
            Assert.That(hit.ToArray().AsSpan(2, 10).ToArray(), Is.EqualTo(miss.ToArray().AsSpan(2, 10).ToArray()), "same header bits and counts");
            Assert.That(hit.Question, Is.EqualTo(miss.Question));
            Assert.That(miss.Edns?.Find<ExtendedErrorOption>()?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.NoReachableAuthority), RawDns.Describe(miss));
            // RFC 8914 §4.14: an error answered from the cache says so, rather than repeating the upstream's reason.
            Assert.That(hit.Edns?.Find<ExtendedErrorOption>()?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.CachedError), RawDns.Describe(hit));
        });
    }

    /// <summary>Asks twice with different IDs; asserts the second reply came from the cache and equals the first but for the ID.</summary>
    private async Task AssertHitMatchesMissAsync(ResolverUnderTest resolver, string name, RecordType type, bool edns, bool dnssecOk)
    {
        byte[] miss = await AskAsync(resolver, name, type, edns, dnssecOk);
        int upstreamQueries = Upstream.QueriesFor(name);
        byte[] hit = await AskAsync(resolver, name, type, edns, dnssecOk);

        Assert.That(Upstream.QueriesFor(name), Is.EqualTo(upstreamQueries), "the second reply came from the cache");
        Assert.That(Convert.ToHexString(hit.AsSpan(2)), Is.EqualTo(Convert.ToHexString(miss.AsSpan(2))),
            $"hit and miss differ:\n miss {RawDns.Describe(DnsMessage.Parse(miss))}\n hit  {RawDns.Describe(DnsMessage.Parse(hit))}");
    }

    private static async Task<byte[]> AskAsync(ResolverUnderTest resolver, string name, RecordType type, bool edns, bool dnssecOk)
    {
        var query = RawDns.Query(name, type, edns, dnssecOk);
        byte[] reply = await RawDns.ExchangeUdpAsync(resolver.Udp, query.ToArray())
            ?? throw new AssertionException($"no reply to {RawDns.Describe(query)}");
        Assert.That(DnsMessage.Parse(reply).Id, Is.EqualTo(query.Id), "the reply carries the query's ID");
        return reply;
    }
}

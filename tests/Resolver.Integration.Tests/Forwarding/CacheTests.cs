using DnsClient;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Fakes;
using DnsResponseCode = Resolver.Protocol.DnsResponseCode;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>The response cache seen from outside: one upstream query per question and TTL, answers aging, negative answers kept.</summary>
public sealed class CacheTests : ResolverFixture
{
    [Test]
    public async Task Repeated_query_is_answered_from_cache_without_upstream_traffic()
    {
        await using var resolver = await StartResolverAsync();
        var client = resolver.Client();

        var first = await client.QueryAsync("www.fwd.test", QueryType.A);
        var second = await client.QueryAsync("www.fwd.test", QueryType.A);

        Assert.Multiple(() =>
        {
            Assert.That(first.Answers.ARecords().Single().Address.ToString(), Is.EqualTo("192.0.2.1"));
            Assert.That(second.Answers.ARecords().Single().Address.ToString(), Is.EqualTo("192.0.2.1"));
            Assert.That(second.Header.HasAuthorityAnswer, Is.False, "cached data is not authoritative");
            Assert.That(second.Header.RecursionAvailable, Is.True);
            Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Cached_ttl_counts_down()
    {
        // The host's clock moves only when told: the answer is exactly 3 s older, however slow the machine.
        var clock = new ManualClock();
        await using var resolver = await StartResolverAsync(clock);

        var first = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);
        clock.Advance(TimeSpan.FromSeconds(3));
        var later = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.That(first.Answers.Single().Ttl, Is.EqualTo(300), RawDns.Describe(first));
        Assert.That(later.Answers.Single().Ttl, Is.EqualTo(297u), "lowered by the seconds spent in the cache: " + RawDns.Describe(later));
        Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(1));
    }

    [Test]
    public async Task Expired_entry_is_fetched_again()
    {
        Upstream.Add("one 1 IN A 192.0.2.7");
        var clock = new ManualClock();
        await using var resolver = await StartResolverAsync(clock, ("Cache:Prefetch", "false"));

        await resolver.AskUdpAsync("one.fwd.test.", RecordType.A);
        var beforeExpiry = await resolver.AskUdpAsync("one.fwd.test.", RecordType.A);
        clock.Advance(TimeSpan.FromSeconds(1));
        var again = await resolver.AskUdpAsync("one.fwd.test.", RecordType.A);

        Assert.That(beforeExpiry.Answers.Single().Ttl, Is.EqualTo(1u), "served from the cache while fresh: " + RawDns.Describe(beforeExpiry));
        Assert.That(again.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.7"), RawDns.Describe(again));
        Assert.That(Upstream.QueriesFor("one.fwd.test."), Is.EqualTo(2), "a TTL 1 answer is not served after it expired");
    }

    [TestCase("nothing.fwd.test.", RecordType.A, DnsResponseCode.NXDomain, TestName = "Nxdomain_is_negative_cached_with_its_soa")]
    [TestCase("txtonly.fwd.test.", RecordType.A, DnsResponseCode.NoError, TestName = "Nodata_is_negative_cached_with_its_soa")]
    public async Task Negative_answer_is_cached_with_its_soa(string name, RecordType type, DnsResponseCode rcode)
    {
        await using var resolver = await StartResolverAsync();

        var first = await resolver.AskUdpAsync(name, type);
        var second = await resolver.AskUdpAsync(name, type);

        Assert.Multiple(() =>
        {
            foreach (var response in new[] { first, second })
            {
                Assert.That(response.ResponseCode, Is.EqualTo(rcode), RawDns.Describe(response));
                Assert.That(response.Answers, Is.Empty);
                var soa = response.Authorities.Where(r => r.Type == RecordType.SOA).ToList();
                Assert.That(soa.Select(r => r.Name.ToString()), Is.EqualTo(new[] { "fwd.test." }), "RFC 2308 §3: SOA in authority");
                Assert.That(soa.Single().Ttl, Is.LessThanOrEqualTo(60u), "RFC 2308 §5: at most the SOA MINIMUM");
            }
            Assert.That(Upstream.QueriesFor(name), Is.EqualTo(1), "the second answer came from the cache");
        });
    }

    [Test]
    public async Task Answer_with_ttl_zero_is_not_cached()
    {
        Upstream.Add("zero 0 IN A 192.0.2.70");
        await using var resolver = await StartResolverAsync();

        await resolver.AskUdpAsync("zero.fwd.test.", RecordType.A);
        var second = await resolver.AskUdpAsync("zero.fwd.test.", RecordType.A);

        Assert.That(second.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.70" }), RawDns.Describe(second));
        Assert.That(Upstream.QueriesFor("zero.fwd.test."), Is.EqualTo(2), "TTL 0: use once, never cache (RFC 1035 §3.2.1)");
    }

    [Test]
    public async Task Our_servfail_is_cached_briefly_and_answered_with_cached_error()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromSeconds(3) });
        await using var resolver = await StartResolverAsync(("Forwarder:OverallDeadline", "00:00:00.500"));

        var first = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(3));
        int asked = Upstream.QueriesFor("www.fwd.test.");
        var second = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(3));

        Assert.Multiple(() =>
        {
            Assert.That(first.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(first));
            Assert.That(second.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(second));
            Assert.That(second.Edns?.Find<Resolver.Protocol.Edns.ExtendedErrorOption>()?.InfoCode,
                Is.EqualTo((ushort)Resolver.Protocol.Edns.ExtendedErrorCode.CachedError), "RFC 8914 EDE 13 Cached Error");
            Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(asked), "RFC 2308 §7: the failing upstream is not asked again at once");
        });
    }

    [Test]
    public async Task Differently_cased_names_share_one_cache_entry_and_keep_their_own_case()
    {
        await using var resolver = await StartResolverAsync();
        var lower = RawDns.Query("alias.fwd.test.", RecordType.A);
        var upper = RawDns.Query("ALIAS.FWD.TEST.", RecordType.A);

        await resolver.AskUdpAsync(lower);
        var cached = await resolver.AskUdpAsync(upper);

        Assert.That(cached.Questions.Single().Name.EqualsExactly(upper.Questions[0].Name), Is.True, RawDns.Describe(cached));
        Assert.That(cached.Answers.Select(r => r.Type), Is.EqualTo(new[] { RecordType.CNAME, RecordType.A }));
        Assert.That(Upstream.QueriesFor("alias.fwd.test."), Is.EqualTo(1), "RFC 4343: one key whatever the case");
    }
}

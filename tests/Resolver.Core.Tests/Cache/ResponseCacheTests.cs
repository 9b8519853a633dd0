using ManualClock = Resolver.TestKit.Fakes.ManualClock;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Pipeline;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Cache;

public class ResponseCacheTests
{
    private static DnsRecord Soa(string zone, uint ttl, uint minimum) =>
        new(DnsName.Parse(zone), RecordType.SOA, RecordClass.IN, ttl,
            new SoaRecordData(DnsName.Parse("ns." + zone), DnsName.Parse("admin." + zone), 1, 3600, 600, 86400, minimum));

    private static FakeReply NxDomain(string zone, uint soaTtl, uint minimum) => FakeReply.Records(q =>
    {
        var message = FakeReply.Answer(q, DnsResponseCode.NXDomain);
        message.Authorities.Add(Soa(zone, soaTtl, minimum));
        return message;
    });

    [Test]
    public async Task Repeated_query_is_answered_from_cache_without_upstream_traffic()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address("192.0.2.7")));
        var first = await resolver.AskAsync("www.example.");
        var second = await resolver.AskAsync("www.example.", id: 0x4321);

        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1), "the second query must not go upstream");
        Assert.That(second.Answers, Has.Count.EqualTo(1));
        Assert.That(((ARecordData)second.Answers[0].Data).Address, Is.EqualTo(IPAddress.Parse("192.0.2.7")));
        Assert.That(second.ResponseCode, Is.EqualTo(first.ResponseCode));
        Assert.That(second.RecursionAvailable && second.IsResponse && !second.AuthoritativeAnswer, Is.True);
    }

    [Test]
    public async Task Ttl_decreases_with_time_spent_in_the_cache()
    {
        var clock = new ManualClock();
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address(ttl: 300)), clock, cache: c => c.Prefetch = false);
        Assert.That((await resolver.AskAsync("a.example.")).Answers[0].Ttl, Is.EqualTo(300));

        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.That((await resolver.AskAsync("a.example.")).Answers[0].Ttl, Is.EqualTo(200));
        clock.Advance(TimeSpan.FromSeconds(199.5));
        Assert.That((await resolver.AskAsync("a.example.")).Answers[0].Ttl, Is.EqualTo(1));
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await resolver.AskAsync("a.example.")).Answers[0].Ttl, Is.EqualTo(300), "expired: asked upstream again");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Cache_hit_keeps_the_second_clients_question_case_and_rewrites_the_id()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()));
        await resolver.AskAsync("www.example.com.", id: 1);
        var query = DnsMessage.CreateQuery(0xBEEF, DnsName.Parse("WwW.ExAmPlE.CoM."), RecordType.A);
        query.CheckingDisabled = false;
        var hit = await resolver.AskAsync(query.ToArray());

        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));
        Assert.That(hit.Id, Is.EqualTo(0xBEEF));
        Assert.That(hit.Questions[0].Name.EqualsExactly(DnsName.Parse("WwW.ExAmPlE.CoM.")), Is.True, hit.Questions[0].Name.ToString());
        Assert.That(hit.RecursionDesired, Is.True);
    }

    [Test]
    public async Task Opt_is_added_to_a_hit_only_when_the_query_had_one()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()));
        var plain = await resolver.AskAsync("a.example.");
        var withEdns = await resolver.AskAsync("a.example.", edns: new EdnsRecord { UdpPayloadSize = 4096 });
        var again = await resolver.AskAsync("a.example.");

        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));
        Assert.That(plain.Edns, Is.Null);
        Assert.That(again.Edns, Is.Null);
        Assert.That(withEdns.Edns, Is.Not.Null);
        Assert.That(withEdns.Edns!.UdpPayloadSize, Is.EqualTo(1232));
        Assert.That(withEdns.Answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Dnssec_ok_and_checking_disabled_queries_are_cached_apart()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()));
        await resolver.AskAsync(ResolverHarness.Query("a.example."));
        await resolver.AskAsync(ResolverHarness.Query("a.example.", edns: new EdnsRecord { DnssecOk = true }));
        await resolver.AskAsync(ResolverHarness.Query("a.example.", checkingDisabled: true));
        await resolver.AskAsync(ResolverHarness.Query("A.EXAMPLE.", edns: new EdnsRecord { DnssecOk = true }));

        Assert.That(resolver.Upstream.Calls, Is.EqualTo(3));
        Assert.That(resolver.Upstream.Log.Count(c => c.Query.DnssecOk), Is.EqualTo(1));
        Assert.That(resolver.Upstream.Log.Count(c => c.Query.CheckingDisabled), Is.EqualTo(1));
    }

    [Test]
    public async Task Negative_answer_is_cached_with_ttl_from_soa_minimum()
    {
        var clock = new ManualClock();
        using var resolver = new ResolverHarness(new FakeExchange(NxDomain("example.", soaTtl: 3600, minimum: 60)), clock, cache: c => c.Prefetch = false);
        var first = await resolver.AskAsync("missing.example.");
        Assert.That(first.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
        Assert.That(first.Authorities.Single().Ttl, Is.EqualTo(60), "RFC 2308 §5: min(SOA TTL, MINIMUM)");

        clock.Advance(TimeSpan.FromSeconds(59));
        var cached = await resolver.AskAsync("missing.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));
        Assert.That(cached.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
        Assert.That(cached.Authorities.Single().Ttl, Is.EqualTo(1));

        clock.Advance(TimeSpan.FromSeconds(1));
        await resolver.AskAsync("missing.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Negative_ttl_is_capped_at_one_hour()
    {
        using var resolver = new ResolverHarness(new FakeExchange(NxDomain("example.", soaTtl: 86400, minimum: 86400)));
        var first = await resolver.AskAsync("missing.example.");
        Assert.That(first.Authorities.Single().Ttl, Is.EqualTo(3600));
    }

    [Test]
    public async Task Server_failure_is_cached_for_five_seconds_and_answered_with_extended_error_cached_error()
    {
        var clock = new ManualClock();
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Code(DnsResponseCode.ServFail)), clock, f => f.MaxAttempts = 2);
        var edns = new EdnsRecord();
        var first = await resolver.AskAsync("broken.example.", edns: edns);
        Assert.That(first.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        int calls = resolver.Upstream.Calls;

        clock.Advance(TimeSpan.FromSeconds(4));
        var cached = await resolver.AskAsync("broken.example.", edns: edns);
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(calls), "RFC 2308 §7: no upstream traffic while the failure is cached");
        Assert.That(cached.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        Assert.That(ResolverHarness.ExtendedError(cached)?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.CachedError));

        clock.Advance(TimeSpan.FromSeconds(1.5));
        await resolver.AskAsync("broken.example.", edns: edns);
        Assert.That(resolver.Upstream.Calls, Is.GreaterThan(calls), "after 5 s upstream is asked again");
    }

    [Test]
    public async Task Stale_answer_is_served_with_ttl_30_and_extended_error_when_upstream_fails()
    {
        var clock = new ManualClock();
        bool broken = false;
        var upstream = new FakeExchange((_, _, _) => broken ? FakeReply.Fail(Client.UpstreamFailureKind.NetworkError) : FakeReply.Address(ttl: 60));
        using var resolver = new ResolverHarness(upstream, clock);
        var edns = new EdnsRecord();
        await resolver.AskAsync("a.example.", edns: edns);

        broken = true;
        clock.Advance(TimeSpan.FromHours(2));
        var stale = await resolver.AskAsync("a.example.", edns: edns);
        Assert.That(stale.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(stale.Answers.Single().Ttl, Is.EqualTo(30), "RFC 8767 §4: stale TTL");
        Assert.That(ResolverHarness.ExtendedError(stale)?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.StaleAnswer));

        // RFC 8767 §5: within the failure recheck window the stale answer comes straight from the cache.
        int calls = upstream.Calls;
        var again = await resolver.AskAsync("a.example.", edns: edns);
        Assert.That(upstream.Calls, Is.EqualTo(calls));
        Assert.That(again.Answers.Single().Ttl, Is.EqualTo(30));

        clock.Advance(TimeSpan.FromDays(1));
        var gone = await resolver.AskAsync("a.example.", edns: edns);
        Assert.That(gone.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), "older than a day: no stale data");
    }

    [Test]
    public async Task Cached_answer_larger_than_the_clients_udp_limit_is_sent_with_tc()
    {
        var upstream = new FakeExchange(FakeReply.Records(q =>
        {
            var records = Enumerable.Range(0, 60).Select(i => new DnsRecord(q.Name, RecordType.A, RecordClass.IN, 300,
                new ARecordData(new IPAddress(new byte[] { 192, 0, 2, (byte)i })))).ToArray();
            return FakeReply.Answer(q, records);
        }));
        using var resolver = new ResolverHarness(upstream);
        var overTcp = await resolver.AskAsync(ResolverHarness.Query("big.example."), overTcp: true);
        Assert.That(overTcp.Answers, Has.Count.EqualTo(60));

        var plainUdp = await resolver.AskAsync(ResolverHarness.Query("big.example.", id: 99));
        Assert.That(plainUdp.Truncated, Is.True, "60 A records exceed 512 bytes");
        Assert.That(plainUdp.Answers, Is.Empty);
        Assert.That(plainUdp.Id, Is.EqualTo(99));
        Assert.That(plainUdp.Questions.Single().Name, Is.EqualTo(DnsName.Parse("big.example.")));

        var ednsUdp = await resolver.AskAsync(ResolverHarness.Query("big.example.", edns: new EdnsRecord { UdpPayloadSize = 4096 }));
        Assert.That(ednsUdp.Truncated, Is.False);
        Assert.That(ednsUdp.Answers, Has.Count.EqualTo(60));
        Assert.That(upstream.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Popular_entry_near_expiry_is_prefetched_in_the_background()
    {
        var clock = new ManualClock();
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address(ttl: 100)), clock);
        await resolver.AskAsync("a.example.");
        clock.Advance(TimeSpan.FromSeconds(95));
        var hit = await resolver.AskAsync("a.example.");
        Assert.That(hit.Answers.Single().Ttl, Is.EqualTo(5), "the client is answered from the cache at once");
        await Eventually.TrueWithinAsync(() => resolver.Upstream.Calls >= 2, TimeSpan.FromSeconds(1));
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2), "the entry was refreshed");
        await Eventually.TrueWithinAsync(async () => (await resolver.AskAsync("a.example.")).Answers.Single().Ttl == 100, TimeSpan.FromSeconds(1));
        Assert.That((await resolver.AskAsync("a.example.")).Answers.Single().Ttl, Is.EqualTo(100));
    }

    [Test]
    public async Task Cache_hit_path_allocates_nothing()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), cache: c => c.Prefetch = false);
        var query = ResolverHarness.Query("www.example.", edns: new EdnsRecord());
        await resolver.AskAsync(query);
        var response = new byte[65535];
        var context = new QueryContext(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
        int length = 0;
        for (int i = 0; i < 100; i++)
            length = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None).Result;

        const int hits = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < hits; i++)
        {
            var pending = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
                Assert.Fail("a cache hit must complete synchronously");
            length = pending.Result;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(length, Is.GreaterThan(0));
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));
        Assert.That(allocated / (double)hits, Is.LessThan(1.0), $"{allocated} bytes over {hits} hits");
    }
}

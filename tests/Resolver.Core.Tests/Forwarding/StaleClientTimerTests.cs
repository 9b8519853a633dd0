using Microsoft.Extensions.Time.Testing;
using System.Net;
using Resolver.Client;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Core.Tests.Cache;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>RFC 8767 §5 client response timer: stale data for the client while a slow refresh goes on.</summary>
public class StaleClientTimerTests
{
    private static readonly IPAddress Old = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress New = IPAddress.Parse("192.0.2.2");

    // Attempt timeouts far above the slow answers, so only the client timer can cut the wait.
    private static void SlowUpstreamAllowed(ForwarderOptions f)
    {
        f.Hedging = false;
        f.MinAttemptTimeout = f.InitialAttemptTimeout = f.MaxAttemptTimeout = TimeSpan.FromSeconds(2);
        f.OverallDeadline = TimeSpan.FromSeconds(3);
    }

    /// <summary>The first call answers <see cref="Old"/> with TTL 10; later calls answer <paramref name="later"/>.</summary>
    private static FakeExchange Upstream(FakeReply later) =>
        new((_, _, index) => index == 0 ? FakeReply.Address(Old.ToString(), ttl: 10) : later);

    private static IPAddress Address(DnsMessage response) => ((ARecordData)response.Answers.Single().Data).Address;

    /// <summary>Fake time for the cache, the forwarder's timers and the upstream's delays alike: each wait is a step the test takes.</summary>
    private static (ResolverHarness Resolver, FakeTimeProvider Clock) Start(FakeExchange upstream, TimeSpan? clientTimer = null,
        Action<ForwarderOptions>? forwarder = null)
    {
        var clock = new FakeTimeProvider();
        upstream.Time = clock;
        var resolver = new ResolverHarness(upstream, clock, forwarder ?? SlowUpstreamAllowed, c =>
        {
            if (clientTimer is TimeSpan timer)
                c.StaleAnswerClientTimeout = timer;
        });
        return (resolver, clock);
    }

    [TestCase(100)]
    [TestCase(0)]
    public async Task Slow_refresh_of_an_expired_entry_answers_stale_at_the_client_timer_then_updates_the_cache(int timerMs)
    {
        var upstream = Upstream(FakeReply.Address(New.ToString(), ttl: 300, delay: TimeSpan.FromMilliseconds(800)));
        var (resolver, clock) = Start(upstream, TimeSpan.FromMilliseconds(timerMs));
        using var _ = resolver;
        var edns = new EdnsRecord();
        await resolver.AskAsync("a.example.", edns: edns);
        clock.Advance(TimeSpan.FromMinutes(1));

        var pending = resolver.AskAsync("a.example.", edns: edns);
        Assert.That(upstream.Calls, Is.EqualTo(2), "the refresh was sent");
        clock.Advance(TimeSpan.FromMilliseconds(timerMs));
        var stale = await pending.WaitAsync(Eventually.Patience);

        Assert.That(Address(stale), Is.EqualTo(Old), "answered at the client timer, 700 ms of clock before the refresh can come back");
        Assert.That(stale.Answers.Single().Ttl, Is.EqualTo(30), "RFC 8767 §4 stale TTL");
        Assert.That(ResolverHarness.ExtendedError(stale)?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.StaleAnswer));

        // The refresh goes on in the background; once it lands the cache answers fresh data.
        clock.Advance(TimeSpan.FromMilliseconds(800 - timerMs));
        DnsMessage latest = stale;
        await Eventually.TrueWithinAsync(async () => !Address(latest = await resolver.AskAsync("a.example.", edns: edns)).Equals(Old),
            Eventually.Patience);
        Assert.That(Address(latest), Is.EqualTo(New), "the background refresh updated the cache");
        Assert.That(ResolverHarness.ExtendedError(latest), Is.Null);
        Assert.That(upstream.Calls, Is.EqualTo(2), "queries during the refresh joined it");
    }

    [Test]
    public async Task Upstream_answer_within_the_client_timer_is_given_fresh()
    {
        Assert.That(new CacheOptions().StaleAnswerClientTimeout, Is.EqualTo(TimeSpan.FromSeconds(1.8)), "RFC 8767 §5 suggests 1.8 s");
        var upstream = Upstream(FakeReply.Address(New.ToString(), delay: TimeSpan.FromMilliseconds(20)));
        var (resolver, clock) = Start(upstream);
        using var _ = resolver;
        await resolver.AskAsync("a.example.");
        clock.Advance(TimeSpan.FromMinutes(1));

        var pending = resolver.AskAsync("a.example.", edns: new EdnsRecord());
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var fresh = await pending.WaitAsync(Eventually.Patience);

        Assert.That(Address(fresh), Is.EqualTo(New));
        Assert.That(ResolverHarness.ExtendedError(fresh), Is.Null);
    }

    [Test]
    public async Task Without_stale_data_the_client_waits_for_the_slow_upstream()
    {
        var upstream = new FakeExchange(FakeReply.Address(New.ToString(), delay: TimeSpan.FromMilliseconds(300)));
        var (resolver, clock) = Start(upstream, TimeSpan.FromMilliseconds(20));
        using var _ = resolver;

        var pending = resolver.AskAsync("a.example.");
        clock.Advance(TimeSpan.FromMilliseconds(290));
        bool answeredEarly = pending.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(10));
        var response = await pending.WaitAsync(Eventually.Patience);

        Assert.That(answeredEarly, Is.False, "past the client timer with nothing stale to give, the client waits");
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(Address(response), Is.EqualTo(New));
    }

    [Test]
    public async Task Refresh_failing_after_the_timer_answered_starts_the_failure_recheck_window()
    {
        var upstream = Upstream(new FakeReply(TimeSpan.FromMilliseconds(300), UpstreamFailureKind.NetworkError, null));
        var (resolver, clock) = Start(upstream, TimeSpan.FromMilliseconds(20), f =>
        {
            SlowUpstreamAllowed(f);
            f.MaxAttempts = 1;
        });
        using var _ = resolver;
        await resolver.AskAsync("a.example.");
        clock.Advance(TimeSpan.FromMinutes(1));
        var pending = resolver.AskAsync("a.example.");
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var stale = await pending.WaitAsync(Eventually.Patience);
        Assert.That(Address(stale), Is.EqualTo(Old));
        clock.Advance(TimeSpan.FromMilliseconds(280));

        // Once the refresh has failed, the cache itself answers stale (synchronously), no upstream query.
        var query = ResolverHarness.Query("a.example.");
        var response = new byte[512];
        var client = new QueryContext(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
        int length = 0;
        bool fromCache = await Eventually.TrueWithinAsync(() =>
        {
            var answer = resolver.Pipeline.HandleAsync(query, response, client, CancellationToken.None);
            return answer.IsCompletedSuccessfully && (length = answer.Result) > 0;
        }, Eventually.Patience);
        Assert.That(fromCache, Is.True, "RFC 8767 §5 failure recheck: the stale answer comes from the cache");
        var held = DnsMessage.Parse(response.AsSpan(0, length));
        Assert.That(Address(held), Is.EqualTo(Old));
        Assert.That(held.Answers.Single().Ttl, Is.EqualTo(30));
        Assert.That(upstream.Calls, Is.EqualTo(2));
    }
}

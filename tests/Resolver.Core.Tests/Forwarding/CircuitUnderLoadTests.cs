using Resolver.Core.Forwarding;
using Resolver.Protocol;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>
/// A batch of queries in flight that times out together is one stall, not a dead upstream: the circuit opens
/// only when the upstream has answered nothing since the failed queries were sent.
/// </summary>
public class CircuitUnderLoadTests
{
    private const int Threshold = 3;
    private const int LostQueries = 6;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(200);

    private static ResolverHarness SoleUpstream() => new(
        new FakeExchange((_, query, _) => query.Name.ToString().StartsWith("lost", StringComparison.Ordinal)
            ? FakeReply.Silence()
            : FakeReply.Address()),
        forwarder: f =>
        {
            f.Hedging = false;
            f.MaxAttempts = 1;
            f.CircuitFailureThreshold = Threshold;
            f.CircuitBreakDuration = TimeSpan.FromMinutes(1);
            f.InitialAttemptTimeout = f.MinAttemptTimeout = f.MaxAttemptTimeout = AttemptTimeout;
        });

    private static UpstreamServer Upstream(ResolverHarness resolver) => resolver.Forwarder.Upstreams.All.Single();

    private static Task<DnsMessage[]> AskLostAsync(ResolverHarness resolver) =>
        Task.WhenAll(Enumerable.Range(0, LostQueries).Select(i => resolver.AskAsync($"lost{i}.example.")));

    [Test]
    public async Task Queries_timing_out_together_while_the_upstream_answers_others_leave_its_circuit_closed()
    {
        using var resolver = SoleUpstream();
        var lost = AskLostAsync(resolver);
        // The answer must come after the lost queries were sent: wait until the upstream has them all.
        Assert.That(await Eventually.TrueWithinAsync(() => resolver.Upstream.Calls >= LostQueries, AttemptTimeout / 2), Is.True,
            "the lost queries reached the upstream well before their timeout");
        var alive = await resolver.AskAsync("alive.example.");
        Assert.That(alive.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));

        var timedOut = await lost;
        Assert.That(timedOut.Select(m => m.ResponseCode), Is.All.EqualTo(DnsResponseCode.ServFail), "the lost queries did time out");
        Assert.That(Upstream(resolver).Circuit, Is.EqualTo(CircuitState.Closed));
        Assert.That(Upstream(resolver).AttemptTimeout, Is.EqualTo(AttemptTimeout), "not backed off: the upstream kept answering");
        var after = await resolver.AskAsync("after.example.");
        Assert.That(after.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), "the next query is forwarded, not failed fast");
    }

    [Test]
    public async Task Queries_timing_out_with_no_answer_since_they_were_sent_open_the_circuit()
    {
        using var resolver = SoleUpstream();
        var alive = await resolver.AskAsync("alive.example.");
        Assert.That(alive.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));

        await AskLostAsync(resolver);
        Assert.That(Upstream(resolver).Circuit, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task A_sole_upstream_whose_circuit_is_open_is_still_asked_and_its_answer_closes_the_circuit()
    {
        using var resolver = SoleUpstream();
        await AskLostAsync(resolver);
        Assert.That(Upstream(resolver).Circuit, Is.EqualTo(CircuitState.Open), "a minute-long break has begun");

        var after = await resolver.AskAsync("after.example.");
        Assert.That(after.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), "not failed fast: the best upstream is tried anyway");
        Assert.That(resolver.Upstream.Log.Count(call => call.Query.Name.ToString() == "after.example."), Is.EqualTo(1));
        Assert.That(Upstream(resolver).Circuit, Is.EqualTo(CircuitState.Closed), "its answer closed the circuit");
    }
}

using ManualClock = Resolver.TestKit.Fakes.ManualClock;
using System.Net;
using Resolver.Client;
using Resolver.Core.Forwarding;
using Resolver.Core.Tests.Cache;
using Resolver.Protocol;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>
/// A half-open circuit lets one probe query at a time through to the recovering upstream while others are
/// available; with no other upstream, every query is still sent to it.
/// </summary>
public class CircuitProbeTests
{
    private const int Threshold = 3;
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private sealed class Scenario : IDisposable
    {
        public volatile FakeReply FirstUpstream = FakeReply.Fail(UpstreamFailureKind.NetworkError);

        public Scenario(params string[] upstreams)
        {
            Upstream = new FakeExchange((server, _, _) =>
                server.Equals(ResolverHarness.Upstream1) ? FirstUpstream : FakeReply.Address("192.0.2.2"));
            Resolver = new ResolverHarness(Upstream, Clock, f =>
            {
                f.Upstreams = [.. upstreams];
                f.Hedging = false;
                f.CircuitFailureThreshold = Threshold;
                f.CircuitBreakDuration = Break;
                // Room for the recovering upstream's slow answers.
                f.InitialAttemptTimeout = f.MaxAttemptTimeout = TimeSpan.FromSeconds(1);
            });
        }

        public ManualClock Clock { get; } = new();
        public FakeExchange Upstream { get; }
        public ResolverHarness Resolver { get; }
        public UpstreamServer First => Resolver.Forwarder.Upstreams.All.Single(u => u.Endpoint.Equals(ResolverHarness.Upstream1));
        public int ProbesAndQueries => Upstream.CallsTo(ResolverHarness.Upstream1);

        /// <summary>Queries to upstream 1 by the time its circuit opened.</summary>
        public int Opened { get; private set; }

        /// <summary>
        /// Network errors open upstream 1's circuit (they do not back off its RTO, so it stays first
        /// in line). A sole upstream gets all of one query's retries.
        /// </summary>
        public async Task OpenFirstCircuitAsync()
        {
            for (int i = 0; i < Threshold && First.Circuit != CircuitState.Open; i++)
                await Resolver.AskAsync($"opening{i}.example.");
            Assert.That(First.Circuit, Is.EqualTo(CircuitState.Open));
            Opened = ProbesAndQueries;
        }

        public async Task WaitForCircuitAsync(CircuitState state)
        {
            // The probe records its outcome (which sets the circuit) before it ends its claim; wait for both,
            // or a query right after could find the claim still held and not probe (seen under CI load).
            await Eventually.TrueWithinAsync(() => First.Circuit == state && !First.IsProbing, TimeSpan.FromSeconds(3));
            Assert.That(First.Circuit, Is.EqualTo(state));
        }

        public Task<DnsMessage[]> AskManyAsync(string prefix, int count) =>
            Task.WhenAll(Enumerable.Range(0, count).Select(i => Resolver.AskAsync($"{prefix}{i}.example.")));

        public void Dispose() => Resolver.Dispose();
    }

    [Test]
    public async Task Half_open_upstream_gets_one_probe_while_concurrent_queries_skip_it()
    {
        using var scenario = new Scenario("127.0.0.1:5301", "127.0.0.1:5302");
        await scenario.OpenFirstCircuitAsync();
        scenario.FirstUpstream = FakeReply.Address(delay: TimeSpan.FromMilliseconds(300));
        scenario.Clock.Advance(Break + TimeSpan.FromSeconds(1));
        Assert.That(scenario.First.Circuit, Is.EqualTo(CircuitState.HalfOpen));

        var answers = await scenario.AskManyAsync("during", 10);

        Assert.That(answers.Select(a => a.ResponseCode), Is.All.EqualTo(DnsResponseCode.NoError), "the others were answered by upstream 2");
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 1), "one probe, not one per query");
        await scenario.WaitForCircuitAsync(CircuitState.Closed);
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 1));
    }

    [Test]
    public async Task Failed_probe_reopens_the_circuit_for_another_break()
    {
        using var scenario = new Scenario("127.0.0.1:5301", "127.0.0.1:5302");
        await scenario.OpenFirstCircuitAsync();
        scenario.Clock.Advance(Break + TimeSpan.FromSeconds(1));

        await scenario.AskManyAsync("probe", 5);
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 1));
        await scenario.WaitForCircuitAsync(CircuitState.Open);

        await scenario.AskManyAsync("after", 5);
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 1), "skipped again for the new break");
        scenario.Clock.Advance(Break + TimeSpan.FromSeconds(1));
        await scenario.AskManyAsync("later", 5);
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 2), "probed once more after it");
    }

    [Test]
    public async Task Sole_upstream_half_open_is_asked_by_every_client_and_its_answer_closes_the_circuit()
    {
        using var scenario = new Scenario("127.0.0.1:5301");
        await scenario.OpenFirstCircuitAsync();
        scenario.FirstUpstream = FakeReply.Address(delay: TimeSpan.FromMilliseconds(300));
        scenario.Clock.Advance(Break + TimeSpan.FromSeconds(1));

        var answers = await scenario.AskManyAsync("during", 5);

        // One query holds the probe; the others find no closed upstream and no probe to claim, and are
        // sent to the best upstream anyway rather than failed: a query never has nothing to try.
        Assert.That(scenario.ProbesAndQueries, Is.EqualTo(scenario.Opened + 5), "every client's query reached the upstream");
        Assert.That(answers.Select(a => a.ResponseCode), Is.All.EqualTo(DnsResponseCode.NoError), "and every client got the answer");
        Assert.That(scenario.First.Circuit, Is.EqualTo(CircuitState.Closed));
    }
}

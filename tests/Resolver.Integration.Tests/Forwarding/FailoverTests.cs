using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Core.Forwarding;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Fakes;
using Resolver.TestKit.Waiting;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>Several upstreams: failover and back, the circuit breaker, coalescing, conditional forwarding.</summary>
public sealed class FailoverTests : ResolverFixture
{
    private const string CorpZone = """
        $ORIGIN corp.example.
        $TTL 300
        @      IN SOA ns.corp.example. hostmaster.corp.example. 1 3600 600 86400 60
        @      IN NS  ns.corp.example.
        ns     IN A   10.1.0.53
        www    IN A   10.1.0.80
        """;

    [Test]
    public async Task Silent_upstream_fails_over_to_the_next_and_back()
    {
        using var second = UpstreamZone.Start();
        Upstream.Add("p1 IN A 192.0.2.11").Add("p2 IN A 192.0.2.12");
        second.Add("p1 IN A 192.0.2.21").Add("p2 IN A 192.0.2.22");
        // No exploration: with both RTTs unknown the configured order holds, so the first upstream is asked first
        // (at the default 5 % the second was sometimes asked first and the first never, failing the test).
        await using var resolver = await ResolverUnderTest.StartAsync(Zones.Path, [Upstream.Address, second.Address],
            ("Forwarder:InitialAttemptTimeout", "00:00:00.200"), ("Forwarder:ExplorationRate", "0"));

        Upstream.Silent = true;
        var clock = Stopwatch.StartNew();
        var fromSecond = await resolver.AskUdpAsync("p1.fwd.test.", RecordType.A);
        var failoverTook = clock.Elapsed;
        Upstream.Silent = false;
        second.Silent = true;
        var fromFirst = await resolver.AskUdpAsync("p2.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(fromSecond.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.21" }), RawDns.Describe(fromSecond));
            Assert.That(failoverTook, Is.LessThan(TimeSpan.FromSeconds(3)), "failover within the deadline");
            Assert.That(Upstream.QueriesFor("p1.fwd.test."), Is.GreaterThanOrEqualTo(1), "the first upstream was tried");
            Assert.That(fromFirst.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.12" }), "back to the first: " + RawDns.Describe(fromFirst));
        });
    }

    [Test]
    public async Task Circuit_breaker_stops_sending_to_a_dead_upstream_while_another_answers_and_probes_it_after_the_break()
    {
        using var second = UpstreamZone.Start();
        for (int i = 0; i < 5; i++)
            second.Add($"open{i} IN A 192.0.2.{20 + i}");
        Upstream.Silent = true;
        // The break is timed on the host's clock, advanced below; attempt timeouts stay real (ManualClock's timers).
        var time = new ManualClock();
        await using var resolver = await ResolverUnderTest.StartOnAsync("127.0.0.1:0", Zones.Path, [Upstream.Address, second.Address], time,
            ("Forwarder:CircuitFailureThreshold", "1"), ("Forwarder:CircuitBreakDuration", "00:00:03"),
            ("Forwarder:InitialAttemptTimeout", "00:00:00.100"), ("Forwarder:MaxAttemptTimeout", "00:00:00.200"),
            ("Forwarder:ExplorationRate", "0"), ("Forwarder:Hedging", "false"));
        var first = resolver.Services.GetRequiredService<ForwarderStage>().Upstreams.All
            .Single(u => u.Endpoint.Equals(Upstream.Server.EndPoint));

        // The first upstream is asked first (configuration order); its timeout opens its circuit.
        await resolver.AskUdpAsync(RawDns.Query("dead.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3));
        int triedWhileClosed = Upstream.TotalQueries;
        var circuitAfterTimeout = first.Circuit;
        var clock = Stopwatch.StartNew();
        var whileOpen = new List<DnsMessage>();
        for (int i = 0; i < 5; i++)
            whileOpen.Add(await resolver.AskUdpAsync(RawDns.Query($"open{i}.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3)));
        var openTook = clock.Elapsed;
        int afterOpen = Upstream.TotalQueries;

        Assert.Multiple(() =>
        {
            Assert.That(triedWhileClosed, Is.EqualTo(1), "the first upstream was tried first");
            Assert.That(circuitAfterTimeout, Is.EqualTo(CircuitState.Open), "its timeout, with nothing answered since, opened its circuit");
            Assert.That(whileOpen.Select(m => m.ResponseCode), Is.All.EqualTo(DnsResponseCode.NoError), "answered by the second");
            Assert.That(afterOpen, Is.EqualTo(triedWhileClosed), "no query is sent to an open circuit while another upstream is closed");
            Assert.That(openTook, Is.LessThan(TimeSpan.FromSeconds(2.5)), "straight to the second, no attempt timeouts on the first");
        });

        // After the break the circuit is half-open: a probe goes to the first upstream, which answers now.
        Upstream.Silent = false;
        time.Advance(TimeSpan.FromSeconds(2.9));
        await resolver.AskUdpAsync(RawDns.Query("early.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3));
        int beforeBreakEnds = Upstream.TotalQueries;
        time.Advance(TimeSpan.FromSeconds(0.2));
        await resolver.AskUdpAsync(RawDns.Query("probe.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3));
        // The probe goes beside the client's query (answered by the second): it may land a moment later.
        bool probed = await Eventually.TrueWithinAsync(() => Upstream.TotalQueries > afterOpen, Eventually.Patience);

        Assert.That(beforeBreakEnds, Is.EqualTo(afterOpen), "not probed before the break is over");
        Assert.That(probed, Is.True, "the first upstream is probed once the break is over");
    }

    [Test]
    public async Task Concurrent_identical_queries_share_one_upstream_query()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromMilliseconds(200) });
        // 200 ms: long enough for all 100 to arrive while the first is in flight; a 2 s attempt timeout
        // so a reply slowed by a busy machine is not retried (a retry is a second query, not a coalescing failure).
        await using var resolver = await StartResolverAsync(("Forwarder:InitialAttemptTimeout", "00:00:02"));
        var queries = Enumerable.Range(0, 100).Select(_ => RawDns.Query("www.fwd.test.", RecordType.A)).ToList();

        var replies = await Task.WhenAll(queries.Select(q => RawDns.ExchangeUdpAsync(resolver.Udp, q.ToArray())));

        Assert.That(replies.Count(r => r is not null), Is.EqualTo(100), "every client answered");
        for (int i = 0; i < queries.Count; i++)
        {
            var reply = RawDns.Parse(replies[i]!);
            Assert.That(reply.Id, Is.EqualTo(queries[i].Id), "each with its own ID");
            Assert.That(reply.Answers, Has.Count.EqualTo(1), RawDns.Describe(reply));
        }
        Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(1),
            "coalesced into one upstream query: " + string.Join("; ", Upstream.QueriesReceived("www.fwd.test.")));
    }

    [Test]
    public async Task Domain_with_its_own_upstream_is_forwarded_there_only()
    {
        using var corp = UpstreamZone.Start(CorpZone, "corp.example.");
        await using var resolver = await StartResolverAsync(("Forwarder:DomainUpstreams:corp.example:0", corp.Address));

        var inCorp = await resolver.AskUdpAsync("www.corp.example.", RecordType.A);
        var elsewhere = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(inCorp.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "10.1.0.80" }), RawDns.Describe(inCorp));
            Assert.That(elsewhere.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }), RawDns.Describe(elsewhere));
            Assert.That(corp.TotalQueries, Is.EqualTo(1), "corp.example. goes to its own upstream");
            Assert.That(Upstream.QueriesFor("www.corp.example."), Is.Zero, "and never to the default one");
            Assert.That(corp.QueriesFor("www.fwd.test."), Is.Zero);
        });
    }

}

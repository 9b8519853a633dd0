using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Core.Forwarding;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>
/// A name whose answer never comes is a fault of that name, not of the upstream: the upstream's other names go
/// on being answered, and even an upstream whose circuit is open is still tried when it is the only one.
/// </summary>
public sealed class PerNameFaultTests : ResolverFixture
{
    private const int HealthyClients = 3;
    private const int HealthyQueriesPerClient = 8;
    private const int FaultyNamesPerKind = 12;

    private static readonly (string Kind, NameBehaviour Behaviour)[] Faults =
    [
        ("silent", new NameBehaviour { DropFirst = int.MaxValue }),
        ("spoofed", new NameBehaviour { FromOtherPortFirst = true, FaultsOnly = true }),
        ("wrongid", new NameBehaviour { WrongIdFirst = true, FaultsOnly = true }),
        ("wrongq", new NameBehaviour { WrongQuestionFirst = true, FaultsOnly = true }),
    ];

    [Test]
    public async Task Names_whose_answers_never_come_do_not_cost_other_names_their_answers()
    {
        foreach (var (kind, behaviour) in Faults)
        {
            for (int i = 0; i < FaultyNamesPerKind; i++)
                Upstream.On($"{kind}{i}.fwd.test.", behaviour);
        }
        for (int client = 0; client < HealthyClients; client++)
        {
            for (int i = 0; i < HealthyQueriesPerClient; i++)
                Upstream.Add($"ok{client}-{i} IN A 192.0.2.{1 + (client * HealthyQueriesPerClient) + i}");
        }
        // A short deadline keeps the test short; the circuit settings are the shipped ones.
        await using var resolver = await StartResolverAsync(("Forwarder:OverallDeadline", "00:00:01.500"));
        // Warm up: the upstream's RTT is known (so attempts time out after ~100 ms, as on a real site).
        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        using var stop = new CancellationTokenSource();
        var faulty = Faults.Select(fault => AskFaultyNamesAsync(resolver, fault.Kind, stop.Token)).ToList();
        var healthy = Enumerable.Range(0, HealthyClients).Select(client => AskHealthyNamesAsync(resolver, client)).ToList();
        var healthyReplies = (await Task.WhenAll(healthy)).SelectMany(r => r).ToList();
        await stop.CancelAsync();
        var faultyReplies = (await Task.WhenAll(faulty)).SelectMany(r => r).ToList();

        var failed = healthyReplies.Where(r => r.Reply.ResponseCode != DnsResponseCode.NoError || r.Reply.Answers.Count != 1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Empty, "healthy names must keep their answers while other names fail: "
                + string.Join("; ", failed.Select(f => $"{f.Name} after {f.Took.TotalMilliseconds:0} ms: {RawDns.Describe(f.Reply)}")));
            Assert.That(faultyReplies, Is.Not.Empty, "the faulty names were asked meanwhile");
            Assert.That(faultyReplies.Select(r => r.Reply.ResponseCode), Is.All.EqualTo(DnsResponseCode.ServFail),
                "and the faulty names themselves fail");
            Assert.That(faultyReplies.Max(r => r.Took), Is.LessThan(TimeSpan.FromSeconds(3)), "within the deadline");
        });
    }

    [Test]
    public async Task Sole_upstream_with_an_open_circuit_is_still_tried_and_answers_at_once_when_it_recovers()
    {
        Upstream.Silent = true;
        await using var resolver = await StartResolverAsync(
            ("Forwarder:CircuitFailureThreshold", "2"), ("Forwarder:CircuitBreakDuration", "00:01:00"),
            ("Forwarder:InitialAttemptTimeout", "00:00:00.100"), ("Forwarder:MaxAttemptTimeout", "00:00:00.200"),
            ("Forwarder:OverallDeadline", "00:00:01"));
        var dead = await resolver.AskUdpAsync(RawDns.Query("dead.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3));
        var server = resolver.Services.GetRequiredService<ForwarderStage>().Upstreams.All.Single();
        Assert.That(server.Circuit, Is.EqualTo(CircuitState.Open), "the dead upstream's circuit opened");

        Upstream.Silent = false;
        int before = Upstream.TotalQueries;
        var clock = Stopwatch.StartNew();
        var answer = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A), TimeSpan.FromSeconds(3));
        var took = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(dead.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(dead));
            Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError),
                "with every circuit open the best upstream is tried anyway (a minute before the break ends): " + RawDns.Describe(answer));
            Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }));
            Assert.That(Upstream.TotalQueries, Is.EqualTo(before + 1), "one query, to the recovered upstream: " + Upstream.Arrivals);
            Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(1)), "answered when the upstream answered");
            Assert.That(server.Circuit, Is.EqualTo(CircuitState.Closed), "its answer closed the circuit");
        });
    }

    /// <summary>One client asking the names of one fault kind one after another until stopped.</summary>
    private static async Task<List<ClientReply>> AskFaultyNamesAsync(ResolverUnderTest resolver, string kind, CancellationToken stop)
    {
        var replies = new List<ClientReply>();
        for (int i = 0; !stop.IsCancellationRequested; i = (i + 1) % FaultyNamesPerKind)
            replies.Add(await AskAsync(resolver, $"{kind}{i}.fwd.test."));
        return replies;
    }

    /// <summary>
    /// One client asking new names at a site's pace (most of a real site's queries are cache hits, so the upstream
    /// hears from us only now and then): gaps long enough for a few timeouts of faulty names to pile up unanswered.
    /// </summary>
    private static async Task<List<ClientReply>> AskHealthyNamesAsync(ResolverUnderTest resolver, int client)
    {
        var replies = new List<ClientReply>();
        for (int i = 0; i < HealthyQueriesPerClient; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            replies.Add(await AskAsync(resolver, $"ok{client}-{i}.fwd.test."));
        }
        return replies;
    }

    private static async Task<ClientReply> AskAsync(ResolverUnderTest resolver, string name)
    {
        var clock = Stopwatch.StartNew();
        var reply = await resolver.AskUdpAsync(RawDns.Query(name, RecordType.A), TimeSpan.FromSeconds(5));
        return new ClientReply(name, reply, clock.Elapsed);
    }

    private sealed record ClientReply(string Name, DnsMessage Reply, TimeSpan Took);
}

using System.Net;
using Resolver.Core.Admission;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.StageQuery;

namespace Resolver.Core.Tests.Admission;

public class RateLimitStageTests
{
    private const int Queries = 20;

    // One query a second with a burst of 3: 20 queries sent at once can pass at most 3 plus one per
    // second elapsed, so the test holds on a slow machine unless sending 20 queries takes 16 s.
    private static RateLimitOptions Tight(RateLimitAction action = RateLimitAction.Drop) =>
        new() { QueriesPerSecond = 1, Burst = 3, Action = action };

    private static IPEndPoint Client(string address) => new(IPAddress.Parse(address), 5353);

    private static int[] Send(RateLimitStage stage, IPEndPoint client, int count)
    {
        var results = new int[count];
        for (int i = 0; i < count; i++)
            results[i] = Run(stage, Packet("example.com."), out _, client);
        return results;
    }

    private static int CountOf(int[] results, int value) => Array.FindAll(results, r => r == value).Length;

    [Test]
    public void Client_over_its_rate_is_dropped_while_another_client_is_still_served()
    {
        using var metrics = new AdmissionMetrics();
        var counts = AccessControlStageTests.Listen(metrics);
        using var stage = new RateLimitStage(Tight(), metrics);

        var flood = Send(stage, Client("192.0.2.1"), Queries);
        Assert.That(flood[..3], Is.All.EqualTo(StageResult.Pass), "the burst passes");
        Assert.That(CountOf(flood, StageResult.Drop), Is.GreaterThanOrEqualTo(Queries - 3 - 15), string.Join(",", flood));
        Assert.That(flood[^1], Is.EqualTo(StageResult.Drop));

        Assert.That(Run(stage, Packet("example.com."), out _, Client("192.0.2.2")), Is.EqualTo(StageResult.Pass), "another client is not limited");
        Assert.That(counts["resolver.admission.dropped"], Is.EqualTo(CountOf(flood, StageResult.Drop)));
    }

    [Test]
    public void Client_over_its_rate_is_refused_when_the_action_is_refuse()
    {
        using var stage = new RateLimitStage(Tight(RateLimitAction.Refuse), new AdmissionMetrics());
        Send(stage, Client("2001:db8::7"), Queries);
        var response = Answer(stage, Packet("example.com."), Client("2001:db8::7"));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), Show(response));
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.53")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void Loopback_is_exempt_by_default(string address)
    {
        using var stage = new RateLimitStage(Tight(), new AdmissionMetrics());
        Assert.That(Send(stage, Client(address), Queries), Is.All.EqualTo(StageResult.Pass));
        Assert.That(stage.TrackedClients, Is.Zero);
    }

    [Test]
    public void Loopback_is_limited_when_not_exempt()
    {
        var options = Tight();
        options.ExemptLoopback = false;
        using var stage = new RateLimitStage(options, new AdmissionMetrics());
        Assert.That(Send(stage, Client("127.0.0.1"), Queries)[^1], Is.EqualTo(StageResult.Drop));
    }

    [Test]
    public void Ipv4_mapped_client_shares_the_bucket_of_its_ipv4_address()
    {
        using var stage = new RateLimitStage(Tight(), new AdmissionMetrics());
        Send(stage, Client("192.0.2.9"), Queries);
        Assert.That(Run(stage, Packet("example.com."), out _, Client("::ffff:192.0.2.9")), Is.EqualTo(StageResult.Drop));
        Assert.That(stage.TrackedClients, Is.EqualTo(1));
    }

    [Test]
    public void Tracked_clients_are_capped_and_new_ones_past_the_cap_share_one_bucket()
    {
        var options = Tight();
        options.MaxTrackedClients = 2;
        using var stage = new RateLimitStage(options, new AdmissionMetrics());
        for (int i = 1; i <= 10; i++)
            Run(stage, Packet("example.com."), out _, Client("198.51.100." + i));
        Assert.That(stage.TrackedClients, Is.EqualTo(2));
        Assert.That(Run(stage, Packet("example.com."), out _, Client("198.51.100.1")), Is.EqualTo(StageResult.Pass), "tracked client keeps its own bucket");
        Assert.That(Run(stage, Packet("example.com."), out _, Client("198.51.100.50")), Is.EqualTo(StageResult.Drop),
            "8 untracked clients emptied the shared burst of 3");
    }

    [Test]
    public void Idle_client_is_forgotten_by_the_sweep_and_a_busy_one_is_kept()
    {
        using var stage = new RateLimitStage(new RateLimitOptions { QueriesPerSecond = 1000, Burst = 3, IdleSeconds = 1 }, new AdmissionMetrics());
        Run(stage, Packet("example.com."), out _, Client("192.0.2.30"));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "used just now");
        Thread.Sleep(1100);
        Run(stage, Packet("example.com."), out _, Client("192.0.2.31"));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "only the client quiet for over a second is forgotten");
    }

    [Test]
    public void Known_client_under_its_rate_costs_no_allocation()
    {
        using var stage = new RateLimitStage(new RateLimitOptions { QueriesPerSecond = 1_000_000, Burst = 1_000_000 }, new AdmissionMetrics());
        var request = Request(Packet("example.com."), Client("192.0.2.77"));
        var buffer = new byte[512];
        stage.AnswerAsync(request, buffer, default);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            stage.AnswerAsync(request, buffer, default);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Invalid_settings_are_rejected_with_their_names()
    {
        var errors = new RateLimitOptions { QueriesPerSecond = 0, Burst = -1 }.Validate();
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0], Does.Contain("Resolver:RateLimit:QueriesPerSecond"));
        Assert.Throws<ArgumentException>(() => new RateLimitStage(new RateLimitOptions { Burst = 0 }, new AdmissionMetrics()));
    }
}

using System.Net;
using Microsoft.Extensions.Time.Testing;
using Resolver.Core.Admission;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.StageQuery;

namespace Resolver.Core.Tests.Admission;

public class RateLimitStageTests
{
    private const int Queries = 20;

    // One query a second with a burst of 3. The stage runs on a fake clock that moves only when a test
    // advances it, so exactly 3 of 20 queries pass however slow the machine, and a refill is a step, not a sleep.
    private static RateLimitOptions Tight(RateLimitAction action = RateLimitAction.Drop) =>
        new() { QueriesPerSecond = 1, Burst = 3, Action = action };

    private readonly FakeTimeProvider _clock = new();

    private RateLimitStage Stage(RateLimitOptions options, AdmissionMetrics? metrics = null) =>
        new(options, metrics ?? new AdmissionMetrics(), _clock);

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
        using var stage = Stage(Tight(), metrics);

        var flood = Send(stage, Client("192.0.2.1"), Queries);
        Assert.That(flood[..3], Is.All.EqualTo(StageResult.Pass), "the burst passes");
        Assert.That(flood[3..], Is.All.EqualTo(StageResult.Drop), string.Join(",", flood));

        Assert.That(Run(stage, Packet("example.com."), out _, Client("192.0.2.2")), Is.EqualTo(StageResult.Pass), "another client is not limited");
        Assert.That(counts["resolver.admission.dropped"], Is.EqualTo(CountOf(flood, StageResult.Drop)));
    }

    [Test]
    public void Client_over_its_rate_is_refused_when_the_action_is_refuse()
    {
        using var stage = Stage(Tight(RateLimitAction.Refuse));
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
        using var stage = Stage(Tight());
        Assert.That(Send(stage, Client(address), Queries), Is.All.EqualTo(StageResult.Pass));
        Assert.That(stage.TrackedClients, Is.Zero);
    }

    [Test]
    public void Loopback_is_limited_when_not_exempt()
    {
        var options = Tight();
        options.ExemptLoopback = false;
        using var stage = Stage(options);
        Assert.That(Send(stage, Client("127.0.0.1"), Queries)[^1], Is.EqualTo(StageResult.Drop));
    }

    [Test]
    public void Ipv4_mapped_client_shares_the_bucket_of_its_ipv4_address()
    {
        using var stage = Stage(Tight());
        Send(stage, Client("192.0.2.9"), Queries);
        Assert.That(Run(stage, Packet("example.com."), out _, Client("::ffff:192.0.2.9")), Is.EqualTo(StageResult.Drop));
        Assert.That(stage.TrackedClients, Is.EqualTo(1));
    }

    [Test]
    public void Tracked_clients_are_capped_and_new_ones_past_the_cap_share_one_bucket()
    {
        var options = Tight();
        options.MaxTrackedClients = 2;
        using var stage = Stage(options);
        for (int i = 1; i <= 10; i++)
            Run(stage, Packet("example.com."), out _, Client("198.51.100." + i));
        Assert.That(stage.TrackedClients, Is.EqualTo(2));
        Assert.That(Run(stage, Packet("example.com."), out _, Client("198.51.100.1")), Is.EqualTo(StageResult.Pass), "tracked client keeps its own bucket");
        Assert.That(Run(stage, Packet("example.com."), out _, Client("198.51.100.50")), Is.EqualTo(StageResult.Drop),
            "8 untracked clients emptied the shared burst of 3");
    }

    [Test]
    public void Empty_bucket_refills_at_the_rate_as_time_passes_and_holds_no_more_than_the_burst()
    {
        using var stage = Stage(Tight());
        var client = Client("192.0.2.20");
        Send(stage, client, Queries);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(Run(stage, Packet("example.com."), out _, client), Is.EqualTo(StageResult.Drop), "no token before a second has passed");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(Send(stage, client, 2), Is.EqualTo(new[] { StageResult.Pass, StageResult.Drop }), "one token a second");

        _clock.Advance(TimeSpan.FromMinutes(1));
        var afterQuiet = Send(stage, client, Queries);
        Assert.That(CountOf(afterQuiet, StageResult.Pass), Is.EqualTo(3), "a quiet minute refills the bucket to its burst, no further");
    }

    [Test]
    public void Dropped_queries_cost_no_tokens()
    {
        using var stage = Stage(Tight());
        var client = Client("192.0.2.21");
        Send(stage, client, 3);
        for (int second = 0; second < 5; second++)
        {
            Send(stage, client, Queries);
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.That(Run(stage, Packet("example.com."), out _, client), Is.EqualTo(StageResult.Pass),
                $"second {second}: the refilled token is there however many queries were turned away before it");
        }
    }

    [Test]
    public void Idle_client_is_forgotten_by_the_sweep_and_a_busy_one_is_kept()
    {
        using var stage = Stage(new RateLimitOptions { QueriesPerSecond = 1000, Burst = 3, IdleSeconds = 1 });
        Run(stage, Packet("example.com."), out _, Client("192.0.2.30"));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "used just now");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Run(stage, Packet("example.com."), out _, Client("192.0.2.31"));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "only the client quiet for a second is forgotten");
    }

    [Test]
    public void Client_whose_bucket_is_still_refilling_is_not_forgotten()
    {
        using var stage = Stage(new RateLimitOptions { QueriesPerSecond = 1, Burst = 10, IdleSeconds = 2 });
        Send(stage, Client("192.0.2.32"), 10);
        _clock.Advance(TimeSpan.FromSeconds(5));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "quiet for 5 s but 5 tokens short: forgetting it would give it a full burst");
        _clock.Advance(TimeSpan.FromSeconds(5));
        stage.Sweep();
        Assert.That(stage.TrackedClients, Is.Zero, "full again and quiet: forgotten");
    }

    [Test]
    public void Sweep_timer_runs_on_the_stage_clock()
    {
        using var stage = Stage(new RateLimitOptions { QueriesPerSecond = 1000, Burst = 3, IdleSeconds = 4 });
        Run(stage, Packet("example.com."), out _, Client("192.0.2.33"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(stage.TrackedClients, Is.EqualTo(1), "the timer swept at 2 s, before the client was idle for 4 s");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(stage.TrackedClients, Is.Zero, "the timer, every half idle time, forgot the client at 4 s");
    }

    // The host's own clock here, not the fake: this is the path every query takes in production.
    [TestCase(1_000_000, TestName = "Known_client_under_its_rate_costs_no_allocation")]
    [TestCase(1, TestName = "Known_client_over_its_rate_costs_no_allocation")]
    public void Known_client_costs_no_allocation(int burst)
    {
        using var stage = new RateLimitStage(new RateLimitOptions { QueriesPerSecond = 1, Burst = burst }, new AdmissionMetrics(), TimeProvider.System);
        var request = Request(Packet("example.com."), Client("192.0.2.77"));
        var buffer = new byte[512];
        stage.AnswerAsync(request, buffer, default);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            stage.AnswerAsync(request, buffer, default);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Queries_of_one_client_from_many_threads_share_its_burst_exactly()
    {
        const int Burst = 5000;
        using var stage = Stage(new RateLimitOptions { QueriesPerSecond = 1, Burst = Burst });
        var client = IPAddress.Parse("192.0.2.78");
        int passed = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (int i = 0; i < Burst; i++)
            {
                if (stage.Admit(client) == AdmissionVerdict.Admit)
                    Interlocked.Increment(ref passed);
            }
        });
        Assert.That(passed, Is.EqualTo(Burst), "the clock stood still: not one token more or less than the burst");
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

using ManualClock = Resolver.TestKit.Fakes.ManualClock;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Resolver.Client;
using Resolver.Core.Forwarding;
using Resolver.Core.Tests.Cache;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Forwarding;

public class ForwarderStageTests
{
    private static readonly string[] TwoUpstreams = ["127.0.0.1:5301", "127.0.0.1:5302"];

    private static FakeReply FirstFailsWith(IPEndPoint server, FakeReply failure) =>
        server.Equals(ResolverHarness.Upstream1) ? failure : FakeReply.Address("192.0.2.2");

    public static IEnumerable<TestCaseData> FailuresThatMoveOn()
    {
        yield return new TestCaseData(FakeReply.Silence()).SetName("Retry_moves_to_the_next_upstream_on_timeout");
        yield return new TestCaseData(FakeReply.Code(DnsResponseCode.ServFail)).SetName("Retry_moves_to_the_next_upstream_on_servfail");
        yield return new TestCaseData(FakeReply.Code(DnsResponseCode.Refused)).SetName("Retry_moves_to_the_next_upstream_on_refused");
        yield return new TestCaseData(FakeReply.Fail(UpstreamFailureKind.NetworkError)).SetName("Retry_moves_to_the_next_upstream_on_network_error");
    }

    [TestCaseSource(nameof(FailuresThatMoveOn))]
    public async Task Retry_moves_to_the_next_upstream(FakeReply failure)
    {
        var upstream = new FakeExchange((server, _, _) => FirstFailsWith(server, failure));
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.Upstreams = [.. TwoUpstreams];
            f.Hedging = false;
            f.InitialAttemptTimeout = TimeSpan.FromMilliseconds(100);
        });
        var response = await resolver.AskAsync("a.example.");

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(((ARecordData)response.Answers.Single().Data).Address, Is.EqualTo(IPAddress.Parse("192.0.2.2")));
        Assert.That(upstream.CallsTo(ResolverHarness.Upstream1), Is.EqualTo(1));
        Assert.That(upstream.CallsTo(ResolverHarness.Upstream2), Is.EqualTo(1));
    }

    [Test]
    public async Task Max_attempts_of_one_sends_a_single_query_and_no_retry()
    {
        var upstream = new FakeExchange(FakeReply.Fail(UpstreamFailureKind.NetworkError));
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.Upstreams = [.. TwoUpstreams];
            f.MaxAttempts = 1;
        });
        var response = await resolver.AskAsync("a.example.");

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        Assert.That(upstream.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task The_last_attempt_waits_for_the_rest_of_the_deadline_so_a_slow_answer_is_taken_not_a_servfail()
    {
        // Two attempts of one 50 ms RTO each would give up at about 100 ms; the answer takes 400 ms, inside the 3 s
        // deadline (a burst queued at a healthy upstream looks like this).
        var upstream = new FakeExchange(FakeReply.Address(delay: TimeSpan.FromMilliseconds(400)));
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.MaxAttempts = 2;
            f.InitialAttemptTimeout = TimeSpan.FromMilliseconds(50);
            f.MinAttemptTimeout = TimeSpan.FromMilliseconds(50);
        });

        var response = await resolver.AskAsync("slow.example.");

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), "the answer, not SERVFAIL before the deadline");
        Assert.That(upstream.Calls, Is.EqualTo(2), "the first attempt still gave up at its RTO and was retried");
    }

    [Test]
    public async Task Sole_upstream_is_asked_again_after_a_pause_when_it_failed_at_once_and_its_answer_is_used()
    {
        // A burst can run the host out of sockets for a moment: an immediate retry would fail the same way.
        var calls = new ConcurrentQueue<long>();
        var upstream = new FakeExchange((_, _, _) =>
        {
            calls.Enqueue(Stopwatch.GetTimestamp());
            return calls.Count == 1 ? FakeReply.Fail(UpstreamFailureKind.NetworkError) : FakeReply.Address();
        });
        using var resolver = new ResolverHarness(upstream);

        var response = await resolver.AskAsync("a.example.");

        var times = calls.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
            Assert.That(times, Has.Length.EqualTo(2));
            Assert.That(Stopwatch.GetElapsedTime(times[0], times[1]), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(20)),
                "paused before asking the same upstream again");
        });
    }

    [Test]
    public async Task Deadline_passing_without_stale_data_gives_servfail_with_extended_error()
    {
        var upstream = new FakeExchange(FakeReply.Silence());
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.Upstreams = [.. TwoUpstreams];
            f.OverallDeadline = TimeSpan.FromMilliseconds(300);
            f.InitialAttemptTimeout = TimeSpan.FromSeconds(1);
        });
        var watch = Stopwatch.StartNew();
        var response = await resolver.AskAsync("slow.example.", edns: new EdnsRecord());
        watch.Stop();

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        var error = ResolverHarness.ExtendedError(response);
        Assert.That(error?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.NoReachableAuthority), error?.ToString());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2.5)), "the deadline, not the 1 s attempt timeouts, decides");
    }

    [Test]
    public async Task Network_errors_give_servfail_with_extended_error_network_error_and_none_without_edns()
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Fail(UpstreamFailureKind.NetworkError)), forwarder: f => f.MaxAttempts = 2);
        var response = await resolver.AskAsync("a.example.", edns: new EdnsRecord());
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        Assert.That(ResolverHarness.ExtendedError(response)?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.NetworkError));

        var plain = await resolver.AskAsync("b.example.");
        Assert.That(plain.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
        Assert.That(plain.Edns, Is.Null, "no OPT for a client that sent none");
    }

    [Test]
    public async Task Stale_answer_is_served_when_the_deadline_passes()
    {
        var clock = new ManualClock();
        bool silent = false;
        var upstream = new FakeExchange((_, _, _) => silent ? FakeReply.Silence() : FakeReply.Address(ttl: 10));
        using var resolver = new ResolverHarness(upstream, clock, f =>
        {
            f.OverallDeadline = TimeSpan.FromMilliseconds(200);
            f.InitialAttemptTimeout = TimeSpan.FromSeconds(1);
        });
        await resolver.AskAsync("a.example.");
        silent = true;
        clock.Advance(TimeSpan.FromMinutes(5));
        var stale = await resolver.AskAsync("a.example.", edns: new EdnsRecord());

        Assert.That(stale.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(stale.Answers.Single().Ttl, Is.EqualTo(30));
        Assert.That(ResolverHarness.ExtendedError(stale)?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.StaleAnswer));
    }

    [Test]
    public async Task Circuit_breaker_skips_a_failing_upstream_then_probes_it_again()
    {
        var clock = new ManualClock();
        bool firstBroken = true;
        var upstream = new FakeExchange((server, _, _) =>
            server.Equals(ResolverHarness.Upstream1) && firstBroken ? FakeReply.Fail(UpstreamFailureKind.NetworkError) : FakeReply.Address());
        using var resolver = new ResolverHarness(upstream, clock, f =>
        {
            f.Upstreams = [.. TwoUpstreams];
            f.Hedging = false;
            f.CircuitFailureThreshold = 3;
            f.CircuitBreakDuration = TimeSpan.FromSeconds(30);
        });
        // Network errors do not back off the RTO, so upstream 1 stays first in line while its circuit is closed.
        for (int i = 0; i < 3; i++)
            await resolver.AskAsync($"q{i}.example.");
        Assert.That(upstream.CallsTo(ResolverHarness.Upstream1), Is.EqualTo(3));
        var first = resolver.Forwarder.Upstreams.All.Single(u => u.Endpoint.Equals(ResolverHarness.Upstream1));
        Assert.That(first.Circuit, Is.EqualTo(CircuitState.Open));

        for (int i = 3; i < 10; i++)
            Assert.That((await resolver.AskAsync($"q{i}.example.")).ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(upstream.CallsTo(ResolverHarness.Upstream1), Is.EqualTo(3), "open circuit: skipped");

        firstBroken = false;
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That(first.Circuit, Is.EqualTo(CircuitState.HalfOpen));
        await resolver.AskAsync("probe.example.");
        Assert.That(upstream.CallsTo(ResolverHarness.Upstream1), Is.EqualTo(4), "re-probed after the pause");
        // The probe runs beside the client's query (answered by upstream 2): wait for it to land.
        await Eventually.TrueWithinAsync(() => first.Circuit == CircuitState.Closed, TimeSpan.FromSeconds(1));
        Assert.That(first.Circuit, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task Conditional_forwarding_picks_the_longest_matching_suffix()
    {
        var upstream = new FakeExchange(FakeReply.Address());
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.Upstreams = ["127.0.0.1:5301"];
            f.DomainUpstreams = new(StringComparer.OrdinalIgnoreCase)
            {
                ["example"] = ["127.0.0.1:5302"],
                ["corp.example."] = ["127.0.0.1:5303"],
            };
        });
        await resolver.AskAsync("host.CORP.example.");
        Assert.That(upstream.Log.Last().Server, Is.EqualTo(ResolverHarness.Upstream3));
        await resolver.AskAsync("corp.example.");
        Assert.That(upstream.Log.Last().Server, Is.EqualTo(ResolverHarness.Upstream3));
        await resolver.AskAsync("www.example.");
        Assert.That(upstream.Log.Last().Server, Is.EqualTo(ResolverHarness.Upstream2));
        await resolver.AskAsync("notcorp.example.");
        Assert.That(upstream.Log.Last().Server, Is.EqualTo(ResolverHarness.Upstream2));
        await resolver.AskAsync("www.example.org.");
        Assert.That(upstream.Log.Last().Server, Is.EqualTo(ResolverHarness.Upstream1));
    }

    [Test]
    public async Task Name_outside_every_conditional_domain_is_passed_on_when_there_is_no_default_upstream()
    {
        var upstream = new FakeExchange(FakeReply.Address());
        using var resolver = new ResolverHarness(upstream, forwarder: f =>
        {
            f.Upstreams = [];
            f.DomainUpstreams = new() { ["corp.example"] = ["127.0.0.1:5303"] };
        });
        Assert.That((await resolver.AskAsync("www.example.org.")).ResponseCode, Is.EqualTo(DnsResponseCode.Refused));
        Assert.That((await resolver.AskAsync("a.corp.example.")).ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(upstream.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Twenty_concurrent_identical_queries_make_one_upstream_call()
    {
        var upstream = new FakeExchange(FakeReply.Address(delay: TimeSpan.FromMilliseconds(200)));
        using var resolver = new ResolverHarness(upstream);
        var names = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "www.example." : "WWW.Example.").ToArray();
        var answers = await Task.WhenAll(names.Select((name, i) => resolver.AskAsync(name, id: (ushort)(100 + i))));

        Assert.That(upstream.Calls, Is.EqualTo(1));
        for (int i = 0; i < answers.Length; i++)
        {
            Assert.That(answers[i].Id, Is.EqualTo(100 + i));
            Assert.That(answers[i].Questions[0].Name.EqualsExactly(DnsName.Parse(names[i])), Is.True, answers[i].Questions[0].Name.ToString());
            Assert.That(answers[i].Answers, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Unrelated_additional_records_are_dropped_and_out_of_chain_answer_records_are_not_cached()
    {
        static DnsRecord A(string name, string address) =>
            new(DnsName.Parse(name), RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse(address)));
        var upstream = new FakeExchange((_, query, _) => FakeReply.Records(q =>
        {
            if (q.Name != DnsName.Parse("www.example."))
                return FakeReply.Answer(q, A(q.Name.ToString(), "192.0.2.99"));
            var message = FakeReply.Answer(q,
                new DnsRecord(q.Name, RecordType.CNAME, RecordClass.IN, 300, new NameRecordData(RecordType.CNAME, DnsName.Parse("web.example."))),
                A("web.example.", "192.0.2.10"),
                A("bank.test.", "203.0.113.66"));
            message.Authorities.Add(new DnsRecord(DnsName.Parse("example."), RecordType.NS, RecordClass.IN, 300, new NameRecordData(RecordType.NS, DnsName.Parse("ns.example."))));
            message.Additionals.Add(A("ns.example.", "192.0.2.53"));
            message.Additionals.Add(A("bank.test.", "203.0.113.67"));
            return message;
        }));
        using var resolver = new ResolverHarness(upstream);
        var first = await resolver.AskAsync("www.example.");
        var cached = await resolver.AskAsync("www.example.");

        foreach (var response in new[] { first, cached })
        {
            Assert.That(response.Answers.Select(r => r.Name.ToString()), Is.EqualTo(new[] { "www.example.", "web.example." }), string.Join("\n", response.Answers));
            Assert.That(response.Authorities, Is.Empty, "the NS of a referral is not needed for a recursive answer");
            Assert.That(response.Additionals, Is.Empty, string.Join("\n", response.Additionals));
        }
        Assert.That(upstream.Calls, Is.EqualTo(1));
        var outOfChain = await resolver.AskAsync("bank.test.");
        Assert.That(upstream.Calls, Is.EqualTo(2), "bank.test was never cached from the www.example answer");
        Assert.That(((ARecordData)outOfChain.Answers.Single().Data).Address, Is.EqualTo(IPAddress.Parse("192.0.2.99")));
    }

    [Test]
    public async Task Hedging_lowers_tail_latency_when_an_upstream_is_slow()
    {
        // Each upstream answers in about a millisecond, except every 8th query it gets, which takes 300 ms.
        static FakeExchange Upstreams() => new((_, _, index) =>
            FakeReply.Address(delay: index % 8 == 7 ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromMilliseconds(1)));
        void Configure(ForwarderOptions f, bool hedging)
        {
            f.Upstreams = [.. TwoUpstreams];
            f.Hedging = hedging;
            // Attempt timeouts far above the slow answer, so only hedging can cut the tail.
            f.MinAttemptTimeout = f.InitialAttemptTimeout = TimeSpan.FromSeconds(1);
            f.MaxAttemptTimeout = TimeSpan.FromSeconds(2);
        }

        var withoutHedging = await MeasureAsync(new ResolverHarness(Upstreams(), forwarder: f => Configure(f, false)));
        var withHedging = await MeasureAsync(new ResolverHarness(Upstreams(), forwarder: f => Configure(f, true)));

        TestContext.Out.WriteLine($"p95 without hedging {withoutHedging.P95} ms, with {withHedging.P95} ms; max {withoutHedging.Max} / {withHedging.Max} ms");
        Assert.That(withoutHedging.P95, Is.GreaterThan(250), "without hedging the slow answers show in p95");
        Assert.That(withHedging.P95 * 3, Is.LessThan(withoutHedging.P95));
    }

    private static async Task<(double P95, double Max)> MeasureAsync(ResolverHarness resolver)
    {
        using (resolver)
        {
            const int queries = 80;
            var latencies = new double[queries];
            for (int i = 0; i < queries; i++)
            {
                var watch = Stopwatch.StartNew();
                var response = await resolver.AskAsync($"q{i}.example.");
                latencies[i] = watch.Elapsed.TotalMilliseconds;
                Assert.That(response.Answers, Has.Count.EqualTo(1));
            }
            Array.Sort(latencies);
            return (latencies[(int)Math.Ceiling(0.95 * queries) - 1], latencies[^1]);
        }
    }
}

using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Resolver.Core.Cache;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Integration.Tests.SharedCache;

/// <summary>
/// Resolver:SharedCache with a real redis-server: two instances in front of one fake upstream and one Redis share what
/// either fetched; Redis killed, stalled or poisoned never costs a query more than the budget nor serves a wrong answer.
/// </summary>
public sealed class SharedCacheTests : ResolverFixture
{
    private RedisServer _redis = null!;

    [SetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [TearDown]
    public async Task StopRedis()
    {
        if (_redis is not null)
            await _redis.DisposeAsync();
    }

    [Test]
    public async Task A_name_fetched_by_instance_A_is_answered_by_instance_B_without_upstream_traffic_with_the_remaining_TTL()
    {
        Upstream.Add("shared 300 IN A 192.0.2.50");
        await using var a = await StartResolverAsync(Shared());
        var b = await StartResolverAsync(Shared(("QueryLog:Path", QueryLogPath())));
        var fromA = await a.AskUdpAsync("shared.fwd.test.", RecordType.A);
        Assert.That(await _redis.WaitForKeyAsync("resolver:shared.fwd.test.|1|1"), Is.True, "A wrote its answer to Redis");
        long pttl = await _redis.PttlAsync("resolver:shared.fwd.test.|1|1");
        await Task.Delay(1100); // so the TTL B gives has visibly counted down
        int upstream = Upstream.QueriesFor("shared.fwd.test.");

        DnsMessage fromB;
        try
        {
            fromB = await b.AskUdpAsync("shared.fwd.test.", RecordType.A);
        }
        finally
        {
            await b.DisposeAsync(); // the query log is written at the stop
        }

        Assert.Multiple(() =>
        {
            Assert.That(fromB.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.50" }), RawDns.Describe(fromB));
            Assert.That(Upstream.QueriesFor("shared.fwd.test."), Is.EqualTo(upstream), "B asked no upstream");
            Assert.That(fromA.Answers.Single().Ttl, Is.EqualTo(300u));
            Assert.That(fromB.Answers.Single().Ttl, Is.LessThan(fromA.Answers.Single().Ttl).And.GreaterThan(290u), "the TTL left, not the full TTL");
            Assert.That(pttl, Is.InRange((300 + 86_400 - 10) * 1000L, (300 + 86_400) * 1000L), "the key lives for the TTL plus the serve-stale day");
        });
        string log = await File.ReadAllTextAsync(QueryLogPath());
        File.Delete(QueryLogPath());
        Assert.That(log, Does.Contain("\"source\":\"shared\""), "the query log names the shared cache: " + log);
    }

    [Test]
    public async Task A_fresh_instance_shares_its_very_first_answer_when_Redis_is_slow_to_accept_the_connection()
    {
        // Redis stopped: the TCP connect is accepted by the kernel but the client's handshake waits. Without the start
        // waiting for the first connection attempt, the first answers found the store unconnected and were not shared.
        Upstream.Add("first 300 IN A 192.0.2.51");
        _redis.Pause();
        var resumed = Task.Delay(400).ContinueWith(_ => _redis.Resume(), TaskScheduler.Default);
        await using var a = await StartResolverAsync(Shared()); // within the 500 ms CommandTimeout of Shared()

        var answer = await a.AskUdpAsync("first.fwd.test.", RecordType.A);
        await resumed;

        Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.51" }), RawDns.Describe(answer));
        Assert.That(await _redis.WaitForKeyAsync("resolver:first.fwd.test.|1|1"), Is.True, "the first answer went to Redis");
    }

    [Test]
    public async Task A_negative_answer_is_shared_with_its_SOA()
    {
        await using var a = await StartResolverAsync(Shared());
        await using var b = await StartResolverAsync(Shared());
        var fromA = await a.AskUdpAsync("missing.fwd.test.", RecordType.A);
        Assert.That(fromA.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(fromA));
        Assert.That(await _redis.WaitForKeyAsync("resolver:missing.fwd.test.|1|1"), Is.True, "A wrote the NXDOMAIN to Redis");
        int upstream = Upstream.QueriesFor("missing.fwd.test.");

        var fromB = await b.AskUdpAsync("missing.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(fromB.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(fromB));
            Assert.That(fromB.Authorities.Single().Type, Is.EqualTo(RecordType.SOA), "RFC 2308 §3: the SOA comes with it");
            Assert.That(fromB.Authorities.Single().Ttl, Is.LessThanOrEqualTo(fromA.Authorities.Single().Ttl).And.GreaterThan(50u));
            Assert.That(Upstream.QueriesFor("missing.fwd.test."), Is.EqualTo(upstream), "B asked no upstream");
        });
    }

    [Test]
    public async Task Redis_killed_mid_run_every_query_is_still_answered_in_time_and_sharing_resumes_when_it_returns()
    {
        for (int i = 0; i < 60; i++)
            Upstream.Add($"k{i} IN A 192.0.2.{i + 1}");
        await using var a = await StartResolverAsync(Shared());
        await using var b = await StartResolverAsync(Shared());
        await AskTimedAsync(a, 0, 5);

        _redis.Kill();
        await AskTimedAsync(a, 5, 25);
        Assert.That(a.Logs.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("Shared cache unavailable", StringComparison.Ordinal)),
            Is.EqualTo(1), "one warning for the change, not one per query: " + a.Logs);

        await _redis.RestartAsync();
        // Sharing resumes by itself: the client reconnects and the circuit's probe closes it (bounded wait).
        bool resumed = false;
        for (int i = 25; i < 60 && !resumed; i++)
        {
            await AskTimedAsync(a, i, i + 1);
            if (!await _redis.WaitForKeyAsync($"resolver:k{i}.fwd.test.|1|1", TimeSpan.FromMilliseconds(500)))
                continue;
            int upstream = Upstream.QueriesFor($"k{i}.fwd.test.");
            var fromB = await b.AskUdpAsync($"k{i}.fwd.test.", RecordType.A);
            Assert.That(fromB.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { $"192.0.2.{i + 1}" }), RawDns.Describe(fromB));
            resumed = Upstream.QueriesFor($"k{i}.fwd.test.") == upstream;
        }
        Assert.Multiple(() =>
        {
            Assert.That(resumed, Is.True, "after the restart a name A fetched was answered by B from Redis");
            Assert.That(a.Logs.Contains(LogLevel.Information, "Shared cache available again"), Is.True, a.Logs.ToString());
        });
    }

    [Test]
    public async Task With_Redis_down_from_the_start_the_service_starts_at_once_and_answers_every_query()
    {
        for (int i = 0; i < 10; i++)
            Upstream.Add($"d{i} IN A 192.0.2.{i + 1}");
        _redis.Kill();
        var started = Stopwatch.GetTimestamp();
        await using var a = await StartResolverAsync(Shared());
        var startup = Stopwatch.GetElapsedTime(started);
        await AskTimedAsync(a, 0, 10, prefix: "d");
        Assert.Multiple(() =>
        {
            Assert.That(startup, Is.LessThan(TimeSpan.FromSeconds(5)), "no wait for Redis at start");
            Assert.That(a.Logs.Contains(LogLevel.Warning, "Shared cache unavailable"), Is.True, a.Logs.ToString());
        });
    }

    [Test]
    public async Task Redis_stalled_every_query_is_still_answered_within_the_budget_plus_the_upstream_time()
    {
        for (int i = 0; i < 30; i++)
            Upstream.Add($"s{i} IN A 192.0.2.{i + 1}");
        await using var a = await StartResolverAsync(Shared());
        using var counts = new SharedCacheCounts(a);
        await AskTimedAsync(a, 0, 5, prefix: "s");
        _redis.Pause();
        try
        {
            await AskTimedAsync(a, 5, 30, prefix: "s");
        }
        finally
        {
            _redis.Resume();
        }
        Assert.Multiple(() =>
        {
            Assert.That(counts["resolver.shared_cache.timeouts"], Is.InRange(1, 20), "reads cut at the budget until the client gave up on them and the circuit opened: " + counts);
            Assert.That(a.Logs.Contains(LogLevel.Warning, "Shared cache unavailable"), Is.True, a.Logs.ToString());
        });
    }

    [Test]
    public async Task Values_poisoned_by_hand_are_never_served_and_counted()
    {
        Upstream.Add("garbage IN A 192.0.2.61").Add("other IN A 192.0.2.62").Add("forever IN A 192.0.2.63").Add("honest IN A 192.0.2.64");
        await using var resolver = await StartResolverAsync(Shared());
        using var counts = new SharedCacheCounts(resolver);
        await _redis.SetAsync("resolver:garbage.fwd.test.|1|1", [0x01, 0x02, 0xff, 0x00, 0x13, 0x37]);
        await _redis.SetAsync("resolver:other.fwd.test.|1|1", Entry("evil.fwd.test.", TimeSpan.FromSeconds(300)));
        await _redis.SetAsync("resolver:forever.fwd.test.|1|1", Entry("forever.fwd.test.", TimeSpan.FromDays(36_500)));
        // The same construction, unspoilt, is served: the poisoned ones fail for their poison only.
        await _redis.SetAsync("resolver:honest.fwd.test.|1|1", Entry("honest.fwd.test.", TimeSpan.FromSeconds(300)));

        var answers = new Dictionary<string, string>();
        foreach (string name in new[] { "garbage", "other", "forever", "honest" })
            answers[name] = string.Join(",", (await resolver.AskUdpAsync($"{name}.fwd.test.", RecordType.A)).Answers.Select(r => r.Data.ToText()));

        Assert.Multiple(() =>
        {
            Assert.That(answers["garbage"], Is.EqualTo("192.0.2.61"));
            Assert.That(answers["other"], Is.EqualTo("192.0.2.62"));
            Assert.That(answers["forever"], Is.EqualTo("192.0.2.63"));
            Assert.That(answers["honest"], Is.EqualTo("198.51.100.66"), "an honest value is served");
            Assert.That(Upstream.QueriesFor("garbage.fwd.test.") + Upstream.QueriesFor("other.fwd.test.") + Upstream.QueriesFor("forever.fwd.test."),
                Is.EqualTo(3), "each poisoned name went upstream");
            Assert.That(Upstream.QueriesFor("honest.fwd.test."), Is.Zero);
            Assert.That(counts["resolver.shared_cache.rejected/unreadable"], Is.EqualTo(1), counts.ToString());
            Assert.That(counts["resolver.shared_cache.rejected/other_question"], Is.EqualTo(1), counts.ToString());
            Assert.That(counts["resolver.shared_cache.rejected/insane"], Is.EqualTo(1), counts.ToString());
        });
    }

    private (string Key, string Value)[] Shared(params (string Key, string Value)[] more) =>
    [
        ("SharedCache:Enabled", "true"),
        ("SharedCache:Redis", _redis.Address),
        // Wider than the 5 ms default: a loaded test machine must not turn a Redis answer into a miss.
        ("SharedCache:ReadBudget", "00:00:00.100"),
        ("SharedCache:CircuitFailures", "3"),
        ("SharedCache:CircuitCoolDown", "00:00:01"),
        ("SharedCache:CommandTimeout", "00:00:00.500"),
        .. more,
    ];

    private string QueryLogPath() => Path.Combine(Path.GetTempPath(), $"resolver-shared-{TestContext.CurrentContext.Test.ID}.log");

    /// <summary>Asks k{first}..k{last-1}: each answered with its address, none slower than the budget, the upstream and slack.</summary>
    private static async Task AskTimedAsync(ResolverUnderTest resolver, int first, int last, string prefix = "k")
    {
        for (int i = first; i < last; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await resolver.AskUdpAsync($"{prefix}{i}.fwd.test.", RecordType.A);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { $"192.0.2.{i + 1}" }), RawDns.Describe(answer));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), $"{prefix}{i}: 100 ms budget + upstream time + slack");
        }
    }

    /// <summary>A shared value as an instance would write it, for <paramref name="answerName"/>, fresh for <paramref name="freshFor"/>.</summary>
    private static byte[] Entry(string answerName, TimeSpan freshFor)
    {
        var owner = DnsName.Parse(answerName);
        var message = new DnsMessage { IsResponse = true, RecursionDesired = true, RecursionAvailable = true };
        message.Questions.Add(new DnsQuestion(owner, RecordType.A, RecordClass.IN));
        message.Answers.Add(new DnsRecord(owner, RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse("198.51.100.66"))));
        var key = CacheKey.Create(owner.Wire, RecordType.A, RecordClass.IN, false, false);
        var now = DateTimeOffset.UtcNow;
        var entry = new PortableCacheEntry(key, message.ToArray(), CachedResponseKind.Answer, false, 300, now, now + freshFor, now + freshFor + TimeSpan.FromDays(1));
        return PortableCacheEntryFormat.ToArray(entry);
    }
}

using System.Diagnostics;
using System.Net;
using Resolver.Core.Cache;
using Resolver.Core.Pipeline;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using ManualClock = Resolver.TestKit.Fakes.ManualClock;

namespace Resolver.Core.Tests.Cache;

/// <summary>
/// The caps hold when a flood of unique names (a random-subdomain attack, a scanner) passes
/// through the cache, and the entries clients keep asking for survive it.
/// </summary>
public class CacheCapacityTests
{
    private const int MaxEntries = 10_000;
    private const long MaxBytes = 4L * 1024 * 1024;
    private const int FloodSize = 200_000;
    private const int PopularCount = 50;

    private static readonly QueryContext Client = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);

    [Test]
    public async Task Caps_hold_under_a_flood_of_unique_names_and_popular_entries_survive()
    {
        // One A record: small entries, so the entry cap is the one that binds.
        var stats = await FloodAsync(recordsPerAnswer: _ => 1);

        Assert.That(stats.MaxCount, Is.LessThanOrEqualTo(MaxEntries), "entry cap");
        Assert.That(stats.MaxBytes, Is.LessThanOrEqualTo(MaxBytes), "byte cap");
        Assert.That(stats.FinalCount, Is.GreaterThan(MaxEntries / 2), "the cache is still used, not emptied");
    }

    [Test]
    public async Task Byte_cap_holds_when_answers_are_large()
    {
        // Every other answer carries 20 A records (~600 bytes charged, above the 420-byte floor): the byte cap binds first.
        var stats = await FloodAsync(recordsPerAnswer: i => i % 2 == 0 ? 20 : 1);

        Assert.That(stats.MaxBytes, Is.LessThanOrEqualTo(MaxBytes), "byte cap");
        Assert.That(stats.MaxCount, Is.LessThanOrEqualTo(MaxEntries), "entry cap");
    }

    [Test]
    public void Every_answer_stored_into_a_full_cache_is_cached_at_once()
    {
        // MemoryCache's own limit refused inserts past it until a background compaction made room: a new name's
        // answer then went uncached and its next query upstream again. The eviction clock makes the room on insert.
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), cache: c =>
        {
            c.MaxEntries = MaxEntries;
            c.MaxBytes = MaxBytes;
        });
        var response = new byte[65535];
        int notCached = 0;
        for (int i = 0; i < 3 * MaxEntries; i++)
        {
            var name = DnsName.Parse($"n{i}.full.example.");
            resolver.Cache.Store(CacheKey.Create(name.Wire, RecordType.A, RecordClass.IN, false, false), Answer(name, 1), 300);
            if (!HitFromCache(resolver, ResolverHarness.Query($"n{i}.full.example."), response))
                notCached++;
        }

        Assert.That(notCached, Is.Zero, "answers stored but not found right after");
        Assert.That(resolver.Cache.Count, Is.InRange(MaxEntries / 2, MaxEntries), "the cache is full, within its cap");
    }

    [Test]
    public void Expired_entries_are_swept_from_the_eviction_clock_before_the_cache_fills()
    {
        var clock = new ManualClock();
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock, cache: c =>
        {
            c.MaxEntries = MaxEntries;
            c.MaxBytes = MaxBytes;
            c.StaleRetention = TimeSpan.Zero; // expired means gone
        });
        Store(resolver, "short", count: 1000, ttl: 1);
        // MemoryCache's clean-up expiry runs on the cache's clock: past the TTL and its second of margin.
        clock.Advance(TimeSpan.FromSeconds(2.5));

        Store(resolver, "long", count: 1000, ttl: 300);

        Assert.That(resolver.Cache.Count, Is.EqualTo(1000), "only the long-lived entries are left");
        Assert.That(resolver.Cache.ChargedForEviction, Is.EqualTo(resolver.Cache.AccountedBytes),
            "the expired entries are no longer charged (nor held) by the eviction clock");
    }

    private static void Store(ResolverHarness resolver, string prefix, int count, uint ttl)
    {
        for (int i = 0; i < count; i++)
        {
            var name = DnsName.Parse($"{prefix}{i}.example.");
            resolver.Cache.Store(CacheKey.Create(name.Wire, RecordType.A, RecordClass.IN, false, false), Answer(name, 1), ttl);
        }
    }

    private static async Task<FloodStats> FloodAsync(Func<int, int> recordsPerAnswer)
    {
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), cache: c =>
        {
            c.MaxEntries = MaxEntries;
            c.MaxBytes = MaxBytes;
            c.Prefetch = false;
        });
        var popular = new byte[PopularCount][];
        for (int i = 0; i < PopularCount; i++)
        {
            popular[i] = ResolverHarness.Query($"popular{i}.example.");
            await resolver.AskAsync(popular[i]);
        }
        int upstreamCalls = resolver.Upstream.Calls;

        var stats = new FloodStats();
        var response = new byte[65535];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < FloodSize; i++)
        {
            var name = DnsName.Parse($"n{i}.flood.example.");
            resolver.Cache.Store(CacheKey.Create(name.Wire, RecordType.A, RecordClass.IN, false, false), Answer(name, recordsPerAnswer(i)), 300);
            if (i % 1000 == 999)
            {
                stats.Sample(resolver.Cache);
                // Clients keep asking for the popular names: hits mark them recently used.
                foreach (var query in popular)
                    Assert.That(HitFromCache(resolver, query, response), Is.True, "popular entry was evicted during the flood");
            }
        }
        watch.Stop();
        stats.Sample(resolver.Cache);
        stats.FinalCount = resolver.Cache.Count;
        TestContext.Out.WriteLine($"{FloodSize} inserts in {watch.ElapsedMilliseconds} ms; max {stats.MaxCount} entries / {stats.MaxBytes} bytes; final {stats.FinalCount} entries / {resolver.Cache.AccountedBytes} bytes");

        foreach (var query in popular)
            Assert.That(HitFromCache(resolver, query, response), Is.True, "popular entry was evicted by the flood");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(upstreamCalls), "popular names never went upstream again");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "hang guard only: the flood takes about a second");
        return stats;
    }

    private static bool HitFromCache(ResolverHarness resolver, byte[] query, byte[] response)
    {
        var pending = resolver.Pipeline.HandleAsync(query, response, Client, CancellationToken.None);
        // A hit is answered synchronously; a miss would go upstream asynchronously.
        return pending.IsCompletedSuccessfully && pending.Result > 0;
    }

    private static DnsMessage Answer(DnsName name, int records)
    {
        var message = new DnsMessage { IsResponse = true, RecursionAvailable = true };
        message.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.IN));
        for (int i = 0; i < records; i++)
            message.Answers.Add(new DnsRecord(name, RecordType.A, RecordClass.IN, 300, new ARecordData(new IPAddress([192, 0, 2, (byte)i]))));
        return message;
    }

    private sealed class FloodStats
    {
        public int MaxCount { get; private set; }

        public long MaxBytes { get; private set; }

        public int FinalCount { get; set; }

        public void Sample(ResponseCache cache)
        {
            MaxCount = Math.Max(MaxCount, cache.Count);
            MaxBytes = Math.Max(MaxBytes, cache.AccountedBytes);
        }
    }
}

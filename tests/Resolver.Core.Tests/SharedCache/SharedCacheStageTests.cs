using System.Diagnostics;
using System.Net;
using Resolver.Core.Cache;
using Resolver.Core.Pipeline;
using Resolver.Core.SharedCache;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using ManualClock = Resolver.TestKit.Fakes.ManualClock;

namespace Resolver.Core.Tests.SharedCache;

/// <summary>The shared-cache stage over a fake store: sharing, the read budget, the circuit, and values never served.</summary>
public sealed class SharedCacheStageTests
{
    [Test]
    public async Task An_answer_fetched_by_one_instance_is_answered_by_another_without_upstream_traffic()
    {
        var store = new FakeSharedCacheStore();
        var clock = new ManualClock();
        using var a = new SharedCacheHarness(store, clock);
        using var b = new SharedCacheHarness(store, clock);
        var first = await a.AskAsync("www.example.");
        await SharedCacheHarness.WaitForWritesAsync(store, 1);
        clock.Advance(TimeSpan.FromSeconds(7));

        var shared = await b.AskAsync("www.example.");

        Assert.Multiple(() =>
        {
            Assert.That(first.Answers.Single().Ttl, Is.EqualTo(300u));
            Assert.That(b.Upstream.Calls, Is.Zero, "B asked no upstream");
            Assert.That(shared.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.1"));
            Assert.That(shared.Answers.Single().Ttl, Is.EqualTo(293u), "the TTL left since A fetched it, not the full TTL");
            Assert.That(b.Count("resolver.shared_cache.hits"), Is.EqualTo(1));
            var entry = store.Values.Single();
            Assert.That(entry.Key, Is.EqualTo("resolver:www.example.|1|1"));
            Assert.That(entry.Value.Expiry, Is.EqualTo(TimeSpan.FromSeconds(300) + TimeSpan.FromDays(1)), "kept for the TTL and the serve-stale window");
        });
        // Now in B's own cache: the next query is a local hit, the store is not asked again.
        int gets = store.Gets;
        await b.AskAsync("www.example.");
        Assert.That(store.Gets, Is.EqualTo(gets), "a local hit never reaches the shared cache");
    }

    [Test]
    public async Task A_stalled_store_costs_a_miss_no_more_than_the_budget_and_the_answer_comes_from_upstream()
    {
        var store = new FakeSharedCacheStore();
        using var resolver = new SharedCacheHarness(store, options: o => o.ReadBudget = TimeSpan.FromMilliseconds(30));
        await resolver.AskAsync("warm.example."); // the first query pays the JIT, not the budget
        store.Mode = FakeStoreMode.Stalled;
        var started = Stopwatch.GetTimestamp();

        var answer = await resolver.AskAsync("slow.example.");

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.1"), "answered from upstream");
            Assert.That(resolver.Upstream.Calls, Is.EqualTo(2));
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(25)).And.LessThan(TimeSpan.FromMilliseconds(300)),
                "the budget, and not much more");
            Assert.That(resolver.Count("resolver.shared_cache.timeouts"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task After_the_threshold_of_failures_the_store_is_not_asked_until_the_cool_down_ends_then_one_read_probes_it()
    {
        var store = new FakeSharedCacheStore { Mode = FakeStoreMode.Failing };
        var clock = new ManualClock();
        using var resolver = new SharedCacheHarness(store, clock, options: o => o.CircuitFailures = 3);
        for (int i = 0; i < 3; i++)
            await resolver.AskAsync($"n{i}.example.");
        Assert.That(resolver.Circuit.State, Is.EqualTo(SharedCacheState.Unavailable), "open after 3 failures");
        int gets = store.Gets;
        Assert.That(gets, Is.EqualTo(3));

        for (int i = 3; i < 10; i++)
            await resolver.AskAsync($"n{i}.example.");
        Assert.Multiple(() =>
        {
            Assert.That(store.Gets, Is.EqualTo(gets), "an open circuit keeps misses away from the store");
            Assert.That(resolver.Upstream.Calls, Is.EqualTo(10), "every query answered from upstream");
        });

        clock.Advance(TimeSpan.FromSeconds(4));
        await resolver.AskAsync("n10.example.");
        Assert.That(store.Gets, Is.EqualTo(gets), "still cooling down");

        clock.Advance(TimeSpan.FromSeconds(2));
        await resolver.AskAsync("n11.example.");
        Assert.Multiple(() =>
        {
            Assert.That(store.Gets, Is.EqualTo(gets + 1), "one probe after the cool-down");
            Assert.That(resolver.Circuit.State, Is.EqualTo(SharedCacheState.Unavailable), "the probe failed: open again");
        });

        store.Mode = FakeStoreMode.Working;
        clock.Advance(TimeSpan.FromSeconds(6));
        await resolver.AskAsync("n12.example.");
        await resolver.AskAsync("n13.example.");
        Assert.Multiple(() =>
        {
            Assert.That(resolver.Circuit.State, Is.EqualTo(SharedCacheState.Available), "the probe succeeded: closed");
            Assert.That(store.Gets, Is.EqualTo(gets + 3), "asked on every miss again");
        });
    }

    [Test]
    public async Task Writes_that_the_store_fails_are_counted_and_never_slow_the_miss()
    {
        var store = new FakeSharedCacheStore { Mode = FakeStoreMode.Failing };
        using var resolver = new SharedCacheHarness(store);
        await resolver.AskAsync("a.example.");
        await resolver.AskAsync("b.example.");
        await SharedCacheHarness.WaitForWritesAsync(store, 2);
        for (int i = 0; i < 100 && resolver.Count("resolver.shared_cache.write_drops/failed") < 2; i++)
            await Task.Delay(10);
        Assert.That(resolver.Count("resolver.shared_cache.write_drops/failed"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_read_past_the_budget_that_still_answers_late_does_not_count_against_the_store()
    {
        // A burst of misses on a busy core can take a read past 5 ms while Redis is fine: such reads go upstream
        // (the budget holds) but must not open the circuit, or one burst would stop sharing for a cool-down.
        var store = new SlowStore(TimeSpan.FromMilliseconds(60));
        using var resolver = new SharedCacheHarness(store, options: o => { o.ReadBudget = TimeSpan.FromMilliseconds(10); o.CircuitFailures = 2; });
        for (int i = 0; i < 5; i++)
            await resolver.AskAsync($"late{i}.example.");
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(resolver.Count("resolver.shared_cache.timeouts"), Is.EqualTo(5));
            Assert.That(resolver.Circuit.State, Is.EqualTo(SharedCacheState.Available), "late answers are answers");
        });
    }

    [Test]
    public async Task A_read_past_the_budget_that_then_fails_counts_against_the_store()
    {
        var store = new SlowStore(TimeSpan.FromMilliseconds(60), fail: true);
        using var resolver = new SharedCacheHarness(store, options: o => { o.ReadBudget = TimeSpan.FromMilliseconds(10); o.CircuitFailures = 2; });
        for (int i = 0; i < 2; i++)
            await resolver.AskAsync($"late{i}.example.");
        for (int i = 0; i < 100 && resolver.Circuit.State == SharedCacheState.Available; i++)
            await Task.Delay(10);
        Assert.That(resolver.Circuit.State, Is.EqualTo(SharedCacheState.Unavailable), "the client gave up on them: Redis is stalled");
    }

    /// <summary>Answers (nothing) or fails, always after <paramref name="delay"/>: slow, or stalled until the client's own timeout.</summary>
    private sealed class SlowStore(TimeSpan delay, bool fail = false) : ISharedCacheStore
    {
        public async Task<byte[]?> GetAsync(byte[] key)
        {
            await Task.Delay(delay);
            return fail ? throw new TimeoutException("client timeout") : null;
        }

        public Task SetAsync(byte[] key, byte[] value, TimeSpan expiry) => Task.CompletedTask;
    }

    private static IEnumerable<TestCaseData> PoisonedValues()
    {
        yield return new TestCaseData("garbage", (Func<PortableCacheEntry, byte[]>)(_ => [1, 2, 3, 4, 5, 6, 7, 8]), "unreadable").SetName("Garbage_bytes_are_never_served");
        yield return new TestCaseData("other question", (Func<PortableCacheEntry, byte[]>)(e => Entry(e, name: "evil.example.")), "other_question")
            .SetName("An_entry_of_another_question_under_this_key_is_never_served");
        yield return new TestCaseData("wire of another name", (Func<PortableCacheEntry, byte[]>)(e => Entry(e, wireName: "evil.example.")), "insane")
            .SetName("An_entry_whose_answer_is_for_another_name_is_never_served");
        yield return new TestCaseData("absurd expiry", (Func<PortableCacheEntry, byte[]>)(e => Entry(e, freshFor: TimeSpan.FromDays(3650))), "insane")
            .SetName("An_entry_fresh_for_ten_years_is_never_served");
        yield return new TestCaseData("absurd ttl", (Func<PortableCacheEntry, byte[]>)(e => Entry(e, ttl: 10_000_000)), "insane")
            .SetName("An_entry_with_a_TTL_beyond_MaxTtl_is_never_served");
    }

    [TestCaseSource(nameof(PoisonedValues))]
    public async Task Poisoned_values_are_counted_and_the_answer_comes_from_upstream(string what, Func<PortableCacheEntry, byte[]> poison, string reason)
    {
        var store = new FakeSharedCacheStore();
        using var resolver = new SharedCacheHarness(store, upstream: new FakeExchange(FakeReply.Address("192.0.2.9")));
        var honest = Honest("target.example.");
        store.Values["resolver:target.example.|1|1"] = (poison(honest), TimeSpan.FromDays(1));

        var answer = await resolver.AskAsync("target.example.");

        Assert.Multiple(() =>
        {
            Assert.That(answer.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.9"), what + ": the upstream's answer, not the stored one");
            Assert.That(resolver.Upstream.Calls, Is.EqualTo(1));
            Assert.That(resolver.Count("resolver.shared_cache.rejected/" + reason), Is.EqualTo(1), what);
            Assert.That(resolver.Count("resolver.shared_cache.hits"), Is.Zero);
        });
    }

    [Test]
    public async Task An_honest_value_written_by_hand_is_served()
    {
        // The counterpart of the poisoned cases: the same construction, unspoilt, is served (so those tests fail for their poison).
        var store = new FakeSharedCacheStore();
        using var resolver = new SharedCacheHarness(store, upstream: new FakeExchange(FakeReply.Address("192.0.2.9")));
        store.Values["resolver:target.example.|1|1"] = (Entry(Honest("target.example.")), TimeSpan.FromDays(1));
        var answer = await resolver.AskAsync("target.example.");
        Assert.Multiple(() =>
        {
            Assert.That(answer.Answers.Single().Data.ToText(), Is.EqualTo("198.51.100.7"));
            Assert.That(resolver.Upstream.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task Cache_hit_path_allocates_nothing_with_the_shared_cache_enabled()
    {
        var store = new FakeSharedCacheStore();
        using var resolver = new SharedCacheHarness(store);
        var query = ResolverHarness.Query("www.example.", edns: new EdnsRecord());
        await resolver.AskAsync(query);
        var response = new byte[65535];
        var context = new QueryContext(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
        for (int i = 0; i < 100; i++)
            _ = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None).Result;
        int gets = store.Gets;

        const int hits = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < hits; i++)
        {
            var pending = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
                Assert.Fail("a cache hit must complete synchronously");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"{allocated} bytes over {hits} hits");
            Assert.That(store.Gets, Is.EqualTo(gets), "hits never ask the shared cache");
        });
    }

    /// <summary>An answer as another instance would have shared it, stored just now for 300 s.</summary>
    private static PortableCacheEntry Honest(string name)
    {
        var message = new DnsMessage { IsResponse = true, RecursionDesired = true, RecursionAvailable = true };
        var owner = DnsName.Parse(name);
        message.Questions.Add(new DnsQuestion(owner, RecordType.A, RecordClass.IN));
        message.Answers.Add(new DnsRecord(owner, RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse("198.51.100.7"))));
        var key = CacheKey.Create(owner.Wire, RecordType.A, RecordClass.IN, false, false);
        var now = DateTimeOffset.UtcNow;
        return new PortableCacheEntry(key, message.ToArray(), CachedResponseKind.Answer, false, 300, now, now.AddSeconds(300), now.AddSeconds(300).AddDays(1));
    }

    private static byte[] Entry(PortableCacheEntry honest, string? name = null, string? wireName = null, TimeSpan? freshFor = null, uint? ttl = null)
    {
        var key = name is null ? honest.Key : CacheKey.Create(DnsName.Parse(name).Wire, RecordType.A, RecordClass.IN, false, false);
        var wire = honest.Wire;
        if (wireName is not null)
            wire = Honest(wireName).Wire;
        if (ttl is { } recordTtl)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(wire.Length - 10), recordTtl);
        var freshUntil = honest.StoredAt + (freshFor ?? TimeSpan.FromSeconds(honest.Ttl));
        var entry = new PortableCacheEntry(key, wire, honest.Kind, false, ttl ?? honest.Ttl, honest.StoredAt, freshUntil, freshUntil.AddDays(1));
        return PortableCacheEntryFormat.ToArray(entry);
    }
}

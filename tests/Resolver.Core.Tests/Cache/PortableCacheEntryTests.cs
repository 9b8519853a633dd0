using ManualClock = Resolver.TestKit.Fakes.ManualClock;
using System.Buffers.Binary;
using Resolver.Core.Cache;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;

namespace Resolver.Core.Tests.Cache;

/// <summary>Entries from outside (snapshot, shared cache) survive the byte form, and a poisoned one is never put in the cache.</summary>
public class PortableCacheEntryTests
{
    private static async Task<(ResolverHarness Harness, PortableCacheEntry Entry)> WarmedAsync(ManualClock clock, string name = "a.example.")
    {
        var harness = new ResolverHarness(new FakeExchange(FakeReply.Address("192.0.2.5", ttl: 300)), clock, cache: c => c.Prefetch = false);
        await harness.AskAsync(name);
        return (harness, harness.Cache.Export().Single());
    }

    private static PortableCacheEntry With(PortableCacheEntry e, byte[]? wire = null, CacheKey? key = null, uint? ttl = null,
        DateTimeOffset? freshUntil = null, DateTimeOffset? staleUntil = null) =>
        new(key ?? e.Key, wire ?? e.Wire, e.Kind, e.AuthenticData, ttl ?? e.Ttl, e.StoredAt, freshUntil ?? e.FreshUntil, staleUntil ?? e.StaleUntil);

    [Test]
    public async Task Entry_survives_its_byte_form_unchanged()
    {
        var clock = new ManualClock();
        var (harness, entry) = await WarmedAsync(clock);
        using var _ = harness;

        Assert.That(PortableCacheEntryFormat.TryRead(PortableCacheEntryFormat.ToArray(entry), out var back, out int consumed, out string? error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(consumed, Is.EqualTo(PortableCacheEntryFormat.LengthOf(entry)));
            Assert.That(back!.Key, Is.EqualTo(entry.Key));
            Assert.That(back.Wire, Is.EqualTo(entry.Wire));
            Assert.That((back.Kind, back.Ttl, back.FreshUntil, back.StaleUntil), Is.EqualTo((entry.Kind, entry.Ttl, entry.FreshUntil, entry.StaleUntil)));
        });
    }

    [Test]
    public async Task Entry_filed_under_another_question_is_rejected()
    {
        var clock = new ManualClock();
        var (harness, entry) = await WarmedAsync(clock);
        using var _ = harness;
        using var cache = new ResponseCache(new CacheOptions(), clock);
        var otherName = CacheKey.Create(DnsName.Parse("bank.example.").Wire, RecordType.A, RecordClass.IN, false, false);
        var otherType = CacheKey.Create(entry.Key.Name, RecordType.MX, RecordClass.IN, false, false);

        Assert.That(cache.Import(With(entry, key: otherName), cache.Generation, out string? nameReason), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Import(With(entry, key: otherType), cache.Generation, out string? typeReason), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(nameReason, Does.Contain("another name"));
        Assert.That(typeReason, Does.Contain("another type"));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public async Task Entry_with_garbage_wire_is_rejected()
    {
        var clock = new ManualClock();
        var (harness, entry) = await WarmedAsync(clock);
        using var _ = harness;
        using var cache = new ResponseCache(new CacheOptions(), clock);
        var random = new Random(18);
        var garbage = new byte[entry.Wire.Length];
        random.NextBytes(garbage);
        var cut = entry.Wire[..^3];
        var longer = entry.Wire.Concat(new byte[] { 1, 2, 3 }).ToArray();

        Assert.That(cache.Import(With(entry, wire: garbage)), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Import(With(entry, wire: cut)), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Import(With(entry, wire: longer)), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public async Task Entry_with_an_absurd_ttl_is_rejected()
    {
        var clock = new ManualClock();
        var (harness, entry) = await WarmedAsync(clock);
        using var _ = harness;
        using var cache = new ResponseCache(new CacheOptions(), clock);
        var recordTtl = (byte[])entry.Wire.Clone();
        // The one A record's TTL sits 4 octets before its RDLENGTH and 4 octets of address at the end.
        BinaryPrimitives.WriteUInt32BigEndian(recordTtl.AsSpan(recordTtl.Length - 10), 2_000_000_000);
        var years = entry.StoredAt.AddYears(5);

        Assert.That(cache.Import(With(entry, ttl: 2_000_000_000), cache.Generation, out string? entryReason), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Import(With(entry, wire: recordTtl), cache.Generation, out string? recordReason), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(cache.Import(With(entry, freshUntil: years, staleUntil: years), cache.Generation, out string? timeReason), Is.EqualTo(ImportOutcome.Rejected));
        Assert.That(entryReason, Does.Contain("TTL"));
        Assert.That(timeReason, Does.Contain("fresh for"));
        Assert.That(recordReason, Does.Contain("record TTL"));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public async Task Imported_entry_is_not_reported_to_the_store_observer()
    {
        var clock = new ManualClock();
        var (harness, entry) = await WarmedAsync(clock);
        using var _ = harness;
        using var cache = new ResponseCache(new CacheOptions(), clock);
        var observer = new RecordingObserver();
        cache.StoreObserver = observer;

        Assert.That(cache.Import(entry), Is.EqualTo(ImportOutcome.Imported));
        Assert.That(observer.Entries, Is.Empty, "an entry that came from outside is not written back");
    }

    [Test]
    public async Task Upstream_answer_is_reported_to_the_store_observer_with_its_expiry()
    {
        var clock = new ManualClock();
        var observer = new RecordingObserver();
        using var harness = new ResolverHarness(new FakeExchange(FakeReply.Address(ttl: 120)), clock);
        harness.Cache.StoreObserver = observer;
        await harness.AskAsync("seen.example.");

        var entry = observer.Entries.Single();
        Assert.That(entry.Key.ToString(), Does.StartWith("seen.example. A IN"));
        Assert.That(entry.FreshUntil - entry.StoredAt, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(entry.StoredAt, Is.EqualTo(clock.GetUtcNow()));
    }

    private sealed class RecordingObserver : IResponseStoreObserver
    {
        public List<PortableCacheEntry> Entries { get; } = [];

        public void Stored(PortableCacheEntry entry) => Entries.Add(entry);
    }
}

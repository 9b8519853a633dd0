using Resolver.Core.Cache;
using Resolver.Core.SharedCache;
using Resolver.Protocol;

namespace Resolver.Core.Tests.SharedCache;

/// <summary>The write-behind queue: bounded, never blocking the miss that stores an answer.</summary>
public sealed class SharedCacheWriterTests
{
    [Test]
    public void A_full_queue_drops_answers_and_counts_them_instead_of_waiting()
    {
        var store = new FakeSharedCacheStore { Mode = FakeStoreMode.Stalled };
        var options = new SharedCacheOptions { Enabled = true, Redis = "fake", WriteQueueCapacity = 2 };
        using var metrics = new SharedCacheMetrics();
        using var counts = new MetricCounts(metrics);
        var writer = new SharedCacheWriter(store, options, metrics);

        for (int i = 0; i < 5; i++)
            writer.Stored(Entry($"n{i}.example."));

        Assert.Multiple(() =>
        {
            Assert.That(writer.Pending, Is.EqualTo(2), "the queue holds its capacity");
            Assert.That(counts["resolver.shared_cache.write_drops/queue_full"], Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Queued_answers_are_written_with_the_rest_of_their_serve_stale_window_as_expiry()
    {
        var store = new FakeSharedCacheStore();
        var options = new SharedCacheOptions { Enabled = true, Redis = "fake" };
        using var metrics = new SharedCacheMetrics();
        var writer = new SharedCacheWriter(store, options, metrics);
        writer.Stored(Entry("a.example."));
        writer.Complete();

        await writer.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var (value, expiry) = store.Values["resolver:a.example.|1|1"];
        Assert.Multiple(() =>
        {
            Assert.That(expiry, Is.InRange(TimeSpan.FromSeconds(60 + 30 - 5), TimeSpan.FromSeconds(60 + 30)), "until the stale window ends");
            Assert.That(PortableCacheEntryFormat.TryRead(value, out var read, out _, out _), Is.True);
            Assert.That(read!.Key.ToString(), Is.EqualTo("a.example. A IN"));
        });
    }

    private static PortableCacheEntry Entry(string name)
    {
        var owner = DnsName.Parse(name);
        var message = new DnsMessage { IsResponse = true };
        message.Questions.Add(new DnsQuestion(owner, RecordType.A, RecordClass.IN));
        var now = DateTimeOffset.UtcNow;
        return new PortableCacheEntry(CacheKey.Create(owner.Wire, RecordType.A, RecordClass.IN, false, false), message.ToArray(),
            CachedResponseKind.Answer, false, 60, now, now.AddSeconds(60), now.AddSeconds(90));
    }

    /// <summary>Counts of one metrics object's instruments, by name and by "name/reason".</summary>
    private sealed class MetricCounts : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public MetricCounts(SharedCacheMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                lock (_counts)
                {
                    _counts[instrument.Name] = _counts.GetValueOrDefault(instrument.Name) + value;
                    foreach (var tag in tags)
                        _counts[instrument.Name + "/" + tag.Value] = _counts.GetValueOrDefault(instrument.Name + "/" + tag.Value) + value;
                }
            });
            _listener.Start();
        }

        public long this[string name]
        {
            get
            {
                lock (_counts)
                    return _counts.GetValueOrDefault(name);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

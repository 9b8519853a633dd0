using System.Diagnostics.Metrics;

namespace Resolver.Core.Cache;

/// <summary>Counters of the response cache in the meter "Resolver.Core" (names in README.md).</summary>
public sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Resolver.Core";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _staleServed;
    private readonly Counter<long> _prefetches;
    private readonly Counter<long> _flushed;
    private readonly Counter<long> _evicted;
    private ResponseCache? _cache;

    public CacheMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _hits = Meter.CreateCounter<long>("resolver.cache.hits", "{query}", "Queries answered from the cache with fresh data (cached SERVFAIL included).");
        _misses = Meter.CreateCounter<long>("resolver.cache.misses", "{query}", "Queries the cache could not answer.");
        _staleServed = Meter.CreateCounter<long>("resolver.cache.stale_served", "{query}", "Expired answers served because upstreams failed (RFC 8767).");
        _prefetches = Meter.CreateCounter<long>("resolver.cache.prefetches", "{query}", "Background refreshes of popular entries near expiry.");
        _flushed = Meter.CreateCounter<long>("resolver.cache.flushed", "{entry}", "Entries removed by a flush (by name, by suffix, or all).");
        _evicted = Meter.CreateCounter<long>("resolver.cache.evicted", "{entry}", "Entries removed to make room within MaxBytes / MaxEntries.");
        // Read from MemoryCache's statistics when collected; nothing is counted per query.
        Meter.CreateObservableUpDownCounter("resolver.cache.entries", () => _cache?.Count ?? 0, "{entry}", "Entries in the cache.");
        Meter.CreateObservableGauge("resolver.cache.bytes", () => _cache?.AccountedBytes ?? 0, "By", "Bytes charged against the cache's MaxBytes.");
    }

    public Meter Meter { get; }

    internal void Hit() => _hits.Add(1);

    internal void Miss() => _misses.Add(1);

    internal void StaleServed() => _staleServed.Add(1);

    internal void Prefetch() => _prefetches.Add(1);

    internal void Flushed(int entries) => _flushed.Add(entries);

    internal void Evicted() => _evicted.Add(1);

    /// <summary>The cache the observable instruments read (one per metrics object).</summary>
    internal void Observe(ResponseCache cache) => _cache = cache;

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

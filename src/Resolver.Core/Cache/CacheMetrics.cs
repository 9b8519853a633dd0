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
    private readonly Counter<long> _evictions;

    public CacheMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _hits = Meter.CreateCounter<long>("resolver.cache.hits", "{query}", "Queries answered from the cache with fresh data (cached SERVFAIL included).");
        _misses = Meter.CreateCounter<long>("resolver.cache.misses", "{query}", "Queries the cache could not answer.");
        _staleServed = Meter.CreateCounter<long>("resolver.cache.stale_served", "{query}", "Expired answers served because upstreams failed (RFC 8767).");
        _prefetches = Meter.CreateCounter<long>("resolver.cache.prefetches", "{query}", "Background refreshes of popular entries near expiry.");
        _evictions = Meter.CreateCounter<long>("resolver.cache.compactions", "{event}", "Times the entry cap forced a compaction of the least recently used entries.");
    }

    public Meter Meter { get; }

    internal void Hit() => _hits.Add(1);

    internal void Miss() => _misses.Add(1);

    internal void StaleServed() => _staleServed.Add(1);

    internal void Prefetch() => _prefetches.Add(1);

    internal void Compacted() => _evictions.Add(1);

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

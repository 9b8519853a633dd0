using System.Diagnostics.Metrics;
using Resolver.Core.Cache;

namespace Resolver.Core.SharedCache;

/// <summary>Counters of the shared cache in the meter "Resolver.Core" (names in README.md).</summary>
public sealed class SharedCacheMetrics : IDisposable
{
    private readonly bool _ownsMeter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _writeDrops;
    private SharedCacheCircuit? _circuit;

    public SharedCacheMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(CacheMetrics.MeterName) ?? new Meter(CacheMetrics.MeterName);
        _ownsMeter = meterFactory is null;
        _hits = Meter.CreateCounter<long>("resolver.shared_cache.hits", "{query}", "Local misses answered from the shared cache.");
        _misses = Meter.CreateCounter<long>("resolver.shared_cache.misses", "{query}", "Local misses the shared cache had nothing fresh for (gone upstream).");
        _timeouts = Meter.CreateCounter<long>("resolver.shared_cache.timeouts", "{query}", "Reads that did not answer within the budget (gone upstream).");
        _errors = Meter.CreateCounter<long>("resolver.shared_cache.errors", "{query}", "Reads and writes the store failed (connection down, refused).");
        _rejected = Meter.CreateCounter<long>("resolver.shared_cache.rejected", "{value}",
            "Values found but never served (tag: reason = unreadable|other_question|server_failure|insane).");
        _writes = Meter.CreateCounter<long>("resolver.shared_cache.writes", "{entry}", "Answers written to the shared cache.");
        _writeDrops = Meter.CreateCounter<long>("resolver.shared_cache.write_drops", "{entry}",
            "Answers not written (tag: reason = queue_full|failed).");
        Meter.CreateObservableGauge("resolver.shared_cache.state", () => (int)(_circuit?.State ?? SharedCacheState.Available), "{state}",
            "0 available, 1 probing after a cool-down, 2 unavailable (circuit open: not asked).");
    }

    public Meter Meter { get; }

    internal void Hit() => _hits.Add(1);

    internal void Miss() => _misses.Add(1);

    internal void Timeout() => _timeouts.Add(1);

    internal void Error() => _errors.Add(1);

    internal void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void Written(int entries) => _writes.Add(entries);

    internal void WriteDropped(string reason, int entries = 1) =>
        _writeDrops.Add(entries, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The circuit the state gauge reads.</summary>
    internal void Observe(SharedCacheCircuit circuit) => _circuit = circuit;

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Core.SharedCache;
using Resolver.Integration.Tests.Infrastructure;

namespace Resolver.Integration.Tests.SharedCache;

/// <summary>The shared-cache counters of one host, by instrument name and by "name/reason" for tagged ones.</summary>
internal sealed class SharedCacheCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counts = [];

    public SharedCacheCounts(ResolverUnderTest resolver)
    {
        var meter = resolver.Services.GetRequiredService<SharedCacheMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
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

    public override string ToString()
    {
        lock (_counts)
            return string.Join(", ", _counts.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    public void Dispose() => _listener.Dispose();
}

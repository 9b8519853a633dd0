using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Resolver.Client.Tests;

/// <summary>Listens to one <see cref="ClientMetrics"/> meter and sums each counter by its tag value.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MetricRecorder(ClientMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (var tag in tags)
                key += "|" + tag.Value;
            if (tags.Length > 0)
                _totals.AddOrUpdate(key, value, (_, total) => total + value);
            _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>Total of an instrument, or of one tag value of it ("resolver.client.replies.discarded", "wrong_id").</summary>
    public long Total(string instrument, string? tagValue = null) =>
        _totals.TryGetValue(tagValue is null ? instrument : instrument + "|" + tagValue, out long total) ? total : 0;

    public long Discarded(DiscardReason reason) => Total("resolver.client.replies.discarded", ClientMetrics.ReasonTag(reason));

    public void Dispose() => _listener.Dispose();
}

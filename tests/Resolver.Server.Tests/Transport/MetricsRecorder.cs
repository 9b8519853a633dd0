using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Resolver.Server.Tests.Transport;

/// <summary>Records the counters of one host's <c>Resolver.Server</c> meter (other hosts in the process are ignored).</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> totals = new();

    public MetricsRecorder(IHost host)
    {
        object scope = host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Resolver.Server" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        listener.Start();
    }

    /// <summary>The total of a counter for one combination of tags, e.g. "resolver.server.queries.dropped|transport=udp|reason=too_short".</summary>
    public long Total(string key) => totals.TryGetValue(key, out long total) ? total : 0;

    public void Dispose() => listener.Dispose();
}

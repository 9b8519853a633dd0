using System.Diagnostics.Metrics;

namespace Resolver.Server.Control;

/// <summary>
/// Running totals of every long counter on Resolver's meters (all tags summed), and the observable instruments'
/// current values, for `resolver control stats`. A measurement adds to a box chosen when the instrument was
/// published: no lookup and no allocation on the query path. Only created when the control channel is on.
/// </summary>
internal sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(Instrument Instrument, Total Total)> _counters = [];
    private Dictionary<string, double>? _observed;

    public CounterTotals()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!instrument.Meter.Name.StartsWith("Resolver.", StringComparison.Ordinal))
                return;
            if (instrument is Counter<long>)
            {
                var total = new Total();
                lock (_lock)
                    _counters.Add((instrument, total));
                listener.EnableMeasurementEvents(instrument, total);
            }
            else if (instrument.IsObservable)
            {
                listener.EnableMeasurementEvents(instrument, null);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, state) =>
        {
            if (state is Total total)
                Interlocked.Add(ref total.Value, value);
            else
                Observe(instrument, value);
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Observe(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Observe(instrument, value));
        _listener.Start();
    }

    /// <summary>"name value" lines, sorted by name: counters' totals, then the observable instruments read now.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        var lines = new SortedDictionary<string, double>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (instrument, total) in _counters)
                lines[instrument.Name] = lines.GetValueOrDefault(instrument.Name) + Interlocked.Read(ref total.Value);
            _observed = new Dictionary<string, double>(StringComparer.Ordinal);
            _listener.RecordObservableInstruments();
            foreach (var (name, value) in _observed)
                lines[name] = value;
            _observed = null;
        }
        return lines.Select(line => $"{line.Key} {line.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").ToList();
    }

    public void Dispose() => _listener.Dispose();

    private void Observe(Instrument instrument, double value)
    {
        // Called only from RecordObservableInstruments, under the lock, with _observed set.
        if (_observed is { } observed)
            observed[instrument.Name] = observed.GetValueOrDefault(instrument.Name) + value;
    }

    private sealed class Total
    {
        public long Value;
    }
}

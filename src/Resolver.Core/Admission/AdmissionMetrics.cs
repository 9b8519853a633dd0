using System.Diagnostics.Metrics;

namespace Resolver.Core.Admission;

/// <summary>
/// Counters of the admission stages on the meter "Resolver.Core": queries refused and dropped,
/// tagged with the stage ("access_control", "rate_limit"). Tags are constant strings, so counting
/// allocates nothing. Pass an <see cref="IMeterFactory"/> to have the host own the meter.
/// </summary>
public sealed class AdmissionMetrics : IDisposable
{
    public const string MeterName = "Resolver.Core";

    internal const string AccessControl = "access_control";
    internal const string RateLimit = "rate_limit";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _dropped;

    public AdmissionMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _refused = Meter.CreateCounter<long>("resolver.admission.refused", "{query}",
            "Queries answered REFUSED by an admission stage (tag: stage).");
        _dropped = Meter.CreateCounter<long>("resolver.admission.dropped", "{query}",
            "Queries not answered at all by an admission stage (tag: stage).");
    }

    public Meter Meter { get; }

    internal void Refused(string stage) => _refused.Add(1, new KeyValuePair<string, object?>("stage", stage));

    internal void Dropped(string stage) => _dropped.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

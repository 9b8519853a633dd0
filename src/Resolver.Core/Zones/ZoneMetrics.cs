using System.Diagnostics.Metrics;

namespace Resolver.Core.Zones;

/// <summary>
/// Counters of the local zones stage on the meter "Resolver.Core". Tags are constant strings,
/// so counting allocates nothing. Pass an <see cref="IMeterFactory"/> to have the host own the meter.
/// </summary>
public sealed class ZoneMetrics : IDisposable
{
    public const string MeterName = "Resolver.Core";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _answers;

    public ZoneMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _answers = Meter.CreateCounter<long>("resolver.zones.answers", "{response}",
            "Queries answered from the local zones (tag: outcome = answer, nodata, nxdomain, yxdomain, referral, refused).");
    }

    public Meter Meter { get; }

    internal void Answered(string outcome) => _answers.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

/// <summary>Values of the "outcome" tag of <c>resolver.zones.answers</c>.</summary>
internal static class ZoneOutcome
{
    public const string Answer = "answer";
    public const string NoData = "nodata";
    public const string NameError = "nxdomain";
    public const string Referral = "referral";
    public const string Refused = "refused";

    /// <summary>A DNAME substitution would make a name longer than 255 octets (RFC 6672 §2.2).</summary>
    public const string NameTooLong = "yxdomain";
}

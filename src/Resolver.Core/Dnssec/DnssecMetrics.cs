using System.Diagnostics.Metrics;

namespace Resolver.Core.Dnssec;

/// <summary>Counters of DNSSEC validation (meter <c>Resolver.Core</c>).</summary>
public sealed class DnssecMetrics : IDisposable
{
    private readonly Meter _meter = new("Resolver.Core");
    private readonly Counter<long> _validations;

    public DnssecMetrics()
    {
        _validations = _meter.CreateCounter<long>("resolver.dnssec.validations", "{answer}", "Upstream answers validated, by result (secure, insecure, bogus, indeterminate)");
    }

    public void Validated(ValidationState state) =>
        _validations.Add(1, new KeyValuePair<string, object?>("result", state switch
        {
            ValidationState.Secure => "secure",
            ValidationState.Insecure => "insecure",
            ValidationState.Bogus => "bogus",
            _ => "indeterminate",
        }));

    public void Dispose() => _meter.Dispose();
}

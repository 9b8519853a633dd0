using System.Diagnostics.Metrics;

namespace Resolver.Core.Forwarding;

/// <summary>Counters of the forwarder in the meter "Resolver.Core" (names in README.md).</summary>
public sealed class ForwarderMetrics : IDisposable
{
    public const string MeterName = "Resolver.Core";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _upstreamQueries;
    private readonly Histogram<double> _rtt;
    private readonly Counter<long> _hedgesFired;
    private readonly Counter<long> _hedgesWon;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _circuitsOpened;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _probes;

    public ForwarderMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _upstreamQueries = Meter.CreateCounter<long>("resolver.upstream.queries", "{query}",
            "Queries sent upstream (tags: upstream, outcome = answer|servfail|refused|other_rcode|timeout|network_error|malformed|cancelled).");
        _rtt = Meter.CreateHistogram<double>("resolver.upstream.rtt", "s", "Round-trip time of upstream answers (tag: upstream).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] });
        _hedgesFired = Meter.CreateCounter<long>("resolver.upstream.hedges.fired", "{query}", "Hedged queries sent because the chosen upstream was slower than usual.");
        _hedgesWon = Meter.CreateCounter<long>("resolver.upstream.hedges.won", "{query}", "Hedged queries whose answer arrived first.");
        _coalesced = Meter.CreateCounter<long>("resolver.forwarder.coalesced", "{query}", "Client queries that joined an identical query already in flight.");
        _circuitsOpened = Meter.CreateCounter<long>("resolver.upstream.circuit_opened", "{event}", "Times an upstream's circuit opened (tag: upstream).");
        _probes = Meter.CreateCounter<long>("resolver.upstream.probes", "{query}", "Probe queries sent to an upstream whose circuit is half-open (tag: upstream).");
        _failures = Meter.CreateCounter<long>("resolver.forwarder.failures", "{query}", "Forwarded queries that got no usable answer (tag: reason).");
    }

    public Meter Meter { get; }

    internal void UpstreamQuery(UpstreamServer server, string outcome) =>
        _upstreamQueries.Add(1, new KeyValuePair<string, object?>("upstream", server.Name), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Rtt(UpstreamServer server, TimeSpan rtt) =>
        _rtt.Record(rtt.TotalSeconds, new KeyValuePair<string, object?>("upstream", server.Name));

    internal void HedgeFired() => _hedgesFired.Add(1);

    internal void HedgeWon() => _hedgesWon.Add(1);

    internal void Coalesced() => _coalesced.Add(1);

    internal void CircuitOpened(UpstreamServer server) =>
        _circuitsOpened.Add(1, new KeyValuePair<string, object?>("upstream", server.Name));

    internal void ProbeSent(UpstreamServer server) =>
        _probes.Add(1, new KeyValuePair<string, object?>("upstream", server.Name));

    internal void Failure(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}

using System.Net;
using Resolver.Client.Upstreams;

namespace Resolver.Core.Forwarding;

/// <summary>Where an upstream's circuit stands (a circuit breaker per upstream).</summary>
public enum CircuitState
{
    /// <summary>Healthy: used normally.</summary>
    Closed,

    /// <summary>Failed too often: skipped until the break ends.</summary>
    Open,

    /// <summary>The break has ended: one query at a time probes it; its answer closes the circuit, its failure reopens it.</summary>
    HalfOpen,
}

/// <summary>
/// One upstream and what we have learnt about it: smoothed RTT and attempt timeout, and a
/// small circuit breaker. A per-upstream state of our own (rather than Polly's circuit breaker)
/// because the breaker must steer upstream choice before an attempt, not fail an attempt
/// after it was chosen. Thread-safe; shared by all queries.
/// </summary>
public sealed class UpstreamServer
{
    private readonly Lock _lock = new();
    private readonly RttEstimator _rtt;
    private readonly ForwarderOptions _options;
    private readonly TimeProvider _time;
    private int _consecutiveFailures;
    private int _inFlight;
    private long _lastAnswerAt = long.MinValue;
    private long _openUntil;
    private bool _open;
    private bool _probing;

    public UpstreamServer(IPEndPoint endpoint, ForwarderOptions options, TimeProvider time)
        : this(UpstreamEndpoint.Udp(endpoint), options, time)
    {
    }

    public UpstreamServer(UpstreamEndpoint upstream, ForwarderOptions options, TimeProvider time)
    {
        Upstream = upstream;
        Endpoint = upstream.Address;
        Name = upstream.Text;
        _options = options;
        _time = time;
        _rtt = new RttEstimator(options.InitialAttemptTimeout.TotalMilliseconds, options.MinAttemptTimeout.TotalMilliseconds,
            options.MaxAttemptTimeout.TotalMilliseconds);
    }

    /// <summary>The upstream as configured: transport, address, certificate name and pins.</summary>
    public UpstreamEndpoint Upstream { get; }

    /// <summary>The address queries go to (for an https host name without bootstrap, 0.0.0.0 and the port).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>"address:port" for plain UDP, else the upstream's URI ("tls://192.0.2.1:853#dns.example"): the metric tag.</summary>
    public string Name { get; }

    public CircuitState Circuit
    {
        get
        {
            lock (_lock)
                return !_open ? CircuitState.Closed : _time.GetTimestamp() < _openUntil ? CircuitState.Open : CircuitState.HalfOpen;
        }
    }

    /// <summary>Smoothed RTT in ms, or null before the first answer.</summary>
    public double? SmoothedRttMs
    {
        get
        {
            lock (_lock)
                return _rtt.IsKnown ? _rtt.SmoothedMs : null;
        }
    }

    /// <summary>Queries sent to this upstream and not yet answered, failed or given up (for `resolver control upstreams`).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal void QuerySent() => Interlocked.Increment(ref _inFlight);

    internal void QueryDone() => Interlocked.Decrement(ref _inFlight);

    public TimeSpan AttemptTimeout
    {
        get
        {
            lock (_lock)
                return TimeSpan.FromMilliseconds(_rtt.TimeoutMs);
        }
    }

    internal double RankMs
    {
        get
        {
            lock (_lock)
                return _rtt.RankMs;
        }
    }

    /// <summary>The RTT this upstream usually answers within (see <see cref="RttEstimator.ExpectedMs"/>).</summary>
    internal double? ExpectedRttMs(double quantile)
    {
        lock (_lock)
            return _rtt.ExpectedMs(quantile);
    }

    /// <summary>
    /// True for the one caller that may probe this half-open upstream; until it calls
    /// <see cref="EndProbe"/>, everyone else skips the upstream as if its circuit were open.
    /// </summary>
    internal bool TryBeginProbe()
    {
        lock (_lock)
        {
            if (!_open || _probing || _time.GetTimestamp() < _openUntil)
                return false;
            _probing = true;
            return true;
        }
    }

    /// <summary>True while a probe claimed by <see cref="TryBeginProbe"/> has not ended.</summary>
    internal bool IsProbing
    {
        get
        {
            lock (_lock)
                return _probing;
        }
    }

    /// <summary>The probe is over (its answer or failure has been recorded, or it was never sent).</summary>
    internal void EndProbe()
    {
        lock (_lock)
            _probing = false;
    }

    /// <summary>An answer came back (any RCODE but REFUSED): the server is alive.</summary>
    internal void RecordAnswer(TimeSpan rtt)
    {
        lock (_lock)
        {
            _rtt.AddSample(rtt.TotalMilliseconds);
            _lastAnswerAt = _time.GetTimestamp();
            _consecutiveFailures = 0;
            _open = false;
        }
    }

    /// <summary>
    /// Timeout, network error, malformed answer or REFUSED, for a query sent at <paramref name="sentAt"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/>). Returns true when this opened the circuit.
    /// </summary>
    /// <remarks>
    /// A timeout counts against the upstream only if nothing has been answered since its query was sent. With
    /// hundreds of queries in flight, one stall (a lost burst, or this process too busy to read its sockets for
    /// 50 ms) times out a whole batch at once while the upstream keeps answering the rest: counted, that batch
    /// opened the circuit and turned a healthy upstream's queries into SERVFAIL, 1,600 a second under a flood
    /// of misses, and doubled the RTO for nothing. An answer after the send is proof the server was alive.
    /// </remarks>
    internal bool RecordFailure(bool timedOut, long sentAt)
    {
        lock (_lock)
        {
            if (timedOut && _lastAnswerAt > sentAt)
                return false;
            if (timedOut)
                _rtt.OnTimeout();
            _consecutiveFailures++;
            bool wasClosed = !_open;
            bool halfOpen = _open && _time.GetTimestamp() >= _openUntil;
            if (_consecutiveFailures < _options.CircuitFailureThreshold && !halfOpen)
                return false;
            // Open, or reopen after a failed probe.
            _open = true;
            _openUntil = _time.GetTimestamp() + (long)(_options.CircuitBreakDuration.TotalSeconds * _time.TimestampFrequency);
            return wasClosed || halfOpen;
        }
    }

    /// <summary>Cancelled because another upstream answered first after <paramref name="elapsed"/>.</summary>
    internal void RecordOvertaken(TimeSpan elapsed)
    {
        lock (_lock)
            _rtt.AddLowerBound(elapsed.TotalMilliseconds);
    }

    public override string ToString() => Name;
}

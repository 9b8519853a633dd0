namespace Resolver.Core.Forwarding;

/// <summary>
/// Smoothed round-trip time of one upstream and the attempt timeout derived from it, as TCP
/// does it (RFC 6298 §2) and Unbound does for DNS servers: SRTT and RTTVAR updated with gains
/// 1/8 and 1/4, RTO = SRTT + 4 RTTVAR bounded to [min, max], doubled on each timeout (§5.5)
/// until the next answer. Keeps the last 32 RTTs for the hedge delay quantile.
/// Not thread-safe; <see cref="UpstreamServer"/> locks around it.
/// </summary>
internal sealed class RttEstimator(double initialRtoMs, double minRtoMs, double maxRtoMs)
{
    private const int SampleCapacity = 32;
    private const int MinSamplesForQuantile = 8;

    private readonly double[] _samples = new double[SampleCapacity];
    private int _sampleCount;
    private int _nextSample;
    private int _backoff;

    public bool IsKnown { get; private set; }

    public double SmoothedMs { get; private set; }

    public double VarianceMs { get; private set; }

    /// <summary>The attempt timeout in milliseconds (RFC 6298 §2.2/§2.3, with §5.5 backoff).</summary>
    public double TimeoutMs
    {
        get
        {
            double rto = IsKnown ? SmoothedMs + 4 * VarianceMs : initialRtoMs;
            rto = Math.Clamp(rto, minRtoMs, maxRtoMs);
            return Math.Min(rto * (1 << Math.Min(_backoff, 10)), maxRtoMs);
        }
    }

    /// <summary>How an upstream ranks: its timeout (so timeouts and jitter cost rank); unknown ranks first so it gets measured.</summary>
    public double RankMs => IsKnown || _backoff > 0 ? TimeoutMs : 0;

    public void AddSample(double rttMs)
    {
        if (!IsKnown)
        {
            // RFC 6298 §2.2: first measurement.
            SmoothedMs = rttMs;
            VarianceMs = rttMs / 2;
            IsKnown = true;
        }
        else
        {
            // RFC 6298 §2.3: RTTVAR first, with the old SRTT.
            VarianceMs = 0.75 * VarianceMs + 0.25 * Math.Abs(SmoothedMs - rttMs);
            SmoothedMs = 0.875 * SmoothedMs + 0.125 * rttMs;
        }
        _backoff = 0;
        _samples[_nextSample] = rttMs;
        _nextSample = (_nextSample + 1) % SampleCapacity;
        _sampleCount = Math.Min(_sampleCount + 1, SampleCapacity);
    }

    /// <summary>
    /// A query cancelled after <paramref name="elapsedMs"/> because another upstream answered first:
    /// its RTT is at least that, which moves SRTT up (never down) without counting as an answer.
    /// </summary>
    public void AddLowerBound(double elapsedMs)
    {
        if (IsKnown && elapsedMs > SmoothedMs)
        {
            VarianceMs = 0.75 * VarianceMs + 0.25 * (elapsedMs - SmoothedMs);
            SmoothedMs = 0.875 * SmoothedMs + 0.125 * elapsedMs;
        }
    }

    /// <summary>RFC 6298 §5.5: back off the timer after a timeout.</summary>
    public void OnTimeout() => _backoff++;

    /// <summary>
    /// The RTT this upstream usually answers within: the <paramref name="quantile"/> of recent
    /// RTTs once there are enough of them, else SRTT + 2 RTTVAR, else null (unknown).
    /// </summary>
    public double? ExpectedMs(double quantile)
    {
        if (_sampleCount >= MinSamplesForQuantile)
        {
            Span<double> sorted = stackalloc double[SampleCapacity];
            _samples.AsSpan(0, _sampleCount).CopyTo(sorted);
            sorted = sorted[.._sampleCount];
            sorted.Sort();
            int index = Math.Clamp((int)Math.Ceiling(quantile * _sampleCount) - 1, 0, _sampleCount - 1);
            return sorted[index];
        }
        return IsKnown ? SmoothedMs + 2 * VarianceMs : null;
    }
}

using System.Buffers.Binary;
using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Admission;

/// <summary>
/// Limits how fast each client address may query (a token bucket per address), so one client,
/// or a flood spoofing one victim's address, cannot take the resolver for itself or use it as
/// an amplifier. Over the rate a query is dropped or REFUSED; loopback is exempt by default.
/// Time is the injected <see cref="TimeProvider"/>'s (see <see cref="ClientRateTable"/> for why not the runtime's limiter).
/// </summary>
public sealed class RateLimitStage : IQueryStage, IClientAdmission, IDisposable
{
    private readonly ClientRateTable _table;
    private readonly RateLimitOptions _options;
    private readonly AdmissionMetrics _metrics;
    private readonly ITimer _sweeper;

    /// <param name="timeProvider">The host's clock (System unless a test puts its own): the buckets refill and idle
    /// clients are forgotten on its time, so a test advances it rather than sleeping.</param>
    public RateLimitStage(RateLimitOptions options, AdmissionMetrics metrics, TimeProvider? timeProvider = null)
    {
        SettingErrors.ThrowIfAny(options.Validate(), nameof(options));
        _options = options;
        _metrics = metrics;
        var time = timeProvider ?? TimeProvider.System;
        _table = new ClientRateTable(options, time);
        // Forgetting idle clients is background work: the query path never scans the table.
        var period = TimeSpan.FromSeconds(Math.Max(1, options.IdleSeconds / 2));
        _sweeper = time.CreateTimer(static state => ((ClientRateTable)state!).Sweep(), _table, period, period);
        metrics.Meter.CreateObservableGauge("resolver.ratelimit.clients", () => _table.Count, "{client}",
            "Client addresses the rate limit tracks now.");
    }

    /// <summary>Client addresses tracked now.</summary>
    public int TrackedClients => _table.Count;

    public AdmissionVerdict Admit(System.Net.IPAddress client)
    {
        if (!_options.Enabled)
            return AdmissionVerdict.Admit;
        Span<byte> bytes = stackalloc byte[16];
        if (!AddressPrefix.ToMapped(client, bytes))
            return AdmissionVerdict.Admit;
        if (_options.ExemptLoopback && IsLoopback(bytes))
            return AdmissionVerdict.Admit;
        if (_table.TryAcquire(BinaryPrimitives.ReadUInt128BigEndian(bytes)))
            return AdmissionVerdict.Admit;

        if (_options.Action == RateLimitAction.Drop)
        {
            _metrics.Dropped(AdmissionMetrics.RateLimit);
            return AdmissionVerdict.Drop;
        }
        _metrics.Refused(AdmissionMetrics.RateLimit);
        return AdmissionVerdict.Refuse;
    }

    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken) =>
        new(AdmissionAnswer.For(Admit(request.Context.Client.Address), request, response.Span));

    /// <summary>Forgets idle clients now (the timer does this every half idle time).</summary>
    internal void Sweep() => _table.Sweep();

    public void Dispose() => _sweeper.Dispose();

    // 127.0.0.0/8 (RFC 1122 §3.2.1.3) as ::ffff:127.x.y.z, or ::1 (RFC 4291 §2.5.3).
    private static bool IsLoopback(ReadOnlySpan<byte> mapped) =>
        AddressPrefix.IsMappedIPv4(mapped)
            ? mapped[12] == 127
            : BinaryPrimitives.ReadUInt64BigEndian(mapped) == 0 && BinaryPrimitives.ReadUInt64BigEndian(mapped[8..]) == 1;
}

using Resolver.Client;

namespace Resolver.Core.Forwarding;

/// <summary>
/// One attempt of a forwarded query: ask the primary upstream; if it has not answered after the
/// hedge delay, ask the partner too. The first answer wins and the other query is cancelled;
/// when one fails, the other is still awaited. Every exchange updates its upstream's RTT,
/// circuit and metrics. Never throws for upstream trouble: the outcome says what happened.
/// </summary>
internal sealed class HedgedAttempt(IDnsExchange exchange, ForwarderOptions options, TimeProvider time, ForwarderMetrics metrics)
{
    public ValueTask<AttemptOutcome> RunAsync(AttemptPlan plan, CancellationToken cancellationToken) =>
        // No partner (one upstream, or hedging off): no race, so no linked token, no flag and no state machine of its own.
        plan.Partner is null
            ? new ValueTask<AttemptOutcome>(AskAsync(plan.Primary, plan.Query, RaceFlag.Never, plan.FinalWait, cancellationToken))
            : RaceAsync(plan, plan.Primary, plan.Partner, cancellationToken);

    private async ValueTask<AttemptOutcome> RaceAsync(AttemptPlan plan, UpstreamServer primary, UpstreamServer partner, CancellationToken cancellationToken)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var overtaken = new RaceFlag();
        var first = AskAsync(primary, plan.Query, overtaken, plan.FinalWait, race.Token);

        var timer = Task.Delay(plan.HedgeDelay, time, race.Token);
        if (await Task.WhenAny(first, timer).ConfigureAwait(false) == first || cancellationToken.IsCancellationRequested)
        {
            race.Cancel(); // stops the timer only
            return await first.ConfigureAwait(false);
        }

        metrics.HedgeFired();
        var second = AskAsync(partner, plan.Query, overtaken, plan.FinalWait, race.Token);
        var done = await Task.WhenAny(first, second).ConfigureAwait(false);
        var outcome = await done.ConfigureAwait(false);
        var other = done == first ? second : first;
        if (outcome.IsAnswer)
        {
            overtaken.Set();
            race.Cancel();
            await other.ConfigureAwait(false);
        }
        else
        {
            // One failed: the other may still answer within the attempt.
            var otherOutcome = await other.ConfigureAwait(false);
            if (otherOutcome.IsAnswer || (otherOutcome.Result is not null && outcome.Result is null))
            {
                outcome = otherOutcome;
                done = other;
            }
        }
        if (done == second && outcome.IsAnswer)
            metrics.HedgeWon();
        return outcome with { UpstreamsUsed = 2 };
    }

    /// <summary>
    /// Probes a half-open upstream with a copy of a live query, beside the client's own attempts:
    /// its answer closes the circuit, its failure or silence (within twice the upstream's attempt
    /// timeout) reopens it. Ends the probe claim; never throws.
    /// </summary>
    public async Task ProbeAsync(UpstreamServer server, UpstreamQuery query, CancellationToken stopping)
    {
        try
        {
            metrics.ProbeSent(server);
            using var budget = new CancellationTokenSource(server.AttemptTimeout * 2, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, budget.Token);
            await AskAsync(server, query, new RaceFlag(), udpWait: null, linked.Token).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The forwarder was disposed while the probe ran: nothing left to record.
        }
        finally
        {
            server.EndProbe();
        }
    }

    /// <param name="udpWait">How long the UDP exchange waits for its answer; null for the upstream's RTO.</param>
    private async Task<AttemptOutcome> AskAsync(UpstreamServer server, UpstreamQuery query, RaceFlag overtaken, TimeSpan? udpWait,
        CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        var exchangeOptions = new ExchangeOptions { UdpReceiveTimeout = udpWait ?? server.AttemptTimeout, UdpPayloadSize = options.UdpPayloadSize };
        AttemptOutcome outcome;
        // In flight from here to the end of the exchange, whichever way it ends (no state machine of its own).
        server.QuerySent();
        try
        {
            // Failures come back as values: a timeout past the adaptive RTO is routine under load, not exceptional.
            var exchanged = await exchange.TryExchangeAsync(server.Upstream, query, exchangeOptions, cancellationToken).ConfigureAwait(false);
            if (exchanged.Result is { } result)
            {
                var elapsed = time.GetElapsedTime(start);
                outcome = new AttemptOutcome(server, AttemptOutcome.Classify(result.Response.ResponseCode), result);
                metrics.Rtt(server, elapsed);
                if (outcome.Status == AttemptStatus.Refused)
                    RecordFailure(server, timedOut: false, start);
                else
                    server.RecordAnswer(elapsed);
            }
            else
            {
                var status = exchanged.Failure!.Kind switch
                {
                    UpstreamFailureKind.Timeout => AttemptStatus.Timeout,
                    // A refused certificate counts against the upstream as a network error would (RFC 8310 §5: no clear-text retry).
                    UpstreamFailureKind.NetworkError or UpstreamFailureKind.TlsFailure => AttemptStatus.NetworkError,
                    _ => AttemptStatus.Malformed,
                };
                RecordFailure(server, status == AttemptStatus.Timeout, start);
                outcome = new AttemptOutcome(server, status, null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (overtaken.IsSet)
            {
                server.RecordOvertaken(time.GetElapsedTime(start));
                outcome = new AttemptOutcome(server, AttemptStatus.Overtaken, null);
            }
            else
            {
                // The attempt's time ran out (its own timeout or the overall deadline).
                RecordFailure(server, timedOut: true, start);
                outcome = new AttemptOutcome(server, AttemptStatus.Timeout, null);
            }
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException)
        {
            RecordFailure(server, timedOut: false, start);
            outcome = new AttemptOutcome(server, AttemptStatus.NetworkError, null);
        }
        finally
        {
            server.QueryDone();
        }
        metrics.UpstreamQuery(server, AttemptOutcome.Tag(outcome.Status));
        return outcome;
    }

    private void RecordFailure(UpstreamServer server, bool timedOut, long sentAt)
    {
        if (server.RecordFailure(timedOut, sentAt))
            metrics.CircuitOpened(server);
    }

    /// <summary>Set before the loser of a race is cancelled, so its cancellation is not taken for a timeout.</summary>
    private sealed class RaceFlag
    {
        /// <summary>For an attempt that races nobody: never set.</summary>
        public static readonly RaceFlag Never = new();

        private int _set;

        public bool IsSet => Volatile.Read(ref _set) != 0;

        public void Set() => Volatile.Write(ref _set, 1);
    }
}

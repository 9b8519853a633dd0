namespace Resolver.Core.Forwarding;

/// <summary>
/// The attempts of one forwarded query, one after another:
/// <list type="number">
/// <item>overall deadline (default 3 s): after it the client is answered anyway (stale or SERVFAIL);</item>
/// <item>retry on timeout, network error, malformed answer, SERVFAIL, REFUSED or any other RCODE, at most
/// <see cref="ForwarderOptions.MaxAttempts"/> attempts; each moves to the next upstream of the query's
/// <see cref="AttemptPlan"/>, at once, except that the same upstream again after a failure that took no time
/// waits <see cref="RetryPause"/> times the attempts so far;</item>
/// <item>per-attempt timeout from the chosen upstream's RTO (twice, to leave room for a TCP retry after TC=1, and
/// longer when a hedge is planned), cut to what is left of the deadline; the last attempt waits for the rest of the
/// deadline (<see cref="AttemptPlan.FinalWait"/>): a burst that outlasts the RTOs must not end in an early SERVFAIL
/// from a healthy upstream (seen in CI: 38 of 2,000 burst queries gave up at 2 s of a 3 s deadline).</item>
/// </list>
/// </summary>
/// <remarks>
/// This was a Polly v8 pipeline (timeout, retry, timeout). Measured on the sustained miss load
/// (scripts/profile-misses.sh), its per-query state was about 2.1 KB of the 7.7 KB a miss allocated: three nested
/// strategy state machines, the outcome and pipeline wrappers, a pooled context and cancellation source, and a
/// timer per strategy. The rules above need one loop and one timer per attempt, so the loop is written out here;
/// the circuit breaker was already our own (<see cref="UpstreamServer"/>). See docs/design.md, "Departures".
/// </remarks>
internal sealed class ForwardingPolicy(ForwarderOptions options, TimeProvider time, HedgedAttempt attempt)
{
    /// <summary>The pause before asking the same upstream again after a fast failure, times the attempts so far.</summary>
    internal static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(25);

    private static bool FailedFast(AttemptOutcome outcome) => outcome.Status is not (AttemptStatus.Timeout or AttemptStatus.Overtaken or AttemptStatus.Answered);

    /// <summary>
    /// Runs the attempts of <paramref name="plan"/>. Returns the answering outcome, or null when none answered
    /// (the plan's <see cref="AttemptPlan.LastOutcome"/> and <see cref="AttemptPlan.DeadlinePassed"/> say why).
    /// </summary>
    public async Task<AttemptOutcome?> RunAsync(AttemptPlan plan, CancellationToken stopping)
    {
        long started = time.GetTimestamp();
        AttemptOutcome? previous = null;
        for (int tried = 0; tried < options.MaxAttempts; tried++)
        {
            var left = options.OverallDeadline - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || stopping.IsCancellationRequested)
            {
                plan.DeadlinePassed = left <= TimeSpan.Zero;
                return null;
            }
            var budget = plan.PrepareAttempt(options);
            if (previous is not null && FailedFast(previous) && previous.Server == plan.Primary)
            {
                // The same upstream again right after a failure that took no time (a local network error, SERVFAIL,
                // REFUSED, a malformed answer): asked again at once, it fails again at once, and a passing condition
                // (a burst that ran the host out of sockets or buffers) would cost every attempt in a microsecond.
                // A short pause, growing with each try, gives it a chance; a timeout has waited already.
                var pause = TimeSpan.FromMilliseconds(Math.Min(RetryPause.TotalMilliseconds * tried, left.TotalMilliseconds));
                try
                {
                    await Task.Delay(pause, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                left = options.OverallDeadline - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    plan.DeadlinePassed = true;
                    return null;
                }
            }
            bool last = tried == options.MaxAttempts - 1;
            plan.FinalWait = last ? left : null;
            bool endsAtDeadline = last || budget >= left;
            AttemptOutcome outcome;
            // One source per attempt: its timer is the attempt's timeout, and the forwarder stopping cancels it too.
            using (var limit = new CancellationTokenSource(endsAtDeadline ? left : budget, time))
            using (stopping.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), limit))
            {
                outcome = await attempt.RunAsync(plan, limit.Token).ConfigureAwait(false);
                plan.Record(outcome);
                previous = outcome;
                if (outcome.IsAnswer)
                    return outcome;
                if (limit.IsCancellationRequested && endsAtDeadline && !stopping.IsCancellationRequested)
                {
                    plan.DeadlinePassed = true;
                    return null;
                }
            }
        }
        return null;
    }
}

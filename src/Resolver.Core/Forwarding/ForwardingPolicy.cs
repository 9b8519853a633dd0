using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Resolver.Core.Forwarding;

/// <summary>
/// The Polly v8 resilience pipeline every forwarded query runs through, outermost first:
/// <list type="number">
/// <item>overall deadline (default 3 s): after it the client is answered anyway (stale or SERVFAIL);</item>
/// <item>retry without delay on timeout, network error, malformed answer, SERVFAIL, REFUSED or any
/// other RCODE; each retry moves to the next upstream of the query's <see cref="AttemptPlan"/>;</item>
/// <item>per-attempt timeout from the chosen upstream's RTO (twice, to leave room for a TCP retry
/// after TC=1, and longer when a hedge is planned).</item>
/// </list>
/// The pipeline is built once; per-query state travels in the <see cref="ResilienceContext"/>.
/// </summary>
internal sealed class ForwardingPolicy
{
    private static readonly ResiliencePropertyKey<AttemptPlan> PlanKey = new("resolver.forwarder.plan");

    private readonly ResiliencePipeline<AttemptOutcome> _pipeline;
    private readonly HedgedAttempt _attempt;

    public ForwardingPolicy(ForwarderOptions options, TimeProvider time, HedgedAttempt attempt)
    {
        _attempt = attempt;
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = options.OverallDeadline,
                OnTimeout = static args =>
                {
                    args.Context.Properties.GetValue(PlanKey, null!).DeadlinePassed = true;
                    return default;
                },
            });
        // Polly refuses a retry strategy with no retries, and MaxAttempts = 1 is a valid setting.
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is TimeoutRejectedException
                    || args.Outcome.Result is { IsAnswer: false }),
            });
        }
        _pipeline = builder
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => new ValueTask<TimeSpan>(
                    args.Context.Properties.GetValue(PlanKey, null!).PrepareAttempt(options)),
            })
            .Build();
    }

    /// <summary>
    /// Runs the attempts of <paramref name="plan"/>. Returns the answering outcome, or null when
    /// none answered (the plan's <see cref="AttemptPlan.LastOutcome"/> and
    /// <see cref="AttemptPlan.DeadlinePassed"/> say why).
    /// </summary>
    public async Task<AttemptOutcome?> RunAsync(AttemptPlan plan, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PlanKey, plan);
        try
        {
            var outcome = await _pipeline.ExecuteAsync(static async (context, state) =>
            {
                var (attempt, plan) = state;
                var result = await attempt.RunAsync(plan, context.CancellationToken).ConfigureAwait(false);
                plan.Record(result);
                // A cancelled attempt must look cancelled, so the timeout strategies report it as theirs.
                context.CancellationToken.ThrowIfCancellationRequested();
                return result;
            }, context, (_attempt, plan)).ConfigureAwait(false);
            return outcome.IsAnswer ? outcome : null;
        }
        catch (TimeoutRejectedException)
        {
            // The overall deadline, or the last attempt's own timeout with no retries left.
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

using Resolver.Client;

namespace Resolver.Core.Forwarding;

/// <summary>
/// The state of one forwarded query across its attempts: the upstream order chosen for it,
/// which upstream the next attempt uses (each attempt moves on; a hedged attempt uses two), and
/// the outcomes so far. Attempts run one after another (<see cref="ForwardingPolicy"/>), so no locking is needed.
/// </summary>
internal sealed class AttemptPlan(UpstreamServer[] order, UpstreamQuery query)
{
    private int _cursor;

    public UpstreamQuery Query { get; } = query;

    public UpstreamServer[] Order { get; } = order;

    public UpstreamServer Primary { get; private set; } = order[0];

    public UpstreamServer? Partner { get; private set; }

    public TimeSpan HedgeDelay { get; private set; }

    /// <summary>
    /// Set for the last attempt only: how long its UDP exchange waits (the rest of the deadline) instead of one RTO.
    /// Giving up on the last attempt after one RTO would answer SERVFAIL before the deadline from an upstream that
    /// is only slow for a moment (a burst queued at it); the client waits the deadline anyway.
    /// </summary>
    public TimeSpan? FinalWait { get; set; }

    /// <summary>The last outcome of each kind worth reporting: an upstream's own answer beats a timeout.</summary>
    public AttemptOutcome? LastOutcome { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Set when the overall deadline ended the query.</summary>
    public bool DeadlinePassed { get; set; }

    /// <summary>Chooses the upstream(s) of the next attempt and returns how long the attempt may take.</summary>
    public TimeSpan PrepareAttempt(ForwarderOptions options)
    {
        Primary = Order[_cursor % Order.Length];
        Partner = options.Hedging && Order.Length > 1 ? Order[(_cursor + 1) % Order.Length] : null;
        // UDP waits one RTO; the attempt allows a second for a TCP retry after TC=1.
        var budget = Primary.AttemptTimeout * 2;
        if (Partner is not null)
        {
            HedgeDelay = ComputeHedgeDelay(Primary, Partner, options);
            var partnerBudget = HedgeDelay + Partner.AttemptTimeout * 2;
            if (partnerBudget > budget)
                budget = partnerBudget;
        }
        return budget;
    }

    public void Record(AttemptOutcome outcome)
    {
        Attempts++;
        _cursor += outcome.UpstreamsUsed;
        if (LastOutcome is null || outcome.Result is not null || LastOutcome.Result is null)
            LastOutcome = outcome;
    }

    /// <summary>
    /// Hedge when the primary has taken longer than the faster of the two usually needs: the
    /// primary's RTT quantile when it is the best, and the partner's when the primary was picked
    /// to explore a slower server (so exploring costs the client nothing).
    /// </summary>
    private static TimeSpan ComputeHedgeDelay(UpstreamServer primary, UpstreamServer partner, ForwarderOptions options)
    {
        double? mine = primary.ExpectedRttMs(options.HedgeQuantile);
        double? theirs = partner.ExpectedRttMs(options.HedgeQuantile);
        double ms = (mine, theirs) switch
        {
            (double a, double b) => Math.Min(a, b),
            (double a, null) => a,
            (null, double b) => b,
            // Nothing known about either: a quarter of the initial timeout.
            _ => options.InitialAttemptTimeout.TotalMilliseconds / 4,
        };
        return TimeSpan.FromMilliseconds(Math.Max(ms, options.MinHedgeDelay.TotalMilliseconds));
    }
}

namespace Resolver.Core.Forwarding;

/// <summary>
/// Orders the upstreams a query may use: open circuits left out, half-open ones too unless this
/// query wins the right to probe one (only one probe at a time per upstream), the rest by rank (attempt
/// timeout, so slow, jittery or timing-out servers sink; never-measured servers first so they
/// get measured), ties kept in configuration order. With probability ExplorationRate the first
/// place goes to a random other upstream, so the ranking keeps learning (Unbound picks randomly
/// within a band for the same reason).
/// A query never finds itself with nothing to try: when every circuit is open and no probe
/// could be claimed, the best-ranked upstream is returned anyway (as the probe), so a recovered
/// upstream is used at once and one broken name cannot take every other name down for the
/// whole break.
/// </summary>
public sealed class UpstreamSelector(ForwarderOptions options, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>
    /// The closed upstreams in the order to try them. <paramref name="probe"/> is a half-open
    /// upstream this query has claimed to probe (at most one): the caller must end the probe
    /// (<see cref="UpstreamServer.EndProbe"/>) whether or not it sends one.
    /// </summary>
    public UpstreamServer[] Order(UpstreamServer[] group, out UpstreamServer? probe)
    {
        probe = null;
        int count = 0;
        var ranks = new double[group.Length];
        var available = new UpstreamServer[group.Length];
        foreach (var server in group)
        {
            var circuit = server.Circuit;
            if (circuit == CircuitState.HalfOpen && probe is null && server.TryBeginProbe())
                probe = server;
            if (circuit != CircuitState.Closed)
                continue;
            ranks[count] = server.RankMs;
            available[count++] = server;
        }
        if (count == 0 && probe is null && group.Length > 0)
            return [BestRanked(group)];
        Array.Resize(ref available, count);
        // Stable insertion sort: lists are short, and equal ranks keep configuration order.
        for (int i = 1; i < count; i++)
        {
            var server = available[i];
            double rank = ranks[i];
            int j = i - 1;
            for (; j >= 0 && ranks[j] > rank; j--)
            {
                available[j + 1] = available[j];
                ranks[j + 1] = ranks[j];
            }
            available[j + 1] = server;
            ranks[j + 1] = rank;
        }
        if (count > 1 && _random.NextDouble() < options.ExplorationRate)
        {
            int other = 1 + _random.Next(count - 1);
            (available[0], available[other]) = (available[other], available[0]);
        }
        return available;
    }

    /// <summary>The upstream with the lowest rank whatever its circuit (ties: configuration order).</summary>
    private static UpstreamServer BestRanked(UpstreamServer[] group)
    {
        var best = group[0];
        double bestRank = best.RankMs;
        for (int i = 1; i < group.Length; i++)
        {
            double rank = group[i].RankMs;
            if (rank < bestRank)
                (best, bestRank) = (group[i], rank);
        }
        return best;
    }
}

using Resolver.Client.Upstreams;

namespace Resolver.Core.Forwarding;

/// <summary>Settings of the forwarder (configuration section Resolver:Forwarder). See README.md for the reasoning.</summary>
public sealed class ForwarderOptions
{
    /// <summary>Default upstreams as "address[:port]" ("192.0.2.1", "[::1]:5300") or URIs (tcp://, tls://, https://; see <see cref="UpstreamUri"/>).</summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary>Conditional forwarding: domain suffix -> its own upstream list. The longest matching suffix wins.</summary>
    public Dictionary<string, List<string>> DomainUpstreams { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attempt timeout for a server we have no RTT for yet (Unbound: 376 ms; RFC 6298 would say 1 s).</summary>
    public TimeSpan InitialAttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Lower bound of the adaptive attempt timeout (RTO = SRTT + 4 RTTVAR).</summary>
    public TimeSpan MinAttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Upper bound of the adaptive attempt timeout, backoff included.</summary>
    public TimeSpan MaxAttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After this the client gets an answer anyway: stale data, else SERVFAIL with an EDE.</summary>
    public TimeSpan OverallDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Most attempts per query (the first included); each moves to the next upstream.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Ask the next-best upstream too when the chosen one is slower than it usually is.</summary>
    public bool Hedging { get; set; } = true;

    /// <summary>The quantile of recent RTTs after which a hedge is sent (0.9: only the slowest tenth gets hedged).</summary>
    public double HedgeQuantile { get; set; } = 0.9;

    /// <summary>Never hedge sooner than this: below it the second query costs more than it saves.</summary>
    public TimeSpan MinHedgeDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Share of queries sent to a random upstream instead of the fastest, so RTTs stay current.</summary>
    public double ExplorationRate { get; set; } = 0.05;

    /// <summary>Consecutive failures (timeout, network error, malformed, REFUSED) that open an upstream's circuit.</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit skips the upstream before one query probes it again.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Send OPT upstream. The client falls back to plain DNS by itself when a server answers
    /// FORMERR/NOTIMP/BADVERS to EDNS and remembers it per server.
    /// </summary>
    public bool UseEdns { get; set; } = true;

    /// <summary>UDP payload size we advertise upstream (DNS flag day 2020).</summary>
    public ushort UdpPayloadSize { get; set; } = 1232;

    /// <summary>Every bad setting, each named with its key (upstream syntax included); empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        // No upstream at all is allowed: a resolver serving only local zones answers REFUSED for the rest.
        CollectAddressErrors("Resolver:Forwarder:Upstreams", Upstreams, errors);
        foreach (var (suffix, list) in DomainUpstreams)
        {
            if (!Protocol.DnsName.TryParse(suffix.EndsWith('.') ? suffix : suffix + ".", out _))
                errors.Add($"Resolver:Forwarder:DomainUpstreams: '{suffix}' is not a domain name");
            if (list is null || list.Count == 0)
                errors.Add($"Resolver:Forwarder:DomainUpstreams:{suffix} has no upstreams");
            else
                CollectAddressErrors($"Resolver:Forwarder:DomainUpstreams:{suffix}", list, errors);
        }
        if (MinAttemptTimeout <= TimeSpan.Zero || MinAttemptTimeout > MaxAttemptTimeout)
            errors.Add($"Resolver:Forwarder: need 0 < MinAttemptTimeout ({MinAttemptTimeout}) <= MaxAttemptTimeout ({MaxAttemptTimeout})");
        if (InitialAttemptTimeout < MinAttemptTimeout || InitialAttemptTimeout > MaxAttemptTimeout)
            errors.Add($"Resolver:Forwarder:InitialAttemptTimeout ({InitialAttemptTimeout}) must lie within the attempt timeout bounds");
        if (OverallDeadline <= TimeSpan.Zero)
            errors.Add($"Resolver:Forwarder:OverallDeadline must be positive (was {OverallDeadline})");
        if (MaxAttempts is < 1 or > 20)
            errors.Add($"Resolver:Forwarder:MaxAttempts must be 1..20 (was {MaxAttempts})");
        if (HedgeQuantile is <= 0 or > 1)
            errors.Add($"Resolver:Forwarder:HedgeQuantile must be in (0, 1] (was {HedgeQuantile})");
        if (ExplorationRate is < 0 or > 1)
            errors.Add($"Resolver:Forwarder:ExplorationRate must be in [0, 1] (was {ExplorationRate})");
        if (CircuitFailureThreshold < 1)
            errors.Add($"Resolver:Forwarder:CircuitFailureThreshold must be at least 1 (was {CircuitFailureThreshold})");
        if (CircuitBreakDuration < TimeSpan.Zero)
            errors.Add($"Resolver:Forwarder:CircuitBreakDuration must not be negative (was {CircuitBreakDuration})");
        if (UdpPayloadSize < 512)
            errors.Add($"Resolver:Forwarder:UdpPayloadSize must be at least 512 (was {UdpPayloadSize})");
        return errors;
    }

    private static void CollectAddressErrors(string setting, List<string> addresses, List<string> errors)
    {
        foreach (var text in addresses)
        {
            if (!UpstreamUri.TryParse(text, out _, out string? error))
                errors.Add($"{setting}: {error}");
        }
    }
}

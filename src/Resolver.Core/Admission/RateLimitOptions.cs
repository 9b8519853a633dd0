namespace Resolver.Core.Admission;

/// <summary>What happens to a query over a client's rate.</summary>
public enum RateLimitAction
{
    /// <summary>Send nothing: a spoofed flood gets no reflection (the usual choice, as Unbound's ip-ratelimit).</summary>
    Drop,

    /// <summary>Answer REFUSED, so a real client learns it is limited.</summary>
    Refuse,
}

/// <summary>Settings of the per-client rate limit (suggested section <c>Resolver:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Resolver:RateLimit";

    public bool Enabled { get; set; } = true;

    /// <summary>Sustained queries per second one client address may send.</summary>
    public int QueriesPerSecond { get; set; } = 1000;

    /// <summary>How many queries a quiet client may send at once before the rate applies (the bucket size).</summary>
    public int Burst { get; set; } = 2000;

    public RateLimitAction Action { get; set; } = RateLimitAction.Drop;

    /// <summary>Loopback clients (127.0.0.0/8, ::1) are never limited: they are this machine's own programs.</summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>
    /// Most client addresses tracked at once. Past it, new addresses share one bucket with the
    /// same rate, so a flood from spoofed addresses cannot grow memory without bound.
    /// </summary>
    public int MaxTrackedClients { get; set; } = 100_000;

    /// <summary>A client whose bucket has been full this long is forgotten.</summary>
    public int IdleSeconds { get; set; } = 60;

    /// <summary>Every problem, one message each (for options validation).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (QueriesPerSecond < 1)
            errors.Add($"{SectionName}:QueriesPerSecond must be at least 1, not {QueriesPerSecond}");
        if (Burst < 1)
            errors.Add($"{SectionName}:Burst must be at least 1, not {Burst}");
        if (MaxTrackedClients < 1)
            errors.Add($"{SectionName}:MaxTrackedClients must be at least 1, not {MaxTrackedClients}");
        if (IdleSeconds < 1)
            errors.Add($"{SectionName}:IdleSeconds must be at least 1, not {IdleSeconds}");
        if (!Enum.IsDefined(Action))
            errors.Add($"{SectionName}:Action '{Action}' is not drop or refuse");
        return errors;
    }
}

namespace Resolver.Core.SharedCache;

/// <summary>Settings of the shared (second-level) cache, section <c>Resolver:SharedCache</c>. See README.md.</summary>
public sealed class SharedCacheOptions
{
    public const string SectionName = "Resolver:SharedCache";

    /// <summary>Off by default: a single instance has nothing to share.</summary>
    public bool Enabled { get; set; }

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=...</c>.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Put before every key, so several fleets (or other programs) can share one Redis without meeting.</summary>
    public string KeyPrefix { get; set; } = "resolver:";

    /// <summary>
    /// Longest a local miss waits for Redis before it goes upstream as if Redis had said nothing. Loopback or same-rack
    /// Redis answers in well under a millisecond; past a few the upstream is as quick and the wait is pure loss.
    /// </summary>
    public TimeSpan ReadBudget { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Answers waiting to be written to Redis; past it new ones are dropped (and counted), never waited for.</summary>
    public int WriteQueueCapacity { get; set; } = 10_000;

    /// <summary>Consecutive failed reads (errors, or reads the client gave up on) after which Redis is not asked for <see cref="CircuitCoolDown"/>.</summary>
    public int CircuitFailures { get; set; } = 5;

    /// <summary>How long an open circuit keeps Redis out of the query path before one read probes it.</summary>
    public TimeSpan CircuitCoolDown { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// StackExchange.Redis's own connect and command timeouts. Reads are cut at <see cref="ReadBudget"/> by the stage
    /// whatever this is; it bounds how long the writer waits on a stalled Redis and how soon a dead link is given up.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every bad setting, each named with its key; empty when all are valid (or the shared cache is off).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
            return errors;
        if (string.IsNullOrWhiteSpace(Redis))
            errors.Add($"{SectionName}:Redis must name the Redis server (host:port) when {SectionName}:Enabled is true");
        if (ReadBudget <= TimeSpan.Zero || ReadBudget > TimeSpan.FromSeconds(1))
            errors.Add($"{SectionName}:ReadBudget must be more than 0 and at most 1 s (was {ReadBudget})");
        if (WriteQueueCapacity < 1)
            errors.Add($"{SectionName}:WriteQueueCapacity must be at least 1 (was {WriteQueueCapacity})");
        if (CircuitFailures < 1)
            errors.Add($"{SectionName}:CircuitFailures must be at least 1 (was {CircuitFailures})");
        if (CircuitCoolDown <= TimeSpan.Zero)
            errors.Add($"{SectionName}:CircuitCoolDown must be more than 0 (was {CircuitCoolDown})");
        if (CommandTimeout < TimeSpan.FromMilliseconds(10) || CommandTimeout > TimeSpan.FromMinutes(1))
            errors.Add($"{SectionName}:CommandTimeout must be 10 ms .. 1 min (was {CommandTimeout})");
        if (KeyPrefix.Length > 200)
            errors.Add($"{SectionName}:KeyPrefix must be at most 200 characters (was {KeyPrefix.Length})");
        return errors;
    }
}

namespace Resolver.Server.QueryLog;

/// <summary>The structured query log (configuration section Resolver:QueryLog). Off unless Path is set.</summary>
public sealed class QueryLogOptions
{
    /// <summary>File the JSON lines are appended to; empty (the default): no query log.</summary>
    public string? Path { get; set; }

    /// <summary>Log one query in this many (1: every query). Busy servers sample.</summary>
    public int SampleOneIn { get; set; } = 1;

    /// <summary>
    /// Entries waiting for the writer at most. When the writer falls behind (a slow disk), further entries are
    /// dropped and counted (resolver.querylog.dropped) rather than slowing any query.
    /// </summary>
    public int QueueCapacity { get; set; } = 16_384;
}

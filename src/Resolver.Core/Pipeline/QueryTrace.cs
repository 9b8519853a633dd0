namespace Resolver.Core.Pipeline;

/// <summary>
/// What the stages tell an <see cref="IQueryObserver"/> about one query: when it started, which stage answered, and
/// which upstream gave the answer. Made only for a query the observer chose to trace (the query log's sample);
/// every other query carries none, so tracing costs nothing when the log is off.
/// </summary>
public sealed class QueryTrace(long startedTimestamp)
{
    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the pipeline took the query.</summary>
    public long StartedTimestamp { get; } = startedTimestamp;

    /// <summary>The stage whose answer was sent; null for the pipeline's own error answers.</summary>
    public IQueryStage? AnsweredBy { get; set; }

    /// <summary>The upstream whose answer was sent (set by the forwarder).</summary>
    public string? Upstream { get; set; }

    /// <summary>The answer was stale data (RFC 8767), from the forwarder after a failed refresh or from the cache's recheck hold.</summary>
    public bool Stale { get; set; }
}

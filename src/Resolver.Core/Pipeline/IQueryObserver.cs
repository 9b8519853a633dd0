namespace Resolver.Core.Pipeline;

/// <summary>
/// Sees answered queries (the query log). <see cref="ShouldTrace"/> is asked once per admitted query on the hot path
/// and must be cheap; <see cref="Answered"/> is called, on the thread that finished the query, only for the traced
/// ones, and must not block: copy what it needs and return.
/// </summary>
public interface IQueryObserver
{
    bool ShouldTrace();

    void Answered(in QueryRequest request, ReadOnlySpan<byte> response, QueryTrace trace);
}

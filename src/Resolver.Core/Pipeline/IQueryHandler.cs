namespace Resolver.Core.Pipeline;

/// <summary>
/// The one contract between the transport (Resolver.Server) and the query pipeline.
/// The transport hands over bytes and an endpoint and writes back exactly what it is given.
/// </summary>
public interface IQueryHandler
{
    /// <summary>
    /// Answers one DNS message.
    /// </summary>
    /// <param name="query">One DNS message as received (no TCP length prefix).</param>
    /// <param name="response">
    /// The buffer the handler writes the answer into: 65535 bytes over TCP; over UDP at least the largest UDP answer
    /// (<see cref="QueryRequest.ResponseLimit"/>: the EDNS size we advertise, or 512), which the handler never exceeds.
    /// </param>
    /// <param name="context">The client's endpoint and transport.</param>
    /// <param name="cancellationToken">Cancelled when the server stops and the grace period has run out.</param>
    /// <returns>
    /// The number of bytes written; 0 means "drop, send nothing". For UDP the handler itself sizes the
    /// answer to the client's UDP limit (it sets TC); the transport sends exactly what it is given.
    /// A synchronously completed ValueTask (cache hit) is consumed inline by the receive loop without a Task.
    /// </returns>
    ValueTask<int> HandleAsync(ReadOnlyMemory<byte> query, Memory<byte> response, QueryContext context, CancellationToken cancellationToken);
}

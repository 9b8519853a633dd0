using System.Net;

namespace Resolver.Client;

/// <summary>One query to one upstream server and its validated answer (see README.md).</summary>
public interface IDnsExchange
{
    /// <summary>
    /// Sends <paramref name="query"/> to <paramref name="server"/> and returns the first acceptable
    /// reply. Throws <see cref="UpstreamException"/> on timeout, network error or malformed answer,
    /// and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<ExchangeResult> ExchangeAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken);
}

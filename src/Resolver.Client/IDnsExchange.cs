using System.Net;
using Resolver.Client.Upstreams;

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

    /// <summary>
    /// The same over the transport <paramref name="upstream"/> names (UDP, TCP, TLS, HTTPS). An exchange that speaks
    /// only UDP and TCP (a test's fake) gets this form for free; encrypted transports need <see cref="DnsExchange"/>.
    /// </summary>
    ValueTask<ExchangeResult> ExchangeAsync(UpstreamEndpoint upstream, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken) =>
        upstream.Transport switch
        {
            UpstreamTransport.Udp => ExchangeAsync(upstream.Address, query, options, cancellationToken),
            UpstreamTransport.Tcp => ExchangeAsync(upstream.Address, query with { ForceTcp = true }, options, cancellationToken),
            _ => ValueTask.FromException<ExchangeResult>(new UpstreamException(UpstreamFailureKind.NetworkError,
                $"this exchange cannot speak to {upstream}")),
        };
}

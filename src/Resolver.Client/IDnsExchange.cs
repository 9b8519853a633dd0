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

    /// <summary>
    /// The same exchange, with its failure returned as a value rather than thrown (see <see cref="ExchangeOutcome"/>);
    /// the caller's cancellation still throws <see cref="OperationCanceledException"/>. An exchange that only throws
    /// (a test's fake) gets this form by catching; <see cref="DnsExchange"/> never throws for a failure here.
    /// </summary>
    ValueTask<ExchangeOutcome> TryExchangeAsync(UpstreamEndpoint upstream, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken) =>
        ExchangeOutcomes.Catching(ExchangeAsync(upstream, query, options, cancellationToken));
}

/// <summary>Turns the throwing form into the value form, for exchanges that implement only the former.</summary>
internal static class ExchangeOutcomes
{
    public static async ValueTask<ExchangeOutcome> Catching(ValueTask<ExchangeResult> exchange)
    {
        try
        {
            return ExchangeOutcome.Success(await exchange.ConfigureAwait(false));
        }
        catch (UpstreamException failure)
        {
            return ExchangeOutcome.From(failure);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Client.Transport;
using Resolver.Client.Transport.Streams;
using Resolver.Client.Upstreams;
using Resolver.Protocol;

namespace Resolver.Client;

/// <summary>
/// One exchange with one upstream server: UDP with a fresh random ID on a pooled socket whose
/// random port is rotated (see <see cref="UdpSocketReuse"/>), TCP when the
/// answer is truncated or TCP is asked for, and one retry without OPT for servers that do not
/// understand EDNS. Failures are values inside (<see cref="ExchangeOutcome"/>, <see cref="TryExchangeAsync"/>) and
/// exceptions only at the throwing API's edge. The sync and async forms run the same code: the core takes a flag that
/// picks blocking or asynchronous socket calls, so on the sync path it completes before it
/// returns and no thread waits on a task.
/// </summary>
public sealed partial class DnsExchange : IDnsExchange, IDisposable
{
    /// <summary>How long a server that failed EDNS is asked without OPT.</summary>
    public static readonly TimeSpan DefaultNoEdnsRetention = TimeSpan.FromMinutes(10);

    private readonly bool _ownsMetrics;
    private readonly EdnsSupportMemory _ednsMemory;
    private readonly UdpSocketReuse _udpSocketReuse;
    private readonly TimeProvider _time;
    private readonly ConnectionReuse _connectionReuse;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnectionPool> _tcpConnections = new();
    private readonly ConcurrentDictionary<UpstreamEndpoint, StreamConnectionPool> _tlsConnections = new();
    private readonly ConcurrentDictionary<UpstreamEndpoint, HttpsTransport> _httpsClients = new();
    private UdpSocketPool? _udpSockets;

    /// <param name="metrics">Counters to report to; by default a private "Resolver.Client" meter.</param>
    /// <param name="timeProvider">Clock for the no-EDNS memory (socket deadlines use the real clock).</param>
    /// <param name="noEdnsRetention">How long to remember a server without EDNS; default 10 minutes.</param>
    /// <param name="udpSocketReuse">How long UDP sockets serve further queries; default <see cref="UdpSocketReuse.Default"/>.</param>
    /// <param name="connectionReuse">How TCP, TLS and HTTPS connections are kept, and which certificates are trusted.</param>
    /// <param name="logger">Where refused certificates and failed handshakes of encrypted upstreams are logged.</param>
    public DnsExchange(ClientMetrics? metrics = null, TimeProvider? timeProvider = null, TimeSpan? noEdnsRetention = null,
        UdpSocketReuse? udpSocketReuse = null, ConnectionReuse? connectionReuse = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _connectionReuse = connectionReuse ?? ConnectionReuse.Default;
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new ClientMetrics();
        _time = timeProvider ?? TimeProvider.System;
        _ednsMemory = new EdnsSupportMemory(_time, noEdnsRetention ?? DefaultNoEdnsRetention);
        _udpSocketReuse = udpSocketReuse ?? UdpSocketReuse.Default;
        if (_udpSocketReuse.MaxQueries < 1 || _udpSocketReuse.MaxIdlePerServer < 0 || _udpSocketReuse.MaxAge < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(udpSocketReuse), "MaxQueries must be at least 1, MaxIdlePerServer and MaxAge not negative");
    }

    /// <summary>Counters in the meter <see cref="ClientMetrics.MeterName"/>.</summary>
    public ClientMetrics Metrics { get; }

    /// <summary>Connect UDP sockets (kernel-side source filtering). Tests turn it off to reach the code-side check.</summary>
    internal bool ConnectUdpSockets { get; init; } = true;

    /// <summary>Created on first use, after the init-only settings above are known.</summary>
    private UdpSocketPool UdpSockets => _udpSockets ??= CreateUdpSocketPool();

    /// <summary>True while <paramref name="server"/> is remembered as not handling EDNS.</summary>
    public bool IsKnownWithoutEdns(IPEndPoint server) => _ednsMemory.IsWithoutEdns(server);

    public ValueTask<ExchangeResult> ExchangeAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken) =>
        Throwing(RunAsync(server, null, query, options, useAsync: true, cancellationToken));

    /// <summary>
    /// One exchange over the transport the upstream's URI names: UDP (with TCP after TC=1 on the kept pipelined
    /// connection), TCP, TLS (RFC 7858) or HTTPS (RFC 8484); queries on encrypted transports are padded (RFC 8467).
    /// </summary>
    public ValueTask<ExchangeResult> ExchangeAsync(UpstreamEndpoint upstream, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Throwing(RunAsync(upstream.Address, upstream, query, options, useAsync: true, cancellationToken));
    }

    /// <summary>The exchange with its failure as a value: a timeout or a network error costs no exception here.</summary>
    public ValueTask<ExchangeOutcome> TryExchangeAsync(UpstreamEndpoint upstream, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return RunAsync(upstream.Address, upstream, query, options, useAsync: true, cancellationToken);
    }

    /// <summary>The blocking form of <see cref="ExchangeAsync"/>, for callers like getaddrinfo.</summary>
    public ExchangeResult Exchange(IPEndPoint server, UpstreamQuery query, ExchangeOptions options) =>
        RunAsync(server, null, query, options, useAsync: false, CancellationToken.None).GetAwaiter().GetResult().ResultOrThrow();

    /// <summary>The throwing API over the value one; no extra state machine when the exchange finished at once.</summary>
    private static ValueTask<ExchangeResult> Throwing(ValueTask<ExchangeOutcome> exchange)
    {
        if (exchange.IsCompletedSuccessfully)
        {
            var outcome = exchange.Result;
            return outcome.Result is { } result ? new ValueTask<ExchangeResult>(result) : ValueTask.FromException<ExchangeResult>(outcome.Failure!.ToException());
        }
        return AwaitThrowing(exchange);

        static async ValueTask<ExchangeResult> AwaitThrowing(ValueTask<ExchangeOutcome> pending) => (await pending.ConfigureAwait(false)).ResultOrThrow();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ExchangeOutcome> RunAsync(IPEndPoint server, UpstreamEndpoint? upstream, UpstreamQuery query, ExchangeOptions options,
        bool useAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        try
        {
            bool withEdns = query.UseEdns && !_ednsMemory.IsWithoutEdns(server);
            var outcome = await AttemptAsync(server, upstream, query, options, withEdns, useAsync, cancellationToken);
            if (withEdns && outcome.Reply.ShowsNoEdnsSupport)
            {
                // RFC 6891 §7: a server without EDNS may answer FORMERR or NOTIMP (or garbage) to
                // a query with OPT; ask once more without it and keep doing so for a while.
                _ednsMemory.RememberWithoutEdns(server);
                Metrics.EdnsFallback();
                outcome = await AttemptAsync(server, upstream, query, options, withEdns: false, useAsync, cancellationToken);
            }
            var reply = outcome.Reply;
            if (reply.Failure is { } failure)
                return Failed(failure);
            if (reply.Response is null)
                return Failed(new UpstreamFailure(UpstreamFailureKind.MalformedResponse,
                    $"answer from {(object?)upstream ?? server} cannot be parsed: {reply.ParseError!.Message}", reply.ParseError));
            return ExchangeOutcome.Success(new ExchangeResult(reply.Response, reply.Size, outcome.UsedTcp, Stopwatch.GetElapsedTime(started)));
        }
        catch (UpstreamException failure)
        {
            // The stream transports (TCP, TLS, HTTPS) still throw theirs; it ends here, not in every caller's frame.
            return Failed(new UpstreamFailure(failure.Kind, failure.Message, failure.InnerException));
        }
    }

    private ExchangeOutcome Failed(UpstreamFailure failure)
    {
        if (failure.Kind == UpstreamFailureKind.TlsFailure)
            LogTlsFailure(_logger, failure.Message);
        Metrics.Failed(failure.Kind);
        return ExchangeOutcome.Failed(failure);
    }

    /// <summary>
    /// One try with or without OPT: UDP, then TCP if the UDP answer is truncated; or the upstream's stream
    /// transport. Each transport parses the accepted answer in its own buffer, so the answer's bytes are never copied.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReplyOverTransport> AttemptAsync(IPEndPoint server, UpstreamEndpoint? upstream, UpstreamQuery query, ExchangeOptions options,
        bool withEdns, bool useAsync, CancellationToken cancellationToken)
    {
        var transport = upstream?.Transport ?? UpstreamTransport.Udp;
        int padding = upstream is { IsEncrypted: true } ? _connectionReuse.PaddingBlock : 0;
        using var outgoing = new OutgoingQuery(query, withEdns, options.UdpPayloadSize, padding);
        switch (transport)
        {
            case UpstreamTransport.Tls:
                var tls = _tlsConnections.GetOrAdd(upstream!, static (key, self) => new StreamConnectionPool(key, self._connectionReuse, self.Metrics), this);
                return new ReplyOverTransport(await tls.ExchangeAsync(outgoing, query, options, cancellationToken), UsedTcp: true);
            case UpstreamTransport.Https:
                var https = _httpsClients.GetOrAdd(upstream!, static (key, state) => new HttpsTransport(key, state.Self._connectionReuse, state.Options, state.Self.Metrics),
                    (Self: this, Options: options));
                return new ReplyOverTransport(await https.ExchangeAsync(outgoing, query, options, cancellationToken), UsedTcp: true);
        }
        if (!query.ForceTcp && transport == UpstreamTransport.Udp)
        {
            var udpReply = await UdpTransport.ExchangeAsync(UdpSockets, server, outgoing, query, options, Metrics, useAsync, cancellationToken);
            if (!udpReply.NeedsTcp)
                return new ReplyOverTransport(udpReply, UsedTcp: false);
            // RFC 7766 §5 / RFC 1035 §4.2.1: TC=1 means the answer did not fit; ask over TCP.
            Metrics.TcpFallback();
        }
        if (upstream is null)
        {
            // The address-only form (getaddrinfo, the dig-like client): one connection for this one question.
            var tcpReply = await TcpTransport.ExchangeAsync(server, outgoing, query, options, Metrics, useAsync, cancellationToken);
            return new ReplyOverTransport(tcpReply, UsedTcp: true);
        }
        // An upstream's TCP queries (tcp://, and every TC=1 fallback to it) share its one pipelined connection.
        var tcp = _tcpConnections.GetOrAdd(server, static (address, self) =>
            new StreamConnectionPool(new UpstreamEndpoint(UpstreamTransport.Tcp, address, null, null, [], useGet: false, hasAddress: true),
                self._connectionReuse, self.Metrics), this);
        return new ReplyOverTransport(await tcp.ExchangeAsync(outgoing, query, options, cancellationToken), UsedTcp: true);
    }

    private UdpSocketPool CreateUdpSocketPool()
    {
        var pool = new UdpSocketPool(_udpSocketReuse, ConnectUdpSockets, _time);
        // A lost race leaves one unused pool, which holds no sockets yet.
        return Interlocked.CompareExchange(ref _udpSockets, pool, null) ?? pool;
    }

    /// <summary>Closes the idle UDP sockets; sockets in use are closed when their query ends.</summary>
    public void Dispose()
    {
        _udpSockets?.Dispose();
        foreach (var pool in _tcpConnections.Values)
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var pool in _tlsConnections.Values)
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var client in _httpsClients.Values)
            client.Dispose();
        if (_ownsMetrics)
            Metrics.Dispose();
    }

    /// <summary>The accepted answer of one attempt and the transport that brought it.</summary>
    private readonly record struct ReplyOverTransport(AcceptedReply Reply, bool UsedTcp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Encrypted upstream refused: {Reason}")]
    private static partial void LogTlsFailure(ILogger logger, string reason);
}

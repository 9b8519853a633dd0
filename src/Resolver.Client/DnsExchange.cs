using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Resolver.Client.Transport;
using Resolver.Protocol;

namespace Resolver.Client;

/// <summary>
/// One exchange with one upstream server: UDP with a fresh random ID on a pooled socket whose
/// random port is rotated (see <see cref="UdpSocketReuse"/>), TCP when the
/// answer is truncated or TCP is asked for, and one retry without OPT for servers that do not
/// understand EDNS. The sync and async forms run the same code: the core takes a flag that
/// picks blocking or asynchronous socket calls, so on the sync path it completes before it
/// returns and no thread waits on a task.
/// </summary>
public sealed class DnsExchange : IDnsExchange, IDisposable
{
    /// <summary>How long a server that failed EDNS is asked without OPT.</summary>
    public static readonly TimeSpan DefaultNoEdnsRetention = TimeSpan.FromMinutes(10);

    private readonly bool _ownsMetrics;
    private readonly EdnsSupportMemory _ednsMemory;
    private readonly UdpSocketReuse _udpSocketReuse;
    private UdpSocketPool? _udpSockets;

    /// <param name="metrics">Counters to report to; by default a private "Resolver.Client" meter.</param>
    /// <param name="timeProvider">Clock for the no-EDNS memory (socket deadlines use the real clock).</param>
    /// <param name="noEdnsRetention">How long to remember a server without EDNS; default 10 minutes.</param>
    /// <param name="udpSocketReuse">How long UDP sockets serve further queries; default <see cref="UdpSocketReuse.Default"/>.</param>
    public DnsExchange(ClientMetrics? metrics = null, TimeProvider? timeProvider = null, TimeSpan? noEdnsRetention = null,
        UdpSocketReuse? udpSocketReuse = null)
    {
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new ClientMetrics();
        _ednsMemory = new EdnsSupportMemory(timeProvider ?? TimeProvider.System, noEdnsRetention ?? DefaultNoEdnsRetention);
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
        RunAsync(server, query, options, useAsync: true, cancellationToken);

    /// <summary>The blocking form of <see cref="ExchangeAsync"/>, for callers like getaddrinfo.</summary>
    public ExchangeResult Exchange(IPEndPoint server, UpstreamQuery query, ExchangeOptions options) =>
        RunAsync(server, query, options, useAsync: false, CancellationToken.None).GetAwaiter().GetResult();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ExchangeResult> RunAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options, bool useAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        try
        {
            bool withEdns = query.UseEdns && !_ednsMemory.IsWithoutEdns(server);
            var outcome = await AttemptAsync(server, query, options, withEdns, useAsync, cancellationToken);
            if (withEdns && outcome.Reply.ShowsNoEdnsSupport)
            {
                // RFC 6891 §7: a server without EDNS may answer FORMERR or NOTIMP (or garbage) to
                // a query with OPT; ask once more without it and keep doing so for a while.
                _ednsMemory.RememberWithoutEdns(server);
                Metrics.EdnsFallback();
                outcome = await AttemptAsync(server, query, options, withEdns: false, useAsync, cancellationToken);
            }
            var reply = outcome.Reply;
            if (reply.Response is null)
                throw new UpstreamException(UpstreamFailureKind.MalformedResponse,
                    $"answer from {server} cannot be parsed: {reply.ParseError!.Message}", reply.ParseError);
            return new ExchangeResult(reply.Response, reply.Size, outcome.UsedTcp, Stopwatch.GetElapsedTime(started));
        }
        catch (UpstreamException failure)
        {
            Metrics.Failed(failure.Kind);
            throw;
        }
    }

    /// <summary>
    /// One try with or without OPT: UDP, then TCP if the UDP answer is truncated. Each transport
    /// parses the accepted answer in its own buffer, so the answer's bytes are never copied.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReplyOverTransport> AttemptAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options,
        bool withEdns, bool useAsync, CancellationToken cancellationToken)
    {
        using var outgoing = new OutgoingQuery(query, withEdns, options.UdpPayloadSize);
        if (!query.ForceTcp)
        {
            var udpReply = await UdpTransport.ExchangeAsync(UdpSockets, server, outgoing, query, options, Metrics, useAsync, cancellationToken);
            if (!udpReply.NeedsTcp)
                return new ReplyOverTransport(udpReply, UsedTcp: false);
            // RFC 7766 §5 / RFC 1035 §4.2.1: TC=1 means the answer did not fit; ask over TCP.
            Metrics.TcpFallback();
        }
        var tcpReply = await TcpTransport.ExchangeAsync(server, outgoing, query, options, Metrics, useAsync, cancellationToken);
        return new ReplyOverTransport(tcpReply, UsedTcp: true);
    }

    private UdpSocketPool CreateUdpSocketPool()
    {
        var pool = new UdpSocketPool(_udpSocketReuse, ConnectUdpSockets);
        // A lost race leaves one unused pool, which holds no sockets yet.
        return Interlocked.CompareExchange(ref _udpSockets, pool, null) ?? pool;
    }

    /// <summary>Closes the idle UDP sockets; sockets in use are closed when their query ends.</summary>
    public void Dispose()
    {
        _udpSockets?.Dispose();
        if (_ownsMetrics)
            Metrics.Dispose();
    }

    /// <summary>The accepted answer of one attempt and the transport that brought it.</summary>
    private readonly record struct ReplyOverTransport(AcceptedReply Reply, bool UsedTcp);
}

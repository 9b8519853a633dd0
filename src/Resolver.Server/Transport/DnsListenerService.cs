using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Pipeline;
using Resolver.Server.Options;
using Resolver.Server.Transport.Tcp;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Transport;

/// <summary>
/// The listeners of every <c>Resolver:Listen</c> address: UDP receive loops and a TCP accept loop each.
/// Start binds everything first and fails as a whole (with an explanatory <see cref="ListenerBindException"/>)
/// before any query is served. Stop closes every listening socket at once (UDP and TCP: a successor can bind the
/// port immediately), gives in-flight queries a bounded grace period, then cancels what is left, which the
/// pipeline answers with SERVFAIL: a query in flight at a stop is answered, never dropped.
/// </summary>
internal sealed class DnsListenerService(
    IOptions<ResolverOptions> options,
    IOptions<PipelineOptions> pipeline,
    IQueryHandler handler,
    TransportMetrics metrics,
    ListenerEndpoints endpoints,
    Encrypted.ServerCertificate certificate,
    ILogger<DnsListenerService> logger,
    TimeProvider? time = null) : IHostedService, IDisposable
{
    // With port 0, the UDP socket picks the port and TCP must get the same one; another process may hold it for
    // TCP, so a few fresh picks are tried.
    private const int EphemeralPortAttempts = 8;

    private readonly CancellationTokenSource stopListening = new();
    private readonly CancellationTokenSource abort = new();
    private readonly List<Socket> udpSockets = [];
    private readonly List<Socket> tcpListeners = [];
    private readonly List<Socket> tlsListeners = [];
    private readonly List<Task> loops = [];
    private ListenerContext? context;
    private TcpConnectionTable? connections;

    /// <summary>
    /// Queries taken and not yet finished with (answered and its connection's bookkeeping done). For tests that must
    /// know the server is done with an answer the client already read.
    /// </summary>
    internal int QueriesInFlight => context?.InFlight.Count ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ResolverOptions settings = options.Value;
        int udpResponseCapacity = Math.Max((int)pipeline.Value.EdnsUdpPayloadSize, QueryRequest.ClassicUdpLimit);
        context = new ListenerContext(metrics, logger, settings, udpResponseCapacity, abort.Token, time);
        connections = new TcpConnectionTable(settings.Tcp.MaxConnections);
        var udpBound = new List<IPEndPoint>();
        var tcpBound = new List<IPEndPoint>();
        var groups = new List<List<Socket>>();
        try
        {
            foreach (string text in settings.Listen)
            {
                EndpointText.TryParseListen(text, out IPEndPoint endpoint, out _);
                (List<Socket> udp, Socket tcp) = BindAddress(endpoint, settings.Udp);
                groups.Add(udp);
                udpSockets.AddRange(udp);
                tcpListeners.Add(tcp);
                udpBound.Add((IPEndPoint)udp[0].LocalEndPoint!);
                tcpBound.Add((IPEndPoint)tcp.LocalEndPoint!);
            }

            // RFC 7858 §3.1: DoT listeners are TCP listeners whose connections shake hands first.
            foreach (string text in settings.ListenTls)
            {
                EndpointText.TryParseListen(text, out IPEndPoint endpoint, out _);
                tlsListeners.Add(TcpAcceptLoop.Listen(endpoint));
            }
        }
        catch
        {
            CloseSockets();
            throw;
        }

        endpoints.Publish(udpBound, tcpBound);
        endpoints.PublishTls(tlsListeners.ConvertAll(listener => (IPEndPoint)listener.LocalEndPoint!));
        StartLoops(groups, udpBound);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (context is null || connections is null)
        {
            return;
        }

        int graceMs = options.Value.ShutdownGraceMs;
        TransportLog.Draining(logger, graceMs, context.InFlight.Count);
        await stopListening.CancelAsync().ConfigureAwait(false);
        foreach (Socket listener in tcpListeners)
        {
            listener.Dispose();
        }

        Dispose(tlsListeners);

        // The receive loops see the stop within their receive timeout; then the UDP sockets close at once, so a
        // new process can bind the port now rather than after the grace period. Answers still in flight go out
        // through UdpLateReplySender, from the same address and port.
        await WaitBrieflyAsync(loops).ConfigureAwait(false);
        Dispose(udpSockets);

        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(graceMs);
            if (!await context.InFlight.WaitUntilDrainedAsync(grace.Token).ConfigureAwait(false))
            {
                TransportLog.DrainTimedOut(logger, context.InFlight.Count);
            }
        }

        await abort.CancelAsync().ConfigureAwait(false);
        await WaitBrieflyAsync(ConnectionCompletions(connections)).ConfigureAwait(false);
        CloseSockets();
    }

    public void Dispose()
    {
        CloseSockets();
        stopListening.Dispose();
        abort.Dispose();
    }

    private (List<Socket> Udp, Socket Tcp) BindAddress(IPEndPoint endpoint, UdpListenerOptions udpOptions)
    {
        for (int attempt = 1; ; attempt++)
        {
            List<Socket> udp = UdpSocketGroup.Bind(endpoint, udpOptions.ReceiveLoopsPerAddress, udpOptions.ReceiveBufferBytes, logger);
            var bound = (IPEndPoint)udp[0].LocalEndPoint!;
            try
            {
                return (udp, TcpAcceptLoop.Listen(bound));
            }
            catch (ListenerBindException e) when (endpoint.Port == 0 && attempt < EphemeralPortAttempts
                                                  && e.Error == SocketError.AddressAlreadyInUse)
            {
                Dispose(udp);
            }
            catch
            {
                Dispose(udp);
                throw;
            }
        }
    }

    private void StartLoops(List<List<Socket>> groups, List<IPEndPoint> bound)
    {
        for (int i = 0; i < groups.Count; i++)
        {
            foreach (Socket socket in groups[i])
            {
                var loop = new UdpReceiveLoop(socket, handler, context!);
                loops.Add(loop.Start(stopListening.Token));
            }

            var accept = new TcpAcceptLoop(tcpListeners[i], handler, context!, connections!);
            loops.Add(Task.Run(() => accept.RunAsync(stopListening.Token)));
            TransportLog.Listening(logger, bound[i], groups[i].Count);
        }

        if (tlsListeners.Count > 0)
        {
            var handshake = new Encrypted.TlsHandshake(certificate, options.Value.Tls.HandshakeTimeoutMs);
            foreach (Socket listener in tlsListeners)
            {
                var accept = new TcpAcceptLoop(listener, handler, context!, connections!, handshake);
                loops.Add(Task.Run(() => accept.RunAsync(stopListening.Token)));
                TransportLog.ListeningTls(logger, (IPEndPoint)listener.LocalEndPoint!);
            }
        }

        // On the host's clock, as the connections' last activity: a test advances it rather than waiting. Made here, not
        // in the loop, so it runs from the start (time a test advances right after the start is not lost).
        var sweep = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(context!.Tcp.IdleTimeoutMs / 4, 10, 1000)), context.Time);
        loops.Add(Task.Run(() => SweepIdleConnectionsAsync(sweep, stopListening.Token)));
    }

    // RFC 7766 §6.2.3: close idle connections. One sweep for all connections instead of a timer each.
    private async Task SweepIdleConnectionsAsync(PeriodicTimer sweep, CancellationToken stop)
    {
        int idleMs = context!.Tcp.IdleTimeoutMs;
        using var timer = sweep;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                connections!.CloseIdle(context!.NowMs(), idleMs);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static List<Task> ConnectionCompletions(TcpConnectionTable table)
    {
        var completions = new List<Task>();
        foreach (TcpConnection connection in table.Snapshot())
        {
            completions.Add(connection.Completion);
        }

        return completions;
    }

    // Everything was cancelled; the loops end at once. The bound only guards against a stuck peer.
    private static async Task WaitBrieflyAsync(List<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A timeout (left to end when their sockets close below) or a loop that failed; stopping either way.
        }
    }

    private void CloseSockets()
    {
        Dispose(udpSockets);
        Dispose(tcpListeners);
        Dispose(tlsListeners);
    }

    private static void Dispose(List<Socket> sockets)
    {
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Resolver.Server.Transport;

/// <summary>The transport's log lines, source-generated. Nothing per query above Debug (DESIGN.md "Hot path").</summary>
internal static partial class TransportLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Endpoint} over UDP ({Sockets} sockets) and TCP")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, int sockets);

    [LoggerMessage(40, LogLevel.Information, "Listening on {Endpoint} for DNS over TLS")]
    public static partial void ListeningTls(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(41, LogLevel.Information, "Listening on https://{Endpoint}/dns-query for DNS over HTTPS")]
    public static partial void ListeningHttps(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(2, LogLevel.Warning, "SO_REUSEPORT is not available on {Endpoint} ({Error}); using one UDP socket instead of {Wanted}")]
    public static partial void ReusePortUnavailable(ILogger logger, IPEndPoint endpoint, SocketError error, int wanted);

    [LoggerMessage(3, LogLevel.Debug, "Dropped a {Transport} query from {Client}: {Reason}")]
    public static partial void QueryDropped(ILogger logger, string transport, IPEndPoint client, string reason);

    [LoggerMessage(4, LogLevel.Debug, "The query handler failed on a {Transport} query from {Client}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string transport, IPEndPoint client);

    [LoggerMessage(5, LogLevel.Warning, "UDP receive on {Endpoint} failed with {Error}; the loop goes on")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(6, LogLevel.Debug, "TCP connection from {Client} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, IPEndPoint client, string reason);

    [LoggerMessage(7, LogLevel.Warning, "TCP accept on {Endpoint} failed with {Error}; accepting goes on")]
    public static partial void AcceptFailed(ILogger logger, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(8, LogLevel.Information, "Stopping: listeners closed, waiting up to {GraceMs} ms for {InFlight} queries in flight")]
    public static partial void Draining(ILogger logger, int graceMs, int inFlight);

    [LoggerMessage(9, LogLevel.Warning, "Stopped with {InFlight} queries still unanswered after the grace period")]
    public static partial void DrainTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(10, LogLevel.Warning, "UDP receive buffer on {Endpoint}: asked for {Asked} bytes, the kernel granted {Granted} "
        + "(net.core.rmem_max caps it without CAP_NET_ADMIN); a longer burst of queries is dropped")]
    public static partial void ReceiveBufferCapped(ILogger logger, IPEndPoint endpoint, int asked, int granted);
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using static Resolver.Server.Transport.Udp.LinuxDatagramCalls;

namespace Resolver.Server.Transport.Udp;

/// <summary>What a failed receive means, for both receive strategies: the loop ends, or it goes on.</summary>
internal static class UdpReceiveErrors
{
    /// <summary>
    /// True when the loop must end (the socket is closed or shut down); false to go on, after a log line and a short
    /// pause when the error is not an expected one.
    /// </summary>
    public static bool EndsLoop(SocketError error, IPEndPoint local, ILogger logger)
    {
        if (error is SocketError.Success or SocketError.TimedOut or SocketError.WouldBlock)
        {
            // The stop-check timeout, or a signal: nothing arrived.
            return false;
        }

        if (error is SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown
            or SocketError.NotSocket or SocketError.InvalidArgument)
        {
            return true;
        }

        if (IsAboutOneClient(error))
        {
            // An ICMP error for an earlier answer (e.g. port unreachable: the client left). Not our socket's fault.
            return false;
        }

        TransportLog.ReceiveFailed(logger, local, error);

        // Bounded pause so an error that repeats cannot spin a core.
        Thread.Sleep(10);
        return false;
    }

    /// <summary>The <see cref="SocketError"/> of a Linux errno (asm-generic/errno.h) that recvmmsg can set.</summary>
    public static SocketError FromErrno(int errno) => errno switch
    {
        ErrorInterrupted => SocketError.Success,
        ErrorWouldBlock => SocketError.TimedOut,
        ErrorBadDescriptor or ErrorNotSocket => SocketError.NotSocket, // the descriptor is gone
        ErrorInvalidArgument => SocketError.InvalidArgument,
        ErrorMessageSize => SocketError.MessageSize,
        ErrorNetworkUnreachable => SocketError.NetworkUnreachable,
        ErrorConnectionReset => SocketError.ConnectionReset,
        ErrorTimedOut => SocketError.TimedOut,
        ErrorConnectionRefused => SocketError.ConnectionRefused,
        ErrorHostUnreachable => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    };

    private static bool IsAboutOneClient(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.MessageSize or SocketError.TimedOut;
}

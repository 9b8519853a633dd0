using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// The UDP sockets of one listen address: N sockets bound to the same endpoint with SO_REUSEPORT (Linux), so the
/// kernel spreads clients over N receive loops. Where SO_REUSEPORT is missing or refused, one socket.
/// </summary>
internal static class UdpSocketGroup
{
    // <sys/socket.h> on Linux: SOL_SOCKET = 1, SO_REUSEPORT = 15.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>
    /// Binds the group, each socket with <paramref name="receiveBufferBytes"/> of receive buffer (0: the system's);
    /// throws <see cref="ListenerBindException"/> when the first socket cannot be bound.
    /// </summary>
    public static List<Socket> Bind(IPEndPoint endpoint, int wanted, int receiveBufferBytes, ILogger logger)
    {
        bool reusePort = wanted > 1 && OperatingSystem.IsLinux();
        if (reusePort)
        {
            // Port 0 on a socket with SO_REUSEPORT may be given a port another group of the same user already holds
            // (the kernel counts such sockets as compatible), and the kernel would then split the clients between the
            // two: seen as a test's queries answered by another test's resolver. A plain socket's port 0 is one
            // nobody holds; the group binds that port.
            endpoint = endpoint.Port == 0 ? UnusedPort(endpoint) : endpoint;
            EnsureNobodyListens(endpoint);
        }

        Socket first = Create(endpoint.AddressFamily);
        var sockets = new List<Socket> { first };
        try
        {
            int granted = UdpReceiveBuffer.Apply(first, receiveBufferBytes);
            if (granted < receiveBufferBytes)
            {
                TransportLog.ReceiveBufferCapped(logger, endpoint, receiveBufferBytes, granted);
            }

            if (reusePort && !TrySetReusePort(first, out SocketError refused))
            {
                TransportLog.ReusePortUnavailable(logger, endpoint, refused, wanted);
                reusePort = false;
            }

            BindOrExplain(first, endpoint, "udp");
        }
        catch
        {
            first.Dispose();
            throw;
        }

        // With port 0 the first bind chose the port; the others join it.
        var bound = (IPEndPoint)first.LocalEndPoint!;
        for (int i = 1; reusePort && i < wanted; i++)
        {
            Socket next = Create(endpoint.AddressFamily);
            try
            {
                if (!TrySetReusePort(next, out _))
                {
                    throw new SocketException((int)SocketError.OperationNotSupported);
                }

                UdpReceiveBuffer.Apply(next, receiveBufferBytes);

                next.Bind(bound);
                sockets.Add(next);
            }
            catch (SocketException e)
            {
                next.Dispose();
                TransportLog.ReusePortUnavailable(logger, bound, e.SocketErrorCode, wanted);
                break;
            }
        }

        return sockets;
    }

    /// <summary>
    /// SO_REUSEPORT would let this group join the sockets of another process of the same user already bound to the
    /// port (a second resolver started by mistake), and the kernel would then split the clients between the two.
    /// A plain socket cannot join them: its bind fails with EADDRINUSE, and that is reported as the port in use.
    /// </summary>
    private static void EnsureNobodyListens(IPEndPoint endpoint)
    {
        using Socket probe = Create(endpoint.AddressFamily);
        BindOrExplain(probe, endpoint, "udp");
    }

    private static IPEndPoint UnusedPort(IPEndPoint endpoint)
    {
        using Socket probe = Create(endpoint.AddressFamily);
        BindOrExplain(probe, endpoint, "udp");
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    internal static Socket Create(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6)
        {
            // IPV6_V6ONLY: [::]:53 must not take IPv4 traffic, so 0.0.0.0:53 / 127.0.0.1:53 can be bound beside it.
            socket.DualMode = false;
        }

        return socket;
    }

    internal static void BindOrExplain(Socket socket, IPEndPoint endpoint, string protocol)
    {
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            throw new ListenerBindException(endpoint, protocol, e.SocketErrorCode, e);
        }
    }

    internal static bool TrySetReusePort(Socket socket, out SocketError error)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            error = SocketError.Success;
            return true;
        }
        catch (SocketException e)
        {
            error = e.SocketErrorCode;
            return false;
        }
    }
}

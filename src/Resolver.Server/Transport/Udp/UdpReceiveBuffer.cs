using System.Net.Sockets;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// SO_RCVBUF of a UDP listener socket (<c>Resolver:Udp:ReceiveBufferBytes</c>): the queue that carries queries
/// over a moment when the receive loop is not running (descheduled, a page fault, a collection). Past the queue's
/// end the kernel drops datagrams without a trace to the client but a timeout.
/// </summary>
internal static class UdpReceiveBuffer
{
    // <asm-generic/socket.h>: SOL_SOCKET = 1, SO_RCVBUFFORCE = 33 (SO_RCVBUF without the net.core.rmem_max cap,
    // for a process with CAP_NET_ADMIN).
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;

    /// <summary>
    /// Asks for <paramref name="bytes"/> of receive buffer (0: leave the system default) and returns the usable
    /// bytes the kernel granted, which is less than asked where net.core.rmem_max caps an unprivileged process.
    /// </summary>
    public static int Apply(Socket socket, int bytes)
    {
        if (bytes > 0 && !(OperatingSystem.IsLinux() && TryForce(socket, bytes)))
        {
            socket.ReceiveBufferSize = bytes; // capped by the kernel, never refused for size
        }

        return Granted(socket);
    }

    /// <summary>The usable receive buffer: Linux reports twice what was set, the other half being its bookkeeping.</summary>
    public static int Granted(Socket socket) =>
        OperatingSystem.IsLinux() ? socket.ReceiveBufferSize / 2 : socket.ReceiveBufferSize;

    private static bool TryForce(Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
            return true;
        }
        catch (SocketException)
        {
            return false; // EPERM without CAP_NET_ADMIN: the capped SO_RCVBUF is what is left
        }
    }
}

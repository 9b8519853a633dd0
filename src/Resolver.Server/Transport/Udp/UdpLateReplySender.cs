using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Sends an answer that completed after its listening socket was closed (the server is stopping). The
/// listening sockets close as soon as a stop begins, so a new process can bind the port at once; the queries
/// still in flight must nevertheless be answered from the address and port the client asked, or the client
/// discards the reply (RFC 5452 §9.1 source checks). So each late answer gets a short-lived socket bound to
/// that endpoint and connected to the client.
/// </summary>
/// <remarks>
/// SO_REUSEPORT lets the bind succeed while a successor's SO_REUSEPORT sockets (same user) hold the port; being
/// connected, this socket matches only datagrams from that one client, so it does not take a share of the
/// successor's traffic in the microseconds it exists (Linux scores connected sockets in a reuseport group
/// apart). A successor bound without SO_REUSEPORT makes the bind fail: the answer is counted as a failed send.
/// </remarks>
internal static class UdpLateReplySender
{
    public static bool TrySend(IPEndPoint local, IPEndPoint client, ReadOnlySpan<byte> response)
    {
        using Socket socket = UdpSocketGroup.Create(local.AddressFamily);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                UdpSocketGroup.TrySetReusePort(socket, out _);
            }

            socket.Bind(local);
            socket.Connect(client);
            socket.Send(response);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

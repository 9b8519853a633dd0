using System.Net;
using System.Net.Sockets;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>A loopback port nobody holds right now, for a real server a test starts (knotd, Unbound, redis-server).</summary>
public static class FreePorts
{
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

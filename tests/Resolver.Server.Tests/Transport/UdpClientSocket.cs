using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Tests.Transport;

/// <summary>A UDP client on an ephemeral loopback port, with bounded receives.</summary>
internal sealed class UdpClientSocket : IDisposable
{
    private readonly Socket socket;
    private readonly IPEndPoint server;

    public UdpClientSocket(IPEndPoint server)
    {
        this.server = server;
        socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
    }

    public IPEndPoint Local => (IPEndPoint)socket.LocalEndPoint!;

    public Task<int> SendAsync(byte[] datagram) => socket.SendToAsync(datagram, SocketFlags.None, server);

    /// <summary>The next datagram and who sent it, or null when none comes within <paramref name="wait"/>.</summary>
    public async Task<(byte[] Data, IPEndPoint From)?> ReceiveAsync(TimeSpan wait)
    {
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            SocketReceiveFromResult result = await socket.ReceiveFromAsync(
                buffer, SocketFlags.None, new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), timeout.Token);
            return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next datagram; fails the test when none comes in 10 s.</summary>
    public async Task<byte[]> ReceiveRequiredAsync()
    {
        var received = await ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.That(received, Is.Not.Null, "no answer within 10 s");
        return received!.Value.Data;
    }

    public void Dispose() => socket.Dispose();
}

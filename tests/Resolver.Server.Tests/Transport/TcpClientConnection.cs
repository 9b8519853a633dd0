using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Tests.Transport;

/// <summary>A TCP client speaking RFC 1035 §4.2.2 framing, with bounded reads.</summary>
internal sealed class TcpClientConnection : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Socket socket;

    private TcpClientConnection(Socket socket) => this.socket = socket;

    public static async Task<TcpClientConnection> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(server, timeout.Token);
        return new TcpClientConnection(socket);
    }

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Reads one framed message; fails the test when it does not come or the connection closes.</summary>
    public async Task<byte[]> ReceiveMessageAsync()
    {
        byte[] prefix = await ReadExactlyAsync(2);
        return await ReadExactlyAsync(BinaryPrimitives.ReadUInt16BigEndian(prefix));
    }

    /// <summary>True when the server closes the connection (EOF or reset) within 10 s.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when some bytes arrive within <paramref name="wait"/> (they are consumed).</summary>
    public async Task<bool> ReceivesAnythingWithinAsync(TimeSpan wait)
    {
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.Peek, timeout.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => socket.Dispose();

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Patience);
        int filled = 0;
        while (filled < count)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            Assert.That(read, Is.GreaterThan(0), $"connection closed after {filled} of {count} bytes");
            filled += read;
        }

        return buffer;
    }
}

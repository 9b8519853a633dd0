using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// The kernel side of a receive loop where batches are not available (everywhere but 64-bit Linux, or
/// <c>Udp:BatchSize</c> 1): one blocking <c>recvfrom</c> and one <c>sendto</c> per datagram.
/// </summary>
internal sealed class SingleDatagramReceiver(Socket socket, UdpDatagramHandler datagrams, ListenerContext shared)
{
    // One byte past the largest datagram, so an oversized one is seen (and dropped) rather than silently cut.
    private const int ReceiveBufferLength = 65536;

    private readonly IPEndPoint local = (IPEndPoint)socket.LocalEndPoint!;

    public void Run(CancellationToken stopReceiving)
    {
        // The datagram buffer never leaves the loop: each query is copied into a small buffer, so a query that goes
        // upstream holds a few kilobytes while it waits, not 64 KiB (500 misses in flight would pin 32 MiB).
        byte[] datagram = ArrayPool<byte>.Shared.Rent(ReceiveBufferLength);
        var client = new SocketAddress(socket.AddressFamily);
        var clients = new ClientEndpointCache(socket.AddressFamily);
        try
        {
            socket.ReceiveTimeout = UdpReceiveLoop.StopCheckIntervalMs;
            while (true)
            {
                int received = Receive(datagram, client, stopReceiving);
                if (received < 0)
                {
                    return;
                }

                if (received == 0)
                {
                    continue;
                }

                IPEndPoint endpoint = clients.Get(client);
                ReadOnlySpan<byte> sender = client.Buffer.Span[..client.Size];
                int length = datagrams.Handle(datagram.AsSpan(0, received), cut: false, endpoint, sender);
                if (length > 0)
                {
                    ReadOnlySpan<byte> answer = datagrams.Response(length);
                    datagrams.Sent(answer, failed: !datagrams.SendTo(answer, client, endpoint), endpoint);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed under the loop: the server is stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(datagram);
        }
    }

    /// <summary>The datagram's length, 0 to skip (nothing arrived, or a failed receive), -1 when the loop must end.</summary>
    private int Receive(byte[] buffer, SocketAddress client, CancellationToken stopReceiving)
    {
        if (stopReceiving.IsCancellationRequested)
        {
            return -1;
        }

        try
        {
            return socket.ReceiveFrom(buffer.AsSpan(0, ReceiveBufferLength), SocketFlags.None, client);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        catch (SocketException e)
        {
            return UdpReceiveErrors.EndsLoop(e.SocketErrorCode, local, shared.Logger) ? -1 : 0;
        }
    }
}

using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Transport;

/// <summary>
/// One UDP attempt: a new socket on a kernel-chosen random port (RFC 5452 §9.2), one send
/// with a fresh ID, then receive until a packet passes every check or the attempt deadline
/// passes. A packet that fails a check is counted and dropped; it never ends the attempt.
/// </summary>
internal static class UdpTransport
{
    /// <summary>Packets read in one attempt before giving up early: bounds the work a flood can cause.</summary>
    private const int MaxPacketsPerAttempt = 1000;

    /// <param name="connectSocket">
    /// Connect the socket so the kernel drops datagrams from other sources and reports ICMP
    /// port-unreachable. The source is still checked in code; tests turn this off to see that.
    /// </param>
    public static async ValueTask<AcceptedReply> ExchangeAsync(IPEndPoint server, OutgoingQuery query, UpstreamQuery question,
        ExchangeOptions options, bool connectSocket, ClientMetrics metrics, bool useAsync, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var serverAddress = server.Serialize();
        var from = new SocketAddress(server.AddressFamily);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        ushort id = query.StampNewId();
        using var deadline = new AttemptDeadline(options.UdpReceiveTimeout, "UDP receive", useAsync, cancellationToken);
        try
        {
            if (connectSocket)
                socket.Connect(server); // binds to a random ephemeral port chosen by the kernel
            else
                socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            await SendAsync(socket, query, serverAddress, connectSocket, deadline, useAsync);

            for (int packets = 0; packets < MaxPacketsPerAttempt; packets++)
            {
                int received = await ReceiveAsync(socket, buffer, from, deadline, useAsync);
                if (!IsSameEndpoint(from, serverAddress))
                {
                    metrics.Discarded(DiscardReason.WrongSource);
                    continue;
                }
                var reply = buffer.AsSpan(0, received);
                if (ReplyMatcher.Check(reply, id, question, out var header) is { } reason)
                {
                    metrics.Discarded(reason);
                    continue;
                }
                return new AcceptedReply(reply.ToArray(), header);
            }
            throw deadline.Expired();
        }
        catch (OperationCanceledException cancelled) when (useAsync)
        {
            throw deadline.Translate(cancelled);
        }
        catch (SocketException error) when (AttemptDeadline.IsSocketTimeout(error))
        {
            throw deadline.Expired();
        }
        catch (SocketException error)
        {
            throw new UpstreamException(UpstreamFailureKind.NetworkError, $"UDP exchange with {server} failed: {error.SocketErrorCode}", error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask SendAsync(Socket socket, OutgoingQuery query, SocketAddress server, bool connected, AttemptDeadline deadline, bool useAsync)
    {
        if (useAsync)
        {
            if (connected)
                await socket.SendAsync(query.Datagram, SocketFlags.None, deadline.Token);
            else
                await socket.SendToAsync(query.Datagram, SocketFlags.None, server, deadline.Token);
            return;
        }
        socket.SendTimeout = deadline.RemainingMilliseconds();
        if (connected)
            socket.Send(query.Datagram.Span, SocketFlags.None);
        else
            socket.SendTo(query.Datagram.Span, SocketFlags.None, server);
    }

    private static async ValueTask<int> ReceiveAsync(Socket socket, byte[] buffer, SocketAddress from, AttemptDeadline deadline, bool useAsync)
    {
        if (useAsync)
            return await socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from, deadline.Token);
        // SO_RCVTIMEO set to what is left of the attempt, so discarded packets do not extend it.
        socket.ReceiveTimeout = deadline.RemainingMilliseconds();
        return socket.ReceiveFrom(buffer.AsSpan(), SocketFlags.None, from);
    }

    /// <summary>
    /// Same port and address, compared on the raw sockaddr without allocating. The port sits at
    /// offset 2 and the address at 4 (sockaddr_in) or 8 (sockaddr_in6) on every platform we run on;
    /// IPv6 flow info and scope ID are not compared.
    /// </summary>
    internal static bool IsSameEndpoint(SocketAddress received, SocketAddress expected)
    {
        if (received.Family != expected.Family)
            return false;
        (int offset, int length) = expected.Family == AddressFamily.InterNetworkV6 ? (8, 16) : (4, 4);
        if (received.Size < offset + length || expected.Size < offset + length)
            return false;
        var left = received.Buffer.Span;
        var right = expected.Buffer.Span;
        return left.Slice(2, 2).SequenceEqual(right.Slice(2, 2))
            && left.Slice(offset, length).SequenceEqual(right.Slice(offset, length));
    }
}

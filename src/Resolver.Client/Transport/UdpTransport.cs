using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Resolver.Client.Transport;

/// <summary>
/// One UDP attempt: a socket from the pool (random kernel-chosen port, RFC 5452 §9.2), one send
/// with a fresh ID, then receive until a packet passes every check or the attempt deadline
/// passes. A packet that fails a check is counted and dropped; it never ends the attempt. A timeout or a network
/// error is returned as <see cref="AcceptedReply.Failure"/>, not thrown; only the caller's cancellation throws.
/// </summary>
/// <remarks>
/// Nothing is allocated on the way except the parsed answer, which is read straight from the
/// socket's receive buffer (the bytes are never copied): the socket brings its buffer, sockaddr
/// and cancellation source, the socket calls used are the ValueTask ones that reuse the socket's
/// own event args, and the async state machines come from a pool.
/// </remarks>
internal static class UdpTransport
{
    /// <summary>Packets read in one attempt before giving up early: bounds the work a flood can cause.</summary>
    private const int MaxPacketsPerAttempt = 1000;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<AcceptedReply> ExchangeAsync(UdpSocketPool pool, IPEndPoint server, OutgoingQuery query, UpstreamQuery question,
        ExchangeOptions options, ClientMetrics metrics, bool useAsync, CancellationToken cancellationToken)
    {
        PooledUdpSocket socket;
        try
        {
            socket = pool.Rent(server, useAsync);
        }
        catch (SocketException error)
        {
            return NetworkError(server, error);
        }
        bool reusable = false;
        ushort id = query.StampNewId();
        socket.CountQuery();
        var deadline = new AttemptDeadline(options.UdpReceiveTimeout, "UDP receive", useAsync, cancellationToken,
            useAsync ? socket.LendDeadlineSource() : null);
        try
        {
            await SendAsync(socket, query, deadline, useAsync);
            for (int packets = 0; packets < MaxPacketsPerAttempt; packets++)
            {
                int received = await ReceiveAsync(socket, deadline, useAsync);
                if (!IsSameEndpoint(socket.From, socket.ServerAddress))
                {
                    metrics.Discarded(DiscardReason.WrongSource);
                    continue;
                }
                var reply = socket.ReceiveBuffer.AsSpan(0, received);
                if (ReplyMatcher.Check(reply, id, question, out var header) is { } reason)
                {
                    metrics.Discarded(reason);
                    continue;
                }
                // Parsed here, before the finally hands the socket and its buffer back to the pool.
                // A TC=1 answer is not parsed: the question is asked again over TCP; so is one longer than
                // the receive space, which the kernel has cut.
                var accepted = header.Truncated || received > PooledUdpSocket.LargestAcceptedReply
                    ? AcceptedReply.Truncated(received, header)
                    : AcceptedReply.Parse(reply, header, question.Question);
                reusable = true;
                return accepted;
            }
            return deadline.ExpiredReply();
        }
        catch (OperationCanceledException cancelled) when (useAsync)
        {
            // The runtime's own cancellation of the receive is the one exception a timeout still costs.
            if (deadline.IsCallerCancellation)
                throw deadline.Translate(cancelled);
            return deadline.ExpiredReply();
        }
        catch (SocketException error) when (AttemptDeadline.IsSocketTimeout(error))
        {
            return deadline.ExpiredReply();
        }
        catch (SocketException error)
        {
            return NetworkError(server, error);
        }
        finally
        {
            deadline.Dispose();
            pool.Return(server, socket, reusable);
        }
    }

    private static AcceptedReply NetworkError(IPEndPoint server, SocketException error) =>
        AcceptedReply.Failed(UpstreamFailureKind.NetworkError, $"UDP exchange with {server} failed: {error.SocketErrorCode}");

    private static ValueTask<int> SendAsync(PooledUdpSocket socket, OutgoingQuery query, AttemptDeadline deadline, bool useAsync)
    {
        if (useAsync)
        {
            return socket.IsConnected
                ? socket.Socket.SendAsync(query.Datagram, SocketFlags.None, deadline.Token)
                : socket.Socket.SendToAsync(query.Datagram, SocketFlags.None, socket.ServerAddress, deadline.Token);
        }
        socket.SetSendTimeout(deadline.RemainingMilliseconds());
        return new ValueTask<int>(socket.IsConnected
            ? socket.Socket.Send(query.Datagram.Span, SocketFlags.None)
            : socket.Socket.SendTo(query.Datagram.Span, SocketFlags.None, socket.ServerAddress));
    }

    private static ValueTask<int> ReceiveAsync(PooledUdpSocket socket, AttemptDeadline deadline, bool useAsync)
    {
        if (useAsync)
            return socket.Socket.ReceiveFromAsync(socket.ReceiveSpace, SocketFlags.None, socket.From, deadline.Token);
        // SO_RCVTIMEO set to what is left of the attempt, so discarded packets do not extend it.
        socket.SetReceiveTimeout(deadline.RemainingMilliseconds());
        return new ValueTask<int>(socket.Socket.ReceiveFrom(socket.ReceiveSpace.Span, SocketFlags.None, socket.From));
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

using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Transport;

/// <summary>
/// One query over a new TCP connection (RFC 7766 §6.2.1): a two-byte length before each
/// message in both directions (RFC 1035 §4.2.2), reads that may return any part of a frame,
/// and the same ID and question checks as UDP. The connect and the read each have a deadline.
/// </summary>
internal static class TcpTransport
{
    /// <summary>Frames read on one connection before giving up: only the answer is expected.</summary>
    private const int MaxFramesPerExchange = 100;

    public static async ValueTask<AcceptedReply> ExchangeAsync(IPEndPoint server, OutgoingQuery query, UpstreamQuery question,
        ExchangeOptions options, ClientMetrics metrics, bool useAsync, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await TcpConnector.ConnectAsync(socket, server, options.TcpConnectTimeout, useAsync, cancellationToken);

        ushort id = query.StampNewId();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        using var deadline = new AttemptDeadline(options.TcpReadTimeout, "TCP read", useAsync, cancellationToken);
        try
        {
            await SendAllAsync(socket, query.Frame, deadline, useAsync);
            for (int frames = 0; frames < MaxFramesPerExchange; frames++)
            {
                await ReadExactlyAsync(socket, buffer.AsMemory(0, 2), deadline, useAsync);
                int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                await ReadExactlyAsync(socket, buffer.AsMemory(0, length), deadline, useAsync);
                var reply = buffer.AsSpan(0, length);
                if (ReplyMatcher.Check(reply, id, question, out var header) is { } reason)
                {
                    metrics.Discarded(reason);
                    continue;
                }
                // TC=1 over TCP: the server could not send the whole answer even here (RFC 7766 §8 has no further
                // fallback). Passed on, an empty one would look like NODATA and be cached; a partial one is no
                // answer either. A failure of this upstream instead: the next one is asked, else SERVFAIL with EDE.
                if (header.Truncated)
                    throw new UpstreamException(UpstreamFailureKind.MalformedResponse, $"answer from {server} over TCP is truncated (TC=1)");
                // Parsed in the pooled buffer before the finally returns it: no copy of the answer.
                return AcceptedReply.Parse(reply, header, question.Question);
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
            throw new UpstreamException(UpstreamFailureKind.NetworkError, $"TCP exchange with {server} failed: {error.SocketErrorCode}", error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> frame, AttemptDeadline deadline, bool useAsync)
    {
        while (!frame.IsEmpty)
        {
            int sent;
            if (useAsync)
            {
                sent = await socket.SendAsync(frame, SocketFlags.None, deadline.Token);
            }
            else
            {
                socket.SendTimeout = deadline.RemainingMilliseconds();
                sent = socket.Send(frame.Span, SocketFlags.None);
            }
            frame = frame[sent..];
        }
    }

    /// <summary>Fills <paramref name="destination"/>, however the bytes are split across reads.</summary>
    private static async ValueTask ReadExactlyAsync(Socket socket, Memory<byte> destination, AttemptDeadline deadline, bool useAsync)
    {
        while (!destination.IsEmpty)
        {
            int received;
            if (useAsync)
            {
                received = await socket.ReceiveAsync(destination, SocketFlags.None, deadline.Token);
            }
            else
            {
                socket.ReceiveTimeout = deadline.RemainingMilliseconds();
                received = socket.Receive(destination.Span, SocketFlags.None);
            }
            if (received == 0)
                throw new UpstreamException(UpstreamFailureKind.NetworkError, "TCP connection closed before the whole answer arrived");
            destination = destination[received..];
        }
    }
}

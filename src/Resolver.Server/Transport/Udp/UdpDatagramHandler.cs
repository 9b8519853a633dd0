using System.Net;
using System.Net.Sockets;
using Resolver.Protocol;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// What one receive loop does with each datagram, whichever way it was received: count it, check its length, copy it
/// into the loop's query buffer, and hand it to the <see cref="QueryDispatcher"/>. An answer given synchronously (a
/// cache hit, a local zone) is left in <see cref="Response"/> for the loop to send; one that goes async takes the
/// buffers with it and sends on its own, and the handler rents fresh ones, so a slow answer never stops receiving.
/// </summary>
/// <remarks>Used by one loop thread only; not thread-safe.</remarks>
internal sealed class UdpDatagramHandler : IDisposable
{
    // Queries are small (a name and an OPT); a larger one gets a larger buffer for that query only.
    private const int QueryBufferLength = 512;

    private readonly Socket socket;
    private readonly IPEndPoint local;
    private readonly ListenerContext shared;
    private readonly QueryDispatcher dispatcher;
    private byte[] query;
    private byte[] response;

    public UdpDatagramHandler(Socket socket, QueryDispatcher dispatcher, ListenerContext shared)
    {
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.shared = shared;
        local = (IPEndPoint)socket.LocalEndPoint!;
        query = shared.QueryBuffers.Rent(QueryBufferLength);
        response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
    }

    /// <summary>The answer of the last datagram <see cref="Handle"/> answered inline.</summary>
    public ReadOnlySpan<byte> Response(int length) => response.AsSpan(0, length);

    /// <summary>
    /// Handles one datagram from <paramref name="client"/> (its raw socket address is <paramref name="sender"/>,
    /// copied only when the answer comes later). Returns the length of an answer given inline, now in
    /// <see cref="Response"/>: that query stays in flight until the loop has sent it and called <see cref="Sent"/>.
    /// Returns 0 when there is nothing to send now (dropped and counted, or answered later).
    /// </summary>
    public int Handle(ReadOnlySpan<byte> datagram, bool cut, IPEndPoint client, ReadOnlySpan<byte> sender)
    {
        shared.Metrics.DatagramReceived();
        if (!IsAcceptable(datagram.Length, cut, client))
        {
            return 0;
        }

        if (datagram.Length > query.Length)
        {
            shared.QueryBuffers.Return(query);
            query = shared.QueryBuffers.Rent(datagram.Length);
        }

        datagram.CopyTo(query);
        ValueTask<int> answer = dispatcher.Start(query.AsMemory(0, datagram.Length), response.AsMemory(0, shared.UdpResponseCapacity), client, shared.Abort);
        if (!answer.IsCompleted)
        {
            // The continuation owns these buffers now; the loop goes on with fresh ones.
            _ = AnswerLaterAsync(answer, query, response, ClientEndpointCache.Copy(socket.AddressFamily, sender), client);
            query = shared.QueryBuffers.Rent(QueryBufferLength);
            response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
            return 0;
        }

        int length = dispatcher.Complete(answer, shared.UdpResponseCapacity, client);
        if (length == 0)
        {
            dispatcher.Exit();
        }

        return length;
    }

    /// <summary>An inline answer went out (or failed to, <paramref name="failed"/>); its query is over.</summary>
    public void Sent(ReadOnlySpan<byte> answer, bool failed, IPEndPoint client)
    {
        if (failed)
        {
            dispatcher.Drop(TransportTags.SendFailed, client);
        }
        else
        {
            dispatcher.Sent(answer);
        }

        dispatcher.Exit();
    }

    /// <summary>Sends an answer with a blocking <c>sendto</c> (UDP sends do not wait for the peer): from the loop's
    /// thread for inline answers in the one-datagram loop, from a pool thread for answers completed later.</summary>
    /// <returns>False when the send failed.</returns>
    public bool SendTo(ReadOnlySpan<byte> answer, SocketAddress client, IPEndPoint endpoint)
    {
        try
        {
            // The handler sized the answer to the client's limit (RFC 6891 §7); send exactly what it wrote.
            socket.SendTo(answer, SocketFlags.None, client);
            return true;
        }
        catch (ObjectDisposedException) when (UdpLateReplySender.TrySend(local, endpoint, answer))
        {
            // Stopping: the listening socket is closed; the answer went out from the same address and port.
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        shared.QueryBuffers.Return(query);
        shared.QueryBuffers.Return(response);
    }

    private bool IsAcceptable(int length, bool cut, IPEndPoint client)
    {
        // RFC 1035 §4.1.1: a message starts with a 12-byte header; anything shorter is not DNS.
        string? reason = cut || length > shared.MaxDatagramSize ? TransportTags.TooLong
            : length < DnsHeader.Size ? TransportTags.TooShort
            : null;
        if (reason is null)
        {
            return true;
        }

        dispatcher.Drop(reason, client);
        return false;
    }

    private async Task AnswerLaterAsync(ValueTask<int> answer, byte[] queryBuffer, byte[] responseBuffer, SocketAddress sender, IPEndPoint client)
    {
        try
        {
            int length;
            try
            {
                length = dispatcher.Settle(await answer.ConfigureAwait(false), shared.UdpResponseCapacity, client);
            }
            catch (Exception e)
            {
                length = dispatcher.Failed(e, client);
            }

            if (length > 0)
            {
                ReadOnlySpan<byte> sent = responseBuffer.AsSpan(0, length);
                if (SendTo(sent, sender, client))
                {
                    dispatcher.Sent(sent);
                }
                else
                {
                    dispatcher.Drop(TransportTags.SendFailed, client);
                }
            }
        }
        finally
        {
            shared.QueryBuffers.Return(queryBuffer);
            shared.QueryBuffers.Return(responseBuffer);
            dispatcher.Exit();
        }
    }
}

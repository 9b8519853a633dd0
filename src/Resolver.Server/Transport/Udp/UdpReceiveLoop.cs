using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// One socket's receive loop, on a thread of its own doing blocking receives and sends. A query the handler answers
/// synchronously (a cache hit, a local zone) is answered inline: no Task, no thread-pool hop, no per-query object
/// beyond the pooled buffers the loop already holds. A query that goes async hands those buffers to its own
/// continuation and the loop rents fresh ones, so a slow answer never stops receiving.
/// </summary>
/// <remarks>
/// Why a thread and blocking calls rather than <c>ReceiveFromAsync</c>: on Linux an async receive that finds the queue
/// empty parks on epoll, and the datagram that arrives then costs two context switches (the epoll thread wakes, then
/// hands the continuation to a pool thread). Measured with dnsperf against one pinned core, that hop halved the
/// cache-hit rate (77k vs 127k+ queries/s, scripts/bench.sh). A blocked <c>recvfrom</c> is woken by the kernel directly.
/// The socket is never used asynchronously: on Unix the first async call would switch it to non-blocking for good
/// and every blocking call after that would be emulated.
/// </remarks>
internal sealed partial class UdpReceiveLoop(
    Socket socket,
    IQueryHandler handler,
    ListenerContext shared)
{
    // RFC 1035 §4.1.1: a message starts with a 12-byte header; anything shorter is not DNS.

    // One byte past the largest datagram, so an oversized one is seen (and dropped) rather than silently cut.
    private const int ReceiveBufferLength = 65536;

    // Queries are small (a name and an OPT); a larger one gets a larger buffer for that query only.
    private const int QueryBufferLength = 512;

    // A blocked receive wakes at least this often to see whether the server is stopping.
    private const int StopCheckIntervalMs = 250;

    private readonly IPEndPoint local = (IPEndPoint)socket.LocalEndPoint!;

    /// <summary>The name of a loop's thread, as <c>top -H</c>, <c>perf</c> and /proc/PID/task/TID/comm show it.</summary>
    public const string ThreadName = "resolver-udp";

    /// <summary>Starts the loop on a dedicated thread; the task completes when the loop has ended.</summary>
    public Task Start(CancellationToken stopReceiving) =>
        Task.Factory.StartNew(
            () =>
            {
                Thread.CurrentThread.Name = ThreadName;
                Run(stopReceiving);
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Run(CancellationToken stopReceiving)
    {
        if (shared.UdpBatchSize > 1 && LinuxDatagramCalls.IsSupported)
        {
            RunBatched(stopReceiving);
            return;
        }

        RunSingle(stopReceiving);
    }

    /// <summary>One receive and one send call per datagram (everywhere but 64-bit Linux, or BatchSize 1).</summary>
    private void RunSingle(CancellationToken stopReceiving)
    {
        // The datagram buffer never leaves the loop. Each query is copied into a small buffer, so a query that
        // goes upstream holds a few kilobytes while it waits, not 128 KiB (500 misses in flight would pin 64 MiB).
        byte[] datagram = ArrayPool<byte>.Shared.Rent(ReceiveBufferLength);
        byte[] query = shared.QueryBuffers.Rent(QueryBufferLength);
        byte[] response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
        var client = new SocketAddress(socket.AddressFamily);
        var clients = new ClientEndpointCache(socket.AddressFamily);
        try
        {
            socket.ReceiveTimeout = StopCheckIntervalMs;
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

                shared.Metrics.DatagramReceived();
                IPEndPoint endpoint = clients.Get(client);
                if (!IsAcceptableLength(received, endpoint))
                {
                    continue;
                }

                ValueTask<int> answer = Dispatch(datagram.AsSpan(0, received), ref query, response, endpoint, out bool handlerThrew);
                if (handlerThrew)
                {
                    continue;
                }

                if (answer.IsCompleted)
                {
                    int length = Consume(answer, endpoint);
                    Send(response, length, client, endpoint);
                    shared.InFlight.Exit();
                }
                else
                {
                    // The continuation owns these buffers now; the loop goes on with fresh ones.
                    _ = AnswerLaterAsync(answer, query, response, ClientEndpointCache.Copy(client), endpoint);
                    query = shared.QueryBuffers.Rent(QueryBufferLength);
                    response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
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
            shared.QueryBuffers.Return(query);
            shared.QueryBuffers.Return(response);
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
            return EndsLoop(e.SocketErrorCode) ? -1 : 0;
        }
    }

    /// <summary>
    /// What a failed receive means, for both loops: true when the loop must end (the socket is closed or shut
    /// down); false to go on, after a log line and a short pause when the error is not an expected one.
    /// </summary>
    private bool EndsLoop(SocketError error)
    {
        if (error is SocketError.Success or SocketError.TimedOut or SocketError.WouldBlock)
        {
            // The stop-check timeout, or a signal: nothing arrived.
            return false;
        }

        if (error is SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown
            or SocketError.NotSocket or SocketError.InvalidArgument)
        {
            return true;
        }

        if (IsAboutOneClient(error))
        {
            // An ICMP error for an earlier answer (e.g. port unreachable: the client left). Not our socket's fault.
            return false;
        }

        TransportLog.ReceiveFailed(shared.Logger, local, error);

        // Bounded pause so an error that repeats cannot spin a core.
        Thread.Sleep(10);
        return false;
    }

    private static bool IsAboutOneClient(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.MessageSize or SocketError.TimedOut;

    private bool IsAcceptableLength(int received, IPEndPoint endpoint)
    {
        if (received < DnsHeader.Size)
        {
            Drop(TransportTags.TooShort, endpoint);
            return false;
        }

        if (received > shared.MaxDatagramSize)
        {
            Drop(TransportTags.TooLong, endpoint);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Copies a datagram into the loop's query buffer (a larger one when needed), counts it in flight and hands it
    /// to the handler. When the handler throws, the query is already counted out again.
    /// </summary>
    private ValueTask<int> Dispatch(ReadOnlySpan<byte> datagram, ref byte[] query, byte[] response, IPEndPoint endpoint, out bool handlerThrew)
    {
        if (datagram.Length > query.Length)
        {
            shared.QueryBuffers.Return(query);
            query = shared.QueryBuffers.Rent(datagram.Length);
        }

        datagram.CopyTo(query);
        shared.InFlight.Enter();
        ValueTask<int> answer = Handle(query, datagram.Length, response, endpoint, out handlerThrew);
        if (handlerThrew)
        {
            shared.InFlight.Exit();
        }

        return answer;
    }

    private ValueTask<int> Handle(byte[] query, int length, byte[] response, IPEndPoint endpoint, out bool threw)
    {
        try
        {
            threw = false;
            return handler.HandleAsync(
                query.AsMemory(0, length), response.AsMemory(0, shared.UdpResponseCapacity), new QueryContext(endpoint, ClientTransport.Udp), shared.Abort);
        }
        catch (Exception e)
        {
            threw = true;
            HandlerFailed(e, endpoint);
            return default;
        }
    }

    /// <summary>The length of a synchronously completed answer, or 0 when there is nothing to send.</summary>
    private int Consume(ValueTask<int> answer, IPEndPoint endpoint)
    {
        try
        {
            return CheckLength(answer.Result, endpoint);
        }
        catch (Exception e)
        {
            return Failed(e, endpoint);
        }
    }

    /// <summary>Counts an answer the transport will not send; returns the length to send (0 for none).</summary>
    private int CheckLength(int length, IPEndPoint endpoint)
    {
        if (length == 0)
        {
            Drop(TransportTags.NoAnswer, endpoint);
        }
        else if (length < 0 || length > shared.UdpResponseCapacity)
        {
            Drop(TransportTags.HandlerError, endpoint);
            return 0;
        }

        return length;
    }

    private int Failed(Exception e, IPEndPoint endpoint)
    {
        if (e is OperationCanceledException)
        {
            Drop(TransportTags.Cancelled, endpoint);
        }
        else
        {
            HandlerFailed(e, endpoint);
        }

        return 0;
    }

    private async Task AnswerLaterAsync(ValueTask<int> answer, byte[] query, byte[] response, SocketAddress client, IPEndPoint endpoint)
    {
        try
        {
            int length;
            try
            {
                length = CheckLength(await answer.ConfigureAwait(false), endpoint);
            }
            catch (Exception e)
            {
                length = Failed(e, endpoint);
            }

            Send(response, length, client, endpoint);
        }
        finally
        {
            shared.QueryBuffers.Return(query);
            shared.QueryBuffers.Return(response);
            shared.InFlight.Exit();
        }
    }

    /// <summary>Sends an answer with a blocking <c>sendto</c> (UDP sends do not wait for the peer), from the loop's
    /// thread for inline answers and from a pool thread for answers completed later.</summary>
    private void Send(byte[] response, int length, SocketAddress client, IPEndPoint endpoint)
    {
        if (length == 0)
        {
            return;
        }

        try
        {
            // The handler sized the answer to the client's limit (RFC 6891 §7); send exactly what it wrote.
            socket.SendTo(response.AsSpan(0, length), SocketFlags.None, client);
            shared.Metrics.ResponseSent(TransportTags.Udp, response.AsSpan(0, length));
        }
        catch (ObjectDisposedException) when (UdpLateReplySender.TrySend(local, endpoint, response.AsSpan(0, length)))
        {
            // Stopping: the listening socket is closed; the answer went out from the same address and port.
            shared.Metrics.ResponseSent(TransportTags.Udp, response.AsSpan(0, length));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Drop(TransportTags.SendFailed, endpoint);
        }
    }

    private void Drop(string reason, IPEndPoint endpoint)
    {
        shared.Metrics.QueryDropped(TransportTags.Udp, reason);
        TransportLog.QueryDropped(shared.Logger, TransportTags.Udp, endpoint, reason);
    }

    private void HandlerFailed(Exception e, IPEndPoint endpoint)
    {
        shared.Metrics.QueryDropped(TransportTags.Udp, TransportTags.HandlerError);
        TransportLog.HandlerFailed(shared.Logger, e, TransportTags.Udp, endpoint);
    }
}

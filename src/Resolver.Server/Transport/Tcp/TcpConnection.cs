using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Server.Transport.Tcp;

/// <summary>
/// One client's TCP connection (RFC 7766). Reads length-framed queries, hands each to the handler as soon as it is
/// whole, and writes each answer as it completes: pipelined queries are processed concurrently and may be answered
/// out of order (RFC 7766 §6.2.1.1); writes are serialized so frames never interleave. Past the cap of outstanding
/// queries it stops reading until one completes. The same over TLS (RFC 7858 §3.3): with a
/// <see cref="Encrypted.TlsHandshake"/> the connection first completes the server side of the handshake, within its
/// timeout (a client that never finishes holds its slot that long at most), then frames queries over the
/// <see cref="System.Net.Security.SslStream"/> exactly as over the socket.
/// </summary>
internal sealed class TcpConnection
{
    // The answer and its 2-octet length fill exactly one 64 KiB buffer (a pool rounds 65,537 up to 128 KiB). An answer
    // of the very last octet's size is truncated instead: no answer near 64 KiB fits our own OPT beside it anyway.
    private const int ResponseLength = ListenerContext.TcpResponseBufferLength - TcpFraming.PrefixLength;

    private readonly Encrypted.TlsHandshake? tls;
    private readonly QueryDispatcher dispatcher;
    private Stream stream;
    private readonly ListenerContext shared;
    private readonly TcpConnectionTable table;
    private readonly InFlightCounter outstanding = new();
    private readonly SemaphoreSlim slots;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly CancellationTokenSource reading;
    private readonly CancellationTokenSource aborting;

    // Captured once: the sources are disposed when the connection ends, after being cancelled.
    private readonly CancellationToken readToken;
    private readonly CancellationToken abortToken;
    private long lastActivityMs;
    private string? closeReason;

    public TcpConnection(Socket socket, IQueryHandler handler, ListenerContext shared, TcpConnectionTable table, CancellationToken stopReading,
        Encrypted.TlsHandshake? tls = null)
    {
        this.tls = tls;
        this.shared = shared;
        lastActivityMs = shared.NowMs();
        dispatcher = tls is null
            ? new QueryDispatcher(handler, shared, TransportTags.Tcp, ClientTransport.Tcp)
            : new QueryDispatcher(handler, shared, TransportTags.Tls, ClientTransport.Tls);
        this.table = table;
        Client = (IPEndPoint)socket.RemoteEndPoint!;
        stream = new NetworkStream(socket, ownsSocket: true);
        slots = new SemaphoreSlim(shared.Tcp.MaxOutstandingPerConnection, shared.Tcp.MaxOutstandingPerConnection);
        reading = CancellationTokenSource.CreateLinkedTokenSource(stopReading);
        aborting = CancellationTokenSource.CreateLinkedTokenSource(shared.Abort);
        readToken = reading.Token;
        abortToken = aborting.Token;
    }

    public IPEndPoint Client { get; }

    /// <summary>No query in flight (RFC 7766 §6.2.3: only such a connection counts as idle).</summary>
    public bool IsIdle => outstanding.Count == 0;

    /// <summary>When the connection last received bytes or sent an answer (<see cref="ListenerContext.NowMs"/>).</summary>
    public long LastActivityMs => Volatile.Read(ref lastActivityMs);

    /// <summary>Completes when the connection is closed and its resources are back.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Closes a connection that was never started (refused at the cap).</summary>
    public void Discard()
    {
        stream.Dispose();
        reading.Dispose();
        aborting.Dispose();
    }

    /// <summary>Stops reading; what is in flight is still answered, then the connection closes.</summary>
    public void Close(string reason)
    {
        Interlocked.CompareExchange(ref closeReason, reason, null);
        try
        {
            reading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (tls is not null)
            {
                stream = await tls.AuthenticateAsync(stream, Client, readToken).ConfigureAwait(false);
            }

            await ReadQueriesAsync().ConfigureAwait(false);
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            Interlocked.CompareExchange(ref closeReason, TransportTags.HandshakeFailed, null);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Interlocked.CompareExchange(ref closeReason, e is OperationCanceledException ? TransportTags.Shutdown : TransportTags.Error, null);
        }
        finally
        {
            // A client may half-close after its last query; it still gets the answers (RFC 7766 §6.2.4 allows
            // either side to close, but answering what was asked is what clients expect).
            await outstanding.WaitUntilDrainedAsync(abortToken).ConfigureAwait(false);
            reading.Cancel();
            aborting.Cancel();
            table.Remove(this);
            await stream.DisposeAsync().ConfigureAwait(false);
            reading.Dispose();
            aborting.Dispose();
            string reason = closeReason ?? TransportTags.PeerClosed;
            shared.Metrics.ConnectionClosed(reason);
            TransportLog.ConnectionClosed(shared.Logger, Client, reason);
        }
    }

    private async Task ReadQueriesAsync()
    {
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(readToken).ConfigureAwait(false);
                Touch();
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool keepReading = true;
                try
                {
                    while (keepReading && TcpFraming.TryReadFrame(ref buffer, out ReadOnlySequence<byte> message))
                    {
                        keepReading = await AcceptQueryAsync(message).ConfigureAwait(false);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (!keepReading || result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts answering one framed query; false when the connection must close.</summary>
    private async ValueTask<bool> AcceptQueryAsync(ReadOnlySequence<byte> message)
    {
        shared.Metrics.FrameReceived();
        if (message.Length == 0)
        {
            // A zero length cannot frame a DNS message; the peer is not speaking DNS over TCP.
            Interlocked.CompareExchange(ref closeReason, TransportTags.ZeroLength, null);
            return false;
        }

        if (message.Length < DnsHeader.Size)
        {
            dispatcher.Drop(TransportTags.TooShort, Client);
            return true;
        }

        // Past the cap of outstanding queries, wait (and so stop reading) until one completes.
        await slots.WaitAsync(readToken).ConfigureAwait(false);
        int length = (int)message.Length;
        byte[] query = shared.QueryBuffers.Rent(length);
        byte[] response = shared.TcpResponseBuffers.Rent(ListenerContext.TcpResponseBufferLength);
        message.CopyTo(query);
        outstanding.Enter();
        ValueTask<int> answer = dispatcher.Start(
            query.AsMemory(0, length), response.AsMemory(TcpFraming.PrefixLength, ResponseLength), Client, abortToken);
        if (answer.IsCompleted)
        {
            await AnswerAsync(answer, query, response).ConfigureAwait(false);
        }
        else
        {
            _ = AnswerLaterAsync(answer, query, response);
        }

        return true;
    }

    private async Task AnswerLaterAsync(ValueTask<int> answer, byte[] query, byte[] response) =>
        await AnswerAsync(answer, query, response).ConfigureAwait(false);

    private async ValueTask AnswerAsync(ValueTask<int> answer, byte[] query, byte[] response)
    {
        try
        {
            int length;
            try
            {
                length = dispatcher.Settle(await answer.ConfigureAwait(false), ResponseLength, Client);
            }
            catch (Exception e)
            {
                length = dispatcher.Failed(e, Client);
            }

            if (length > 0)
            {
                await SendAsync(response, length).ConfigureAwait(false);
            }
        }
        finally
        {
            shared.QueryBuffers.Return(query);
            shared.TcpResponseBuffers.Return(response);
            Touch();
            slots.Release();
            dispatcher.Exit();
            outstanding.Exit();
        }
    }

    private async ValueTask SendAsync(byte[] response, int length)
    {
        try
        {
            await WriteAsync(response, length).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The stop's grace period ended while the answer waited for the connection.
            dispatcher.Drop(TransportTags.Cancelled, Client);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            dispatcher.Drop(TransportTags.SendFailed, Client);
            Close(TransportTags.Error);
        }
    }

    private async ValueTask WriteAsync(byte[] response, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)length);
        await writeLock.WaitAsync(abortToken).ConfigureAwait(false);
        try
        {
            // One write of prefix and message together: the pair reaches the wire as one unit (RFC 7766 §8).
            await stream.WriteAsync(response.AsMemory(0, TcpFraming.PrefixLength + length), abortToken).ConfigureAwait(false);
            dispatcher.Sent(response.AsSpan(TcpFraming.PrefixLength, length));
        }
        finally
        {
            writeLock.Release();
        }
    }

    private void Touch() => Volatile.Write(ref lastActivityMs, shared.NowMs());
}

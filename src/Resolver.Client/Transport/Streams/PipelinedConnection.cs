using System.Buffers.Binary;
using Resolver.Protocol;

namespace Resolver.Client.Transport.Streams;

/// <summary>
/// One long-lived TCP or TLS connection to an upstream carrying many queries at once (RFC 7766 §6.2.1.1,
/// RFC 7858 §3.3): each query is written as a length-prefixed frame under a write lock, one reader takes answers in
/// whatever order they come and hands each to the query with its ID (and question: the same checks as UDP). A query
/// that gives up (deadline, cancellation) leaves the connection as it is; a late answer to it is counted as
/// wrong_id. When the connection ends, every query still on it fails with <see cref="ConnectionLostException"/>,
/// which its caller answers by sending it again on a new connection.
/// </summary>
internal sealed class PipelinedConnection : IAsyncDisposable
{
    private const int PrefixLength = 2;

    private readonly Stream _stream;
    private readonly ClientMetrics _metrics;
    private readonly int _maxInFlight;
    private readonly TimeSpan _idleTimeout;
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, PendingAnswer> _pending = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Timer _idleTimer;
    private long _lastActivity = Environment.TickCount64;
    private bool _closed;
    private string _closeReason = "closed";

    public PipelinedConnection(Stream stream, string upstream, ClientMetrics metrics, int maxInFlight, TimeSpan idleTimeout)
    {
        _stream = stream;
        Upstream = upstream;
        _metrics = metrics;
        _maxInFlight = maxInFlight;
        _idleTimeout = idleTimeout;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(idleTimeout.TotalMilliseconds / 4, 10, 1000));
        _idleTimer = new Timer(static state => ((PipelinedConnection)state!).CloseIfIdle(), this, period, period);
        Reader = Task.Run(ReadAnswersAsync);
    }

    public string Upstream { get; }

    /// <summary>Ends when the connection has closed, for whatever reason.</summary>
    public Task Reader { get; }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
                return _closed;
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
                return _pending.Count;
        }
    }

    /// <summary>Sends the query and waits for its answer, parsed in the reader's buffer.</summary>
    public async ValueTask<AcceptedReply> ExchangeAsync(OutgoingQuery query, UpstreamQuery question, CancellationToken cancellationToken)
    {
        var pending = new PendingAnswer(question);
        ushort id = Register(query, pending);
        using var cancel = cancellationToken.UnsafeRegister(static (state, token) => ((PendingAnswer)state!).Completion.TrySetCanceled(token), pending);
        try
        {
            await SendAsync(query.Frame, cancellationToken).ConfigureAwait(false);
            return await pending.Completion.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (_pending.TryGetValue(id, out var current) && current == pending)
                    _pending.Remove(id);
            }
            Touch();
        }
    }

    /// <summary>A fresh random ID no other query on this connection holds (RFC 7766 §7: IDs must be unique per connection).</summary>
    private ushort Register(OutgoingQuery query, PendingAnswer pending)
    {
        lock (_lock)
        {
            if (_closed)
                throw new ConnectionLostException(_closeReason);
            if (_pending.Count >= _maxInFlight)
                throw new UpstreamException(UpstreamFailureKind.NetworkError, $"{_maxInFlight} queries in flight to {Upstream} already");
            ushort id;
            do
                id = query.StampNewId();
            while (_pending.ContainsKey(id));
            _pending.Add(id, pending);
            return id;
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Prefix and message in one write, so they leave in one segment (RFC 7766 §8).
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or OperationCanceledException
                                          or System.Net.Sockets.SocketException)
        {
            // A write cut off half-way leaves the stream (a TLS record in particular) unusable for everyone.
            Close(error is OperationCanceledException ? "write cancelled" : "write failed", "error");
            if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            throw new ConnectionLostException("the connection failed while sending");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadAnswersAsync()
    {
        // Room for two whole frames, so a frame never has to wait for the one before it to be moved.
        byte[] buffer = new byte[2 * (PrefixLength + ushort.MaxValue)];
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                if (buffer.Length - end < PrefixLength + ushort.MaxValue)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int read = await _stream.ReadAsync(buffer.AsMemory(end), CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("closed by the upstream", "peer_closed");
                    return;
                }
                end += read;
                Touch();
                while (end - start >= PrefixLength)
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(start));
                    if (end - start < PrefixLength + length)
                        break;
                    Deliver(buffer.AsSpan(start + PrefixLength, length));
                    start += PrefixLength + length;
                }
                if (start == end)
                    start = end = 0;
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or System.Net.Sockets.SocketException
                                          or InvalidOperationException)
        {
            Close("read failed: " + error.Message, "error");
        }
    }

    /// <summary>Matches one answer to its query and parses it here, before the buffer is reused.</summary>
    private void Deliver(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < DnsHeader.Size)
        {
            _metrics.Discarded(DiscardReason.Unparsable);
            return;
        }
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(reply);
        PendingAnswer? pending;
        lock (_lock)
            _pending.TryGetValue(id, out pending);
        if (pending is null)
        {
            _metrics.Discarded(DiscardReason.WrongId);
            return;
        }
        if (ReplyMatcher.Check(reply, id, pending.Question, out var header) is { } reason)
        {
            _metrics.Discarded(reason);
            return;
        }
        lock (_lock)
            _pending.Remove(id);
        // RFC 7766 §8 has no further fallback after TC=1 over a stream: a failure of this upstream, never NODATA.
        if (header.Truncated)
            pending.Completion.TrySetException(new UpstreamException(UpstreamFailureKind.MalformedResponse, $"answer from {Upstream} is truncated (TC=1)"));
        else
            pending.Completion.TrySetResult(AcceptedReply.Parse(reply, header, pending.Question.Question));
    }

    /// <summary>RFC 7766 §6.2.3: a connection with nothing in flight is closed after the idle timeout.</summary>
    private void CloseIfIdle()
    {
        lock (_lock)
        {
            if (_closed || _pending.Count > 0 || Environment.TickCount64 - Volatile.Read(ref _lastActivity) < _idleTimeout.TotalMilliseconds)
                return;
        }
        Close("idle", "idle");
    }

    /// <summary>Closes the connection; every query still waiting is told to try a new one.</summary>
    /// <param name="tag">The reason tag of the closed-connections counter: idle, peer_closed, error, disposed.</param>
    public void Close(string reason, string tag)
    {
        List<PendingAnswer> orphans;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            _closeReason = $"connection to {Upstream} {reason}";
            orphans = [.. _pending.Values];
            _pending.Clear();
        }
        _idleTimer.Dispose();
        _metrics.ConnectionClosed(tag);
        foreach (var orphan in orphans)
            orphan.Completion.TrySetException(new ConnectionLostException(_closeReason));
        try
        {
            _stream.Dispose();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // Closing a broken stream: nothing more to do.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close("closed by us", "disposed");
        await Reader.ConfigureAwait(false);
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    private sealed class PendingAnswer(UpstreamQuery question)
    {
        public UpstreamQuery Question { get; } = question;

        public TaskCompletionSource<AcceptedReply> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The connection a query was sent on closed before its answer came; send it again on a new one.</summary>
internal sealed class ConnectionLostException(string message) : Exception(message);

using Resolver.Client.Upstreams;

namespace Resolver.Client.Transport.Streams;

/// <summary>
/// The one connection kept to a TCP or TLS upstream (RFC 7766 §6.2.1: reuse one connection rather than open one
/// per query; RFC 7858 §3.4 likewise for TLS). Queries that arrive while it is being opened wait for that same
/// connect; a closed or failed connection is replaced on the next query. A query whose connection closes under it
/// (the upstream's idle timeout, a restart) is sent again on a new connection, a bounded number of times, within
/// its own deadline.
/// </summary>
internal sealed class StreamConnectionPool : IAsyncDisposable
{
    private readonly UpstreamEndpoint _upstream;
    private readonly StreamConnector _connector;
    private readonly ConnectionReuse _reuse;
    private readonly ClientMetrics _metrics;
    private readonly Lock _lock = new();
    private Task<PipelinedConnection>? _current;
    private bool _disposed;

    public StreamConnectionPool(UpstreamEndpoint upstream, ConnectionReuse reuse, ClientMetrics metrics)
    {
        _upstream = upstream;
        _reuse = reuse;
        _metrics = metrics;
        _connector = new StreamConnector(upstream, reuse.Trust, metrics);
    }

    public async ValueTask<AcceptedReply> ExchangeAsync(OutgoingQuery query, UpstreamQuery question, ExchangeOptions options, CancellationToken cancellationToken)
    {
        // One deadline for the whole query, reconnects included: connect plus read, as for a TCP exchange.
        using var deadline = new AttemptDeadline(options.TcpConnectTimeout + options.TcpReadTimeout, "stream exchange", useAsync: true, cancellationToken);
        for (int reconnects = 0; ; reconnects++)
        {
            try
            {
                var connection = await GetAsync(options, deadline.Token).ConfigureAwait(false);
                return await connection.ExchangeAsync(query, question, deadline.Token).ConfigureAwait(false);
            }
            catch (ConnectionLostException lost)
            {
                if (reconnects >= _reuse.MaxReconnectsPerQuery)
                    throw new UpstreamException(UpstreamFailureKind.NetworkError, lost.Message + "; given up after " + reconnects + " new connections", lost);
                _metrics.QueryResent();
            }
            catch (OperationCanceledException cancelled)
            {
                throw deadline.Translate(cancelled);
            }
        }
    }

    /// <summary>The open connection, or the one being opened; a new one when it has closed or failed to open.</summary>
    private async ValueTask<PipelinedConnection> GetAsync(ExchangeOptions options, CancellationToken cancellationToken)
    {
        Task<PipelinedConnection> current;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _current ??= OpenAsync(options);
            if (current.IsCompleted && (!current.IsCompletedSuccessfully || current.Result.IsClosed))
                _current = current = OpenAsync(options);
        }
        try
        {
            return await current.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed connect is not kept: the next query tries again (the circuit breaker decides how often).
            lock (_lock)
            {
                if (_current == current)
                    _current = null;
            }
            throw;
        }
    }

    /// <summary>Not tied to any one query's token: the queries that wait for it may each give up on their own.</summary>
    private async Task<PipelinedConnection> OpenAsync(ExchangeOptions options)
    {
        var stream = await _connector.ConnectAsync(options, CancellationToken.None).ConfigureAwait(false);
        return new PipelinedConnection(stream, _upstream.Text, _metrics, _reuse.MaxQueriesInFlight, _reuse.IdleTimeout);
    }

    /// <summary>The connection's queries in flight, for tests; 0 when there is none.</summary>
    internal PipelinedConnection? Current
    {
        get
        {
            lock (_lock)
                return _current is { IsCompletedSuccessfully: true } done ? done.Result : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<PipelinedConnection>? current;
        lock (_lock)
        {
            _disposed = true;
            current = _current;
            _current = null;
        }
        if (current is { IsCompletedSuccessfully: true })
            await current.Result.DisposeAsync().ConfigureAwait(false);
    }
}

using Resolver.Core.SharedCache;
using StackExchange.Redis;

namespace Resolver.SharedCache.Redis;

/// <summary>
/// <see cref="ISharedCacheStore"/> on Redis with StackExchange.Redis: GET and SET with an expiry (PX) on one
/// multiplexed connection. Set up so that a Redis that is down costs nothing: the connection is made in the
/// background and never fails the start (AbortOnConnectFail off), commands issued while disconnected fail at once
/// instead of waiting in the client's backlog (<see cref="BacklogPolicy.FailFast"/>), and the multiplexer reconnects
/// by itself, every <c>CommandTimeout</c>, when Redis comes back. The stage bounds each read by its budget on top.
/// </summary>
public sealed class RedisSharedCacheStore : ISharedCacheStore, IAsyncDisposable, IDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;
    private int _disposed;

    public RedisSharedCacheStore(SharedCacheOptions options)
    {
        Configuration = Configure(options);
        _connecting = ConnectionMultiplexer.ConnectAsync(Configuration);
        // The first connection may fail (Redis not up yet); the multiplexer keeps trying, the fault is only observed.
        _ = _connecting.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>The client settings made from <see cref="SharedCacheOptions"/> (for tests and diagnostics).</summary>
    public ConfigurationOptions Configuration { get; }

    /// <summary>True once the multiplexer exists and has a live connection.</summary>
    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    // With AbortOnConnectFail off, ConnectAsync ends after one attempt (at most ConnectTimeout) whether it connected.
    public Task FirstConnectAttempt => _connecting.ContinueWith(static _ => { }, CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public Task<byte[]?> GetAsync(byte[] key)
    {
        var database = Database();
        return ReadAsync(database.StringGetAsync(key));
    }

    public Task SetAsync(byte[] key, byte[] value, TimeSpan expiry) =>
        Database().StringSetAsync(key, value, expiry, When.Always, CommandFlags.None);

    // Disposed by the host's writer service once the last writes are out, and again by the container: once is enough.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _connecting.IsCompletedSuccessfully)
            await _connecting.Result.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _connecting.IsCompletedSuccessfully)
            _connecting.Result.Dispose();
    }

    /// <summary>The client settings: small timeouts, no start-up failure, fail-fast while disconnected.</summary>
    internal static ConfigurationOptions Configure(SharedCacheOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        int timeout = (int)options.CommandTimeout.TotalMilliseconds;
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        configuration.ConnectRetry = 1;
        // A lost connection is retried at a steady pace rather than backing off to a minute: sharing should resume
        // within seconds of Redis returning.
        configuration.ReconnectRetryPolicy = new LinearRetry(timeout);
        configuration.KeepAlive = 5;
        configuration.ClientName ??= "resolver";
        // The client's own log (every connect step at Information) is left out: the circuit logs each change of
        // state once, which is what an operator needs; the client's detail is for debugging it.
        return configuration;
    }

    private IDatabase Database()
    {
        // Not connected yet (first connect still running or failed): a fault at once, which the circuit counts.
        if (!_connecting.IsCompletedSuccessfully)
            throw new InvalidOperationException("Redis not connected yet");
        return _connecting.Result.GetDatabase();
    }

    private static async Task<byte[]?> ReadAsync(Task<RedisValue> pending)
    {
        var value = await pending.ConfigureAwait(false);
        return value.IsNull ? null : (byte[]?)value;
    }
}

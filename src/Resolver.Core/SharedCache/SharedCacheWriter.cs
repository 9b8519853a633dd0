using System.Threading.Channels;
using Resolver.Core.Cache;

namespace Resolver.Core.SharedCache;

/// <summary>
/// Write-behind: every answer the local cache stores from upstream is queued here (<see cref="IResponseStoreObserver"/>,
/// on the miss path, so it only enqueues) and written to the store by one background loop, off every client's path.
/// The queue is bounded: when it is full the answer is dropped and counted, never waited for. The writer does not
/// follow the read circuit (reads past a 5 ms budget say little about whether a write can land): against a dead Redis
/// the client fails writes at once, against a stalled one a batch waits at most twice CommandTimeout, and meanwhile
/// the queue fills and drops. Each key expires in the store when the entry's serve-stale window ends, so the store holds no
/// longer than any instance could use it.
/// </summary>
public sealed class SharedCacheWriter : IResponseStoreObserver
{
    // Writes sent together: StackExchange.Redis pipelines them on one connection, one round trip per batch.
    private const int BatchSize = 64;

    private readonly Channel<PortableCacheEntry> _queue;
    private readonly ISharedCacheStore _store;
    private readonly SharedCacheOptions _options;
    private readonly SharedCacheMetrics _metrics;
    private readonly TimeProvider _time;

    public SharedCacheWriter(ISharedCacheStore store, SharedCacheOptions options, SharedCacheMetrics metrics, TimeProvider? time = null)
    {
        _store = store;
        _options = options;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _queue = Channel.CreateBounded<PortableCacheEntry>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then says false instead of dropping silently
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Answers queued and not yet written.</summary>
    public int Pending => _queue.Reader.Count;

    public void Stored(PortableCacheEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
            _metrics.WriteDropped("queue_full");
    }

    /// <summary>No more answers: <see cref="RunAsync"/> ends once the queue is empty.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The write loop; runs until <see cref="Complete"/> and an empty queue, or <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<PortableCacheEntry>(BatchSize);
        var writes = new List<Task>(BatchSize);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < BatchSize && reader.TryRead(out var entry))
                    batch.Add(entry);
                await WriteAsync(batch, writes, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: what is still queued is dropped, the store will be filled again by the next misses.
        }
    }

    private async Task WriteAsync(List<PortableCacheEntry> batch, List<Task> writes, CancellationToken stopping)
    {
        writes.Clear();
        var now = _time.GetUtcNow();
        foreach (var entry in batch)
        {
            // Kept in the store until the entry's serve-stale window ends (its fresh life when stale is off).
            var expiry = entry.StaleUntil - now;
            if (expiry <= TimeSpan.Zero)
                continue;
            writes.Add(Start(entry, expiry));
        }
        if (writes.Count == 0)
            return;
        try
        {
            // The client's own timeout ends each write; this bounds the batch should it not. Which writes failed is
            // read from each task below (WhenAll reports only the first).
            await Task.WhenAll(writes).WaitAsync(_options.CommandTimeout * 2, _time, stopping).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
        }
        Account(writes);
    }

    private Task Start(PortableCacheEntry entry, TimeSpan expiry)
    {
        try
        {
            return _store.SetAsync(SharedCacheKey.For(entry.Key, _options.KeyPrefix), PortableCacheEntryFormat.ToArray(entry), expiry);
        }
        catch (Exception error)
        {
            return Task.FromException(error);
        }
    }

    private void Account(List<Task> writes)
    {
        int written = 0;
        foreach (var write in writes)
        {
            if (write.IsCompletedSuccessfully)
                written++;
            else
                _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        if (written > 0)
            _metrics.Written(written);
        if (written == writes.Count)
            return;
        _metrics.WriteDropped("failed", writes.Count - written);
        _metrics.Error();
    }
}

using System.Collections.Concurrent;
using Resolver.Core.Cache;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Coalesces identical queries in flight (same name ignoring case, type, class, DO and CD: the
/// cache key): the first starts the upstream query, later ones wait for the same outcome.
/// Each waiter then writes its own answer (its ID, its question case).
/// </summary>
internal sealed class QueryCoalescer
{
    private readonly ConcurrentDictionary<CacheKey, Task<ForwardOutcome>> _pending = new();

    public int Count => _pending.Count;

    /// <summary>The outcome of the query for <paramref name="key"/>, started by <paramref name="start"/> unless one is already running.</summary>
    public Task<ForwardOutcome> Join(CacheKey key, Func<CacheKey, Task<ForwardOutcome>> start, out bool joined)
    {
        if (_pending.TryGetValue(key, out var running))
        {
            joined = true;
            return running;
        }
        // Waiters continue on the thread that completes the query (each only writes its answer and sends it):
        // queueing them to the thread pool instead cost a hop per forwarded query.
        var source = new TaskCompletionSource<ForwardOutcome>();
        running = _pending.GetOrAdd(key, source.Task);
        joined = running != source.Task;
        if (!joined)
            _ = RunAsync(key, source, start);
        return running;
    }

    private async Task RunAsync(CacheKey key, TaskCompletionSource<ForwardOutcome> source, Func<CacheKey, Task<ForwardOutcome>> start)
    {
        ForwardOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            outcome = await start(key).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            failure = error;
        }

        // Out of the table before the waiters run: they continue on this thread, and a query they
        // (or anyone) ask from there on must start afresh, not join this finished one.
        _pending.TryRemove(new KeyValuePair<CacheKey, Task<ForwardOutcome>>(key, source.Task));
        if (failure is null)
            source.TrySetResult(outcome!);
        else
            source.TrySetException(failure);
    }
}

using System.Collections.Concurrent;
using Resolver.Core.Cache;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Coalesces identical queries in flight (same name ignoring case, type, class, DO and CD: the
/// cache key): the first starts the upstream query, later ones wait for the same outcome.
/// Each waiter then writes its own answer (its ID, its question case).
/// </summary>
internal sealed class InFlightQueries
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
        var source = new TaskCompletionSource<ForwardOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        running = _pending.GetOrAdd(key, source.Task);
        joined = running != source.Task;
        if (!joined)
            _ = RunAsync(key, source, start);
        return running;
    }

    private async Task RunAsync(CacheKey key, TaskCompletionSource<ForwardOutcome> source, Func<CacheKey, Task<ForwardOutcome>> start)
    {
        try
        {
            source.TrySetResult(await start(key).ConfigureAwait(false));
        }
        catch (Exception error)
        {
            source.TrySetException(error);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<CacheKey, Task<ForwardOutcome>>(key, source.Task));
        }
    }
}

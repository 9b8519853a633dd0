using System.Collections.Concurrent;
using Resolver.Core.SharedCache;

namespace Resolver.Core.Tests.SharedCache;

/// <summary>How the fake store behaves for the next calls.</summary>
internal enum FakeStoreMode
{
    Working,

    /// <summary>Reads and writes never finish (a stalled Redis: SIGSTOP, a black-holed network).</summary>
    Stalled,

    /// <summary>Reads and writes fail at once (a dead Redis with a fail-fast client).</summary>
    Failing,
}

/// <summary>An in-memory <see cref="ISharedCacheStore"/> with the expiry kept beside each value, and counted calls.</summary>
internal sealed class FakeSharedCacheStore : ISharedCacheStore
{
    private int _gets;
    private int _sets;

    public ConcurrentDictionary<string, (byte[] Value, TimeSpan Expiry)> Values { get; } = new();

    public FakeStoreMode Mode { get; set; }

    public int Gets => Volatile.Read(ref _gets);

    public int Sets => Volatile.Read(ref _sets);

    public static string Text(byte[] key) => System.Text.Encoding.UTF8.GetString(key);

    public Task<byte[]?> GetAsync(byte[] key)
    {
        Interlocked.Increment(ref _gets);
        return Mode switch
        {
            FakeStoreMode.Stalled => new TaskCompletionSource<byte[]?>().Task,
            FakeStoreMode.Failing => Task.FromException<byte[]?>(new InvalidOperationException("store down")),
            _ => Task.FromResult(Values.TryGetValue(Text(key), out var stored) ? stored.Value : null),
        };
    }

    public Task SetAsync(byte[] key, byte[] value, TimeSpan expiry)
    {
        Interlocked.Increment(ref _sets);
        switch (Mode)
        {
            case FakeStoreMode.Stalled:
                return new TaskCompletionSource().Task;
            case FakeStoreMode.Failing:
                return Task.FromException(new InvalidOperationException("store down"));
            default:
                Values[Text(key)] = (value, expiry);
                return Task.CompletedTask;
        }
    }
}

namespace Resolver.Core.SharedCache;

/// <summary>
/// The shared store as the pipeline sees it (Redis in Resolver.SharedCache.Redis; a fake in tests). Keys and values are
/// opaque bytes: the key from <see cref="SharedCacheKey"/>, the value a <see cref="Cache.PortableCacheEntryFormat"/>
/// entry. Neither call may block: the stage cuts a read at its budget, the writer bounds its own waits.
/// </summary>
public interface ISharedCacheStore
{
    /// <summary>The value under <paramref name="key"/>, or null when there is none. Faults when the store cannot answer.</summary>
    Task<byte[]?> GetAsync(byte[] key);

    /// <summary>Stores <paramref name="value"/> to expire after <paramref name="expiry"/>. Faults when the store cannot take it.</summary>
    Task SetAsync(byte[] key, byte[] value, TimeSpan expiry);

    /// <summary>
    /// Completes when the store's first connection attempt has ended, connected or not; never faults. The host waits
    /// for it (bounded) before the listeners open, so the first answers of a fresh instance are shared too.
    /// </summary>
    Task FirstConnectAttempt => Task.CompletedTask;
}

namespace Resolver.Core.Cache;

/// <summary>
/// Told of every answer the cache stores from upstream (positive and negative, not our own SERVFAIL, not entries put
/// back by <see cref="ResponseCache.Import(PortableCacheEntry)"/>): the shared cache writes them behind through it.
/// </summary>
public interface IResponseStoreObserver
{
    /// <summary>Called on the miss path right after the store: must not block and must not throw.</summary>
    void Stored(PortableCacheEntry entry);
}

namespace Resolver.Core.Cache;

/// <summary>Asks upstream again for an entry about to expire (implemented by the forwarder).</summary>
public interface ICacheRefresher
{
    /// <summary>Starts a background refresh; must not block and must not throw.</summary>
    void Refresh(CacheKey key);
}
